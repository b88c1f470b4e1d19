//! Building and signing a module pack from the app, without a terminal: choose modules, name the
//! pack, and Faro runs the same checks and writes the same file as `faro pack build`
//! ([`crate::pack::build`]), signed with the publisher key it keeps in the data folder.
//! The drawing is in `pack_builder_ui.rs`; this file holds the state and carries out actions.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, TryRecvError};

use super::coordinator::Coordinator;
use crate::app::shared::Shared;
use crate::diagnostic::Diagnostic;
use crate::pack::{self, BuildHistory, BuildOptions, Built, BuiltPack, Fingerprint, PackError, PackId};

/// The pack builder's state.
pub struct PackBuilder {
    /// The Coordinator screen as it was, shown again on the way back.
    pub coordinator: Box<Coordinator>,
    /// Module folders to pack, in order.
    pub module_dirs: Vec<PathBuf>,
    pub folder_input: String,
    pub id_input: String,
    pub title_input: String,
    /// Empty means the suggested version.
    pub version_input: String,
    pub publisher_input: String,
    pub output_input: String,
    pub backup_input: String,
    /// The publisher key's fingerprint, once there is a key.
    pub key: Option<Fingerprint>,
    pub history: BuildHistory,
    /// Where the key was copied in this visit.
    pub backup_done: Option<PathBuf>,
    /// Why the last Build click did not start.
    pub input_problems: Vec<InputProblem>,
    pub outcome: Option<Outcome>,
    running: Option<Running>,
}

/// A build on its worker thread (validation decodes every image, which takes a while).
struct Running {
    result: Receiver<Result<Built, PackError>>,
    module_dirs: Vec<PathBuf>,
    out: PathBuf,
}

/// How the last build ended.
#[derive(Debug)]
pub enum Outcome {
    Written {
        file: PathBuf,
        built: Box<Built>,
    },
    /// Modules failed validation; nothing was written.
    Refused {
        module_dirs: Vec<PathBuf>,
        diagnostics: Vec<Diagnostic>,
    },
    Failed(String),
}

/// Something to fix before a build can start.
#[derive(Clone, Debug, PartialEq)]
pub enum InputProblem {
    NeedKey,
    NeedModules,
    BadPackId,
    NeedTitle,
    BadVersion,
    VersionNotNewer { version: semver::Version, last: Box<BuiltPack>, suggested: semver::Version },
    NeedPublisher,
    NeedOutputFolder,
}

/// What the person asked of the pack builder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BuilderAction {
    CreateKey,
    /// Ask for a backup folder (the system's dialog, or the typed-path field).
    PickBackupFolder,
    BackUpKey(PathBuf),
    /// Put a module of this laptop in the pack, or take it out.
    ToggleModule(PathBuf),
    AddFolders(Vec<PathBuf>),
    /// Ask for module folders (the system's dialog, or the typed-path field).
    PickFolders,
    RemoveModule(PathBuf),
    /// Ask for the output folder (the system's dialog, or the typed-path field).
    PickOutputFolder,
    Build,
    /// See whether the running build has finished.
    Poll,
    Back,
}

/// A build request whose every part was checked.
struct Request {
    options: BuildOptions,
    out: PathBuf,
}

impl PackBuilder {
    /// The version a build uses when the version field is left empty.
    pub fn suggested_version(&self) -> Option<(semver::Version, Option<&BuiltPack>)> {
        let id = PackId::new(self.id_input.trim()).ok()?;
        Some((self.history.suggested_version(&id), self.history.latest(&id)))
    }

    /// Whether a build is running.
    pub fn running(&self) -> bool {
        self.running.is_some()
    }

    /// Parses the form; every problem is listed, not only the first.
    fn request(&self, now: chrono::DateTime<chrono::Utc>) -> Result<Request, Vec<InputProblem>> {
        let mut problems = Vec::new();
        if self.key.is_none() {
            problems.push(InputProblem::NeedKey);
        }
        if self.module_dirs.is_empty() {
            problems.push(InputProblem::NeedModules);
        }
        let id = PackId::new(self.id_input.trim()).ok();
        if id.is_none() {
            problems.push(InputProblem::BadPackId);
        }
        let title = self.title_input.trim();
        if title.is_empty() {
            problems.push(InputProblem::NeedTitle);
        }
        let version = match (self.version_input.trim(), &id) {
            ("", Some(id)) => Some(self.history.suggested_version(id)),
            ("", None) => None,
            (typed, _) => match semver::Version::parse(typed) {
                Ok(v) => Some(v),
                Err(_) => {
                    problems.push(InputProblem::BadVersion);
                    None
                }
            },
        };
        if let (Some(id), Some(version)) = (&id, &version)
            && let Some(last) = self.history.not_newer(id, version)
        {
            problems.push(InputProblem::VersionNotNewer {
                version: version.clone(),
                last: Box::new(last.clone()),
                suggested: self.history.suggested_version(id),
            });
        }
        let publisher = self.publisher_input.trim();
        if publisher.is_empty() {
            problems.push(InputProblem::NeedPublisher);
        }
        let output = self.output_input.trim();
        if output.is_empty() {
            problems.push(InputProblem::NeedOutputFolder);
        }
        let (Some(id), Some(version), true) = (id, version, problems.is_empty()) else {
            return Err(problems);
        };
        let out = Path::new(output).join(format!("{id}-{version}.{}", pack::PACK_EXTENSION));
        let options = BuildOptions {
            id,
            version,
            title: title.to_owned(),
            publisher: publisher.to_owned(),
            created: chrono::SubsecRound::trunc_subsecs(now, 0),
        };
        Ok(Request { options, out })
    }
}

/// The pack builder opened from the Coordinator screen `coordinator` (shown again on the way
/// back), with the publisher key and what was built before.
pub fn open(coordinator: Box<Coordinator>, shared: &mut Shared) -> PackBuilder {
    let data = &shared.config.data_dir;
    let key = match pack::publisher_key(data) {
        Ok(key) => key.map(|k| Fingerprint::of(&k.verifying_key())),
        Err(e) => {
            shared.notices.push(e.to_string());
            None
        }
    };
    let history = match BuildHistory::load(data) {
        Ok((history, quarantined)) => {
            if let Some(q) = quarantined {
                shared.notices.push(format!("{}: {}", q.kept_at.display(), q.problem));
            }
            history
        }
        Err(e) => {
            shared.notices.push(e.to_string());
            BuildHistory::default()
        }
    };
    PackBuilder {
        coordinator,
        module_dirs: Vec::new(),
        folder_input: String::new(),
        id_input: String::new(),
        title_input: String::new(),
        version_input: String::new(),
        publisher_input: history.last_publisher().unwrap_or_default().to_owned(),
        output_input: pack::default_output_dir(data).display().to_string(),
        backup_input: String::new(),
        key,
        history,
        backup_done: None,
        input_problems: Vec::new(),
        outcome: None,
        running: None,
    }
}

/// Carries out a pack builder action (the app handles [`BuilderAction::Back`], which changes the
/// screen, and checks the coordinator lock first).
pub fn apply(b: &mut PackBuilder, action: BuilderAction, shared: &mut Shared) {
    let writes = matches!(action, BuilderAction::CreateKey | BuilderAction::Build);
    if writes && !shared.saving(true) {
        return;
    }
    let data = shared.config.data_dir.clone();
    match action {
        BuilderAction::CreateKey => match pack::create_publisher_key(&data) {
            Ok(files) => b.key = Some(files.fingerprint),
            Err(e) => shared.notices.push(e.to_string()),
        },
        // The app asks for these folders (the system's dialog, or the typed-path field) and
        // sends them back as `BackUpKey`, `AddFolders` or the output field's text.
        BuilderAction::PickBackupFolder | BuilderAction::PickFolders | BuilderAction::PickOutputFolder => {}
        BuilderAction::BackUpKey(dir) => back_up_key(b, shared, dir),
        BuilderAction::ToggleModule(dir) => {
            if !remove(&mut b.module_dirs, &dir) {
                b.module_dirs.push(dir);
            }
        }
        BuilderAction::AddFolders(dirs) => add_folders(b, dirs),
        BuilderAction::RemoveModule(dir) => {
            remove(&mut b.module_dirs, &dir);
        }
        BuilderAction::Build => start_build(b, &data),
        BuilderAction::Poll => poll(b, shared, &data),
        BuilderAction::Back => {}
    }
}

fn remove(dirs: &mut Vec<PathBuf>, dir: &Path) -> bool {
    let before = dirs.len();
    dirs.retain(|d| d != dir);
    dirs.len() != before
}

fn add_folders(b: &mut PackBuilder, dirs: Vec<PathBuf>) {
    for dir in dirs {
        if !b.module_dirs.contains(&dir) {
            b.module_dirs.push(dir);
        }
    }
    b.folder_input.clear();
}

fn back_up_key(b: &mut PackBuilder, shared: &mut Shared, dir: PathBuf) {
    match pack::back_up_publisher_key(&shared.config.data_dir, &dir) {
        Ok(_) => {
            b.history.key_backup = Some((dir.clone(), chrono::Utc::now()));
            b.backup_done = Some(dir);
            let history = b.history.clone();
            shared.save(|shared| history.save(&shared.config.data_dir));
        }
        Err(e) => shared.notices.push(e.to_string()),
    }
}

fn start_build(b: &mut PackBuilder, data: &crate::data::DataDir) {
    if b.running.is_some() {
        return;
    }
    b.outcome = None;
    let request = match b.request(chrono::Utc::now()) {
        Ok(request) => request,
        Err(problems) => {
            b.input_problems = problems;
            return;
        }
    };
    b.input_problems.clear();
    let key = match pack::publisher_key(data) {
        Ok(Some(key)) => key,
        Ok(None) => {
            b.input_problems = vec![InputProblem::NeedKey];
            return;
        }
        Err(e) => {
            b.outcome = Some(Outcome::Failed(e.to_string()));
            return;
        }
    };
    // The pack is written through a temporary file beside it, so the folder must exist.
    if let Some(folder) = request.out.parent()
        && let Err(e) = std::fs::create_dir_all(folder)
    {
        b.outcome = Some(Outcome::Failed(format!("{}: {e}", folder.display())));
        return;
    }
    let (send, result) = mpsc::channel();
    let module_dirs = b.module_dirs.clone();
    let out = request.out.clone();
    let dirs = module_dirs.clone();
    std::thread::spawn(move || {
        // The receiver is gone only if the builder was closed; the pack is written all the same.
        let _ = send.send(pack::build(&dirs, &key, &request.options, &request.out));
    });
    b.running = Some(Running { result, module_dirs, out });
}

fn poll(b: &mut PackBuilder, shared: &mut Shared, data: &crate::data::DataDir) {
    let Some(running) = &b.running else { return };
    let finished = match running.result.try_recv() {
        Err(TryRecvError::Empty) => return,
        Ok(finished) => finished,
        Err(TryRecvError::Disconnected) => Err(PackError::BuildInput {
            path: running.out.clone(),
            reason: "the build stopped unexpectedly".into(),
        }),
    };
    let Some(running) = b.running.take() else { return };
    let outcome = match finished {
        Ok(built) => {
            b.history.built.push(BuiltPack::of(&built, &running.out));
            // An empty field offers the next version at once, for the next build.
            b.version_input.clear();
            Outcome::Written { file: running.out, built: Box::new(built) }
        }
        Err(PackError::InvalidModules { diagnostics }) => {
            Outcome::Refused { module_dirs: running.module_dirs, diagnostics }
        }
        Err(e) => Outcome::Failed(e.to_string()),
    };
    let written = matches!(outcome, Outcome::Written { .. });
    b.outcome = Some(outcome);
    if written {
        let history = b.history.clone();
        shared.save(|_| history.save(data));
    }
}

/// The module folders' names, as the pack will call them.
pub fn folder_name(dir: &Path) -> String {
    dir.file_name().map_or_else(|| dir.display().to_string(), |n| n.to_string_lossy().into_owned())
}

//! `faro pack`: keygen, build, verify, install, list, remove.
//!
//! Exit status: 0 success, 1 the pack or the operation failed (the message names the first
//! problem), 2 usage errors.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Subcommand;

use crate::pack::{self, BuildOptions, InstallOptions, PackError, PackId, TrustDecision, TrustStatus};

/// Arguments of `faro pack`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: PackCommand,
}

/// What to do with packs.
#[derive(Debug, Subcommand)]
pub enum PackCommand {
    /// Make a publisher key pair in DIR: a secret key (keep it private) and a public key to hand out.
    Keygen {
        /// The folder to write faro-publisher.key and faro-publisher.pub into.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Validate module folders, then write them into a signed pack.
    Build {
        /// Module folders to put in the pack.
        #[arg(required = true, value_name = "MODULE-DIRS")]
        module_dirs: Vec<PathBuf>,
        /// The publisher's secret key (from `faro pack keygen`).
        #[arg(long, value_name = "SECRET")]
        key: PathBuf,
        /// The pack file to write (usually NAME.faropack).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// The pack's semantic version; raise it for every update.
        #[arg(long, value_name = "V", default_value = "1.0.0", value_parser = parse_version)]
        version: semver::Version,
        /// The pack id (a-z, 0-9, -); default: the output file name without extension.
        #[arg(long, value_name = "ID")]
        id: Option<String>,
        /// The title shown to people; default: the id.
        #[arg(long, value_name = "T")]
        title: Option<String>,
        /// Who publishes the pack, as shown to people.
        #[arg(long, value_name = "P")]
        publisher: Option<String>,
    },
    /// Check a pack: signature, hashes, file list and modules. Exit 0 when sound, 1 otherwise.
    Verify {
        file: PathBuf,
        /// Require the pack to be signed by this public key.
        #[arg(long, value_name = "PUBLIC-KEY")]
        trust: Option<PathBuf>,
    },
    /// Verify a pack, then install it into the data folder (FARO_DATA_DIR if set).
    Install {
        file: PathBuf,
        /// Trust the publisher whose public key is in this file.
        #[arg(long, value_name = "PUBLIC-KEY", conflicts_with = "yes")]
        trust: Option<PathBuf>,
        /// Trust the pack's signer without asking (check the printed fingerprint with the publisher).
        #[arg(long)]
        yes: bool,
        /// Let an older version replace the installed one.
        #[arg(long)]
        allow_downgrade: bool,
        /// Let the pack's modules replace modules with the same id that come with Faro or were
        /// installed from another publisher's key; learners' progress and records for them then
        /// refer to this publisher's content.
        #[arg(long, alias = "replace-bundled")]
        replace: bool,
    },
    /// List installed packs.
    List,
    /// Remove an installed pack; learners' progress and completion records are kept.
    Remove {
        /// The pack id.
        id: String,
    },
}

fn parse_version(text: &str) -> Result<semver::Version, String> {
    semver::Version::parse(text).map_err(|e| format!("{e}; use a semantic version such as 1.2.0"))
}

/// Runs `faro pack`.
pub fn run(args: &Args) -> ExitCode {
    let result = match &args.command {
        PackCommand::Keygen { out } => keygen(out),
        PackCommand::Build { module_dirs, key, out, version, id, title, publisher } => {
            build(module_dirs, key, out, version, id.as_deref(), title.as_deref(), publisher.as_deref())
        }
        PackCommand::Verify { file, trust } => verify(file, trust.as_deref()),
        PackCommand::Install { file, trust, yes, allow_downgrade, replace } => {
            install(file, trust.as_deref(), *yes, *allow_downgrade, *replace)
        }
        PackCommand::List => list(),
        PackCommand::Remove { id } => remove(id),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(message)) => {
            eprintln!("faro pack: {message}");
            ExitCode::from(2)
        }
        Err(Failure::Declined) => {
            eprintln!("faro pack: not installed: the publisher was not trusted");
            ExitCode::from(1)
        }
        Err(Failure::Pack(e)) => {
            print_diagnostics(&e);
            eprintln!("faro pack: {e}");
            ExitCode::from(1)
        }
        Err(Failure::InFile(file, e)) => {
            print_diagnostics(&e);
            match *e {
                PackError::NotAPack { .. } | PackError::Io { .. } => eprintln!("faro pack: {e}"),
                _ => eprintln!("faro pack: {}: {e}", file.display()),
            }
            ExitCode::from(1)
        }
    }
}

/// Module diagnostics are printed whole, as `faro validate` prints them.
fn print_diagnostics(e: &PackError) {
    if let PackError::InvalidModules { diagnostics } = e {
        for d in diagnostics {
            println!("{d}");
        }
    }
}

/// How a subcommand failed: the exit status follows from it.
enum Failure {
    Usage(String),
    Pack(Box<PackError>),
    /// A failure about this pack file, which the message names.
    InFile(PathBuf, Box<PackError>),
    /// The person chose not to trust the publisher.
    Declined,
}

impl From<PackError> for Failure {
    fn from(e: PackError) -> Self {
        Self::Pack(Box::new(e))
    }
}

fn keygen(out: &Path) -> Result<(), Failure> {
    let files = pack::keygen(out)?;
    println!(
        "secret key: {} (keep it private; anyone with it can sign packs as you)",
        files.secret.display()
    );
    println!("public key: {} (hand this to the people who install your packs)", files.public.display());
    println!("fingerprint: {}", files.fingerprint);
    Ok(())
}

fn build(
    module_dirs: &[PathBuf],
    key: &Path,
    out: &Path,
    version: &semver::Version,
    id: Option<&str>,
    title: Option<&str>,
    publisher: Option<&str>,
) -> Result<(), Failure> {
    let id = match id {
        Some(id) => PackId::new(id)?,
        None => {
            let stem = out.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
            PackId::new(stem).map_err(|e| Failure::Usage(format!("{e}; name the pack with --id")))?
        }
    };
    let secret = pack::read_secret_key(key)?;
    let fingerprint = pack::Fingerprint::of(&secret.verifying_key());
    let options = BuildOptions {
        title: title.map_or_else(|| id.to_string(), str::to_owned),
        publisher: publisher.map_or_else(|| format!("publisher with key {fingerprint}"), str::to_owned),
        id,
        version: version.clone(),
        created: chrono::SubsecRound::trunc_subsecs(chrono::Utc::now(), 0),
    };
    let built = pack::build(module_dirs, &secret, &options, out)?;
    for d in &built.warnings {
        println!("{d}");
    }
    let m = &built.manifest;
    println!(
        "wrote {}: pack {} {}, {} module(s), {} file(s), signed by key {}",
        out.display(),
        m.id,
        m.version,
        m.modules.len(),
        m.files.len(),
        built.fingerprint
    );
    Ok(())
}

fn verify(file: &Path, trust: Option<&Path>) -> Result<(), Failure> {
    let key = trust.map(pack::read_public_key).transpose()?;
    let verified = pack::verify(file, key.as_ref()).map_err(|e| with_file(file, e))?;
    for d in &verified.warnings {
        println!("{d}");
    }
    let m = &verified.manifest;
    println!(
        "{}: sound. Pack {} {} \"{}\" by \"{}\", {} module(s), signed by key {}",
        file.display(),
        m.id,
        m.version,
        m.title,
        m.publisher,
        m.modules.len(),
        verified.fingerprint
    );
    if key.is_none() {
        println!("(without --trust this shows the pack is intact, not who made it: compare the fingerprint)");
    }
    Ok(())
}

/// The data folder, checked for writing first so a read-only stick or a `faro-data` file gets a
/// plain message rather than an OS error from deep inside the install.
fn writable_data() -> Result<crate::data::DataDir, Failure> {
    let data = crate::locations::data_dir().ok_or(PackError::NoDataDir)?;
    data.check_writable().map_err(|problem| Failure::Usage(problem.to_string()))?;
    Ok(data)
}

fn install(
    file: &Path,
    trust: Option<&Path>,
    yes: bool,
    allow_downgrade: bool,
    replace: bool,
) -> Result<(), Failure> {
    let data = writable_data()?;
    let signed = pack::read_signed(file).map_err(|e| with_file(file, e))?;
    let m = &signed.manifest;
    // Without --trust, the signer decides whether to ask. A changed key is the most serious
    // warning, so it comes first.
    let status = match trust {
        Some(_) => None,
        None => Some(pack::trust_status(&data, &m.id, &signed.public_key)?),
    };
    if let Some(TrustStatus::KeyChanged { installed }) = status {
        let offered = signed.fingerprint;
        return Err(PackError::KeyChanged { pack_id: m.id.to_string(), installed, offered }.into());
    }
    // Before the trust question, so nobody is asked to trust a key for a pack that is then
    // refused (`pack::install` checks this again).
    let replaced = pack::bundled_modules_in(m);
    if !replaced.is_empty() && !replace {
        let modules = pack::describe_bundled(&replaced);
        return Err(with_file(file, PackError::ReplacesBundled { modules }));
    }
    let owned = pack::modules_of_other_publishers(&data, m, &signed.public_key)?;
    if !owned.is_empty() && !replace {
        let (publisher, fingerprint) = (m.publisher.clone(), signed.fingerprint.clone());
        let modules = pack::describe_owned(&owned);
        return Err(with_file(file, PackError::ReplacesPublisher { publisher, fingerprint, modules }));
    }
    let decision = match (trust, status) {
        (Some(path), _) => TrustDecision::Trust(pack::read_public_key(path)?),
        (None, Some(TrustStatus::NewPublisher)) if yes => {
            println!("trusting publisher \"{}\", key {}", m.publisher, signed.fingerprint);
            TrustDecision::Trust(signed.public_key)
        }
        (None, Some(TrustStatus::NewPublisher)) if std::io::stdin().is_terminal() => {
            if !ask_trust(&signed)? {
                return Err(Failure::Declined);
            }
            TrustDecision::Trust(signed.public_key)
        }
        (None, Some(TrustStatus::NewPublisher)) => {
            return Err(Failure::Usage(format!(
                "publisher \"{}\" (key {}) is not trusted yet and there is no terminal to ask; \
                 run again with --trust PUBLIC-KEY (the publisher's .pub file), or with --yes \
                 once you have checked the fingerprint with the publisher",
                m.publisher, signed.fingerprint
            )));
        }
        // A trusted signer (a changed key was refused above).
        (None, _) => TrustDecision::KnownOnly,
    };
    // The rest is only there in test builds (the `test-hooks` feature).
    #[allow(clippy::needless_update)]
    let options = InstallOptions {
        allow_downgrade,
        replace_bundled: replace,
        replace_other_publishers: replace,
        ..InstallOptions::default()
    };
    let report = pack::install(&data, file, decision, &options).map_err(|e| with_file(file, e))?;
    match &report.previous_version {
        Some(old) => {
            println!("updated pack {} from {old} to {}: \"{}\"", report.pack_id, report.version, report.title)
        }
        None => println!("installed pack {} {}: \"{}\"", report.pack_id, report.version, report.title),
    }
    for d in &report.warnings {
        println!("{d}");
    }
    for module in &report.replaced_bundled {
        println!(
            "replaces the bundled module \"{}\" ({}): learners' progress and completion records for it \
             now refer to this publisher's content",
            module.title.get("en"),
            module.id
        );
    }
    for owned in &report.replaced_publishers {
        println!(
            "replaces module \"{}\" of publisher \"{}\" (key {}, pack \"{}\"): learners' progress and \
             completion records for it now refer to \"{}\"'s content",
            owned.module_id, owned.publisher, owned.fingerprint, owned.pack_title, report.publisher
        );
    }
    for (label, ids) in [
        ("new modules", &report.added),
        ("changed modules (learners' progress on them is kept as history)", &report.changed),
        ("unchanged modules", &report.unchanged),
        ("removed modules", &report.removed),
    ] {
        if !ids.is_empty() {
            println!("{label}: {}", ids.join(", "));
        }
    }
    Ok(())
}

/// Shows the signer and asks on the terminal; only "y" or "yes" trusts.
fn ask_trust(signed: &pack::SignedManifest) -> Result<bool, Failure> {
    let m = &signed.manifest;
    eprintln!(
        "Pack \"{}\" ({} {}) is signed by publisher \"{}\" with the key",
        m.title, m.id, m.version, m.publisher
    );
    eprintln!();
    eprintln!("    {}", signed.fingerprint);
    eprintln!();
    eprintln!("which this computer does not trust yet. Check this fingerprint with the publisher");
    eprintln!("(in person or by phone) before you accept it.");
    let replaced = pack::bundled_modules_in(m);
    if !replaced.is_empty() {
        eprintln!("This pack replaces the bundled module(s) {}.", pack::describe_bundled(&replaced));
    }
    eprint!("Trust this publisher and install? [y/N] ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|e| Failure::Usage(format!("cannot read the answer: {e}")))?;
    Ok(matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes"))
}

fn list() -> Result<(), Failure> {
    let data = crate::locations::data_dir().ok_or(PackError::NoDataDir)?;
    let packs = pack::installed(&data);
    if packs.is_empty() {
        println!("no packs installed in {}", pack::packs_dir(&data).display());
    }
    let mut damaged = None;
    for entry in packs {
        match entry {
            Ok(p) => {
                println!(
                    "{} {} \"{}\" by \"{}\" (key {}), {} module(s)",
                    p.id,
                    p.version,
                    p.title,
                    p.publisher,
                    p.fingerprint,
                    p.module_dirs.len()
                );
                if !p.replaces_bundled.is_empty() {
                    println!("  replaces bundled module(s): {}", p.replaces_bundled.join(", "));
                }
            }
            Err(e) => {
                eprintln!("faro pack: {e}");
                damaged = Some(e);
            }
        }
    }
    damaged.map_or(Ok(()), |e| Err(Failure::from(e)))
}

fn remove(id: &str) -> Result<(), Failure> {
    let data = writable_data()?;
    pack::recover(&data)?;
    pack::remove(&data, id)?;
    println!("removed pack {id}; learners' progress and completion records are kept");
    Ok(())
}

/// Names the pack file in the message.
fn with_file(file: &Path, e: PackError) -> Failure {
    Failure::InFile(file.to_owned(), Box::new(e))
}

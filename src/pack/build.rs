//! Building a pack: validate the modules, stream their files into a canonical zip while hashing
//! them, then write and sign the manifest.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use ed25519_dalek::SigningKey;
use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::durable::EarlyWriteback;
use super::extract::{self, HashingWriter};
use super::manifest::{MANIFEST_FORMAT, Manifest, ManifestFile, ManifestModule, PackId, Sha256Hash};
use super::sign::{Fingerprint, PackSignature};
use super::{MANIFEST_NAME, MAX_PACK_FILES, MAX_UNPACKED_BYTES, MODULES_DIR, PackError, SIGNATURE_NAME};
use crate::diagnostic::Diagnostic;
use crate::validate::{self, Context};

/// What to call the pack.
#[derive(Clone, Debug)]
pub struct BuildOptions {
    pub id: PackId,
    pub version: semver::Version,
    pub title: String,
    pub publisher: String,
    /// When the pack was made (recorded in the manifest).
    pub created: DateTime<Utc>,
}

/// A pack that was written.
#[derive(Clone, Debug)]
pub struct Built {
    pub manifest: Manifest,
    pub fingerprint: Fingerprint,
    /// Validation warnings about the modules (errors stop the build).
    pub warnings: Vec<Diagnostic>,
}

/// Validates `module_dirs` and writes the signed pack to `out` (replacing it atomically); nothing
/// is written to `out` unless every module passes.
/// Files and folders whose names start with `.` (such as `.DS_Store`) are left out.
pub fn build(
    module_dirs: &[PathBuf],
    key: &SigningKey,
    options: &BuildOptions,
    out: &Path,
) -> Result<Built, PackError> {
    if module_dirs.is_empty() {
        return Err(PackError::BuildInput {
            path: PathBuf::from("."),
            reason: "no module folders given".into(),
        });
    }
    // As verify will: modules that would take too much memory are refused before they are read.
    let files: Vec<PathBuf> = module_dirs.iter().map(|d| d.join(crate::load::MODULE_FILE)).collect();
    let too_large = crate::load::footprint::pack_findings(&files);
    if !too_large.is_empty() {
        return Err(PackError::InvalidModules { diagnostics: too_large });
    }
    let regions = super::verify::bundled_regions()?;
    // As verify will check them: one search budget for the pack, and a module too complex to
    // check fully is an error here already, not a surprise for whoever installs the pack.
    let pack_budget = crate::validate::PackBudget::default();
    let ctx = Context {
        today: chrono::Local::now().date_naive(),
        regions: Some(&regions),
        terms: crate::bundled::terms().ok(),
        decode_images: true,
        pack: Some(&pack_budget),
    };
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    let temp = tempfile::Builder::new()
        .prefix(".faro-pack-")
        .tempfile_in(&parent)
        .map_err(|e| PackError::io(&parent, e))?;
    // Validation decodes every image, which takes a while: it runs on a second thread while this
    // one writes the files into the zip. The zip is thrown away unless every module passes.
    let (reports, written) = std::thread::scope(|scope| {
        // Each module's parse is dropped once it is checked (only its id, version and findings
        // are kept), so a pack of large modules is not held in memory all at once.
        let validation = scope.spawn(|| {
            module_dirs
                .iter()
                .map(|dir| {
                    let report = validate::check_dir(dir, &ctx);
                    let module = report.module.map(|m| (m.module.id, m.module.version));
                    (report.diagnostics, module)
                })
                .collect::<Vec<_>>()
        });
        let written = collect_sources(module_dirs).and_then(|(names, sources)| {
            let second_handle = temp.as_file().try_clone().map_err(|e| PackError::io(temp.path(), e))?;
            let mut zip = ZipWriter::new(temp.as_file());
            let files = write_entries(&mut zip, &sources, second_handle, temp.path())?;
            Ok((names, zip, files))
        });
        let reports = validation.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (reports, written)
    });
    // The modules' own problems come first: they are what the author must fix.
    let mut diagnostics = Vec::new();
    let mut loaded = Vec::new();
    for (found, module) in reports {
        diagnostics.extend(found);
        loaded.push(module);
    }
    if diagnostics.iter().any(Diagnostic::is_error) || loaded.iter().any(Option::is_none) {
        return Err(PackError::InvalidModules { diagnostics });
    }
    let (names, zip, files) = written?;
    let modules = names
        .into_iter()
        .zip(loaded.into_iter().flatten())
        .map(|(dir, (id, version))| ManifestModule { dir, id, version })
        .collect();
    let signer = key.verifying_key();
    let manifest = finish_zip(zip, files, modules, options, key)?;
    temp.as_file().sync_all().map_err(|e| PackError::io(temp.path(), e))?;
    // Temporary files are owner-only; a pack is meant to be handed around.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let readable = std::fs::Permissions::from_mode(0o644);
        std::fs::set_permissions(temp.path(), readable).map_err(|e| PackError::io(temp.path(), e))?;
    }
    // Never hand out a pack this Faro would refuse.
    extract::open(temp.path(), Some(&signer))?;
    temp.persist(out).map_err(|e| PackError::io(out, e.error))?;
    Ok(Built { manifest, fingerprint: Fingerprint::of(&signer), warnings: diagnostics })
}

/// Each module folder's name and every file to pack, as (path in the pack, path on disk).
type Sources = (Vec<String>, Vec<(String, PathBuf)>);

/// Lists the files of `module_dirs` and checks their names, folder by folder.
fn collect_sources(module_dirs: &[PathBuf]) -> Result<Sources, PackError> {
    let mut names: Vec<String> = Vec::new();
    let mut sources = Vec::new();
    for dir in module_dirs {
        let name = folder_name(dir)?;
        if names.iter().any(|n| n.eq_ignore_ascii_case(&name)) {
            return Err(PackError::BuildInput {
                path: dir.clone(),
                reason: format!("two module folders are named {name:?}; rename one"),
            });
        }
        let mut files = Vec::new();
        collect_files(dir, dir, &mut files)?;
        for (relative, full) in files {
            sources.push((format!("{MODULES_DIR}/{name}/{relative}"), full));
        }
        names.push(name);
    }
    if sources.len() > MAX_PACK_FILES {
        return Err(PackError::TooManyFiles { count: sources.len() as u64, limit: MAX_PACK_FILES as u64 });
    }
    for (path, full) in &sources {
        super::manifest::check_path(path)
            .map_err(|reason| PackError::BuildInput { path: full.clone(), reason })?;
    }
    Ok((names, sources))
}

/// How much is written between two requests to start writing the pack back to disk.
const WRITEBACK_EVERY: u64 = 8 * 1024 * 1024;

/// Writes every file into the zip, hashing it on the way; returns the manifest's file list.
/// `second_handle` is another handle to the zip's file, for flushing it early.
fn write_entries(
    zip: &mut ZipWriter<&File>,
    sources: &[(String, PathBuf)],
    second_handle: File,
    zip_path: &Path,
) -> Result<Vec<ManifestFile>, PackError> {
    let zip_err = |path: &Path, e: zip::result::ZipError| PackError::io(path, io::Error::other(e));
    // The disk starts writing the pack while later files are still being hashed, so the final
    // flush before the rename has little left to do.
    let writeback = EarlyWriteback::start(second_handle, zip_path.to_owned());
    let mut files = Vec::with_capacity(sources.len());
    let mut total: u64 = 0;
    let mut since_writeback: u64 = 0;
    for (name, full) in sources {
        zip.start_file(name.as_str(), entry_options(name)).map_err(|e| zip_err(full, e))?;
        let mut input = File::open(full).map_err(|e| PackError::io(full, e))?;
        let remaining = MAX_UNPACKED_BYTES.saturating_sub(total);
        let mut writer =
            HashingWriter { inner: &mut *zip, hasher: Sha256::new(), written: 0, limit: remaining };
        extract::copy_in_large_chunks(&mut input, &mut writer).map_err(|e| {
            if writer.written > remaining {
                PackError::TooMuchData { limit_mib: MAX_UNPACKED_BYTES / (1024 * 1024) }
            } else {
                PackError::io(full, e)
            }
        })?;
        total += writer.written;
        since_writeback += writer.written;
        if since_writeback >= WRITEBACK_EVERY {
            writeback.nudge();
            since_writeback = 0;
        }
        let sha256 = Sha256Hash(writer.hasher.finalize().into());
        files.push(ManifestFile { path: name.clone(), size: writer.written, sha256 });
    }
    writeback.finish()?;
    Ok(files)
}

/// Writes the manifest and its signature, and closes the zip; returns the manifest.
fn finish_zip(
    mut zip: ZipWriter<&File>,
    files: Vec<ManifestFile>,
    modules: Vec<ManifestModule>,
    options: &BuildOptions,
    key: &SigningKey,
) -> Result<Manifest, PackError> {
    let zip_err = |path: &Path, e: zip::result::ZipError| PackError::io(path, io::Error::other(e));
    let manifest = Manifest {
        format: MANIFEST_FORMAT,
        id: options.id.clone(),
        version: options.version.clone(),
        title: options.title.clone(),
        publisher: options.publisher.clone(),
        created: options.created,
        modules,
        files,
    };
    manifest.check()?;
    let text = manifest.to_text()?;
    let signature = PackSignature::create(key, text.as_bytes()).to_text()?;
    for (name, bytes) in [(MANIFEST_NAME, text.as_bytes()), (SIGNATURE_NAME, signature.as_bytes())] {
        zip.start_file(name, entry_options(name)).map_err(|e| zip_err(Path::new(name), e))?;
        io::Write::write_all(&mut zip, bytes).map_err(|e| PackError::io(name, e))?;
    }
    zip.finish().map_err(|e| zip_err(Path::new(MANIFEST_NAME), e))?;
    Ok(manifest)
}

/// The canonical entry options the layout check expects: fixed date and permissions, made by
/// "Unix" on every system (the zip crate says "DOS" on Windows by default, and the layout check
/// then refused every pack built on Windows, as `packaging/windows-check.sh` found); images are
/// already compressed, so they are stored.
pub(crate) fn entry_options(name: &str) -> SimpleFileOptions {
    let lower = name.to_ascii_lowercase();
    let method = if [".png", ".jpg", ".jpeg"].iter().any(|ext| lower.ends_with(ext)) {
        CompressionMethod::Stored
    } else {
        CompressionMethod::Deflated
    };
    SimpleFileOptions::default().compression_method(method).system(zip::System::Unix).unix_permissions(0o644)
}

/// The folder's own name (resolving `.` and trailing slashes), which must suit a pack path.
fn folder_name(dir: &Path) -> Result<String, PackError> {
    let resolved = dir.canonicalize().map_err(|e| PackError::io(dir, e))?;
    let name = resolved.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
    super::manifest::check_name(&name)
        .map_err(|reason| PackError::BuildInput { path: dir.to_owned(), reason })?;
    Ok(name)
}

/// Every regular file under `dir`, as (`/`-separated path relative to `root`, full path), sorted.
fn collect_files(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) -> Result<(), PackError> {
    let mut children: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| PackError::io(dir, e))?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(|e| PackError::io(dir, e))?;
    children.sort();
    for path in children {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if name.starts_with('.') {
            continue;
        }
        let meta = std::fs::symlink_metadata(&path).map_err(|e| PackError::io(&path, e))?;
        if meta.file_type().is_symlink() {
            return Err(PackError::BuildInput {
                path,
                reason: "symbolic links cannot go in a pack; copy the file instead".into(),
            });
        }
        if meta.is_dir() {
            collect_files(root, &path, out)?;
        } else if meta.is_file() {
            let relative = path.strip_prefix(root).unwrap_or(&path);
            let parts: Option<Vec<&str>> = relative.components().map(|c| c.as_os_str().to_str()).collect();
            let Some(parts) = parts else {
                return Err(PackError::BuildInput {
                    path,
                    reason: "the file name is not valid UTF-8".into(),
                });
            };
            out.push((parts.join("/"), path.clone()));
            if out.len() > MAX_PACK_FILES {
                return Err(PackError::TooManyFiles {
                    count: out.len() as u64,
                    limit: MAX_PACK_FILES as u64,
                });
            }
        } else {
            return Err(PackError::BuildInput { path, reason: "only regular files can go in a pack".into() });
        }
    }
    Ok(())
}

//! Opening a pack (layout, signature, manifest, listing) and unpacking it safely, streaming.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufReader, Read, Write};
use std::path::{Path, PathBuf};

use ed25519_dalek::VerifyingKey;
use sha2::{Digest, Sha256};
use zip::ZipArchive;

use super::durable::BackgroundSync;
use super::layout;
use super::manifest::Manifest;
use super::sign::PackSignature;
use super::{
    MANIFEST_NAME, MAX_MANIFEST_BYTES, MAX_PACK_FILE_BYTES, MAX_SIGNATURE_BYTES, PackError, SIGNATURE_NAME,
};
use crate::validate::{MAX_IMAGE_SIDE, image_dimensions};

/// A pack whose layout, signature and manifest are sound; its files are not unpacked yet.
pub(crate) struct OpenedPack {
    archive: ZipArchive<BufReader<File>>,
    pub manifest: Manifest,
    /// The manifest's exact bytes, as signed.
    pub manifest_text: String,
    pub signature: PackSignature,
    pub signature_text: String,
}

/// Opens `path`: checks the zip layout, the signature (by `trusted` when given), the manifest,
/// and that the pack holds exactly the files the manifest lists, with the listed sizes.
pub(crate) fn open(path: &Path, trusted: Option<&VerifyingKey>) -> Result<OpenedPack, PackError> {
    let with_path = |e: PackError| match e {
        PackError::NotAPack { reason, .. } => PackError::NotAPack { path: path.to_owned(), reason },
        other => other,
    };
    let mut file = File::open(path).map_err(|e| PackError::io(path, e))?;
    let size = file.metadata().map_err(|e| PackError::io(path, e))?.len();
    if size > MAX_PACK_FILE_BYTES {
        return Err(PackError::PackFileTooLarge { size, limit: MAX_PACK_FILE_BYTES });
    }
    let entries = layout::check(&mut file).map_err(with_path)?;
    let mut archive = ZipArchive::new(BufReader::new(file))
        .map_err(|e| with_path(PackError::NotAPack { path: PathBuf::new(), reason: e.to_string() }))?;
    if archive.len() != entries.len() {
        return Err(PackError::NonCanonical {
            name: "(zip structure)".to_owned(),
            reason: "the zip library and the layout check disagree on the entries".to_owned(),
        });
    }
    let signature_text = read_small(&mut archive, SIGNATURE_NAME, MAX_SIGNATURE_BYTES)?;
    let manifest_text = read_small(&mut archive, MANIFEST_NAME, MAX_MANIFEST_BYTES)?;
    let signature = PackSignature::parse(&signature_text)?;
    // The manifest is parsed only once it is known to be signed: unsigned input gets no parser.
    signature.check(manifest_text.as_bytes(), trusted)?;
    let manifest = Manifest::parse(&manifest_text)?;
    let listed: HashMap<&str, u64> = manifest.files.iter().map(|f| (f.path.as_str(), f.size)).collect();
    for entry in &entries {
        if entry.name == MANIFEST_NAME || entry.name == SIGNATURE_NAME {
            continue;
        }
        let Some(&expected) = listed.get(entry.name.as_str()) else {
            return Err(PackError::Unlisted { name: entry.name.clone() });
        };
        if entry.size != expected {
            return Err(PackError::SizeMismatch { name: entry.name.clone(), expected, found: entry.size });
        }
    }
    let held: HashMap<&str, ()> = entries.iter().map(|e| (e.name.as_str(), ())).collect();
    if let Some(missing) = manifest.files.iter().find(|f| !held.contains_key(f.path.as_str())) {
        return Err(PackError::Missing { name: missing.path.clone() });
    }
    Ok(OpenedPack { archive, manifest, manifest_text, signature, signature_text })
}

/// Reads a small text entry, refusing more than `cap` bytes.
fn read_small(
    archive: &mut ZipArchive<BufReader<File>>,
    name: &'static str,
    cap: u64,
) -> Result<String, PackError> {
    let unpack = |reason: String| PackError::Unpack { name: name.to_owned(), reason };
    let Some(index) = archive.index_for_name(name) else {
        return Err(PackError::MissingPackFile { name });
    };
    let entry = archive.by_index(index).map_err(|e| unpack(e.to_string()))?;
    let mut bytes = Vec::new();
    entry.take(cap + 1).read_to_end(&mut bytes).map_err(|e| unpack(e.to_string()))?;
    if bytes.len() as u64 > cap {
        return Err(unpack(format!("it is larger than {cap} bytes")));
    }
    String::from_utf8(bytes).map_err(|_| unpack("it is not UTF-8 text".to_owned()))
}

impl OpenedPack {
    /// Unpacks into `dest` (which must not exist yet): the manifest, the signature and every
    /// listed file, each streamed through a size-capped hashing writer and compared with the
    /// manifest. Images are refused when their header says they are too large. With `durable`,
    /// every file is on disk when this returns (an install renames the folder into place next).
    /// `stop_after` fails on purpose after that many files (tests of interrupted installs).
    pub(crate) fn extract_to(
        &mut self,
        dest: &Path,
        durable: bool,
        stop_after: Option<usize>,
        progress: Option<&super::InstallProgress>,
    ) -> Result<(), PackError> {
        std::fs::create_dir(dest).map_err(|e| PackError::io(dest, e))?;
        // Each file is flushed on a second thread while the next one unpacks.
        let sync = durable.then(BackgroundSync::start);
        let keep = |file: std::fs::File, path: &Path| {
            if let Some(sync) = &sync {
                sync.push(file, path.to_owned());
            }
        };
        let manifest_path = dest.join(MANIFEST_NAME);
        keep(write_new(&manifest_path, self.manifest_text.as_bytes())?, &manifest_path);
        let signature_path = dest.join(SIGNATURE_NAME);
        keep(write_new(&signature_path, self.signature_text.as_bytes())?, &signature_path);
        // Folders hold the names of the files in them: they are flushed too, last.
        let mut folders = std::collections::BTreeSet::from([dest.to_owned()]);
        for (done, listed) in self.manifest.files.iter().enumerate() {
            if stop_after == Some(done) {
                return Err(PackError::Simulated(super::error::FailurePoint::MidExtract));
            }
            let name = listed.path.as_str();
            let unpack = |reason: String| PackError::Unpack { name: name.to_owned(), reason };
            let target = dest.join(name);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).map_err(|e| PackError::io(parent, e))?;
                if durable {
                    folders
                        .extend(parent.ancestors().take_while(|a| a.starts_with(dest)).map(Path::to_owned));
                }
            }
            let index = self
                .archive
                .index_for_name(name)
                .ok_or_else(|| PackError::Missing { name: name.to_owned() })?;
            let mut entry = self.archive.by_index(index).map_err(|e| unpack(e.to_string()))?;
            let out = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&target)
                .map_err(|e| PackError::io(&target, e))?;
            let mut writer =
                HashingWriter { inner: out, hasher: Sha256::new(), written: 0, limit: listed.size };
            match copy_in_large_chunks(&mut entry, &mut writer) {
                Ok(_) => {}
                Err(_) if writer.over_limit() => {
                    return Err(unpack(format!(
                        "it unpacks to more than the {} bytes the manifest lists",
                        listed.size
                    )));
                }
                Err(e) => return Err(unpack(format!("the data is damaged ({e})"))),
            }
            if writer.written != listed.size {
                return Err(PackError::SizeMismatch {
                    name: name.to_owned(),
                    expected: listed.size,
                    found: writer.written,
                });
            }
            let digest: [u8; 32] = writer.hasher.finalize().into();
            if digest != listed.sha256.0 {
                return Err(PackError::HashMismatch { name: name.to_owned() });
            }
            check_image(name, &target)?;
            keep(writer.inner, &target);
            if let Some(progress) = progress {
                progress.advance();
            }
        }
        let Some(sync) = sync else { return Ok(()) };
        sync.finish()?;
        // Deepest first, so each folder is flushed after the folders it holds. Best effort, as
        // for the final rename: Windows cannot open a folder as a file (NTFS journals names).
        for folder in folders.iter().rev() {
            if let Ok(handle) = File::open(folder) {
                let _ = handle.sync_all();
            }
        }
        Ok(())
    }
}

/// Refuses images whose header announces more pixels than modules may use, before anything
/// decodes them.
fn check_image(name: &str, path: &Path) -> Result<(), PackError> {
    let lower = name.to_ascii_lowercase();
    if !(lower.ends_with(".png") || lower.ends_with(".jpg") || lower.ends_with(".jpeg")) {
        return Ok(());
    }
    let (width, height) =
        image_dimensions(path).map_err(|reason| PackError::BadImage { name: name.to_owned(), reason })?;
    if width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE {
        return Err(PackError::OversizedImage {
            name: name.to_owned(),
            width,
            height,
            limit: MAX_IMAGE_SIDE,
        });
    }
    Ok(())
}

fn write_new(path: &Path, bytes: &[u8]) -> Result<File, PackError> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| PackError::io(path, e))?;
    file.write_all(bytes).map_err(|e| PackError::io(path, e))?;
    Ok(file)
}

/// `io::copy` with a larger buffer: packs are mostly images of megabytes, and 8 KiB chunks
/// cost a system call each.
pub(crate) fn copy_in_large_chunks(reader: &mut impl Read, writer: &mut impl Write) -> io::Result<u64> {
    let mut buffer = vec![0u8; 256 * 1024];
    let mut copied = 0u64;
    loop {
        let n = match reader.read(&mut buffer) {
            Ok(0) => return Ok(copied),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        writer.write_all(buffer.get(..n).unwrap_or_default())?;
        copied += n as u64;
    }
}

/// Hashes what passes through and refuses to write more than `limit` bytes.
pub(crate) struct HashingWriter<W> {
    pub inner: W,
    pub hasher: Sha256,
    pub written: u64,
    pub limit: u64,
}

impl<W> HashingWriter<W> {
    fn over_limit(&self) -> bool {
        self.written > self.limit
    }
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let len = buf.len() as u64;
        if self.written.saturating_add(len) > self.limit {
            self.written = self.limit.saturating_add(1);
            return Err(io::Error::other("more data than the manifest lists"));
        }
        let n = self.inner.write(buf)?;
        let accepted = buf.get(..n).unwrap_or_default();
        self.hasher.update(accepted);
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

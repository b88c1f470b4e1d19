//! Image checks: the path stays inside the module folder, the file exists, decodes, and is not huge.

use std::cell::Cell;
use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::path::{Component, Path, PathBuf};

use sha2::{Digest, Sha256};

/// Largest width or height accepted for a module image, in pixels.
pub const MAX_IMAGE_SIDE: u32 = 4096;

/// Largest image file accepted, in bytes.
pub const MAX_IMAGE_BYTES: u64 = 8 * 1024 * 1024;

/// What one validation has learnt about its images: each file is read and hashed once (by its
/// resolved path), and each distinct content is decoded once (by its SHA-256). A module may
/// point 40,000 `Image` blocks at one 4096×4096 PNG; decoding it for every reference took 219 s
/// for 2,000 of them (issue 26), and now takes one decode.
#[derive(Default)]
pub(super) struct ImageChecks {
    by_written_path: HashMap<(PathBuf, String, bool), Result<(), String>>,
    by_path: HashMap<PathBuf, Result<(), String>>,
    by_content: HashMap<([u8; 32], bool), Result<(), String>>,
}

thread_local! {
    /// Images read by the decoder on this thread (headers or pixels), for tests and the bench.
    static DECODES: Cell<usize> = const { Cell::new(0) };
}

/// How many times the image decoder has read an image (its header or its pixels) on this
/// thread: validation runs on the caller's thread, so a test can count its own decodes.
pub fn image_decodes_on_this_thread() -> usize {
    DECODES.with(Cell::get)
}

fn count_decode() {
    DECODES.with(|d| d.set(d.get() + 1));
}

impl ImageChecks {
    /// Checks the image at `path` (relative to `module_dir`); the error says what is wrong.
    /// With `decode`, the pixels are decoded too, which finds damage past the header.
    pub(super) fn check(&mut self, module_dir: &Path, path: &str, decode: bool) -> Result<(), String> {
        // Resolving walks the path through the file system (a readlink per component): 40,000
        // references to one file spent most of a second there, so the written path is looked up
        // first.
        let written = (module_dir.to_path_buf(), path.to_owned(), decode);
        if let Some(known) = self.by_written_path.get(&written) {
            return known.clone();
        }
        let result = self.check_resolved(module_dir, path, decode);
        self.by_written_path.insert(written, result.clone());
        result
    }

    fn check_resolved(&mut self, module_dir: &Path, path: &str, decode: bool) -> Result<(), String> {
        let canonical = resolve(module_dir, path)?;
        if let Some(known) = self.by_path.get(&canonical) {
            return known.clone();
        }
        let result = self.check_file(&canonical, decode);
        self.by_path.insert(canonical, result.clone());
        result
    }

    fn check_file(&mut self, canonical: &Path, decode: bool) -> Result<(), String> {
        let bytes = read_regular_file(canonical)?;
        let hash: [u8; 32] = Sha256::digest(&bytes).into();
        if let Some(known) = self.by_content.get(&(hash, decode)) {
            return known.clone();
        }
        let result = check_bytes(&bytes, decode);
        self.by_content.insert((hash, decode), result.clone());
        result
    }
}

/// An image file read for embedding in something Faro writes (the review copy), after the same
/// checks as validation with the pixels decoded: the bytes, and their MIME type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedImage {
    pub bytes: Vec<u8>,
    /// `image/png` or `image/jpeg`.
    pub mime: &'static str,
}

/// Reads the image at `path` (relative to `module_dir`) as validation checks it (inside the
/// folder, a regular file, at most [`MAX_IMAGE_BYTES`] and [`MAX_IMAGE_SIDE`], decodable); the
/// error says why it may not be used.
pub fn read_checked_image(module_dir: &Path, path: &str) -> Result<CheckedImage, String> {
    let bytes = read_regular_file(&resolve(module_dir, path)?)?;
    check_bytes(&bytes, true)?;
    let mime = match image::guess_format(&bytes) {
        Ok(image::ImageFormat::Png) => "image/png",
        Ok(image::ImageFormat::Jpeg) => "image/jpeg",
        _ => return Err("not a PNG or JPEG image".to_owned()),
    };
    Ok(CheckedImage { bytes, mime })
}

/// The bytes of a regular file of at most [`MAX_IMAGE_BYTES`].
fn read_regular_file(canonical: &Path) -> Result<Vec<u8>, String> {
    let meta = std::fs::metadata(canonical).map_err(|e| e.to_string())?;
    // A FIFO or device named like an image would block the read, or never end.
    if !meta.is_file() {
        return Err("this is not a regular file".to_owned());
    }
    let size = meta.len();
    if size > MAX_IMAGE_BYTES {
        return Err(format!(
            "the file is {} MiB; the limit is {} MiB",
            size / (1024 * 1024),
            MAX_IMAGE_BYTES / (1024 * 1024)
        ));
    }
    read_capped(canonical)
}

/// The resolved path of `path` inside `module_dir`, or why it may not be used.
fn resolve(module_dir: &Path, path: &str) -> Result<PathBuf, String> {
    let relative = Path::new(path);
    if path.is_empty() {
        return Err("the path is empty".to_owned());
    }
    if relative.is_absolute() || path.starts_with('/') || path.starts_with('\\') {
        return Err("absolute paths are not allowed; use a path inside the module folder".to_owned());
    }
    if relative.components().any(|c| !matches!(c, Component::Normal(_) | Component::CurDir)) {
        return Err("the path leaves the module folder (\"..\" is not allowed)".to_owned());
    }
    let full = module_dir.join(relative);
    let meta = std::fs::symlink_metadata(&full).map_err(|_| "file not found".to_owned())?;
    let canonical_dir =
        module_dir.canonicalize().map_err(|e| format!("cannot resolve the module folder: {e}"))?;
    let canonical = full.canonicalize().map_err(|e| format!("cannot resolve the path: {e}"))?;
    if !canonical.starts_with(&canonical_dir) {
        return Err("the path leads outside the module folder through a symbolic link".to_owned());
    }
    if meta.is_dir() {
        return Err("this is a folder, not an image file".to_owned());
    }
    Ok(canonical)
}

/// The file's bytes, at most [`MAX_IMAGE_BYTES`] of them (it may have grown since it was sized).
fn read_capped(path: &Path) -> Result<Vec<u8>, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("cannot open: {e}"))?;
    let mut bytes = Vec::new();
    file.take(MAX_IMAGE_BYTES + 1).read_to_end(&mut bytes).map_err(|e| format!("cannot read: {e}"))?;
    if bytes.len() as u64 > MAX_IMAGE_BYTES {
        return Err(format!("the file is larger than the limit of {} MiB", MAX_IMAGE_BYTES / (1024 * 1024)));
    }
    Ok(bytes)
}

/// The header's size, and with `decode` the pixels, of an image held in memory.
fn check_bytes(bytes: &[u8], decode: bool) -> Result<(), String> {
    let reader = || {
        image::ImageReader::new(Cursor::new(bytes))
            .with_guessed_format()
            .map_err(|e| format!("cannot read: {e}"))
    };
    count_decode();
    let (width, height) =
        reader()?.into_dimensions().map_err(|e| format!("not a readable PNG or JPEG image: {e}"))?;
    if width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE {
        return Err(format!(
            "{width}×{height} pixels is too large; the limit is {MAX_IMAGE_SIDE}×{MAX_IMAGE_SIDE}"
        ));
    }
    if decode {
        count_decode();
        let mut reader = reader()?;
        reader.limits(decode_limits());
        reader.decode().map_err(|e| format!("the image cannot be decoded (damaged or unsupported): {e}"))?;
    }
    Ok(())
}

/// Width and height from the file header, without decoding pixels.
pub fn image_dimensions(path: &Path) -> Result<(u32, u32), String> {
    image::ImageReader::open(path)
        .map_err(|e| format!("cannot open: {e}"))?
        .with_guessed_format()
        .map_err(|e| format!("cannot read: {e}"))?
        .into_dimensions()
        .map_err(|e| format!("not a readable PNG or JPEG image: {e}"))
}

/// Decodes an image whose header has been checked, with the decoder's own memory limits.
pub fn decode_image(path: &Path) -> Result<image::DynamicImage, String> {
    let mut reader = image::ImageReader::open(path)
        .map_err(|e| format!("cannot open: {e}"))?
        .with_guessed_format()
        .map_err(|e| format!("cannot read: {e}"))?;
    reader.limits(decode_limits());
    reader.decode().map_err(|e| format!("the image cannot be decoded (damaged or unsupported): {e}"))
}

/// The decoder's memory limits: the largest accepted image, and a little for the decoder.
fn decode_limits() -> image::Limits {
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_IMAGE_SIDE);
    limits.max_image_height = Some(MAX_IMAGE_SIDE);
    limits.max_alloc = Some(u64::from(MAX_IMAGE_SIDE) * u64::from(MAX_IMAGE_SIDE) * 4 + 1024 * 1024);
    limits
}

//! Image checks: the path stays inside the module folder, the file exists, decodes, and is not huge.

use std::path::{Component, Path};

/// Largest width or height accepted for a module image, in pixels.
pub const MAX_IMAGE_SIDE: u32 = 4096;

/// Largest image file accepted, in bytes.
pub const MAX_IMAGE_BYTES: u64 = 8 * 1024 * 1024;

/// Checks the image at `path` (relative to `module_dir`); the error says what is wrong.
/// With `decode`, the pixels are decoded too, which finds damage past the header.
pub fn check_image(module_dir: &Path, path: &str, decode: bool) -> Result<(), String> {
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
    let size = std::fs::metadata(&canonical).map_err(|e| e.to_string())?.len();
    if size > MAX_IMAGE_BYTES {
        return Err(format!(
            "the file is {} MiB; the limit is {} MiB",
            size / (1024 * 1024),
            MAX_IMAGE_BYTES / (1024 * 1024)
        ));
    }
    let (width, height) = image_dimensions(&canonical)?;
    if width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE {
        return Err(format!(
            "{width}×{height} pixels is too large; the limit is {MAX_IMAGE_SIDE}×{MAX_IMAGE_SIDE}"
        ));
    }
    if decode {
        decode_image(&canonical)?;
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
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_IMAGE_SIDE);
    limits.max_image_height = Some(MAX_IMAGE_SIDE);
    limits.max_alloc = Some(u64::from(MAX_IMAGE_SIDE) * u64::from(MAX_IMAGE_SIDE) * 4 + 1024 * 1024);
    reader.limits(limits);
    reader.decode().map_err(|e| format!("the image cannot be decoded (damaged or unsupported): {e}"))
}

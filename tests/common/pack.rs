//! Helpers shared by the pack tests (`use common::pack::*;`): keys, small module
//! folders, packs built through the library, and hand-made zips for hostile inputs.

use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};

use faro::pack::{self, BuildOptions, PackId, SigningKey};
use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

/// Runs the `faro` binary with `FARO_DATA_DIR` set and no terminal on stdin.
pub fn faro(data: &Path, args: &[&str]) -> super::cli::Ran {
    super::cli::faro_with(Some(data), None, args)
}

pub use super::copy_dir;

/// Two small valid modules, `alpha` (id minimal-example) and `beta` (id minimal-beta), in `root`.
pub fn two_modules(root: &Path) -> Vec<PathBuf> {
    let alpha = root.join("alpha");
    let beta = root.join("beta");
    copy_dir(Path::new("tests/fixtures/good/minimal"), &alpha);
    copy_dir(Path::new("tests/fixtures/good/minimal"), &beta);
    let file = beta.join("module.ron");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replacen("id: \"minimal-example\"", "id: \"minimal-beta\"", 1)).unwrap();
    vec![alpha, beta]
}

/// Changes a module's content (its English title) so its hashes differ.
pub fn edit_module(dir: &Path) {
    let file = dir.join("module.ron");
    let text = std::fs::read_to_string(&file).unwrap();
    let edited = text.replacen("\"A minimal example\"", "\"A minimal example, revised\"", 1);
    assert_ne!(text, edited);
    std::fs::write(&file, edited).unwrap();
}

/// Build options for pack `id` at `version`.
pub fn options(id: &str, version: &str) -> BuildOptions {
    BuildOptions {
        id: PackId::new(id).unwrap(),
        version: semver::Version::parse(version).unwrap(),
        title: format!("Pack {id}"),
        publisher: "Test publisher".to_owned(),
        created: chrono::Utc::now(),
    }
}

/// Builds a pack through the library.
pub fn build(dirs: &[PathBuf], key: &SigningKey, id: &str, version: &str, out: &Path) {
    pack::build(dirs, key, &options(id, version), out).unwrap();
}

/// Every entry of a zip, in order, as (name bytes, contents).
pub fn entries(pack: &Path) -> Vec<(Vec<u8>, Vec<u8>)> {
    let mut archive = ZipArchive::new(std::fs::File::open(pack).unwrap()).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut f = archive.by_index(i).unwrap();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            (f.name_raw().to_vec(), data)
        })
        .collect()
}

/// The options `faro pack build` uses, so hand-made packs pass the layout check.
pub fn canonical(name: &str) -> SimpleFileOptions {
    let method = if name.ends_with(".png") { CompressionMethod::Stored } else { CompressionMethod::Deflated };
    SimpleFileOptions::default().compression_method(method).unix_permissions(0o644)
}

/// Writes a zip with canonical options from (name, contents).
pub fn write_zip(out: &Path, files: &[(String, Vec<u8>)]) {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in files {
        zip.start_file(name.as_str(), canonical(name)).unwrap();
        zip.write_all(data).unwrap();
    }
    std::fs::write(out, zip.finish().unwrap().into_inner()).unwrap();
}

/// Rewrites a pack's entries (keeping its signed manifest) after `edit` changes the list.
pub fn repack(src: &Path, dst: &Path, edit: impl FnOnce(&mut Vec<(String, Vec<u8>)>)) {
    let mut files: Vec<(String, Vec<u8>)> =
        entries(src).into_iter().map(|(n, d)| (String::from_utf8(n).unwrap(), d)).collect();
    edit(&mut files);
    write_zip(dst, &files);
}

/// Writes a pack of the given module files with a correct manifest signed by `key`, without
/// validating anything: for contents `faro pack build` would refuse.
pub fn signed_pack(out: &Path, key: &SigningKey, modules: &[(&str, &str)], files: &[(String, Vec<u8>)]) {
    let manifest = pack::Manifest {
        format: pack::MANIFEST_FORMAT,
        id: PackId::new("crafted").unwrap(),
        version: semver::Version::new(1, 0, 0),
        title: "Crafted".to_owned(),
        publisher: "Test publisher".to_owned(),
        created: chrono::Utc::now(),
        modules: modules
            .iter()
            .map(|(dir, id)| pack::ManifestModule {
                dir: (*dir).to_owned(),
                id: (*id).to_owned(),
                version: semver::Version::new(1, 0, 0),
            })
            .collect(),
        files: files
            .iter()
            .map(|(name, data)| pack::ManifestFile {
                path: name.clone(),
                size: data.len() as u64,
                sha256: pack::Sha256Hash(Sha256::digest(data).into()),
            })
            .collect(),
    };
    let text = manifest.to_text().unwrap();
    let sig = pack::PackSignature::create(key, text.as_bytes()).to_text().unwrap();
    let mut all = files.to_vec();
    all.push((pack::MANIFEST_NAME.to_owned(), text.into_bytes()));
    all.push((pack::SIGNATURE_NAME.to_owned(), sig.into_bytes()));
    write_zip(out, &all);
}

/// The files of a module folder as pack entries under `modules/<dir>/`.
pub fn module_files(src: &Path, dir: &str) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![src.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(src).unwrap().to_string_lossy().replace('\\', "/");
                out.push((format!("modules/{dir}/{rel}"), std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// A PNG header (signature and IHDR) announcing `width`×`height` pixels, with no pixel data.
pub fn png_header(width: u32, height: u32) -> Vec<u8> {
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend(width.to_be_bytes());
    ihdr.extend(height.to_be_bytes());
    ihdr.extend([8, 6, 0, 0, 0]);
    let mut out = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];
    push_chunk(&mut out, ihdr);
    // A decoder reads up to the first data chunk before it reports the size.
    push_chunk(&mut out, b"IDAT".to_vec());
    push_chunk(&mut out, b"IEND".to_vec());
    out
}

fn push_chunk(out: &mut Vec<u8>, kind_and_data: Vec<u8>) {
    out.extend((kind_and_data.len() as u32 - 4).to_be_bytes());
    out.extend(&kind_and_data);
    out.extend(crc32(&kind_and_data).to_be_bytes());
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xedb8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

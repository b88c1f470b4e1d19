//! Hostile and damaged packs: each is refused with an error naming the problem, before anything
//! is written outside a temporary folder, and quickly.

use crate::common;

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::pack::*;
use faro::pack::{self, PackError};
use sha2::Digest;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// A valid one-module pack in `dir`, and the key that signed it.
fn valid_pack(dir: &Path) -> (PathBuf, pack::SigningKey) {
    let key = pack::generate_key().unwrap();
    let module = dir.join("alpha");
    copy_dir(Path::new("tests/fixtures/good/minimal"), &module);
    let out = dir.join("valid.faropack");
    build(&[module], &key, "hostile", "1.0.0", &out);
    (out, key)
}

/// The valid pack's entries plus one written with `add` (any options, any name).
fn with_extra_entry(dir: &Path, add: impl FnOnce(&mut ZipWriter<Cursor<Vec<u8>>>)) -> PathBuf {
    let (valid, _) = valid_pack(dir);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in entries(&valid) {
        let name = String::from_utf8(name).unwrap();
        zip.start_file(name.as_str(), canonical(&name)).unwrap();
        zip.write_all(&data).unwrap();
    }
    add(&mut zip);
    let out = dir.join("hostile.faropack");
    std::fs::write(&out, zip.finish().unwrap().into_inner()).unwrap();
    out
}

fn refused(path: &Path) -> PackError {
    let started = Instant::now();
    let err = pack::verify(path, None).expect_err("the pack must be refused");
    assert!(started.elapsed() < Duration::from_secs(2), "refusal took {:?}", started.elapsed());
    err
}

#[test]
fn zip_slip_entries_are_refused_and_nothing_lands_outside() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["../evil.txt", "modules/alpha/../../../evil.txt", "..\\evil.txt"] {
        let pack = with_extra_entry(dir.path(), |zip| {
            zip.start_file(name, canonical(name)).unwrap();
            zip.write_all(b"owned").unwrap();
        });
        let err = refused(&pack);
        assert!(matches!(err, PackError::UnsafePath { .. }), "{name}: {err}");
        assert!(err.to_string().contains("evil.txt"), "the message names the entry: {err}");
    }
    assert!(!dir.path().parent().unwrap().join("evil.txt").exists());
}

#[test]
fn absolute_paths_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["/tmp/faro-evil.txt", "C:/evil.txt"] {
        let pack = with_extra_entry(dir.path(), |zip| {
            zip.start_file(name, canonical(name)).unwrap();
            zip.write_all(b"owned").unwrap();
        });
        let err = refused(&pack);
        assert!(matches!(err, PackError::UnsafePath { reason: "it is an absolute path", .. }), "{err}");
    }
}

#[test]
fn symlink_entries_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let pack = with_extra_entry(dir.path(), |zip| {
        zip.add_symlink("modules/alpha/images/link.png", "/etc/passwd", SimpleFileOptions::default())
            .unwrap();
    });
    let err = refused(&pack);
    assert!(matches!(&err, PackError::Symlink { name } if name == "modules/alpha/images/link.png"), "{err}");
}

#[test]
fn zip_bombs_are_refused_before_unpacking() {
    let dir = tempfile::tempdir().unwrap();
    let zeros = vec![0u8; 16 * 1024 * 1024];
    let pack = with_extra_entry(dir.path(), |zip| {
        let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
        zip.start_file("modules/alpha/bomb.txt", options.unix_permissions(0o644)).unwrap();
        zip.write_all(&zeros).unwrap();
    });
    assert!(std::fs::metadata(&pack).unwrap().len() < 200 * 1024);
    let err = refused(&pack);
    assert!(matches!(&err, PackError::ZipBomb { name, .. } if name == "modules/alpha/bomb.txt"), "{err}");
    assert!(err.to_string().contains("zip bomb"), "{err}");
}

#[test]
fn oversized_images_are_refused_from_their_header() {
    let dir = tempfile::tempdir().unwrap();
    let key = pack::generate_key().unwrap();
    let mut files = module_files(Path::new("tests/fixtures/good/minimal"), "alpha");
    files.push(("modules/alpha/images/huge.png".to_owned(), png_header(30_000, 30_000)));
    let out = dir.path().join("huge.faropack");
    signed_pack(&out, &key, &[("alpha", "minimal-example")], &files);
    let err = refused(&out);
    assert!(
        matches!(&err, PackError::OversizedImage { name, width: 30_000, height: 30_000, .. }
            if name == "modules/alpha/images/huge.png"),
        "{err}"
    );
}

/// Issue 17: verify decodes images as `faro validate` does, so a correctly signed pack whose image
/// is damaged (cut short, or its data after the header replaced by noise) is refused, not installed.
#[test]
fn damaged_images_are_refused_by_verify() {
    let figure = std::fs::read("tests/fixtures/good/minimal/images/figure.png").unwrap();
    let cut = figure[..figure.len() / 2].to_vec();
    let mut noise = figure.clone();
    // Keep the PNG signature and the IHDR chunk (33 bytes), so the header check still passes.
    for (i, b) in noise.iter_mut().enumerate().skip(33) {
        *b = (i as u8).wrapping_mul(167) ^ 0x5a;
    }
    for (what, bytes) in [("cut short", cut), ("noise", noise)] {
        let dir = tempfile::tempdir().unwrap();
        let key = pack::generate_key().unwrap();
        let mut files = module_files(Path::new("tests/fixtures/good/minimal"), "alpha");
        for (name, data) in &mut files {
            if name.ends_with("images/figure.png") {
                data.clone_from(&bytes);
            }
        }
        let out = dir.path().join("damaged.faropack");
        signed_pack(&out, &key, &[("alpha", "minimal-example")], &files);
        let err = refused(&out);
        // Noise is caught by the header check while unpacking, a cut image by decoding it.
        let said = match &err {
            PackError::InvalidModules { diagnostics } => {
                diagnostics.iter().filter(|d| d.is_error()).map(|d| d.message.clone()).collect()
            }
            other => other.to_string(),
        };
        assert!(said.contains("images/figure.png"), "{what}: {said}");
    }
}

#[test]
fn a_hundred_thousand_entries_are_refused_fast_by_the_file_count_cap() {
    let dir = tempfile::tempdir().unwrap();
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    for i in 0..100_000 {
        zip.start_file(format!("modules/m/{i}"), options).unwrap();
    }
    let out = dir.path().join("many.faropack");
    std::fs::write(&out, zip.finish().unwrap().into_inner()).unwrap();
    let started = Instant::now();
    let err = pack::verify(&out, None).expect_err("refused");
    let elapsed = started.elapsed();
    eprintln!("100,000-entry zip refused in {elapsed:?}");
    assert!(matches!(err, PackError::TooManyFiles { count: 100_000, limit: 10_000 }), "{err}");
    assert!(elapsed < Duration::from_millis(200), "refused in {elapsed:?}");
}

#[test]
fn non_utf8_entry_names_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let pack = with_extra_entry(dir.path(), |zip| {
        let name: &[u8] = b"modules/alpha/\xff\xfe.txt";
        zip.start_file_with_options(canonical("x.txt").name(name)).unwrap();
        zip.write_all(b"x").unwrap();
    });
    let err = refused(&pack);
    assert!(matches!(err, PackError::NonUtf8Name { .. }), "{err}");
}

#[test]
fn duplicate_names_are_refused_even_when_only_case_differs() {
    let dir = tempfile::tempdir().unwrap();
    let pack = with_extra_entry(dir.path(), |zip| {
        zip.start_file("modules/alpha/MODULE.ron", canonical("MODULE.ron")).unwrap();
        zip.write_all(b"()").unwrap();
    });
    let err = refused(&pack);
    assert!(
        matches!(&err, PackError::DuplicateEntry { name } if name == "modules/alpha/MODULE.ron"),
        "{err}"
    );

    // Exact duplicates cannot be written by the zip library, so rename an entry in place.
    let pack = with_extra_entry(dir.path(), |zip| {
        zip.start_file("modules/alpha/modulX.ron", canonical("m.ron")).unwrap();
        zip.write_all(b"()").unwrap();
    });
    let bytes = std::fs::read(&pack).unwrap();
    let patched = replace_all(&bytes, b"modules/alpha/modulX.ron", b"modules/alpha/module.ron");
    std::fs::write(&pack, patched).unwrap();
    let err = refused(&pack);
    assert!(
        matches!(&err, PackError::DuplicateEntry { name } if name == "modules/alpha/module.ron"),
        "{err}"
    );
}

#[test]
fn entries_outside_the_manifest_and_missing_entries_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let (valid, _) = valid_pack(dir.path());
    let extra = dir.path().join("extra.faropack");
    repack(&valid, &extra, |files| files.push(("modules/alpha/notes.txt".to_owned(), b"hi".to_vec())));
    let err = refused(&extra);
    assert!(matches!(&err, PackError::Unlisted { name } if name == "modules/alpha/notes.txt"), "{err}");

    let fewer = dir.path().join("fewer.faropack");
    repack(&valid, &fewer, |files| files.retain(|(n, _)| !n.ends_with(".png")));
    let err = refused(&fewer);
    assert!(
        matches!(&err, PackError::Missing { name } if name == "modules/alpha/images/figure.png"),
        "{err}"
    );
}

#[test]
fn every_flipped_byte_is_noticed() {
    let dir = tempfile::tempdir().unwrap();
    let (valid, _) = valid_pack(dir.path());
    let bytes = std::fs::read(&valid).unwrap();
    // Module file contents are covered by SHA-256, so a sample of them is enough (each costs an
    // unpack); every other byte (headers, central directory, manifest, signature) is flipped.
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&valid).unwrap()).unwrap();
    let mut module_data = Vec::new();
    for i in 0..archive.len() {
        let f = archive.by_index(i).unwrap();
        if f.name().unwrap().starts_with("modules/") {
            let start = f.data_start().unwrap() as usize;
            module_data.push(start..start + f.compressed_size() as usize);
        }
    }
    let started = Instant::now();
    let mut checked = 0;
    for at in 0..bytes.len() {
        if module_data.iter().any(|r| r.contains(&at)) && at % 127 != 0 {
            continue;
        }
        let mut damaged = bytes.clone();
        damaged[at] ^= 0xff;
        // A new file each time: rewriting one file in place makes some file systems flush it.
        let target = dir.path().join(format!("flipped-{at}.faropack"));
        std::fs::write(&target, &damaged).unwrap();
        if let Ok(p) = pack::verify(&target, None) {
            panic!("flipping byte {at} of {} went unnoticed ({})", bytes.len(), p.manifest.id);
        }
        std::fs::remove_file(&target).unwrap();
        checked += 1;
    }
    eprintln!("{checked} of {} positions flipped and refused in {:?}", bytes.len(), started.elapsed());
}

#[test]
fn ten_mb_ron_manifest_is_refused_by_its_size_cap() {
    // A well-formed, correctly signed manifest listing 55,000 files (each with its size and
    // hash, as `faro pack build` writes them): about 10 MB of RON.
    let dir = tempfile::tempdir().unwrap();
    let key = pack::generate_key().unwrap();
    let files = module_files(Path::new("tests/fixtures/good/minimal"), "alpha");
    let mut manifest = pack::Manifest {
        format: pack::MANIFEST_FORMAT,
        id: pack::PackId::new("ten-mb").unwrap(),
        version: semver::Version::new(1, 0, 0),
        title: "Ten megabytes of manifest".to_owned(),
        publisher: "Test publisher".to_owned(),
        created: chrono::Utc::now(),
        modules: vec![pack::ManifestModule {
            dir: "alpha".to_owned(),
            id: "minimal-example".to_owned(),
            version: semver::Version::new(1, 0, 0),
        }],
        files: Vec::new(),
    };
    let listed = files.iter().map(|(name, data)| (name.clone(), data.clone()));
    let padding =
        (0..55_000).map(|i| (format!("modules/alpha/pages/page-{i:05}.md"), i.to_string().into_bytes()));
    for (path, data) in listed.chain(padding) {
        let sha256 = pack::Sha256Hash(sha2::Sha256::digest(&data).into());
        manifest.files.push(pack::ManifestFile { path, size: data.len() as u64, sha256 });
    }
    let text = manifest.to_text().unwrap();
    assert!(text.len() >= 10_000_000, "the manifest is {} bytes", text.len());
    let signature = pack::PackSignature::create(&key, text.as_bytes()).to_text().unwrap();
    let mut entries = files;
    entries.push((pack::MANIFEST_NAME.to_owned(), text.into_bytes()));
    entries.push((pack::SIGNATURE_NAME.to_owned(), signature.into_bytes()));
    let out = dir.path().join("ten-mb.faropack");
    write_zip(&out, &entries);

    let limit = format!("larger than {} bytes", pack::MAX_MANIFEST_BYTES);
    let is_cap = |err: &PackError| match err {
        PackError::Unpack { name, reason } => name == pack::MANIFEST_NAME && reason.contains(&limit),
        _ => false,
    };
    let err = refused(&out);
    assert!(is_cap(&err), "{err}");
    assert!(err.to_string().contains("faro-pack.ron"), "the message names the manifest: {err}");
    // Showing the pack before asking to trust it, and installing it, stop at the same cap.
    let err = pack::read_signed(&out).expect_err("refused");
    assert!(is_cap(&err), "{err}");
    let data = faro::data::DataDir::at(dir.path().join("data"));
    let trust = pack::TrustDecision::Trust(key.verifying_key());
    let err = pack::install(&data, &out, trust, &pack::InstallOptions::default()).expect_err("refused");
    assert!(is_cap(&err), "{err}");
    assert!(pack::installed(&data).is_empty(), "nothing was installed");
}

fn replace_all(haystack: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = haystack.to_vec();
    let mut i = 0;
    while i + from.len() <= out.len() {
        if &out[i..i + from.len()] == from {
            out[i..i + from.len()].copy_from_slice(to);
            i += from.len();
        } else {
            i += 1;
        }
    }
    out
}

/// A FIFO named like an image in a module folder (issue 26, item 3d): `pack build` names it and
/// refuses the pack, and never opens it (opening a FIFO waits for a writer forever).
#[cfg(unix)]
#[test]
fn a_fifo_named_like_an_image_is_refused_by_pack_build_without_hanging() {
    let dir = tempfile::tempdir().unwrap();
    let module = dir.path().join("fifo");
    common::copy_dir(Path::new("tests/fixtures/good/minimal"), &module);
    let figure = module.join("images/figure.png");
    std::fs::remove_file(&figure).unwrap();
    assert!(std::process::Command::new("mkfifo").arg(&figure).status().unwrap().success());
    let key = pack::generate_key().unwrap();
    let out = dir.path().join("fifo.faropack");
    let refused = pack::build(&[module], &key, &options("fifo", "1.0.0"), &out).unwrap_err();
    let message = refused.to_string();
    assert!(message.contains("figure.png") && message.contains("regular file"), "{message}");
    assert!(!out.exists(), "no pack is left behind");
}

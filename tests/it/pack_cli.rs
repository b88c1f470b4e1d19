//! `faro pack` as a coordinator uses it: keygen, build, verify and install, with exit codes.

use crate::common;

use std::path::{Path, PathBuf};

use common::pack::*;

/// A temporary folder with a key pair made by `faro pack keygen`.
struct Keys {
    dir: tempfile::TempDir,
}

impl Keys {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let (code, stdout, stderr) =
            faro(dir.path(), &["pack", "keygen", "--out", &path(&dir.path().join("keys"))]);
        assert_eq!(code, 0, "{stdout}{stderr}");
        assert!(stdout.contains("fingerprint: "), "{stdout}");
        Self { dir }
    }
    fn secret(&self) -> String {
        path(&self.dir.path().join("keys/faro-publisher.key"))
    }
    fn public(&self) -> String {
        path(&self.dir.path().join("keys/faro-publisher.pub"))
    }
}

fn path(p: &Path) -> String {
    p.to_str().unwrap().to_owned()
}

fn bundled_modules() -> Vec<String> {
    let mut dirs: Vec<String> = std::fs::read_dir("modules")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("module.ron").is_file())
        .map(|p| path(&p))
        .collect();
    dirs.sort();
    assert_eq!(dirs.len(), 7);
    dirs
}

/// Builds the bundled modules into `out` with the CLI.
fn build_bundled(keys: &Keys, out: &Path, extra: &[&str]) {
    let mut args = vec!["pack".to_owned(), "build".to_owned()];
    args.extend(bundled_modules());
    args.extend(["--key".to_owned(), keys.secret(), "--out".to_owned(), path(out)]);
    args.extend(extra.iter().map(|s| (*s).to_owned()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, stdout, stderr) = faro(keys.dir.path(), &args);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("7 module(s)"), "{stdout}");
}

#[test]
fn keygen_build_verify_round_trip_on_the_bundled_modules() {
    let keys = Keys::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(keys.secret()).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the secret key is owner-only");
    }
    let out = keys.dir.path().join("border-basics.faropack");
    build_bundled(&keys, &out, &["--title", "Border basics", "--publisher", "Faro project"]);
    let (code, stdout, stderr) =
        faro(keys.dir.path(), &["pack", "verify", &path(&out), "--trust", &keys.public()]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains("sound. Pack border-basics 1.0.0 \"Border basics\" by \"Faro project\""),
        "{stdout}"
    );
    let (code, stdout, _) = faro(keys.dir.path(), &["pack", "verify", &path(&out)]);
    assert_eq!(code, 0);
    assert!(stdout.contains("without --trust"), "{stdout}");
}

#[test]
fn tampered_packs_fail_verification_naming_the_problem() {
    let keys = Keys::new();
    let out = keys.dir.path().join("border-basics.faropack");
    build_bundled(&keys, &out, &[]);
    let verify = |file: &Path, trust: &str| {
        let (code, _, stderr) = faro(keys.dir.path(), &["pack", "verify", &path(file), "--trust", trust]);
        assert_eq!(code, 1, "{stderr}");
        stderr
    };

    // A flipped byte inside a module file.
    let bytes = std::fs::read(&out).unwrap();
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
    let data_start = |archive: &mut zip::ZipArchive<std::fs::File>, name: &str| {
        archive.by_name(name).unwrap().data_start().unwrap() as usize
    };
    let at = data_start(&mut archive, "modules/03-online-grooming/module.ron") + 100;
    let mut damaged = bytes.clone();
    damaged[at] ^= 0x01;
    let flipped = keys.dir.path().join("flipped.faropack");
    std::fs::write(&flipped, damaged).unwrap();
    let stderr = verify(&flipped, &keys.public());
    assert!(stderr.contains("modules/03-online-grooming/module.ron"), "{stderr}");

    // A flipped byte in the signed manifest.
    let manifest_at = data_start(&mut archive, "faro-pack.ron") + 10;
    let mut damaged = bytes.clone();
    damaged[manifest_at] ^= 0x01;
    std::fs::write(&flipped, damaged).unwrap();
    let stderr = verify(&flipped, &keys.public());
    assert!(stderr.contains("faro-pack.ron") || stderr.contains("signature"), "{stderr}");

    // An added file and a removed file.
    let added = keys.dir.path().join("added.faropack");
    repack(&out, &added, |f| f.push(("modules/01-what-is-trafficking/extra.txt".into(), b"x".to_vec())));
    let stderr = verify(&added, &keys.public());
    assert!(
        stderr.contains("\"modules/01-what-is-trafficking/extra.txt\", which its manifest does not list"),
        "{stderr}"
    );
    let removed = keys.dir.path().join("removed.faropack");
    repack(&out, &removed, |f| f.retain(|(n, _)| n != "modules/02-recognizing-indicators/module.ron"));
    let stderr = verify(&removed, &keys.public());
    assert!(
        stderr.contains(
            "lists \"modules/02-recognizing-indicators/module.ron\", but the pack does not hold it"
        )
    );

    // Signed with another key.
    let other = Keys::new();
    let stderr = verify(&out, &other.public());
    assert!(stderr.contains("not by the trusted key"), "{stderr}");
}

#[test]
fn build_refuses_invalid_modules_and_prints_the_diagnostics() {
    let keys = Keys::new();
    let out = keys.dir.path().join("bad.faropack");
    let (code, stdout, stderr) = faro(
        keys.dir.path(),
        &["pack", "build", "tests/fixtures/bad/broken-graph", "--key", &keys.secret(), "--out", &path(&out)],
    );
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stdout.starts_with("tests/fixtures/bad/broken-graph/module.ron:"), "{stdout}");
    assert!(stderr.contains("error(s) in the modules"), "{stderr}");
    assert!(!out.exists());
}

#[test]
fn install_asks_for_trust_once_then_guards_the_pack_id() {
    let keys = Keys::new();
    let data = keys.dir.path().join("data");
    let v1 = keys.dir.path().join("border-basics.faropack");
    build_bundled(&keys, &v1, &[]);

    // The bundled modules themselves: refused unless the replacement is asked for.
    let (code, _, stderr) = faro(&data, &["pack", "install", &path(&v1), "--yes"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("--replace-bundled"), "{stderr}");
    assert!(!data.join("packs").exists(), "nothing was written");

    // No terminal and no --trust/--yes: refused, nothing installed.
    let (code, _, stderr) = faro(&data, &["pack", "install", &path(&v1), "--replace-bundled"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("not trusted yet") && stderr.contains("--trust"), "{stderr}");
    assert!(!data.join("packs/border-basics").exists());

    let (code, stdout, stderr) =
        faro(&data, &["pack", "install", &path(&v1), "--trust", &keys.public(), "--replace-bundled"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("installed pack border-basics 1.0.0"), "{stdout}");
    assert!(data.join("trusted-publishers.ron").is_file());

    // A later pack from the same publisher installs without asking.
    let v2 = keys.dir.path().join("v2.faropack");
    build_bundled(&keys, &v2, &["--id", "border-basics", "--version", "1.1.0"]);
    let (code, stdout, stderr) = faro(&data, &["pack", "install", &path(&v2), "--replace-bundled"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("updated pack border-basics from 1.0.0 to 1.1.0"), "{stdout}");
    assert!(stdout.contains("unchanged modules: what-is-trafficking"), "{stdout}");

    // The older version is refused unless asked for.
    let (code, _, stderr) = faro(&data, &["pack", "install", &path(&v1), "--replace-bundled"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("older") && stderr.contains("--allow-downgrade"), "{stderr}");

    // Another key for the same pack id is refused, even with --yes, and before anything else.
    let intruder = Keys::new();
    let fake = intruder.dir.path().join("border-basics.faropack");
    build_bundled(&intruder, &fake, &["--version", "2.0.0"]);
    let (code, _, stderr) = faro(&data, &["pack", "install", &path(&fake), "--yes"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("WARNING") && stderr.contains("border-basics"), "{stderr}");

    let (code, stdout, _) = faro(&data, &["pack", "list"]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("border-basics 1.1.0"), "{stdout}");
    let (code, stdout, _) = faro(&data, &["pack", "remove", "border-basics"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(!data.join("packs/border-basics").exists());
}

/// A pack carrying a module with a bundled module's id: refused, naming the module and the
/// consequence, unless `--replace-bundled`; then the output and `pack list` say what it replaces.
#[test]
fn replacing_a_bundled_module_needs_replace_bundled() {
    let keys = Keys::new();
    let data = keys.dir.path().join("data");
    let out = keys.dir.path().join("ours.faropack");
    let (code, stdout, stderr) = faro(
        keys.dir.path(),
        &[
            "pack",
            "build",
            "modules/01-what-is-trafficking",
            "--key",
            &keys.secret(),
            "--out",
            &path(&out),
            "--publisher",
            "Other org",
        ],
    );
    assert_eq!(code, 0, "{stdout}{stderr}");

    let (code, stdout, stderr) = faro(&data, &["pack", "install", &path(&out), "--yes"]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    for expected in [
        "\u{201c}What trafficking is\u{201d} (what-is-trafficking), which Faro already bundles",
        "--replace-bundled",
        "progress and completion records for that module will then refer to the publisher's content",
    ] {
        assert!(stderr.contains(expected), "{expected:?} in {stderr}");
    }
    // The CLI makes sure the data folder can be written, and leaves it empty.
    assert_eq!(std::fs::read_dir(&data).unwrap().count(), 0, "refused before anything was written");

    let (code, stdout, stderr) = faro(&data, &["pack", "install", &path(&out), "--yes", "--replace-bundled"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains("replaces the bundled module \"What trafficking is\" (what-is-trafficking)"),
        "{stdout}"
    );
    assert!(data.join("packs/ours").join(faro::pack::REPLACEMENT_CONSENT_NAME).is_file());
    let (code, stdout, _) = faro(&data, &["pack", "list"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("replaces bundled module(s): what-is-trafficking"), "{stdout}");
}

#[test]
fn usage_errors_exit_two() {
    let keys = Keys::new();
    let out: PathBuf = keys.dir.path().join("p.faropack");
    let (code, _, stderr) = faro(
        keys.dir.path(),
        &["pack", "build", "modules", "--key", &keys.secret(), "--out", &path(&out), "--version", "one"],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("semantic version"), "{stderr}");
    let (code, _, _) = faro(keys.dir.path(), &["pack", "install", "x.faropack", "--yes", "--trust", "k.pub"]);
    assert_eq!(code, 2);
    let (code, _, _) = faro(keys.dir.path(), &["pack"]);
    assert_eq!(code, 2);
}

//! The program as a volunteer gets it: the binary copied alone into an empty folder, started from
//! anywhere; and portable mode, with every file beside the program.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::pack::{build, two_modules};

/// The built `faro` copied alone into `dir`.
fn lone_copy(dir: &Path) -> PathBuf {
    let name = Path::new(env!("CARGO_BIN_EXE_faro")).file_name().unwrap();
    let exe = dir.join(name);
    std::fs::copy(env!("CARGO_BIN_EXE_faro"), &exe).unwrap();
    exe
}

/// Runs `exe` in `cwd` with no Faro variables and a private home, so nothing outside the test's
/// folders is read or written.
fn run(exe: &Path, cwd: &Path, home: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(exe)
        .args(args)
        .current_dir(cwd)
        .env_remove("FARO_DATA_DIR")
        .env_remove("FARO_MODULES_DIR")
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("APPDATA", home.join("AppData"))
        .stdin(Stdio::null())
        .output()
        .expect("faro runs");
    let text = |b: Vec<u8>| String::from_utf8_lossy(&b).into_owned();
    (out.status.code().unwrap_or(-1), text(out.stdout), text(out.stderr))
}

#[test]
fn the_binary_alone_checks_its_five_built_in_modules_from_any_folder() {
    let root = tempfile::tempdir().unwrap();
    for d in ["bin", "elsewhere", "home"] {
        std::fs::create_dir(root.path().join(d)).unwrap();
    }
    let exe = lone_copy(&root.path().join("bin"));
    let (code, stdout, stderr) =
        run(&exe, &root.path().join("elsewhere"), &root.path().join("home"), &["validate", "--bundled"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stderr.contains("7 module(s) checked: 0 error(s)"), "{stderr}");
    // Nothing was left behind: the check unpacks into a temporary folder of its own.
    assert_eq!(std::fs::read_dir(root.path().join("elsewhere")).unwrap().count(), 0);
    assert_eq!(std::fs::read_dir(root.path().join("bin")).unwrap().count(), 1);
}

#[test]
fn validate_without_modules_here_says_what_to_do() {
    let root = tempfile::tempdir().unwrap();
    let exe = lone_copy(root.path());
    let (code, _, stderr) = run(&exe, root.path(), root.path(), &["validate"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("there is no modules/ folder here"), "{stderr}");
    assert!(stderr.contains("faro validate --bundled"), "{stderr}");
}

/// `--portable` keeps the data beside the program; afterwards the `faro-data` folder alone is
/// enough; the home folder is never touched.
#[test]
fn portable_mode_keeps_all_data_beside_the_program() {
    let root = tempfile::tempdir().unwrap();
    let stick = root.path().join("stick");
    let home = root.path().join("home");
    let cwd = root.path().join("cwd");
    for d in [&stick, &home, &cwd] {
        std::fs::create_dir(d).unwrap();
    }
    let exe = lone_copy(&stick);
    let key = faro::pack::generate_key().unwrap();
    let pack = root.path().join("border.faropack");
    build(&two_modules(&root.path().join("src")), &key, "border", "1.0.0", &pack);

    let pack_arg = pack.to_str().unwrap();
    let (code, stdout, stderr) =
        run(&exe, &cwd, &home, &["--portable", "pack", "install", pack_arg, "--yes"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stick.join("faro-data/packs").is_dir(), "the pack is installed beside the program");
    assert_eq!(std::fs::read_dir(&home).unwrap().count(), 0, "nothing in the home folder");

    // Next time, no flag: the faro-data folder beside the program is found by itself.
    let (code, stdout, _) = run(&exe, &cwd, &home, &["pack", "list"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("border"), "{stdout}");
    assert_eq!(std::fs::read_dir(&home).unwrap().count(), 0, "nothing in the home folder");
}

/// A `faro-data` that is a file: a clear refusal, and the file is left as it was.
#[test]
fn a_faro_data_file_beside_the_program_is_refused_clearly() {
    let root = tempfile::tempdir().unwrap();
    let exe = lone_copy(root.path());
    std::fs::write(root.path().join("faro-data"), "notes").unwrap();
    let key = faro::pack::generate_key().unwrap();
    let pack = root.path().join("p.faropack");
    build(&two_modules(&root.path().join("src")), &key, "border", "1.0.0", &pack);
    let (code, _, stderr) =
        run(&exe, root.path(), root.path(), &["pack", "install", pack.to_str().unwrap(), "--yes"]);
    assert_ne!(code, 0);
    assert!(stderr.contains("faro-data: it is a file, not a folder"), "a plain reason: {stderr}");
    assert_eq!(std::fs::read_to_string(root.path().join("faro-data")).unwrap(), "notes");
}

/// With no window system at all (no display), Faro says so after its first renderer and tells the
/// real reason: every renderer needs the same event loop, and winit cannot make it again, so the
/// others only added "EventLoop can't be recreated" as the last word.
#[cfg(target_os = "linux")]
#[test]
fn with_no_display_the_real_reason_is_told_once() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    let out = Command::new(env!("CARGO_BIN_EXE_faro"))
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("WAYLAND_SOCKET")
        .env_remove("FARO_RENDERER")
        .env("FARO_DATA_DIR", &data)
        .stdin(Stdio::null())
        .output()
        .expect("faro runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("can't be recreated"), "{stderr}");
    assert!(stderr.contains("DISPLAY"), "the reason (no display) is told: {stderr}");
    let log = std::fs::read_to_string(data.join("renderer.log")).unwrap();
    assert_eq!(log.lines().filter(|l| l.contains("EventLoopError")).count(), 1, "{log}");
}

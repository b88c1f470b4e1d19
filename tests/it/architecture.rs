//! The layering the code keeps, checked on its source: the core knows nothing of egui, screens
//! and what is below them never reach up to the app that routes them, and the pack rooms import
//! downwards only.

use std::path::{Path, PathBuf};

use crate::common;

fn rust_files(dir: &str) -> Vec<PathBuf> {
    let mut files = Vec::new();
    common::walk(Path::new(dir), &mut files);
    files.retain(|p| p.extension().is_some_and(|e| e == "rs"));
    assert!(!files.is_empty(), "no Rust files under {dir}");
    files
}

fn source(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn the_core_never_uses_egui() {
    for path in rust_files("src") {
        let relative = path.strip_prefix("src").unwrap().to_string_lossy().replace('\\', "/");
        if relative.starts_with("app/") || relative == "main.rs" || relative.starts_with("cli/") {
            continue;
        }
        let text = source(&path);
        assert!(!text.contains("egui::") && !text.contains("eframe"), "{} uses egui", path.display());
    }
}

#[test]
fn screens_panels_and_widgets_never_reach_up_to_the_router() {
    // The app's top files (mod.rs, faro_app.rs, apply.rs, frame.rs, keyboard.rs, run.rs) route;
    // everything else in src/app is below them and must not name what they define.
    let top = ["mod.rs", "faro_app.rs", "apply.rs", "frame.rs", "keyboard.rs", "run.rs"];
    let forbidden =
        ["FaroApp", "app::Action", "app::Screen", "super::Action", "super::Screen", "impl FaroApp"];
    for path in rust_files("src/app") {
        let relative = path.strip_prefix("src/app").unwrap().to_string_lossy().replace('\\', "/");
        if top.contains(&relative.as_str()) {
            continue;
        }
        let text = source(&path);
        for word in forbidden {
            // A doc link to the router is fine; code that uses it is not.
            let used = text.lines().filter(|l| !l.trim_start().starts_with("//")).any(|l| l.contains(word));
            assert!(!used, "{} uses {word}: screens return requests, the app routes them", path.display());
        }
    }
}

#[test]
fn the_studio_map_does_not_import_the_studio() {
    let text = source(Path::new("src/app/screens/studio_map.rs"));
    for import in ["super::studio", "screens::studio"] {
        assert!(!text.contains(import), "studio_map.rs imports from studio.rs, which imports it");
    }
}

#[test]
fn the_pack_rooms_import_downwards_only() {
    // Lower rooms first; a room may import only rooms listed before it.
    let order = [
        "progress",
        "sign",
        "durable",
        "layout",
        "error",
        "manifest",
        "replace_bundled",
        "store",
        "owners",
        "trust",
        "recovery",
        "verify",
        "extract",
        "validation_cache",
        "build",
        "publisher",
        "install",
        "installed",
    ];
    for (rank, room) in order.iter().enumerate() {
        let path = PathBuf::from(format!("src/pack/{room}.rs"));
        let text = source(&path);
        // Unit tests may drive the whole pack API; the room's own code may not.
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        for (other_rank, other) in order.iter().enumerate() {
            if other_rank <= rank {
                continue;
            }
            let imports =
                [format!("super::{other}::"), format!("super::{other}::{{"), format!("pack::{other}::")];
            assert!(
                !imports.iter().any(|i| code.contains(i.as_str())),
                "src/pack/{room}.rs imports {other}, a room above it"
            );
        }
    }
    let listed: Vec<String> = rust_files("src/pack")
        .iter()
        .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .filter(|name| name != "mod")
        .collect();
    for name in listed {
        assert!(order.contains(&name.as_str()), "src/pack/{name}.rs has no place in the order above");
    }
}

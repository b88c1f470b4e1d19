//! Snapshot images of the main screens, light and high contrast. They need a Vulkan adapter
//! (lavapipe from `mesa-vulkan-drivers` is enough); without one they skip with a message.
//! Update the images with `UPDATE_SNAPSHOTS=1 cargo test --test it snapshots::`.

use crate::common;

use common::{click, settle};

use common::World;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use faro::app::FaroApp;
use faro::app::theme::Theme;

/// Whether wgpu can find an adapter here; prints why the snapshots skip when it cannot.
fn adapter_available() -> bool {
    static AVAILABLE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *AVAILABLE.get_or_init(|| {
        // kittest panics when wgpu finds no adapter; probe quietly once.
        let hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let found = std::panic::catch_unwind(egui_kittest::wgpu::WgpuTestRenderer::new).is_ok();
        std::panic::set_hook(hook);
        if !found {
            eprintln!(
                "SKIPPED: snapshot tests need a Vulkan adapter; none was found. \
                 Install one (Debian: apt-get install mesa-vulkan-drivers libvulkan1) to run them."
            );
        }
        found
    })
}

fn harness(app: FaroApp) -> Harness<'static, FaroApp> {
    let mut h = Harness::builder()
        .with_size([1000.0, 720.0])
        // A software renderer of another version may shade a few anti-aliased edge pixels
        // differently; a real layout or colour change moves tens of thousands.
        .with_options(egui_kittest::SnapshotOptions::new().max_failed_pixels(2000))
        .wgpu()
        .build_ui_state(|ui, app: &mut FaroApp| app.show(ui), app);
    settle(&mut h);
    h
}

/// Walks to each main screen and snapshots it.
fn tour(theme: Theme, suffix: &str) {
    if !adapter_available() {
        return;
    }
    let world = World::with_fixtures(&["good/minimal"]);
    let mut app = FaroApp::new(world.config());
    app.shared.settings.theme = theme;
    let mut h = harness(app);
    h.snapshot(format!("start_{suffix}"));
    h.get_by_label("Your name").focus();
    h.get_by_label("Your name").type_text("Ana");
    settle(&mut h);
    click(&mut h, "Create profile");
    h.snapshot(format!("library_{suffix}"));
    click(&mut h, "Start: A minimal example");
    click(&mut h, "I am ready, continue");
    h.snapshot(format!("page_{suffix}"));
    click(&mut h, "Next");
    click(&mut h, "I am ready, continue");
    h.snapshot(format!("scenario_{suffix}"));
    click(&mut h, "2. Tell the adult you know what he is doing.");
    h.snapshot(format!("critical_{suffix}"));
    click(&mut h, "Try the scenario again");
    click(&mut h, "1. Note the details and step away to call.");
    click(&mut h, "1. The hotline, with your notes.");
    click(&mut h, "Next");
    click(&mut h, "False");
    click(&mut h, "Finish");
    // The verification code comes from this run's random device key, and the expiry date from
    // today's date: mask both so the image is stable.
    let code = common::shown(&h, "Verification code: ").rect();
    let until = common::shown(&h, "Valid until ").rect();
    h.mask(code);
    h.mask(until);
    h.snapshot(format!("completion_{suffix}"));
}

#[test]
fn main_screens_light() {
    tour(Theme::Light, "light");
}

#[test]
fn main_screens_high_contrast() {
    tour(Theme::HighContrast, "contrast");
}

/// The training matrix of 200 learners × 7 modules at 1280×800, scrolled by the keyboard to the
/// 120th learner: the headings, the summary row and the names stay in view
/// (`docs/screenshots/coordinator-matrix.png` is this image).
#[test]
fn training_matrix_200_learners() {
    if !adapter_available() {
        return;
    }
    let world = World::with_fixtures(&["good/minimal"]);
    let builder =
        Harness::builder().with_options(egui_kittest::SnapshotOptions::new().max_failed_pixels(2000)).wgpu();
    let records = crate::viewer_matrix_scale::records(200, 7);
    let (mut h, _folder) = crate::viewer_matrix_scale::coordinator_in(builder, &world, &records);
    let last_cell = "Learner 119, Module 6: recognizing and responding to what you see: ";
    h.get_by_label_contains(last_cell).focus();
    h.run();
    h.key_press(egui::Key::Tab);
    settle(&mut h);
    assert!(h.get_by_label("Learner 120").is_focused());
    h.snapshot("matrix_200x7");
}

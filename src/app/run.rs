//! Opening the window: eframe's options, the icon, and loading the app while the renderer starts.

use std::path::PathBuf;

use super::config::{Config, Settings};
use super::{FaroApp, frame_report};
use crate::data::store::{self, Loaded};

impl eframe::App for FaroApp {
    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        if self.shared.renderer.is_none()
            && let Some(render_state) = frame.wgpu_render_state()
        {
            let info = render_state.adapter.get_info();
            self.shared.renderer =
                Some(format!("{} ({:?}, {} {})", info.name, info.backend, info.driver, info.driver_info));
        }
        self.show(ui);
    }
}

/// Opens the app window; returns when it is closed.
pub fn run(config: Config) -> eframe::Result {
    run_app(config, FaroApp::new)
}

/// Opens the author preview of the module folder `dir` (`faro preview`); `data` is the
/// throwaway data folder named in `config`, deleted when the window closes.
pub fn run_preview(config: Config, dir: PathBuf, data: Option<tempfile::TempDir>) -> eframe::Result {
    run_app(config, move |config| FaroApp::preview(config, &dir, data))
}

fn run_app(config: Config, make: impl FnOnce(Config) -> FaroApp + Send + 'static) -> eframe::Result {
    let zoom = match store::load_ron::<Settings>(&config.data_dir.settings_path()) {
        Ok(Loaded::Ok(s)) => s.zoom,
        _ => 1.0,
    };
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("Faro")
        .with_app_id("io.github.faro_training.Faro")
        .with_inner_size([1100.0, 760.0])
        .with_min_inner_size([640.0, 480.0]);
    if let Ok(icon) = eframe::icon_data::from_png_bytes(include_bytes!("../../assets/faro-icon.png")) {
        viewport = viewport.with_icon(icon);
    }
    let options = eframe::NativeOptions {
        viewport,
        persistence_path: Some(config.data_dir.root().join("window.ron")),
        ..Default::default()
    };
    // Loading the library (the folders' modules, profiles, progress) runs while eframe opens the
    // window and sets up the renderer, which takes longer: start-up waits for the slower of the
    // two, not for both in turn. Installed packs start loading then too, on a worker thread that
    // the first frame does not wait for (see `library_load`).
    let loading = std::thread::spawn(move || make(config));
    eframe::run_native(
        "Faro",
        options,
        Box::new(move |cc| {
            cc.egui_ctx.options_mut(|o| o.zoom_with_keyboard = false);
            cc.egui_ctx.set_zoom_factor(zoom);
            let app = loading.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            Ok(Box::new(frame_report::FrameReport::from_env(app).describing(FaroApp::view_summary)))
        }),
    )
}

//! An opt-in timing report, for measuring the viewer from outside (see `docs/performance.md` and
//! `examples/viewer_probe.rs`). Off unless the environment variable `FARO_FRAME_REPORT` is set;
//! it only ever writes to standard output, never to a file or the network.
//!
//! With it on, the app prints `first-frame` when its first frame has been painted and the window
//! shown, then `frame-ms N` with the CPU time of each painted frame (input, layout, tessellation,
//! texture upload and painting; eframe's own measure, without waiting for vsync), and
//! `view …` whenever what the app shows changes (for Faro: the screen, the step, and how many
//! images are decoding or ready), so a probe knows what it measured. A timestamp taken
//! by the program that launched the app, when it reads `first-frame`, is launch-to-first-frame
//! without any polling or screenshots in between.

use std::io::Write as _;

/// The environment variable that turns the report on.
pub const FRAME_REPORT_VAR: &str = "FARO_FRAME_REPORT";

/// Wraps an app and reports its frames when [`FRAME_REPORT_VAR`] is set.
pub struct FrameReport<A> {
    inner: A,
    enabled: bool,
    frames: u64,
    describe: Option<fn(&A) -> String>,
    last_view: String,
}

impl<A> FrameReport<A> {
    /// Reports `inner`'s frames if the environment asks for it.
    pub fn from_env(inner: A) -> Self {
        let enabled = std::env::var_os(FRAME_REPORT_VAR).is_some_and(|v| !v.is_empty());
        Self { inner, enabled, frames: 0, describe: None, last_view: String::new() }
    }

    /// Also reports `view …` lines, from what `describe` says the app shows.
    pub fn describing(mut self, describe: fn(&A) -> String) -> Self {
        self.describe = Some(describe);
        self
    }

    fn report(&mut self, ctx: &egui::Context, frame: &eframe::Frame) {
        self.frames += 1;
        let mut out = std::io::stdout().lock();
        match self.frames {
            // eframe paints the first frame and only then shows the window; the next frame starts
            // after both, so ask for it at once and report there.
            1 => ctx.request_repaint(),
            2 => {
                let _ = writeln!(out, "first-frame");
            }
            _ => {}
        }
        // `cpu_usage` is the time of the previous frame, known once it has been painted.
        if self.frames >= 2
            && let Some(seconds) = frame.info().cpu_usage
        {
            let _ = writeln!(out, "frame-ms {:.2}", seconds * 1000.0);
        }
        let _ = out.flush();
    }
}

impl<A: eframe::App> eframe::App for FrameReport<A> {
    fn logic(&mut self, ctx: &egui::Context, frame: &mut eframe::Frame) {
        if self.enabled {
            self.report(ctx, frame);
        }
        self.inner.logic(ctx, frame);
    }

    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        self.inner.ui(ui, frame);
        // After the app's frame, so the line says what this frame drew (and decided).
        if self.enabled
            && let Some(describe) = self.describe
        {
            let view = describe(&self.inner);
            if view != self.last_view {
                let mut out = std::io::stdout().lock();
                let _ = writeln!(out, "view {view}");
                let _ = out.flush();
                self.last_view = view;
            }
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        self.inner.save(storage);
    }

    fn on_exit(&mut self, gl: Option<&eframe::glow::Context>) {
        self.inner.on_exit(gl);
    }

    fn auto_save_interval(&self) -> std::time::Duration {
        self.inner.auto_save_interval()
    }

    fn clear_color(&self, visuals: &egui::Visuals) -> [f32; 4] {
        self.inner.clear_color(visuals)
    }

    fn persist_egui_memory(&self) -> bool {
        self.inner.persist_egui_memory()
    }

    fn raw_input_hook(&mut self, ctx: &egui::Context, raw_input: &mut egui::RawInput) {
        self.inner.raw_input_hook(ctx, raw_input);
    }
}

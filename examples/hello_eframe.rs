//! A bare eframe "hello world" with the same eframe version and features as Faro: the floor
//! that Faro's launch-to-first-frame time is compared against (see docs/performance.md and
//! `examples/viewer_probe.rs`). It reports its frames exactly as Faro does
//! (`FARO_FRAME_REPORT`), so both are timed the same way.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a panic here is a failed run, not a crash on a laptop

use faro::app::frame_report::FrameReport;

struct Hello;

impl eframe::App for Hello {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.heading("Hello world");
        });
    }
}

fn main() -> eframe::Result {
    // Same window size as Faro's, so both render the same number of pixels.
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default().with_inner_size([1100.0, 760.0]),
        ..Default::default()
    };
    eframe::run_native("hello", options, Box::new(|_cc| Ok(Box::new(FrameReport::from_env(Hello)))))
}

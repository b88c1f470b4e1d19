//! A bare eframe "hello world" with the same eframe version and features as Faro: the floor
//! that Faro's launch-to-first-frame time is compared against (see docs/performance.md).

fn main() -> eframe::Result {
    // Same window size as Faro's, so both render the same number of pixels.
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default().with_inner_size([1100.0, 760.0]),
        ..Default::default()
    };
    eframe::run_ui_native("hello", options, |ui, _frame| {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.heading("Hello world");
        });
    })
}

//! A bare eframe "hello world" with the same eframe version and features as Faro: the floor
//! that Faro's launch-to-first-frame time is compared against (see docs/performance.md).

fn main() -> eframe::Result {
    eframe::run_ui_native("hello", eframe::NativeOptions::default(), |ui, _frame| {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.heading("Hello world");
        });
    })
}

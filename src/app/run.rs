//! Opening the window: eframe's options, the icon, loading the app while the renderer starts, and
//! falling back from one renderer to the next when one cannot draw (see [`crate::renderer`]).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use eframe::wgpu;

use super::config::{Config, Settings};
use super::{FaroApp, frame_report, strings};
use crate::data::store::{self, Loaded};
use crate::renderer::{self, Platform, Renderer};

impl eframe::App for FaroApp {
    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        if self.shared.renderer.is_none() {
            let choice = self.shared.renderer_choice.map_or("", Renderer::name);
            if let Some(render_state) = frame.wgpu_render_state() {
                let info = render_state.adapter.get_info();
                self.shared.renderer = Some(format!(
                    "{choice}: {} ({:?}, {} {})",
                    info.name, info.backend, info.driver, info.driver_info
                ));
            } else if frame.gl().is_some() {
                self.shared.renderer = Some(format!("{choice}: OpenGL"));
            }
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

/// Names a renderer to try first (`wgpu-dx12`, `wgpu-vulkan`, `wgpu-metal`, `wgpu-gl`, `glow`), before
/// the remembered one; for troubleshooting and for checking each renderer.
pub const RENDERER_ENV: &str = "FARO_RENDERER";

fn run_app(config: Config, make: impl FnOnce(Config) -> FaroApp + Send + 'static) -> eframe::Result {
    let settings = match store::load_ron::<Settings>(&config.data_dir.settings_path()) {
        Ok(Loaded::Ok(s)) => Some(s),
        _ => None,
    };
    let zoom = settings.as_ref().map_or(1.0, |s| s.zoom);
    let lang = settings.map_or_else(|| config.first_language.clone(), |s| s.lang);
    let data_root = config.data_dir.root().to_owned();
    // Loading the library (the folders' modules, profiles, progress) runs while eframe opens the
    // window and sets up the renderer, which takes longer: start-up waits for the slower of the
    // two, not for both in turn. Installed packs start loading then too, on a worker thread that
    // the first frame does not wait for (see `library_load`). The app is made once, by the first
    // renderer that starts; the ones that fail before never ask for it.
    let loading = Arc::new(Mutex::new(Some(std::thread::spawn(move || make(config)))));
    let asked = std::env::var(RENDERER_ENV).ok().and_then(|name| Renderer::parse(&name));
    let order =
        renderer::attempt_order(Platform::current(), asked.or_else(|| renderer::load_remembered(&data_root)));
    let mut final_failure = None;
    let mut log = Err(std::io::Error::other("nothing written yet"));
    let outcome = renderer::first_working(&order, |choice| {
        let started = Arc::new(AtomicBool::new(false));
        let result = eframe::run_native(
            "Faro",
            native_options(choice, &data_root),
            app_creator(choice, Arc::clone(&loading), Arc::clone(&started), zoom, data_root.clone()),
        );
        let error = match result {
            Ok(()) => return Ok(()),
            Err(e) => e,
        };
        // No window system to draw on (no display, or it refused the connection): every renderer
        // needs the same event loop, which winit cannot even try to make again in this process.
        let no_window_system = matches!(error, eframe::Error::WinitEventLoop(_));
        let failure = (choice, error.to_string());
        // Logged at once: the window of the renderer that works next may be closed in any way.
        let when = chrono::Local::now().format("%Y-%m-%d %H:%M:%S");
        log = renderer::append_log(
            &data_root,
            &renderer::log_text(&when.to_string(), std::slice::from_ref(&failure)),
        );
        if started.load(Ordering::SeqCst) || no_window_system {
            // The window had opened: the renderer failed later (a lost device). The app and its
            // state are gone with the window; what was saved is kept, so say so and stop. With
            // no window system, the next renderers would only say "EventLoop can't be recreated".
            final_failure = Some(failure);
            Err(None)
        } else {
            Err(Some(failure.1))
        }
    });
    if outcome.worked.is_none() {
        let mut failures = outcome.failures;
        failures.extend(final_failure);
        say_no_renderer_worked(&lang, &failures, log);
        let last = failures.last().map(|(_, e)| e.clone()).unwrap_or_default();
        return Err(eframe::Error::AppCreation(last.into()));
    }
    Ok(())
}

/// eframe's options for drawing with `choice`.
fn native_options(choice: Renderer, data_root: &Path) -> eframe::NativeOptions {
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("Faro")
        .with_app_id("io.github.faro_training.Faro")
        .with_inner_size([1100.0, 760.0])
        .with_min_inner_size([640.0, 480.0]);
    if let Ok(icon) = eframe::icon_data::from_png_bytes(include_bytes!("../../assets/faro-icon.png")) {
        viewport = viewport.with_icon(icon);
    }
    let mut options = eframe::NativeOptions {
        viewport,
        persistence_path: Some(data_root.join("window.ron")),
        ..Default::default()
    };
    let backends = match choice {
        Renderer::WgpuDx12 => wgpu::Backends::DX12,
        Renderer::WgpuVulkan => wgpu::Backends::VULKAN,
        Renderer::WgpuMetal => wgpu::Backends::METAL,
        Renderer::WgpuGl => wgpu::Backends::GL,
        Renderer::Glow => {
            options.renderer = eframe::Renderer::Glow;
            return options;
        }
    };
    options.renderer = eframe::Renderer::Wgpu;
    let mut setup = eframe::egui_wgpu::WgpuSetupCreateNew::without_display_handle();
    setup.instance_descriptor.backends = backends;
    options.wgpu_options.wgpu_setup = eframe::egui_wgpu::WgpuSetup::CreateNew(setup);
    options
}

/// Makes the app once the renderer `choice` has started, and remembers that it did.
fn app_creator(
    choice: Renderer,
    loading: Arc<Mutex<Option<std::thread::JoinHandle<FaroApp>>>>,
    started: Arc<AtomicBool>,
    zoom: f32,
    data_root: PathBuf,
) -> eframe::AppCreator<'static> {
    Box::new(move |cc| {
        started.store(true, Ordering::SeqCst);
        // A read-only data folder cannot remember it; the order then starts afresh next time.
        let _ = renderer::remember(&data_root, choice);
        cc.egui_ctx.options_mut(|o| o.zoom_with_keyboard = false);
        cc.egui_ctx.set_zoom_factor(zoom);
        let handle = loading.lock().ok().and_then(|mut slot| slot.take());
        let Some(handle) = handle else {
            return Err("the app was already started once".into());
        };
        let mut app = handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        app.shared.renderer_choice = Some(choice);
        Ok(Box::new(frame_report::FrameReport::from_env(app).describing(FaroApp::view_summary)))
    })
}

/// No renderer could draw the window: tell the person, in their language, where they will see it.
fn say_no_renderer_worked(lang: &str, failures: &[(Renderer, String)], log: std::io::Result<PathBuf>) {
    let s = strings::strings(lang);
    let tried = failures.iter().map(|(r, _)| r.name()).collect::<Vec<_>>().join(", ");
    let log = match &log {
        Ok(path) => path.display().to_string(),
        Err(_) => s.renderer_failed_no_log.to_owned(),
    };
    let body = s.renderer_failed_body.replace("{tried}", &tried).replace("{log}", &log);
    // Always on the error output too: a terminal, or a desktop's session log, keeps it.
    eprintln!("faro: {}: {body}", s.renderer_failed_title);
    for (renderer, error) in failures {
        eprintln!("faro: {}: {error}", renderer.name());
    }
    show_native_message(s.renderer_failed_title, &body);
}

/// A message box that needs no renderer: Windows draws it itself.
#[cfg(windows)]
fn show_native_message(title: &str, body: &str) {
    use windows_sys::Win32::UI::WindowsAndMessaging::{MB_ICONERROR, MB_OK, MessageBoxW};
    let wide = |text: &str| text.encode_utf16().chain(std::iter::once(0)).collect::<Vec<u16>>();
    let (title, body) = (wide(title), wide(body));
    // SAFETY: both are NUL-terminated UTF-16 buffers that outlive the call; no owner window.
    unsafe {
        MessageBoxW(std::ptr::null_mut(), body.as_ptr(), title.as_ptr(), MB_OK | MB_ICONERROR);
    }
}

/// Elsewhere there is no drawing without a renderer that Faro can count on; the message goes to
/// the error output and the log (see the README's troubleshooting).
#[cfg(not(windows))]
fn show_native_message(_title: &str, _body: &str) {}

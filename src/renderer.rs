//! Which graphics renderer to try, in what order, and remembering the one that worked.
//!
//! Faro draws with wgpu, whose backends fail on some machines: a broken DX12 or Vulkan driver on
//! an old laptop, or Wine, where DX12 loses its device at start. The app tries each renderer of
//! [`attempt_order`] in turn (see `app::run`), the one that worked last time first, and remembers
//! the one that opened the window in the data folder ([`REMEMBERED_FILE`]). This file knows
//! nothing of egui: the order and the memory are tested without a window.

use std::path::{Path, PathBuf};

/// The file in the data folder naming the renderer that last opened the window.
pub const REMEMBERED_FILE: &str = "renderer.txt";

/// The file in the data folder where renderer failures are written, for whoever helps.
pub const LOG_FILE: &str = "renderer.log";

/// A way to draw the window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Renderer {
    /// wgpu on Direct3D 12 (Windows).
    WgpuDx12,
    /// wgpu on Vulkan (Windows, Linux).
    WgpuVulkan,
    /// wgpu on Metal (macOS).
    WgpuMetal,
    /// wgpu on OpenGL (ES) through EGL or WGL.
    WgpuGl,
    /// The window library's own OpenGL renderer (glow), which needs nothing of wgpu.
    Glow,
}

impl Renderer {
    /// Every renderer, for parsing.
    pub const ALL: [Renderer; 5] =
        [Renderer::WgpuDx12, Renderer::WgpuVulkan, Renderer::WgpuMetal, Renderer::WgpuGl, Renderer::Glow];

    /// The name written to [`REMEMBERED_FILE`] and shown on About.
    pub fn name(self) -> &'static str {
        match self {
            Renderer::WgpuDx12 => "wgpu-dx12",
            Renderer::WgpuVulkan => "wgpu-vulkan",
            Renderer::WgpuMetal => "wgpu-metal",
            Renderer::WgpuGl => "wgpu-gl",
            Renderer::Glow => "glow",
        }
    }

    /// The renderer named `name` (surrounding white space ignored), if any.
    pub fn parse(name: &str) -> Option<Renderer> {
        Renderer::ALL.into_iter().find(|r| r.name() == name.trim())
    }
}

/// The operating systems Faro is built for, as far as renderers go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Platform {
    Windows,
    MacOs,
    /// Linux and the other Unix systems.
    Unix,
}

impl Platform {
    /// The platform this program was built for.
    pub fn current() -> Platform {
        if cfg!(windows) {
            Platform::Windows
        } else if cfg!(target_os = "macos") {
            Platform::MacOs
        } else {
            Platform::Unix
        }
    }
}

/// The renderers worth trying on `platform`, most capable first, with glow last: it shares no
/// code with wgpu, so it still works when wgpu itself fails.
pub fn platform_order(platform: Platform) -> &'static [Renderer] {
    match platform {
        Platform::Windows => &[Renderer::WgpuDx12, Renderer::WgpuVulkan, Renderer::WgpuGl, Renderer::Glow],
        Platform::MacOs => &[Renderer::WgpuMetal, Renderer::Glow],
        Platform::Unix => &[Renderer::WgpuVulkan, Renderer::WgpuGl, Renderer::Glow],
    }
}

/// The renderers to try, in order: the remembered one first (when it is one of the platform's),
/// then the rest of [`platform_order`].
pub fn attempt_order(platform: Platform, remembered: Option<Renderer>) -> Vec<Renderer> {
    let all = platform_order(platform);
    let first = remembered.filter(|r| all.contains(r));
    first.into_iter().chain(all.iter().copied().filter(|r| Some(*r) != first)).collect()
}

/// What came of trying the renderers in order.
#[derive(Debug, PartialEq, Eq)]
pub struct Outcome<E> {
    /// The renderer that worked, if one did.
    pub worked: Option<Renderer>,
    /// Each renderer that failed before it (or all of them), with its error.
    pub failures: Vec<(Renderer, E)>,
}

/// Tries `order` with `attempt` until one works; a failed renderer falls through to the next.
/// `attempt` returns `Err(Some(e))` when the renderer could not start, and `Err(None)` when it
/// must not be retried with another (the window had opened: the failure came later), which
/// stops the search and counts as no renderer working.
pub fn first_working<E>(
    order: &[Renderer],
    mut attempt: impl FnMut(Renderer) -> Result<(), Option<E>>,
) -> Outcome<E> {
    let mut failures = Vec::new();
    for &renderer in order {
        match attempt(renderer) {
            Ok(()) => return Outcome { worked: Some(renderer), failures },
            Err(Some(e)) => failures.push((renderer, e)),
            Err(None) => break,
        }
    }
    Outcome { worked: None, failures }
}

/// The renderer remembered in the data folder `data_root`, if its file names one.
pub fn load_remembered(data_root: &Path) -> Option<Renderer> {
    std::fs::read_to_string(data_root.join(REMEMBERED_FILE)).ok().and_then(|text| Renderer::parse(&text))
}

/// Remembers `renderer` in the data folder (atomically; unchanged files are not rewritten).
pub fn remember(data_root: &Path, renderer: Renderer) -> Result<(), crate::data::store::StoreError> {
    if load_remembered(data_root) == Some(renderer) {
        return Ok(());
    }
    crate::data::store::write_atomic(
        &data_root.join(REMEMBERED_FILE),
        format!("{}\n", renderer.name()).as_bytes(),
    )
}

/// The log text for renderer failures: one line per renderer tried, with its error.
pub fn log_text<E: std::fmt::Display>(when: &str, failures: &[(Renderer, E)]) -> String {
    let mut text = format!("{when}\n");
    for (renderer, error) in failures {
        // An error may span lines; keep one renderer per line so the log reads as a list.
        let error = error.to_string().replace('\n', " ");
        text.push_str(&format!("{}: {error}\n", renderer.name()));
    }
    text
}

/// Appends `text` to the log in the data folder; returns the log's path, or why it could not be
/// written (then the caller still says what happened, without the log).
pub fn append_log(data_root: &Path, text: &str) -> Result<PathBuf, std::io::Error> {
    use std::io::Write as _;
    std::fs::create_dir_all(data_root)?;
    let path = data_root.join(LOG_FILE);
    let mut file = std::fs::OpenOptions::new().create(true).append(true).open(&path)?;
    file.write_all(text.as_bytes())?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_platform_tries_its_native_backend_first_and_glow_last() {
        assert_eq!(
            platform_order(Platform::Windows),
            [Renderer::WgpuDx12, Renderer::WgpuVulkan, Renderer::WgpuGl, Renderer::Glow]
        );
        assert_eq!(platform_order(Platform::Unix), [Renderer::WgpuVulkan, Renderer::WgpuGl, Renderer::Glow]);
        assert_eq!(platform_order(Platform::MacOs), [Renderer::WgpuMetal, Renderer::Glow]);
    }

    #[test]
    fn the_remembered_renderer_comes_first_and_is_not_tried_twice() {
        assert_eq!(
            attempt_order(Platform::Windows, Some(Renderer::WgpuGl)),
            [Renderer::WgpuGl, Renderer::WgpuDx12, Renderer::WgpuVulkan, Renderer::Glow]
        );
        assert_eq!(attempt_order(Platform::Unix, None), platform_order(Platform::Unix));
    }

    #[test]
    fn a_remembered_renderer_of_another_platform_is_ignored() {
        // A portable data folder carried from a Windows laptop to a Linux one.
        assert_eq!(attempt_order(Platform::Unix, Some(Renderer::WgpuDx12)), platform_order(Platform::Unix));
    }

    #[test]
    fn a_remembered_renderer_that_fails_falls_through_to_the_platform_order() {
        let order = attempt_order(Platform::Windows, Some(Renderer::WgpuVulkan));
        let mut tried = Vec::new();
        let outcome = first_working(&order, |r| {
            tried.push(r);
            if r == Renderer::WgpuGl { Ok(()) } else { Err(Some(format!("{} failed", r.name()))) }
        });
        assert_eq!(tried, [Renderer::WgpuVulkan, Renderer::WgpuDx12, Renderer::WgpuGl]);
        assert_eq!(outcome.worked, Some(Renderer::WgpuGl));
        assert_eq!(
            outcome.failures,
            [
                (Renderer::WgpuVulkan, "wgpu-vulkan failed".to_owned()),
                (Renderer::WgpuDx12, "wgpu-dx12 failed".to_owned())
            ]
        );
    }

    #[test]
    fn when_nothing_works_every_failure_is_kept() {
        let order = platform_order(Platform::Unix);
        let outcome = first_working(order, |r| Err(Some(r.name())));
        assert_eq!(outcome.worked, None);
        assert_eq!(outcome.failures.len(), order.len());
    }

    #[test]
    fn a_failure_after_the_window_opened_stops_the_search() {
        let mut tried = 0;
        let outcome = first_working::<String>(platform_order(Platform::Windows), |_| {
            tried += 1;
            Err(None)
        });
        assert_eq!((tried, outcome.worked, outcome.failures.len()), (1, None, 0));
    }

    #[test]
    fn the_renderer_that_worked_is_remembered_in_the_data_folder() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(load_remembered(dir.path()), None);
        remember(dir.path(), Renderer::Glow).unwrap();
        assert_eq!(load_remembered(dir.path()), Some(Renderer::Glow));
        assert_eq!(std::fs::read_to_string(dir.path().join(REMEMBERED_FILE)).unwrap(), "glow\n");
        remember(dir.path(), Renderer::WgpuVulkan).unwrap();
        assert_eq!(load_remembered(dir.path()), Some(Renderer::WgpuVulkan));
    }

    #[test]
    fn an_unknown_or_damaged_memory_is_no_memory() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(REMEMBERED_FILE), "quantum\n").unwrap();
        assert_eq!(load_remembered(dir.path()), None);
        std::fs::write(dir.path().join(REMEMBERED_FILE), [0xff, 0xfe]).unwrap();
        assert_eq!(load_remembered(dir.path()), None);
    }

    #[test]
    fn the_log_lists_each_failure_on_its_own_line_and_appends() {
        let dir = tempfile::tempdir().unwrap();
        let failures = [(Renderer::WgpuDx12, "device lost\nat start"), (Renderer::Glow, "no GL")];
        let path = append_log(dir.path(), &log_text("2026-12-07 start", &failures)).unwrap();
        append_log(dir.path(), "second\n").unwrap();
        assert_eq!(
            std::fs::read_to_string(path).unwrap(),
            "2026-12-07 start\nwgpu-dx12: device lost at start\nglow: no GL\nsecond\n"
        );
    }

    #[test]
    fn a_log_that_cannot_be_written_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("not-a-folder");
        std::fs::write(&file, "x").unwrap();
        assert!(append_log(&file, "text").is_err());
    }
}

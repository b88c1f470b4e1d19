//! Measures the viewer from outside, under a virtual X display (Xvfb), the way a learner meets it:
//!
//! 1. **Launch to first painted frame**, Faro against a bare eframe hello world of the same
//!    eframe version (`examples/hello_eframe.rs`), alternating runs. Both print `first-frame` on
//!    standard output once their first frame is painted and the window shown
//!    (`FARO_FRAME_REPORT`, see `src/app/frame_report.rs`); this program timestamps the line as it
//!    arrives, so there is no polling or screenshot in the measure.
//! 2. **Memory and idle CPU**: resident memory after start-up, and CPU used over 5 s with no input.
//! 3. **Page to page with a 4-megapixel image**: Faro opens a generated module whose second page
//!    shows a 2048×2048 PNG; the probe presses Alt+→ and records every frame's CPU time from
//!    then on, and when the frame that shows the decoded image came.
//!
//! ```sh
//! cargo build --release --bin faro --example hello_eframe --example viewer_probe
//! ./target/release/examples/viewer_probe            # 15 launches each
//! ./target/release/examples/viewer_probe --runs 30 --shot /tmp/image-page.png
//! ./target/release/examples/viewer_probe --faro /usr/bin/faro   # the installed .deb
//! ```
//!
//! Needs `Xvfb` and `xdotool` (`../shared/tools/ui-probe-setup` installs them) and a software
//! Vulkan driver (`mesa-vulkan-drivers`). Figures go to docs/performance.md.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a panic here is a failed run, not a crash on a laptop

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

type Res<T> = Result<T, String>;

fn main() {
    if let Err(e) = run() {
        eprintln!("viewer_probe: {e}");
        std::process::exit(1);
    }
}

fn run() -> Res<()> {
    let args: Vec<String> = std::env::args().collect();
    let runs: usize = match args.iter().position(|a| a == "--runs") {
        Some(i) => args.get(i + 1).and_then(|v| v.parse().ok()).ok_or("--runs needs a number")?,
        None => 15,
    };
    let shot = args.iter().position(|a| a == "--shot").and_then(|i| args.get(i + 1)).map(PathBuf::from);
    let here = std::env::current_exe().map_err(|e| e.to_string())?;
    let examples = here.parent().ok_or("no folder for this program")?.to_owned();
    let hello = examples.join("hello_eframe");
    // `--faro PATH` measures another build of Faro, such as the installed package's /usr/bin/faro.
    let faro = match args.iter().position(|a| a == "--faro") {
        Some(i) => PathBuf::from(args.get(i + 1).ok_or("--faro needs a path")?),
        None => examples.join("../faro"),
    };
    for bin in [&hello, &faro] {
        if !bin.is_file() {
            return Err(format!(
                "{} is missing; build with: cargo build --release --bin faro --example hello_eframe --example viewer_probe",
                bin.display()
            ));
        }
    }
    let display = Xvfb::start()?;
    let work = tempfile::tempdir().map_err(|e| e.to_string())?;

    // Faro opens on the library of the bundled modules, as for a returning learner.
    let library_data = work.path().join("library-data");
    make_profile(&library_data)?;
    let faro_env = vec![("FARO_DATA_DIR".to_owned(), library_data.display().to_string())];

    println!("launch to first painted frame ({runs} runs each, alternating; display {})", display.name);
    let (mut hello_ms, mut faro_ms) = (Vec::new(), Vec::new());
    // One unmeasured launch each, so both start with warm file caches.
    launch(&display, &hello, &[], false)?;
    launch(&display, &faro, &faro_env, false)?;
    for _ in 0..runs {
        hello_ms.push(launch(&display, &hello, &[], false)?.first_frame_ms);
        faro_ms.push(launch(&display, &faro, &faro_env, false)?.first_frame_ms);
    }
    let (h, f) = (median(&mut hello_ms), median(&mut faro_ms));
    println!("  hello world  median {h:.0} ms  range {:.0}–{:.0} ms", min(&hello_ms), max(&hello_ms));
    println!("  faro         median {f:.0} ms  range {:.0}–{:.0} ms", min(&faro_ms), max(&faro_ms));
    println!("  ratio of medians: {:.2}×  (goal ≤ 1.15×)", f / h);

    println!("memory and idle CPU (after 2 s, then 5 s without input)");
    for (name, bin, env) in [("hello world", &hello, &[][..]), ("faro", &faro, &faro_env[..])] {
        let m = launch(&display, bin, env, true)?;
        println!(
            "  {name:<12} RSS {:.0} MiB  idle CPU {:.1} %",
            m.rss_mib.unwrap_or(f64::NAN),
            m.idle_cpu_pct.unwrap_or(f64::NAN)
        );
    }

    println!("page to page with a 4-megapixel image");
    page_to_page(&display, &faro, work.path(), shot.as_deref())?;
    Ok(())
}

/// A virtual X display, stopped when dropped.
struct Xvfb {
    child: Child,
    name: String,
}

impl Xvfb {
    fn start() -> Res<Self> {
        let mut n = 120;
        while Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
            || Path::new(&format!("/tmp/.X{n}-lock")).exists()
        {
            n += 1;
        }
        let name = format!(":{n}");
        let child = Command::new("Xvfb")
            .args([name.as_str(), "-screen", "0", "1280x800x24", "-nolisten", "tcp"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start Xvfb ({e}); run ../shared/tools/ui-probe-setup"))?;
        let socket = PathBuf::from(format!("/tmp/.X11-unix/X{n}"));
        let deadline = Instant::now() + Duration::from_secs(10);
        while !socket.exists() {
            if Instant::now() > deadline {
                return Err("Xvfb did not start within 10 s".into());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok(Self { child, name })
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An app started with its frame report on; stopped when dropped.
struct Running {
    child: Child,
    lines: Receiver<(Instant, String)>,
}

impl Running {
    fn start(display: &Xvfb, bin: &Path, env: &[(String, String)]) -> Res<(Self, Instant)> {
        let mut command = Command::new(bin);
        command
            .env("DISPLAY", &display.name)
            .env_remove("WAYLAND_DISPLAY")
            .env(faro::app::frame_report::FRAME_REPORT_VAR, "1")
            .envs(env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        let started = Instant::now();
        let mut child = command.spawn().map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
        let stdout = child.stdout.take().ok_or("no standard output")?;
        let (sender, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if sender.send((Instant::now(), line)).is_err() {
                    break;
                }
            }
        });
        Ok((Self { child, lines }, started))
    }

    /// The next line, with the time it arrived.
    fn next_line(&self, timeout: Duration) -> Res<Option<(Instant, String)>> {
        match self.lines.recv_timeout(timeout) {
            Ok(line) => Ok(Some(line)),
            Err(RecvTimeoutError::Timeout) => Ok(None),
            Err(RecvTimeoutError::Disconnected) => Err("the app exited".into()),
        }
    }

    /// Waits for a line that starts with `prefix`; when it arrived.
    fn wait_for(&self, prefix: &str, timeout: Duration) -> Res<Instant> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.next_line(left)? {
                Some((at, line)) if line.starts_with(prefix) => return Ok(at),
                Some(_) => {}
                None => return Err(format!("the app never printed {prefix:?} (did the keys reach it?)")),
            }
        }
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Launch {
    first_frame_ms: f64,
    rss_mib: Option<f64>,
    idle_cpu_pct: Option<f64>,
}

fn launch(display: &Xvfb, bin: &Path, env: &[(String, String)], measure_idle: bool) -> Res<Launch> {
    let (app, started) = Running::start(display, bin, env)?;
    let first = app.wait_for("first-frame", Duration::from_secs(60))?;
    let first_frame_ms = first.duration_since(started).as_secs_f64() * 1000.0;
    let (mut rss_mib, mut idle_cpu_pct) = (None, None);
    if measure_idle {
        std::thread::sleep(Duration::from_secs(2));
        rss_mib = rss_kib(app.pid()).map(|k| k as f64 / 1024.0);
        let before = cpu_ticks(app.pid()).ok_or("cannot read /proc")?;
        std::thread::sleep(Duration::from_secs(5));
        let after = cpu_ticks(app.pid()).ok_or("cannot read /proc")?;
        // Linux counts CPU time in ticks of 1/100 s (USER_HZ).
        idle_cpu_pct = Some((after - before) as f64 / 100.0 / 5.0 * 100.0);
    }
    Ok(Launch { first_frame_ms, rss_mib, idle_cpu_pct })
}

fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which may hold spaces, so split after its closing paren).
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the whole line: 12 and 13 after the paren.
    Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
}

fn make_profile(data: &Path) -> Res<()> {
    let dir = faro::data::DataDir::at(data.to_owned());
    let mut profiles = faro::progress::Profiles::default();
    let ana = profiles.add("Ana").map_err(|e| format!("{e:?}"))?;
    profiles.last_used = Some(ana.id);
    dir.save_profiles(&profiles).map_err(|e| e.to_string())
}

/// Opens a generated module and presses Alt+→ from a text page to a page with a 2048×2048 image,
/// in a few fresh app runs; prints each frame's CPU time after the key press.
fn page_to_page(display: &Xvfb, faro: &Path, work: &Path, shot: Option<&Path>) -> Res<()> {
    let modules = work.join("image-modules");
    let image = make_image_module(&modules.join("big-image"))?;
    // What the worker thread does for this image; on the UI thread it would be one frame's cost.
    let started = Instant::now();
    let decoded = faro::validate::decode_image(&image).map_err(|e| e.to_string())?.to_rgba8();
    let decode_ms = started.elapsed().as_secs_f64() * 1000.0;
    println!(
        "  decoding the {}×{} PNG ({:.1} MiB) takes {decode_ms:.0} ms, on a worker thread",
        decoded.width(),
        decoded.height(),
        std::fs::metadata(&image).map_err(|e| e.to_string())?.len() as f64 / (1024.0 * 1024.0)
    );
    let mut quiet = Vec::new();
    let mut worst_after = Vec::new();
    let mut shown_after = Vec::new();
    for trial in 1..=5 {
        let data = work.join(format!("image-data-{trial}"));
        make_profile(&data)?;
        let env = vec![
            ("FARO_DATA_DIR".to_owned(), data.display().to_string()),
            ("FARO_MODULES_DIR".to_owned(), modules.display().to_string()),
        ];
        let (app, _) = Running::start(display, faro, &env)?;
        app.wait_for("first-frame", Duration::from_secs(60))?;
        let window = find_window(display, app.pid())?;
        // Library (the only module's Start button has the focus) → page 1.
        xdotool(display, &["windowfocus", "--sync", &window])?;
        for key in OPEN_MODULE_KEYS {
            xdotool(display, &["key", "--window", &window, key])?;
            std::thread::sleep(Duration::from_millis(300));
        }
        app.wait_for("view player big-image step 1;", Duration::from_secs(5))?;
        drain(&app);
        // Frames on the text page, for comparison: moving the pointer repaints.
        for i in 0..10 {
            let (x, y) = (400 + i * 7, 300 + i * 5);
            xdotool(display, &["mousemove", "--window", &window, &x.to_string(), &y.to_string()])?;
            std::thread::sleep(Duration::from_millis(60));
        }
        while let Some((_, line)) = app.next_line(Duration::from_millis(300))? {
            quiet.extend(frame_ms(&line));
        }
        let pressed = Instant::now();
        xdotool(display, &["key", "--window", &window, "alt+Right"])?;
        // A frame's time is reported when the next frame starts: poke with the pointer
        // (outside the image) until the decode has long finished.
        for i in 0..12 {
            std::thread::sleep(Duration::from_millis(60));
            xdotool(display, &["mousemove", "--window", &window, &(60 + i * 3).to_string(), "60"])?;
        }
        let (mut after, mut page_at, mut image_at) = (Vec::new(), None, None);
        while let Some((at, line)) = app.next_line(Duration::from_millis(500))? {
            let ms = at.duration_since(pressed).as_secs_f64() * 1000.0;
            after.extend(frame_ms(&line));
            if line.starts_with("view player big-image step 2;") && page_at.is_none() {
                page_at = Some(ms);
            }
            if line.starts_with("view player big-image step 2;") && line.ends_with("ready 1") {
                image_at = Some(ms);
            }
        }
        let (Some(page_at), Some(image_at)) = (page_at, image_at) else {
            return Err("the image page or its image was never reported after Alt+→".into());
        };
        let shown: Vec<String> = after.iter().map(|ms| format!("{ms:.1}")).collect();
        println!(
            "  run {trial}: page 2 decided {page_at:.0} ms after the key, image drawn at {image_at:.0} ms; \
             CPU ms of each frame: {}",
            shown.join(", ")
        );
        worst_after.push(max(&after));
        shown_after.push(image_at);
        if trial == 5
            && let Some(shot) = shot
        {
            screenshot(display, &window, shot)?;
            println!("  screenshot of the image page: {}", shot.display());
        }
    }
    println!(
        "  text-page frames: median {:.1} ms, max {:.1} ms ({} frames)",
        median(&mut quiet.clone()),
        max(&quiet),
        quiet.len()
    );
    println!(
        "  longest frame after Alt+→, per run: {} ms (one frame at 60 Hz: 16.7 ms)",
        worst_after.iter().map(|ms| format!("{ms:.1}")).collect::<Vec<_>>().join(", ")
    );
    println!("  key to image drawn: median {:.0} ms (includes starting xdotool)", median(&mut shown_after));
    Ok(())
}

/// The library opens with the suggested module's button focused.
const OPEN_MODULE_KEYS: &[&str] = &["Return"];

fn frame_ms(line: &str) -> Option<f64> {
    line.strip_prefix("frame-ms ")?.parse().ok()
}

fn drain(app: &Running) {
    while let Ok(Some(_)) = app.next_line(Duration::from_millis(300)) {}
}

fn find_window(display: &Xvfb, pid: u32) -> Res<String> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let out = Command::new("xdotool")
            .env("DISPLAY", &display.name)
            .args(["search", "--onlyvisible", "--pid", &pid.to_string()])
            .output()
            .map_err(|e| format!("cannot run xdotool ({e}); run ../shared/tools/ui-probe-setup"))?;
        if let Some(id) = String::from_utf8_lossy(&out.stdout).lines().next() {
            return Ok(id.trim().to_owned());
        }
        if Instant::now() > deadline {
            return Err("the app's window did not appear".into());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Saves the window as PNG (xwd, then ImageMagick), to check what was measured.
fn screenshot(display: &Xvfb, window: &str, out: &Path) -> Res<()> {
    let xwd = Command::new("xwd")
        .env("DISPLAY", &display.name)
        .args(["-silent", "-id", window])
        .output()
        .map_err(|e| format!("cannot run xwd ({e})"))?;
    let mut convert = Command::new("convert")
        .args(["xwd:-", &out.display().to_string()])
        .stdin(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run ImageMagick's convert ({e})"))?;
    if let Some(mut stdin) = convert.stdin.take() {
        std::io::Write::write_all(&mut stdin, &xwd.stdout).map_err(|e| e.to_string())?;
    }
    convert.wait().map_err(|e| e.to_string())?;
    Ok(())
}

fn xdotool(display: &Xvfb, args: &[&str]) -> Res<()> {
    let status = Command::new("xdotool")
        .env("DISPLAY", &display.name)
        .args(args)
        .stderr(Stdio::null())
        .status()
        .map_err(|e| format!("cannot run xdotool ({e})"))?;
    if status.success() { Ok(()) } else { Err(format!("xdotool {args:?} failed")) }
}

/// A valid two-page module; the second page shows a 2048×2048 PNG (4.2 megapixels), whose path
/// is returned.
fn make_image_module(dir: &Path) -> Res<PathBuf> {
    std::fs::create_dir_all(dir.join("images")).map_err(|e| e.to_string())?;
    let side = 2048u32;
    let image = image::RgbImage::from_fn(side, side, |x, y| {
        // Smooth gradients with fine detail: a realistic photo-like size, not a flat colour.
        let detail = ((x * 7 + y * 13) ^ (x * y)) % 32;
        image::Rgb([((x / 8) % 256) as u8, ((y / 8) % 256) as u8, (96 + detail * 4) as u8])
    });
    image.save(dir.join("images/big.png")).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("module.ron"), IMAGE_MODULE).map_err(|e| e.to_string())?;
    let ctx = faro::validate::Context {
        today: chrono::Local::now().date_naive(),
        regions: None,
        terms: None,
        decode_images: true,
        pack: None,
    };
    let report = faro::validate::check_dir(dir, &ctx);
    if let Some(error) = report.diagnostics.iter().find(|d| d.is_error()) {
        return Err(format!("the generated module is invalid: {error}"));
    }
    Ok(dir.join("images/big.png"))
}

const IMAGE_MODULE: &str = r#"Module(
    id: "big-image",
    version: "1.0.0",
    languages: ["en", "es"],
    title: {"en": "A large image", "es": "Una imagen grande"},
    summary: {"en": "Measures page changes.", "es": "Mide los cambios de página."},
    minutes: 1,
    review_by: "2099-01-01",
    valid_for_months: 12,
    regions: ["us"],
    pass_rule: (scenarios_passed: false, checks_passed: false),
    steps: [
        Page(
            id: "before",
            title: {"en": "Before", "es": "Antes"},
            blocks: [Text({"en": "The next page shows a large image.", "es": "La página siguiente muestra una imagen grande."})],
        ),
        Page(
            id: "figure",
            title: {"en": "Figure", "es": "Figura"},
            blocks: [
                Image(
                    path: "images/big.png",
                    alt: {"en": "Coloured gradients.", "es": "Degradados de colores."},
                ),
            ],
        ),
    ],
)
"#;

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

fn min(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::INFINITY, f64::min)
}

fn max(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::NEG_INFINITY, f64::max)
}

//! Faro throughput bench (plain `fn main`, no harness): prints a small table of figures.
//!
//! ```sh
//! cargo bench --bench faro_bench                      # full: 1,000 modules, ~100 MB pack
//! FARO_BENCH_QUICK=1 cargo bench --bench faro_bench   # quick: 50 modules, ~10 MB pack
//! ```
//!
//! Two comparisons, each against the cheapest thing that does the same I/O:
//! - validate: `faro::validate::check_dir` over N synthetic modules vs reading the same files and
//!   parsing them as untyped `ron::Value` (goal: ≤ 1.5×);
//! - pack: `faro::pack::{build, verify, install}` of a ~100 MB pack vs SHA-256 over the same bytes
//!   plus a plain unzip of the same pack file (goal: ≤ 1.3×);
//! - bundled: the first unpack of the built-in modules, and the check at every start (digest, then
//!   every file compared with the embedded bytes; median of 21; goal: well under 1% of a launch);
//! - hostile modules: parse + validate of modules built to be slow to check (chains of nodes with
//!   raw-string ids, broken targets everywhere, a 28,000-node chain over the node limit), from
//!   10 KB to 4 MB; the goal is time linear in file size (the slope, ms per MB, stays flat); then
//!   the adversarial corpus of issue 26 (a run bomb, 2,000 and 40,000 references to one 4096²
//!   image, 4,000-level Markdown), each validated, verified and installed (goal: < 1 s each);
//! - records: a coordinator's merge of 100 laptops' records files (200 learners, the 7 bundled
//!   modules, 5,000 signed records played through the attempt state machine, with the modules'
//!   real content hashes), then the roster CSVs, the training matrix, the due list and the xAPI
//!   statements in batches of 500, phase by phase (goal, issues 15 and 25: all of it ≤ 2 s).
//! - preview (issue 14): in the author preview of a ~100 KiB module, from a save of its file to
//!   the frame that draws the reloaded module (the real file watcher and its debounce, reload,
//!   validation, one frame), median of 21, goal ≤ 100 ms; the scenario map of a 200-node
//!   scenario laid out, median of 21, goal ≤ 50 ms; the map of the largest scenario the format
//!   allows, built with arrows back across every column, goal ≤ 1 s.
//!
//! `FARO_BENCH_ONLY=records` (or a comma-separated list of `hostile`, `validate`, `pack`,
//! `bundled`, `records`, `preview`) runs only those phases.
//!
//! Peak RSS is `VmHWM` from `/proc/self/status`: process-wide and never decreasing, so a phase
//! only shows up when it raises the high-water mark above every earlier phase.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a panic here is a failed run, not a crash on a laptop

use std::fmt::Write as _;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use faro::data::DataDir;
use faro::pack::{self, BuildOptions, InstallOptions, PackId, TrustDecision};
use faro::validate::{self, Context};
use sha2::{Digest, Sha256};

#[path = "../tests/common/hostile_modules.rs"]
mod hostile_modules;
#[path = "../tests/common/lrs_records.rs"]
mod lrs_records;

/// Sizes of one run.
struct Plan {
    modules: usize,
    pages: usize,
    nodes: usize,
    pack_bytes: u64,
    image_side: u32,
}

fn plan() -> Plan {
    let quick = std::env::var_os("FARO_BENCH_QUICK").is_some_and(|v| v != "0");
    Plan {
        modules: if quick { 50 } else { 1_000 },
        pages: 50,
        nodes: 30,
        pack_bytes: if quick { 10 << 20 } else { 100 << 20 },
        // RGB of random bytes does not compress: 1,500² × 3 ≈ 6.4 MiB per PNG, under the 8 MiB cap.
        image_side: if quick { 700 } else { 1_500 },
    }
}

fn main() {
    let plan = plan();
    let tmp = tempfile::tempdir().expect("temp dir");
    println!(
        "faro_bench: {} modules × ({} pages, {} scenario nodes); pack of ~{} MiB; records: 100 files, 5,000 records",
        plan.modules,
        plan.pages,
        plan.nodes,
        plan.pack_bytes >> 20
    );
    let mut table = Table::default();
    if wanted("hostile") {
        bench_hostile(&mut table);
    }
    if wanted("validate") {
        bench_validate(&plan, tmp.path(), &mut table);
    }
    if wanted("pack") {
        bench_pack(&plan, tmp.path(), &mut table);
    }
    if wanted("bundled") {
        bench_bundled(tmp.path(), &mut table);
    }
    if wanted("records") {
        bench_records(tmp.path(), &mut table);
    }
    if wanted("preview") {
        bench_preview(tmp.path(), &mut table);
    }
    println!("\n{}", table.render());
}

/// Whether `FARO_BENCH_ONLY` (when set) names this phase.
fn wanted(phase: &str) -> bool {
    std::env::var("FARO_BENCH_ONLY").map_or(true, |only| only.split(',').any(|p| p.trim() == phase))
}

// ---------------------------------------------------------------------------------------------
// records

const BENCH_LEARNERS: usize = 200;
const BENCH_MODULES: usize = 7;
const BENCH_RECORDS: usize = 5_000;
const BENCH_LAPTOPS: usize = 100;

fn bench_records(tmp: &Path, table: &mut Table) {
    use faro::records::{self, MatrixOptions, MergeOptions, RowStatus, TrainingMatrix};
    let dir = tmp.join("records");
    std::fs::create_dir_all(&dir).expect("records dir");
    // Two learners per laptop, each laptop with its own key; every learner takes every bundled
    // module three or four times (passes, failed retakes), a few months apart.
    let laptops = lrs_records::coordinator_set(BENCH_RECORDS, BENCH_LAPTOPS).expect("records");
    let mut paths = Vec::new();
    for (i, signed) in laptops.iter().enumerate() {
        let path = dir.join(format!("laptop-{i:03}.json"));
        std::fs::write(&path, records::records_file_json(signed, None).expect("json")).expect("write");
        paths.push(path);
    }
    drop(laptops);
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).expect("date");
    reset_vm_hwm();

    let hwm = vm_hwm_kib();
    let all = Instant::now();
    let start = Instant::now();
    let roster = records::merge(&paths, &MergeOptions { as_of, trust: None });
    let t_merge = start.elapsed();
    assert_eq!((roster.rows.len(), roster.problems.len()), (BENCH_RECORDS, 0));
    table.row(
        "records: merge 100 files, 5,000 signed records of the bundled modules (read, verify, roster)",
        t_merge,
        None,
        hwm,
        vm_hwm_kib(),
    );
    let hwm = vm_hwm_kib();
    let start = Instant::now();
    let mut csv = Vec::new();
    records::write_roster_csv(&mut csv, &roster).expect("roster csv");
    records::write_choices_csv(&mut csv, &roster).expect("choices csv");
    records::write_questions_csv(&mut csv, &roster).expect("questions csv");
    table.row("records: roster, choices and questions CSV", start.elapsed(), None, hwm, vm_hwm_kib());
    let hwm = vm_hwm_kib();
    let start = Instant::now();
    let matrix = TrainingMatrix::build(&roster, &MatrixOptions::new(as_of));
    let t_matrix = start.elapsed();
    assert_eq!((matrix.learners.len(), matrix.modules.len()), (BENCH_LEARNERS, BENCH_MODULES));
    table.row("records: training matrix from that roster (200 × 7 cells)", t_matrix, None, hwm, vm_hwm_kib());
    let hwm = vm_hwm_kib();
    let start = Instant::now();
    let mut csv = Vec::new();
    records::write_matrix_csv(&mut csv, &matrix).expect("matrix csv");
    let before = chrono::NaiveDate::from_ymd_opt(2027, 3, 1).expect("date");
    records::write_due_csv(&mut csv, &matrix, &roster, &matrix.due_before(before)).expect("due csv");
    table.row("records: matrix CSV and due list CSV", start.elapsed(), None, hwm, vm_hwm_kib());
    let hwm = vm_hwm_kib();
    let start = Instant::now();
    let wanted = roster.rows.iter().map(|r| r.record.module_id.to_string()).collect();
    let roots = [Path::new(env!("CARGO_MANIFEST_DIR")).join("modules")];
    let (modules, unreadable) = records::ModuleIndex::load(&roots, &wanted);
    assert!(unreadable.is_empty(), "{unreadable:?}");
    table.row(
        "records: module texts found by content hash (7 bundled modules)",
        start.elapsed(),
        None,
        hwm,
        vm_hwm_kib(),
    );
    let hwm = vm_hwm_kib();
    let start = Instant::now();
    let xapi_dir = tmp.join("xapi");
    std::fs::create_dir_all(&xapi_dir).expect("xapi dir");
    // As `faro records merge --xapi` does: the records the roster counts, read again from their
    // files one at a time, their signatures checked by the merge.
    let options = records::XapiOptions::default();
    let mut writer: records::XapiWriter<std::io::Sink> = records::XapiWriter::files(
        &xapi_dir.join("statements.json"),
        records::XapiLayout::Batches(records::DEFAULT_BATCH),
        &modules,
        &options,
    )
    .expect("xapi");
    let kept: Vec<usize> =
        (0..roster.rows.len()).filter(|&i| roster.rows[i].status != RowStatus::Tampered).collect();
    let changed = roster.read_records(&kept, |_, record| writer.push_checked(record, None)).expect("xapi");
    assert!(changed.is_empty(), "{changed:?}");
    let files = writer.finish().expect("xapi");
    let t_xapi = start.elapsed();
    assert!(files.report.missing.is_empty() && files.report.unknown_items.is_empty(), "{:?}", files.report);
    let bytes: u64 = files.files.iter().map(|f| std::fs::metadata(f).map_or(0, |m| m.len())).sum();
    table.row(
        &format!(
            "records: xAPI, {} statements in {} files of 500 ({} MB)",
            files.report.statements,
            files.files.len(),
            bytes / 1_000_000
        ),
        t_xapi,
        None,
        hwm,
        vm_hwm_kib(),
    );
    table.row_within(
        "records: merge + CSVs + matrix + due list + xAPI",
        all.elapsed(),
        Duration::from_secs(2),
        hwm,
        vm_hwm_kib(),
    );
    bench_matrix_frame(tmp, &paths, table);
}

/// The Coordinator screen showing the 200 × 7 matrix: the CPU side of one frame (egui layout and
/// tessellation; no GPU here), median of 21, after the import (not timed).
fn bench_matrix_frame(tmp: &Path, paths: &[PathBuf], table: &mut Table) {
    use faro::app::{Action, Command, CoordinatorAction, FaroApp, LockAction};
    let mut app = FaroApp::new(app_config(&tmp.join("app-data")));
    let window = Window::default();
    window.frame(&mut app);
    app.apply(Command::OpenCoordinator, &window.ctx);
    // The first visit offers a passphrase, which hides the screen until answered.
    app.apply(Command::Lock(LockAction::NotNow), &window.ctx);
    app.apply(Action::Coordinator(CoordinatorAction::Import(paths.to_vec())), &window.ctx);
    // The import runs on a worker thread: draw until the matrix has arrived.
    let arrived = Instant::now();
    while app.importing_records() || arrived.elapsed() < Duration::from_millis(50) {
        window.frame(&mut app);
        assert!(arrived.elapsed() < Duration::from_secs(120), "the import did not finish");
        std::thread::sleep(Duration::from_millis(5));
    }
    for _ in 0..3 {
        window.frame(&mut app);
    }
    assert!(
        matches!(&app.screen, faro::app::Screen::Coordinator(c) if c.matrix.as_ref().is_some_and(|m| m.learners.len() == 200)),
        "the matrix of 200 learners is on screen"
    );
    let hwm = vm_hwm_kib();
    let mut times: Vec<Duration> = (0..21).map(|_| window.frame(&mut app)).collect();
    times.sort();
    table.row_within(
        "coordinator: one frame of the 200 × 7 matrix (CPU, median of 21)",
        times[times.len() / 2],
        Duration::from_millis(16),
        hwm,
        vm_hwm_kib(),
    );
}

/// The author preview: a save of a ~100 KiB module file until the frame that draws the reload
/// (CPU side of the frame; no GPU here), and the layout of a 200-node scenario map.
fn bench_preview(tmp: &Path, table: &mut Table) {
    use faro::app::FaroApp;
    let dir = tmp.join("preview").join("bench-module");
    std::fs::create_dir_all(&dir).expect("preview dir");
    let mut pages = 10;
    let mut text = module_text("preview-bench", pages, 30, &[]);
    while text.len() < 100 * 1024 {
        pages += 2;
        text = module_text("preview-bench", pages, 30, &[]);
    }
    let file = dir.join(faro::load::MODULE_FILE);
    std::fs::write(&file, &text).expect("module file");
    let mut app = FaroApp::preview(app_config(&tmp.join("preview-data")), &dir, None);
    let window = Window::default();
    let frame = |app: &mut FaroApp| window.frame(app);
    let generation = |app: &FaroApp| app.studio.as_ref().map_or(0, |s| s.session.generation());
    for _ in 0..3 {
        frame(&mut app);
    }
    let hwm = vm_hwm_kib();
    let mut times = Vec::new();
    for i in 0..21 {
        let before = generation(&app);
        // A different file each time (a comment at the end), so every save is a real change.
        std::fs::write(&file, format!("{text}// save {i}\n")).expect("save");
        let saved = Instant::now();
        while generation(&app) == before {
            assert!(saved.elapsed() < Duration::from_secs(10), "the preview never reloaded");
            // The window sleeps until the watcher wakes it; here a frame every millisecond
            // stands in for that wake-up.
            std::thread::sleep(Duration::from_millis(1));
            frame(&mut app);
        }
        times.push(saved.elapsed());
    }
    times.sort();
    table.row_within(
        &format!("preview: save → reloaded frame, {} KiB module (median of 21)", text.len() / 1024),
        times[times.len() / 2],
        Duration::from_millis(100),
        hwm,
        vm_hwm_kib(),
    );

    // A real module of that size, with its images decoded at every reload as `faro validate`
    // does: the reload alone, without the watcher or a frame.
    let real = Path::new("modules/02-recognizing-indicators");
    let regions = faro::bundled::regions().expect("regions");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 2).expect("date");
    let mut session = faro::preview::Session::open(real, regions, today);
    let bytes = std::fs::metadata(real.join(faro::load::MODULE_FILE)).map_or(0, |m| m.len());
    let hwm = vm_hwm_kib();
    let mut times: Vec<Duration> = (0..21)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(session.reload());
            start.elapsed()
        })
        .collect();
    times.sort();
    table.row_within(
        &format!(
            "preview: reload of {} ({} KiB, images decoded; median of 21)",
            real.display(),
            bytes / 1024
        ),
        times[times.len() / 2],
        Duration::from_millis(100),
        hwm,
        vm_hwm_kib(),
    );

    let source = module_text("map-bench", 0, 200, &[]);
    let module = faro::load::parse_module(Path::new("map-bench.ron"), &source).expect("map module");
    let Some(faro::format::Step::Scenario(scenario)) =
        module.steps.iter().find(|s| matches!(s, faro::format::Step::Scenario(_)))
    else {
        panic!("the bench module has no scenario");
    };
    let hwm = vm_hwm_kib();
    let mut times: Vec<Duration> = (0..21)
        .map(|_| {
            let start = Instant::now();
            let map = faro::map::ScenarioMap::new(scenario, "en");
            let curves: Vec<_> = map.edges.iter().map(|e| faro::map::geometry::curves(&e.route)).collect();
            std::hint::black_box((map, curves));
            start.elapsed()
        })
        .collect();
    times.sort();
    table.row_within(
        &format!("map: layout of a {}-node scenario (median of 21)", scenario.nodes.len()),
        times[times.len() / 2],
        Duration::from_millis(50),
        hwm,
        vm_hwm_kib(),
    );

    // The largest scenario the format allows, built to be slow: a chain of 1,000 nodes, each
    // with 29 more choices back to the start (arrows across up to 999 columns).
    let largest = largest_map_scenario();
    let hwm = vm_hwm_kib();
    let mut times: Vec<Duration> = (0..5)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(faro::map::ScenarioMap::new(&largest, "en"));
            start.elapsed()
        })
        .collect();
    times.sort();
    table.row_within(
        "map: layout of the largest scenario allowed (1,000 nodes × 30 choices, 29 back to the start; median of 5)",
        times[times.len() / 2],
        Duration::from_secs(1),
        hwm,
        vm_hwm_kib(),
    );
}

/// A scenario at the format's caps whose arrows back span the whole map.
fn largest_map_scenario() -> faro::format::Scenario {
    use faro::format::limits::{MAX_CHOICES_PER_NODE, MAX_NODES};
    use faro::format::{Choice, Ending, Node, Outcome, Scenario, Text};
    let text = |s: &str| Text::from_pairs([("en", s)]);
    let choice = |id: String, goto: String| Choice {
        id,
        text: text("Wait and see what happens next, then decide"),
        goto: Some(goto),
        feedback: None,
        score: 1,
        sets: Vec::new(),
        when: None,
        critical: None,
        act: None,
    };
    let nodes = (0..MAX_NODES)
        .map(|i| {
            let next = if i + 1 < MAX_NODES { format!("n{}", i + 1) } else { "end".to_owned() };
            let mut choices = vec![choice("next".to_owned(), next)];
            choices.extend((1..MAX_CHOICES_PER_NODE).map(|c| choice(format!("back{c}"), "n0".to_owned())));
            Node { id: format!("n{i}"), text: text("A moment of the story"), image: None, choices }
        })
        .collect();
    Scenario {
        id: "largest".into(),
        title: text("Largest"),
        content_note: None,
        start: "n0".into(),
        nodes,
        endings: vec![Ending {
            id: "end".into(),
            outcome: Outcome::Pass,
            summary: text("The end"),
            claims: Vec::new(),
        }],
        pass_score: None,
        requires: Vec::new(),
    }
}

/// The app's configuration for a bench: no module folders, data in `data`.
fn app_config(data: &Path) -> faro::app::Config {
    faro::app::Config {
        data_dir: DataDir::at(data.to_owned()),
        data_location: None,
        module_folders: Vec::new(),
        regions: faro::bundled::regions().expect("regions"),
        today: chrono::NaiveDate::from_ymd_opt(2026, 12, 2).expect("date"),
        problems: Vec::new(),
        first_language: "en".into(),
        installed_load_gate: None,
        install_gate: None,
    }
}

/// A 1100 × 760 window with no renderer.
#[derive(Default)]
struct Window {
    ctx: egui::Context,
}

impl Window {
    /// One frame of `app`, CPU side (egui layout and tessellation); the font atlas updates a frame
    /// carries are dropped on purpose, as there is no GPU to send them to.
    fn frame(&self, app: &mut faro::app::FaroApp) -> Duration {
        let input = egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1100.0, 760.0))),
            ..Default::default()
        };
        let start = Instant::now();
        let mut output = self.ctx.run_ui(input, |ui| app.show(ui));
        let _ = self.ctx.tessellate(output.shapes, output.pixels_per_point);
        output.textures_delta.clear();
        start.elapsed()
    }
}

// ---------------------------------------------------------------------------------------------
// bundled modules

fn bench_bundled(tmp: &Path, table: &mut Table) {
    let parent = tmp.join("bundled");
    let hwm = vm_hwm_kib();
    let start = Instant::now();
    let dir = faro::bundled::unpack_into(&parent).expect("unpack");
    table.row("bundled: first unpack (writes and flushes)", start.elapsed(), None, hwm, vm_hwm_kib());
    let hwm = vm_hwm_kib();
    let mut check: Vec<Duration> = (0..21)
        .map(|_| {
            let start = Instant::now();
            faro::bundled::unpack_into(&parent).expect("check");
            start.elapsed()
        })
        .collect();
    check.sort();
    // No ratio: the floor (reading 0.7 MB from the page cache) is tens of microseconds, and what
    // matters is the absolute cost on the launch path, next to a first frame of ~130 ms.
    table.row(
        "bundled: start-up check, median of 21 (unchanged copy)",
        check[check.len() / 2],
        None,
        hwm,
        vm_hwm_kib(),
    );
    assert_eq!(dir, faro::bundled::unpack_into(&parent).expect("check"));
}

// ---------------------------------------------------------------------------------------------
// hostile modules

/// Parse + validate, in memory, best of three.
fn time_validation(text: &str) -> (Duration, usize) {
    let file = Path::new("hostile/module.ron");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).expect("date");
    // Everything `faro validate` checks, prose against the bundled contacts and terms included.
    let regions = faro::bundled::regions().expect("regions");
    let ctx = Context {
        today,
        regions: Some(&regions),
        terms: faro::bundled::terms().ok(),
        decode_images: false,
        pack: None,
    };
    let mut best = Duration::MAX;
    let mut findings = 0;
    for _ in 0..3 {
        let started = Instant::now();
        let module = faro::load::parse_module(file, text).expect("the generated module parses");
        let loaded = faro::load::LoadedModule {
            dir: PathBuf::from("hostile"),
            file: file.to_owned(),
            source: text.to_owned(),
            module,
        };
        findings = validate::validate(&loaded, &ctx).len();
        best = best.min(started.elapsed());
    }
    (best, findings)
}

fn bench_hostile(table: &mut Table) {
    use hostile_modules::{IdStyle, chain, chains_of_size, module};
    // First, while the process is small: its peak memory is the figure to watch.
    bench_pack_of_twenty_large_modules(table);
    let mut slopes = Vec::new();
    for bytes in [10_000, 100_000, 1_000_000, 3_900_000] {
        // Chains as long as the node limit allows, shorter for the smallest file.
        let nodes = (bytes / 150).clamp(10, faro::format::limits::MAX_NODES);
        let text = chains_of_size(bytes, nodes, IdStyle::Raw);
        let hwm = vm_hwm_kib();
        let (t, findings) = time_validation(&text);
        assert_eq!(findings, 0, "the chains are valid");
        let mb = text.len() as f64 / 1e6;
        let per_mb = t.as_secs_f64() * 1000.0 / mb;
        slopes.push((mb, per_mb));
        // The untyped parse of the same text, as a yardstick that does no checking: if it grows
        // the same way, what grows is the memory traffic, not the checks.
        let mut parse = Duration::MAX;
        for _ in 0..3 {
            let started = Instant::now();
            std::hint::black_box(ron::from_str::<ron::Value>(&text).expect("parses as RON"));
            parse = parse.min(started.elapsed());
        }
        let name = format!(
            "hostile: chains, raw-string ids, {mb:.2} MB ({per_mb:.1} ms/MB; ron::Value parse {:.1} ms/MB)",
            parse.as_secs_f64() * 1000.0 / mb
        );
        table.row(&name, t, Some((parse, 1.5)), hwm, vm_hwm_kib());
    }
    let n = faro::format::limits::MAX_NODES;
    let broken = module(&[chain("s", n, IdStyle::Raw, &|i| format!("gone-{i}"))]);
    let (t, findings) = time_validation(&broken);
    let name =
        format!("hostile: {n} broken gotos, {:.2} MB ({findings} findings shown)", broken.len() as f64 / 1e6);
    table.row(&name, t, None, 0, vm_hwm_kib());
    let over = module(&[chain("s", 28_000, IdStyle::Raw, &hostile_modules::next_in(28_000))]);
    let started = Instant::now();
    let refused = faro::load::parse_module(Path::new("hostile/module.ron"), &over);
    let t = started.elapsed();
    assert!(refused.is_err(), "a chain over the node limit is refused while it is read");
    let name = format!(
        "hostile: 28,000-node chain, over the node limit, {:.2} MB (refused while read)",
        over.len() as f64 / 1e6
    );
    table.row(&name, t, None, 0, vm_hwm_kib());
    // Small files sit in the processor's caches and their chains are shorter; from 1 MB up the
    // shape is the same (chains of MAX_NODES), so that is where the slope is compared.
    bench_hostile_corpus(table);
    let (first, last) = (slopes[2], slopes[slopes.len() - 1]);
    println!(
        "hostile modules: {:.1} ms/MB at {:.2} MB, {:.1} ms/MB at {:.2} MB: slope ratio {:.2} (1.00 = linear)",
        first.1,
        first.0,
        last.1,
        last.0,
        last.1 / first.1
    );
}

/// The adversarial corpus of issue 26: each module validated as `faro validate` does (images
/// decoded, in a folder), then verified and installed in a pack signed around it, as a hostile
/// publisher would ship it. A module refused by verify is timed to its refusal.
fn bench_hostile_corpus(table: &mut Table) {
    use hostile_modules::{deep_markdown_page, image_page, module, run_bomb};
    let tmp = tempfile::tempdir().expect("temp dir");
    let figure = tmp.path().join("figure.png");
    // 4096×4096, one colour: a small file (a few tens of KB) that costs 64 MiB to decode.
    image::RgbImage::from_pixel(4096, 4096, image::Rgb([200, 120, 40])).save(&figure).expect("png");
    let per_page = faro::format::limits::MAX_BLOCKS_PER_PAGE;
    let image_pages = |pages: usize| -> String {
        let steps: Vec<String> =
            (0..pages).map(|p| image_page(&format!("p{p}"), per_page, "images/figure.png")).collect();
        module(&steps)
    };
    // (name, module, whether `faro validate` finds no error, whether a pack of it verifies): the
    // run bomb is only warned about in an author's folder, and refused in a pack.
    let corpus: Vec<(String, String, bool, bool)> = vec![
        ("run bomb: 197 scenarios × 20 looping choices, 64-term when".into(), run_bomb(197), true, false),
        ("image references: 2,000 → one 4096² PNG".into(), image_pages(10), true, true),
        ("image references: 40,000 (the caps) → one 4096² PNG".into(), image_pages(200), true, true),
        (
            "Markdown: 4,000 nested quotes and list items".into(),
            module(&[deep_markdown_page("deep", 4_000)]),
            false,
            false,
        ),
    ];
    let today = chrono::Local::now().date_naive();
    let regions = faro::bundled::regions().expect("regions");
    let key = pack::generate_key().expect("key");
    for (k, (name, text, validates, valid)) in corpus.iter().enumerate() {
        let dir = tmp.path().join(format!("m{k}"));
        std::fs::create_dir_all(dir.join("images")).expect("module dir");
        std::fs::copy(&figure, dir.join("images/figure.png")).expect("figure");
        std::fs::write(dir.join("module.ron"), text).expect("module file");
        let mb = text.len() as f64 / 1e6;
        let ctx = Context {
            today,
            regions: Some(&regions),
            terms: faro::bundled::terms().ok(),
            decode_images: true,
            pack: None,
        };
        let hwm = vm_hwm_kib();
        let started = Instant::now();
        let report = validate::check_dir(&dir, &ctx);
        let t_validate = started.elapsed();
        assert_eq!(!report.has_errors(), *validates, "{name}: {:?}", report.diagnostics.first());
        table.row_within(
            &format!("hostile corpus: {name}, {mb:.2} MB: validate"),
            t_validate,
            Duration::from_secs(1),
            hwm,
            vm_hwm_kib(),
        );

        let out = tmp.path().join(format!("m{k}.faropack"));
        signed_pack(&out, &key, &dir, "hostile");
        let hwm = vm_hwm_kib();
        let started = Instant::now();
        let verified = pack::verify(&out, Some(&key.verifying_key()));
        let t_verify = started.elapsed();
        assert_eq!(
            verified.is_ok(),
            *valid,
            "{name}: {:?}",
            verified.as_ref().err().map(ToString::to_string)
        );
        let what = if *valid { "verify" } else { "verify (refused)" };
        table.row_within(
            &format!("hostile corpus: {name}: {what}"),
            t_verify,
            Duration::from_secs(1),
            hwm,
            vm_hwm_kib(),
        );

        let data = DataDir::at(tmp.path().join(format!("data{k}")));
        let hwm = vm_hwm_kib();
        let started = Instant::now();
        let installed =
            pack::install(&data, &out, TrustDecision::Trust(key.verifying_key()), &InstallOptions::default());
        let t_install = started.elapsed();
        assert_eq!(installed.is_ok(), *valid, "{name}");
        let what = if *valid { "install" } else { "install (refused)" };
        table.row_within(
            &format!("hostile corpus: {name}: {what}"),
            t_install,
            Duration::from_secs(1),
            hwm,
            vm_hwm_kib(),
        );
    }
}

/// The pack of issue 26, item 3b: 20 modules of 3.97 MB each (chains of 1,000 nodes), 80 MB of
/// module text. Verify refuses it from the modules' estimated memory before reading them; the
/// figure to watch is the peak memory, which once was 1.6 GiB.
fn bench_pack_of_twenty_large_modules(table: &mut Table) {
    use hostile_modules::{IdStyle, chains_of_size};
    let tmp = tempfile::tempdir().expect("temp dir");
    let chains = chains_of_size(3_970_000, faro::format::limits::MAX_NODES, IdStyle::Plain);
    let dirs: Vec<(PathBuf, String)> = (0..20)
        .map(|k| {
            let dir = tmp.path().join(format!("m{k}"));
            std::fs::create_dir_all(&dir).expect("module dir");
            let text = chains.replacen("id: \"hostile\"", &format!("id: \"large-{k}\""), 1);
            std::fs::write(dir.join("module.ron"), text).expect("module file");
            (dir, format!("m{k}"))
        })
        .collect();
    let key = pack::generate_key().expect("key");
    let out = tmp.path().join("twenty.faropack");
    signed_pack_of(&out, &key, &dirs, "twenty");
    // Making the pack parsed each module once; that peak is the bench's, not verify's.
    reset_vm_hwm();
    let hwm = vm_hwm_kib();
    let started = Instant::now();
    let verified = pack::verify(&out, Some(&key.verifying_key()));
    let t = started.elapsed();
    let refused_for_memory = matches!(&verified, Err(pack::PackError::InvalidModules { diagnostics })
        if diagnostics.iter().any(|d| d.message.contains("of memory together")));
    assert!(refused_for_memory, "{:?}", verified.err().map(|e| e.to_string()));
    table.row_within(
        "hostile: pack of 20 modules × 3.97 MB: verify (refused: memory)",
        t,
        Duration::from_secs(1),
        hwm,
        vm_hwm_kib(),
    );
}

/// A pack of the one module folder `dir` (as `modules/m/…`), signed with `key` without the
/// checks `pack::build` runs: what a hostile publisher can ship.
fn signed_pack(out: &Path, key: &pack::SigningKey, dir: &Path, id: &str) {
    signed_pack_of(out, key, &[(dir.to_owned(), "m".to_owned())], id);
}

/// The same for several module folders, each `(folder, name in the pack)`.
fn signed_pack_of(out: &Path, key: &pack::SigningKey, dirs: &[(PathBuf, String)], id: &str) {
    let mut files = Vec::new();
    let mut modules = Vec::new();
    for (dir, name) in dirs {
        for file in ["module.ron", "images/figure.png"] {
            if let Ok(data) = std::fs::read(dir.join(file)) {
                files.push((format!("modules/{name}/{file}"), data));
            }
        }
        // The id and version as the module says them, read without parsing the whole module (a
        // parse of a large one would set the bench's peak memory before verify's is measured).
        let text = std::fs::read_to_string(dir.join("module.ron")).expect("module file");
        let field = |name: &str| {
            let start = text.find(&format!("{name}: \"")).expect("field") + name.len() + 3;
            text[start..].split('"').next().expect("value").to_owned()
        };
        let version = semver::Version::parse(&field("version")).expect("version");
        modules.push(pack::ManifestModule { dir: name.clone(), id: field("id"), version });
    }
    let manifest = pack::Manifest {
        format: pack::MANIFEST_FORMAT,
        id: PackId::new(id).expect("id"),
        version: semver::Version::new(1, 0, 0),
        title: "Hostile".to_owned(),
        publisher: "Hostile publisher".to_owned(),
        created: chrono::Utc::now(),
        modules,
        files: files
            .iter()
            .map(|(name, data)| pack::ManifestFile {
                path: name.clone(),
                size: data.len() as u64,
                sha256: pack::Sha256Hash(Sha256::digest(data).into()),
            })
            .collect(),
    };
    let text = manifest.to_text().expect("manifest");
    let signature = pack::PackSignature::create(key, text.as_bytes()).to_text().expect("signature");
    files.push((pack::MANIFEST_NAME.to_owned(), text.into_bytes()));
    files.push((pack::SIGNATURE_NAME.to_owned(), signature.into_bytes()));
    let mut zip = zip::ZipWriter::new(std::fs::File::create(out).expect("pack file"));
    for (name, data) in files {
        // Stored: the 40,000 identical references compress past the 100:1 zip-bomb ratio.
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored)
            .unix_permissions(0o644);
        zip.start_file(name, options).expect("entry");
        std::io::Write::write_all(&mut zip, &data).expect("entry data");
    }
    zip.finish().expect("zip");
}

// ---------------------------------------------------------------------------------------------
// validate

fn bench_validate(plan: &Plan, tmp: &Path, table: &mut Table) {
    let root = tmp.join("validate");
    let figure = std::fs::read("tests/fixtures/good/minimal/images/figure.png").expect("fixture image");
    let dirs: Vec<PathBuf> = (0..plan.modules)
        .map(|i| {
            let dir = root.join(format!("m{i:04}"));
            std::fs::create_dir_all(dir.join("images")).expect("module dir");
            std::fs::write(dir.join("images/figure.png"), &figure).expect("image");
            let text =
                module_text(&format!("bench-{i:04}"), plan.pages, plan.nodes, &["images/figure.png".into()]);
            std::fs::write(dir.join("module.ron"), text).expect("module file");
            dir
        })
        .collect();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).expect("date");
    let ctx = Context { today, regions: None, terms: None, decode_images: true, pack: None };

    // Warm the page cache and check that every module is valid, so both sides time the same work.
    for dir in &dirs {
        let report = validate::check_dir(dir, &ctx);
        assert!(!report.has_errors(), "{}: {:?}", dir.display(), report.diagnostics);
    }

    // Alternate the two, three rounds each, and keep the best of each (least disturbed).
    let (mut ours, mut base, mut typed) = (Duration::MAX, Duration::MAX, Duration::MAX);
    let hwm_before = vm_hwm_kib();
    for _ in 0..3 {
        let started = Instant::now();
        let mut findings = 0;
        for dir in &dirs {
            findings += validate::check_dir(dir, &ctx).diagnostics.len();
        }
        std::hint::black_box(findings);
        ours = ours.min(started.elapsed());

        let started = Instant::now();
        for dir in &dirs {
            let text = std::fs::read_to_string(dir.join("module.ron")).expect("read");
            let value: ron::Value = ron::from_str(&text).expect("parses as RON");
            std::hint::black_box(value);
        }
        base = base.min(started.elapsed());

        // For reference (no goal): read + the typed parse alone, to split parse from checks.
        let started = Instant::now();
        for dir in &dirs {
            let file = dir.join("module.ron");
            let text = std::fs::read_to_string(&file).expect("read");
            std::hint::black_box(faro::load::parse_module(&file, &text).expect("typed parse"));
        }
        typed = typed.min(started.elapsed());
    }
    let hwm = vm_hwm_kib();
    table.row(&format!("validate::check_dir × {}", plan.modules), ours, Some((base, 1.5)), hwm_before, hwm);
    table.row(&format!("baseline: read + ron::Value × {}", plan.modules), base, None, hwm_before, hwm);
    table.row(&format!("(ref.) read + load::parse_module × {}", plan.modules), typed, None, hwm_before, hwm);
}

/// A valid module in the Faro format: `pages` pages of text, a scenario of `nodes` nodes in a
/// chain (each with a safe choice onward and an unsafe, critical one), and a one-question check.
fn module_text(id: &str, pages: usize, nodes: usize, images: &[String]) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        r#"Module(
    id: "{id}",
    version: "1.0.0",
    languages: ["en", "es"],
    title: {{"en": "Bench module {id}", "es": "Módulo de prueba {id}"}},
    summary: {{"en": "A synthetic module for timing.", "es": "Un módulo sintético para medir."}},
    minutes: 30,
    review_by: "2099-01-01",
    valid_for_months: 12,
    regions: ["us", "mx"],
    sources: [Source(id: "dhs-blue", title: "DHS Blue Campaign", url: "https://www.dhs.gov/blue-campaign")],
    pass_rule: (scenarios_passed: true, checks_passed: true),
    steps: [
"#
    );
    for p in 0..pages {
        let _ = write!(
            s,
            r#"        Page(
            id: "page-{p}",
            title: {{"en": "Page {p}", "es": "Página {p}"}},
            blocks: [
                Text({{"en": "Volunteers **notice** what they see and **report** it to the hotline; they never investigate or confront anyone. Page {p}.", "es": "Las personas voluntarias **observan** lo que ven y lo **reportan** a la línea; nunca investigan ni confrontan a nadie. Página {p}."}}),
                Callout(kind: Warning, text: {{"en": "Never confront a suspect.", "es": "Nunca confronte a un sospechoso."}}),
                Indicators(title: {{"en": "Signs", "es": "Señales"}}, items: [{{"en": "Someone else speaks for them.", "es": "Otra persona habla por ella."}}, {{"en": "No documents.", "es": "Sin documentos."}}]),
"#
        );
        if p == 0 {
            s.push_str("                Sources([\"dhs-blue\"]),\n");
        }
        if let Some(path) = images.get(p) {
            let _ = writeln!(
                s,
                r#"                Image(path: "{path}", alt: {{"en": "A figure.", "es": "Una figura."}}),"#
            );
        }
        s.push_str("            ],\n        ),\n");
    }
    // Pages beyond `pages` for any images left over, so that every image is shown somewhere.
    for (k, path) in images.iter().enumerate().skip(pages) {
        let _ = writeln!(
            s,
            r#"        Page(id: "image-{k}", title: {{"en": "Figure {k}", "es": "Figura {k}"}}, blocks: [Image(path: "{path}", alt: {{"en": "A figure.", "es": "Una figura."}})]),"#
        );
    }
    s.push_str(
        r#"        Scenario(
            id: "walk",
            title: {"en": "A long walk", "es": "Una larga caminata"},
            start: "n0",
            nodes: [
"#,
    );
    for n in 0..nodes {
        let next = if n + 1 == nodes { "done".to_owned() } else { format!("n{}", n + 1) };
        let _ = write!(
            s,
            r#"                Node(
                    id: "n{n}",
                    text: {{"en": "Step {n}: a child looks scared.", "es": "Paso {n}: un menor se ve asustado."}},
                    choices: [
                        Choice(id: "note-{n}", text: {{"en": "Note details and step away.", "es": "Anotar detalles y alejarse."}}, goto: "{next}", feedback: {{"en": "Good.", "es": "Bien."}}, score: 1),
                        Choice(id: "confront-{n}", text: {{"en": "Confront the adult.", "es": "Confrontar al adulto."}}, critical: Critical(why: {{"en": "It is dangerous.", "es": "Es peligroso."}}, instead: {{"en": "Note and report.", "es": "Anote y reporte."}})),
                    ],
                ),
"#
        );
    }
    let _ = write!(
        s,
        r#"            ],
            endings: [Ending(id: "done", outcome: Pass, summary: {{"en": "You reported safely.", "es": "Reportó de forma segura."}})],
            pass_score: {nodes},
        ),
        Check(
            id: "quiz",
            title: {{"en": "Check", "es": "Compruebe"}},
            pass_mark: 1,
            questions: [
                Question(
                    id: "q1",
                    kind: TrueFalse,
                    prompt: {{"en": "You should confront a suspect.", "es": "Debe confrontar a un sospechoso."}},
                    answers: [
                        Answer(id: "true", text: {{"en": "True", "es": "Verdadero"}}, explain: {{"en": "No.", "es": "No."}}),
                        Answer(id: "false", text: {{"en": "False", "es": "Falso"}}, correct: true, explain: {{"en": "Right.", "es": "Correcto."}}),
                    ],
                ),
            ],
        ),
    ],
)
"#
    );
    s
}

// ---------------------------------------------------------------------------------------------
// pack

fn bench_pack(plan: &Plan, tmp: &Path, table: &mut Table) {
    let root = tmp.join("pack-src");
    let image_bytes = u64::from(plan.image_side).pow(2) * 3;
    let images_total = plan.pack_bytes.div_ceil(image_bytes) as usize;
    let per_module = 4;
    let mut rng = 0x243F_6A88_85A3_08D3_u64;
    let mut dirs = Vec::new();
    for m in 0..images_total.div_ceil(per_module) {
        let dir = root.join(format!("big{m:02}"));
        std::fs::create_dir_all(dir.join("images")).expect("module dir");
        let mut paths = Vec::new();
        for k in 0..per_module.min(images_total - m * per_module) {
            let path = format!("images/noise{k}.png");
            write_noise_png(&dir.join(&path), plan.image_side, &mut rng);
            paths.push(path);
        }
        std::fs::write(dir.join("module.ron"), module_text(&format!("big-{m:02}"), 5, 5, &paths))
            .expect("module file");
        dirs.push(dir);
    }
    let key = pack::generate_key().expect("key");
    let options = BuildOptions {
        id: PackId::new("bench-pack").expect("id"),
        version: semver::Version::new(1, 0, 0),
        title: "Bench pack".into(),
        publisher: "Bench".into(),
        created: chrono::Utc::now(),
    };
    let out = tmp.join("bench.faropack");

    let hwm0 = vm_hwm_kib();
    let started = Instant::now();
    pack::build(&dirs, &key, &options, &out).expect("build");
    let t_build = started.elapsed();
    let hwm1 = vm_hwm_kib();
    let pack_len = std::fs::metadata(&out).expect("pack").len();

    let started = Instant::now();
    pack::verify(&out, Some(&key.verifying_key())).expect("verify");
    let t_verify = started.elapsed();
    let hwm2 = vm_hwm_kib();

    let data_root = tmp.join("data");
    let data = DataDir::at(data_root.clone());
    let started = Instant::now();
    pack::install(&data, &out, TrustDecision::Trust(key.verifying_key()), &InstallOptions::default())
        .expect("install");
    let t_install = started.elapsed();
    let hwm3 = vm_hwm_kib();

    // Baseline: hash every source file (what build must read), and a plain unzip of the pack
    // (what verify and install must do at least).
    let started = Instant::now();
    let mut hashed = 0u64;
    for dir in &dirs {
        for entry in std::fs::read_dir(dir.join("images")).expect("images") {
            hashed += sha256_file(&entry.expect("entry").path());
        }
        hashed += sha256_file(&dir.join("module.ron"));
    }
    let t_sha = started.elapsed();
    let started = Instant::now();
    let unzipped = tmp.join("unzipped");
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&out).expect("pack")).expect("zip");
    archive.extract(&unzipped).expect("unzip");
    let t_unzip = started.elapsed();
    let base = t_sha + t_unzip;
    let hwm4 = vm_hwm_kib();

    println!(
        "pack: {} modules, {} images of {}² px, {:.1} MiB of sources hashed, pack file {:.1} MiB",
        dirs.len(),
        images_total,
        plan.image_side,
        hashed as f64 / 1048576.0,
        pack_len as f64 / 1048576.0
    );
    table.row("pack::build", t_build, Some((base, 1.3)), hwm0, hwm1);
    table.row("pack::verify", t_verify, Some((base, 1.3)), hwm1, hwm2);
    table.row("pack::install", t_install, Some((base, 1.3)), hwm2, hwm3);
    table.row("baseline: sha256 of sources", t_sha, None, hwm3, hwm4);
    table.row("baseline: unzip of pack", t_unzip, None, hwm3, hwm4);
    table.row("baseline: sha256 + unzip", base, None, hwm3, hwm4);
}

/// Writes a `side`×`side` RGB PNG of pseudo-random pixels (incompressible, so the file is large).
fn write_noise_png(path: &Path, side: u32, rng: &mut u64) {
    let mut pixels = vec![0u8; (side * side * 3) as usize];
    for chunk in pixels.chunks_mut(8) {
        *rng ^= *rng << 13;
        *rng ^= *rng >> 7;
        *rng ^= *rng << 17;
        let bytes = rng.to_le_bytes();
        chunk.copy_from_slice(&bytes[..chunk.len()]);
    }
    let img = image::RgbImage::from_raw(side, side, pixels).expect("image buffer");
    img.save_with_format(path, image::ImageFormat::Png).expect("write PNG");
}

fn sha256_file(path: &Path) -> u64 {
    let mut file = std::fs::File::open(path).expect("open");
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    let mut total = 0u64;
    loop {
        let n = file.read(&mut buf).expect("read");
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        total += n as u64;
    }
    std::hint::black_box(hasher.finalize());
    total
}

// ---------------------------------------------------------------------------------------------
// reporting

/// Peak resident set size of this process so far, in KiB (0 where /proc is missing).
/// Lowers the peak resident memory (`VmHWM`) to what the process holds now (Linux: writing 5 to
/// `clear_refs`), so the next phase's peak is its own; elsewhere, or if refused, nothing changes.
fn reset_vm_hwm() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn vm_hwm_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

#[derive(Default)]
struct Table {
    rows: Vec<[String; 5]>,
}

impl Table {
    /// One timed phase; `vs` is (baseline time, goal ratio) when the phase has a goal.
    fn row(&mut self, name: &str, t: Duration, vs: Option<(Duration, f64)>, hwm_before: u64, hwm_after: u64) {
        let (ratio, goal) = match vs {
            Some((base, goal)) => {
                let r = t.as_secs_f64() / base.as_secs_f64();
                (format!("{r:.2}×"), format!("≤ {goal}× {}", if r <= goal { "met" } else { "NOT met" }))
            }
            None => ("".into(), "".into()),
        };
        self.rows.push([
            name.to_owned(),
            format!("{:.1} ms", t.as_secs_f64() * 1000.0),
            ratio,
            goal,
            format!("{} → {} MiB", hwm_before / 1024, hwm_after / 1024),
        ]);
    }

    /// One timed phase with an absolute goal.
    fn row_within(&mut self, name: &str, t: Duration, limit: Duration, hwm_before: u64, hwm_after: u64) {
        let met = if t <= limit { "met" } else { "NOT met" };
        self.rows.push([
            name.to_owned(),
            format!("{:.1} ms", t.as_secs_f64() * 1000.0),
            String::new(),
            if limit < Duration::from_secs(1) {
                format!("≤ {} ms {met}", limit.as_millis())
            } else {
                format!("≤ {:.0} s {met}", limit.as_secs_f64())
            },
            format!("{} → {} MiB", hwm_before / 1024, hwm_after / 1024),
        ]);
    }

    fn render(&self) -> String {
        let header = ["phase", "time", "ratio", "goal", "peak RSS (VmHWM)"];
        let mut out = format!("| {} |\n|{}\n", header.join(" | "), "---|".repeat(header.len()));
        for r in &self.rows {
            let _ = writeln!(out, "| {} |", r.join(" | "));
        }
        out
    }
}

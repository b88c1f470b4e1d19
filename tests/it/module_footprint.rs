//! The memory estimate of a module (`faro::load::footprint`) against what reading and checking
//! it really takes on this thread: an upper bound for every shape built to take memory, and not
//! wildly pessimistic for real modules (issue 26, item 3b).

use std::path::{Path, PathBuf};

use faro::load::LoadedModule;
use faro::load::footprint::{MAX_MODULE_FOOTPRINT, MAX_PACK_FOOTPRINT, footprint};
use faro::pack::{self, InstallOptions, PackError, TrustDecision};
use faro::validate::{self, Context, PackBudget};

use crate::common::hostile_modules::{self as hostile, IdStyle};
use crate::common::thread_heap::peak_during;

/// About this many bytes of module text per generated shape: the estimate is linear in what it
/// counts, so a quarter of the file cap tells the same as the cap, four times faster.
const SHAPE_BYTES: usize = 1024 * 1024;

/// Reads and validates `source` as a pack's module (images not decoded: their memory is the
/// decoder's, bounded by its own limits); returns the peak bytes this thread held meanwhile.
fn measured(source: &str) -> u64 {
    let regions = faro::bundled::regions().unwrap();
    let budget = PackBudget::default();
    let ctx = Context {
        today: chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        regions: Some(&regions),
        terms: faro::bundled::terms().ok(),
        decode_images: false,
        pack: Some(&budget),
    };
    let file = Path::new("shape/module.ron");
    let ((), peak) = peak_during(|| {
        let module = faro::load::parse_module(file, source).expect("the shape parses");
        let loaded = LoadedModule {
            dir: PathBuf::from("shape"),
            file: file.to_owned(),
            source: source.to_owned(),
            module,
        };
        std::hint::black_box(validate::validate(&loaded, &ctx));
    });
    peak
}

/// `Choice(...)` after `Choice(...)`, 30 to a node, each with the shortest text: the most
/// values per byte a scenario can hold.
fn one_word_choices(text: &str) -> String {
    one_word_choices_of(SHAPE_BYTES, text, "hostile")
}

/// The same, about `bytes` long, as module `id`. Ids are numbered (as a real module's would
/// differ), so the file does not compress like a zip bomb when packed.
fn one_word_choices_of(bytes: usize, text: &str, id: &str) -> String {
    use std::fmt::Write as _;
    let nodes_per_scenario = 200;
    let mut scenarios = Vec::new();
    let mut written = 0;
    while written < bytes {
        let k = scenarios.len();
        let mut out =
            format!("Scenario(id: \"s{k}\", title: {{\"en\": \"S\"}}, start: \"n0\", endings: [], nodes: [");
        for n in 0..nodes_per_scenario {
            let _ = write!(out, "Node(id: \"n{n}\", text: {text}, choices: [");
            for c in 0..30 {
                let goto = (n * 31 + c * 7 + k) % nodes_per_scenario;
                let _ = write!(out, "Choice(id: \"c{c}\", text: {text}, goto: \"n{goto}\"), ");
            }
            out.push_str("]), ");
        }
        out.push_str("])");
        written += out.len();
        scenarios.push(out);
    }
    hostile::module_titled(id, "Memory", &scenarios)
}

/// Pages of 200 one-word text blocks.
fn short_text_blocks() -> String {
    let page = hostile::page("p", 200);
    let count = (SHAPE_BYTES / page.len()).clamp(1, 200);
    hostile::module(&vec![page; count])
}

fn shapes() -> Vec<(&'static str, String)> {
    let twenty_languages =
        format!("{{{}}}", (0..20).map(|i| format!("\"l{i}\": \"x\"")).collect::<Vec<_>>().join(", "));
    vec![
        ("one-word choices", one_word_choices("{\"en\": \"x\"}")),
        ("choices with an empty text", one_word_choices("{}")),
        ("choices in twenty languages", one_word_choices(&twenty_languages)),
        ("chains of 1,000 nodes", hostile::chains_of_size(SHAPE_BYTES, 1_000, IdStyle::Raw)),
        ("pages of short text blocks", short_text_blocks()),
        (
            "image references",
            hostile::module(
                &(0..40)
                    .map(|p| hostile::image_page(&format!("p{p}"), 200, "images/figure.png"))
                    .collect::<Vec<_>>(),
            ),
        ),
        ("run bomb", hostile::run_bomb(40)),
    ]
}

#[test]
fn the_estimate_is_above_what_each_memory_hungry_shape_takes() {
    for (name, source) in shapes() {
        let estimate = footprint(&source).estimate();
        let peak = measured(&source);
        eprintln!(
            "{name}: {:.2} MB of text, {:.1} MiB measured, {:.1} MiB estimated ({:.2}×)",
            source.len() as f64 / 1e6,
            peak as f64 / 1048576.0,
            estimate as f64 / 1048576.0,
            estimate as f64 / peak as f64
        );
        assert!(estimate >= peak, "{name}: estimated {estimate} bytes, measured {peak}");
    }
}

#[test]
fn real_modules_are_estimated_within_a_few_times_what_they_take_and_far_below_the_limits() {
    let mut total = 0;
    for dir in std::fs::read_dir("modules").unwrap() {
        let dir = dir.unwrap().path();
        let source = std::fs::read_to_string(dir.join("module.ron")).unwrap();
        let estimate = footprint(&source).estimate();
        let peak = measured(&source);
        eprintln!(
            "{}: {:.1} MiB measured, {:.1} MiB estimated ({:.2}×)",
            dir.display(),
            peak as f64 / 1048576.0,
            estimate as f64 / 1048576.0,
            estimate as f64 / peak as f64
        );
        assert!(
            estimate >= peak && estimate <= 4 * peak,
            "{}: estimated {estimate}, measured {peak}",
            dir.display()
        );
        assert!(estimate < MAX_MODULE_FOOTPRINT / 16, "{}", dir.display());
        total += estimate;
    }
    assert!(total < MAX_PACK_FOOTPRINT / 8, "the seven bundled modules together: {total}");
}

/// The diagnostics of a refusal for invalid modules.
fn refusal(result: Result<impl std::fmt::Debug, PackError>) -> Vec<String> {
    match result {
        Err(PackError::InvalidModules { diagnostics }) => {
            diagnostics.iter().map(ToString::to_string).collect()
        }
        other => panic!("expected a refusal of the modules, got {other:?}"),
    }
}

#[test]
fn a_pack_whose_modules_would_take_too_much_memory_is_refused_before_they_are_read() {
    let temp = tempfile::tempdir().unwrap();
    let key = pack::generate_key().unwrap();
    // Three modules just under the file cap, each of 30 one-word choices per node: about 120 MiB
    // each to check, under the limit for one module, too much for one pack together.
    let ids = ["mem-a", "mem-b", "mem-c"];
    let mut dirs = Vec::new();
    let mut files = Vec::new();
    for id in ids {
        let dir = temp.path().join(id);
        std::fs::create_dir(&dir).unwrap();
        let source = one_word_choices_of(4_000_000, "{\"en\": \"x\"}", id);
        let estimate = footprint(&source).estimate();
        assert!(estimate <= MAX_MODULE_FOOTPRINT && estimate > MAX_PACK_FOOTPRINT / 3, "{estimate}");
        std::fs::write(dir.join("module.ron"), &source).unwrap();
        files.extend(crate::common::pack::module_files(&dir, id));
        dirs.push(dir);
    }
    let expected = "modules would take about";
    let built = pack::build(
        &dirs,
        &key,
        &crate::common::pack::options("mem", "1.0.0"),
        &temp.path().join("built.faropack"),
    );
    let said = refusal(built);
    assert!(
        said.len() == 1 && said[0].contains(expected) && said[0].contains("limit of 256 MiB for one pack"),
        "{said:#?}"
    );
    assert!(!temp.path().join("built.faropack").exists());

    // Signed without `pack build`'s checks, as a hostile publisher would: verify and install
    // refuse it with the same words, and the data folder gets no pack.
    let crafted = temp.path().join("crafted.faropack");
    let listed: Vec<(&str, &str)> = ids.iter().map(|id| (*id, *id)).collect();
    crate::common::pack::signed_pack(&crafted, &key, &listed, &files);
    let said = refusal(pack::verify(&crafted, Some(&key.verifying_key())));
    assert!(said.len() == 1 && said[0].contains(expected), "{said:#?}");
    let data = faro::data::DataDir::at(temp.path().join("data"));
    let installed =
        pack::install(&data, &crafted, TrustDecision::Trust(key.verifying_key()), &InstallOptions::default());
    let said = refusal(installed);
    assert!(said.len() == 1 && said[0].contains(expected), "{said:#?}");
    assert!(pack::installed(&data).is_empty());
}

#[test]
fn one_module_that_would_take_too_much_memory_is_named() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("empty-texts");
    std::fs::create_dir(&dir).unwrap();
    // Choices whose texts are empty maps are the dearest per byte: about 150 MiB in 4 MB.
    let source = one_word_choices_of(4_100_000, "{}", "empty-texts");
    assert!(footprint(&source).estimate() > MAX_MODULE_FOOTPRINT);
    std::fs::write(dir.join("module.ron"), &source).unwrap();
    let key = pack::generate_key().unwrap();
    let out = temp.path().join("one.faropack");
    let said = refusal(pack::build(
        std::slice::from_ref(&dir),
        &key,
        &crate::common::pack::options("one", "1.0.0"),
        &out,
    ));
    assert!(
        said.iter().any(|d| d.starts_with(&dir.join("module.ron").display().to_string())
            && d.contains("more than the limit of 128 MiB for one module")),
        "{said:#?}"
    );
}

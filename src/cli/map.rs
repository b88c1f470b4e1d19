//! `faro map`: a scenario as a graph, in Graphviz DOT or SVG, for reviews.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::format::{Scenario, Step};
use crate::map::{ScenarioMap, dot, svg};
use crate::validate::{self, Context};

/// Arguments of `faro map`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The module folder.
    pub dir: PathBuf,
    /// The scenario to draw (default: the module's only scenario).
    #[arg(long, value_name = "ID")]
    pub scenario: Option<String>,
    /// dot (Graphviz: `dot -Tpng map.dot -o map.png`) or svg (drawn by Faro, no Graphviz needed).
    #[arg(long, value_enum)]
    pub format: Format,
    /// The file to write; `-` writes to standard output.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// The language of the labels (default: the module's first language).
    #[arg(long, value_name = "LANG")]
    pub lang: Option<String>,
}

/// The output formats of `faro map`.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Format {
    Dot,
    Svg,
}

/// Runs `faro map`.
pub fn run(args: &Args) -> ExitCode {
    super::exit_with("faro map", map(args))
}

/// Draws the map; an error is the exit code and what to say.
fn map(args: &Args) -> Result<(), (u8, String)> {
    if !args.dir.exists() {
        return Err((2, format!("{}: no such file or folder", args.dir.display())));
    }
    let loaded = crate::load::load_module_dir(&args.dir).map_err(|d| {
        (1, format!("{d}\nthe module does not parse, so there is no map; fix the error above first"))
    })?;
    // A module with errors is drawn anyway: the map often shows what is wrong.
    let regions = crate::bundled::regions().ok();
    let ctx = Context {
        today: chrono::Local::now().date_naive(),
        regions: regions.as_ref(),
        terms: crate::bundled::terms().ok(),
        decode_images: false,
        pack: None,
    };
    let errors = validate::validate(&loaded, &ctx).iter().filter(|d| d.is_error()).count();
    if errors > 0 {
        eprintln!(
            "faro map: {} has {errors} error(s) (see: faro validate {}); drawing the map anyway, it may help find them",
            args.dir.display(),
            args.dir.display()
        );
    }
    let scenario = pick_scenario(&loaded.module.steps, args.scenario.as_deref())?;
    let lang =
        args.lang.clone().or_else(|| loaded.module.languages.first().cloned()).unwrap_or_else(|| "en".into());
    let map = ScenarioMap::new(scenario, &lang);
    let text = match args.format {
        Format::Dot => dot::to_dot(&map),
        Format::Svg => svg::to_svg(&map),
    };
    write_out(&args.out, &text)
}

/// The scenario named by `wanted`, or the only one.
fn pick_scenario<'a>(steps: &'a [Step], wanted: Option<&str>) -> Result<&'a Scenario, (u8, String)> {
    let scenarios: Vec<&Scenario> = steps
        .iter()
        .filter_map(|s| match s {
            Step::Scenario(s) => Some(s),
            _ => None,
        })
        .collect();
    let ids = || scenarios.iter().map(|s| format!("\"{}\"", s.id)).collect::<Vec<_>>().join(", ");
    match (wanted, scenarios.as_slice()) {
        (_, []) => Err((1, "the module has no scenario to draw".to_owned())),
        (None, [only]) => Ok(only),
        (None, _) => {
            Err((2, format!("the module has several scenarios; choose one with --scenario: {}", ids())))
        }
        (Some(id), _) => scenarios
            .iter()
            .find(|s| s.id == id)
            .copied()
            .ok_or_else(|| (2, format!("no scenario \"{id}\" in the module; its scenarios: {}", ids()))),
    }
}

fn write_out(out: &Path, text: &str) -> Result<(), (u8, String)> {
    if out == Path::new("-") {
        let mut stdout = std::io::stdout().lock();
        return stdout
            .write_all(text.as_bytes())
            .and_then(|()| stdout.flush())
            .map_err(|e| (1, format!("cannot write to standard output: {e}")));
    }
    std::fs::write(out, text).map_err(|e| (1, format!("cannot write {}: {e}", out.display())))
}

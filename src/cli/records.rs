//! `faro records`: export, certificate, verify, merge, delete-learner, device, list.
//!
//! Exit status: 0 done and nothing wrong, 1 a problem was found (a tampered or unreadable
//! record, nothing to certify, a code that does not check out), 2 usage error.

mod xapi;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Subcommand, ValueEnum};

use crate::data::DataDir;
use crate::format::invisible::reveal;
use crate::progress::Profile;
use crate::records::{
    self, DeviceKey, HomePage, MergeOptions, RowStatus, SignedRecord, Trust, certificate_html,
    normalize_code, verification_code,
};

/// Arguments of `faro records`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: RecordsCommand,
}

/// What to do with completion records.
#[derive(Debug, Subcommand)]
#[allow(
    clippy::large_enum_variant,
    reason = "parsed once per run; Windows paths make Merge's arguments larger than elsewhere"
)]
pub enum RecordsCommand {
    /// Export this laptop's records (FARO_DATA_DIR or the usual data folder).
    Export(ExportArgs),
    /// Write a printable one-page certificate for a learner's latest passing record of a module.
    Certificate(CertificateArgs),
    /// Check a verification code against this laptop's records, or check a records file.
    Verify(VerifyArgs),
    /// Merge records files from many laptops into a roster CSV (coordinators).
    Merge(MergeArgs),
    /// Remove a learner's progress, records and profile from this laptop (export first).
    DeleteLearner(DeleteArgs),
    /// Print this laptop's device key and fingerprint, for a coordinator's trust list.
    Device,
    /// List the records on this laptop with their verification codes.
    List,
}

/// Export formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A signed Faro records file (JSON), for `faro records merge` and `verify`.
    Faro,
    /// One row per attempt, for spreadsheets.
    Csv,
    /// A JSON array of xAPI 1.0.3 statements, for a learning record store.
    Xapi,
}

/// Arguments of `faro records export`.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    #[arg(long, value_enum)]
    pub format: Format,
    /// Output file; `-` (the default) writes to standard output.
    #[arg(long, default_value = "-")]
    pub out: PathBuf,
    /// Export only this learner's records (display name).
    #[arg(long)]
    pub learner: Option<String>,
    /// CSV without the UTF-8 byte-order mark that spreadsheets need (for other tools).
    #[arg(long)]
    pub no_bom: bool,
    /// xAPI: the `homePage` of the learners' accounts, an http(s) address (default
    /// https://github.com/faro-training/faro). Keep it once chosen: statement ids do not depend
    /// on it, so an LRS holding statements sent under another home page refuses the batch (409).
    #[arg(long, value_name = "URL")]
    pub homepage: Option<HomePage>,
    /// CSV and xAPI: keep records whose signature does not match, marked (CSV: `signature` is
    /// `tampered`; xAPI: extension urn:faro:ext:tampered, and statement ids of their own).
    #[arg(long)]
    pub include_tampered: bool,
    #[command(flatten)]
    pub xapi_output: XapiOutputArgs,
}

/// How xAPI statements are laid out in files.
#[derive(Debug, clap::Args)]
pub struct XapiOutputArgs {
    /// xAPI: at most this many statements per file (one POST each): NAME-0001.json, NAME-0002.json,
    /// …; an export that fits in one stays NAME.json.
    #[arg(long, value_name = "N", default_value_t = records::DEFAULT_BATCH, value_parser = parse_batch)]
    pub batch: usize,
    /// xAPI: one statement per line in one file (NDJSON), for tools that stream, such as `ralph write`.
    #[arg(long)]
    pub ndjson: bool,
}

impl XapiOutputArgs {
    fn output(&self) -> xapi::XapiOutput {
        xapi::XapiOutput { batch: self.batch, ndjson: self.ndjson }
    }
}

/// Arguments of `faro records certificate`.
#[derive(Debug, clap::Args)]
pub struct CertificateArgs {
    /// The learner's display name.
    #[arg(long)]
    pub learner: String,
    /// The module id (e.g. `04-responding-safely`'s id).
    #[arg(long)]
    pub module: String,
    /// Output HTML file; `-` writes to standard output.
    #[arg(long)]
    pub out: PathBuf,
    /// Language of the certificate (default: the language the learner finished in).
    #[arg(long)]
    pub lang: Option<String>,
}

/// Arguments of `faro records verify`.
#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// A verification code (`ABCDE-FGHIJ`) or a records file.
    #[arg(value_name = "CODE-OR-FILE")]
    pub target: String,
}

/// Arguments of `faro records merge`.
#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// Records files, or folders holding them (copies of data folders work too).
    #[arg(required = true, value_name = "FILES-OR-DIRS")]
    pub inputs: Vec<PathBuf>,
    /// The roster CSV to write; `-` writes to standard output.
    #[arg(long)]
    pub out: PathBuf,
    /// Also write the records as xAPI statements for a learning record store (tampered records
    /// left out).
    #[arg(long, value_name = "FILE")]
    pub xapi: Option<PathBuf>,
    /// With --xapi: the `homePage` of the learners' accounts, an http(s) address (default
    /// https://github.com/faro-training/faro). Keep it once chosen: statement ids do not depend
    /// on it, so an LRS holding statements sent under another home page refuses the batch (409).
    #[arg(long, value_name = "URL", requires = "xapi")]
    pub homepage: Option<HomePage>,
    /// With --xapi: keep tampered records in it (changed after signing, or found signed twice
    /// with different content), marked (extension urn:faro:ext:tampered, and statement ids of
    /// their own).
    #[arg(long, requires = "xapi")]
    pub include_tampered: bool,
    /// With --xapi and --trust: keep records from devices outside the trust list, marked
    /// (extension urn:faro:ext:unknown-device, and statement ids of their own).
    #[arg(long, requires = "xapi")]
    pub include_unknown_devices: bool,
    #[command(flatten)]
    pub xapi_output: XapiOutputArgs,
    /// Judge validity on this day, YYYY-MM-DD (default: today).
    #[arg(long, value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,
    /// Also write how often each scenario choice was made.
    #[arg(long)]
    pub choices: Option<PathBuf>,
    /// Also write how often each check question was missed.
    #[arg(long)]
    pub questions: Option<PathBuf>,
    /// Trusted device keys or fingerprints, or files listing them; other devices are flagged.
    #[arg(long, num_args = 1.., value_name = "KEYS")]
    pub trust: Vec<String>,
    /// Also write the training matrix: one row per learner, one column per module, each cell the
    /// current status (see docs/records.md for the rule).
    #[arg(long)]
    pub matrix: Option<PathBuf>,
    /// Also write who must recertify before --before: one row per learner and module, soonest
    /// first; only learners with something due.
    #[arg(long)]
    pub due: Option<PathBuf>,
    /// The day for --due, YYYY-MM-DD: passes whose last valid day is before it are listed
    /// (default: 30 days after --as-of).
    #[arg(long, value_parser = parse_date, requires = "due")]
    pub before: Option<NaiveDate>,
    /// In the matrix and the due list, a pass is `expiring` this many days before its last valid day.
    #[arg(long, default_value_t = records::DEFAULT_EXPIRING_DAYS, value_name = "DAYS")]
    pub expiring_days: u32,
    /// Also write one line per laptop (device key) that signed records: the name it was given
    /// and when it last reported (from the records files it exported), how many records and
    /// learners it holds, its newest record, and the files they came from; the laptop that has
    /// not reported for longest first.
    #[arg(long, value_name = "FILE")]
    pub devices: Option<PathBuf>,
    /// CSV files without the UTF-8 byte-order mark that spreadsheets need (for other tools).
    #[arg(long)]
    pub no_bom: bool,
}

/// Arguments of `faro records delete-learner`.
#[derive(Debug, clap::Args)]
pub struct DeleteArgs {
    /// The learner's display name.
    pub name: String,
    /// Confirm: the learner's progress and records on this laptop are removed for good.
    #[arg(long)]
    pub yes: bool,
}

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

fn parse_batch(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(format!("\"{s}\" is not a number of statements (1 or more)")),
    }
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| format!("\"{s}\" is not a date like 2026-03-31"))
}

/// Runs `faro records`.
pub fn run(args: &Args) -> ExitCode {
    let result = match &args.command {
        RecordsCommand::Export(a) => export(a),
        RecordsCommand::Certificate(a) => certificate(a),
        RecordsCommand::Verify(a) => verify(a),
        RecordsCommand::Merge(a) => merge(a),
        RecordsCommand::DeleteLearner(a) => delete_learner(a),
        RecordsCommand::Device => device(),
        RecordsCommand::List => list(),
    };
    match result {
        Ok(code) => code,
        Err(Failure(code, message)) => {
            eprintln!("faro records: {message}");
            ExitCode::from(code)
        }
    }
}

/// An exit code and the message explaining it.
struct Failure(u8, String);

fn problem(message: impl std::fmt::Display) -> Failure {
    Failure(1, message.to_string())
}

fn usage(message: impl std::fmt::Display) -> Failure {
    Failure(2, message.to_string())
}

fn data_dir() -> Result<DataDir, Failure> {
    crate::locations::data_dir().ok_or_else(|| problem("cannot find a data folder; set FARO_DATA_DIR to one"))
}

/// Writes `bytes` to `out` (atomically, when it is a file), or to standard output for `-`.
fn write_out(out: &Path, bytes: &[u8]) -> Result<(), Failure> {
    write_out_with(out, |w| w.write_all(bytes).map_err(|e| e.to_string()))
}

/// Like [`write_out`], for what `write` writes piece by piece (a roster of thousands of rows is
/// never held in memory whole).
fn write_out_with(
    out: &Path,
    write: impl FnOnce(&mut dyn Write) -> Result<(), String>,
) -> Result<(), Failure> {
    if out == Path::new("-") {
        let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
        return write(&mut stdout)
            .and_then(|()| stdout.flush().map_err(|e| e.to_string()))
            .map_err(|e| problem(format!("stdout: {e}")));
    }
    if out.exists() && !out.is_file() {
        // A device or a pipe (`/dev/null`, a FIFO) is written to, never replaced: the atomic write
        // renames a new file over the path, which, run as root, replaces /dev/null itself.
        let file = std::fs::OpenOptions::new()
            .write(true)
            .open(out)
            .map_err(|e| problem(format!("{}: {e}", out.display())))?;
        let mut file = std::io::BufWriter::new(file);
        return write(&mut file)
            .and_then(|()| file.flush().map_err(|e| e.to_string()))
            .map_err(|e| problem(format!("{}: {e}", out.display())));
    }
    let mut file = crate::data::store::AtomicFile::create(out).map_err(problem)?;
    write(&mut file).map_err(|e| problem(format!("{}: {e}", out.display())))?;
    file.commit().map_err(problem)
}

/// Writes a CSV file for spreadsheets: the byte-order mark unless `no_bom`, then what `write`
/// writes, straight to `out` (see [`write_out_with`]).
fn write_csv_out(
    out: &Path,
    no_bom: bool,
    write: impl FnOnce(&mut dyn Write) -> Result<(), records::RecordError>,
) -> Result<(), Failure> {
    write_out_with(out, |w| {
        if !no_bom {
            w.write_all(records::UTF8_BOM).map_err(|e| e.to_string())?;
        }
        write(w).map_err(|e| e.to_string())
    })
}

/// All records on this laptop; set-aside files are reported on stderr.
fn local_records(data: &DataDir) -> (Vec<SignedRecord>, usize) {
    let (records, problems) = records::load_all(data);
    for p in &problems {
        eprintln!("faro records: warning: {}", reveal(&p.to_string()));
    }
    (records, problems.len())
}

fn find_profile(data: &DataDir, name: &str) -> Result<Option<Profile>, Failure> {
    let (profiles, damaged) = data.load_profiles().map_err(problem)?;
    if let Some(q) = damaged {
        eprintln!(
            "faro records: warning: the learner list was damaged and set aside as {}",
            q.kept_at.display()
        );
    }
    let name = name.trim();
    Ok(profiles.learners.into_iter().find(|p| p.name.eq_ignore_ascii_case(name)))
}

/// Whether a record belongs to the learner called `name` (by profile id when the profile exists).
fn belongs(r: &SignedRecord, profile: Option<&Profile>, name: &str) -> bool {
    match profile {
        Some(p) => r.record.learner_id == p.id,
        None => r.record.learner_name.eq_ignore_ascii_case(name.trim()),
    }
}

fn export(args: &ExportArgs) -> Result<ExitCode, Failure> {
    if args.homepage.is_some() && args.format != Format::Xapi {
        return Err(usage("--homepage is for --format xapi"));
    }
    if args.format != Format::Xapi
        && (args.xapi_output.ndjson || args.xapi_output.batch != records::DEFAULT_BATCH)
    {
        return Err(usage("--batch and --ndjson are for --format xapi"));
    }
    if args.include_tampered && args.format == Format::Faro {
        return Err(usage(
            "--include-tampered is for csv and xapi: a faro records file always carries every record, \
             and `faro records merge` flags the changed ones",
        ));
    }
    let data = data_dir()?;
    let (mut records, mut problems) = local_records(&data);
    if let Some(name) = &args.learner {
        let profile = find_profile(&data, name)?;
        records.retain(|r| belongs(r, profile.as_ref(), name));
        if records.is_empty() {
            return Err(problem(format!("no records for a learner named \"{name}\" on this laptop")));
        }
    }
    let count = match args.format {
        Format::Faro => {
            for r in &records {
                if let Err(e) = r.verify() {
                    problems += 1;
                    eprintln!(
                        "faro records: warning: record {} ({}): {e}",
                        r.record.id,
                        reveal(&r.record.learner_name)
                    );
                }
            }
            let key = DeviceKey::load(&data).ok().flatten().map(|k| k.public_hex());
            let label = crate::coordinator_settings::device_label(&data);
            let json = records::records_file_json_labelled(&records, key, label).map_err(problem)?;
            write_out(&args.out, json.as_bytes())?;
            Some(records.len())
        }
        Format::Csv => {
            let (records, tampered) = xapi::sort_out_tampered(records, args.include_tampered);
            problems += tampered;
            write_csv_out(&args.out, args.no_bom, |w| records::write_csv(w, &records))?;
            Some(records.len())
        }
        Format::Xapi => {
            let (records, tampered) = xapi::sort_out_tampered(records, args.include_tampered);
            problems += tampered;
            // Marks come from the signatures themselves: one laptop's records need no trust list.
            let modules = records.iter().map(|r| r.record.module_id.to_string()).collect();
            // It says how many statements it wrote.
            problems += xapi::write_xapi(
                &args.out,
                args.xapi_output.output(),
                &modules,
                args.homepage.as_ref(),
                Some(&data),
                |sink| {
                    for r in &records {
                        sink.push(r, None).map_err(problem)?;
                    }
                    Ok(records.len())
                },
            )?;
            None
        }
    };
    if let Some(count) = count
        && args.out != Path::new("-")
    {
        eprintln!("{count} record(s) exported to {}", args.out.display());
    }
    Ok(if problems > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn certificate(args: &CertificateArgs) -> Result<ExitCode, Failure> {
    let data = data_dir()?;
    let profile = find_profile(&data, &args.learner)?;
    let (records, _) = local_records(&data);
    let mine: Vec<&SignedRecord> = records
        .iter()
        .filter(|r| belongs(r, profile.as_ref(), &args.learner) && r.record.module_id == args.module)
        .collect();
    if mine.is_empty() {
        return Err(problem(format!(
            "no record of \"{}\" for module \"{}\" on this laptop (see `faro records list`)",
            args.learner, args.module
        )));
    }
    let Some(best) =
        mine.iter().filter(|r| r.record.passed && r.verify().is_ok()).max_by_key(|r| r.record.ended)
    else {
        return Err(problem(format!(
            "\"{}\" has no passing record for module \"{}\"; a certificate is only made for a pass",
            args.learner, args.module
        )));
    };
    if let Some(until) = best.record.valid_until
        && until < today()
    {
        eprintln!("faro records: note: this completion expired after {until}; the learner should recertify");
    }
    let lang = args.lang.as_deref().unwrap_or(&best.record.lang);
    write_out(&args.out, certificate_html(best, lang).as_bytes())?;
    if args.out != Path::new("-") {
        eprintln!(
            "certificate written to {} (verification code {})",
            args.out.display(),
            verification_code(best)
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn describe(r: &SignedRecord) -> String {
    let rec = &r.record;
    let outcome = match (rec.passed, rec.valid_until) {
        (true, Some(until)) if until < today() => {
            format!("passed on {}, EXPIRED after {until}", rec.ended.date_naive())
        }
        (true, Some(until)) => format!("passed on {}, valid until {until}", rec.ended.date_naive()),
        (true, None) => format!("passed on {}", rec.ended.date_naive()),
        (false, _) => format!("did not pass, on {}", rec.ended.date_naive()),
    };
    format!(
        "{} — {}, \"{}\" ({} {}), {outcome}, device {}",
        verification_code(r),
        reveal(&rec.learner_name),
        reveal(rec.title(&rec.lang)),
        rec.module_id,
        rec.module_version,
        r.device_fingerprint()
    )
}

fn verify(args: &VerifyArgs) -> Result<ExitCode, Failure> {
    let path = Path::new(&args.target);
    if path.is_file() {
        return verify_file(path);
    }
    let Some(code) = normalize_code(&args.target) else {
        return Err(usage(format!(
            "\"{}\" is neither a verification code (like ABCDE-FGHIJ) nor an existing file",
            args.target
        )));
    };
    let data = data_dir()?;
    let (records, _) = local_records(&data);
    let Some(found) = records.iter().find(|r| verification_code(r) == code) else {
        return Err(problem(format!("invalid: no record with code {code} on this laptop")));
    };
    if let Err(e) = found.verify() {
        return Err(problem(format!("invalid: {code}: {e}")));
    }
    match DeviceKey::load(&data) {
        Ok(Some(key)) if key.public_hex() != found.device_key.to_ascii_lowercase() => {
            return Err(problem(format!(
                "invalid: {code} was signed by device {}, not by this laptop ({})",
                found.device_fingerprint(),
                key.fingerprint()
            )));
        }
        Ok(_) => {}
        Err(e) => eprintln!("faro records: warning: {e}"),
    }
    println!("valid: {}", describe(found));
    Ok(ExitCode::SUCCESS)
}

fn verify_file(path: &Path) -> Result<ExitCode, Failure> {
    let (records, problems) = if path.extension().is_some_and(|e| e == "ron") {
        // Capped like the coordinator's merge: the file may come from anyone.
        let r = crate::records::read_record_file(path)
            .map_err(|e| problem(format!("{}: not a record: {e}", path.display())))?;
        (vec![r], Vec::new())
    } else {
        records::read_records_file(path).map_err(problem)?
    };
    let mut bad = problems.len();
    for p in &problems {
        println!("invalid: {}", reveal(&p.to_string()));
    }
    for r in &records {
        match r.verify() {
            Ok(()) => println!("valid: {}", describe(r)),
            Err(e) => {
                bad += 1;
                println!("invalid: record {} ({}): {e}", r.record.id, reveal(&r.record.learner_name));
            }
        }
    }
    eprintln!(
        "{} record(s) checked: {} valid, {bad} invalid",
        records.len() + problems.len(),
        records.len() + problems.len() - bad
    );
    Ok(if bad > 0 || records.is_empty() { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn merge(args: &MergeArgs) -> Result<ExitCode, Failure> {
    if args.xapi.is_none() && (args.xapi_output.ndjson || args.xapi_output.batch != records::DEFAULT_BATCH) {
        return Err(usage("--batch and --ndjson are for --xapi"));
    }
    let trust =
        if args.trust.is_empty() { None } else { Some(Trust::from_entries(&args.trust).map_err(usage)?) };
    let as_of = args.as_of.unwrap_or_else(today);
    let roster = records::merge(&args.inputs, &MergeOptions { as_of, trust });
    write_csv_out(&args.out, args.no_bom, |w| records::write_roster_csv(w, &roster))?;
    if let Some(path) = &args.choices {
        write_csv_out(path, args.no_bom, |w| records::write_choices_csv(w, &roster))?;
    }
    if let Some(path) = &args.devices {
        write_csv_out(path, args.no_bom, |w| records::write_devices_csv(w, &roster))?;
    }
    if let Some(path) = &args.questions {
        write_csv_out(path, args.no_bom, |w| records::write_questions_csv(w, &roster))?;
    }
    write_matrix_outputs(args, &roster, as_of)?;
    for p in &roster.problems {
        // File names and messages can carry text from other laptops: control codes escaped.
        eprintln!("faro records: {}", reveal(&p.to_string()));
    }
    for row in
        roster.rows.iter().filter(|r| matches!(r.status, RowStatus::Tampered | RowStatus::UnknownDevice))
    {
        eprintln!(
            "faro records: {}: {} ({}, {}, device {}): {}",
            reveal(&row.source.display().to_string()),
            row.status.as_str(),
            reveal(&row.record.learner_name),
            reveal(&row.record.module_id),
            row.record.device_fingerprint(),
            reveal(&row.reason)
        );
    }
    let xapi_findings = match &args.xapi {
        Some(path) => merge_xapi(path, args, &roster)?,
        None => 0,
    };
    let counts: Vec<String> =
        RowStatus::ALL.into_iter().map(|s| format!("{} {}", roster.count(s), s.as_str())).collect();
    eprintln!(
        "{} record(s) as of {as_of}: {}; {} duplicate(s) merged; {} other problem(s)",
        roster.rows.len(),
        counts.join(", "),
        roster.duplicates,
        roster.problems.len()
    );
    Ok(if roster.has_findings() || xapi_findings > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// Writes the merged records (one per record id) as xAPI statements. Only records the roster
/// counts as genuine go out under their own ids; tampered records (changed, or signed twice with
/// different content) and records from devices outside the trust list are left out unless asked
/// for, and then marked, with statement ids of their own. The roster already names each.
fn merge_xapi(path: &Path, args: &MergeArgs, roster: &records::Roster) -> Result<usize, Failure> {
    let mark = |row: &records::RosterRow| match row.status {
        RowStatus::Tampered if args.include_tampered => {
            Some(Some(records::Mark::Tampered(row.reason.clone())))
        }
        RowStatus::UnknownDevice if args.include_unknown_devices => {
            Some(Some(records::Mark::UnknownDevice(row.reason.clone())))
        }
        RowStatus::Tampered | RowStatus::UnknownDevice => None,
        _ => Some(None),
    };
    let wanted: Vec<usize> = (0..roster.rows.len())
        .filter(|&i| roster.rows.get(i).is_some_and(|row| mark(row).is_some()))
        .collect();
    let modules =
        wanted.iter().filter_map(|&i| roster.rows.get(i)).map(|r| r.record.module_id.to_string()).collect();
    for (status, included, flag) in [
        (RowStatus::Tampered, args.include_tampered, "--include-tampered"),
        (RowStatus::UnknownDevice, args.include_unknown_devices, "--include-unknown-devices"),
    ] {
        let count = roster.count(status);
        if count > 0 {
            let what = if included {
                format!("kept in the xAPI file, marked as {}", status.as_str())
            } else {
                format!("left out of the xAPI file ({flag} keeps them, marked)")
            };
            eprintln!("faro records: {count} {} record(s) {what}", status.as_str());
        }
    }
    let mut changed = Vec::new();
    // The coordinator's own data folder, for the module packs installed there. The records are
    // read again from their files, one at a time, and were judged by the merge: the signature of
    // each was checked when it was first read, and it is read again only as it was then.
    let findings = xapi::write_xapi(
        path,
        args.xapi_output.output(),
        &modules,
        args.homepage.as_ref(),
        crate::locations::data_dir().as_ref(),
        |sink| {
            let mut written = 0;
            changed = roster
                .read_records(&wanted, |i, record| {
                    let mark = roster.rows.get(i).and_then(mark).flatten();
                    written += 1;
                    sink.push_checked(record, mark.as_ref())
                })
                .map_err(problem)?;
            Ok(written)
        },
    )?;
    for p in &changed {
        eprintln!("faro records: xAPI: {}", reveal(&p.to_string()));
    }
    Ok(findings + changed.len())
}

/// Without --before, --due lists what runs out in this many days (as the Coordinator screen's
/// "Due in the next 30 days" does).
const DUE_DAYS: u64 = 30;

/// `--matrix` and `--due`: the training matrix and who must recertify, with a line each on stderr.
fn write_matrix_outputs(args: &MergeArgs, roster: &records::Roster, as_of: NaiveDate) -> Result<(), Failure> {
    if args.matrix.is_none() && args.due.is_none() {
        return Ok(());
    }
    let options = records::MatrixOptions { as_of, expiring_days: args.expiring_days };
    let matrix = records::TrainingMatrix::build(roster, &options);
    if !matrix.modules_left_out.is_empty() {
        eprintln!(
            "faro records: the records name {} modules; the matrix keeps the {} with the most records \
             and leaves out {} (first: {})",
            matrix.modules.len() + matrix.modules_left_out.len(),
            matrix.modules.len(),
            matrix.modules_left_out.len(),
            reveal(matrix.modules_left_out.first().map_or("", String::as_str))
        );
    }
    if let Some(path) = &args.matrix {
        write_csv_out(path, args.no_bom, |w| records::write_matrix_csv(w, &matrix))?;
        let counts: Vec<String> = records::CellStatus::ALL
            .into_iter()
            .map(|s| format!("{} {}", matrix.count(s), s.as_str()))
            .collect();
        eprintln!(
            "matrix: {} learner(s) × {} module(s) as of {as_of}: {}",
            matrix.learners.len(),
            matrix.modules.len(),
            counts.join(", ")
        );
        // The Coordinator screen's summary row, one line per module (the CSV stays one row per
        // learner, for spreadsheets and scripts).
        let everyone: Vec<usize> = (0..matrix.learners.len()).collect();
        for (module, column) in matrix.modules.iter().zip(matrix.module_summary(&everyone)) {
            let counts: Vec<String> = records::CellStatus::ALL
                .into_iter()
                .filter(|&s| column.get(s) > 0)
                .map(|s| format!("{} {}", column.get(s), s.as_str()))
                .collect();
            eprintln!("matrix: {}: {}", reveal(&module.id), counts.join(", "));
        }
    }
    if let Some(path) = &args.due {
        let before = args.before.unwrap_or(as_of + chrono::Days::new(DUE_DAYS));
        let due = matrix.due_before(before);
        write_csv_out(path, args.no_bom, |w| records::write_due_csv(w, &matrix, roster, &due))?;
        let expired = due.iter().filter(|d| d.status == records::CellStatus::Expired).count();
        eprintln!(
            "due: {} completion(s) must be renewed before {before} ({expired} already expired as of {as_of})",
            due.len()
        );
    }
    Ok(())
}

fn delete_learner(args: &DeleteArgs) -> Result<ExitCode, Failure> {
    let data = data_dir()?;
    let Some(profile) = find_profile(&data, &args.name)? else {
        return Err(problem(format!("no learner named \"{}\" on this laptop", args.name)));
    };
    if !args.yes {
        let (records, _) = local_records(&data);
        let count = records.iter().filter(|r| r.record.learner_id == profile.id).count();
        return Err(usage(format!(
            "this removes {}'s progress and {count} completion record(s) from this laptop for good.\n\
             Export them first:  faro records export --format faro --learner \"{}\" --out FILE\n\
             then run again with --yes:  faro records delete-learner \"{}\" --yes",
            profile.name, profile.name, profile.name
        )));
    }
    let report = records::delete_learner(&data, &profile.id).map_err(problem)?;
    eprintln!(
        "removed {} and {} file(s) of progress and records",
        reveal(&profile.name),
        report.files_removed
    );
    Ok(ExitCode::SUCCESS)
}

fn device() -> Result<ExitCode, Failure> {
    let data = data_dir()?;
    let (key, notice) = DeviceKey::load_or_create(&data).map_err(problem)?;
    if let Some(q) = notice {
        eprintln!(
            "faro records: warning: the device key was damaged ({}); it was set aside as {} and a new key made",
            q.problem,
            q.kept_at.display()
        );
    }
    println!("public key:  {}", key.public_hex());
    println!("fingerprint: {}", key.fingerprint());
    Ok(ExitCode::SUCCESS)
}

fn list() -> Result<ExitCode, Failure> {
    let data = data_dir()?;
    let (records, problems) = local_records(&data);
    for r in &records {
        let check = if r.verify().is_ok() { "" } else { "  [SIGNATURE DOES NOT MATCH]" };
        println!("{}{check}", describe(r));
    }
    eprintln!("{} record(s)", records.len());
    Ok(if problems > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

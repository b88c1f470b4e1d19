//! xAPI 1.0.3 statements from records, for a learning record store (LRS).
//!
//! Each record gives a `completed` statement, a `passed` or `failed` statement, and an
//! `answered` statement for each scenario choice and each check question. A statement's content
//! depends only on its record, the module content the record names, and the accounts' home
//! page, and its id only on the record: exporting again, on any computer, gives the same
//! statements under the same ids, so an LRS takes the repeats as already stored.
//!
//! The `answered` statements need the module's texts, which a record does not carry; they are
//! made only when the module folder with the record's content hash is found (see
//! [`ModuleIndex`]), and otherwise left out and reported, never sent without their definitions
//! (a later export with the texts would then conflict with them).

mod batches;
mod home_page;
mod interaction;

use std::collections::HashMap;

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

pub use batches::{
    DEFAULT_BATCH, XapiFiles, XapiLayout, XapiWriter, batch_path, write_xapi_files, write_xapi_stream,
};
pub use home_page::{DEFAULT_HOME_PAGE, HomePage};

use super::{ModuleIndex, Record, RecordError, SignedRecord, canonical_json, verification_code};
use crate::format::{ActClass, Module, SafetyPolicy, Step};

/// Namespace of statement ids.
const STATEMENT_NAMESPACE: uuid::Uuid = uuid::Uuid::from_u128(0x2f8e_91c4_7d0b_4a63_b5e2_1c9a_60d7_3b58);

/// Goes up whenever a change to Faro changes the content of statements, and is part of every
/// statement id, so that statements already sent with the old content are not re-sent under
/// the same ids (an LRS refuses a batch holding a known id with other content: 409 Conflict).
/// Layout 1 (ids over `<record>/<kind>/<index>`) was sent by Faro before issue 15.
/// Layout 2 counted every non-critical scenario choice as correct; layout 3 (issue 22) only the
/// best choices under the safety policy, so the `success` of those statements changed.
const STATEMENT_LAYOUT: u32 = 3;

const VERB_COMPLETED: &str = "http://adlnet.gov/expapi/verbs/completed";
const VERB_PASSED: &str = "http://adlnet.gov/expapi/verbs/passed";
const VERB_FAILED: &str = "http://adlnet.gov/expapi/verbs/failed";
const VERB_ANSWERED: &str = "http://adlnet.gov/expapi/verbs/answered";
const TYPE_MODULE: &str = "http://adlnet.gov/expapi/activities/module";
const EXT_VERSION: &str = "urn:faro:ext:module-version";
const EXT_HASH: &str = "urn:faro:ext:content-hash";
const EXT_RECORD: &str = "urn:faro:ext:record-id";
const EXT_DEVICE: &str = "urn:faro:ext:device-key";
const EXT_CODE: &str = "urn:faro:ext:verification-code";
const EXT_CRITICAL: &str = "urn:faro:ext:critical";
/// On statements of a record whose signature does not match, or that was found signed twice
/// with different content (exported only on request): why.
pub const EXT_TAMPERED: &str = "urn:faro:ext:tampered";
/// On statements of an authentic record from a device outside the coordinator's trust list
/// (exported only on request): which device.
pub const EXT_UNKNOWN_DEVICE: &str = "urn:faro:ext:unknown-device";

/// Why a record's statements are set apart: each such statement carries an extension saying so
/// and an id of its own, so that it can neither block nor replace a genuine record's statements
/// in an LRS (a known id with other content makes an LRS refuse the whole batch: 409).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mark {
    /// The signature does not match, or the record was found signed twice with different
    /// content: nothing says which copy, if any, is genuine.
    Tampered(String),
    /// Authentic, but signed by a device the coordinator does not trust.
    UnknownDevice(String),
}

impl Mark {
    fn extension(&self) -> (&'static str, &str) {
        match self {
            Mark::Tampered(why) => (EXT_TAMPERED, why),
            Mark::UnknownDevice(why) => (EXT_UNKNOWN_DEVICE, why),
        }
    }

    fn id_part(&self) -> &'static str {
        match self {
            Mark::Tampered(_) => "tampered",
            Mark::UnknownDevice(_) => "unknown-device",
        }
    }
}

/// How statements are made.
#[derive(Clone, Debug, Default)]
pub struct XapiOptions {
    /// The `homePage` of every learner's account.
    pub home_page: HomePage,
}

/// What an export left out or marked.
#[derive(Clone, Debug, Default)]
pub struct XapiReport {
    /// Statements written.
    pub statements: usize,
    /// Module contents that were not found: their records' `answered` statements are left out.
    pub missing: Vec<MissingModule>,
    /// Records whose signature does not match (or signed twice); their statements are marked
    /// with [`EXT_TAMPERED`] and have ids of their own.
    pub tampered: usize,
    /// Records from devices outside the trust list; their statements are marked with
    /// [`EXT_UNKNOWN_DEVICE`] and have ids of their own.
    pub unknown_device: usize,
    /// Answers naming a step, node or question that the record's module does not have (only a
    /// changed record can): left out.
    pub unknown_items: Vec<String>,
}

/// The statements of some records, and the report.
#[derive(Clone, Debug, Default)]
pub struct XapiExport {
    /// In record order.
    pub statements: Vec<Value>,
    pub report: XapiReport,
}

/// A module content that records name but that is not on this computer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MissingModule {
    pub module_id: String,
    pub module_version: String,
    pub content_hash: String,
    /// Records of it whose `answered` statements were left out.
    pub records: usize,
    /// `answered` statements left out.
    pub statements: usize,
}

/// The statements for `records`, with the module texts found in `modules`.
pub fn statements(records: &[SignedRecord], modules: &ModuleIndex, options: &XapiOptions) -> XapiExport {
    let marked: Vec<(&SignedRecord, Option<Mark>)> = records.iter().map(|r| (r, None)).collect();
    statements_marked(&marked, modules, options)
}

/// The statements for `records`, each with the mark the caller's judgement gives it (the
/// coordinator's merge: a record signed twice, a device outside the trust list). A record whose
/// signature does not match is marked tampered whatever the caller says.
pub fn statements_marked(
    records: &[(&SignedRecord, Option<Mark>)],
    modules: &ModuleIndex,
    options: &XapiOptions,
) -> XapiExport {
    let mut exporter = StatementMaker::new(modules, options);
    // The statements are made as JSON text (see `statement`); parsed back, for callers that
    // look into them. Text from serde_json's own writer always parses.
    let statements = records
        .iter()
        .flat_map(|(r, mark)| exporter.record(r, mark.as_ref()))
        .map(|text| serde_json::from_str(&text).unwrap_or(Value::Null))
        .collect();
    XapiExport { statements, report: exporter.finish() }
}

/// Writes the statements for `records` to `out` as a JSON array, one record at a time: an export
/// of thousands of records never holds all its statements in memory at once. One statement per
/// line, compact: indenting doubled the file (280 MB for 5,000 records) and the time to write it.
pub fn write_statements<W: std::io::Write>(
    mut out: W,
    records: &[SignedRecord],
    modules: &ModuleIndex,
    options: &XapiOptions,
) -> Result<XapiReport, RecordError> {
    let encode = |e: &dyn std::fmt::Display| RecordError::Encode(e.to_string());
    let mut exporter = StatementMaker::new(modules, options);
    out.write_all(b"[").map_err(|e| encode(&e))?;
    let mut first = true;
    for record in records {
        for statement in exporter.record(record, None) {
            out.write_all(if first { b"\n" } else { b",\n" }).map_err(|e| encode(&e))?;
            out.write_all(statement.as_bytes()).map_err(|e| encode(&e))?;
            first = false;
        }
    }
    out.write_all(b"\n]\n").map_err(|e| encode(&e))?;
    Ok(exporter.finish())
}

/// Makes statements record by record, as JSON text, building each interaction activity once:
/// what a writer of batches or lines calls for each record in turn, so that only one record's
/// statements are in memory at a time.
pub struct StatementMaker<'m> {
    modules: &'m ModuleIndex,
    options: &'m XapiOptions,
    activities: HashMap<&'m str, Activities<'m>>,
    /// The class of each act of the bundled safety policy, which decides the correct choices.
    classes: HashMap<&'static str, ActClass>,
    report: XapiReport,
}

impl<'m> StatementMaker<'m> {
    /// A maker using the module texts in `modules`.
    pub fn new(modules: &'m ModuleIndex, options: &'m XapiOptions) -> Self {
        // The bundled policy always parses (a test); were it broken, every act would be unknown
        // and no choice that names one would count as correct: an export never overstates safety.
        static NO_POLICY: SafetyPolicy = SafetyPolicy { acts: Vec::new() };
        let policy = crate::bundled::policy().unwrap_or(&NO_POLICY);
        let classes = policy.acts.iter().map(|a| (a.id.as_str(), a.class)).collect();
        StatementMaker {
            modules,
            options,
            activities: HashMap::new(),
            classes,
            report: XapiReport::default(),
        }
    }

    /// What was made and left out so far.
    pub fn finish(self) -> XapiReport {
        self.report
    }

    /// The statements of one record, each one compact JSON text, marked with `mark` (or as
    /// tampered, whatever `mark` says, when its signature does not match).
    pub fn record(&mut self, signed: &SignedRecord, mark: Option<&Mark>) -> Vec<String> {
        match signed.verify() {
            Err(e) => self.record_checked(signed, Some(&Mark::Tampered(e.to_string()))),
            Ok(()) => self.record_checked(signed, mark),
        }
    }

    /// Like [`StatementMaker::record`], for a caller that has checked the signature already (the
    /// merge): a record whose signature does not match must come marked [`Mark::Tampered`].
    pub fn record_checked(&mut self, signed: &SignedRecord, mark: Option<&Mark>) -> Vec<String> {
        match mark {
            Some(Mark::Tampered(_)) => self.report.tampered += 1,
            Some(Mark::UnknownDevice(_)) => self.report.unknown_device += 1,
            None => {}
        }
        let r = &signed.record;
        let ids = StatementIds::new(signed, mark);
        let common = common(signed, mark, self.options);
        let mut out = record_statements(r, &common, &ids);
        let answered = r.choices.len() + r.questions.len();
        match self.modules.get_entry(&r.content_hash) {
            Some((hash, module)) => {
                let mut unknown = Vec::new();
                let built = self.activities.entry(hash).or_default();
                let classes = &self.classes;
                let class_of = |act: &str| classes.get(act).copied();
                out.extend(answered_statements(r, module, built, &class_of, &common, &ids, &mut unknown));
                let unknown = unknown.into_iter().map(|item| format!("record {}: {item}", r.id));
                self.report.unknown_items.extend(unknown);
            }
            None if answered > 0 => note_missing(&mut self.report.missing, signed, answered),
            None => {}
        }
        self.report.statements += out.len();
        out
    }
}

fn note_missing(missing: &mut Vec<MissingModule>, signed: &SignedRecord, statements: usize) {
    let r = &signed.record;
    if let Some(m) =
        missing.iter_mut().find(|m| m.content_hash == r.content_hash && m.module_id == r.module_id)
    {
        m.records += 1;
        m.statements += statements;
        return;
    }
    missing.push(MissingModule {
        module_id: r.module_id.clone(),
        module_version: r.module_version.clone(),
        content_hash: r.content_hash.clone(),
        records: 1,
        statements,
    });
}

/// Statement ids: UUID v5 over the layout, the record id, the statement kind and its index. A
/// marked record's statements also name the mark and the record's exact bytes, signature
/// included: sent on request, they must not take the ids of the authentic record's statements
/// (an LRS that has those would refuse the whole batch), nor of another copy.
struct StatementIds {
    prefix: String,
}

impl StatementIds {
    fn new(signed: &SignedRecord, mark: Option<&Mark>) -> Self {
        let mut prefix = format!("{STATEMENT_LAYOUT}/{}", signed.record.id);
        if let Some(mark) = mark {
            let bytes = canonical_json(signed).unwrap_or_else(|_| format!("{signed:?}"));
            let digest = Sha256::digest(bytes.as_bytes());
            prefix.push_str(&format!("/{}/{}", mark.id_part(), data_encoding::HEXLOWER.encode(&digest)));
        }
        StatementIds { prefix }
    }

    fn id(&self, kind: &str, index: usize) -> String {
        let name = format!("{}/{kind}/{index}", self.prefix);
        uuid::Uuid::new_v5(&STATEMENT_NAMESPACE, name.as_bytes()).to_string()
    }
}

/// What every statement of a record shares; actor and context also as JSON text, written into
/// each statement as they are.
struct Common {
    actor: String,
    module_iri: String,
    context: Value,
    context_text: String,
}

fn common(signed: &SignedRecord, mark: Option<&Mark>, options: &XapiOptions) -> Common {
    let r = &signed.record;
    let actor = json!({
        "objectType": "Agent",
        "account": {"homePage": options.home_page.as_str(), "name": r.learner_id},
    });
    let mut extensions = json!({
        EXT_VERSION: r.module_version,
        EXT_HASH: r.content_hash,
        EXT_RECORD: r.id,
        EXT_DEVICE: signed.device_key,
        EXT_CODE: verification_code(signed),
    });
    if let Some(mark) = mark {
        let (extension, why) = mark.extension();
        extensions[extension] = json!(why);
    }
    let mut context = json!({"platform": "Faro", "extensions": extensions});
    // A record from elsewhere could carry anything; a value an LRS would refuse is left out
    // rather than make it reject the whole batch.
    if uuid::Uuid::parse_str(&r.id).is_ok() {
        context["registration"] = json!(r.id);
    }
    if is_language_tag(&r.lang) {
        context["language"] = json!(r.lang);
    }
    Common {
        actor: actor.to_string(),
        module_iri: format!("urn:faro:module:{}", segment(&r.module_id)),
        context_text: context.to_string(),
        context,
    }
}

fn record_statements(r: &Record, c: &Common, ids: &StatementIds) -> Vec<String> {
    let module = json!({
        "objectType": "Activity",
        "id": c.module_iri,
        "definition": {"type": TYPE_MODULE, "name": r.module_title},
    })
    .to_string();
    let mut result = json!({});
    if let Some(scaled) = r.scaled_score() {
        let (got, all) = r.items();
        // Four decimals keep the number short and identical from run to run.
        let scaled = (scaled * 10_000.0).round() / 10_000.0;
        result["score"] = json!({"scaled": scaled, "raw": got, "min": 0, "max": all});
    }
    result["success"] = json!(r.passed);
    result["completion"] = json!(true);
    result["duration"] = json!(iso_duration(r.duration_secs));
    let ended = timestamp(&r.ended);
    let outcome = if r.passed { (VERB_PASSED, "passed") } else { (VERB_FAILED, "failed") };
    vec![
        statement(
            ids.id("completed", 0),
            &c.actor,
            (VERB_COMPLETED, "completed"),
            &module,
            &result,
            &c.context_text,
            &ended,
        ),
        statement(ids.id(outcome.1, 0), &c.actor, outcome, &module, &result, &c.context_text, &ended),
    ]
}

/// Interaction activities already built for one module content, by step and item id, as JSON
/// text: the same question is the same object in every record, so it is built, fingerprinted
/// and serialized once.
type Activities<'m> = HashMap<(&'m str, &'m str), String>;

fn answered_statements<'m>(
    r: &Record,
    module: &'m Module,
    built: &mut Activities<'m>,
    class_of: &dyn Fn(&str) -> Option<ActClass>,
    c: &Common,
    ids: &StatementIds,
    unknown: &mut Vec<String>,
) -> Vec<String> {
    let mut context = c.context.clone();
    context["contextActivities"] = json!({"parent": [{"objectType": "Activity", "id": c.module_iri}]});
    let context = context.to_string();
    let answered = (VERB_ANSWERED, "answered");
    let mut out = Vec::new();
    for (i, choice) in r.choices.iter().enumerate() {
        let Some((_, Step::Scenario(s))) = module.step(&choice.step) else {
            unknown.push(format!("{}/{}", choice.step, choice.node));
            continue;
        };
        let Some(node) = s.node(&choice.node) else {
            unknown.push(format!("{}/{}", choice.step, choice.node));
            continue;
        };
        let object = built.entry((&s.id, &node.id)).or_insert_with(|| {
            interaction::node_activity(&c.module_iri, &s.id, &s.title, node, class_of).to_string()
        });
        // Correct only when it is a best choice at the node: a detour or a disqualifying act is
        // not, although the run went on (issue 22).
        let best = interaction::correct_choices(node, class_of).contains(&choice.choice.as_str());
        let result = json!({
            "response": choice.choice,
            "success": !choice.critical && best,
            "extensions": {EXT_CRITICAL: choice.critical},
        });
        let at = timestamp(&choice.at);
        out.push(statement(ids.id("choice", i), &c.actor, answered, object, &result, &context, &at));
    }
    let ended = timestamp(&r.ended);
    for (i, q) in r.questions.iter().enumerate() {
        let question = match module.step(&q.step) {
            Some((_, Step::Check(check))) => {
                check.questions.iter().find(|x| x.id == q.question).map(|x| (check, x))
            }
            _ => None,
        };
        let Some((check, question)) = question else {
            unknown.push(format!("{}/{}", q.step, q.question));
            continue;
        };
        let object = built.entry((&check.id, &question.id)).or_insert_with(|| {
            interaction::question_activity(&c.module_iri, &check.id, &check.title, question).to_string()
        });
        let mut result = json!({"success": q.correct});
        if let Some(response) = interaction::question_response(&q.answers) {
            result["response"] = json!(response);
        }
        out.push(statement(ids.id("question", i), &c.actor, answered, object, &result, &context, &ended));
    }
    out
}

/// One statement as compact JSON text. `actor`, `object` and `context` are JSON text already:
/// an activity's definition (names and descriptions in every language, every choice) is the same
/// in many statements, and building a `Value` of it for each, to serialize it again, was most of
/// an export's time. The keys come in the order serde_json writes a `Value`'s (sorted), so the
/// text is what serializing the whole statement as a `Value` would give.
fn statement(
    id: String,
    actor: &str,
    verb: (&str, &str),
    object: &str,
    result: &Value,
    context: &str,
    timestamp: &str,
) -> String {
    // No `version`: xAPI 1.0.3 §2.4.10 says a provider should not set it (and must set 1.0.0 if
    // it does); the LRS records the version it was sent with.
    let verb = json!({"id": verb.0, "display": {"en-US": verb.1}});
    let mut text = String::with_capacity(actor.len() + object.len() + context.len() + 256);
    for (key, value) in [
        ("actor", actor),
        ("context", context),
        ("id", &Value::from(id).to_string()),
        ("object", object),
        ("result", &result.to_string()),
        ("timestamp", &Value::from(timestamp).to_string()),
        ("verb", &verb.to_string()),
    ] {
        text.push(if text.is_empty() { '{' } else { ',' });
        text.push('"');
        text.push_str(key);
        text.push_str("\":");
        text.push_str(value);
    }
    text.push('}');
    text
}

fn timestamp(at: &chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// An ISO 8601 duration such as `PT12M30S`.
pub(super) fn iso_duration(secs: u64) -> String {
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    let mut out = "PT".to_owned();
    if h > 0 {
        out.push_str(&format!("{h}H"));
    }
    if m > 0 {
        out.push_str(&format!("{m}M"));
    }
    if s > 0 || (h == 0 && m == 0) {
        out.push_str(&format!("{s}S"));
    }
    out
}

/// A plain language tag such as `en` or `es-MX` (letters, digits and hyphens).
fn is_language_tag(tag: &str) -> bool {
    !tag.is_empty()
        && tag.len() <= 35
        && tag.split('-').all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Percent-encodes an id for use as an IRI path segment (module ids are already safe).
fn segment(id: &str) -> String {
    id.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => char::from(b).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests;

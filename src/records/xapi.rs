//! xAPI 1.0.3 statements from records, for a learning record store (LRS).
//!
//! Each record gives a `completed` statement, a `passed` or `failed` statement, and an
//! `answered` statement for each scenario choice and each check question. Statement ids are
//! UUID v5 over the record id, the statement kind and its index, so exporting the same records
//! twice gives the same ids and an LRS ignores the repeats.

use serde_json::{Map, Value, json};

use super::{RecordError, SignedRecord, verification_code};

/// Namespace of statement ids.
const STATEMENT_NAMESPACE: uuid::Uuid = uuid::Uuid::from_u128(0x2f8e_91c4_7d0b_4a63_b5e2_1c9a_60d7_3b58);

const VERB_COMPLETED: &str = "http://adlnet.gov/expapi/verbs/completed";
const VERB_PASSED: &str = "http://adlnet.gov/expapi/verbs/passed";
const VERB_FAILED: &str = "http://adlnet.gov/expapi/verbs/failed";
const VERB_ANSWERED: &str = "http://adlnet.gov/expapi/verbs/answered";
const TYPE_MODULE: &str = "http://adlnet.gov/expapi/activities/module";
const TYPE_INTERACTION: &str = "http://adlnet.gov/expapi/activities/cmi.interaction";
const EXT_VERSION: &str = "urn:faro:ext:module-version";
const EXT_HASH: &str = "urn:faro:ext:content-hash";
const EXT_RECORD: &str = "urn:faro:ext:record-id";
const EXT_DEVICE: &str = "urn:faro:ext:device-key";
const EXT_CODE: &str = "urn:faro:ext:verification-code";
const EXT_CRITICAL: &str = "urn:faro:ext:critical";

/// The statements for `records`, in record order.
pub fn statements(records: &[SignedRecord]) -> Vec<Value> {
    records.iter().flat_map(record_statements).collect()
}

/// The statements as a pretty-printed JSON array.
pub fn xapi_json(records: &[SignedRecord]) -> Result<String, RecordError> {
    serde_json::to_string_pretty(&statements(records)).map_err(|e| RecordError::Encode(e.to_string()))
}

fn record_statements(signed: &SignedRecord) -> Vec<Value> {
    let r = &signed.record;
    let actor = json!({
        "objectType": "Agent",
        "account": {"homePage": format!("urn:faro:device:{}", signed.device_fingerprint()), "name": r.learner_id},
    });
    let module_iri = format!("urn:faro:module:{}", segment(&r.module_id));
    let module = json!({
        "objectType": "Activity",
        "id": module_iri,
        "definition": {
            "type": TYPE_MODULE,
            "name": r.module_title,
            "extensions": {EXT_VERSION: r.module_version},
        },
    });
    let context = json!({
        "registration": r.id,
        "language": r.lang,
        "platform": "Faro",
        "contextActivities": {"parent": [{"objectType": "Activity", "id": module_iri}]},
        "extensions": {
            EXT_VERSION: r.module_version,
            EXT_HASH: r.content_hash,
            EXT_RECORD: r.id,
            EXT_DEVICE: signed.device_key,
            EXT_CODE: verification_code(signed),
        },
    });
    let ended = timestamp(&r.ended);
    let mut result = Map::new();
    if let Some(scaled) = r.scaled_score() {
        let (got, all) = r.items();
        // Four decimals keep the number short and identical from run to run.
        let scaled = (scaled * 10_000.0).round() / 10_000.0;
        result.insert("score".into(), json!({"scaled": scaled, "raw": got, "min": 0, "max": all}));
    }
    result.insert("success".into(), json!(r.passed));
    result.insert("completion".into(), json!(true));
    result.insert("duration".into(), json!(iso_duration(r.duration_secs)));
    let outcome_verb = if r.passed { (VERB_PASSED, "passed") } else { (VERB_FAILED, "failed") };

    let mut out = vec![
        statement(
            &r.id,
            "completed",
            0,
            &actor,
            (VERB_COMPLETED, "completed"),
            &module,
            &result,
            &context,
            &ended,
        ),
        statement(&r.id, outcome_verb.1, 0, &actor, outcome_verb, &module, &result, &context, &ended),
    ];
    for (i, c) in r.choices.iter().enumerate() {
        let object = interaction(&module_iri, &c.step, &c.node, "choice");
        let mut res = Map::new();
        res.insert("response".into(), json!(c.choice));
        res.insert("success".into(), json!(!c.critical));
        res.insert("extensions".into(), json!({EXT_CRITICAL: c.critical}));
        let at = timestamp(&c.at);
        out.push(statement(
            &r.id,
            "choice",
            i,
            &actor,
            (VERB_ANSWERED, "answered"),
            &object,
            &res,
            &context,
            &at,
        ));
    }
    for (i, q) in r.questions.iter().enumerate() {
        let object = interaction(&module_iri, &q.step, &q.question, "choice");
        let mut res = Map::new();
        res.insert("response".into(), json!(q.answers.join("[,]")));
        res.insert("success".into(), json!(q.correct));
        out.push(statement(
            &r.id,
            "question",
            i,
            &actor,
            (VERB_ANSWERED, "answered"),
            &object,
            &res,
            &context,
            &ended,
        ));
    }
    out
}

#[allow(clippy::too_many_arguments)] // Every statement has these parts; a struct would only rename them.
fn statement(
    record_id: &str,
    kind: &str,
    index: usize,
    actor: &Value,
    verb: (&str, &str),
    object: &Value,
    result: &Map<String, Value>,
    context: &Value,
    timestamp: &str,
) -> Value {
    let id = uuid::Uuid::new_v5(&STATEMENT_NAMESPACE, format!("{record_id}/{kind}/{index}").as_bytes());
    json!({
        "id": id.to_string(),
        "version": "1.0.3",
        "actor": actor,
        "verb": {"id": verb.0, "display": {"en-US": verb.1}},
        "object": object,
        "result": result,
        "context": context,
        "timestamp": timestamp,
    })
}

fn interaction(module_iri: &str, step: &str, item: &str, kind: &str) -> Value {
    json!({
        "objectType": "Activity",
        "id": format!("{module_iri}/{}/{}", segment(step), segment(item)),
        "definition": {"type": TYPE_INTERACTION, "interactionType": kind},
    })
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
mod tests {
    use super::*;

    #[test]
    fn durations_are_iso_8601() {
        assert_eq!(iso_duration(0), "PT0S");
        assert_eq!(iso_duration(750), "PT12M30S");
        assert_eq!(iso_duration(3600), "PT1H");
        assert_eq!(iso_duration(3725), "PT1H2M5S");
    }

    #[test]
    fn ids_become_safe_iri_segments() {
        assert_eq!(segment("q-1.a"), "q-1.a");
        assert_eq!(segment("a b/ñ"), "a%20b%2F%C3%B1");
    }
}

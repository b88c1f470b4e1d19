//! The rules of issue 15 on the generated JSON: no `version`, an http(s) home page, interaction
//! definitions, true-false, no empty response, tampered records marked, ids by meaning.

use std::collections::HashSet;
use std::path::Path;

use serde_json::Value;
use sha2::{Digest, Sha256};

use super::*;
use crate::format::{Module, Step};
use crate::records::{DeviceKey, read_records_file};

const LAPTOP_A: &str = "tests/fixtures/records/records-laptop-a.json";
const MINIMAL: &str = "tests/fixtures/good/minimal";

fn laptop_a() -> Vec<SignedRecord> {
    read_records_file(Path::new(LAPTOP_A)).unwrap().0
}

fn minimal() -> Module {
    crate::load::load_module_dir(Path::new(MINIMAL)).unwrap().module
}

/// The module texts of the fixture records, as found on a computer that has the module.
fn index_with_minimal() -> ModuleIndex {
    let mut index = ModuleIndex::default();
    index.insert(super::super::content_hash(Path::new(MINIMAL)).unwrap(), minimal());
    index
}

fn export(records: &[SignedRecord]) -> XapiExport {
    statements(records, &index_with_minimal(), &XapiOptions::default())
}

fn answered(statements: &[Value]) -> Vec<&Value> {
    statements.iter().filter(|s| s["verb"]["id"] == VERB_ANSWERED).collect()
}

fn test_key() -> DeviceKey {
    DeviceKey::from_secret(Sha256::digest(b"faro xapi unit tests").into())
}

#[test]
fn no_statement_sets_version() {
    let out = export(&laptop_a());
    assert_eq!(out.statements.len(), 16);
    for s in &out.statements {
        assert!(s.get("version").is_none(), "{s:#}");
    }
}

#[test]
fn home_page_is_a_web_address_and_can_be_chosen() {
    let records = laptop_a();
    for s in &export(&records).statements {
        let home = s["actor"]["account"]["homePage"].as_str().unwrap();
        assert_eq!(home, DEFAULT_HOME_PAGE);
        assert!(home.starts_with("https://"), "{home}");
    }
    let options = XapiOptions { home_page: HomePage::parse("https://training.example.org").unwrap() };
    let chosen = statements(&records, &index_with_minimal(), &options);
    assert!(
        chosen.statements.iter().all(|s| s["actor"]["account"]["homePage"] == "https://training.example.org")
    );
    let ids = |e: &XapiExport| e.statements.iter().map(|s| s["id"].clone()).collect::<Vec<_>>();
    assert_eq!(ids(&chosen), ids(&export(&records)), "the home page does not change statement ids");
}

#[test]
fn interactions_are_defined_with_choices_and_correct_responses() {
    let out = export(&laptop_a());
    let answered = answered(&out.statements);
    assert_eq!(answered.len(), 10);
    for s in &answered {
        let d = &s["object"]["definition"];
        for lang in ["en", "es"] {
            assert!(!d["name"][lang].as_str().unwrap_or("").is_empty(), "name {lang}: {s:#}");
            assert!(!d["description"][lang].as_str().unwrap_or("").is_empty(), "description {lang}: {s:#}");
        }
        let patterns = d["correctResponsesPattern"].as_array().expect("correctResponsesPattern");
        assert!(!patterns.is_empty());
        match d["interactionType"].as_str() {
            Some("choice") => {
                let ids: HashSet<&str> =
                    d["choices"].as_array().unwrap().iter().filter_map(|c| c["id"].as_str()).collect();
                assert!(patterns.iter().all(|p| ids.contains(p.as_str().unwrap())), "{s:#}");
                assert!(ids.contains(s["result"]["response"].as_str().unwrap()), "{s:#}");
            }
            Some("true-false") => {
                assert!(d.get("choices").is_none());
                assert!(["true", "false"].contains(&s["result"]["response"].as_str().unwrap()));
            }
            other => panic!("interactionType {other:?}"),
        }
        assert_eq!(s["context"]["contextActivities"]["parent"][0]["id"], "urn:faro:module:minimal-example");
    }
    let question =
        answered.iter().find(|s| s["object"]["id"].as_str().unwrap().contains("/quiz/q1/")).unwrap();
    assert_eq!(question["object"]["definition"]["interactionType"], "true-false");
    assert_eq!(question["object"]["definition"]["correctResponsesPattern"], serde_json::json!(["false"]));
    let arrive =
        answered.iter().find(|s| s["object"]["id"].as_str().unwrap().contains("/station/arrive/")).unwrap();
    // The critical choice is not among the correct responses.
    assert_eq!(arrive["object"]["definition"]["correctResponsesPattern"], serde_json::json!(["note"]));
}

#[test]
fn an_unanswered_question_has_no_response() {
    let mut record = laptop_a().remove(0).record;
    for q in &mut record.questions {
        q.answers.clear();
        q.correct = false;
    }
    let signed = test_key().sign(record).unwrap();
    let out = export(&[signed]);
    let questions: Vec<&Value> = answered(&out.statements)
        .into_iter()
        .filter(|s| s["object"]["id"].as_str().unwrap().contains("/quiz/"))
        .collect();
    assert_eq!(questions.len(), 1);
    assert!(questions[0]["result"].get("response").is_none(), "{:#}", questions[0]);
    assert_eq!(questions[0]["result"]["success"], false);
    for s in &out.statements {
        assert_ne!(s["result"]["response"], "", "no empty response: {s:#}");
    }
}

#[test]
fn tampered_records_are_left_out_by_the_split_and_marked_when_kept() {
    let mut records = laptop_a();
    let mut changed = records[0].clone();
    changed.record.learner_name = "Ama".into();
    let expected = 2 + changed.record.choices.len() + changed.record.questions.len();
    records.push(changed);
    let (authentic, tampered) = crate::records::split_tampered(records.clone());
    assert_eq!((authentic.len(), tampered.len()), (3, 1));
    assert!(
        export(&authentic).statements.iter().all(|s| s["context"]["extensions"].get(EXT_TAMPERED).is_none())
    );

    let out = export(&records);
    assert_eq!(out.report.tampered, 1);
    let marked: Vec<&Value> =
        out.statements.iter().filter(|s| s["context"]["extensions"].get(EXT_TAMPERED).is_some()).collect();
    assert_eq!(marked.len(), expected, "every statement of the changed record, and only those");
    let ids: HashSet<&str> = out.statements.iter().filter_map(|s| s["id"].as_str()).collect();
    assert_eq!(
        ids.len(),
        out.statements.len(),
        "a kept tampered record does not take the authentic record's ids"
    );
}

/// The fixture module as version 1.1.0, with the first scenario node reworded and the check
/// question's explanation improved (its meaning unchanged), and a record of it.
fn next_version() -> (Module, SignedRecord) {
    let mut module = minimal();
    module.version = semver::Version::new(1, 1, 0);
    for step in &mut module.steps {
        match step {
            Step::Scenario(s) => s.nodes[0].text.0.insert("en".into(), "A girl looks afraid.".into()),
            Step::Check(c) => c.questions[0].answers[0].explain.0.insert("en".into(), "Never.".into()),
            _ => None,
        };
    }
    let mut record = laptop_a().remove(0).record;
    record.module_version = "1.1.0".into();
    record.content_hash = "11".repeat(32);
    (module, test_key().sign(record).unwrap())
}

#[test]
fn activity_ids_follow_meaning_across_versions() {
    let old = laptop_a().remove(0);
    let (module, new) = next_version();
    let mut index = index_with_minimal();
    index.insert(new.record.content_hash.clone(), module);
    let out = statements(&[old, new], &index, &XapiOptions::default());
    let objects = |version: &str, part: &str| -> HashSet<String> {
        out.statements
            .iter()
            .filter(|s| s["context"]["extensions"][EXT_VERSION] == version)
            .filter_map(|s| s["object"]["id"].as_str())
            .filter(|id| if part.is_empty() { !id.contains('/') } else { id.contains(part) })
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(objects("1.0.0", "/quiz/q1/"), objects("1.1.0", "/quiz/q1/"), "same question, same id");
    assert_eq!(objects("1.0.0", "/station/call/"), objects("1.1.0", "/station/call/"));
    let (old_arrive, new_arrive) =
        (objects("1.0.0", "/station/arrive/"), objects("1.1.0", "/station/arrive/"));
    assert_eq!((old_arrive.len(), new_arrive.len()), (1, 1));
    assert_ne!(old_arrive, new_arrive, "a reworded node is another activity");
    assert_eq!(
        objects("1.0.0", ""),
        objects("1.1.0", ""),
        "the module keeps its id; the version is in the context"
    );
}

#[test]
fn statements_without_their_module_texts_are_left_out_and_reported() {
    let records = laptop_a();
    let out = statements(&records, &ModuleIndex::default(), &XapiOptions::default());
    assert_eq!(out.statements.len(), 6, "completed and passed/failed only");
    assert!(answered(&out.statements).is_empty());
    assert_eq!(out.report.missing.len(), 1);
    let m = &out.report.missing[0];
    assert_eq!((m.module_id.as_str(), m.records, m.statements), ("minimal-example", 3, 10));
    let with = export(&records);
    let with_ids: HashSet<&Value> = with.statements.iter().map(|s| &s["id"]).collect();
    for s in &out.statements {
        assert!(with.statements.contains(s), "a statement never depends on whether the texts were found");
        assert!(with_ids.contains(&s["id"]));
    }
}

/// A change to the statements' content must come with a new [`STATEMENT_LAYOUT`] (see there):
/// statements already sent would otherwise conflict with the new ones. When this fails on
/// purpose, raise the layout, note the change in docs/records.md, and update the digest.
#[test]
fn statement_content_is_pinned_to_the_layout() {
    let out = export(&laptop_a());
    // serde_json's maps are sorted, so this text is as stable as the statements.
    let json = serde_json::to_string(&out.statements).unwrap();
    let digest = data_encoding::HEXLOWER.encode(&Sha256::digest(json.as_bytes()));
    assert_eq!(STATEMENT_LAYOUT, 3);
    assert_eq!(digest, "5893fa6a211c60a5e09cc1c2a2331804067657977d7634bb70363dd3f6836e02");
}

#[test]
fn ids_are_stable_and_new_in_this_layout() {
    let records = laptop_a();
    let first = export(&records);
    assert_eq!(first.statements, export(&records).statements);
    // Layout 1 named `<record>/<kind>/<index>`; those ids were sent with other content.
    let old =
        uuid::Uuid::new_v5(&STATEMENT_NAMESPACE, format!("{}/completed/0", records[0].record.id).as_bytes());
    assert!(first.statements.iter().all(|s| s["id"] != old.to_string()));
}

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

#[test]
fn the_written_file_holds_the_same_statements() {
    let records = laptop_a();
    let mut bytes = Vec::new();
    let report =
        write_statements(&mut bytes, &records, &index_with_minimal(), &XapiOptions::default()).unwrap();
    let written: Vec<Value> = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(written, export(&records).statements);
    assert_eq!(report.statements, written.len());
    let mut empty = Vec::new();
    write_statements(&mut empty, &[], &index_with_minimal(), &XapiOptions::default()).unwrap();
    assert_eq!(serde_json::from_slice::<Vec<Value>>(&empty).unwrap(), Vec::<Value>::new());
}

#[test]
fn the_written_file_is_the_statements_one_per_line_as_serde_json_writes_them() {
    let records = laptop_a();
    let modules = index_with_minimal();
    let options = XapiOptions::default();
    let mut file = Vec::new();
    write_statements(&mut file, &records, &modules, &options).unwrap();
    let text = String::from_utf8(file).unwrap();
    let lines: Vec<&str> = text.lines().filter(|l| l.starts_with('{')).collect();
    let statements = statements(&records, &modules, &options).statements;
    assert_eq!(lines.len(), statements.len());
    for (line, statement) in lines.iter().zip(&statements) {
        // Each line is exactly the statement serialized as a `Value` (keys sorted, compact).
        assert_eq!(line.trim_end_matches(','), serde_json::to_string(statement).unwrap());
    }
    let parsed: Vec<Value> = serde_json::from_str(&text).unwrap();
    assert_eq!(&parsed, &statements);
}

/// Issue 22: a scenario choice is correct only when it is a best choice at its node. In the
/// minimal module, calling nobody is safe (not critical) but not best: the hotline scores more.
#[test]
fn only_the_best_choice_at_a_node_is_correct() {
    let mut record = laptop_a().remove(0).record;
    let hotline = record.choices.iter_mut().find(|c| c.choice == "hotline").expect("a hotline choice");
    hotline.choice = "nobody".into();
    let out = export(&[test_key().sign(record).unwrap()]);
    let call = answered(&out.statements)
        .into_iter()
        .find(|s| s["object"]["id"].as_str().unwrap().contains("/station/call/"))
        .expect("the call node");
    assert_eq!(call["object"]["definition"]["correctResponsesPattern"], serde_json::json!(["hotline"]));
    assert_eq!(call["result"]["response"], "nobody");
    assert_eq!(call["result"]["success"], false, "safe but not best is not correct");
    assert_eq!(call["result"]["extensions"][EXT_CRITICAL], false);
    // Every answered scenario statement: success exactly when the response is a correct pattern.
    for s in answered(&export(&laptop_a()).statements) {
        let d = &s["object"]["definition"];
        if d["interactionType"] == "choice" && s["object"]["id"].as_str().unwrap().contains("/station/") {
            let patterns = d["correctResponsesPattern"].as_array().unwrap();
            assert_eq!(
                s["result"]["success"].as_bool(),
                Some(patterns.contains(&s["result"]["response"])),
                "{s:#}"
            );
        }
    }
}

/// Issue 25: the coordinator's judgement marks a record whose own signature checks out (a device
/// outside the trust list, or one of two signed versions): the mark and ids of its own, and a
/// broken signature is marked tampered whatever the caller says.
#[test]
fn marked_records_carry_their_mark_and_ids_of_their_own() {
    let records = laptop_a();
    let genuine = export(&records);
    let genuine_ids: HashSet<String> =
        genuine.statements.iter().map(|s| s["id"].as_str().unwrap().to_owned()).collect();
    let why = "device 0123456789abcdef is not in the trust list".to_owned();
    let marked: Vec<(&SignedRecord, Option<Mark>)> =
        records.iter().map(|r| (r, Some(Mark::UnknownDevice(why.clone())))).collect();
    let out = statements_marked(&marked, &index_with_minimal(), &XapiOptions::default());
    assert_eq!(out.statements.len(), genuine.statements.len());
    assert_eq!(out.report.unknown_device, records.len());
    for s in &out.statements {
        assert_eq!(s["context"]["extensions"][EXT_UNKNOWN_DEVICE], why.as_str(), "{s:#}");
        assert!(s["context"]["extensions"].get(EXT_TAMPERED).is_none());
        assert!(!genuine_ids.contains(s["id"].as_str().unwrap()), "an id of its own: {s:#}");
    }
    let mut changed = records[0].clone();
    changed.record.learner_name = "Ama".into();
    let out = statements_marked(
        &[(&changed, Some(Mark::UnknownDevice(why.clone())))],
        &index_with_minimal(),
        &XapiOptions::default(),
    );
    assert_eq!((out.report.tampered, out.report.unknown_device), (1, 0));
    assert!(out.statements.iter().all(|s| s["context"]["extensions"].get(EXT_TAMPERED).is_some()));
}

fn read_array(path: &Path) -> Vec<Value> {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn batches_hold_at_most_n_statements_and_a_small_export_stays_one_file() {
    let records = laptop_a();
    let all = export(&records).statements;
    assert_eq!(all.len(), 16);
    let plain: Vec<(&SignedRecord, Option<Mark>)> = records.iter().map(|r| (r, None)).collect();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("statements.json");
    let modules = index_with_minimal();
    let options = XapiOptions::default();

    let files = write_xapi_files(&out, XapiLayout::Batches(5), &plain, &modules, &options).unwrap();
    let names: Vec<String> =
        files.files.iter().map(|f| f.file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(
        names,
        ["statements-0001.json", "statements-0002.json", "statements-0003.json", "statements-0004.json"]
    );
    let batches: Vec<Vec<Value>> = files.files.iter().map(|f| read_array(f)).collect();
    assert_eq!(batches.iter().map(Vec::len).collect::<Vec<_>>(), [5, 5, 5, 1]);
    assert_eq!(batches.concat(), all, "the batches are the export, in order");
    assert_eq!(files.report.statements, 16);
    assert!(!out.exists());

    // Exactly one full batch is still one file, under the name given; the numbered files of the
    // longer export before it are removed, so that sending NAME-*.json sends nothing stale.
    let files = write_xapi_files(&out, XapiLayout::Batches(16), &plain, &modules, &options).unwrap();
    assert_eq!(files.files, std::slice::from_ref(&out));
    assert_eq!(files.removed.len(), 4);
    assert_eq!(read_array(&out), all);
    assert!(!batch_path(&out, 1).exists());
    // And an empty export is one empty array.
    let files = write_xapi_files(&out, XapiLayout::Batches(5), &[], &modules, &options).unwrap();
    assert_eq!((files.files.len(), read_array(&out).len()), (1, 0));

    let lines = dir.path().join("statements.ndjson");
    let files = write_xapi_files(&lines, XapiLayout::Lines, &plain, &modules, &options).unwrap();
    assert_eq!(files.files, std::slice::from_ref(&lines));
    let text = std::fs::read_to_string(&lines).unwrap();
    let parsed: Vec<Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(parsed, all);
}

/// Batch files are written on a thread of their own: a file that cannot be written (here, a
/// folder stands where the third batch goes) still fails the export, with its name.
#[test]
fn a_batch_file_that_cannot_be_written_fails_the_export() {
    let records = laptop_a();
    let plain: Vec<(&SignedRecord, Option<Mark>)> = records.iter().map(|r| (r, None)).collect();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("statements.json");
    std::fs::create_dir(batch_path(&out, 3)).unwrap();
    let modules = index_with_minimal();
    let options = XapiOptions::default();
    let error = write_xapi_files(&out, XapiLayout::Batches(5), &plain, &modules, &options).unwrap_err();
    assert!(error.to_string().contains("statements-0003.json"), "{error}");
}

//! Interaction activities: a check question or a scenario node, as the learner saw it.
//!
//! The activity id ends with a fingerprint of what the item *means* (its wording in every
//! language, its options, which options are right), so an LRS never gets two different
//! questions under one id, while a question left unchanged by a new module version keeps its id
//! and its statistics. Feedback, explanations, scores and links are left out of the fingerprint:
//! changing them does not change what was asked.

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::super::canonical_json;
use super::segment;
use crate::format::{ActClass, Node, Question, QuestionKind, Text};

const TYPE_INTERACTION: &str = "http://adlnet.gov/expapi/activities/cmi.interaction";

/// Separates the ids of several answers in a `choice` response (xAPI 1.0.3, §2.4.4.1.1).
const RESPONSE_SEPARATOR: &str = "[,]";

/// The activity of check question `question` of step `step` (a check, whose title is given).
pub fn question_activity(module_iri: &str, step: &str, step_title: &Text, question: &Question) -> Value {
    let meaning = json!({
        "kind": format!("{:?}", question.kind),
        "prompt": question.prompt,
        "answers": question.answers.iter().map(|a| json!({"id": a.id, "text": a.text, "correct": a.correct})).collect::<Vec<_>>(),
    });
    let mut definition = json!({
        "type": TYPE_INTERACTION,
        "name": item_name(step_title, &question.id),
        "description": question.prompt,
    });
    let correct: Vec<&str> = question.answers.iter().filter(|a| a.correct).map(|a| a.id.as_str()).collect();
    if is_true_false(question) {
        definition["interactionType"] = json!("true-false");
        definition["correctResponsesPattern"] = json!(correct);
    } else {
        definition["interactionType"] = json!("choice");
        definition["choices"] =
            json!(question.answers.iter().map(|a| component(&a.id, &a.text)).collect::<Vec<_>>());
        // One pattern: every correct answer, and only those (a single-answer question has one).
        definition["correctResponsesPattern"] = json!([correct.join(RESPONSE_SEPARATOR)]);
    }
    json!({
        "objectType": "Activity",
        "id": item_iri(module_iri, step, &question.id, &meaning),
        "definition": definition,
    })
}

/// The ids of the choices at `node` that count as correct: its best choices under the safety
/// policy (`class_of` gives an act's class; see [`crate::format::best_choices`]).
pub fn correct_choices(node: &Node, class_of: impl Fn(&str) -> Option<ActClass>) -> Vec<&str> {
    let best = crate::format::best_choices(node, class_of);
    best.iter().filter_map(|&i| node.choices.get(i)).map(|c| c.id.as_str()).collect()
}

/// The activity of scenario node `node` of step `step` (a scenario, whose title is given).
///
/// A choice counts as correct, as `result.success` says, only when it is a best choice at its
/// node under the safety policy: not critical, no Critical, Disqualifying or Detour act, and the
/// highest score among such choices. Each is one correct pattern.
pub fn node_activity(
    module_iri: &str,
    step: &str,
    step_title: &Text,
    node: &Node,
    class_of: impl Fn(&str) -> Option<ActClass>,
) -> Value {
    let correct = correct_choices(node, class_of);
    let mut meaning = json!({
        "text": node.text,
        "choices": node.choices.iter().map(|c| json!({"id": c.id, "text": c.text, "critical": c.critical.is_some()})).collect::<Vec<_>>(),
    });
    // Which options are right is part of what the node means. Layout 2 counted every safe choice
    // as right and left this out; a node whose right options are still exactly its safe ones
    // keeps its id, and its statistics in the LRS.
    let safe: Vec<&str> =
        node.choices.iter().filter(|c| c.critical.is_none()).map(|c| c.id.as_str()).collect();
    if correct != safe {
        meaning["correct"] = json!(correct);
    }
    json!({
        "objectType": "Activity",
        "id": item_iri(module_iri, step, &node.id, &meaning),
        "definition": {
            "type": TYPE_INTERACTION,
            "name": item_name(step_title, &node.id),
            "description": node.text,
            "interactionType": "choice",
            "choices": node.choices.iter().map(|c| component(&c.id, &c.text)).collect::<Vec<_>>(),
            "correctResponsesPattern": correct,
        },
    })
}

/// The `result.response` for the answers chosen; `None` when nothing was chosen, since xAPI has
/// no way to say "no answer" other than leaving the response out.
pub fn question_response(answers: &[String]) -> Option<String> {
    (!answers.is_empty()).then(|| answers.join(RESPONSE_SEPARATOR))
}

/// True-false is used only where the answers are literally `true` and `false`: a two-answer
/// question worded otherwise ("yes"/"no") keeps its own answer ids as a `choice`.
fn is_true_false(question: &Question) -> bool {
    let mut ids: Vec<&str> = question.answers.iter().map(|a| a.id.as_str()).collect();
    ids.sort_unstable();
    let one_correct = question.answers.iter().filter(|a| a.correct).count() == 1;
    matches!(question.kind, QuestionKind::TrueFalse | QuestionKind::Single)
        && ids == ["false", "true"]
        && one_correct
}

fn item_iri(module_iri: &str, step: &str, item: &str, meaning: &Value) -> String {
    // Canonical JSON of plain strings and booleans cannot fail; an empty text would still hash.
    let canonical = canonical_json(meaning).unwrap_or_else(|_| meaning.to_string());
    let digest = Sha256::digest(canonical.as_bytes());
    let short = data_encoding::HEXLOWER.encode(digest.get(..8).unwrap_or(&digest));
    format!("{module_iri}/{}/{}/{short}", segment(step), segment(item))
}

/// "Check your understanding · q1", in each language of the step title.
fn item_name(step_title: &Text, item: &str) -> Value {
    let names: serde_json::Map<String, Value> =
        step_title.0.iter().map(|(lang, title)| (lang.clone(), json!(format!("{title} · {item}")))).collect();
    Value::Object(names)
}

fn component(id: &str, text: &Text) -> Value {
    json!({"id": id, "description": text})
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::Answer;

    fn text(en: &str) -> Text {
        Text::from_pairs([("en", en), ("es", &*format!("{en} (es)"))])
    }

    fn question(kind: QuestionKind, answers: &[(&str, bool)]) -> Question {
        Question {
            id: "q1".into(),
            kind,
            prompt: text("Is it safe?"),
            answers: answers
                .iter()
                .map(|(id, correct)| Answer {
                    id: (*id).into(),
                    text: text(id),
                    correct: *correct,
                    explain: text("because"),
                })
                .collect(),
        }
    }

    #[test]
    fn true_false_only_for_literal_true_and_false() {
        let tf = question_activity(
            "urn:m",
            "quiz",
            &text("Quiz"),
            &question(QuestionKind::TrueFalse, &[("true", false), ("false", true)]),
        );
        assert_eq!(tf["definition"]["interactionType"], "true-false");
        assert_eq!(tf["definition"]["correctResponsesPattern"], json!(["false"]));
        assert!(tf["definition"].get("choices").is_none(), "true-false takes no choices");

        let yes_no = question_activity(
            "urn:m",
            "quiz",
            &text("Quiz"),
            &question(QuestionKind::TrueFalse, &[("yes", true), ("no", false)]),
        );
        assert_eq!(yes_no["definition"]["interactionType"], "choice");
        assert_eq!(yes_no["definition"]["choices"][0]["id"], "yes");
        assert_eq!(yes_no["definition"]["correctResponsesPattern"], json!(["yes"]));
    }

    #[test]
    fn multiple_answers_make_one_pattern_with_every_correct_answer() {
        let q = question(QuestionKind::Multiple, &[("a", true), ("b", false), ("c", true)]);
        let activity = question_activity("urn:m", "quiz", &text("Quiz"), &q);
        let d = &activity["definition"];
        assert_eq!(d["correctResponsesPattern"], json!(["a[,]c"]));
        assert_eq!(d["choices"].as_array().unwrap().len(), 3);
        assert_eq!(d["choices"][1]["description"]["es"], "b (es)");
        assert_eq!(d["name"], json!({"en": "Quiz · q1", "es": "Quiz (es) · q1"}));
        assert_eq!(d["description"]["en"], "Is it safe?");
    }

    #[test]
    fn ids_change_with_meaning_not_with_explanations() {
        let q = question(QuestionKind::Single, &[("a", true), ("b", false)]);
        let id = |q: &Question| question_activity("urn:m", "quiz", &text("Quiz"), q)["id"].clone();
        let base = id(&q);
        assert!(base.as_str().unwrap().starts_with("urn:m/quiz/q1/"));

        let mut explained = q.clone();
        explained.answers[0].explain = text("a better explanation");
        assert_eq!(id(&explained), base, "feedback does not change what was asked");
        let mut retitled = q.clone();
        retitled.prompt = text("Is it ever safe?");
        assert_ne!(id(&retitled), base);
        let mut spanish_only = q.clone();
        spanish_only.prompt.0.insert("es".into(), "¿Es seguro?".into());
        assert_ne!(id(&spanish_only), base, "a change in any language is a change");
        let mut other_key = q.clone();
        other_key.answers[0].correct = false;
        other_key.answers[1].correct = true;
        assert_ne!(id(&other_key), base, "a different right answer is a different question");
    }

    /// A node with one choice of each kind the safety policy grades.
    fn graded_node() -> Node {
        use crate::format::{Choice, Critical};
        let choice = |id: &str, score: i32, act: Option<&str>, critical: bool| Choice {
            id: id.into(),
            text: text(id),
            goto: Some("end".into()),
            feedback: None,
            score,
            sets: Vec::new(),
            when: None,
            critical: critical.then(|| Critical { why: text("why"), instead: text("instead") }),
            act: act.map(Into::into),
        };
        Node {
            id: "n".into(),
            text: text("What do you do?"),
            image: None,
            choices: vec![
                choice("press", 0, Some("interview-child-about-abuse"), true),
                choice("blame", 0, Some("blame-the-person"), false),
                choice("lead", -1, Some("leading-question"), false),
                choice("invented", 5, Some("not-in-the-policy"), false),
                choice("shrug", 0, None, false),
                choice("call", 2, Some("call-911"), false),
                choice("listen", 2, None, false),
            ],
        }
    }

    fn class_of(act: &str) -> Option<ActClass> {
        match act {
            "interview-child-about-abuse" => Some(ActClass::Critical),
            "blame-the-person" => Some(ActClass::Disqualifying),
            "leading-question" => Some(ActClass::Detour),
            "call-911" => Some(ActClass::Safe),
            _ => None,
        }
    }

    #[test]
    fn only_the_best_choices_under_the_policy_are_correct_patterns() {
        let node = graded_node();
        assert_eq!(correct_choices(&node, class_of), ["call", "listen"], "ties are each correct");
        let activity = node_activity("urn:m", "s", &text("S"), &node, class_of);
        assert_eq!(activity["definition"]["correctResponsesPattern"], json!(["call", "listen"]));
        // Which options are right is part of the meaning: another grading is another activity.
        let everyone_safe = |_: &str| Some(ActClass::Safe);
        let other = node_activity("urn:m", "s", &text("S"), &node, everyone_safe);
        assert_ne!(activity["id"], other["id"]);
        // A node where every choice is unsafe has no correct pattern.
        let mut unsafe_only = node.clone();
        unsafe_only.choices.retain(|c| c.id == "press" || c.id == "blame");
        assert_eq!(correct_choices(&unsafe_only, class_of), Vec::<&str>::new());
    }

    #[test]
    fn unanswered_questions_have_no_response() {
        assert_eq!(question_response(&[]), None);
        assert_eq!(question_response(&["a".into(), "c".into()]).as_deref(), Some("a[,]c"));
    }
}

//! The completion record: what a learner did in one finished attempt at one module.
//!
//! The record owns its types (it does not reuse the progress types) so that its format changes
//! only on purpose: a signed record must read back into exactly the same fields for its
//! signature to check.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::RecordError;
use crate::format::{Module, Step};
use crate::progress::{Attempt, Profile};

/// The record format written by this version of Faro.
pub const RECORD_FORMAT: u32 = 1;

/// Namespace for record ids, so that the same attempt always gets the same id.
const RECORD_NAMESPACE: uuid::Uuid = uuid::Uuid::from_u128(0x6b0f_3c1e_52d4_4f0a_9a57_0c3d_8e21_f4a1);

/// One finished attempt, as stored, exported and signed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    /// Record format version ([`RECORD_FORMAT`]).
    pub format: u32,
    /// UUID derived from learner, module and attempt times: the same attempt gives the same id.
    pub id: String,
    /// The learner's random id (the profile id).
    pub learner_id: String,
    /// The display name the learner chose.
    pub learner_name: String,
    pub module_id: String,
    pub module_version: String,
    /// The module title in each of its languages (for certificates and rosters).
    pub module_title: BTreeMap<String, String>,
    /// SHA-256 of the module folder's files, in hex (see [`content_hash`]).
    pub content_hash: String,
    /// The language the learner finished in (`en`, `es`).
    pub lang: String,
    pub started: DateTime<Utc>,
    pub ended: DateTime<Utc>,
    /// Wall-clock seconds from start to end (a resumed attempt includes the pause).
    pub duration_secs: u64,
    /// Whether the attempt met the module's pass rule.
    pub passed: bool,
    pub score: Score,
    /// Every question of every check, answered or not.
    pub questions: Vec<QuestionResult>,
    /// The critical (unsafe) choices made, in order.
    pub critical: Vec<CriticalChoice>,
    /// Every scenario choice, in order, across retries.
    pub choices: Vec<ChoiceRecord>,
    /// Last day the completion counts; `None` for an attempt that did not pass.
    pub valid_until: Option<NaiveDate>,
}

/// Scores of an attempt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Score {
    /// Questions answered correctly, over all checks.
    pub checks_correct: u32,
    /// Questions in all checks.
    pub checks_total: u32,
    pub scenarios: Vec<ScenarioResult>,
}

/// How one scenario went.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioResult {
    pub step: String,
    /// Score of the last run.
    pub score: i32,
    /// Whether the last run passed the scenario.
    pub passed: bool,
    /// The learner skipped it after its content note.
    pub skipped: bool,
    /// How many runs were started.
    pub runs: u32,
}

/// One question and the learner's answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionResult {
    pub step: String,
    pub question: String,
    /// Answer ids chosen (empty when unanswered).
    pub answers: Vec<String>,
    pub correct: bool,
}

/// A critical choice: where it was made.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CriticalChoice {
    pub step: String,
    pub node: String,
    pub choice: String,
}

/// One scenario choice as logged.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChoiceRecord {
    pub step: String,
    pub node: String,
    pub choice: String,
    pub critical: bool,
    pub at: DateTime<Utc>,
}

impl Record {
    /// Builds the record of a finished attempt; `module_dir` is hashed so the record names the
    /// exact content taken.
    pub fn from_attempt(
        module: &Module,
        module_dir: &Path,
        attempt: &Attempt,
        learner: &Profile,
    ) -> Result<Record, RecordError> {
        if attempt.module_id != module.id {
            return Err(RecordError::WrongModule {
                attempt: attempt.module_id.clone(),
                module: module.id.clone(),
            });
        }
        let Some(finished) = &attempt.finished else {
            return Err(RecordError::NotFinished { module: module.id.clone() });
        };
        let content_hash = content_hash(module_dir)?;
        let (checks_correct, checks_total, questions) = check_results(module, attempt);
        let scenarios = module
            .steps
            .iter()
            .filter_map(|step| match step {
                Step::Scenario(s) => {
                    let run = attempt.scenarios.get(&s.id);
                    let skipped = attempt.skipped.contains(&s.id);
                    Some(ScenarioResult {
                        step: s.id.clone(),
                        score: run.map_or(0, |r| r.score),
                        passed: !skipped && run.is_some_and(|r| r.passed(s)),
                        skipped,
                        runs: run.map_or(0, |r| r.runs),
                    })
                }
                _ => None,
            })
            .collect();
        let choices: Vec<ChoiceRecord> = attempt
            .log
            .iter()
            .map(|e| ChoiceRecord {
                step: e.step.clone(),
                node: e.node.clone(),
                choice: e.choice.clone(),
                critical: e.critical,
                at: e.at,
            })
            .collect();
        let critical = choices
            .iter()
            .filter(|c| c.critical)
            .map(|c| CriticalChoice { step: c.step.clone(), node: c.node.clone(), choice: c.choice.clone() })
            .collect();
        let ended = finished.at;
        let duration_secs = u64::try_from((ended - attempt.started).num_seconds()).unwrap_or(0);
        let name = format!(
            "{}\n{}\n{}\n{}",
            learner.id,
            module.id,
            attempt.started.to_rfc3339(),
            ended.to_rfc3339()
        );
        Ok(Record {
            format: RECORD_FORMAT,
            id: uuid::Uuid::new_v5(&RECORD_NAMESPACE, name.as_bytes()).to_string(),
            learner_id: learner.id.clone(),
            learner_name: learner.name.clone(),
            module_id: module.id.clone(),
            module_version: module.version.to_string(),
            module_title: module.title.0.clone(),
            content_hash,
            lang: attempt.lang.clone(),
            started: attempt.started,
            ended,
            duration_secs,
            passed: finished.passed,
            score: Score { checks_correct, checks_total, scenarios },
            questions,
            critical,
            choices,
            valid_until: finished.passed.then(|| valid_until(ended.date_naive(), module.valid_for_months)),
        })
    }

    /// The module title in `lang`, else English, else any, else the module id.
    pub fn title(&self, lang: &str) -> &str {
        self.module_title
            .get(lang)
            .or_else(|| self.module_title.get("en"))
            .or_else(|| self.module_title.values().next())
            .map_or(self.module_id.as_str(), String::as_str)
    }

    /// Scenarios passed and scenario count.
    pub fn scenarios_passed(&self) -> (u32, u32) {
        let passed = self.score.scenarios.iter().filter(|s| s.passed).count();
        (count(passed), count(self.score.scenarios.len()))
    }

    /// Items achieved and items in all: each check question and each scenario counts one.
    pub fn items(&self) -> (u32, u32) {
        let (sp, st) = self.scenarios_passed();
        (self.score.checks_correct.saturating_add(sp), self.score.checks_total.saturating_add(st))
    }

    /// Share of items achieved, 0.0 to 1.0; `None` when the module has no checks or scenarios.
    pub fn scaled_score(&self) -> Option<f64> {
        let (got, all) = self.items();
        (all > 0).then(|| f64::from(got) / f64::from(all))
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Per-question results for every check of the module, with the totals.
fn check_results(module: &Module, attempt: &Attempt) -> (u32, u32, Vec<QuestionResult>) {
    let mut out = Vec::new();
    for step in &module.steps {
        let Step::Check(check) = step else { continue };
        let given = attempt.answers.get(&check.id);
        for q in &check.questions {
            let answers = given.and_then(|g| g.get(&q.id)).cloned().unwrap_or_default();
            let correct = !answers.is_empty() && q.is_correct(&answers);
            out.push(QuestionResult { step: check.id.clone(), question: q.id.clone(), answers, correct });
        }
    }
    let correct = out.iter().filter(|q| q.correct).count();
    (count(correct), count(out.len()), out)
}

/// The last day a completion on `done` counts: `months` later (end of month when shorter).
pub fn valid_until(done: NaiveDate, months: u32) -> NaiveDate {
    done.checked_add_months(Months::new(months)).unwrap_or(NaiveDate::MAX)
}

/// SHA-256 of a module folder, in lowercase hex.
///
/// Every regular file under `dir` (hidden files and folders, whose names start with `.`, are left
/// out so that `.DS_Store` and editor files do not change it), sorted by its `/`-separated
/// relative path, contributes: the path in UTF-8, a zero byte, the file length as 8 bytes
/// big-endian, then the file's bytes.
pub fn content_hash(dir: &Path) -> Result<String, RecordError> {
    let mut files = Vec::new();
    collect_files(dir, "", &mut files)?;
    files.sort();
    let mut hasher = Sha256::new();
    for (rel, path) in files {
        let bytes =
            std::fs::read(&path).map_err(|source| RecordError::Read { path: path.clone(), source })?;
        hasher.update(rel.as_bytes());
        hasher.update([0u8]);
        hasher.update((bytes.len() as u64).to_be_bytes());
        hasher.update(&bytes);
    }
    Ok(data_encoding::HEXLOWER.encode(&hasher.finalize()))
}

fn collect_files(
    dir: &Path,
    prefix: &str,
    out: &mut Vec<(String, std::path::PathBuf)>,
) -> Result<(), RecordError> {
    let read_err = |source| RecordError::Read { path: dir.to_owned(), source };
    for entry in std::fs::read_dir(dir).map_err(read_err)? {
        let entry = entry.map_err(read_err)?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let rel = if prefix.is_empty() { name } else { format!("{prefix}/{name}") };
        let path = entry.path();
        let kind = entry.file_type().map_err(read_err)?;
        if kind.is_dir() {
            collect_files(&path, &rel, out)?;
        } else if kind.is_file() || (kind.is_symlink() && path.is_file()) {
            // A link to a file counts as the file; a link to a folder is not followed (no loops).
            out.push((rel, path));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validity_adds_months_and_clamps_to_month_end() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(valid_until(d(2026, 1, 10), 12), d(2027, 1, 10));
        assert_eq!(valid_until(d(2026, 1, 31), 1), d(2026, 2, 28));
    }

    #[test]
    fn content_hash_covers_names_and_bytes_but_not_hidden_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("img")).unwrap();
        std::fs::write(dir.path().join("module.ron"), "x").unwrap();
        std::fs::write(dir.path().join("img/a.png"), "y").unwrap();
        let h1 = content_hash(dir.path()).unwrap();
        std::fs::write(dir.path().join(".DS_Store"), "junk").unwrap();
        assert_eq!(content_hash(dir.path()).unwrap(), h1);
        std::fs::rename(dir.path().join("img/a.png"), dir.path().join("img/b.png")).unwrap();
        assert_ne!(content_hash(dir.path()).unwrap(), h1);
        assert_eq!(h1.len(), 64);
    }
}

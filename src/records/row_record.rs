//! What the coordinator's roster keeps of a record: the columns of the roster, the matrix, the
//! due list and a learner's history, without the answers and choices (a few KB a record, which
//! the merge counts as it reads and does not keep).

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};

use super::{CriticalChoice, SignedRecord, certificate::code_for_signature};

/// One record as a roster row shows it. Made with [`RowRecord::of`].
#[derive(Clone, Debug, PartialEq)]
pub struct RowRecord {
    pub id: String,
    pub learner_id: String,
    pub learner_name: String,
    pub module_id: String,
    pub module_version: String,
    /// The module title in each of its languages (shared by the rows of one module).
    pub module_title: Arc<BTreeMap<String, String>>,
    pub content_hash: String,
    pub lang: String,
    pub started: DateTime<Utc>,
    pub ended: DateTime<Utc>,
    pub duration_secs: u64,
    pub passed: bool,
    pub checks_correct: u32,
    pub checks_total: u32,
    pub scenarios_passed: u32,
    pub scenarios_total: u32,
    /// The critical choices made, in order.
    pub critical: Vec<CriticalChoice>,
    pub valid_until: Option<NaiveDate>,
    /// The signing device's public key, as the record carries it.
    pub device_key: String,
    /// The signature, as the record carries it.
    pub signature: String,
}

impl RowRecord {
    /// The roster's view of `signed`.
    pub fn of(signed: &SignedRecord) -> RowRecord {
        Self::with_title(signed, Arc::new(signed.record.module_title.clone()))
    }

    /// The roster's view of `signed`, with its module title map already shared.
    pub(super) fn with_title(
        signed: &SignedRecord,
        module_title: Arc<BTreeMap<String, String>>,
    ) -> RowRecord {
        let r = &signed.record;
        let (scenarios_passed, scenarios_total) = r.scenarios_passed();
        RowRecord {
            id: r.id.clone(),
            learner_id: r.learner_id.clone(),
            learner_name: r.learner_name.clone(),
            module_id: r.module_id.clone(),
            module_version: r.module_version.clone(),
            module_title,
            content_hash: r.content_hash.clone(),
            lang: r.lang.clone(),
            started: r.started,
            ended: r.ended,
            duration_secs: r.duration_secs,
            passed: r.passed,
            checks_correct: r.score.checks_correct,
            checks_total: r.score.checks_total,
            scenarios_passed,
            scenarios_total,
            critical: r.critical.clone(),
            valid_until: r.valid_until,
            device_key: signed.device_key.clone(),
            signature: signed.signature.clone(),
        }
    }

    /// The module title in `lang`, else English, else any, else the module id.
    pub fn title(&self, lang: &str) -> &str {
        self.module_title
            .get(lang)
            .or_else(|| self.module_title.get("en"))
            .or_else(|| self.module_title.values().next())
            .map_or(self.module_id.as_str(), String::as_str)
    }

    /// Share of items achieved (each check question and each scenario counts one), 0.0 to 1.0;
    /// `None` when the module has no checks or scenarios. As [`super::Record::scaled_score`].
    pub fn scaled_score(&self) -> Option<f64> {
        let got = self.checks_correct.saturating_add(self.scenarios_passed);
        let all = self.checks_total.saturating_add(self.scenarios_total);
        (all > 0).then(|| f64::from(got) / f64::from(all))
    }

    /// The short fingerprint of the signing device's key.
    pub fn device_fingerprint(&self) -> String {
        super::fingerprint(&self.device_key)
    }

    /// The record's verification code (see [`super::verification_code`]).
    pub fn verification_code(&self) -> String {
        code_for_signature(&self.signature)
    }
}

//! What the coordinator's roster keeps of a record: the columns of the roster, the matrix, the
//! due list and a learner's history, without the answers and choices (a few KB a record, which
//! the merge counts as it reads and does not keep).

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};

use super::{CriticalChoice, SignedRecord, certificate::code_for_signature};

/// One record as a roster row shows it. Made with [`RowRecord::of`].
#[derive(Clone, Debug, PartialEq)]
pub struct RowRecord {
    pub id: String,
    pub learner_id: String,
    pub learner_name: String,
    /// Shared by the rows of one module, as are the version, title, hash and language.
    pub module_id: Arc<str>,
    pub module_version: Arc<str>,
    /// The module title in each of its languages.
    pub module_title: Arc<BTreeMap<String, String>>,
    pub content_hash: Arc<str>,
    pub lang: Arc<str>,
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
    /// The signing device's public key, as the record carries it (shared by its rows).
    pub device_key: Arc<str>,
    /// The signature, as the record carries it.
    pub signature: String,
}

/// Texts many rows have in common, kept once.
#[derive(Default)]
pub(super) struct Shared {
    texts: HashSet<Arc<str>>,
    titles: HashSet<Arc<BTreeMap<String, String>>>,
}

impl Shared {
    fn text(&mut self, text: &str) -> Arc<str> {
        if let Some(shared) = self.texts.get(text) {
            return Arc::clone(shared);
        }
        let shared: Arc<str> = Arc::from(text);
        self.texts.insert(Arc::clone(&shared));
        shared
    }
}

impl RowRecord {
    /// The roster's view of `signed`.
    pub fn of(signed: &SignedRecord) -> RowRecord {
        Self::shared(signed, &mut Shared::default())
    }

    /// The roster's view of `signed`, sharing the texts that many rows have in common (module,
    /// language, device key) with the rows made before with `shared`.
    pub(super) fn shared(signed: &SignedRecord, shared: &mut Shared) -> RowRecord {
        let r = &signed.record;
        let (scenarios_passed, scenarios_total) = r.scenarios_passed();
        let module_title = match shared.titles.get(&r.module_title) {
            Some(title) => Arc::clone(title),
            None => {
                let title = Arc::new(r.module_title.clone());
                shared.titles.insert(Arc::clone(&title));
                title
            }
        };
        RowRecord {
            id: r.id.clone(),
            learner_id: r.learner_id.clone(),
            learner_name: r.learner_name.clone(),
            module_id: shared.text(&r.module_id),
            module_version: shared.text(&r.module_version),
            module_title,
            content_hash: shared.text(&r.content_hash),
            lang: shared.text(&r.lang),
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
            device_key: shared.text(&signed.device_key),
            signature: signed.signature.clone(),
        }
    }

    /// The module title in `lang`, else English, else any, else the module id.
    pub fn title(&self, lang: &str) -> &str {
        self.module_title
            .get(lang)
            .or_else(|| self.module_title.get("en"))
            .or_else(|| self.module_title.values().next())
            .map_or(&*self.module_id, String::as_str)
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

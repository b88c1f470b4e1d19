//! Synthetic, signed records of the bundled modules, played through the real attempt state
//! machine: shared by `examples/make_lrs_records.rs` (files for an LRS check and for measuring
//! `faro records merge`) and the records bench (`benches/faro_bench.rs`), so that both measure
//! the same records.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::error::Error;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, TimeZone, Utc};
use faro::format::{Module, QuestionKind, Step};
use faro::progress::{Attempt, Event, Profile, RunState};
use faro::records::{DeviceKey, Record, SignedRecord};
use sha2::{Digest, Sha256};

/// A small deterministic generator (xorshift), so the records are the same on every run.
pub struct Dice(pub u64);

impl Dice {
    pub fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        usize::try_from(self.0 % n.max(1) as u64).unwrap_or(0)
    }

    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// Plays `module` to its end: pages are read, scenarios walked mostly by the best safe choice, and
/// each question answered right about nine times in ten.
pub fn play(
    module: &Module,
    lang: &str,
    start: DateTime<Utc>,
    dice: &mut Dice,
) -> Result<Attempt, Box<dyn Error>> {
    let mut now = start;
    let mut attempt = Attempt::new(module, lang, now);
    let mut retried = false;
    // Nodes a choice has led to in this run: choices leading elsewhere come first, so a
    // scenario with loops ("ask again") still ends.
    let mut seen: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    for _ in 0..10_000 {
        if attempt.finished.is_some() {
            return Ok(attempt);
        }
        now += Duration::seconds(20 + dice.below(60) as i64);
        let event = match attempt.current_step(module) {
            Some(Step::Scenario(_)) if attempt.can_advance(module) => {
                let passed = match attempt.current_run(module) {
                    Some((s, run)) => run.passed(s),
                    None => true,
                };
                if !passed && !retried && dice.chance(70) {
                    retried = true;
                    seen.clear();
                    Event::RetryScenario
                } else {
                    retried = false;
                    seen.clear();
                    Event::Next
                }
            }
            Some(Step::Scenario(_)) => {
                let offered = attempt.offered_choices(module);
                let critical = attempt
                    .current_run(module)
                    .is_some_and(|(_, run)| matches!(run.state, RunState::Critical { .. }));
                if critical {
                    // A critical choice ends the run; the learner starts the scenario again.
                    seen.clear();
                    Event::RetryScenario
                } else if offered.is_empty() {
                    Event::AcknowledgeNote
                } else {
                    let fresh =
                        |c: &&&faro::format::Choice| c.goto.as_ref().is_none_or(|g| !seen.contains(g));
                    let mut safe: Vec<_> =
                        offered.iter().filter(|c| c.critical.is_none()).filter(fresh).collect();
                    if safe.is_empty() {
                        safe = offered.iter().filter(|c| c.critical.is_none()).collect();
                    }
                    let best = safe.iter().max_by_key(|c| c.score);
                    let pick = match best {
                        _ if dice.chance(6) => offered[dice.below(offered.len())],
                        Some(best) if dice.chance(80) => best,
                        _ if !safe.is_empty() => safe[dice.below(safe.len())],
                        _ => offered[dice.below(offered.len())],
                    };
                    seen.extend(pick.goto.clone());
                    Event::Choose(pick.id.clone())
                }
            }
            Some(Step::Check(check)) => {
                let given = attempt.answers.get(&check.id);
                match check.questions.iter().find(|q| given.is_none_or(|a| !a.contains_key(&q.id))) {
                    Some(q) => {
                        let right: Vec<String> =
                            q.answers.iter().filter(|a| a.correct).map(|a| a.id.clone()).collect();
                        let answers = if dice.chance(92) {
                            right
                        } else {
                            let wrong: Vec<String> =
                                q.answers.iter().filter(|a| !a.correct).map(|a| a.id.clone()).collect();
                            match q.kind {
                                QuestionKind::Multiple if !wrong.is_empty() => {
                                    let mut some = right.into_iter().take(1).collect::<Vec<_>>();
                                    some.push(wrong[dice.below(wrong.len())].clone());
                                    some
                                }
                                _ if !wrong.is_empty() => vec![wrong[dice.below(wrong.len())].clone()],
                                _ => right,
                            }
                        };
                        Event::Answer { question: q.id.clone(), answers }
                    }
                    None => Event::Next,
                }
            }
            _ => Event::Next,
        };
        // A note already read, or a scenario without one, refuses AcknowledgeNote: move on.
        if attempt.apply(module, event, now).is_err() {
            attempt
                .apply(module, Event::AcknowledgeNote, now)
                .or_else(|_| attempt.apply(module, Event::Next, now))
                .ok();
        }
    }
    Err(format!("{}: the attempt did not end", module.id).into())
}

/// The bundled modules (`modules/` of this repository), with their folders.
pub fn bundled_modules() -> Result<Vec<(PathBuf, Module)>, Box<dyn Error>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("modules");
    let mut modules = Vec::new();
    for dir in faro::load::module_dirs(&root)? {
        let module = faro::load::load_module_dir(&dir).map_err(|d| d.to_string())?.module;
        modules.push((dir, module));
    }
    Ok(modules)
}

/// Attempts played per module for [`coordinator_set`]; each record is one of them, re-dated and
/// given to another learner (hashing a module folder for every record would take longer than the
/// merge being measured).
const PLAYED_PER_MODULE: usize = 24;

/// A coordinator's records: `records` signed records of the bundled modules from `laptops`
/// laptops (each with its own key), one learner per 25 records; learner `i % learners` takes
/// module `(i / learners) % modules`, a few months after their previous round. Records carry the
/// modules' real content hashes, answers and choices as the state machine logged them (some
/// fail, some make a critical choice). Returns each laptop's records.
pub fn coordinator_set(records: usize, laptops: usize) -> Result<Vec<Vec<SignedRecord>>, Box<dyn Error>> {
    let modules = bundled_modules()?;
    let learners = (records / 25).max(1);
    let laptops = laptops.max(1);
    let base: DateTime<Utc> = Utc.with_ymd_and_hms(2024, 1, 8, 9, 0, 0).single().ok_or("bad date")?;
    let mut dice = Dice(0x2545_f491_4f6c_dd1d);
    let player = Profile { id: "played".to_owned(), name: "Played".to_owned() };
    let mut played: Vec<Vec<Record>> = Vec::new();
    for (dir, module) in &modules {
        let mut pool = Vec::new();
        for n in 0..PLAYED_PER_MODULE {
            let lang = if n % 3 == 2 { "es" } else { "en" };
            let attempt = play(module, lang, base, &mut dice)?;
            pool.push(Record::from_attempt(module, dir, &attempt, &player)?);
        }
        played.push(pool);
    }
    let keys: Vec<DeviceKey> = (0..laptops)
        .map(|i| DeviceKey::from_secret(Sha256::digest(format!("faro bench laptop {i}")).into()))
        .collect();
    let mut out: Vec<Vec<SignedRecord>> = vec![Vec::new(); laptops];
    for i in 0..records {
        let learner = i % learners;
        let m = (i / learners) % modules.len();
        let round = i / (learners * modules.len());
        let laptop = learner * laptops / learners;
        let (Some((_, module)), Some(pool)) = (modules.get(m), played.get(m)) else { continue };
        let mut r = pool[(i / learners + round * 5 + learner) % pool.len()].clone();
        let shift =
            Duration::days((round * 120 + learner % 60 + m * 3) as i64) + Duration::minutes(learner as i64);
        r.started += shift;
        r.ended += shift;
        for c in &mut r.choices {
            c.at += shift;
        }
        let label = format!("bench learner {learner}");
        r.learner_id = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, label.as_bytes()).to_string();
        r.learner_name = format!("Learner {learner:04}");
        r.id = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, format!("bench record {i}").as_bytes())
            .to_string();
        r.valid_until =
            r.passed.then(|| faro::records::valid_until(r.ended.date_naive(), module.valid_for_months));
        out[laptop].push(keys[laptop].sign(r)?);
    }
    Ok(out)
}

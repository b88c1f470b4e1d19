//! Writes synthetic, signed records of the bundled modules, as laptops would export them, for
//! trying an export against a learning record store (`packaging/lrs-check.sh`):
//!
//! ```sh
//! cargo run --example make_lrs_records -- OUT_DIR [LEARNERS_PER_LAPTOP]
//! ```
//!
//! Two laptops (two fixed test keys: never use them for real records), each with
//! LEARNERS_PER_LAPTOP learners (default 3) who each take every module in `modules/` once, in
//! English or Spanish, choosing at random (a fixed seed, so the files are the same every run):
//! some pass, some make a critical choice, some miss questions. Writes `laptop-1.json`,
//! `laptop-2.json`, and `laptop-1-tampered.json` (laptop 1's file with one learner's name changed
//! after signing, which exports must leave out).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a panic here is a failed run, not a crash on a laptop

use std::error::Error;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, TimeZone, Utc};
use faro::format::{Module, QuestionKind, Step};
use faro::progress::{Attempt, Event, Profile, RunState};
use faro::records::{self, DeviceKey, Record, SignedRecord};
use sha2::{Digest, Sha256};

/// A small deterministic generator (xorshift), so the records are the same on every run.
struct Dice(u64);

impl Dice {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        usize::try_from(self.0 % n.max(1) as u64).unwrap_or(0)
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// Plays `module` to its end: pages are read, scenarios walked mostly by the best safe choice, and
/// each question answered right about nine times in ten.
fn play(
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

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let out = PathBuf::from(args.next().ok_or("usage: make_lrs_records OUT_DIR [LEARNERS_PER_LAPTOP]")?);
    let per_laptop: usize = args.next().map(|n| n.parse()).transpose()?.unwrap_or(3);
    std::fs::create_dir_all(&out)?;
    let mut modules = Vec::new();
    for dir in faro::load::module_dirs(Path::new("modules"))? {
        let module = faro::load::load_module_dir(&dir).map_err(|d| d.to_string())?.module;
        modules.push((dir, module));
    }
    let base: DateTime<Utc> = Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).single().ok_or("bad date")?;
    let mut dice = Dice(0x9e37_79b9_7f4a_7c15);
    let mut first_file = None;
    for laptop in 1..=2 {
        let key = DeviceKey::from_secret(Sha256::digest(format!("faro lrs check: laptop {laptop}")).into());
        let mut signed: Vec<SignedRecord> = Vec::new();
        for n in 0..per_laptop {
            let label = format!("lrs-check learner {laptop}-{n}");
            let id = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, label.as_bytes()).to_string();
            let learner = Profile { id, name: format!("Learner {laptop}-{n}") };
            let lang = if n % 2 == 0 { "en" } else { "es" };
            for (m, (dir, module)) in modules.iter().enumerate() {
                let start =
                    base + Duration::days((laptop * 10 + n * 3 + m) as i64) + Duration::hours(n as i64);
                let attempt = play(module, lang, start, &mut dice)?;
                signed.push(key.sign(Record::from_attempt(module, dir, &attempt, &learner)?)?);
            }
        }
        let text = records::records_file_json(&signed, Some(key.public_hex()))?;
        std::fs::write(out.join(format!("laptop-{laptop}.json")), &text)?;
        first_file.get_or_insert(text);
    }
    let text = first_file.ok_or("no laptop")?;
    let tampered = text.replacen("\"learner_name\": \"Learner 1-0\"", "\"learner_name\": \"Learner 1-O\"", 1);
    if tampered == text {
        return Err("could not find a name to change".into());
    }
    std::fs::write(out.join("laptop-1-tampered.json"), tampered)?;
    eprintln!(
        "{} records of {} modules written to {}",
        2 * per_laptop * modules.len(),
        modules.len(),
        out.display()
    );
    Ok(())
}

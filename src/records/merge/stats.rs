//! Choice and question statistics, counted as the merge reads: a record leaves only the numbers
//! of the choices and questions it names (a few bytes each), and the counts are made at the end
//! from the rows the roster keeps, so a copy replaced or found tampered later counts for nothing.

use std::collections::{BTreeMap, HashMap};

use super::{ChoiceStat, QuestionStat};
use crate::records::Record;

/// The flag bit of an answer number: the choice was critical, or the question answered correctly.
const FLAG: u32 = 1 << 31;

/// The choices and questions named by the records read so far, each numbered once.
#[derive(Default)]
pub(super) struct Tally {
    choice_numbers: HashMap<String, u32>,
    /// Module, step, node and choice of each choice number.
    choices: Vec<[String; 4]>,
    question_numbers: HashMap<String, u32>,
    /// Module, step and question of each question number.
    questions: Vec<[String; 3]>,
}

/// What one record adds to the statistics: its choices and questions by number, the flag bit set
/// for a critical choice or a correct answer.
#[derive(Clone, Debug, Default)]
pub(super) struct Answers {
    choices: Box<[u32]>,
    questions: Box<[u32]>,
}

/// A key that no two different lists of parts share (each part prefixed by its length).
fn key(parts: &[&str]) -> String {
    let mut key = String::with_capacity(parts.iter().map(|p| p.len() + 4).sum());
    for part in parts {
        key.push_str(&part.len().to_string());
        key.push(':');
        key.push_str(part);
    }
    key
}

/// The number of `parts` in `numbers`, numbering it when new; `None` past the flag bit (only a
/// made-up input of billions of different names could get there, and would run out of memory
/// first).
fn number<const N: usize>(
    numbers: &mut HashMap<String, u32>,
    names: &mut Vec<[String; N]>,
    parts: [&str; N],
) -> Option<u32> {
    let key = key(&parts);
    if let Some(&n) = numbers.get(&key) {
        return Some(n);
    }
    let n = u32::try_from(names.len()).ok().filter(|&n| n < FLAG)?;
    numbers.insert(key, n);
    names.push(parts.map(str::to_owned));
    Some(n)
}

impl Tally {
    /// What `r` adds to the statistics, should its row count.
    pub(super) fn answers(&mut self, r: &Record) -> Answers {
        let module = r.module_id.as_str();
        let choices = r
            .choices
            .iter()
            .filter_map(|c| {
                let n = number(
                    &mut self.choice_numbers,
                    &mut self.choices,
                    [module, &c.step, &c.node, &c.choice],
                )?;
                Some(if c.critical { n | FLAG } else { n })
            })
            .collect();
        let questions = r
            .questions
            .iter()
            .filter_map(|q| {
                let n =
                    number(&mut self.question_numbers, &mut self.questions, [module, &q.step, &q.question])?;
                Some(if q.correct { n | FLAG } else { n })
            })
            .collect();
        Answers { choices, questions }
    }

    /// The statistics of the records whose answers are `counted`: choices by module, step, node
    /// and choice; questions by module, step and question.
    pub(super) fn stats<'a>(
        &self,
        counted: impl Iterator<Item = &'a Answers>,
    ) -> (Vec<ChoiceStat>, Vec<QuestionStat>) {
        // Per number: (any occurrence critical, times taken); (attempts, missed).
        let mut taken = vec![(false, 0u32); self.choices.len()];
        let mut asked = vec![(0u32, 0u32); self.questions.len()];
        for answers in counted {
            for &c in answers.choices.iter() {
                if let Some(t) = usize::try_from(c & !FLAG).ok().and_then(|i| taken.get_mut(i)) {
                    t.0 |= c & FLAG != 0;
                    t.1 = t.1.saturating_add(1);
                }
            }
            for &q in answers.questions.iter() {
                if let Some(a) = usize::try_from(q & !FLAG).ok().and_then(|i| asked.get_mut(i)) {
                    a.0 = a.0.saturating_add(1);
                    a.1 = a.1.saturating_add(u32::from(q & FLAG == 0));
                }
            }
        }
        type NodeKey<'a> = (&'a str, &'a str, &'a str);
        let mut by_choice: BTreeMap<(NodeKey, &str), (bool, u32)> = BTreeMap::new();
        let mut node_totals: HashMap<NodeKey, u32> = HashMap::new();
        for ([module, step, node, choice], &(critical, n)) in self.choices.iter().zip(&taken) {
            if n == 0 {
                continue;
            }
            let node_key = (module.as_str(), step.as_str(), node.as_str());
            let total = node_totals.entry(node_key).or_insert(0);
            *total = total.saturating_add(n);
            by_choice.insert((node_key, choice.as_str()), (critical, n));
        }
        let choices = by_choice
            .into_iter()
            .map(|((node, choice), (critical, taken))| ChoiceStat {
                node_total: node_totals.get(&node).copied().unwrap_or(taken),
                module_id: node.0.to_owned(),
                step: node.1.to_owned(),
                node: node.2.to_owned(),
                choice: choice.to_owned(),
                critical,
                taken,
            })
            .collect();
        let mut by_question: BTreeMap<(&str, &str, &str), (u32, u32)> = BTreeMap::new();
        for ([module, step, question], &(attempts, missed)) in self.questions.iter().zip(&asked) {
            if attempts > 0 {
                by_question.insert((module, step, question), (attempts, missed));
            }
        }
        let questions = by_question
            .into_iter()
            .map(|((module_id, step, question), (attempts, missed))| QuestionStat {
                module_id: module_id.to_owned(),
                step: step.to_owned(),
                question: question.to_owned(),
                attempts,
                missed,
            })
            .collect();
        (choices, questions)
    }
}

//! The training matrix: who is trained in what, right now.
//!
//! One row per learner, one column per module, and in each cell the *current* status derived
//! from all of that learner's records for that module. The rule, in `docs/records.md` ("Training
//! matrix"): the newest authentic passing record decides; a later failed retake does not revoke a
//! pass that is still valid; a tampered record, or one from a device outside the trust list, never
//! counts but is shown. Cells point back at the roster rows behind them, so a learner's history
//! is a lookup, not a search.

use std::collections::{BTreeMap, HashMap};

use chrono::{Days, NaiveDate};

use super::{Roster, RosterRow, RowStatus};
use crate::format::invisible::{bare_code_point, is_invisible};

/// A completion is `expiring` this many days before its last valid day, unless told otherwise.
pub const DEFAULT_EXPIRING_DAYS: u32 = 30;

/// How the matrix judges validity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MatrixOptions {
    /// The day validity is judged on (usually today).
    pub as_of: NaiveDate,
    /// A pass whose last valid day is at most this many days after `as_of` is `expiring`.
    pub expiring_days: u32,
}

impl MatrixOptions {
    /// Judged on `as_of`, with the default expiring window.
    pub fn new(as_of: NaiveDate) -> Self {
        Self { as_of, expiring_days: DEFAULT_EXPIRING_DAYS }
    }
}

/// The current status of one learner in one module.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CellStatus {
    /// The deciding pass is valid beyond the expiring window (or has no end date).
    Valid,
    /// The deciding pass is still valid, but its last valid day is within the expiring window.
    Expiring,
    /// The deciding pass is no longer valid.
    Expired,
    /// Authentic records, none of them a pass.
    NotPassed,
    /// No record at all.
    NotStarted,
    /// Only records that were changed after signing (or signed twice differently).
    Tampered,
    /// Only authentic records from devices outside the trust list.
    UnknownDevice,
}

impl CellStatus {
    /// Every status, in the order summaries list them.
    pub const ALL: [CellStatus; 7] = [
        CellStatus::Valid,
        CellStatus::Expiring,
        CellStatus::Expired,
        CellStatus::NotPassed,
        CellStatus::NotStarted,
        CellStatus::Tampered,
        CellStatus::UnknownDevice,
    ];

    /// The word used in CSV files.
    pub fn as_str(self) -> &'static str {
        match self {
            CellStatus::Valid => "valid",
            CellStatus::Expiring => "expiring",
            CellStatus::Expired => "expired",
            CellStatus::NotPassed => "not-passed",
            CellStatus::NotStarted => "not-started",
            CellStatus::Tampered => "tampered",
            CellStatus::UnknownDevice => "unknown-device",
        }
    }

    /// Whether the learner counts as trained in the module today.
    pub fn trained(self) -> bool {
        matches!(self, CellStatus::Valid | CellStatus::Expiring)
    }
}

/// A module column: its id and its title in each language (from its newest counted record).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatrixModule {
    pub id: String,
    pub titles: BTreeMap<String, String>,
}

impl MatrixModule {
    /// The title in `lang`, else English, else any, else the module id.
    pub fn title(&self, lang: &str) -> &str {
        self.titles
            .get(lang)
            .or_else(|| self.titles.get("en"))
            .or_else(|| self.titles.values().next())
            .map_or(self.id.as_str(), String::as_str)
    }
}

/// A learner row: one learner profile, identified by its random id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatrixLearner {
    /// The learner id the records carry (a laptop's profile id).
    pub id: String,
    /// The display name of the learner's newest counted record (else of the newest record).
    pub name: String,
    /// Another learner in the matrix has the same name (ignoring case): show the id too.
    pub shares_name: bool,
}

/// One learner in one module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    pub status: CellStatus,
    /// The last valid day of the deciding pass (valid, expiring and expired cells).
    pub valid_until: Option<NaiveDate>,
    /// The roster row that decides the status: the newest authentic passing record.
    pub decided_by: Option<usize>,
    /// Every roster row of this learner and module, newest first.
    pub rows: Vec<usize>,
    /// Rows behind this cell that never count: changed after signing.
    pub tampered: usize,
    /// Rows behind this cell that never count: from a device outside the trust list.
    pub unknown_device: usize,
}

impl Cell {
    const fn empty() -> Self {
        Cell {
            status: CellStatus::NotStarted,
            valid_until: None,
            decided_by: None,
            rows: Vec::new(),
            tampered: 0,
            unknown_device: 0,
        }
    }

    /// Whether the learner must pass again before `before`: the deciding pass's last valid day is
    /// before it, or it has already expired.
    pub fn due_before(&self, before: NaiveDate) -> bool {
        match (self.status, self.valid_until) {
            (CellStatus::Expired, _) => true,
            (CellStatus::Valid | CellStatus::Expiring, Some(until)) => until < before,
            _ => false,
        }
    }
}

/// A learner who must recertify in a module, from [`TrainingMatrix::due_before`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Due {
    /// Index into [`TrainingMatrix::learners`].
    pub learner: usize,
    /// Index into [`TrainingMatrix::modules`].
    pub module: usize,
    /// The last valid day of the deciding pass.
    pub valid_until: NaiveDate,
    pub status: CellStatus,
}

/// The order of learner rows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LearnerOrder {
    /// By name, ignoring case.
    #[default]
    Name,
    /// The learner whose first completion runs out soonest comes first; learners with no pass last.
    SoonestExpiry,
}

/// Which learners to show, in which order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MatrixQuery {
    /// Only learners whose name contains this text, ignoring case (empty: all).
    pub name_contains: String,
    /// Only learners who must recertify in some module before this day.
    pub due_before: Option<NaiveDate>,
    pub order: LearnerOrder,
}

/// Learners × modules, with the current status of each pair.
#[derive(Clone, Debug)]
pub struct TrainingMatrix {
    pub as_of: NaiveDate,
    pub expiring_days: u32,
    /// Sorted by name (ignoring case), then id.
    pub learners: Vec<MatrixLearner>,
    /// Sorted by module id; at most [`MAX_MATRIX_MODULES`].
    pub modules: Vec<MatrixModule>,
    /// Module ids past [`MAX_MATRIX_MODULES`] (those with the fewest records), left out.
    pub modules_left_out: Vec<String>,
    /// Per learner, the cells that have records, by module index: a cell without records is
    /// `not-started` and takes no memory, so a file of records each naming another learner and
    /// module costs memory linear in its records, not learners × modules.
    cells: Vec<Vec<(usize, Cell)>>,
}

/// The most module columns a matrix has. An organisation runs a few dozen modules; records naming
/// thousands (only a made-up file can) would make a matrix, and its CSV, quadratic in the records.
pub const MAX_MATRIX_MODULES: usize = 200;

/// The cell of a learner and module with no record.
static NOT_STARTED: Cell = Cell::empty();

/// Whether a roster row can count as a completion: authentic, and trusted when there is a list.
fn counts(row: &RosterRow) -> bool {
    matches!(row.status, RowStatus::Valid | RowStatus::Expiring | RowStatus::Expired | RowStatus::Failed)
}

/// The newest first; equal end times in record id order, so the result never depends on input order.
fn newest_first(rows: &[RosterRow], a: usize, b: usize) -> std::cmp::Ordering {
    let (Some(ra), Some(rb)) = (rows.get(a), rows.get(b)) else { return a.cmp(&b) };
    let (ra, rb) = (&ra.record, &rb.record);
    rb.ended.cmp(&ra.ended).then_with(|| rb.id.cmp(&ra.id))
}

impl TrainingMatrix {
    /// Builds the matrix from a merged roster; linear in its rows (plus learners × modules cells).
    pub fn build(roster: &Roster, options: &MatrixOptions) -> TrainingMatrix {
        let rows = &roster.rows;
        // Each learner's name and each module's titles come from the newest counted record.
        type Newest<'a> = (bool, chrono::DateTime<chrono::Utc>, &'a str);
        let mut names: HashMap<&str, (Newest, &str)> = HashMap::new();
        let mut titles: BTreeMap<&str, (Newest, &BTreeMap<String, String>)> = BTreeMap::new();
        for row in rows {
            let r = &row.record;
            let key: Newest = (counts(row), r.ended, r.id.as_str());
            let name = names.entry(r.learner_id.as_str()).or_insert((key, r.learner_name.as_str()));
            if key > name.0 {
                *name = (key, r.learner_name.as_str());
            }
            let title = titles.entry(&*r.module_id).or_insert((key, &*r.module_title));
            if key > title.0 {
                *title = (key, &*r.module_title);
            }
        }
        let mut learners: Vec<MatrixLearner> = names
            .into_iter()
            .map(|(id, (_, name))| MatrixLearner {
                id: id.to_owned(),
                name: name.to_owned(),
                shares_name: false,
            })
            .collect();
        learners.sort_by_cached_key(|l| (name_sort_key(&l.name), l.name.to_lowercase(), l.id.clone()));
        let mut seen: HashMap<String, usize> = HashMap::new();
        for l in &learners {
            *seen.entry(l.name.trim().to_lowercase()).or_insert(0) += 1;
        }
        for l in &mut learners {
            l.shares_name = seen.get(&l.name.trim().to_lowercase()).is_some_and(|&n| n > 1);
        }
        let mut modules: Vec<MatrixModule> = titles
            .into_iter()
            .map(|(id, (_, titles))| MatrixModule { id: id.to_owned(), titles: titles.clone() })
            .collect();
        let mut modules_left_out = Vec::new();
        if modules.len() > MAX_MATRIX_MODULES {
            let mut records_per_module: HashMap<&str, usize> = HashMap::new();
            for row in rows {
                *records_per_module.entry(&*row.record.module_id).or_insert(0) += 1;
            }
            let mut by_use: Vec<(usize, String)> = modules
                .iter()
                .map(|m| (records_per_module.get(m.id.as_str()).copied().unwrap_or(0), m.id.clone()))
                .collect();
            by_use.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
            let left_out: std::collections::HashSet<String> =
                by_use.into_iter().skip(MAX_MATRIX_MODULES).map(|(_, id)| id).collect();
            modules.retain(|m| !left_out.contains(&m.id));
            modules_left_out = left_out.into_iter().collect();
            modules_left_out.sort();
        }

        let learner_index: HashMap<&str, usize> =
            learners.iter().enumerate().map(|(i, l)| (l.id.as_str(), i)).collect();
        let module_index: HashMap<&str, usize> =
            modules.iter().enumerate().map(|(i, m)| (m.id.as_str(), i)).collect();
        let mut by_cell: BTreeMap<(usize, usize), Cell> = BTreeMap::new();
        for (i, row) in rows.iter().enumerate() {
            let r = &row.record;
            let (Some(&l), Some(&m)) =
                (learner_index.get(r.learner_id.as_str()), module_index.get(&*r.module_id))
            else {
                continue;
            };
            by_cell.entry((l, m)).or_insert_with(Cell::empty).rows.push(i);
        }
        let mut cells: Vec<Vec<(usize, Cell)>> = vec![Vec::new(); learners.len()];
        for ((l, m), mut cell) in by_cell {
            cell.rows.sort_by(|&a, &b| newest_first(rows, a, b));
            decide(&mut cell, rows, options);
            if let Some(learner) = cells.get_mut(l) {
                learner.push((m, cell));
            }
        }
        TrainingMatrix {
            as_of: options.as_of,
            expiring_days: options.expiring_days,
            learners,
            modules,
            modules_left_out,
            cells,
        }
    }

    /// The cell of learner `learner` in module `module` (indexes into the two lists).
    pub fn cell(&self, learner: usize, module: usize) -> Option<&Cell> {
        if module >= self.modules.len() {
            return None;
        }
        let cells = self.cells.get(learner)?;
        Some(cells.binary_search_by_key(&module, |(m, _)| *m).map_or(&NOT_STARTED, |i| &cells[i].1))
    }

    /// The cells of one learner, in module order (empty for no such learner).
    pub fn learner_cells(&self, learner: usize) -> Vec<&Cell> {
        let Some(cells) = self.cells.get(learner) else { return Vec::new() };
        let mut out = vec![&NOT_STARTED; self.modules.len()];
        for (m, cell) in cells {
            if let Some(slot) = out.get_mut(*m) {
                *slot = cell;
            }
        }
        out
    }

    /// How many cells have this status.
    pub fn count(&self, status: CellStatus) -> usize {
        let with_records = self.cells.iter().flatten().filter(|(_, c)| c.status == status).count();
        if status == CellStatus::NotStarted {
            let stored: usize = self.cells.iter().map(Vec::len).sum();
            with_records + self.learners.len() * self.modules.len() - stored
        } else {
            with_records
        }
    }

    /// The learner's earliest last valid day over the modules they passed, expired ones included.
    pub fn soonest_expiry(&self, learner: usize) -> Option<NaiveDate> {
        self.cells
            .get(learner)?
            .iter()
            .map(|(_, c)| c)
            .filter(|c| matches!(c.status, CellStatus::Valid | CellStatus::Expiring | CellStatus::Expired))
            .filter_map(|c| c.valid_until)
            .min()
    }

    /// Who must recertify before `before` (last valid day before it, or already expired): one
    /// entry per learner and module, soonest first, then by learner name and module id.
    pub fn due_before(&self, before: NaiveDate) -> Vec<Due> {
        let mut due = Vec::new();
        for (learner, cells) in self.cells.iter().enumerate() {
            for (module, cell) in cells {
                if let (true, Some(valid_until)) = (cell.due_before(before), cell.valid_until) {
                    due.push(Due { learner, module: *module, valid_until, status: cell.status });
                }
            }
        }
        // Learners are already sorted by name and modules by id: their indexes order ties.
        due.sort_by_key(|d| (d.valid_until, d.learner, d.module));
        due
    }

    /// The learners a query shows, as indexes into [`TrainingMatrix::learners`], in its order.
    pub fn learners_shown(&self, query: &MatrixQuery) -> Vec<usize> {
        let needle = query.name_contains.trim().to_lowercase();
        let mut shown: Vec<usize> = (0..self.learners.len())
            .filter(|&i| {
                self.learners
                    .get(i)
                    .is_some_and(|l| needle.is_empty() || l.name.to_lowercase().contains(&needle))
            })
            .filter(|&i| {
                query.due_before.is_none_or(|before| {
                    self.cells.get(i).is_some_and(|cells| cells.iter().any(|(_, c)| c.due_before(before)))
                })
            })
            .collect();
        if query.order == LearnerOrder::SoonestExpiry {
            // Stable: learners with the same date stay in name order; `None` sorts after any date.
            shown.sort_by_key(|&i| self.soonest_expiry(i).map_or((1, NaiveDate::MAX), |d| (0, d)));
        }
        shown
    }

    /// The matrix's summary row: for each module, how many of `learners` are in each status.
    /// Linear in the cells those learners have records in.
    pub fn module_summary(&self, learners: &[usize]) -> Vec<StatusCounts> {
        let mut summary = vec![StatusCounts::default(); self.modules.len()];
        for column in &mut summary {
            column.add(CellStatus::NotStarted, learners.len());
        }
        for &l in learners {
            for (m, cell) in self.cells.get(l).map_or(&[][..], Vec::as_slice) {
                if let Some(column) = summary.get_mut(*m) {
                    column.remove_not_started();
                    column.add(cell.status, 1);
                }
            }
        }
        summary
    }
}

/// How many learners are in each status, in one module: a cell of the summary row.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StatusCounts([usize; CellStatus::ALL.len()]);

impl StatusCounts {
    fn slot(status: CellStatus) -> usize {
        CellStatus::ALL.iter().position(|&s| s == status).unwrap_or(0)
    }

    fn add(&mut self, status: CellStatus, n: usize) {
        if let Some(count) = self.0.get_mut(Self::slot(status)) {
            *count += n;
        }
    }

    fn remove_not_started(&mut self) {
        if let Some(count) = self.0.get_mut(Self::slot(CellStatus::NotStarted)) {
            *count = count.saturating_sub(1);
        }
    }

    /// How many learners are in `status`.
    pub fn get(&self, status: CellStatus) -> usize {
        self.0.get(Self::slot(status)).copied().unwrap_or(0)
    }
}

/// Sets a cell's status from its rows (already newest first): the rule in `docs/records.md`.
fn decide(cell: &mut Cell, rows: &[RosterRow], options: &MatrixOptions) {
    let behind = || cell.rows.iter().filter_map(|&i| rows.get(i).map(|r| (i, r)));
    cell.tampered = behind().filter(|(_, r)| r.status == RowStatus::Tampered).count();
    cell.unknown_device = behind().filter(|(_, r)| r.status == RowStatus::UnknownDevice).count();
    let deciding_pass = behind().find(|(_, r)| counts(r) && r.record.passed);
    if let Some((i, pass)) = deciding_pass {
        let until = pass.record.valid_until;
        cell.decided_by = Some(i);
        cell.valid_until = until;
        cell.status = validity(until, options);
    } else if behind().any(|(_, r)| counts(r)) {
        cell.status = CellStatus::NotPassed;
    } else if cell.tampered > 0 {
        cell.status = CellStatus::Tampered;
    } else if cell.unknown_device > 0 {
        cell.status = CellStatus::UnknownDevice;
    }
}

/// Valid, expiring or expired on `options.as_of`, for a pass valid until `until`.
fn validity(until: Option<NaiveDate>, options: &MatrixOptions) -> CellStatus {
    let Some(until) = until else { return CellStatus::Valid };
    if until < options.as_of {
        return CellStatus::Expired;
    }
    let window_end = options.as_of.checked_add_days(Days::new(u64::from(options.expiring_days)));
    if window_end.is_none_or(|end| until <= end) { CellStatus::Expiring } else { CellStatus::Valid }
}

/// The key names sort by, in English and Spanish alike: case and accents ignored, so that
/// "Álvaro" and "alba" sort among the A's, not after "Zoe" (as code points would); "ñ" sorts
/// after every "n", as the Spanish alphabet has it. Ties are broken by the name itself, then the id.
pub fn name_sort_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len());
    for c in name.trim().chars().flat_map(char::to_lowercase) {
        match fold_latin(c) {
            Some(base) => key.push_str(base),
            None => key.push(c),
        }
    }
    key
}

/// The base letters of a Latin letter with diacritics (Latin-1 and Latin Extended-A), lowercase.
fn fold_latin(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'ĳ' => "ij",
        'ĵ' => "j",
        'ķ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        // After every other "n" (`\u{7f}` sorts after every letter and digit).
        'ñ' => "n\u{7f}",
        'ń' | 'ņ' | 'ň' | 'ŉ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
        'œ' => "oe",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' => "s",
        'ß' => "ss",
        'ţ' | 'ť' | 'ŧ' => "t",
        'þ' => "th",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        _ => return None,
    })
}

/// A name from someone else's laptop, made safe to show on one line: control and invisible
/// formatting characters shown as `<U+0007>`, and at most `max_chars` characters, the last of
/// them an ellipsis when the name was cut.
pub fn display_name(name: &str, max_chars: usize) -> String {
    let mut out = String::new();
    let mut shown = 0;
    let mut chars = name.chars().peekable();
    while let Some(c) = chars.next() {
        let piece = if c.is_control() || is_invisible(c) {
            format!("<{}>", bare_code_point(c))
        } else {
            c.to_string()
        };
        let len = piece.chars().count();
        let room = max_chars.saturating_sub(shown);
        // Keep one place for the ellipsis unless this piece is the very last one and fits.
        if len > room || (len == room && chars.peek().is_some()) {
            out.push('…');
            return out;
        }
        out.push_str(&piece);
        shown += len;
    }
    out
}

#[cfg(test)]
mod tests;

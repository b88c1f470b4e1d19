//! The matrix rule, case by case, on hand-made roster rows.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::{NaiveDate, TimeZone, Utc};

use super::*;
use crate::records::{DeviceKey, Record, Roster, RosterRow, RowStatus, Score, valid_until};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A record of `learner` (id `<name>-id`) finishing `module` at noon on `ended`; a pass is valid
/// for 12 months.
fn attempt(name: &str, module: &str, ended: NaiveDate, passed: bool) -> Record {
    let at = Utc.from_utc_datetime(&ended.and_hms_opt(12, 0, 0).unwrap());
    Record {
        format: 1,
        id: format!("{name}/{module}/{ended}"),
        learner_id: format!("{}-id", name.to_lowercase()),
        learner_name: name.to_owned(),
        module_id: module.to_owned(),
        module_version: "1.0.0".to_owned(),
        module_title: BTreeMap::from([
            ("en".to_owned(), format!("Module {module}")),
            ("es".to_owned(), format!("Módulo {module}")),
        ]),
        content_hash: "0".repeat(64),
        lang: "en".to_owned(),
        started: at - chrono::Duration::minutes(10),
        ended: at,
        duration_secs: 600,
        passed,
        score: Score { checks_correct: 0, checks_total: 0, scenarios: Vec::new() },
        questions: Vec::new(),
        critical: Vec::new(),
        choices: Vec::new(),
        valid_until: passed.then(|| valid_until(ended, 12)),
    }
}

fn row(record: Record, status: RowStatus) -> RosterRow {
    let record = DeviceKey::from_secret([7; 32]).sign(record).unwrap();
    RosterRow::new(status, String::new(), &record, &PathBuf::from("laptop.json"))
}

/// An authentic, trusted row (the roster's own expiry word does not matter to the matrix).
fn good(record: Record) -> RosterRow {
    let status = if record.passed { RowStatus::Valid } else { RowStatus::Failed };
    row(record, status)
}

fn roster(rows: Vec<RosterRow>) -> Roster {
    Roster {
        as_of: day(2026, 3, 1),
        rows,
        choices: Vec::new(),
        questions: Vec::new(),
        problems: Vec::new(),
        duplicates: 0,
        files: Vec::new(),
    }
}

fn matrix(rows: Vec<RosterRow>, as_of: NaiveDate) -> (Roster, TrainingMatrix) {
    let roster = roster(rows);
    let matrix = TrainingMatrix::build(&roster, &MatrixOptions::new(as_of));
    (roster, matrix)
}

/// The only cell of a one-learner, one-module matrix.
fn only_cell(m: &TrainingMatrix) -> &Cell {
    assert_eq!((m.learners.len(), m.modules.len()), (1, 1), "{m:?}");
    m.cell(0, 0).unwrap()
}

/// The id of the record that decides a cell.
fn decider<'a>(roster: &'a Roster, cell: &Cell) -> &'a str {
    &roster.rows[cell.decided_by.expect("a deciding pass")].record.id
}

#[test]
fn a_failed_retake_does_not_revoke_a_pass_that_is_still_valid() {
    let rows = vec![
        good(attempt("Luis", "m1", day(2025, 6, 1), true)),
        good(attempt("Luis", "m1", day(2026, 2, 15), false)),
    ];
    let (r, m) = matrix(rows.clone(), day(2026, 3, 1));
    let cell = only_cell(&m);
    assert_eq!(cell.status, CellStatus::Valid);
    assert_eq!(cell.valid_until, Some(day(2026, 6, 1)));
    assert_eq!(decider(&r, cell), "Luis/m1/2025-06-01");
    assert_eq!(cell.rows, [1, 0], "the history is newest first");
    // Once the pass runs out, the learner is expired (not "not passed"): they must renew.
    let (_, m) = matrix(rows, day(2026, 6, 2));
    assert_eq!(only_cell(&m).status, CellStatus::Expired);
}

#[test]
fn of_two_passes_the_newest_decides_even_when_an_older_one_would_last_longer() {
    let mut older = attempt("Ana", "m1", day(2025, 1, 10), true);
    older.valid_until = Some(day(2027, 1, 10)); // an older module version valid for two years
    let newer = attempt("Ana", "m1", day(2025, 12, 1), true);
    let (r, m) = matrix(vec![good(newer), good(older)], day(2026, 2, 1));
    let cell = only_cell(&m);
    assert_eq!(decider(&r, cell), "Ana/m1/2025-12-01");
    assert_eq!((cell.status, cell.valid_until), (CellStatus::Valid, Some(day(2026, 12, 1))));
}

#[test]
fn a_tampered_or_untrusted_pass_never_counts_but_is_shown() {
    let as_of = day(2026, 3, 1);
    // A failed attempt, then a pass that was edited after signing.
    let (_, m) = matrix(
        vec![
            good(attempt("Ana", "m1", day(2025, 9, 1), false)),
            row(attempt("Ana", "m1", day(2026, 1, 5), true), RowStatus::Tampered),
        ],
        as_of,
    );
    let cell = only_cell(&m);
    assert_eq!((cell.status, cell.tampered, cell.decided_by), (CellStatus::NotPassed, 1, None));
    assert_eq!(cell.rows.len(), 2, "the tampered record stays in the history");

    // An expired authentic pass and a newer tampered one: expired, with the tampered one flagged.
    let (_, m) = matrix(
        vec![
            good(attempt("Ana", "m1", day(2024, 9, 1), true)),
            row(attempt("Ana", "m1", day(2026, 1, 5), true), RowStatus::Tampered),
        ],
        as_of,
    );
    let cell = only_cell(&m);
    assert_eq!((cell.status, cell.tampered), (CellStatus::Expired, 1));

    // Nothing authentic: the cell says why.
    let (_, m) = matrix(vec![row(attempt("Ana", "m1", day(2026, 1, 5), true), RowStatus::Tampered)], as_of);
    assert_eq!(only_cell(&m).status, CellStatus::Tampered);
    let (_, m) =
        matrix(vec![row(attempt("Ana", "m1", day(2026, 1, 5), true), RowStatus::UnknownDevice)], as_of);
    let cell = only_cell(&m);
    assert_eq!((cell.status, cell.unknown_device, cell.valid_until), (CellStatus::UnknownDevice, 1, None));
    assert!(!cell.status.trained());
    // Both kinds: tampering is the louder finding.
    let (_, m) = matrix(
        vec![
            row(attempt("Ana", "m1", day(2026, 1, 5), true), RowStatus::UnknownDevice),
            row(attempt("Ana", "m1", day(2026, 1, 6), true), RowStatus::Tampered),
        ],
        as_of,
    );
    assert_eq!(only_cell(&m).status, CellStatus::Tampered);
}

#[test]
fn expiring_starts_the_configured_number_of_days_before_the_last_valid_day() {
    let as_of = day(2026, 3, 1);
    let status = |until: NaiveDate, expiring_days: u32| {
        let mut r = attempt("Ana", "m1", day(2025, 1, 1), true);
        r.valid_until = Some(until);
        let roster = roster(vec![good(r)]);
        let m = TrainingMatrix::build(&roster, &MatrixOptions { as_of, expiring_days });
        only_cell(&m).status
    };
    let plus = |days: u64| as_of.checked_add_days(Days::new(days)).unwrap();
    assert_eq!(status(plus(31), 30), CellStatus::Valid);
    assert_eq!(status(plus(30), 30), CellStatus::Expiring);
    assert_eq!(status(as_of, 30), CellStatus::Expiring, "the last valid day is today");
    assert_eq!(status(as_of.pred_opt().unwrap(), 30), CellStatus::Expired);
    assert_eq!(status(plus(45), 60), CellStatus::Expiring, "the window is configurable");
    assert_eq!(status(as_of, 0), CellStatus::Expiring);
    assert_eq!(status(plus(1), 0), CellStatus::Valid);
    assert_eq!(status(NaiveDate::MAX, u32::MAX), CellStatus::Expiring, "no overflow");

    // A pass without an end date stays valid.
    let mut r = attempt("Ana", "m1", day(2025, 1, 1), true);
    r.valid_until = None;
    let (_, m) = matrix(vec![good(r)], as_of);
    assert_eq!(only_cell(&m).status, CellStatus::Valid);
}

#[test]
fn learners_are_rows_by_id_and_modules_without_records_are_not_started() {
    let mut other_ana = attempt("Ana", "m2", day(2026, 1, 2), true);
    other_ana.learner_id = "another-ana".to_owned();
    let mut renamed = attempt("Luis", "m1", day(2026, 2, 1), false);
    renamed.learner_name = "Luis M.".to_owned();
    let mut forged = attempt("Luis", "m1", day(2026, 2, 20), true);
    forged.learner_name = "Forged name".to_owned();
    let (_, m) = matrix(
        vec![
            good(attempt("Ana", "m1", day(2026, 1, 1), true)),
            good(other_ana),
            good(attempt("Luis", "m1", day(2025, 1, 1), true)),
            good(renamed),
            row(forged, RowStatus::Tampered),
        ],
        day(2026, 3, 1),
    );
    let names: Vec<(&str, &str, bool)> =
        m.learners.iter().map(|l| (l.name.as_str(), l.id.as_str(), l.shares_name)).collect();
    assert_eq!(
        names,
        [("Ana", "ana-id", true), ("Ana", "another-ana", true), ("Luis M.", "luis-id", false)],
        "same name, different profiles: two rows; a learner's name is the newest counted record's"
    );
    let ids: Vec<&str> = m.modules.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["m1", "m2"]);
    assert_eq!(m.modules[1].title("es"), "Módulo m2");
    assert_eq!(m.modules[1].title("fr"), "Module m2");
    assert_eq!(m.cell(0, 1).unwrap().status, CellStatus::NotStarted);
    assert_eq!(m.cell(1, 0).unwrap().status, CellStatus::NotStarted);
    assert!(m.cell(0, 2).is_none() && m.cell(3, 0).is_none());
    assert_eq!(m.count(CellStatus::NotStarted), 3);
    assert_eq!(m.learner_cells(2).len(), 2);
    assert!(m.learner_cells(3).is_empty());
}

#[test]
fn the_input_order_of_records_does_not_change_the_matrix() {
    let rows = vec![
        good(attempt("Ana", "m1", day(2025, 1, 1), true)),
        good(attempt("Ana", "m1", day(2025, 6, 1), false)),
        good(attempt("Ana", "m1", day(2025, 9, 1), true)),
        row(attempt("Ana", "m1", day(2026, 1, 1), true), RowStatus::Tampered),
        good(attempt("Bea", "m2", day(2025, 9, 1), true)),
    ];
    let summary = |rows: Vec<RosterRow>| {
        let (r, m) = matrix(rows, day(2026, 3, 1));
        let mut out = Vec::new();
        for l in 0..m.learners.len() {
            for c in m.learner_cells(l) {
                let decided = c.decided_by.map(|i| r.rows[i].record.id.clone());
                out.push((m.learners[l].name.clone(), c.status, c.valid_until, decided, c.rows.len()));
            }
        }
        out
    };
    let forward = summary(rows.clone());
    let mut reversed = rows;
    reversed.reverse();
    assert_eq!(forward, summary(reversed));
}

#[test]
fn the_due_list_has_expired_and_soon_to_expire_passes_soonest_first() {
    let mut expiring = attempt("Bea", "m1", day(2026, 2, 27), true); // until 2027-02-27
    expiring.valid_until = Some(day(2027, 2, 28));
    let (_, m) = matrix(
        vec![
            expiring,
            attempt("Ana", "m1", day(2026, 3, 1), true), // until 2027-03-01: not due before 1 March
            attempt("Ana", "m2", day(2025, 1, 10), true), // expired 2026-01-10
            attempt("Cruz", "m1", day(2026, 1, 15), true), // until 2027-01-15
            attempt("Cruz", "m2", day(2026, 1, 15), false), // never passed: not a recertification
            attempt("Dana", "m2", day(2026, 1, 15), true),
        ]
        .into_iter()
        .map(good)
        .chain([row(attempt("Eva", "m1", day(2025, 1, 1), true), RowStatus::Tampered)])
        .collect(),
        day(2026, 6, 1),
    );
    let due: Vec<(String, &str, NaiveDate, CellStatus)> = m
        .due_before(day(2027, 3, 1))
        .into_iter()
        .map(|d| {
            (m.learners[d.learner].name.clone(), m.modules[d.module].id.as_str(), d.valid_until, d.status)
        })
        .collect();
    assert_eq!(
        due,
        [
            ("Ana".to_owned(), "m2", day(2026, 1, 10), CellStatus::Expired),
            ("Cruz".to_owned(), "m1", day(2027, 1, 15), CellStatus::Valid),
            ("Dana".to_owned(), "m2", day(2027, 1, 15), CellStatus::Valid),
            ("Bea".to_owned(), "m1", day(2027, 2, 28), CellStatus::Valid),
        ]
    );
    // A date in the past still lists what has already expired.
    let past: Vec<NaiveDate> = m.due_before(day(2020, 1, 1)).iter().map(|d| d.valid_until).collect();
    assert_eq!(past, [day(2026, 1, 10)]);
}

#[test]
fn queries_filter_by_name_and_due_date_and_sort_by_soonest_expiry() {
    let (_, m) = matrix(
        [
            attempt("ana", "m1", day(2025, 12, 1), true), // until 2026-12-01
            attempt("Bea", "m1", day(2025, 4, 1), true),  // until 2026-04-01
            attempt("Cruz", "m1", day(2026, 1, 1), false),
            attempt("Dana", "m1", day(2025, 3, 1), true), // expired 2026-03-01
            attempt("Adán", "m1", day(2025, 5, 1), true), // until 2026-05-01
        ]
        .into_iter()
        .map(good)
        .collect(),
        day(2026, 3, 2),
    );
    let names = |q: &MatrixQuery| -> Vec<String> {
        m.learners_shown(q).into_iter().map(|i| m.learners[i].name.clone()).collect()
    };
    assert_eq!(names(&MatrixQuery::default()), ["Adán", "ana", "Bea", "Cruz", "Dana"]);
    let by_name = MatrixQuery { name_contains: " AN".to_owned(), ..Default::default() };
    assert_eq!(names(&by_name), ["ana", "Dana"], "case is ignored and the text trimmed");
    let due = MatrixQuery { due_before: Some(day(2026, 5, 1)), ..Default::default() };
    assert_eq!(names(&due), ["Bea", "Dana"]);
    let soonest = MatrixQuery { order: LearnerOrder::SoonestExpiry, ..Default::default() };
    assert_eq!(names(&soonest), ["Dana", "Bea", "Adán", "ana", "Cruz"], "no pass comes last");
    assert_eq!(m.soonest_expiry(3), None, "Cruz never passed");
}

#[test]
fn names_are_shown_on_one_line_with_controls_revealed_and_cut_with_an_ellipsis() {
    assert_eq!(display_name("Ana", 40), "Ana");
    assert_eq!(display_name("", 40), "");
    assert_eq!(display_name("Ana\u{7}\nLuis", 40), "Ana<U+0007><U+000A>Luis");
    assert_eq!(display_name("Ana\u{202E}sinuL", 40), "Ana<U+202E>sinuL");
    let long = "x".repeat(10_000);
    let shown = display_name(&long, 40);
    assert_eq!(shown.chars().count(), 40);
    assert!(shown.ends_with("x…"));
    assert_eq!(display_name(&"y".repeat(40), 40), "y".repeat(40), "exactly the limit is not cut");
    assert_eq!(display_name(&"y".repeat(41), 40).chars().count(), 40);
    // A revealed character is never split: it goes whole or not at all.
    assert_eq!(display_name("Ana\u{7}", 6), "Ana…");
    assert_eq!(display_name("Ana\u{7}", 13), "Ana<U+0007>");
}

/// Issue 26, 3d: records each naming another learner and another module (only a made-up file
/// can) make a matrix linear in the records: cells without records take no memory, and at most
/// `MAX_MATRIX_MODULES` module columns (those with the most records) are kept, the rest named.
#[test]
fn a_matrix_of_records_naming_thousands_of_modules_stays_linear() {
    let n = 3 * super::MAX_MATRIX_MODULES;
    let mut rows: Vec<RosterRow> = (0..n)
        .map(|i| good(attempt(&format!("L{i:05}"), &format!("m{i:05}"), day(2026, 1, 1), true)))
        .collect();
    // One module taken by many learners is kept whatever its id.
    rows.extend((0..5).map(|i| good(attempt(&format!("L{i:05}"), "zz-common", day(2026, 1, 2), true))));
    let (_, m) = matrix(rows, day(2026, 3, 1));
    assert_eq!(m.modules.len(), super::MAX_MATRIX_MODULES);
    assert_eq!(m.modules_left_out.len(), n + 1 - super::MAX_MATRIX_MODULES);
    assert!(m.modules.iter().any(|module| module.id == "zz-common"));
    let stored: usize = m.cells.iter().map(Vec::len).sum();
    assert!(stored <= n + 5, "only cells with records are stored: {stored}");
    let total: usize = CellStatus::ALL.iter().map(|&s| m.count(s)).sum();
    assert_eq!(total, m.learners.len() * m.modules.len());
    let mut csv = Vec::new();
    crate::records::write_matrix_csv(&mut csv, &m).unwrap();
    assert_eq!(csv.iter().filter(|&&b| b == b'\n').count(), m.learners.len() + 1);
}

/// Issue 25: names sort as a person reads them, in English and Spanish: Á among the A's (not
/// after Z), case ignored, and ñ after every n.
#[test]
fn names_sort_with_accents_beside_their_letter() {
    let names = ["Zoe", "Álvaro", "alba", "Ñandú", "Nuria", "Óscar", "oliver", "Élodie", "Eva"];
    let rows: Vec<RosterRow> = names.iter().map(|n| good(attempt(n, "m1", day(2026, 1, 1), true))).collect();
    let (_, m) = matrix(rows, day(2026, 3, 1));
    let sorted: Vec<&str> = m.learners.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(sorted, ["alba", "Álvaro", "Élodie", "Eva", "Nuria", "Ñandú", "oliver", "Óscar", "Zoe"]);
}

#[test]
fn the_summary_row_counts_each_status_over_the_learners_shown() {
    let as_of = day(2026, 3, 1);
    let (_, m) = matrix(
        vec![
            good(attempt("Ana", "m1", day(2026, 1, 1), true)),
            good(attempt("Ana", "m2", day(2025, 3, 10), true)),
            good(attempt("Bea", "m1", day(2025, 1, 1), true)),
            good(attempt("Bea", "m2", day(2026, 2, 1), false)),
            good(attempt("Luis", "m1", day(2026, 2, 1), true)),
            row(attempt("Luis", "m2", day(2026, 2, 2), true), RowStatus::Tampered),
            good(attempt("Rosa", "m3", day(2026, 2, 2), true)),
        ],
        as_of,
    );
    let everyone: Vec<usize> = (0..m.learners.len()).collect();
    let summary = m.module_summary(&everyone);
    assert_eq!(summary.len(), 3);
    let counts = |column: &StatusCounts| CellStatus::ALL.map(|s| column.get(s));
    // Valid, expiring, expired, not passed, not started, tampered, unknown device.
    assert_eq!(counts(&summary[0]), [2, 0, 1, 0, 1, 0, 0], "m1: Ana and Luis valid, Bea expired, Rosa none");
    assert_eq!(counts(&summary[1]), [0, 1, 0, 1, 1, 1, 0], "m2: Ana expiring, Bea failed, Luis tampered");
    assert_eq!(counts(&summary[2]), [1, 0, 0, 0, 3, 0, 0]);
    for column in &summary {
        assert_eq!(CellStatus::ALL.map(|s| column.get(s)).iter().sum::<usize>(), m.learners.len());
    }
    // Only the learners shown count: Bea alone.
    let bea = m.learners_shown(&MatrixQuery { name_contains: "bea".into(), ..MatrixQuery::default() });
    assert_eq!(counts(&m.module_summary(&bea)[1]), [0, 0, 0, 1, 0, 0, 0]);
    assert_eq!(counts(&m.module_summary(&[])[0]), [0; 7]);
}

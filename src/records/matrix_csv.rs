//! The training matrix and the due list as CSV, for spreadsheets.

use std::io::Write;

use super::export_csv::cell;
use super::{Cell, CellStatus, Due, RecordError, Roster, RowRecord, TrainingMatrix};

fn csv_err(e: impl std::fmt::Display) -> RecordError {
    RecordError::Csv(e.to_string())
}

/// A matrix cell as CSV text: the status word, the last valid day when there is one, then the
/// records that do not count, as in `valid 2027-01-10; 1 tampered`.
pub fn matrix_cell_text(cell: &Cell) -> String {
    let mut text = cell.status.as_str().to_owned();
    if let Some(until) = cell.valid_until {
        text.push(' ');
        text.push_str(&until.to_string());
    }
    if cell.tampered > 0 && cell.status != CellStatus::Tampered {
        text.push_str(&format!("; {} tampered", cell.tampered));
    }
    if cell.unknown_device > 0 && cell.status != CellStatus::UnknownDevice {
        text.push_str(&format!("; {} unknown-device", cell.unknown_device));
    }
    text
}

/// Writes the matrix: one row per learner (name, id), one column per module (headed by its id).
pub fn write_matrix_csv<W: Write>(out: W, matrix: &TrainingMatrix) -> Result<(), RecordError> {
    let mut w = csv::Writer::from_writer(out);
    let mut header = vec!["learner_name".to_owned(), "learner_id".to_owned()];
    header.extend(matrix.modules.iter().map(|m| cell(&m.id)));
    w.write_record(&header).map_err(csv_err)?;
    for (i, learner) in matrix.learners.iter().enumerate() {
        let mut fields = vec![cell(&learner.name), cell(&learner.id)];
        fields.extend(matrix.learner_cells(i).into_iter().map(matrix_cell_text));
        w.write_record(&fields).map_err(csv_err)?;
    }
    w.flush().map_err(csv_err)
}

/// Writes the due list (from [`TrainingMatrix::due_before`]): one row per learner and module,
/// with the deciding pass's date, device and verification code so a certificate can be checked.
pub fn write_due_csv<W: Write>(
    out: W,
    matrix: &TrainingMatrix,
    roster: &Roster,
    due: &[Due],
) -> Result<(), RecordError> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "valid_until",
        "status",
        "days_left",
        "learner_name",
        "learner_id",
        "module_id",
        "module_title",
        "passed_on",
        "device_fingerprint",
        "verification_code",
    ])
    .map_err(csv_err)?;
    for d in due {
        let (Some(learner), Some(module)) = (matrix.learners.get(d.learner), matrix.modules.get(d.module))
        else {
            continue;
        };
        let pass = matrix
            .cell(d.learner, d.module)
            .and_then(|c| c.decided_by)
            .and_then(|i| roster.rows.get(i))
            .map(|row| &row.record);
        w.write_record([
            d.valid_until.to_string(),
            d.status.as_str().to_owned(),
            (d.valid_until - matrix.as_of).num_days().to_string(),
            cell(&learner.name),
            cell(&learner.id),
            cell(&module.id),
            cell(module.title("en")),
            pass.map(|p| p.ended.date_naive().to_string()).unwrap_or_default(),
            pass.map(RowRecord::device_fingerprint).unwrap_or_default(),
            pass.map(RowRecord::verification_code).unwrap_or_default(),
        ])
        .map_err(csv_err)?;
    }
    w.flush().map_err(csv_err)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::MatrixOptions;

    #[test]
    fn cells_read_as_status_date_and_what_does_not_count() {
        let mut c = Cell {
            status: CellStatus::Expiring,
            valid_until: chrono::NaiveDate::from_ymd_opt(2026, 12, 20),
            decided_by: Some(0),
            rows: vec![0, 1],
            tampered: 1,
            unknown_device: 2,
        };
        assert_eq!(matrix_cell_text(&c), "expiring 2026-12-20; 1 tampered; 2 unknown-device");
        c.status = CellStatus::Tampered;
        c.valid_until = None;
        c.unknown_device = 0;
        assert_eq!(matrix_cell_text(&c), "tampered");
    }

    #[test]
    fn an_empty_matrix_writes_its_header() {
        let roster = Roster {
            as_of: chrono::NaiveDate::MIN,
            rows: Vec::new(),
            choices: Vec::new(),
            questions: Vec::new(),
            problems: Vec::new(),
            duplicates: 0,
            files: Vec::new(),
        };
        let m = TrainingMatrix::build(&roster, &MatrixOptions::new(chrono::NaiveDate::MIN));
        let mut out = Vec::new();
        write_matrix_csv(&mut out, &m).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "learner_name,learner_id\n");
        let mut out = Vec::new();
        write_due_csv(&mut out, &m, &roster, &m.due_before(chrono::NaiveDate::MAX)).unwrap();
        assert!(String::from_utf8(out).unwrap().starts_with("valid_until,status,days_left,"));
    }
}

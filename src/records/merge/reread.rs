//! Reading whole records again for a roster that keeps only their rows: an export reads each one
//! from where the merge found it, checked to be the very record the merge judged.

use std::path::PathBuf;

use super::Roster;
use crate::records::records_file::read_entry_at;
use crate::records::{Problem, SignedRecord, read_record_file};

impl Roster {
    /// Reads again, from its file, the whole record behind row `row` (the roster keeps only its
    /// columns), as the merge read it. A record that is no longer there as it was (its file
    /// changed since), or a row the merge did not read from a file, is a problem.
    pub fn read_record(&self, row: usize) -> Result<SignedRecord, Problem> {
        let Some(row) = self.rows.get(row) else {
            return Err(Problem { kept_at: None, path: PathBuf::new(), message: format!("no row {row}") });
        };
        let problem = |message: String| Problem { kept_at: None, path: row.source.to_path_buf(), message };
        if row.origin.file == usize::MAX {
            return Err(problem(format!("record {} was not read from a file", row.record.id)));
        }
        let read = if row.source.extension().is_some_and(|e| e == "ron") {
            read_record_file(&row.source)
        } else {
            read_entry_at(&row.source, row.origin.at)
        };
        match read {
            Ok(record)
                if *row.record.device_key == *record.device_key
                    && row.record.signature == record.signature
                    && row.origin.content.is_some()
                    && row.origin.content == record.content_digest() =>
            {
                Ok(record)
            }
            _ => Err(problem(format!(
                "record {} ({}) is no longer in this file as it was when the merge read it (the file \
                 changed since)",
                row.record.id,
                crate::format::invisible::reveal(&row.record.learner_name)
            ))),
        }
    }

    /// Reads again the whole records behind the rows `wanted` (indexes into `rows`), in that
    /// order, one at a time (see [`Roster::read_record`]), and calls `each` with each row's index
    /// and its record. Those that cannot be read as the merge read them are left out and
    /// returned. The first error `each` returns ends the reading and is returned.
    pub fn read_records<E>(
        &self,
        wanted: &[usize],
        mut each: impl FnMut(usize, &SignedRecord) -> Result<(), E>,
    ) -> Result<Vec<Problem>, E> {
        let mut problems = Vec::new();
        for &i in wanted {
            match self.read_record(i) {
                Ok(record) => each(i, &record)?,
                Err(problem) => problems.push(problem),
            }
        }
        Ok(problems)
    }
}

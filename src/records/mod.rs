//! Completion records: signing, export (Faro, CSV, xAPI), certificates, coordinator merge and
//! training matrix.
//!
//! When an attempt ends, [`Record::from_attempt`] captures what happened; [`DeviceKey`] signs it
//! into a [`SignedRecord`], which [`store::save`] keeps under
//! `<data>/learners/<learner-id>/records/<record-id>.ron`. Exports and the coordinator's merge
//! read signed records back and check every signature. `docs/records.md` explains what a
//! signature proves, and what it does not.

mod certificate;
mod device_key;
mod device_label;
mod export_csv;
mod laptops;
mod matrix;
mod matrix_csv;
mod merge;
mod module_index;
mod record;
mod records_file;
mod row_record;
mod signed;
pub mod store;
mod xapi;

use std::path::PathBuf;

pub use certificate::{certificate_html, normalize_code, verification_code};
pub use device_key::{DEVICE_KEY_FILE, DeviceKey, fingerprint};
pub use device_label::{DeviceLabelError, MAX_DEVICE_LABEL_CHARS, parse_device_label};
pub use export_csv::UTF8_BOM;
pub use export_csv::{
    csv_fields, csv_header, write_choices_csv, write_csv, write_devices_csv, write_questions_csv,
    write_roster_csv,
};
pub use laptops::{FileHeader, Laptop, laptops};
pub use matrix::{
    Cell, CellStatus, DEFAULT_EXPIRING_DAYS, Due, LearnerOrder, MatrixLearner, MatrixModule, MatrixOptions,
    MatrixQuery, StatusCounts, TrainingMatrix, display_name, name_sort_key,
};
pub use matrix_csv::{matrix_cell_text, write_due_csv, write_matrix_csv};
pub(crate) use merge::read_record_file;
pub use merge::{
    ChoiceStat, MergeOptions, QuestionStat, Roster, RosterRow, RowStatus, Trust, merge, merge_counting,
};
pub use module_index::ModuleIndex;
pub use record::{
    ChoiceRecord, CriticalChoice, QuestionResult, RECORD_FORMAT, Record, ScenarioResult, Score, content_hash,
    valid_until,
};
pub use records_file::{
    RECORDS_FILE_FORMAT, RecordsFile, read_records_file, records_file_json, records_file_json_labelled,
};
pub use row_record::RowRecord;
pub use signed::{SignedRecord, Tampered, canonical_json, split_tampered};
pub use store::{
    DeleteReport, Saved, delete_learner, learner_dir, load_all, load_learner, record_attempt, save,
};
pub use xapi::{
    DEFAULT_BATCH, DEFAULT_HOME_PAGE, EXT_TAMPERED, EXT_UNKNOWN_DEVICE, HomePage, Mark, MissingModule,
    StatementMaker, XapiExport, XapiFiles, XapiLayout, XapiOptions, XapiReport, XapiWriter, batch_path,
    statements, statements_marked, write_statements, write_xapi_files, write_xapi_stream,
};

/// Anything that went wrong with completion records, phrased for the person who can fix it.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    #[error("the attempt at \"{module}\" is not finished yet; a record is made when it ends")]
    NotFinished { module: String },
    #[error("the attempt is for module \"{attempt}\", not \"{module}\"")]
    WrongModule { attempt: String, module: String },
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("cannot write {path}: {source}")]
    Write { path: PathBuf, source: std::io::Error },
    #[error(transparent)]
    Store(#[from] crate::data::store::StoreError),
    #[error("cannot encode the record: {0}")]
    Encode(String),
    #[error("the operating system gave no random bytes for a new device key: {0}")]
    Random(String),
    #[error("{path}: the device key is unusable ({problem}); move it aside and Faro will make a new one")]
    BadKey { path: PathBuf, problem: String },
    #[error("the signature does not match the record: {0}")]
    Tampered(String),
    #[error("{path}: not a Faro records file: {problem}")]
    NotRecordsFile { path: PathBuf, problem: String },
    #[error("the learner list (profiles.ron) was damaged and set aside as {kept_at}; nothing was deleted")]
    ProfilesDamaged { kept_at: PathBuf },
    #[error("trust list: {0}")]
    BadTrust(String),
    #[error("cannot write CSV: {0}")]
    Csv(String),
    #[error("the xAPI home page {0}")]
    BadHomePage(String),
}

/// A file that could not be used, and why; the other files still load.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub path: PathBuf,
    pub message: String,
    /// Where a damaged file was set aside (kept for recovery), if it was.
    pub kept_at: Option<PathBuf>,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

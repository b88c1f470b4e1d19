//! Learners, their attempts (the journey state machine) and safe storage of both.

mod access;
mod attempt;
mod profiles;
pub mod store;

pub use access::{DataLock, DataProblem, LOCK_FILE, WriteFailure};
pub use attempt::{
    Attempt, ChoiceLogEntry, Event, EventError, Finished, Missed, RunState, ScenarioRun, Shortfall,
};
pub use profiles::{DATA_DIR_ENV, DataDir, NameError, Profile, Profiles};

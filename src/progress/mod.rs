//! Learners and their attempts (the journey state machine), saved in the data folder
//! ([`crate::data`]).

mod attempt;
mod profiles;

pub use attempt::{
    Attempt, ChoiceLogEntry, Event, EventError, Finished, Missed, RunState, ScenarioRun, Shortfall,
};
pub use profiles::{NameError, Profile, Profiles};

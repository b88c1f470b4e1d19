//! Faro: offline training for volunteers to recognize and respond safely to human trafficking.
//!
//! The core (`format`, `load`, `validate`, `map`, `scaffold`, `data`, `progress`, `records`,
//! `pack`, `translate`, `catalog`, `coordinator_settings`, `locale`, `renderer`, `review`) knows
//! nothing of egui and is tested without a window; `app` is the egui viewer built on it; `cli` holds
//! the subcommands.

pub mod app;
pub mod bundled;
pub mod catalog;
pub mod cli;
pub mod coordinator_settings;
pub mod data;
pub mod diagnostic;
pub mod format;
pub mod load;
pub mod locale;
pub mod locations;
pub mod map;
pub mod markup;
pub mod pack;
pub mod preview;
pub mod progress;
pub mod records;
pub mod renderer;
pub mod review;
pub mod scaffold;
pub mod steps;
pub mod translate;
pub mod validate;

//! One file per screen. Each screen owns its state and its actions: it draws from its state and
//! the [`crate::app::shared::Shared`] state, returns requests, and applies its own actions beside
//! its drawing code. Adding a screen: a file here, a line below, a [`crate::app::Screen`] variant.

pub mod about;
pub mod coordinator;
mod coordinator_tools;
pub mod data_folder;
pub mod library;
pub mod pack_builder;
mod pack_builder_ui;
pub mod pack_offer;
pub mod path_prompt;
pub mod player;
pub mod start;
pub mod studio;
mod studio_map;

pub use pack_builder_ui::ui as pack_builder_ui;

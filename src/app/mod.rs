//! The egui viewer. Screens draw state and return requests; [`FaroApp::apply`] carries them out
//! after the frame, so every user action is testable without a window.
//!
//! The rooms, top to bottom: this file (which screen shows, what can be asked), [`FaroApp`]
//! (`faro_app.rs`: the app and its frame), `apply.rs` (routing requests to the screens and the
//! app), `frame.rs` and `keyboard.rs` (the window around the screen), `run.rs` (eframe); then
//! `screens/` (one file per screen, each with its own state and actions), `panels/` (top bar,
//! help, notices), `widgets/` (Markdown, pages, speech), and below them all [`shared::Shared`],
//! the coordinator lock, [`command::Command`], [`config::Config`], the strings and the theme.

mod apply;
pub mod command;
pub mod config;
pub mod coordinator_lock;
mod faro_app;
pub mod file_dialog;
mod frame;
pub mod frame_report;
mod images;
mod keyboard;
mod library_load;
pub(crate) mod pack_install;
mod panels;
pub mod records_import;
mod run;
pub mod screens;
pub mod shared;
pub mod strings;
pub mod theme;
mod widgets;
mod worker;

pub use command::{Command, Request};
pub use config::{Config, Settings};
pub use coordinator_lock::{CoordinatorLock, LockAction};
pub use faro_app::FaroApp;
#[cfg(feature = "test-hooks")]
pub use library_load::LoadGate;
pub use run::{run, run_preview};
pub use screens::coordinator::{Coordinator, CoordinatorAction, HistoryTarget, View as CoordinatorView};
pub use screens::data_folder::DataFolderScreen;
pub use screens::library::{LibraryAction, LibraryScreen};
pub use screens::pack_builder::{BuilderAction, PackBuilder};
pub use screens::player::{Player, PlayerAction};
pub use screens::start::{StartAction, StartScreen};
pub use screens::studio::{Studio, StudioAction};
pub use shared::{PendingPack, PendingStep};
pub use shared::{ScreenKind, Shared};

/// Which screen is showing, with that screen's own state.
pub enum Screen {
    Start(StartScreen),
    Library(LibraryScreen),
    Player(Box<Player>),
    Coordinator(Box<Coordinator>),
    /// Building and signing a module pack (opened from the Coordinator screen).
    PackBuilder(Box<PackBuilder>),
    /// The data folder cannot be used: say why and offer another folder (shown at start-up).
    DataFolder(DataFolderScreen),
    /// Version and diagnostics; closing it returns to the screen it was opened from.
    About(Box<Screen>),
}

impl Screen {
    /// Which kind of screen this is.
    pub fn kind(&self) -> ScreenKind {
        match self {
            Screen::Start(_) => ScreenKind::Start,
            Screen::Library(_) => ScreenKind::Library,
            Screen::Player(_) => ScreenKind::Player,
            Screen::Coordinator(_) => ScreenKind::Coordinator,
            Screen::PackBuilder(_) => ScreenKind::PackBuilder,
            Screen::DataFolder(_) => ScreenKind::DataFolder,
            Screen::About(_) => ScreenKind::About,
        }
    }

    /// The module being taken, also behind the About screen.
    pub fn player(&self) -> Option<&Player> {
        match self {
            Screen::Player(p) => Some(p),
            Screen::About(back) => back.player(),
            _ => None,
        }
    }
}

/// Something asked for in a frame, applied after it: a [`Command`] for the app, or a screen's
/// own action, handled beside that screen.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    App(Command),
    Start(StartAction),
    Library(LibraryAction),
    Player(PlayerAction),
    Coordinator(CoordinatorAction),
    PackBuilder(BuilderAction),
    /// Something for the author preview (`faro preview`).
    Studio(StudioAction),
}

impl From<Command> for Action {
    fn from(command: Command) -> Self {
        Action::App(command)
    }
}

/// Turns a screen's requests into actions: its own, wrapped by `screen`, and commands as they are.
fn route<A>(requests: Vec<Request<A>>, screen: fn(A) -> Action) -> impl Iterator<Item = Action> {
    requests.into_iter().map(move |request| match request {
        Request::Screen(action) => screen(action),
        Request::App(command) => Action::App(command),
    })
}

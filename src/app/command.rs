//! What a screen may ask of the whole app. Screens draw from state and return requests; the app
//! applies them after the frame ([`super::FaroApp::apply`]), so every user action is testable
//! without a window. A screen's own changes (its text fields, its dialogs) are its own action
//! type, applied beside its drawing code; what changes more than the screen is a [`Command`].

use std::path::PathBuf;

use super::theme::Theme;

/// Something for the whole app: navigation, settings, the learner, packs and the data folder.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Continue as this learner (by id).
    PickLearner(String),
    /// Another person is about to use the laptop: back to the start screen, coordinator locked.
    SwitchLearner,
    /// Open the module of library entry `index`.
    OpenModule(usize),
    /// Save and go to the library (take a break, back to modules, leave the coordinator).
    ToLibrary,
    /// Leave at once for the library, and lock the coordinator's screens again.
    QuickExit,
    ToggleHelp,
    SetRegion(String),
    SetLanguage(String),
    SetTheme(Theme),
    Zoom(f32),
    Copy(String),
    DismissNotice(usize),
    OpenCoordinator,
    /// Version and diagnostics; closing it returns to the screen it was opened from.
    OpenAbout,
    CloseAbout,
    /// Ask for a pack file (the system's file dialog, or the typed-path field).
    PickPack,
    /// A pack file was chosen or dropped: check who signed it, then install or ask.
    OfferPack(PathBuf),
    /// The person compared the fingerprint and trusts the pending pack's publisher.
    TrustPendingPack,
    /// The person agreed that the pending pack replaces the modules the dialog named (Faro's own,
    /// another publisher's, or both).
    ReplaceBundled,
    CancelPendingPack,
    /// Stop the pack install that is running, before it changes anything.
    CancelInstall,
    RemovePack(String),
    /// Ask for another data folder (the system's folder dialog, or the typed-path field).
    ChooseDataFolder,
    /// Open the typed-path field for another data folder, without the system's dialog.
    TypeDataFolder,
    /// Ask where to save a copy of the certificate file at this path.
    SaveCertificateCopy(PathBuf),
    /// Use the path typed in the typed-path field.
    PathPromptOk,
    PathPromptCancel,
    /// Move to this data folder, copying what is saved (see [`super::FaroApp::use_data_folder`]).
    UseDataFolder(PathBuf),
    /// Move to the data folder typed on the data folder screen, checked as the typed-path field
    /// checks it (`app::file_dialog::check_typed`).
    UseTypedDataFolder(String),
    /// Use the app although this window cannot save.
    ContinueWithoutSaving,
    /// Set, try or remove the coordinator passphrase.
    Lock(LockAction),
    /// Save the xAPI home page for exports from this laptop (empty: the default).
    SaveXapiHomePage(String),
    /// Save this laptop's name for its records files (empty: no name).
    SaveDeviceLabel(String),
    OpenPackBuilder,
}

/// What a screen's drawing asks for: a change of its own (`A`, applied by the screen's `apply`)
/// or a [`Command`] for the app.
#[derive(Clone, Debug, PartialEq)]
pub enum Request<A> {
    Screen(A),
    App(Command),
}

impl<A> From<Command> for Request<A> {
    fn from(command: Command) -> Self {
        Request::App(command)
    }
}

/// What the person asked of the lock.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LockAction {
    /// Set the passphrase typed twice in the offer.
    SetPassphrase,
    /// Decline the offer for this session.
    NotNow,
    /// Show the offer again (it was declined earlier in this session).
    OfferPassphrase,
    /// Try the typed passphrase.
    Unlock,
    /// Lock now and leave the Coordinator screen.
    LockNow,
    RemovePassphrase,
}

//! The coordinator lock for shared laptops: an optional passphrase that keeps the Coordinator
//! screen, pack building and so every other learner's records closed until it is typed, once per
//! app session (Quick exit, "Lock", switching learner and restarting lock it again). A learner's own
//! modules, records and "Delete my data" are never behind it.

use std::path::PathBuf;
use std::time::Duration;

use crate::app::command::Command;
pub use crate::app::command::LockAction;
use crate::app::shared::Shared;
use crate::app::strings::Strings;
use crate::app::theme::{Accent, Theme, accent};
use crate::app::widgets::{self, speech};
use crate::coordinator_settings::{
    self, Clock, CoordinatorSettings, Lock, PassphraseError, PassphraseHash, Throttle,
};
use crate::data::DataDir;

/// The lock as this app session knows it.
pub struct CoordinatorLock {
    pub settings: CoordinatorSettings,
    /// Where the settings are saved, named in the reset instructions.
    pub settings_path: PathBuf,
    /// The passphrase was typed (or set) in this session.
    unlocked: bool,
    /// "Not now" was chosen: the offer to set a passphrase waits for the next start.
    offer_declined: bool,
    pub passphrase_input: String,
    pub confirm_input: String,
    problem: Option<InputProblem>,
    throttle: Throttle,
    /// Where the wait between wrong tries reads the time; tests use [`Clock::manual`].
    pub clock: Clock,
}

/// What was wrong with the last passphrase typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum InputProblem {
    Wrong,
    TooShort,
    Mismatch,
}

impl CoordinatorLock {
    /// Loads the lock from the data folder; `may_write` when this window saves there (a damaged
    /// settings file is then kept aside and replaced by a locked one).
    pub fn load(data: &DataDir, may_write: bool) -> Self {
        Self {
            settings: coordinator_settings::load(data, may_write),
            settings_path: coordinator_settings::settings_path(data),
            unlocked: false,
            offer_declined: false,
            passphrase_input: String::new(),
            confirm_input: String::new(),
            problem: None,
            throttle: Throttle::default(),
            clock: Clock::System,
        }
    }

    /// Whether the Coordinator screen and pack building may show now.
    pub fn is_open(&self) -> bool {
        match self.settings.lock {
            Lock::NoPassphrase => true,
            Lock::Passphrase(_) => self.unlocked,
            Lock::Damaged { .. } => false,
        }
    }

    /// Closes the lock again (the passphrase is asked for next time).
    pub fn lock(&mut self) {
        self.unlocked = false;
        self.clear_inputs();
    }

    /// How long until another try is accepted, if there is a wait.
    pub fn wait_left(&self) -> Option<Duration> {
        self.throttle.wait_left(self.clock.now())
    }

    fn clear_inputs(&mut self) {
        self.passphrase_input.clear();
        self.confirm_input.clear();
        self.problem = None;
    }
}

/// Carries out a lock action. "Lock now" also leaves the coordinator's screens, which the app
/// does after this.
pub fn apply(lock: &mut CoordinatorLock, action: LockAction, shared: &mut Shared) {
    let s = shared.strings().tools;
    match action {
        LockAction::SetPassphrase => {
            if lock.settings.lock != Lock::NoPassphrase {
                return;
            }
            let hash = match PassphraseHash::choose(&lock.passphrase_input, &lock.confirm_input) {
                Ok(hash) => hash,
                Err(PassphraseError::TooShort) => {
                    lock.problem = Some(InputProblem::TooShort);
                    return;
                }
                Err(PassphraseError::Mismatch) => {
                    lock.problem = Some(InputProblem::Mismatch);
                    return;
                }
                Err(e @ PassphraseError::Hashing(_)) => {
                    lock.clear_inputs();
                    shared.notices.push(s.passphrase_not_saved.replace("{error}", &e.to_string()));
                    return;
                }
            };
            // Other settings in the file stay as they are.
            let mut settings = lock.settings.clone();
            settings.lock = Lock::Passphrase(hash);
            save_then(lock, shared, settings, s.passphrase_set, true);
        }
        LockAction::NotNow => {
            lock.offer_declined = true;
            lock.clear_inputs();
        }
        LockAction::OfferPassphrase => lock.offer_declined = false,
        LockAction::Unlock => {
            let Lock::Passphrase(hash) = &lock.settings.lock else { return };
            let now = lock.clock.now();
            // A try during the wait is not looked at, so waiting cannot be skipped by typing fast.
            if lock.throttle.wait_left(now).is_some() {
                return;
            }
            if hash.matches(&lock.passphrase_input) {
                lock.throttle.succeeded();
                lock.unlocked = true;
                lock.clear_inputs();
            } else {
                lock.throttle.failed(now);
                lock.passphrase_input.clear();
                lock.problem = Some(InputProblem::Wrong);
            }
        }
        LockAction::LockNow => lock.lock(),
        LockAction::RemovePassphrase => {
            if !lock.is_open() || !matches!(lock.settings.lock, Lock::Passphrase(_)) {
                return;
            }
            let mut settings = lock.settings.clone();
            settings.lock = Lock::NoPassphrase;
            save_then(lock, shared, settings, s.passphrase_removed, false);
        }
    }
}

/// Saves the xAPI home page typed on the Coordinator screen (empty: back to the default); an
/// address that is not http(s) is refused with the reason, and nothing is saved.
pub fn save_home_page(lock: &mut CoordinatorLock, shared: &mut Shared, text: &str) {
    let s = shared.strings().tools;
    let text = text.trim();
    let page = if text.is_empty() {
        None
    } else {
        match crate::records::HomePage::parse(text) {
            Ok(page) => Some(page.as_str().to_owned()),
            Err(e) => {
                shared.notices.push(e.to_string());
                return;
            }
        }
    };
    let shown = page.clone().unwrap_or_else(|| crate::records::HomePage::default().as_str().to_owned());
    let settings = CoordinatorSettings { xapi_home_page: page, ..lock.settings.clone() };
    let unlocked = lock.unlocked;
    save_then(lock, shared, settings, &s.home_page_saved.replace("{page}", &shown), unlocked);
}

/// Saves this laptop's name for its records files (empty: none); a name that is too long or
/// hides characters is refused with the reason, and nothing is saved.
pub fn save_device_label(lock: &mut CoordinatorLock, shared: &mut Shared, text: &str) {
    let s = shared.strings().tools;
    let label = match crate::records::parse_device_label(text) {
        Ok(label) => label,
        Err(crate::records::DeviceLabelError::TooLong) => {
            let max = crate::records::MAX_DEVICE_LABEL_CHARS.to_string();
            shared.notices.push(s.device_label_too_long.replace("{max}", &max));
            return;
        }
        Err(crate::records::DeviceLabelError::Hidden) => {
            shared.notices.push(s.device_label_hidden.to_owned());
            return;
        }
    };
    let done = match &label {
        Some(label) => s.device_label_saved.replace("{label}", label),
        None => s.device_label_removed.to_owned(),
    };
    let settings = CoordinatorSettings { device_label: label, ..lock.settings.clone() };
    let unlocked = lock.unlocked;
    save_then(lock, shared, settings, &done, unlocked);
}

/// Saves new settings; on success they take effect (the screen stays open for the person who
/// changed them) and `done` is shown; on failure nothing changes and the error is shown.
fn save_then(
    lock: &mut CoordinatorLock,
    shared: &mut Shared,
    settings: CoordinatorSettings,
    done: &str,
    unlocked: bool,
) {
    if !shared.saving(true) {
        return;
    }
    let s = shared.strings().tools;
    match coordinator_settings::save(&shared.config.data_dir, &settings) {
        Ok(()) => {
            lock.settings = settings;
            lock.unlocked = unlocked;
            lock.offer_declined = true;
            lock.clear_inputs();
            shared.notices.push(done.to_owned());
        }
        Err(e) => shared.notices.push(s.passphrase_not_saved.replace("{error}", &e.to_string())),
    }
}

/// Draws `screen_ui` when the lock is open; otherwise the offer to set a passphrase (first visit
/// in a session without one), the passphrase prompt, or why the lock cannot be opened.
pub fn gated<R: From<Command>>(
    lock: &mut CoordinatorLock,
    shared: &Shared,
    ui: &mut egui::Ui,
    screen_ui: impl FnOnce(&mut egui::Ui, &CoordinatorLock) -> Vec<R>,
) -> Vec<R> {
    // A window that cannot save could not keep a passphrase: it does not offer one.
    let offer = !lock.offer_declined && shared.data_problem.is_none();
    let asked = match &lock.settings.lock {
        Lock::NoPassphrase if offer => offer_ui(lock, shared, ui),
        Lock::Passphrase(_) if !lock.unlocked => unlock_ui(lock, shared, ui),
        Lock::Damaged { problem, kept_at } => {
            damaged_ui(
                ui,
                shared.strings(),
                shared.settings.theme,
                problem,
                kept_at.as_ref(),
                &lock.settings_path,
            );
            Vec::new()
        }
        _ => return screen_ui(ui, lock),
    };
    asked.into_iter().map(R::from).collect()
}

fn offer_ui(lock: &mut CoordinatorLock, shared: &Shared, ui: &mut egui::Ui) -> Vec<Command> {
    let s = shared.strings().tools;
    let theme = shared.settings.theme;
    let mut actions = Vec::new();
    widgets::readable_column(ui, |ui| {
        ui.add_space(12.0);
        ui.heading(s.offer_title);
        ui.label(s.offer_body);
        ui.add_space(8.0);
        let problem = match lock.problem {
            Some(InputProblem::TooShort) => Some(s.passphrase_too_short),
            Some(InputProblem::Mismatch) => Some(s.passphrase_mismatch),
            _ => None,
        };
        let first = passphrase_field(ui, s.new_passphrase, &mut lock.passphrase_input);
        // The question rides on the field the focus lands in, and a problem with what was typed
        // on every widget that can have the focus: a screen reader reads the focused one only.
        let question = [problem.unwrap_or_default(), s.offer_title, s.offer_body, s.passphrase_rules];
        speech::describe(ui, &first, &speech::joined(question));
        if widgets::first_pass_of(ui, "faro-passphrase-offer") {
            first.request_focus();
        }
        let second = passphrase_field(ui, s.confirm_passphrase, &mut lock.confirm_input);
        ui.small(s.passphrase_rules);
        if let Some(problem) = problem {
            speech::describe(ui, &second, problem);
            ui.colored_label(accent(theme, Accent::Bad), problem);
        }
        ui.add_space(8.0);
        ui.horizontal_wrapped(|ui| {
            let set = ui.add(crate::app::theme::primary_button(theme, s.set_passphrase));
            if let Some(problem) = problem {
                speech::describe(ui, &set, problem);
            }
            if set.clicked() || widgets::enter_pressed_in(ui, &second) {
                actions.push(Command::Lock(LockAction::SetPassphrase));
            }
            if ui.button(s.not_now).clicked() {
                actions.push(Command::Lock(LockAction::NotNow));
            }
        });
    });
    actions
}

fn unlock_ui(lock: &mut CoordinatorLock, shared: &Shared, ui: &mut egui::Ui) -> Vec<Command> {
    let s = shared.strings().tools;
    let theme = shared.settings.theme;
    let wait = lock.wait_left();
    let mut actions = Vec::new();
    widgets::readable_column(ui, |ui| {
        ui.add_space(12.0);
        ui.heading(s.locked_title);
        ui.label(s.locked_body);
        ui.add_space(8.0);
        let field = passphrase_field(ui, s.passphrase, &mut lock.passphrase_input);
        // A wrong passphrase is said first, on the field that keeps the focus; then the question.
        // (Not the seconds left to wait: a description that changed every second would be spoken
        // every second.)
        let wrong = lock.problem == Some(InputProblem::Wrong) || wait.is_some();
        let problem = if wrong { s.wrong_passphrase } else { "" };
        speech::describe(ui, &field, &speech::joined([problem, s.locked_title, s.locked_body]));
        if widgets::first_pass_of(ui, "faro-passphrase-prompt") {
            field.request_focus();
        }
        let entered = widgets::enter_pressed_in(ui, &field);
        let unlock = ui.add_enabled(wait.is_none(), crate::app::theme::primary_button(theme, s.unlock));
        if (unlock.clicked() || entered) && wait.is_none() {
            actions.push(Command::Lock(LockAction::Unlock));
        }
        if let Some(wait) = wait {
            let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            let text = s.wait_before_next_try.replace("{seconds}", &seconds.to_string());
            ui.colored_label(accent(theme, Accent::Bad), text);
            // Redraw when the shown count changes, and not before.
            let to_next_second = wait - Duration::from_secs(wait.as_secs());
            let next = if to_next_second.is_zero() { Duration::from_secs(1) } else { to_next_second };
            ui.ctx().request_repaint_after(next);
        } else if lock.problem == Some(InputProblem::Wrong) {
            ui.colored_label(accent(theme, Accent::Bad), s.wrong_passphrase);
        }
        ui.add_space(12.0);
        ui.small(s.forgot_passphrase.replace("{path}", &lock.settings_path.display().to_string()));
    });
    actions
}

fn damaged_ui(
    ui: &mut egui::Ui,
    s: &Strings,
    theme: Theme,
    problem: &str,
    kept_at: Option<&PathBuf>,
    settings_path: &std::path::Path,
) {
    let s = s.tools;
    widgets::readable_column(ui, |ui| {
        ui.add_space(12.0);
        crate::app::widgets::page::callout(ui, theme, s.damaged_title, Accent::Bad, |ui| {
            ui.label(
                s.damaged_body
                    .replace("{problem}", problem)
                    .replace("{path}", &settings_path.display().to_string()),
            );
            if let Some(kept_at) = kept_at {
                ui.label(s.damaged_copy.replace("{path}", &kept_at.display().to_string()));
            }
        });
    });
}

/// A labelled single-line field that hides what is typed.
fn passphrase_field(ui: &mut egui::Ui, label: &str, text: &mut String) -> egui::Response {
    let label = ui.label(label);
    ui.add(egui::TextEdit::singleline(text).password(true).desired_width(320.0)).labelled_by(label.id)
}

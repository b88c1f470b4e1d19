//! A pack offered for install (chosen or dropped on the window): who signed it, the question to
//! trust a new publisher (in the library), the confirmation before a pack replaces a module that
//! comes with Faro (a dialog), and the install itself.

use std::path::{Path, PathBuf};

use crate::app::theme::{Accent, accent};
use crate::app::{Action, FaroApp, Screen};
use crate::bundled::BundledModule;
use crate::pack::{TrustDecision, TrustStatus};

/// A pack offered for install that waits for the person to decide.
#[derive(Clone, Debug)]
pub struct PendingPack {
    pub path: PathBuf,
    pub title: String,
    pub version: String,
    pub publisher: String,
    pub fingerprint: String,
    pub key: crate::pack::VerifyingKey,
    /// Modules that come with Faro which the pack's modules would replace.
    pub replaces_bundled: Vec<BundledModule>,
    pub step: PendingStep,
}

/// What the person is being asked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PendingStep {
    /// Whether to trust a publisher this laptop does not know (the fingerprint is shown).
    TrustPublisher,
    /// Whether the pack may replace modules that come with Faro; the trust question, if there
    /// was one, is answered by this decision.
    ConfirmReplace(TrustDecision),
}

impl FaroApp {
    /// Checks who signed a pack and what it replaces: installs from a trusted publisher, asks
    /// about a new one and about replacing a module that comes with Faro, and refuses a pack
    /// whose id is already installed from another key.
    pub(crate) fn offer_pack(&mut self, path: PathBuf) {
        let signed = match crate::pack::read_signed(&path) {
            Ok(s) => s,
            Err(e) => {
                self.notices.push(e.to_string());
                return;
            }
        };
        let status =
            crate::pack::trust_status(&self.config.data_dir, &signed.manifest.id, &signed.public_key);
        let step = match status {
            Ok(TrustStatus::Trusted) => PendingStep::ConfirmReplace(TrustDecision::KnownOnly),
            Ok(TrustStatus::NewPublisher) => PendingStep::TrustPublisher,
            Ok(TrustStatus::KeyChanged { installed }) => {
                let s = self.strings();
                self.notices.push(
                    s.pack_key_changed
                        .replace("{title}", &signed.manifest.title)
                        .replace("{installed}", installed.as_str())
                        .replace("{offered}", signed.fingerprint.as_str()),
                );
                return;
            }
            Err(e) => {
                self.notices.push(e.to_string());
                return;
            }
        };
        let replaces_bundled = crate::pack::bundled_modules_in(&signed.manifest);
        if let PendingStep::ConfirmReplace(trust) = &step
            && replaces_bundled.is_empty()
        {
            self.install_pack(&path, trust.clone(), false);
            return;
        }
        self.pending_pack = Some(PendingPack {
            path,
            title: signed.manifest.title.clone(),
            version: signed.manifest.version.to_string(),
            publisher: signed.manifest.publisher.clone(),
            fingerprint: signed.fingerprint.to_string(),
            key: signed.public_key,
            replaces_bundled,
            step,
        });
        if !matches!(self.screen, Screen::Library | Screen::Start) {
            self.leave_module();
        }
    }

    /// The person compared the fingerprint: install, or first ask about replacing modules.
    pub(crate) fn trust_pending_pack(&mut self) {
        if !self.saving(true) {
            return;
        }
        let Some(mut pending) = self.pending_pack.take() else { return };
        let trust = TrustDecision::Trust(pending.key);
        if pending.replaces_bundled.is_empty() {
            self.install_pack(&pending.path, trust, false);
        } else {
            pending.step = PendingStep::ConfirmReplace(trust);
            self.pending_pack = Some(pending);
        }
    }

    /// The person agreed that the pending pack replaces modules that come with Faro.
    pub(crate) fn replace_bundled_with_pending_pack(&mut self) {
        if !self.saving(true) {
            return;
        }
        let Some(pending) = self.pending_pack.take() else { return };
        if let PendingStep::ConfirmReplace(trust) = pending.step {
            self.install_pack(&pending.path, trust, true);
        }
    }

    fn install_pack(&mut self, path: &Path, trust: TrustDecision, replace_bundled: bool) {
        self.leave_module();
        let options = crate::pack::InstallOptions { replace_bundled, ..Default::default() };
        match crate::pack::install(&self.config.data_dir, path, trust, &options) {
            Ok(report) => {
                let s = self.strings();
                let mut notice = s
                    .pack_installed
                    .replace("{title}", &report.title)
                    .replace("{version}", &report.version.to_string());
                if !report.replaced_bundled.is_empty() {
                    notice.push(' ');
                    let modules = module_titles(&report.replaced_bundled, &self.settings.lang);
                    notice.push_str(&s.pack_replaced_bundled.replace("{modules}", &modules));
                }
                if !report.changed.is_empty() {
                    notice.push(' ');
                    notice.push_str(&s.pack_changed.replace("{modules}", &report.changed.join(", ")));
                }
                self.notices.push(notice);
                self.reload_library();
            }
            Err(e) => self.notices.push(e.to_string()),
        }
    }
}

/// The question to trust a new publisher, shown in the library.
pub fn trust_ui(app: &FaroApp, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
    let s = app.strings();
    let Some(p) = &app.pending_pack else { return };
    if p.step != PendingStep::TrustPublisher {
        return;
    }
    crate::app::screens::page::callout(ui, app.settings.theme, s.pack_trust_title, Accent::Note, |ui| {
        ui.label(
            s.pack_trust_body
                .replace("{title}", &p.title)
                .replace("{version}", &p.version)
                .replace("{publisher}", &p.publisher)
                .replace("{fingerprint}", &p.fingerprint),
        );
        ui.label(egui::RichText::new(&p.fingerprint).monospace().size(22.0));
        if !p.replaces_bundled.is_empty() {
            let modules = module_titles(&p.replaces_bundled, &app.settings.lang);
            ui.label(s.pack_trust_replaces.replace("{modules}", &modules));
        }
        ui.horizontal_wrapped(|ui| {
            if ui.button(s.pack_trust_yes).clicked() {
                actions.push(Action::TrustPendingPack);
            }
            if ui.button(s.cancel).clicked() {
                actions.push(Action::CancelPendingPack);
            }
        });
    });
}

/// The dialog that asks before a pack replaces modules that come with Faro. Cancel has the
/// focus, so Enter alone never replaces anything; Escape and a click beside the dialog cancel.
pub fn confirm_replace_ui(app: &FaroApp, ctx: &egui::Context) -> Vec<Action> {
    let mut actions = Vec::new();
    let Some(p) = &app.pending_pack else { return actions };
    if !matches!(p.step, PendingStep::ConfirmReplace(_)) {
        return actions;
    }
    let s = app.strings();
    let modules = module_titles(&p.replaces_bundled, &app.settings.lang);
    let modal = egui::Modal::new(egui::Id::unique("faro-replace-bundled")).show(ctx, |ui| {
        ui.set_max_width(520.0);
        ui.heading(s.replace_bundled_title);
        ui.add_space(6.0);
        ui.label(
            s.replace_bundled_body
                .replace("{title}", &p.title)
                .replace("{version}", &p.version)
                .replace("{publisher}", &p.publisher)
                .replace("{modules}", &modules),
        );
        ui.add_space(4.0);
        ui.colored_label(accent(app.settings.theme, Accent::Bad), s.replace_bundled_consequence);
        ui.add_space(10.0);
        ui.horizontal(|ui| {
            let cancel = ui.button(s.cancel);
            if super::first_pass_of(ui, "faro-replace-bundled") {
                cancel.request_focus();
            }
            if cancel.clicked() {
                actions.push(Action::CancelPendingPack);
            }
            if ui.button(s.replace_bundled_yes).clicked() {
                actions.push(Action::ReplaceBundled);
            }
        });
    });
    if modal.should_close() && actions.is_empty() {
        actions.push(Action::CancelPendingPack);
    }
    actions
}

/// “What trafficking is”, “…”: the modules' titles in `lang`, for messages.
fn module_titles(modules: &[BundledModule], lang: &str) -> String {
    modules.iter().map(|m| format!("\u{201c}{}\u{201d}", m.title.get(lang))).collect::<Vec<_>>().join(", ")
}

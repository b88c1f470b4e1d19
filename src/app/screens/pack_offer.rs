//! A pack offered for install (chosen or dropped on the window): who signed it, the question to
//! trust a new publisher (in the library), the confirmation before a pack replaces a module that
//! comes with Faro or another publisher's (a dialog naming both publishers), and the install
//! itself.

use std::path::{Path, PathBuf};

use crate::app::command::Command;
use crate::app::pack_install::{InstallJob, InstallRequest};
use crate::app::shared::{PendingPack, PendingStep, Shared};
use crate::app::theme::{Accent, accent};
use crate::app::widgets::{self, page::callout, speech};
use crate::bundled::BundledModule;
use crate::pack::{TrustDecision, TrustStatus};

/// What to do with a pack that was offered.
#[derive(Debug)]
pub enum Offer {
    /// It cannot be installed; a notice says why.
    Refused,
    /// The person is asked first ([`Shared::pending_pack`]).
    Ask,
    /// Install it now, with this decision about its publisher, replacing modules that come with
    /// Faro or other publishers' (the person confirmed) or not. The module being taken is saved
    /// and closed first.
    Install { path: PathBuf, trust: Box<TrustDecision>, replace: bool },
}

/// Checks who signed a pack and what it replaces: installs from a trusted publisher, asks about
/// a new one and about replacing a module that comes with Faro, and refuses a pack whose id is
/// already installed from another key.
pub fn offer(shared: &mut Shared, path: PathBuf) -> Offer {
    let signed = match crate::pack::read_signed(&path) {
        Ok(s) => s,
        Err(e) => {
            shared.notices.push(e.to_string());
            return Offer::Refused;
        }
    };
    let status = crate::pack::trust_status(&shared.config.data_dir, &signed.manifest.id, &signed.public_key);
    let step = match status {
        Ok(TrustStatus::Trusted) => PendingStep::ConfirmReplace(TrustDecision::KnownOnly),
        Ok(TrustStatus::NewPublisher) => PendingStep::TrustPublisher,
        Ok(TrustStatus::KeyChanged { installed }) => {
            let s = shared.strings();
            shared.notices.push(
                s.pack_key_changed
                    .replace("{title}", &signed.manifest.title)
                    .replace("{installed}", installed.as_str())
                    .replace("{offered}", signed.fingerprint.as_str()),
            );
            return Offer::Refused;
        }
        Err(e) => {
            shared.notices.push(e.to_string());
            return Offer::Refused;
        }
    };
    let replaces_bundled = crate::pack::bundled_modules_in(&signed.manifest);
    let data = &shared.config.data_dir;
    let replaces_publishers =
        match crate::pack::modules_of_other_publishers(data, &signed.manifest, &signed.public_key) {
            Ok(owned) => owned,
            Err(e) => {
                shared.notices.push(e.to_string());
                return Offer::Refused;
            }
        };
    if let PendingStep::ConfirmReplace(trust) = &step
        && replaces_bundled.is_empty()
        && replaces_publishers.is_empty()
    {
        return Offer::Install { path, trust: Box::new(trust.clone()), replace: false };
    }
    shared.pending_pack = Some(PendingPack {
        path,
        title: signed.manifest.title.clone(),
        version: signed.manifest.version.to_string(),
        publisher: signed.manifest.publisher.clone(),
        fingerprint: signed.fingerprint.to_string(),
        key: signed.public_key,
        replaces_bundled,
        replaces_publishers,
        step,
    });
    Offer::Ask
}

/// The person compared the fingerprint: install, or first ask about replacing modules.
pub fn trust_pending(shared: &mut Shared) -> Offer {
    if !shared.saving(true) {
        return Offer::Refused;
    }
    let Some(mut pending) = shared.pending_pack.take() else { return Offer::Refused };
    let trust = TrustDecision::Trust(pending.key);
    if pending.replaces_bundled.is_empty() && pending.replaces_publishers.is_empty() {
        Offer::Install { path: pending.path, trust: Box::new(trust), replace: false }
    } else {
        pending.step = PendingStep::ConfirmReplace(trust);
        shared.pending_pack = Some(pending);
        Offer::Ask
    }
}

/// The person agreed that the pending pack replaces the modules the dialog named (Faro's own,
/// other publishers', or both).
pub fn replace_confirmed(shared: &mut Shared) -> Offer {
    if !shared.saving(true) {
        return Offer::Refused;
    }
    let Some(pending) = shared.pending_pack.take() else { return Offer::Refused };
    match pending.step {
        PendingStep::ConfirmReplace(trust) => {
            Offer::Install { path: pending.path, trust: Box::new(trust), replace: true }
        }
        PendingStep::TrustPublisher => Offer::Refused,
    }
}

/// Starts installing a pack (see [`Offer::Install`]) on a worker thread; the library stays usable
/// and says what is being installed, and [`installed`] says what changed when it is done.
pub fn install(shared: &mut Shared, path: &Path, trust: TrustDecision, replace: bool, ctx: &egui::Context) {
    if shared.install.is_some() {
        shared.notices.push(shared.strings().pack_install_busy.to_owned());
        return;
    }
    // Read again for the title and id (the install checks the signature itself); a pack that
    // cannot be read fails in the install, which says why.
    let (title, pack_id) = match crate::pack::read_signed(path) {
        Ok(signed) => (signed.manifest.title, signed.manifest.id.to_string()),
        Err(_) => {
            (path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(), String::new())
        }
    };
    let options = crate::pack::InstallOptions {
        replace_bundled: replace,
        replace_other_publishers: replace,
        ..Default::default()
    };
    let data = shared.config.data_dir.clone();
    let request = InstallRequest { data, path: path.to_owned(), trust, options, title, pack_id };
    #[cfg(feature = "test-hooks")]
    let gate = shared.config.install_gate.clone();
    #[cfg(not(feature = "test-hooks"))]
    let gate = None;
    shared.install = Some(InstallJob::start(request, ctx, gate));
}

/// Says what a finished install changed (or why it failed); the library is reloaded.
pub fn installed(shared: &mut Shared, result: Result<crate::pack::InstallReport, String>) {
    match result {
        Ok(report) => {
            let s = shared.strings();
            let mut notice = s
                .pack_installed
                .replace("{title}", &report.title)
                .replace("{version}", &report.version.to_string());
            if !report.replaced_bundled.is_empty() {
                notice.push(' ');
                let modules = module_titles(&report.replaced_bundled, &shared.settings.lang);
                notice.push_str(&s.pack_replaced_bundled.replace("{modules}", &modules));
            }
            if !report.replaced_publishers.is_empty() {
                notice.push(' ');
                let modules = owned_modules(shared, &report.replaced_publishers);
                notice.push_str(&s.pack_replaced_publisher.replace("{modules}", &modules));
            }
            if !report.changed.is_empty() {
                notice.push(' ');
                notice.push_str(&s.pack_changed.replace("{modules}", &report.changed.join(", ")));
            }
            shared.notices.push(notice);
            shared.reload_library();
        }
        Err(e) => shared.notices.push(e),
    }
}

/// The question to trust a new publisher, shown in the library.
pub fn trust_ui(shared: &Shared, ui: &mut egui::Ui) -> Vec<Command> {
    let s = shared.strings();
    let mut actions = Vec::new();
    let Some(p) = &shared.pending_pack else { return actions };
    if p.step != PendingStep::TrustPublisher {
        return actions;
    }
    callout(ui, shared.settings.theme, s.pack_trust_title, Accent::Note, |ui| {
        let body = s
            .pack_trust_body
            .replace("{title}", &p.title)
            .replace("{version}", &p.version)
            .replace("{publisher}", &p.publisher)
            .replace("{fingerprint}", &p.fingerprint);
        ui.label(&body);
        ui.label(egui::RichText::new(&p.fingerprint).monospace().size(22.0));
        let mut spoken = vec![s.pack_trust_title.to_owned(), body];
        if !p.replaces_bundled.is_empty() {
            let modules = module_titles(&p.replaces_bundled, &shared.settings.lang);
            let line = s.pack_trust_replaces.replace("{modules}", &modules);
            ui.label(&line);
            spoken.push(line);
        }
        if !p.replaces_publishers.is_empty() {
            let modules = owned_modules(shared, &p.replaces_publishers);
            let line = s.pack_trust_replaces_publisher.replace("{modules}", &modules);
            ui.label(&line);
            spoken.push(line);
        }
        ui.horizontal_wrapped(|ui| {
            let trust = ui.button(s.pack_trust_yes);
            // The question's whole text rides on the button the focus lands on: a screen reader
            // reads the publisher, the pack and the fingerprint to compare before deciding.
            speech::landing(ui, &trust, Some(&speech::joined(spoken.iter().map(String::as_str))));
            if trust.clicked() {
                actions.push(Command::TrustPendingPack);
            }
            if ui.button(s.cancel).clicked() {
                actions.push(Command::CancelPendingPack);
            }
        });
    });
    actions
}

/// The dialog that asks before a pack replaces modules that come with Faro or another
/// publisher's; for the latter it names both publishers and their keys. Cancel has the focus, so
/// Enter alone never replaces anything; Escape and a click beside the dialog cancel.
pub fn confirm_replace_ui(shared: &Shared, ctx: &egui::Context) -> Vec<Command> {
    let mut actions = Vec::new();
    let Some(p) = &shared.pending_pack else { return actions };
    if !matches!(p.step, PendingStep::ConfirmReplace(_)) {
        return actions;
    }
    let s = shared.strings();
    let publishers = !p.replaces_publishers.is_empty();
    let (title, yes) = if publishers {
        (s.replace_publisher_title, s.replace_publisher_yes)
    } else {
        (s.replace_bundled_title, s.replace_bundled_yes)
    };
    let modal = egui::Modal::new(egui::Id::unique("faro-replace-bundled")).show(ctx, |ui| {
        ui.set_max_width(520.0);
        ui.heading(title);
        ui.add_space(6.0);
        let mut spoken = vec![title.to_owned()];
        if !p.replaces_bundled.is_empty() {
            let modules = module_titles(&p.replaces_bundled, &shared.settings.lang);
            let line = s
                .replace_bundled_body
                .replace("{title}", &p.title)
                .replace("{version}", &p.version)
                .replace("{publisher}", &p.publisher)
                .replace("{modules}", &modules);
            ui.label(&line);
            spoken.push(line);
        }
        if publishers {
            let line = s
                .replace_publisher_body
                .replace("{title}", &p.title)
                .replace("{version}", &p.version)
                .replace("{publisher}", &p.publisher)
                .replace("{fingerprint}", &p.fingerprint)
                .replace("{modules}", &owned_modules(shared, &p.replaces_publishers));
            ui.label(&line);
            spoken.push(line);
        }
        ui.add_space(4.0);
        ui.colored_label(accent(shared.settings.theme, Accent::Bad), s.replace_bundled_consequence);
        spoken.push(s.replace_bundled_consequence.to_owned());
        ui.add_space(10.0);
        ui.horizontal(|ui| {
            let cancel = ui.button(s.cancel);
            // Cancel has the focus and carries the whole question, so a screen reader reads what
            // would be replaced before anything can be.
            speech::describe(ui, &cancel, &speech::joined(spoken.iter().map(String::as_str)));
            if widgets::first_pass_of(ui, "faro-replace-bundled") {
                speech::take_focus(ui, &cancel);
            }
            if cancel.clicked() {
                actions.push(Command::CancelPendingPack);
            }
            if ui.button(yes).clicked() {
                actions.push(Command::ReplaceBundled);
            }
        });
    });
    if modal.should_close() && actions.is_empty() {
        actions.push(Command::CancelPendingPack);
    }
    actions
}

/// Each module with the publisher and key it was installed from, for the dialog and notices.
fn owned_modules(shared: &Shared, modules: &[crate::pack::OwnedModule]) -> String {
    let s = shared.strings();
    modules
        .iter()
        .map(|m| {
            s.replace_publisher_module
                .replace("{module}", &m.module_id)
                .replace("{owner}", &m.publisher)
                .replace("{owner_fingerprint}", &m.fingerprint)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// “What trafficking is”, “…”: the modules' titles in `lang`, for messages.
fn module_titles(modules: &[BundledModule], lang: &str) -> String {
    modules.iter().map(|m| format!("\u{201c}{}\u{201d}", m.title.get(lang))).collect::<Vec<_>>().join(", ")
}

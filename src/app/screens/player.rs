//! The module player: pages, scenarios, knowledge checks and the completion screen.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use chrono::Utc;

use crate::app::command::{Command, Request};
use crate::app::images::ImageCache;
use crate::app::shared::Shared;
use crate::app::strings::Strings;
use crate::app::theme::{Accent, accent};
use crate::app::widgets::page::{View, callout, page_ui};
use crate::app::widgets::speech::{self, Urgency};
use crate::app::widgets::{self, markdown};
use crate::catalog;
use crate::format::{Check, Choice, Module, Outcome, QuestionKind, Scenario, Step};
use crate::progress::{Attempt, Event, RunState, ScenarioRun};

/// The module being taken: the player screen's state.
pub struct Player {
    /// Index into the library entries.
    pub entry: usize,
    pub attempt: Attempt,
    /// Answers ticked for multiple-select questions, before they are submitted.
    pub ticked: BTreeMap<String, BTreeSet<String>>,
    /// The signed record of this attempt, once it has ended and been stored.
    pub record: Option<crate::records::SignedRecord>,
    /// Where the certificate was saved, once the learner asked for it.
    pub certificate: Option<PathBuf>,
}

/// What the learner did in the module.
#[derive(Clone, Debug, PartialEq)]
pub enum PlayerAction {
    /// A step of the journey (next, a choice, an answer, a content note read …).
    Journey(Event),
    /// Tick or untick an answer of a multiple-select question.
    Tick {
        question: String,
        answer: String,
    },
    SaveCertificate,
}

type Requests = Vec<Request<PlayerAction>>;

fn journey(event: Event) -> Request<PlayerAction> {
    Request::Screen(PlayerAction::Journey(event))
}

impl Player {
    /// Opens library entry `index` for the current learner: their saved attempt where it left
    /// off, a new attempt, or, for a finished one, its completion screen with the record signed
    /// back then. The module's content note, if any, comes first.
    pub fn open(shared: &Shared, index: usize) -> Option<Self> {
        let Some(Ok(module)) = shared.entries.get(index).map(|e| &e.module) else { return None };
        let lang = &shared.settings.lang;
        let mut attempt = match shared.attempts.get(&module.id) {
            // A finished attempt is shown as its completion screen; "start again" restarts it.
            Some(a) if a.module_version == module.version && a.step < module.steps.len() => {
                let mut a = a.clone();
                // A language the module lacks keeps the attempt's own.
                let _ = a.apply(module, Event::SwitchLanguage(lang.clone()), Utc::now());
                a
            }
            _ => Attempt::new(module, lang, Utc::now()),
        };
        attempt.present_module_note(module);
        let record = match (&attempt.finished, &shared.learner) {
            (Some(finished), Some(learner)) => {
                crate::records::load_learner(&shared.config.data_dir, learner).0.into_iter().find(|r| {
                    r.record.learner_id == *learner
                        && r.record.module_id == module.id
                        && r.record.ended == finished.at
                })
            }
            _ => None,
        };
        Some(Self::showing(index, attempt, record))
    }

    /// The player on `attempt` of library entry `index`.
    pub fn showing(index: usize, attempt: Attempt, record: Option<crate::records::SignedRecord>) -> Self {
        Self { entry: index, attempt, ticked: BTreeMap::new(), record, certificate: None }
    }

    /// Draws the current step of the module being taken.
    pub fn ui(&self, shared: &Shared, images: &mut ImageCache, ui: &mut egui::Ui) -> Requests {
        player_ui(self, shared, images, ui)
    }

    /// Carries out what the learner did; the attempt is saved after every step.
    pub fn apply(&mut self, action: PlayerAction, shared: &mut Shared) {
        match action {
            PlayerAction::Journey(event) => self.journey(event, shared),
            PlayerAction::Tick { question, answer } => {
                let set = self.ticked.entry(question).or_default();
                if !set.remove(&answer) {
                    set.insert(answer);
                }
            }
            PlayerAction::SaveCertificate => self.save_certificate(shared),
        }
    }

    /// Applies one event to the attempt; an attempt that just ended is signed and recorded.
    pub fn journey(&mut self, event: Event, shared: &mut Shared) {
        let Some(Ok(module)) = shared.entries.get(self.entry).map(|e| &e.module) else { return };
        let restart = event == Event::Restart;
        let was_finished = self.attempt.finished.is_some();
        // A refused event (a step not finished, Alt+→ on a content note) changes nothing, and
        // the screen already shows why: there is nothing to tell.
        if self.attempt.apply(module, event, Utc::now()).is_err() {
            return;
        }
        if restart {
            self.ticked.clear();
            self.record = None;
            self.certificate = None;
        }
        if !was_finished && self.attempt.finished.is_some() {
            self.record_finished_attempt(shared);
        }
        shared.save_attempt(&self.attempt);
    }

    /// Signs and stores the record of the attempt that just ended.
    fn record_finished_attempt(&mut self, shared: &mut Shared) {
        // An author's preview is not training: nothing is signed.
        if shared.previewing || !shared.saving(true) {
            return;
        }
        let Some(entry) = shared.entries.get(self.entry) else { return };
        let Ok(module) = &entry.module else { return };
        let Some(profile) = shared.learner.as_deref().and_then(|id| shared.profiles.get(id)) else { return };
        match crate::records::record_attempt(
            &shared.config.data_dir,
            module,
            &entry.dir,
            &self.attempt,
            profile,
        ) {
            Ok(saved) => {
                if let Some(q) = saved.key_notice {
                    shared.notices.push(format!("{}: {}", q.kept_at.display(), q.problem));
                }
                self.record = Some(saved.record);
            }
            Err(e) => shared.notices.push(e.to_string()),
        }
    }

    fn save_certificate(&mut self, shared: &mut Shared) {
        if !shared.saving(true) {
            return;
        }
        let Some(record) = &self.record else { return };
        let code = crate::records::verification_code(record);
        let html = crate::records::certificate_html(record, &shared.settings.lang);
        let path = shared.config.data_dir.root().join("certificates").join(format!(
            "{}-{}.html",
            record.record.module_id,
            code.replace('-', "")
        ));
        match crate::data::store::write_atomic(&path, html.as_bytes()) {
            Ok(()) => self.certificate = Some(path),
            Err(e) => shared.notices.push(e.to_string()),
        }
    }
}

fn player_ui(player: &Player, shared: &Shared, images: &mut ImageCache, ui: &mut egui::Ui) -> Requests {
    let (settings, copied, config) = (&shared.settings, &shared.copied, &shared.config);
    let Some(entry) = shared.entries.get(player.entry) else { return vec![Command::ToLibrary.into()] };
    let Ok(module) = &entry.module else { return vec![Command::ToLibrary.into()] };
    let s = crate::app::strings::strings(&settings.lang);
    let mut view = View { s, lang: &settings.lang, theme: settings.theme, images, module_dir: &entry.dir };
    let mut actions = Vec::new();
    let lang = settings.lang.as_str();

    if player.attempt.module_note_pending
        && let Some(note) = &module.content_note
    {
        widgets::readable_column(ui, |ui| {
            ui.heading(module.title.get(lang));
            content_note_ui(
                &mut view,
                ui,
                note.get(lang),
                false,
                &mut actions,
                journey(Event::ReadModuleNote),
            );
        });
        return actions;
    }
    if player.attempt.finished.is_some() {
        egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
            widgets::readable_column(ui, |ui| {
                completion_ui(&mut view, ui, module, player, config.today, &mut actions)
            });
        });
        return actions;
    }
    let Some(step) = player.attempt.current_step(module) else { return vec![Command::ToLibrary.into()] };

    // The content is drawn before Back/Next, although Back/Next sit below it, so that Tab goes
    // through the content first and a landing offered by the content wins over Next.
    let whole = ui.available_rect_before_wrap();
    let nav_height = 56.0;
    let content_rect = whole.with_max_y((whole.max.y - nav_height).max(whole.min.y));
    let nav_rect = whole.with_min_y(content_rect.max.y);
    let mut next_context = String::new();
    ui.scope_builder(egui::UiBuilder::new().max_rect(content_rect), |ui| {
        egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
            widgets::keyboard_scrolling(ui);
            widgets::readable_column(ui, |ui| {
                ui.label(egui::RichText::new(module.title.get(lang)).small());
                let (n, total) = (player.attempt.step + 1, module.steps.len());
                let label = s.step_of.replace("{n}", &n.to_string()).replace("{total}", &total.to_string());
                let title = step.title().get(lang);
                if let Step::Page(_) = step {
                    // A page has nothing to act on: the focus lands on its title, and Tab or the
                    // arrow keys go on through its blocks to Back and Next.
                    let heading = markdown::title_stop(ui, title);
                    speech::landing(ui, &heading, Some(&label));
                } else {
                    ui.heading(title);
                }
                // One progress bar per step: a bar whose value changed would be read out again.
                let bar = egui::ProgressBar::new(n as f32 / total as f32).text(label.clone());
                let progress = ui.push_id(("faro-progress", n), |ui| ui.add(bar)).inner;
                widgets::progress_value(ui, &progress, n, total);
                ui.add_space(8.0);
                next_context = match step {
                    Step::Page(page) => {
                        for number in page_ui(&mut view, ui, module, page, copied.as_deref()) {
                            actions.push(Command::Copy(number).into());
                        }
                        // Short: the page was read on the way down to Next.
                        format!("{label}: {title}")
                    }
                    Step::Scenario(scenario) => {
                        let said = scenario_ui(&mut view, ui, scenario, player, &mut actions);
                        speech::joined([title, said.as_str()])
                    }
                    Step::Check(check) => {
                        let said = check_ui(&mut view, ui, check, player, &mut actions);
                        speech::joined([title, said.as_str()])
                    }
                };
            });
        });
    });
    ui.scope_builder(egui::UiBuilder::new().max_rect(nav_rect), |ui| {
        ui.separator();
        egui::Frame::new()
            .inner_margin(egui::Margin::symmetric(8, 0))
            .show(ui, |ui| nav_ui(s, settings.theme, ui, module, player, &next_context, &mut actions));
    });
    actions
}

fn nav_ui(
    s: &Strings,
    theme: crate::app::theme::Theme,
    ui: &mut egui::Ui,
    module: &Module,
    player: &Player,
    context: &str,
    actions: &mut Requests,
) {
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        let back = ui.add_enabled(
            player.attempt.step > 0,
            egui::Button::new(s.back).min_size(egui::vec2(110.0, 40.0)),
        );
        if back.on_hover_text(s.back_tooltip).on_disabled_hover_text(s.back_tooltip).clicked() {
            actions.push(journey(Event::Back));
        }
        let last = player.attempt.step + 1 >= module.steps.len();
        let label = if last { s.finish } else { s.next };
        let enabled = player.attempt.can_advance(module);
        // A Next button per step (and per state): a focused button renamed or re-described in
        // place ("Next" becoming "Finish") was read out as stray text before the new step.
        let next = ui
            .push_id(("faro-next", player.attempt.step, enabled), |ui| {
                if enabled {
                    ui.add(crate::app::theme::primary_button(theme, label).min_size(egui::vec2(140.0, 40.0)))
                } else {
                    ui.add_enabled(false, egui::Button::new(label).min_size(egui::vec2(140.0, 40.0)))
                }
            })
            .inner;
        let next = next.on_hover_text(s.next_tooltip).on_disabled_hover_text(s.next_tooltip);
        // When the content offered no place to land (a page, an ended scenario, a finished
        // check), the focus lands here and Next carries what the screen says.
        if enabled {
            speech::landing(ui, &next, Some(context));
        }
        if next.clicked() {
            actions.push(journey(Event::Next));
        }
    });
    ui.add_space(4.0);
}

fn content_note_ui(
    view: &mut View<'_>,
    ui: &mut egui::Ui,
    note: &str,
    skippable: bool,
    actions: &mut Requests,
    proceed: Request<PlayerAction>,
) {
    let s = view.s;
    callout(ui, view.theme, s.content_note, Accent::Note, |ui| view.markdown(ui, note));
    let spoken = speech::joined([s.content_note, markdown::plain_text(ui.ctx(), note).as_str()]);
    speech::announce(ui, "content-note", &spoken, Urgency::Polite);
    ui.add_space(8.0);
    ui.horizontal_wrapped(|ui| {
        let ready = ui
            .add(crate::app::theme::primary_button(view.theme, s.content_note_continue))
            .on_hover_text(s.content_note_continue_tooltip);
        speech::landing(ui, &ready, Some(&spoken));
        if ready.clicked() {
            actions.push(proceed);
        }
        if skippable
            && ui.add(egui::Button::new(s.content_note_skip).min_size(egui::vec2(0.0, 40.0))).clicked()
        {
            actions.push(journey(Event::Skip));
        }
        if ui.add(egui::Button::new(s.content_note_later).min_size(egui::vec2(0.0, 40.0))).clicked() {
            actions.push(Command::ToLibrary.into());
        }
    });
}

/// Draws a scenario; returns what Next should carry when the focus lands there (an ended run).
fn scenario_ui(
    view: &mut View<'_>,
    ui: &mut egui::Ui,
    scenario: &Scenario,
    player: &Player,
    actions: &mut Requests,
) -> String {
    let s = view.s;
    let lang = view.lang.to_owned();
    let Some(run) = player.attempt.scenarios.get(&scenario.id) else { return String::new() };
    if !run.note_acknowledged {
        let note = scenario.content_note.as_ref().map_or("", |n| n.get(&lang));
        content_note_ui(view, ui, note, true, actions, journey(Event::AcknowledgeNote));
        return String::new();
    }
    let last = run.last_choice.as_ref().and_then(|(node, choice)| scenario.node(node)?.choice(choice));
    match &run.state {
        RunState::Critical { .. } => {
            let Some(choice) = last else { return String::new() };
            callout(ui, view.theme, s.unsafe_choice, Accent::Bad, |ui| {
                ui.label(egui::RichText::new(choice.text.get(&lang)).italics());
            });
            if let Some(critical) = &choice.critical {
                ui.add_space(6.0);
                ui.label(egui::RichText::new(s.why_unsafe).strong());
                view.markdown(ui, critical.why.get(&lang));
                ui.add_space(6.0);
                callout(ui, view.theme, s.what_instead, Accent::Good, |ui| {
                    view.markdown(ui, critical.instead.get(&lang))
                });
            }
            ui.add_space(8.0);
            let explanation = choice.critical.as_ref().map_or_else(String::new, |c| {
                speech::joined([
                    s.why_unsafe,
                    markdown::plain_text(ui.ctx(), c.why.get(&lang)).as_str(),
                    s.what_instead,
                    markdown::plain_text(ui.ctx(), c.instead.get(&lang)).as_str(),
                ])
            });
            let spoken = speech::joined([s.unsafe_choice, choice.text.get(&lang), explanation.as_str()]);
            speech::announce(ui, "critical", &spoken, Urgency::Assertive);
            let again = ui.add(crate::app::theme::primary_button(view.theme, s.try_again));
            speech::landing(ui, &again, Some(&spoken));
            if again.clicked() {
                actions.push(journey(Event::RetryScenario));
            }
            String::new()
        }
        RunState::Ended(id) => {
            let feedback = last.and_then(|c| c.feedback.as_ref()).map(|f| f.get(&lang));
            feedback_ui(view, ui, feedback, false);
            let ending = scenario.ending(id);
            let shortfall = run.shortfall(scenario);
            let (line, tone) = match (ending.map(|e| e.outcome), &shortfall) {
                (Some(Outcome::Pass), Some(short)) => (
                    s.outcome_short
                        .replace("{score}", &short.score.to_string())
                        .replace("{needed}", &short.needed.to_string()),
                    Accent::Bad,
                ),
                (Some(Outcome::Pass), None) if run.passed(scenario) => {
                    (s.outcome_pass.to_owned(), Accent::Good)
                }
                (Some(Outcome::Fail), _) => (s.outcome_fail.to_owned(), Accent::Bad),
                _ => (s.outcome_neutral.to_owned(), Accent::Note),
            };
            let mut spoken = vec![s.scenario_ended.to_owned(), line.clone()];
            if let Some(e) = ending {
                spoken.push(markdown::plain_text(ui.ctx(), e.summary.get(&lang)));
            }
            callout(ui, view.theme, s.scenario_ended, tone, |ui| {
                // The verdict comes first, so a pass text reached with too low a score is never
                // read (or spoken) on its own.
                ui.label(egui::RichText::new(line).strong());
                if let Some(e) = ending {
                    view.markdown(ui, e.summary.get(&lang));
                }
                if let Some(short) = shortfall.as_ref().filter(|short| !short.missed.is_empty()) {
                    ui.add_space(6.0);
                    ui.label(egui::RichText::new(s.where_points_missed).strong());
                    for missed in &short.missed {
                        let line = s
                            .missed_choice
                            .replace("{chosen}", missed.chosen.text.get(&lang))
                            .replace("{better}", missed.better.text.get(&lang));
                        ui.label(&line);
                        spoken.push(line);
                    }
                }
            });
            let spoken = speech::joined(
                feedback
                    .map(|f| markdown::plain_text(ui.ctx(), f))
                    .iter()
                    .map(String::as_str)
                    .chain(spoken.iter().map(String::as_str)),
            );
            speech::announce(ui, "ended", &spoken, Urgency::Polite);
            if ui.button(s.retry_scenario).clicked() {
                actions.push(journey(Event::RetryScenario));
            }
            spoken
        }
        // Widgets of their own per node: a screen reader is told of new widgets taking the focus,
        // not of the previous node's widgets renamed (which Orca read out as stray text).
        RunState::InProgress => {
            ui.push_id(("faro-node", run.node.as_str()), |ui| {
                in_progress_ui(view, ui, scenario, run, last, actions)
            })
            .inner
        }
    }
}

/// A scenario moment in progress: the last choice's feedback, the situation, and the choices.
fn in_progress_ui(
    view: &mut View<'_>,
    ui: &mut egui::Ui,
    scenario: &Scenario,
    run: &ScenarioRun,
    last: Option<&Choice>,
    actions: &mut Requests,
) -> String {
    let s = view.s;
    let lang = view.lang.to_owned();
    let feedback = last.and_then(|c| c.feedback.as_ref()).map(|f| f.get(&lang));
    feedback_ui(view, ui, feedback, true);
    let feedback = feedback.map(|f| markdown::plain_text(ui.ctx(), f)).unwrap_or_default();
    if !feedback.is_empty() {
        speech::announce(ui, "feedback", &speech::joined([s.feedback, feedback.as_str()]), Urgency::Polite);
    }
    let Some(node) = scenario.node(&run.node) else { return String::new() };
    view.markdown(ui, node.text.get(&lang));
    if let Some(img) = &node.image {
        view.image(ui, img);
    }
    ui.add_space(8.0);
    let module_choices = node.choices.iter().filter(|c| c.when.as_ref().is_none_or(|w| run.holds(w)));
    // The first choice is where the focus lands when there is no feedback (which lands
    // first, above); it carries the situation, which a screen reader would otherwise
    // never reach.
    let situation = markdown::plain_text(ui.ctx(), node.text.get(&lang));
    for (i, choice) in module_choices.enumerate() {
        let label = format!("{}. {}", i + 1, choice.text.get(&lang));
        let button = egui::Button::new(label).wrap().min_size(egui::vec2(ui.available_width(), 46.0));
        let hint = s.choice_tooltip.replace("{n}", &(i + 1).to_string());
        let response = ui.add(button).on_hover_text(hint);
        if i == 0 {
            speech::landing(ui, &response, Some(&situation));
        }
        if response.clicked() {
            actions.push(journey(Event::Choose(choice.id.clone())));
        }
    }
    String::new()
}

/// The feedback of the last choice. With `land`, its text blocks are keyboard stops and the focus
/// lands on the first: a screen reader reads the feedback before the next choices (Orca reads a
/// focused button's name before its description, so feedback carried by the next choice came
/// after that choice's name).
fn feedback_ui(view: &mut View<'_>, ui: &mut egui::Ui, feedback: Option<&str>, land: bool) {
    if let Some(text) = feedback {
        let text = text.to_owned();
        callout(ui, view.theme, view.s.feedback, Accent::Note, |ui| {
            if !land {
                view.markdown(ui, &text);
            } else if let Some(first) = markdown::show_readable(ui, &text) {
                speech::landing(ui, &first, None);
            }
        });
        ui.add_space(6.0);
    }
}

/// Draws a knowledge check; returns what Next should carry once every question is answered.
fn check_ui(
    view: &mut View<'_>,
    ui: &mut egui::Ui,
    check: &Check,
    player: &Player,
    actions: &mut Requests,
) -> String {
    let s = view.s;
    let lang = view.lang;
    let given = player.attempt.answers.get(&check.id);
    // What the last answer brought (verdict and explanations), spoken once and carried by the
    // next question's first answer, where the focus lands.
    let mut last_verdict = String::new();
    let first_open = check.questions.iter().position(|q| !given.is_some_and(|g| g.contains_key(&q.id)));
    let newly_answered = newly_answered(ui.ctx(), check, given);
    for (qi, q) in check.questions.iter().enumerate() {
        egui::Frame::group(ui.style()).inner_margin(12.0).show(ui, |ui| {
            ui.set_width(ui.available_width());
            let prompt =
                ui.label(egui::RichText::new(format!("{}. {}", qi + 1, q.prompt.get(lang))).strong());
            match given.and_then(|g| g.get(&q.id)) {
                Some(chosen) => {
                    let right = q.is_correct(chosen);
                    let (verdict, tone) =
                        if right { (s.correct, Accent::Good) } else { (s.not_correct, Accent::Bad) };
                    // The verdict and every answer with its explanation are one label, a keyboard
                    // stop: the focus lands on the one just answered, so a screen reader reads
                    // the verdict first (Orca reads a focused label's text), then Tab goes on.
                    let style = ui.style().clone();
                    let mut job = egui::text::LayoutJob::default();
                    let mut add = |text: egui::RichText| {
                        text.append_to(&mut job, &style, egui::FontSelection::Default, egui::Align::LEFT);
                    };
                    add(egui::RichText::new(verdict).strong().color(accent(view.theme, tone)));
                    let mut spoken = vec![format!("{} {}", qi + 1, verdict)];
                    for a in &q.answers {
                        let mut marks = Vec::new();
                        if chosen.contains(&a.id) {
                            marks.push(s.your_answer);
                        }
                        if a.correct {
                            marks.push(s.right_answer);
                        }
                        let suffix =
                            if marks.is_empty() { String::new() } else { format!(" ({})", marks.join(", ")) };
                        let strong = chosen.contains(&a.id) || a.correct;
                        let text = egui::RichText::new(format!("\n{}{suffix}", a.text.get(lang)));
                        add(if strong { text.strong() } else { text });
                        add(egui::RichText::new(format!("\n{}", a.explain.get(lang))).small());
                        if strong {
                            spoken.push(format!("{}{suffix}: {}", a.text.get(lang), a.explain.get(lang)));
                        }
                    }
                    let answered =
                        ui.add(egui::Label::new(job).wrap().sense(egui::Sense::focusable_noninteractive()));
                    if newly_answered.contains(&qi) {
                        speech::landing(ui, &answered, None);
                    }
                    if first_open.is_none_or(|open| qi < open) {
                        last_verdict = speech::joined(spoken.iter().map(String::as_str));
                    }
                }
                None if q.kind == QuestionKind::Multiple => {
                    let ticked = player.ticked.get(&q.id);
                    // The last verdict is not repeated here: its own label was read first.
                    let context = q.prompt.get(lang).to_owned();
                    // The answers form a group named by the question, so each is read with it.
                    speech::group(ui, ui.unique_id(), &prompt, egui::accesskit::Role::Group);
                    for (ai, a) in q.answers.iter().enumerate() {
                        let mut on = ticked.is_some_and(|t| t.contains(&a.id));
                        let response = ui.checkbox(&mut on, a.text.get(lang));
                        if ai == 0 && first_open == Some(qi) {
                            speech::landing(ui, &response, Some(&context));
                        }
                        if response.clicked() {
                            actions.push(Request::Screen(PlayerAction::Tick {
                                question: q.id.clone(),
                                answer: a.id.clone(),
                            }));
                        }
                    }
                    let any = ticked.is_some_and(|t| !t.is_empty());
                    let submit =
                        ui.add_enabled(any, egui::Button::new(format!("{} {}", s.submit_answer, qi + 1)));
                    if submit.clicked()
                        && let Some(t) = ticked
                    {
                        let answers = t.iter().cloned().collect();
                        actions.push(journey(Event::Answer { question: q.id.clone(), answers }));
                    }
                }
                None => {
                    // The last verdict is not repeated here: its own label was read first.
                    let context = q.prompt.get(lang).to_owned();
                    ui.horizontal_wrapped(|ui| {
                        // One choice among the answers: radio buttons in a group named by the
                        // question ("True, radio button, 1 of 2, You should confront…").
                        speech::group(ui, ui.unique_id(), &prompt, egui::accesskit::Role::RadioGroup);
                        for (ai, a) in q.answers.iter().enumerate() {
                            let button =
                                egui::Button::new(a.text.get(lang)).wrap().min_size(egui::vec2(0.0, 38.0));
                            let response = ui.add(button);
                            speech::radio(ui, &response);
                            if ai == 0 && first_open == Some(qi) {
                                speech::landing(ui, &response, Some(&context));
                            }
                            if response.clicked() {
                                let answers = vec![a.id.clone()];
                                actions.push(journey(Event::Answer { question: q.id.clone(), answers }));
                            }
                        }
                    });
                }
            }
        });
        ui.add_space(6.0);
    }
    if first_open.is_none() {
        let (correct, total) = player.attempt.check_score(check);
        let line = s
            .check_score
            .replace("{correct}", &correct.to_string())
            .replace("{total}", &total.to_string())
            .replace("{mark}", &check.pass_mark.to_string());
        ui.label(egui::RichText::new(&line).strong());
        last_verdict = speech::joined([last_verdict.as_str(), line.as_str()]);
    }
    speech::announce(ui, "verdict", &last_verdict, Urgency::Polite);
    if first_open.is_none() { last_verdict } else { String::new() }
}

/// The questions of `check` answered since the last pass (none in the first pass that shows the
/// check): the focus lands on the verdict of the one just answered.
fn newly_answered(
    ctx: &egui::Context,
    check: &Check,
    given: Option<&BTreeMap<String, Vec<String>>>,
) -> Vec<usize> {
    let answered: Vec<usize> = check
        .questions
        .iter()
        .enumerate()
        .filter(|(_, q)| given.is_some_and(|g| g.contains_key(&q.id)))
        .map(|(i, _)| i)
        .collect();
    let key = egui::Id::unique(("faro-answered", check.id.as_str()));
    let pass = ctx.cumulative_pass_nr();
    let before = ctx.data_mut(|d| {
        let before = d.get_temp::<(u64, Vec<usize>)>(key);
        d.insert_temp(key, (pass, answered.clone()));
        before
    });
    match before {
        Some((last, before)) if last + 1 == pass => {
            answered.into_iter().filter(|i| !before.contains(i)).collect()
        }
        _ => Vec::new(),
    }
}

fn completion_ui(
    view: &mut View<'_>,
    ui: &mut egui::Ui,
    module: &Module,
    player: &Player,
    today: chrono::NaiveDate,
    actions: &mut Requests,
) {
    let s = view.s;
    let lang = view.lang;
    let attempt = &player.attempt;
    ui.label(egui::RichText::new(module.title.get(lang)).small());
    ui.heading(s.completion_title);
    let passed = attempt.finished.as_ref().is_some_and(|f| f.passed);
    // The result, spoken when the screen appears and carried by the button the focus lands on.
    let mut spoken: Vec<String> = vec![s.completion_title.to_owned()];
    if passed {
        ui.colored_label(
            accent(view.theme, Accent::Good),
            egui::RichText::new(s.passed_message).size(22.0).strong(),
        );
        spoken.push(s.passed_message.to_owned());
        if let catalog::Status::Passed { valid_until } = catalog::status(module, Some(attempt), today) {
            let line = s.valid_until.replace("{date}", &valid_until.to_string());
            ui.label(&line);
            spoken.push(line);
        }
        if let Some(record) = &player.record {
            ui.label(s.record_saved);
            let code = crate::records::verification_code(record);
            let line = s.verification_code.replace("{code}", &code);
            ui.label(egui::RichText::new(&line).strong());
            spoken.extend([s.record_saved.to_owned(), line]);
            let certificate = ui.add(crate::app::theme::primary_button(view.theme, s.certificate));
            // Once saved, where the certificate went is said first: the button keeps the focus,
            // and Orca speaks a change of the focused button's description.
            let saved = player
                .certificate
                .as_ref()
                .map(|path| s.certificate_saved.replace("{path}", &path.display().to_string()))
                .unwrap_or_default();
            let said =
                speech::joined(std::iter::once(saved.as_str()).chain(spoken.iter().map(String::as_str)));
            speech::landing(ui, &certificate, Some(&said));
            if certificate.clicked() {
                actions.push(Request::Screen(PlayerAction::SaveCertificate));
            }
            if let Some(path) = &player.certificate {
                let shown = path.display().to_string();
                ui.horizontal_wrapped(|ui| {
                    ui.label(s.certificate_saved.replace("{path}", &shown));
                    if ui.button(s.copy_path).clicked() {
                        actions.push(Command::Copy(shown.clone()).into());
                    }
                    // The data folder is not where a learner keeps files: a copy goes where
                    // they choose (a USB stick, their documents).
                    if ui.button(s.certificate_save_copy).clicked() {
                        actions.push(Command::SaveCertificateCopy(path.clone()).into());
                    }
                });
            }
        }
    } else {
        ui.colored_label(
            accent(view.theme, Accent::Bad),
            egui::RichText::new(s.failed_message).size(20.0).strong(),
        );
        spoken.push(s.failed_message.to_owned());
        for id in attempt.review(module) {
            if let Some((_, step)) = module.step(&id) {
                let line = format!("• {}", step.title().get(lang));
                ui.label(&line);
                spoken.push(line);
            }
        }
    }
    let spoken = speech::joined(spoken.iter().map(String::as_str));
    speech::announce(ui, "result", &spoken, Urgency::Polite);
    for step in &module.steps {
        if let Step::Check(c) = step {
            let (correct, total) = attempt.check_score(c);
            let line = s
                .check_score
                .replace("{correct}", &correct.to_string())
                .replace("{total}", &total.to_string())
                .replace("{mark}", &c.pass_mark.to_string());
            ui.label(format!("{}: {line}", c.title.get(lang)));
            let given = attempt.answers.get(&c.id);
            let missed: Vec<_> = c
                .questions
                .iter()
                .filter(|q| !given.and_then(|g| g.get(&q.id)).is_some_and(|a| q.is_correct(a)))
                .collect();
            if !missed.is_empty() {
                ui.label(egui::RichText::new(s.to_review).strong());
                for q in missed {
                    ui.label(format!("• {}", q.prompt.get(lang)));
                }
            }
        }
    }
    ui.label(s.critical_count.replace("{n}", &attempt.critical_count().to_string()));
    ui.add_space(12.0);
    ui.horizontal_wrapped(|ui| {
        if ui.add(egui::Button::new(s.restart_module).min_size(egui::vec2(0.0, 40.0))).clicked() {
            actions.push(journey(Event::Restart));
        }
        let library = ui.add(crate::app::theme::primary_button(view.theme, s.back_to_library));
        // Lands here when there is no certificate to save (the certificate button came first).
        speech::landing(ui, &library, Some(&spoken));
        if library.clicked() {
            actions.push(Command::ToLibrary.into());
        }
    });
}

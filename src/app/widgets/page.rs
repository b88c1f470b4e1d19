//! Drawing module content: Markdown, images, callouts, indicators, contacts, sources.

use std::path::Path;

use crate::app::images::{ImageCache, Shown};
use crate::app::strings::Strings;
use crate::app::theme::{Accent, Theme, accent};
use crate::format::{Block, CalloutKind, Image, Module, Page};

use super::markdown;

/// What content drawing needs from the app, borrowed for one frame.
pub struct View<'a> {
    pub s: &'static Strings,
    pub lang: &'a str,
    pub theme: Theme,
    pub images: &'a mut ImageCache,
    pub module_dir: &'a Path,
}

impl View<'_> {
    /// Markdown text, as whole accessible blocks (see [`super::markdown`]).
    pub fn markdown(&mut self, ui: &mut egui::Ui, text: &str) {
        super::markdown::show(ui, text);
    }

    /// An image, scaled to the column, with its alt text as the accessible label.
    pub fn image(&mut self, ui: &mut egui::Ui, image: &Image) {
        self.image_as(ui, image, false);
    }

    /// An image as [`View::image`]; with `stop`, it and its caption are keyboard stops, so a
    /// screen reader reaches the alt text and the caption on a page.
    fn image_as(&mut self, ui: &mut egui::Ui, image: &Image, stop: bool) {
        let alt = image.alt.get(self.lang).to_owned();
        let path = self.module_dir.join(&image.path);
        match self.images.get(ui.ctx(), &path) {
            Shown::Ready(texture) => {
                let size = texture.size_vec2();
                let width = ui.available_width().min(size.x);
                let scaled = egui::vec2(width, size.y * width / size.x.max(1.0));
                let mut picture = egui::Image::new((texture.id(), scaled)).alt_text(alt.clone());
                if stop {
                    picture = picture.sense(egui::Sense::focusable_noninteractive());
                }
                let response = ui.add(picture);
                markdown::outline_focus(ui, &response);
                response.on_hover_text(alt);
            }
            Shown::Loading => {
                ui.horizontal(|ui| {
                    ui.spinner();
                    markdown::label_as(ui, format!("{} ({alt})", self.s.image_loading), stop);
                });
            }
            Shown::Failed => {
                markdown::label_as(ui, format!("{} ({alt})", self.s.image_failed), stop);
            }
        }
        if let Some(caption) = &image.caption {
            markdown::label_as(ui, egui::RichText::new(caption.get(self.lang)).small(), stop);
        }
    }
}

/// A page's blocks, each a keyboard stop of its own (a paragraph, a list item, a table cell, an
/// image by its alt text, a callout's kind and then its text), so a screen reader can move
/// through the page block by block with Tab or the arrow keys and read one again; returns contact
/// numbers the learner asked to copy.
pub fn page_ui(
    view: &mut View<'_>,
    ui: &mut egui::Ui,
    module: &Module,
    page: &Page,
    copied: Option<&str>,
) -> Vec<String> {
    let mut copy = Vec::new();
    for block in &page.blocks {
        match block {
            Block::Text(t) => {
                markdown::show_readable(ui, t.get(view.lang));
            }
            Block::Image(img) => view.image_as(ui, img, true),
            Block::Callout(c) => {
                let (title, tone) = match c.kind {
                    CalloutKind::Tip => (view.s.tip, Accent::Good),
                    CalloutKind::Warning => (view.s.warning, Accent::Bad),
                    CalloutKind::ContentNote => (view.s.content_note, Accent::Note),
                };
                callout_as(ui, view.theme, title, tone, true, |ui| {
                    markdown::show_readable(ui, c.text.get(view.lang));
                });
            }
            Block::Indicators(list) => {
                egui::Frame::group(ui.style()).inner_margin(10.0).show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    markdown::stop_label(ui, egui::RichText::new(list.title.get(view.lang)).strong());
                    for item in &list.items {
                        ui.horizontal_wrapped(|ui| {
                            ui.label("•");
                            markdown::stop_label(ui, item.get(view.lang));
                        });
                    }
                    markdown::stop_label(ui, egui::RichText::new(view.s.indicators_note).small());
                });
            }
            Block::Contact(card) => {
                copy.extend(super::contact::contact_card_ui(ui, view.s, view.lang, card, copied, None));
            }
            Block::Sources(ids) => {
                ui.add_space(4.0);
                markdown::stop_label(ui, egui::RichText::new(view.s.sources).small().strong());
                for id in ids {
                    if let Some(src) = module.sources.iter().find(|s| &s.id == id) {
                        markdown::stop_label(
                            ui,
                            egui::RichText::new(format!("{} — {}", src.title, src.url)).small(),
                        );
                    }
                }
            }
        }
        ui.add_space(6.0);
    }
    copy
}

/// A tinted box with a title.
pub fn callout(ui: &mut egui::Ui, theme: Theme, title: &str, tone: Accent, add: impl FnOnce(&mut egui::Ui)) {
    callout_as(ui, theme, title, tone, false, add);
}

/// A callout; with `stop` (on a page), its kind ("Important", "Tip") is a keyboard stop before
/// its text, so a screen reader says what kind of box the text is in.
fn callout_as(
    ui: &mut egui::Ui,
    theme: Theme,
    title: &str,
    tone: Accent,
    stop: bool,
    add: impl FnOnce(&mut egui::Ui),
) {
    let color = accent(theme, tone);
    egui::Frame::group(ui.style()).stroke(egui::Stroke::new(2.0, color)).inner_margin(12.0).show(ui, |ui| {
        ui.set_width(ui.available_width());
        markdown::label_as(ui, egui::RichText::new(title).strong().color(color), stop);
        add(ui);
    });
}

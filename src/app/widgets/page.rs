//! Drawing module content: Markdown, images, callouts, indicators, contacts, sources.

use std::path::Path;

use crate::app::images::{ImageCache, Shown};
use crate::app::strings::Strings;
use crate::app::theme::{Accent, Theme, accent};
use crate::format::{Block, CalloutKind, Image, Module, Page};

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
        let alt = image.alt.get(self.lang).to_owned();
        let path = self.module_dir.join(&image.path);
        match self.images.get(ui.ctx(), &path) {
            Shown::Ready(texture) => {
                let size = texture.size_vec2();
                let width = ui.available_width().min(size.x);
                let scaled = egui::vec2(width, size.y * width / size.x.max(1.0));
                let response = ui.add(egui::Image::new((texture.id(), scaled)).alt_text(alt.clone()));
                response.on_hover_text(alt);
            }
            Shown::Loading => {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(self.s.image_loading);
                });
            }
            Shown::Failed => {
                ui.label(format!("{} ({alt})", self.s.image_failed));
            }
        }
        if let Some(caption) = &image.caption {
            ui.small(caption.get(self.lang));
        }
    }
}

/// A page's blocks; returns contact numbers the learner asked to copy.
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
            Block::Text(t) => view.markdown(ui, t.get(view.lang)),
            Block::Image(img) => view.image(ui, img),
            Block::Callout(c) => {
                let (title, tone) = match c.kind {
                    CalloutKind::Tip => (view.s.tip, Accent::Good),
                    CalloutKind::Warning => (view.s.warning, Accent::Bad),
                    CalloutKind::ContentNote => (view.s.content_note, Accent::Note),
                };
                callout(ui, view.theme, title, tone, |ui| view.markdown(ui, c.text.get(view.lang)));
            }
            Block::Indicators(list) => {
                egui::Frame::group(ui.style()).inner_margin(10.0).show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    ui.label(egui::RichText::new(list.title.get(view.lang)).strong());
                    for item in &list.items {
                        ui.horizontal_wrapped(|ui| {
                            ui.label("•");
                            ui.label(item.get(view.lang));
                        });
                    }
                    ui.small(view.s.indicators_note);
                });
            }
            Block::Contact(card) => {
                copy.extend(super::contact::contact_card_ui(ui, view.s, view.lang, card, copied, None));
            }
            Block::Sources(ids) => {
                ui.add_space(4.0);
                ui.small(egui::RichText::new(view.s.sources).strong());
                for id in ids {
                    if let Some(src) = module.sources.iter().find(|s| &s.id == id) {
                        ui.small(format!("{} — {}", src.title, src.url));
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
    let color = accent(theme, tone);
    egui::Frame::group(ui.style()).stroke(egui::Stroke::new(2.0, color)).inner_margin(12.0).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.label(egui::RichText::new(title).strong().color(color));
        add(ui);
    });
}

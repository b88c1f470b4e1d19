//! Module images: decoded lazily on a worker thread, then kept as textures.
//!
//! The UI never blocks on a decode: a missing image shows "loading" and the worker asks for a
//! repaint when it is done, so an idle app stays idle.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};

/// The state of one image.
enum Slot {
    Loading,
    Ready(egui::TextureHandle),
    Failed,
}

/// A decoded image or the reason it could not be decoded.
type Decoded = (PathBuf, Result<egui::ColorImage, String>);

/// Textures for module images, keyed by file path.
pub struct ImageCache {
    slots: HashMap<PathBuf, Slot>,
    sender: Sender<Decoded>,
    receiver: Receiver<Decoded>,
}

/// What to draw for an image right now.
pub enum Shown<'a> {
    Loading,
    Ready(&'a egui::TextureHandle),
    Failed,
}

impl Default for ImageCache {
    fn default() -> Self {
        let (sender, receiver) = channel();
        Self { slots: HashMap::new(), sender, receiver }
    }
}

impl ImageCache {
    /// Collects finished decodes into textures; call once per frame.
    pub fn poll(&mut self, ctx: &egui::Context) {
        while let Ok((path, result)) = self.receiver.try_recv() {
            let slot = match result {
                Ok(image) => {
                    let name = path.to_string_lossy().into_owned();
                    Slot::Ready(ctx.load_texture(name, image, egui::TextureOptions::LINEAR))
                }
                Err(_) => Slot::Failed,
            };
            self.slots.insert(path, slot);
        }
    }

    /// The image at `path`, starting its decode on first request.
    pub fn get(&mut self, ctx: &egui::Context, path: &Path) -> Shown<'_> {
        if !self.slots.contains_key(path) {
            self.slots.insert(path.to_owned(), Slot::Loading);
            let sender = self.sender.clone();
            let ctx = ctx.clone();
            let path = path.to_owned();
            std::thread::spawn(move || {
                let result = crate::validate::decode_image(&path).map(|img| {
                    let rgba = img.to_rgba8();
                    let size = [rgba.width() as usize, rgba.height() as usize];
                    egui::ColorImage::from_rgba_unmultiplied(size, rgba.as_raw())
                });
                // The receiver is gone only when the app is closing.
                let _ = sender.send((path, result));
                ctx.request_repaint();
            });
        }
        match self.slots.get(path) {
            Some(Slot::Ready(t)) => Shown::Ready(t),
            Some(Slot::Failed) => Shown::Failed,
            _ => Shown::Loading,
        }
    }

    /// How many images are decoding, and how many are ready as textures.
    pub fn counts(&self) -> (usize, usize) {
        let loading = self.slots.values().filter(|s| matches!(s, Slot::Loading)).count();
        let ready = self.slots.values().filter(|s| matches!(s, Slot::Ready(_))).count();
        (loading, ready)
    }

    /// Whether any image is still decoding (tests wait for this).
    pub fn pending(&self) -> bool {
        self.slots.values().any(|s| matches!(s, Slot::Loading))
    }
}

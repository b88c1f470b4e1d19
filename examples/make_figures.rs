//! Draws the original figures bundled with Faro's training modules.
//!
//! Every figure is built from hand-written flat shapes (rectangles, circles,
//! rings, polygons, thick lines, arrows) so the artwork is ours and can be
//! regenerated at any time. The figures contain no text: they are shared by
//! the English and Spanish versions of each module, and the alt text in the
//! module files carries the meaning.
//!
//! Shapes are rasterised on a supersampled grid and averaged down, which gives
//! smooth, anti-aliased edges. The output is fully deterministic.
//!
//! Run from the crate root:
//!
//! ```sh
//! cargo run --release --example make_figures
//! ```

#![allow(clippy::unwrap_used, clippy::expect_used)] // a panic here is a failed run, not a crash on a laptop

use std::error::Error;
use std::f32::consts::{PI, TAU};
use std::path::Path;

use image::{DynamicImage, Rgba, RgbaImage};

/// A straight-alpha RGBA colour.
type Color = [u8; 4];

/// A point in figure coordinates (pixels of the final image).
type P = (f32, f32);

/// A function that draws one whole figure.
type Figure = fn() -> Canvas;

/// Builds an opaque colour from a `0xRRGGBB` literal.
const fn rgb(hex: u32) -> Color {
    [(hex >> 16) as u8, (hex >> 8) as u8, hex as u8, 255]
}

/// The same colour with a different opacity.
const fn alpha(c: Color, a: u8) -> Color {
    [c[0], c[1], c[2], a]
}

const BG: Color = rgb(0xF7F4EE);
const TILE: Color = rgb(0xECE6DB);
const WHITE: Color = rgb(0xFFFFFF);
const TEAL: Color = rgb(0x1F6F78);
const TEAL_LIGHT: Color = rgb(0xDCEBEC);
const NAVY: Color = rgb(0x23395B);
const AMBER: Color = rgb(0xE0A458);
const AMBER_DARK: Color = rgb(0xC4863C);
const RED: Color = rgb(0xC0504D);
const GREY: Color = rgb(0x8A8F98);
const GREY_LIGHT: Color = rgb(0xD6D0C4);
const GREEN: Color = rgb(0x5E9B62);
const SOIL: Color = rgb(0x8B6B4A);
const SOIL_DARK: Color = rgb(0x6F5439);

/// Figure size for module illustrations.
const FIG_W: u32 = 960;
const FIG_H: u32 = 540;

// ---------------------------------------------------------------------------
// Geometry predicates
// ---------------------------------------------------------------------------

fn in_circle(p: P, c: P, r: f32) -> bool {
    let (dx, dy) = (p.0 - c.0, p.1 - c.1);
    dx * dx + dy * dy <= r * r
}

fn in_round_rect(p: P, x: f32, y: f32, w: f32, h: f32, r: f32) -> bool {
    let r = r.min(w / 2.0).min(h / 2.0);
    let qx = p.0.clamp(x + r, x + w - r);
    let qy = p.1.clamp(y + r, y + h - r);
    p.0 >= x && p.0 <= x + w && p.1 >= y && p.1 <= y + h && in_circle(p, (qx, qy), r)
}

/// Even-odd point-in-polygon test.
fn in_polygon(p: P, pts: &[P]) -> bool {
    let mut inside = false;
    let mut j = pts.len() - 1;
    for i in 0..pts.len() {
        let (a, b) = (pts[i], pts[j]);
        if (a.1 > p.1) != (b.1 > p.1) && p.0 < (b.0 - a.0) * (p.1 - a.1) / (b.1 - a.1) + a.0 {
            inside = !inside;
        }
        j = i;
    }
    inside
}

fn dist_to_segment(p: P, a: P, b: P) -> f32 {
    let (abx, aby) = (b.0 - a.0, b.1 - a.1);
    let len2 = abx * abx + aby * aby;
    let t = if len2 > 0.0 { (((p.0 - a.0) * abx + (p.1 - a.1) * aby) / len2).clamp(0.0, 1.0) } else { 0.0 };
    let (qx, qy) = (a.0 + t * abx, a.1 + t * aby);
    ((p.0 - qx).powi(2) + (p.1 - qy).powi(2)).sqrt()
}

/// Whether the angle of `p` around `c` lies in the clockwise sweep `a0..a1`
/// (screen coordinates, y down, radians).
fn in_sweep(p: P, c: P, a0: f32, a1: f32) -> bool {
    let ang = (p.1 - c.1).atan2(p.0 - c.0);
    (ang - a0).rem_euclid(TAU) <= a1 - a0
}

fn polar(c: P, r: f32, a: f32) -> P {
    (c.0 + r * a.cos(), c.1 + r * a.sin())
}

fn bounds_of(pts: &[P]) -> [f32; 4] {
    pts.iter().fold([f32::MAX, f32::MAX, f32::MIN, f32::MIN], |b, p| {
        [b[0].min(p.0), b[1].min(p.1), b[2].max(p.0), b[3].max(p.1)]
    })
}

// ---------------------------------------------------------------------------
// Canvas
// ---------------------------------------------------------------------------

/// A supersampled RGBA drawing surface.
struct Canvas {
    img: RgbaImage,
    ss: u32,
    /// Optional circular clip region applied to every shape.
    clip: Option<(P, f32)>,
}

impl Canvas {
    fn new(width: u32, height: u32, ss: u32, background: Color) -> Self {
        let img = RgbaImage::from_pixel(width * ss, height * ss, Rgba(background));
        Canvas { img, ss, clip: None }
    }

    /// Paints `color` over every sample inside `bounds` (x0, y0, x1, y1) for
    /// which `inside` holds. All other shapes are built on this.
    fn fill(&mut self, bounds: [f32; 4], color: Color, inside: impl Fn(P) -> bool) {
        let s = self.ss as f32;
        let (w, h) = self.img.dimensions();
        let x0 = ((bounds[0] * s).floor().max(0.0) as u32).min(w);
        let y0 = ((bounds[1] * s).floor().max(0.0) as u32).min(h);
        let x1 = ((bounds[2] * s).ceil().max(0.0) as u32).min(w);
        let y1 = ((bounds[3] * s).ceil().max(0.0) as u32).min(h);
        let clip = self.clip;
        for sy in y0..y1 {
            for sx in x0..x1 {
                let p = ((sx as f32 + 0.5) / s, (sy as f32 + 0.5) / s);
                if clip.is_some_and(|(c, r)| !in_circle(p, c, r)) || !inside(p) {
                    continue;
                }
                let px = self.img.get_pixel_mut(sx, sy);
                px.0 = blend(px.0, color);
            }
        }
    }

    fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, color: Color) {
        self.fill([x, y, x + w, y + h], color, |_| true);
    }

    fn round_rect(&mut self, x: f32, y: f32, w: f32, h: f32, r: f32, color: Color) {
        self.fill([x, y, x + w, y + h], color, |p| in_round_rect(p, x, y, w, h, r));
    }

    fn circle(&mut self, c: P, r: f32, color: Color) {
        self.fill([c.0 - r, c.1 - r, c.0 + r, c.1 + r], color, |p| in_circle(p, c, r));
    }

    /// A circle outline of centre-line `radius` and stroke `width`.
    fn ring(&mut self, c: P, radius: f32, width: f32, color: Color) {
        self.arc(c, radius, width, 0.0, TAU, color);
    }

    /// Part of a ring, swept clockwise from angle `a0` to `a1`, butt ends.
    fn arc(&mut self, c: P, radius: f32, width: f32, a0: f32, a1: f32, color: Color) {
        let (ri, ro) = (radius - width / 2.0, radius + width / 2.0);
        self.fill([c.0 - ro, c.1 - ro, c.0 + ro, c.1 + ro], color, |p| {
            in_circle(p, c, ro) && !in_circle(p, c, ri) && in_sweep(p, c, a0, a1)
        });
    }

    fn polygon(&mut self, pts: &[P], color: Color) {
        self.fill(bounds_of(pts), color, |p| in_polygon(p, pts));
    }

    /// A polygon with its corners rounded by a stroke of `round` width.
    fn soft_polygon(&mut self, pts: &[P], round: f32, color: Color) {
        self.polygon(pts, color);
        for i in 0..pts.len() {
            self.line(pts[i], pts[(i + 1) % pts.len()], round, color);
        }
    }

    /// A thick line with round caps.
    fn line(&mut self, a: P, b: P, width: f32, color: Color) {
        let r = width / 2.0;
        let bounds = [a.0.min(b.0) - r, a.1.min(b.1) - r, a.0.max(b.0) + r, a.1.max(b.1) + r];
        self.fill(bounds, color, |p| dist_to_segment(p, a, b) <= r);
    }

    /// A thick line with square (butt) ends.
    fn bar(&mut self, a: P, b: P, width: f32, color: Color) {
        let (dx, dy) = unit(a, b);
        let (nx, ny) = (-dy * width / 2.0, dx * width / 2.0);
        let quad = [(a.0 + nx, a.1 + ny), (b.0 + nx, b.1 + ny), (b.0 - nx, b.1 - ny), (a.0 - nx, a.1 - ny)];
        self.polygon(&quad, color);
    }

    /// A dashed line with round-capped dashes.
    fn dashed_line(&mut self, a: P, b: P, width: f32, dash: f32, gap: f32, color: Color) {
        let len = ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt();
        let (dx, dy) = unit(a, b);
        let mut t = 0.0;
        while t < len {
            let e = (t + dash).min(len);
            self.line((a.0 + dx * t, a.1 + dy * t), (a.0 + dx * e, a.1 + dy * e), width, color);
            t += dash + gap;
        }
    }

    /// A straight arrow from `a` to `b` with a triangular head of length `head`.
    fn arrow(&mut self, a: P, b: P, width: f32, head: f32, color: Color) {
        let (dx, dy) = unit(a, b);
        let base = (b.0 - dx * head, b.1 - dy * head);
        let shaft_end = (base.0 + dx * 2.0, base.1 + dy * 2.0);
        self.line(a, shaft_end, width, color);
        let hw = head * 0.62;
        let tri = [b, (base.0 - dy * hw, base.1 + dx * hw), (base.0 + dy * hw, base.1 - dx * hw)];
        self.polygon(&tri, color);
    }

    /// A circular arrow swept clockwise from `a0` to `a1`, head at `a1`.
    fn arc_arrow(&mut self, c: P, radius: f32, width: f32, a0: f32, a1: f32, color: Color) {
        let head = width * 2.6;
        let ab = a1 - head / radius;
        self.arc(c, radius, width, a0, ab + 0.02, color);
        self.circle(polar(c, radius, a0), width / 2.0, color);
        let base = polar(c, radius, ab);
        let (tx, ty) = (-ab.sin(), ab.cos());
        let hw = head * 0.62;
        let tri =
            [(base.0 + tx * head, base.1 + ty * head), polar(c, radius + hw, ab), polar(c, radius - hw, ab)];
        self.polygon(&tri, color);
    }

    /// Averages the supersampled grid down to the final image.
    fn finish(&self) -> RgbaImage {
        let ss = self.ss;
        let (w, h) = (self.img.width() / ss, self.img.height() / ss);
        let n = (ss * ss) as f32;
        RgbaImage::from_fn(w, h, |x, y| {
            let mut acc = [0.0f32; 4];
            for sy in 0..ss {
                for sx in 0..ss {
                    let p = self.img.get_pixel(x * ss + sx, y * ss + sy).0;
                    let a = p[3] as f32 / 255.0;
                    for k in 0..3 {
                        acc[k] += p[k] as f32 * a;
                    }
                    acc[3] += a;
                }
            }
            if acc[3] == 0.0 {
                return Rgba([0, 0, 0, 0]);
            }
            let px = |k: usize| (acc[k] / acc[3]).round().clamp(0.0, 255.0) as u8;
            Rgba([px(0), px(1), px(2), (acc[3] / n * 255.0).round() as u8])
        })
    }
}

/// Straight-alpha "source over" compositing.
fn blend(dst: Color, src: Color) -> Color {
    let sa = src[3] as f32 / 255.0;
    let da = dst[3] as f32 / 255.0;
    let oa = sa + da * (1.0 - sa);
    if oa <= 0.0 {
        return [0, 0, 0, 0];
    }
    let ch = |k: usize| {
        let v = (src[k] as f32 * sa + dst[k] as f32 * da * (1.0 - sa)) / oa;
        v.round().clamp(0.0, 255.0) as u8
    };
    [ch(0), ch(1), ch(2), (oa * 255.0).round() as u8]
}

fn unit(a: P, b: P) -> P {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len = (dx * dx + dy * dy).sqrt().max(f32::EPSILON);
    (dx / len, dy / len)
}

// ---------------------------------------------------------------------------
// Reusable pictograms
// ---------------------------------------------------------------------------

/// A simple standing person: round head over a rounded body, 190 px tall.
fn person(cv: &mut Canvas, cx: f32, top: f32, color: Color) {
    cv.circle((cx, top + 30.0), 30.0, color);
    cv.round_rect(cx - 40.0, top + 70.0, 80.0, 120.0, 32.0, color);
}

/// A smartphone outline with a light screen; returns the screen rectangle.
fn phone(cv: &mut Canvas, cx: f32, cy: f32, w: f32, h: f32, screen: Color) -> [f32; 4] {
    let (x, y) = (cx - w / 2.0, cy - h / 2.0);
    cv.round_rect(x, y, w, h, w * 0.2, NAVY);
    let m = w * 0.11;
    let s = [x + m, y + m * 1.8, w - 2.0 * m, h - m * 4.0];
    cv.round_rect(s[0], s[1], s[2], s[3], m * 0.6, screen);
    cv.circle((cx, y + h - m * 1.1), m * 0.55, GREY_LIGHT);
    s
}

// ---------------------------------------------------------------------------
// Figures
// ---------------------------------------------------------------------------

/// Smuggling vs trafficking. Left: a person beside an arrow that crosses a
/// dashed border and ends at a destination point (the trip ends). Right: a
/// person enclosed by a circular arrow that loops back on itself
/// (exploitation continues). A thin separator divides the halves.
fn smuggling_vs_trafficking() -> Canvas {
    let mut cv = Canvas::new(FIG_W, FIG_H, 3, BG);
    cv.line((480.0, 60.0), (480.0, 480.0), 3.0, GREY_LIGHT);

    // Left: the journey crosses the border and stops.
    cv.dashed_line((265.0, 110.0), (265.0, 430.0), 7.0, 24.0, 16.0, GREY);
    person(&mut cv, 115.0, 175.0, TEAL);
    cv.arrow((180.0, 300.0), (392.0, 300.0), 16.0, 42.0, NAVY);
    cv.circle((428.0, 300.0), 22.0, AMBER);
    cv.circle((428.0, 300.0), 9.0, BG);

    // Right: the exploitation loops back on itself.
    let c = (720.0, 270.0);
    cv.arc_arrow(c, 160.0, 20.0, -1.05, -1.05 + TAU - 0.75, RED);
    person(&mut cv, c.0, c.1 - 95.0, NAVY);
    cv
}

/// Places where indicators can be seen: six rounded tiles in a 3x2 grid with
/// a house (shelter), a bus, a medical cross (clinic), a school with a bell
/// tower, rows of crops on soil (farm) and a phone with chat bubbles (online).
fn indicators_places() -> Canvas {
    let mut cv = Canvas::new(FIG_W, FIG_H, 3, BG);
    let (tw, th, gap) = (260.0, 200.0, 40.0);
    let x0 = (FIG_W as f32 - 3.0 * tw - 2.0 * gap) / 2.0;
    let y0 = (FIG_H as f32 - 2.0 * th - gap) / 2.0;
    let pictos: [fn(&mut Canvas, f32, f32); 6] =
        [house_picto, bus_picto, clinic_picto, school_picto, farm_picto, online_picto];
    for (i, draw) in pictos.iter().enumerate() {
        let x = x0 + (i % 3) as f32 * (tw + gap);
        let y = y0 + (i / 3) as f32 * (th + gap);
        cv.round_rect(x, y, tw, th, 26.0, TILE);
        draw(&mut cv, x + tw / 2.0, y + th / 2.0);
    }
    cv
}

fn house_picto(cv: &mut Canvas, cx: f32, cy: f32) {
    cv.rect(cx + 30.0, cy - 70.0, 20.0, 40.0, NAVY);
    cv.rect(cx - 58.0, cy - 15.0, 116.0, 85.0, TEAL);
    cv.soft_polygon(&[(cx - 80.0, cy - 8.0), (cx, cy - 78.0), (cx + 80.0, cy - 8.0)], 8.0, NAVY);
    cv.round_rect(cx - 16.0, cy + 20.0, 32.0, 50.0, 4.0, AMBER);
    cv.rect(cx + 26.0, cy + 8.0, 22.0, 22.0, TEAL_LIGHT);
    cv.rect(cx - 48.0, cy + 8.0, 22.0, 22.0, TEAL_LIGHT);
}

fn bus_picto(cv: &mut Canvas, cx: f32, cy: f32) {
    cv.round_rect(cx - 95.0, cy - 60.0, 190.0, 105.0, 20.0, AMBER);
    for i in 0..4 {
        let x = cx - 80.0 + i as f32 * 38.0;
        cv.round_rect(x, cy - 46.0, 30.0, 34.0, 5.0, TEAL_LIGHT);
    }
    cv.round_rect(cx + 72.0, cy - 46.0, 12.0, 70.0, 4.0, TEAL_LIGHT);
    cv.rect(cx - 95.0, cy + 2.0, 190.0, 9.0, NAVY);
    for x in [cx - 52.0, cx + 50.0] {
        cv.circle((x, cy + 47.0), 22.0, NAVY);
        cv.circle((x, cy + 47.0), 8.0, GREY_LIGHT);
    }
}

fn clinic_picto(cv: &mut Canvas, cx: f32, cy: f32) {
    cv.circle((cx, cy), 76.0, WHITE);
    cv.ring((cx, cy), 76.0, 8.0, TEAL);
    cv.round_rect(cx - 19.0, cy - 50.0, 38.0, 100.0, 6.0, RED);
    cv.round_rect(cx - 50.0, cy - 19.0, 100.0, 38.0, 6.0, RED);
}

fn school_picto(cv: &mut Canvas, cx: f32, cy: f32) {
    // Bell tower sits behind the roof.
    cv.rect(cx - 20.0, cy - 62.0, 40.0, 45.0, TEAL);
    cv.circle((cx, cy - 42.0), 10.0, AMBER);
    cv.soft_polygon(&[(cx - 28.0, cy - 62.0), (cx, cy - 84.0), (cx + 28.0, cy - 62.0)], 6.0, NAVY);
    cv.rect(cx - 85.0, cy, 170.0, 70.0, AMBER);
    cv.soft_polygon(&[(cx - 100.0, cy + 4.0), (cx, cy - 38.0), (cx + 100.0, cy + 4.0)], 8.0, NAVY);
    cv.round_rect(cx - 15.0, cy + 28.0, 30.0, 42.0, 4.0, NAVY);
    for x in [cx - 66.0, cx + 38.0] {
        cv.rect(x, cy + 20.0, 28.0, 24.0, TEAL_LIGHT);
    }
}

fn farm_picto(cv: &mut Canvas, cx: f32, cy: f32) {
    cv.circle((cx + 68.0, cy - 58.0), 20.0, AMBER);
    cv.round_rect(cx - 100.0, cy - 22.0, 200.0, 96.0, 14.0, SOIL);
    for row in 0..3 {
        let y = cy - 2.0 + row as f32 * 28.0;
        cv.line((cx - 86.0, y + 9.0), (cx + 86.0, y + 9.0), 4.0, SOIL_DARK);
        for col in 0..6 {
            let x = cx - 75.0 + col as f32 * 30.0;
            cv.circle((x - 5.0, y), 8.0, GREEN);
            cv.circle((x + 5.0, y - 3.0), 8.0, GREEN);
        }
    }
}

fn online_picto(cv: &mut Canvas, cx: f32, cy: f32) {
    let s = phone(cv, cx, cy, 92.0, 172.0, TEAL_LIGHT);
    let (x, y) = (s[0] + 8.0, s[1] + 12.0);
    cv.round_rect(x, y, 46.0, 22.0, 8.0, TEAL);
    cv.round_rect(x + 18.0, y + 32.0, 46.0, 22.0, 8.0, AMBER);
    cv.round_rect(x, y + 64.0, 46.0, 22.0, 8.0, TEAL);
}

/// Online grooming as a staircase going down in four steps. On the steps, left
/// to right: a gift box, a speech bubble with a padlock, a phone showing its
/// camera lens, and an amber warning triangle. To the right, an arrow leads to
/// a teal shield with a check mark (reporting).
fn grooming_steps() -> Canvas {
    let mut cv = Canvas::new(FIG_W, FIG_H, 3, BG);
    let (left, step_w, rise, top0, floor) = (50.0, 165.0, 72.0, 215.0, 490.0);
    let shades = [0xDED7CB, 0xD1C9BB, 0xC3BAAA, 0xB5AB99];
    let mut outline = vec![(left, floor), (left, top0)];
    for (i, shade) in shades.iter().enumerate() {
        let x = left + i as f32 * step_w;
        let top = top0 + i as f32 * rise;
        cv.rect(x, top, step_w, floor - top, rgb(*shade));
        outline.push((x + step_w, top));
        outline.push((x + step_w, top + rise));
    }
    outline.pop();
    outline.push((left + 4.0 * step_w, floor));
    for w in outline.windows(2) {
        cv.line(w[0], w[1], 6.0, NAVY);
    }
    cv.line((left, floor), (left + 4.0 * step_w, floor), 6.0, NAVY);

    let icons: [fn(&mut Canvas, f32, f32); 4] =
        [gift_icon, locked_chat_icon, camera_phone_icon, warning_icon];
    for (i, draw) in icons.iter().enumerate() {
        let cx = left + (i as f32 + 0.5) * step_w;
        let bottom = top0 + i as f32 * rise - 14.0;
        draw(&mut cv, cx, bottom);
    }

    cv.arrow((728.0, 384.0), (780.0, 330.0), 12.0, 28.0, TEAL);
    shield(&mut cv, 850.0, 260.0);
    cv
}

/// Icons below are drawn standing on `bottom`, centred on `cx`.
fn gift_icon(cv: &mut Canvas, cx: f32, bottom: f32) {
    cv.rect(cx - 42.0, bottom - 62.0, 84.0, 62.0, AMBER);
    cv.rect(cx - 48.0, bottom - 80.0, 96.0, 20.0, AMBER_DARK);
    cv.rect(cx - 8.0, bottom - 80.0, 16.0, 80.0, RED);
    cv.ring((cx - 15.0, bottom - 92.0), 11.0, 7.0, RED);
    cv.ring((cx + 15.0, bottom - 92.0), 11.0, 7.0, RED);
}

fn locked_chat_icon(cv: &mut Canvas, cx: f32, bottom: f32) {
    let top = bottom - 100.0;
    cv.round_rect(cx - 56.0, top, 112.0, 76.0, 20.0, TEAL);
    cv.polygon(&[(cx - 34.0, top + 70.0), (cx - 42.0, bottom), (cx - 6.0, top + 70.0)], TEAL);
    // Padlock.
    let (lx, ly) = (cx, top + 32.0);
    cv.arc((lx, ly), 12.0, 6.0, PI, TAU, WHITE);
    cv.rect(lx - 15.0, ly, 6.0, 6.0, WHITE);
    cv.rect(lx + 9.0, ly, 6.0, 6.0, WHITE);
    cv.round_rect(lx - 20.0, ly + 4.0, 40.0, 30.0, 5.0, WHITE);
    cv.circle((lx, ly + 16.0), 5.0, NAVY);
    cv.rect(lx - 2.0, ly + 18.0, 4.0, 9.0, NAVY);
}

fn camera_phone_icon(cv: &mut Canvas, cx: f32, bottom: f32) {
    let (w, h) = (68.0, 108.0);
    let (x, y) = (cx - w / 2.0, bottom - h);
    cv.round_rect(x, y, w, h, 14.0, NAVY);
    let lens = (cx, y + 36.0);
    cv.circle(lens, 22.0, GREY_LIGHT);
    cv.circle(lens, 15.0, rgb(0x14213A));
    cv.circle(lens, 8.0, TEAL);
    cv.circle((lens.0 + 5.0, lens.1 - 5.0), 3.5, WHITE);
    cv.circle((x + w - 13.0, y + 13.0), 5.0, AMBER);
}

fn warning_icon(cv: &mut Canvas, cx: f32, bottom: f32) {
    let top = bottom - 98.0;
    cv.soft_polygon(&[(cx, top + 6.0), (cx + 55.0, bottom - 6.0), (cx - 55.0, bottom - 6.0)], 14.0, AMBER);
    cv.polygon(
        &[(cx - 7.0, top + 34.0), (cx + 7.0, top + 34.0), (cx + 4.0, top + 68.0), (cx - 4.0, top + 68.0)],
        NAVY,
    );
    cv.circle((cx, top + 32.0), 7.0, NAVY);
    cv.circle((cx, top + 80.0), 7.0, NAVY);
}

/// A teal shield with a white check mark, centred on (cx, cy).
fn shield(cv: &mut Canvas, cx: f32, cy: f32) {
    let mut pts = vec![(cx - 78.0, cy - 80.0), (cx, cy - 100.0), (cx + 78.0, cy - 80.0)];
    // Right side curves down to the bottom point (quadratic Bézier).
    let (p0, ctrl, p2) = ((cx + 78.0, cy + 5.0), (cx + 72.0, cy + 75.0), (cx, cy + 112.0));
    let curve: Vec<P> = (0..=16)
        .map(|i| {
            let t = i as f32 / 16.0;
            let u = 1.0 - t;
            (
                u * u * p0.0 + 2.0 * u * t * ctrl.0 + t * t * p2.0,
                u * u * p0.1 + 2.0 * u * t * ctrl.1 + t * t * p2.1,
            )
        })
        .collect();
    pts.extend(curve.iter().copied());
    pts.extend(curve.iter().rev().skip(1).map(|p| (2.0 * cx - p.0, p.1)));
    cv.soft_polygon(&pts, 10.0, TEAL);
    cv.line((cx - 36.0, cy + 4.0), (cx - 10.0, cy + 32.0), 17.0, WHITE);
    cv.line((cx - 10.0, cy + 32.0), (cx + 38.0, cy - 24.0), 17.0, WHITE);
}

/// Notice, note, report: three large circles joined by arrows (an eye, a
/// notepad with a pencil, a phone handset), and below them a raised open hand
/// inside a red circle with a diagonal slash (do not confront).
fn notice_note_report() -> Canvas {
    let mut cv = Canvas::new(FIG_W, FIG_H, 3, BG);
    let (cy, r) = (160.0, 92.0);
    let xs = [190.0, 480.0, 770.0];
    for &x in &xs {
        cv.circle((x, cy), r, TEAL_LIGHT);
        cv.ring((x, cy), r - 3.0, 6.0, TEAL);
    }
    for w in xs.windows(2) {
        cv.arrow((w[0] + r + 16.0, cy), (w[1] - r - 12.0, cy), 12.0, 30.0, NAVY);
    }
    eye(&mut cv, (xs[0], cy));
    notepad(&mut cv, (xs[1], cy));
    handset(&mut cv, (xs[2], cy));
    no_confront(&mut cv, (480.0, 405.0));
    cv
}

/// An almond-shaped eye (intersection of two circles) with iris and pupil.
fn eye(cv: &mut Canvas, c: P) {
    let lens = |p: P, grow: f32| {
        in_circle(p, (c.0, c.1 + 42.0), 76.0 + grow) && in_circle(p, (c.0, c.1 - 42.0), 76.0 + grow)
    };
    let b = [c.0 - 80.0, c.1 - 50.0, c.0 + 80.0, c.1 + 50.0];
    cv.fill(b, NAVY, |p| lens(p, 6.0));
    cv.fill(b, WHITE, |p| lens(p, 0.0));
    cv.fill(b, TEAL, |p| lens(p, 0.0) && in_circle(p, c, 27.0));
    cv.circle(c, 13.0, NAVY);
    cv.circle((c.0 + 8.0, c.1 - 8.0), 5.0, WHITE);
}

/// A lined notepad with a pencil leaning on it.
fn notepad(cv: &mut Canvas, c: P) {
    let (x, y, w, h) = (c.0 - 50.0, c.1 - 58.0, 80.0, 112.0);
    cv.round_rect(x - 4.0, y - 4.0, w + 8.0, h + 8.0, 10.0, NAVY);
    cv.round_rect(x, y, w, h, 7.0, WHITE);
    cv.rect(x - 4.0, y - 4.0, w + 8.0, 20.0, AMBER);
    for i in 0..4 {
        let ly = y + 38.0 + i as f32 * 18.0;
        cv.line((x + 12.0, ly), (x + w - 14.0, ly), 4.0, GREY);
    }
    // Pencil: tip at lower left, eraser at upper right.
    let tip = (c.0 + 14.0, c.1 + 46.0);
    let dir = unit(tip, (c.0 + 54.0, c.1 - 50.0));
    let at = |d: f32| (tip.0 + dir.0 * d, tip.1 + dir.1 * d);
    let n = (-dir.1, dir.0);
    let side = |d: f32, k: f32| (at(d).0 + n.0 * k, at(d).1 + n.1 * k);
    cv.bar(at(22.0), at(92.0), 18.0, AMBER_DARK);
    cv.bar(at(92.0), at(106.0), 18.0, RED);
    cv.polygon(&[tip, side(22.0, 9.0), side(22.0, -9.0)], rgb(0xEBD2A8));
    cv.polygon(&[tip, side(8.0, 3.3), side(8.0, -3.3)], NAVY);
}

/// A classic telephone handset: a curved grip with an ear cup at the top left
/// and a mouth cup at the bottom right, both facing up and to the right.
fn handset(cv: &mut Canvas, c: P) {
    // Designed upright with the cups facing +u, centred on u = -27, then
    // turned 45 degrees so the cups face up and to the right.
    let (sin, cos) = (PI / 4.0).sin_cos();
    let origin = (c.0 + 27.0 * cos, c.1 - 27.0 * sin);
    let local = |p: P| {
        let (x, y) = (p.0 - origin.0, p.1 - origin.1);
        (x * cos - y * sin, x * sin + y * cos)
    };
    let (r, w) = (46.0, 22.0);
    let shape = |p: P| {
        let q = local(p);
        let grip =
            in_circle(q, (0.0, 0.0), r + w / 2.0) && !in_circle(q, (0.0, 0.0), r - w / 2.0) && q.0 < -10.0;
        let cup = in_round_rect((q.0, q.1.abs()), -44.0, 30.0, 46.0, 34.0, 15.0);
        grip || cup
    };
    cv.fill([c.0 - 80.0, c.1 - 80.0, c.0 + 80.0, c.1 + 80.0], NAVY, shape);
}

/// A raised open hand inside a red "no" sign.
fn no_confront(cv: &mut Canvas, c: P) {
    let r = 104.0;
    cv.circle(c, r, WHITE);
    // Fingers, thumb, palm and wrist.
    let hand = AMBER;
    for (dx, top) in [(-24.0, -52.0), (-8.0, -64.0), (8.0, -62.0), (24.0, -50.0)] {
        cv.line((c.0 + dx, c.1), (c.0 + dx, c.1 + top), 15.0, hand);
    }
    cv.line((c.0 - 26.0, c.1 + 24.0), (c.0 - 56.0, c.1 - 8.0), 16.0, hand);
    cv.round_rect(c.0 - 32.0, c.1 - 14.0, 64.0, 64.0, 20.0, hand);
    cv.fill([c.0 - 22.0, c.1 + 30.0, c.0 + 22.0, c.1 + r], hand, |p| in_circle(p, c, r - 14.0));
    // Ring and slash.
    cv.ring(c, r - 8.0, 16.0, RED);
    let d = (r - 10.0) * std::f32::consts::FRAC_1_SQRT_2;
    cv.bar((c.0 - d, c.1 - d), (c.0 + d, c.1 + d), 16.0, RED);
}

/// A chain of support: four interlinked rings (the second in amber, the others
/// teal and navy) ending in a heart on the right.
fn chain_of_support() -> Canvas {
    let mut cv = Canvas::new(FIG_W, FIG_H, 3, BG);
    let (cy, r, w, step, x0) = (270.0, 84.0, 22.0, 124.0, 196.0);
    let colors = [TEAL, AMBER, NAVY, TEAL];
    let centres: Vec<P> = (0..4).map(|i| (x0 + i as f32 * step, cy)).collect();
    for (c, color) in centres.iter().zip(colors) {
        cv.ring(*c, r, w, color);
    }
    // Weave each pair: the right ring passes over at the top crossing, the
    // left ring passes over at the bottom one. A thin background halo around
    // the upper band makes the crossing readable.
    let h = (r * r - (step / 2.0) * (step / 2.0)).sqrt();
    for i in 0..3 {
        let mid = (centres[i].0 + centres[i + 1].0) / 2.0;
        for (over, y) in [(i + 1, cy - h), (i, cy + h)] {
            let (x, c, color) = (mid, centres[over], colors[over]);
            let near = |p: P| in_circle(p, (x, y), w * 1.25);
            let b = [x - w * 1.25, y - w * 1.25, x + w * 1.25, y + w * 1.25];
            let band =
                |p: P, grow: f32| in_circle(p, c, r + w / 2.0 + grow) && !in_circle(p, c, r - w / 2.0 - grow);
            cv.fill(b, BG, |p| near(p) && band(p, 6.0));
            cv.fill(b, color, |p| near(p) && band(p, 0.0));
        }
    }
    heart(&mut cv, (centres[3].0 + r + 112.0, cy));
    cv
}

/// A heart made of two circles and a triangle, centred near `c`.
fn heart(cv: &mut Canvas, c: P) {
    let (r, dx, dy) = (40.0, 34.0, -24.0);
    let left = (c.0 - dx, c.1 + dy);
    let right = (c.0 + dx, c.1 + dy);
    cv.circle(left, r, RED);
    cv.circle(right, r, RED);
    // Tangent points on the outer sides, converging on the bottom tip.
    let tip = (c.0, c.1 + 78.0);
    let a = 145f32.to_radians();
    cv.polygon(&[polar(left, r, a), (c.0, c.1 + dy), polar(right, r, PI - a), tip], RED);
}

/// Children on the move: a dashed vertical line down the middle (the border).
/// On each side, a small child figure standing alone, and an arrow from the
/// child to a house with a heart above it (a place of care and protection).
fn children_protection() -> Canvas {
    let mut cv = Canvas::new(FIG_W, FIG_H, 3, BG);
    cv.dashed_line((480.0, 60.0), (480.0, 480.0), 7.0, 24.0, 16.0, GREY);
    let ground = 372.0;
    for (x0, x1) in [(50.0, 440.0), (520.0, 910.0)] {
        cv.line((x0, ground + 4.0), (x1, ground + 4.0), 6.0, GREY_LIGHT);
    }
    // Left side: the child walks right, to the house.
    child(&mut cv, 120.0, ground - 138.0, AMBER_DARK);
    cv.arrow((168.0, 300.0), (262.0, 300.0), 12.0, 30.0, NAVY);
    house_picto(&mut cv, 360.0, 300.0);
    small_heart(&mut cv, (360.0, 150.0), 0.55);
    // Right side: the child walks left, to the house.
    child(&mut cv, 840.0, ground - 138.0, AMBER_DARK);
    cv.arrow((792.0, 300.0), (698.0, 300.0), 12.0, 30.0, NAVY);
    house_picto(&mut cv, 600.0, 300.0);
    small_heart(&mut cv, (600.0, 150.0), 0.55);
    cv
}

/// A small standing child: round head over a rounded body, 138 px tall.
fn child(cv: &mut Canvas, cx: f32, top: f32, color: Color) {
    cv.circle((cx, top + 22.0), 22.0, color);
    cv.round_rect(cx - 28.0, top + 52.0, 56.0, 86.0, 22.0, color);
}

/// The heart of `heart`, scaled by `k` around `c`.
fn small_heart(cv: &mut Canvas, c: P, k: f32) {
    let (r, dx, dy) = (40.0 * k, 34.0 * k, -24.0 * k);
    let left = (c.0 - dx, c.1 + dy);
    let right = (c.0 + dx, c.1 + dy);
    cv.circle(left, r, RED);
    cv.circle(right, r, RED);
    let tip = (c.0, c.1 + 78.0 * k);
    let a = 145f32.to_radians();
    cv.polygon(&[polar(left, r, a), (c.0, c.1 + dy), polar(right, r, PI - a), tip], RED);
}

/// Anything of value: three tiles on the left (a bed, a bowl of food, a
/// phone), each with an arrow into one amber warning triangle in the middle,
/// and from there a teal arrow to a shield with a check mark (report, protect).
fn anything_of_value() -> Canvas {
    let mut cv = Canvas::new(FIG_W, FIG_H, 3, BG);
    let (tx, tw, th) = (70.0, 210.0, 130.0);
    let ys = [45.0, 205.0, 365.0];
    let icons: [fn(&mut Canvas, P); 3] = [bed_icon, bowl_icon, phone_icon];
    let hub = (505.0, 270.0);
    for (&y, draw) in ys.iter().zip(icons) {
        cv.round_rect(tx, y, tw, th, 24.0, TILE);
        draw(&mut cv, (tx + tw / 2.0, y + th / 2.0));
        let from = (tx + tw + 18.0, y + th / 2.0);
        let (dx, dy) = unit(from, hub);
        cv.arrow(from, (hub.0 - dx * 112.0, hub.1 - dy * 112.0), 11.0, 28.0, NAVY);
    }
    cv.circle(hub, 92.0, WHITE);
    cv.ring(hub, 92.0, 8.0, AMBER_DARK);
    warning_icon(&mut cv, hub.0, hub.1 + 52.0);
    cv.arrow((hub.0 + 110.0, hub.1), (hub.0 + 220.0, hub.1), 12.0, 30.0, TEAL);
    shield(&mut cv, 825.0, 262.0);
    cv
}

/// A bed seen from the side: headboard, mattress, pillow, blanket and legs.
fn bed_icon(cv: &mut Canvas, c: P) {
    let (x0, x1, top) = (c.0 - 78.0, c.0 + 78.0, c.1 - 8.0);
    cv.round_rect(x0, c.1 - 46.0, 16.0, 88.0, 6.0, NAVY);
    cv.round_rect(x0 + 12.0, top, x1 - x0 - 12.0, 26.0, 8.0, TEAL);
    cv.round_rect(x0 + 20.0, top - 22.0, 44.0, 24.0, 10.0, WHITE);
    cv.round_rect(x0 + 60.0, top - 12.0, x1 - x0 - 60.0, 30.0, 10.0, AMBER);
    cv.rect(x0 + 12.0, top + 24.0, x1 - x0 - 12.0, 10.0, NAVY);
    cv.rect(x1 - 12.0, top + 30.0, 10.0, 20.0, NAVY);
    cv.rect(x0 + 2.0, top + 30.0, 10.0, 20.0, NAVY);
}

/// A bowl of food with three wisps of steam.
fn bowl_icon(cv: &mut Canvas, c: P) {
    let (bc, r) = ((c.0, c.1 + 2.0), 58.0);
    cv.fill([bc.0 - 40.0, bc.1 - 26.0, bc.0 + 40.0, bc.1 + 4.0], AMBER, |p| {
        in_circle(p, (bc.0, bc.1 + 12.0), 40.0) && p.1 <= bc.1
    });
    cv.fill([bc.0 - r, bc.1, bc.0 + r, bc.1 + r], TEAL, |p| in_circle(p, bc, r) && p.1 >= bc.1);
    cv.round_rect(bc.0 - r - 6.0, bc.1 - 4.0, 2.0 * r + 12.0, 10.0, 5.0, NAVY);
    cv.round_rect(bc.0 - 20.0, bc.1 + r - 6.0, 40.0, 10.0, 4.0, NAVY);
    for dx in [-22.0, 0.0, 22.0] {
        let x = bc.0 + dx;
        cv.line((x, bc.1 - 34.0), (x - 6.0, bc.1 - 46.0), 5.0, GREY);
        cv.line((x - 6.0, bc.1 - 46.0), (x, bc.1 - 58.0), 5.0, GREY);
    }
}

/// A smartphone with two chat bubbles on its screen.
fn phone_icon(cv: &mut Canvas, c: P) {
    let s = phone(cv, c.0, c.1, 62.0, 110.0, TEAL_LIGHT);
    cv.round_rect(s[0] + 5.0, s[1] + 8.0, 30.0, 14.0, 6.0, TEAL);
    cv.round_rect(s[0] + s[2] - 35.0, s[1] + 30.0, 30.0, 14.0, 6.0, AMBER);
}

/// The app icon (256x256): a striped lighthouse with a lamp room and two light
/// beams on a navy disc, with a teal sea and a grey rock at the base.
fn faro_icon() -> Canvas {
    let mut cv = Canvas::new(256, 256, 4, [0, 0, 0, 0]);
    let c = (128.0, 128.0);
    cv.circle(c, 124.0, NAVY);
    cv.clip = Some((c, 124.0));

    let lamp = (128.0, 84.0);
    let beam = alpha(rgb(0xF8E2A6), 215);
    cv.polygon(&[lamp, (0.0, 40.0), (0.0, 104.0)], beam);
    cv.polygon(&[lamp, (256.0, 40.0), (256.0, 104.0)], beam);
    cv.rect(0.0, 206.0, 256.0, 50.0, TEAL);

    let tower = [(110.0, 104.0), (146.0, 104.0), (160.0, 204.0), (96.0, 204.0)];
    cv.polygon(&tower, WHITE);
    for (y0, y1) in [(124.0, 144.0), (164.0, 184.0)] {
        cv.fill(bounds_of(&tower), RED, |p| in_polygon(p, &tower) && p.1 >= y0 && p.1 < y1);
    }
    cv.round_rect(117.0, 186.0, 22.0, 18.0, 4.0, NAVY);
    cv.round_rect(78.0, 198.0, 100.0, 20.0, 10.0, GREY);
    cv.round_rect(100.0, 98.0, 56.0, 9.0, 3.0, GREY_LIGHT);
    cv.rect(113.0, 72.0, 30.0, 26.0, rgb(0xF6DDA8));
    cv.rect(126.0, 72.0, 4.0, 26.0, AMBER_DARK);
    cv.soft_polygon(&[(108.0, 72.0), (128.0, 54.0), (148.0, 72.0)], 4.0, RED);
    cv.circle((128.0, 51.0), 4.0, RED);
    cv
}

// ---------------------------------------------------------------------------

fn save(root: &Path, rel: &str, img: DynamicImage) -> Result<(), Box<dyn Error>> {
    let path = root.join(rel);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    img.save(&path)?;
    println!("wrote {}", path.display());
    Ok(())
}

fn main() -> Result<(), Box<dyn Error>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let figures: &[(&str, Figure)] = &[
        ("modules/01-what-is-trafficking/images/smuggling-vs-trafficking.png", smuggling_vs_trafficking),
        ("modules/02-recognizing-indicators/images/indicators-places.png", indicators_places),
        ("modules/03-online-grooming/images/grooming-steps.png", grooming_steps),
        ("modules/04-responding-safely/images/notice-note-report.png", notice_note_report),
        ("modules/05-supporting-survivors/images/chain-of-support.png", chain_of_support),
        ("modules/06-trading-to-survive/images/anything-of-value.png", anything_of_value),
        ("modules/07-children-on-the-move/images/children-protection.png", children_protection),
    ];
    for &(rel, draw) in figures {
        let rgb = DynamicImage::ImageRgba8(draw().finish()).to_rgb8();
        save(root, rel, DynamicImage::ImageRgb8(rgb))?;
    }
    save(root, "assets/faro-icon.png", DynamicImage::ImageRgba8(faro_icon().finish()))?;
    Ok(())
}

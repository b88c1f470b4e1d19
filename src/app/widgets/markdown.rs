//! Module Markdown, drawn so a screen reader gets whole blocks: a paragraph is one label (its
//! bold and italic runs inside it), a heading has the heading role and its level, a list is a list
//! of list items, a table a table of rows and cells, and no empty or line-break labels are made.
//! (egui_commonmark, used before, made a label per run of text: a paragraph was read in pieces,
//! with empty labels between them.) Bullets, numbers and rules are painted, not widgets, so they
//! add nothing to the accessibility tree; the list structure says the same thing.
//!
//! The parser is pulldown-cmark with tables. A text is parsed once while it stays on screen (an
//! egui frame cache), for drawing and for the plain text a screen reader is given.

use std::sync::Arc;

use egui::accesskit::Role;
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

/// A run of text with one style.
#[derive(Clone, Debug, Default, PartialEq)]
struct Span {
    text: String,
    strong: bool,
    emphasis: bool,
    code: bool,
    /// Shown but not spoken: a link's address after its text.
    address: bool,
}

/// A block of a Markdown text.
#[derive(Clone, Debug, PartialEq)]
enum Block {
    Paragraph(Vec<Span>),
    Heading(usize, Vec<Span>),
    List { first_number: Option<u64>, items: Vec<Vec<Block>> },
    Table { head: Vec<Vec<Span>>, rows: Vec<Vec<Vec<Span>>> },
    Quote(Vec<Block>),
    Code(String),
    Rule,
}

/// Draws `markdown` in `ui`.
pub fn show(ui: &mut egui::Ui, markdown: &str) {
    let blocks = parsed(ui.ctx(), markdown);
    blocks_ui(ui, &blocks, &mut Stops::default());
}

/// Draws `markdown` in `ui` with each text block (paragraph, heading, list item's text, table
/// cell) a keyboard stop of its own, so Tab reaches it and a screen reader reads it (Orca reads a
/// focused label's text); returns the first block, for the focus to land on.
pub fn show_readable(ui: &mut egui::Ui, markdown: &str) -> Option<egui::Response> {
    let blocks = parsed(ui.ctx(), markdown);
    let mut stops = Stops { focusable: true, first: None };
    blocks_ui(ui, &blocks, &mut stops);
    stops.first
}

/// Whether text blocks take the keyboard focus, and the first one drawn.
#[derive(Default)]
struct Stops {
    focusable: bool,
    first: Option<egui::Response>,
}

impl Stops {
    /// Adds one block's text as a label (a keyboard stop when asked for).
    fn label(&mut self, ui: &mut egui::Ui, text: impl Into<egui::WidgetText>) -> egui::Response {
        let response = label_as(ui, text, self.focusable);
        if self.focusable && self.first.is_none() {
            self.first = Some(response.clone());
        }
        response
    }
}

/// A wrapped label that Tab and the arrow keys stop on, so a screen reader reads it when it is
/// reached; it is outlined while it has the focus, for those who follow the focus by sight.
pub fn stop_label(ui: &mut egui::Ui, text: impl Into<egui::WidgetText>) -> egui::Response {
    let response = ui.add(egui::Label::new(text).wrap().sense(egui::Sense::focusable_noninteractive()));
    outline_focus(ui, &response);
    response
}

/// A wrapped label, a keyboard stop (see [`stop_label`]) when `stop` is set.
pub fn label_as(ui: &mut egui::Ui, text: impl Into<egui::WidgetText>, stop: bool) -> egui::Response {
    if stop { stop_label(ui, text) } else { ui.add(egui::Label::new(text).wrap()) }
}

/// A page's title: a keyboard stop where the focus lands on a new page, drawn as a heading. Not a
/// label: egui underlines a focused label, and a title underlined on every page looks like a link.
pub fn title_stop(ui: &mut egui::Ui, title: &str) -> egui::Response {
    let text = egui::WidgetText::from(egui::RichText::new(title).heading());
    let width = ui.available_width();
    let galley = text.into_galley(ui, Some(egui::TextWrapMode::Wrap), width, egui::TextStyle::Heading);
    let (rect, response) = ui.allocate_exact_size(galley.size(), egui::Sense::focusable_noninteractive());
    response.widget_info(|| egui::WidgetInfo::labeled(Role::Label, true, title));
    super::speech::heading(ui, &response, title, 1);
    ui.painter().galley(rect.min, galley, ui.visuals().text_color());
    outline_focus(ui, &response);
    response
}

/// Egui temporary-memory key: whether the last input was from the keyboard.
const KEYBOARD_LAST: &str = "faro-keyboard-last";

/// Notes, at the end of a pass, whether the keyboard or the pointer was used last, so the focus
/// outline shows for those who move with the keyboard and not after every click (the focus lands
/// on a page's title after a click on Next too).
pub fn track_focus_visibility(ctx: &egui::Context) {
    let last = ctx.input(|i| {
        i.events.iter().rev().find_map(|event| match event {
            egui::Event::Key { pressed: true, .. } => Some(true),
            egui::Event::PointerButton { pressed: true, .. } => Some(false),
            _ => None,
        })
    });
    if let Some(keyboard) = last {
        ctx.data_mut(|d| d.insert_temp(egui::Id::unique(KEYBOARD_LAST), keyboard));
    }
}

/// Outlines a widget that has the keyboard focus and draws no focus of its own (a label, an
/// image), when the keyboard was used last.
pub fn outline_focus(ui: &egui::Ui, response: &egui::Response) {
    let keyboard = ui.ctx().data(|d| d.get_temp::<bool>(egui::Id::unique(KEYBOARD_LAST))).unwrap_or(true);
    if response.has_focus() && keyboard {
        let stroke = egui::Stroke::new(2.0, ui.visuals().selection.stroke.color);
        ui.painter().rect_stroke(response.rect.expand(3.0), 3.0, stroke, egui::StrokeKind::Outside);
    }
}

/// `markdown` as plain text for speech: emphasis, heading marks and link addresses dropped, list
/// items ("• …"), paragraphs and table rows ("cell; cell; ") each on their own line.
pub fn plain_text(ctx: &egui::Context, markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    blocks_text(&parsed(ctx, markdown), &mut out);
    out.trim().to_owned()
}

/// Parses Markdown for the frame cache.
#[derive(Default)]
struct ParseMarkdown;

impl egui::cache::ComputerMut<&str, Arc<Vec<Block>>> for ParseMarkdown {
    fn compute(&mut self, markdown: &str) -> Arc<Vec<Block>> {
        Arc::new(parse(markdown))
    }
}

/// The blocks of `markdown`, parsed once while the text stays on screen.
fn parsed(ctx: &egui::Context, markdown: &str) -> Arc<Vec<Block>> {
    type Parsed = egui::cache::FrameCache<Arc<Vec<Block>>, ParseMarkdown>;
    ctx.memory_mut(|m| Arc::clone(m.caches.cache::<Parsed>().get(markdown)))
}

fn blocks_text(blocks: &[Block], out: &mut String) {
    let spoken = |spans: &[Span], out: &mut String| {
        spans.iter().filter(|s| !s.address).for_each(|s| out.push_str(&s.text));
    };
    for block in blocks {
        match block {
            Block::Paragraph(spans) | Block::Heading(_, spans) => {
                spoken(spans, out);
                out.push('\n');
            }
            Block::List { items, .. } => {
                for item in items {
                    out.push_str("• ");
                    let mut text = String::new();
                    blocks_text(item, &mut text);
                    out.push_str(text.trim());
                    out.push('\n');
                }
            }
            Block::Table { head, rows } => {
                for row in std::iter::once(head).chain(rows).filter(|r| !r.is_empty()) {
                    for cell in row {
                        spoken(cell, out);
                        out.push_str("; ");
                    }
                    out.push('\n');
                }
            }
            Block::Quote(inner) => blocks_text(inner, out),
            Block::Code(code) => {
                out.push_str(code);
                out.push('\n');
            }
            Block::Rule => {}
        }
    }
}

fn parse(markdown: &str) -> Vec<Block> {
    let mut events = Parser::new_ext(markdown, crate::validate::markdown_options());
    blocks_until(&mut events, None, 0)
}

/// How deeply quotes and list items become nested blocks; past it their content is drawn flat,
/// at the depth reached. Parsing and drawing recurse once per level, so without this a text of
/// thousands of `>` (4 KB) overflowed the stack and aborted the app (issue 26). The validator
/// refuses such texts; this keeps a text that was never validated from crashing anything.
const MAX_DRAWN_DEPTH: usize = crate::format::limits::MAX_MARKDOWN_BLOCK_DEPTH;

/// Inline runs being gathered, with the styles open at this point.
#[derive(Default)]
struct Inlines {
    spans: Vec<Span>,
    strong: usize,
    emphasis: usize,
    link: Vec<String>,
}

impl Inlines {
    fn push(&mut self, text: &str, code: bool) {
        let (strong, emphasis) = (self.strong > 0, self.emphasis > 0);
        match self.spans.last_mut() {
            Some(last)
                if last.strong == strong
                    && last.emphasis == emphasis
                    && last.code == code
                    && !last.address =>
            {
                last.text.push_str(text)
            }
            _ => self.spans.push(Span { text: text.to_owned(), strong, emphasis, code, address: false }),
        }
    }

    /// Takes an inline event; false for anything else.
    fn feed(&mut self, event: &Event<'_>) -> bool {
        match event {
            Event::Text(t) => self.push(t, false),
            Event::Code(t) => self.push(t, true),
            Event::SoftBreak => self.push(" ", false),
            Event::HardBreak => self.push("\n", false),
            Event::Start(Tag::Strong) => self.strong += 1,
            Event::End(TagEnd::Strong) => self.strong = self.strong.saturating_sub(1),
            Event::Start(Tag::Emphasis) => self.emphasis += 1,
            Event::End(TagEnd::Emphasis) => self.emphasis = self.emphasis.saturating_sub(1),
            Event::Start(Tag::Strikethrough) | Event::End(TagEnd::Strikethrough) => {}
            Event::Start(Tag::Link { dest_url, .. }) => self.link.push(dest_url.to_string()),
            // Faro works offline and opens no links: the address is shown after the text.
            Event::End(TagEnd::Link) => {
                if let Some(url) = self.link.pop().filter(|u| !u.is_empty()) {
                    let (strong, emphasis) = (self.strong > 0, self.emphasis > 0);
                    let text = format!(" ({url})");
                    self.spans.push(Span { text, strong, emphasis, code: false, address: true });
                }
            }
            Event::InlineHtml(t) | Event::Html(t) => self.push(t, false),
            _ => return false,
        }
        true
    }

    fn take(&mut self) -> Vec<Span> {
        let mut spans = std::mem::take(&mut self.spans);
        // Leading and trailing blanks would be read as nothing, or drawn as an empty line.
        if let Some(first) = spans.first_mut() {
            first.text = first.text.trim_start().to_owned();
        }
        if let Some(last) = spans.last_mut() {
            last.text = last.text.trim_end().to_owned();
        }
        spans.retain(|s| !s.text.is_empty());
        spans
    }
}

/// Blocks up to the end tag `until` (or the end of the text), `depth` containers down. Text
/// directly inside a block container (a tight list's items) becomes a paragraph. At
/// [`MAX_DRAWN_DEPTH`] quotes and lists open no further level: their blocks join this one.
fn blocks_until(events: &mut Parser<'_>, until: Option<TagEnd>, depth: usize) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut loose = Inlines::default();
    let flush = |loose: &mut Inlines, blocks: &mut Vec<Block>| {
        let spans = loose.take();
        if !spans.is_empty() {
            blocks.push(Block::Paragraph(spans));
        }
    };
    let deepest = depth >= MAX_DRAWN_DEPTH;
    // Containers opened past the deepest level and not yet closed: their end tags close them,
    // not this level.
    let mut flattened = 0usize;
    while let Some(event) = events.next() {
        if loose.feed(&event) {
            continue;
        }
        match event {
            Event::Start(Tag::BlockQuote(_) | Tag::List(_) | Tag::Item) if deepest => {
                flush(&mut loose, &mut blocks);
                flattened += 1;
            }
            Event::End(TagEnd::BlockQuote(_) | TagEnd::List(_) | TagEnd::Item) if flattened > 0 => {
                flush(&mut loose, &mut blocks);
                flattened -= 1;
            }
            Event::End(end) if Some(end) == until => break,
            Event::Start(Tag::Paragraph) => {
                flush(&mut loose, &mut blocks);
                let spans = inlines_until(events, TagEnd::Paragraph);
                if !spans.is_empty() {
                    blocks.push(Block::Paragraph(spans));
                }
            }
            Event::Start(Tag::Heading { level, .. }) => {
                flush(&mut loose, &mut blocks);
                blocks.push(Block::Heading(
                    heading_level(level),
                    inlines_until(events, TagEnd::Heading(level)),
                ));
            }
            Event::Start(Tag::List(first_number)) => {
                flush(&mut loose, &mut blocks);
                let mut items = Vec::new();
                while let Some(event) = events.next() {
                    match event {
                        Event::Start(Tag::Item) => {
                            items.push(blocks_until(events, Some(TagEnd::Item), depth + 1))
                        }
                        Event::End(TagEnd::List(_)) => break,
                        _ => {}
                    }
                }
                blocks.push(Block::List { first_number, items });
            }
            Event::Start(Tag::Table(_)) => {
                flush(&mut loose, &mut blocks);
                let (mut head, mut rows) = (Vec::new(), Vec::new());
                let mut row: Vec<Vec<Span>> = Vec::new();
                while let Some(event) = events.next() {
                    match event {
                        Event::Start(Tag::TableCell) => row.push(inlines_until(events, TagEnd::TableCell)),
                        Event::End(TagEnd::TableHead) => head = std::mem::take(&mut row),
                        Event::End(TagEnd::TableRow) => rows.push(std::mem::take(&mut row)),
                        Event::End(TagEnd::Table) => break,
                        _ => {}
                    }
                }
                blocks.push(Block::Table { head, rows });
            }
            Event::Start(Tag::BlockQuote(_)) => {
                flush(&mut loose, &mut blocks);
                blocks.push(Block::Quote(blocks_until(events, Some(TagEnd::BlockQuote(None)), depth + 1)));
            }
            Event::Start(Tag::CodeBlock(_)) => {
                flush(&mut loose, &mut blocks);
                let mut code = String::new();
                for event in events.by_ref() {
                    match event {
                        Event::Text(t) => code.push_str(&t),
                        Event::End(TagEnd::CodeBlock) => break,
                        _ => {}
                    }
                }
                blocks.push(Block::Code(code.trim_end().to_owned()));
            }
            Event::Rule => {
                flush(&mut loose, &mut blocks);
                blocks.push(Block::Rule);
            }
            _ => {}
        }
    }
    flush(&mut loose, &mut blocks);
    blocks
}

fn inlines_until(events: &mut Parser<'_>, end: TagEnd) -> Vec<Span> {
    let mut inlines = Inlines::default();
    for event in events.by_ref() {
        if matches!(&event, Event::End(e) if *e == end) {
            break;
        }
        inlines.feed(&event);
    }
    inlines.take()
}

/// pulldown-cmark numbers its levels 1 to 6.
fn heading_level(level: HeadingLevel) -> usize {
    level as usize
}

// ---------------------------------------------------------------------------------------------
// drawing

fn blocks_ui(ui: &mut egui::Ui, blocks: &[Block], stops: &mut Stops) {
    for (i, block) in blocks.iter().enumerate() {
        if i > 0 {
            ui.add_space(6.0);
        }
        block_ui(ui, block, stops);
    }
}

fn block_ui(ui: &mut egui::Ui, block: &Block, stops: &mut Stops) {
    match block {
        Block::Paragraph(spans) => {
            let text = job(ui, spans, 1.0, false);
            stops.label(ui, text);
        }
        Block::Heading(level, spans) => {
            let scale = match level {
                1 => 1.45,
                2 => 1.3,
                3 => 1.15,
                _ => 1.05,
            };
            ui.add_space(4.0);
            let text = job(ui, spans, scale, true);
            let response = stops.label(ui, text);
            let name: String = spans.iter().map(|s| s.text.as_str()).collect();
            super::speech::heading(ui, &response, &name, *level);
        }
        Block::List { first_number, items } => {
            let list = ui.scope(|ui| {
                for (i, item) in items.iter().enumerate() {
                    let marker = match first_number {
                        Some(n) => format!("{}.", n + i as u64),
                        None => "•".to_owned(),
                    };
                    let item_ui = ui.horizontal_top(|ui| {
                        let font = egui::TextStyle::Body.resolve(ui.style());
                        let (rect, _) =
                            ui.allocate_exact_size(egui::vec2(22.0, font.size), egui::Sense::hover());
                        let colour = ui.visuals().text_color();
                        ui.painter().text(rect.right_top(), egui::Align2::RIGHT_TOP, marker, font, colour);
                        ui.vertical(|ui| blocks_ui(ui, item, stops));
                        ui.unique_id()
                    });
                    set_role(ui, item_ui.inner, Role::ListItem);
                }
                ui.unique_id()
            });
            set_role(ui, list.inner, Role::List);
        }
        Block::Table { head, rows } => {
            let columns = head.len().max(rows.iter().map(Vec::len).max().unwrap_or(0)).max(1);
            let spacing = ui.spacing().item_spacing.x;
            let width =
                ((ui.available_width() - spacing * (columns as f32 - 1.0)) / columns as f32).max(40.0);
            let table = ui.scope(|ui| {
                let mut row_ui = |ui: &mut egui::Ui, cells: &[Vec<Span>], header: bool| {
                    let row = ui.horizontal_top(|ui| {
                        for cell in cells {
                            let cell_ui = ui.allocate_ui(egui::vec2(width, 0.0), |ui| {
                                ui.set_width(width);
                                // An empty cell (a table's corner) is a cell with no label in
                                // it, not an empty label.
                                if !cell.is_empty() {
                                    let text = job(ui, cell, 1.0, header);
                                    stops.label(ui, text);
                                }
                                ui.unique_id()
                            });
                            set_role(ui, cell_ui.inner, if header { Role::ColumnHeader } else { Role::Cell });
                        }
                        ui.unique_id()
                    });
                    set_role(ui, row.inner, Role::Row);
                };
                if !head.is_empty() {
                    row_ui(ui, head, true);
                    let y = ui.cursor().top() + 1.0;
                    let x = ui.max_rect().x_range();
                    ui.painter().hline(x, y, ui.visuals().widgets.noninteractive.bg_stroke);
                    ui.add_space(4.0);
                }
                for row in rows {
                    row_ui(ui, row, false);
                }
                ui.unique_id()
            });
            set_role(ui, table.inner, Role::Table);
        }
        Block::Quote(inner) => {
            ui.horizontal_top(|ui| {
                let (rect, _) = ui.allocate_exact_size(egui::vec2(10.0, 0.0), egui::Sense::hover());
                let stroke = ui.visuals().widgets.noninteractive.bg_stroke;
                let response = ui.vertical(|ui| blocks_ui(ui, inner, stops)).response;
                ui.painter().vline(
                    rect.center().x,
                    response.rect.y_range(),
                    egui::Stroke::new(3.0, stroke.color),
                );
            });
        }
        Block::Code(code) => {
            stops.label(ui, egui::RichText::new(code).monospace());
        }
        Block::Rule => {
            let y = ui.cursor().top() + 4.0;
            ui.painter().hline(ui.max_rect().x_range(), y, ui.visuals().widgets.noninteractive.bg_stroke);
            ui.add_space(8.0);
        }
    }
}

/// The runs of one block as a single text layout: one label, read whole.
fn job(ui: &egui::Ui, spans: &[Span], scale: f32, strong: bool) -> egui::text::LayoutJob {
    let style = ui.style();
    let body = egui::TextStyle::Body.resolve(style);
    let mono = egui::TextStyle::Monospace.resolve(style);
    let visuals = ui.visuals();
    let mut job = egui::text::LayoutJob::default();
    for span in spans {
        let font = if span.code {
            egui::FontId::new(mono.size * scale, mono.family.clone())
        } else {
            egui::FontId::new(body.size * scale, body.family.clone())
        };
        let colour = if span.strong || strong { visuals.strong_text_color() } else { visuals.text_color() };
        let format = egui::TextFormat {
            font_id: font,
            color: colour,
            italics: span.emphasis,
            background: if span.code { visuals.code_bg_color } else { egui::Color32::TRANSPARENT },
            ..Default::default()
        };
        job.append(&span.text, 0.0, format);
    }
    job
}

fn set_role(ui: &egui::Ui, id: egui::Id, role: Role) {
    ui.ctx().accesskit_node_builder(id, |node| node.set_role(role));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(spans: &[Span]) -> String {
        spans.iter().map(|s| s.text.as_str()).collect()
    }

    #[test]
    fn a_paragraph_is_one_block_with_its_styles() {
        let blocks = parse("Human trafficking is the **exploitation** of a *person*.\nSecond line.");
        let [Block::Paragraph(spans)] = blocks.as_slice() else { panic!("{blocks:?}") };
        assert_eq!(text(spans), "Human trafficking is the exploitation of a person. Second line.");
        assert!(spans.iter().any(|s| s.strong && s.text == "exploitation"));
        assert!(spans.iter().any(|s| s.emphasis && s.text == "person"));
    }

    #[test]
    fn headings_lists_and_tables_keep_their_structure() {
        let md = "### U.S. law\n\nIntro.\n\n- **Sex trafficking:** induced\n- Labor\n\n1. one\n2. two\n\n| A | B |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n";
        let blocks = parse(md);
        assert!(matches!(&blocks[0], Block::Heading(3, s) if text(s) == "U.S. law"));
        assert!(matches!(&blocks[1], Block::Paragraph(s) if text(s) == "Intro."));
        let Block::List { first_number: None, items } = &blocks[2] else { panic!("{:?}", blocks[2]) };
        assert_eq!(items.len(), 2);
        assert!(
            matches!(items[0].as_slice(), [Block::Paragraph(s)] if text(s) == "Sex trafficking: induced")
        );
        assert!(matches!(&blocks[3], Block::List { first_number: Some(1), items } if items.len() == 2));
        let Block::Table { head, rows } = &blocks[4] else { panic!("{:?}", blocks[4]) };
        assert_eq!(head.iter().map(|c| text(c)).collect::<Vec<_>>(), ["A", "B"]);
        assert_eq!(rows.len(), 2);
        assert_eq!(text(&rows[1][1]), "4");
    }

    #[test]
    fn plain_text_drops_markup_and_keeps_the_words() {
        let md = "## Steps\n\nStay **calm**, note *details*.\n\n- Call [the hotline](https://x.org)\n- Wait\n\n| a | b |\n|---|---|\n| 1 | 2 |";
        assert_eq!(
            plain_text(&egui::Context::default(), md),
            "Steps\nStay calm, note details.\n• Call the hotline\n• Wait\na; b; \n1; 2;"
        );
    }

    #[test]
    fn no_empty_blocks() {
        let blocks = parse("\n\n  \n\nText.\n\n\n\n- \n\n");
        assert!(blocks.iter().all(|b| !matches!(b, Block::Paragraph(s) if s.is_empty())), "{blocks:?}");
    }

    /// Blocks nested inside one another, counted down the first block of each level.
    fn depth(blocks: &[Block]) -> usize {
        match blocks.first() {
            Some(Block::Quote(inner)) => 1 + depth(inner),
            Some(Block::List { items, .. }) => 1 + items.first().map_or(0, |item| depth(item)),
            _ => 0,
        }
    }

    /// Draws `markdown` in a window-less frame, as a page would.
    fn draw(markdown: &str) {
        let ctx = egui::Context::default();
        let mut output = ctx.run_ui(egui::RawInput::default(), |ui| {
            show(ui, markdown);
        });
        // No renderer takes the font atlas here.
        output.textures_delta.clear();
    }

    /// The texts of issue 26: thousands of levels in a few kilobytes aborted the app with a stack
    /// overflow. Past the cap they are drawn flat, words kept; this runs on a test thread, whose
    /// stack (2 MiB) is a quarter of the app's.
    #[test]
    fn thousands_of_nested_quotes_and_lists_are_drawn_flat_past_the_cap() {
        let quotes = format!("{} deep", ">".repeat(4_000));
        let lists = format!("{}deep", "- ".repeat(4_000));
        let both = format!("{}deep", "> - ".repeat(2_000));
        for text in [&quotes, &lists, &both] {
            let blocks = parse(text);
            assert!(depth(&blocks) <= MAX_DRAWN_DEPTH, "{}", depth(&blocks));
            assert!(plain_text(&egui::Context::default(), text).contains("deep"));
            draw(text);
        }
        let emphasis = format!("{}deep{}", "*".repeat(4_000), "*".repeat(4_000));
        draw(&emphasis);
    }

    #[test]
    fn text_after_a_flattened_part_stays_in_its_own_level() {
        let md = format!("> {}inner\n>\n> outer", "> ".repeat(40));
        let blocks = parse(&md);
        let [Block::Quote(_)] = blocks.as_slice() else { panic!("{blocks:?}") };
        let text = plain_text(&egui::Context::default(), &md);
        assert!(text.contains("inner") && text.contains("outer"), "{text}");
    }
}

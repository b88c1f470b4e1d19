//! Module Markdown as HTML for the review copy, parsed as the app parses it
//! ([`crate::validate::markdown_options`]: tables and strikethrough).
//!
//! Every piece of text goes through [`crate::markup::escape`]; raw HTML in a text is shown as the
//! characters the author typed, never passed through. A link is written as its text followed by
//! its address in brackets, and a Markdown image as its description and address: the review copy
//! is read on paper, and it loads nothing. One pass over the parser's events (which pulldown-cmark
//! makes without recursion), so the output is linear in the text.

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

use crate::markup::escape;

/// `markdown` as HTML block content.
pub fn to_html(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len() + markdown.len() / 4);
    // The addresses of the links and images being written, innermost last.
    let mut addresses: Vec<String> = Vec::new();
    let mut in_table_head = false;
    let mut in_code_block = false;
    for event in Parser::new_ext(markdown, crate::validate::markdown_options()) {
        match event {
            Event::Start(tag) => start(tag, &mut out, &mut addresses, &mut in_table_head, &mut in_code_block),
            Event::End(tag) => end(tag, &mut out, &mut addresses, &mut in_table_head, &mut in_code_block),
            Event::Text(text) if in_code_block => {
                // Code keeps its line breaks; `escape` makes them spaces, so each line is escaped.
                let lines: Vec<String> = text.split('\n').map(escape).collect();
                out.push_str(&lines.join("\n"));
            }
            Event::Text(text) | Event::Html(text) | Event::InlineHtml(text) => out.push_str(&escape(&text)),
            Event::Code(text) => {
                out.push_str("<code>");
                out.push_str(&escape(&text));
                out.push_str("</code>");
            }
            Event::SoftBreak => out.push(' '),
            Event::HardBreak => out.push_str("<br>"),
            Event::Rule => out.push_str("<hr>"),
            // Not enabled by the app's options; their text, if any, is kept.
            Event::InlineMath(text) | Event::DisplayMath(text) | Event::FootnoteReference(text) => {
                out.push_str(&escape(&text))
            }
            Event::TaskListMarker(done) => out.push_str(if done { "[x] " } else { "[ ] " }),
        }
    }
    out
}

/// A module heading one level below the review copy's own (a step's title is `h2`, its parts `h3`).
fn heading(level: HeadingLevel) -> u8 {
    // pulldown-cmark numbers its levels 1 to 6.
    (level as u8 + 3).min(6)
}

fn start(
    tag: Tag<'_>,
    out: &mut String,
    addresses: &mut Vec<String>,
    in_table_head: &mut bool,
    in_code_block: &mut bool,
) {
    match tag {
        Tag::Paragraph => out.push_str("<p>"),
        Tag::Heading { level, .. } => out.push_str(&format!("<h{} class=\"md\">", heading(level))),
        Tag::BlockQuote(_) => out.push_str("<blockquote>"),
        Tag::CodeBlock(_) => {
            *in_code_block = true;
            out.push_str("<pre><code>");
        }
        Tag::List(Some(first)) => out.push_str(&format!("<ol start=\"{first}\">")),
        Tag::List(None) => out.push_str("<ul>"),
        Tag::Item => out.push_str("<li>"),
        Tag::Table(_) => out.push_str("<table class=\"md\">"),
        Tag::TableHead => {
            *in_table_head = true;
            out.push_str("<thead><tr>");
        }
        Tag::TableRow => out.push_str("<tr>"),
        Tag::TableCell => out.push_str(if *in_table_head { "<th>" } else { "<td>" }),
        Tag::Emphasis => out.push_str("<em>"),
        Tag::Strong => out.push_str("<strong>"),
        Tag::Strikethrough => out.push_str("<s>"),
        Tag::Link { dest_url, .. } => addresses.push(dest_url.into_string()),
        Tag::Image { dest_url, .. } => {
            out.push_str("[image: ");
            addresses.push(dest_url.into_string());
        }
        // Not produced with the app's options; their content is still written.
        _ => {}
    }
}

fn end(
    tag: TagEnd,
    out: &mut String,
    addresses: &mut Vec<String>,
    in_table_head: &mut bool,
    in_code_block: &mut bool,
) {
    match tag {
        TagEnd::Paragraph => out.push_str("</p>"),
        TagEnd::Heading(level) => out.push_str(&format!("</h{}>", heading(level))),
        TagEnd::BlockQuote(_) => out.push_str("</blockquote>"),
        TagEnd::CodeBlock => {
            *in_code_block = false;
            out.push_str("</code></pre>");
        }
        TagEnd::List(true) => out.push_str("</ol>"),
        TagEnd::List(false) => out.push_str("</ul>"),
        TagEnd::Item => out.push_str("</li>"),
        TagEnd::Table => out.push_str("</tbody></table>"),
        TagEnd::TableHead => {
            *in_table_head = false;
            out.push_str("</tr></thead><tbody>");
        }
        TagEnd::TableRow => out.push_str("</tr>"),
        TagEnd::TableCell => out.push_str(if *in_table_head { "</th>" } else { "</td>" }),
        TagEnd::Emphasis => out.push_str("</em>"),
        TagEnd::Strong => out.push_str("</strong>"),
        TagEnd::Strikethrough => out.push_str("</s>"),
        TagEnd::Link => {
            let address = addresses.pop().unwrap_or_default();
            out.push_str(&format!(" <span class=\"address\">({})</span>", escape(&address)));
        }
        TagEnd::Image => {
            let address = addresses.pop().unwrap_or_default();
            out.push_str(&format!("] <span class=\"address\">({})</span>", escape(&address)));
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::to_html;

    #[test]
    fn blocks_and_styles_become_html() {
        assert_eq!(to_html("Hello *you* and **all**"), "<p>Hello <em>you</em> and <strong>all</strong></p>");
        assert_eq!(to_html("- a\n- b"), "<ul><li>a</li><li>b</li></ul>");
        assert_eq!(to_html("3. c"), "<ol start=\"3\"><li>c</li></ol>");
        assert_eq!(to_html("# Big"), "<h4 class=\"md\">Big</h4>");
        assert_eq!(
            to_html("| a | b |\n|---|---|\n| 1 | 2 |"),
            "<table class=\"md\"><thead><tr><th>a</th><th>b</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table>"
        );
    }

    #[test]
    fn raw_html_is_shown_not_run() {
        let html = to_html("<script>alert(1)</script>\n\nA <b onclick=\"x\">b</b> & c");
        assert!(!html.contains("<script") && !html.contains("<b "), "{html}");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{html}");
        assert!(html.contains("&lt;b onclick=&quot;x&quot;&gt;b&lt;/b&gt; &amp; c"), "{html}");
    }

    #[test]
    fn links_and_images_are_written_out_not_loaded() {
        let html = to_html("[Hotline](https://example.org/\"x) ![a map](https://example.org/m.png)");
        assert!(!html.contains("href") && !html.contains("src"), "{html}");
        assert!(
            html.contains("Hotline <span class=\"address\">(https://example.org/&quot;x)</span>"),
            "{html}"
        );
        assert!(html.contains("[image: a map] <span class=\"address\">(https://example.org/m.png)</span>"));
    }

    #[test]
    fn code_keeps_its_lines_and_is_escaped() {
        assert_eq!(to_html("```\na<b\nc\n```"), "<pre><code>a&lt;b\nc\n</code></pre>");
    }
}

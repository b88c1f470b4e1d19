//! Escaping text for the XML and HTML Faro writes itself (scenario maps as SVG, certificates).

/// Text for XML or HTML content and attribute values: markup characters escaped, and characters
/// XML 1.0 does not allow at all (most control characters) left out. Tabs and line breaks become
/// spaces: every caller writes one-line values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if c.is_control() || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn markup_is_escaped_and_controls_dropped() {
        assert_eq!(super::escape("<a&'b\">\u{7}\tc"), "&lt;a&amp;&apos;b&quot;&gt; c");
    }
}

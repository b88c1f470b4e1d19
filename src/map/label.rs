//! Short labels for map boxes and arrows, taken from Markdown texts.

/// The first paragraph of `text` as plain words, cut at a word boundary to at most `max`
/// characters (with "…" when cut). Markdown marks (`**`, `_`, `#`, backticks) are dropped:
/// a map label is a reminder of the text, not the text.
pub fn short_label(text: &str, max: usize) -> String {
    let paragraph = text.split("\n\n").find(|p| !p.trim().is_empty()).unwrap_or("");
    let plain: String =
        paragraph.chars().filter(|c| !matches!(c, '*' | '_' | '#' | '`')).map(normal_space).collect();
    let words: Vec<&str> = plain.split_whitespace().collect();
    let mut out = String::new();
    let mut length = 0;
    for (i, word) in words.iter().enumerate() {
        let word_length = word.chars().count();
        let needed = if out.is_empty() { word_length } else { word_length + 1 };
        // Keep room for the "…" unless this is the last word.
        let room = if i + 1 == words.len() { max } else { max.saturating_sub(1) };
        if length + needed > room {
            if out.is_empty() {
                out.extend(word.chars().take(max.saturating_sub(1)));
            }
            out.push('…');
            return out;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
        length += needed;
    }
    out
}

/// Control characters (a tab, a stray escape) become spaces: they have no place in a label and
/// some are not allowed in XML at all.
fn normal_space(c: char) -> char {
    if c.is_control() { ' ' } else { c }
}

/// `text` broken into lines of at most `width` characters, at spaces where possible.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        // A word longer than a line is split.
        while word.len() > width {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            lines.push(word.drain(..width).collect());
        }
        let word: String = word.into_iter().collect();
        if word.is_empty() {
            continue;
        }
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// The estimated width of `text` at a font size of `size`, for a proportional sans-serif font
/// (DejaVu Sans, Ubuntu, Arial are all within these per-letter estimates, which err wide): the
/// map is laid out before anyone draws it, by the SVG writer or the app, so it cannot measure.
pub fn text_width(text: &str, size: f32) -> f32 {
    text.chars().map(letter_width).sum::<f32>() * size
}

/// A letter's width in ems.
fn letter_width(c: char) -> f32 {
    match c {
        'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '!' | '|' | 'I' | '`' => 0.32,
        ' ' | 'f' | 't' | 'r' | '(' | ')' | '[' | ']' | '"' | '-' | '/' => 0.42,
        'm' | 'w' | 'M' | 'W' | '@' | '%' => 0.95,
        'A'..='Z' | '0'..='9' | '+' | '&' | '?' | '#' | '_' | '<' | '>' | '=' => 0.7,
        c if c.is_ascii() => 0.62,
        // Accented Latin letters, Greek, Cyrillic.
        c if (c as u32) < 0x2000 => 0.68,
        // Symbols, arrows, emoji, CJK: drawn square.
        _ => 1.05,
    }
}

/// `text` broken into lines no wider than `width` at font size `size` ([`text_width`]), at
/// spaces where possible; a word wider than a line is split. Nothing is dropped.
pub fn wrap_to_width(text: &str, width: f32, size: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut line_width = 0.0;
    let space = letter_width(' ') * size;
    for word in text.split_whitespace() {
        let word_width = text_width(word, size);
        if !line.is_empty() && line_width + space + word_width <= width {
            line.push(' ');
            line.push_str(word);
            line_width += space + word_width;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        line_width = 0.0;
        for c in word.chars() {
            let w = letter_width(c) * size;
            if !line.is_empty() && line_width + w > width {
                lines.push(std::mem::take(&mut line));
                line_width = 0.0;
            }
            line.push(c);
            line_width += w;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_drop_markdown_and_cut_at_a_word() {
        assert_eq!(short_label("Volunteers **notice** and _report_.", 60), "Volunteers notice and report.");
        assert_eq!(short_label("one two three four", 12), "one two…");
        assert_eq!(short_label("First.\n\nSecond paragraph.", 60), "First.");
        assert_eq!(short_label("abcdefghij", 5), "abcd…");
        assert_eq!(short_label("a\u{1b}b", 10), "a b");
    }

    #[test]
    fn wrapping_keeps_words_whole_when_they_fit() {
        assert_eq!(wrap("the quick brown fox", 10), vec!["the quick", "brown fox"]);
        assert_eq!(wrap("abcdefghijkl", 5), vec!["abcde", "fghij", "kl"]);
        assert!(wrap("", 5).is_empty());
    }

    #[test]
    fn wrapping_by_width_keeps_every_word_and_each_line_fits() {
        let text = "Call the hotline (or 911 if she is in immediate danger) and give what you saw: \
                    Supercalifragilisticexpialidocious-unbroken-words-are-split";
        let lines = wrap_to_width(text, 120.0, 10.0);
        assert!(lines.len() > 3, "{lines:?}");
        assert!(lines.iter().all(|l| text_width(l, 10.0) <= 120.0), "{lines:?}");
        let joined: String = lines.concat();
        let plain: String = text.split_whitespace().collect();
        assert_eq!(joined.replace(' ', ""), plain);
        assert!(text_width("WWW", 10.0) > text_width("iii", 10.0));
    }
}

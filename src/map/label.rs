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
}

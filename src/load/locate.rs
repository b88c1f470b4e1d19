//! Finding where an id is written in a module file, so validation findings get a line and column.
//!
//! Parsed serde values carry no positions; ids are unique where it matters (a step in the module,
//! a node in its scenario, a choice in its node), so searching for `id: "<id>"` after the parent's
//! position finds the right place.

use crate::diagnostic::Position;

/// Looks up `id: "…"` positions in a module's source text.
#[derive(Clone, Copy, Debug)]
pub struct Locator<'a> {
    source: &'a str,
}

/// A byte offset in the source where an item was found (or 0, the start of the file).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Anchor(pub usize);

impl<'a> Locator<'a> {
    /// A locator over `source`.
    pub fn new(source: &'a str) -> Self {
        Self { source }
    }

    /// Where `id: "<id>"` is first written at or after `after`; `after` itself if not found.
    pub fn id(&self, after: Anchor, id: &str) -> Anchor {
        self.field_value(after, "id", id).unwrap_or(after)
    }

    /// Where `<field>: "<value>"` is first written at or after `after`.
    pub fn field_value(&self, after: Anchor, field: &str, value: &str) -> Option<Anchor> {
        let quoted = format!("\"{value}\"");
        let rest = self.source.get(after.0..)?;
        let mut from = 0;
        while let Some(found) = rest.get(from..).and_then(|r| r.find(&quoted)) {
            let at = from + found;
            let before = rest.get(..at).unwrap_or("").trim_end();
            if let Some(before) = before.strip_suffix(':')
                && before.trim_end().ends_with(field)
                && before
                    .trim_end()
                    .strip_suffix(field)
                    .is_some_and(|b| !b.ends_with(|c: char| c.is_alphanumeric() || c == '_'))
            {
                return Some(Anchor(after.0 + at));
            }
            from = at + quoted.len();
        }
        None
    }

    /// Where `<field>:` is first written at or after `after`.
    pub fn field(&self, after: Anchor, field: &str) -> Option<Anchor> {
        let key = format!("{field}:");
        let rest = self.source.get(after.0..)?;
        let mut from = 0;
        while let Some(found) = rest.get(from..).and_then(|r| r.find(&key)) {
            let at = from + found;
            let prev = rest.get(..at).and_then(|b| b.chars().next_back());
            if !prev.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                return Some(Anchor(after.0 + at));
            }
            from = at + key.len();
        }
        None
    }

    /// Line and column of an anchor.
    pub fn position(&self, anchor: Anchor) -> Position {
        Position::of_offset(self.source, anchor.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_ids_after_their_parent() {
        let src = "A(id: \"x\", nodes: [N(id: \"a\")])\nB(id: \"y\", nodes: [N(id: \"a\")])";
        let loc = Locator::new(src);
        let y = loc.id(Anchor(0), "y");
        let a_in_y = loc.id(y, "a");
        assert_eq!(loc.position(a_in_y), Position { line: 2, column: 26 });
        assert_eq!(loc.position(loc.id(Anchor(0), "a")), Position { line: 1, column: 26 });
    }

    #[test]
    fn ignores_other_fields_with_the_same_value() {
        let src = "C(goto: \"end\"), E(id: \"end\")";
        let loc = Locator::new(src);
        assert_eq!(loc.id(Anchor(0), "end"), Anchor(22));
        assert_eq!(loc.field_value(Anchor(0), "goto", "end"), Some(Anchor(8)));
    }
}

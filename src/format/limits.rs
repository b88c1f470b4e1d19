//! Structural limits on a module, far above any real one.
//!
//! Packs are installed on trust, so a module may come from someone careless or hostile. The file
//! is already capped at 4 MiB ([`crate::load::MAX_MODULE_FILE_BYTES`]); these caps bound the
//! shapes inside it too, so every check and every screen works on a module of bounded size. The
//! validator reports each exceeded limit as an error naming it (`docs/module-format.md` lists
//! them). The bundled modules use a few percent of each (a test keeps them under a quarter).

/// Languages a module is written in.
pub const MAX_LANGUAGES: usize = 20;
/// Sources a module cites.
pub const MAX_SOURCES: usize = 200;
/// Steps (pages, scenarios, checks) in a module.
pub const MAX_STEPS: usize = 200;
/// Blocks on one page.
pub const MAX_BLOCKS_PER_PAGE: usize = 200;
/// Items in one indicator list.
pub const MAX_INDICATORS: usize = 200;
/// Nodes in one scenario.
pub const MAX_NODES: usize = 1_000;
/// Endings of one scenario.
pub const MAX_ENDINGS: usize = 100;
/// Choices offered at one node.
pub const MAX_CHOICES_PER_NODE: usize = 30;
/// Flags one choice sets.
pub const MAX_FLAGS_PER_CHOICE: usize = 20;
/// How deeply `All`/`Any` conditions nest (`All([Any([Flag("a")])])` is 3 deep).
pub const MAX_CONDITION_DEPTH: usize = 8;
/// Conditions in one choice's `when`, counting every `All`, `Any` and leaf.
pub const MAX_CONDITION_TERMS: usize = 64;
/// Questions in one check.
pub const MAX_QUESTIONS: usize = 100;
/// Answers to one question.
pub const MAX_ANSWERS: usize = 30;
/// How deeply Markdown block containers nest in one text: quotes and lists together (`> - x` is
/// 2 deep). Drawing a nested block takes a nested layout, so the app draws deeper text flat.
pub const MAX_MARKDOWN_BLOCK_DEPTH: usize = 16;
/// How deeply Markdown inline styles nest in one text: emphasis, strong, strikethrough and links
/// (`***x***` is 2 deep).
pub const MAX_MARKDOWN_INLINE_DEPTH: usize = 16;

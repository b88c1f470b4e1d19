//! Diagnostics: what the loader and validator report, with file, line and column.

use std::fmt;
use std::path::PathBuf;

use serde::Serialize;

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// One finding about a module file, printed as `file:line:col: error: message`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub file: PathBuf,
    /// 1-based line; 0 when the finding concerns the whole file or folder.
    pub line: usize,
    /// 1-based column; 0 when the finding concerns the whole file or folder.
    pub column: usize,
    pub severity: Severity,
    pub message: String,
}

impl Diagnostic {
    /// An error at a position.
    pub fn error(file: impl Into<PathBuf>, pos: Position, message: impl Into<String>) -> Self {
        Self::new(file, pos, Severity::Error, message)
    }

    /// A warning at a position.
    pub fn warning(file: impl Into<PathBuf>, pos: Position, message: impl Into<String>) -> Self {
        Self::new(file, pos, Severity::Warning, message)
    }

    /// A diagnostic of any severity at a position.
    pub fn new(
        file: impl Into<PathBuf>,
        pos: Position,
        severity: Severity,
        message: impl Into<String>,
    ) -> Self {
        Self { file: file.into(), line: pos.line, column: pos.column, severity, message: message.into() }
    }

    /// Whether this is an error (not a warning).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        if self.line == 0 {
            write!(f, "{}: {severity}: {}", self.file.display(), self.message)
        } else {
            write!(f, "{}:{}:{}: {severity}: {}", self.file.display(), self.line, self.column, self.message)
        }
    }
}

/// A 1-based line and column in a text file; `(0, 0)` means "the whole file".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl Position {
    /// The whole file rather than a place in it.
    pub const FILE: Position = Position { line: 0, column: 0 };

    /// The line and column (in characters) of byte `offset` in `source`.
    pub fn of_offset(source: &str, offset: usize) -> Position {
        let before = source.get(..offset).unwrap_or(source);
        let line = 1 + before.matches('\n').count();
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = 1 + before.get(line_start..).map_or(0, |s| s.chars().count());
        Position { line, column }
    }
}

//! Turning RON errors into diagnostics a module author can act on.

use std::path::Path;

use ron::error::{Error, SpannedError};

use crate::diagnostic::{Diagnostic, Position};

/// A diagnostic at the RON error's position, with a did-you-mean where one helps.
pub fn to_diagnostic(file: &Path, err: &SpannedError) -> Diagnostic {
    let pos = Position { line: err.span.start.line, column: err.span.start.col };
    Diagnostic::error(file, pos, message(&err.code))
}

/// [`to_diagnostic`], but a syntax error is explained from the source when the brackets, quotes
/// or commas show what is missing ([`super::syntax::explain`]): "the list of choices opened at
/// line 41 is never closed", at the last good place, rather than what the parser expected next.
pub fn to_diagnostic_in(file: &Path, source: &str, err: &SpannedError) -> Diagnostic {
    let plain = to_diagnostic(file, err);
    let about_fields = matches!(
        err.code,
        Error::NoSuchStructField { .. }
            | Error::NoSuchEnumVariant { .. }
            | Error::MissingStructField { .. }
            | Error::DuplicateStructField { .. }
            | Error::ExceededRecursionLimit
    );
    if about_fields {
        return plain;
    }
    let Some(explained) = super::syntax::explain(source) else { return plain };
    let noticed = Position::of_offset(source, explained.noticed);
    // The parser stops at or just before the mistake (a space before a curly quote), so the
    // explanation counts if it is on the parser's line or before it.
    if matches!(err.code, Error::Eof) || noticed.line <= err.span.start.line {
        let message = format!("{} (the parser says: {})", explained.message, message(&err.code));
        return Diagnostic::error(file, explained.at, message);
    }
    plain
}

fn message(code: &Error) -> String {
    match code {
        Error::NoSuchStructField { found, outer: Some(outer), .. }
            if found.chars().next().is_some_and(char::is_uppercase) =>
        {
            format!(
                "\"{found}(\" is not needed inside {outer}: write the fields directly, \
                 as in {outer}(field: ..., ...)"
            )
        }
        Error::NoSuchStructField { expected, found, outer } => {
            let mut m = format!("unknown field \"{found}\"");
            if let Some(outer) = outer {
                m.push_str(&format!(" in {outer}"));
            }
            push_suggestion(&mut m, found, expected);
            m
        }
        Error::NoSuchEnumVariant { expected, found, outer } => {
            let mut m = format!("unknown variant \"{found}\"");
            if let Some(outer) = outer {
                m.push_str(&format!(" in {outer}"));
            }
            push_suggestion(&mut m, found, expected);
            if !expected.is_empty() {
                m.push_str(&format!(" (expected one of: {})", expected.join(", ")));
            }
            m
        }
        Error::MissingStructField { field, outer } => match outer {
            Some(outer) => format!("missing field \"{field}\" in {outer}"),
            None => format!("missing field \"{field}\""),
        },
        Error::DuplicateStructField { field, outer } => match outer {
            Some(outer) => format!("field \"{field}\" appears twice in {outer}"),
            None => format!("field \"{field}\" appears twice"),
        },
        Error::Eof => "unexpected end of file: the module is incomplete (a bracket or \
                      parenthesis is not closed)"
            .to_owned(),
        Error::ExceededRecursionLimit => {
            "nesting is too deep; modules never need more than a few dozen levels".to_owned()
        }
        other => {
            let text = other.to_string();
            let mut chars = text.chars();
            match chars.next() {
                Some(first) => first.to_lowercase().chain(chars).collect(),
                None => "invalid RON".to_owned(),
            }
        }
    }
}

fn push_suggestion(message: &mut String, found: &str, expected: &[&str]) {
    let best = expected
        .iter()
        .map(|candidate| (strsim::jaro_winkler(found, candidate), candidate))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    if let Some((_, candidate)) = best {
        message.push_str(&format!(", did you mean \"{candidate}\"?"));
    }
}

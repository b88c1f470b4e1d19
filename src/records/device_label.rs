//! A laptop's name in the records files it exports ("Shelter laptop 3"), set by a coordinator
//! on that laptop so the laptops list says which laptop is which. It is a label, not proof: the
//! device key's fingerprint is what identifies a laptop, and anyone can write any label.

use crate::format::invisible::is_invisible;

/// The longest label, in characters: room for "Casa del Migrante, laptop 12" and a bit more.
pub const MAX_DEVICE_LABEL_CHARS: usize = 60;

/// Why a typed label was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DeviceLabelError {
    #[error("a laptop's name has at most {MAX_DEVICE_LABEL_CHARS} characters")]
    TooLong,
    #[error("a laptop's name cannot hold control or invisible characters")]
    Hidden,
}

/// The label as typed, checked: surrounding spaces dropped; empty means no label.
pub fn parse_device_label(text: &str) -> Result<Option<String>, DeviceLabelError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if text.chars().count() > MAX_DEVICE_LABEL_CHARS {
        return Err(DeviceLabelError::TooLong);
    }
    if text.chars().any(|c| c.is_control() || is_invisible(c)) {
        return Err(DeviceLabelError::Hidden);
    }
    Ok(Some(text.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_label_is_trimmed_short_and_plain() {
        assert_eq!(parse_device_label("  Shelter laptop 3 "), Ok(Some("Shelter laptop 3".to_owned())));
        assert_eq!(parse_device_label("Albergue — portátil 2"), Ok(Some("Albergue — portátil 2".to_owned())));
        assert_eq!(parse_device_label("   "), Ok(None));
        assert_eq!(
            parse_device_label(&"a".repeat(MAX_DEVICE_LABEL_CHARS)).map(|l| l.map(|l| l.len())),
            Ok(Some(60))
        );
        assert_eq!(
            parse_device_label(&"a".repeat(MAX_DEVICE_LABEL_CHARS + 1)),
            Err(DeviceLabelError::TooLong)
        );
        assert_eq!(parse_device_label("laptop\u{1b}]0;owned\u{7}"), Err(DeviceLabelError::Hidden));
        assert_eq!(parse_device_label("laptop\u{202E}3"), Err(DeviceLabelError::Hidden));
    }
}

//! The `homePage` of the learner accounts in xAPI statements.

use super::super::RecordError;

/// Used when the coordinator names no home page. It is written here rather than taken from
/// `Cargo.toml`, because changing it changes every learner's identity in the LRS.
pub const DEFAULT_HOME_PAGE: &str = "https://github.com/faro-training/faro";

/// An `http` or `https` address: xAPI requires an account's `homePage` to be a locator (IRL),
/// so a `urn:` is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HomePage(String);

impl HomePage {
    /// Parses an address such as `https://training.example.org`.
    pub fn parse(text: &str) -> Result<HomePage, RecordError> {
        let bad = |why: &str| {
            RecordError::BadHomePage(format!(
                "\"{text}\" {why}; give an address such as https://training.example.org"
            ))
        };
        let lower = text.to_ascii_lowercase();
        let Some(rest) = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://")) else {
            return Err(bad("does not start with https:// or http://"));
        };
        if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad("contains spaces or control characters"));
        }
        // Characters an IRI may not hold (RFC 3987): an LRS refuses the whole batch over one.
        if let Some(c) = text.chars().find(|c| "\"<>\\^`{|}".contains(*c)) {
            return Err(bad(&format!("contains '{c}', which a web address cannot hold")));
        }
        // No invisible or bidirectional-control characters either: they hide what the address is.
        if text.chars().any(crate::format::invisible::is_invisible) {
            return Err(bad("contains an invisible character"));
        }
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        let host = host.rsplit('@').next().unwrap_or("");
        if host.is_empty() || host.starts_with(':') {
            return Err(bad("has no host name"));
        }
        Ok(HomePage(text.to_owned()))
    }

    /// The address as given.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for HomePage {
    fn default() -> Self {
        HomePage(DEFAULT_HOME_PAGE.to_owned())
    }
}

impl std::str::FromStr for HomePage {
    type Err = RecordError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        HomePage::parse(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_addresses_with_a_host_are_home_pages() {
        assert!(HomePage::parse(DEFAULT_HOME_PAGE).is_ok());
        assert_eq!(HomePage::default().as_str(), DEFAULT_HOME_PAGE);
        for good in ["https://training.example.org", "http://lrs.local:8100/faro", "HTTPS://Example.org"] {
            assert!(HomePage::parse(good).is_ok(), "{good}");
        }
        for bad in [
            "urn:faro:device:abcd",
            "example.org",
            "https://",
            "https:///path",
            "https://a b",
            "ftp://x",
            "https://x.org/\"a",
            "https://x.org/<b>",
            "https://x.org/a|b",
            "https://x.org/{a}",
            "https://x.org/a\\b",
            "https://x.org/\u{200B}",
        ] {
            let err = HomePage::parse(bad).unwrap_err().to_string();
            assert!(err.contains(bad), "{err}");
        }
    }
}

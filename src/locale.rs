//! The language of the system Faro runs on, for a first launch before any setting is saved.

/// The UI language for a system locale such as `es-MX`, `es_US.UTF-8` or `en-GB`: Spanish for any
/// Spanish locale, else English (the languages Faro speaks).
pub fn language_for_locale(locale: Option<&str>) -> &'static str {
    match locale {
        Some(l) if l.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("es")) => "es",
        _ => "en",
    }
}

/// The UI language of this system's locale (read from the system on Windows and macOS, from
/// `LC_ALL`, `LC_MESSAGES` or `LANG` elsewhere).
pub fn system_language() -> &'static str {
    language_for_locale(sys_locale::get_locale().as_deref())
}

#[cfg(test)]
mod tests {
    use super::language_for_locale;

    #[test]
    fn spanish_locales_give_spanish_and_every_other_gives_english() {
        for locale in ["es", "es-MX", "es_US.UTF-8", "ES-419"] {
            assert_eq!(language_for_locale(Some(locale)), "es", "{locale}");
        }
        for locale in ["en-US", "C", "POSIX", "pt-BR", "e", ""] {
            assert_eq!(language_for_locale(Some(locale)), "en", "{locale}");
        }
        assert_eq!(language_for_locale(None), "en");
    }
}

//! The translators' hand-off: a module's texts out to a gettext PO file, and its translations back
//! into the module file (`faro translate export` / `faro translate import`).
//!
//! Each text is one PO entry: `msgctxt` is its path of ids ([`texts::translatable_texts`]),
//! `msgid` its English, `msgstr` the translation. Import edits `module.ron` in place, next to the
//! text's other languages, so the author's comments and layout stay; it writes nothing unless the
//! whole file is right and the module keeps validating.

pub mod po;
pub mod sources;
mod texts;

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

pub use sources::{SOURCES_FILE, TranslationSources, load_sources};
pub use texts::{Translatable, place_texts, translatable_texts};

use crate::diagnostic::{Diagnostic, Position};
use crate::load::{Anchor, LoadedModule, Locator, MapLiteral, map_literals};
use crate::validate::{self, Context};

/// The language every module is written in first; it is the `msgid`.
pub const SOURCE_LANGUAGE: &str = "en";

/// PO files larger than this are refused before parsing: a module file is at most 4 MiB, and its
/// PO file holds its English once, a translation and short comments.
pub const MAX_PO_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// How many untranslated texts a summary names (a translator's tool lists them all).
const MAX_LISTED_UNTRANSLATED: usize = 20;

/// How many problems of a refused PO file are listed (the rest are counted).
const MAX_LISTED_PROBLEMS: usize = 50;

/// Checks a language code: `fr`, `ht`, `pt-BR`, `fr_CA`; not English, which is the source.
pub fn check_language(lang: &str) -> Result<(), String> {
    let mut parts = lang.split(['-', '_']);
    let primary = parts.next().unwrap_or("");
    let primary_ok = (2..=3).contains(&primary.len()) && primary.chars().all(|c| c.is_ascii_lowercase());
    let rest_ok = parts.all(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()));
    if !primary_ok || !rest_ok {
        return Err(format!(
            "\"{lang}\" is not a language code; use a code such as fr (French), ht (Haitian Creole) or pt-BR"
        ));
    }
    if lang == SOURCE_LANGUAGE {
        return Err(
            "English is the language translations are made from; choose the language to translate into"
                .into(),
        );
    }
    Ok(())
}

/// What a PO file says about one text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Every text with English to translate.
    pub total: usize,
    /// Paths of texts whose translation is final (exported) or was written (imported).
    pub translated: Vec<String>,
    /// Paths of texts whose translation needs review, and why.
    pub fuzzy: Vec<(String, String)>,
    /// Paths of texts with no translation.
    pub untranslated: Vec<String>,
}

impl Summary {
    /// "12 translated, 1 fuzzy, 3 untranslated (of 16 texts)", then the fuzzy and untranslated
    /// texts by path (the untranslated ones only when some are translated: a new language is
    /// all untranslated).
    pub fn describe(&self, translated_word: &str) -> String {
        let mut out = format!(
            "{} {translated_word}, {} fuzzy, {} untranslated (of {} texts)\n",
            self.translated.len(),
            self.fuzzy.len(),
            self.untranslated.len(),
            self.total
        );
        for (path, why) in &self.fuzzy {
            let _ = writeln!(out, "  fuzzy: {path}: {why}");
        }
        if self.untranslated.len() < self.total {
            for path in self.untranslated.iter().take(MAX_LISTED_UNTRANSLATED) {
                let _ = writeln!(out, "  untranslated: {path}");
            }
            if let Some(more) =
                self.untranslated.len().checked_sub(MAX_LISTED_UNTRANSLATED).filter(|n| *n > 0)
            {
                let _ = writeln!(out, "  and {more} more untranslated (empty msgstr in the PO file)");
            }
        }
        out
    }
}

/// A written PO file and what it holds.
#[derive(Clone, Debug)]
pub struct Export {
    pub po: String,
    pub summary: Summary,
}

/// Writes the PO file of `lang` for a module: every text with English, with its translation in
/// `lang` if the module has one, fuzzy (with the old English as `#| msgid`) when `sources` says
/// the English changed since the translation was made.
pub fn export(loaded: &LoadedModule, sources: &TranslationSources, lang: &str) -> Export {
    let module = &loaded.module;
    let texts = translatable_texts(module);
    let maps = map_literals(&loaded.source);
    let places = place_texts(&texts, &maps);
    let locator = loaded.locator();
    // References name the module file as it was given, so a tool opened where the command ran
    // finds it; a path with spaces (which separate references) is shortened to the file name.
    let given = loaded.file.to_string_lossy().replace('\\', "/");
    let file_name =
        if given.contains(char::is_whitespace) { crate::load::MODULE_FILE.to_owned() } else { given };
    let title = module.title.get(SOURCE_LANGUAGE);
    let mut po = String::new();
    let _ = writeln!(
        po,
        "# Translation into \"{lang}\" of the Faro module \"{}\" ({} {}).",
        one_line(title),
        module.id,
        module.version
    );
    po.push_str("# Written by `faro translate export`; bring it back with `faro translate import`.\n");
    po.push_str("# Keep msgctxt lines as they are: they say where each text goes.\n");
    po.push_str("msgid \"\"\nmsgstr \"\"\n");
    for (name, value) in [
        ("Project-Id-Version", format!("{} {}", module.id, module.version)),
        // Left empty for the translator's tool to fill in (`msgfmt --check` wants them there).
        ("PO-Revision-Date", String::new()),
        ("Last-Translator", String::new()),
        ("Language-Team", String::new()),
        ("Language", lang.to_owned()),
        ("MIME-Version", "1.0".to_owned()),
        ("Content-Type", "text/plain; charset=UTF-8".to_owned()),
        ("Content-Transfer-Encoding", "8bit".to_owned()),
        ("X-Generator", format!("Faro {}", env!("CARGO_PKG_VERSION"))),
        ("X-Faro-Module", module.id.clone()),
    ] {
        let _ = writeln!(po, "\"{}\\n\"", po::escape(&format!("{name}: {value}")));
    }
    let mut summary = Summary::default();
    for (i, text) in texts.iter().enumerate() {
        let english = text.text.0.get(SOURCE_LANGUAGE).map_or("", String::as_str);
        if english.is_empty() {
            // Nothing to translate (the validator reports the missing English).
            continue;
        }
        summary.total += 1;
        let translation = text.text.0.get(lang).map_or("", String::as_str);
        let previous = sources.source(lang, &text.context).filter(|made_from| *made_from != english);
        po.push('\n');
        let _ = writeln!(po, "#. Module \"{}\": {}", one_line(title), one_line(&text.kind));
        if let Some(map) = places.as_ref().and_then(|p| p.get(i)).and_then(|&m| maps.get(m)) {
            let line = locator.position(Anchor(map.open)).line;
            let _ = writeln!(po, "#: {file_name}:{line}");
        }
        let state = if translation.trim().is_empty() {
            summary.untranslated.push(text.context.clone());
            None
        } else if let Some(previous) = previous {
            po.push_str("#, fuzzy\n");
            po::write_previous(&mut po, previous);
            let why = "the English changed since it was translated".to_owned();
            summary.fuzzy.push((text.context.clone(), why));
            Some(())
        } else {
            summary.translated.push(text.context.clone());
            Some(())
        };
        po::write_string(&mut po, "msgctxt", &text.context);
        po::write_string(&mut po, "msgid", english);
        po::write_string(&mut po, "msgstr", if state.is_some() { translation } else { "" });
    }
    Export { po, summary }
}

/// A text's kind or title on one comment line.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What an import will write, worked out before anything is written.
#[derive(Clone, Debug)]
pub struct ImportPlan {
    pub lang: String,
    /// The new text of `module.ron`.
    pub source: String,
    /// The new record of what translations were made from.
    pub sources: TranslationSources,
    pub summary: Summary,
    /// Whether the language was added to the module's `languages` (every text now has it).
    pub language_added: bool,
    /// Texts whose translation is written or changed by this import (the others are as they were).
    pub changed: usize,
}

/// Reads a PO file and works out the new `module.ron`: every problem of the file is an error
/// at its `file:line`, and then nothing is to be written.
pub fn plan_import(
    loaded: &LoadedModule,
    sources: &TranslationSources,
    po_file: &Path,
    po_text: &str,
    lang: Option<&str>,
) -> Result<ImportPlan, Vec<Diagnostic>> {
    let at = |line: usize| Position { line, column: 1 };
    let error = |line: usize, message: String| Diagnostic::error(po_file, at(line), message);
    // Entries are read one at a time: a large file is never held parsed whole.
    let mut entries = po::entries(po_text);
    let (header, first) = match entries.next() {
        Some(Ok(entry)) if entry.is_header() => (Some(entry), None),
        other => (None, other),
    };
    let module = &loaded.module;
    let mut problems = Problems::default();

    // The header: which language, which module, and a sane encoding and plural rule.
    let mut header_lang: Option<(String, usize)> = None;
    if let Some(header) = &header {
        let first_field_line = header.key_line + 2;
        for (offset, name, value) in po::header_fields(&header.msgstr) {
            let line = first_field_line + offset;
            match name {
                "Language" if !value.is_empty() => header_lang = Some((value.to_owned(), line)),
                "Content-Type" if !value.to_ascii_lowercase().contains("charset=utf-8") => {
                    problems.push(error(
                        line,
                        format!("the file says \"{value}\"; Faro reads UTF-8 only: save the file as UTF-8"),
                    ))
                }
                "Plural-Forms" => {
                    if let Err(why) = po::check_plural_forms(value) {
                        problems.push(error(line, format!("broken Plural-Forms header: {why}")));
                    }
                }
                "X-Faro-Module" if value != module.id => {
                    // Every entry would be wrong too: this one line says it all.
                    return Err(vec![error(
                        line,
                        format!(
                            "this file holds the texts of module \"{value}\", not of \"{}\": import it into that module's folder",
                            module.id
                        ),
                    )]);
                }
                _ => {}
            }
        }
    }
    let lang = match (lang, &header_lang) {
        (Some(given), Some((said, line))) if given != said => {
            problems.push(error(
                *line,
                format!("the file says its language is \"{said}\", but --lang says \"{given}\""),
            ));
            given.to_owned()
        }
        (Some(given), _) => given.to_owned(),
        (None, Some((said, _))) => said.clone(),
        (None, None) => {
            problems.push(error(
                1,
                "the file does not say its language: add a \"Language: fr\" header line or use --lang".into(),
            ));
            String::new()
        }
    };
    if !lang.is_empty()
        && let Err(why) = check_language(&lang)
    {
        let line = header_lang.as_ref().map_or(1, |(_, l)| *l);
        problems.push(error(line, why));
    }

    // Each entry: a known text, once, with its English as the module has it now.
    let texts = translatable_texts(module);
    let by_context: HashMap<&str, usize> =
        texts.iter().enumerate().map(|(i, t)| (t.context.as_str(), i)).collect();
    let prefix = format!("module:{}/", module.id);
    // For each text, the line of its entry (0: none yet).
    let mut seen_at: Vec<usize> = vec![0; texts.len()];
    let mut wanted: Vec<Option<String>> = vec![None; texts.len()];
    let mut summary = Summary::default();
    for entry in first.into_iter().chain(entries) {
        let entry = match entry {
            Ok(entry) => entry,
            Err(syntax) => {
                problems.push(error(syntax.line, syntax.message));
                break;
            }
        };
        let line = entry.key_line.max(entry.line);
        if entry.is_header() {
            problems.push(error(line, "a second header (msgid \"\" without msgctxt)".into()));
            continue;
        }
        if entry.msgid_plural.is_some() {
            problems
                .push(error(line, "a plural entry (msgid_plural): Faro's texts have no plural forms".into()));
            continue;
        }
        let Some(context) = entry.msgctxt.as_deref() else {
            problems.push(error(
                line,
                "an entry without msgctxt: Faro needs it to know where the text goes; export the file again"
                    .into(),
            ));
            continue;
        };
        let Some(&index) = by_context.get(context) else {
            let message = match context.strip_prefix("module:").and_then(|rest| rest.split('/').next()) {
                Some(other) if other != module.id => format!(
                    "\"{context}\" is a text of module \"{other}\", not of \"{}\": is this the right file for this folder?",
                    module.id
                ),
                _ if !context.starts_with(&prefix) => {
                    format!(
                        "\"{context}\" is not a text path Faro wrote; keep msgctxt lines as they were exported"
                    )
                }
                _ => format!(
                    "the module has no text \"{context}\" (renamed or removed since the export?): export again, and carry the translations over with msgmerge"
                ),
            };
            problems.push(error(line, message));
            continue;
        };
        if seen_at[index] > 0 {
            let first = seen_at[index];
            problems.push(error(
                line,
                format!("a second entry for \"{context}\" (the first is at line {first})"),
            ));
            continue;
        }
        seen_at[index] = line;
        let text = &texts[index];
        let english = text.text.0.get(SOURCE_LANGUAGE).map_or("", String::as_str);
        if entry.msgstr.is_empty() {
            summary.untranslated.push(context.to_owned());
        } else if entry.msgid != english {
            summary.fuzzy.push((
                context.to_owned(),
                "the English changed since this file was exported; not imported: export again".into(),
            ));
        } else if entry.is_fuzzy() {
            summary.fuzzy.push((
                context.to_owned(),
                "marked fuzzy (to be reviewed in the translation tool); not imported".into(),
            ));
        } else {
            summary.translated.push(context.to_owned());
            wanted[index] = Some(entry.msgstr);
        }
    }
    summary.total = texts.iter().filter(|t| t.text.has(SOURCE_LANGUAGE)).count();
    let missing = texts.iter().zip(&seen_at).filter(|(t, line)| t.text.has(SOURCE_LANGUAGE) && **line == 0);
    summary.untranslated.extend(missing.map(|(t, _)| t.context.clone()));
    if problems.count > 0 {
        return Err(problems.into_list(po_file));
    }

    // The edits: each translation beside its text's other languages.
    let maps = map_literals(&loaded.source);
    let refuse = |message: String| vec![Diagnostic::error(&loaded.file, Position::FILE, message)];
    let places = place_texts(&texts, &maps).ok_or_else(|| {
        refuse("some texts of module.ron are written in a way Faro cannot edit in place (a map that is not \"language\": \"text\" pairs); nothing was written".into())
    })?;
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    let mut changed = 0;
    for (index, translation) in wanted.iter().enumerate() {
        let Some(translation) = translation else { continue };
        if texts[index].text.0.get(&lang) == Some(translation) {
            continue;
        }
        changed += 1;
        let map = &maps[places[index]];
        edits.push(edit_for(&loaded.source, map, &lang, translation));
    }
    let complete = texts.iter().zip(&wanted).all(|(t, w)| w.is_some() || t.text.has(&lang));
    let language_added = complete && !module.languages.contains(&lang);
    if language_added {
        edits.push(language_edit(&loaded.source, &lang).ok_or_else(|| {
            refuse(format!("every text now has \"{lang}\", but Faro could not find the module's `languages: [...]` list to add it; nothing was written"))
        })?);
    }
    let source = apply_edits(&loaded.source, edits);

    // What was written must read back as exactly the intended texts.
    let check = crate::load::parse_module(&loaded.file, &source).map_err(|d| {
        refuse(format!("the edited module does not parse ({d}); this is a bug in Faro, nothing was written"))
    })?;
    let new_texts = translatable_texts(&check);
    let mut expected_languages = module.languages.clone();
    if language_added {
        expected_languages.push(lang.clone());
    }
    let same = new_texts.len() == texts.len()
        && check.languages == expected_languages
        && texts.iter().zip(&new_texts).zip(&wanted).all(|((old, new), want)| {
            let mut expected = old.text.0.clone();
            if let Some(translation) = want {
                expected.insert(lang.clone(), translation.clone());
            }
            old.context == new.context && new.text.0 == expected
        });
    if !same {
        return Err(refuse(
            "two texts with identical content are written in an unusual order, so Faro cannot tell which is which; nothing was written".into(),
        ));
    }

    // The record of what each translation was made from.
    let mut new_sources = sources.clone();
    let record = new_sources.languages.entry(lang.clone()).or_default();
    for (text, want) in texts.iter().zip(&wanted) {
        if want.is_some() {
            let english = text.text.0.get(SOURCE_LANGUAGE).cloned().unwrap_or_default();
            record.insert(text.context.clone(), english);
        }
    }
    record.retain(|context, _| by_context.contains_key(context.as_str()));
    Ok(ImportPlan { lang, source, sources: new_sources, summary, language_added, changed })
}

/// The problems of a PO file: the first [`MAX_LISTED_PROBLEMS`] kept, the rest only counted, so
/// a file of a million bad entries costs no more memory than one of fifty.
#[derive(Default)]
struct Problems {
    listed: Vec<Diagnostic>,
    count: usize,
}

impl Problems {
    fn push(&mut self, problem: Diagnostic) {
        self.count += 1;
        if self.listed.len() < MAX_LISTED_PROBLEMS {
            self.listed.push(problem);
        }
    }

    fn into_list(mut self, file: &Path) -> Vec<Diagnostic> {
        if self.count > self.listed.len() {
            let rest = self.count - self.listed.len();
            self.listed.push(Diagnostic::error(file, Position::FILE, format!("and {rest} more problems")));
        }
        self.listed
    }
}

/// At most [`MAX_LISTED_PROBLEMS`] problems, and a count of the rest.
fn capped(mut problems: Vec<Diagnostic>, file: &Path) -> Vec<Diagnostic> {
    if problems.len() > MAX_LISTED_PROBLEMS {
        let rest = problems.len() - MAX_LISTED_PROBLEMS;
        problems.truncate(MAX_LISTED_PROBLEMS);
        problems.push(Diagnostic::error(file, Position::FILE, format!("and {rest} more problems")));
    }
    problems
}

/// A string as a RON string literal, escaped the way an author writes one (`ron::to_string` would
/// also escape every apostrophe, which French is full of).
fn ron_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The edit that puts `"lang": "translation"` into a text's map: its value replaced when the
/// language is there, else a new entry after the last one, on its own line when the map is
/// written one entry per line.
fn edit_for(
    source: &str,
    map: &MapLiteral,
    lang: &str,
    translation: &str,
) -> (std::ops::Range<usize>, String) {
    let value = ron_string(translation);
    if let Some(entry) = map.entries.iter().rev().find(|e| e.key == lang) {
        return (entry.value_span.clone(), value);
    }
    let pair = format!("{}: {value}", ron_string(lang));
    let Some(last) = map.entries.last() else {
        return (map.open + 1..map.open + 1, pair);
    };
    let after_last = last.comma.map_or(last.value_span.end, |c| c + 1);
    let one_per_line = source.get(after_last..map.close).is_some_and(|gap| gap.contains('\n'));
    let line_start = source[..last.value_span.start].rfind('\n').map_or(0, |n| n + 1);
    let indent: String = source[line_start..].chars().take_while(|c| *c == ' ' || *c == '\t').collect();
    let insert = match (last.comma.is_some(), one_per_line) {
        (true, true) => format!("\n{indent}{pair},"),
        (true, false) => format!(" {pair},"),
        (false, true) => format!(",\n{indent}{pair}"),
        (false, false) => format!(", {pair}"),
    };
    (after_last..after_last, insert)
}

/// The edit that adds `lang` to the module's `languages: [...]` list.
fn language_edit(source: &str, lang: &str) -> Option<(std::ops::Range<usize>, String)> {
    let key = Locator::new(source).field(Anchor(0), "languages")?;
    let open = key.0 + source[key.0..].find('[')?;
    let close = open + source[open..].find(']')?;
    let inside = source[open + 1..close].trim_end();
    let value = ron_string(lang);
    let insert = if inside.trim().is_empty() {
        value
    } else if inside.ends_with(',') {
        format!(" {value}")
    } else {
        format!(", {value}")
    };
    let at = open + 1 + inside.len();
    Some((at..at, insert))
}

/// Applies non-overlapping edits in one pass.
fn apply_edits(source: &str, mut edits: Vec<(std::ops::Range<usize>, String)>) -> String {
    edits.sort_by_key(|(range, _)| range.start);
    let mut out = String::with_capacity(source.len() + edits.iter().map(|(_, s)| s.len()).sum::<usize>());
    let mut at = 0;
    for (range, replacement) in edits {
        out.push_str(&source[at..range.start]);
        out.push_str(&replacement);
        at = range.end;
    }
    out.push_str(&source[at..]);
    out
}

/// What an import did.
#[derive(Clone, Debug)]
pub struct Imported {
    pub plan: ImportPlan,
    /// Warnings the validator gives the module now (a partly translated language is not in the
    /// module's `languages`, so each of its texts is reported as carrying an unlisted language).
    pub warnings: usize,
}

/// Why an import stopped, and whether anything had been written by then (only when the file on
/// disk turned out different from what was written).
#[derive(Clone, Debug)]
pub struct ImportRefused {
    pub problems: Vec<Diagnostic>,
    pub written: bool,
}

impl From<Vec<Diagnostic>> for ImportRefused {
    fn from(problems: Vec<Diagnostic>) -> Self {
        Self { problems, written: false }
    }
}

impl From<Diagnostic> for ImportRefused {
    fn from(problem: Diagnostic) -> Self {
        Self { problems: vec![problem], written: false }
    }
}

/// Imports the translations of `po_file` into the module in `dir`: the PO file is read (capped),
/// checked whole, the module edited in memory, re-read and validated; only then are `module.ron`
/// and the record written, each atomically. Any problem: errors, and nothing written.
pub fn import(
    dir: &Path,
    po_file: &Path,
    lang: Option<&str>,
    ctx: &Context<'_>,
) -> Result<Imported, ImportRefused> {
    let loaded = crate::load::load_module_dir(dir)?;
    let sources = load_sources(dir)?;
    let po_text = crate::load::read_text_capped(po_file, MAX_PO_FILE_BYTES)?;
    let plan = plan_import(&loaded, &sources, po_file, &po_text, lang)?;

    let before = Findings::of(&validate::validate(&loaded, ctx));
    let edited = LoadedModule {
        dir: loaded.dir.clone(),
        file: loaded.file.clone(),
        source: plan.source.clone(),
        module: crate::load::parse_module(&loaded.file, &plan.source)?,
    };
    let after_list = validate::validate(&edited, ctx);
    let after = Findings::of(&after_list);
    if before.truncated || after.truncated {
        // The validator lists the first findings and counts the rest, so errors that move in or
        // out of the list cannot be told apart: the number of errors must not grow.
        if after.errors > before.errors {
            let mut out = vec![Diagnostic::error(
                po_file,
                Position::FILE,
                format!(
                    "with these translations the module would have {} errors instead of {}; the first are listed below",
                    after.errors, before.errors
                ),
            )];
            out.extend(after_list.iter().filter(|d| d.is_error()).cloned());
            return Err(capped(out, po_file).into());
        }
    } else {
        let mut new_errors: Vec<Diagnostic> = Vec::new();
        let mut known = before.messages;
        for d in after_list.iter().filter(|d| d.is_error()) {
            match known.get_mut(&d.message) {
                Some(n) if *n > 0 => *n -= 1,
                _ => new_errors.push(d.clone()),
            }
        }
        if !new_errors.is_empty() {
            let mut out = vec![Diagnostic::error(
                po_file,
                Position::FILE,
                format!(
                    "with these translations the module would have {} new error(s), listed below",
                    new_errors.len()
                ),
            )];
            out.extend(new_errors);
            return Err(capped(out, po_file).into());
        }
    }
    let warnings = after.warnings;
    // Nothing is written over a module.ron that changed since it was read (an editor saving it).
    let on_disk = crate::load::read_text_capped(&loaded.file, crate::load::MAX_MODULE_FILE_BYTES)?;
    if on_disk != loaded.source {
        let message = "module.ron changed while the translations were being read (is an editor saving it?): import again";
        return Err(vec![Diagnostic::error(&loaded.file, Position::FILE, message)].into());
    }
    // The record first, so that a failure leaves nothing written: if module.ron then cannot be
    // written, the old record is put back.
    let record_file = sources::sources_path(dir);
    let old_record = std::fs::read(&record_file).ok();
    if plan.sources != sources {
        let text = sources::to_file_text(&plan.sources)
            .map_err(|e| vec![Diagnostic::error(&record_file, Position::FILE, e)])?;
        write(&record_file, text.as_bytes())?;
    }
    if (plan.changed > 0 || plan.language_added)
        && let Err(problems) = write(&loaded.file, plan.source.as_bytes())
    {
        let _ = match &old_record {
            Some(bytes) => crate::data::store::write_atomic(&record_file, bytes).map_err(|_| ()),
            None => std::fs::remove_file(&record_file).map_err(|_| ()),
        };
        return Err(problems.into());
    }
    // What is on disk now must read back as what was planned.
    match crate::load::load_module_dir(dir) {
        Ok(reloaded) if reloaded.source == plan.source => {}
        _ => {
            let message = "module.ron on disk is not what was written (did another program change it?): check it with faro validate";
            let problems = vec![Diagnostic::error(&loaded.file, Position::FILE, message)];
            return Err(ImportRefused { problems, written: true });
        }
    }
    Ok(Imported { plan, warnings })
}

/// What the validator found in a module: its errors by message, and how many errors and warnings
/// in all, counting those past the ones it lists.
struct Findings {
    messages: BTreeMap<String, usize>,
    errors: usize,
    warnings: usize,
    /// Whether the validator listed only the first findings and counted the rest.
    truncated: bool,
}

impl Findings {
    fn of(diagnostics: &[Diagnostic]) -> Self {
        let mut findings = Findings { messages: BTreeMap::new(), errors: 0, warnings: 0, truncated: false };
        for d in diagnostics {
            if let Some((errors, warnings)) = hidden_counts(&d.message) {
                findings.truncated = true;
                findings.errors += errors;
                findings.warnings += warnings;
            } else if d.is_error() {
                findings.errors += 1;
                *findings.messages.entry(d.message.clone()).or_insert(0) += 1;
            } else {
                findings.warnings += 1;
            }
        }
        findings
    }
}

/// The errors and warnings counted in the validator's last line when it lists only the first
/// findings ("and 120 more in this file (3 errors, 117 warnings) not shown: …").
fn hidden_counts(message: &str) -> Option<(usize, usize)> {
    let counts = message.strip_prefix("and ")?.split_once(" more in this file (")?.1;
    let (errors, rest) = counts.split_once(' ')?;
    let warnings = rest.split_once(", ")?.1.split(' ').next()?;
    Some((errors.parse().ok()?, warnings.parse().ok()?))
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), Vec<Diagnostic>> {
    crate::data::store::write_atomic(path, bytes)
        .map_err(|e| vec![Diagnostic::error(path, Position::FILE, e.to_string())])
}

/// The PO file of `lang` for the module in `dir`.
pub fn export_dir(dir: &Path, lang: &str) -> Result<Export, Vec<Diagnostic>> {
    check_language(lang).map_err(|why| vec![Diagnostic::error(PathBuf::from(lang), Position::FILE, why)])?;
    let loaded = crate::load::load_module_dir(dir).map_err(|d| vec![d])?;
    let sources = load_sources(dir).map_err(|d| vec![d])?;
    Ok(export(&loaded, &sources, lang))
}

/// Writes a PO file atomically.
pub fn write_po(out: &Path, po: &str) -> Result<(), Vec<Diagnostic>> {
    write(out, po.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::parse_module;

    const MINIMAL: &str = include_str!("../../tests/fixtures/good/minimal/module.ron");

    fn loaded(source: &str) -> LoadedModule {
        let module = parse_module(Path::new("module.ron"), source).unwrap();
        LoadedModule { dir: ".".into(), file: "module.ron".into(), source: source.to_owned(), module }
    }

    /// A PO file for `loaded` with `translations` as (path, msgstr), the other entries empty.
    fn po_with(loaded: &LoadedModule, translations: &[(&str, &str)]) -> String {
        let mut po = export(loaded, &TranslationSources::default(), "fr").po;
        for (context, msgstr) in translations {
            let entry = format!("msgctxt \"{context}\"\n");
            let at = po.find(&entry).unwrap();
            let line = at + po[at..].find("\nmsgstr ").unwrap() + 1;
            let end = line + po[line..].find('\n').unwrap();
            po.replace_range(line..end, &format!("msgstr \"{}\"", po::escape(msgstr)));
        }
        po
    }

    #[test]
    fn a_translation_goes_beside_the_other_languages_in_each_layout() {
        let source = MINIMAL
            .replace(
                r#"summary: {
        "en": "Shows every part of the module format.",
        "es": "Muestra cada parte del formato de módulo.",
    },"#,
                "summary: {\n        \"en\": \"Shows every part of the module format.\",\n        \"es\": \"Muestra cada parte del formato de módulo.\"\n    },",
            )
            .replace(r#"title: {"en": "Welcome", "es": "Bienvenida"}"#, r#"title: {"en": "Welcome", "es": "Bienvenida", "fr": "Salut",}"#);
        let loaded = loaded(&source);
        let prefix = "module:minimal-example";
        let po = po_with(
            &loaded,
            &[
                (&format!("{prefix}/title"), "Un exemple minimal"),
                (&format!("{prefix}/summary"), "Montre chaque partie \"du\" format.\nDeux lignes."),
                (&format!("{prefix}/content_note"), "Ce module mentionne l'exploitation."),
                (&format!("{prefix}/page:intro/title"), "Bienvenue"),
            ],
        );
        let plan =
            plan_import(&loaded, &TranslationSources::default(), Path::new("fr.po"), &po, None).unwrap();
        assert_eq!(plan.changed, 4);
        assert!(!plan.language_added);
        // One line: after the last entry.
        assert!(plan.source.contains(
            r#"title: {"en": "A minimal example", "es": "Un ejemplo mínimo", "fr": "Un exemple minimal"},"#
        ));
        // One entry per line, no trailing comma: a comma, then the entry on its own line.
        assert!(plan.source.contains("\"es\": \"Muestra cada parte del formato de módulo.\",\n        \"fr\": \"Montre chaque partie \\\"du\\\" format.\\nDeux lignes.\"\n    },"), "{}", &plan.source[..900]);
        // One entry per line with a trailing comma: the same, with its comma.
        assert!(plan.source.contains("\"es\": \"Este módulo menciona la explotación, sin detalles.\",\n        \"fr\": \"Ce module mentionne l'exploitation.\",\n    },"));
        // Already there: replaced.
        assert!(plan.source.contains(r#"title: {"en": "Welcome", "es": "Bienvenida", "fr": "Bienvenue",}"#));
        let record = plan.sources.languages.get("fr").unwrap();
        assert_eq!(record.get(&format!("{prefix}/page:intro/title")).map(String::as_str), Some("Welcome"));
        assert_eq!(plan.summary.translated.len(), 4);
        assert_eq!(plan.summary.untranslated.len(), plan.summary.total - 4);
    }

    #[test]
    fn identical_texts_written_in_an_unusual_order_are_refused_rather_than_swapped() {
        // A choice whose feedback comes before its text, both with the same words: the text
        // would take the feedback's place.
        let same = r#"{"en": "Same words.", "es": "Mismas palabras."}"#;
        let source = MINIMAL.replacen(
            r#"text: {"en": "Note the details and step away to call.", "es": "Anotar los detalles y alejarse para llamar."},
                            goto: "call",
                            feedback: {"en": "Good: you stay safe and keep the facts.", "es": "Bien: se mantiene a salvo y guarda los hechos."},"#,
            &format!("feedback: {same},\n goto: \"call\",\n text: {same},"),
            1,
        );
        assert_ne!(source, MINIMAL);
        let loaded = loaded(&source);
        let choice = "module:minimal-example/scenario:station/node:arrive/choice:note";
        let po = po_with(
            &loaded,
            &[(&format!("{choice}/text"), "Le texte"), (&format!("{choice}/feedback"), "Le retour")],
        );
        let refused =
            plan_import(&loaded, &TranslationSources::default(), Path::new("fr.po"), &po, None).unwrap_err();
        assert!(refused[0].message.contains("cannot tell which is which"), "{refused:?}");
        // The same translation for both is placed (either way round is right).
        let po = po_with(
            &loaded,
            &[(&format!("{choice}/text"), "Pareil"), (&format!("{choice}/feedback"), "Pareil")],
        );
        assert!(plan_import(&loaded, &TranslationSources::default(), Path::new("fr.po"), &po, None).is_ok());
    }

    #[test]
    fn a_file_of_many_bad_entries_lists_the_first_fifty_and_counts_the_rest() {
        let loaded = loaded(MINIMAL);
        let mut po = String::from("msgid \"\"\nmsgstr \"Language: fr\\n\"\n");
        for i in 0..1000 {
            po.push_str(&format!(
                "\nmsgctxt \"module:minimal-example/page:p{i}/title\"\nmsgid \"x\"\nmsgstr \"y\"\n"
            ));
        }
        let refused =
            plan_import(&loaded, &TranslationSources::default(), Path::new("fr.po"), &po, None).unwrap_err();
        assert_eq!(refused.len(), MAX_LISTED_PROBLEMS + 1);
        assert_eq!((refused[0].line, refused[1].line), (4, 8));
        assert_eq!(refused[MAX_LISTED_PROBLEMS].message, "and 950 more problems");
    }

    #[test]
    fn a_summary_counts_and_names_the_fuzzy_and_untranslated_texts() {
        let summary = Summary {
            total: 30,
            translated: vec!["a".into(); 3],
            fuzzy: vec![("m/f".into(), "the English changed".into())],
            untranslated: (0..26).map(|i| format!("m/u{i}")).collect(),
        };
        let text = summary.describe("translated");
        assert!(text.starts_with(
            "3 translated, 1 fuzzy, 26 untranslated (of 30 texts)\n  fuzzy: m/f: the English changed\n"
        ));
        assert!(text.contains("  untranslated: m/u0\n") && text.contains("  untranslated: m/u19\n"));
        assert!(!text.contains("m/u20") && text.contains("and 6 more untranslated"), "{text}");
        // A new language is all untranslated: counted, not listed.
        let new = Summary { total: 2, untranslated: vec!["x".into(), "y".into()], ..Summary::default() };
        assert_eq!(new.describe("translated"), "0 translated, 0 fuzzy, 2 untranslated (of 2 texts)\n");
    }

    #[test]
    fn the_validators_count_of_unlisted_findings_is_read() {
        let line = "and 120 more in this file (3 errors, 117 warnings) not shown: fix the ones above and validate again";
        assert_eq!(hidden_counts(line), Some((3, 117)));
        assert_eq!(hidden_counts("and 1 more in this file (0 errors, 1 warning) not shown"), Some((0, 1)));
        assert_eq!(hidden_counts("module title is missing its \"fr\" translation"), None);
    }

    #[test]
    fn language_codes() {
        for good in ["fr", "ht", "pt-BR", "fr_CA", "es"] {
            assert!(check_language(good).is_ok(), "{good}");
        }
        for bad in ["en", "", "FR", "f", "french", "fr-", "fr/../x", "fr\n"] {
            assert!(check_language(bad).is_err(), "{bad:?}");
        }
    }
}

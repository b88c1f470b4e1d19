//! `faro new module`: a small, valid module that shows every building block once, with
//! comments saying what to change. The CLI only parses arguments and prints; this writes.

use std::path::{Path, PathBuf};

use chrono::{Months, NaiveDate};

use crate::format::Lang;

/// The languages the template is written in; others are refused rather than filled with
/// English that looks translated.
pub const TEMPLATE_LANGUAGES: [&str; 2] = ["en", "es"];

/// Where the placeholder image goes, relative to the module folder.
pub const PLACEHOLDER_IMAGE: &str = "images/placeholder.png";

/// What to make.
#[derive(Clone, Debug)]
pub struct NewModule {
    pub id: String,
    /// The title in every language; default: from the id ("shelter-intake" → "Shelter intake").
    pub title: Option<String>,
    /// Languages, in order; each must be one of [`TEMPLATE_LANGUAGES`].
    pub languages: Vec<Lang>,
    /// Today: `review_by` is set a year later.
    pub today: NaiveDate,
}

/// Why a module cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    #[error("module id \"{0}\" must use only a-z, 0-9 and - (for example \"shelter-intake\")")]
    BadId(String),
    #[error("give at least one language (--languages en,es)")]
    NoLanguages,
    #[error("language \"{0}\" is listed twice")]
    RepeatedLanguage(String),
    #[error(
        "the template is written in English (en) and Spanish (es), not \"{0}\": start with those and add \"{0}\" by hand"
    )]
    UnknownLanguage(String),
    #[error("{} already exists and is not empty; choose a new folder (nothing was written)", .0.display())]
    NotEmpty(PathBuf),
    #[error("{} exists and is not a folder", .0.display())]
    NotAFolder(PathBuf),
    #[error("cannot write {}: {source}", path.display())]
    Write { path: PathBuf, source: std::io::Error },
    #[error("cannot make the placeholder image: {0}")]
    Image(String),
}

impl NewModule {
    /// Checks the id and languages.
    fn check(&self) -> Result<(), ScaffoldError> {
        if !crate::validate::is_valid_module_id(&self.id) {
            return Err(ScaffoldError::BadId(self.id.clone()));
        }
        if self.languages.is_empty() {
            return Err(ScaffoldError::NoLanguages);
        }
        for (i, lang) in self.languages.iter().enumerate() {
            if !TEMPLATE_LANGUAGES.contains(&lang.as_str()) {
                return Err(ScaffoldError::UnknownLanguage(lang.clone()));
            }
            if self.languages[..i].contains(lang) {
                return Err(ScaffoldError::RepeatedLanguage(lang.clone()));
            }
        }
        Ok(())
    }

    /// The title: as given, or made from the id.
    fn title(&self) -> String {
        if let Some(title) = self.title.as_ref().filter(|t| !t.trim().is_empty()) {
            return title.trim().to_owned();
        }
        let words = self.id.split('-').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ");
        let mut chars = words.chars();
        chars.next().map_or_else(String::new, |first| first.to_uppercase().chain(chars).collect())
    }

    /// The text of `module.ron`.
    pub fn source(&self) -> Result<String, ScaffoldError> {
        self.check()?;
        let langs = &self.languages;
        let title = self.title();
        let mut out = TEMPLATE.to_owned();
        let review_by = self.today.checked_add_months(Months::new(12)).unwrap_or(self.today);
        let fields = [
            ("id", ron_string(&self.id)),
            (
                "languages",
                format!("[{}]", langs.iter().map(|l| ron_string(l)).collect::<Vec<_>>().join(", ")),
            ),
            ("title", text(langs, &title, &format!("{title} {UNTRANSLATED_MARK}"))),
            ("review_by", ron_string(&review_by.to_string())),
        ];
        for (key, value) in fields {
            out = out.replace(&format!("«{key}»"), &value);
        }
        // Texts go inline when the line stays short, else one language per line, indented as
        // the line they are on: an author reads and edits each language on its own line.
        let mut filled = String::with_capacity(out.len() * 2);
        for line in out.lines() {
            let indent: String = line.chars().take_while(|&c| c == ' ').collect();
            let mut line = line.to_owned();
            for (key, en, es) in TEXTS {
                let marker = format!("«{key}»");
                if !line.contains(&marker) {
                    continue;
                }
                let inline = text(langs, en, es);
                let fits = line.chars().count() + inline.chars().count() <= MAX_LINE_CHARS;
                let rendered =
                    if fits || langs.len() == 1 { inline } else { text_block(langs, en, es, &indent) };
                line = line.replacen(&marker, &rendered, 1);
            }
            filled.push_str(&line);
            filled.push('\n');
        }
        Ok(filled)
    }

    /// Writes the module into `dir` (made if missing): `module.ron` and the placeholder image.
    /// Refuses a `dir` that exists and is not empty. Returns the files written.
    pub fn write(&self, dir: &Path) -> Result<Vec<PathBuf>, ScaffoldError> {
        let source = self.source()?;
        if dir.exists() {
            if !dir.is_dir() {
                return Err(ScaffoldError::NotAFolder(dir.to_owned()));
            }
            let mut entries = std::fs::read_dir(dir)
                .map_err(|source| ScaffoldError::Write { path: dir.to_owned(), source })?;
            if entries.next().is_some() {
                return Err(ScaffoldError::NotEmpty(dir.to_owned()));
            }
        }
        let image = placeholder_png()?;
        let module_file = dir.join(crate::load::MODULE_FILE);
        let image_file = dir.join(PLACEHOLDER_IMAGE);
        let images = image_file.parent().unwrap_or(dir);
        std::fs::create_dir_all(images)
            .map_err(|source| ScaffoldError::Write { path: images.to_owned(), source })?;
        write_new(&module_file, source.as_bytes())?;
        write_new(&image_file, &image)?;
        Ok(vec![module_file, image_file])
    }
}

/// Writes a file that must not exist yet: a folder filled between the check and the write is
/// not overwritten.
fn write_new(path: &Path, bytes: &[u8]) -> Result<(), ScaffoldError> {
    use std::io::Write;
    let fail = |source| ScaffoldError::Write { path: path.to_owned(), source };
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(path).map_err(fail)?;
    file.write_all(bytes).map_err(fail)
}

/// A 160×90 grey PNG with a darker frame and a cross: plainly a placeholder, a few hundred
/// bytes.
pub fn placeholder_png() -> Result<Vec<u8>, ScaffoldError> {
    let (width, height) = (160u32, 90u32);
    let image = image::GrayImage::from_fn(width, height, |x, y| {
        let frame = x < 3 || y < 3 || x >= width - 3 || y >= height - 3;
        let cross = x.abs_diff(width / 2) < 2 || y.abs_diff(height / 2) < 2;
        image::Luma([if frame || cross { 150 } else { 225 }])
    });
    let mut bytes = std::io::Cursor::new(Vec::new());
    image.write_to(&mut bytes, image::ImageFormat::Png).map_err(|e| ScaffoldError::Image(e.to_string()))?;
    Ok(bytes.into_inner())
}

/// A RON string literal.
fn ron_string(s: &str) -> String {
    // Serializing a plain string cannot fail; the fallback keeps the function total.
    ron::to_string(s).unwrap_or_else(|_| format!("{s:?}"))
}

/// A translated text in RON, `{"en": "...", "es": "..."}`, with the module's languages only.
fn text(langs: &[Lang], en: &str, es: &str) -> String {
    let entries: Vec<String> = langs
        .iter()
        .map(|lang| {
            let value = if lang == "es" { es } else { en };
            format!("{}: {}", ron_string(lang), ron_string(value))
        })
        .collect();
    format!("{{{}}}", entries.join(", "))
}

/// A translated text with one language per line: `{`, then each language indented one level
/// deeper than `indent`, then `}` at `indent`.
fn text_block(langs: &[Lang], en: &str, es: &str, indent: &str) -> String {
    let mut out = String::from("{\n");
    for lang in langs {
        let value = if lang == "es" { es } else { en };
        out.push_str(&format!("{indent}    {}: {},\n", ron_string(lang), ron_string(value)));
    }
    out.push_str(indent);
    out.push('}');
    out
}

/// Longest generated line that keeps a text inline.
const MAX_LINE_CHARS: usize = 100;

/// Put after a text the template could not translate (the Spanish title, made from the id or
/// given once for every language), so that the validator finds it until someone translates it.
pub const UNTRANSLATED_MARK: &str = "[traducir]";

/// The marks of the template's placeholder texts, the ones that tell the author to replace them
/// (the summary, the page text, the image's description): a text that still has one of these
/// phrases was not written by its author, and the validator says so. The template's other texts
/// are sound example content an author may keep.
pub const PLACEHOLDER_MARKS: &[&str] = &[
    "replace every text with your own",
    "reemplace cada texto por el suyo",
    "Replace this text with your own",
    "Reemplace este texto por el suyo",
    "Placeholder image: replace it with your own picture",
    "Imagen provisional: reemplácela por su propia imagen",
];

/// The module, with «key» where a value or a translated text goes.
const TEMPLATE: &str = include_str!("scaffold/template.ron");

/// Each translated text of the template: (key, English, Spanish). In Spanish, human
/// trafficking is "trata de personas"; "tráfico de personas" is migrant smuggling.
const TEXTS: &[(&str, &str, &str)] = &[
    (
        "summary",
        "A short module made from the Faro template: replace every text with your own.",
        "Un módulo breve hecho con la plantilla de Faro: reemplace cada texto por el suyo.",
    ),
    (
        "content_note",
        "This module mentions the exploitation of a young person, without detail.",
        "Este módulo menciona la explotación de una persona joven, sin detalles.",
    ),
    ("page_title", "What volunteers do", "Lo que hacen las personas voluntarias"),
    (
        "page_text",
        "Replace this text with your own. Texts use Markdown: **bold**, *italics*, lists. Volunteers **notice** signs of human trafficking, **note** the facts and **report** them; they never investigate on their own.",
        "Reemplace este texto por el suyo. Los textos usan Markdown: **negrita**, *cursiva*, listas. Las personas voluntarias **observan** las señales de trata de personas, **anotan** los hechos y los **reportan**; nunca investigan por su cuenta.",
    ),
    (
        "image_alt",
        "Placeholder image: replace it with your own picture, and describe that picture here for people who cannot see it.",
        "Imagen provisional: reemplácela por su propia imagen y describa esa imagen aquí para quienes no pueden verla.",
    ),
    (
        "callout",
        "Never confront a suspected trafficker or try to rescue anyone yourself: it can put the person and you in danger. Note what you see and report it.",
        "Nunca confronte a un presunto tratante ni intente rescatar a nadie por su cuenta: puede ponerlos en peligro a esa persona y a usted. Anote lo que ve y repórtelo.",
    ),
    ("contact_name", "Emergency (United States)", "Emergencias (Estados Unidos)"),
    ("contact_hours", "24/7", "Las 24 horas, todos los días"),
    ("contact_when", "Immediate danger.", "Peligro inmediato."),
    (
        "indicators_title",
        "Signs that may point to trafficking",
        "Señales que pueden indicar trata de personas",
    ),
    (
        "indicator_1",
        "Someone else speaks for the person and answers every question.",
        "Otra persona habla por ella y contesta todas las preguntas.",
    ),
    (
        "indicator_2",
        "The person does not hold their own identity documents.",
        "La persona no tiene en su poder sus propios documentos de identidad.",
    ),
    ("scenario_title", "Practice: at the bus station", "Práctica: en la central de autobuses"),
    (
        "scenario_note",
        "This scenario describes a teenager who may be controlled by an adult, without detail.",
        "Este escenario describe a una adolescente que podría estar bajo el control de un adulto, sin detalles.",
    ),
    (
        "notice_text",
        "At the bus station, a teenager looks frightened. The adult with her answers every question for her and holds her papers.",
        "En la central de autobuses, una adolescente se ve asustada. El adulto que la acompaña contesta todas las preguntas por ella y tiene sus documentos.",
    ),
    (
        "note_text",
        "Note the details and move away to make a call.",
        "Anotar los detalles y alejarse para hacer una llamada.",
    ),
    (
        "note_feedback",
        "Good: you stay safe and keep the facts.",
        "Bien: usted se mantiene a salvo y conserva los hechos.",
    ),
    (
        "confront_text",
        "Tell the adult you know what he is doing.",
        "Decirle al adulto que usted sabe lo que está haciendo.",
    ),
    (
        "confront_why",
        "Confronting a suspect can put the teenager and you in danger, and he may take her somewhere else.",
        "Confrontar a un sospechoso puede ponerlos en peligro a ella y a usted, y él podría llevársela a otro lugar.",
    ),
    (
        "confront_instead",
        "Stay calm, note the details, and report from a safe place.",
        "Mantenga la calma, anote los detalles y repórtelo desde un lugar seguro.",
    ),
    ("call_text", "You are out of their sight. What do you do?", "Ya está fuera de su vista. ¿Qué hace?"),
    (
        "report_text",
        "Call the hotline (or 911 if she is in immediate danger) and share your notes.",
        "Llamar a la línea de ayuda (o al 911 si ella está en peligro inmediato) y compartir sus notas.",
    ),
    (
        "report_feedback",
        "Right: trained people can now act on what you saw.",
        "Correcto: ahora personas capacitadas pueden actuar con lo que usted vio.",
    ),
    ("leave_text", "Leave: it is none of your business.", "Irse: no es asunto suyo."),
    ("reported_summary", "You reported what you saw, safely.", "Usted reportó lo que vio, de forma segura."),
    (
        "walked_away_summary",
        "The signs went unreported, and the teenager got no help.",
        "Las señales no se reportaron y la adolescente no recibió ayuda.",
    ),
    ("check_title", "Check your understanding", "Compruebe lo aprendido"),
    (
        "question",
        "If you suspect human trafficking, you should confront the suspect yourself.",
        "Si sospecha que hay trata de personas, debe confrontar personalmente al sospechoso.",
    ),
    ("true", "True", "Verdadero"),
    ("false", "False", "Falso"),
    (
        "true_explain",
        "No: confronting can put people in danger. Note the facts and report them.",
        "No: confrontar puede poner en peligro a las personas. Anote los hechos y repórtelos.",
    ),
    (
        "false_explain",
        "Right: notice, note and report, and leave the rest to trained people.",
        "Correcto: observar, anotar y reportar, y dejar el resto a personas capacitadas.",
    ),
];

#[cfg(test)]
mod tests;

//! One Spanish voice (issue 13; FACTS.md §10–11 and the content brief): every Spanish text a
//! learner can see, in every module under modules/, in assets/regions.ron and in the Spanish UI
//! strings, avoids the forms the glossary replaced. The test lists every failure at once, each
//! with its file, where the text is (ids) and the phrase.

use std::path::Path;

use faro::format::{
    Answer, Block, Callout, Check, Choice, ContactCard, Critical, Ending, Image, IndicatorList, Module, Node,
    Page, Question, QuestionKind, Region, Scenario, Step, Text,
};

/// The prompt of every multiple-select question ends with this.
const MULTIPLE_SELECT: &str = "Elija todas las respuestas correctas.";

/// The one sentence (module 01) that quotes "tráfico de personas" to explain why Faro avoids it.
const AMBIGUITY_EXPLAINED: &str = "Mucha gente dice “tráfico de personas”, pero esa frase es ambigua";

/// The Texas Abuse Hotline's Spanish name with the English name in brackets, as in
/// “(Texas Abuse Hotline)” or “(Texas Abuse Hotline, 1-800-252-5400)”.
const TEXAS_HOTLINE: &str = "Línea de Texas para Reportar Abuso (Texas Abuse Hotline";

/// Where "menor(es)" is a proper name, not a word for a child: NCMEC's Spanish name.
const NCMEC_NAME: &str = "Centro Nacional para Menores Desaparecidos y Explotados";

#[test]
fn every_spanish_text_speaks_with_one_voice() {
    let mut failures = Vec::new();
    let mut texts = 0;

    let dirs = faro::load::module_dirs(Path::new("modules")).expect("modules/ exists");
    for dir in &dirs {
        let loaded = faro::load::load_module_dir(dir).unwrap_or_else(|e| panic!("{e}"));
        let file = loaded.file.display().to_string();
        let mut walk = Walk::default();
        walk.module(&loaded.module);
        for found in &walk.found {
            check(&file, &found.at, found.text.get("es"), &found.shown_with, &mut failures);
        }
        texts += walk.found.len();
        for (location, question) in questions(&loaded.module) {
            if question.kind == QuestionKind::Multiple
                && !question.prompt.get("es").trim_end().ends_with(MULTIPLE_SELECT)
            {
                failures.push(format!(
                    "{file}: {location}: a multiple-select prompt must end with “{MULTIPLE_SELECT}”"
                ));
            }
        }
    }

    let regions = faro::bundled::regions().expect("assets/regions.ron parses");
    let mut walk = Walk::default();
    for region in &regions.regions {
        walk.region(region);
    }
    for found in &walk.found {
        check(faro::bundled::REGIONS_NAME, &found.at, found.text.get("es"), &found.shown_with, &mut failures);
    }

    let ui = spanish_ui_strings();
    assert!(ui.len() > 100, "found only {} Spanish UI strings in src/app/strings/mod.rs", ui.len());
    for (field, literal) in &ui {
        check("src/app/strings/mod.rs", &format!("ES.{field}"), literal, "", &mut failures);
    }

    assert!(dirs.len() >= 5 && texts > 1000, "walked {} modules and {texts} texts", dirs.len());
    assert!(
        failures.is_empty(),
        "{} Spanish texts break the glossary:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Checks one Spanish text; `location` ends in `prompt` for a question's prompt, and `shown_with`
/// is what the learner sees with it (a contact card's name and number).
fn check(file: &str, location: &str, es: &str, shown_with: &str, failures: &mut Vec<String>) {
    let mut fail =
        |phrase: &str, rule: &str| failures.push(format!("{file}: {location}: “{phrase}”: {rule}"));
    let lower = es.to_lowercase();

    for &(needle, rule) in FORBIDDEN {
        for at in find_words(&lower, needle) {
            fail(&context(&lower, at, needle.len()), rule);
        }
    }
    if location.ends_with("prompt") {
        for needle in ["que apliquen", "que correspondan"] {
            for at in find_words(&lower, needle) {
                fail(
                    &context(&lower, at, needle.len()),
                    "a multiple-select prompt ends with “Elija todas las respuestas correctas.”",
                );
            }
        }
    }
    for quote in ["\"", "«", "»"] {
        for at in lower.match_indices(quote).map(|(at, _)| at) {
            fail(&context(&lower, at, quote.len()), "quotes in Spanish are “ ”");
        }
    }

    let without_explanation = lower.replace(&AMBIGUITY_EXPLAINED.to_lowercase(), "");
    for at in find_words(&without_explanation, "tráfico de personas") {
        fail(
            &context(&without_explanation, at, "tráfico de personas".len()),
            "trafficking is “trata de personas”, smuggling “tráfico ilícito de migrantes”",
        );
    }

    let short_name = TEXAS_HOTLINE.split(" (").next().unwrap();
    if let Some(at) = es.find(short_name)
        && !es[at..].starts_with(TEXAS_HOTLINE)
    {
        fail(
            &context(es, at, short_name.len()),
            "the first time in a text: “Línea de Texas para Reportar Abuso (Texas Abuse Hotline)”",
        );
    }
    let without_full_name = es.replace(TEXAS_HOTLINE, "");
    for at in without_full_name.match_indices("Texas Abuse Hotline").map(|(at, _)| at) {
        fail(
            &context(&without_full_name, at, "Texas Abuse Hotline".len()),
            "the first time in a text: “Línea de Texas para Reportar Abuso (Texas Abuse Hotline)”; after that “Línea de Texas para Reportar Abuso”",
        );
    }

    // Always "coordinador(a)": not "coordinador" alone, "coordinadora", "persona coordinadora".
    for at in find_prefixes(&lower, "coordinador") {
        if !lower[at..].starts_with("coordinador(a)") {
            fail(&context(&lower, at, "coordinador".len()), "the coordinator is always “coordinador(a)”");
        }
    }

    // "menor(es)" only in "menor de edad" / "menores de 18 años"; otherwise "niña, niño o adolescente".
    let without_ncmec = lower.replace(&NCMEC_NAME.to_lowercase(), "");
    for word in ["menor", "menores"] {
        for at in find_words(&without_ncmec, word) {
            let after = &without_ncmec[at + word.len()..];
            if !after.starts_with(" de edad") && !after.starts_with(" de 18") {
                fail(
                    &context(&without_ncmec, at, word.len()),
                    "say “niña, niño o adolescente” (plural “niñas, niños y adolescentes”); “menor de edad” only in legal statements",
                );
            }
        }
    }

    // "denunciar" is a formal complaint: its sentence names where it is made.
    let shown_with = shown_with.to_lowercase();
    for sentence in sentences(&lower) {
        let names = |s: &&str| sentence.contains(s) || shown_with.contains(s);
        if sentence.contains("denunci")
            && !["089", "ministerio público", "denuncia anónima", "policía"].iter().any(names)
        {
            fail(
                sentence.trim(),
                "“denunciar” only for a formal complaint (089, Ministerio Público, Denuncia Anónima, policía); otherwise “reportar”, “avisar” or “informar”",
            );
        }
    }
}

/// Forms that are always wrong in Faro's Spanish, lowercase, matched as whole words.
const FORBIDDEN: &[(&str, &str)] = &[
    ("verle", "no leísmo: “verlo” or rephrase (“fuera de la vista y del alcance del oído de …”)"),
    ("oírle", "no leísmo: “oírlo” or rephrase (“fuera de la vista y del alcance del oído de …”)"),
    ("oirle", "no leísmo: “oírlo” or rephrase"),
    ("le vea", "no leísmo: “lo vea” or rephrase"),
    ("le oiga", "no leísmo: “lo oiga” or rephrase"),
    ("le oye", "no leísmo: “lo oye” or rephrase"),
    ("detalles gráficos", "say “detalles explícitos”"),
    ("tarjeta-llave", "a hotel key card is a “tarjeta de acceso de hotel”"),
    ("tarjeta llave", "a hotel key card is a “tarjeta de acceso de hotel”"),
    ("llave de hotel", "a hotel key card is a “tarjeta de acceso de hotel”"),
    ("o chat en", "say “o use el chat en”"),
    ("persona que coordina", "the coordinator is always “coordinador(a)”"),
    ("a la coordinación", "the coordinator is always “coordinador(a)”"),
    ("autoridades federales", "Continued Presence and tip lines: “autoridades policiales federales”"),
    ("autoridad federal", "federal law enforcement is an “autoridad policial federal”"),
];

/// Byte offsets of `needle` in `hay` where it is a whole word (or words).
fn find_words(hay: &str, needle: &str) -> Vec<usize> {
    find_prefixes(hay, needle)
        .into_iter()
        .filter(|&at| !hay[at + needle.len()..].starts_with(char::is_alphanumeric))
        .collect()
}

/// Byte offsets of `needle` in `hay` where it starts a word.
fn find_prefixes(hay: &str, needle: &str) -> Vec<usize> {
    hay.match_indices(needle)
        .map(|(at, _)| at)
        .filter(|&at| !hay[..at].ends_with(char::is_alphanumeric))
        .collect()
}

/// The phrase at `at..at + len` with a few words either side.
fn context(text: &str, at: usize, len: usize) -> String {
    let start = text[..at].char_indices().rev().nth(24).map_or(0, |(i, _)| i);
    let end = text[at + len..].char_indices().nth(24).map_or(text.len(), |(i, _)| at + len + i);
    format!("…{}…", &text[start..end]).replace('\n', " ")
}

/// The sentences of a text: split at line breaks and at `.`, `?`, `!` before a space.
fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut start = 0;
        for (at, c) in line.char_indices() {
            let next = line[at + c.len_utf8()..].chars().next();
            if matches!(c, '.' | '?' | '!') && next.is_none_or(char::is_whitespace) {
                out.push(&line[start..at + 1]);
                start = at + 1;
            }
        }
        out.push(&line[start..]);
    }
    out
}

/// A translated text, where it is (ids), and what is shown with it: a contact card's name and
/// number belong to every sentence of the card.
struct Found<'a> {
    at: String,
    text: &'a Text,
    shown_with: String,
}

/// Collects the translated texts of a module or of the region data.
#[derive(Default)]
struct Walk<'a> {
    found: Vec<Found<'a>>,
}

impl<'a> Walk<'a> {
    fn text(&mut self, at: String, text: &'a Text) {
        self.found.push(Found { at, text, shown_with: String::new() });
    }

    fn optional(&mut self, at: String, text: &'a Option<Text>) {
        if let Some(text) = text {
            self.text(at, text);
        }
    }

    fn image(&mut self, at: &str, image: &'a Image) {
        let Image { path, alt, caption } = image;
        self.text(format!("{at}/Image {path}/alt"), alt);
        self.optional(format!("{at}/Image {path}/caption"), caption);
    }

    fn card(&mut self, at: &str, card: &'a ContactCard) {
        let ContactCard { id, name, region: _, phone, sms: _, url: _, hours, languages, when } = card;
        let at = format!("{at}/Contact {id}");
        let shown_with = format!("{} {}", name.get("es"), phone.as_deref().unwrap_or(""));
        for (field, text) in [
            ("name", Some(name)),
            ("hours", hours.as_ref()),
            ("languages", languages.as_ref()),
            ("when", Some(when)),
        ] {
            if let Some(text) = text {
                self.found.push(Found { at: format!("{at}/{field}"), text, shown_with: shown_with.clone() });
            }
        }
    }

    fn region(&mut self, region: &'a Region) {
        let Region { id, name, note, contacts } = region;
        let at = format!("region {id}");
        self.text(format!("{at}/name"), name);
        self.optional(format!("{at}/note"), note);
        for card in contacts {
            self.card(&at, card);
        }
    }

    /// Every translated text of a module. The structs are taken apart field by field (no `..`),
    /// so a new field in the format does not compile until it is walked here.
    fn module(&mut self, module: &'a Module) {
        let Module {
            id: _,
            version: _,
            languages: _,
            title,
            summary,
            minutes: _,
            review_by: _,
            valid_for_months: _,
            regions: _,
            sources: _,
            content_note,
            pass_rule: _,
            steps,
        } = module;
        self.text("title".to_owned(), title);
        self.text("summary".to_owned(), summary);
        self.optional("content_note".to_owned(), content_note);
        for step in steps {
            match step {
                Step::Page(Page { id, title, blocks }) => {
                    self.text(format!("{id}/title"), title);
                    for (i, block) in blocks.iter().enumerate() {
                        let at = format!("{id}/blocks[{i}]");
                        match block {
                            Block::Text(text) => self.text(format!("{at}/Text"), text),
                            Block::Image(image) => self.image(&at, image),
                            Block::Callout(Callout { kind: _, text }) => {
                                self.text(format!("{at}/Callout"), text)
                            }
                            Block::Contact(card) => self.card(&at, card),
                            Block::Indicators(IndicatorList { title, items }) => {
                                self.text(format!("{at}/Indicators/title"), title);
                                for (j, item) in items.iter().enumerate() {
                                    self.text(format!("{at}/Indicators/items[{j}]"), item);
                                }
                            }
                            Block::Sources(_) => {}
                        }
                    }
                }
                Step::Scenario(Scenario {
                    id,
                    title,
                    content_note,
                    start: _,
                    nodes,
                    endings,
                    pass_score: _,
                    requires: _,
                }) => {
                    self.text(format!("{id}/title"), title);
                    self.optional(format!("{id}/content_note"), content_note);
                    for Node { id: node, text, image, choices } in nodes {
                        let at = format!("{id}/{node}");
                        self.text(format!("{at}/text"), text);
                        if let Some(image) = image {
                            self.image(&at, image);
                        }
                        for Choice {
                            id: choice,
                            text,
                            goto: _,
                            feedback,
                            score: _,
                            sets: _,
                            when: _,
                            critical,
                            act: _,
                        } in choices
                        {
                            let at = format!("{at}/{choice}");
                            self.text(format!("{at}/text"), text);
                            self.optional(format!("{at}/feedback"), feedback);
                            if let Some(Critical { why, instead }) = critical {
                                self.text(format!("{at}/critical/why"), why);
                                self.text(format!("{at}/critical/instead"), instead);
                            }
                        }
                    }
                    for Ending { id: ending, outcome: _, summary, claims: _ } in endings {
                        self.text(format!("{id}/{ending}/summary"), summary);
                    }
                }
                Step::Check(Check { id, title, pass_mark: _, questions }) => {
                    self.text(format!("{id}/title"), title);
                    for Question { id: question, kind: _, prompt, answers } in questions {
                        let at = format!("{id}/{question}");
                        self.text(format!("{at}/prompt"), prompt);
                        for Answer { id: answer, text, correct: _, explain } in answers {
                            self.text(format!("{at}/{answer}/text"), text);
                            self.text(format!("{at}/{answer}/explain"), explain);
                        }
                    }
                }
            }
        }
    }
}

/// Every question of a module, with where it is.
fn questions(module: &Module) -> Vec<(String, &Question)> {
    let mut out = Vec::new();
    for step in &module.steps {
        if let Step::Check(check) = step {
            out.extend(check.questions.iter().map(|q| (format!("{}/{}/prompt", check.id, q.id), q)));
        }
    }
    out
}

/// The string literals of `pub const ES: Strings` in src/app/strings/mod.rs, with their field names.
/// The table is a struct, so there is no way to list its fields at run time: read the source.
/// Each entry is one line, `field: "literal",`.
fn spanish_ui_strings() -> Vec<(String, String)> {
    let source = std::fs::read_to_string("src/app/strings/mod.rs").expect("src/app/strings/mod.rs");
    let start = source.find("pub const ES: Strings = Strings {").expect("the ES table");
    let end = start + source[start..].find("\n};").expect("the end of the ES table");
    let mut out = Vec::new();
    for line in source[start..end].lines().skip(1) {
        let Some((field, rest)) = line.split_once(": \"") else { continue };
        let mut literal = String::new();
        let mut chars = rest.chars();
        while let Some(c) = chars.next() {
            match c {
                '"' => break,
                '\\' => literal.push(match chars.next() {
                    Some('n') => '\n',
                    Some(other) => other,
                    None => break,
                }),
                _ => literal.push(c),
            }
        }
        out.push((field.trim().to_owned(), literal));
    }
    out
}

/// The checker itself: each form the glossary replaced is caught, and the forms it asks for pass.
#[test]
fn the_checker_catches_each_replaced_form_and_accepts_the_glossary() {
    let bad = [
        "Es un caso de tráfico de personas.",
        "Avise a la persona coordinadora.",
        "Avise a su coordinador o coordinadora.",
        "Si un menor le cuenta algo, escúchelo.",
        "Denuncie ante la CyberTipline.",
        "Aléjese a donde él no pueda verle ni oírle.",
        "No contiene detalles gráficos.",
        "Le dijo \"no\".",
        "Trae una tarjeta-llave de hotel.",
        "Envíe un mensaje o chat en humantraffickinghotline.org.",
        "La solicitan las autoridades federales.",
        "Llame a la Texas Abuse Hotline.",
    ];
    for es in bad {
        let mut failures = Vec::new();
        check("sample", "text", es, "", &mut failures);
        assert!(!failures.is_empty(), "should be caught: {es}");
    }
    let good = [
        "Avise a su coordinador(a).",
        "Si una niña, niño o adolescente le cuenta algo, escúchelo.",
        "Repórtelo a la CyberTipline del NCMEC.",
        "Para denunciar un delito sin dar su nombre, llame al 089.",
        "Es menor de edad.",
        "No contiene detalles explícitos.",
        "Le dijo “no”.",
        "Trae una tarjeta de acceso de hotel.",
        "La solicitan las autoridades policiales federales.",
        "Reporte a la Línea de Texas para Reportar Abuso (Texas Abuse Hotline, 1-800-252-5400).",
    ];
    for es in good {
        let mut failures = Vec::new();
        check("sample", "text", es, "", &mut failures);
        assert!(failures.is_empty(), "should pass: {es}: {failures:?}");
    }
}

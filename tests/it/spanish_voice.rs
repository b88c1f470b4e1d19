//! One Spanish voice (issues 13 and 22; FACTS.md §10–11 and the content brief): every Spanish
//! text a learner can see, in every module under modules/, in assets/regions.ron and in the
//! Spanish UI strings, avoids the forms the glossary replaced. The texts come from the validator's
//! own walk (`faro::validate::visit_texts`), which takes every format struct apart field by field,
//! so a text added to the format is checked here too. Forms are matched in any case and with or
//! without accents ("Denúnciela", "DENUNCIELA"). The test lists every failure at once, each with
//! its file, where the text is and the phrase.

use std::path::Path;

use faro::format::{Module, Question, QuestionKind, Step};

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
        faro::validate::visit_texts(&loaded.module, &loaded.locator(), &mut |text, place, _| {
            let at = format!("{} ({})", (place.what)(), place.field);
            check(&file, &at, text.get("es"), &shown_with(place), &mut failures);
            texts += 1;
        });
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
    faro::validate::for_each_region_text(&regions, &mut |text, place| {
        let at = format!("{} ({})", (place.what)(), place.field);
        check(faro::bundled::REGIONS_NAME, &at, text.get("es"), &shown_with(place), &mut failures);
    });

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

/// What the learner sees with a text: a contact card's name and number belong to every sentence
/// of the card.
fn shown_with(place: &faro::validate::TextPlace<'_>) -> String {
    place.card.map_or(String::new(), |card| {
        format!("{} {}", card.name.get("es"), card.phone.as_deref().unwrap_or(""))
    })
}

/// Lowercase, without the acute accents and the diaeresis (ñ stays), so that a rule written once
/// catches "Denúnciela", "denunciela" and "DENÚNCIELA" alike.
fn fold(text: &str) -> String {
    Folded::new(text).text
}

/// A text folded for matching (see [`fold`]), with where each of its bytes comes from in the
/// original, so that a failure quotes the text as written.
struct Folded {
    text: String,
    /// For each byte of `text`, and one past its end, the byte offset in the original.
    from: Vec<usize>,
}

impl Folded {
    fn new(original: &str) -> Self {
        let mut text = String::with_capacity(original.len());
        let mut from = Vec::with_capacity(original.len() + 1);
        for (at, c) in original.char_indices() {
            for lower in c.to_lowercase() {
                let plain = match lower {
                    'á' => 'a',
                    'é' => 'e',
                    'í' => 'i',
                    'ó' => 'o',
                    'ú' | 'ü' => 'u',
                    other => other,
                };
                text.push(plain);
                from.extend(std::iter::repeat_n(at, plain.len_utf8()));
            }
        }
        from.push(original.len());
        Self { text, from }
    }

    /// The folded text with every occurrence of `phrase` (folded) blanked out, at the same byte
    /// offsets.
    fn without(&self, phrase: &str) -> String {
        let phrase = fold(phrase);
        self.text.replace(&phrase, &" ".repeat(phrase.len()))
    }

    /// The original words around the folded bytes `at..at + len`.
    fn context(&self, original: &str, at: usize, len: usize) -> String {
        let start = self.from[at];
        context(original, start, self.from[at + len] - start)
    }
}

/// Checks one Spanish text; `location` ends in `(prompt)` for a question's prompt, and
/// `shown_with` is what the learner sees with it (a contact card's name and number).
fn check(file: &str, location: &str, es: &str, shown_with: &str, failures: &mut Vec<String>) {
    let mut fail =
        |phrase: &str, rule: &str| failures.push(format!("{file}: {location}: “{phrase}”: {rule}"));
    let folded = Folded::new(es);
    let lower = folded.text.as_str();

    for &(needle, rule) in FORBIDDEN {
        let needle = fold(needle);
        for at in find_words(lower, &needle) {
            fail(&folded.context(es, at, needle.len()), rule);
        }
    }

    // "coordinador(a)" and "patrocinador(a)" take a word that agrees with both: "su", "sus",
    // "cada"; otherwise "la persona coordinadora" / "una persona patrocinadora".
    for word in ["coordinador(a)", "patrocinador(a)", "patrocinador"] {
        for at in find_prefixes(lower, word) {
            if word == "patrocinador" && lower[at..].starts_with("patrocinador(a)") {
                continue;
            }
            let before = lower[..at].trim_end();
            let article = before.rsplit(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
            let gendered = [
                "el", "la", "los", "las", "un", "una", "del", "al", "este", "esta", "ese", "esa", "otro",
                "otra",
            ];
            let generic_masculine = word == "patrocinador" && ["el", "un", "del", "al"].contains(&article);
            if (word != "patrocinador" && gendered.contains(&article)) || generic_masculine {
                fail(
                    &folded.context(es, at, word.len()),
                    "an article that agrees: “su coordinador(a)”, “la persona patrocinadora”, “una persona patrocinadora”",
                );
            }
        }
    }

    // One translation of "forensic interviewers".
    let without_forensic = folded.without(FORENSIC);
    for at in find_prefixes(&without_forensic, "forense") {
        fail(
            &folded.context(es, at, "forense".len()),
            "“forensic interviewers” is always “personal capacitado en entrevistas forenses”",
        );
    }

    if location.ends_with("(prompt)") {
        for needle in ["que apliquen", "que correspondan"] {
            for at in find_words(lower, needle) {
                fail(
                    &folded.context(es, at, needle.len()),
                    "a multiple-select prompt ends with “Elija todas las respuestas correctas.”",
                );
            }
        }
    }
    for quote in ["\"", "«", "»"] {
        for at in lower.match_indices(quote).map(|(at, _)| at) {
            fail(&folded.context(es, at, quote.len()), "quotes in Spanish are “ ”");
        }
    }

    let without_explanation = folded.without(AMBIGUITY_EXPLAINED);
    for at in find_words(&without_explanation, "trafico de personas") {
        fail(
            &folded.context(es, at, "trafico de personas".len()),
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
    for at in find_prefixes(lower, "coordinador") {
        if !lower[at..].starts_with("coordinador(a)") {
            fail(&folded.context(es, at, "coordinador".len()), "the coordinator is always “coordinador(a)”");
        }
    }

    // "menor(es)" only in "menor de edad" / "menores de 18 años"; otherwise "niña, niño o adolescente".
    let without_ncmec = folded.without(NCMEC_NAME);
    for word in ["menor", "menores"] {
        for at in find_words(&without_ncmec, word) {
            let after = &without_ncmec[at + word.len()..];
            if !after.starts_with(" de edad") && !after.starts_with(" de 18") {
                fail(
                    &folded.context(es, at, word.len()),
                    "say “niña, niño o adolescente” (plural “niñas, niños y adolescentes”); “menor de edad” only in legal statements",
                );
            }
        }
    }

    // "denunciar" is a formal complaint: its sentence names where it is made.
    let shown_with = fold(shown_with);
    for sentence in sentences(lower) {
        let names = |s: &&str| sentence.contains(s) || shown_with.contains(s);
        if sentence.contains("denunci")
            && !["089", "ministerio publico", "denuncia anonima", "policia"].iter().any(names)
        {
            fail(
                sentence.trim(),
                "“denunciar” only for a formal complaint (089, Ministerio Público, Denuncia Anónima, policía); otherwise “reportar”, “avisar” or “informar”",
            );
        }
    }
}

/// The one translation of "forensic interviewers", folded (see [`fold`]).
const FORENSIC: &str = "personal capacitado en entrevistas forenses";

/// Forms that are always wrong in Faro's Spanish, matched as whole words in any case, with or
/// without accents.
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
    // Leísmo: "le" for a person as the direct object (issue 22).
    ("escúchele", "no leísmo: “escuche lo que le cuente”, “escúchelo”, “escúchela”"),
    ("escúchenle", "no leísmo: “escúchenlo”, “escúchenla”"),
    ("ponerle en peligro", "no leísmo: “ponerlos en peligro a usted, a la víctima…”, or rephrase"),
    ("ponerles en peligro", "no leísmo: “ponerlos en peligro”"),
    ("llamarle", "no leísmo: “llamarla” (la línea), “llamarlo”, or rephrase"),
    ("llamarles", "no leísmo: “llamarlos”"),
    ("le llame", "no leísmo: “la llame”, “lo llame”"),
    ("ayudarle", "no leísmo: “ayudarlo”, “ayudarla”, or rephrase (“ayudar a que hable con…”)"),
    ("ayudarles", "no leísmo: “ayudarlos”, “ayudarlas”"),
    ("le ayuda", "no leísmo: “lo ayuda”, “la ayuda”, or rephrase (“sirve para…”)"),
    ("le ayudan", "no leísmo: “lo ayudan”, “la ayudan”, or rephrase (“sirven para…”)"),
    ("le ayudaría", "no leísmo: rephrase (“¿Qué le serviría?”)"),
    ("apoyarle", "no leísmo: “darle apoyo”"),
    ("le apoye", "no leísmo: “le dé apoyo”"),
    ("le atiende", "no leísmo: “lo atiende”, “la atiende”, or rephrase"),
    ("le obliga", "no leísmo: “la ley le exige…”, or rephrase"),
    // Anglicisms and one translation per term (issue 22).
    ("pueden aplicar a", "a calque of “apply to”: “valen para”, “se presentan en”"),
    ("puede aplicar a", "a calque of “apply to”: “vale para”, “se presenta en”"),
    ("sentir que no siente nada", "“numbness” is always “entumecimiento emocional”"),
    ("sentirse insensible", "“numbness” is always “entumecimiento emocional”"),
    ("sensación de entumecimiento", "“numbness” is always “entumecimiento emocional”"),
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
        "Es verdadero: eso es sextorsión. Denúnciela ante la CyberTipline del NCMEC.",
        "DENÚNCIELO ante la CyberTipline.",
        "Si le empieza a contar algo, escúchele con calma.",
        "Puede ponerle en peligro a usted, a la víctima y a otras personas.",
        "La línea atiende las 24 horas, y también puede llamarle.",
        "Sí puedo ayudarle a hablar con personas que pueden ayudar.",
        "La persona que le atiende le pregunta qué vio.",
        "Estas señales pueden aplicar a cualquier persona.",
        "El patrocinador(a) se queda con sus documentos.",
        "Vive en la casa de un patrocinador(a).",
        "Ir a la casa del patrocinador.",
        "Luis corre hacia el coordinador(a) del albergue.",
        "Eso les toca a entrevistadores forenses capacitados.",
        "Eso le toca a personal especializado en entrevista forense.",
        "Problemas para dormir, sentirse insensible, irritabilidad.",
        "Sensación de entumecimiento.",
        "Sentir que no siente nada.",
        "Es un caso de TRAFICO DE PERSONAS.",
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
        "Si le empieza a contar algo, escuche con calma lo que le cuente y créale.",
        "Puede ponerlos en peligro a usted, a la víctima y a otras personas.",
        "Una persona patrocinadora se queda con sus documentos.",
        "Vive en la casa de su patrocinador(a).",
        "Luis corre hacia su coordinador(a).",
        "Eso le toca a personal capacitado en entrevistas forenses.",
        "Problemas para dormir, entumecimiento emocional, irritabilidad.",
        "Repórtela a la CyberTipline del NCMEC.",
    ];
    for es in good {
        let mut failures = Vec::new();
        check("sample", "text", es, "", &mut failures);
        assert!(failures.is_empty(), "should pass: {es}: {failures:?}");
    }
}

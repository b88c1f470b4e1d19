//! The review copy's own words, in English and Spanish at once (the copy serves reviewers of both
//! languages in one file). These are constants written as HTML: none holds `<`, `&` or a quote
//! except the markup written here on purpose.

use crate::format::{Outcome, QuestionKind, Step};

pub const REVIEW_COPY: &str = "Review copy for sign-off · Copia para revisión y aprobación";
pub const MODULE_ID: &str = "Module id · Identificador del módulo";
pub const VERSION: &str = "Version · Versión";
pub const FINGERPRINT: &str = "Content fingerprint (SHA-256, as in completion records) · Huella del contenido (SHA-256, como en los registros)";
pub const LANGUAGES: &str = "Languages · Idiomas";
pub const REGIONS: &str = "Regions · Regiones";
pub const MINUTES: &str = "Minutes · Minutos";
pub const REVIEW_BY: &str = "Review by · Revisar antes de";
pub const VALID_FOR: &str = "A completion is valid for (months) · Una aprobación vale (meses)";
pub const PASS_RULE: &str = "To pass · Para aprobar";
pub const PASS_BOTH: &str = "every scenario and every check · todos los escenarios y todas las evaluaciones";
pub const PASS_SCENARIOS: &str = "every scenario · todos los escenarios";
pub const PASS_CHECKS: &str = "every check · todas las evaluaciones";
pub const PASS_NONE: &str = "taking part · participar";
pub const WRITTEN_BY: &str = "Written by · Generado por";
pub const NO_FINDINGS: &str = "The validator (faro validate) found no errors and no warnings · El validador (faro validate) no encontró errores ni advertencias";
pub const FINDINGS: &str = "Warnings of the validator (faro validate) still open · Advertencias del validador (faro validate) pendientes";
pub const SUMMARY: &str = "Summary · Resumen";
pub const CONTENTS: &str = "Contents · Contenido";
pub const SOURCES: &str = "Sources · Fuentes";
pub const UNKNOWN_SOURCE: &str = "Unknown source · Fuente desconocida";
pub const MISSING_TRANSLATION: &str = "(missing in this language · falta en este idioma)";

/// How to read the copy: what the marks mean. HTML.
pub const HOW_TO_READ: &str = "<div class=\"box how\"><p class=\"box-title\">How to read this copy · Cómo leer esta copia</p>\
<p>Everything a learner can see in this module, in the order of the module: every page, every scenario moment with all its choices (their feedback, and for unsafe choices why they are unsafe and what to do instead), every ending, every question with all its answers (correct ones marked “✓ Correct”) and explanations. English and Spanish are side by side. The module id, version and content fingerprint are printed on every page: a completion record names the same fingerprint, so you can tell which content you signed off.</p>\
<p>Todo lo que una persona puede ver en este módulo, en su orden: cada página, cada momento de los escenarios con todas sus opciones (su retroalimentación y, para las opciones inseguras, por qué lo son y qué hacer en su lugar), cada final, cada pregunta con todas sus respuestas (las correctas marcadas “✓ Correcta”) y sus explicaciones. El inglés y el español van lado a lado. El identificador, la versión y la huella del contenido aparecen en cada página: un registro de aprobación lleva la misma huella, así sabe qué contenido aprobó.</p></div>\n";

pub const CONTENT_NOTE: &str = "Content note · Aviso de contenido";
pub const MODULE_NOTE_WHEN: &str = "Shown before the module starts · Se muestra antes de empezar el módulo";
pub const SCENARIO_NOTE_WHEN: &str = "Shown before this scenario; the learner may skip it or come back later · Se muestra antes de este escenario; se puede saltar o volver después";
pub const TIP: &str = "Tip · Consejo";
pub const WARNING: &str = "Warning · Advertencia";
pub const CONTACT: &str = "Contact card · Tarjeta de contacto";
pub const REGION: &str = "Region · Región";
pub const PHONE: &str = "Phone · Teléfono";
pub const SMS: &str = "Text message · Mensaje de texto";
pub const ADDRESS: &str = "Web address · Dirección web";
pub const HOURS: &str = "Hours · Horario";
pub const CONTACT_LANGUAGES: &str = "Languages spoken · Idiomas de atención";
pub const WHEN_TO_USE: &str = "When to use it · Cuándo usarlo";
pub const INDICATORS: &str = "Indicators · Indicadores";
pub const INDICATORS_NOTE: &str = "Signs that suggest, never prove · Señales que sugieren, nunca prueban";
pub const IMAGE_NOT_SHOWN: &str = "Image not shown · Imagen no mostrada:";
pub const IMAGE_BUDGET_USED: &str = "not embedded: the copy is full · no incluida: la copia está llena";
pub const IMAGE_DESCRIPTION: &str = "Image description (alt text) · Descripción de la imagen";
pub const CAPTION: &str = "Caption · Pie de imagen";

pub const STEP: &str = "Step · Paso";
pub const START: &str = "First moment · Primer momento";
pub const PASS_SCORE: &str = "Score needed to pass · Puntos para aprobar";
pub const REQUIRES: &str = "Every passing run must include · Todo recorrido aprobado debe incluir";
pub const MAP: &str = "Scenario map · Mapa del escenario";
pub const NODES: &str = "Moments and choices · Momentos y opciones";
pub const NODE: &str = "Moment · Momento";
pub const NODE_LOWER: &str = "moment · momento";
pub const START_MARK: &str = " · <strong>start · inicio</strong>";
pub const CHOICE: &str = "Choice · Opción";
pub const LEADS_TO: &str = "leads to · lleva a";
pub const MISSING_TARGET: &str = "not in the scenario · no está en el escenario";
pub const SCORE: &str = "score · puntos";
pub const SETS: &str = "sets · marca";
pub const WHEN: &str = "offered when · se ofrece si";
pub const ACT: &str = "safety act · acto de seguridad";
pub const FEEDBACK: &str = "Feedback · Retroalimentación";
pub const UNSAFE_MARK: &str = "(!) unsafe · (!) inseguro";
pub const UNSAFE: &str =
    "(!) Unsafe choice: the run ends here · (!) Opción insegura: el recorrido termina aquí";
pub const WHY_UNSAFE: &str = "Why it is unsafe · Por qué es inseguro";
pub const INSTEAD: &str = "What to do instead · Qué hacer en su lugar";
pub const ENDINGS: &str = "Endings · Finales";
pub const ENDING: &str = "Ending · Final";
pub const ENDING_LOWER: &str = "ending · final";
pub const CLAIMS: &str = "claims · afirma";

pub const PASS_MARK: &str = "Correct answers needed to pass · Respuestas correctas para aprobar:";
pub const QUESTION: &str = "Question · Pregunta";
pub const CORRECT: &str = "✓ Correct · Correcta";
pub const INCORRECT: &str = "✗ Incorrect · Incorrecta";
pub const EXPLANATION: &str = "Explanation · Explicación";
pub const SIGN_OFF: &str = "Sign-off · Aprobación";
pub const SIGN_OFF_FIELDS: [&str; 6] = [
    "Reviewed by (name) · Revisado por (nombre)",
    "Role · Función",
    "Decision: approved, or changes needed (which) · Decisión: aprobado, o requiere cambios (cuáles)",
    "Notes · Observaciones",
    "Date · Fecha",
    "Signature · Firma",
];
pub const END: &str = "End of the review copy · Fin de la copia para revisión";

/// A step's kind in words, and its CSS class.
pub fn step_kind(step: &Step) -> (&'static str, &'static str) {
    match step {
        Step::Page(_) => ("Page · Página", "page"),
        Step::Scenario(_) => ("Scenario · Escenario", "scenario"),
        Step::Check(_) => ("Knowledge check · Evaluación", "check"),
    }
}

/// An ending's outcome in words.
pub fn outcome(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Pass => "Pass · Aprobado",
        Outcome::Fail => "Fail · No aprobado",
        Outcome::Neutral => "Neutral · Neutral",
    }
}

/// A question's kind in words.
pub fn question_kind(kind: QuestionKind) -> &'static str {
    match kind {
        QuestionKind::Single => "one answer · una respuesta",
        QuestionKind::Multiple => "one or more answers · una o más respuestas",
        QuestionKind::TrueFalse => "true or false · verdadero o falso",
    }
}

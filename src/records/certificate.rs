//! A printable one-page certificate, and the short verification code printed on it.

use crate::markup::escape;
use chrono::{Datelike, NaiveDate};
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};
use sha2::{Digest, Sha256};

use super::SignedRecord;
use super::signed::decode_fixed;

/// The certificate's words in one language.
struct Words {
    title: &'static str,
    certifies: &'static str,
    completed: &'static str,
    version: &'static str,
    on: &'static str,
    valid: &'static str,
    not_passed: &'static str,
    code: &'static str,
    device: &'static str,
    how: &'static str,
    honest: &'static str,
    months: [&'static str; 12],
    /// `5 de marzo de 2026` rather than `March 5, 2026`.
    day_first: bool,
}

const EN: Words = Words {
    title: "Certificate of completion",
    certifies: "This certifies that",
    completed: "completed the training module",
    version: "version",
    on: "Completed on",
    valid: "Valid until",
    not_passed: "This attempt did not pass; it is not a certificate of completion.",
    code: "Verification code",
    device: "Signed by device",
    how: "To check this certificate offline, run <code>faro records verify CODE</code> on the laptop \
          where the training was taken, or look the code up in the coordinator's roster. The code comes \
          from the record's digital signature.",
    honest: "This certificate shows that a learner using this name completed the module on a Faro laptop. \
             It does not prove identity, and it is not a professional license or a background check.",
    months: [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    day_first: false,
};

const ES: Words = Words {
    title: "Certificado de finalización",
    certifies: "Se certifica que",
    completed: "completó el módulo de capacitación",
    version: "versión",
    on: "Finalizado el",
    valid: "Válido hasta el",
    not_passed: "Este intento no fue aprobado; no es un certificado de finalización.",
    code: "Código de verificación",
    device: "Firmado por el equipo",
    how: "Para comprobar este certificado sin conexión, ejecute <code>faro records verify CÓDIGO</code> en la \
          computadora donde se tomó la capacitación, o busque el código en la lista de la coordinación. El \
          código proviene de la firma digital del registro.",
    honest: "Este certificado muestra que una persona con este nombre completó el módulo en una computadora \
             con Faro. No prueba la identidad, y no es una licencia profesional ni una verificación de \
             antecedentes.",
    months: [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
    day_first: true,
};

fn words(lang: &str) -> &'static Words {
    if lang == "es" { &ES } else { &EN }
}

/// The record's verification code, `XXXXX-XXXXX`: 10 base32 characters (50 bits) of SHA-256 of
/// the signature. Any change to the signature changes it; it is short enough to read aloud.
pub fn verification_code(signed: &SignedRecord) -> String {
    code_for_signature(&signed.signature)
}

/// The verification code of a record with this signature.
pub(super) fn code_for_signature(signature: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(b"faro-code-v1\n");
    match decode_fixed::<64>(signature) {
        Some(bytes) => hasher.update(bytes),
        None => hasher.update(signature.as_bytes()),
    }
    let digest = hasher.finalize();
    let encoded = data_encoding::BASE32_NOPAD.encode(digest.get(..7).unwrap_or(&[]));
    let (a, b) = (encoded.get(..5).unwrap_or(""), encoded.get(5..10).unwrap_or(""));
    format!("{a}-{b}")
}

/// A code as typed or scanned (any case, with or without the dash or spaces, `0`/`1`/`8` for
/// `O`/`I`/`B`) in its printed form; `None` when it cannot be a code.
pub fn normalize_code(input: &str) -> Option<String> {
    let chars: String = input
        .chars()
        .filter(|c| !matches!(c, '-' | ' '))
        .map(|c| match c.to_ascii_uppercase() {
            '0' => 'O',
            '1' => 'I',
            '8' => 'B',
            other => other,
        })
        .collect();
    let valid =
        chars.len() == 10 && chars.chars().all(|c| c.is_ascii_uppercase() || ('2'..='7').contains(&c));
    valid.then(|| format!("{}-{}", chars.get(..5).unwrap_or(""), chars.get(5..).unwrap_or("")))
}

/// The certificate as a standalone HTML page that prints on one A4 or Letter page, in `lang`
/// (`en` or `es`; others fall back to English), with the code as text and as an SVG QR code.
pub fn certificate_html(signed: &SignedRecord, lang: &str) -> String {
    let w = words(lang);
    let r = &signed.record;
    let code = verification_code(signed);
    let status = match (r.passed, r.valid_until) {
        (true, Some(until)) => format!("<p class=\"date\">{} {}</p>", w.valid, date(until, w)),
        (true, None) => String::new(),
        (false, _) => format!("<p class=\"warning\">{}</p>", w.not_passed),
    };
    let html_lang = if lang == "es" { "es" } else { "en" };
    format!(
        r#"<!DOCTYPE html>
<html lang="{html_lang}">
<head>
<meta charset="utf-8">
<title>{title} — {name}</title>
<style>
@page {{ margin: 15mm; }}
* {{ box-sizing: border-box; }}
body {{ margin: 0; font-family: Georgia, "Times New Roman", serif; font-size: 13pt; color: #111; background: #fff; }}
.page {{ width: 180mm; height: 245mm; margin: 0 auto; padding: 14mm 12mm; border: 3px double #1d4f73;
  display: flex; flex-direction: column; align-items: center; text-align: center; overflow: hidden;
  page-break-inside: avoid; break-inside: avoid; }}
h1 {{ font-size: 26pt; margin: 4mm 0 10mm; color: #1d4f73; letter-spacing: 0.5pt; }}
.name {{ font-size: 24pt; font-weight: bold; margin: 4mm 0; border-bottom: 1px solid #999; padding: 0 8mm 2mm; }}
.module {{ font-size: 17pt; font-style: italic; margin: 3mm 0 1mm; }}
.small {{ font-size: 10pt; color: #333; }}
.date {{ font-size: 13pt; margin: 2mm 0; }}
.warning {{ font-size: 13pt; font-weight: bold; color: #8a1c1c; }}
.verify {{ margin-top: auto; display: flex; align-items: center; gap: 8mm; text-align: left; }}
.verify svg {{ flex: none; width: 36mm; height: 36mm; }}
.code {{ font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: 18pt; letter-spacing: 2pt; }}
.honest {{ font-size: 8.5pt; color: #444; margin-top: 6mm; }}
@media screen {{ body {{ background: #eee; padding: 10mm 0; }} .page {{ background: #fff; }} }}
</style>
</head>
<body>
<main class="page">
<h1>{title}</h1>
<p>{certifies}</p>
<p class="name">{name}</p>
<p>{completed}</p>
<p class="module">{module}</p>
<p class="small">{module_id}, {version_word} {version}</p>
<p class="date">{on} {ended}</p>
{status}
<section class="verify">
{qr}
<div>
<div class="small">{code_word}</div>
<div class="code">{code}</div>
<div class="small">{device_word}: {device}</div>
<p class="small">{how}</p>
</div>
</section>
<p class="honest">{honest}</p>
</main>
</body>
</html>
"#,
        title = w.title,
        name = escape(&crate::format::invisible::reveal(&r.learner_name)),
        certifies = w.certifies,
        completed = w.completed,
        module = escape(&crate::format::invisible::reveal(r.title(lang))),
        module_id = escape(&r.module_id),
        version_word = w.version,
        version = escape(&r.module_version),
        on = w.on,
        ended = date(r.ended.date_naive(), w),
        code_word = w.code,
        device_word = w.device,
        device = escape(&signed.device_fingerprint()),
        qr = qr_svg(&code, w.code),
        how = w.how,
        honest = w.honest,
    )
}

/// The code as an inline SVG QR code (empty if it cannot be drawn, which a 11-character code never is).
fn qr_svg(code: &str, label: &str) -> String {
    let Ok(qr) = QrCode::with_error_correction_level(code.as_bytes(), EcLevel::M) else {
        return String::new();
    };
    let image = qr.render::<svg::Color<'_>>().min_dimensions(160, 160).build();
    // Inline SVG inside HTML takes no XML declaration.
    let svg = image.find("<svg").and_then(|i| image.get(i..)).unwrap_or(&image);
    svg.replacen("<svg ", &format!("<svg role=\"img\" aria-label=\"{label}: {code}\" "), 1)
}

fn date(d: NaiveDate, w: &Words) -> String {
    let month = usize::try_from(d.month0()).ok().and_then(|i| w.months.get(i)).copied().unwrap_or("");
    if w.day_first {
        format!("{} de {month} de {}", d.day(), d.year())
    } else {
        format!("{month} {}, {}", d.day(), d.year())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_normalized_forgivingly() {
        assert_eq!(normalize_code("abcde-fghij").as_deref(), Some("ABCDE-FGHIJ"));
        assert_eq!(normalize_code(" ABCDE FGH1J ").as_deref(), Some("ABCDE-FGHIJ"));
        assert_eq!(normalize_code("ABCDE-FGHI"), None);
        assert_eq!(normalize_code("ABCDE-FGHI9"), None);
    }

    #[test]
    fn dates_read_naturally() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 5).unwrap();
        assert_eq!(date(d, &EN), "March 5, 2026");
        assert_eq!(date(d, &ES), "5 de marzo de 2026");
        assert_eq!(escape("<a&'b\">"), "&lt;a&amp;&apos;b&quot;&gt;");
    }
}

//! Single-use access codes (Zugangscodes) of a participation format as a
//! printable PDF: cards to cut out, each with a QR code, the code and the
//! participation page (`templates/access_codes.typ`).
//!
//! Like the project sheet and the protocol, the data reaches the template as
//! typst values in `sys.inputs.codes` and is only ever placed as text, so markup
//! characters in the title are printed verbatim. The QR codes are generated
//! here as SVG (crate `qrcode`) and handed over as typst bytes, which the
//! template decodes with `image(…, format: "svg")`; the SVG never becomes part
//! of the markup either. Fonts are the embedded ones of `typst-assets`.
//!
//! The template has an engine of its own (same fonts and settings as the one in
//! [`crate::pdf`]); the PDF writer is shared.

use std::fmt::Write as _;
use std::sync::OnceLock;

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};
use serde::{Deserialize, Serialize};
use typst::foundations::{Array, Bytes, Dict, IntoValue, Value};
use typst_as_lib::{TypstEngine, TypstTemplateCollection};
use typst_layout::PagedDocument;

use crate::ExportError;
use crate::pdf::pdf_ua_or_tagged;

/// File name of the template inside the engine.
const ACCESS_CODES: &str = "access_codes.typ";

static ACCESS_CODES_TEMPLATE: &str = include_str!("../templates/access_codes.typ");

/// See `CACHE_MAX_AGE` in [`crate::pdf`].
const CACHE_MAX_AGE: usize = 10;

/// A sheet of single-use access codes for a participation format, already
/// resolved to display strings by the caller.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct AccessCodeSheet {
    pub municipality: String,
    /// Title of the participation format.
    pub title: String,
    /// The participation page; the QR code of a card encodes
    /// `{url}?code={code without dashes}` (`&code=` when `url` already has a
    /// query; a `#fragment` stays at the end).
    pub url: String,
    /// Already formatted, e.g. "31.03.2027"; may be empty.
    pub valid_until: String,
    /// Already formatted, e.g. "ACDEF-GHJKM"; one card each, in this order.
    pub codes: Vec<String>,
}

fn engine() -> &'static TypstEngine<TypstTemplateCollection> {
    static ENGINE: OnceLock<TypstEngine<TypstTemplateCollection>> = OnceLock::new();
    ENGINE.get_or_init(|| {
        TypstEngine::builder()
            .with_static_source_file_resolver([(ACCESS_CODES, ACCESS_CODES_TEMPLATE)])
            .fonts(typst_assets::fonts().map(Bytes::new))
            .comemo_evict_max_age(Some(CACHE_MAX_AGE))
            .build()
    })
}

/// The address a card's QR code encodes: `url` with the query parameter
/// `code` (the code without dashes and whitespace, percent-encoded where
/// needed) added before a possible fragment.
pub(crate) fn code_url(url: &str, code: &str) -> String {
    let (base, fragment) = match url.find('#') {
        Some(i) => url.split_at(i),
        None => (url, ""),
    };
    let mut out = String::with_capacity(url.len() + code.len() + 6);
    out.push_str(base);
    out.push(if base.contains('?') { '&' } else { '?' });
    out.push_str("code=");
    for b in code
        .chars()
        .filter(|c| *c != '-' && !c.is_whitespace())
        .collect::<String>()
        .bytes()
    {
        if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            // Writing into a String cannot fail.
            let _ = write!(out, "%{b:02X}");
        }
    }
    out.push_str(fragment);
    out
}

/// The QR code of `text` as SVG: dark modules on white with the quiet zone,
/// one SVG unit per module (the template scales it).
fn qr_svg(text: &str) -> Result<String, ExportError> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .map_err(|e| ExportError::Pdf(format!("QR-Code für {text:?}: {e}")))?;
    Ok(code
        .render::<svg::Color>()
        .module_dimensions(1, 1)
        .quiet_zone(true)
        .build())
}

fn str_value(s: &str) -> Value {
    s.into_value()
}

/// The template's `sys.inputs.codes`.
fn inputs(s: &AccessCodeSheet) -> Result<Dict, ExportError> {
    let cards = s
        .codes
        .iter()
        .map(|code| {
            let svg = qr_svg(&code_url(&s.url, code))?;
            let mut card = Dict::new();
            card.insert("code".into(), str_value(code));
            card.insert(
                "alt".into(),
                str_value(&format!("QR-Code für die Teilnahme mit Code {code}")),
            );
            card.insert("qr".into(), Value::Bytes(Bytes::from_string(svg)));
            Ok(Value::Dict(card))
        })
        .collect::<Result<Array, ExportError>>()?;

    let doc_title = if s.title.trim().is_empty() {
        "Zugangscodes".to_owned()
    } else {
        format!("Zugangscodes: {}", s.title)
    };
    let validity = if s.valid_until.trim().is_empty() {
        "Jeder Code kann einmal verwendet werden.".to_owned()
    } else {
        format!(
            "Gültig bis {}. Jeder Code kann einmal verwendet werden.",
            s.valid_until
        )
    };
    let url_is_link = s.url.starts_with("https://") || s.url.starts_with("http://");

    let mut d = Dict::new();
    for (key, value) in [
        ("municipality", s.municipality.as_str()),
        ("title", s.title.as_str()),
        ("doc_title", doc_title.as_str()),
        ("url", s.url.as_str()),
        ("validity", validity.as_str()),
        ("kind", "Zugangscodes"),
        ("code_label", "Ihr Zugangscode"),
        ("url_label", "QR-Code scannen oder Code eingeben auf:"),
        ("empty_note", "Keine Codes."),
        ("cut_note", "Entlang der gestrichelten Linien ausschneiden."),
    ] {
        d.insert(key.into(), str_value(value));
    }
    d.insert("url_is_link".into(), Value::Bool(url_is_link));
    d.insert("cards".into(), Value::Array(cards));

    let mut inputs = Dict::new();
    inputs.insert("codes".into(), Value::Dict(d));
    Ok(inputs)
}

fn diagnostics(list: &[typst::diag::SourceDiagnostic]) -> String {
    list.iter()
        .map(|d| d.message.to_string())
        .collect::<Vec<_>>()
        .join(" | ")
}

fn layout(s: &AccessCodeSheet) -> Result<PagedDocument, ExportError> {
    engine()
        .compile_with_input(ACCESS_CODES, inputs(s)?)
        .output
        .map_err(|e| match e {
            typst_as_lib::TypstAsLibError::TypstSource(list) => {
                ExportError::Typst(diagnostics(&list))
            }
            other => ExportError::Typst(other.to_string()),
        })
}

/// Renders the access codes as A4 PDF of cards to cut out: 2 columns × 4 rows
/// per page with dashed cutting lines. Each card shows municipality and title,
/// a QR code of `{url}?code={code without dashes}` (alt text "QR-Code für die
/// Teilnahme mit Code …"), the code in large monospace letters, the URL in
/// small print and "Gültig bis {valid_until}. Jeder Code kann einmal verwendet
/// werden." Without codes, a single page with title and "Keine Codes.".
///
/// Document language `de`, document title "Zugangscodes: {title}", tagged
/// PDF/UA-1; should typst's PDF/UA validation reject the document (characters
/// none of the embedded fonts has, e.g. emoji in the title), the same layout is
/// written as tagged PDF without the PDF/UA claim instead.
///
/// Fails with [`ExportError::Pdf`] when a code's address is too long for a QR
/// code (more than about 2,300 bytes).
pub fn access_codes_pdf(s: &AccessCodeSheet) -> Result<Vec<u8>, ExportError> {
    pdf_ua_or_tagged(&layout(s)?)
}

#[cfg(test)]
mod tests {
    use super::code_url;

    #[test]
    fn code_url_appends_the_code_without_dashes() {
        assert_eq!(
            code_url("https://example.org/b/7", "ACDEF-GHJKM"),
            "https://example.org/b/7?code=ACDEFGHJKM"
        );
        assert_eq!(
            code_url("https://example.org/b?x=1#top", "AB-CD"),
            "https://example.org/b?x=1&code=ABCD#top"
        );
        assert_eq!(
            code_url("https://example.org/", "A B/ä"),
            "https://example.org/?code=AB%2F%C3%A4"
        );
    }
}

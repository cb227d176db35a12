//! The Umsetzungskonzept as PDF, typeset with typst (`templates/concept.typ`,
//! which imports the sheet's building blocks from `templates/blocks.typ`).

use super::ConceptExport;
use super::view::ConceptView;
use crate::ExportError;
use crate::pdf::{CONCEPT, layout_template, pdf_ua_or_tagged};

/// Renders the concept as A4 PDF: title page, contents (outline), numbered
/// chapters as bookmarks, page numbers, German hyphenation, document language
/// `de`, charts as vector graphics, tagged PDF/UA-1 (tagged without the claim
/// should typst's validation reject the document, e.g. for emoji in user text).
pub fn concept_pdf(concept: &ConceptExport) -> Result<Vec<u8>, ExportError> {
    pdf_ua_or_tagged(&layout_template(
        CONCEPT,
        "concept",
        &ConceptView::new(concept),
    )?)
}

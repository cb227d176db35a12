//! Workshop protocol as PDF, typeset with typst (`templates/protocol.typ`).
//!
//! Uses the engine, fonts and PDF writer of the project sheet. The protocol
//! reaches the template as structured data in `sys.inputs.protocol` (converted
//! from [`ProtocolView`]); the template places those strings as text, so markup
//! characters in user input are printed verbatim.

use super::ProtocolExport;
use super::view::ProtocolView;
use crate::ExportError;
use crate::pdf::{PROTOCOL, layout_template, pdf_ua_or_tagged};

/// Renders the workshop protocol as A4 PDF: German hyphenation, document
/// language `de`, document title "Protokoll: {title}", tagged.
///
/// Produces PDF/UA-1; should typst's PDF/UA validation reject the document
/// (characters none of the embedded fonts has, e.g. emoji on a card), the same
/// layout is written as tagged PDF without the PDF/UA claim instead.
pub fn protocol_pdf(p: &ProtocolExport) -> Result<Vec<u8>, ExportError> {
    pdf_ua_or_tagged(&layout_template(
        PROTOCOL,
        "protocol",
        &ProtocolView::new(p),
    )?)
}

//! Project sheet as PDF, typeset with typst, and the typst engine shared with
//! the workshop protocol ([`crate::protocol`]).
//!
//! The templates (`templates/*.typ`) are compiled into the binary, as are the
//! fonts (from `typst-assets`). There is no file system, package or network
//! access at run time. The sheet reaches the template as structured data in
//! `sys.inputs.sheet` (typst strings, arrays and dictionaries converted from the
//! [`SheetView`](crate::view::SheetView)); the template places those strings as
//! text, so markup characters in user input are printed verbatim.

use std::sync::OnceLock;

use serde::Serialize;
use typst::foundations::{Bytes, Dict, Smart, Value};
use typst_as_lib::{TypstEngine, TypstTemplateCollection};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards};

use crate::view::SheetView;
use crate::{ExportError, SheetExport};

/// File name of the project sheet template inside the engine.
const SHEET: &str = "sheet.typ";
/// File name of the workshop protocol template inside the engine.
pub(crate) const PROTOCOL: &str = "protocol.typ";
/// File name of the Umsetzungskonzept template inside the engine.
pub(crate) const CONCEPT: &str = "concept.typ";
/// Building blocks shared by the sheet and the concept (imported by both).
const BLOCKS: &str = "blocks.typ";

static SHEET_TEMPLATE: &str = include_str!("../templates/sheet.typ");
static PROTOCOL_TEMPLATE: &str = include_str!("../templates/protocol.typ");
static CONCEPT_TEMPLATE: &str = include_str!("../templates/concept.typ");
static BLOCKS_TEMPLATE: &str = include_str!("../templates/blocks.typ");

/// How many compilations an unused memoisation entry survives. Keeping some
/// entries (instead of typst-as-lib's default of evicting all after each run)
/// lets repeated renders reuse the parsed template and shaped text.
const CACHE_MAX_AGE: usize = 10;

/// Which PDF flavour to produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PdfConformance {
    /// PDF/UA-1 (ISO 14289-1): tagged, validated by typst while writing.
    PdfUa1,
    /// Tagged PDF with title and document language, but no PDF/UA validation.
    Tagged,
}

fn engine() -> &'static TypstEngine<TypstTemplateCollection> {
    static ENGINE: OnceLock<TypstEngine<TypstTemplateCollection>> = OnceLock::new();
    ENGINE.get_or_init(|| {
        TypstEngine::builder()
            .with_static_source_file_resolver([
                (SHEET, SHEET_TEMPLATE),
                (PROTOCOL, PROTOCOL_TEMPLATE),
                (CONCEPT, CONCEPT_TEMPLATE),
                (BLOCKS, BLOCKS_TEMPLATE),
            ])
            .fonts(typst_assets::fonts().map(Bytes::new))
            .comemo_evict_max_age(Some(CACHE_MAX_AGE))
            .build()
    })
}

/// Builds the typst engine (fonts, templates) now instead of on the first
/// render. Optional; useful at server start-up.
pub fn warm_up() {
    let _ = engine();
}

fn diagnostics(list: &[typst::diag::SourceDiagnostic]) -> String {
    list.iter()
        .map(|d| {
            let mut text = d.message.to_string();
            for hint in &d.hints {
                text.push_str("; Hinweis: ");
                text.push_str(&hint.v);
            }
            text
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

/// Lays out the template `main` with `data` (converted via serde into typst
/// values) available as `sys.inputs.<key>`.
pub(crate) fn layout_template(
    main: &str,
    key: &str,
    data: &impl Serialize,
) -> Result<PagedDocument, ExportError> {
    let value: Value = serde_json::from_value(serde_json::to_value(data)?)?;
    let mut inputs = Dict::new();
    inputs.insert(key.into(), value);
    engine()
        .compile_with_input(main, inputs)
        .output
        .map_err(|e| match e {
            typst_as_lib::TypstAsLibError::TypstSource(list) => {
                ExportError::Typst(diagnostics(&list))
            }
            other => ExportError::Typst(other.to_string()),
        })
}

fn layout(sheet: &SheetExport) -> Result<PagedDocument, ExportError> {
    layout_template(SHEET, "sheet", &SheetView::new(sheet))
}

fn write_pdf(doc: &PagedDocument, conformance: PdfConformance) -> Result<Vec<u8>, ExportError> {
    let standards = match conformance {
        PdfConformance::PdfUa1 => PdfStandards::new(&[PdfStandard::Ua_1])
            .map_err(|e| ExportError::Pdf(e.message().to_string()))?,
        PdfConformance::Tagged => PdfStandards::default(),
    };
    let options = PdfOptions {
        creator: Smart::Custom(Some("Smart City Werkstatt".to_owned())),
        standards,
        tagged: true,
        ..PdfOptions::default()
    };
    typst_pdf::pdf(doc, &options).map_err(|list| ExportError::Pdf(diagnostics(&list)))
}

/// Renders the project sheet as A4 PDF with the requested conformance; fails
/// if typst cannot meet it.
pub fn sheet_pdf_with(
    sheet: &SheetExport,
    conformance: PdfConformance,
) -> Result<Vec<u8>, ExportError> {
    write_pdf(&layout(sheet)?, conformance)
}

/// Renders the project sheet as A4 PDF: German hyphenation, document language
/// `de`, document title set, tagged.
///
/// Produces PDF/UA-1. Should typst's PDF/UA validation ever reject a sheet
/// (the template is built to pass it, see the tests), the same layout is
/// written as tagged PDF without the PDF/UA claim instead of failing the export.
pub fn sheet_pdf(sheet: &SheetExport) -> Result<Vec<u8>, ExportError> {
    pdf_ua_or_tagged(&layout(sheet)?)
}

/// Writes `doc` as PDF/UA-1; should typst's validation reject it (glyphs no
/// embedded font has, e.g. emoji), writes it as tagged PDF without the claim.
pub(crate) fn pdf_ua_or_tagged(doc: &PagedDocument) -> Result<Vec<u8>, ExportError> {
    write_pdf(doc, PdfConformance::PdfUa1).or_else(|_| write_pdf(doc, PdfConformance::Tagged))
}

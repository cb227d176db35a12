//! Project sheet as PDF, typeset with typst.
//!
//! The template (`templates/sheet.typ`) is compiled into the binary, as are the
//! fonts (from `typst-assets`). There is no file system, package or network
//! access at run time. The sheet reaches the template as structured data in
//! `sys.inputs.sheet` (typst strings, arrays and dictionaries converted from the
//! [`SheetView`](crate::view::SheetView)); the template places those strings as
//! text, so markup characters in user input are printed verbatim.

use std::sync::OnceLock;

use typst::foundations::{Bytes, Dict, Smart, Value};
use typst_as_lib::{TypstEngine, TypstTemplateMainFile};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards};

use crate::view::SheetView;
use crate::{ExportError, SheetExport};

static TEMPLATE: &str = include_str!("../templates/sheet.typ");

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

fn engine() -> &'static TypstEngine<TypstTemplateMainFile> {
    static ENGINE: OnceLock<TypstEngine<TypstTemplateMainFile>> = OnceLock::new();
    ENGINE.get_or_init(|| {
        TypstEngine::builder()
            .main_file(("sheet.typ", TEMPLATE))
            .fonts(typst_assets::fonts().map(Bytes::new))
            .comemo_evict_max_age(Some(CACHE_MAX_AGE))
            .build()
    })
}

/// Builds the typst engine (fonts, template) now instead of on the first
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

fn layout(sheet: &SheetExport) -> Result<PagedDocument, ExportError> {
    let view = SheetView::new(sheet);
    let value: Value = serde_json::from_value(serde_json::to_value(&view)?)?;
    let mut inputs = Dict::new();
    inputs.insert("sheet".into(), value);
    engine()
        .compile_with_input(inputs)
        .output
        .map_err(|e| match e {
            typst_as_lib::TypstAsLibError::TypstSource(list) => {
                ExportError::Typst(diagnostics(&list))
            }
            other => ExportError::Typst(other.to_string()),
        })
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
    let doc = layout(sheet)?;
    write_pdf(&doc, PdfConformance::PdfUa1).or_else(|_| write_pdf(&doc, PdfConformance::Tagged))
}

//! End-to-end tests of all export formats: every document is parsed back.

use std::time::Instant;

use calamine::{Data, Reader, Xlsx};
use export::{
    CSV_HEADER, KpiExport, MeasureRow, MilestoneExport, PartnerExport, PdfConformance, RaciExport,
    SheetExport, measures_csv, measures_xlsx, sheet_json, sheet_markdown, sheet_pdf,
    sheet_pdf_with,
};

const NASTY_TITLE: &str = r#"Grünfläche #1: $5 * _x_ [a] <b> @c \d "Zitat" 'q' // ä ö ü ß ÄÖÜ"#;

fn full_sheet() -> SheetExport {
    SheetExport {
        municipality: "Musterstadt".into(),
        title: "Digitale Parkraumsteuerung".into(),
        short_description: "Sensoren melden freie Parkplätze in Echtzeit.\n\nZweiter Absatz."
            .into(),
        status: "in Umsetzung".into(),
        visibility: "öffentlich".into(),
        primary_field: Some("Mobilität".into()),
        further_fields: vec!["Umwelt".into(), "Verwaltung".into()],
        goals: vec![
            "Parksuchverkehr halbieren".into(),
            "Emissionen senken".into(),
        ],
        initial_situation: "Die Innenstadt ist überlastet.\nSuchverkehr macht 30 % aus.".into(),
        target_groups: vec!["Pendelnde".into(), "Handel".into()],
        impact_output: "120 Sensoren installiert".into(),
        impact_outcome: "Kürzere Parkplatzsuche".into(),
        impact_impact: "Weniger CO2 in der Innenstadt".into(),
        kpis: vec![KpiExport {
            name: "Durchschnittliche Suchzeit".into(),
            unit: "Minuten".into(),
            baseline: Some(12.5),
            target: Some(6.0),
            method: "Befragung".into(),
            data_source: "Parkleitsystem".into(),
            interval: "quartalsweise".into(),
            measurements: vec![("2026-06-30".into(), 10.25), ("2026-09-30".into(), 1234.5)],
        }],
        lead_unit: "Amt für Verkehrsplanung".into(),
        lead_person: Some("Erika Mustermann".into()),
        partners: vec![PartnerExport {
            name: "Stadtwerke Musterstadt".into(),
            role: "Betrieb".into(),
        }],
        raci: vec![RaciExport {
            who: "Tiefbauamt".into(),
            responsible: true,
            accountable: false,
            consulted: true,
            informed: true,
        }],
        start: Some("2026-03-01".into()),
        end: Some("2027-12-31".into()),
        milestones: vec![MilestoneExport {
            title: "Ausschreibung veröffentlicht".into(),
            due: Some("2026-05-15".into()),
            done: true,
        }],
        time_horizon: Some("mittelfristig".into()),
        priority: Some("hoch".into()),
        quick_win: true,
        investment_costs_eur: Some(1_234_567),
        operating_costs_eur_per_year: Some(45_000),
        staff_need_fte: Some(1.5),
        funding_own_share_pct: Some(20.0),
        funding_programme: Some("Modellprojekte Smart Cities".into()),
        funding_rate_pct: Some(80.0),
        risks: vec!["Lieferverzug bei Sensoren".into()],
        dependencies: vec!["Offene Datenplattform".into()],
        council_decision_date: Some("2025-12-10".into()),
        council_decision_link: Some("https://ratsinfo.example.org/beschluss/42".into()),
        participation_form: Some("Online-Beteiligung".into()),
        location: Some(r#"{"type":"Point","coordinates":[7.0982,50.7374]}"#.into()),
        sdgs: vec!["SDG 11: Nachhaltige Städte und Gemeinden".into()],
        charta: vec!["Klimaschutz".into()],
        data_protection: "Keine personenbezogenen Daten; Sensoren erfassen nur Belegung.".into(),
        licence: Some("EUPL-1.2".into()),
        repository: Some("https://git.example.org/musterstadt/parken".into()),
        transferability: "Auf andere Innenstädte übertragbar.".into(),
        contact: Some("smartcity@musterstadt.example".into()),
        updated_at: "26.11.2026 11:00".into(),
    }
}

/// Extracted text with whitespace collapsed (PDF text extraction breaks lines
/// and may hyphenate; callers compare against short, unhyphenated strings).
fn pdf_text(pdf: &[u8]) -> String {
    let text = pdf_extract::extract_text_from_mem(pdf).expect("PDF text extraction");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn contains_bytes(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn assert_tagged_german(pdf: &[u8]) {
    assert!(pdf.starts_with(b"%PDF"), "not a PDF");
    assert!(contains_bytes(pdf, b"/StructTreeRoot"), "no structure tree");
    assert!(contains_bytes(pdf, b"/MarkInfo"), "no MarkInfo");
    assert!(
        contains_bytes(pdf, b"/Lang(de"),
        "document language is not German"
    );
}

#[test]
fn pdf_contains_title_lead_unit_and_german_numbers() {
    let started = Instant::now();
    let pdf = sheet_pdf_with(&full_sheet(), PdfConformance::PdfUa1).expect("PDF/UA-1 render");
    let first = started.elapsed();
    assert_tagged_german(&pdf);
    assert!(
        contains_bytes(&pdf, b"pdfuaid"),
        "no PDF/UA identification in XMP"
    );

    let text = pdf_text(&pdf);
    for expected in [
        "Digitale Parkraumsteuerung",
        "Amt für Verkehrsplanung",
        "Musterstadt",
        "1.234.567",
        "45.000",
        "1,5",
        "80",
        "01.03.2026",
        "Kennzahlen",
        "Meilensteine",
        "Tiefbauamt",
        "Stadtwerke Musterstadt",
        "Stand: 26.11.2026 11:00",
    ] {
        assert!(
            text.contains(expected),
            "PDF text lacks {expected:?}: {text}"
        );
    }

    // A second, different sheet reuses the engine (fonts, parsed template).
    let other = SheetExport {
        title: "Smarte Straßenbeleuchtung".into(),
        lead_unit: "Tiefbauamt".into(),
        ..full_sheet()
    };
    let started = Instant::now();
    let pdf = sheet_pdf(&other).expect("second render");
    let second = started.elapsed();
    assert!(pdf_text(&pdf).contains("Smarte Straßenbeleuchtung"));
    eprintln!("PDF render: first {first:?} (with engine set-up), second {second:?}");
}

#[test]
fn pdf_prints_special_characters_verbatim() {
    let sheet = SheetExport {
        title: NASTY_TITLE.into(),
        lead_unit: r#"Amt #2 für $Straßen* & _Wege_ [neu] <x> @y \z "q""#.into(),
        short_description: "= Keine Überschrift\n#set page(width: 1cm)\n$ x^2 $ // kein Kommentar"
            .into(),
        goals: vec!["- kein Listenpunkt".into(), "#panic(\"boom\")".into()],
        ..SheetExport::default()
    };
    let pdf = sheet_pdf_with(&sheet, PdfConformance::PdfUa1).expect("PDF/UA-1 render");
    assert_tagged_german(&pdf);
    let text = pdf_text(&pdf);
    for expected in [
        NASTY_TITLE,
        r#"Amt #2 für $Straßen* & _Wege_ [neu] <x> @y \z "q""#,
        "#set page(width: 1cm)",
        "#panic(\"boom\")",
    ] {
        assert!(
            text.contains(expected),
            "PDF text lacks {expected:?}: {text}"
        );
    }
}

#[test]
fn pdf_renders_sheet_with_every_optional_field_empty() {
    let pdf = sheet_pdf_with(&SheetExport::default(), PdfConformance::PdfUa1)
        .expect("empty sheet renders");
    assert_tagged_german(&pdf);
    let text = pdf_text(&pdf);
    assert!(text.contains("Projektblatt"), "{text}");
    assert!(text.contains("Keine Kennzahlen erfasst."), "{text}");
    assert!(text.contains('–'), "{text}");
}

#[test]
fn pdf_survives_characters_missing_from_the_fonts() {
    let sheet = SheetExport {
        title: "Bürgerdialog 🚲 智慧城市 مدينة".into(),
        lead_unit: "Ordnungsamt".into(),
        ..SheetExport::default()
    };
    // PDF/UA-1 forbids glyphs no font can show, so strict mode refuses …
    assert!(matches!(
        sheet_pdf_with(&sheet, PdfConformance::PdfUa1),
        Err(export::ExportError::Pdf(_))
    ));
    // … and `sheet_pdf` falls back to a tagged PDF without the PDF/UA claim.
    let pdf = sheet_pdf(&sheet).expect("render with unusual scripts");
    assert_tagged_german(&pdf);
    assert!(!contains_bytes(&pdf, b"pdfuaid:part"));
    assert!(pdf_text(&pdf).contains("Ordnungsamt"));
}

#[test]
fn markdown_has_german_headings_and_values() {
    let md = sheet_markdown(&full_sheet());
    for expected in [
        "# Digitale Parkraumsteuerung",
        "## 1. Überblick",
        "## 3. Wirkungslogik",
        "## 4. Kennzahlen",
        "## 5. Verantwortung und Beteiligte",
        "## 7. Ressourcen und Finanzierung",
        "- **Federführung:** Amt für Verkehrsplanung",
        "- **Investitionskosten:** 1.234.567\u{a0}€",
        "- **Förderquote:** 80\u{a0}%",
        "- **Beginn:** 01.03.2026",
        "| Durchschnittliche Suchzeit | Minuten | 12,5 | 6 | Befragung | Parkleitsystem | quartalsweise |",
        "| Tiefbauamt | ja | – | ja | ja |",
        "[https://ratsinfo.example.org/beschluss/42](<https://ratsinfo.example.org/beschluss/42>)",
        "Stand: 26.11.2026 11:00",
    ] {
        assert!(md.contains(expected), "Markdown lacks {expected:?}:\n{md}");
    }
}

#[test]
fn markdown_escapes_markup_in_user_text() {
    let sheet = SheetExport {
        title: NASTY_TITLE.into(),
        goals: vec!["- kein Punkt".into(), "<script>alert(1)</script>".into()],
        ..SheetExport::default()
    };
    let md = sheet_markdown(&sheet);
    assert!(md.starts_with(
        r#"# Grünfläche \#1: \$5 \* \_x\_ \[a\] \<b\> @c \\d "Zitat" 'q' // ä ö ü ß ÄÖÜ"#
    ));
    assert!(md.contains(r"- \- kein Punkt"));
    assert!(md.contains(r"- \<script\>alert(1)\</script\>"));
    assert!(!md.contains("<script>"));
}

#[test]
fn markdown_of_empty_sheet_shows_dashes() {
    let md = sheet_markdown(&SheetExport::default());
    assert!(md.starts_with("# Projektblatt"));
    assert!(md.contains("- **Federführung:** –"));
    assert!(md.contains("Keine Kennzahlen erfasst."));
}

#[test]
fn json_is_the_serde_form_of_the_sheet() {
    let sheet = full_sheet();
    let json = sheet_json(&sheet);
    assert_eq!(json["title"], "Digitale Parkraumsteuerung");
    assert_eq!(json["investment_costs_eur"], 1_234_567);
    assert_eq!(json["kpis"][0]["measurements"][1][1], 1234.5);
    let back: SheetExport = serde_json::from_value(json).expect("round trip");
    assert_eq!(back.lead_unit, sheet.lead_unit);
}

fn rows() -> Vec<MeasureRow> {
    vec![
        MeasureRow {
            id: 7,
            title: r#"Radweg; "Nord" & Süd"#.into(),
            status: "in Umsetzung".into(),
            primary_field: "Mobilität".into(),
            priority: "hoch".into(),
            quick_win: true,
            lead: "Tiefbauamt".into(),
            start: Some("2026-03-01".into()),
            end: None,
            investment_costs_eur: Some(1_234_567),
            visibility: "öffentlich".into(),
            updated_at: "26.11.2026 11:00".into(),
        },
        MeasureRow {
            id: 12,
            title: "=HYPERLINK(\"http://x\")".into(),
            status: "Idee".into(),
            primary_field: "Bildung".into(),
            priority: "niedrig".into(),
            quick_win: false,
            lead: "Schulamt".into(),
            start: None,
            end: Some("2027-12-31".into()),
            investment_costs_eur: None,
            visibility: "Netzwerk".into(),
            updated_at: "01.12.2026 09:30".into(),
        },
    ]
}

#[test]
fn csv_has_bom_german_header_and_quoted_fields() {
    let bytes = measures_csv(&rows()).expect("CSV");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "no BOM");
    let text = std::str::from_utf8(&bytes[3..]).expect("UTF-8");
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(
        lines[0],
        "ID;Titel;Status;Handlungsfeld;Priorität;Quick Win;Federführung;Beginn;Ende;Investitionskosten (EUR);Sichtbarkeit;Geändert"
    );
    assert_eq!(lines[0], CSV_HEADER.join(";"));
    assert_eq!(
        lines[1],
        r#"7;"Radweg; ""Nord"" & Süd";in Umsetzung;Mobilität;hoch;ja;Tiefbauamt;2026-03-01;;1234567;öffentlich;26.11.2026 11:00"#
    );
    assert_eq!(
        lines[2],
        r#"12;"'=HYPERLINK(""http://x"")";Idee;Bildung;niedrig;nein;Schulamt;;2027-12-31;;Netzwerk;01.12.2026 09:30"#
    );

    // And a CSV reader gets the original values back.
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(&bytes[3..]);
    let records: Vec<csv::StringRecord> =
        reader.records().collect::<Result<_, _>>().expect("parse");
    assert_eq!(records.len(), 2);
    assert_eq!(&records[0][1], r#"Radweg; "Nord" & Süd"#);
    assert_eq!(&records[0][9], "1234567");
}

#[test]
fn csv_of_no_rows_is_just_the_header() {
    let bytes = measures_csv(&[]).expect("CSV");
    assert_eq!(
        bytes,
        [
            b"\xEF\xBB\xBF".as_slice(),
            CSV_HEADER.join(";").as_bytes(),
            b"\r\n"
        ]
        .concat()
    );
}

#[test]
fn xlsx_has_header_and_numbers_as_numbers() {
    let bytes = measures_xlsx(&rows()).expect("XLSX");
    let mut workbook = Xlsx::new(std::io::Cursor::new(bytes)).expect("open XLSX");
    assert_eq!(workbook.sheet_names(), vec!["Maßnahmen".to_owned()]);
    let range = workbook.worksheet_range("Maßnahmen").expect("sheet");
    assert_eq!(range.height(), 3);
    assert_eq!(range.width(), 12);

    let header: Vec<String> = (0..12)
        .map(|c| range.get((0, c)).expect("cell").to_string())
        .collect();
    assert_eq!(header, CSV_HEADER.map(str::to_owned).to_vec());

    assert_eq!(range.get((1, 0)), Some(&Data::Float(7.0)));
    assert_eq!(
        range.get((1, 1)),
        Some(&Data::String(r#"Radweg; "Nord" & Süd"#.into()))
    );
    assert_eq!(range.get((1, 5)), Some(&Data::String("ja".into())));
    assert_eq!(range.get((1, 9)), Some(&Data::Float(1_234_567.0)));
    match range.get((1, 7)) {
        Some(Data::DateTime(date)) => {
            // Excel serial day 46082 is 2026-03-01.
            assert_eq!(date.as_f64(), 46082.0);
        }
        other => panic!("start is not a date: {other:?}"),
    }
    assert_eq!(range.get((2, 0)), Some(&Data::Float(12.0)));
    // A formula-looking title stays text.
    assert_eq!(
        range.get((2, 1)),
        Some(&Data::String("=HYPERLINK(\"http://x\")".into()))
    );
    assert_eq!(range.get((2, 9)), Some(&Data::Empty));
}

//! The Umsetzungskonzept: PDF (parsed back), HTML and Markdown from one model.

use export::{
    ConceptBenefit, ConceptBenefitRow, ConceptDefinition, ConceptExport, ConceptField, ConceptGoal,
    ConceptOpinion, ConceptParticipation, ConceptPhase, ConceptStakeholder, ConceptStatement,
    KpiExport, MilestoneExport, RaciExport, SheetExport, concept_html, concept_markdown,
    concept_pdf,
};

fn measure(title: &str, start: &str, end: &str) -> SheetExport {
    SheetExport {
        municipality: "Musterstadt".into(),
        title: title.into(),
        short_description: format!("Kurzbeschreibung von {title}"),
        status: "in Umsetzung".into(),
        visibility: "öffentlich".into(),
        primary_field: Some("Mobilität".into()),
        lead_unit: "Stabsstelle Digitalisierung".into(),
        lead_person: Some("Frau Beispiel".into()),
        start: Some(start.into()),
        end: Some(end.into()),
        raci: vec![RaciExport {
            who: "Stadtwerke".into(),
            responsible: true,
            informed: true,
            ..RaciExport::default()
        }],
        kpis: vec![KpiExport {
            name: "Auslastung".into(),
            unit: "%".into(),
            baseline: Some(40.0),
            target: Some(75.0),
            measurements: vec![("2026-01-01".into(), 50.0), ("2026-06-01".into(), 61.5)],
            ..KpiExport::default()
        }],
        milestones: vec![MilestoneExport {
            title: format!("Start {title}"),
            due: Some("2026-03-01".into()),
            done: false,
        }],
        updated_at: "26.11.2026 11:00".into(),
        ..SheetExport::default()
    }
}

fn concept() -> ConceptExport {
    ConceptExport {
        municipality: "Musterstadt".into(),
        title: "Smart-City-Umsetzungskonzept Musterstadt".into(),
        edition: "Entwurf · Stand 26.11.2026".into(),
        audience: "Öffentlichkeit".into(),
        compiled_on: "2026-11-26".into(),
        facts: vec![("Einwohnerzahl".into(), "73.456".into())],
        phases: vec![ConceptPhase {
            name: "Handlungsfelder".into(),
            status: "läuft".into(),
            start: Some("2026-01-01".into()),
            end: Some("2026-06-30".into()),
            current: true,
        }],
        definition: Some(ConceptDefinition {
            status: "beschlossen".into(),
            version: 3,
            decision: "Ratsbeschluss vom 12.03.2026".into(),
            body: "# Leitbild\n\nMusterstadt wird *vernetzt* und bürgernah.".into(),
        }),
        fields: vec![ConceptField {
            name: "Mobilität".into(),
            priority: "hoch".into(),
            rationale: "Pendelverkehr".into(),
            goals: vec![ConceptGoal {
                text: "Weniger Parksuchverkehr".into(),
                indicator: "Suchfahrten".into(),
                unit: "%".into(),
                baseline: Some(30.0),
                target: Some(15.0),
                target_year: Some(2028),
            }],
        }],
        stakeholders: vec![ConceptStakeholder {
            name: "Stadtwerke".into(),
            kind: "Organisation".into(),
            group: "Wirtschaft".into(),
        }],
        measures: vec![
            measure("Digitale Parkraumlenkung", "2026-01-01", "2027-06-30"),
            measure(
                "Smarte Straßenbeleuchtung <LED>",
                "2026-04-01",
                "2028-12-31",
            ),
        ],
        participations: vec![ConceptParticipation {
            title: "Umfrage Mobilität".into(),
            kind: "Umfrage".into(),
            period: "01.03.2026 – 31.03.2026".into(),
            participants: 1234,
            contributions: "1.234 Antworten".into(),
        }],
        benefit: vec![ConceptBenefit {
            title: "Bewertung der Maßnahmen".into(),
            benefit_threshold: 50.0,
            effort_threshold: 50.0,
            rows: vec![ConceptBenefitRow {
                rank: Some(1),
                measure: "Digitale Parkraumlenkung".into(),
                benefit: Some(80.0),
                effort: Some(30.0),
                quadrant: "Quick Win".into(),
                raters: 12,
            }],
        }],
        opinions: vec![ConceptOpinion {
            title: "Meinungsbild Innenstadt".into(),
            statements: 5,
            participants: 20,
            votes: 80,
            top: vec![ConceptStatement {
                text: "Mehr Grün in der Innenstadt".into(),
                agree: 15,
                disagree: 3,
                pass: 2,
            }],
        }],
        milestones: vec![MilestoneExport {
            title: "Ratsbeschluss Konzept".into(),
            due: Some("2027-02-01".into()),
            done: false,
        }],
    }
}

fn words(pdf: &[u8]) -> String {
    pdf_extract::extract_text_from_mem(pdf)
        .expect("PDF text extraction")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn contains_bytes(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn pdf_is_tagged_german_with_outline_and_every_section() {
    let pdf = concept_pdf(&concept()).expect("concept PDF");
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(contains_bytes(&pdf, b"/StructTreeRoot"), "not tagged");
    assert!(contains_bytes(&pdf, b"/Lang(de"), "no document language");
    assert!(contains_bytes(&pdf, b"pdfuaid"), "no PDF/UA identification");
    assert!(contains_bytes(&pdf, b"/Outlines"), "no bookmarks");
    let text = words(&pdf);
    for expected in [
        "Inhalt",
        "Ausgangslage",
        "Smart-City-Definition",
        "Handlungsfelder und Ziele",
        "Organisation und Verantwortung",
        "Maßnahmen und Projektblätter",
        "Digitale Parkraumlenkung",
        "Smarte Straßenbeleuchtung <LED>",
        "Beteiligung und Ergebnisse",
        "Nutzen-Aufwand-Portfolio",
        "Mehr Grün in der Innenstadt",
        "Roadmap",
        "Monitoring",
        "61,5 (01.06.2026)",
        "überfällig",
        "Anhang",
        "Seite 2 von",
    ] {
        assert!(text.contains(expected), "PDF lacks {expected:?}: {text}");
    }
}

#[test]
fn markdown_and_html_hold_the_same_sections() {
    let c = concept();
    let md = concept_markdown(&c);
    assert!(md.starts_with("# Smart-City-Umsetzungskonzept Musterstadt\n"));
    for h in [
        "## Inhalt",
        "## 1. Ausgangslage",
        "## 5. Maßnahmen und Projektblätter",
        "### 5.1 Digitale Parkraumlenkung",
        "#### Verantwortung und Beteiligte",
        "### 6.1 Nutzwertanalyse: Bewertung der Maßnahmen",
        "## 9. Anhang",
    ] {
        assert!(md.contains(h), "Markdown lacks {h:?}:\n{md}");
    }
    assert!(md.contains(r"Smarte Straßenbeleuchtung \<LED\>"), "escaped");
    let html = concept_html(&c);
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<html lang=\"de\">"));
    assert!(html.contains("<h2 id=\"massnahmen\">5. Maßnahmen und Projektblätter</h2>"));
    assert!(html.contains("Smarte Straßenbeleuchtung &lt;LED&gt;"));
    assert!(!html.contains("<LED>"));
    assert!(html.contains("role=\"img\"") && html.contains("<desc id=\"chart-1-desc\">"));
    assert!(html.contains("<th scope=\"col\">Kennzahl</th>"));
}

#[test]
fn empty_city_still_renders_every_chapter() {
    let c = ConceptExport {
        municipality: "Leerstadt".into(),
        ..ConceptExport::default()
    };
    let text = words(&concept_pdf(&c).expect("PDF"));
    assert!(text.contains("Es sind noch keine Maßnahmen erfasst."));
    assert!(text.contains("Es liegt noch keine Smart-City-Definition vor."));
    let md = concept_markdown(&c);
    assert!(md.contains("## 8. Monitoring") && md.contains("Keine Kennzahlen erfasst."));
}

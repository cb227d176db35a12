//! Workshop protocol (Werkstatt-Protokoll): Markdown and PDF, parsed back.

use std::time::Instant;

use export::{
    AttendanceGroup, ProtocolAgendaItem, ProtocolCard, ProtocolCluster, ProtocolExport,
    ProtocolRound, RankedItem, protocol_markdown, protocol_pdf,
};

fn card(text: &str, category: Option<&str>, dots: u32, outcomes: &[&str]) -> ProtocolCard {
    ProtocolCard {
        text: text.into(),
        category: category.map(Into::into),
        dots,
        outcomes: outcomes.iter().map(|&o| o.into()).collect(),
    }
}

fn ranked(label: &str, dots: u32) -> RankedItem {
    RankedItem {
        label: label.into(),
        dots,
    }
}

fn full_protocol() -> ProtocolExport {
    ProtocolExport {
        municipality: "Arnsberg".into(),
        title: "Zukunft der Innenstadt".into(),
        format: "Strategiewerkstatt".into(),
        when: "12.03.2027, 17:00–20:00 Uhr".into(),
        place: "Rathaus, Sitzungssaal 2".into(),
        online_link: "https://meet.example.org/innenstadt".into(),
        purpose: "Gemeinsam Ideen für eine lebendige Innenstadt sammeln.\n\nZweiter Absatz."
            .into(),
        agenda: vec![
            ProtocolAgendaItem {
                title: "Begrüßung".into(),
                minutes: 15,
            },
            ProtocolAgendaItem {
                title: "Ideensammlung an der Pinnwand".into(),
                minutes: 90,
            },
            ProtocolAgendaItem {
                title: "Punktabstimmung".into(),
                minutes: 30,
            },
        ],
        attendance: vec![
            AttendanceGroup {
                group: "Verwaltung".into(),
                count: 6,
                names: vec!["Erika Mustermann".into(), "Max Muster".into()],
            },
            AttendanceGroup {
                group: "Bürgerschaft".into(),
                count: 14,
                names: vec![],
            },
        ],
        clusters: vec![
            ProtocolCluster {
                name: "Mobilität".into(),
                dots: 9,
                cards: vec![
                    card(
                        "Parkplatzsuche per App",
                        Some("Idee"),
                        7,
                        &["Maßnahme: Digitale Parkraumlenkung"],
                    ),
                    card("Mehr Fahrradbügel", Some("Wunsch"), 2, &[]),
                ],
            },
            ProtocolCluster {
                name: "Ohne Cluster".into(),
                dots: 1,
                cards: vec![card("Sitzbänke am Markt", None, 1, &[])],
            },
        ],
        rounds: vec![ProtocolRound {
            label: "Runde 1 – 5 Punkte je Person, kumulieren erlaubt".into(),
            participants: 18,
            ranking: vec![
                ranked("Mehr Fahrradbügel", 12),
                ranked("Parkplatzsuche per App", 31),
                ranked("Sitzbänke am Markt", 5),
            ],
        }],
        decisions: "Die Parkraumlenkung wird als Maßnahme aufgenommen.\n\n- Förderantrag prüfen\n- Rat informieren".into(),
        next_steps: "- Verwaltung erstellt Projektblatt bis 30.04.2027".into(),
        notes: String::new(),
        generated: "26.11.2026".into(),
    }
}

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

/// Position of `needle` in `haystack`, failing with the whole text.
fn position(haystack: &str, needle: &str) -> usize {
    haystack
        .find(needle)
        .unwrap_or_else(|| panic!("lacks {needle:?}:\n{haystack}"))
}

#[test]
fn markdown_has_all_sections_in_order() {
    let md = protocol_markdown(&full_protocol());
    assert!(md.starts_with("# Zukunft der Innenstadt\n\n**Arnsberg**  \nProtokoll\n"));
    let headings = [
        "## 1. Anlass und Ziel",
        "## 2. Ablauf",
        "## 3. Teilnahme",
        "## 4. Ergebnisse der Pinnwand",
        "## 5. Punktabstimmung",
        "## 6. Beschlüsse",
        "## 7. Nächste Schritte",
    ];
    let positions: Vec<usize> = headings.iter().map(|h| position(&md, h)).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{md}");
    // Empty notes: section omitted.
    assert!(!md.contains("Notizen"), "{md}");

    for expected in [
        "- **Format:** Strategiewerkstatt",
        "- **Termin:** 12.03.2027, 17:00–20:00 Uhr",
        "- **Ort:** Rathaus, Sitzungssaal 2",
        "- **Online:** [https://meet.example.org/innenstadt](<https://meet.example.org/innenstadt>)",
        "Gemeinsam Ideen für eine lebendige Innenstadt sammeln.\n\nZweiter Absatz.",
        "| Nr. | Programmpunkt | Dauer (min) |",
        "| 2. | Ideensammlung an der Pinnwand | 90 |",
        "|  | Gesamt | 135 |",
        "| Gruppe | Anzahl |",
        "| Bürgerschaft | 14 |",
        "| Gesamt | 20 |",
        "- **Verwaltung:** Erika Mustermann, Max Muster",
        "Namen werden nur aufgeführt, wenn die Person der Nennung zugestimmt hat.",
        "### Mobilität (9\u{a0}Punkte)",
        "- Parkplatzsuche per App (Idee) · 7\u{a0}Punkte\\\n  → Maßnahme: Digitale Parkraumlenkung\n",
        "- Mehr Fahrradbügel (Wunsch) · 2\u{a0}Punkte\n",
        "### Ohne Cluster (1\u{a0}Punkt)",
        "- Sitzbänke am Markt · 1\u{a0}Punkt\n",
        "### Runde 1 – 5 Punkte je Person, kumulieren erlaubt",
        "Teilnehmende: 18",
        "| Rang | Beitrag | Punkte |",
        "Die Parkraumlenkung wird als Maßnahme aufgenommen.\n\n- Förderantrag prüfen\n- Rat informieren\n",
        "- Verwaltung erstellt Projektblatt bis 30.04.2027\n",
    ] {
        assert!(md.contains(expected), "Markdown lacks {expected:?}:\n{md}");
    }
    assert!(md.ends_with("---\n\nErstellt am 26.11.2026 mit Smart City Werkstatt\n"));
}

#[test]
fn markdown_ranks_by_dots() {
    let md = protocol_markdown(&full_protocol());
    let first = position(&md, "| 1. | Parkplatzsuche per App | 31 |");
    let second = position(&md, "| 2. | Mehr Fahrradbügel | 12 |");
    let third = position(&md, "| 3. | Sitzbänke am Markt | 5 |");
    assert!(first < second && second < third, "{md}");
}

#[test]
fn markdown_lists_only_the_names_passed() {
    let md = protocol_markdown(&full_protocol());
    // Bürgerschaft has 14 people but no consented names: no names line.
    assert!(!md.contains("**Bürgerschaft:**"), "{md}");
    let names_section = &md[position(&md, "## 3. Teilnahme")..position(&md, "## 4.")];
    let name_lines: Vec<&str> = names_section
        .lines()
        .filter(|l| l.starts_with("- **"))
        .collect();
    assert_eq!(
        name_lines,
        ["- **Verwaltung:** Erika Mustermann, Max Muster"],
        "{names_section}"
    );
}

#[test]
fn markdown_escapes_hostile_text() {
    let mut p = full_protocol();
    p.title = "# <script>alert(1)</script>".into();
    p.purpose = "# Überschrift?\n- [Link](javascript:x) *fett* `code` _x_".into();
    p.agenda[0].title = "Teil A | Teil B".into();
    p.attendance[0].names = vec!["<img src=x onerror=alert(1)>".into()];
    p.clusters[0].cards[0].text = "## Karte | mit *Stern*\n- kein Punkt".into();
    p.clusters[0].cards[0].category = Some("[x](y)".into());
    p.rounds[0].ranking[0].label = "a|b".into();
    p.decisions = "1. kein Listeneintrag\n\n> kein Zitat".into();
    let md = protocol_markdown(&p);

    assert!(
        md.starts_with(r"# \# \<script\>alert(1)\</script\>"),
        "{md}"
    );
    assert!(!md.contains("<script>"), "{md}");
    assert!(
        md.contains(r"- **Verwaltung:** \<img src=x onerror=alert(1)\>"),
        "{md}"
    );
    assert!(md.contains(r"\# Überschrift?"), "{md}");
    assert!(
        md.contains(r"- \[Link\](javascript:x) \*fett\* \`code\` \_x\_"),
        "{md}"
    );
    assert!(md.contains(r"| 1. | Teil A \| Teil B | 15 |"), "{md}");
    assert!(md.contains(r"| 2. | a\|b | 12 |"), "{md}");
    assert!(
        md.contains("- \\#\\# Karte \\| mit \\*Stern\\*\\\n  \\- kein Punkt (\\[x\\](y)) ·"),
        "{md}"
    );
    assert!(md.contains(r"1\. kein Listeneintrag"), "{md}");
    assert!(md.contains(r"\> kein Zitat"), "{md}");
    // Every table row still has exactly its columns (no cell broke out).
    for line in md.lines().filter(|l| l.starts_with("| ")) {
        let unescaped_pipes = line
            .match_indices('|')
            .filter(|(i, _)| *i == 0 || line.as_bytes()[i - 1] != b'\\');
        let columns = unescaped_pipes.count() - 1;
        assert!((2..=3).contains(&columns), "{line}");
    }
}

#[test]
fn pdf_is_tagged_pdf_ua_and_has_the_content() {
    let started = Instant::now();
    let pdf = protocol_pdf(&full_protocol()).expect("PDF render");
    eprintln!("protocol PDF render: {:?}", started.elapsed());
    assert_tagged_german(&pdf);
    assert!(
        contains_bytes(&pdf, b"pdfuaid"),
        "no PDF/UA identification in XMP (fell back to tagged PDF)"
    );
    let text = pdf_text(&pdf);
    for expected in [
        "Zukunft der Innenstadt",
        "Arnsberg",
        "Protokoll",
        "Strategiewerkstatt",
        "12.03.2027, 17:00–20:00 Uhr",
        "Anlass und Ziel",
        "Ablauf",
        "Gesamt",
        "135",
        "Teilnahme",
        "Erika Mustermann",
        "Ergebnisse der Pinnwand",
        "Parkplatzsuche per App",
        "→ Maßnahme: Digitale Parkraumlenkung",
        "Punktabstimmung",
        "Teilnehmende: 18",
        "Beschlüsse",
        "Förderantrag prüfen",
        "Nächste Schritte",
        "Erstellt am 26.11.2026 mit Smart City Werkstatt",
    ] {
        assert!(
            text.contains(expected),
            "PDF text lacks {expected:?}: {text}"
        );
    }
    assert!(!text.contains("Notizen"), "{text}");
}

#[test]
fn pdf_prints_markup_in_user_text_verbatim() {
    let hostile = r#"#panic("boom") $x$ *a* _b_ [c] <d> @e \f = g // h"#;
    let p = ProtocolExport {
        title: hostile.into(),
        purpose: "= Keine Überschrift\n#set page(width: 1cm)".into(),
        clusters: vec![ProtocolCluster {
            name: "#strong[x]".into(),
            dots: 0,
            cards: vec![card("- kein Punkt", Some("]}) #x"), 0, &["#y"])],
        }],
        ..ProtocolExport::default()
    };
    let pdf = protocol_pdf(&p).expect("PDF render");
    assert_tagged_german(&pdf);
    assert!(contains_bytes(&pdf, b"pdfuaid"), "not PDF/UA");
    let text = pdf_text(&pdf);
    for expected in [
        hostile,
        "#set page(width: 1cm)",
        "#strong[x]",
        "(]}) #x)",
        "→ #y",
    ] {
        assert!(
            text.contains(expected),
            "PDF text lacks {expected:?}: {text}"
        );
    }
}

#[test]
fn empty_protocol_renders_both_ways() {
    let p = ProtocolExport {
        title: "Leere Werkstatt".into(),
        ..ProtocolExport::default()
    };
    let md = protocol_markdown(&p);
    assert!(md.starts_with("# Leere Werkstatt\n\nProtokoll\n"), "{md}");
    for expected in [
        "## 1. Ablauf",
        "Kein Ablauf erfasst.",
        "## 2. Teilnahme",
        "Keine Teilnahme erfasst.",
        "## 3. Ergebnisse der Pinnwand",
        "Keine Karten an der Pinnwand.",
        "## 4. Punktabstimmung",
        "Keine Abstimmung durchgeführt.",
        "Erstellt mit Smart City Werkstatt",
    ] {
        assert!(md.contains(expected), "Markdown lacks {expected:?}:\n{md}");
    }
    for absent in [
        "Anlass und Ziel",
        "Beschlüsse",
        "Nächste Schritte",
        "Notizen",
        "|",
    ] {
        assert!(!md.contains(absent), "Markdown has {absent:?}:\n{md}");
    }

    let pdf = protocol_pdf(&p).expect("empty protocol renders");
    assert_tagged_german(&pdf);
    assert!(contains_bytes(&pdf, b"pdfuaid"), "not PDF/UA");
    let text = pdf_text(&pdf);
    assert!(text.contains("Leere Werkstatt"), "{text}");
    assert!(text.contains("Keine Abstimmung durchgeführt."), "{text}");

    // Entirely default (no title either).
    let md = protocol_markdown(&ProtocolExport::default());
    assert!(md.starts_with("# Werkstatt\n"), "{md}");
    protocol_pdf(&ProtocolExport::default()).expect("default protocol renders");
}

#[test]
fn empty_clusters_and_rounds_render() {
    let p = ProtocolExport {
        title: "Teilweise leer".into(),
        clusters: vec![ProtocolCluster::default()],
        rounds: vec![ProtocolRound::default()],
        attendance: vec![AttendanceGroup::default()],
        agenda: vec![ProtocolAgendaItem::default()],
        ..ProtocolExport::default()
    };
    let md = protocol_markdown(&p);
    for expected in [
        "### Ohne Namen (0\u{a0}Punkte)",
        "Keine Karten.",
        "### Runde 1",
        "Teilnehmende: 0",
        "Keine Punkte vergeben.",
        "| 1. | – | – |",
    ] {
        assert!(md.contains(expected), "Markdown lacks {expected:?}:\n{md}");
    }
    let pdf = protocol_pdf(&p).expect("PDF render");
    assert_tagged_german(&pdf);
}

#[test]
fn protocol_with_200_cards_renders() {
    let clusters: Vec<ProtocolCluster> = (0..10)
        .map(|c| ProtocolCluster {
            name: format!("Cluster {c}"),
            dots: 20,
            cards: (0..20)
                .map(|i| {
                    card(
                        &format!("Karte {c}-{i}: eine etwas längere Idee für die Innenstadt, die über eine Zeile hinausgeht"),
                        Some("Idee"),
                        1,
                        if i % 5 == 0 {
                            &["Maßnahme: Prüfen"][..]
                        } else {
                            &[][..]
                        },
                    )
                })
                .collect(),
        })
        .collect();
    let p = ProtocolExport {
        title: "Große Werkstatt".into(),
        clusters,
        rounds: vec![ProtocolRound {
            label: "Runde 1".into(),
            participants: 80,
            ranking: (0..200)
                .map(|i| ranked(&format!("Karte {i}"), i % 17))
                .collect(),
        }],
        ..full_protocol()
    };
    let md = protocol_markdown(&p);
    assert_eq!(md.matches("\n- Karte ").count(), 200);

    let started = Instant::now();
    let pdf = protocol_pdf(&p).expect("PDF with 200 cards");
    eprintln!("200-card protocol PDF: {:?}", started.elapsed());
    assert_tagged_german(&pdf);
    assert!(contains_bytes(&pdf, b"pdfuaid"), "not PDF/UA");
    let text = pdf_text(&pdf);
    assert!(text.contains("Karte 9-19"), "last card missing");
}

/// Writes the full protocol as PDF and Markdown to `$PROTOCOL_SAMPLE_DIR` for
/// a look by eye (`PROTOCOL_SAMPLE_DIR=/tmp cargo test -p export --test protocol`).
#[test]
fn write_samples_when_asked() {
    let Some(dir) = std::env::var_os("PROTOCOL_SAMPLE_DIR") else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    let p = full_protocol();
    std::fs::write(dir.join("protokoll.pdf"), protocol_pdf(&p).expect("PDF")).expect("write");
    std::fs::write(dir.join("protokoll.md"), protocol_markdown(&p)).expect("write");
}

#[test]
fn emoji_on_cards_fall_back_to_tagged_pdf() {
    let mut p = full_protocol();
    p.clusters[0].cards[0].text = "Fahrradstraße 🚲".into();
    let pdf = protocol_pdf(&p).expect("render with emoji");
    assert_tagged_german(&pdf);
    assert!(pdf_text(&pdf).contains("Zukunft der Innenstadt"));
}

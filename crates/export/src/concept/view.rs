//! The document model of the Umsetzungskonzept: chapters of blocks, German
//! headings, display strings only. PDF, HTML and Markdown render this model.

use serde::Serialize;

use super::chart;
use super::{ConceptExport, ConceptField};
use crate::format::{self, EMPTY};
use crate::view::{Block, Fact, Section, SheetView};

/// The whole concept, ready for rendering.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ConceptView {
    pub title: String,
    pub municipality: String,
    pub edition: String,
    pub audience: String,
    pub chapters: Vec<Chapter>,
}

/// A numbered chapter (level-1 heading in the PDF).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Chapter {
    /// Anchor for HTML links, e.g. "massnahmen".
    pub id: String,
    pub heading: String,
    pub blocks: Vec<CBlock>,
}

/// The building blocks of a chapter: the sheet's blocks plus sub-headings,
/// plain paragraphs, charts and whole project sheets.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum CBlock {
    /// A sub-heading inside the chapter.
    Subheading { text: String },
    /// Paragraphs without a label.
    Paragraphs { paragraphs: Vec<String> },
    /// A bullet list without a label (from the city's own Markdown).
    Bullets { items: Vec<String> },
    /// A vector chart; its data follows as a table block.
    Chart {
        /// Self-contained SVG document.
        svg: String,
        /// Text alternative (what the chart shows, in one or two sentences).
        alt: String,
        caption: String,
    },
    /// A measure with its full project sheet.
    Sheet {
        title: String,
        lead: Vec<String>,
        sections: Vec<Section>,
    },
    /// A block of the project sheet model (facts, text, list, table).
    #[serde(untagged)]
    Base(Block),
}

fn fact(label: &str, value: String) -> Fact {
    Fact {
        label: label.to_owned(),
        value,
        url: None,
    }
}

fn table(
    label: &str,
    header: &[&str],
    widths: &[f64],
    numeric: &[bool],
    rows: Vec<Vec<String>>,
    empty: &str,
) -> CBlock {
    CBlock::Base(Block::Table {
        label: label.to_owned(),
        header: header.iter().map(|h| (*h).to_owned()).collect(),
        widths: widths.to_vec(),
        numeric: numeric.to_vec(),
        rows,
        empty: empty.to_owned(),
    })
}

fn cell(value: &str) -> String {
    let v = format::single_line(value);
    if v.is_empty() { EMPTY.to_owned() } else { v }
}

fn opt_date(value: Option<&str>) -> String {
    match value.map(str::trim) {
        Some(v) if !v.is_empty() => format::date(v),
        _ => EMPTY.to_owned(),
    }
}

fn num(value: Option<f64>) -> String {
    value.map_or_else(|| EMPTY.to_owned(), |v| format::decimal(v, 3))
}

fn score(value: Option<f64>) -> String {
    value.map_or_else(|| EMPTY.to_owned(), |v| format::decimal(v, 1))
}

fn period(start: Option<&str>, end: Option<&str>) -> String {
    match (start, end) {
        (None, None) => EMPTY.to_owned(),
        (s, e) => format!("{} – {}", opt_date(s), opt_date(e)),
    }
}

/// The sheet of one measure, as the project sheet export builds it.
fn sheet_block(sheet: &crate::SheetExport) -> CBlock {
    let view = SheetView::new(sheet);
    CBlock::Sheet {
        title: view.title,
        lead: view.lead,
        sections: view.sections,
    }
}

fn ausgangslage(c: &ConceptExport) -> Chapter {
    let mut facts: Vec<Fact> = c
        .facts
        .iter()
        .map(|(l, v)| fact(l, format::or_empty(v)))
        .collect();
    if let Some(p) = c.phases.iter().find(|p| p.current) {
        facts.push(fact(
            "Aktuelle Phase",
            format!("{} ({})", p.name.trim(), p.status.trim()),
        ));
    }
    let rows = c
        .phases
        .iter()
        .enumerate()
        .map(|(i, p)| {
            vec![
                (i + 1).to_string(),
                cell(&p.name),
                cell(&p.status),
                period(p.start.as_deref(), p.end.as_deref()),
            ]
        })
        .collect();
    Chapter {
        id: "ausgangslage".into(),
        heading: "Ausgangslage".into(),
        blocks: vec![
            CBlock::Paragraphs {
                paragraphs: vec![format!(
                    "{} erarbeitet im Programm „Netzwerk vor Ort – Smart City“ des Netzwerks Innenstadt NRW \
                     ein eigenes Smart-City-Umsetzungskonzept. Dieses Dokument fasst den Stand aus der \
                     Smart City Werkstatt zusammen.",
                    c.municipality.trim()
                )],
            },
            CBlock::Base(Block::Facts { facts }),
            table(
                "Prozess und Phasen",
                &["Nr.", "Phase", "Stand", "Zeitraum"],
                &[0.5, 3.0, 1.2, 2.2],
                &[true, false, false, false],
                rows,
                "Der Prozess ist noch nicht angelegt.",
            ),
        ],
    }
}

fn definition(c: &ConceptExport) -> Chapter {
    let blocks = match &c.definition {
        None => vec![CBlock::Paragraphs {
            paragraphs: vec!["Es liegt noch keine Smart-City-Definition vor.".into()],
        }],
        Some(d) => {
            let mut facts = vec![
                fact("Stand", format::or_empty(&d.status)),
                fact("Fassung", d.version.to_string()),
            ];
            if !d.decision.trim().is_empty() {
                facts.push(fact("Beschluss", d.decision.trim().to_owned()));
            }
            // The text is Markdown: its headings, paragraphs and lists keep their structure.
            let mut blocks = vec![CBlock::Base(Block::Facts { facts })];
            blocks.extend(super::prose::blocks(&d.body));
            blocks
        }
    };
    Chapter {
        id: "definition".into(),
        heading: "Smart-City-Definition (Leitbild)".into(),
        blocks,
    }
}

fn field_blocks(f: &ConceptField) -> Vec<CBlock> {
    let rows = f
        .goals
        .iter()
        .map(|g| {
            let unit = g.unit.trim();
            let with_unit = |v: Option<f64>| match v {
                Some(v) if !unit.is_empty() => format!("{} {unit}", format::decimal(v, 3)),
                v => num(v),
            };
            vec![
                cell(&g.text),
                cell(&g.indicator),
                with_unit(g.baseline),
                with_unit(g.target),
                g.target_year
                    .map_or_else(|| EMPTY.to_owned(), |y| y.to_string()),
            ]
        })
        .collect();
    vec![
        CBlock::Subheading {
            text: f.name.trim().to_owned(),
        },
        CBlock::Base(Block::Facts {
            facts: vec![fact("Priorität", format::or_empty(&f.priority))],
        }),
        CBlock::Base(Block::Text {
            label: "Begründung".into(),
            paragraphs: format::paragraphs(&f.rationale),
        }),
        table(
            "Ziele",
            &["Ziel", "Indikator", "Ausgangswert", "Zielwert", "Zieljahr"],
            &[3.0, 2.0, 1.2, 1.2, 0.9],
            &[false, false, true, true, true],
            rows,
            "Keine Ziele erfasst.",
        ),
    ]
}

fn fields(c: &ConceptExport) -> Chapter {
    let mut blocks = Vec::new();
    if c.fields.is_empty() {
        blocks.push(CBlock::Paragraphs {
            paragraphs: vec!["Es sind noch keine Handlungsfelder ausgewählt.".into()],
        });
    }
    for f in &c.fields {
        blocks.extend(field_blocks(f));
    }
    Chapter {
        id: "handlungsfelder".into(),
        heading: "Handlungsfelder und Ziele".into(),
        blocks,
    }
}

fn letters(r: &crate::RaciExport) -> String {
    let mut s = Vec::new();
    for (on, l) in [
        (r.responsible, "R"),
        (r.accountable, "A"),
        (r.consulted, "C"),
        (r.informed, "I"),
    ] {
        if on {
            s.push(l);
        }
    }
    if s.is_empty() {
        EMPTY.to_owned()
    } else {
        s.join(", ")
    }
}

fn organisation(c: &ConceptExport) -> Chapter {
    let lead_rows = c
        .measures
        .iter()
        .map(|m| {
            vec![
                cell(&m.title),
                cell(&m.lead_unit),
                cell(m.lead_person.as_deref().unwrap_or_default()),
            ]
        })
        .collect();
    let raci_rows = c
        .measures
        .iter()
        .flat_map(|m| {
            m.raci
                .iter()
                .map(move |r| vec![cell(&r.who), cell(&m.title), letters(r)])
        })
        .collect();
    let actor_rows = c
        .stakeholders
        .iter()
        .map(|s| vec![cell(&s.name), cell(&s.kind), cell(&s.group)])
        .collect();
    Chapter {
        id: "organisation".into(),
        heading: "Organisation und Verantwortung".into(),
        blocks: vec![
            CBlock::Paragraphs {
                paragraphs: vec![
                    "Die Kommunale Koordination steuert den Smart-City-Prozess; jede Maßnahme hat eine \
                     Federführung. Die Zuständigkeiten folgen dem RACI-Schema: R = Durchführung, \
                     A = Verantwortung, C = konsultiert, I = informiert."
                        .into(),
                ],
            },
            table(
                "Federführung der Maßnahmen",
                &["Maßnahme", "Federführung", "Ansprechperson"],
                &[3.0, 2.0, 2.0],
                &[false; 3],
                lead_rows,
                "Keine Maßnahmen.",
            ),
            table(
                "Zuständigkeiten (RACI)",
                &["Beteiligte", "Maßnahme", "Rolle"],
                &[2.2, 3.0, 1.0],
                &[false; 3],
                raci_rows,
                "Keine Zuständigkeiten erfasst.",
            ),
            table(
                "Akteure und Steuerung",
                &["Akteur", "Art", "Gruppe"],
                &[3.0, 1.2, 2.0],
                &[false; 3],
                actor_rows,
                "Keine Akteure erfasst.",
            ),
        ],
    }
}

fn measures(c: &ConceptExport) -> Chapter {
    let rows = c
        .measures
        .iter()
        .enumerate()
        .map(|(i, m)| {
            vec![
                (i + 1).to_string(),
                cell(&m.title),
                cell(m.primary_field.as_deref().unwrap_or_default()),
                cell(&m.status),
                cell(m.priority.as_deref().unwrap_or_default()),
                period(m.start.as_deref(), m.end.as_deref()),
            ]
        })
        .collect();
    let mut blocks = vec![table(
        "Übersicht der Maßnahmen",
        &[
            "Nr.",
            "Maßnahme",
            "Handlungsfeld",
            "Status",
            "Priorität",
            "Zeitraum",
        ],
        &[0.5, 3.0, 1.8, 1.3, 1.0, 2.2],
        &[true, false, false, false, false, false],
        rows,
        "Es sind noch keine Maßnahmen erfasst.",
    )];
    blocks.extend(c.measures.iter().map(sheet_block));
    Chapter {
        id: "massnahmen".into(),
        heading: "Maßnahmen und Projektblätter".into(),
        blocks,
    }
}

fn participation(c: &ConceptExport) -> Chapter {
    let rows = c
        .participations
        .iter()
        .map(|p| {
            vec![
                cell(&p.title),
                cell(&p.kind),
                cell(&p.period),
                format::integer(p.participants),
                cell(&p.contributions),
            ]
        })
        .collect();
    let mut blocks = vec![table(
        "Beteiligungsformate",
        &["Format", "Art", "Zeitraum", "Teilnehmende", "Beiträge"],
        &[2.6, 1.4, 2.0, 1.1, 1.8],
        &[false, false, false, true, false],
        rows,
        "Es liegen noch keine veröffentlichten Beteiligungsergebnisse vor.",
    )];
    for b in &c.benefit {
        blocks.push(CBlock::Subheading {
            text: format!("Nutzwertanalyse: {}", b.title.trim()),
        });
        let placed: Vec<chart::Point> = b
            .rows
            .iter()
            .enumerate()
            .filter_map(|(i, r)| {
                Some(chart::Point {
                    label: format!("M{}", i + 1),
                    x: r.effort?,
                    y: r.benefit?,
                })
            })
            .collect();
        if !placed.is_empty() {
            blocks.push(CBlock::Chart {
                svg: chart::portfolio(&placed, b.effort_threshold, b.benefit_threshold),
                alt: format!(
                    "Nutzen-Aufwand-Portfolio mit {} Maßnahmen: waagerecht der Aufwand, senkrecht der Nutzen \
                     (je 0 bis 100); die Werte stehen in der Tabelle darunter.",
                    placed.len()
                ),
                caption: "Nutzen-Aufwand-Portfolio (Kürzel wie in der Tabelle)".into(),
            });
        }
        let rows = b
            .rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                vec![
                    format!("M{}", i + 1),
                    r.rank.map_or_else(|| EMPTY.to_owned(), |r| r.to_string()),
                    cell(&r.measure),
                    score(r.benefit),
                    score(r.effort),
                    cell(&r.quadrant),
                    format::integer(r.raters),
                ]
            })
            .collect();
        blocks.push(table(
            "Rangfolge",
            &[
                "Kürzel",
                "Rang",
                "Maßnahme",
                "Nutzen",
                "Aufwand",
                "Quadrant",
                "Bewertende",
            ],
            &[0.7, 0.6, 3.0, 0.9, 0.9, 1.6, 1.0],
            &[false, true, false, true, true, false, true],
            rows,
            "Noch keine Bewertungen.",
        ));
    }
    for o in &c.opinions {
        blocks.push(CBlock::Subheading {
            text: format!("Meinungsbild: {}", o.title.trim()),
        });
        blocks.push(CBlock::Base(Block::Facts {
            facts: vec![
                fact("Aussagen", format::integer(o.statements)),
                fact("Teilnehmende", format::integer(o.participants)),
                fact("Stimmen", format::integer(o.votes)),
            ],
        }));
        let rows = o
            .top
            .iter()
            .map(|s| {
                let total = (s.agree + s.disagree + s.pass).max(1) as f64;
                vec![
                    cell(&s.text),
                    format::percent(100.0 * s.agree as f64 / total),
                    format::percent(100.0 * s.disagree as f64 / total),
                    format::integer(s.agree + s.disagree + s.pass),
                ]
            })
            .collect();
        blocks.push(table(
            "Meistbewertete Aussagen",
            &["Aussage", "Zustimmung", "Ablehnung", "Stimmen"],
            &[4.0, 1.1, 1.1, 0.9],
            &[false, true, true, true],
            rows,
            "Noch keine Stimmen.",
        ));
    }
    Chapter {
        id: "beteiligung".into(),
        heading: "Beteiligung und Ergebnisse".into(),
        blocks,
    }
}

/// A milestone of a measure or of the process, with its measure's title.
struct AnyMilestone<'a> {
    title: &'a str,
    measure: Option<&'a str>,
    due: Option<&'a str>,
    done: bool,
}

fn all_milestones(c: &ConceptExport) -> Vec<AnyMilestone<'_>> {
    let mut list: Vec<AnyMilestone<'_>> = c
        .measures
        .iter()
        .flat_map(|m| {
            m.milestones.iter().map(move |ms| AnyMilestone {
                title: &ms.title,
                measure: Some(&m.title),
                due: ms.due.as_deref(),
                done: ms.done,
            })
        })
        .chain(c.milestones.iter().map(|ms| AnyMilestone {
            title: &ms.title,
            measure: None,
            due: ms.due.as_deref(),
            done: ms.done,
        }))
        .collect();
    list.sort_by(|a, b| a.due.unwrap_or("9999").cmp(b.due.unwrap_or("9999")));
    list
}

fn roadmap(c: &ConceptExport) -> Chapter {
    let bars: Vec<chart::Bar> = c
        .measures
        .iter()
        .enumerate()
        .filter_map(|(i, m)| {
            Some(chart::Bar {
                label: format!("{}. {}", i + 1, format::single_line(&m.title)),
                start: chart::day(m.start.as_deref()?)?,
                end: chart::day(m.end.as_deref().or(m.start.as_deref())?)?,
                marks: m
                    .milestones
                    .iter()
                    .filter_map(|ms| chart::day(ms.due.as_deref()?))
                    .collect(),
            })
        })
        .collect();
    let mut blocks = Vec::new();
    if bars.is_empty() {
        blocks.push(CBlock::Paragraphs {
            paragraphs: vec!["Für keine Maßnahme ist ein Zeitraum erfasst.".into()],
        });
    } else {
        blocks.push(CBlock::Chart {
            alt: format!(
                "Zeitplan von {} Maßnahmen als Balken von Beginn bis Ende, Meilensteine als Rauten; \
                 die Daten stehen in den Tabellen darunter.",
                bars.len()
            ),
            svg: chart::roadmap(&bars),
            caption: "Roadmap der Maßnahmen".into(),
        });
    }
    let rows = c
        .measures
        .iter()
        .enumerate()
        .map(|(i, m)| {
            vec![
                (i + 1).to_string(),
                cell(&m.title),
                opt_date(m.start.as_deref()),
                opt_date(m.end.as_deref()),
                cell(m.time_horizon.as_deref().unwrap_or_default()),
                cell(&m.status),
            ]
        })
        .collect();
    blocks.push(table(
        "Zeitplan der Maßnahmen",
        &[
            "Nr.",
            "Maßnahme",
            "Beginn",
            "Ende",
            "Zeithorizont",
            "Status",
        ],
        &[0.5, 3.2, 1.1, 1.1, 1.3, 1.3],
        &[true, false, false, false, false, false],
        rows,
        "Keine Maßnahmen.",
    ));
    let ms_rows = all_milestones(c)
        .iter()
        .map(|m| {
            vec![
                opt_date(m.due),
                cell(m.title),
                cell(m.measure.unwrap_or("Gesamtprozess")),
            ]
        })
        .collect();
    blocks.push(table(
        "Meilensteine",
        &["Fällig", "Meilenstein", "Maßnahme"],
        &[1.1, 3.0, 3.0],
        &[false; 3],
        ms_rows,
        "Keine Meilensteine erfasst.",
    ));
    Chapter {
        id: "roadmap".into(),
        heading: "Roadmap".into(),
        blocks,
    }
}

fn monitoring(c: &ConceptExport) -> Chapter {
    let kpi_rows = c
        .measures
        .iter()
        .flat_map(|m| {
            m.kpis.iter().map(move |k| {
                let latest = k
                    .measurements
                    .iter()
                    .max_by(|a, b| a.0.cmp(&b.0))
                    .map(|(d, v)| format!("{} ({})", format::decimal(*v, 3), format::date(d)))
                    .unwrap_or_else(|| EMPTY.to_owned());
                vec![
                    cell(&m.title),
                    cell(&k.name),
                    cell(&k.unit),
                    num(k.baseline),
                    num(k.target),
                    latest,
                ]
            })
        })
        .collect();
    let today = c.compiled_on.trim();
    let ms_rows = all_milestones(c)
        .iter()
        .map(|m| {
            let state = if m.done {
                "erledigt"
            } else if m.due.is_some_and(|d| !today.is_empty() && d < today) {
                "überfällig"
            } else {
                "offen"
            };
            vec![
                cell(m.measure.unwrap_or("Gesamtprozess")),
                cell(m.title),
                opt_date(m.due),
                state.to_owned(),
            ]
        })
        .collect();
    Chapter {
        id: "monitoring".into(),
        heading: "Monitoring".into(),
        blocks: vec![
            CBlock::Paragraphs {
                paragraphs: vec![
                    "Der Fortschritt wird über die Kennzahlen der Maßnahmen (Ausgangswert, Zielwert, \
                     letzter Messwert) und über die Meilensteine verfolgt."
                        .into(),
                ],
            },
            table(
                "Kennzahlen",
                &[
                    "Maßnahme",
                    "Kennzahl",
                    "Einheit",
                    "Ausgangswert",
                    "Zielwert",
                    "Letzter Messwert",
                ],
                &[2.4, 2.0, 0.9, 1.1, 1.0, 1.8],
                &[false, false, false, true, true, true],
                kpi_rows,
                "Keine Kennzahlen erfasst.",
            ),
            table(
                "Stand der Meilensteine",
                &["Maßnahme", "Meilenstein", "Fällig", "Stand"],
                &[2.6, 3.0, 1.1, 1.1],
                &[false; 4],
                ms_rows,
                "Keine Meilensteine erfasst.",
            ),
        ],
    }
}

fn annex(c: &ConceptExport) -> Chapter {
    Chapter {
        id: "anhang".into(),
        heading: "Anhang".into(),
        blocks: vec![
            CBlock::Base(Block::Facts {
                facts: vec![
                    fact("Kommune", format::or_empty(&c.municipality)),
                    fact("Fassung", format::or_empty(&c.edition)),
                    fact("Zusammengestellt für", format::or_empty(&c.audience)),
                    fact("Datenstand", opt_date(Some(&c.compiled_on))),
                    fact("Maßnahmen", format::integer(c.measures.len() as i64)),
                    fact("Quelle", "Smart City Werkstatt".into()),
                ],
            }),
            CBlock::Base(Block::List {
                label: "Abkürzungen".into(),
                items: vec![
                    "AGS – Amtlicher Gemeindeschlüssel".into(),
                    "KPI – Kennzahl (Key Performance Indicator)".into(),
                    "RACI – Durchführung (R), Verantwortung (A), konsultiert (C), informiert (I)".into(),
                    "VZÄ – Vollzeitäquivalent".into(),
                ],
            }),
            CBlock::Paragraphs {
                paragraphs: vec![
                    "Das Dokument enthält nur Inhalte, die für die genannte Zielgruppe freigegeben sind."
                        .into(),
                ],
            },
        ],
    }
}

impl ConceptView {
    pub(crate) fn new(c: &ConceptExport) -> Self {
        let title = match c.title.trim() {
            "" => "Smart-City-Umsetzungskonzept".to_owned(),
            t => format::single_line(t),
        };
        ConceptView {
            title,
            municipality: c.municipality.trim().to_owned(),
            edition: format::or_empty(&c.edition),
            audience: format::or_empty(&c.audience),
            chapters: vec![
                ausgangslage(c),
                definition(c),
                fields(c),
                organisation(c),
                measures(c),
                participation(c),
                roadmap(c),
                monitoring(c),
                annex(c),
            ],
        }
    }
}

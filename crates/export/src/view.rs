//! The intermediate document model of a project sheet.
//!
//! [`SheetView`] holds nothing but display-ready German strings, grouped into
//! sections and blocks. The typst template and the Markdown writer both render
//! exactly this model, so PDF and Markdown show the same content. User text
//! stays data all the way: the template receives it as typst string values and
//! never parses it as markup.

use serde::Serialize;

use crate::SheetExport;
use crate::format::{self, EMPTY};

/// A whole project sheet, ready for rendering.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SheetView {
    /// Document title (also PDF metadata title).
    pub title: String,
    /// Municipality, shown above the title and used as PDF author.
    pub municipality: String,
    /// Short description shown as lead paragraph below the title.
    pub lead: Vec<String>,
    /// "Stand: …" line.
    pub updated_at: String,
    pub sections: Vec<Section>,
}

/// A numbered top-level section with a heading.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Section {
    pub heading: String,
    pub blocks: Vec<Block>,
}

/// One label/value line of a fact list.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Fact {
    pub label: String,
    pub value: String,
    /// Set only for absolute http(s) URLs; the value is then rendered as link.
    pub url: Option<String>,
}

/// The building blocks of a section.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum Block {
    /// Label/value pairs (a two-column key-value table).
    Facts { facts: Vec<Fact> },
    /// A labelled free text of one or more paragraphs (empty → "–").
    Text {
        label: String,
        paragraphs: Vec<String>,
    },
    /// A labelled bullet list (empty → "–").
    List { label: String, items: Vec<String> },
    /// A labelled table with a header row; `empty` is shown instead when there are no rows.
    Table {
        label: String,
        header: Vec<String>,
        /// Relative column widths (typst `fr`).
        widths: Vec<f64>,
        /// Right-align this column (numbers).
        numeric: Vec<bool>,
        rows: Vec<Vec<String>>,
        empty: String,
    },
}

fn fact(label: &str, value: String) -> Fact {
    Fact {
        label: label.to_owned(),
        value,
        url: None,
    }
}

fn link_fact(label: &str, value: Option<&str>) -> Fact {
    let text = format::opt_or_empty(value);
    let url = value
        .map(str::trim)
        .filter(|v| format::is_web_url(v))
        .map(str::to_owned);
    Fact {
        label: label.to_owned(),
        value: text,
        url,
    }
}

fn text(label: &str, value: &str) -> Block {
    Block::Text {
        label: label.to_owned(),
        paragraphs: format::paragraphs(value),
    }
}

fn list(label: &str, items: &[String]) -> Block {
    Block::List {
        label: label.to_owned(),
        items: format::non_blank(items),
    }
}

fn joined(items: &[String]) -> String {
    let items = format::non_blank(items);
    if items.is_empty() {
        EMPTY.to_owned()
    } else {
        items.join(", ")
    }
}

fn opt_map<T: Copy>(value: Option<T>, f: impl Fn(T) -> String) -> String {
    value.map_or_else(|| EMPTY.to_owned(), f)
}

fn opt_date(value: Option<&str>) -> String {
    match value.map(str::trim) {
        Some(v) if !v.is_empty() => format::date(v),
        _ => EMPTY.to_owned(),
    }
}

fn cell(value: &str) -> String {
    // Table cells are single-line.
    let joined = format::single_line(value);
    if joined.is_empty() {
        EMPTY.to_owned()
    } else {
        joined
    }
}

fn mark(value: bool) -> String {
    if value { "ja" } else { EMPTY }.to_owned()
}

/// Summarises a location that is either GeoJSON or a place description.
pub(crate) fn location(value: Option<&str>) -> String {
    let Some(raw) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return EMPTY.to_owned();
    };
    if !raw.starts_with('{') {
        return raw.to_owned();
    }
    match serde_json::from_str::<serde_json::Value>(raw) {
        Ok(geojson) => describe_geojson(&geojson).unwrap_or_else(|| raw.to_owned()),
        Err(_) => raw.to_owned(),
    }
}

fn describe_geojson(value: &serde_json::Value) -> Option<String> {
    let kind = value.get("type")?.as_str()?;
    match kind {
        "Feature" => {
            let geometry = describe_geojson(value.get("geometry")?)?;
            let name = value
                .get("properties")
                .and_then(|p| p.get("name"))
                .and_then(serde_json::Value::as_str)
                .map(str::trim)
                .filter(|n| !n.is_empty());
            Some(match name {
                Some(name) => format!("{name} ({geometry})"),
                None => geometry,
            })
        }
        "FeatureCollection" => {
            let count = value.get("features")?.as_array()?.len();
            Some(format!("{count} Geoobjekte (GeoJSON)"))
        }
        "Point" => {
            let coordinates = value.get("coordinates")?.as_array()?;
            let lon = coordinates.first()?.as_f64()?;
            let lat = coordinates.get(1)?.as_f64()?;
            let ns = if lat < 0.0 { "S" } else { "N" };
            let ew = if lon < 0.0 { "W" } else { "O" };
            Some(format!(
                "Punkt {}°\u{a0}{ns}, {}°\u{a0}{ew}",
                format::decimal(lat.abs(), 5),
                format::decimal(lon.abs(), 5)
            ))
        }
        "MultiPoint" => Some("mehrere Punkte (GeoJSON)".to_owned()),
        "LineString" | "MultiLineString" => Some("Linienzug (GeoJSON)".to_owned()),
        "Polygon" | "MultiPolygon" => Some("Fläche (GeoJSON)".to_owned()),
        "GeometryCollection" => Some("mehrere Geometrien (GeoJSON)".to_owned()),
        _ => None,
    }
}

impl SheetView {
    pub(crate) fn new(s: &SheetExport) -> Self {
        let title = match s.title.trim() {
            "" => "Projektblatt".to_owned(),
            t => format::single_line(t),
        };

        let overview = Section {
            heading: "Überblick".to_owned(),
            blocks: vec![Block::Facts {
                facts: vec![
                    fact("Kommune", format::or_empty(&s.municipality)),
                    fact("Status", format::or_empty(&s.status)),
                    fact("Sichtbarkeit", format::or_empty(&s.visibility)),
                    fact(
                        "Handlungsfeld",
                        format::opt_or_empty(s.primary_field.as_deref()),
                    ),
                    fact("Weitere Handlungsfelder", joined(&s.further_fields)),
                    fact("Priorität", format::opt_or_empty(s.priority.as_deref())),
                    fact(
                        "Zeithorizont",
                        format::opt_or_empty(s.time_horizon.as_deref()),
                    ),
                    fact("Quick Win", format::yes_no(s.quick_win).to_owned()),
                ],
            }],
        };

        let goals = Section {
            heading: "Ziele und Ausgangslage".to_owned(),
            blocks: vec![
                list("Ziele", &s.goals),
                text("Ausgangslage und Bedarf", &s.initial_situation),
                list("Zielgruppen", &s.target_groups),
            ],
        };

        let impact = Section {
            heading: "Wirkungslogik".to_owned(),
            blocks: vec![
                text("Output (Leistungen)", &s.impact_output),
                text("Outcome (Wirkung bei den Zielgruppen)", &s.impact_outcome),
                text("Impact (Wirkung in der Kommune)", &s.impact_impact),
            ],
        };

        let kpi_rows = s
            .kpis
            .iter()
            .map(|k| {
                vec![
                    cell(&k.name),
                    cell(&k.unit),
                    opt_map(k.baseline, |v| format::decimal(v, 3)),
                    opt_map(k.target, |v| format::decimal(v, 3)),
                    cell(&k.method),
                    cell(&k.data_source),
                    cell(&k.interval),
                ]
            })
            .collect();
        let measurement_rows: Vec<Vec<String>> = s
            .kpis
            .iter()
            .flat_map(|k| {
                k.measurements.iter().map(|(date, value)| {
                    vec![
                        cell(&k.name),
                        cell(&format::date(date)),
                        format::decimal(*value, 3),
                        cell(&k.unit),
                    ]
                })
            })
            .collect();
        let mut kpi_blocks = vec![Block::Table {
            label: "Indikatoren und Zielwerte".to_owned(),
            header: [
                "Kennzahl",
                "Einheit",
                "Ausgangswert",
                "Zielwert",
                "Messmethode",
                "Datenquelle",
                "Erhebung",
            ]
            .map(str::to_owned)
            .to_vec(),
            widths: vec![1.8, 0.9, 1.2, 0.9, 1.4, 1.4, 1.3],
            numeric: vec![false, false, true, true, false, false, false],
            rows: kpi_rows,
            empty: "Keine Kennzahlen erfasst.".to_owned(),
        }];
        if !measurement_rows.is_empty() {
            kpi_blocks.push(Block::Table {
                label: "Messwerte".to_owned(),
                header: ["Kennzahl", "Datum", "Wert", "Einheit"]
                    .map(str::to_owned)
                    .to_vec(),
                widths: vec![3.0, 1.2, 1.2, 1.2],
                numeric: vec![false, false, true, false],
                rows: measurement_rows,
                empty: String::new(),
            });
        }
        let kpis = Section {
            heading: "Kennzahlen".to_owned(),
            blocks: kpi_blocks,
        };

        let responsibility = Section {
            heading: "Verantwortung und Beteiligte".to_owned(),
            blocks: vec![
                Block::Facts {
                    facts: vec![
                        fact("Federführung", format::or_empty(&s.lead_unit)),
                        fact(
                            "Ansprechperson",
                            format::opt_or_empty(s.lead_person.as_deref()),
                        ),
                        fact("Kontakt", format::opt_or_empty(s.contact.as_deref())),
                    ],
                },
                Block::Table {
                    label: "Partner".to_owned(),
                    header: ["Partner", "Rolle"].map(str::to_owned).to_vec(),
                    widths: vec![1.0, 1.0],
                    numeric: vec![false, false],
                    rows: s
                        .partners
                        .iter()
                        .map(|p| vec![cell(&p.name), cell(&p.role)])
                        .collect(),
                    empty: "Keine Partner erfasst.".to_owned(),
                },
                Block::Table {
                    label: "Zuständigkeiten (RACI)".to_owned(),
                    header: [
                        "Beteiligte",
                        "Durchführung (R)",
                        "Verantwortung (A)",
                        "Konsultiert (C)",
                        "Informiert (I)",
                    ]
                    .map(str::to_owned)
                    .to_vec(),
                    widths: vec![2.2, 1.0, 1.0, 1.0, 1.0],
                    numeric: vec![false; 5],
                    rows: s
                        .raci
                        .iter()
                        .map(|r| {
                            vec![
                                cell(&r.who),
                                mark(r.responsible),
                                mark(r.accountable),
                                mark(r.consulted),
                                mark(r.informed),
                            ]
                        })
                        .collect(),
                    empty: "Keine Zuständigkeiten erfasst.".to_owned(),
                },
            ],
        };

        let schedule = Section {
            heading: "Zeitplan".to_owned(),
            blocks: vec![
                Block::Facts {
                    facts: vec![
                        fact("Beginn", opt_date(s.start.as_deref())),
                        fact("Ende", opt_date(s.end.as_deref())),
                    ],
                },
                Block::Table {
                    label: "Meilensteine".to_owned(),
                    header: ["Meilenstein", "Fällig", "Stand"]
                        .map(str::to_owned)
                        .to_vec(),
                    widths: vec![3.0, 1.0, 1.0],
                    numeric: vec![false; 3],
                    rows: s
                        .milestones
                        .iter()
                        .map(|m| {
                            vec![
                                cell(&m.title),
                                opt_date(m.due.as_deref()),
                                if m.done { "erledigt" } else { "offen" }.to_owned(),
                            ]
                        })
                        .collect(),
                    empty: "Keine Meilensteine erfasst.".to_owned(),
                },
            ],
        };

        let finance = Section {
            heading: "Ressourcen und Finanzierung".to_owned(),
            blocks: vec![Block::Facts {
                facts: vec![
                    fact(
                        "Investitionskosten",
                        opt_map(s.investment_costs_eur, format::euro),
                    ),
                    fact(
                        "Betriebskosten pro Jahr",
                        opt_map(s.operating_costs_eur_per_year, format::euro),
                    ),
                    fact(
                        "Personalbedarf",
                        opt_map(s.staff_need_fte, |v| {
                            format!("{}\u{a0}VZÄ", format::decimal(v, 2))
                        }),
                    ),
                    fact(
                        "Förderprogramm",
                        format::opt_or_empty(s.funding_programme.as_deref()),
                    ),
                    fact("Förderquote", opt_map(s.funding_rate_pct, format::percent)),
                    fact(
                        "Eigenanteil",
                        opt_map(s.funding_own_share_pct, format::percent),
                    ),
                ],
            }],
        };

        let risks = Section {
            heading: "Risiken und Abhängigkeiten".to_owned(),
            blocks: vec![
                list("Risiken", &s.risks),
                list("Abhängig von den Maßnahmen", &s.dependencies),
            ],
        };

        let decisions = Section {
            heading: "Beschlüsse und Beteiligung".to_owned(),
            blocks: vec![Block::Facts {
                facts: vec![
                    fact(
                        "Ratsbeschluss vom",
                        opt_date(s.council_decision_date.as_deref()),
                    ),
                    link_fact("Beschluss online", s.council_decision_link.as_deref()),
                    fact(
                        "Form der Bürgerbeteiligung",
                        format::opt_or_empty(s.participation_form.as_deref()),
                    ),
                ],
            }],
        };

        let classification = Section {
            heading: "Verortung und Einordnung".to_owned(),
            blocks: vec![
                Block::Facts {
                    facts: vec![fact("Ort", location(s.location.as_deref()))],
                },
                list("Nachhaltigkeitsziele (SDGs)", &s.sdgs),
                list("Smart-City-Charta", &s.charta),
            ],
        };

        let openness = Section {
            heading: "Datenschutz, Offenheit und Übertragbarkeit".to_owned(),
            blocks: vec![
                text("Datenschutz", &s.data_protection),
                Block::Facts {
                    facts: vec![
                        fact("Lizenz", format::opt_or_empty(s.licence.as_deref())),
                        link_fact("Quellcode / Repository", s.repository.as_deref()),
                    ],
                },
                text("Übertragbarkeit", &s.transferability),
            ],
        };

        SheetView {
            title,
            municipality: s.municipality.trim().to_owned(),
            lead: format::paragraphs(&s.short_description),
            updated_at: format::or_empty(&s.updated_at),
            sections: vec![
                overview,
                goals,
                impact,
                kpis,
                responsibility,
                schedule,
                finance,
                risks,
                decisions,
                classification,
                openness,
            ],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn geojson_locations_are_summarised() {
        assert_eq!(location(None), EMPTY);
        assert_eq!(location(Some("Marktplatz")), "Marktplatz");
        assert_eq!(
            location(Some(r#"{"type":"Point","coordinates":[7.0982,50.7374]}"#)),
            "Punkt 50,7374°\u{a0}N, 7,0982°\u{a0}O"
        );
        assert_eq!(
            location(Some(
                r#"{"type":"Feature","properties":{"name":"Rathaus"},"geometry":{"type":"Polygon","coordinates":[]}}"#
            )),
            "Rathaus (Fläche (GeoJSON))"
        );
        assert_eq!(location(Some("{kaputt")), "{kaputt");
    }
}

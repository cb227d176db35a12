//! The DCAT-AP.de catalogue in JSON-LD: `/kommunen/{slug}/dcat.jsonld` (one city's public datasets) and
//! `/dcat.jsonld` (every city of the network). Public data only, whoever asks: the catalogue is what open-data
//! portals harvest, so it never depends on a session.

use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use store::municipalities::Municipality;

/// Data licence Germany – attribution – version 2.0.
pub const LICENSE: &str = "http://dcat-ap.de/def/licenses/dl-by-de/2.0";
const LANG_DE: &str = "http://publications.europa.eu/resource/authority/language/DEU";
const FILE_TYPE: &str = "http://publications.europa.eu/resource/authority/file-type/";
const THEME_GOVE: &str = "http://publications.europa.eu/resource/authority/data-theme/GOVE";

fn context() -> Value {
    json!({
        "dcat": "http://www.w3.org/ns/dcat#",
        "dct": "http://purl.org/dc/terms/",
        "dcatde": "http://dcat-ap.de/def/dcatde/",
        "foaf": "http://xmlns.com/foaf/0.1/",
        "xsd": "http://www.w3.org/2001/XMLSchema#"
    })
}

/// ISO 8601 date-time of Unix seconds (UTC), typed for JSON-LD.
fn modified(secs: i64) -> Value {
    let at = time::OffsetDateTime::from_unix_timestamp(secs)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default();
    json!({"@value": at, "@type": "xsd:dateTime"})
}

struct Format {
    /// EU file-type authority code, e.g. `CSV`.
    code: &'static str,
    media_type: &'static str,
    /// The download is a file (downloadURL); otherwise only an access URL (an API).
    download: bool,
}

const CSV: Format = Format {
    code: "CSV",
    media_type: "text/csv",
    download: true,
};
const XLSX: Format = Format {
    code: "XLSX",
    media_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    download: true,
};
const JSON_API: Format = Format {
    code: "JSON",
    media_type: "application/json",
    download: false,
};
const GEOJSON: Format = Format {
    code: "GEOJSON",
    media_type: "application/geo+json",
    download: true,
};
const ICS: Format = Format {
    code: "ICS",
    media_type: "text/calendar",
    download: true,
};
const PDF: Format = Format {
    code: "PDF",
    media_type: "application/pdf",
    download: true,
};
const MARKDOWN: Format = Format {
    code: "MD",
    media_type: "text/markdown",
    download: true,
};
const HTML: Format = Format {
    code: "HTML",
    media_type: "text/html",
    download: true,
};

struct Catalogue<'a> {
    state: &'a AppState,
    m: &'a Municipality,
}

impl Catalogue<'_> {
    fn url(&self, rest: &str) -> String {
        self.state
            .config
            .url(&format!("/kommunen/{}{rest}", self.m.slug))
    }

    fn publisher(&self) -> Value {
        json!({
            "@type": "foaf:Organization",
            "foaf:name": self.m.name,
            "foaf:homepage": {"@id": self.url("")}
        })
    }

    /// The municipality by its official key (Amtlicher Gemeindeschlüssel).
    fn geocoding(&self) -> Value {
        json!({"@id": format!("http://dcat-ap.de/def/politicalGeocoding/municipalityKey/{}", self.m.ags)})
    }

    fn distribution(&self, id: &str, title: &str, path: &str, f: &Format) -> Value {
        let url = if path.starts_with("/api/") {
            self.state.config.url(path)
        } else {
            self.url(path)
        };
        let mut d = json!({
            "@id": format!("{}#{id}", self.url("/dcat.jsonld")),
            "@type": "dcat:Distribution",
            "dct:title": title,
            "dcat:accessURL": {"@id": url},
            "dct:format": {"@id": format!("{FILE_TYPE}{}", f.code)},
            "dcat:mediaType": f.media_type,
            "dct:license": {"@id": LICENSE}
        });
        if f.download {
            d["dcat:downloadURL"] = json!({"@id": url});
        }
        d
    }

    fn dataset(
        &self,
        id: &str,
        title: String,
        description: String,
        modified_at: Option<i64>,
        distributions: Vec<Value>,
    ) -> Value {
        let mut d = json!({
            "@id": format!("{}#{id}", self.url("/dcat.jsonld")),
            "@type": "dcat:Dataset",
            "dct:identifier": format!("{}-{id}", self.m.slug),
            "dct:title": title,
            "dct:description": description,
            "dct:publisher": self.publisher(),
            "dct:license": {"@id": LICENSE},
            "dct:language": {"@id": LANG_DE},
            "dcat:theme": {"@id": THEME_GOVE},
            "dct:spatial": self.geocoding(),
            "dcatde:politicalGeocodingURI": self.geocoding(),
            "dcatde:politicalGeocodingLevelURI": {"@id": "http://dcat-ap.de/def/politicalGeocoding/Level/municipality"},
            "dcatde:contributorID": {"@id": self.url("")},
            "dcat:landingPage": {"@id": self.url("")},
            "dcat:distribution": distributions
        });
        if let Some(at) = modified_at {
            d["dct:modified"] = modified(at);
        }
        d
    }

    /// The city's public datasets.
    async fn datasets(&self) -> Result<(Vec<Value>, Option<i64>), AppError> {
        let db = &self.state.db;
        let mid = self.m.id;
        let name = &self.m.name;
        let slug = &self.m.slug;
        let md = store::opendata::public_modified(db, mid).await?;
        let mut out = Vec::new();
        let mut latest: Option<i64> = None;
        let mut note = |at: Option<i64>| {
            latest = latest.max(at);
            at
        };
        if md.measures_count > 0 {
            let mut dist = vec![
                self.distribution("massnahmen-csv", "Maßnahmen (CSV)", "/massnahmen.csv", &CSV),
                self.distribution(
                    "massnahmen-xlsx",
                    "Maßnahmen (Excel)",
                    "/massnahmen.xlsx",
                    &XLSX,
                ),
                self.distribution(
                    "massnahmen-api",
                    "Maßnahmen (JSON-API)",
                    &format!("/api/v1/municipalities/{slug}/measures"),
                    &JSON_API,
                ),
            ];
            if md.located_measures > 0 {
                dist.push(self.distribution(
                    "massnahmen-geojson",
                    "Verortete Maßnahmen (GeoJSON)",
                    "/massnahmen.geojson",
                    &GEOJSON,
                ));
            }
            out.push(self.dataset(
                "massnahmen",
                format!("Smart-City-Maßnahmen {name}"),
                format!("Die öffentlichen Maßnahmen der Smart-City-Strategie von {name} mit Status, Handlungsfeld, Federführung, Zeitraum, Kosten und Umsetzungsstand."),
                note(md.measures),
                dist,
            ));
        }
        if md.located_ideas > 0 {
            out.push(self.dataset(
                "ideen",
                format!("Verortete Ideen aus der Bürgerbeteiligung {name}"),
                format!("Ideen, die Bürgerinnen und Bürger in veröffentlichten Beteiligungsformaten von {name} eingebracht und auf der Karte verortet haben."),
                note(md.ideas),
                vec![self.distribution("ideen-geojson", "Verortete Ideen (GeoJSON)", "/ideen.geojson", &GEOJSON)],
            ));
        }
        let mut dates = Vec::new();
        if md.workshops_count > 0 {
            dates.push(self.distribution(
                "werkstaetten-ics",
                "Werkstätten (iCalendar)",
                "/werkstaetten.ics",
                &ICS,
            ));
        }
        if md.milestones_count > 0 {
            dates.push(self.distribution(
                "meilensteine-ics",
                "Meilensteine der Maßnahmen (iCalendar)",
                "/meilensteine.ics",
                &ICS,
            ));
        }
        if md.participations_count > 0 {
            dates.push(self.distribution(
                "beteiligung-ics",
                "Beteiligungszeiträume (iCalendar)",
                "/beteiligung.ics",
                &ICS,
            ));
        }
        if !dates.is_empty() {
            let at = note(md.workshops.max(md.participations));
            out.push(self.dataset(
                "termine",
                format!("Termine des Smart-City-Prozesses {name}"),
                format!("Werkstätten, Meilensteine der Maßnahmen und Beteiligungszeiträume von {name} als abonnierbare Kalender."),
                at,
                dates,
            ));
        }
        for p in store::participation::list(db, mid, true).await? {
            if !p.results_public {
                continue;
            }
            let base = format!("/beteiligung/{}/ergebnisse", p.id);
            out.push(self.dataset(
                &format!("beteiligung-{}", p.id),
                format!("Ergebnisse: {}", p.title),
                if p.description.is_empty() {
                    format!("Veröffentlichte Ergebnisse eines Beteiligungsformats von {name}.")
                } else {
                    p.description.clone()
                },
                note(Some(p.closes_at.min(store::now_secs()))),
                vec![
                    self.distribution(
                        &format!("beteiligung-{}-csv", p.id),
                        "Ergebnisse (CSV)",
                        &format!("{base}.csv"),
                        &CSV,
                    ),
                    self.distribution(
                        &format!("beteiligung-{}-xlsx", p.id),
                        "Ergebnisse (Excel)",
                        &format!("{base}.xlsx"),
                        &XLSX,
                    ),
                    self.distribution(
                        &format!("beteiligung-{}-api", p.id),
                        "Ergebnisse (JSON-API)",
                        &format!("/api/v1/participations/{}/results", p.id),
                        &JSON_API,
                    ),
                ],
            ));
        }
        for v in store::concepts::list(db, mid, &["oeffentlich"]).await? {
            let base = format!("/umsetzungskonzept/fassung/{}/konzept", v.version);
            let id = format!("umsetzungskonzept-{}", v.version);
            out.push(self.dataset(
                &id,
                format!("{} (Fassung {})", v.title, v.version),
                if v.note.is_empty() {
                    format!(
                        "Veröffentlichte Fassung {} des Smart-City-Umsetzungskonzepts von {name}.",
                        v.version
                    )
                } else {
                    v.note.clone()
                },
                note(Some(v.published_at)),
                vec![
                    self.distribution(
                        &format!("{id}-pdf"),
                        "Umsetzungskonzept (PDF)",
                        &format!("{base}.pdf"),
                        &PDF,
                    ),
                    self.distribution(
                        &format!("{id}-html"),
                        "Umsetzungskonzept (HTML)",
                        &format!("{base}.html"),
                        &HTML,
                    ),
                    self.distribution(
                        &format!("{id}-md"),
                        "Umsetzungskonzept (Markdown)",
                        &format!("{base}.md"),
                        &MARKDOWN,
                    ),
                ],
            ));
        }
        Ok((out, latest))
    }

    fn catalog(&self, datasets: Vec<Value>, latest: Option<i64>) -> Value {
        let name = &self.m.name;
        let mut c = json!({
            "@context": context(),
            "@id": self.url("/dcat.jsonld"),
            "@type": "dcat:Catalog",
            "dct:title": format!("Offene Daten der Smart City {name}"),
            "dct:description": format!("Öffentliche Daten aus dem Smart-City-Prozess von {name}: Maßnahmen, Ideen, Termine, Beteiligungsergebnisse und das Umsetzungskonzept."),
            "dct:publisher": self.publisher(),
            "dct:language": {"@id": LANG_DE},
            "dct:license": {"@id": LICENSE},
            "dct:spatial": self.geocoding(),
            "foaf:homepage": {"@id": self.url("")},
            "dcat:dataset": datasets
        });
        if let Some(at) = latest {
            c["dct:modified"] = modified(at);
        }
        c
    }
}

fn respond(body: Value) -> Response {
    let mut r = body.to_string().into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/ld+json"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    r
}

/// `GET /kommunen/{slug}/dcat.jsonld`
pub async fn city(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let m = store::municipalities::by_slug(&state.db, &slug).await?;
    let c = Catalogue {
        state: &state,
        m: &m,
    };
    let (datasets, latest) = c.datasets().await?;
    Ok(respond(c.catalog(datasets, latest)))
}

/// `GET /dcat.jsonld`: one catalogue of the network with every city's public datasets (each names its city
/// as publisher) and the cities' own catalogues as `dct:hasPart`.
pub async fn network(State(state): State<AppState>) -> Result<Response, AppError> {
    let mut datasets = Vec::new();
    let mut parts = Vec::new();
    let mut latest: Option<i64> = None;
    for m in store::municipalities::list(&state.db).await? {
        let c = Catalogue {
            state: &state,
            m: &m,
        };
        let (mut ds, at) = c.datasets().await?;
        latest = latest.max(at);
        parts.push(json!({"@id": c.url("/dcat.jsonld")}));
        datasets.append(&mut ds);
    }
    let mut body = json!({
        "@context": context(),
        "@id": state.config.url("/dcat.jsonld"),
        "@type": "dcat:Catalog",
        "dct:title": "Offene Daten der Smart-City-Kommunen im Netzwerk",
        "dct:description": "Öffentliche Daten aller Kommunen der Smart City Werkstatt: Maßnahmen, Ideen, Termine, Beteiligungsergebnisse und Umsetzungskonzepte.",
        "dct:publisher": {"@type": "foaf:Organization", "foaf:name": "Netzwerk Innenstadt NRW", "foaf:homepage": {"@id": state.config.url("/")}},
        "dct:language": {"@id": LANG_DE},
        "dct:license": {"@id": LICENSE},
        "foaf:homepage": {"@id": state.config.url("/")},
        "dct:hasPart": parts,
        "dcat:dataset": datasets
    });
    if let Some(at) = latest {
        body["dct:modified"] = modified(at);
    }
    Ok(respond(body))
}

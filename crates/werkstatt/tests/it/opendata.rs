//! Open data and interfaces: one paging scheme for every API list (sizes, totals, `Link`, clear 400s); per-city
//! API tokens (hashed at rest, scoped, revocable, refused for other cities and without the scope, never replaced
//! by the session cookie) writing progress and status through the same rules as the forms; GeoJSON, iCalendar
//! feeds and the DCAT-AP.de catalogue — none of which ever shows an internal or network record to anonymous
//! visitors — and the token page in the browser with axe.

use crate::browser::Browser;
use crate::case;
use crate::harness::{Case, Needs, TestApp, location};
use domain::measure::Sheet;
use domain::visibility::Visibility;
use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};
use store::measures::Origin;

pub fn cases() -> Vec<Case> {
    vec![
        case!(api_lists_page_with_totals_links_and_clear_errors),
        case!(city_detail_shows_definition_fields_goals_and_links),
        case!(anonymous_downloads_feeds_and_api_never_show_internal_records),
        case!(geojson_feeds_and_catalogue_parse_and_every_distribution_answers),
        case!(tokens_are_hashed_and_work_only_for_their_city_and_scopes),
        case!(token_writes_follow_the_form_rules_and_store_nothing_on_bad_input),
        case!(
            a_coordinator_creates_sees_once_and_revokes_a_token_in_the_browser,
            Needs::Browser
        ),
    ]
}

const POINT: &str = r#"{"type":"Point","coordinates":[8.0644,51.3967]}"#;

async fn located_measure(
    app: &TestApp,
    city: i64,
    title: &str,
    v: Visibility,
    location: &str,
) -> i64 {
    let sheet = Sheet {
        title: title.into(),
        visibility: Some(v),
        lead_unit: "Fachdienst Test".into(),
        location_geojson: location.into(),
        ..Default::default()
    };
    store::measures::create(&app.db, city, &sheet, "umsetzung", None, Origin::default())
        .await
        .expect("measure")
}

async fn exec(app: &TestApp, sql: &str) {
    let sql = sqlx::AssertSqlSafe(sql.to_string());
    match app.db.pool() {
        store::Pool::Sqlite(p) => {
            sqlx::query(sql).execute(p).await.expect("exec");
        }
        store::Pool::Postgres(p) => {
            sqlx::query(sql).execute(p).await.expect("exec");
        }
    }
}

async fn json_of(app: &TestApp, c: &Client, path: &str) -> (StatusCode, Value) {
    let r = app.get(c, path).await;
    let s = r.status();
    (s, r.json().await.unwrap_or(Value::Null))
}

fn link_of(r: &Response) -> String {
    r.headers()
        .get("link")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

fn field_names(e: &Value) -> Vec<String> {
    e["fields"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|f| f["field"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

async fn api_lists_page_with_totals_links_and_clear_errors(app: TestApp) {
    let city = app
        .municipality("arnsberg", "Arnsberg", "05958004", 73_456)
        .await;
    for (slug, name, ags) in [
        ("siegen", "Siegen", "05970040"),
        ("wassenberg", "Wassenberg", "05370036"),
    ] {
        app.municipality(slug, name, ags, 20_000).await;
    }
    for i in 0..7 {
        located_measure(
            &app,
            city,
            &format!("Maßnahme {i:02}"),
            Visibility::Oeffentlich,
            "",
        )
        .await;
    }
    let c = app.client();
    // Municipalities: page 2 of size 2 of 3.
    let r = app
        .get(&c, "/api/v1/municipalities?page=2&per_page=2")
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let link = link_of(&r);
    let j: Value = r.json().await.expect("json");
    assert_eq!(
        (&j["page"], &j["per_page"], &j["total"]),
        (&json!(2), &json!(2), &json!(3))
    );
    assert_eq!(j["items"].as_array().map(Vec::len), Some(1));
    assert!(
        link.contains("</api/v1/municipalities?page=1&per_page=2>; rel=\"prev\"")
            && !link.contains("rel=\"next\""),
        "{link}"
    );
    // Measures: default page size 50, then pages of 3 with next/prev links.
    let (_, j) = json_of(&app, &c, "/api/v1/municipalities/arnsberg/measures").await;
    assert_eq!((&j["total"], &j["per_page"]), (&json!(7), &json!(50)));
    assert_eq!(j["items"].as_array().map(Vec::len), Some(7));
    let r = app
        .get(
            &c,
            "/api/v1/municipalities/arnsberg/measures?page=2&per_page=3",
        )
        .await;
    let link = link_of(&r);
    let j: Value = r.json().await.expect("json");
    let titles: Vec<&str> = j["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|m| m["title"].as_str())
        .collect();
    assert_eq!(titles, vec!["Maßnahme 03", "Maßnahme 04", "Maßnahme 05"]);
    for rel in [
        "<\\/api/v1/municipalities/arnsberg/measures?page=1&per_page=3>; rel=\"prev\"",
        "</api/v1/municipalities/arnsberg/measures?page=3&per_page=3>; rel=\"next\"",
        "</api/v1/municipalities/arnsberg/measures?page=3&per_page=3>; rel=\"last\"",
    ] {
        let rel = rel.replace("<\\/", "</");
        assert!(link.contains(&rel), "{rel} in {link}");
    }
    // Past the end: an empty page, still with the total.
    let (s, j) = json_of(
        &app,
        &c,
        "/api/v1/municipalities/arnsberg/measures?page=9&per_page=3",
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        (j["items"].as_array().map(Vec::len), &j["total"]),
        (Some(0), &json!(7))
    );
    // 100 is the largest page; bad values name their parameter on every list endpoint.
    let (s, _) = json_of(
        &app,
        &c,
        "/api/v1/municipalities/arnsberg/measures?per_page=100",
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let some_measure = store::measures::list(
        &app.db,
        city,
        Visibility::Oeffentlich,
        &Default::default(),
        Default::default(),
    )
    .await
    .expect("list")[0]
        .id;
    for path in [
        "/api/v1/municipalities".to_string(),
        "/api/v1/municipalities/arnsberg/measures".to_string(),
        "/api/v1/municipalities/arnsberg/participations".to_string(),
        format!("/api/v1/municipalities/arnsberg/measures/{some_measure}/progress"),
    ] {
        for (query, expected) in [
            ("page=0&per_page=101", vec!["page", "per_page"]),
            ("page=x", vec!["page"]),
            ("per_page=-1", vec!["per_page"]),
        ] {
            let (s, e) = json_of(&app, &c, &format!("{path}?{query}")).await;
            assert_eq!(s, StatusCode::BAD_REQUEST, "{path}?{query}");
            assert_eq!(e["error"], "validation");
            assert_eq!(field_names(&e), expected, "{path}?{query}: {e}");
        }
        let (s, ok) = json_of(&app, &c, &format!("{path}?page=1&per_page=1")).await;
        assert_eq!(s, StatusCode::OK, "{path}");
        assert!(ok["total"].is_i64() && ok["items"].is_array(), "{ok}");
    }
    // Messages say what is wrong.
    let (_, e) = json_of(&app, &c, "/api/v1/municipalities?per_page=500").await;
    assert!(
        e["fields"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("range")),
        "{e}"
    );
    // The OpenAPI document describes the paging and the new endpoints.
    let (_, doc) = json_of(&app, &c, "/api/openapi.json").await;
    let params = doc["paths"]["/api/v1/municipalities/{slug}/measures"]["get"]["parameters"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let names: Vec<&str> = params.iter().filter_map(|p| p["name"].as_str()).collect();
    assert!(
        names.contains(&"page") && names.contains(&"per_page"),
        "{names:?}"
    );
    for (path, method) in [
        (
            "/api/v1/municipalities/{slug}/measures/{id}/progress",
            "get",
        ),
        (
            "/api/v1/municipalities/{slug}/measures/{id}/progress",
            "post",
        ),
        ("/api/v1/municipalities/{slug}/measures/{id}", "patch"),
        ("/api/v1/municipalities/{slug}", "get"),
    ] {
        assert!(
            doc["paths"][path][method].is_object(),
            "{method} {path} in OpenAPI"
        );
    }
    assert!(
        doc["components"]["securitySchemes"]["bearer"].is_object(),
        "bearer scheme: {}",
        doc["components"]
    );
}

async fn city_detail_shows_definition_fields_goals_and_links(app: TestApp) {
    let city = app
        .municipality("arnsberg", "Arnsberg", "05958004", 73_456)
        .await;
    app.user("koord@x.de", None, &[("arnsberg", "coordinator")])
        .await;
    let koord = app.login("koord@x.de").await;
    let r = app
        .post_form(
            &koord,
            "/kommunen/arnsberg/leitbild/bearbeiten",
            &[
                ("body_md", "Arnsberg wird **vernetzt** und lebenswert."),
                ("note", "Erster Entwurf"),
                ("base_version", "0"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "definition saved");
    let field = store::taxonomy::list(&app.db, "field_of_action")
        .await
        .expect("terms")
        .into_iter()
        .find(|t| t.term_key == "mobilitaet")
        .expect("seeded field");
    store::fields::select(&app.db, city, field.id, "hoch", "Viel Verkehr")
        .await
        .expect("select");
    let r = app
        .post_form(
            &koord,
            "/kommunen/arnsberg/handlungsfelder/ziele",
            &[
                ("field_id", &field.id.to_string()),
                ("goal_text", "Weniger Parksuchverkehr"),
                ("indicator", "Suchverkehr"),
                ("unit", "%"),
                ("baseline", "30"),
                ("target_value", "10"),
                ("target_year", "2030"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "goal added");
    let anon = app.client();
    // Internal definition: not for the public, but for the city's members.
    let (s, j) = json_of(&app, &anon, "/api/v1/municipalities/arnsberg").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(j["slug"], "arnsberg");
    assert_eq!(j["definition"], Value::Null, "intern definition hidden");
    let (_, j) = json_of(&app, &koord, "/api/v1/municipalities/arnsberg").await;
    assert!(
        j["definition"]["body_markdown"]
            .as_str()
            .is_some_and(|b| b.contains("vernetzt")),
        "{j}"
    );
    store::definitions::set_visibility(&app.db, city, "oeffentlich")
        .await
        .expect("publish");
    let (_, j) = json_of(&app, &anon, "/api/v1/municipalities/arnsberg").await;
    assert_eq!(j["definition"]["version"], 1, "{j}");
    let f = &j["fields_of_action"][0];
    assert_eq!(
        (&f["name"], &f["priority"]),
        (&json!(field.name), &json!("hoch"))
    );
    assert_eq!(f["goals"][0]["text"], "Weniger Parksuchverkehr", "{f}");
    for link in ["measures", "participations", "dcat", "measures_geojson"] {
        let href = j["links"][link].as_str().expect("link");
        assert_eq!(
            app.get(&anon, href).await.status(),
            StatusCode::OK,
            "{link}: {href}"
        );
    }
}

struct World {
    public: i64,
    internal: i64,
    network: i64,
    open_format: i64,
}

/// Arnsberg with public, network and internal measures (located, with milestones), a published idea format
/// with a located idea, a hidden idea, and an unpublished format with an idea — every title distinctive.
async fn world(app: &TestApp) -> World {
    let city = app
        .municipality("arnsberg", "Arnsberg", "05958004", 73_456)
        .await;
    app.user("red@x.de", None, &[("arnsberg", "editor")]).await;
    let public = located_measure(
        app,
        city,
        "Offene Parkraumanzeige",
        Visibility::Oeffentlich,
        POINT,
    )
    .await;
    let network = located_measure(
        app,
        city,
        "Netzwerkgeheimnis Sensorik",
        Visibility::Netzwerk,
        POINT,
    )
    .await;
    let internal = located_measure(
        app,
        city,
        "Internsache Haushaltsplan",
        Visibility::Intern,
        POINT,
    )
    .await;
    for (m, title) in [
        (public, "Offener Meilenstein Tafeln"),
        (network, "Netzwerkgeheimnis Meilenstein"),
        (internal, "Internsache Meilenstein"),
    ] {
        store::process::add_milestone(&app.db, city, None, Some(m), title, Some("2027-03-01"))
            .await
            .expect("milestone");
    }
    let (_, open_format, path) =
        crate::participation::format(app, "ideen", "gast", &[("title", "Offene Ideensammlung")])
            .await;
    let guest = crate::participation::join_guest(app, &path).await;
    let mut ideas = vec![];
    for title in ["Offene Idee Bank am Markt", "Versteckte Idee Beleidigung"] {
        let r = app
            .post_form(
                &guest,
                &format!("{path}/ideen"),
                &[
                    ("idea_title", title),
                    ("idea_text", "Ein Text zur Idee."),
                    ("idea_lat", "51.3967"),
                    ("idea_lon", "8.0644"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "idea {title}");
        ideas.push(
            location(&r)
                .rsplit("#idee-")
                .next()
                .and_then(|n| n.parse::<i64>().ok())
                .expect("idea id"),
        );
    }
    exec(
        app,
        &format!(
            "UPDATE ideas SET state = 'ausgeblendet', hidden_reason = 'Beleidigung' WHERE id = {}",
            ideas[1]
        ),
    )
    .await;
    let (_, draft_format, draft_path) =
        crate::participation::format(app, "ideen", "gast", &[("title", "Entwurfsformat Geheim")])
            .await;
    let guest = crate::participation::join_guest(app, &draft_path).await;
    let r = app
        .post_form(
            &guest,
            &format!("{draft_path}/ideen"),
            &[
                ("idea_title", "Entwurfsidee Geheim"),
                ("idea_text", "Noch nicht veröffentlicht."),
                ("idea_lat", "51.39"),
                ("idea_lon", "8.06"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    exec(
        app,
        &format!("UPDATE participations SET published = FALSE WHERE id = {draft_format}"),
    )
    .await;
    World {
        public,
        internal,
        network,
        open_format,
    }
}

const SECRET_WORDS: [&str; 5] = [
    "Netzwerkgeheimnis",
    "Internsache",
    "Versteckte Idee",
    "Entwurfsformat",
    "Entwurfsidee",
];

async fn anonymous_downloads_feeds_and_api_never_show_internal_records(app: TestApp) {
    let w = world(&app).await;
    let anon = app.client();
    let mut paths = vec![
        "/kommunen/arnsberg".to_string(),
        "/kommunen/arnsberg/massnahmen.geojson".into(),
        "/kommunen/arnsberg/ideen.geojson".into(),
        "/kommunen/arnsberg/meilensteine.ics".into(),
        "/kommunen/arnsberg/beteiligung.ics".into(),
        "/kommunen/arnsberg/werkstaetten.ics".into(),
        "/kommunen/arnsberg/dcat.jsonld".into(),
        "/dcat.jsonld".into(),
        "/kommunen/arnsberg/massnahmen.csv".into(),
        "/api/v1/municipalities".into(),
        "/api/v1/municipalities/arnsberg".into(),
        "/api/v1/municipalities/arnsberg/measures".into(),
        "/api/v1/municipalities/arnsberg/participations".into(),
        format!(
            "/api/v1/municipalities/arnsberg/measures/{}/progress",
            w.public
        ),
        format!("/api/v1/participations/{}/results", w.open_format),
        format!("/api/v1/participations/{}/ideas", w.open_format),
    ];
    // Every dataset the catalogue lists, too.
    let (_, cat) = json_of(&app, &anon, "/kommunen/arnsberg/dcat.jsonld").await;
    for d in cat["dcat:dataset"].as_array().expect("datasets") {
        for dist in d["dcat:distribution"].as_array().expect("distributions") {
            let url = dist["dcat:accessURL"]["@id"].as_str().expect("url");
            paths.push(url.trim_start_matches(&app.base).to_string());
        }
    }
    for path in &paths {
        let (s, body) = app.get_text(&anon, path).await;
        assert_eq!(s, StatusCode::OK, "{path}");
        for word in SECRET_WORDS {
            assert!(!body.contains(word), "{word} leaked through {path}");
        }
    }
    let (_, body) = app
        .get_text(&anon, "/kommunen/arnsberg/massnahmen.geojson")
        .await;
    assert!(body.contains("Offene Parkraumanzeige"), "{body}");
    let (_, body) = app
        .get_text(&anon, "/kommunen/arnsberg/ideen.geojson")
        .await;
    assert!(body.contains("Offene Idee Bank am Markt"), "{body}");
    // Hidden measures stay unreachable one by one.
    for id in [w.internal, w.network] {
        for path in [
            format!("/api/v1/municipalities/arnsberg/measures/{id}"),
            format!("/api/v1/municipalities/arnsberg/measures/{id}/progress"),
        ] {
            assert_eq!(
                app.get(&anon, &path).await.status(),
                StatusCode::NOT_FOUND,
                "{path}"
            );
        }
    }
    // A member of the city sees what its pages show: the internal measure in the API and the GeoJSON.
    let red = app.login("red@x.de").await;
    let (_, body) = app
        .get_text(&red, "/kommunen/arnsberg/massnahmen.geojson")
        .await;
    assert!(
        body.contains("Internsache Haushaltsplan") && body.contains("Netzwerkgeheimnis"),
        "{body}"
    );
    let (_, j) = json_of(&app, &red, "/api/v1/municipalities/arnsberg/measures").await;
    assert_eq!(j["total"], 3, "{j}");
    let (s, _) = json_of(
        &app,
        &red,
        &format!(
            "/api/v1/municipalities/arnsberg/measures/{}/progress",
            w.internal
        ),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    // The public feeds and the catalogue are the same for members: only public records.
    for path in [
        "/kommunen/arnsberg/meilensteine.ics",
        "/kommunen/arnsberg/beteiligung.ics",
        "/kommunen/arnsberg/dcat.jsonld",
    ] {
        let (_, body) = app.get_text(&red, path).await;
        for word in SECRET_WORDS {
            assert!(!body.contains(word), "{word} in {path} for a member");
        }
    }
}

async fn geojson_feeds_and_catalogue_parse_and_every_distribution_answers(app: TestApp) {
    let w = world(&app).await;
    let anon = app.client();
    // GeoJSON: a FeatureCollection, lon/lat, title, status and link.
    let r = app
        .get(&anon, "/kommunen/arnsberg/massnahmen.geojson")
        .await;
    assert_eq!(
        r.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/geo+json")
    );
    let g: Value = r.json().await.expect("geojson");
    assert_eq!(g["type"], "FeatureCollection");
    let features = g["features"].as_array().expect("features");
    assert_eq!(features.len(), 1);
    let f = &features[0];
    assert_eq!(f["type"], "Feature");
    assert_eq!(f["geometry"]["type"], "Point");
    assert_eq!(f["geometry"]["coordinates"], json!([8.0644, 51.3967]));
    assert_eq!(f["properties"]["title"], "Offene Parkraumanzeige");
    assert_eq!(f["properties"]["status"], "umsetzung");
    let link = f["properties"]["link"].as_str().expect("link");
    assert!(
        link.ends_with(&format!("/kommunen/arnsberg/massnahmen/{}", w.public)),
        "{link}"
    );
    assert_eq!(
        app.get(&anon, link.trim_start_matches(&app.base))
            .await
            .status(),
        StatusCode::OK
    );
    let g: Value = app
        .get(&anon, "/kommunen/arnsberg/ideen.geojson")
        .await
        .json()
        .await
        .expect("geojson");
    let features = g["features"].as_array().expect("features");
    assert_eq!(features.len(), 1, "{g}");
    assert_eq!(
        features[0]["geometry"]["coordinates"],
        json!([8.0644, 51.3967])
    );
    assert_eq!(
        features[0]["properties"]["title"],
        "Offene Idee Bank am Markt"
    );
    assert_eq!(features[0]["properties"]["status"], "sichtbar");
    // The ideas API pages like every list: the visible idea only, hidden ones not counted.
    let ideas = format!("/api/v1/participations/{}/ideas", w.open_format);
    let (s, j) = json_of(&app, &anon, &format!("{ideas}?per_page=1")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!((&j["total"], &j["per_page"]), (&json!(1), &json!(1)), "{j}");
    assert_eq!(j["items"][0]["title"], "Offene Idee Bank am Markt");
    let (s, e) = json_of(&app, &anon, &format!("{ideas}?per_page=0")).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(field_names(&e), vec!["per_page"]);
    // iCalendar: parses, public records only, stable UIDs.
    let first = events(&app, &anon, "/kommunen/arnsberg/meilensteine.ics").await;
    assert_eq!(first.len(), 1, "{first:?}");
    assert!(
        first[0].1.contains("Offener Meilenstein Tafeln"),
        "{first:?}"
    );
    assert!(first[0].0.starts_with("meilenstein-"), "{first:?}");
    assert_eq!(
        events(&app, &anon, "/kommunen/arnsberg/meilensteine.ics").await,
        first
    );
    let periods = events(&app, &anon, "/kommunen/arnsberg/beteiligung.ics").await;
    assert_eq!(periods.len(), 1, "{periods:?}");
    assert_eq!(periods[0].1, "Offene Ideensammlung");
    assert!(
        periods[0]
            .0
            .starts_with(&format!("beteiligung-{}@", w.open_format)),
        "{periods:?}"
    );
    assert_eq!(
        events(&app, &anon, "/kommunen/arnsberg/beteiligung.ics").await,
        periods
    );
    // DCAT-AP.de: a catalogue with datasets and distributions whose URLs answer 200.
    let r = app.get(&anon, "/kommunen/arnsberg/dcat.jsonld").await;
    assert_eq!(
        r.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/ld+json")
    );
    let cat: Value = r.json().await.expect("json-ld");
    assert_eq!(cat["@type"], "dcat:Catalog");
    assert_eq!(cat["@context"]["dcat"], "http://www.w3.org/ns/dcat#");
    assert_eq!(cat["dct:publisher"]["foaf:name"], "Arnsberg");
    let datasets = cat["dcat:dataset"].as_array().expect("datasets");
    let ids: Vec<&str> = datasets
        .iter()
        .filter_map(|d| d["dct:identifier"].as_str())
        .collect();
    for expected in ["arnsberg-massnahmen", "arnsberg-ideen", "arnsberg-termine"] {
        assert!(ids.contains(&expected), "{expected} in {ids:?}");
    }
    assert!(
        ids.contains(&format!("arnsberg-beteiligung-{}", w.open_format).as_str()),
        "results dataset in {ids:?}"
    );
    let mut checked = 0;
    for d in datasets {
        assert_eq!(d["@type"], "dcat:Dataset");
        for key in ["dct:title", "dct:description"] {
            assert!(d[key].as_str().is_some_and(|t| !t.is_empty()), "{key}: {d}");
        }
        assert_eq!(
            d["dct:license"]["@id"],
            "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
        );
        assert!(d["dcatde:contributorID"]["@id"].is_string(), "{d}");
        assert!(
            d["dct:spatial"]["@id"]
                .as_str()
                .is_some_and(|s| s.ends_with("/05958004")),
            "{d}"
        );
        assert!(d["dct:modified"]["@value"].is_string(), "{d}");
        for dist in d["dcat:distribution"].as_array().expect("distributions") {
            assert_eq!(dist["@type"], "dcat:Distribution");
            let media = dist["dcat:mediaType"].as_str().expect("media type");
            assert!(dist["dct:format"]["@id"].is_string());
            let url = dist["dcat:accessURL"]["@id"].as_str().expect("url");
            assert!(url.starts_with(&app.base), "absolute URL: {url}");
            let r = app.get(&anon, url.trim_start_matches(&app.base)).await;
            assert_eq!(r.status(), StatusCode::OK, "{url}");
            let ct = r
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string();
            assert!(ct.starts_with(media), "{url}: {ct} vs {media}");
            checked += 1;
        }
    }
    assert!(checked >= 8, "{checked} distributions");
    // The network catalogue lists the city's datasets and its catalogue.
    let net: Value = app
        .get(&anon, "/dcat.jsonld")
        .await
        .json()
        .await
        .expect("json-ld");
    assert_eq!(net["@type"], "dcat:Catalog");
    assert_eq!(
        net["dcat:dataset"].as_array().map(Vec::len),
        Some(datasets.len())
    );
    assert!(
        net["dct:hasPart"][0]["@id"]
            .as_str()
            .is_some_and(|u| u.ends_with("/kommunen/arnsberg/dcat.jsonld"))
    );
    // The city page links the downloads.
    let (_, page) = app.get_text(&anon, "/kommunen/arnsberg").await;
    for href in [
        "/kommunen/arnsberg/dcat.jsonld",
        "/kommunen/arnsberg/massnahmen.geojson",
        "/kommunen/arnsberg/meilensteine.ics",
    ] {
        assert!(page.contains(&format!("href=\"{href}\"")), "{href}");
    }
    assert!(
        !page.contains("/schnittstellen"),
        "token page link only for coordinators"
    );
}

/// `(UID, summary)` of the events of a feed, which must parse.
async fn events(app: &TestApp, c: &Client, path: &str) -> Vec<(String, String)> {
    use icalendar::Component;
    let (s, text) = app.get_text(c, path).await;
    assert_eq!(s, StatusCode::OK, "{path}");
    let cal: icalendar::Calendar = text.parse().expect("valid iCalendar");
    cal.components
        .iter()
        .filter_map(|c| c.as_event())
        .map(|e| {
            (
                e.get_uid().unwrap_or_default().to_string(),
                e.get_summary().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// Create a token on the page as `c` and return the secret shown once.
async fn create_token(
    app: &TestApp,
    c: &Client,
    slug: &str,
    name: &str,
    scopes: &[&str],
) -> String {
    let mut fields = vec![("name", name)];
    fields.extend(scopes.iter().map(|s| ("scopes", *s)));
    let r = app
        .post_form(c, &format!("/kommunen/{slug}/schnittstellen"), &fields)
        .await;
    assert_eq!(r.status(), StatusCode::OK, "token created");
    assert_eq!(
        r.headers()
            .get("cache-control")
            .and_then(|v| v.to_str().ok()),
        Some("no-store")
    );
    let page = r.text().await.expect("page");
    let re = regex::Regex::new(r#"id="token-secret"[^>]*value="(wkt_[0-9a-f]{64})""#).expect("re");
    re.captures(&page)
        .map(|c| c[1].to_string())
        .unwrap_or_else(|| panic!("no secret on {page}"))
}

async fn post_json(
    app: &TestApp,
    c: &Client,
    path: &str,
    token: Option<&str>,
    body: &str,
) -> Response {
    let mut rb = c
        .post(app.url(path))
        .header("content-type", "application/json")
        .body(body.to_string());
    if let Some(t) = token {
        rb = rb.bearer_auth(t);
    }
    rb.send().await.expect("POST")
}

async fn patch_json(
    app: &TestApp,
    c: &Client,
    path: &str,
    token: Option<&str>,
    body: &str,
) -> Response {
    let mut rb = c
        .patch(app.url(path))
        .header("content-type", "application/json")
        .body(body.to_string());
    if let Some(t) = token {
        rb = rb.bearer_auth(t);
    }
    rb.send().await.expect("PATCH")
}

const REPORT: &str =
    r#"{"reported_on":"2026-01-15","percent":40,"body":"Sensoren über die API gemeldet."}"#;

async fn tokens_are_hashed_and_work_only_for_their_city_and_scopes(app: TestApp) {
    let city = app
        .municipality("arnsberg", "Arnsberg", "05958004", 73_456)
        .await;
    let siegen = app
        .municipality("siegen", "Siegen", "05970040", 101_943)
        .await;
    app.user("koord@x.de", None, &[("arnsberg", "coordinator")])
        .await;
    app.user("koord-si@x.de", None, &[("siegen", "coordinator")])
        .await;
    app.user("red@x.de", None, &[("arnsberg", "editor")]).await;
    let m = located_measure(
        &app,
        city,
        "Offene Parkraumanzeige",
        Visibility::Oeffentlich,
        "",
    )
    .await;
    let siegen_m = located_measure(
        &app,
        siegen,
        "Siegener Maßnahme",
        Visibility::Oeffentlich,
        "",
    )
    .await;
    let koord = app.login("koord@x.de").await;
    // Only coordinators manage tokens.
    let red = app.login("red@x.de").await;
    assert_eq!(
        app.get(&red, "/kommunen/arnsberg/schnittstellen")
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get(&app.client(), "/kommunen/arnsberg/schnittstellen")
            .await
            .status(),
        StatusCode::SEE_OTHER,
        "anonymous visitors are sent to log in"
    );
    let (s, page) = app
        .get_text(&koord, "/kommunen/arnsberg/schnittstellen")
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("progress:write") && page.contains("measures:write"));
    // The page refuses a token without name or scope, and stores nothing.
    let r = app
        .post_form(
            &koord,
            "/kommunen/arnsberg/schnittstellen",
            &[("name", " ")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.expect("page");
    assert!(
        body.contains("Bitte wählen Sie mindestens ein Recht.")
            && body.contains("href=\"#f-name\"")
    );
    let r = app
        .post_form(
            &koord,
            "/kommunen/arnsberg/schnittstellen",
            &[("name", "X"), ("scopes", "admin:all")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("api_tokens").await, 0);
    let progress = create_token(
        &app,
        &koord,
        "arnsberg",
        "Sensorplattform",
        &["progress:write"],
    )
    .await;
    let status = create_token(
        &app,
        &koord,
        "arnsberg",
        "Projektsteuerung",
        &["measures:write"],
    )
    .await;
    // Hashed at rest: the plaintext is in no column, its SHA-256 is.
    let rows: Vec<(String, String, String)> = match app.db.pool() {
        store::Pool::Sqlite(p) => sqlx::query_as("SELECT name, token_hash, scopes FROM api_tokens")
            .fetch_all(p)
            .await
            .expect("rows"),
        store::Pool::Postgres(p) => {
            sqlx::query_as("SELECT name, token_hash, scopes FROM api_tokens")
                .fetch_all(p)
                .await
                .expect("rows")
        }
    };
    assert_eq!(rows.len(), 2);
    for (name, hash, scopes) in &rows {
        for secret in [&progress, &status] {
            assert!(
                !hash.contains(&secret[4..])
                    && !name.contains(secret.as_str())
                    && !scopes.contains(secret.as_str())
            );
        }
    }
    assert!(
        rows.iter()
            .any(|(_, h, _)| *h == store::tokens::hash_token(&progress))
    );
    // The list shows name, scopes, creation and last use — never the secret.
    let (_, page) = app
        .get_text(&koord, "/kommunen/arnsberg/schnittstellen")
        .await;
    assert!(page.contains("Sensorplattform") && page.contains("noch nie"));
    assert!(!page.contains(&progress) && !page.contains(&status));
    let path = format!("/api/v1/municipalities/arnsberg/measures/{m}/progress");
    let anon = app.client();
    // No token, unknown token: 401 with a Bearer challenge.
    let r = post_json(&app, &anon, &path, None, REPORT).await;
    assert_eq!(
        r.status(),
        StatusCode::FORBIDDEN,
        "no token, no CSRF token: refused by the CSRF check"
    );
    let r = post_json(&app, &anon, &path, Some("wkt_unbekannt"), REPORT).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(r.headers().get("www-authenticate").is_some());
    // A logged-in coordinator's session with a valid CSRF token is not a token.
    let csrf = app.csrf(&koord).await;
    let r = koord
        .post(app.url(&path))
        .header("content-type", "application/json")
        .header("x-csrf-token", &csrf)
        .body(REPORT)
        .send()
        .await
        .expect("POST");
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "session cookie alone");
    let r = koord
        .patch(app.url(&format!("/api/v1/municipalities/arnsberg/measures/{m}")))
        .header("content-type", "application/json")
        .header("x-csrf-token", &csrf)
        .body(r#"{"status":"abgeschlossen"}"#)
        .send()
        .await
        .expect("PATCH");
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "session cookie alone");
    // Wrong scope and other city: 403.
    let r = post_json(&app, &anon, &path, Some(&status), REPORT).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let e: Value = r.json().await.expect("json");
    assert!(
        e["message"]
            .as_str()
            .is_some_and(|m| m.contains("progress:write")),
        "{e}"
    );
    let r = post_json(
        &app,
        &anon,
        &format!("/api/v1/municipalities/siegen/measures/{siegen_m}/progress"),
        Some(&progress),
        REPORT,
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = patch_json(
        &app,
        &anon,
        &format!("/api/v1/municipalities/arnsberg/measures/{m}"),
        Some(&progress),
        r#"{"status":"abgeschlossen"}"#,
    )
    .await;
    assert_eq!(
        r.status(),
        StatusCode::FORBIDDEN,
        "progress token cannot change status"
    );
    assert_eq!(app.count("progress_reports").await, 0);
    // A Siegen measure through the Arnsberg URL is simply not there.
    let r = post_json(
        &app,
        &anon,
        &format!("/api/v1/municipalities/arnsberg/measures/{siegen_m}/progress"),
        Some(&progress),
        REPORT,
    )
    .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    // A follower of the measure, to see the notification of a token write.
    let fan = app.user("fan@x.de", None, &[]).await;
    store::progress::follow(&app.db, fan, "massnahme", m)
        .await
        .expect("follow");
    let r = post_json(&app, &anon, &path, Some(&progress), REPORT).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(
        r.headers().get("location").and_then(|v| v.to_str().ok()),
        Some(path.as_str())
    );
    let created: Value = r.json().await.expect("json");
    assert_eq!(
        (&created["percent"], &created["status"]),
        (&json!(40), &json!("umsetzung"))
    );
    assert_eq!(app.count("progress_reports").await, 1);
    assert_eq!(
        app.count("notifications").await,
        1,
        "the follower is notified"
    );
    // The report is on the measure page and in the API; the token shows its last use.
    let (_, page) = app
        .get_text(&anon, &format!("/kommunen/arnsberg/massnahmen/{m}"))
        .await;
    assert!(page.contains("Sensoren über die API gemeldet."));
    let (_, j) = json_of(&app, &anon, &path).await;
    assert_eq!(j["total"], 1);
    assert_eq!(j["items"][0]["body"], "Sensoren über die API gemeldet.");
    let (_, j) = json_of(&app, &anon, "/api/v1/municipalities/arnsberg/measures").await;
    assert_eq!(j["items"][0]["progress_percent"], 40, "{j}");
    let used: i64 = match app.db.pool() {
        store::Pool::Sqlite(p) => {
            sqlx::query_scalar("SELECT COUNT(*) FROM api_tokens WHERE last_used_at IS NOT NULL")
                .fetch_one(p)
                .await
                .expect("n")
        }
        store::Pool::Postgres(p) => {
            sqlx::query_scalar("SELECT COUNT(*) FROM api_tokens WHERE last_used_at IS NOT NULL")
                .fetch_one(p)
                .await
                .expect("n")
        }
    };
    assert_eq!(used, 2, "both tokens were presented");
    // Another city's coordinator cannot revoke Arnsberg's tokens; Arnsberg's can, and then it is refused.
    let token_id: i64 = store::api_tokens::list(&app.db, city)
        .await
        .expect("list")
        .into_iter()
        .find(|t| t.name == "Sensorplattform")
        .expect("token")
        .id;
    let si = app.login("koord-si@x.de").await;
    let r = app
        .post_form(
            &si,
            &format!("/kommunen/arnsberg/schnittstellen/{token_id}/widerrufen"),
            &[],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = app
        .post_form(
            &si,
            &format!("/kommunen/siegen/schnittstellen/{token_id}/widerrufen"),
            &[],
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND, "not a Siegen token");
    let r = app
        .post_form(
            &koord,
            &format!("/kommunen/arnsberg/schnittstellen/{token_id}/widerrufen"),
            &[],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, page) = app.get_text(&koord, &location(&r)).await;
    assert!(page.contains("widerrufen am"), "revocation shown");
    let r = post_json(&app, &anon, &path, Some(&progress), REPORT).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "revoked");
    assert_eq!(app.count("progress_reports").await, 1);
    // A token stops working when its creator loses the right to edit the city.
    let koord_id = store::users::by_email(&app.db, "koord@x.de")
        .await
        .expect("user")
        .expect("user")
        .id;
    store::users::remove_membership(&app.db, koord_id, city)
        .await
        .expect("remove");
    let r = patch_json(
        &app,
        &anon,
        &format!("/api/v1/municipalities/arnsberg/measures/{m}"),
        Some(&status),
        r#"{"status":"abgeschlossen"}"#,
    )
    .await;
    assert_eq!(
        r.status(),
        StatusCode::FORBIDDEN,
        "creator no longer a member"
    );
}

async fn token_writes_follow_the_form_rules_and_store_nothing_on_bad_input(app: TestApp) {
    let city = app
        .municipality("arnsberg", "Arnsberg", "05958004", 73_456)
        .await;
    app.user("koord@x.de", None, &[("arnsberg", "coordinator")])
        .await;
    let m = located_measure(
        &app,
        city,
        "Offene Parkraumanzeige",
        Visibility::Oeffentlich,
        "",
    )
    .await;
    let ms = store::process::add_milestone(
        &app.db,
        city,
        None,
        Some(m),
        "Tafeln hängen",
        Some("2026-02-01"),
    )
    .await
    .expect("milestone");
    let koord = app.login("koord@x.de").await;
    let token = create_token(
        &app,
        &koord,
        "arnsberg",
        "Alles",
        &["progress:write", "measures:write"],
    )
    .await;
    let anon = app.client();
    let path = format!("/api/v1/municipalities/arnsberg/measures/{m}/progress");
    let before = (
        app.count("progress_reports").await,
        app.count("notifications").await,
    );
    // Not JSON, not an object: 400.
    for body in ["{kaputt", "[1,2]", ""] {
        let r = post_json(&app, &anon, &path, Some(&token), body).await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{body:?}");
        let e: Value = r.json().await.expect("json");
        assert_eq!(e["error"], "bad_json");
    }
    // Field-precise 422s: types, rules, unknown fields.
    let cases: [(&str, Vec<(&str, &str)>); 5] = [
        (
            r#"{"reported_on":20260115,"percent":"viel","body":7}"#,
            vec![
                ("reported_on", "err-json-string"),
                ("percent", "err-json-integer"),
                ("body", "err-json-string"),
            ],
        ),
        (
            r#"{"reported_on":"2099-01-01","percent":140,"body":""}"#,
            vec![
                ("reported_on", "err-progress-future"),
                ("percent", "err-progress-percent"),
                ("body", "err-required"),
            ],
        ),
        (
            r#"{"reported_on":"2026-01-15","percent":40,"body":"x","milestone_id":999999}"#,
            vec![("milestone_id", "err-progress-milestone")],
        ),
        (
            r#"{"reported_on":"2026-01-15","percent":40,"body":"x","photo":"a.png"}"#,
            vec![("photo", "err-json-unknown-field")],
        ),
        (
            r#"{}"#,
            vec![
                ("reported_on", "err-required"),
                ("percent", "err-progress-percent"),
                ("body", "err-required"),
            ],
        ),
    ];
    for (body, expected) in cases {
        let r = post_json(&app, &anon, &path, Some(&token), body).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let e: Value = r.json().await.expect("json");
        let got: Vec<(String, String)> = e["fields"]
            .as_array()
            .expect("fields")
            .iter()
            .map(|f| {
                assert!(f["message"].as_str().is_some_and(|m| !m.is_empty()), "{f}");
                (
                    f["field"].as_str().unwrap_or_default().to_string(),
                    f["code"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect();
        let expected: Vec<(String, String)> = expected
            .into_iter()
            .map(|(f, c)| (f.to_string(), c.to_string()))
            .collect();
        assert_eq!(got, expected, "{body}");
    }
    assert_eq!(
        (
            app.count("progress_reports").await,
            app.count("notifications").await
        ),
        before,
        "nothing stored"
    );
    // A report that reaches the milestone marks it done, as the form does.
    let body = json!({
        "reported_on": "2026-02-02",
        "percent": 55,
        "body": "Tafeln hängen.",
        "milestone_id": ms
    })
    .to_string();
    let r = post_json(&app, &anon, &path, Some(&token), &body).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let parts = store::measure_parts::load(&app.db, city, m)
        .await
        .expect("parts");
    assert_eq!(parts.milestones[0].done_on.as_deref(), Some("2026-02-02"));
    let r = post_json(&app, &anon, &path, Some(&token), &body).await;
    assert_eq!(
        r.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "milestone already reached"
    );
    // Status: along the workflow only; unknown steps 422, stale `from_status` 409.
    let mpath = format!("/api/v1/municipalities/arnsberg/measures/{m}");
    let r = patch_json(&app, &anon, &mpath, Some(&token), r#"{"status":"idee"}"#).await;
    let code = r.status();
    let e: Value = r.json().await.expect("json");
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["fields"][0]["field"], "status");
    assert_eq!(e["fields"][0]["code"], "err-transition-unknown");
    let r = patch_json(&app, &anon, &mpath, Some(&token), r#"{"status":5}"#).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = patch_json(
        &app,
        &anon,
        &mpath,
        Some(&token),
        r#"{"status":"abgeschlossen","from_status":"idee"}"#,
    )
    .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let rec = store::measures::record(&app.db, city, m)
        .await
        .expect("rec");
    assert_eq!(rec.status, "umsetzung", "unchanged");
    let r = patch_json(
        &app,
        &anon,
        &mpath,
        Some(&token),
        r#"{"status":"abgeschlossen","from_status":"umsetzung"}"#,
    )
    .await;
    let code = r.status();
    let j: Value = r.json().await.expect("json");
    assert_eq!(code, StatusCode::OK, "{j}");
    assert_eq!(j["status"], "abgeschlossen");
    assert_eq!(j["version"], rec.version + 1);
    // The change is in the measure's history like a form change.
    let revisions = store::measures::revisions(&app.db, m)
        .await
        .expect("revisions");
    assert!(
        revisions.iter().any(|r| r
            .changes()
            .iter()
            .any(|c| c.field == "status" && c.after == "abgeschlossen")),
        "status change recorded"
    );
    let (_, j) = json_of(&app, &anon, &mpath).await;
    assert_eq!(j["status"], "abgeschlossen");
}

async fn a_coordinator_creates_sees_once_and_revokes_a_token_in_the_browser(app: TestApp) {
    app.municipality("arnsberg", "Arnsberg", "05958004", 73_456)
        .await;
    app.user("koord@x.de", None, &[("arnsberg", "coordinator")])
        .await;
    let b = Browser::start().await;
    b.visit(&app, "/anmelden").await;
    b.fill("f-email", "koord@x.de").await;
    b.fill("f-password", crate::harness::PASSWORD).await;
    b.submit("main form button[type=submit]").await;
    b.wait_for_path("/").await;
    let page = b.visit(&app, "/kommunen/arnsberg").await;
    assert!(
        page.contains("/kommunen/arnsberg/schnittstellen"),
        "link for coordinators"
    );
    b.visit(&app, "/kommunen/arnsberg/schnittstellen").await;
    // Sent empty: the messages, checked by axe.
    b.submit("#token-new-heading + form button[type=submit]")
        .await;
    b.wait_css(".error-summary").await;
    b.axe("tokens (errors)").await;
    b.fill("f-name", "Sensorplattform Stadtwerke").await;
    b.click("#f-scopes").await;
    b.submit("#token-new-heading + form button[type=submit]")
        .await;
    b.wait_css("#token-secret").await;
    b.axe("tokens (created)").await;
    let secret = b.value_of("#token-secret").await;
    assert!(secret.starts_with("wkt_") && secret.len() == 68, "{secret}");
    // Shown once: the list page does not show it again.
    let page = b.visit(&app, "/kommunen/arnsberg/schnittstellen").await;
    assert!(!page.contains(&secret) && page.contains("Sensorplattform Stadtwerke"));
    let anon = app.client();
    let m = located_measure(
        &app,
        store::municipalities::by_slug(&app.db, "arnsberg")
            .await
            .expect("city")
            .id,
        "Offene Parkraumanzeige",
        Visibility::Oeffentlich,
        "",
    )
    .await;
    let path = format!("/api/v1/municipalities/arnsberg/measures/{m}/progress");
    let r = post_json(&app, &anon, &path, Some(&secret), REPORT).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    b.submit("form[action$='/widerrufen'] button").await;
    b.wait_css("p.notice").await;
    b.axe("tokens (revoked)").await;
    let page = b.client.source().await.expect("source");
    assert!(page.contains("widerrufen am"), "revoked in the list");
    let r = post_json(&app, &anon, &path, Some(&secret), REPORT).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    b.stop().await;
}

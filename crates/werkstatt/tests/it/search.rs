//! Full-text search: German stemming and compounds, visibility per role through page and API, the outbox
//! path (a change through the web is found afterwards, also on a second node), facets, highlighting,
//! bad input, and the page in a browser with axe-core.

use crate::browser::Browser;
use crate::case;
use crate::harness::{Case, Needs, TestApp, location};
use crate::strategy::measure;
use domain::measure::Sheet;
use domain::visibility::Visibility;
use reqwest::{Client, StatusCode};
use serde_json::Value;
use std::time::{Duration, Instant};
use store::measures::Origin;

pub fn cases() -> Vec<Case> {
    vec![
        case!(parkplaetze_finds_a_measure_about_a_parkplatz),
        case!(search_never_leaks_what_a_viewer_may_not_see),
        case!(a_measure_saved_through_the_web_is_found_afterwards),
        case!(a_change_on_one_node_is_found_on_the_other),
        case!(a_renamed_city_is_searched_under_its_new_name),
        case!(facets_count_and_narrow_the_results),
        case!(matches_are_marked_and_text_is_escaped),
        case!(bad_queries_are_explained_and_change_nothing),
        case!(search_page_in_the_browser_is_accessible, Needs::Browser),
    ]
}

async fn cities(app: &TestApp) -> (i64, i64) {
    let a = app
        .municipality("arnsberg", "Arnsberg", "05958004", 73_456)
        .await;
    let s = app
        .municipality("siegen", "Siegen", "05970040", 101_943)
        .await;
    (a, s)
}

async fn api(app: &TestApp, c: &Client, query: &str) -> Value {
    let r = app.get(c, &format!("/api/v1/search?{query}")).await;
    assert_eq!(r.status(), StatusCode::OK, "search {query}");
    r.json().await.expect("json")
}

fn ids(v: &Value) -> Vec<i64> {
    let mut ids: Vec<i64> = v["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["id"].as_i64().expect("id"))
        .collect();
    ids.sort();
    ids
}

/// Search until `done` holds (the index follows the outbox within about a second); the last answer.
async fn search_until(
    app: &TestApp,
    c: &Client,
    query: &str,
    done: impl Fn(&Value) -> bool,
) -> Value {
    let start = Instant::now();
    loop {
        let v = api(app, c, query).await;
        if done(&v) {
            return v;
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "search {query} never satisfied the condition; last answer {v:#}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn measure_with(
    app: &TestApp,
    city: i64,
    title: &str,
    body: &str,
    v: Visibility,
    field: Option<i64>,
) -> i64 {
    let sheet = Sheet {
        title: title.into(),
        short_description: body.into(),
        visibility: Some(v),
        primary_field_id: field,
        ..Default::default()
    };
    store::measures::create(&app.db, city, &sheet, "idee", None, Origin::default())
        .await
        .expect("measure")
}

async fn field_id(app: &TestApp, key: &str) -> i64 {
    store::taxonomy::list(&app.db, "field_of_action")
        .await
        .expect("terms")
        .into_iter()
        .find(|t| t.term_key == key)
        .expect("term")
        .id
}

async fn parkplaetze_finds_a_measure_about_a_parkplatz(app: TestApp) {
    let (a, _) = cities(&app).await;
    let p = measure(
        &app,
        a,
        "Neuer Parkplatz am Bahnhof",
        Visibility::Oeffentlich,
        "idee",
    )
    .await;
    let compound = measure(
        &app,
        a,
        "Innenstadtparkplatz mit Sensoren",
        Visibility::Oeffentlich,
        "idee",
    )
    .await;
    let other = measure(
        &app,
        a,
        "Fahrradstraße am Ring",
        Visibility::Oeffentlich,
        "idee",
    )
    .await;
    let c = app.client();
    let v = search_until(&app, &c, "q=Parkpl%C3%A4tze", |v| v["total"] == 2).await;
    assert_eq!(ids(&v), [p, compound]);
    assert!(!ids(&v).contains(&other));
    let v = api(&app, &c, "q=parkplatz").await;
    assert_eq!(ids(&v), [p, compound], "the compound is found by its part");
    let (s, html) = app.get_text(&c, "/suche?q=Parkpl%C3%A4tze").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("2 Treffer"), "{html}");
    assert!(html.contains("Neuer <mark>Parkplatz</mark> am Bahnhof"));
    assert!(html.contains(&format!("/kommunen/arnsberg/massnahmen/{p}")));
}

async fn search_never_leaks_what_a_viewer_may_not_see(app: TestApp) {
    let (a, _) = cities(&app).await;
    let public = measure(
        &app,
        a,
        "Parkhaus öffentlich",
        Visibility::Oeffentlich,
        "idee",
    )
    .await;
    let network = measure(
        &app,
        a,
        "Parkhaus im Netzwerk",
        Visibility::Netzwerk,
        "idee",
    )
    .await;
    let internal = measure(
        &app,
        a,
        "Parkhaus intern geheim",
        Visibility::Intern,
        "idee",
    )
    .await;
    app.user("admin@x.de", Some("admin"), &[]).await;
    app.user("a-member@x.de", None, &[("arnsberg", "participant")])
        .await;
    app.user("s-member@x.de", None, &[("siegen", "participant")])
        .await;
    app.user("s-editor@x.de", None, &[("siegen", "editor")])
        .await;
    let admin = app.login("admin@x.de").await;
    search_until(&app, &admin, "q=Parkhaus", |v| v["total"] == 3).await;

    let expect: [(Option<&str>, Vec<i64>); 5] = [
        (None, vec![public]),
        (Some("s-member@x.de"), vec![public]),
        (Some("s-editor@x.de"), vec![public, network]),
        (Some("a-member@x.de"), vec![public, network, internal]),
        (Some("admin@x.de"), vec![public, network, internal]),
    ];
    for (who, visible) in expect {
        let c = match who {
            None => app.client(),
            Some(e) => app.login(e).await,
        };
        let v = api(&app, &c, "q=Parkhaus").await;
        assert_eq!(ids(&v), visible, "API as {who:?}");
        assert_eq!(v["total"], visible.len(), "total as {who:?}");
        let kinds = &v["facets"]["kinds"][0]["count"];
        assert_eq!(kinds, visible.len(), "facet counts as {who:?}");
        let (_, html) = app.get_text(&c, "/suche?q=Parkhaus").await;
        assert_eq!(
            html.contains("intern geheim"),
            visible.contains(&internal),
            "page as {who:?}"
        );
        assert_eq!(
            html.contains("im Netzwerk"),
            visible.contains(&network),
            "page as {who:?}"
        );
        // Also not through a filter on the city.
        let v = api(&app, &c, "q=geheim&city=arnsberg&kind=massnahme").await;
        assert_eq!(
            v["total"],
            usize::from(visible.contains(&internal)),
            "filtered as {who:?}"
        );
    }
}

async fn create_through_web(app: &TestApp, base: &TestApp, c: &Client, title: &str) -> i64 {
    let r = app
        .post_form(
            c,
            "/kommunen/arnsberg/massnahmen/neu",
            &[
                ("title", title),
                (
                    "short_description",
                    "Digitale Anzeige freier Ladesäulen in der Altstadt.",
                ),
                ("visibility", "oeffentlich"),
                ("lead_unit", "Fachdienst Verkehr"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "measure saved");
    let loc = location(&r);
    let _ = base;
    loc.split("/massnahmen/")
        .nth(1)
        .map(|s| {
            s.chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
        })
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("measure id in location {loc}"))
}

async fn a_measure_saved_through_the_web_is_found_afterwards(app: TestApp) {
    cities(&app).await;
    app.user("red@x.de", None, &[("arnsberg", "editor")]).await;
    let c = app.login("red@x.de").await;
    let anon = app.client();
    let v = api(&app, &anon, "q=Ladesäulen").await;
    assert_eq!(v["total"], 0);
    let id = create_through_web(&app, &app, &c, "Ladesäulenanzeige Altstadt").await;
    let v = search_until(&app, &anon, "q=Lades%C3%A4ule", |v| v["total"] == 1).await;
    assert_eq!(ids(&v), [id]);
    // An edit that makes it internal removes it from the public results.
    let r = app
        .post_form(
            &c,
            &format!("/kommunen/arnsberg/massnahmen/{id}/bearbeiten"),
            &[
                ("title", "Ladesäulenanzeige Altstadt"),
                (
                    "short_description",
                    "Digitale Anzeige freier Ladesäulen in der Altstadt.",
                ),
                ("visibility", "intern"),
                ("lead_unit", "Fachdienst Verkehr"),
                ("base_version", "1"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "edit saved");
    search_until(&app, &anon, "q=Lades%C3%A4ule", |v| v["total"] == 0).await;
    let v = api(&app, &c, "q=Lades%C3%A4ule").await;
    assert_eq!(ids(&v), [id], "still visible to the city's editor");
}

async fn a_change_on_one_node_is_found_on_the_other(app: TestApp) {
    cities(&app).await;
    let node_b = app.second_node().await;
    app.user("red@x.de", None, &[("arnsberg", "editor")]).await;
    let c = app.login("red@x.de").await;
    let id = create_through_web(&app, &node_b, &c, "Ladesäulen am Marktplatz").await;
    let anon_b = node_b.client();
    let v = search_until(&node_b, &anon_b, "q=Marktplatz", |v| v["total"] == 1).await;
    assert_eq!(ids(&v), [id], "the other node found it through the outbox");
    let v = search_until(&app, &app.client(), "q=Marktplatz", |v| v["total"] == 1).await;
    assert_eq!(ids(&v), [id]);
}

async fn a_renamed_city_is_searched_under_its_new_name(app: TestApp) {
    let (a, _) = cities(&app).await;
    let id = measure_with(
        &app,
        a,
        "Parkleitsystem Neheim",
        "Freie Plätze in Echtzeit.",
        Visibility::Oeffentlich,
        None,
    )
    .await;
    let anon = app.client();
    let v = search_until(&app, &anon, "q=Parkleitsystem", |v| v["total"] == 1).await;
    assert_eq!(v["items"][0]["municipality_name"], "Arnsberg");
    app.user("admin@x.de", Some("admin"), &[]).await;
    let admin = app.login("admin@x.de").await;
    let r = app
        .post_form(
            &admin,
            "/admin/kommunen/arnsberg/bearbeiten",
            &[
                ("slug", "stadt-arnsberg"),
                ("name", "Stadt Arnsberg"),
                ("ags", "05958004"),
                ("population", "73456"),
                ("state", "05"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "renamed");
    // Without a restart, the running index follows: new name, new slug in links and in the city filter.
    let v = search_until(&app, &anon, "q=Parkleitsystem&city=stadt-arnsberg", |v| {
        v["total"] == 1
    })
    .await;
    assert_eq!(ids(&v), [id]);
    assert_eq!(v["items"][0]["municipality_name"], "Stadt Arnsberg");
    assert_eq!(
        v["items"][0]["url"],
        format!("/kommunen/stadt-arnsberg/massnahmen/{id}")
    );
    assert_eq!(
        api(&app, &anon, "q=Parkleitsystem&city=arnsberg").await["total"],
        0
    );
}

async fn facets_count_and_narrow_the_results(app: TestApp) {
    let (a, s) = cities(&app).await;
    let mob = field_id(&app, "mobilitaet").await;
    let m1 = measure_with(
        &app,
        a,
        "Radweg Ruhrtal",
        "Radverkehr stärken",
        Visibility::Oeffentlich,
        Some(mob),
    )
    .await;
    let m2 = measure_with(
        &app,
        a,
        "Radweg Neheim",
        "Radverkehr",
        Visibility::Oeffentlich,
        None,
    )
    .await;
    let m3 = measure_with(
        &app,
        s,
        "Radwege Siegen",
        "Radverkehr",
        Visibility::Oeffentlich,
        Some(mob),
    )
    .await;
    let c = app.client();
    let v = search_until(&app, &c, "q=Radweg", |v| v["total"] == 3).await;
    let facet = |v: &Value, name: &str| -> Vec<(String, u64)> {
        v["facets"][name]
            .as_array()
            .expect("facet")
            .iter()
            .map(|f| {
                (
                    f["value"].as_str().expect("value").to_string(),
                    f["count"].as_u64().expect("count"),
                )
            })
            .collect()
    };
    assert_eq!(
        facet(&v, "cities"),
        [("arnsberg".into(), 2), ("siegen".into(), 1)]
    );
    assert_eq!(facet(&v, "kinds"), [("massnahme".into(), 3)]);
    assert_eq!(facet(&v, "fields"), [(mob.to_string(), 2)]);
    let v = api(&app, &c, "q=Radweg&city=arnsberg").await;
    assert_eq!(ids(&v), [m1, m2]);
    let v = api(&app, &c, &format!("q=Radweg&field={mob}")).await;
    assert_eq!(ids(&v), [m1, m3]);
    let (_, html) = app.get_text(&c, "/suche?q=Radweg&kommune=siegen").await;
    assert!(html.contains("1 Treffer"), "{html}");
    assert!(html.contains("<strong>Siegen</strong> (1)"), "{html}");
    assert!(
        html.contains(r#"aria-current="true""#),
        "the applied filter is marked"
    );
    let v = api(&app, &c, "q=Radweg&kind=idee").await;
    assert_eq!(v["total"], 0);
}

async fn matches_are_marked_and_text_is_escaped(app: TestApp) {
    let (a, _) = cities(&app).await;
    measure_with(
        &app,
        a,
        "Bürgerportal <b>neu</b>",
        "Das Portal bündelt <script>alert(1)</script> alle Dienste der Verwaltung für Bürgerinnen.",
        Visibility::Oeffentlich,
        None,
    )
    .await;
    let c = app.client();
    let v = search_until(&app, &c, "q=Dienste", |v| v["total"] == 1).await;
    let hit = &v["items"][0];
    let snippet = hit["snippet_html"].as_str().expect("snippet");
    assert!(snippet.contains("<mark>Dienste</mark>"), "{snippet}");
    assert!(
        snippet.contains("&lt;script&gt;") && !snippet.contains("<script>"),
        "{snippet}"
    );
    assert_eq!(hit["title_html"], "Bürgerportal &lt;b&gt;neu&lt;/b&gt;");
    let v = api(&app, &c, "q=Portal").await;
    assert_eq!(
        v["items"][0]["title_html"], "<mark>Bürgerportal</mark> &lt;b&gt;neu&lt;/b&gt;",
        "a compound is marked when one of its parts matches"
    );
    let (_, html) = app.get_text(&c, "/suche?q=Dienste").await;
    assert!(html.contains("<mark>Dienste</mark>") && !html.contains("<script>alert"));
}

async fn bad_queries_are_explained_and_change_nothing(app: TestApp) {
    cities(&app).await;
    let c = app.client();
    let (s, html) = app.get_text(&c, "/suche").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains(r#"role="search""#) && !html.contains("role=\"alert\""));
    let (s, html) = app.get_text(&c, "/suche?q=+").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Bitte geben Sie einen Suchbegriff ein."));
    let long = "a".repeat(201);
    let (s, html) = app.get_text(&c, &format!("/suche?q={long}")).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("höchstens 200 Zeichen"), "{html}");
    let (s, html) = app.get_text(&c, "/suche?q=und+die").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Füllwörtern"));
    let (s, html) = app.get_text(&c, "/suche?q=Park&art=podcast").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Diese Art von Inhalt gibt es nicht."));
    for (query, field) in [
        ("q=", "q"),
        (&*format!("q={long}"), "q"),
        ("q=x&page=0", "page"),
        ("q=x&field=zwei", "field"),
    ] {
        let r = app.get(&c, &format!("/api/v1/search?{query}")).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        let v: Value = r.json().await.expect("json");
        assert_eq!(v["fields"][0]["field"], field, "{query}");
    }
    let doc: Value = app
        .get(&c, "/api/openapi.json")
        .await
        .json()
        .await
        .expect("openapi");
    assert!(
        doc["paths"]["/api/v1/search"]["get"].is_object(),
        "search is in the OpenAPI document"
    );
}

async fn search_page_in_the_browser_is_accessible(app: TestApp) {
    let (a, _) = cities(&app).await;
    let mob = field_id(&app, "mobilitaet").await;
    for i in 0..25 {
        measure_with(
            &app,
            a,
            &format!("Parkplatz Nummer {i}"),
            "Mehr Stellplätze in der Innenstadt.",
            Visibility::Oeffentlich,
            Some(mob),
        )
        .await;
    }
    search_until(&app, &app.client(), "q=Parkplatz", |v| v["total"] == 25).await;
    let b = Browser::start().await;
    b.visit(&app, "/suche").await;
    b.fill("search-q", "Parkplätze").await;
    b.submit("form[role=search] button").await;
    b.wait_css("ol.search-results").await;
    b.axe("search results").await;
    let html = b.client.source().await.expect("source");
    assert!(
        html.contains("25 Treffer") && html.contains("<mark>"),
        "results shown"
    );
    b.click("a[rel=next]").await;
    b.wait_css("a[rel=prev]").await;
    b.axe("search results page 2").await;
    let html = b.visit(&app, "/suche?q=+").await;
    assert!(html.contains("Bitte geben Sie einen Suchbegriff ein."));
    b.stop().await;
}

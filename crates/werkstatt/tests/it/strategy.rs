//! Strategy core: project sheets, status workflow, visibility, concurrency, dependencies, definition,
//! fields and goals, process, templates and copies, exports, API, bounded query counts.

use crate::case;
use crate::harness::{Case, TestApp, location};
use domain::measure::Sheet;
use domain::visibility::Visibility;
use reqwest::StatusCode;
use store::measures::Origin;

pub fn cases() -> Vec<Case> {
    vec![
        case!(editor_creates_a_measure_with_a_full_project_sheet),
        case!(bad_sheet_input_is_explained_and_creates_nothing),
        case!(every_status_transition_is_allowed_or_refused_by_role),
        case!(visibility_rules_hold_for_every_role_in_pages_api_and_exports),
        case!(parallel_edits_of_a_measure_conflict_and_nothing_is_lost),
        case!(dependency_cycles_are_refused),
        case!(definition_versions_diff_conflict_and_council_decision),
        case!(fields_of_action_and_goals),
        case!(process_phases_and_network_overview),
        case!(templates_and_copies_keep_their_origin),
        case!(exports_pdf_markdown_json_csv_xlsx),
        case!(sheet_lists_partners_raci_kpis_milestones_are_recorded_in_history),
        case!(list_and_detail_pages_use_a_bounded_number_of_queries),
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

/// A measure created directly in the store.
pub async fn measure(
    app: &TestApp,
    municipality_id: i64,
    title: &str,
    v: Visibility,
    status: &str,
) -> i64 {
    let sheet = Sheet {
        title: title.into(),
        visibility: Some(v),
        lead_unit: "Fachdienst Test".into(),
        ..Default::default()
    };
    store::measures::create(
        &app.db,
        municipality_id,
        &sheet,
        status,
        None,
        Origin::default(),
    )
    .await
    .expect("measure")
}

fn full_sheet<'a>(field_id: &'a str, sdg_id: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("title", "Digitale Parkraumsteuerung"),
        ("short_description", "Sensoren zeigen freie Stellplätze."),
        ("visibility", "oeffentlich"),
        ("priority", "hoch"),
        ("time_horizon", "mittel"),
        ("quick_win", "on"),
        ("primary_field_id", field_id),
        ("tag_ids", sdg_id),
        ("initial_situation", "Viel Parksuchverkehr."),
        ("target_groups", "Pendelnde\nBesuchende"),
        ("impact_output", "Sensoren installiert"),
        ("impact_outcome", "Weniger Suchverkehr"),
        ("impact_impact", "Bessere Luft"),
        ("lead_unit", "Fachdienst Verkehr"),
        ("contact", "verkehr@arnsberg.example.org"),
        ("start_date", "01.03.2026"),
        ("end_date", "2027-02-28"),
        ("investment_costs", "420.000"),
        ("operating_costs", "28000"),
        ("staff_need_fte", "0,5"),
        ("funding_programme", "KfW 436"),
        ("funding_rate_pct", "65"),
        ("funding_own_share_pct", "35"),
        ("risks", "Lieferverzug\nAkzeptanz"),
        ("council_decision_date", "2026-02-12"),
        ("council_decision_link", "https://ratsinfo.example.org/v/1"),
        ("participation_form", "Werkstatt"),
        (
            "location_geojson",
            r#"{"type": "Point", "coordinates": [8.06, 51.40]}"#,
        ),
        ("data_protection", "Keine personenbezogenen Daten."),
        ("licence", "EUPL-1.2"),
        ("repository", "https://code.example.org/parken"),
        ("transferability", "Gut übertragbar."),
    ]
}

async fn term_id(app: &TestApp, taxonomy: &str, key: &str) -> i64 {
    store::taxonomy::list(&app.db, taxonomy)
        .await
        .expect("terms")
        .into_iter()
        .find(|t| t.term_key == key)
        .expect("term")
        .id
}

async fn editor_creates_a_measure_with_a_full_project_sheet(app: TestApp) {
    let (a, _) = cities(&app).await;
    app.user("red@x.de", None, &[("arnsberg", "editor")]).await;
    let c = app.login("red@x.de").await;
    let (s, form) = app.get_text(&c, "/kommunen/arnsberg/massnahmen/neu").await;
    assert_eq!(s, StatusCode::OK);
    assert!(form.contains("<legend>Grunddaten</legend>") && form.contains(r#"name="tag_ids""#));
    let field = term_id(&app, "field_of_action", "mobilitaet")
        .await
        .to_string();
    let sdg = term_id(&app, "sdg", "sdg-11").await.to_string();
    let r = app
        .post_form(
            &c,
            "/kommunen/arnsberg/massnahmen/neu",
            &full_sheet(&field, &sdg),
        )
        .await;
    if r.status() != StatusCode::SEE_OTHER {
        let status = r.status();
        let body = r.text().await.unwrap_or_default();
        let summary = body
            .split("<main")
            .nth(1)
            .unwrap_or(&body)
            .chars()
            .take(1500)
            .collect::<String>();
        panic!("full sheet refused ({status}): {summary}");
    }
    let loc = location(&r);
    assert!(loc.ends_with("?ok=created"), "{loc}");
    let (_, page) = app.get_text(&c, &loc).await;
    for expected in [
        "Digitale Parkraumsteuerung",
        "Idee",
        "Mobilität",
        "SDG 11",
        "420.000 €",
        "28.000 €",
        "0,5",
        "01.03.2026",
        "28.02.2027",
        "Pendelnde, Besuchende",
        "Lieferverzug; Akzeptanz",
        "Fachdienst Verkehr",
        "KfW 436",
        "Gut übertragbar.",
        "Version 1",
    ] {
        assert!(page.contains(expected), "detail page lacks {expected:?}");
    }
    let ms = store::measures::list(
        &app.db,
        a,
        Visibility::Intern,
        &Default::default(),
        Default::default(),
    )
    .await
    .expect("list");
    let rec = store::measures::record(&app.db, a, ms[0].id)
        .await
        .expect("rec");
    assert_eq!(
        (
            rec.investment_costs,
            rec.staff_need_fte,
            rec.funding_rate_pct
        ),
        (Some(420_000), Some(0.5), Some(65.0))
    );
    assert_eq!(rec.start_date.as_deref(), Some("2026-03-01"));
    assert_eq!(
        rec.risks, r#"["Lieferverzug","Akzeptanz"]"#,
        "lists are stored as lists"
    );
    let revs = store::measures::revisions(&app.db, rec.id)
        .await
        .expect("revs");
    assert_eq!(revs.len(), 1);
    assert!(
        revs[0]
            .changes()
            .iter()
            .any(|c| c.field == "investment_costs" && c.after == "420000")
    );
}

async fn bad_sheet_input_is_explained_and_creates_nothing(app: TestApp) {
    cities(&app).await;
    app.user("red@x.de", None, &[("arnsberg", "editor")]).await;
    let c = app.login("red@x.de").await;
    let bad = [
        ("title", ""),
        ("visibility", "geheim"),
        ("start_date", "31.02.2026"),
        ("end_date", "2020-01-01"),
        ("investment_costs", "viel"),
        ("funding_rate_pct", "150"),
        ("council_decision_link", "javascript:alert(1)"),
        ("location_geojson", "{nicht json"),
        ("primary_field_id", "999999"),
    ];
    let r = app
        .post_form(&c, "/kommunen/arnsberg/massnahmen/neu", &bad)
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.expect("body");
    for (field, msg) in [
        ("title", "Bitte ausfüllen."),
        ("visibility", "Sichtbarkeit aus der Liste"),
        ("start_date", "Dieses Datum gibt es nicht."),
        ("investment_costs", "Bitte eine Zahl angeben"),
        ("funding_rate_pct", "zwischen 0 und 100"),
        ("council_decision_link", "vollständige Adresse mit https://"),
        ("location_geojson", "gültiges GeoJSON"),
    ] {
        assert!(
            body.contains(&format!(r##"<a href="#f-{field}">"##)),
            "summary links {field}"
        );
        assert!(body.contains(msg), "message for {field}: {msg}");
    }
    assert!(body.contains("value=\"viel\""), "entered values stay");
    assert_eq!(app.count("measures").await, 0);
    // An unreadable body (a single-value field sent twice) gets the friendly 400 page.
    let r = app
        .post_form(
            &c,
            "/kommunen/arnsberg/massnahmen/neu",
            &[("title", "A"), ("title", "B")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.text().await.expect("body").contains("Ungültige Anfrage"));
    // A foreign field id alone is refused too.
    let r = app
        .post_form(
            &c,
            "/kommunen/arnsberg/massnahmen/neu",
            &[
                ("title", "X"),
                ("visibility", "intern"),
                ("primary_field_id", "999999"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("measures").await, 0);
}

async fn every_status_transition_is_allowed_or_refused_by_role(app: TestApp) {
    let (a, _) = cities(&app).await;
    app.user("red@x.de", None, &[("arnsberg", "editor")]).await;
    app.user("koord@x.de", None, &[("arnsberg", "coordinator")])
        .await;
    app.user("teil@x.de", None, &[("arnsberg", "participant")])
        .await;
    app.user("lenk@x.de", Some("steering"), &[]).await;
    app.user("fremd@x.de", None, &[("siegen", "coordinator")])
        .await;
    let editor = app.login("red@x.de").await;
    let coord = app.login("koord@x.de").await;
    let participant = app.login("teil@x.de").await;
    let steering = app.login("lenk@x.de").await;
    let foreign = app.login("fremd@x.de").await;
    let workflow = store::measures::workflow(&app.db).await.expect("workflow");
    assert!(workflow.transitions.len() >= 15);
    let id = measure(&app, a, "Testmaßnahme", Visibility::Intern, "idee").await;
    let path = format!("/kommunen/arnsberg/massnahmen/{id}/status");
    let reset = |status: String| {
        let db = app.db.clone();
        async move {
            let sql = "UPDATE measures SET status = $1 WHERE id = $2";
            match db.pool() {
                store::Pool::Sqlite(p) => sqlx::query(sql)
                    .bind(status)
                    .bind(id)
                    .execute(p)
                    .await
                    .map(|_| ()),
                store::Pool::Postgres(p) => sqlx::query(sql)
                    .bind(status)
                    .bind(id)
                    .execute(p)
                    .await
                    .map(|_| ()),
            }
            .expect("reset")
        }
    };
    for (from, to, min_role) in &workflow.transitions {
        reset(from.clone()).await;
        // Refused for roles below the step and for outsiders; nothing changes.
        for (who, c) in [
            ("participant", &participant),
            ("steering", &steering),
            ("foreign", &foreign),
        ] {
            let r = app.post_form(c, &path, &[("from", from), ("to", to)]).await;
            assert_eq!(r.status(), StatusCode::FORBIDDEN, "{from}→{to} as {who}");
        }
        let r = app
            .post_form(&editor, &path, &[("from", from), ("to", to)])
            .await;
        if *min_role == domain::measure::MinRole::Editor {
            assert_eq!(r.status(), StatusCode::SEE_OTHER, "{from}→{to} as editor");
        } else {
            assert_eq!(r.status(), StatusCode::FORBIDDEN, "{from}→{to} as editor");
            assert!(
                r.text()
                    .await
                    .expect("body")
                    .contains("nur die Kommunal-Koordination")
            );
            assert_eq!(
                store::measures::record(&app.db, a, id)
                    .await
                    .expect("rec")
                    .status,
                *from
            );
            let r = app
                .post_form(&coord, &path, &[("from", from), ("to", to)])
                .await;
            assert_eq!(
                r.status(),
                StatusCode::SEE_OTHER,
                "{from}→{to} as coordinator"
            );
        }
        assert_eq!(
            store::measures::record(&app.db, a, id)
                .await
                .expect("rec")
                .status,
            *to
        );
    }
    // Steps that the workflow does not have are refused for everyone.
    reset("idee".into()).await;
    let r = app
        .post_form(&coord, &path, &[("from", "idee"), ("to", "umsetzung")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("body").contains("nicht vorgesehen"));
    // A stale view (someone else changed the status) is a conflict.
    let r = app
        .post_form(
            &coord,
            &path,
            &[("from", "geprueft"), ("to", "priorisiert")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_eq!(
        store::measures::record(&app.db, a, id)
            .await
            .expect("rec")
            .status,
        "idee"
    );
    // Every accepted step is in the history.
    let revs = store::measures::revisions(&app.db, id).await.expect("revs");
    assert!(
        revs.iter()
            .filter(|r| r.changes().iter().any(|c| c.field == "status"))
            .count()
            >= workflow.transitions.len()
    );
}

async fn visibility_rules_hold_for_every_role_in_pages_api_and_exports(app: TestApp) {
    let (a, _) = cities(&app).await;
    measure(&app, a, "Geheimsache Intern", Visibility::Intern, "idee").await;
    let net = measure(&app, a, "Netzwerkprojekt", Visibility::Netzwerk, "geprueft").await;
    let public = measure(
        &app,
        a,
        "Offenes Projekt",
        Visibility::Oeffentlich,
        "umsetzung",
    )
    .await;
    let intern_id = measure(
        &app,
        a,
        "Noch eine interne Sache",
        Visibility::Intern,
        "idee",
    )
    .await;
    app.user("teil@x.de", None, &[("arnsberg", "participant")])
        .await;
    app.user("buerger-siegen@x.de", None, &[("siegen", "participant")])
        .await;
    app.user("red-siegen@x.de", None, &[("siegen", "editor")])
        .await;
    app.user("lenk@x.de", Some("steering"), &[]).await;
    app.user("admin@x.de", Some("admin"), &[]).await;
    // (who, sees intern, sees network)
    let table: Vec<(&str, bool, bool)> = vec![
        ("public", false, false),
        ("buerger-siegen@x.de", false, false),
        ("red-siegen@x.de", false, true),
        ("teil@x.de", true, true),
        ("lenk@x.de", true, true),
        ("admin@x.de", true, true),
    ];
    for (who, intern, network) in table {
        let c = if who == "public" {
            app.client()
        } else {
            app.login(who).await
        };
        let (_, list) = app.get_text(&c, "/kommunen/arnsberg/massnahmen").await;
        let (_, city) = app.get_text(&c, "/kommunen/arnsberg").await;
        let api: serde_json::Value = app
            .get(&c, "/api/v1/municipalities/arnsberg/measures")
            .await
            .json()
            .await
            .expect("json");
        let api_titles: Vec<String> = api["items"]
            .as_array()
            .expect("array")
            .iter()
            .filter_map(|m| m["title"].as_str().map(str::to_string))
            .collect();
        let csv = app
            .get(&c, "/kommunen/arnsberg/massnahmen.csv")
            .await
            .text()
            .await
            .expect("csv");
        for (title, visible) in [
            ("Geheimsache Intern", intern),
            ("Netzwerkprojekt", network),
            ("Offenes Projekt", true),
        ] {
            for (what, text) in [("list", &list), ("city page", &city), ("csv", &csv)] {
                assert_eq!(text.contains(title), visible, "{who}: {title} in {what}");
            }
            assert_eq!(
                api_titles.iter().any(|t| t == title),
                visible,
                "{who}: {title} in API"
            );
        }
        let detail = |id: i64| format!("/kommunen/arnsberg/massnahmen/{id}");
        assert_eq!(
            app.get(&c, &detail(intern_id)).await.status() == StatusCode::OK,
            intern,
            "{who}: intern detail"
        );
        assert_eq!(
            app.get(&c, &detail(net)).await.status() == StatusCode::OK,
            network,
            "{who}: network detail"
        );
        assert_eq!(
            app.get(&c, &detail(public)).await.status(),
            StatusCode::OK,
            "{who}: public detail"
        );
        for ext in ["pdf", "md", "json"] {
            let r = app
                .get(&c, &format!("{}/projektblatt.{ext}", detail(intern_id)))
                .await;
            assert_eq!(r.status() == StatusCode::OK, intern, "{who}: intern {ext}");
        }
        let r = app
            .get(
                &c,
                &format!("/api/v1/municipalities/arnsberg/measures/{intern_id}"),
            )
            .await;
        assert_eq!(
            r.status() == StatusCode::OK,
            intern,
            "{who}: intern via API"
        );
    }
}

async fn parallel_edits_of_a_measure_conflict_and_nothing_is_lost(app: TestApp) {
    let (a, _) = cities(&app).await;
    let id = measure(&app, a, "Ursprung", Visibility::Intern, "idee").await;
    app.user("anna@x.de", None, &[("arnsberg", "editor")]).await;
    app.user("bert@x.de", None, &[("arnsberg", "editor")]).await;
    let anna = app.login("anna@x.de").await;
    let bert = app.login("bert@x.de").await;
    let edit = format!("/kommunen/arnsberg/massnahmen/{id}/bearbeiten");
    let (_, form_a) = app.get_text(&anna, &edit).await;
    let (_, form_b) = app.get_text(&bert, &edit).await;
    assert!(
        form_a.contains(r#"name="base_version" value="1""#)
            && form_b.contains(r#"name="base_version" value="1""#)
    );
    let r = app
        .post_form(
            &anna,
            &edit,
            &[
                ("base_version", "1"),
                ("title", "Annas Titel"),
                ("visibility", "intern"),
                ("lead_unit", "Fachdienst Test"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = app
        .post_form(
            &bert,
            &edit,
            &[
                ("base_version", "1"),
                ("title", "Berts Titel"),
                ("visibility", "intern"),
                ("lead_unit", "Fachdienst Test"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let body = r.text().await.expect("body");
    assert!(
        body.contains("Zwischenzeitlich geändert") && body.contains("Annas Titel"),
        "the saved version is shown"
    );
    assert!(
        body.contains(r#"value="Berts Titel""#),
        "Bert's input stays in the form"
    );
    assert!(
        body.contains(r#"name="base_version" value="2""#),
        "saving again goes on top of the new version"
    );
    assert_eq!(
        store::measures::record(&app.db, a, id)
            .await
            .expect("rec")
            .title,
        "Annas Titel"
    );
    let r = app
        .post_form(
            &bert,
            &edit,
            &[
                ("base_version", "2"),
                ("title", "Berts Titel"),
                ("visibility", "intern"),
                ("lead_unit", "Fachdienst Test"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let revs = store::measures::revisions(&app.db, id).await.expect("revs");
    let titles: Vec<String> = revs
        .iter()
        .flat_map(|r| r.changes())
        .filter(|c| c.field == "title")
        .map(|c| c.after)
        .collect();
    assert_eq!(
        titles,
        vec!["Berts Titel", "Annas Titel", "Ursprung"],
        "every saved title is in the history"
    );
}

async fn dependency_cycles_are_refused(app: TestApp) {
    let (a, s) = cities(&app).await;
    let x = measure(&app, a, "A-Maßnahme", Visibility::Intern, "idee").await;
    let y = measure(&app, a, "B-Maßnahme", Visibility::Intern, "idee").await;
    let z = measure(&app, a, "C-Maßnahme", Visibility::Intern, "idee").await;
    let other = measure(
        &app,
        s,
        "Siegener Maßnahme",
        Visibility::Oeffentlich,
        "idee",
    )
    .await;
    app.user("red@x.de", None, &[("arnsberg", "editor")]).await;
    let c = app.login("red@x.de").await;
    let dep = |from: i64| format!("/kommunen/arnsberg/massnahmen/{from}/abhaengigkeiten");
    assert_eq!(
        app.post_form(&c, &dep(x), &[("depends_on", &y.to_string())])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.post_form(&c, &dep(y), &[("depends_on", &z.to_string())])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    let r = app
        .post_form(&c, &dep(z), &[("depends_on", &x.to_string())])
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("würde einen Kreis erzeugen")
    );
    let r = app
        .post_form(&c, &dep(x), &[("depends_on", &x.to_string())])
        .await;
    assert_eq!(
        r.status(),
        StatusCode::CONFLICT,
        "a measure cannot depend on itself"
    );
    let r = app
        .post_form(&c, &dep(x), &[("depends_on", &other.to_string())])
        .await;
    assert_eq!(
        r.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "no dependencies across municipalities"
    );
    assert_eq!(app.count("measure_dependencies").await, 2);
    let (_, page) = app
        .get_text(&c, &format!("/kommunen/arnsberg/massnahmen/{y}"))
        .await;
    assert!(
        page.contains("C-Maßnahme") && page.contains("A-Maßnahme"),
        "both directions are shown"
    );
}

async fn definition_versions_diff_conflict_and_council_decision(app: TestApp) {
    cities(&app).await;
    app.user("red@x.de", None, &[("arnsberg", "editor")]).await;
    app.user("koord@x.de", None, &[("arnsberg", "coordinator")])
        .await;
    let red = app.login("red@x.de").await;
    let koord = app.login("koord@x.de").await;
    let public = app.client();
    let save = |base: &'static str, body: &'static str| (base, body);
    for (base, body) in [
        save("0", "Arnsberg wird digital und grün."),
        save(
            "1",
            "Arnsberg wird vernetzt und grün.\n\n<script>alert(1)</script>",
        ),
    ] {
        let r = app
            .post_form(
                &red,
                "/kommunen/arnsberg/leitbild/bearbeiten",
                &[("base_version", base), ("body_md", body)],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    }
    // Stale save: conflict page with both texts; nothing overwritten.
    let r = app
        .post_form(
            &koord,
            "/kommunen/arnsberg/leitbild/bearbeiten",
            &[("base_version", "1"), ("body_md", "Meine eigene Fassung")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let body = r.text().await.expect("body");
    assert!(
        body.contains("Arnsberg wird vernetzt und grün.") && body.contains("Meine eigene Fassung")
    );
    assert!(body.contains(r#"name="base_version" value="2""#));
    // Word-level diff of versions 1 and 2.
    let (_, diff) = app
        .get_text(&red, "/kommunen/arnsberg/leitbild?von=1&bis=2")
        .await;
    assert!(
        diff.contains("<del>digital</del>") && diff.contains("<ins>vernetzt</ins>"),
        "{diff}"
    );
    let (_, page) = app.get_text(&red, "/kommunen/arnsberg/leitbild").await;
    assert!(
        !page.contains("<script>alert"),
        "rendered Markdown is sanitised"
    );
    // Drafts are internal: the public does not see them.
    assert_ne!(
        app.get(&public, "/kommunen/arnsberg/leitbild")
            .await
            .status(),
        StatusCode::OK
    );
    // Status: editors may not, coordinators may; "beschlossen" needs the council decision.
    let st = "/kommunen/arnsberg/leitbild/status";
    assert_eq!(
        app.post_form(&red, st, &[("status", "abgestimmt")])
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post_form(&koord, st, &[("status", "beschlossen")])
            .await
            .status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        app.post_form(&koord, st, &[("status", "abgestimmt")])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    let r = app
        .post_form(&koord, st, &[("status", "beschlossen")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains(r##"<a href="#f-decision_date">"##)
    );
    let r = app
        .post_form(
            &koord,
            st,
            &[
                ("status", "beschlossen"),
                ("decision_date", "11.12.2025"),
                ("decision_reference", "V 2025/417"),
                ("decision_link", "https://rat.example.org/417"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let d = store::definitions::get(&app.db, 1)
        .await
        .expect("q")
        .expect("def");
    assert_eq!(
        (
            d.status.as_str(),
            d.decision_date.as_deref(),
            d.decision_reference.as_deref()
        ),
        ("beschlossen", Some("2025-12-11"), Some("V 2025/417"))
    );
    // Publishing makes it public.
    app.post_form(
        &koord,
        "/kommunen/arnsberg/leitbild/sichtbarkeit",
        &[("visibility", "oeffentlich")],
    )
    .await;
    let (s, page) = app.get_text(&public, "/kommunen/arnsberg/leitbild").await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("vernetzt") && page.contains("V 2025/417"));
    // Comments by members.
    let r = app
        .post_form(
            &red,
            "/kommunen/arnsberg/leitbild/kommentare",
            &[("comment", "Bitte Seniorenbeirat einbinden")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, page) = app.get_text(&red, "/kommunen/arnsberg/leitbild").await;
    assert!(page.contains("Bitte Seniorenbeirat einbinden"));
    assert_eq!(
        app.post_form(
            &public,
            "/kommunen/arnsberg/leitbild/kommentare",
            &[("comment", "x")]
        )
        .await
        .status(),
        StatusCode::SEE_OTHER,
        "anonymous must log in"
    );
}

async fn fields_of_action_and_goals(app: TestApp) {
    let (a, _) = cities(&app).await;
    app.user("red@x.de", None, &[("arnsberg", "editor")]).await;
    let c = app.login("red@x.de").await;
    let mob = term_id(&app, "field_of_action", "mobilitaet").await;
    let bil = term_id(&app, "field_of_action", "bildung").await;
    assert_eq!(
        store::taxonomy::list(&app.db, "field_of_action")
            .await
            .expect("t")
            .len(),
        12
    );
    assert_eq!(
        store::taxonomy::list(&app.db, "sdg")
            .await
            .expect("t")
            .len(),
        17
    );
    assert_eq!(
        store::taxonomy::list(&app.db, "charta")
            .await
            .expect("t")
            .len(),
        4
    );
    let r = app
        .post_form(
            &c,
            "/kommunen/arnsberg/handlungsfelder",
            &[
                ("field_id", &mob.to_string()),
                ("priority", "hoch"),
                ("rationale", "Pendelnde"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = app
        .post_form(
            &c,
            "/kommunen/arnsberg/handlungsfelder/ziele",
            &[
                ("field_id", &bil.to_string()),
                ("goal_text", "Nicht gewählt"),
            ],
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "goals only in selected fields"
    );
    let r = app
        .post_form(
            &c,
            "/kommunen/arnsberg/handlungsfelder/ziele",
            &[
                ("field_id", &mob.to_string()),
                ("goal_text", "Weniger Suchverkehr"),
                ("indicator", "Fahrzeuge"),
                ("baseline", "5.200"),
                ("target_value", "3900"),
                ("target_year", "1999"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("zwischen 2000 und 2100")
    );
    let r = app
        .post_form(
            &c,
            "/kommunen/arnsberg/handlungsfelder/ziele",
            &[
                ("field_id", &mob.to_string()),
                ("goal_text", "Weniger Suchverkehr"),
                ("indicator", "Fahrzeuge"),
                ("baseline", "5.200"),
                ("target_value", "3900"),
                ("target_year", "2028"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let goals = store::fields::goals(&app.db, a).await.expect("goals");
    assert_eq!(
        (goals.len(), goals[0].baseline, goals[0].target_year),
        (1, Some(5200.0), Some(2028))
    );
    let (_, page) = app
        .get_text(&app.client(), "/kommunen/arnsberg/handlungsfelder")
        .await;
    assert!(
        page.contains("Mobilität") && page.contains("Weniger Suchverkehr") && page.contains("hoch")
    );
    // The admin edits the taxonomy; others may not.
    app.user("admin@x.de", Some("admin"), &[]).await;
    let admin = app.login("admin@x.de").await;
    let r = app
        .post_form(
            &admin,
            "/admin/taxonomien",
            &[
                ("taxonomy", "field_of_action"),
                ("term_key", "landwirtschaft"),
                ("name", "Landwirtschaft"),
                ("color", "#225522"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.post_form(
            &c,
            "/admin/taxonomien",
            &[("taxonomy", "sdg"), ("term_key", "x"), ("name", "X")]
        )
        .await
        .status(),
        StatusCode::FORBIDDEN
    );
    let r = app
        .post_form(
            &admin,
            "/admin/taxonomien",
            &[
                ("taxonomy", "field_of_action"),
                ("term_key", "landwirtschaft"),
                ("name", "Doppelt"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        store::taxonomy::list(&app.db, "field_of_action")
            .await
            .expect("t")
            .len(),
        13
    );
}

async fn process_phases_and_network_overview(app: TestApp) {
    let (a, _) = cities(&app).await;
    app.user("red@x.de", None, &[("arnsberg", "editor")]).await;
    app.user("koord@x.de", None, &[("arnsberg", "coordinator")])
        .await;
    app.user("lenk@x.de", Some("steering"), &[]).await;
    let red = app.login("red@x.de").await;
    let koord = app.login("koord@x.de").await;
    let (s, page) = app
        .get_text(&app.client(), "/kommunen/arnsberg/prozess")
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        page.contains(r#"role="img""#)
            && page.contains("<title id=\"tl-title\">")
            && page.contains("<caption>"),
        "SVG with title and a table"
    );
    let phases = store::process::phases(&app.db, a).await.expect("phases");
    assert_eq!(phases.len(), 7);
    assert_eq!(phases[0].name, "Auftakt & Bestandsaufnahme");
    let path = format!("/kommunen/arnsberg/prozess/phasen/{}", phases[1].id);
    assert_eq!(
        app.post_form(&red, &path, &[("status", "aktiv")])
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let r = app
        .post_form(
            &koord,
            &path,
            &[
                ("status", "aktiv"),
                ("planned_start", "2026-05-01"),
                ("planned_end", "2026-01-01"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .post_form(
            &koord,
            &path,
            &[
                ("status", "aktiv"),
                ("planned_start", "2026-01-01"),
                ("planned_end", "2026-05-01"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let p = &store::process::phases(&app.db, a).await.expect("phases")[1];
    assert_eq!(
        (p.status.as_str(), p.actual_start.is_some()),
        ("aktiv", true)
    );
    let (_, city) = app.get_text(&app.client(), "/kommunen/arnsberg").await;
    assert!(
        city.contains("Aktuelle Phase: Strategiewerkstätten"),
        "the city page shows where it stands"
    );
    let steering = app.login("lenk@x.de").await;
    let (s, overview) = app.get_text(&steering, "/netzwerk").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        overview.contains("Arnsberg")
            && overview.contains("Strategiewerkstätten")
            && overview.contains("Siegen")
    );
    assert_eq!(
        app.get(&red, "/netzwerk").await.status(),
        StatusCode::FORBIDDEN
    );
    // The admin extends the process template; cities created afterwards get the new phase.
    app.user("admin@x.de", Some("admin"), &[]).await;
    let admin = app.login("admin@x.de").await;
    let r = app
        .post_form(
            &admin,
            "/admin/prozessvorlage",
            &[("name", "Monitoring"), ("planned_months", "99")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .post_form(
            &admin,
            "/admin/prozessvorlage",
            &[
                ("name", "Monitoring"),
                ("description", "Wirkung messen"),
                ("planned_months", "6"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = app
        .post_form(
            &koord,
            "/admin/prozessvorlage",
            &[("name", "X"), ("planned_months", "1")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let s_id = store::municipalities::by_slug(&app.db, "siegen")
        .await
        .expect("siegen")
        .id;
    app.get(&app.client(), "/kommunen/siegen/prozess").await;
    let phases = store::process::phases(&app.db, s_id).await.expect("phases");
    assert_eq!((phases.len(), phases[7].name.as_str()), (8, "Monitoring"));
}

async fn templates_and_copies_keep_their_origin(app: TestApp) {
    let (a, s) = cities(&app).await;
    let shared = measure(
        &app,
        a,
        "Offenes WLAN",
        Visibility::Netzwerk,
        "abgeschlossen",
    )
    .await;
    let secret = measure(&app, a, "Interne Sache", Visibility::Intern, "idee").await;
    app.user("admin@x.de", Some("admin"), &[]).await;
    app.user("red-siegen@x.de", None, &[("siegen", "editor")])
        .await;
    let admin = app.login("admin@x.de").await;
    let red = app.login("red-siegen@x.de").await;
    let r = app
        .post_form(
            &admin,
            "/admin/vorlagen/aus-massnahme",
            &[
                ("municipality", "arnsberg"),
                ("measure_id", &shared.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let t = store::templates::list(&app.db, true)
        .await
        .expect("templates");
    assert_eq!(t.len(), 1);
    let (_, sources) = app
        .get_text(&red, "/kommunen/siegen/massnahmen/vorlagen")
        .await;
    assert!(sources.contains("Offenes WLAN") && !sources.contains("Interne Sache"));
    let r = app
        .post_form(
            &red,
            &format!("/kommunen/siegen/massnahmen/aus-vorlage/{}", t[0].id),
            &[],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = app
        .post_form(
            &red,
            &format!("/kommunen/siegen/massnahmen/kopieren/{shared}"),
            &[],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let copy_path = location(&r).replace("?ok=copied", "");
    let (_, page) = app.get_text(&red, &copy_path).await;
    assert!(
        page.contains("Übernommen von:")
            && page.contains(&format!("/kommunen/arnsberg/massnahmen/{shared}"))
    );
    let mine = store::measures::list(
        &app.db,
        s,
        Visibility::Intern,
        &Default::default(),
        Default::default(),
    )
    .await
    .expect("list");
    assert_eq!(mine.len(), 2);
    let recs: Vec<_> = futures::future::join_all(
        mine.iter()
            .map(|m| store::measures::record(&app.db, s, m.id)),
    )
    .await;
    assert!(recs.iter().any(|r| {
        r.as_ref()
            .is_ok_and(|r| r.origin_template_id == Some(t[0].id))
    }));
    assert!(recs.iter().any(
        |r| r.as_ref().is_ok_and(|r| r.origin_measure_id == Some(shared)
            && r.status == "idee"
            && r.visibility == "intern")
    ));
    let r = app
        .post_form(
            &red,
            &format!("/kommunen/siegen/massnahmen/kopieren/{secret}"),
            &[],
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::NOT_FOUND,
        "intern measures of other cities cannot be copied"
    );
    assert_eq!(store::measures::count(&app.db, s).await.expect("count"), 2);
}

fn pdf_text(bytes: &[u8]) -> String {
    pdf_extract::extract_text_from_mem(bytes)
        .expect("parse PDF")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

async fn exports_pdf_markdown_json_csv_xlsx(app: TestApp) {
    let (a, _) = cities(&app).await;
    let sheet = Sheet {
        title: "Mobilitätsstation am Bahnhof".into(),
        visibility: Some(Visibility::Oeffentlich),
        lead_unit: "Fachdienst Stadtplanung".into(),
        investment_costs: Some(780_000),
        start_date: Some("2026-04-01".into()),
        ..Default::default()
    };
    let id = store::measures::create(&app.db, a, &sheet, "beschlossen", None, Origin::default())
        .await
        .expect("m");
    measure(
        &app,
        a,
        "Zweite Maßnahme; mit \"Zeichen\"",
        Visibility::Oeffentlich,
        "idee",
    )
    .await;
    let c = app.client();
    let base = format!("/kommunen/arnsberg/massnahmen/{id}/projektblatt");
    let r = app.get(&c, &format!("{base}.pdf")).await;
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let pdf = r.bytes().await.expect("pdf");
    assert!(pdf.starts_with(b"%PDF"));
    let text = pdf_text(&pdf);
    assert!(
        text.contains("Mobilitätsstation am Bahnhof") && text.contains("Fachdienst Stadtplanung"),
        "{text}"
    );
    let md = app
        .get(&c, &format!("{base}.md"))
        .await
        .text()
        .await
        .expect("md");
    assert!(md.contains("Mobilitätsstation am Bahnhof") && md.contains("Fachdienst Stadtplanung"));
    let json: serde_json::Value = app
        .get(&c, &format!("{base}.json"))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        (
            json["title"].as_str(),
            json["investment_costs_eur"].as_i64()
        ),
        (Some("Mobilitätsstation am Bahnhof"), Some(780_000))
    );
    let csv = app
        .get(&c, "/kommunen/arnsberg/massnahmen.csv")
        .await
        .bytes()
        .await
        .expect("csv");
    let csv = String::from_utf8(csv.to_vec()).expect("utf8");
    let mut lines = csv.trim_start_matches('\u{feff}').lines();
    assert_eq!(lines.next(), Some(export::CSV_HEADER.join(";").as_str()));
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 2);
    assert!(
        rows.iter()
            .any(|r| r.contains("Mobilitätsstation am Bahnhof") && r.contains(";780000;")),
        "{rows:?}"
    );
    assert!(
        rows.iter()
            .any(|r| r.contains(r#""Zweite Maßnahme; mit ""Zeichen""""#)),
        "{rows:?}"
    );
    let xlsx = app
        .get(&c, "/kommunen/arnsberg/massnahmen.xlsx")
        .await
        .bytes()
        .await
        .expect("xlsx");
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx.to_vec())).expect("xlsx");
    let range = wb.worksheet_range("Maßnahmen").expect("sheet");
    let header: Vec<String> = range
        .rows()
        .next()
        .expect("header")
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(
        header,
        export::CSV_HEADER
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
    );
    assert_eq!(range.rows().count(), 3);
    let costs = range
        .rows()
        .skip(1)
        .find(|r| r[1].to_string().starts_with("Mobilit"))
        .expect("row")[9]
        .clone();
    assert_eq!(
        costs,
        calamine::Data::Float(780_000.0),
        "numbers are numbers"
    );
}

async fn sheet_lists_partners_raci_kpis_milestones_are_recorded_in_history(app: TestApp) {
    let (a, _) = cities(&app).await;
    let id = measure(&app, a, "Listenprobe", Visibility::Intern, "idee").await;
    let org = store::stakeholders::create(
        &app.db,
        a,
        "organisation",
        "Stadtwerke Arnsberg",
        None,
        None,
        "",
    )
    .await
    .expect("s");
    app.user("red@x.de", None, &[("arnsberg", "editor")]).await;
    let c = app.login("red@x.de").await;
    let r = app
        .post_form(
            &c,
            "/kommunen/arnsberg/akteure",
            &[
                ("kind", "person"),
                ("name", "Lena Hoffmann"),
                ("organisation_id", &org.to_string()),
                ("email", "kaputt"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .post_form(
            &c,
            "/kommunen/arnsberg/akteure",
            &[
                ("kind", "person"),
                ("name", "Lena Hoffmann"),
                ("organisation_id", &org.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let base = format!("/kommunen/arnsberg/massnahmen/{id}");
    let ok = |r: reqwest::Response| assert_eq!(r.status(), StatusCode::SEE_OTHER);
    ok(app
        .post_form(
            &c,
            &format!("{base}/partner"),
            &[("stakeholder_id", &org.to_string()), ("role", "Betrieb")],
        )
        .await);
    ok(app
        .post_form(
            &c,
            &format!("{base}/raci"),
            &[
                ("stakeholder_id", &org.to_string()),
                ("r", "on"),
                ("a", "on"),
            ],
        )
        .await);
    ok(app
        .post_form(
            &c,
            &format!("{base}/kpis"),
            &[
                ("kpi_name", "Ausleihen"),
                ("kpi_unit", "pro Monat"),
                ("kpi_baseline", "0"),
                ("kpi_target", "1.500"),
            ],
        )
        .await);
    let kpi = store::measure_parts::load(&app.db, a, id)
        .await
        .expect("parts")
        .kpis[0]
        .id;
    ok(app
        .post_form(
            &c,
            &format!("{base}/kpis/{kpi}/messwerte"),
            &[("measured_on", "01.06.2026"), ("value", "420,5")],
        )
        .await);
    ok(app
        .post_form(
            &c,
            &format!("{base}/meilensteine"),
            &[
                ("milestone_title", "Vergabe"),
                ("milestone_due", "2026-09-30"),
            ],
        )
        .await);
    let r = app
        .post_form(
            &c,
            &format!("{base}/kpis"),
            &[("kpi_name", ""), ("kpi_target", "viel")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .post_form(
            &c,
            &format!("{base}/partner"),
            &[("stakeholder_id", "999999")],
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "stakeholders of other cities or unknown ones are refused"
    );
    let parts = store::measure_parts::load(&app.db, a, id)
        .await
        .expect("parts");
    assert_eq!(
        (
            parts.partners.len(),
            parts.raci.len(),
            parts.kpis.len(),
            parts.measurements.len(),
            parts.milestones.len()
        ),
        (1, 1, 1, 1, 1)
    );
    assert_eq!(
        (parts.kpis[0].target, parts.measurements[0].value),
        (Some(1500.0), 420.5)
    );
    let (_, page) = app.get_text(&c, &base).await;
    for s in [
        "Stadtwerke Arnsberg – Betrieb",
        "Ausleihen",
        "420,5",
        "Vergabe",
        "Änderungsverlauf",
        "Version 6",
    ] {
        assert!(page.contains(s), "{s}");
    }
    let fields: Vec<String> = store::measures::revisions(&app.db, id)
        .await
        .expect("revs")
        .iter()
        .flat_map(|r| r.changes())
        .map(|c| c.field)
        .collect();
    for f in ["partners", "raci", "kpis", "measurements", "milestones"] {
        assert!(fields.iter().any(|x| x == f), "history lacks {f}");
    }
}

async fn list_and_detail_pages_use_a_bounded_number_of_queries(app: TestApp) {
    let (a, _) = cities(&app).await;
    let c = app.client();
    let round_trips = |path: String| {
        let app = &app;
        let c = c.clone();
        async move {
            let before = app.db.round_trips();
            let r = app.get(&c, &path).await;
            assert_eq!(r.status(), StatusCode::OK, "{path}");
            app.db.round_trips() - before
        }
    };
    let first = measure(&app, a, "Maßnahme 0", Visibility::Oeffentlich, "idee").await;
    let small_list = round_trips("/kommunen/arnsberg/massnahmen".into()).await;
    let small_detail = round_trips(format!("/kommunen/arnsberg/massnahmen/{first}")).await;
    for i in 1..60 {
        let id = measure(
            &app,
            a,
            &format!("Maßnahme {i}"),
            Visibility::Oeffentlich,
            "umsetzung",
        )
        .await;
        store::measure_parts::add_dependency(&app.db, a, first, id, |_| None)
            .await
            .expect("dep");
    }
    let big_list = round_trips("/kommunen/arnsberg/massnahmen".into()).await;
    let big_detail = round_trips(format!("/kommunen/arnsberg/massnahmen/{first}")).await;
    assert_eq!(
        small_list, big_list,
        "list page: same number of queries for 1 and 60 measures"
    );
    assert_eq!(
        small_detail, big_detail,
        "detail page: same number of queries with 0 and 59 dependencies"
    );
    assert!(
        big_list <= 8 && big_detail <= 16,
        "list {big_list}, detail {big_detail}"
    );
}

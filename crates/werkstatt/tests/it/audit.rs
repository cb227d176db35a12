//! The audit log (ADR 0018): administrative and editorial changes made through the forms and through the API
//! token appear on the admin's log, the city's log and in the CSV with person, city and label; participants'
//! contributions, refused and invalid requests write nothing; only the admin and the city's coordination may
//! read the logs.

use crate::case;
use crate::harness::{Case, TestApp, location};
use domain::visibility::Visibility;
use reqwest::StatusCode;

pub fn cases() -> Vec<Case> {
    vec![case!(changes_are_logged_with_person_city_and_label)]
}

async fn changes_are_logged_with_person_city_and_label(app: TestApp) {
    // City A (Arnsberg) with its editor red@x.de and a published idea collection — created through the form.
    let (red, _format_id, format_path) =
        crate::participation::format(&app, "ideen", "gast", &[]).await;
    let a = store::municipalities::by_slug(&app.db, "arnsberg")
        .await
        .expect("arnsberg")
        .id;
    app.municipality("siegen", "Siegen", "05970040", 101_943)
        .await;
    app.user("admin@x.de", Some("admin"), &[]).await;
    app.user("koord@x.de", None, &[("arnsberg", "coordinator")])
        .await;
    app.user("koord-siegen@x.de", None, &[("siegen", "coordinator")])
        .await;
    let admin = app.login("admin@x.de").await;
    let koord = app.login("koord@x.de").await;
    let koord_siegen = app.login("koord-siegen@x.de").await;

    // Administration: a new city and an edit of Siegen.
    let city = [
        ("slug", "bad-berleburg"),
        ("name", "Bad Berleburg"),
        ("ags", "05966004"),
        ("population", "19412"),
        ("state", "05"),
    ];
    let r = app.post_form(&admin, "/admin/kommunen/neu", &city).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "city created");
    let siegen = [
        ("slug", "siegen"),
        ("name", "Universitätsstadt Siegen"),
        ("ags", "05970040"),
        ("population", "101943"),
        ("state", "05"),
    ];
    let r = app
        .post_form(&admin, "/admin/kommunen/siegen/bearbeiten", &siegen)
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "city edited");
    let helper = app.user("helfer@x.de", None, &[]).await;
    let r = app
        .post_form(
            &admin,
            &format!("/admin/benutzer/{helper}/rolle"),
            &[("grant", "city:participant"), ("municipality", "arnsberg")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "role granted");
    // Member management by the coordination.
    let r = app
        .post_form(
            &koord,
            "/kommunen/arnsberg/mitglieder/einladen",
            &[("email", "neu@x.de"), ("role", "editor")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "member invited");
    // Editorial: a status step and a milestone of a measure.
    let m = crate::strategy::measure(&app, a, "Sensorik", Visibility::Intern, "idee").await;
    let mp = format!("/kommunen/arnsberg/massnahmen/{m}");
    let r = app
        .post_form(
            &red,
            &format!("{mp}/status"),
            &[("from", "idee"), ("to", "geprueft")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "status changed");
    let r = app
        .post_form(
            &red,
            &format!("{mp}/meilensteine"),
            &[
                ("milestone_title", "Ausschreibung"),
                ("milestone_due", "2030-06-30"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "milestone added");
    // An API token (created by the coordination) and a write made with it.
    let r = app
        .post_form(
            &koord,
            "/kommunen/arnsberg/schnittstellen",
            &[("name", "Sensorplattform"), ("scopes", "measures:write")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK, "token created");
    let page = r.text().await.expect("page");
    let secret = regex::Regex::new(r#"id="token-secret"[^>]*value="(wkt_[0-9a-f]{64})""#)
        .expect("re")
        .captures(&page)
        .map(|c| c[1].to_string())
        .expect("token shown once");
    let r = app
        .client()
        .patch(app.url(&format!("/api/v1/municipalities/arnsberg/measures/{m}")))
        .bearer_auth(&secret)
        .header("content-type", "application/json")
        .body(r#"{"status":"priorisiert"}"#)
        .send()
        .await
        .expect("PATCH");
    assert_eq!(r.status(), StatusCode::OK, "status changed through the API");
    let logged = app.count("audit_log").await;
    // 1 format + 2 cities + 1 role + 1 member + 2 measure changes + 1 token + 1 API write
    assert_eq!(logged, 9, "one entry per change");

    // Nothing is logged for: a participant's idea, an invalid form (422), a refused request (403), a
    // request without permission from the other city.
    let guest = crate::participation::join_guest(&app, &format_path).await;
    let r = app
        .post_form(
            &guest,
            &format!("{format_path}/ideen"),
            &[
                ("idea_title", "Mehr Bänke am Markt"),
                (
                    "idea_text",
                    "Zum Ausruhen beim Einkaufen, mit Schatten im Sommer.",
                ),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "idea accepted");
    let r = app
        .post_form(&red, "/kommunen/arnsberg/massnahmen/neu", &[("title", "")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .post_form(
            &koord,
            "/kommunen/arnsberg/mitglieder/einladen",
            &[("email", "kaputt"), ("role", "chef")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .post_form(
            &koord_siegen,
            &format!("{mp}/status"),
            &[("from", "priorisiert"), ("to", "geprueft")],
        )
        .await;
    assert!(
        matches!(r.status(), StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
        "other city refused"
    );
    let r = app
        .post_form(&app.client(), "/admin/kommunen/neu", &city)
        .await;
    assert!(location(&r).starts_with("/anmelden"), "anonymous → log-in");
    assert_eq!(app.count("audit_log").await, logged, "nothing more logged");

    // The admin's log: every entry with person, city and label.
    let (s, log) = app.get_text(&admin, "/admin/protokoll").await;
    assert_eq!(s, StatusCode::OK);
    assert!(log.contains("<caption") && log.contains(r#"<th scope="col">"#));
    for (label, who, city) in [
        ("Beteiligungsformat angelegt", "Person red@x.de", "Arnsberg"),
        ("Kommune angelegt", "Person admin@x.de", "Bad Berleburg"),
        (
            "Kommune geändert",
            "Person admin@x.de",
            "Universitätsstadt Siegen",
        ),
        ("Rolle vergeben", "helfer@x.de → participant", "Arnsberg"),
        ("Mitglied eingeladen", "Person koord@x.de", "Arnsberg"),
        (
            "Status einer Maßnahme geändert",
            "Person red@x.de",
            "Arnsberg",
        ),
        (
            "Meilenstein einer Maßnahme angelegt",
            "Person red@x.de",
            "Arnsberg",
        ),
        ("API-Token angelegt", "Person koord@x.de", "Arnsberg"),
        (
            "Status einer Maßnahme geändert (API)",
            "API-Token „Sensorplattform“",
            "Arnsberg",
        ),
    ] {
        let row = log
            .split("<tr data-entry=")
            .skip(1)
            .find(|row| row.contains(&format!("<td>{label}<")))
            .unwrap_or_else(|| panic!("no entry {label}"));
        assert!(row.contains(who), "{label}: by {who}: {row}");
        assert!(
            city.is_empty() || row.contains(city),
            "{label}: in {city}: {row}"
        );
    }
    assert!(!log.contains("Mehr Bänke"), "contributions are not logged");
    // Filters: city, person, text; a bad period is explained (422).
    let (_, f) = app
        .get_text(&admin, "/admin/protokoll?kommune=arnsberg&person=red%40x")
        .await;
    assert_eq!(f.matches("<tr data-entry=").count(), 3, "red in Arnsberg");
    let (_, f) = app.get_text(&admin, "/admin/protokoll?q=api-token").await;
    assert_eq!(f.matches("<tr data-entry=").count(), 1);
    let (s, f) = app
        .get_text(
            &admin,
            "/admin/protokoll?von_datum=2026-03-02&bis_datum=2026-03-01",
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(f.contains("Das Ende des Zeitraums liegt vor seinem Anfang."));
    // From yesterday, so that a run across midnight still finds every entry.
    let (yesterday, _) = domain::workshop::utc_to_local(store::now_secs() - 86_400);
    let (today, _) = domain::workshop::utc_to_local(store::now_secs());
    let (_, f) = app
        .get_text(
            &admin,
            &format!("/admin/protokoll?von_datum={yesterday}&bis_datum={today}"),
        )
        .await;
    assert_eq!(f.matches("<tr data-entry=").count(), 9, "all of the period");

    // The CSV: BOM, `;`, one row per entry (with the same filter).
    let r = app.get(&admin, "/admin/protokoll.csv").await;
    assert_eq!(r.status(), StatusCode::OK);
    let bytes = r.bytes().await.expect("csv");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "BOM");
    let text = String::from_utf8(bytes[3..].to_vec()).expect("utf-8");
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("Zeit;Person;E-Mail;"));
    assert_eq!(lines.len() as i64, 1 + logged, "a row per entry");
    assert!(text.contains("API-Token „Sensorplattform“;;"));
    let (_, csv) = app
        .get_text(&admin, "/admin/protokoll.csv?kommune=siegen")
        .await;
    assert_eq!(csv.lines().count(), 2, "Siegen's one entry");

    // The city's log: the coordination sees its own city only; others are refused.
    let (s, own) = app.get_text(&koord, "/kommunen/arnsberg/protokoll").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        own.matches("<tr data-entry=").count(),
        7,
        "Arnsberg's entries"
    );
    assert!(!own.contains("Universitätsstadt Siegen"));
    let (_, csv) = app
        .get_text(&koord, "/kommunen/arnsberg/protokoll.csv")
        .await;
    assert_eq!(csv.lines().count(), 8);
    for (c, path) in [
        (&koord_siegen, "/kommunen/arnsberg/protokoll"),
        (&koord_siegen, "/kommunen/arnsberg/protokoll.csv"),
        (&red, "/kommunen/arnsberg/protokoll"),
        (&red, "/admin/protokoll"),
        (&red, "/admin/protokoll.csv"),
        (&koord, "/admin/protokoll"),
    ] {
        assert_eq!(
            app.get(c, path).await.status(),
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    let r = app.get(&app.client(), "/admin/protokoll").await;
    assert!(location(&r).starts_with("/anmelden"));

    // The entry survives the anonymisation of the account that made it (name and e-mail are a snapshot).
    let sql = "UPDATE users SET display_name = 'Gelöscht', email = 'geloescht@invalid' WHERE email = 'red@x.de'";
    match app.db.pool() {
        store::Pool::Sqlite(p) => sqlx::query(sql).execute(p).await.map(|_| ()),
        store::Pool::Postgres(p) => sqlx::query(sql).execute(p).await.map(|_| ()),
    }
    .expect("anonymise account");
    let (_, log) = app.get_text(&admin, "/admin/protokoll?person=red").await;
    assert_eq!(
        log.matches("<tr data-entry=").count(),
        3,
        "kept after anonymisation"
    );

    // A new slug: the entry names the city (which its old path no longer finds) and the change of address.
    let renamed = [
        ("slug", "berleburg"),
        ("name", "Bad Berleburg"),
        ("ags", "05966004"),
        ("population", "19412"),
        ("state", "05"),
    ];
    let r = app
        .post_form(&admin, "/admin/kommunen/bad-berleburg/bearbeiten", &renamed)
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "slug changed");
    let (_, csv) = app
        .get_text(&admin, "/admin/protokoll.csv?kommune=berleburg")
        .await;
    assert_eq!(csv.lines().count(), 3, "created and renamed: {csv}");
    assert!(csv.contains("bad-berleburg → berleburg"), "{csv}");
}

//! Platform basics: health, metrics, OpenAPI, migrations, demo data, headers, error pages, language,
//! legal pages.

use crate::case;
use crate::harness::{Backend, Case, Needs, TestApp, fresh_db, location};
use reqwest::StatusCode;

pub fn cases() -> Vec<Case> {
    vec![
        case!(
            migrations_are_identical_on_both_databases,
            Needs::BothDatabases
        ),
        case!(healthz_metrics_and_openapi),
        case!(healthz_answers_503_when_the_database_is_gone),
        case!(demo_data_loads_once_and_twice_changes_nothing),
        case!(security_headers_and_cookie_flags),
        case!(hsts_and_secure_cookies_behind_tls),
        case!(friendly_error_pages_leak_nothing),
        case!(internal_errors_show_a_friendly_page_without_details),
        case!(language_switch_to_english_and_back),
        case!(legal_pages_are_editable_and_sanitised),
    ]
}

async fn migrations_are_identical_on_both_databases(app: TestApp) {
    let tmp = tempfile::tempdir().expect("tmp");
    let (sqlite, _) = fresh_db(Backend::Sqlite, &app.pg_url, tmp.path()).await;
    let lite = sqlite.schema_columns().await.expect("sqlite schema");
    let pg = app.db.schema_columns().await.expect("postgres schema");
    assert!(
        lite.len() > 40,
        "expected the foundation tables, got {lite:?}"
    );
    assert_eq!(
        lite, pg,
        "migrations/sqlite and migrations/postgres drifted apart"
    );
    let dirs = |sub: &str| -> Vec<String> {
        let mut v: Vec<String> =
            std::fs::read_dir(crate::harness::repo_root().join("migrations").join(sub))
                .expect("migrations dir")
                .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().to_string()))
                .collect();
        v.sort();
        v
    };
    assert_eq!(
        dirs("sqlite"),
        dirs("postgres"),
        "migration file names differ"
    );
}

async fn healthz_metrics_and_openapi(app: TestApp) {
    let c = app.client();
    let (s, body) = app.get_text(&c, "/healthz").await;
    assert_eq!((s, body.as_str()), (StatusCode::OK, "ok"));
    app.get(&c, "/kommunen/gibt-es-nicht").await;
    let (s, metrics) = app.get_text(&c, "/metrics").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        metrics.contains(
            r#"werkstatt_http_requests_total{method="GET",route="/healthz",status="200"} 1"#
        ),
        "{metrics}"
    );
    assert!(
        metrics.contains(r#"route="/kommunen/{slug}",status="404""#),
        "{metrics}"
    );
    assert!(
        metrics.contains("werkstatt_http_request_duration_seconds_bucket"),
        "{metrics}"
    );
    let r = app.get(&c, "/api/openapi.json").await;
    assert_eq!(r.status(), StatusCode::OK);
    let doc: serde_json::Value = r.json().await.expect("json");
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")));
    let list = &doc["paths"]["/api/v1/municipalities"]["get"];
    assert!(
        list["responses"]["200"].is_object() && list["responses"]["400"].is_object(),
        "{list}"
    );
    let props = &doc["components"]["schemas"]["MunicipalityDto"]["properties"];
    for f in ["slug", "name", "ags", "population", "size_class"] {
        assert!(props[f].is_object(), "MunicipalityDto lacks {f}: {props}");
    }
}

async fn healthz_answers_503_when_the_database_is_gone(app: TestApp) {
    let c = app.client();
    assert_eq!(app.get(&c, "/healthz").await.status(), StatusCode::OK);
    app.db.close().await;
    assert_eq!(
        app.get(&c, "/healthz").await.status(),
        StatusCode::SERVICE_UNAVAILABLE
    );
    let (s, body) = app.get_text(&c, "/").await;
    assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE);
    assert!(body.contains("Vorübergehend nicht erreichbar"), "{body}");
}

async fn dump(app: &TestApp) -> Vec<String> {
    let mut out = Vec::new();
    for m in store::municipalities::list(&app.db).await.expect("list") {
        out.push(format!("{m:?}"));
    }
    for u in store::users::list(&app.db).await.expect("users") {
        out.push(format!(
            "{} {} {:?}",
            u.email, u.display_name, u.network_role
        ));
    }
    for (uid, m) in store::users::all_memberships(&app.db)
        .await
        .expect("memberships")
    {
        out.push(format!("{uid} {m:?}"));
    }
    out.push(format!(
        "{:?}",
        store::network::name(&app.db).await.expect("network")
    ));
    out
}

async fn demo_data_loads_once_and_twice_changes_nothing(app: TestApp) {
    let accounts = web::demo::load(&app.db).await.expect("demo");
    assert_eq!(
        accounts.len(),
        11,
        "admin, steering and three roles in three cities"
    );
    let first = dump(&app).await;
    let hashes: Vec<Option<String>> = store::users::list(&app.db)
        .await
        .expect("users")
        .into_iter()
        .map(|u| u.password_hash)
        .collect();
    web::demo::load(&app.db).await.expect("demo again");
    assert_eq!(first, dump(&app).await);
    let again: Vec<Option<String>> = store::users::list(&app.db)
        .await
        .expect("users")
        .into_iter()
        .map(|u| u.password_hash)
        .collect();
    assert_eq!(hashes, again, "password hashes must not be rewritten");
    let classes: Vec<(String, &str)> = store::municipalities::list(&app.db)
        .await
        .expect("list")
        .into_iter()
        .map(|m| (m.ags.clone(), m.size_class().as_str()))
        .collect();
    assert_eq!(
        classes,
        vec![
            ("05958004".to_string(), "mittelstadt"),
            ("05970040".to_string(), "grossstadt"),
            ("05370036".to_string(), "kleinstadt")
        ]
    );
    let c = app.client();
    let (_, home) = app.get_text(&c, "/").await;
    for name in [
        "Arnsberg",
        "Siegen",
        "Wassenberg",
        "Mittelstadt",
        "Großstadt",
        "Kleinstadt",
        "Netzwerk Innenstadt NRW",
    ] {
        assert!(home.contains(name), "start page lacks {name}");
    }
    // Every demo account can log in with the printed password.
    let c = app.client();
    let r = app
        .post_form(
            &c,
            "/anmelden",
            &[
                ("email", "koordination.siegen@werkstatt.demo"),
                ("password", web::demo::DEMO_PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
}

async fn security_headers_and_cookie_flags(app: TestApp) {
    app.user("a@x.de", Some("admin"), &[]).await;
    let c = app.client();
    let r = app.get(&c, "/").await;
    let h = r.headers();
    let csp = h["content-security-policy"].to_str().expect("csp");
    assert!(
        !csp.contains("unsafe-inline")
            && csp.contains("frame-ancestors 'none'")
            && csp.contains("default-src 'self'")
    );
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["x-frame-options"], "DENY");
    assert!(
        h.get("strict-transport-security").is_none(),
        "no HSTS over plain http"
    );
    let set_cookie: Vec<String> = h
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap_or("").to_string())
        .collect();
    let csrf = set_cookie
        .iter()
        .find(|c| c.starts_with("wk_csrf="))
        .expect("csrf cookie");
    assert!(
        csrf.contains("HttpOnly") && csrf.contains("SameSite=Lax") && !csrf.contains("Secure"),
        "{csrf}"
    );
    let r = app
        .post_form(
            &c,
            "/anmelden",
            &[("email", "a@x.de"), ("password", crate::harness::PASSWORD)],
        )
        .await;
    let session = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap_or("").to_string())
        .find(|c| c.starts_with("wk_session="))
        .expect("session cookie");
    assert!(
        session.contains("HttpOnly") && session.contains("SameSite=Lax"),
        "{session}"
    );
    assert_eq!(
        app.get(&c, "/static/app.css").await.headers()["content-type"],
        "text/css; charset=utf-8"
    );
}

async fn hsts_and_secure_cookies_behind_tls(app: TestApp) {
    let tls = TestApp::spawn_with(app.backend, &app.pg_url, |c| {
        c.base_url = "https://werkstatt.example.org".into()
    })
    .await;
    let r = tls.get(&tls.client(), "/").await;
    assert!(
        r.headers()["strict-transport-security"]
            .to_str()
            .expect("hsts")
            .contains("max-age=")
    );
    let csrf = r.headers()["set-cookie"].to_str().expect("cookie");
    assert!(csrf.contains("Secure"), "{csrf}");
}

async fn friendly_error_pages_leak_nothing(app: TestApp) {
    let c = app.client();
    let (s, body) = app.get_text(&c, "/gibt/es/nicht").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(
        body.contains("Seite nicht gefunden") && body.contains("href=\"/\""),
        "{body}"
    );
    let (s, _) = app.get_text(&c, "/kommunen/nirgendwo").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    app.user("p@x.de", None, &[]).await;
    let c = app.login("p@x.de").await;
    let (s, body) = app.get_text(&c, "/admin/kommunen").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert!(body.contains("Kein Zugriff"));
    assert!(
        !body.contains("Permission") && !body.contains("ManageMunicipalities"),
        "internal names leaked"
    );
    let r = app.get(&c, "/api/v1/nichts").await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let j: serde_json::Value = r.json().await.expect("json 404 for the API");
    assert_eq!(j["error"], "notfound");
}

async fn language_switch_to_english_and_back(app: TestApp) {
    let c = app.client();
    let (_, body) = app.get_text(&c, "/anmelden").await;
    assert!(body.contains(r#"<html lang="de">"#) && body.contains("Passwort vergessen?"));
    let r = app
        .post_form(&c, "/sprache", &[("lang", "en"), ("back", "/anmelden")])
        .await;
    assert_eq!(
        (r.status(), location(&r)),
        (StatusCode::SEE_OTHER, "/anmelden".to_string())
    );
    let (_, body) = app.get_text(&c, "/anmelden").await;
    assert!(
        body.contains(r#"<html lang="en">"#) && body.contains("Forgot your password?"),
        "{body}"
    );
    let (_, body) = app.get_text(&c, "/nope").await;
    assert!(body.contains("Page not found"));
    // An off-site "back" is not followed.
    let r = app
        .post_form(
            &c,
            "/sprache",
            &[("lang", "de"), ("back", "https://evil.example")],
        )
        .await;
    assert_eq!(location(&r), "/");
    let (_, body) = app.get_text(&c, "/anmelden").await;
    assert!(body.contains(r#"<html lang="de">"#));
}

async fn legal_pages_are_editable_and_sanitised(app: TestApp) {
    let c = app.client();
    for (path, title) in [
        ("/impressum", "Impressum"),
        ("/datenschutz", "Datenschutzerklärung"),
        ("/barrierefreiheit", "Erklärung zur Barrierefreiheit"),
    ] {
        let (s, body) = app.get_text(&c, path).await;
        assert_eq!(s, StatusCode::OK);
        assert!(body.contains(&format!("<h1>{title}</h1>")), "{path}");
    }
    let (_, body) = app.get_text(&c, "/barrierefreiheit").await;
    assert!(
        body.contains("Feedback und Kontakt"),
        "the statement needs a feedback contact"
    );
    app.user("admin@x.de", Some("admin"), &[]).await;
    let admin = app.login("admin@x.de").await;
    let r = app
        .post_form(&admin, "/admin/seiten/impressum", &[("title", "Impressum"), ("body_md", "**Stadt Musterhausen**\n\n<script>alert(1)</script><a href=\"javascript:x()\">x</a>")])
        .await;
    assert_eq!(
        (r.status(), location(&r)),
        (StatusCode::SEE_OTHER, "/impressum".to_string())
    );
    let (_, body) = app.get_text(&c, "/impressum").await;
    assert!(body.contains("<strong>Stadt Musterhausen</strong>"));
    assert!(
        !body.contains("<script>alert") && !body.contains("javascript:x()"),
        "{body}"
    );
    let r = app
        .post_form(
            &admin,
            "/admin/seiten/impressum",
            &[("title", ""), ("body_md", "")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let (_, body) = app.get_text(&c, "/impressum").await;
    assert!(
        body.contains("Stadt Musterhausen"),
        "a failed save changes nothing"
    );
    assert_eq!(
        app.get(&admin, "/admin/seiten/unbekannt").await.status(),
        StatusCode::NOT_FOUND
    );
}

async fn internal_errors_show_a_friendly_page_without_details(app: TestApp) {
    let sql = "DROP TABLE pages";
    match app.db.pool() {
        store::Pool::Sqlite(p) => sqlx::query(sql).execute(p).await.map(|_| ()).expect("drop"),
        store::Pool::Postgres(p) => sqlx::query(sql).execute(p).await.map(|_| ()).expect("drop"),
    }
    let (s, body) = app.get_text(&app.client(), "/impressum").await;
    assert_eq!(s, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(body.contains("Ein Fehler ist aufgetreten"), "{body}");
    assert!(
        !body.to_lowercase().contains("pages")
            && !body.contains("relation")
            && !body.contains("no such table"),
        "{body}"
    );
    assert_eq!(
        app.get(&app.client(), "/healthz").await.status(),
        StatusCode::OK,
        "the server keeps running"
    );
}

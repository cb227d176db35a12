//! Municipalities: the admin creates and edits them, validation keeps bad input out, the start page and
//! the API show them.

use crate::case;
use crate::harness::{Case, TestApp, location};
use reqwest::StatusCode;

pub fn cases() -> Vec<Case> {
    vec![
        case!(admin_creates_a_municipality_that_appears_everywhere),
        case!(bad_municipality_input_is_explained_and_changes_nothing),
        case!(duplicate_slug_and_ags_are_refused),
        case!(admin_edits_a_municipality),
        case!(api_lists_filters_pages_and_explains_bad_parameters),
    ]
}

fn form<'a>(
    slug: &'a str,
    name: &'a str,
    ags: &'a str,
    population: &'a str,
    state: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("slug", slug),
        ("name", name),
        ("ags", ags),
        ("population", population),
        ("state", state),
    ]
}

async fn admin_creates_a_municipality_that_appears_everywhere(app: TestApp) {
    app.user("admin@x.de", Some("admin"), &[]).await;
    let admin = app.login("admin@x.de").await;
    let (s, page) = app.get_text(&admin, "/admin/kommunen/neu").await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains(r#"<label for="f-ags">"#));
    let r = app
        .post_form(
            &admin,
            "/admin/kommunen/neu",
            &form("bad-berleburg", "Bad Berleburg", "05966004", "19.412", "05"),
        )
        .await;
    assert_eq!(
        (r.status(), location(&r)),
        (
            StatusCode::SEE_OTHER,
            "/admin/kommunen?ok=created".to_string()
        )
    );
    let (_, list) = app.get_text(&admin, "/admin/kommunen?ok=created").await;
    assert!(list.contains("Die Kommune wurde angelegt.") && list.contains("Bad Berleburg"));
    let public = app.client();
    let (_, home) = app.get_text(&public, "/").await;
    assert!(
        home.contains(r#"<a href="/kommunen/bad-berleburg">Bad Berleburg</a>"#)
            && home.contains("Kleinstadt"),
        "{home}"
    );
    let (s, city) = app.get_text(&public, "/kommunen/bad-berleburg").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        city.contains("<h1>Bad Berleburg</h1>")
            && city.contains("19.412")
            && city.contains("Nordrhein-Westfalen")
    );
    for section in ["Smart-City-Definition", "Handlungsfelder", "Maßnahmen"] {
        assert!(
            city.contains(section),
            "city page lacks the section {section}"
        );
    }
    let j: serde_json::Value = app
        .get(&public, "/api/v1/municipalities/bad-berleburg")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(j["size_class"], "kleinstadt");
    assert_eq!(j["population"], 19412);
}

async fn bad_municipality_input_is_explained_and_changes_nothing(app: TestApp) {
    app.user("admin@x.de", Some("admin"), &[]).await;
    let admin = app.login("admin@x.de").await;
    let before = app.count("municipalities").await;
    let r = app
        .post_form(
            &admin,
            "/admin/kommunen/neu",
            &form("Bad Stadt", "", "0596600", "viele", ""),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.expect("body");
    assert!(
        body.contains(r#"class="error-summary""#),
        "error summary at the top"
    );
    for field in ["slug", "name", "ags", "population", "state"] {
        assert!(
            body.contains(&format!(r##"<a href="#f-{field}">"##)),
            "summary links to {field}"
        );
        assert!(
            body.contains(&format!(r#"id="f-{field}-error""#)),
            "message at {field}"
        );
    }
    assert!(body.contains("genau 8 Ziffern"), "German AGS message");
    assert!(
        body.contains(r#"value="0596600""#) && body.contains(r#"value="Bad Stadt""#),
        "entered values are kept"
    );
    assert!(body.contains(r#"aria-invalid="true""#));
    // AGS of another state than chosen.
    let r = app
        .post_form(
            &admin,
            "/admin/kommunen/neu",
            &form("muenchen", "München", "09162000", "1500000", "05"),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("gehört nicht zum gewählten Bundesland")
    );
    // Population out of range.
    let r = app
        .post_form(
            &admin,
            "/admin/kommunen/neu",
            &form("x-stadt", "X", "05966004", "0", "05"),
        )
        .await;
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("zwischen 1 und 20.000.000")
    );
    assert_eq!(
        app.count("municipalities").await,
        before,
        "nothing was stored"
    );
}

async fn duplicate_slug_and_ags_are_refused(app: TestApp) {
    app.municipality("arnsberg", "Arnsberg", "05958004", 73_456)
        .await;
    app.user("admin@x.de", Some("admin"), &[]).await;
    let admin = app.login("admin@x.de").await;
    let r = app
        .post_form(
            &admin,
            "/admin/kommunen/neu",
            &form("arnsberg", "Arnsberg 2", "05958005", "1000", "05"),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("Kurzname ist bereits vergeben")
    );
    let r = app
        .post_form(
            &admin,
            "/admin/kommunen/neu",
            &form("arnsberg-2", "Arnsberg 2", "05958004", "1000", "05"),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("diesem Gemeindeschlüssel gibt es bereits")
    );
    assert_eq!(app.count("municipalities").await, 1);
}

async fn admin_edits_a_municipality(app: TestApp) {
    app.municipality("arnsberg", "Arnsberg", "05958004", 73_456)
        .await;
    app.municipality("siegen", "Siegen", "05970040", 101_943)
        .await;
    app.user("admin@x.de", Some("admin"), &[]).await;
    let admin = app.login("admin@x.de").await;
    let (_, page) = app
        .get_text(&admin, "/admin/kommunen/arnsberg/bearbeiten")
        .await;
    assert!(
        page.contains(r#"value="05958004""#) && page.contains(r#"<option value="05" selected>"#)
    );
    let r = app
        .post_form(
            &admin,
            "/admin/kommunen/arnsberg/bearbeiten",
            &form("arnsberg", "Stadt Arnsberg", "05958004", "120000", "05"),
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let m = store::municipalities::by_slug(&app.db, "arnsberg")
        .await
        .expect("m");
    assert_eq!(
        (m.name.as_str(), m.size_class().as_str()),
        ("Stadt Arnsberg", "grossstadt")
    );
    // Taking Siegen's AGS is refused and changes nothing.
    let r = app
        .post_form(
            &admin,
            "/admin/kommunen/arnsberg/bearbeiten",
            &form("arnsberg", "X", "05970040", "1", "05"),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        store::municipalities::by_slug(&app.db, "arnsberg")
            .await
            .expect("m")
            .name,
        "Stadt Arnsberg"
    );
    assert_eq!(
        app.get(&admin, "/admin/kommunen/nirgendwo/bearbeiten")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

async fn api_lists_filters_pages_and_explains_bad_parameters(app: TestApp) {
    app.municipality("arnsberg", "Arnsberg", "05958004", 73_456)
        .await;
    app.municipality("siegen", "Siegen", "05970040", 101_943)
        .await;
    app.municipality("wassenberg", "Wassenberg", "05370036", 18_235)
        .await;
    let c = app.client();
    let j: serde_json::Value = app
        .get(&c, "/api/v1/municipalities")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(j["total"], 3);
    let first = &j["items"][0];
    assert_eq!(first["slug"], "arnsberg");
    assert_eq!(first["name"], "Arnsberg");
    assert_eq!(first["ags"], "05958004");
    assert_eq!(first["population"], 73456);
    assert_eq!(first["size_class"], "mittelstadt");
    let j: serde_json::Value = app
        .get(&c, "/api/v1/municipalities?size_class=grossstadt")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        (j["total"].as_i64(), j["items"][0]["slug"].as_str()),
        (Some(1), Some("siegen"))
    );
    let j: serde_json::Value = app
        .get(&c, "/api/v1/municipalities?per_page=1&page=3")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        (j["total"].as_i64(), j["items"].as_array().map(Vec::len)),
        (Some(3), Some(1))
    );
    assert_eq!(j["items"][0]["slug"], "wassenberg");
    let r = app
        .get(
            &c,
            "/api/v1/municipalities?per_page=0&size_class=dorf&page=x",
        )
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let e: serde_json::Value = r.json().await.expect("json");
    assert_eq!(e["error"], "validation");
    let fields: Vec<&str> = e["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .filter_map(|f| f["field"].as_str())
        .collect();
    assert_eq!(fields, vec!["size_class", "page", "per_page"]);
    assert!(
        e["fields"][2]["message"]
            .as_str()
            .is_some_and(|m| m.contains("range"))
    );
    let r = app.get(&c, "/api/v1/municipalities/nirgendwo").await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        r.json::<serde_json::Value>().await.expect("json")["error"],
        "not_found"
    );
}

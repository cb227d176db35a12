//! The page cache for anonymous visitors (ADR 0021): a hit is never older than the database, whoever wrote
//! last, and a cached page carries the visitor's own CSRF token.

use crate::case;
use crate::harness::{Case, TestApp, csrf_from};
use crate::strategy::measure;
use domain::visibility::Visibility;
use reqwest::Client;

pub fn cases() -> Vec<Case> {
    vec![
        case!(anonymous_pages_are_served_from_memory_with_the_visitors_own_token),
        case!(any_write_to_the_database_makes_the_next_view_fresh),
        case!(logged_in_and_participant_views_are_never_cached),
    ]
}

async fn view(app: &TestApp, c: &Client, path: &str) -> (String, String) {
    let r = c.get(app.url(path)).send().await.expect("get");
    assert_eq!(r.status(), 200, "{path}");
    let cache = r
        .headers()
        .get(web::pagecache::CACHE_HEADER)
        .map(|v| v.to_str().expect("ascii").to_owned())
        .unwrap_or_default();
    (cache, r.text().await.expect("body"))
}

/// View `path` until it comes from the cache. On PostgreSQL the cases of other tests write into the same
/// database server at the same time, and every commit anywhere changes the snapshot (a miss, never a stale
/// hit); between two of them a view is a hit.
async fn hit(app: &TestApp, c: &Client, path: &str) -> String {
    for _ in 0..200 {
        let (cache, body) = view(app, c, path).await;
        if cache == "hit" {
            return body;
        }
    }
    panic!("{path} never came from the cache");
}

async fn exec(app: &TestApp, sql: &str) {
    let sql = sqlx::AssertSqlSafe(sql.to_owned());
    match app.db.pool() {
        store::Pool::Sqlite(p) => {
            sqlx::query(sql).execute(p).await.expect("sql");
        }
        store::Pool::Postgres(p) => {
            sqlx::query(sql).execute(p).await.expect("sql");
        }
    }
}

async fn anonymous_pages_are_served_from_memory_with_the_visitors_own_token(app: TestApp) {
    let id = app
        .municipality("lippstadt", "Lippstadt", "05974028", 68_000)
        .await;
    measure(
        &app,
        id,
        "Öffentliche Sensorik",
        Visibility::Oeffentlich,
        "idee",
    )
    .await;
    let path = "/kommunen/lippstadt";

    let first = app.client();
    let (c1, body1) = view(&app, &first, path).await;
    assert_eq!(c1, "miss", "the first view renders");
    assert!(body1.contains("Öffentliche Sensorik"));
    let body2 = hit(&app, &first, path).await;
    assert_eq!(body1, body2, "same visitor, same page, same token");

    // Another visitor gets the cached page with their own token, never the first visitor's.
    let second = app.client();
    let body3 = hit(&app, &second, path).await;
    let t1 = csrf_from(&body1);
    let t3 = csrf_from(&body3);
    assert_ne!(t1, t3, "each visitor has a token of their own");
    assert!(!body3.contains(&t1), "the first visitor's token leaked");
    assert_eq!(body1.replace(&t1, "TOKEN"), body3.replace(&t3, "TOKEN"));
    // The token in the cached page is the one the visitor's cookie holds: the language switch works.
    let r = second
        .post(app.url("/sprache"))
        .form(&[("_csrf", t3.as_str()), ("lang", "en"), ("back", path)])
        .send()
        .await
        .expect("post");
    assert!(
        r.status().is_success() || r.status().is_redirection(),
        "language switch with the cached page's token: {}",
        r.status()
    );
    let (_, english) = view(&app, &second, path).await;
    assert!(
        english.contains("<html lang=\"en\""),
        "the language is part of the key"
    );
    let (_, german) = view(&app, &first, path).await;
    assert!(german.contains("<html lang=\"de\""));
}

async fn any_write_to_the_database_makes_the_next_view_fresh(app: TestApp) {
    let id = app.municipality("soest", "Soest", "05974040", 47_000).await;
    let m = measure(
        &app,
        id,
        "Sichtbare Parkraumsensorik",
        Visibility::Oeffentlich,
        "idee",
    )
    .await;
    let path = "/kommunen/soest";
    let c = app.client();
    hit(&app, &c, path).await;

    // A write that bypasses this node's HTTP layer entirely: straight into the database.
    exec(
        &app,
        &format!("UPDATE measures SET visibility = 'intern' WHERE id = {m}"),
    )
    .await;
    let (cache, body) = view(&app, &c, path).await;
    assert_eq!(cache, "miss", "the database changed");
    assert!(
        !body.contains("Sichtbare Parkraumsensorik"),
        "an internal measure must vanish from the public page at once"
    );

    // A write through another node.
    let node_b = app.second_node().await;
    hit(&app, &c, path).await;
    exec(
        &node_b,
        "UPDATE municipalities SET name = 'Soest an der Börde' WHERE slug = 'soest'",
    )
    .await;
    let (cache, body) = view(&app, &c, path).await;
    assert_eq!(cache, "miss");
    assert!(body.contains("Soest an der Börde"));
}

async fn logged_in_and_participant_views_are_never_cached(app: TestApp) {
    let id = app.municipality("unna", "Unna", "05978036", 58_000).await;
    measure(&app, id, "Interne Planung", Visibility::Intern, "idee").await;
    app.user("redaktion@unna.test", None, &[("unna", "editor")])
        .await;
    let path = "/kommunen/unna";
    let anon = app.client();
    let anon_body = hit(&app, &anon, path).await;
    assert!(!anon_body.contains("Interne Planung"));

    let editor = app.login("redaktion@unna.test").await;
    for _ in 0..2 {
        let (cache, body) = view(&app, &editor, path).await;
        assert_eq!(
            cache, "",
            "a logged-in view is neither served from nor put into the cache"
        );
        assert!(
            body.contains("Interne Planung"),
            "the editor sees the internal measure"
        );
    }
    // After the editor's views, anonymous visitors still get the anonymous page.
    let (_, again) = view(&app, &app.client(), path).await;
    assert!(!again.contains("Interne Planung"));

    // Any other cookie (a guest participant, a board guest) bypasses the cache.
    let r = app
        .client()
        .get(app.url(path))
        .header("cookie", "wk_part=abc")
        .send()
        .await
        .expect("get");
    assert!(r.headers().get(web::pagecache::CACHE_HEADER).is_none());
}

//! Passwords and tokens are stored only as hashes: after an account has been made through an invitation (with
//! a known password), has logged in, asked for a password reset, created an API token, and a guest has joined
//! a participation format, no text or binary column of any table holds the password or any of those tokens
//! in plain text — not even the mail queue once the mails are out.

use crate::case;
use crate::harness::{Case, TestApp, link_in, location};
use reqwest::cookie::{CookieStore, Jar};
use reqwest::{Client, StatusCode, redirect};
use std::sync::Arc;

pub fn cases() -> Vec<Case> {
    vec![case!(passwords_and_tokens_are_stored_only_as_hashes)]
}

const NEW_PASSWORD: &str = "Klartext-Passwort-4711!";
const RESET_PASSWORD: &str = "Zweites-Klartext-Passwort-0815";

/// A browser whose cookies the test can read.
fn client_with_jar() -> (Client, Arc<Jar>) {
    let jar = Arc::new(Jar::default());
    let c = Client::builder()
        .cookie_provider(jar.clone())
        .redirect(redirect::Policy::none())
        .build()
        .expect("client");
    (c, jar)
}

fn cookie(app: &TestApp, jar: &Jar, name: &str) -> String {
    let url = reqwest::Url::parse(&app.base).expect("url");
    let header = jar.cookies(&url).expect("cookies set");
    header
        .to_str()
        .expect("ascii")
        .split("; ")
        .find_map(|kv| kv.strip_prefix(&format!("{name}=")))
        .unwrap_or_else(|| panic!("no cookie {name}"))
        .to_string()
}

/// Every table of the schema with its columns, each marked whether it is binary (PostgreSQL `bytea`).
async fn tables(app: &TestApp) -> Vec<(String, Vec<(String, bool)>)> {
    let mut out = Vec::new();
    match app.db.pool() {
        store::Pool::Sqlite(p) => {
            let names: Vec<String> = sqlx::query_scalar(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
            )
            .fetch_all(p)
            .await
            .expect("tables");
            for t in names {
                let cols: Vec<String> =
                    sqlx::query_scalar("SELECT name FROM pragma_table_info($1)")
                        .bind(&t)
                        .fetch_all(p)
                        .await
                        .expect("columns");
                out.push((t, cols.into_iter().map(|c| (c, false)).collect()));
            }
        }
        store::Pool::Postgres(p) => {
            let names: Vec<String> = sqlx::query_scalar(
                "SELECT table_name::text FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
            )
            .fetch_all(p)
            .await
            .expect("tables");
            for t in names {
                let cols: Vec<(String, String)> = sqlx::query_as(
                    "SELECT column_name::text, data_type::text FROM information_schema.columns \
                     WHERE table_schema = current_schema() AND table_name = $1",
                )
                .bind(&t)
                .fetch_all(p)
                .await
                .expect("columns");
                out.push((
                    t,
                    cols.into_iter().map(|(c, ty)| (c, ty == "bytea")).collect(),
                ));
            }
        }
    }
    out
}

/// Every value of one column, as bytes (text as UTF-8, blobs as they are, other types as their text).
async fn values(app: &TestApp, table: &str, column: &str, binary: bool) -> Vec<Vec<u8>> {
    let rows: Vec<Option<Vec<u8>>> = match app.db.pool() {
        store::Pool::Sqlite(p) => {
            let sql = format!("SELECT CAST(\"{column}\" AS BLOB) FROM \"{table}\"");
            sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                .fetch_all(p)
                .await
                .expect("read column")
        }
        store::Pool::Postgres(p) => {
            let value = if binary {
                format!("\"{column}\"")
            } else {
                format!("convert_to(\"{column}\"::text, 'UTF8')")
            };
            let sql = format!("SELECT {value} FROM \"{table}\"");
            sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                .fetch_all(p)
                .await
                .expect("read column")
        }
    };
    rows.into_iter().flatten().collect()
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

async fn passwords_and_tokens_are_stored_only_as_hashes(app: TestApp) {
    app.municipality("arnsberg", "Arnsberg", "05958004", 73_456)
        .await;
    app.user("admin@x.de", Some("admin"), &[]).await;
    app.user("koord@x.de", None, &[("arnsberg", "coordinator")])
        .await;
    app.user("red@x.de", None, &[("arnsberg", "editor")]).await;
    let admin = app.login("admin@x.de").await;
    let mut secrets: Vec<(&str, String)> = vec![
        ("password", NEW_PASSWORD.to_string()),
        ("reset password", RESET_PASSWORD.to_string()),
    ];

    // An invitation, accepted with a known password.
    let r = app
        .post_form(
            &admin,
            "/admin/benutzer/einladen",
            &[
                ("email", "neu@x.de"),
                ("grant", "city:editor"),
                ("municipality", "arnsberg"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "invited");
    let invitation = link_in(&app.wait_for_mail("neu@x.de", 1).await, "/einladung/");
    secrets.push((
        "invitation token",
        invitation.trim_start_matches("/einladung/").to_string(),
    ));
    let r = app
        .post_form(
            &app.client(),
            &invitation,
            &[
                ("display_name", "Neue Person"),
                ("password", NEW_PASSWORD),
                ("password_confirm", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "invitation accepted");

    // A session of that account.
    let (c, jar) = client_with_jar();
    let r = app
        .post_form(
            &c,
            "/anmelden",
            &[
                ("email", "neu@x.de"),
                ("password", NEW_PASSWORD),
                ("next", "/"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "login");
    secrets.push(("session cookie", cookie(&app, &jar, "wk_session")));
    let (s, _) = app.get_text(&c, "/konto").await;
    assert_eq!(s, StatusCode::OK, "the session works");

    // A password reset link, used.
    let anon = app.client();
    let r = app
        .post_form(&anon, "/passwort-vergessen", &[("email", "neu@x.de")])
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let reset = link_in(&app.wait_for_mail("neu@x.de", 2).await, "/passwort-neu/");
    secrets.push((
        "reset token",
        reset.trim_start_matches("/passwort-neu/").to_string(),
    ));
    let r = app
        .post_form(
            &anon,
            &reset,
            &[
                ("password", RESET_PASSWORD),
                ("password_confirm", RESET_PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "password reset");
    // A second reset link, left unused (its hash waits in the table).
    app.post_form(&anon, "/passwort-vergessen", &[("email", "neu@x.de")])
        .await;
    let unused = link_in(&app.wait_for_mail("neu@x.de", 3).await, "/passwort-neu/");
    secrets.push((
        "unused reset token",
        unused.trim_start_matches("/passwort-neu/").to_string(),
    ));

    // An API token.
    let koord = app.login("koord@x.de").await;
    let r = app
        .post_form(
            &koord,
            "/kommunen/arnsberg/schnittstellen",
            &[("name", "Dashboard"), ("scopes", "progress:write")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK, "token created");
    let page = r.text().await.expect("page");
    let token = regex::Regex::new(r#"id="token-secret"[^>]*value="(wkt_[0-9a-f]{64})""#)
        .expect("regex")
        .captures(&page)
        .map(|c| c[1].to_string())
        .expect("token shown once");
    let r = reqwest::Client::new()
        .get(app.url("/api/v1/municipalities"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("GET");
    assert_eq!(r.status(), StatusCode::OK);
    secrets.push(("API token", token));

    // A guest of a participation format (its browser token).
    let (_, _, path) = crate::participation::format(&app, "umfrage", "gast", &[]).await;
    let (g, gjar) = client_with_jar();
    let r = app
        .post_form(&g, &format!("{path}/teilnehmen"), &[("consent", "on")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "guest joins");
    assert!(location(&r).ends_with("?ok=joined"));
    secrets.push(("guest token", cookie(&app, &gjar, "wk_part")));

    // The mails have gone out (their bodies held the links until then).
    let start = std::time::Instant::now();
    while store::mail::pending_count(&app.db).await.expect("pending") > 0 {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(15),
            "mail queue not empty"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }

    // The records exist — as hashes.
    for table in [
        "users",
        "sessions",
        "invitations",
        "password_resets",
        "api_tokens",
        "participants",
    ] {
        assert!(app.count(table).await > 0, "{table} is empty");
    }
    let tables = tables(&app).await;
    assert!(tables.len() > 40, "only {} tables", tables.len());
    let mut cells = 0usize;
    let mut argon2 = 0usize;
    for (table, columns) in &tables {
        for (column, binary) in columns {
            for v in values(&app, table, column, *binary).await {
                cells += 1;
                if contains(&v, "$argon2id$") {
                    argon2 += 1;
                }
                for (what, secret) in &secrets {
                    assert!(
                        !contains(&v, secret),
                        "{table}.{column} holds the {what} in plain text"
                    );
                }
            }
        }
    }
    assert!(cells > 500, "only {cells} values read");
    assert!(
        argon2 >= 3,
        "the password hashes were not among the values read"
    );
}

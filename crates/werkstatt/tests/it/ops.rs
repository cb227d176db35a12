//! Operations: backup under write load and restore, migrate-db with a table-by-table comparison, the
//! configuration check at start, graceful shutdown and structured logs without secrets — all through the
//! real binary.

use crate::case;
use crate::child::Node;
use crate::harness::{Backend, Case, PASSWORD, TestApp, fresh_db, link_in};
use reqwest::{Client, StatusCode};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use store::Db;
use store::transfer::{self, Value};

pub fn cases() -> Vec<Case> {
    vec![
        case!(backup_under_write_load_restores_a_consistent_copy),
        case!(migrate_db_copies_every_table_and_the_copy_serves),
        case!(a_bad_configuration_stops_the_start_naming_the_setting),
        case!(graceful_shutdown_finishes_requests_in_flight),
        case!(json_logs_carry_request_id_and_city_but_no_secrets),
        case!(the_server_allocates_through_jemalloc_with_its_settings),
    ]
}

const BIN: &str = env!("CARGO_BIN_EXE_werkstatt");

/// The URL a child process gets for `db` (the test's SQLite file, or its PostgreSQL schema).
async fn url_of(app: &TestApp, db: &Db, sqlite_file: &Path) -> String {
    match db.pool() {
        store::Pool::Sqlite(_) => format!("sqlite:{}", sqlite_file.display()),
        store::Pool::Postgres(p) => {
            let schema: String = sqlx::query_scalar("SELECT current_schema()")
                .fetch_one(p)
                .await
                .expect("schema");
            let sep = if app.pg_url.contains('?') { '&' } else { '?' };
            format!("{}{sep}options=-c%20search_path%3D{schema}", app.pg_url)
        }
    }
}

/// Run a one-shot subcommand of the binary (off the async threads).
async fn run(args: Vec<String>) -> Output {
    run_in(std::env::current_dir().expect("current dir"), args).await
}

/// [`run`] in the folder `dir` (for relative paths).
async fn run_in(dir: std::path::PathBuf, args: Vec<String>) -> Output {
    tokio::task::spawn_blocking(move || {
        Command::new(BIN)
            .current_dir(dir)
            .args(&args)
            .env("RUST_LOG", "warn")
            .env_remove("DATABASE_URL")
            .output()
            .expect("run werkstatt")
    })
    .await
    .expect("join")
}

fn ok(out: &Output, what: &str) {
    assert!(
        out.status.success(),
        "{what} failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

type Snapshot = BTreeMap<String, Vec<Vec<Value>>>;

async fn snapshot(db: &Db) -> Snapshot {
    transfer::snapshot(db).await.expect("snapshot")
}

/// Table by table, row by row: the first difference is named.
fn assert_same(a: &Snapshot, b: &Snapshot, what: &str) {
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "{what}: different tables"
    );
    for (table, rows) in a {
        let other = &b[table];
        assert_eq!(
            rows.len(),
            other.len(),
            "{what}: table {table} has {} rows in one and {} in the other",
            rows.len(),
            other.len()
        );
        for (i, (x, y)) in rows.iter().zip(other).enumerate() {
            assert_eq!(x, y, "{what}: table {table}, row {i} differs");
        }
    }
}

async fn sqlite_checks(db: &Db) {
    let store::Pool::Sqlite(p) = db.pool() else {
        return;
    };
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(p)
        .await
        .expect("integrity_check");
    assert_eq!(integrity, "ok");
    let broken = sqlx::query("PRAGMA foreign_key_check")
        .fetch_all(p)
        .await
        .expect("foreign_key_check");
    assert!(broken.is_empty(), "{} foreign keys broken", broken.len());
}

async fn ids(db: &Db, sql: &'static str) -> Vec<i64> {
    match db.pool() {
        store::Pool::Sqlite(p) => sqlx::query_scalar(sql).fetch_all(p).await.expect(sql),
        store::Pool::Postgres(p) => sqlx::query_scalar(sql).fetch_all(p).await.expect(sql),
    }
}

/// A small PNG-like upload (the table checks type and size, the bytes are the test's).
fn photo(n: u8) -> store::progress::NewPhoto {
    let mut data = b"\x89PNG\r\n\x1a\n".to_vec();
    data.extend((0..4096u32).map(|i| (i as u8).wrapping_mul(n)));
    store::progress::NewPhoto {
        content_type: "image/png",
        alt: format!("Foto {n}"),
        data,
    }
}

async fn add_photos(db: &Db, municipality_id: i64, measure_id: i64, author_id: i64) {
    let draft = domain::progress::ProgressDraft {
        reported_on: "2026-01-15".into(),
        percent: 40,
        body: "Sensoren montiert.".into(),
        milestone_id: None,
    };
    store::progress::add_report(
        db,
        &store::progress::NewReport {
            municipality_id,
            measure_id,
            visibility: "oeffentlich",
            status: "idee",
            draft: &draft,
            author_id,
            photos: vec![photo(3), photo(7)],
        },
    )
    .await
    .expect("report with photos");
}

async fn backup_under_write_load_restores_a_consistent_copy(app: TestApp) {
    let mid = app
        .municipality("lastdorf", "Lastdorf", "05958044", 12_000)
        .await;
    let author = app
        .user("autorin@x.de", None, &[("lastdorf", "editor")])
        .await;
    let first = store::measures::create(
        &app.db,
        mid,
        &domain::measure::Sheet {
            title: "Erste Maßnahme".into(),
            ..Default::default()
        },
        "idee",
        Some(author),
        store::measures::Origin::default(),
    )
    .await
    .expect("measure");
    add_photos(&app.db, mid, first, author).await;

    // Two writers create measures (measure + first revision + search change, one transaction each) and note
    // every id the store acknowledged.
    let stop = Arc::new(AtomicBool::new(false));
    let acked = Arc::new(Mutex::new(Vec::<i64>::new()));
    let mut writers = vec![];
    for w in 0..2 {
        let (db, stop, acked) = (app.db.clone(), stop.clone(), acked.clone());
        writers.push(tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                let sheet = domain::measure::Sheet {
                    title: format!("Last {w}-{n}"),
                    short_description: "unter Schreiblast".into(),
                    ..Default::default()
                };
                let id = store::measures::create(
                    &db,
                    mid,
                    &sheet,
                    "idee",
                    Some(author),
                    store::measures::Origin::default(),
                )
                .await
                .expect("create under load");
                acked.lock().expect("acked").push(id);
                n += 1;
            }
        }));
    }
    while acked.lock().expect("acked").len() < 20 {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let source_url = url_of(&app, &app.db, &app.tmp.path().join("werkstatt.db")).await;
    let backup = app.tmp.path().join("sicherung.db");
    let before: Vec<i64> = acked.lock().expect("acked").clone();
    let out = run(vec![
        "backup".into(),
        "--database-url".into(),
        source_url.clone(),
        "--out".into(),
        backup.display().to_string(),
    ])
    .await;
    let during = acked.lock().expect("acked").len() - before.len();
    stop.store(true, Ordering::Relaxed);
    for w in writers {
        w.await.expect("writer");
    }
    ok(&out, "backup under load");
    assert!(
        during > 0,
        "the writers were stalled by the backup instead of going on"
    );
    // A backup never overwrites.
    let again = run(vec![
        "backup".into(),
        "--database-url".into(),
        source_url.clone(),
        "--out".into(),
        backup.display().to_string(),
    ])
    .await;
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists already"));

    // The backup file itself: a sound SQLite database with every acknowledged measure, none half-written.
    let file = Db::connect(&format!("sqlite:{}", backup.display()))
        .await
        .expect("open backup");
    sqlite_checks(&file).await;
    let file_snapshot = snapshot(&file).await;
    file.close().await;

    // Restore into a fresh database of the same kind.
    let target_dir = tempfile::tempdir().expect("tempdir");
    let (target, schema) = fresh_db(app.backend, &app.pg_url, target_dir.path()).await;
    let target_url = url_of(&app, &target, &target_dir.path().join("werkstatt.db")).await;
    let out = run(vec![
        "restore".into(),
        "--database-url".into(),
        target_url.clone(),
        "--from".into(),
        backup.display().to_string(),
    ])
    .await;
    ok(&out, "restore");
    sqlite_checks(&target).await;
    let restored = ids(&target, "SELECT id FROM measures ORDER BY id").await;
    for id in &before {
        assert!(
            restored.contains(id),
            "measure {id} was acknowledged before the backup started but is missing"
        );
    }
    let revised = ids(
        &target,
        "SELECT measure_id FROM measure_revisions WHERE version = 1 ORDER BY measure_id",
    )
    .await;
    assert_eq!(
        restored, revised,
        "every measure comes with its first revision"
    );
    assert_eq!(ids(&target, "SELECT COUNT(*) FROM uploads").await, vec![2]);
    assert_same(
        &file_snapshot,
        &snapshot(&target).await,
        "backup file vs restored",
    );

    // Restoring over data is refused, naming the tables, and changes nothing …
    let out = run(vec![
        "restore".into(),
        "--database-url".into(),
        target_url.clone(),
        "--from".into(),
        backup.display().to_string(),
    ])
    .await;
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("already holds data") && err.contains("measures") && err.contains("--force"),
        "{err}"
    );
    // … unless forced. Now the source is quiet: its backup, restored, equals it exactly.
    let quiet = app.tmp.path().join("ruhig.db");
    ok(
        &run(vec![
            "backup".into(),
            "--database-url".into(),
            source_url,
            "--out".into(),
            quiet.display().to_string(),
        ])
        .await,
        "quiet backup",
    );
    ok(
        &run(vec![
            "restore".into(),
            "--force".into(),
            "--database-url".into(),
            target_url,
            "--from".into(),
            quiet.display().to_string(),
        ])
        .await,
        "forced restore",
    );
    let source = snapshot(&app.db).await;
    assert!(source["measures"].len() > 20);
    assert_same(
        &source,
        &snapshot(&target).await,
        "quiet source vs restored",
    );
    target.close().await;
    drop_schema(&app.pg_url, schema).await;
}

async fn drop_schema(pg_url: &str, schema: Option<String>) {
    if let Some(schema) = schema
        && let Ok(db) = Db::connect(pg_url).await
        && let store::Pool::Postgres(p) = db.pool()
    {
        let _ = sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
            .execute(p)
            .await;
        p.close().await;
    }
}

async fn migrate_db_copies_every_table_and_the_copy_serves(app: TestApp) {
    // The source is always an embedded SQLite installation: SQLite → PostgreSQL on the PostgreSQL run,
    // SQLite → SQLite on the SQLite run. The target is the running test server's own, empty database.
    let source_file = app.tmp.path().join("quelle.db");
    let source_url = format!("sqlite:{}", source_file.display());
    let source = Db::connect(&source_url).await.expect("source");
    web::prepare(&source).await.expect("prepare source");
    let accounts = web::demo::load(&source).await.expect("demo");
    let (mid, measure): (i64, i64) = match source.pool() {
        store::Pool::Sqlite(p) => sqlx::query_as(
            "SELECT municipality_id, id FROM measures WHERE visibility = 'oeffentlich' ORDER BY id LIMIT 1",
        )
        .fetch_one(p)
        .await
        .expect("a public demo measure"),
        store::Pool::Postgres(_) => unreachable!(),
    };
    let author = ids(&source, "SELECT MIN(id) FROM users").await[0];
    add_photos(&source, mid, measure, author).await;
    let expected = snapshot(&source).await;
    source.close().await;

    let target_url = url_of(&app, &app.db, &app.tmp.path().join("werkstatt.db")).await;
    // The source named relative to the working folder, in sqlx's `sqlite://` form.
    let out = run_in(
        app.tmp.path().to_path_buf(),
        vec![
            "migrate-db".into(),
            "--from".into(),
            "sqlite://quelle.db".into(),
            "--to".into(),
            target_url.clone(),
        ],
    )
    .await;
    ok(&out, "migrate-db");
    let copied = snapshot(&app.db).await;
    // Every table of the schema (read from it, not listed here) holds the same rows.
    assert!(copied.len() >= 80, "only {} tables", copied.len());
    assert!(expected["uploads"].len() >= 2);
    assert!(expected["users"].len() >= 5);
    assert_same(&expected, &copied, "source vs migrated");

    // A second run does not overwrite the installation.
    let out = run(vec![
        "migrate-db".into(),
        "--from".into(),
        source_url,
        "--to".into(),
        target_url,
    ])
    .await;
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("already holds data"));
    assert_same(
        &expected,
        &snapshot(&app.db).await,
        "after refused second run",
    );

    // The server on the copy works: a demo account logs in, and new rows get fresh ids (sequences moved on).
    let c = app.client();
    let r = app
        .post_form(
            &c,
            "/anmelden",
            &[
                ("email", accounts[0].email.as_str()),
                ("password", web::demo::DEMO_PASSWORD),
                ("next", "/"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "demo log-in on the copy");
    let max = ids(&app.db, "SELECT MAX(id) FROM measures").await[0];
    let new = store::measures::create(
        &app.db,
        mid,
        &domain::measure::Sheet {
            title: "Nach dem Umzug".into(),
            ..Default::default()
        },
        "idee",
        Some(author),
        store::measures::Origin::default(),
    )
    .await
    .expect("insert after migration");
    assert!(new > max);
    let max_user = ids(&app.db, "SELECT MAX(id) FROM users").await[0];
    assert!(app.user("neu@x.de", None, &[]).await > max_user);
}

async fn start(app: &TestApp, database_url: &str, extra: &[&str]) -> Node {
    static STARTS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = STARTS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let log = app.tmp.path().join(format!("serve-{n}.log"));
    let mut args = vec!["--database-url", database_url];
    args.extend_from_slice(extra);
    Node::start(app.tmp.path(), log, &args).await
}

async fn a_bad_configuration_stops_the_start_naming_the_setting(app: TestApp) {
    let dir = app.tmp.path();
    let serve = |config: &Path, env: &[(&str, &str)]| {
        let mut cmd = Command::new(BIN);
        cmd.arg("serve")
            .arg("--config")
            .arg(config)
            .arg("--data-dir")
            .arg(dir)
            .env_remove("DATABASE_URL")
            .stdin(Stdio::null());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("run serve");
        (
            out.status,
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    // A typo in a key: refused with the key and its line.
    let typo = dir.join("typo.toml");
    std::fs::write(
        &typo,
        "bind = \"127.0.0.1:0\"\nbase_ulr = \"https://w.example.org\"\n",
    )
    .expect("write");
    let (status, err) = serve(&typo, &[]);
    assert_eq!(status.code(), Some(2), "{err}");
    assert!(err.contains("base_ulr") && err.contains("line 2"), "{err}");

    // Bad values: every one named with file and line, none started.
    let bad = dir.join("bad.toml");
    std::fs::write(
        &bad,
        "bind = \"127.0.0.1:0\"\nbase_url = \"https://w.example.org/unterpfad\"\nmail_from = \"niemand\"\n",
    )
    .expect("write");
    let (status, err) = serve(&bad, &[]);
    assert_eq!(status.code(), Some(2), "{err}");
    assert!(
        err.contains("`base_url`") && err.contains("bad.toml, line 2"),
        "{err}"
    );
    assert!(
        err.contains("`mail_from`") && err.contains("line 3"),
        "{err}"
    );

    // An environment variable beats the file, and its error names the variable.
    let fine = dir.join("fine.toml");
    std::fs::write(&fine, "bind = \"127.0.0.1:0\"\nsession_ttl_hours = 24\n").expect("write");
    let (status, err) = serve(&fine, &[("WERKSTATT_SESSION_TTL_HOURS", "0")]);
    assert_eq!(status.code(), Some(2), "{err}");
    assert!(
        err.contains("session_ttl_hours") && err.contains("WERKSTATT_SESSION_TTL_HOURS"),
        "{err}"
    );
    // A missing file is named too.
    let (status, err) = serve(&dir.join("fehlt.toml"), &[]);
    assert_eq!(status.code(), Some(2), "{err}");
    assert!(err.contains("fehlt.toml"), "{err}");
}

async fn graceful_shutdown_finishes_requests_in_flight(app: TestApp) {
    web::demo::load(&app.db).await.expect("demo");
    let (slug, measure): (String, i64) = match app.db.pool() {
        store::Pool::Sqlite(p) => sqlx::query_as(
            "SELECT u.slug, m.id FROM measures m JOIN municipalities u ON u.id = m.municipality_id \
             WHERE m.visibility = 'oeffentlich' ORDER BY m.id LIMIT 1",
        )
        .fetch_one(p)
        .await
        .expect("public measure"),
        store::Pool::Postgres(p) => sqlx::query_as(
            "SELECT u.slug, m.id FROM measures m JOIN municipalities u ON u.id = m.municipality_id \
             WHERE m.visibility = 'oeffentlich' ORDER BY m.id LIMIT 1",
        )
        .fetch_one(p)
        .await
        .expect("public measure"),
    };
    let code: String = match app.db.pool() {
        store::Pool::Sqlite(p) => sqlx::query_scalar("SELECT join_code FROM boards LIMIT 1")
            .fetch_one(p)
            .await
            .expect("board"),
        store::Pool::Postgres(p) => sqlx::query_scalar("SELECT join_code FROM boards LIMIT 1")
            .fetch_one(p)
            .await
            .expect("board"),
    };
    let url = url_of(&app, &app.db, &app.tmp.path().join("werkstatt.db")).await;
    let mut server = start(
        &app,
        &url,
        &["--shutdown-grace-secs", "20", "--database-pool-size", "3"],
    )
    .await;
    let addr: std::net::SocketAddr = server
        .base
        .trim_start_matches("http://")
        .parse()
        .expect("addr");

    // A live stream that would never end by itself.
    let sse = Client::new()
        .get(format!("{}/w/{code}/events", server.base))
        .send()
        .await
        .expect("SSE");
    assert_eq!(sse.status(), StatusCode::OK);
    let sse_done = tokio::spawn(async move {
        let mut body = sse;
        while let Ok(Some(_)) = body.chunk().await {}
        Instant::now()
    });
    // A slow request: a project sheet PDF (typst).
    let pdf_url = format!(
        "{}/kommunen/{slug}/massnahmen/{measure}/projektblatt.pdf",
        server.base
    );
    let started = Instant::now();
    let pdf = tokio::spawn(async move {
        let r = Client::new()
            .get(pdf_url)
            .send()
            .await
            .expect("PDF request");
        let status = r.status();
        let body = r.bytes().await.expect("PDF body");
        (status, body, Instant::now())
    });
    tokio::time::sleep(Duration::from_millis(150)).await;
    let signalled = Instant::now();
    server.terminate();
    // New connections are refused from now on.
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        match std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(200)) {
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => break,
            _ => {
                assert!(
                    Instant::now() < deadline,
                    "still accepting connections 5 s after SIGTERM"
                );
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    }
    let (status, body, finished) = pdf.await.expect("PDF task");
    assert_eq!(status, StatusCode::OK, "the request in flight was finished");
    assert!(body.starts_with(b"%PDF"), "a whole PDF");
    assert!(
        finished > signalled,
        "the PDF request ({:?}) was not in flight at the signal",
        finished - started
    );
    let status = server.wait_exit(Duration::from_secs(20)).await;
    assert!(
        status.success(),
        "exit status {status:?}:\n{}",
        server.log()
    );
    let sse_end = sse_done.await.expect("SSE task");
    assert!(sse_end.duration_since(signalled) < Duration::from_secs(10));
    assert!(server.log().contains("shutting down"), "{}", server.log());
    // The pool was as large as configured (and three connections carried the SSE, PDF and worker queries).
    assert!(
        without_colours(&server.log()).contains("database pool connections=3"),
        "{}",
        server.log()
    );
    // The mail and housekeeping workers ended by themselves when told to, none had to be aborted.
    assert!(
        server.log().contains("background workers stopped"),
        "{}",
        server.log()
    );
    assert!(!server.log().contains("aborted"), "{}", server.log());
}

async fn json_logs_carry_request_id_and_city_but_no_secrets(app: TestApp) {
    app.municipality("logstadt", "Logstadt", "05958048", 30_000)
        .await;
    app.user("protokoll@x.de", None, &[("logstadt", "coordinator")])
        .await;
    let db_password = "db-passwort-4711";
    let url = url_of(&app, &app.db, &app.tmp.path().join("werkstatt.db")).await;
    // PostgreSQL here trusts every local connection, so a password in the URL is accepted and ignored.
    let url = if app.backend == Backend::Postgres {
        let mut u = url::Url::parse(&url).expect("pg url");
        u.set_password(Some(db_password)).expect("password");
        u.to_string()
    } else {
        url
    };
    let server = start(&app, &url, &["--log-format", "json"]).await;
    let c = Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let r = c
        .get(format!("{}/kommunen/logstadt", server.base))
        .header("X-Request-Id", "proxy-id-0815")
        .send()
        .await
        .expect("GET");
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["x-request-id"], "proxy-id-0815");
    // An id with junk is replaced by a fresh one.
    let r = c
        .get(format!("{}/kommunen/logstadt/massnahmen", server.base))
        .header("X-Request-Id", "a b\"c")
        .send()
        .await
        .expect("GET");
    let generated = r.headers()["x-request-id"]
        .to_str()
        .expect("id")
        .to_string();
    assert_ne!(generated, "a b\"c");

    // Secrets pass through: a log-in, a password reset, an accepted invitation.
    let csrf = {
        let body = c
            .get(format!("{}/anmelden", server.base))
            .send()
            .await
            .expect("GET")
            .text()
            .await
            .expect("body");
        crate::harness::csrf_from(&body)
    };
    let r = c
        .post(format!("{}/anmelden", server.base))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("email", "protokoll@x.de"),
            ("password", PASSWORD),
            ("next", "/"),
        ])
        .send()
        .await
        .expect("login");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let session = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("wk_session="))
        .map(|v| v.split(';').next().unwrap_or_default().to_string())
        .expect("session cookie");
    let anon = Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let body = anon
        .get(format!("{}/passwort-vergessen", server.base))
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("body");
    let csrf2 = crate::harness::csrf_from(&body);
    anon.post(format!("{}/passwort-vergessen", server.base))
        .form(&[("_csrf", csrf2.as_str()), ("email", "protokoll@x.de")])
        .send()
        .await
        .expect("forgot");
    let mail = app.wait_for_mail("protokoll@x.de", 1).await;
    let reset_path = link_in(&mail, "/passwort-neu/");
    let reset_token = reset_path.trim_start_matches("/passwort-neu/").to_string();
    let new_password = "ganz-neues-passwort-42";
    let r = anon
        .post(format!("{}{reset_path}", server.base))
        .form(&[
            ("_csrf", csrf2.as_str()),
            ("password", new_password),
            ("password_confirm", new_password),
        ])
        .send()
        .await
        .expect("reset");
    assert!(r.status().is_redirection() || r.status().is_success());

    let invite_token = web::ctx::new_token();
    store::tokens::create_invitation(
        &app.db,
        &invite_token,
        "eingeladen@x.de",
        domain::role::Grant::Network(domain::role::NetworkRole::Admin),
        None,
        3600,
    )
    .await
    .expect("invitation");
    let invited_password = "eingeladen-passwort-77";
    let r = anon
        .post(format!("{}/einladung/{invite_token}", server.base))
        .form(&[
            ("_csrf", csrf2.as_str()),
            ("display_name", "Eingeladene Person"),
            ("password", invited_password),
            ("password_confirm", invited_password),
        ])
        .send()
        .await
        .expect("accept");
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "invitation accepted");
    // Give the log writer a moment, then stop the server so the log is complete.
    tokio::time::sleep(Duration::from_millis(200)).await;
    drop(c);
    let log = server.log();
    drop(server);

    let line = log
        .lines()
        .find(|l| l.contains("proxy-id-0815") && l.contains("\"status\":200"))
        .unwrap_or_else(|| panic!("no request line with the proxy's id:\n{log}"));
    let json: serde_json::Value = serde_json::from_str(line).expect("a JSON log line");
    let fields = &json["fields"];
    assert_eq!(fields["request_id"], "proxy-id-0815");
    assert_eq!(fields["municipality"], "logstadt");
    assert_eq!(fields["route"], "/kommunen/{slug}");
    assert_eq!(fields["status"], 200);
    assert!(log.contains(&generated), "generated id logged");
    assert!(
        log.lines()
            .any(|l| l.contains("/einladung/{token}") && l.contains("\"status\":303")),
        "the invitation request is logged by its route"
    );
    for (what, secret) in [
        ("password", PASSWORD),
        ("new password", new_password),
        ("invited password", invited_password),
        ("reset token", reset_token.as_str()),
        ("invitation token", invite_token.as_str()),
        ("session cookie", session.as_str()),
        ("CSRF token", csrf.as_str()),
        ("database password", db_password),
    ] {
        assert!(!log.contains(secret), "the log contains the {what}:\n{log}");
    }
}

/// A log without the terminal colour codes (`ESC [ … m`) of the text format.
fn without_colours(log: &str) -> String {
    let mut out = String::with_capacity(log.len());
    let mut rest = log;
    while let Some(at) = rest.find("\x1b[") {
        out.push_str(&rest[..at]);
        rest = &rest[at + 2..];
        rest = rest.find('m').map_or("", |end| &rest[end + 1..]);
    }
    out.push_str(rest);
    out
}

/// The served binary allocates through jemalloc with its compiled-in settings (ADR 0027): the background
/// thread that gives freed pages back to the system (`background_thread:true`) runs. Neither glibc's
/// allocator nor jemalloc without the settings starts it.
async fn the_server_allocates_through_jemalloc_with_its_settings(app: TestApp) {
    let url = url_of(&app, &app.db, &app.tmp.path().join("werkstatt.db")).await;
    let server = start(&app, &url, &[]).await;
    let pid = server.child.as_ref().expect("running").id();
    let threads: Vec<String> = std::fs::read_dir(format!("/proc/{pid}/task"))
        .expect("threads of the server")
        .map(|t| {
            let comm = t.expect("thread").path().join("comm");
            std::fs::read_to_string(comm)
                .unwrap_or_default()
                .trim()
                .to_string()
        })
        .collect();
    assert!(
        threads.iter().any(|t| t == "jemalloc_bg_thd"),
        "no jemalloc background thread among {threads:?}\n{}",
        server.log()
    );
    let r = Client::new()
        .get(format!("{}/healthz", server.base))
        .send()
        .await
        .expect("GET /healthz");
    assert_eq!(r.status(), StatusCode::OK, "{}", server.log());
}

//! Test harness: a real server on port 0 per test, with its own database (SQLite file or PostgreSQL
//! schema) and its own mail folder; HTTP clients with cookie jars; helpers for forms and mails.

use futures::future::BoxFuture;
use regex::Regex;
use reqwest::{Client, Response, StatusCode, redirect};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};
use store::Db;
use web::{AppState, Config, MailTransport};

pub const PASSWORD: &str = "test-passwort-123";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// What a case needs besides the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    Nothing,
    /// Runs only once, against both databases (its Postgres trial does the work; needs PostgreSQL).
    BothDatabases,
    Browser,
    Smtp,
    /// The `schemathesis` command (PyPI).
    Schemathesis,
}

pub type CaseFn = fn(TestApp) -> BoxFuture<'static, ()>;

pub struct Case {
    pub name: &'static str,
    pub needs: Needs,
    pub run: CaseFn,
}

/// `case!(fn_name)` or `case!(fn_name, Needs::Browser)`.
#[macro_export]
macro_rules! case {
    ($f:ident) => {
        $crate::case!($f, $crate::harness::Needs::Nothing)
    };
    ($f:ident, $needs:expr) => {
        $crate::harness::Case {
            name: concat!(module_path!(), "::", stringify!($f)),
            needs: $needs,
            run: |app| Box::pin($f(app)),
        }
    };
}

/// What this machine offers the tests.
pub struct Env {
    pub require_all: bool,
    pub pg_url: String,
    pub pg: Result<(), String>,
    pub browser: Result<(), String>,
    pub smtp: Result<(), String>,
    pub schemathesis: Result<(), String>,
}

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn axe_path() -> PathBuf {
    repo_root().join("node_modules/axe-core/axe.min.js")
}

impl Env {
    pub fn detect() -> Env {
        let require_all = std::env::var("WERKSTATT_REQUIRE_ALL").is_ok_and(|v| v == "1");
        let pg_url = std::env::var("WERKSTATT_TEST_PG_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string());
        let pg = {
            let url = pg_url.clone();
            runtime().block_on(async move {
                match tokio::time::timeout(Duration::from_secs(5), Db::connect(&url)).await {
                    Ok(Ok(db)) => {
                        db.close().await;
                        Ok(())
                    }
                    Ok(Err(e)) => Err(format!("PostgreSQL at {url} not reachable: {e}")),
                    Err(_) => Err(format!("PostgreSQL at {url} did not answer within 5 s")),
                }
            })
        };
        let browser = if !has_command("chromedriver") {
            Err(
                "chromedriver not on PATH (Debian: apt-get install chromium chromium-driver)"
                    .to_string(),
            )
        } else if !axe_path().exists() {
            Err(format!(
                "axe-core missing at {} (run npm ci)",
                axe_path().display()
            ))
        } else {
            Ok(())
        };
        let smtp = match Command::new("python3")
            .args(["-c", "import aiosmtpd"])
            .output()
        {
            Ok(o) if o.status.success() => Ok(()),
            _ => Err("python3 module aiosmtpd missing (pip install aiosmtpd)".to_string()),
        };
        let schemathesis = if has_command("schemathesis") {
            Ok(())
        } else {
            Err("schemathesis not on PATH (pip install schemathesis)".to_string())
        };
        Env {
            require_all,
            pg_url,
            pg,
            browser,
            smtp,
            schemathesis,
        }
    }

    pub fn report(&self) {
        for (what, r) in [
            ("PostgreSQL", &self.pg),
            ("browser", &self.browser),
            ("SMTP", &self.smtp),
            ("schemathesis", &self.schemathesis),
        ] {
            if let Err(e) = r {
                let verdict = if self.require_all {
                    "REQUIRED – those tests will FAIL"
                } else {
                    "SKIPPED (ignored)"
                };
                eprintln!("note: {what} tests {verdict}: {e}");
            }
        }
    }

    pub fn trial(&self, case: &Case, backend: Backend) -> libtest_mimic::Trial {
        let name = format!("{}::{}", case.name, backend.name());
        let mut missing: Vec<String> = Vec::new();
        if (backend == Backend::Postgres || case.needs == Needs::BothDatabases)
            && let Err(e) = &self.pg
        {
            missing.push(e.clone());
        }
        if case.needs == Needs::Browser
            && let Err(e) = &self.browser
        {
            missing.push(e.clone());
        }
        if case.needs == Needs::Smtp
            && let Err(e) = &self.smtp
        {
            missing.push(e.clone());
        }
        if case.needs == Needs::Schemathesis
            && let Err(e) = &self.schemathesis
        {
            missing.push(e.clone());
        }
        let run = case.run;
        let pg_url = self.pg_url.clone();
        let once_only = case.needs == Needs::BothDatabases && backend == Backend::Sqlite;
        if !missing.is_empty() && !self.require_all {
            return libtest_mimic::Trial::test(name, || Ok(())).with_ignored_flag(true);
        }
        libtest_mimic::Trial::test(name, move || {
            if !missing.is_empty() {
                return Err(format!("required but unavailable: {}", missing.join("; ")).into());
            }
            if once_only {
                // The Postgres trial of this case covers both databases.
                return Ok(());
            }
            runtime().block_on(async move {
                let app = TestApp::spawn(backend, &pg_url).await;
                let cleanup = app.cleanup_handle();
                run(app).await;
                cleanup.run().await;
            });
            Ok(())
        })
    }
}

fn has_command(cmd: &str) -> bool {
    std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).any(|d| d.join(cmd).is_file()))
        .unwrap_or(false)
}

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime")
}

fn unique_suffix() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!(
        "{}_{}_{}",
        std::process::id(),
        nanos % 1_000_000_000,
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// A fresh, migrated database of the given kind; for PostgreSQL a new schema in the test database.
pub async fn fresh_db(backend: Backend, pg_url: &str, dir: &Path) -> (Db, Option<String>) {
    match backend {
        Backend::Sqlite => {
            let url = format!("sqlite:{}", dir.join("werkstatt.db").display());
            let db = Db::connect(&url).await.expect("open sqlite");
            web::prepare(&db).await.expect("migrate sqlite");
            (db, None)
        }
        Backend::Postgres => {
            let schema = format!("t_{}", unique_suffix());
            let admin = Db::connect(pg_url).await.expect("connect postgres");
            if let store::Pool::Postgres(p) = admin.pool() {
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
                    .execute(p)
                    .await
                    .expect("create schema");
            }
            admin.close().await;
            let sep = if pg_url.contains('?') { '&' } else { '?' };
            let url = format!("{pg_url}{sep}options=-c%20search_path%3D{schema}");
            let db = Db::connect(&url).await.expect("connect postgres schema");
            web::prepare(&db).await.expect("migrate postgres");
            (db, Some(schema))
        }
    }
}

pub struct Cleanup {
    db: Db,
    pg_url: String,
    schema: Option<String>,
}

impl Cleanup {
    pub async fn run(self) {
        self.db.close().await;
        if let Some(schema) = self.schema
            && let Ok(db) = Db::connect(&self.pg_url).await
            && let store::Pool::Postgres(p) = db.pool()
        {
            let _ = sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
                .execute(p)
                .await;
            p.close().await;
        }
    }
}

/// A running server with its own database and mail folder.
pub struct TestApp {
    pub backend: Backend,
    pub base: String,
    pub db: Db,
    pub state: AppState,
    pub mail_dir: PathBuf,
    pub pg_url: String,
    pub tmp: Arc<tempfile::TempDir>,
    schema: Option<String>,
}

impl TestApp {
    pub async fn spawn(backend: Backend, pg_url: &str) -> TestApp {
        let tmp = tempfile::tempdir().expect("tempdir");
        let (db, schema) = fresh_db(backend, pg_url, tmp.path()).await;
        Self::spawn_on(backend, db, schema, pg_url, Arc::new(tmp), |_| {}).await
    }

    /// Another server node on the same database (and mail folder).
    pub async fn second_node(&self) -> TestApp {
        Self::spawn_on(
            self.backend,
            self.db.clone(),
            None,
            &self.pg_url,
            self.tmp.clone(),
            |_| {},
        )
        .await
    }

    /// The URL of this case's database, for another process (`werkstatt serve --database-url …`) or pool.
    pub fn database_url(&self) -> String {
        match self.backend {
            Backend::Sqlite => format!("sqlite:{}", self.tmp.path().join("werkstatt.db").display()),
            Backend::Postgres => {
                let schema = self
                    .schema
                    .as_deref()
                    .expect("the first node knows its schema");
                let sep = if self.pg_url.contains('?') { '&' } else { '?' };
                format!("{}{sep}options=-c%20search_path%3D{schema}", self.pg_url)
            }
        }
    }

    /// `n` further server nodes on this case's database, each as in production: its own connection pool,
    /// workers (mail, housekeeping), live-board hub, vote writer and search index; mail folder shared.
    pub async fn more_nodes(&self, n: usize) -> Vec<TestApp> {
        let mut nodes = Vec::with_capacity(n);
        for _ in 0..n {
            nodes.push(self.node_on(&self.database_url(), |_| {}).await);
        }
        nodes
    }

    /// A server node with its own pool on `database_url` (e.g. through a proxy), sharing this case's
    /// folder; the database is migrated first.
    pub async fn node_on(
        &self,
        database_url: &str,
        configure: impl FnOnce(&mut Config),
    ) -> TestApp {
        let db = Db::connect(database_url)
            .await
            .expect("a pool on the database");
        web::prepare(&db).await.expect("migrated");
        Self::spawn_on(
            self.backend,
            db,
            None,
            &self.pg_url,
            self.tmp.clone(),
            configure,
        )
        .await
    }

    /// A server on a fresh database with a changed configuration.
    pub async fn spawn_with(
        backend: Backend,
        pg_url: &str,
        configure: impl FnOnce(&mut Config),
    ) -> TestApp {
        let tmp = tempfile::tempdir().expect("tempdir");
        let (db, schema) = fresh_db(backend, pg_url, tmp.path()).await;
        Self::spawn_on(backend, db, schema, pg_url, Arc::new(tmp), configure).await
    }

    async fn spawn_on(
        backend: Backend,
        db: Db,
        schema: Option<String>,
        pg_url: &str,
        tmp: Arc<tempfile::TempDir>,
        configure: impl FnOnce(&mut Config),
    ) -> TestApp {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let mail_dir = tmp.path().join("mail");
        let mut config = Config::new(addr, tmp.path());
        config.mail = MailTransport::Folder(mail_dir.clone());
        configure(&mut config);
        let state = AppState::new(db.clone(), config);
        tokio::spawn(web::serve(listener, state.clone(), std::future::pending()));
        TestApp {
            backend,
            base: format!("http://{addr}"),

            db,
            state,
            mail_dir,
            pg_url: pg_url.to_string(),
            tmp,
            schema,
        }
    }

    /// Close the pool and drop the PostgreSQL schema of a server made with `spawn_with` inside a case.
    pub async fn dispose(self) {
        self.cleanup_handle().run().await;
    }

    fn cleanup_handle(&self) -> Cleanup {
        Cleanup {
            db: self.db.clone(),
            pg_url: self.pg_url.clone(),
            schema: self.schema.clone(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A browser-like client with its own cookie jar that does not follow redirects.
    pub fn client(&self) -> Client {
        Client::builder()
            .cookie_store(true)
            .redirect(redirect::Policy::none())
            .build()
            .expect("client")
    }

    /// Create an account with `PASSWORD`.
    pub async fn user(
        &self,
        email: &str,
        network_role: Option<&str>,
        memberships: &[(&str, &str)],
    ) -> i64 {
        let role = network_role.and_then(domain::role::NetworkRole::parse);
        let id = store::users::create(
            &self.db,
            email,
            &format!("Person {email}"),
            password_hash(),
            role,
        )
        .await
        .expect("create user");
        for (slug, r) in memberships {
            let m = store::municipalities::by_slug(&self.db, slug)
                .await
                .expect("municipality");
            let r = domain::role::CityRole::parse(r).expect("role");
            store::users::set_membership(&self.db, id, m.id, r)
                .await
                .expect("membership");
        }
        id
    }

    /// Create a municipality directly.
    pub async fn municipality(&self, slug: &str, name: &str, ags: &str, population: u32) -> i64 {
        let d = domain::municipality::MunicipalityInput {
            slug: slug.into(),
            name: name.into(),
            ags: ags.into(),
            population: population.to_string(),
            state: ags[..2].into(),
        }
        .parse()
        .expect("valid municipality");
        store::municipalities::create(&self.db, &d, false)
            .await
            .expect("create municipality")
    }

    /// A client logged in as `email` (password `PASSWORD`).
    pub async fn login(&self, email: &str) -> Client {
        let c = self.client();
        let r = self
            .post_form(
                &c,
                "/anmelden",
                &[("email", email), ("password", PASSWORD), ("next", "/")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "login of {email} failed");
        c
    }

    pub async fn get(&self, c: &Client, path: &str) -> Response {
        c.get(self.url(path)).send().await.expect("GET")
    }

    pub async fn get_text(&self, c: &Client, path: &str) -> (StatusCode, String) {
        let r = self.get(c, path).await;
        let s = r.status();
        (s, r.text().await.expect("body"))
    }

    /// The CSRF token of this client (fetching a page first so that the cookie is set).
    pub async fn csrf(&self, c: &Client) -> String {
        let (_, body) = self.get_text(c, "/impressum").await;
        csrf_from(&body)
    }

    /// POST a form the way a browser does: with the CSRF token of this client.
    pub async fn post_form(&self, c: &Client, path: &str, fields: &[(&str, &str)]) -> Response {
        let token = self.csrf(c).await;
        let mut all: Vec<(&str, &str)> = vec![("_csrf", token.as_str())];
        all.extend_from_slice(fields);
        c.post(self.url(path))
            .form(&all)
            .send()
            .await
            .expect("POST")
    }

    /// All mails written to the mail folder for `to`, oldest first.
    pub fn mails_to(&self, to: &str) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(&self.mail_dir) else {
            return vec![];
        };
        let mut mails: Vec<(std::time::SystemTime, String)> = entries
            .filter_map(|e| e.ok())
            .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
            .filter_map(|e| {
                let t = e.metadata().and_then(|m| m.modified()).ok()?;
                Some((
                    t,
                    decode_quoted_printable(&std::fs::read_to_string(e.path()).ok()?),
                ))
            })
            .filter(|(_, body)| body.lines().any(|l| l.starts_with("To:") && l.contains(to)))
            .collect();
        mails.sort_by_key(|(t, _)| *t);
        mails.into_iter().map(|(_, b)| b).collect()
    }

    /// Wait until at least `n` mails to `to` exist; return the newest.
    pub async fn wait_for_mail(&self, to: &str, n: usize) -> String {
        let start = Instant::now();
        loop {
            let mails = self.mails_to(to);
            if mails.len() >= n {
                return mails.last().cloned().unwrap_or_default();
            }
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "no mail #{n} to {to} within 15 s"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Row count of a table (for "nothing changed" checks).
    pub async fn count(&self, table: &str) -> i64 {
        let sql = sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}"));
        match self.db.pool() {
            store::Pool::Sqlite(p) => sqlx::query_scalar(sql).fetch_one(p).await.expect("count"),
            store::Pool::Postgres(p) => sqlx::query_scalar(sql).fetch_one(p).await.expect("count"),
        }
    }
}

fn password_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| {
        use argon2::password_hash::PasswordHasher;
        argon2::Argon2::default()
            .hash_password(PASSWORD.as_bytes())
            .expect("hash")
            .to_string()
    })
}

/// Undo quoted-printable soft line breaks and `=XX` escapes (mail bodies with long link lines).
pub fn decode_quoted_printable(raw: &str) -> String {
    let joined = raw.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        if bytes[i] == b'='
            && let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub fn csrf_from(html: &str) -> String {
    let re = Regex::new(r#"name="_csrf" value="([0-9a-f]{64})""#).expect("regex");
    re.captures(html)
        .map(|c| c[1].to_string())
        .expect("page has a CSRF token")
}

/// The first link to this server's `path_prefix` in a mail.
pub fn link_in(mail: &str, path_prefix: &str) -> String {
    let re = Regex::new(&format!(
        r"http://127\.0\.0\.1:\d+({}[0-9a-f]{{64}})",
        regex::escape(path_prefix)
    ))
    .expect("regex");
    re.captures(mail)
        .map(|c| c[1].to_string())
        .unwrap_or_else(|| panic!("no {path_prefix} link in mail:\n{mail}"))
}

/// Location header of a redirect.
pub fn location(r: &Response) -> String {
    r.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

//! Faults (issue 7), with the real binary: a node killed with SIGKILL in the middle of writes, the database
//! out of reach (PostgreSQL behind a TCP proxy that is cut and restored) or out of disk space (SQLite on a
//! small tmpfs), a read-only data folder, and a mail server that is not there yet. What is tested and what
//! is not is listed in docs/SCALING.md ("Faults"). The file-system cases mount a tmpfs and therefore need
//! root (CAP_SYS_ADMIN), as CI has; without it they fail and say so.

use crate::accounts::{Smtp, free_port};
use crate::case;
use crate::child::Node;
use crate::harness::{Case, Needs, TestApp, csrf_from, location};
use reqwest::{Client, StatusCode, redirect};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::watch;

pub fn cases() -> Vec<Case> {
    vec![
        case!(kill_9_during_writes_loses_nothing_acknowledged),
        case!(database_unavailable_fails_fast_and_recovers_without_restart),
        case!(read_only_data_folder_is_reported_and_survived),
        case!(
            mail_waits_for_the_smtp_server_and_goes_out_later,
            Needs::Smtp
        ),
    ]
}

/// The German title of the 503 page.
const UNAVAILABLE: &str = "Vorübergehend nicht erreichbar";

/// A `werkstatt serve` child process with its log; killed (SIGKILL) when dropped.
fn browser() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(redirect::Policy::none())
        .build()
        .expect("client")
}

/// The CSRF token of `c` for `node` (a page that needs no database write sets the cookie).
async fn csrf(c: &Client, node: &Node) -> String {
    let body = c
        .get(node.url("/anmelden"))
        .send()
        .await
        .expect("GET /anmelden")
        .text()
        .await
        .expect("body");
    csrf_from(&body)
}

async fn post(
    c: &Client,
    node: &Node,
    token: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> reqwest::Result<reqwest::Response> {
    let mut all = vec![("_csrf", token)];
    all.extend_from_slice(fields);
    c.post(node.url(path))
        .form(&all)
        .timeout(Duration::from_secs(20))
        .send()
        .await
}

/// A small tmpfs mounted for one case, unmounted when dropped.
struct Tmpfs {
    dir: PathBuf,
}

impl Tmpfs {
    fn mount(dir: PathBuf, size: &str) -> Tmpfs {
        std::fs::create_dir_all(&dir).expect("mount point");
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&dir)
            .output()
            .expect("run mount");
        assert!(
            out.status.success(),
            "this fault test mounts a small tmpfs and needs root with CAP_SYS_ADMIN (CI has it): {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Tmpfs { dir }
    }

    fn remount(&self, mode: &str) {
        let out = Command::new("mount")
            .args(["-o", &format!("remount,{mode}")])
            .arg(&self.dir)
            .output()
            .expect("run mount");
        assert!(
            out.status.success(),
            "remount {mode}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.dir).output();
    }
}

/// `PRAGMA integrity_check` through a connection of its own.
async fn integrity_check(db_file: &Path) -> String {
    let db = store::Db::connect(&format!("sqlite:{}", db_file.display()))
        .await
        .expect("open sqlite");
    let store::Pool::Sqlite(p) = db.pool() else {
        unreachable!()
    };
    let r: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(p)
        .await
        .expect("integrity_check");
    db.close().await;
    r
}

async fn scalar(db: &store::Db, sql: &str) -> i64 {
    let sql = sqlx::AssertSqlSafe(sql.to_string());
    match db.pool() {
        store::Pool::Sqlite(p) => sqlx::query_scalar(sql).fetch_one(p).await.expect("scalar"),
        store::Pool::Postgres(p) => sqlx::query_scalar(sql).fetch_one(p).await.expect("scalar"),
    }
}

/// Evaluate `$cond` (it may `.await`) every 100 ms until it holds, for at most `$secs` seconds. A macro, as
/// async closures' futures are not `Send` for every lifetime, which the case runner needs.
macro_rules! eventually {
    ($secs:expr, $what:expr, $cond:expr) => {{
        let deadline = Instant::now() + Duration::from_secs($secs);
        loop {
            let done: bool = $cond;
            if done {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "not within {} s: {}",
                $secs,
                $what
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }};
}

/// A case database whose in-process node runs no workers, so that only the binary under test sends mail.
async fn quiet(app: &TestApp) -> TestApp {
    TestApp::spawn_with(app.backend, &app.pg_url, |c| c.run_workers = false).await
}

// ------------------------------------------------------------------------------------------ kill -9

async fn kill_9_during_writes_loses_nothing_acknowledged(app: TestApp) {
    app.municipality("arnsberg", "Arnsberg", "05958004", 73_456)
        .await;
    app.user("red@x.de", None, &[("arnsberg", "editor")]).await;
    // The session is made on the in-process node; the cookie works on every node of the database.
    let red = app.login("red@x.de").await;
    let token = app.csrf(&red).await;
    let url = app.database_url();
    let dir = app.tmp.path().join("node");
    std::fs::create_dir_all(&dir).expect("dir");
    let mut first = Node::spawn(
        &dir,
        app.tmp.path().join("first.log"),
        &["--database-url", &url],
    );
    first.ready().await;

    // Six editors save measures through the form as fast as they can. An acknowledged save is a 303 to
    // the new measure; a request without an answer is counted and the editor waits for the next server.
    let (addr_tx, addr_rx) = watch::channel((0u32, first.base.clone()));
    let acked: Arc<Mutex<BTreeMap<i64, (String, bool)>>> = Arc::default();
    let unanswered = Arc::new(AtomicUsize::new(0));
    let other: Arc<Mutex<Vec<String>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let mut writers = tokio::task::JoinSet::new();
    for k in 0..6 {
        let (acked, unanswered, other, stop, red, token) = (
            acked.clone(),
            unanswered.clone(),
            other.clone(),
            stop.clone(),
            red.clone(),
            token.clone(),
        );
        let mut addr = addr_rx.clone();
        writers.spawn(async move {
            for j in 0.. {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                let (generation, base) = addr.borrow().clone();
                let title = format!("Kilotest {k} {j}");
                let r = red
                    .post(format!("{base}/kommunen/arnsberg/massnahmen/neu"))
                    .form(&[
                        ("_csrf", token.as_str()),
                        ("title", title.as_str()),
                        ("short_description", "Was bestätigt wurde, bleibt."),
                        ("visibility", "oeffentlich"),
                    ])
                    .timeout(Duration::from_secs(10))
                    .send()
                    .await;
                match r {
                    Ok(r) if r.status() == StatusCode::SEE_OTHER => {
                        let loc = location(&r);
                        let id: i64 = loc
                            .trim_start_matches("/kommunen/arnsberg/massnahmen/")
                            .split(['?', '#'])
                            .next()
                            .and_then(|s| s.parse().ok())
                            .unwrap_or_else(|| panic!("measure id in {loc}"));
                        acked.lock().unwrap().insert(id, (title, generation == 0));
                    }
                    Ok(r) => other
                        .lock()
                        .unwrap()
                        .push(format!("{title}: {}", r.status())),
                    Err(_) => {
                        unanswered.fetch_add(1, Ordering::Relaxed);
                        let _ = tokio::time::timeout(
                            Duration::from_secs(20),
                            addr.wait_for(|(g, _)| *g > generation),
                        )
                        .await;
                    }
                }
            }
        });
    }
    let t = Instant::now();
    while acked.lock().unwrap().len() < 60 && t.elapsed() < Duration::from_secs(15) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    first.kill();
    let acked_at_kill = acked.lock().unwrap().len();
    assert!(acked_at_kill >= 60, "writes flowed before the kill");

    // Restart on the same database: it recovers by itself and takes writes again.
    let second = Node::spawn(
        &dir,
        app.tmp.path().join("second.log"),
        &["--database-url", &url],
    );
    second.ready().await;
    addr_tx.send_replace((1, second.base.clone()));
    let t = Instant::now();
    while acked.lock().unwrap().values().filter(|(_, b)| !b).count() < 20
        && t.elapsed() < Duration::from_secs(10)
    {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    stop.store(true, Ordering::Relaxed);
    while writers.join_next().await.is_some() {}
    assert!(
        other.lock().unwrap().is_empty(),
        "{:?}",
        other.lock().unwrap()
    );

    // Every acknowledged measure is there, with its title, exactly once; at most the unanswered requests
    // (in flight at the kill) added more.
    let rows: Vec<(i64, String)> = {
        let sql = "SELECT id, title FROM measures WHERE title LIKE 'Kilotest%'";
        match app.db.pool() {
            store::Pool::Sqlite(p) => sqlx::query_as(sql).fetch_all(p).await.expect("rows"),
            store::Pool::Postgres(p) => sqlx::query_as(sql).fetch_all(p).await.expect("rows"),
        }
    };
    let stored: BTreeMap<i64, String> = rows.iter().cloned().collect();
    let acked = acked.lock().unwrap().clone();
    for (id, (title, _)) in &acked {
        assert_eq!(
            stored.get(id),
            Some(title),
            "acknowledged measure {id} lost"
        );
    }
    let unanswered = unanswered.load(Ordering::Relaxed);
    assert!(
        rows.len() <= acked.len() + unanswered,
        "{} rows for {} acknowledged and {unanswered} unanswered",
        rows.len(),
        acked.len()
    );
    let mut titles: Vec<&String> = stored.values().collect();
    titles.sort();
    titles.dedup();
    assert_eq!(titles.len(), rows.len(), "no save was applied twice");
    assert!(
        acked.values().any(|(_, before)| !before),
        "the restarted node took writes"
    );
    eprintln!(
        "kill -9 ({:?}): {} saves acknowledged ({acked_at_kill} before the kill), {unanswered} unanswered, {} rows",
        app.backend,
        acked.len(),
        rows.len()
    );

    // The restarted node serves: health, pages, the same session, and a search index rebuilt from the
    // database that agrees with it.
    let c = Client::new();
    assert_eq!(
        c.get(second.url("/healthz")).send().await.unwrap().status(),
        StatusCode::OK
    );
    let (before_kill, (title, _)) = acked
        .iter()
        .find(|(_, (_, before))| *before)
        .expect("one from before the kill");
    let r = red
        .get(second.url(&format!("/kommunen/arnsberg/massnahmen/{before_kill}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains(title.as_str()));
    let r = red.get(second.url("/konto")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "the session survived the kill");
    let total = rows.len() as i64;
    eventually!(10, "the restarted node's index holds every measure", {
        let v: serde_json::Value = c
            .get(second.url("/api/v1/search?q=Kilotest&per_page=1"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        v["total"] == total
    });
    if app.backend == crate::harness::Backend::Sqlite {
        drop(second);
        assert_eq!(
            integrity_check(&app.tmp.path().join("werkstatt.db")).await,
            "ok"
        );
    }
}

// ------------------------------------------------------------------------------- database unavailable

/// A TCP proxy in front of PostgreSQL: `cut` closes the port (connection refused) and every open
/// connection, `restore` opens it again — a network fault the node cannot tell from a dead server.
struct Proxy {
    addr: SocketAddr,
    target: SocketAddr,
    accept: Option<tokio::task::JoinHandle<()>>,
    cut: watch::Sender<u64>,
}

impl Proxy {
    async fn start(target: SocketAddr) -> Proxy {
        let addr: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().unwrap();
        let mut p = Proxy {
            addr,
            target,
            accept: None,
            cut: watch::channel(0).0,
        };
        p.restore().await;
        p
    }

    async fn restore(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(5);
        let listener = loop {
            let socket = tokio::net::TcpSocket::new_v4().expect("socket");
            socket.set_reuseaddr(true).expect("reuseaddr");
            match socket.bind(self.addr).and_then(|()| socket.listen(128)) {
                Ok(l) => break l,
                Err(e) => {
                    assert!(Instant::now() < deadline, "proxy port not free again: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
        };
        let (target, cut) = (self.target, self.cut.subscribe());
        self.accept = Some(tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                let mut cut = cut.clone();
                tokio::spawn(async move {
                    let Ok(mut outbound) = tokio::net::TcpStream::connect(target).await else {
                        return;
                    };
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound) => {}
                        _ = cut.changed() => {}
                    }
                });
            }
        }));
    }

    async fn cut(&mut self) {
        if let Some(a) = self.accept.take() {
            a.abort();
            let _ = a.await;
        }
        self.cut.send_modify(|g| *g += 1);
    }
}

async fn database_unavailable_fails_fast_and_recovers_without_restart(app: TestApp) {
    match app.backend {
        crate::harness::Backend::Postgres => postgres_goes_away_and_comes_back(&app).await,
        // On SQLite the database is a file of the node: "unavailable" is a disk that is full.
        crate::harness::Backend::Sqlite => sqlite_disk_full_and_freed_again(&app).await,
    }
}

async fn postgres_goes_away_and_comes_back(app: &TestApp) {
    let q = quiet(app).await;
    q.user("anna@x.de", None, &[]).await;
    let anna = q.login("anna@x.de").await;
    let mut url = url::Url::parse(&q.database_url()).expect("url");
    let host = url.host_str().expect("host").to_string();
    let target = tokio::net::lookup_host((host.as_str(), url.port().unwrap_or(5432)))
        .await
        .expect("resolve")
        .next()
        .expect("address");
    let mut proxy = Proxy::start(target).await;
    url.set_host(Some("127.0.0.1")).expect("host");
    url.set_port(Some(proxy.addr.port())).expect("port");
    let dir = app.tmp.path().join("node");
    std::fs::create_dir_all(&dir).expect("dir");
    let node = Node::spawn(
        &dir,
        app.tmp.path().join("node.log"),
        &["--database-url", url.as_str()],
    );
    node.ready().await;
    let token = q.csrf(&anna).await;
    assert_eq!(
        anna.get(node.url("/konto")).send().await.unwrap().status(),
        StatusCode::OK
    );

    proxy.cut().await;
    // Every kind of request fails within the pool's acquire timeout (5 s), not the 30 s request timeout.
    let t = Instant::now();
    let anon = browser();
    let (page, account, api, health, login) = tokio::join!(
        anon.get(node.url("/impressum")).send(),
        anna.get(node.url("/konto")).send(),
        anon.get(node.url("/api/v1/municipalities")).send(),
        anon.get(node.url("/healthz")).send(),
        post(
            &anna,
            &node,
            &token,
            "/anmelden",
            &[("email", "anna@x.de"), ("password", "falsch-falsch")]
        ),
    );
    let took = t.elapsed();
    assert!(took < Duration::from_secs(8), "503s took {took:?}");
    eprintln!("database cut: five requests answered 503 within {took:?}");
    for (what, r) in [("page", page), ("account page", account), ("log-in", login)] {
        let r = r.expect("an answer");
        assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE, "{what}");
        let body = r.text().await.unwrap();
        assert!(
            body.contains(UNAVAILABLE) && body.contains("Es wurde nichts gespeichert"),
            "{what}: a friendly German page"
        );
    }
    let api = api.expect("an answer");
    assert_eq!(api.status(), StatusCode::SERVICE_UNAVAILABLE);
    let v: serde_json::Value = api.json().await.expect("JSON under /api");
    assert_eq!(v["error"], "unavailable");
    assert_eq!(
        health.expect("an answer").status(),
        StatusCode::SERVICE_UNAVAILABLE
    );
    // The background jobs notice and back off instead of spinning.
    eventually!(15, "the mail worker reports the outage", {
        node.log().contains("mail worker pass failed")
    });

    proxy.restore().await;
    // Back without a restart: pages, the same session, log-in, and the mail worker.
    eventually!(15, "healthz 200 after the database returned", {
        anon.get(node.url("/healthz"))
            .send()
            .await
            .is_ok_and(|r| r.status() == StatusCode::OK)
    });
    assert_eq!(
        anna.get(node.url("/konto")).send().await.unwrap().status(),
        StatusCode::OK
    );
    let r = post(
        &anon,
        &node,
        &csrf(&anon, &node).await,
        "/passwort-vergessen",
        &[("email", "anna@x.de")],
    )
    .await
    .expect("answer");
    assert_eq!(r.status(), StatusCode::OK);
    eventually!(20, "the reset mail went out from the recovered node", {
        store::mail::pending_count(&q.db).await.expect("pending") == 0
    });
    let mails = std::fs::read_dir(dir.join("mail"))
        .expect("mail folder")
        .count();
    assert_eq!(mails, 1, "one mail, written by the node's own worker");
    let failed_passes = node.log().matches("mail worker pass failed").count();
    assert!(
        failed_passes <= 6,
        "the worker backs off ({failed_passes} failed passes logged)"
    );
    // Live boards: the node listens again for other nodes' board events (LISTEN reconnected by itself).
    eventually!(15, "LISTEN again after the outage", {
        node.log()
            .matches("listening for the board events of other nodes")
            .count()
            >= 2
    });
    let (_red, _, code) = crate::board::board(&q).await;
    let ana = crate::board::guest(&q, &code, "Ana").await;
    let mut stream =
        crate::board::Sse::open_url(&ana, node.url(&format!("/w/{code}/events")), None).await;
    // A card written through another node (the test's own server) reaches the node's stream through the
    // notification, well before the pump's 5 s safety tick.
    let sent = Instant::now();
    let card = crate::board::add_card(&q, &ana, &code, "Nach dem Ausfall").await;
    let e = stream.next_of("card", 10).await;
    assert_eq!(e.data["id"].as_i64(), Some(card));
    let took = sent.elapsed();
    assert!(
        took < Duration::from_secs(3),
        "the card came through LISTEN, not the 5 s tick: {took:?}"
    );
    drop(node);
    drop(proxy);
    q.dispose().await;
}

async fn sqlite_disk_full_and_freed_again(app: &TestApp) {
    let disk = Tmpfs::mount(app.tmp.path().join("disk"), "24m");
    let node = Node::spawn(&disk.dir, app.tmp.path().join("node.log"), &[]);
    node.ready().await;
    let db_file = disk.dir.join("werkstatt.db");
    let c = browser();
    let token = csrf(&c, &node).await;
    // A failed log-in is a write (the failure is recorded).
    assert_eq!(
        attempt(&c, &node, &token).await.status(),
        StatusCode::UNAUTHORIZED
    );

    // Empty the write-ahead log into the database file, so that the next write must grow a file; then
    // fill the disk.
    {
        let db = store::Db::connect(&format!("sqlite:{}", db_file.display()))
            .await
            .expect("open");
        let store::Pool::Sqlite(p) = db.pool() else {
            unreachable!()
        };
        eventually!(5, "WAL checkpoint", {
            let (busy, _, _): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
                .fetch_one(p)
                .await
                .expect("checkpoint");
            busy == 0
        });
        db.close().await;
    }
    let filler = disk.dir.join("filler");
    {
        use std::io::Write;
        let mut f = std::fs::File::create(&filler).expect("filler");
        let block = vec![0u8; 1 << 16];
        while f.write_all(&block).is_ok() {}
        let _ = f.sync_all();
    }

    let t = Instant::now();
    let r = attempt(&c, &node, &token).await;
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
    assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body = r.text().await.unwrap();
    assert!(body.contains(UNAVAILABLE) && body.contains("Es wurde nichts gespeichert"));
    // The log is written by its own thread (`init_logging`): the line may follow the answer by a moment.
    eventually!(
        5,
        format!("the log says why:\n{}", node.log()),
        node.log().contains("database or disk is full")
    );
    // Reading goes on while the disk is full.
    let r = c.get(node.url("/impressum")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        c.get(node.url("/healthz")).send().await.unwrap().status(),
        StatusCode::OK
    );

    // Space is back: writes work again without a restart (within seconds; every answer until then is
    // the 503 page).
    std::fs::remove_file(&filler).expect("free the disk");
    let mut before_recovery = Vec::new();
    eventually!(
        10,
        format!("a write after the disk was freed: {before_recovery:?}"),
        {
            let s = attempt(&c, &node, &token).await.status();
            if s != StatusCode::UNAUTHORIZED {
                before_recovery.push(s);
            }
            s == StatusCode::UNAUTHORIZED
        }
    );
    assert!(
        before_recovery
            .iter()
            .all(|s| *s == StatusCode::SERVICE_UNAVAILABLE),
        "{before_recovery:?}\n{}",
        node.log()
    );
    if !before_recovery.is_empty() {
        eprintln!(
            "disk freed: {} writes answered 503 before the first succeeded",
            before_recovery.len()
        );
    }
    drop(node);
    assert_eq!(integrity_check(&db_file).await, "ok");
    let db = store::Db::connect(&format!("sqlite:{}", db_file.display()))
        .await
        .expect("open");
    assert_eq!(
        scalar(&db, "SELECT COUNT(*) FROM login_failures").await,
        4,
        "two failed log-ins (account and address rows each); the refused one left nothing"
    );
    db.close().await;
}

/// A failed log-in: a write (the attempt is recorded) that every node answers 401 when it succeeds.
async fn attempt(c: &Client, node: &Node, token: &str) -> reqwest::Response {
    post(
        c,
        node,
        token,
        "/anmelden",
        &[("email", "niemand@x.de"), ("password", "falsch-falsch")],
    )
    .await
    .expect("an answer")
}

// ---------------------------------------------------------------------------------- read-only folder

async fn read_only_data_folder_is_reported_and_survived(app: TestApp) {
    let disk = Tmpfs::mount(app.tmp.path().join("ro"), "16m");
    match app.backend {
        crate::harness::Backend::Sqlite => {
            // A database made earlier; then the folder becomes read-only.
            let out = Command::new(env!("CARGO_BIN_EXE_werkstatt"))
                .arg("migrate")
                .arg("--data-dir")
                .arg(&disk.dir)
                .output()
                .expect("migrate");
            assert!(out.status.success());
            disk.remount("ro");
            let started = Instant::now();
            let mut node = Node::spawn(&disk.dir, app.tmp.path().join("ro.log"), &[]);
            let status = loop {
                if let Some(s) = node
                    .child
                    .as_mut()
                    .expect("child")
                    .try_wait()
                    .expect("wait")
                {
                    break s;
                }
                assert!(
                    started.elapsed() < Duration::from_secs(15),
                    "a node on a read-only folder must not start"
                );
                tokio::time::sleep(Duration::from_millis(50)).await;
            };
            node.child = None;
            assert!(!status.success());
            let log = node.log();
            assert!(
                log.contains("nicht beschreibbar") && log.contains("Read-only file system"),
                "a clear reason: {log}"
            );
            // Writable again: it starts, serves, and the file is intact.
            disk.remount("rw");
            let node = Node::spawn(&disk.dir, app.tmp.path().join("rw.log"), &[]);
            node.ready().await;
            let r = Client::new()
                .get(node.url("/impressum"))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::OK);
            drop(node);
            assert_eq!(integrity_check(&disk.dir.join("werkstatt.db")).await, "ok");
        }
        crate::harness::Backend::Postgres => {
            // With PostgreSQL the data folder holds only the mail folder: the node serves, mails wait in
            // the queue, and go out once the folder is writable — without a restart.
            let q = quiet(&app).await;
            q.user("anna@x.de", None, &[]).await;
            disk.remount("ro");
            let node = Node::spawn(
                &disk.dir,
                app.tmp.path().join("node.log"),
                &["--database-url", &q.database_url()],
            );
            node.ready().await;
            let c = browser();
            let r = post(
                &c,
                &node,
                &csrf(&c, &node).await,
                "/passwort-vergessen",
                &[("email", "anna@x.de")],
            )
            .await
            .expect("answer");
            assert_eq!(
                r.status(),
                StatusCode::OK,
                "the request does not wait for mail"
            );
            eventually!(10, "the log says why mail waits", {
                node.log().contains("mail transport not usable")
            });
            assert_eq!(store::mail::pending_count(&q.db).await.unwrap(), 1);
            disk.remount("rw");
            eventually!(40, "the mail goes out once the folder is writable", {
                store::mail::pending_count(&q.db).await.unwrap() == 0
            });
            let mails = std::fs::read_dir(disk.dir.join("mail"))
                .expect("mail")
                .count();
            assert_eq!(mails, 1);
            drop(node);
            q.dispose().await;
        }
    }
}

// ------------------------------------------------------------------------------------- mail server

async fn mail_waits_for_the_smtp_server_and_goes_out_later(app: TestApp) {
    let q = quiet(&app).await;
    q.user("anna@x.de", None, &[]).await;
    let port = free_port();
    let dir = app.tmp.path().join("node");
    std::fs::create_dir_all(&dir).expect("dir");
    let smtp_url = format!("smtp://127.0.0.1:{port}");
    let node = Node::spawn(
        &dir,
        app.tmp.path().join("node.log"),
        &["--database-url", &q.database_url(), "--smtp-url", &smtp_url],
    );
    node.ready().await;
    let c = browser();
    let token = csrf(&c, &node).await;
    let t = Instant::now();
    let r = post(
        &c,
        &node,
        &token,
        "/passwort-vergessen",
        &[("email", "anna@x.de")],
    )
    .await
    .expect("answer");
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        t.elapsed() < Duration::from_secs(2),
        "the request does not wait for SMTP"
    );
    // The worker tries, fails, keeps the mail with the error and a next attempt.
    eventually!(15, "a failed attempt is recorded", {
        scalar(
            &q.db,
            "SELECT COUNT(*) FROM mail_outbox WHERE attempts >= 1 AND last_error IS NOT NULL AND sent_at IS NULL",
        )
        .await
            == 1
    });
    eventually!(
        5,
        format!("the log says the mail waits:\n{}", node.log()),
        node.log().contains("mail not sent, will retry")
    );
    // The mail server comes up; the worker's next attempt (after its backoff) delivers it, once.
    let smtp = Smtp::start(app.tmp.path(), port);
    eventually!(40, "delivered over SMTP", {
        smtp.log().contains("/passwort-neu/")
            && store::mail::pending_count(&q.db).await.unwrap() == 0
    });
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(
        smtp.log().matches("/passwort-neu/").count(),
        1,
        "exactly once"
    );
    drop(node);
    q.dispose().await;
}

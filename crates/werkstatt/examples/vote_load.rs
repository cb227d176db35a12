//! Load generator for durable votes (issue 5): `--clients` concurrent participants cast point votes over
//! HTTP, each vote acknowledged by the server only after the batch holding it committed.
//!
//! Set-up (straight into the server's database, `--database-url`, before the load): a municipality, an
//! editor, `--items` measures, a published open point voting (`punkte`, 100 points, cumulative) on those
//! measures, and one guest participant per client. Guests are inserted as rows of `participants` (kind
//! `gast`, `token_hash` = SHA-256 hex of a random token) because joining over HTTP is rate-limited to 30 per
//! client address and hour; each client then sends its token as the `wk_part` cookie, takes its CSRF token
//! from the `wk_csrf` cookie that its first GET of the format page sets, and from then on sends both cookies
//! as a browser would. The load itself goes through hyper's connection-level client (one connection per
//! client, requests built once): the generator shares the server's two cores, and reqwest's per-request cookie
//! store, URL parsing and form encoding cost it 36 µs per request where this costs about 25 µs.
//!
//! In one run, with the same clients (one keep-alive connection each):
//! 1. the ceiling: every client loops `GET /healthz` (one database round trip) for `--healthz-secs`;
//! 2. the votes: every client loops `POST /kommunen/{slug}/beteiligung/{id}/punkte` (`Accept:
//!    application/json`) for `--secs`, alternating `+1` and `-1` on its own item (`client % items`), so the
//!    budget never runs out and every request is a durable vote.
//!
//! Only requests started after `--warmup-secs` and answered before the end count. Printed: acknowledged
//! votes/s, latency p50 / p99 / max, errors, `/healthz` req/s, the ratio, the server's own mean time per
//! vote request (from `/metrics`), CPU of server and generator, and a consistency check of the database
//! (totals equal the vote rows).
//!
//! `cargo run --release --example vote_load -- --base http://127.0.0.1:18085 --database-url sqlite:data/werkstatt.db`

use bytes::Bytes;
use clap::Parser;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper::{Method, Request, StatusCode, Uri};
use hyper_util::rt::TokioIo;
use reqwest::{Client, header};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use store::{Db, Pool};

#[derive(Parser, Clone)]
#[command(about = "Load generator for durable point votes")]
struct Args {
    /// Base URL of the running server.
    #[arg(long, default_value = "http://127.0.0.1:18085")]
    base: String,
    /// The server's database (`sqlite:PATH` or `postgres://…`), for the set-up and the final check.
    #[arg(long)]
    database_url: String,
    /// Concurrent clients (participants), each with its own cookie jar and connection.
    #[arg(long, default_value_t = 256)]
    clients: usize,
    /// Measured seconds of voting.
    #[arg(long, default_value_t = 10.0)]
    secs: f64,
    /// Measured seconds of the `/healthz` ceiling.
    #[arg(long, default_value_t = 5.0)]
    healthz_secs: f64,
    /// Seconds at the start of each phase that do not count.
    #[arg(long, default_value_t = 1.0)]
    warmup_secs: f64,
    /// Measured seconds of votes on a non-item (refused: the writer's check answers "unresolved", then the
    /// request reads the format and answers 422; nothing is written); 0 skips them.
    #[arg(long, default_value_t = 0.0)]
    refused_secs: f64,
    /// Measures to vote on.
    #[arg(long, default_value_t = 32)]
    items: usize,
    /// Slug of the municipality (created if missing).
    #[arg(long, default_value = "lasttest")]
    slug: String,
    /// Skip HTTP: drive the group-commit writer (`store::votes::Writer`) in this process directly, with
    /// `--clients` tasks, to see what the writer alone sustains on this database (no server needed).
    #[arg(long)]
    writer_only: bool,
    /// Process id of the server, to report its CPU time (Linux `/proc`).
    #[arg(long)]
    server_pid: Option<u32>,
}

type Res<T> = Result<T, String>;

/// What the set-up created.
struct Setup {
    participation_id: i64,
    items: Vec<i64>,
    tokens: Vec<String>,
}

fn random_token() -> String {
    use std::hash::{BuildHasher, Hasher};
    // 256 bits from the std hasher's per-process random keys and a counter; enough for test tokens.
    let mut out = String::new();
    for _ in 0..4 {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0),
        );
        out.push_str(&format!("{:016x}", h.finish()));
    }
    out
}

async fn set_up(a: &Args, db: &Db) -> Res<Setup> {
    let e = |what: &str| {
        let what = what.to_string();
        move |e: store::StoreError| format!("set-up, {what}: {e}")
    };
    let mid = match store::municipalities::by_slug(db, &a.slug).await {
        Ok(m) => m.id,
        Err(_) => {
            let d = domain::municipality::MunicipalityInput {
                slug: a.slug.clone(),
                name: "Lasttest".into(),
                ags: "05958004".into(),
                population: "73456".into(),
                state: "05".into(),
            }
            .parse()
            .map_err(|e| format!("municipality draft: {e:?}"))?;
            store::municipalities::create(db, &d, false)
                .await
                .map_err(e("municipality"))?
        }
    };
    let email = format!("redaktion.{}.{}@lasttest.invalid", a.slug, random_token());
    let editor = store::users::create(
        db,
        &email,
        "Redaktion Lasttest",
        "$argon2id$v=19$m=19456,t=2,p=1$bm9sb2dpbg$bm9sb2dpbg",
        None,
    )
    .await
    .map_err(e("editor"))?;
    let role = domain::role::CityRole::parse("editor").ok_or("no editor role")?;
    store::users::set_membership(db, editor, mid, role)
        .await
        .map_err(e("membership"))?;
    let status = store::measures::statuses(db)
        .await
        .map_err(e("statuses"))?
        .into_iter()
        .next()
        .ok_or("no measure statuses")?
        .status_key;
    let mut items = Vec::with_capacity(a.items);
    for i in 0..a.items.max(1) {
        let sheet = domain::measure::Sheet {
            title: format!("Lasttest-Maßnahme {}", i + 1),
            visibility: Some(domain::visibility::Visibility::Oeffentlich),
            ..Default::default()
        };
        let origin = store::measures::Origin {
            measure_id: None,
            template_id: None,
            is_demo: false,
        };
        items.push(
            store::measures::create(db, mid, &sheet, &status, Some(editor), origin)
                .await
                .map_err(e("measure"))?,
        );
    }
    let now = store::now_secs();
    let draft = domain::participation::ParticipationDraft {
        kind: domain::participation::Kind::Punkte,
        title: "Lasttest Punktabstimmung".into(),
        description: "Lastmessung dauerhafter Stimmen".into(),
        purpose: "Lastmessung".into(),
        legal_basis: "Art. 6 Abs. 1 lit. a DSGVO".into(),
        opens_at: now - 86_400,
        closes_at: now + 365 * 86_400,
        access: domain::participation::Access::Gast,
        published: true,
        results_public: true,
        premoderation: false,
        points: 100,
        cumulative: true,
        retention_days: 365,
    };
    let participation_id = store::participation::create(db, mid, &draft, editor)
        .await
        .map_err(e("format"))?;
    let chosen: Vec<(&str, i64)> = items.iter().map(|id| ("massnahme", *id)).collect();
    store::participation::set_items(db, participation_id, &chosen)
        .await
        .map_err(e("items"))?;
    let tokens: Vec<String> = (0..a.clients).map(|_| random_token()).collect();
    let sql = "INSERT INTO participants (participation_id, kind, token_hash, confirmed_at, created_at) \
               VALUES ($1, 'gast', $2, $3, $3)";
    macro_rules! insert_all {
        ($pool:expr) => {{
            let mut tx = $pool.begin().await.map_err(|e| e.to_string())?;
            for t in &tokens {
                sqlx::query(sql)
                    .bind(participation_id)
                    .bind(store::tokens::hash_token(t))
                    .bind(now)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| format!("participant: {e}"))?;
            }
            tx.commit().await.map_err(|e| e.to_string())?;
        }};
    }
    match db.pool() {
        Pool::Sqlite(p) => insert_all!(p),
        Pool::Postgres(p) => insert_all!(p),
    }
    Ok(Setup {
        participation_id,
        items,
        tokens,
    })
}

/// Votes in the database: rows, points in rows, points in totals, voters in totals, rows per item
/// disagreeing with the totals.
async fn check(db: &Db, participation_id: i64) -> Res<(i64, i64, i64, i64, i64)> {
    let sql = "SELECT \
        (SELECT COUNT(*) FROM participation_votes WHERE participation_id = $1), \
        (SELECT CAST(COALESCE(SUM(points), 0) AS BIGINT) FROM participation_votes WHERE participation_id = $1), \
        (SELECT CAST(COALESCE(SUM(points), 0) AS BIGINT) FROM participation_tallies WHERE participation_id = $1), \
        (SELECT CAST(COALESCE(SUM(voters), 0) AS BIGINT) FROM participation_tallies WHERE participation_id = $1), \
        (SELECT COUNT(*) FROM participation_tallies t WHERE t.participation_id = $1 AND (t.points <> \
            (SELECT COALESCE(SUM(v.points), 0) FROM participation_votes v WHERE v.participation_id = t.participation_id \
             AND v.item_kind = t.item_kind AND v.item_id = t.item_id) OR t.voters <> \
            (SELECT COUNT(*) FROM participation_votes v WHERE v.participation_id = t.participation_id \
             AND v.item_kind = t.item_kind AND v.item_id = t.item_id)))";
    let r = match db.pool() {
        Pool::Sqlite(p) => {
            sqlx::query_as::<_, (i64, i64, i64, i64, i64)>(sql)
                .bind(participation_id)
                .fetch_one(p)
                .await
        }
        Pool::Postgres(p) => {
            sqlx::query_as::<_, (i64, i64, i64, i64, i64)>(sql)
                .bind(participation_id)
                .fetch_one(p)
                .await
        }
    };
    r.map_err(|e| format!("check: {e}"))
}

fn client() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .tcp_nodelay(true)
        .pool_max_idle_per_host(1)
        .timeout(Duration::from_secs(60))
        .build()
        .expect("http client")
}

/// One simulated participant: its own keep-alive connection (hyper's connection-level HTTP/1.1 client, so that
/// the generator spends as little of the shared CPU as it can) and the requests it sends, built once.
struct Voter {
    conn: tokio::sync::Mutex<SendRequest<Full<Bytes>>>,
    /// `Host`, `Cookie` (`wk_part` and `wk_csrf`), `Accept: application/json`, form content type.
    headers: header::HeaderMap,
    /// Form bodies: `+1` and `-1` on the client's item, and `+1` on a non-item.
    plus: Bytes,
    minus: Bytes,
    not_item: Bytes,
}

/// A browser with the participant's cookie: its first GET of the format page sets the CSRF cookie; then the
/// participant's own connection for the load.
async fn voter(base: &str, format_path: &str, token: &str, item: i64) -> Res<Voter> {
    let jar = Arc::new(reqwest::cookie::Jar::default());
    let url: reqwest::Url = base.parse().map_err(|e| format!("{base}: {e}"))?;
    jar.add_cookie_str(&format!("wk_part={token}; Path=/"), &url);
    let c = Client::builder()
        .cookie_provider(jar.clone())
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(60))
        .build()
        .map_err(|e| e.to_string())?;
    let r = c
        .get(format!("{base}{format_path}"))
        .send()
        .await
        .map_err(|e| format!("GET {format_path}: {e}"))?;
    let status = r.status();
    let _ = r.bytes().await;
    if !status.is_success() {
        return Err(format!("GET {format_path}: {status}"));
    }
    use reqwest::cookie::CookieStore;
    let cookies = jar
        .cookies(&url)
        .and_then(|v| v.to_str().ok().map(str::to_string))
        .unwrap_or_default();
    let csrf = cookies
        .split("; ")
        .find_map(|c| c.strip_prefix("wk_csrf="))
        .ok_or("no wk_csrf cookie after the first GET")?
        .to_string();
    let host = url
        .host_str()
        .map(|h| match url.port() {
            Some(p) => format!("{h}:{p}"),
            None => h.to_string(),
        })
        .ok_or("base URL without host")?;
    let addr = url
        .socket_addrs(|| None)
        .map_err(|e| format!("{base}: {e}"))?
        .into_iter()
        .next()
        .ok_or("base URL resolves to no address")?;
    let stream = tokio::net::TcpStream::connect(addr)
        .await
        .map_err(|e| format!("connect {addr}: {e}"))?;
    stream.set_nodelay(true).map_err(|e| e.to_string())?;
    let (send, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| format!("HTTP handshake: {e}"))?;
    tokio::spawn(connection);
    let value = |v: &str| header::HeaderValue::from_str(v).map_err(|e| e.to_string());
    let mut headers = header::HeaderMap::new();
    headers.insert(header::HOST, value(&host)?);
    headers.insert(
        header::COOKIE,
        value(&format!("wk_part={token}; wk_csrf={csrf}"))?,
    );
    headers.insert(header::ACCEPT, value("application/json")?);
    headers.insert(
        header::CONTENT_TYPE,
        value("application/x-www-form-urlencoded")?,
    );
    let item = item.to_string();
    let form = |item: &str, delta: &str| {
        Bytes::from(format!(
            "_csrf={csrf}&item_kind=massnahme&item_id={item}&delta={delta}"
        ))
    };
    Ok(Voter {
        conn: tokio::sync::Mutex::new(send),
        headers,
        plus: form(&item, "1"),
        minus: form(&item, "-1"),
        not_item: form("0", "1"),
    })
}

/// What the server said to one request: status and body.
async fn send(
    v: &Voter,
    method: Method,
    uri: &Uri,
    body: Bytes,
) -> Result<(StatusCode, Bytes), String> {
    let mut req = Request::new(Full::new(body));
    *req.method_mut() = method;
    *req.uri_mut() = uri.clone();
    *req.headers_mut() = v.headers.clone();
    let mut conn = v.conn.lock().await;
    let resp = conn.send_request(req).await.map_err(|e| e.to_string())?;
    let status = resp.status();
    let body = resp
        .into_body()
        .collect()
        .await
        .map_err(|e| e.to_string())?
        .to_bytes();
    Ok((status, body))
}

/// The JSON answer to a vote.
#[derive(serde::Deserialize)]
struct Answer {
    ok: bool,
    #[serde(default)]
    code: Option<String>,
}

/// What one client measured in a phase.
#[derive(Default)]
struct Tally {
    /// Latencies (µs) of the counted requests.
    lat: Vec<u32>,
    ok: u64,
    errors: BTreeMap<String, u64>,
}

fn snippet(body: &str) -> String {
    let one_line: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
    one_line.chars().take(120).collect()
}

/// What the clients of a phase send.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    /// `GET /healthz`.
    Healthz,
    /// Durable votes, `+1` / `-1` alternating on the client's item.
    Vote,
    /// Votes on something that is not an item of the voting: the whole request path (session, format,
    /// participant and item reads) up to the writer, answered 422 without writing.
    Refused,
}

/// Loop requests of one kind until `end`; count those started after `from`.
async fn run_client(
    v: Arc<Voter>,
    healthz: Uri,
    vote: Uri,
    mode: Mode,
    from: Instant,
    end: Instant,
) -> Tally {
    let mut t = Tally::default();
    let mut plus = true;
    loop {
        let start = Instant::now();
        if start >= end {
            break;
        }
        let counted = start >= from;
        let result: Result<(), String> = match mode {
            Mode::Healthz => match send(&v, Method::GET, &healthz, Bytes::new()).await {
                Ok((s, _)) if s.is_success() => Ok(()),
                Ok((s, _)) => Err(format!("GET /healthz: {s}")),
                Err(e) => Err(format!("GET /healthz: {e}")),
            },
            Mode::Vote | Mode::Refused => {
                let body = match (mode, plus) {
                    (Mode::Refused, _) => v.not_item.clone(),
                    (_, true) => v.plus.clone(),
                    (_, false) => v.minus.clone(),
                };
                match send(&v, Method::POST, &vote, body).await {
                    Ok((status, body)) => {
                        let answer = serde_json::from_slice::<Answer>(&body).ok();
                        let code = answer.as_ref().and_then(|a| a.code.as_deref());
                        let text = || snippet(&String::from_utf8_lossy(&body));
                        if mode == Mode::Refused {
                            if status.as_u16() == 422 && code == Some("err-vote-unknown") {
                                Ok(())
                            } else {
                                Err(format!("POST …/punkte (not an item): {status} {}", text()))
                            }
                        } else if status.is_success() && answer.as_ref().is_some_and(|a| a.ok) {
                            plus = !plus;
                            Ok(())
                        } else {
                            // Keep the alternation in step with the database after a refusal.
                            match code {
                                Some("err-vote-nothing-to-take-back") => plus = true,
                                Some("err-vote-item-limit" | "err-vote-no-points-left") => {
                                    plus = false
                                }
                                _ => {}
                            }
                            Err(format!("POST …/punkte: {status} {}", text()))
                        }
                    }
                    Err(e) => Err(format!("POST …/punkte: {e}")),
                }
            }
        };
        let done = Instant::now();
        if !counted || done > end {
            continue;
        }
        match result {
            Ok(()) => {
                t.ok += 1;
                t.lat
                    .push((done - start).as_micros().min(u32::MAX as u128) as u32);
            }
            Err(e) => *t.errors.entry(e).or_default() += 1,
        }
    }
    t
}

/// A finished phase: what the clients saw, CPU seconds of server and generator, the server's own mean time
/// per request of the phase's route (from `/metrics`).
struct Phase {
    t: Tally,
    secs: f64,
    cpu: (Option<f64>, Option<f64>),
    server_ms: Option<f64>,
}

/// All clients run one phase.
async fn phase(
    a: &Args,
    voters: &[Arc<Voter>],
    base: &Arc<String>,
    vote_path: &Arc<String>,
    mode: Mode,
    secs: f64,
) -> Phase {
    let (method, route) = match mode {
        Mode::Healthz => ("GET", "/healthz"),
        _ => ("POST", "/kommunen/{slug}/beteiligung/{id}/punkte"),
    };
    let m0 = server_time(base, method, route).await;
    let (s0, g0) = (cpu_secs(a.server_pid), cpu_secs(None));
    let t0 = Instant::now();
    let from = t0 + Duration::from_secs_f64(a.warmup_secs);
    let end = from + Duration::from_secs_f64(secs);
    // A `Uri` shares its bytes: a clone per client copies no text.
    let healthz = Uri::from_static("/healthz");
    let vote: Uri = vote_path.parse().expect("vote path is a URI");
    let mut set = tokio::task::JoinSet::new();
    for v in voters {
        set.spawn(run_client(
            v.clone(),
            healthz.clone(),
            vote.clone(),
            mode,
            from,
            end,
        ));
    }
    let mut all = Tally::default();
    while let Some(r) = set.join_next().await {
        let t = r.expect("client task");
        all.ok += t.ok;
        all.lat.extend(t.lat);
        for (k, n) in t.errors {
            *all.errors.entry(k).or_default() += n;
        }
    }
    all.lat.sort_unstable();
    let (s1, g1) = (cpu_secs(a.server_pid), cpu_secs(None));
    let m1 = server_time(base, method, route).await;
    let d = |a: Option<f64>, b: Option<f64>| Some(b? - a?);
    let server_ms = match (m0.unwrap_or((0.0, 0.0)), m1) {
        ((c0, t0), Some((c1, t1))) if c1 > c0 => Some((t1 - t0) / (c1 - c0) * 1000.0),
        _ => None,
    };
    Phase {
        t: all,
        secs,
        cpu: (d(s0, s1), d(g0, g1)),
        server_ms,
    }
}

fn pct(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i] as f64 / 1000.0
}

/// CPU time (user + system) of a process in seconds, from `/proc/<pid>/stat` (Linux; 100 ticks/s).
fn cpu_secs(pid: Option<u32>) -> Option<f64> {
    let path = match pid {
        Some(p) => format!("/proc/{p}/stat"),
        None => "/proc/self/stat".to_string(),
    };
    let stat = std::fs::read_to_string(path).ok()?;
    let after = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = after.split(' ').collect();
    let ticks = f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?;
    Some(ticks as f64 / 100.0)
}

/// `(count, sum in seconds)` of the server's latency histogram for one route, from `/metrics`.
async fn server_time(base: &str, method: &str, route: &str) -> Option<(f64, f64)> {
    let text = client()
        .get(format!("{base}/metrics"))
        .send()
        .await
        .ok()?
        .text()
        .await
        .ok()?;
    let labels = format!("{{method=\"{method}\",route=\"{route}\"}}");
    let value = |name: &str| {
        text.lines()
            .find(|l| l.starts_with(&format!("{name}{labels}")))
            .and_then(|l| l.rsplit(' ').next())
            .and_then(|v| v.parse::<f64>().ok())
    };
    Some((
        value("werkstatt_http_request_duration_seconds_count")?,
        value("werkstatt_http_request_duration_seconds_sum")?,
    ))
}

fn line(label: &str, value: impl std::fmt::Display) {
    println!("{label:<52} {value}");
}

fn report(a: &Args, name: &str, p: &Phase) {
    let t = &p.t;
    line(
        &format!("{name} per second"),
        format!("{:.0}  ({} in {:.1} s)", t.ok as f64 / p.secs, t.ok, p.secs),
    );
    line(
        &format!("{name}: latency p50 / p99 / max (ms)"),
        format!(
            "{:.2} / {:.2} / {:.2}",
            pct(&t.lat, 0.5),
            pct(&t.lat, 0.99),
            pct(&t.lat, 1.0)
        ),
    );
    if let Some(ms) = p.server_ms {
        line(
            &format!("{name}: server time per request, mean (ms)"),
            format!("{ms:.2}"),
        );
    }
    let cpu = |c: Option<f64>| c.map_or("?".to_string(), |c| format!("{c:.1} s"));
    line(
        &format!("{name}: CPU server / generator"),
        format!(
            "{} / {} of {:.1} s wall (2 cores)",
            cpu(p.cpu.0),
            cpu(p.cpu.1),
            p.secs + a.warmup_secs
        ),
    );
    let failed: u64 = t.errors.values().sum();
    line(&format!("{name}: errors"), failed);
    for (e, n) in &t.errors {
        println!("  {n} × {e}");
    }
}

/// The writer alone: `--clients` tasks submit point votes (+1/-1 alternating) straight to a writer on `db`.
async fn writer_only(a: &Args, db: &Db, s: &Setup) -> Res<()> {
    let ids: Vec<i64> = {
        let sql = "SELECT id FROM participants WHERE participation_id = $1 ORDER BY id";
        let r = match db.pool() {
            Pool::Sqlite(p) => {
                sqlx::query_scalar(sql)
                    .bind(s.participation_id)
                    .fetch_all(p)
                    .await
            }
            Pool::Postgres(p) => {
                sqlx::query_scalar(sql)
                    .bind(s.participation_id)
                    .fetch_all(p)
                    .await
            }
        };
        r.map_err(|e| e.to_string())?
    };
    let writer = store::votes::Writer::spawn(db.clone());
    let d = |a: Option<f64>, b: Option<f64>| Some(b? - a?);
    let t0 = Instant::now();
    let from = t0 + Duration::from_secs_f64(a.warmup_secs);
    let end = from + Duration::from_secs_f64(a.secs);
    let g0 = cpu_secs(None);
    let mut set = tokio::task::JoinSet::new();
    for (k, pid) in ids.iter().enumerate() {
        let (writer, pid, item, participation_id) = (
            writer.clone(),
            *pid,
            s.items[k % s.items.len()],
            s.participation_id,
        );
        set.spawn(async move {
            let mut t = Tally::default();
            let mut delta = 1;
            loop {
                let start = Instant::now();
                if start >= end {
                    break;
                }
                let op = store::votes::VoteOp::Points {
                    participation_id,
                    participant_id: pid,
                    item_kind: "massnahme",
                    item_id: item,
                    delta,
                    budget: 100,
                    max_per_item: 100,
                };
                let r = writer.submit(op).await;
                let done = Instant::now();
                let ok = matches!(r, Ok(Ok(_)));
                if ok {
                    delta = -delta;
                }
                if start < from || done > end {
                    continue;
                }
                if ok {
                    t.ok += 1;
                    t.lat
                        .push((done - start).as_micros().min(u32::MAX as u128) as u32);
                } else {
                    *t.errors.entry(format!("{r:?}")).or_default() += 1;
                }
            }
            t
        });
    }
    let mut all = Tally::default();
    while let Some(r) = set.join_next().await {
        let t = r.expect("task");
        all.ok += t.ok;
        all.lat.extend(t.lat);
        for (k, n) in t.errors {
            *all.errors.entry(k).or_default() += n;
        }
    }
    all.lat.sort_unstable();
    println!("writer only ({} tasks, no HTTP)", ids.len());
    let p = Phase {
        t: all,
        secs: a.secs,
        cpu: (None, d(g0, cpu_secs(None))),
        server_ms: None,
    };
    report(a, "  committed votes", &p);
    Ok(())
}

#[tokio::main]
async fn main() {
    let a = Args::parse();
    if std::env::var_os("RUST_LOG").is_some() {
        tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .with_target(false)
            .init();
    }
    if let Err(e) = run(a).await {
        eprintln!("vote_load: {e}");
        std::process::exit(1);
    }
}

async fn run(a: Args) -> Res<()> {
    let base = Arc::new(a.base.trim_end_matches('/').to_string());
    let n = a.clients.max(1);
    let db = Db::connect(&a.database_url)
        .await
        .map_err(|e| format!("database: {e}"))?;
    let t = Instant::now();
    let s = set_up(&a, &db).await?;
    if a.writer_only {
        return writer_only(&a, &db, &s).await;
    }
    let format_path = format!("/kommunen/{}/beteiligung/{}", a.slug, s.participation_id);
    let vote_path = Arc::new(format!("{format_path}/punkte"));
    let mut voters = Vec::with_capacity(n);
    for chunk in s.tokens.chunks(32) {
        let start = voters.len();
        let batch = futures::future::join_all(chunk.iter().enumerate().map(|(k, tok)| {
            let item = s.items[(start + k) % s.items.len()];
            voter(&base, &format_path, tok, item)
        }))
        .await;
        for v in batch {
            voters.push(Arc::new(v?));
        }
    }
    println!(
        "format {format_path}: {} measures, {n} participants (set-up {:.1} s); load generator shares the machine",
        s.items.len(),
        t.elapsed().as_secs_f64()
    );

    let health = phase(
        &a,
        &voters,
        &base,
        &vote_path,
        Mode::Healthz,
        a.healthz_secs,
    )
    .await;
    let refused = if a.refused_secs > 0.0 {
        Some(
            phase(
                &a,
                &voters,
                &base,
                &vote_path,
                Mode::Refused,
                a.refused_secs,
            )
            .await,
        )
    } else {
        None
    };
    let votes = phase(&a, &voters, &base, &vote_path, Mode::Vote, a.secs).await;

    println!();
    println!("GET /healthz, {n} clients (the ceiling)");
    report(&a, "  requests", &health);
    if let Some(r) = &refused {
        println!();
        println!(
            "POST …/punkte on a non-item, {n} clients: refused (the writer's check, then a read, 422)"
        );
        report(&a, "  refused votes", r);
    }
    println!();
    println!("POST …/punkte, {n} clients, +1/-1 alternating, durable");
    report(&a, "  acknowledged votes", &votes);
    let rate = |p: &Phase| p.t.ok as f64 / p.secs;
    println!();
    line(
        "votes/s : /healthz req/s",
        format!("{:.2}", rate(&votes) / rate(&health)),
    );
    if let Some(r) = &refused {
        line(
            "votes/s : refused votes/s",
            format!("{:.2}", rate(&votes) / rate(r)),
        );
    }
    // Let requests still in flight at the end finish before looking at the database.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (rows, points, tally_points, voters_total, bad_items) =
        check(&db, s.participation_id).await?;
    line(
        "database: vote rows / points in rows / in totals",
        format!("{rows} / {points} / {tally_points} (voters in totals {voters_total})"),
    );
    line("items whose totals disagree with their rows", bad_items);
    db.close().await;
    if points != tally_points || rows != voters_total || bad_items != 0 {
        return Err("totals disagree with the vote rows".into());
    }
    Ok(())
}

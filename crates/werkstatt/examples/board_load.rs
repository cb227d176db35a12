//! Load generator for the live workshop board (issue 4).
//!
//! Logs in as a city's coordinator, plans a workshop, opens its board, lets `--clients` guests join (each
//! with its own cookie jar) and follow the board over Server-Sent Events (one light task per client, one
//! streaming response, SSE lines parsed by hand). Then, in the same run:
//!
//! 1. the ceiling: the board idle except for one writer (the moderator) adding cards at a gentle pace;
//! 2. a burst: one vote card per participant, written by the moderator one after another as fast as the
//!    server answers (the sequential single-writer rate);
//! 3. one load run per `--rate`: `--writes` writes (cards and dot votes, spread over the participants,
//!    participants' cards kept under the server's 12-per-minute limit, the excess written by the moderator)
//!    sent open-loop at the target rate with at most `--in-flight` requests outstanding.
//!
//! Every write gets an index; its send time is taken just before the POST. A card carries the index in its
//! text (`LT<index> …`); a vote is recognised by its `dots` event (each participant votes only on its own
//! card, one vote at a time, so the card's new total names the vote). Delivery latency is the time from send
//! to reception at each client. Each client checks the event ids (the board's sequence numbers) for gaps and
//! duplicates; at the end every client must have received every event since it connected.
//!
//! `cargo run --release --example board_load -- --base http://127.0.0.1:18082 --clients 300 --rate 100,300`

use clap::Parser;
use reqwest::{Client, StatusCode, header};
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;

#[derive(Parser, Clone)]
#[command(about = "Load generator for the live workshop board (SSE fan-out, cards and votes)")]
struct Args {
    /// Base URL of the running server (started with `--demo`).
    #[arg(long, default_value = "http://127.0.0.1:18082")]
    base: String,
    /// Participants following the board over SSE (each one also writes).
    #[arg(long, default_value_t = 300)]
    clients: usize,
    /// Writes (cards + votes) per load run.
    #[arg(long, default_value_t = 3000)]
    writes: usize,
    /// Target write rates per second, comma-separated: one load run each, in this order.
    #[arg(long, default_value = "100", value_delimiter = ',')]
    rate: Vec<f64>,
    /// Share of votes among the writes of a load run.
    #[arg(long, default_value_t = 0.5)]
    vote_share: f64,
    /// Cards written by the single writer on the otherwise idle board (the ceiling).
    #[arg(long, default_value_t = 50)]
    idle_writes: usize,
    /// Pace of the single idle writer (cards per second).
    #[arg(long, default_value_t = 10.0)]
    idle_rate: f64,
    /// Most writes in flight at once during a load run.
    #[arg(long, default_value_t = 256)]
    in_flight: usize,
    /// Coordinator (moderator) account.
    #[arg(long, default_value = "koordination.arnsberg@werkstatt.demo")]
    email: String,
    #[arg(long, default_value = "werkstatt-demo")]
    password: String,
    /// City of the workshop.
    #[arg(long, default_value = "arnsberg")]
    city: String,
    /// Process id of the server, to report its CPU time per phase (Linux `/proc`).
    #[arg(long)]
    server_pid: Option<u32>,
}

/// Dots per participant in the voting round (the server's maximum).
const DOTS: usize = 30;
/// Cards a participant may send per minute, kept a little below the server's limit (12 per 60 s).
const CARD_BUDGET: (usize, Duration) = (11, Duration::from_secs(62));
const NONE: usize = usize::MAX;

type Res<T> = Result<T, String>;

/// What the writers and the followers share.
struct Shared {
    t0: Instant,
    /// Per write index: send time in ns since `t0` (+1, so that 0 means "not sent").
    send_ns: Vec<AtomicU64>,
    acked: Vec<AtomicBool>,
    /// Per write index: when the server's answer was read (ns since `t0`).
    ack_ns: Vec<AtomicU64>,
    /// How many clients received the write's event, and when the last of them did (ns since `t0`).
    recv_count: Vec<AtomicU32>,
    last_recv_ns: Vec<AtomicU64>,
    /// The event id (sequence number) of the write, as the first receiver saw it.
    seq_of: Vec<AtomicI64>,
    next_index: AtomicUsize,
    /// Vote card id → participant; per participant, the write index of the vote that makes the total `k`.
    card_owner: OnceLock<HashMap<i64, usize>>,
    vote_index: Vec<Vec<AtomicUsize>>,
    /// Failed requests, grouped by request, status and body.
    errors: Mutex<BTreeMap<String, usize>>,
}

impl Shared {
    fn now_ns(&self) -> u64 {
        self.t0.elapsed().as_nanos() as u64 + 1
    }

    fn new_index(&self) -> usize {
        let i = self.next_index.fetch_add(1, Ordering::Relaxed);
        assert!(i < self.send_ns.len(), "write index space exhausted");
        i
    }

    fn error(&self, what: String) {
        *self.errors.lock().unwrap().entry(what).or_default() += 1;
    }
}

/// One simulated participant.
struct Participant {
    client: Client,
    csrf: String,
    /// Serialises this participant's votes, so that a card's new total names the vote.
    vote_lock: tokio::sync::Mutex<()>,
    votes_acked: AtomicUsize,
    vote_card: AtomicI64,
}

/// What the main task sees of a follower while it runs.
#[derive(Default)]
struct FollowerLive {
    connected: AtomicBool,
    last_seq: AtomicI64,
}

/// A follower's result.
#[derive(Default)]
struct FollowerStats {
    events: u64,
    gaps: u64,
    duplicates: u64,
    reconnects: u64,
    first_error: Option<String>,
    /// (write index, latency in µs).
    samples: Vec<(u32, u32)>,
}

fn client() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .tcp_nodelay(true)
        .build()
        .expect("http client")
}

fn csrf_from(html: &str) -> Option<String> {
    let at = html.find("name=\"_csrf\" value=\"")? + "name=\"_csrf\" value=\"".len();
    html.get(at..at + 64).map(str::to_string)
}

fn attr_from(html: &str, attr: &str) -> Option<String> {
    let key = format!("{attr}=\"");
    let at = html.find(&key)? + key.len();
    let end = html[at..].find('"')?;
    Some(html[at..at + end].to_string())
}

fn snippet(body: &str) -> String {
    let one_line: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
    one_line.chars().take(160).collect()
}

async fn get_text(c: &Client, url: &str) -> Res<(StatusCode, String)> {
    let r = c
        .get(url)
        .send()
        .await
        .map_err(|e| format!("GET {url}: {e}"))?;
    let s = r.status();
    Ok((
        s,
        r.text().await.map_err(|e| format!("GET {url} body: {e}"))?,
    ))
}

/// A form POST; returns the status, the `Location` header and the body.
async fn post_form(
    c: &Client,
    url: &str,
    form: &[(&str, &str)],
    json: bool,
) -> Res<(StatusCode, Option<String>, String)> {
    let mut rq = c.post(url).form(form).timeout(Duration::from_secs(60));
    if json {
        rq = rq.header(header::ACCEPT, "application/json");
    }
    let r = rq
        .send()
        .await
        .map_err(|e| format!("request failed: {e}"))?;
    let status = r.status();
    let location = r
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let body = r.text().await.map_err(|e| format!("body failed: {e}"))?;
    Ok((status, location, body))
}

/// POST to a board endpoint with `Accept: application/json`; `Ok(details)` when the server says `ok`.
async fn board_post(
    sh: &Shared,
    c: &Client,
    base: &str,
    path: &str,
    csrf: &str,
    fields: &[(&str, &str)],
) -> Option<serde_json::Value> {
    let mut form = vec![("_csrf", csrf)];
    form.extend_from_slice(fields);
    let url = format!("{base}{path}");
    let generic = path.rsplit('/').next().unwrap_or(path);
    match post_form(c, &url, &form, true).await {
        Ok((s, _, body)) if s.is_success() => {
            match serde_json::from_str::<serde_json::Value>(&body) {
                Ok(v) if v["ok"] == true => Some(v["details"].clone()),
                _ => {
                    sh.error(format!("POST /w/…/{generic}: {s} {}", snippet(&body)));
                    None
                }
            }
        }
        Ok((s, _, body)) => {
            sh.error(format!("POST /w/…/{generic}: {s} {}", snippet(&body)));
            None
        }
        Err(e) => {
            sh.error(format!("POST /w/…/{generic}: {e}"));
            None
        }
    }
}

/// Log in, plan a workshop far in the future and open its board; returns the moderator's client, its CSRF
/// token and the board code.
async fn set_up(a: &Args) -> Res<(Client, String, String)> {
    let base = &a.base;
    let m = client();
    let (_, html) = get_text(&m, &format!("{base}/impressum")).await?;
    let csrf = csrf_from(&html).ok_or("no CSRF token on /impressum")?;
    let (s, loc, body) = post_form(
        &m,
        &format!("{base}/anmelden"),
        &[
            ("_csrf", &csrf),
            ("email", &a.email),
            ("password", &a.password),
            ("next", "/"),
        ],
        false,
    )
    .await?;
    if !s.is_redirection() {
        return Err(format!("login: {s} {loc:?} {}", snippet(&body)));
    }
    let (_, html) = get_text(&m, &format!("{base}/impressum")).await?;
    let csrf = csrf_from(&html).ok_or("no CSRF token after login")?;
    let city = &a.city;
    let (s, loc, body) = post_form(
        &m,
        &format!("{base}/kommunen/{city}/werkstaetten/neu"),
        &[
            ("_csrf", &csrf),
            ("title", "Lasttest Pinnwand"),
            ("format_key", "strategiewerkstatt"),
            ("date", "2099-12-03"),
            ("start_time", "17:00"),
            ("end_time", "20:00"),
            ("place", "Rathaus, großer Saal"),
            ("capacity", ""),
            ("purpose", "Lastmessung der Live-Pinnwand"),
            ("visibility", "intern"),
        ],
        false,
    )
    .await?;
    let workshop = loc
        .filter(|_| s.is_redirection())
        .ok_or_else(|| format!("create workshop: {s} {}", snippet(&body)))?;
    let (s, loc, body) = post_form(
        &m,
        &format!("{base}{workshop}/pinnwand"),
        &[("_csrf", &csrf)],
        false,
    )
    .await?;
    let board = loc
        .filter(|_| s.is_redirection())
        .ok_or_else(|| format!("open board: {s} {}", snippet(&body)))?;
    let code = board
        .strip_prefix("/w/")
        .ok_or_else(|| format!("unexpected board location {board}"))?
        .to_string();
    Ok((m, csrf, code))
}

/// A guest joins the board with its own cookie jar.
async fn join(base: &str, code: &str, n: usize) -> Res<Participant> {
    let c = client();
    let (s, html) = get_text(&c, &format!("{base}/w/{code}")).await?;
    let csrf = csrf_from(&html).ok_or_else(|| format!("join page {s}: no CSRF token"))?;
    let name = format!("Gast {n}");
    let (s, _, body) = post_form(
        &c,
        &format!("{base}/w/{code}/beitreten"),
        &[("_csrf", &csrf), ("display_name", &name)],
        false,
    )
    .await?;
    if !s.is_redirection() {
        return Err(format!("POST /w/…/beitreten: {s} {}", snippet(&body)));
    }
    Ok(Participant {
        client: c,
        csrf,
        vote_lock: tokio::sync::Mutex::new(()),
        votes_acked: AtomicUsize::new(0),
        vote_card: AtomicI64::new(0),
    })
}

/// Follow the board over SSE from `since` until `stop`; reconnect (with `Last-Event-ID`) if the stream ends.
async fn follow(
    p: Arc<Participant>,
    url: String,
    since: i64,
    sh: Arc<Shared>,
    live: Arc<FollowerLive>,
    mut stop: watch::Receiver<bool>,
) -> FollowerStats {
    let mut st = FollowerStats::default();
    let mut last = since;
    live.last_seq.store(last, Ordering::Release);
    'connect: loop {
        if *stop.borrow() {
            break;
        }
        let rq = p
            .client
            .get(&url)
            .header(header::ACCEPT, "text/event-stream")
            .header("Last-Event-ID", last.to_string());
        let mut resp = tokio::select! {
            r = rq.send() => match r {
                Ok(r) if r.status() == StatusCode::OK => r,
                Ok(r) => {
                    let s = r.status();
                    let body = r.text().await.unwrap_or_default();
                    st.first_error.get_or_insert(format!("GET /w/…/events: {s} {}", snippet(&body)));
                    tokio::time::sleep(Duration::from_millis(500)).await;
                    st.reconnects += 1;
                    continue;
                }
                Err(e) => {
                    st.first_error.get_or_insert(format!("GET /w/…/events: {e}"));
                    tokio::time::sleep(Duration::from_millis(500)).await;
                    st.reconnects += 1;
                    continue;
                }
            },
            _ = stop.changed() => break,
        };
        live.connected.store(true, Ordering::Release);
        let mut buf: Vec<u8> = Vec::with_capacity(4096);
        let (mut id, mut kind, mut data) = (String::new(), String::new(), String::new());
        loop {
            let chunk = tokio::select! {
                c = resp.chunk() => c,
                _ = stop.changed() => break 'connect,
            };
            let now = sh.now_ns();
            let chunk = match chunk {
                Ok(Some(c)) => c,
                Ok(None) => {
                    st.first_error
                        .get_or_insert("SSE stream ended by the server".into());
                    st.reconnects += 1;
                    continue 'connect;
                }
                Err(e) => {
                    st.first_error
                        .get_or_insert(format!("SSE stream broke: {e}"));
                    st.reconnects += 1;
                    continue 'connect;
                }
            };
            buf.extend_from_slice(&chunk);
            let mut start = 0;
            while let Some(nl) = buf[start..].iter().position(|b| *b == b'\n') {
                let line = &buf[start..start + nl];
                let line = line.strip_suffix(b"\r").unwrap_or(line);
                start += nl + 1;
                if line.is_empty() {
                    if !data.is_empty() || !kind.is_empty() {
                        dispatch(&sh, &mut st, &mut last, &id, &kind, &data, now);
                        live.last_seq.store(last, Ordering::Release);
                    }
                    id.clear();
                    kind.clear();
                    data.clear();
                    continue;
                }
                let line = String::from_utf8_lossy(line);
                let (field, value) = match line.split_once(':') {
                    Some((f, v)) => (f, v.strip_prefix(' ').unwrap_or(v)),
                    None => (line.as_ref(), ""),
                };
                match field {
                    "" => {} // comment (keep-alive)
                    "id" => id = value.to_string(),
                    "event" => kind = value.to_string(),
                    "data" => {
                        if !data.is_empty() {
                            data.push('\n');
                        }
                        data.push_str(value);
                    }
                    _ => {}
                }
            }
            buf.drain(..start);
        }
    }
    st
}

/// One complete event at a follower.
fn dispatch(
    sh: &Shared,
    st: &mut FollowerStats,
    last: &mut i64,
    id: &str,
    kind: &str,
    data: &str,
    now: u64,
) {
    let Ok(seq) = id.parse::<i64>() else {
        st.first_error
            .get_or_insert(format!("event without numeric id: {kind} {data}"));
        return;
    };
    if seq <= *last {
        st.duplicates += 1;
        return;
    }
    if seq > *last + 1 {
        st.gaps += (seq - *last - 1) as u64;
        st.first_error
            .get_or_insert(format!("gap: event {seq} after {}", *last));
    }
    *last = seq;
    st.events += 1;
    let Ok(v) = serde_json::from_str::<serde_json::Value>(data) else {
        st.first_error
            .get_or_insert(format!("event {seq} ({kind}) with non-JSON data: {data}"));
        return;
    };
    let index = match kind {
        "card" => v["text"]
            .as_str()
            .and_then(|t| t.strip_prefix("LT"))
            .and_then(|t| t.split(' ').next())
            .and_then(|n| n.parse::<usize>().ok())
            .unwrap_or(NONE),
        "dots" => {
            let (card, total) = (v["card"].as_i64(), v["dots"].as_i64());
            match (sh.card_owner.get(), card, total) {
                (Some(owners), Some(card), Some(total)) if (1..=DOTS as i64).contains(&total) => {
                    match owners.get(&card) {
                        Some(p) => sh.vote_index[*p][total as usize].load(Ordering::Acquire),
                        None => NONE,
                    }
                }
                _ => NONE,
            }
        }
        _ => NONE,
    };
    if index == NONE || index >= sh.send_ns.len() {
        return;
    }
    let sent = sh.send_ns[index].load(Ordering::Acquire);
    if sent == 0 {
        return;
    }
    let _ = sh.seq_of[index].compare_exchange(0, seq, Ordering::AcqRel, Ordering::Acquire);
    sh.recv_count[index].fetch_add(1, Ordering::AcqRel);
    sh.last_recv_ns[index].fetch_max(now, Ordering::AcqRel);
    let us = (now.saturating_sub(sent) / 1000).min(u32::MAX as u64) as u32;
    st.samples.push((index as u32, us));
}

/// A card by `c` (a participant or the moderator); the send time is taken just before the POST.
async fn write_card(
    sh: &Shared,
    c: &Client,
    base: &str,
    code: &str,
    csrf: &str,
    index: usize,
) -> Option<i64> {
    let text = format!("LT{index} Lasttest-Karte: mehr Sitzbänke am Marktplatz");
    sh.send_ns[index].store(sh.now_ns(), Ordering::Release);
    let d = board_post(
        sh,
        c,
        base,
        &format!("/w/{code}/karten"),
        csrf,
        &[("text", &text), ("category", "idee")],
    )
    .await?;
    sh.ack_ns[index].store(sh.now_ns(), Ordering::Release);
    sh.acked[index].store(true, Ordering::Release);
    d["id"].as_i64()
}

/// One dot by participant `p` on its own card.
async fn write_vote(
    sh: &Shared,
    p: &Participant,
    who: usize,
    base: &str,
    code: &str,
    index: usize,
) {
    let _one_at_a_time = p.vote_lock.lock().await;
    let k = p.votes_acked.load(Ordering::Acquire) + 1;
    if k > DOTS {
        sh.error("vote budget exhausted in the load generator".into());
        return;
    }
    sh.vote_index[who][k].store(index, Ordering::Release);
    let card = p.vote_card.load(Ordering::Acquire).to_string();
    sh.send_ns[index].store(sh.now_ns(), Ordering::Release);
    let ok = board_post(
        sh,
        &p.client,
        base,
        &format!("/w/{code}/punkte"),
        &p.csrf,
        &[("card_id", &card), ("delta", "1")],
    )
    .await;
    if ok.is_some() {
        sh.ack_ns[index].store(sh.now_ns(), Ordering::Release);
        sh.acked[index].store(true, Ordering::Release);
        p.votes_acked.store(k, Ordering::Release);
    } else {
        sh.vote_index[who][k].store(NONE, Ordering::Release);
    }
}

/// Wait until every connected follower has seen the event of write `index` (or `limit` passes).
async fn wait_delivered(
    sh: &Shared,
    lives: &[Arc<FollowerLive>],
    index: usize,
    limit: Duration,
) -> bool {
    let until = Instant::now() + limit;
    loop {
        let seq = sh.seq_of[index].load(Ordering::Acquire);
        if seq > 0
            && lives
                .iter()
                .filter(|l| l.connected.load(Ordering::Acquire))
                .all(|l| l.last_seq.load(Ordering::Acquire) >= seq)
        {
            return true;
        }
        if Instant::now() > until {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn pct(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i] as f64 / 1000.0
}

/// A finished phase: the write indices it used, and what it measured.
struct Phase {
    name: String,
    range: std::ops::Range<usize>,
    elapsed: Duration,
    target: Option<f64>,
    cards: usize,
    votes: usize,
    mod_cards: usize,
    /// CPU seconds used during the phase: server (if its pid is known), this program, the whole machine.
    cpu: Cpu,
    /// The server's resident memory once the phase's events were delivered (MiB).
    rss: Option<f64>,
}

/// Resident memory of a process in MiB (Linux `/proc/<pid>/status`).
fn rss_mib(pid: Option<u32>) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{}/status", pid?)).ok()?;
    let kb = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))?
        .split_whitespace()
        .nth(1)?
        .parse::<f64>()
        .ok()?;
    Some(kb / 1024.0)
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

/// Busy CPU time of the whole machine in seconds (all processes, `/proc/stat`), and its number of cores.
fn machine_secs() -> Option<(f64, usize)> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let first = stat.lines().next()?;
    let f: Vec<u64> = first
        .split_whitespace()
        .skip(1)
        .filter_map(|v| v.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal
    let busy = f.first()? + f.get(1)? + f.get(2)? + f.get(5)? + f.get(6)? + f.get(7)?;
    let cores = stat
        .lines()
        .filter(|l| l.starts_with("cpu") && !l.starts_with("cpu "))
        .count();
    Some((busy as f64 / 100.0, cores))
}

/// CPU seconds of the server, this program and the whole machine.
type Cpu = (Option<f64>, Option<f64>, Option<f64>);

fn cpu_now(server: Option<u32>) -> Cpu {
    (
        server.and_then(|p| cpu_secs(Some(p))),
        cpu_secs(None),
        machine_secs().map(|m| m.0),
    )
}

/// CPU seconds used since `start`.
fn cpu_since(server: Option<u32>, start: Cpu) -> Cpu {
    let d = |a: Option<f64>, b: Option<f64>| Some(a? - b?);
    let now = cpu_now(server);
    (d(now.0, start.0), d(now.1, start.1), d(now.2, start.2))
}

fn line(label: &str, value: impl std::fmt::Display) {
    println!("{label:<58} {value}");
}

#[tokio::main]
async fn main() {
    let a = Args::parse();
    if let Err(e) = run(a).await {
        eprintln!("board_load: {e}");
        std::process::exit(1);
    }
}

async fn run(a: Args) -> Res<()> {
    let base = a.base.trim_end_matches('/').to_string();
    let n = a.clients.max(1);
    let total_writes = a.idle_writes + n + a.writes * a.rate.len() + 16 + a.rate.len();
    let sh = Arc::new(Shared {
        t0: Instant::now(),
        send_ns: (0..total_writes).map(|_| AtomicU64::new(0)).collect(),
        acked: (0..total_writes).map(|_| AtomicBool::new(false)).collect(),
        ack_ns: (0..total_writes).map(|_| AtomicU64::new(0)).collect(),
        recv_count: (0..total_writes).map(|_| AtomicU32::new(0)).collect(),
        last_recv_ns: (0..total_writes).map(|_| AtomicU64::new(0)).collect(),
        seq_of: (0..total_writes).map(|_| AtomicI64::new(0)).collect(),
        next_index: AtomicUsize::new(0),
        card_owner: OnceLock::new(),
        vote_index: (0..n)
            .map(|_| (0..=DOTS).map(|_| AtomicUsize::new(NONE)).collect())
            .collect(),
        errors: Mutex::new(BTreeMap::new()),
    });

    // Set-up: the moderator's workshop and board, the guests.
    let rss_start = rss_mib(a.server_pid);
    let (m, m_csrf, code) = set_up(&a).await?;
    let m = Arc::new(m);
    let t = Instant::now();
    let mut joins = JoinSet::new();
    let gate = Arc::new(Semaphore::new(16));
    for i in 0..n {
        let (base, code, gate) = (base.clone(), code.clone(), gate.clone());
        joins.spawn(async move {
            let _g = gate.acquire_owned().await;
            (i, join(&base, &code, i + 1).await)
        });
    }
    let mut slots: Vec<Option<Arc<Participant>>> = (0..n).map(|_| None).collect();
    while let Some(r) = joins.join_next().await {
        let (i, r) = r.map_err(|e| e.to_string())?;
        slots[i] = Some(Arc::new(r?));
    }
    let parts: Vec<Arc<Participant>> = slots.into_iter().map(|p| p.expect("joined")).collect();
    let join_secs = t.elapsed().as_secs_f64();

    // The board's sequence number now: every event after it must reach every client.
    let (_, page) = get_text(&m, &format!("{base}/w/{code}")).await?;
    let since: i64 = attr_from(&page, "data-seq")
        .and_then(|s| s.parse().ok())
        .ok_or("no data-seq on the board page")?;

    let (stop_tx, stop_rx) = watch::channel(false);
    let lives: Vec<Arc<FollowerLive>> = (0..n).map(|_| Arc::new(FollowerLive::default())).collect();
    let mut followers = JoinSet::new();
    let t = Instant::now();
    for (i, p) in parts.iter().enumerate() {
        let url = format!("{base}/w/{code}/events?since={since}");
        followers.spawn({
            let (p, sh, live, stop) = (p.clone(), sh.clone(), lives[i].clone(), stop_rx.clone());
            async move { (i, follow(p, url, since, sh, live, stop).await) }
        });
    }
    let until = Instant::now() + Duration::from_secs(30);
    while lives.iter().any(|l| !l.connected.load(Ordering::Acquire)) && Instant::now() < until {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let connect_secs = t.elapsed().as_secs_f64();
    let connected = lives
        .iter()
        .filter(|l| l.connected.load(Ordering::Acquire))
        .count();
    let rss_streams = rss_mib(a.server_pid);

    // Reference: the raw round trip of /healthz while the clients idle.
    let mut rtt = vec![];
    for _ in 0..200 {
        let t = Instant::now();
        let r = m
            .get(format!("{base}/healthz"))
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let _ = r.bytes().await;
        rtt.push(t.elapsed().as_micros() as u32);
    }
    rtt.sort_unstable();

    let mut phases: Vec<Phase> = vec![];
    let mut undelivered_markers = 0;

    // Warm-up (not measured): the first writes after start fill caches and prepared statements.
    for _ in 0..5 {
        let index = sh.new_index();
        write_card(&sh, &m, &base, &code, &m_csrf, index).await;
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // 1. Ceiling: one writer on the idle board, paced.
    let start_index = sh.next_index.load(Ordering::Relaxed);
    let t = Instant::now();
    let cpu0 = cpu_now(a.server_pid);
    for i in 0..a.idle_writes {
        tokio::time::sleep_until((t + Duration::from_secs_f64(i as f64 / a.idle_rate)).into())
            .await;
        let index = sh.new_index();
        write_card(&sh, &m, &base, &code, &m_csrf, index).await;
    }
    let elapsed = t.elapsed();
    let cpu = cpu_since(a.server_pid, cpu0);
    let end_index = sh.next_index.load(Ordering::Relaxed);
    if end_index > start_index
        && !wait_delivered(&sh, &lives, end_index - 1, Duration::from_secs(30)).await
    {
        undelivered_markers += 1;
    }
    phases.push(Phase {
        name: format!("idle board, one writer ({:.0} cards/s)", a.idle_rate),
        range: start_index..end_index,
        elapsed,
        target: Some(a.idle_rate),
        cards: a.idle_writes,
        votes: 0,
        mod_cards: a.idle_writes,
        cpu,
        rss: rss_mib(a.server_pid),
    });

    // 2. Burst: one vote card per participant, sequential, as fast as the server answers.
    let start_index = sh.next_index.load(Ordering::Relaxed);
    let t = Instant::now();
    let cpu0 = cpu_now(a.server_pid);
    let mut owners = HashMap::new();
    for (i, p) in parts.iter().enumerate() {
        let index = sh.new_index();
        let id = write_card(&sh, &m, &base, &code, &m_csrf, index)
            .await
            .ok_or("could not create a vote card (see errors)")?;
        p.vote_card.store(id, Ordering::Release);
        owners.insert(id, i);
    }
    let elapsed = t.elapsed();
    let cpu = cpu_since(a.server_pid, cpu0);
    let end_index = sh.next_index.load(Ordering::Relaxed);
    if !wait_delivered(&sh, &lives, end_index - 1, Duration::from_secs(30)).await {
        undelivered_markers += 1;
    }
    let _ = sh.card_owner.set(owners);
    phases.push(Phase {
        name: "burst: one writer, sequential, unpaced".into(),
        range: start_index..end_index,
        elapsed,
        target: None,
        cards: n,
        votes: 0,
        mod_cards: n,
        cpu,
        rss: rss_mib(a.server_pid),
    });

    // The voting round.
    board_post(
        &sh,
        &m,
        &base,
        &format!("/w/{code}/runde"),
        &m_csrf,
        &[
            ("action", "open"),
            ("dots", &DOTS.to_string()),
            ("cumulative", "on"),
        ],
    )
    .await
    .ok_or("could not open the voting round (see errors)")?;

    // 3. Load runs.
    let mut card_times: Vec<VecDeque<Instant>> = (0..n).map(|_| VecDeque::new()).collect();
    let mut votes_assigned = vec![0usize; n];
    let (mut card_rr, mut vote_rr) = (0usize, 0usize);
    for &rate in &a.rate {
        let sem = Arc::new(Semaphore::new(a.in_flight.max(1)));
        let mut tasks = JoinSet::new();
        let start_index = sh.next_index.load(Ordering::Relaxed);
        let (mut cards, mut votes, mut mod_cards) = (0, 0, 0);
        let t = Instant::now();
        let cpu0 = cpu_now(a.server_pid);
        for i in 0..a.writes {
            tokio::time::sleep_until((t + Duration::from_secs_f64(i as f64 / rate)).into()).await;
            let permit = sem.clone().acquire_owned().await.expect("semaphore");
            let is_vote =
                ((i + 1) as f64 * a.vote_share).floor() > (i as f64 * a.vote_share).floor();
            // A participant with dots left votes; else a participant under the card limit writes a card;
            // else the moderator (not limited) does.
            let voter = if is_vote {
                (0..n)
                    .map(|k| (vote_rr + k) % n)
                    .find(|p| votes_assigned[*p] < DOTS)
            } else {
                None
            };
            let index = sh.new_index();
            let (sh, base, code) = (sh.clone(), base.clone(), code.clone());
            if let Some(p) = voter {
                vote_rr = p + 1;
                votes_assigned[p] += 1;
                votes += 1;
                let part = parts[p].clone();
                tasks.spawn(async move {
                    write_vote(&sh, &part, p, &base, &code, index).await;
                    drop(permit);
                });
                continue;
            }
            cards += 1;
            let now = Instant::now();
            let writer = (0..n).map(|k| (card_rr + k) % n).find(|p| {
                let q = &mut card_times[*p];
                while q
                    .front()
                    .is_some_and(|t0| now.duration_since(*t0) > CARD_BUDGET.1)
                {
                    q.pop_front();
                }
                q.len() < CARD_BUDGET.0
            });
            match writer {
                Some(p) => {
                    card_rr = p + 1;
                    card_times[p].push_back(now);
                    let part = parts[p].clone();
                    tasks.spawn(async move {
                        write_card(&sh, &part.client, &base, &code, &part.csrf, index).await;
                        drop(permit);
                    });
                }
                None => {
                    mod_cards += 1;
                    let (m, csrf) = (m.clone(), m_csrf.clone());
                    tasks.spawn(async move {
                        write_card(&sh, &m, &base, &code, &csrf, index).await;
                        drop(permit);
                    });
                }
            }
        }
        while tasks.join_next().await.is_some() {}
        let elapsed = t.elapsed();
        let cpu = cpu_since(a.server_pid, cpu0);
        let end_index = sh.next_index.load(Ordering::Relaxed);
        // A marker after the run: once every client has it, every client has had its chance at the run.
        let marker = sh.new_index();
        write_card(&sh, &m, &base, &code, &m_csrf, marker).await;
        if !wait_delivered(&sh, &lives, marker, Duration::from_secs(60)).await {
            undelivered_markers += 1;
        }
        phases.push(Phase {
            name: format!("load run, target {rate:.0} writes/s"),
            range: start_index..end_index,
            elapsed,
            target: Some(rate),
            cards,
            votes,
            mod_cards,
            cpu,
            rss: rss_mib(a.server_pid),
        });
    }

    // The end: a last marker, then stop the followers.
    let end_marker = sh.new_index();
    write_card(&sh, &m, &base, &code, &m_csrf, end_marker).await;
    if !wait_delivered(&sh, &lives, end_marker, Duration::from_secs(60)).await {
        undelivered_markers += 1;
    }
    let final_seq = sh.seq_of[end_marker].load(Ordering::Acquire);
    let _ = stop_tx.send(true);
    let mut stats: Vec<FollowerStats> = (0..n).map(|_| FollowerStats::default()).collect();
    while let Some(r) = followers.join_next().await {
        let (i, s) = r.map_err(|e| e.to_string())?;
        stats[i] = s;
    }

    // Report.
    println!(
        "board /w/{code}, events after seq {since}; load generator shares the machine with the server"
    );
    line(
        "participants joined (s to join all)",
        format!("{n} ({join_secs:.1} s)"),
    );
    if let (Some(r0), Some(r1)) = (rss_start, rss_streams) {
        line(
            "server RSS before the set-up / with all streams open (MiB)",
            format!("{r0:.1} / {r1:.1}"),
        );
    }
    line(
        "SSE clients connected",
        format!("{connected} / {n} (all within {connect_secs:.2} s)"),
    );
    line(
        &format!("GET /healthz round trip p50 / p99 (ms), {connected} streams open"),
        format!("{:.2} / {:.2}", pct(&rtt, 0.5), pct(&rtt, 0.99)),
    );
    let (mut idle_p50, mut idle_p99) = (f64::NAN, f64::NAN);
    for (k, ph) in phases.iter().enumerate() {
        let mut lat: Vec<u32> = stats
            .iter()
            .flat_map(|s| s.samples.iter())
            .filter(|(i, _)| ph.range.contains(&(*i as usize)))
            .map(|(_, us)| *us)
            .collect();
        lat.sort_unstable();
        let (mut fan, mut ack): (Vec<u32>, Vec<u32>) = (vec![], vec![]);
        let (mut acked, mut not_all, mut lost) = (0, 0, 0);
        for i in ph.range.clone() {
            let sent = sh.send_ns[i].load(Ordering::Acquire);
            if sent == 0 {
                continue;
            }
            let got = sh.recv_count[i].load(Ordering::Acquire) as usize;
            if sh.acked[i].load(Ordering::Acquire) {
                acked += 1;
                ack.push(((sh.ack_ns[i].load(Ordering::Acquire) - sent) / 1000) as u32);
                if got == 0 {
                    lost += 1;
                }
            }
            if got > 0 {
                let last = sh.last_recv_ns[i].load(Ordering::Acquire);
                fan.push(((last - sent) / 1000) as u32);
                if got < connected {
                    not_all += 1;
                }
            }
        }
        fan.sort_unstable();
        ack.sort_unstable();
        let secs = ph.elapsed.as_secs_f64();
        println!();
        println!("{}", ph.name);
        line(
            "  writes sent / acknowledged (cards + votes)",
            format!(
                "{} / {acked} ({} cards, {} of them by the moderator; {} votes)",
                ph.range.len(),
                ph.cards,
                ph.mod_cards,
                ph.votes
            ),
        );
        let rate = acked as f64 / secs;
        let ratio = match ph.target {
            Some(t) => format!(" — {:.2} of target", rate / t),
            None => String::new(),
        };
        line(
            "  sustained acknowledged write rate (/s)",
            format!("{rate:.1} over {secs:.1} s{ratio}"),
        );
        line(
            "  SSE events delivered (/s, all clients)",
            format!("{:.0}", lat.len() as f64 / secs),
        );
        line(
            "  write answered p50 / p99 (ms)",
            format!("{:.1} / {:.1}", pct(&ack, 0.5), pct(&ack, 0.99)),
        );
        line(
            "  delivery to every client p50 / p99 / max (ms)",
            format!(
                "{:.1} / {:.1} / {:.1}  ({} samples)",
                pct(&lat, 0.5),
                pct(&lat, 0.99),
                pct(&lat, 1.0),
                lat.len()
            ),
        );
        line(
            "  until the last client had it, p50 / p99 (ms)",
            format!("{:.1} / {:.1}", pct(&fan, 0.5), pct(&fan, 0.99)),
        );
        if k == 0 {
            idle_p50 = pct(&lat, 0.5);
            idle_p99 = pct(&lat, 0.99);
        } else {
            line(
                "  ratio delivery p50 / p99 : idle board",
                format!(
                    "{:.2} / {:.2}",
                    pct(&lat, 0.5) / idle_p50,
                    pct(&lat, 0.99) / idle_p99
                ),
            );
        }
        line(
            "  acknowledged writes seen by no client / by only some",
            format!("{lost} / {not_all}"),
        );
        let cpu = |c: Option<f64>| c.map_or("?".to_string(), |c| format!("{c:.1}"));
        let cores = machine_secs().map_or(0, |m| m.1);
        let per_write = match ph.cpu.0 {
            Some(c) if acked > 0 => format!(", {:.2} ms per write", c * 1000.0 / acked as f64),
            _ => String::new(),
        };
        if let Some(r) = ph.rss {
            line("  server RSS after the phase (MiB)", format!("{r:.1}"));
        }
        line(
            "  CPU s: server / load generator / whole machine",
            format!(
                "{} / {} / {} of {:.1} ({cores} cores × {secs:.1} s){per_write}",
                cpu(ph.cpu.0),
                cpu(ph.cpu.1),
                cpu(ph.cpu.2),
                cores as f64 * secs
            ),
        );
    }

    // Completeness: every client must have every event in (since, final_seq].
    let expected = (final_seq - since).max(0) as u64;
    let complete = stats
        .iter()
        .filter(|s| s.events >= expected && s.gaps == 0)
        .count();
    let missing: u64 = stats
        .iter()
        .map(|s| expected.saturating_sub(s.events))
        .sum();
    let gaps: u64 = stats.iter().map(|s| s.gaps).sum();
    let dups: u64 = stats.iter().map(|s| s.duplicates).sum();
    let reconnects: u64 = stats.iter().map(|s| s.reconnects).sum();
    println!();
    line(
        "events per client expected (all writes + round + markers)",
        expected,
    );
    line(
        "clients that received every event",
        format!("{complete} / {n}"),
    );
    line(
        "events missing (sum over clients) / gaps seen",
        format!("{missing} / {gaps}"),
    );
    line(
        "duplicate events / stream reconnects",
        format!("{dups} / {reconnects}"),
    );
    line("markers not delivered to all in time", undelivered_markers);
    let mut firsts: BTreeMap<String, usize> = BTreeMap::new();
    for s in &stats {
        if let Some(e) = &s.first_error {
            *firsts.entry(e.clone()).or_default() += 1;
        }
    }
    for (e, c) in &firsts {
        println!("  stream problem ({c} clients, first of each): {e}");
    }
    let errors = sh.errors.lock().unwrap();
    let failed: usize = errors.values().sum();
    line("failed requests", failed);
    for (e, c) in errors.iter() {
        println!("  {c} × {e}");
    }
    Ok(())
}

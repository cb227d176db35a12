//! Durable votes (issue 5): the real binary is killed (SIGKILL) in the middle of a stream of votes and
//! restarted on the same database; every acknowledged vote is there, none is counted twice, and the totals
//! and budgets agree with the vote rows.

use crate::case;
use crate::child::Node;
use crate::harness::{Case, TestApp};
use crate::participation::format;
use reqwest::{Client, StatusCode};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::watch;

pub fn cases() -> Vec<Case> {
    vec![
        case!(acknowledged_votes_survive_a_kill_and_count_once),
        case!(batched_point_votes_decide_like_one_vote_at_a_time),
        case!(votes_as_sent_are_checked_by_the_writer),
        case!(the_vote_writer_gives_its_connection_back_clean),
    ]
}

/// Concurrent clients; each votes for its own participants.
const CLIENTS: usize = 64;
/// Participants per client.
const PER_CLIENT: usize = 2;
/// Items (measures) of the voting; one point per person and item (not cumulative).
const ITEMS: usize = 100;

/// Start the binary on `database_url` and wait until `/healthz` answers.
async fn start(database_url: &str, data_dir: &Path, log: &str) -> Node {
    Node::start(
        data_dir,
        data_dir.join(log),
        &["--database-url", database_url],
    )
    .await
}

/// The URL the child process gets for the test's own database.
async fn database_url(app: &TestApp) -> String {
    match app.db.pool() {
        store::Pool::Sqlite(_) => {
            format!("sqlite:{}", app.tmp.path().join("werkstatt.db").display())
        }
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

/// A participant as its browser: guest token (the `wk_part` cookie) and CSRF token (cookie and field).
#[derive(Clone)]
struct Person {
    id: i64,
    cookie: String,
    csrf: String,
}

/// One vote (+1) over HTTP as the format page's script sends it.
async fn vote(
    c: &Client,
    base: &str,
    path: &str,
    p: &Person,
    item: i64,
) -> reqwest::Result<(StatusCode, serde_json::Value)> {
    let item = item.to_string();
    let r = c
        .post(format!("{base}{path}/punkte"))
        .header("accept", "application/json")
        .header("cookie", &p.cookie)
        .form(&[
            ("_csrf", p.csrf.as_str()),
            ("item_kind", "massnahme"),
            ("item_id", item.as_str()),
            ("delta", "1"),
        ])
        .timeout(Duration::from_secs(10))
        .send()
        .await?;
    let status = r.status();
    let body = r.text().await?;
    Ok((status, serde_json::from_str(&body).unwrap_or_default()))
}

/// What the clients saw.
#[derive(Default)]
struct Seen {
    /// (participant, item) → acknowledged by the first server (true) or by the restarted one (false).
    acked: BTreeMap<(i64, i64), bool>,
    /// Requests without an answer: (participant, item, sent before the first server was gone).
    failed: Vec<(i64, i64, bool)>,
    /// Answers other than `{"ok":true}`.
    refused: Vec<String>,
}

async fn rows_of(app: &TestApp, id: i64, sql: &str) -> Vec<(i64, i64, i64)> {
    let sql = sqlx::AssertSqlSafe(sql.to_string());
    match app.db.pool() {
        store::Pool::Sqlite(p) => sqlx::query_as(sql)
            .bind(id)
            .fetch_all(p)
            .await
            .expect("query"),
        store::Pool::Postgres(p) => sqlx::query_as(sql)
            .bind(id)
            .fetch_all(p)
            .await
            .expect("query"),
    }
}

/// `n` measures of Arnsberg ("Maßnahme 0" …), with the first status, for a voting to offer.
async fn measures(
    app: &TestApp,
    n: usize,
    visibility: Option<domain::visibility::Visibility>,
) -> Vec<i64> {
    let city = store::municipalities::by_slug(&app.db, "arnsberg")
        .await
        .unwrap();
    let status = store::measures::statuses(&app.db).await.unwrap()[0]
        .status_key
        .clone();
    let mut items = Vec::new();
    for i in 0..n {
        let sheet = domain::measure::Sheet {
            title: format!("Maßnahme {i}"),
            visibility,
            ..Default::default()
        };
        let origin = store::measures::Origin {
            measure_id: None,
            template_id: None,
            is_demo: false,
        };
        items.push(
            store::measures::create(&app.db, city.id, &sheet, &status, None, origin)
                .await
                .unwrap(),
        );
    }
    items
}

async fn acknowledged_votes_survive_a_kill_and_count_once(app: TestApp) {
    // A published open point voting, one point per item, on ITEMS measures, with CLIENTS × PER_CLIENT guests
    // (inserted directly: joining over HTTP is limited to 30 per address and hour).
    let (_red, id, path) = format(&app, "punkte", "gast", &[("points", "100")]).await;
    let items = measures(
        &app,
        ITEMS,
        Some(domain::visibility::Visibility::Oeffentlich),
    )
    .await;
    let chosen: Vec<(&str, i64)> = items.iter().map(|m| ("massnahme", *m)).collect();
    store::participation::set_items(&app.db, id, &chosen)
        .await
        .unwrap();
    let mut people = Vec::new();
    for n in 0..CLIENTS * PER_CLIENT {
        let token = format!("{n:04}{}", "t".repeat(60));
        let p = store::participation::join_guest(&app.db, id, &store::tokens::hash_token(&token))
            .await
            .unwrap();
        let csrf = format!("{n:064}");
        people.push(Person {
            id: p.id,
            cookie: format!("wk_part={token}; wk_csrf={csrf}"),
            csrf,
        });
    }

    let url = database_url(&app).await;
    let dir = app.tmp.path().join("child");
    std::fs::create_dir_all(&dir).unwrap();
    let mut first = start(&url, &dir, "first.log").await;

    // Bad input first: a vote for something that is not an item, and a vote without the CSRF token, change nothing.
    let c = Client::new();
    let (s, v) = vote(&c, &first.base, &path, &people[0], 987_654)
        .await
        .unwrap();
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "not an item: {v}");
    let mut no_csrf = people[0].clone();
    no_csrf.csrf = "1".repeat(64);
    let (s, _) = vote(&c, &first.base, &path, &no_csrf, items[0])
        .await
        .unwrap();
    assert_eq!(s, StatusCode::FORBIDDEN, "wrong CSRF token");
    assert_eq!(app.count("participation_votes").await, 0);

    // CLIENTS clients vote +1 on distinct (participant, item) pairs; the servers' address is in a watch
    // channel. A request without an answer is recorded and its pair never sent again; the client then waits
    // for the next server.
    let (addr_tx, addr_rx) = watch::channel((0u32, first.base.clone()));
    let seen = Arc::new(Mutex::new(Seen::default()));
    let dead_at: Arc<Mutex<Option<Instant>>> = Arc::new(Mutex::new(None));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut clients = tokio::task::JoinSet::new();
    for k in 0..CLIENTS {
        let mine: Vec<Person> = people[k * PER_CLIENT..(k + 1) * PER_CLIENT].to_vec();
        let (items, path, seen, dead_at, stop) = (
            items.clone(),
            path.clone(),
            seen.clone(),
            dead_at.clone(),
            stop.clone(),
        );
        let mut addr = addr_rx.clone();
        clients.spawn(async move {
            let c = Client::builder().tcp_nodelay(true).build().unwrap();
            // Each client walks its pairs in its own order, so the items' totals change concurrently.
            let pairs = (0..ITEMS * PER_CLIENT)
                .map(|j| (&mine[j % PER_CLIENT], items[(j / PER_CLIENT + k) % ITEMS]));
            for (p, item) in pairs {
                if stop.load(std::sync::atomic::Ordering::Relaxed) {
                    break;
                }
                let (generation, base) = addr.borrow().clone();
                let sent = Instant::now();
                match vote(&c, &base, &path, p, item).await {
                    Ok((s, v)) if s == StatusCode::OK && v["ok"] == true => {
                        seen.lock()
                            .unwrap()
                            .acked
                            .insert((p.id, item), generation == 0);
                    }
                    Ok((s, v)) => seen.lock().unwrap().refused.push(format!("{s} {v}")),
                    Err(_) => {
                        let before = dead_at.lock().unwrap().is_none_or(|t| sent < t);
                        seen.lock().unwrap().failed.push((p.id, item, before));
                        // Wait for the restarted server (or the end).
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

    // Let the votes flow, then kill the server in the middle of them.
    let t = Instant::now();
    while seen.lock().unwrap().acked.len() < 300 && t.elapsed() < Duration::from_secs(5) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    first.kill();
    *dead_at.lock().unwrap() = Some(Instant::now());
    let acked_at_kill = seen.lock().unwrap().acked.len();

    // Restart on the same database; the clients go on there for a while.
    let second = start(&url, &dir, "second.log").await;
    addr_tx.send_replace((1, second.base.clone()));
    tokio::time::sleep(Duration::from_millis(1500)).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    while clients.join_next().await.is_some() {}
    let seen = std::mem::take(&mut *seen.lock().unwrap());

    let acked_first = seen.acked.values().filter(|f| **f).count();
    let acked_second = seen.acked.len() - acked_first;
    let in_flight: BTreeSet<(i64, i64)> = seen
        .failed
        .iter()
        .filter(|f| f.2)
        .map(|f| (f.0, f.1))
        .collect();
    let never_arrived: BTreeSet<(i64, i64)> = seen
        .failed
        .iter()
        .filter(|f| !f.2)
        .map(|f| (f.0, f.1))
        .collect();
    let rows: Vec<(i64, i64, i64)> = rows_of(
        &app,
        id,
        "SELECT participant_id, item_id, points FROM participation_votes WHERE participation_id = $1 ORDER BY participant_id, item_id",
    )
    .await;
    let row_set: BTreeSet<(i64, i64)> = rows.iter().map(|r| (r.0, r.1)).collect();
    eprintln!(
        "crash test ({:?}): acknowledged {} ({acked_first} before the kill, {acked_at_kill} seen at the kill, {acked_second} after the restart), \
         rows {}, in flight at the kill {}, sent to the dead server {}",
        app.backend,
        seen.acked.len(),
        rows.len(),
        in_flight.len(),
        never_arrived.len()
    );
    assert!(
        seen.refused.is_empty(),
        "every answered vote was accepted: {:?}",
        &seen.refused[..seen.refused.len().min(5)]
    );
    assert!(acked_first > 0, "votes flowed before the kill");
    assert!(acked_second > 0, "the restarted server takes votes");
    assert!(!in_flight.is_empty(), "the kill hit votes in flight");
    // Every acknowledged vote is there, once (the primary key makes a second row impossible, and no row
    // holds more than the one point allowed).
    let missing: Vec<_> = seen.acked.keys().filter(|k| !row_set.contains(k)).collect();
    assert!(missing.is_empty(), "acknowledged votes lost: {missing:?}");
    assert_eq!(row_set.len(), rows.len());
    assert!(
        rows.iter().all(|r| r.2 == 1),
        "one point per person and item"
    );
    // Rows beyond the acknowledged ones are votes that were in flight at the kill, no others.
    let extra: Vec<_> = row_set
        .iter()
        .filter(|k| !seen.acked.contains_key(k))
        .collect();
    assert!(
        extra.iter().all(|k| in_flight.contains(k)),
        "rows that no request in flight explains: {extra:?}"
    );
    assert!(rows.len() - seen.acked.len() <= in_flight.len());
    assert!(
        never_arrived.iter().all(|k| !row_set.contains(k)),
        "a request sent to the dead server was counted"
    );

    // A person whose vote got no answer sends it again: counted once either way.
    let c = Client::new();
    let person = |pid: i64| people.iter().find(|p| p.id == pid).unwrap();
    for (pid, item) in in_flight.iter().chain(seen.acked.keys().take(5)) {
        let (s, v) = vote(&c, &second.base, &path, person(*pid), *item)
            .await
            .unwrap();
        if row_set.contains(&(*pid, *item)) {
            assert_eq!(
                s,
                StatusCode::UNPROCESSABLE_ENTITY,
                "a vote that was committed is not counted again"
            );
            assert_eq!(v["code"], "err-vote-item-limit");
        } else {
            assert_eq!(
                (s, v["ok"].as_bool()),
                (StatusCode::OK, Some(true)),
                "an uncommitted vote can be sent again"
            );
        }
    }
    let rows: Vec<(i64, i64, i64)> = rows_of(
        &app,
        id,
        "SELECT participant_id, item_id, points FROM participation_votes WHERE participation_id = $1",
    )
    .await;
    let expected: BTreeSet<(i64, i64)> = seen
        .acked
        .keys()
        .copied()
        .chain(in_flight.iter().copied())
        .collect();
    assert_eq!(
        rows.iter().map(|r| (r.0, r.1)).collect::<BTreeSet<_>>(),
        expected
    );

    // Totals and budgets agree with the rows.
    let tallies: Vec<(i64, i64, i64)> = rows_of(
        &app,
        id,
        "SELECT item_id, points, voters FROM participation_tallies WHERE participation_id = $1",
    )
    .await;
    let mut per_item: BTreeMap<i64, i64> = BTreeMap::new();
    let mut per_person: BTreeMap<i64, i64> = BTreeMap::new();
    for r in &rows {
        *per_item.entry(r.1).or_default() += r.2;
        *per_person.entry(r.0).or_default() += r.2;
    }
    for (item, points, voters) in &tallies {
        let n = per_item.get(item).copied().unwrap_or(0);
        assert_eq!((*points, *voters), (n, n), "totals of item {item}");
    }
    assert_eq!(
        tallies.iter().filter(|t| t.1 > 0).count(),
        per_item.len(),
        "every voted item has its total"
    );
    let budgets: Vec<(i64, i64, i64)> = rows_of(
        &app,
        id,
        "SELECT b.participant_id, b.used, b.max_points FROM participation_budgets b \
         JOIN participants p ON p.id = b.participant_id WHERE p.participation_id = $1",
    )
    .await;
    for (pid, used, max) in &budgets {
        assert_eq!(
            *used,
            per_person.get(pid).copied().unwrap_or(0),
            "budget of participant {pid}"
        );
        assert!(used <= max);
    }
    assert_eq!(budgets.iter().filter(|b| b.1 > 0).count(), per_person.len());

    // The restarted server's public totals say the same.
    let api: serde_json::Value = c
        .get(format!("{}/api/v1/participations/{id}/points", second.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let api_total: i64 = api["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["points"].as_i64().unwrap())
        .sum();
    assert_eq!(api_total, rows.len() as i64);
    drop(second);
}

/// State of one format: vote rows `(participant index, item, points)`, budgets `(participant index, used)`,
/// totals `(item, points, voters)`.
async fn state_of(
    app: &TestApp,
    id: i64,
    people: &[i64],
) -> (
    Vec<(usize, i64, i64)>,
    Vec<(usize, i64)>,
    Vec<(i64, i64, i64)>,
) {
    let index = |pid: i64| people.iter().position(|p| *p == pid).unwrap();
    let mut votes: Vec<(usize, i64, i64)> = rows_of(app, id, "SELECT participant_id, item_id, points FROM participation_votes WHERE participation_id = $1")
        .await
        .into_iter()
        .map(|(p, i, n)| (index(p), i, n))
        .collect();
    votes.sort();
    let mut budgets: Vec<(usize, i64)> = rows_of(
        app,
        id,
        "SELECT b.participant_id, b.used, b.max_points FROM participation_budgets b JOIN participants p ON p.id = b.participant_id \
         WHERE p.participation_id = $1",
    )
    .await
    .into_iter()
    .map(|(p, u, _)| (index(p), u))
    .collect();
    budgets.sort();
    let mut tallies = rows_of(
        app,
        id,
        "SELECT item_id, points, voters FROM participation_tallies WHERE participation_id = $1",
    )
    .await;
    tallies.sort();
    (votes, budgets, tallies)
}

/// The batched path of the vote writer (decide in memory, write net changes) against the reference path (each
/// vote in its own savepoint, the constraints deciding): the same pseudo-random votes, with many refusals,
/// repeated and taken-back points and an unknown participant, get the same answers and leave the same rows,
/// budgets and totals.
async fn batched_point_votes_decide_like_one_vote_at_a_time(app: TestApp) {
    let (_red, a, _) = format(
        &app,
        "punkte",
        "gast",
        &[("points", "5"), ("cumulative", "on")],
    )
    .await;
    let (_red, b, _) = format(
        &app,
        "punkte",
        "gast",
        &[("points", "5"), ("cumulative", "on")],
    )
    .await;
    let items = measures(&app, 4, None).await;
    let mut people = (Vec::new(), Vec::new());
    for n in 0..6 {
        for (id, list) in [(a, &mut people.0), (b, &mut people.1)] {
            let hash = store::tokens::hash_token(&format!("person-{id}-{n}"));
            list.push(
                store::participation::join_guest(&app.db, id, &hash)
                    .await
                    .unwrap()
                    .id,
            );
        }
    }
    // Deterministic pseudo-random votes (xorshift); mostly +1 early, so that budgets and item limits bite.
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    let mut plan = Vec::new();
    for k in 0..600 {
        let person = next(6) as usize;
        let item = items[next(4) as usize];
        let delta = if next(10) < if k < 200 { 8 } else { 4 } {
            1
        } else {
            -1
        };
        plan.push((person, item, delta));
    }
    let op = |participation: i64, participant: i64, item: i64, delta: i64| {
        store::votes::VoteOp::Points {
            participation_id: participation,
            participant_id: participant,
            item_kind: "massnahme",
            item_id: item,
            delta,
            budget: 5,
            max_per_item: 3,
        }
    };
    let mut batched = Vec::new();
    let mut reference = Vec::new();
    let mut at = 0;
    for (round, size) in [1usize, 7, 50, 3, 139, 1, 240, 159].into_iter().enumerate() {
        let slice = &plan[at..at + size];
        at += size;
        let mut ops_a: Vec<_> = slice
            .iter()
            .map(|(p, i, d)| op(a, people.0[*p], *i, *d))
            .collect();
        let mut ops_b: Vec<_> = slice
            .iter()
            .map(|(p, i, d)| op(b, people.1[*p], *i, *d))
            .collect();
        if round == 4 {
            // A participant that does not exist: the batch falls back to one vote at a time.
            ops_a.insert(5, op(a, 987_654, items[0], 1));
            ops_b.insert(5, op(b, 987_654, items[0], 1));
        }
        batched.extend(store::votes::apply_batch(&app.db, &ops_a).await.unwrap());
        reference.extend(
            store::votes::apply_one_by_one(&app.db, &ops_b)
                .await
                .unwrap(),
        );
    }
    assert_eq!(at, plan.len());
    assert_eq!(batched.len(), reference.len());
    assert_eq!(batched, reference, "same answers, vote by vote");
    let refused = |r: &[Result<store::votes::Counted, &str>], code: &str| {
        r.iter().filter(|x| **x == Err(code)).count()
    };
    for code in [
        "err-vote-no-points-left",
        "err-vote-item-limit",
        "err-vote-nothing-to-take-back",
        "err-vote-unknown",
    ] {
        assert!(refused(&batched, code) > 0, "the votes exercise {code}");
    }
    assert!(batched.iter().filter(|r| r.is_ok()).count() > 150);
    let (va, ba, ta) = state_of(&app, a, &people.0).await;
    let (vb, bb, tb) = state_of(&app, b, &people.1).await;
    assert_eq!((va.clone(), ba.clone()), (vb, bb), "same rows and budgets");
    assert_eq!(ta, tb, "same totals");
    // And they are consistent: totals are the sums of the rows, budgets the points each person gave.
    for (item, points, voters) in &ta {
        let rows: Vec<_> = va.iter().filter(|v| v.1 == *item).collect();
        assert_eq!(*points, rows.iter().map(|v| v.2).sum::<i64>());
        assert_eq!(*voters, rows.len() as i64);
    }
    for (person, used) in &ba {
        assert_eq!(
            *used,
            va.iter()
                .filter(|v| v.0 == *person)
                .map(|v| v.2)
                .sum::<i64>()
        );
        assert!(*used <= 5);
    }
}

/// Votes as they arrive over the web (city slug, format, participant's cookie token) are checked by the
/// writer in the batch's transaction, in one statement for the batch: only an active participant's vote on
/// an item of that city's open, published point format counts; every other vote is answered "unresolved"
/// and writes nothing, while the good votes of the same batch commit.
async fn votes_as_sent_are_checked_by_the_writer(app: TestApp) {
    // Three points per person, one per item.
    let (_red, id, _) = format(&app, "punkte", "gast", &[("points", "3")]).await;
    let (_red, other, _) = format(&app, "punkte", "gast", &[("points", "3")]).await;
    app.municipality("siegen", "Siegen", "05970040", 101_000)
        .await;
    let items = measures(&app, 3, None).await;
    // The format offers the first two measures; the third is no item of it.
    store::participation::set_items(
        &app.db,
        id,
        &[("massnahme", items[0]), ("massnahme", items[1])],
    )
    .await
    .unwrap();
    store::participation::set_items(&app.db, other, &[("massnahme", items[0])])
        .await
        .unwrap();
    let token = |n: &str| store::tokens::hash_token(&format!("token-{n}"));
    let active = store::participation::join_guest(&app.db, id, &token("aktiv"))
        .await
        .unwrap()
        .id;
    let gone = store::participation::join_guest(&app.db, id, &token("weg"))
        .await
        .unwrap()
        .id;
    store::participation::anonymise(&app.db, gone)
        .await
        .unwrap();
    let now = store::now_secs();
    let sent = |slug: &str, format: i64, who: &str, item: i64, delta: i64, at: i64| {
        store::votes::VoteOp::PointsAsSent {
            slug: slug.into(),
            participation_id: format,
            user_id: None,
            token_hash: Some(token(who)),
            item_kind: "massnahme",
            item_id: item,
            delta,
            now: at,
        }
    };
    let ops = vec![
        sent("arnsberg", id, "aktiv", items[0], 1, now),
        // Another city's address for the same format.
        sent("siegen", id, "aktiv", items[0], 1, now),
        // A token nobody holds; an anonymised participant.
        sent("arnsberg", id, "fremd", items[0], 1, now),
        sent("arnsberg", id, "weg", items[0], 1, now),
        // Not an item of the format; the participant's token in another format.
        sent("arnsberg", id, "aktiv", items[2], 1, now),
        sent("arnsberg", other, "aktiv", items[0], 1, now),
        // After the format closed (a year and a day on); a delta other than one point.
        sent("arnsberg", id, "aktiv", items[1], 1, now + 367 * 86_400),
        sent("arnsberg", id, "aktiv", items[1], 2, now),
        // A point on the second item, then a second one there: refused by the rule, not unresolved.
        sent("arnsberg", id, "aktiv", items[1], 1, now),
        sent("arnsberg", id, "aktiv", items[1], 1, now),
    ];
    let answers = store::votes::apply_batch(&app.db, &ops).await.unwrap();
    let unresolved = Err(store::votes::UNRESOLVED);
    assert_eq!(
        answers,
        vec![
            Ok(store::votes::Counted {
                total: 1,
                remaining: Some(2)
            }),
            unresolved.clone(),
            unresolved.clone(),
            unresolved.clone(),
            unresolved.clone(),
            unresolved.clone(),
            unresolved.clone(),
            unresolved,
            Ok(store::votes::Counted {
                total: 1,
                remaining: Some(1)
            }),
            Err("err-vote-item-limit"),
        ]
    );
    let rows = rows_of(
        &app,
        id,
        "SELECT participant_id, item_id, points FROM participation_votes WHERE participation_id = $1",
    )
    .await;
    let mut rows = rows;
    rows.sort();
    assert_eq!(rows, vec![(active, items[0], 1), (active, items[1], 1)]);
    assert_eq!(
        app.count("participation_votes").await,
        2,
        "nothing else written"
    );
}

/// Panics of sqlx's SQLite connection threads in this process (counted by a panic hook, installed once).
fn sqlite_worker_panics() -> usize {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static PANICS: AtomicUsize = AtomicUsize::new(0);
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let thread = std::thread::current();
            if thread
                .name()
                .is_some_and(|n| n.starts_with("sqlx-sqlite-worker"))
            {
                PANICS.fetch_add(1, Ordering::SeqCst);
            }
            previous(info);
        }));
    });
    PANICS.load(Ordering::SeqCst)
}

/// The vote writer keeps its connection while votes keep coming (on SQLite with the direct path's
/// statements prepared on its handle, ADR 0026) and gives it back to the pool after a pause: a later burst
/// takes it again and counts on, and the connection closes cleanly. (On SQLite, closing a handle with
/// statements left open panics sqlx's connection thread.)
async fn the_vote_writer_gives_its_connection_back_clean(app: TestApp) {
    let panics = sqlite_worker_panics();
    let (_red, id, _) = format(
        &app,
        "punkte",
        "gast",
        &[("points", "10"), ("cumulative", "on")],
    )
    .await;
    let items = measures(&app, 3, None).await;
    let mut people = Vec::new();
    for n in 0..8 {
        let hash = store::tokens::hash_token(&format!("writer-{n}"));
        people.push(
            store::participation::join_guest(&app.db, id, &hash)
                .await
                .unwrap()
                .id,
        );
    }
    // A pool of one connection of its own: the writer and the check below share it.
    let db = store::Db::connect_with(&app.database_url(), Some(1))
        .await
        .unwrap();
    let writer = store::votes::Writer::spawn(db.clone());
    let burst = |round: usize| {
        let writer = writer.clone();
        let people = people.clone();
        let items = items.clone();
        async move {
            let votes = people.iter().enumerate().map(|(n, &p)| {
                let writer = writer.clone();
                let op = store::votes::VoteOp::Points {
                    participation_id: id,
                    participant_id: p,
                    item_kind: "massnahme",
                    item_id: items[(n + round) % items.len()],
                    delta: 1,
                    budget: 10,
                    max_per_item: 10,
                };
                async move { writer.submit(op).await }
            });
            for answer in futures::future::join_all(votes).await {
                assert!(matches!(answer, Ok(Ok(_))), "{answer:?}");
            }
        }
    };
    burst(0).await;
    // The writer keeps its connection 200 ms after the last batch.
    tokio::time::sleep(Duration::from_millis(500)).await;
    burst(1).await;
    burst(2).await;
    drop(writer);
    // The writer gives the connection back when it stops; the pool's only connection is then free.
    use sqlx::Connection as _;
    let closed = match db.counted() {
        store::Pool::Sqlite(p) => p.acquire().await.unwrap().detach().close().await,
        store::Pool::Postgres(p) => p.acquire().await.unwrap().detach().close().await,
    };
    assert!(closed.is_ok(), "the connection closes cleanly: {closed:?}");
    db.close().await;
    assert_eq!(
        sqlite_worker_panics(),
        panics,
        "no connection thread panicked (statements left open on a handle sqlx closed)"
    );
    let used: Vec<(i64, i64)> = rows_of(
        &app,
        id,
        "SELECT participant_id, item_id, points FROM participation_votes WHERE participation_id = $1",
    )
    .await
    .into_iter()
    .map(|(p, _, points)| (p, points))
    .collect();
    assert_eq!(used.len(), people.len() * 3, "three items per person");
    assert!(used.iter().all(|(_, points)| *points == 1));
}

//! Scale-out (issue 7): three `werkstatt serve` nodes on one database behave as one system. Each node is as
//! in production — its own connection pool, mail worker, housekeeping, live-board hub, vote writer and
//! search index — and a scripted workload is spread round-robin over them; at the end every invariant is
//! checked in the database. On SQLite the three nodes share one WAL file; there is no LISTEN there, so
//! the live board takes the documented poll path (docs/SCALING.md).

use crate::board::{Sse, add_card, board, guest};
use crate::case;
use crate::harness::{Case, PASSWORD, TestApp, location};
use crate::participation::{format, join_guest, measure};
use reqwest::{Client, StatusCode};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

pub fn cases() -> Vec<Case> {
    vec![case!(three_nodes_behave_as_one_system)]
}

/// A value of one SQL query on the shared database.
async fn scalar(app: &TestApp, sql: &str) -> i64 {
    let sql = sqlx::AssertSqlSafe(sql.to_string());
    match app.db.pool() {
        store::Pool::Sqlite(p) => sqlx::query_scalar(sql).fetch_one(p).await.expect("scalar"),
        store::Pool::Postgres(p) => sqlx::query_scalar(sql).fetch_one(p).await.expect("scalar"),
    }
}

async fn pairs(app: &TestApp, sql: &str) -> Vec<(i64, i64)> {
    let sql = sqlx::AssertSqlSafe(sql.to_string());
    match app.db.pool() {
        store::Pool::Sqlite(p) => sqlx::query_as(sql).fetch_all(p).await.expect("rows"),
        store::Pool::Postgres(p) => sqlx::query_as(sql).fetch_all(p).await.expect("rows"),
    }
}

/// A log-in attempt with a password; the status.
async fn try_login(node: &TestApp, c: &Client, email: &str, password: &str) -> StatusCode {
    node.post_form(c, "/anmelden", &[("email", email), ("password", password)])
        .await
        .status()
}

/// One point (+1) for `item` as the format page's script sends it, with the client's CSRF token.
async fn vote(node: &TestApp, c: &Client, csrf: &str, path: &str, item: i64) -> StatusCode {
    c.post(node.url(&format!("{path}/punkte")))
        .header("accept", "application/json")
        .form(&[
            ("_csrf", csrf),
            ("item_kind", "massnahme"),
            ("item_id", &item.to_string()),
            ("delta", "1"),
        ])
        .send()
        .await
        .expect("vote")
        .status()
}

/// The search API's answer on `node`, polled until `done` holds; the time it took.
async fn search_until(
    node: &TestApp,
    c: &Client,
    query: &str,
    done: impl Fn(&Value) -> bool,
) -> Duration {
    let start = Instant::now();
    loop {
        let r = node.get(c, &format!("/api/v1/search?{query}")).await;
        assert_eq!(r.status(), StatusCode::OK);
        let v: Value = r.json().await.expect("json");
        if done(&v) {
            return start.elapsed();
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "search {query} on {} never satisfied the condition; last answer {v:#}",
            node.base
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn three_nodes_behave_as_one_system(app: TestApp) {
    let more = app.more_nodes(2).await;
    let nodes: [&TestApp; 3] = [&app, &more[0], &more[1]];
    // Arnsberg with an editor `red@x.de` and a live board (workshop) — created through node 1.
    let (red, _, code) = board(&app).await;
    app.user("admin@x.de", Some("admin"), &[]).await;
    for who in ["anna@x.de", "otto@x.de", "paula@x.de"] {
        app.user(who, None, &[]).await;
    }

    // --- Sessions: log in on node 1, use the session on nodes 2 and 3, log out on node 3.
    let anna = nodes[0].login("anna@x.de").await;
    for n in nodes {
        let (s, body) = n.get_text(&anna, "/konto").await;
        assert_eq!(
            s,
            StatusCode::OK,
            "the session of node 1 works on {}",
            n.base
        );
        assert!(body.contains("anna@x.de"));
    }
    let r = nodes[2].post_form(&anna, "/abmelden", &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    for n in nodes {
        let r = n.get(&anna, "/konto").await;
        assert_eq!(
            (r.status(), location(&r)),
            (StatusCode::SEE_OTHER, "/anmelden?next=%2Fkonto".to_string()),
            "logged out on node 3 means logged out on {}",
            n.base
        );
    }

    // --- Log-in throttling: five failures spread over the nodes lock the account on every node, as on one.
    let c = app.client();
    for i in 0..5 {
        let s = try_login(nodes[i % 3], &c, "otto@x.de", "falsch-falsch").await;
        assert_eq!(
            s,
            StatusCode::UNAUTHORIZED,
            "failure {} on node {}",
            i + 1,
            i % 3 + 1
        );
    }
    for n in nodes {
        assert_eq!(
            try_login(n, &c, "otto@x.de", PASSWORD).await,
            StatusCode::TOO_MANY_REQUESTS,
            "the sixth attempt is refused on {}",
            n.base
        );
    }
    // Fifteen parallel wrong guesses spread over the nodes: the password is checked at most five times in
    // all (a guess that is checked answers 401, a refused one 429), and then the account is locked.
    let burst = futures::future::join_all((0..15).map(|i| {
        let c = app.client();
        async move { try_login(nodes[i % 3], &c, "paula@x.de", "falsch-falsch").await }
    }))
    .await;
    let mut checked = burst
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    assert!(
        burst
            .iter()
            .all(|s| matches!(*s, StatusCode::UNAUTHORIZED | StatusCode::TOO_MANY_REQUESTS)),
        "{burst:?}"
    );
    assert!(
        checked <= 5,
        "{checked} guesses checked in parallel: {burst:?}"
    );
    let mut i = 0;
    loop {
        match try_login(nodes[i % 3], &c, "paula@x.de", "falsch-falsch").await {
            StatusCode::UNAUTHORIZED => checked += 1,
            StatusCode::TOO_MANY_REQUESTS => break,
            s => panic!("unexpected {s}"),
        }
        i += 1;
    }
    assert_eq!(checked, 5, "exactly five guesses, however they were spread");
    for n in nodes {
        assert_eq!(
            try_login(n, &c, "paula@x.de", PASSWORD).await,
            StatusCode::TOO_MANY_REQUESTS
        );
    }

    // --- Votes: a point voting with 3 points per person, one point per item, three measures.
    let (red2, format_id, path) = format(&app, "punkte", "gast", &[("points", "3")]).await;
    let items = [
        measure(&app, &red2, "Digitale Bürgerdienste").await,
        measure(&app, &red2, "Sensoren für Parkplätze").await,
        measure(&app, &red2, "Freies WLAN").await,
    ];
    let ids: Vec<String> = items.iter().map(i64::to_string).collect();
    let r = nodes[1]
        .post_form(
            &red2,
            &format!("{path}/punkte/eintraege"),
            &[
                ("measure_ids", &ids[0]),
                ("measure_ids", &ids[1]),
                ("measure_ids", &ids[2]),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // Ina: thirty parallel points for the same item, spread over the nodes, count once.
    let ina = join_guest(&app, &path).await;
    let ina_csrf = app.csrf(&ina).await;
    let results = futures::future::join_all(
        (0..30).map(|i| vote(nodes[i % 3], &ina, &ina_csrf, &path, items[0])),
    )
    .await;
    assert_eq!(
        results.iter().filter(|s| **s == StatusCode::OK).count(),
        1,
        "{results:?}"
    );
    // Otto: thirty parallel points over the three items: the budget of 3 holds, one point per item.
    let otto = join_guest(nodes[1], &path).await;
    let otto_csrf = nodes[1].csrf(&otto).await;
    let results = futures::future::join_all(
        (0..30).map(|i| vote(nodes[i % 3], &otto, &otto_csrf, &path, items[(i / 3) % 3])),
    )
    .await;
    assert_eq!(
        results.iter().filter(|s| **s == StatusCode::OK).count(),
        3,
        "{results:?}"
    );
    // Twelve more people, each joined on another node, vote for the second item at the same time.
    let mut people = Vec::new();
    for i in 0..12 {
        let c = join_guest(nodes[i % 3], &path).await;
        let csrf = nodes[i % 3].csrf(&c).await;
        people.push((c, csrf));
    }
    let results = futures::future::join_all(
        people
            .iter()
            .enumerate()
            .map(|(i, (c, csrf))| vote(nodes[(i + 1) % 3], c, csrf, &path, items[1])),
    )
    .await;
    assert!(results.iter().all(|s| *s == StatusCode::OK), "{results:?}");
    let tallies: BTreeMap<i64, i64> = store::votes::tallies(&app.db, format_id)
        .await
        .expect("tallies")
        .into_iter()
        .map(|t| (t.1, t.2))
        .collect();
    assert_eq!(
        [items[0], items[1], items[2]].map(|m| tallies.get(&m).copied().unwrap_or(0)),
        [2, 13, 1]
    );

    // --- Mails: invitations queued through every node plus a burst queued at once; three workers send.
    let admin = app.login("admin@x.de").await;
    let mut recipients = Vec::new();
    for i in 0..9 {
        let to = format!("neu{i:03}@x.de");
        let r = nodes[i % 3]
            .post_form(
                &admin,
                "/admin/benutzer/einladen",
                &[
                    ("email", &to),
                    ("grant", "city:editor"),
                    ("municipality", "arnsberg"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "invitation {i}");
        recipients.push(to);
    }
    for i in 0..45 {
        let to = format!("rundbrief{i:03}@x.de");
        store::mail::enqueue_with(&app.db, &to, "Rundbrief", "Hallo", None)
            .await
            .expect("queue");
        recipients.push(to);
    }
    for n in nodes {
        n.state.mail_wakeup.notify_one();
    }
    let start = Instant::now();
    while store::mail::pending_count(&app.db).await.expect("pending") > 0 {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "mails still queued after 30 s"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mails_took = start.elapsed();

    // --- Live board: a client of node 3 receives the cards posted on nodes 1 and 2, in order, no gaps.
    let ana = guest(nodes[2], &code, "Ana").await;
    let mut on_3 = Sse::open(nodes[2], &ana, &format!("/w/{code}/events"), None).await;
    let writer_2 = guest(nodes[1], &code, "Ben").await;
    let started = Instant::now();
    let code_ref = code.as_str();
    let posted = futures::future::join_all((0..20).map(|i| {
        let (node, c) = if i % 2 == 0 {
            (nodes[0], &red)
        } else {
            (nodes[1], &writer_2)
        };
        async move { add_card(node, c, code_ref, &format!("Karte {i}")).await }
    }))
    .await;
    let mut seen_cards = Vec::new();
    let mut last_seq = None;
    while seen_cards.len() < posted.len() {
        let e = on_3.next(5).await;
        if let Some(prev) = last_seq {
            assert_eq!(e.id, prev + 1, "events arrive in order without gaps");
        }
        last_seq = Some(e.id);
        if e.kind == "card" {
            seen_cards.push(e.data["id"].as_i64().expect("card id"));
        }
    }
    let latency = started.elapsed();
    assert_eq!(
        seen_cards.iter().copied().collect::<BTreeSet<_>>(),
        posted.iter().copied().collect::<BTreeSet<_>>(),
        "every card once"
    );
    assert_eq!(seen_cards.len(), posted.len());
    assert!(
        latency < Duration::from_secs(5),
        "twenty cards from two nodes reached node 3 within {latency:?}"
    );

    // --- Search: a measure created on node 1 is found on nodes 2 and 3; a visibility change on node 2
    // reaches every node's index.
    let id = measure(nodes[0], &red, "Ladesäulenkataster Neheim").await;
    let anon = app.client();
    let mut found_after = Vec::new();
    for n in &nodes[1..] {
        let took = search_until(n, &anon, "q=Lades%C3%A4ulenkataster", |v| v["total"] == 1).await;
        found_after.push(took);
        assert!(took < Duration::from_secs(5), "found within {took:?}");
        let (s, page) = n.get_text(&anon, "/suche?q=Lades%C3%A4ulenkataster").await;
        assert_eq!(s, StatusCode::OK);
        assert!(
            page.contains(&format!("/kommunen/arnsberg/massnahmen/{id}")),
            "the search page of {} links the measure",
            n.base
        );
    }
    let r = nodes[1]
        .post_form(
            &red,
            &format!("/kommunen/arnsberg/massnahmen/{id}/bearbeiten"),
            &[
                ("title", "Ladesäulenkataster Neheim"),
                ("visibility", "intern"),
                ("base_version", "1"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "made internal");
    for n in nodes {
        search_until(n, &anon, "q=Lades%C3%A4ulenkataster", |v| v["total"] == 0).await;
        search_until(n, &red, "q=Lades%C3%A4ulenkataster", |v| v["total"] == 1).await;
    }

    eprintln!(
        "scaleout ({:?}): {} mails sent by three workers within {mails_took:?}; 20 cards from nodes 1 and 2 \
         at the client of node 3 within {latency:?}; a new measure found on nodes 2 and 3 after {found_after:?}",
        app.backend,
        recipients.len()
    );

    // --- Invariants, read from the shared database.
    // Sessions: Anna's is gone; the failed log-ins of Paula and Otto are five each, refused ones left none.
    let anna_id = scalar(&app, "SELECT id FROM users WHERE email = 'anna@x.de'").await;
    assert_eq!(
        scalar(
            &app,
            &format!("SELECT COUNT(*) FROM sessions WHERE user_id = {anna_id}")
        )
        .await,
        0
    );
    for who in ["otto@x.de", "paula@x.de"] {
        let key = format!("acct:{}", store::tokens::hash_token(who));
        assert_eq!(
            scalar(
                &app,
                &format!("SELECT COUNT(*) FROM login_failures WHERE throttle_key = '{key}'")
            )
            .await,
            5,
            "{who}"
        );
    }
    // Votes: one row per person and item, totals = sum of the rows, no budget over 3.
    let dup = scalar(
        &app,
        &format!(
            "SELECT COUNT(*) FROM (SELECT participant_id, item_id FROM participation_votes \
             WHERE participation_id = {format_id} GROUP BY participant_id, item_id HAVING COUNT(*) > 1) d"
        ),
    )
    .await;
    assert_eq!(dup, 0);
    let sums: BTreeMap<i64, i64> = pairs(
        &app,
        &format!(
            "SELECT item_id, CAST(SUM(points) AS BIGINT) FROM participation_votes \
             WHERE participation_id = {format_id} GROUP BY item_id"
        ),
    )
    .await
    .into_iter()
    .collect();
    assert_eq!(sums, tallies, "totals match the vote rows");
    let budgets = pairs(
        &app,
        &format!(
            "SELECT v.participant_id, CAST(SUM(v.points) AS BIGINT) FROM participation_votes v \
             WHERE v.participation_id = {format_id} GROUP BY v.participant_id"
        ),
    )
    .await;
    assert_eq!(budgets.len(), 14);
    assert!(budgets.iter().all(|(_, used)| *used <= 3), "{budgets:?}");
    let used = pairs(
        &app,
        "SELECT b.participant_id, b.used FROM participation_budgets b",
    )
    .await;
    assert_eq!(
        used.into_iter().collect::<BTreeMap<_, _>>(),
        budgets.into_iter().collect::<BTreeMap<_, _>>(),
        "budgets used = points given"
    );
    // Mails: every queued mail went out exactly once (one file per recipient, no retries needed).
    for to in &recipients {
        assert_eq!(app.mails_to(to).len(), 1, "one mail to {to}");
    }
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM mail_outbox WHERE sent_at IS NULL OR attempts > 0"
        )
        .await,
        0
    );
    // Board: the event log is gap-free and each card has exactly one event.
    let wid = scalar(
        &app,
        &format!("SELECT workshop_id FROM boards WHERE join_code = '{code}'"),
    )
    .await;
    let (n, max) = (
        scalar(
            &app,
            &format!("SELECT COUNT(*) FROM board_events WHERE workshop_id = {wid}"),
        )
        .await,
        scalar(
            &app,
            &format!("SELECT MAX(seq) FROM board_events WHERE workshop_id = {wid}"),
        )
        .await,
    );
    assert_eq!(n, max, "sequence numbers 1..{max} without gaps");
    // Every node still answers.
    for n in nodes {
        assert_eq!(n.get(&anon, "/healthz").await.status(), StatusCode::OK);
    }
}

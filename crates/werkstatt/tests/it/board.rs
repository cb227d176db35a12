//! The live workshop board: join codes, guests and accounts, cards, clusters, dot budgets under parallel
//! requests, live events over SSE (also across two nodes), conversion into the strategy, the protocol.

use crate::case;
use crate::harness::{Case, TestApp, location};
use reqwest::{Client, StatusCode};
use serde_json::Value;
use std::time::Duration;

pub fn cases() -> Vec<Case> {
    vec![
        case!(join_by_code_as_guest_or_with_an_account),
        case!(cards_are_checked_and_moderated),
        case!(dot_budgets_hold_under_parallel_votes),
        case!(live_events_reach_clients_and_reconnects_catch_up),
        case!(a_card_added_on_one_node_reaches_a_client_of_another),
        case!(results_become_strategy_objects_with_back_links),
        case!(the_protocol_names_only_those_who_consented),
    ]
}

/// Arnsberg, an editor (`red@x.de`) logged in, a workshop on `date`, its board opened: `(red, workshop, code)`.
async fn board_on(app: &TestApp, date: &str) -> (Client, i64, String) {
    app.municipality("arnsberg", "Arnsberg", "05958004", 73_456)
        .await;
    app.user("red@x.de", None, &[("arnsberg", "editor")]).await;
    let red = app.login("red@x.de").await;
    let r = app
        .post_form(
            &red,
            "/kommunen/arnsberg/werkstaetten/neu",
            &[
                ("title", "Zukunftswerkstatt Innenstadt"),
                ("format_key", "zukunftswerkstatt"),
                ("date", date),
                ("start_time", "17:00"),
                ("end_time", "20:00"),
                ("place", "Rathaus"),
                ("capacity", ""),
                ("purpose", "Bedarfe sammeln"),
                ("visibility", "intern"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let wpath = location(&r);
    let wid: i64 = wpath.rsplit('/').next().unwrap().parse().unwrap();
    let r = app.post_form(&red, &format!("{wpath}/pinnwand"), &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let board = location(&r);
    let code = board.strip_prefix("/w/").expect("board path").to_string();
    // Opening again goes to the same board.
    let again = app.post_form(&red, &format!("{wpath}/pinnwand"), &[]).await;
    assert_eq!(location(&again), board);
    (red, wid, code)
}

pub(crate) async fn board(app: &TestApp) -> (Client, i64, String) {
    board_on(app, "2099-12-03").await
}

/// A guest who joined with `name`.
pub(crate) async fn guest(app: &TestApp, code: &str, name: &str) -> Client {
    let c = app.client();
    let r = app
        .post_form(
            &c,
            &format!("/w/{code}/beitreten"),
            &[("display_name", name)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "guest {name} joins");
    c
}

/// POST as a script does: JSON answer.
pub(crate) async fn post_json(
    app: &TestApp,
    c: &Client,
    path: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, Value) {
    let token = app.csrf(c).await;
    let mut all: Vec<(&str, &str)> = vec![("_csrf", token.as_str())];
    all.extend_from_slice(fields);
    let r = c
        .post(app.url(path))
        .header("accept", "application/json")
        .form(&all)
        .send()
        .await
        .expect("POST");
    let s = r.status();
    (s, r.json().await.unwrap_or(Value::Null))
}

pub(crate) async fn add_card(app: &TestApp, c: &Client, code: &str, text: &str) -> i64 {
    let (s, v) = post_json(
        app,
        c,
        &format!("/w/{code}/karten"),
        &[("text", text), ("category", "idee")],
    )
    .await;
    assert_eq!(s, StatusCode::OK, "card {text:?}: {v}");
    v["details"]["id"].as_i64().expect("card id")
}

async fn scalar(app: &TestApp, sql: &str) -> i64 {
    let sql = sqlx::AssertSqlSafe(sql.to_string());
    match app.db.pool() {
        store::Pool::Sqlite(p) => sqlx::query_scalar(sql).fetch_one(p).await.expect("scalar"),
        store::Pool::Postgres(p) => sqlx::query_scalar(sql).fetch_one(p).await.expect("scalar"),
    }
}

/// A minimal Server-Sent-Events reader over a streaming response.
pub(crate) struct Sse {
    resp: reqwest::Response,
    buf: String,
}

#[derive(Debug)]
pub(crate) struct Ev {
    pub(crate) id: i64,
    pub(crate) kind: String,
    pub(crate) data: Value,
}

impl Sse {
    pub(crate) async fn open(
        app: &TestApp,
        c: &Client,
        path: &str,
        last_event_id: Option<i64>,
    ) -> Sse {
        Self::open_url(c, app.url(path), last_event_id).await
    }

    /// [`Sse::open`] at a full URL (e.g. of a node in a child process).
    pub(crate) async fn open_url(c: &Client, url: String, last_event_id: Option<i64>) -> Sse {
        let mut req = c.get(url).header("accept", "text/event-stream");
        if let Some(id) = last_event_id {
            req = req.header("last-event-id", id.to_string());
        }
        let resp = req.send().await.expect("SSE");
        assert_eq!(resp.status(), StatusCode::OK, "SSE stream opens");
        assert!(
            resp.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/event-stream")
        );
        Sse {
            resp,
            buf: String::new(),
        }
    }

    /// The next event (keep-alive comments skipped), waiting at most `secs`.
    pub(crate) async fn next(&mut self, secs: u64) -> Ev {
        tokio::time::timeout(Duration::from_secs(secs), async {
            loop {
                if let Some(end) = self.buf.find("\n\n") {
                    let block: String = self.buf.drain(..end + 2).collect();
                    let (mut id, mut kind, mut data) = (None, String::new(), String::new());
                    for line in block.lines() {
                        if let Some(v) = line.strip_prefix("id:") {
                            id = v.trim().parse().ok();
                        } else if let Some(v) = line.strip_prefix("event:") {
                            kind = v.trim().to_string();
                        } else if let Some(v) = line.strip_prefix("data:") {
                            data.push_str(v.trim_start());
                        }
                    }
                    if let Some(id) = id {
                        return Ev {
                            id,
                            kind,
                            data: serde_json::from_str(&data).expect("event data is JSON"),
                        };
                    }
                    continue;
                }
                let chunk = self
                    .resp
                    .chunk()
                    .await
                    .expect("stream")
                    .expect("stream open");
                self.buf.push_str(&String::from_utf8_lossy(&chunk));
            }
        })
        .await
        .expect("an event within the time limit")
    }

    /// The next event of `kind`, skipping others.
    pub(crate) async fn next_of(&mut self, kind: &str, secs: u64) -> Ev {
        loop {
            let e = self.next(secs).await;
            if e.kind == kind {
                return e;
            }
        }
    }
}

async fn join_by_code_as_guest_or_with_an_account(app: TestApp) {
    let (red, _, code) = board(&app).await;
    assert_eq!(code.len(), 6);
    assert!(
        code.chars()
            .all(|c| domain::board::CODE_ALPHABET.contains(&(c as u8)))
    );
    // Typed with a dash and in lower case, the code still finds the board.
    let anon = app.client();
    let typed = format!("{}-{}", &code[..3], &code[3..]).to_lowercase();
    let r = app.get(&anon, &format!("/mitmachen?code={typed}")).await;
    assert_eq!(location(&r), format!("/w/{code}"));
    let (s, body) = app.get_text(&anon, "/mitmachen?code=QQQ-QQQ").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(body.contains("Zu diesem Code gibt es keine Pinnwand"));
    // Not yet joined: the join form, no cards.
    let (s, body) = app.get_text(&anon, &format!("/w/{code}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains("f-display_name") && !body.contains("add-card-form"));
    assert_eq!(
        app.get(&anon, &format!("/w/{code}/live")).await.status(),
        StatusCode::FORBIDDEN
    );
    // A bad name changes nothing.
    let before = app.count("board_participants").await;
    let r = app
        .post_form(
            &anon,
            &format!("/w/{code}/beitreten"),
            &[("display_name", "  ")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Bitte geben Sie einen Namen an.")
    );
    assert_eq!(app.count("board_participants").await, before);
    // A guest joins and sees the board.
    let ana = guest(&app, &code, "Ana").await;
    let (_, body) = app.get_text(&ana, &format!("/w/{code}")).await;
    assert!(
        body.contains("add-card-form"),
        "joined guests may write cards"
    );
    // The moderator allows accounts only: new guests are sent to log in, the joined guest stays.
    let r = app
        .post_form(
            &red,
            &format!("/w/{code}/einstellungen"),
            &[("guests_allowed", "")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let late = app.client();
    let r = app
        .post_form(
            &late,
            &format!("/w/{code}/beitreten"),
            &[("display_name", "Ben")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(location(&r).starts_with("/anmelden"), "log-in required");
    assert_eq!(app.count("board_participants").await, before + 1);
    // With an account: joined under the account's name, once however often.
    app.user("bürger@x.de", None, &[]).await;
    let citizen = app.login("bürger@x.de").await;
    for _ in 0..2 {
        let r = app
            .post_form(&citizen, &format!("/w/{code}/beitreten"), &[])
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    }
    assert_eq!(app.count("board_participants").await, before + 2);
    add_card(&app, &citizen, &code, "Mehr Sitzbänke am Neumarkt").await;
    // The QR code encodes the join link as SVG.
    let r = app.get(&anon, &format!("/w/{code}/qr.svg")).await;
    assert_eq!(r.headers()["content-type"], "image/svg+xml");
    assert!(r.text().await.unwrap().contains("<svg"));
    // A past workshop: the code no longer admits anyone, moderators still see the board.
    let (_, _, old) = {
        let r = app
            .post_form(
                &red,
                "/kommunen/arnsberg/werkstaetten/neu",
                &[
                    ("title", "Alte Werkstatt"),
                    ("format_key", "zukunftswerkstatt"),
                    ("date", "2020-01-10"),
                    ("start_time", "17:00"),
                    ("end_time", "20:00"),
                    ("place", "Rathaus"),
                    ("visibility", "intern"),
                ],
            )
            .await;
        let wpath = location(&r);
        let r = app.post_form(&red, &format!("{wpath}/pinnwand"), &[]).await;
        ((), (), location(&r).trim_start_matches("/w/").to_string())
    };
    let (s, body) = app.get_text(&app.client(), &format!("/w/{old}")).await;
    assert_eq!(s, StatusCode::GONE);
    assert!(body.contains("der Code gilt nicht mehr"));
    let r = app
        .post_form(
            &app.client(),
            &format!("/w/{old}/beitreten"),
            &[("display_name", "Zu spät")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::GONE);
    assert_eq!(
        app.get(&red, &format!("/w/{old}")).await.status(),
        StatusCode::OK
    );
}

async fn cards_are_checked_and_moderated(app: TestApp) {
    let (red, _, code) = board(&app).await;
    let ana = guest(&app, &code, "Ana").await;
    let card = add_card(&app, &ana, &code, "Freies WLAN in der Fußgängerzone").await;
    // Too long, empty, unknown category: refused with a message, nothing stored.
    let long = "x".repeat(281);
    for (text, cat, msg) in [
        (long.as_str(), "", "höchstens 280 Zeichen"),
        ("   ", "", "Bitte schreiben Sie etwas auf die Karte."),
        ("Gut", "grillen", "angebotenen Kategorien"),
    ] {
        let (s, v) = post_json(
            &app,
            &ana,
            &format!("/w/{code}/karten"),
            &[("text", text), ("category", cat)],
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(v["message"].as_str().unwrap().contains(msg), "{v}");
    }
    // The same without JavaScript: the board again, with the message and the text kept.
    let r = app
        .post_form(
            &ana,
            &format!("/w/{code}/karten"),
            &[("text", &long), ("category", "")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap();
    assert!(body.contains("error-summary") && body.contains(&long));
    assert_eq!(app.count("board_cards").await, 1);
    // A form post without JavaScript redirects back with a notice.
    let r = app
        .post_form(
            &ana,
            &format!("/w/{code}/karten"),
            &[("text", "Sensoren für Parkplätze"), ("category", "bedarf")],
        )
        .await;
    assert_eq!(location(&r), format!("/w/{code}?ok=card"));
    // Rate limit per participant: 12 cards a minute.
    let ben = guest(&app, &code, "Ben").await;
    for i in 0..12 {
        add_card(&app, &ben, &code, &format!("Idee {i}")).await;
    }
    let (s, v) = post_json(
        &app,
        &ben,
        &format!("/w/{code}/karten"),
        &[("text", "Noch eine")],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .contains("warten Sie eine Minute")
    );
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM board_cards WHERE text = 'Noch eine'"
        )
        .await,
        0
    );
    // Participants do not moderate.
    for path in [
        format!("/w/{code}/cluster"),
        format!("/w/{code}/karten/{card}"),
        format!("/w/{code}/runde"),
    ] {
        let r = app
            .post_form(
                &ana,
                &path,
                &[("name", "X"), ("action", "hide"), ("dots", "3")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{path}");
    }
    // The moderator clusters, edits, hides and merges.
    let (s, v) = post_json(
        &app,
        &red,
        &format!("/w/{code}/cluster"),
        &[("name", "Digitale Infrastruktur")],
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let cluster = v["details"]["id"].as_i64().unwrap();
    let (s, _) = post_json(&app, &red, &format!("/w/{code}/cluster"), &[("name", "")]).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let (s, _) = post_json(
        &app,
        &red,
        &format!("/w/{code}/karten/{card}"),
        &[("action", "move"), ("cluster_id", &cluster.to_string())],
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    post_json(
        &app,
        &red,
        &format!("/w/{code}/karten/{card}"),
        &[
            ("action", "edit"),
            ("text", "Freies WLAN in der ganzen Innenstadt"),
            ("category", "idee"),
        ],
    )
    .await;
    let (_, page) = app.get_text(&ana, &format!("/w/{code}")).await;
    let in_cluster = page
        .split(&format!("id=\"cards-c{cluster}\""))
        .nth(1)
        .unwrap();
    assert!(
        in_cluster
            .split("</ul>")
            .next()
            .unwrap()
            .contains("Freies WLAN in der ganzen Innenstadt")
    );
    let spam = add_card(&app, &ana, &code, "Kauft billige Uhren").await;
    post_json(
        &app,
        &red,
        &format!("/w/{code}/karten/{spam}"),
        &[("action", "hide")],
    )
    .await;
    let (_, page) = app.get_text(&ana, &format!("/w/{code}")).await;
    assert!(
        !page.contains("billige Uhren"),
        "hidden cards are not shown to participants"
    );
    let (_, page) = app.get_text(&red, &format!("/w/{code}")).await;
    assert!(
        page.contains("billige Uhren"),
        "moderators see hidden cards to restore them"
    );
    let twin = add_card(&app, &red, &code, "WLAN am Markt").await;
    let (s, _) = post_json(
        &app,
        &red,
        &format!("/w/{code}/karten/{twin}"),
        &[("action", "merge"), ("into", &card.to_string())],
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        scalar(
            &app,
            &format!("SELECT merged_into FROM board_cards WHERE id = {twin}")
        )
        .await,
        card
    );
    let (s, _) = post_json(
        &app,
        &red,
        &format!("/w/{code}/karten/{twin}"),
        &[("action", "merge"), ("into", "999999")],
    )
    .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "merging into an unknown card is refused"
    );
    // Dissolving the cluster puts its cards back.
    post_json(
        &app,
        &red,
        &format!("/w/{code}/cluster/{cluster}"),
        &[("action", "remove")],
    )
    .await;
    assert_eq!(
        scalar(
            &app,
            &format!("SELECT COUNT(*) FROM board_cards WHERE cluster_id = {cluster}")
        )
        .await,
        0
    );
}

async fn dot_budgets_hold_under_parallel_votes(app: TestApp) {
    let (red, _, code) = board(&app).await;
    let ana = guest(&app, &code, "Ana").await;
    let a = add_card(&app, &ana, &code, "Karte A").await;
    let b = add_card(&app, &ana, &code, "Karte B").await;
    // No round yet.
    let (s, v) = post_json(
        &app,
        &ana,
        &format!("/w/{code}/punkte"),
        &[("card_id", &a.to_string()), ("delta", "1")],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(v["message"].as_str().unwrap().contains("keine Abstimmung"));
    // Dots out of range.
    let (s, _) = post_json(
        &app,
        &red,
        &format!("/w/{code}/runde"),
        &[("action", "open"), ("dots", "0")],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    // Round 1: 2 dots, one per card.
    let (s, _) = post_json(
        &app,
        &red,
        &format!("/w/{code}/runde"),
        &[("action", "open"), ("dots", "2")],
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = post_json(
        &app,
        &red,
        &format!("/w/{code}/runde"),
        &[("action", "open"), ("dots", "2")],
    )
    .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "one open round at a time"
    );
    let vote = |c: Client, card: i64, delta: &'static str| {
        let app = &app;
        let code = code.clone();
        async move {
            post_json(
                app,
                &c,
                &format!("/w/{code}/punkte"),
                &[("card_id", &card.to_string()), ("delta", delta)],
            )
            .await
        }
    };
    let (s, v) = vote(ana.clone(), a, "1").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["details"]["remaining"], 1);
    let (s, v) = vote(ana.clone(), a, "1").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .contains("nur ein Punkt je Karte")
    );
    let (_, v) = vote(ana.clone(), b, "1").await;
    assert_eq!(v["details"]["remaining"], 0);
    let (s, v) = vote(ana.clone(), a, "-1").await;
    assert_eq!(
        (s, v["details"]["remaining"].as_i64()),
        (StatusCode::OK, Some(1))
    );
    let (s, _) = vote(ana.clone(), a, "-1").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "nothing to take back");
    let (s, _) = vote(ana.clone(), a, "7").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "only +1 and -1");
    post_json(
        &app,
        &red,
        &format!("/w/{code}/runde"),
        &[("action", "close")],
    )
    .await;
    // Round 2: 5 cumulative dots; 25 parallel requests of one person and 25 of another.
    post_json(
        &app,
        &red,
        &format!("/w/{code}/runde"),
        &[("action", "open"), ("dots", "5"), ("cumulative", "on")],
    )
    .await;
    let ben = guest(&app, &code, "Ben").await;
    let mut tasks = vec![];
    for i in 0..50 {
        let who = if i % 2 == 0 { ana.clone() } else { ben.clone() };
        tasks.push(vote(who, if i % 3 == 0 { a } else { b }, "1"));
    }
    let results = futures::future::join_all(tasks).await;
    let ok = results.iter().filter(|(s, _)| *s == StatusCode::OK).count();
    let refused: Vec<_> = results
        .iter()
        .filter(|(s, _)| *s != StatusCode::OK)
        .collect();
    assert_eq!(ok, 10, "exactly 5 dots each were accepted");
    assert!(
        refused
            .iter()
            .all(|(s, v)| *s == StatusCode::UNPROCESSABLE_ENTITY
                && v["message"].as_str().unwrap().contains("alle Punkte")),
        "the others were refused as over budget: {refused:?}"
    );
    let round2 = "(SELECT MAX(id) FROM board_rounds)";
    assert_eq!(scalar(&app, &format!("SELECT CAST(COALESCE(SUM(dots), 0) AS BIGINT) FROM board_votes WHERE round_id = {round2}")).await, 10);
    assert_eq!(
        scalar(
            &app,
            &format!("SELECT MAX(used) FROM board_dot_budgets WHERE round_id = {round2}")
        )
        .await,
        5
    );
    // The database itself refuses overspending, whatever the application does.
    let overspend =
        format!("UPDATE board_dot_budgets SET used = used + 1 WHERE round_id = {round2}");
    let err = match app.db.pool() {
        store::Pool::Sqlite(p) => sqlx::query(sqlx::AssertSqlSafe(overspend))
            .execute(p)
            .await
            .is_err(),
        store::Pool::Postgres(p) => sqlx::query(sqlx::AssertSqlSafe(overspend))
            .execute(p)
            .await
            .is_err(),
    };
    assert!(err, "CHECK (used <= max_dots) holds");
    // Results: the ranked list on the board.
    let (_, page) = app.get_text(&red, &format!("/w/{code}")).await;
    assert!(page.contains("Karten nach Punkten"));
}

async fn live_events_reach_clients_and_reconnects_catch_up(app: TestApp) {
    let (red, _, code) = board(&app).await;
    let ana = guest(&app, &code, "Ana").await;
    let outsider = app.client();
    let mut sse = Sse::open(&app, &ana, &format!("/w/{code}/events?since=0"), None).await;
    let first = add_card(&app, &red, &code, "Erste Karte").await;
    let e = sse.next_of("card", 5).await;
    assert_eq!(e.data["id"], first);
    assert_eq!(e.data["text"], "Erste Karte");
    let seen = e.id;
    // While the client is away, two more changes happen.
    drop(sse);
    let second = add_card(&app, &ana, &code, "Zweite Karte").await;
    post_json(
        &app,
        &red,
        &format!("/w/{code}/cluster"),
        &[("name", "Mobilität")],
    )
    .await;
    // Reconnecting with Last-Event-ID delivers exactly what was missed, in order, then live events.
    let mut sse = Sse::open(&app, &ana, &format!("/w/{code}/events"), Some(seen)).await;
    let e1 = sse.next(5).await;
    assert_eq!(
        (e1.id, e1.kind.as_str(), e1.data["id"].as_i64()),
        (seen + 1, "card", Some(second))
    );
    let e2 = sse.next(5).await;
    assert_eq!((e2.id, e2.kind.as_str()), (seen + 2, "cluster"));
    assert_eq!(e2.data["name"], "Mobilität");
    let hidden = add_card(&app, &red, &code, "Geheim").await;
    assert_eq!(sse.next(5).await.id, seen + 3);
    post_json(
        &app,
        &red,
        &format!("/w/{code}/karten/{hidden}"),
        &[("action", "hide")],
    )
    .await;
    let e = sse.next(5).await;
    assert_eq!(e.data["hidden"], true);
    assert!(
        e.data.get("text").is_none(),
        "a hidden card's text is not broadcast"
    );
    // Anyone holding a valid code may follow the board (the projector view), but writing needs joining.
    let r = outsider
        .get(app.url(&format!("/w/{code}/events")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let (s, _) = post_json(
        &app,
        &outsider,
        &format!("/w/{code}/karten"),
        &[("text", "Anonym")],
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "writing needs joining");
    assert!(app.state.metrics.sse_streams() >= 1);
}

async fn a_card_added_on_one_node_reaches_a_client_of_another(app: TestApp) {
    let (red, _, code) = board(&app).await;
    let node_b = app.second_node().await;
    let ana = node_b.client();
    let r = node_b
        .post_form(
            &ana,
            &format!("/w/{code}/beitreten"),
            &[("display_name", "Ana")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let mut on_b = Sse::open(&node_b, &ana, &format!("/w/{code}/events"), None).await;
    let started = std::time::Instant::now();
    let id = add_card(&app, &red, &code, "Von Knoten A").await;
    let e = on_b.next_of("card", 5).await;
    assert_eq!(e.data["id"], id);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "delivered within a second or two: {:?}",
        started.elapsed()
    );
    // And back: a card written on node B reaches a client of node A.
    let mut on_a = Sse::open(&app, &red, &format!("/w/{code}/events"), None).await;
    let id = {
        let (s, v) = post_json(
            &node_b,
            &ana,
            &format!("/w/{code}/karten"),
            &[("text", "Von Knoten B")],
        )
        .await;
        assert_eq!(s, StatusCode::OK);
        v["details"]["id"].as_i64().unwrap()
    };
    assert_eq!(on_a.next_of("card", 5).await.data["id"], id);
}

async fn results_become_strategy_objects_with_back_links(app: TestApp) {
    let (red, _, code) = board(&app).await;
    let ana = guest(&app, &code, "Ana").await;
    let c1 = add_card(&app, &ana, &code, "Digitale Parkplatzanzeige").await;
    let c2 = add_card(&app, &ana, &code, "Parken per App bezahlen").await;
    let c3 = add_card(&app, &ana, &code, "Innenstadt soll lebendig bleiben").await;
    let (_, v) = post_json(
        &app,
        &red,
        &format!("/w/{code}/cluster"),
        &[("name", "Smartes Parken")],
    )
    .await;
    let cluster = v["details"]["id"].as_i64().unwrap();
    for c in [c1, c2] {
        post_json(
            &app,
            &red,
            &format!("/w/{code}/karten/{c}"),
            &[("action", "move"), ("cluster_id", &cluster.to_string())],
        )
        .await;
    }
    // Participants cannot convert.
    let r = app
        .post_form(
            &ana,
            &format!("/w/{code}/uebernehmen"),
            &[
                ("source", &format!("cluster-{cluster}")),
                ("target", "massnahme"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let measures = app.count("measures").await;
    // The cluster becomes a measure: a pre-filled sheet, opened for editing.
    let r = app
        .post_form(
            &red,
            &format!("/w/{code}/uebernehmen"),
            &[
                ("source", &format!("cluster-{cluster}")),
                ("target", "massnahme"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let edit = location(&r);
    assert!(edit.ends_with("/bearbeiten"), "{edit}");
    assert_eq!(app.count("measures").await, measures + 1);
    let measure_path = edit.trim_end_matches("/bearbeiten").to_string();
    let (_, page) = app.get_text(&red, &measure_path).await;
    assert!(page.contains("Smartes Parken"));
    assert!(page.contains("Entstanden aus der Werkstatt"));
    assert!(page.contains("Digitale Parkplatzanzeige") && page.contains("Parken per App bezahlen"));
    assert!(page.contains("Zukunftswerkstatt Innenstadt"));
    // The cards show where they went.
    let (_, board_page) = app.get_text(&ana, &format!("/w/{code}")).await;
    assert!(board_page.contains(&format!("href=\"{measure_path}\"")));
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM board_links WHERE target_kind = 'massnahme'"
        )
        .await,
        2
    );
    // A card becomes a field of action selection and then a goal in it.
    let field: i64 = scalar(
        &app,
        "SELECT MIN(id) FROM taxonomy_terms WHERE taxonomy = 'field_of_action'",
    )
    .await;
    let r = app
        .post_form(
            &red,
            &format!("/w/{code}/uebernehmen"),
            &[
                ("source", &format!("card-{c3}")),
                ("target", "ziel"),
                ("field_id", &field.to_string()),
            ],
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a goal needs one of the city's fields"
    );
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Handlungsfelder der Kommune")
    );
    for target in ["handlungsfeld", "ziel", "definition"] {
        let r = app
            .post_form(
                &red,
                &format!("/w/{code}/uebernehmen"),
                &[
                    ("source", &format!("card-{c3}")),
                    ("target", target),
                    ("field_id", &field.to_string()),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{target}");
    }
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM goals WHERE text = 'Innenstadt soll lebendig bleiben'"
        )
        .await,
        1
    );
    assert_eq!(
        scalar(
            &app,
            &format!("SELECT COUNT(*) FROM city_fields WHERE field_id = {field}")
        )
        .await,
        1
    );
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM definition_comments WHERE body LIKE '%Innenstadt soll lebendig bleiben%'").await, 1);
    assert_eq!(
        scalar(
            &app,
            &format!("SELECT COUNT(*) FROM board_links WHERE card_id = {c3}")
        )
        .await,
        3
    );
    // Bad sources and targets change nothing.
    let links = app.count("board_links").await;
    for (source, target) in [
        ("card-999999", "massnahme"),
        (&*format!("card-{c3}"), "rakete"),
        ("irgendwas", "ziel"),
    ] {
        let r = app
            .post_form(
                &red,
                &format!("/w/{code}/uebernehmen"),
                &[("source", source), ("target", target)],
            )
            .await;
        assert_eq!(
            r.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{source} → {target}"
        );
    }
    assert_eq!(app.count("board_links").await, links);
}

async fn the_protocol_names_only_those_who_consented(app: TestApp) {
    let (red, wid, code) = board(&app).await;
    let w = format!("/kommunen/arnsberg/werkstaetten/{wid}");
    app.user("nina@x.de", None, &[("arnsberg", "participant")])
        .await;
    app.user("otto@x.de", None, &[("arnsberg", "participant")])
        .await;
    let nina = app.login("nina@x.de").await;
    let otto = app.login("otto@x.de").await;
    app.post_form(&nina, &format!("{w}/anmelden"), &[("show_name", "on")])
        .await;
    app.post_form(&otto, &format!("{w}/anmelden"), &[]).await;
    for uid in [
        scalar(&app, "SELECT id FROM users WHERE email = 'nina@x.de'").await,
        scalar(&app, "SELECT id FROM users WHERE email = 'otto@x.de'").await,
    ] {
        let r = app
            .post_form(
                &red,
                &format!("{w}/teilnahme"),
                &[("user_id", &uid.to_string()), ("attended", "1")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    }
    let ana = guest(&app, &code, "Ana Gast").await;
    let card = add_card(&app, &ana, &code, "Mehr Grün am Bahnhof").await;
    post_json(
        &app,
        &red,
        &format!("/w/{code}/runde"),
        &[("action", "open"), ("dots", "3")],
    )
    .await;
    let (s, _) = post_json(
        &app,
        &ana,
        &format!("/w/{code}/punkte"),
        &[("card_id", &card.to_string()), ("delta", "1")],
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    post_json(
        &app,
        &red,
        &format!("/w/{code}/runde"),
        &[("action", "close")],
    )
    .await;
    // A draft protocol is for editors only.
    assert_eq!(
        app.get(&nina, &format!("{w}/protokoll")).await.status(),
        StatusCode::FORBIDDEN
    );
    let bad = app
        .post_form(
            &red,
            &format!("{w}/protokoll"),
            &[("decisions", "x"), ("published", "alle")],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("workshop_protocols").await, 0);
    let r = app
        .post_form(
            &red,
            &format!("{w}/protokoll"),
            &[
                ("decisions", "- Parkraum-Konzept beauftragen"),
                ("next_steps", "- Bürgerbefragung im Mai"),
                ("notes", "Gute Stimmung."),
                ("published", "intern"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (s, md) = app.get_text(&nina, &format!("{w}/protokoll.md")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(md.contains("Zukunftswerkstatt Innenstadt"));
    assert!(
        md.contains("Person nina@x.de"),
        "Nina consented to being named"
    );
    assert!(!md.contains("Person otto@x.de"), "Otto did not");
    assert!(!md.contains("Ana Gast"), "guests are counted, not named");
    assert!(md.contains("Gäste an der Pinnwand"));
    assert!(md.contains("Mehr Grün am Bahnhof"));
    assert!(md.contains("Parkraum-Konzept beauftragen") && md.contains("Bürgerbefragung im Mai"));
    assert!(md.contains("Runde 1"));
    assert!(
        md.contains("| 1. | Mehr Grün am Bahnhof | 1 |"),
        "the dot is in the ranking:\n{md}"
    );
    // Members of the city may read it; the public may not until it is published for them.
    assert_eq!(
        app.get(&app.client(), &format!("{w}/protokoll"))
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    let r = app.get(&nina, &format!("{w}/protokoll.pdf")).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let pdf = r.bytes().await.unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    let text = pdf_extract::extract_text_from_mem(&pdf).expect("PDF text");
    assert!(text.contains("Mehr Grün am Bahnhof"));
    assert!(!text.contains("Person otto@x.de"));
    app.post_form(
        &red,
        &format!("{w}/protokoll"),
        &[("published", "oeffentlich")],
    )
    .await;
    let (s, html) = app.get_text(&app.client(), &format!("{w}/protokoll")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Mehr Grün am Bahnhof"));
}

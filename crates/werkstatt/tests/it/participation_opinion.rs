//! The opinion map (Meinungsbild): statement moderation, voting (changed votes count once, parallel double
//! votes stay one row), the analysis finding planted opinion groups and consensus, the map on the results
//! page, Pol.is export and import, the participant's data and its deletion, and a browser walk-through.

use crate::browser::Browser;
use crate::case;
use crate::harness::{Case, Needs, TestApp, location};
use crate::participation::{format, join_guest};
use reqwest::{Client, StatusCode};
use serde_json::Value;

pub fn cases() -> Vec<Case> {
    vec![
        case!(statements_are_moderated_and_bad_statements_refused),
        case!(votes_are_counted_once_and_can_be_changed),
        case!(the_map_finds_planted_opinion_groups_and_consensus),
        case!(polis_export_imports_into_a_new_format),
        case!(the_participants_votes_are_in_their_data_and_survive_deletion),
        case!(
            a_guest_votes_and_sees_the_map_in_the_browser,
            Needs::Browser
        ),
    ]
}

async fn opinion_format(app: &TestApp) -> (Client, i64, String) {
    format(app, "meinungsbild", "gast", &[]).await
}

/// The editor adds an accepted statement; returns its id.
async fn seed(app: &TestApp, red: &Client, id: i64, path: &str, text: &str) -> i64 {
    let r = app
        .post_form(
            red,
            &format!("{path}/meinungsbild/aussagen"),
            &[("opinion_text", text)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "seed {text}");
    assert!(location(&r).contains("?ok=opinion-seeded"));
    statement_id(app, id, text).await
}

async fn statement_id(app: &TestApp, id: i64, text: &str) -> i64 {
    store::opinions::list(&app.db, id)
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.text == text)
        .map(|s| s.id)
        .unwrap_or_else(|| panic!("statement {text}"))
}

async fn suggest(app: &TestApp, c: &Client, path: &str, text: &str) -> reqwest::Response {
    app.post_form(
        c,
        &format!("{path}/meinungsbild/aussagen"),
        &[("opinion_text", text), ("website", "")],
    )
    .await
}

async fn vote(app: &TestApp, c: &Client, path: &str, sid: i64, value: &str) -> reqwest::Response {
    app.post_form(
        c,
        &format!("{path}/meinungsbild/abstimmen"),
        &[("statement_id", &sid.to_string()), ("value", value)],
    )
    .await
}

async fn api(app: &TestApp, c: &Client, id: i64) -> Value {
    let r = app
        .get(c, &format!("/api/v1/participations/{id}/opinions"))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.unwrap()
}

/// The redirect target, or "" when the answer is no redirect.
fn location_or_empty(r: &reqwest::Response) -> String {
    r.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

fn counts_of(api: &Value, sid: i64) -> (i64, i64, i64) {
    let s = api["statements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == sid)
        .unwrap_or_else(|| panic!("statement {sid} in the API"));
    (
        s["agree"].as_i64().unwrap(),
        s["disagree"].as_i64().unwrap(),
        s["pass"].as_i64().unwrap(),
    )
}

async fn statements_are_moderated_and_bad_statements_refused(app: TestApp) {
    let (red, id, path) = opinion_format(&app).await;
    let seeded = seed(&app, &red, id, &path, "Mehr Bäume in der Innenstadt.").await;
    let guest = join_guest(&app, &path).await;
    let (_, page) = app.get_text(&guest, &path).await;
    assert!(page.contains(&format!("id=\"agree-{seeded}\"")));

    // A participant's statement waits for moderation and cannot be voted on.
    let r = suggest(&app, &guest, &path, "Busse sollen auch nachts fahren.").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(location(&r).contains("?ok=pending"));
    let pending = statement_id(&app, id, "Busse sollen auch nachts fahren.").await;
    assert_eq!(
        app.count(&format!(
            "opinion_statements WHERE id = {pending} AND state = 'offen'"
        ))
        .await,
        1
    );
    let (_, page) = app.get_text(&guest, &path).await;
    assert!(!page.contains(&format!("id=\"agree-{pending}\"")));
    let r = vote(&app, &guest, &path, pending, "1").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Diesen Eintrag gibt es nicht")
    );
    assert_eq!(app.count("opinion_votes").await, 0);
    // The API does not list it either.
    let a = api(&app, &app.client(), id).await;
    assert!(
        a["statements"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["id"] != pending)
    );

    // The editor sees the queue and accepts it; then it is votable.
    let (_, page) = app.get_text(&red, &path).await;
    assert!(page.contains(&format!("id=\"accept-{pending}\"")));
    // A participant cannot moderate.
    let r = app
        .post_form(
            &guest,
            &format!("{path}/meinungsbild/aussagen/{pending}/moderation"),
            &[("decision", "angenommen")],
        )
        .await;
    assert!(!location_or_empty(&r).contains("ok="), "refused");
    assert_eq!(
        app.count(&format!(
            "opinion_statements WHERE id = {pending} AND state = 'offen'"
        ))
        .await,
        1
    );
    let r = app
        .post_form(
            &red,
            &format!("{path}/meinungsbild/aussagen/{pending}/moderation"),
            &[("decision", "vielleicht")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .post_form(
            &red,
            &format!("{path}/meinungsbild/aussagen/{pending}/moderation"),
            &[("decision", "angenommen")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, page) = app.get_text(&red, &path).await;
    assert!(!page.contains(&format!("id=\"accept-{pending}\"")));
    let (_, page) = app.get_text(&guest, &path).await;
    assert!(page.contains(&format!("id=\"agree-{pending}\"")));
    let r = vote(&app, &guest, &path, pending, "1").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(location(&r).contains("?ok=opinion-voted"));

    // A rejected statement is never votable.
    suggest(&app, &guest, &path, "Alle Autos raus aus der Stadt.").await;
    let rejected = statement_id(&app, id, "Alle Autos raus aus der Stadt.").await;
    let r = app
        .post_form(
            &red,
            &format!("{path}/meinungsbild/aussagen/{rejected}/moderation"),
            &[("decision", "abgelehnt")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = vote(&app, &guest, &path, rejected, "-1").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let (_, page) = app.get_text(&guest, &path).await;
    assert!(!page.contains(&format!("id=\"agree-{rejected}\"")));
    assert_eq!(
        app.count(&format!("opinion_votes WHERE statement_id = {rejected}"))
            .await,
        0
    );

    // Bad statements are refused with a message, values kept, nothing written.
    let before = app.count("opinion_statements").await;
    let long = "x".repeat(281);
    let r = suggest(&app, &guest, &path, &long).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap();
    assert!(body.contains("Die Aussage ist zu lang"));
    assert!(body.contains(&long), "the text is kept");
    let r = suggest(&app, &guest, &path, "   ").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Bitte geben Sie eine Aussage ein.")
    );
    let r = app
        .post_form(
            &guest,
            &format!("{path}/meinungsbild/aussagen"),
            &[
                ("opinion_text", "Ein Roboter schreibt."),
                ("website", "http://spam"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Ihre Eingabe konnte nicht angenommen werden.")
    );
    // Exactly 280 characters are fine.
    let r = suggest(&app, &guest, &path, &"y".repeat(280)).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // Somebody who did not join cannot add statements.
    let r = suggest(&app, &app.client(), &path, "Ohne Teilnahme.").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("opinion_statements").await, before + 1);

    // Rate limit: five statements an hour per participant.
    let other = join_guest(&app, &path).await;
    for i in 0..5 {
        let r = suggest(&app, &other, &path, &format!("Vorschlag Nummer {i}.")).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "statement {i}");
    }
    let r = suggest(&app, &other, &path, "Der sechste Vorschlag.").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("Zu viele Anfragen"));
    assert_eq!(
        app.count("opinion_statements WHERE text = 'Der sechste Vorschlag.'")
            .await,
        0
    );
}

async fn votes_are_counted_once_and_can_be_changed(app: TestApp) {
    let (red, id, path) = opinion_format(&app).await;
    let s1 = seed(
        &app,
        &red,
        id,
        &path,
        "Die Innenstadt soll autofrei werden.",
    )
    .await;
    let s2 = seed(&app, &red, id, &path, "Es braucht mehr Bänke.").await;
    let s3 = seed(&app, &red, id, &path, "Der Markt soll länger öffnen.").await;
    let guest = join_guest(&app, &path).await;

    assert_eq!(
        vote(&app, &guest, &path, s1, "1").await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(counts_of(&api(&app, &red, id).await, s1), (1, 0, 0));
    // Changing the vote replaces it.
    assert_eq!(
        vote(&app, &guest, &path, s1, "-1").await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(counts_of(&api(&app, &red, id).await, s1), (0, 1, 0));
    assert_eq!(
        app.count(&format!("opinion_votes WHERE statement_id = {s1}"))
            .await,
        1
    );
    assert_eq!(
        vote(&app, &guest, &path, s2, "0").await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(counts_of(&api(&app, &red, id).await, s2), (0, 0, 1));
    // The page shows the voted statement with the current vote, no longer among the open ones.
    let (_, page) = app.get_text(&guest, &path).await;
    assert!(page.contains("Ihre Stimme: Ablehnung"));
    assert!(page.contains("Ihre Stimme: übersprungen"));

    // Bad votes: unknown value, unknown statement, not joined.
    let r = vote(&app, &guest, &path, s3, "2").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Bitte wählen Sie Zustimmen")
    );
    let r = vote(&app, &guest, &path, 999_999, "1").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = vote(&app, &app.client(), &path, s3, "1").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("opinion_votes").await, 2);

    // Parallel double votes of one participant: one row.
    let posts = (0..12).map(|i| {
        let value = if i % 2 == 0 { "1" } else { "-1" };
        vote(&app, &guest, &path, s3, value)
    });
    for r in futures::future::join_all(posts).await {
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    }
    assert_eq!(
        app.count(&format!("opinion_votes WHERE statement_id = {s3}"))
            .await,
        1
    );
    let (a, d, p) = counts_of(&api(&app, &red, id).await, s3);
    assert_eq!(a + d + p, 1);
    // The JSON answer for scripts.
    let token = app.csrf(&guest).await;
    let r = guest
        .post(app.url(&format!("{path}/meinungsbild/abstimmen")))
        .header("Accept", "application/json")
        .header("X-CSRF-Token", &token)
        .form(&[("statement_id", s3.to_string().as_str()), ("value", "0")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["ok"], true);
    assert_eq!(counts_of(&api(&app, &red, id).await, s3), (0, 0, 1));
}

async fn the_map_finds_planted_opinion_groups_and_consensus(app: TestApp) {
    let (red, id, path) = opinion_format(&app).await;
    let mut a_side = vec![];
    let mut b_side = vec![];
    for t in [
        "Der Marktplatz soll ein Park werden.",
        "Radwege haben Vorrang vor Parkplätzen.",
        "Die Innenstadt soll autofrei werden.",
        "Mehr Straßenbäume statt Parkplätze.",
    ] {
        a_side.push(seed(&app, &red, id, &path, t).await);
    }
    for t in [
        "Parkplätze in der Innenstadt erhalten.",
        "Autos sollen weiter ins Zentrum fahren.",
        "Kostenloses Parken am Samstag.",
        "Ein neues Parkhaus am Bahnhof bauen.",
    ] {
        b_side.push(seed(&app, &red, id, &path, t).await);
    }
    let common = "Die Innenstadt soll sauber bleiben.";
    let c = seed(&app, &red, id, &path, common).await;

    // 28 guests (joins are limited to 30 an hour per address): 14 agree with A and disagree with B, 14 the
    // other way round; everybody agrees with C.
    let mut guests = vec![];
    for _ in 0..28 {
        guests.push(join_guest(&app, &path).await);
    }
    let votes = guests.iter().enumerate().map(|(i, g)| {
        let (mine, theirs) = if i < 14 {
            (&a_side, &b_side)
        } else {
            (&b_side, &a_side)
        };
        let (app, path) = (&app, &path);
        async move {
            for s in mine {
                assert_eq!(
                    vote(app, g, path, *s, "1").await.status(),
                    StatusCode::SEE_OTHER
                );
            }
            for s in theirs {
                assert_eq!(
                    vote(app, g, path, *s, "-1").await.status(),
                    StatusCode::SEE_OTHER
                );
            }
            assert_eq!(
                vote(app, g, path, c, "1").await.status(),
                StatusCode::SEE_OTHER
            );
        }
    });
    futures::future::join_all(votes).await;
    assert_eq!(app.count("opinion_votes").await, 28 * 9);

    // The API (anonymous visitor: results are public) finds the two groups.
    let mut a = api(&app, &app.client(), id).await;
    for _ in 0..50 {
        if a["analysed_votes"] == 252 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        a = api(&app, &app.client(), id).await;
    }
    assert_eq!(a["votes"], 252);
    assert_eq!(a["analysed_votes"], 252);
    let groups = a["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 2, "two groups: {a:#}");
    let mut sizes: Vec<i64> = groups.iter().map(|g| g["size"].as_i64().unwrap()).collect();
    sizes.sort();
    assert_eq!(sizes, vec![14, 14]);
    assert_eq!(a["participants"].as_array().unwrap().len(), 28);
    // Everybody's own group: the planted halves are separated.
    let mut group_of = vec![];
    for g in &guests {
        let mine = api(&app, g, id).await;
        group_of.push(mine["me"]["group"].as_i64().expect("own group"));
    }
    assert!(group_of[..14].iter().all(|g| *g == group_of[0]));
    assert!(group_of[14..].iter().all(|g| *g == group_of[14]));
    assert_ne!(group_of[0], group_of[14]);
    // Representative statements of the A group are A statements it agrees with (or B ones it rejects).
    let ga = groups.iter().find(|g| g["id"] == group_of[0]).unwrap();
    let reps = ga["representative"].as_array().unwrap();
    assert!(!reps.is_empty());
    for r in reps {
        let sid = r["statement"].as_i64().unwrap();
        if r["agree"] == true {
            assert!(a_side.contains(&sid), "{r}");
        } else {
            assert!(b_side.contains(&sid), "{r}");
        }
    }
    // The common statement is consensus.
    let consensus = a["consensus"].as_array().unwrap();
    assert!(
        consensus
            .iter()
            .any(|x| x["statement"] == c && x["agree"] == true),
        "consensus: {consensus:?}"
    );
    assert!(
        a["statements"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["id"] == c && s["consensus"] == true)
    );

    // The results page: the map SVG, group tables and the consensus table.
    let (s, page) = app
        .get_text(&app.client(), &format!("{path}/ergebnisse"))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("<svg") && page.contains("opinion-map"));
    assert!(page.contains("Gruppe A") && page.contains("Gruppe B"));
    assert!(page.contains("14 Personen"));
    assert!(page.contains("Aussagen mit breitem Konsens"));
    assert!(page.contains(common));
    // A participant who voted sees the map on the format page, with their own position.
    let (_, page) = app.get_text(&guests[0], &path).await;
    assert!(page.contains("id=\"meinungsbild-karte\""));
    // A new participant has to vote first.
    let newbie = join_guest(&app, &path).await;
    let (_, page) = app.get_text(&newbie, &path).await;
    assert!(!page.contains("id=\"meinungsbild-karte\""));
    assert!(page.contains("Die Meinungskarte erscheint"));
    // New votes reach the (debounced, cached) analysis within a few seconds.
    for s in a_side.iter().chain(&b_side).chain([&c]) {
        assert_eq!(
            vote(&app, &newbie, &path, *s, "1").await.status(),
            StatusCode::SEE_OTHER
        );
    }
    let started = std::time::Instant::now();
    loop {
        let now = api(&app, &app.client(), id).await;
        assert_eq!(now["votes"], 252 + 9, "counts are always current");
        if now["analysed_votes"] == 252 + 9 {
            assert_eq!(now["participants"].as_array().unwrap().len(), 29);
            break;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(6),
            "the map caught up: {now}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    // The downloadable table: one row per statement with the consensus flag and per-group shares.
    let (s, csv) = app.get_text(&red, &format!("{path}/ergebnisse.csv")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(csv.contains("Konsens") && csv.contains("Gruppe A: Zustimmung %"));
    let line = csv
        .lines()
        .find(|l| l.contains(common))
        .expect("common row");
    assert!(
        line.contains(",29,0,0,ja") || line.contains(";29;0;0;ja"),
        "{line}"
    );
}

async fn polis_export_imports_into_a_new_format(app: TestApp) {
    let (red, id, path) = opinion_format(&app).await;
    let texts = [
        "Mehr Grün am Rathaus.",
        "Ein Café im Bahnhof, \"mit Terrasse\".",
        "Längere Öffnungszeiten der Bibliothek.",
    ];
    let mut ids = vec![];
    for t in texts {
        ids.push(seed(&app, &red, id, &path, t).await);
    }
    let rejected = seed(&app, &red, id, &path, "Wird später abgelehnt.").await;
    let pattern = [
        ["1", "-1", "0", "1"],
        ["1", "1", "-1", "-1"],
        ["-1", "0", "1", "1"],
        ["1", "1", "1", "0"],
    ];
    for row in pattern {
        let g = join_guest(&app, &path).await;
        for (s, v) in ids.iter().chain([&rejected]).zip(row) {
            assert_eq!(
                vote(&app, &g, &path, *s, v).await.status(),
                StatusCode::SEE_OTHER
            );
        }
    }
    // A pending statement is not exported.
    let g = join_guest(&app, &path).await;
    suggest(&app, &g, &path, "Noch nicht freigegeben.").await;
    app.post_form(
        &red,
        &format!("{path}/meinungsbild/aussagen/{rejected}/moderation"),
        &[("decision", "abgelehnt")],
    )
    .await;

    // Only editors download.
    let r = app
        .get(&g, &format!("{path}/meinungsbild/comments.csv"))
        .await;
    assert_ne!(r.status(), StatusCode::OK);
    let r = app
        .get(&red, &format!("{path}/meinungsbild/comments.csv"))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let comments = r.text().await.unwrap();
    let (s, votes) = app
        .get_text(&red, &format!("{path}/meinungsbild/votes.csv"))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(comments.starts_with(
        "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body"
    ));
    assert!(!comments.contains("Noch nicht freigegeben."));
    assert_eq!(votes.lines().count(), 1 + 16);

    // Import into a new format.
    let (_, id2, path2) = opinion_format(&app).await;
    assert_ne!(id, id2);
    // Bad input first: refused with a message, nothing written.
    let before = app.count("opinion_statements").await;
    let r = app
        .post_form(
            &red,
            &format!("{path2}/meinungsbild/import"),
            &[
                ("opinion_comments", "kein,csv\n1"),
                ("opinion_votes", &votes),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("konnten nicht gelesen werden")
    );
    assert_eq!(app.count("opinion_statements").await, before);
    // A participant cannot import.
    let r = app
        .post_form(
            &g,
            &format!("{path2}/meinungsbild/import"),
            &[("opinion_comments", &comments), ("opinion_votes", &votes)],
        )
        .await;
    assert!(!location_or_empty(&r).contains("ok="), "refused");
    assert_eq!(app.count("opinion_statements").await, before);
    let r = app
        .post_form(
            &red,
            &format!("{path2}/meinungsbild/import"),
            &[("opinion_comments", &comments), ("opinion_votes", &votes)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{:?}", r.text().await);
    assert!(location(&r).contains("?ok=opinion-imported"));

    // Same texts, states and counts; four anonymous participants without tokens.
    let summary = |stmts: Vec<store::opinions::Statement>, counts: Vec<(i64, i64, i64, i64)>| {
        let mut out: Vec<(String, String, (i64, i64, i64))> = stmts
            .into_iter()
            .filter(|s| s.state != "offen")
            .map(|s| {
                let c = counts
                    .iter()
                    .find(|c| c.0 == s.id)
                    .map(|c| (c.1, c.2, c.3))
                    .unwrap_or((0, 0, 0));
                (s.text, s.state, c)
            })
            .collect();
        out.sort();
        out
    };
    let old = summary(
        store::opinions::list(&app.db, id).await.unwrap(),
        store::opinions::counts(&app.db, id).await.unwrap(),
    );
    let new = summary(
        store::opinions::list(&app.db, id2).await.unwrap(),
        store::opinions::counts(&app.db, id2).await.unwrap(),
    );
    assert_eq!(old, new);
    assert_eq!(new.len(), 4);
    assert!(
        new.iter()
            .any(|(t, s, _)| t == texts[1] && s == "angenommen")
    );
    assert!(
        new.iter()
            .any(|(_, s, c)| s == "abgelehnt" && *c == (2, 1, 1))
    );
    assert_eq!(
        app.count(&format!(
            "participants WHERE participation_id = {id2} AND kind = 'gast' AND token_hash IS NULL"
        ))
        .await,
        4
    );
}

async fn the_participants_votes_are_in_their_data_and_survive_deletion(app: TestApp) {
    let (red, id, path) = opinion_format(&app).await;
    let s1 = seed(&app, &red, id, &path, "Der Stadtpark braucht Licht.").await;
    let s2 = seed(&app, &red, id, &path, "Mehr Mülleimer am Fluss.").await;
    let guest = join_guest(&app, &path).await;
    vote(&app, &guest, &path, s1, "1").await;
    vote(&app, &guest, &path, s2, "-1").await;
    suggest(&app, &guest, &path, "Ein Trinkbrunnen am Markt.").await;

    let r = app.get(&guest, &format!("{path}/meine-daten")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let data: Value = r.json().await.unwrap();
    let own = &data["beitraege"];
    let votes = own["stimmen"].as_array().unwrap();
    assert_eq!(votes.len(), 2);
    assert!(votes.iter().any(|v| v["aussage"] == s1
        && v["stimme"] == 1
        && v["text"] == "Der Stadtpark braucht Licht."));
    assert!(
        votes
            .iter()
            .any(|v| v["aussage"] == s2 && v["stimme"] == -1)
    );
    assert_eq!(own["aussagen"][0]["text"], "Ein Trinkbrunnen am Markt.");
    assert_eq!(own["aussagen"][0]["status"], "offen");

    let r = app
        .post_form(&guest, &format!("{path}/meine-daten/loeschen"), &[])
        .await;
    assert_eq!(location(&r), format!("{path}?ok=deleted"));
    let a = api(&app, &red, id).await;
    assert_eq!(counts_of(&a, s1), (1, 0, 0));
    assert_eq!(counts_of(&a, s2), (0, 1, 0));
    assert_eq!(app.count("opinion_votes").await, 2);
    // The anonymised participant can no longer vote.
    let r = vote(&app, &guest, &path, s1, "-1").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(counts_of(&api(&app, &red, id).await, s1), (1, 0, 0));
}

async fn wait_for_query(b: &Browser, query: &str) {
    let started = std::time::Instant::now();
    loop {
        let url = b.client.current_url().await.expect("url");
        if url.query() == Some(query) {
            return;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "expected ?{query}, at {url}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

async fn a_guest_votes_and_sees_the_map_in_the_browser(app: TestApp) {
    let (red, id, path) = opinion_format(&app).await;
    let mut ids = vec![];
    for t in [
        "Der Marktplatz soll ein Park werden.",
        "Parkplätze in der Innenstadt erhalten.",
        "Die Innenstadt soll sauber bleiben.",
        "Mehr Bänke am Fluss.",
    ] {
        ids.push(seed(&app, &red, id, &path, t).await);
    }
    // Some others voted before.
    for i in 0..3 {
        let g = join_guest(&app, &path).await;
        for (j, s) in ids.iter().enumerate() {
            let v = if (i + j) % 2 == 0 { "1" } else { "-1" };
            vote(&app, &g, &path, *s, v).await;
        }
    }

    let b = Browser::start().await;
    b.visit(&app, &path).await;
    b.click("#f-consent").await;
    b.submit("#join-submit").await;
    wait_for_query(&b, "ok=joined").await;
    b.axe("opinion (joined)").await;
    b.submit(&format!("#agree-{}", ids[0])).await;
    wait_for_query(&b, "ok=opinion-voted").await;
    let page = b.client.source().await.expect("source");
    assert!(page.contains("Die Meinungskarte erscheint"));
    assert!(page.contains("Ihre Stimme: Zustimmung"));
    b.wait_css(&format!("#agree-{}[aria-pressed=\"true\"]", ids[0]))
        .await;
    b.submit(&format!("#disagree-{}", ids[1])).await;
    b.wait_css(&format!("#disagree-{}[aria-pressed=\"true\"]", ids[1]))
        .await;
    b.submit(&format!("#pass-{}", ids[2])).await;
    b.wait_css("#meinungsbild-karte svg").await;
    b.axe("opinion (map)").await;
    assert_eq!(
        app.count("opinion_votes").await,
        3 * 4 + 3,
        "the three clicks were counted"
    );

    // A statement: first empty (error summary), then valid.
    b.submit("#opinion-add").await;
    b.wait_css(".error-summary").await;
    b.axe("opinion (error)").await;
    b.fill("f-opinion_text", "Ein Spielplatz an der Ruhr.")
        .await;
    b.submit("#opinion-add").await;
    wait_for_query(&b, "ok=pending").await;
    b.axe("opinion (suggested)").await;
    assert_eq!(
        app.count(
            "opinion_statements WHERE state = 'offen' AND text = 'Ein Spielplatz an der Ruhr.'"
        )
        .await,
        1
    );
    let page = b.visit(&app, &format!("{path}/ergebnisse")).await;
    assert!(page.contains("opinion-map"));
    b.stop().await;
}

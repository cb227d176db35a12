//! Browser tests of the live board: several browser sessions on one board at once.

use crate::browser::Browser;
use crate::case;
use crate::harness::{Case, Needs, PASSWORD, TestApp, location};
use fantoccini::Locator;
use futures::FutureExt;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::panic::AssertUnwindSafe;
use std::time::{Duration, Instant};

pub fn cases() -> Vec<Case> {
    vec![case!(
        moderator_and_two_guests_work_on_one_board_live,
        Needs::Browser
    )]
}

/// How long a live change may take to show up on another screen.
const LIVE: Duration = Duration::from_secs(10);

const CARD_A: &str = "Mehr Bänke im Schatten am Neumarkt";
const CARD_B: &str = "Fahrradstellplätze am Bahnhof fehlen";
const CLUSTER: &str = "Aufenthalt und Mobilität";

/// Poll `script` (a function body returning a value, `arguments` available) until it returns something
/// truthy; return that. Script errors (e.g. while a page is being replaced) count as "not yet".
async fn wait_js(b: &Browser, what: &str, script: &str, args: Vec<Value>) -> Value {
    let started = Instant::now();
    let mut last: Value;
    loop {
        match b.client.execute(script, args.clone()).await {
            Ok(v) => {
                let truthy = match &v {
                    Value::Null => false,
                    Value::Bool(x) => *x,
                    Value::String(s) => !s.is_empty(),
                    Value::Number(n) => n.as_f64() != Some(0.0),
                    Value::Array(a) => !a.is_empty(),
                    Value::Object(_) => true,
                };
                if truthy {
                    return v;
                }
                last = v;
            }
            Err(e) => last = Value::String(format!("script error: {e}")),
        }
        if started.elapsed() > LIVE {
            let url = b
                .client
                .current_url()
                .await
                .map(|u| u.to_string())
                .unwrap_or_default();
            panic!(
                "waited {LIVE:?} for {what} (at {url}); last answer: {last}\n---\n{}",
                visible_text(b).await
            );
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The text of the board's live part (or the whole page), for failure messages.
async fn visible_text(b: &Browser) -> String {
    b.client
        .execute(
            "const l = document.getElementById('live'); return (l || document.body).innerText;",
            vec![],
        )
        .await
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// Wait until an element matching `css` is on the page.
async fn wait_for(b: &Browser, css: &str) {
    wait_js(
        b,
        &format!("element {css}"),
        "return document.querySelector(arguments[0]) !== null;",
        vec![json!(css)],
    )
    .await;
}

/// The id of the visible card with exactly this text, once it is on the page (optionally inside `list`).
async fn card_id(b: &Browser, who: &str, text: &str, list: &str) -> i64 {
    let v = wait_js(
        b,
        &format!("{who} to see the card {text:?} in {list}"),
        r#"const [text, list] = arguments;
           const root = document.querySelector(list);
           if (!root) return null;
           for (const li of root.querySelectorAll('li.card')) {
             const t = li.querySelector('.text');
             if (t && t.textContent.trim() === text) return li.id;
           }
           return null;"#,
        vec![json!(text), json!(list)],
    )
    .await;
    v.as_str()
        .and_then(|id| id.strip_prefix("card-"))
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("card element id {v}"))
}

/// Mark the current document; [`assert_no_reload`] then proves that everything since came in live.
async fn mark_document(b: &Browser) {
    b.client
        .execute("window.__boardMark = 'kept'; return true;", vec![])
        .await
        .expect("mark");
}

async fn assert_no_reload(b: &Browser, who: &str) {
    let v = b
        .client
        .execute("return window.__boardMark || null;", vec![])
        .await
        .expect("read mark");
    assert_eq!(
        v.as_str(),
        Some("kept"),
        "{who}'s page was reloaded; the board must update live"
    );
}

/// A moderator tool inside a `<details>`: open it like a person would (click the summary), choose an
/// option, press the button. Retried as a whole when the live part is swapped under our hands.
async fn details_action(b: &Browser, details: &str, select: (&str, &str), button: &str) {
    let started = Instant::now();
    loop {
        let attempt: Result<(), fantoccini::error::CmdError> = async {
            let d = b.client.find(Locator::Css(details)).await?;
            if d.attr("open").await?.is_none() {
                d.find(Locator::Css("summary")).await?.click().await?;
            }
            b.client
                .find(Locator::Id(select.0))
                .await?
                .select_by_value(select.1)
                .await?;
            b.client.find(Locator::Id(button)).await?.click().await?;
            Ok(())
        }
        .await;
        match attempt {
            Ok(()) => return,
            Err(e) if started.elapsed() < LIVE => {
                eprintln!("retrying {details} → #{button}: {e}");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => panic!("{details}: #{select:?} → #{button} failed: {e}"),
        }
    }
}

/// Click an element of the live part, which the script may swap at any moment: retried when stale.
async fn click_live(b: &Browser, css: &str) {
    let started = Instant::now();
    loop {
        let attempt: Result<(), fantoccini::error::CmdError> = async {
            b.client.find(Locator::Css(css)).await?.click().await?;
            Ok(())
        }
        .await;
        match attempt {
            Ok(()) => return,
            Err(e) if started.elapsed() < LIVE => {
                eprintln!("retrying click on {css}: {e}");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => panic!("click {css}: {e}"),
        }
    }
}

/// Wait until the browser's path starts with `prefix` and return the full path.
async fn wait_for_path_prefix(b: &Browser, prefix: &str) -> String {
    let started = Instant::now();
    loop {
        let url = b.client.current_url().await.expect("url");
        if url.path().starts_with(prefix) {
            return url.path().to_string();
        }
        assert!(
            started.elapsed() < LIVE,
            "expected a path under {prefix}, still at {url}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// `(card text, dots)` rows of the results table of cards (the last table in `section.results`).
async fn result_rows(b: &Browser, expected: &[(&str, i64)]) {
    let want: Vec<Value> = expected
        .iter()
        .map(|(t, d)| json!([t, d.to_string()]))
        .collect();
    wait_js(
        b,
        &format!("the results table to read {expected:?}"),
        r#"const want = JSON.stringify(arguments[0]);
           const tables = document.querySelectorAll('section.results table');
           if (!tables.length) return false;
           const rows = [...tables[tables.length - 1].querySelectorAll('tbody tr')]
             .map(tr => [tr.querySelector('th').textContent.trim(), tr.lastElementChild.textContent.trim()]);
           return JSON.stringify(rows) === want;"#,
        vec![Value::Array(want)],
    )
    .await;
}

async fn join_as_guest(b: &Browser, app: &TestApp, board: &str, name: &str) {
    let page = b.visit(app, board).await;
    assert!(
        page.contains("f-display_name"),
        "a guest first sees the join form"
    );
    b.fill("f-display_name", name).await;
    b.click("#join-submit").await;
    wait_for(b, "#add-card-form").await;
    b.wait_for_path(board).await;
}

async fn write_card(b: &Browser, text: &str, category: &str) {
    b.fill("f-text", text).await;
    b.select("f-category", category).await;
    b.click("#add-card-submit").await;
    // Sent in the background: the field empties, the page stays.
    wait_js(
        b,
        "the card form to be sent and emptied",
        "return document.getElementById('f-text').value === '';",
        vec![],
    )
    .await;
}

async fn moderator_and_two_guests_work_on_one_board_live(app: TestApp) {
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
                ("format_key", "strategiewerkstatt"),
                ("date", "2099-12-03"),
                ("start_time", "17:00"),
                ("end_time", "20:30"),
                ("place", "Rathaus Arnsberg, Sitzungssaal"),
                ("capacity", "40"),
                ("purpose", "Ideen für die Innenstadt sammeln"),
                ("visibility", "oeffentlich"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "workshop planned");
    let workshop = location(&r);

    let (m, a, b) = tokio::join!(Browser::start(), Browser::start(), Browser::start());
    let outcome = AssertUnwindSafe(scenario(&app, &workshop, &m, &a, &b))
        .catch_unwind()
        .await;
    tokio::join!(m.stop(), a.stop(), b.stop());
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

async fn scenario(app: &TestApp, workshop: &str, m: &Browser, a: &Browser, b: &Browser) {
    // The moderator logs in and opens the board from the workshop page.
    m.visit(app, "/anmelden").await;
    m.fill("f-email", "red@x.de").await;
    m.fill("f-password", PASSWORD).await;
    m.submit("main form button[type=submit]").await;
    m.wait_for_path("/").await;
    m.visit(app, workshop).await;
    m.click("#open-board").await;
    let board = wait_for_path_prefix(m, "/w/").await;
    let code = board.trim_start_matches("/w/").to_string();
    assert_eq!(code.len(), 6, "join code in {board}");
    wait_for(m, "#join-code").await;
    let shown = m
        .client
        .find(Locator::Id("join-code"))
        .await
        .expect("#join-code")
        .text()
        .await
        .expect("text");
    assert_eq!(shown, format!("{}-{}", &code[..3], &code[3..]));
    m.axe("board (moderator, empty)").await;

    // Two guests join with the code, each in their own browser.
    tokio::join!(
        join_as_guest(a, app, &board, "Anna"),
        join_as_guest(b, app, &board, "Ben")
    );
    tokio::join!(mark_document(a), mark_document(b));
    a.axe("board (participant, empty)").await;

    // Both write a card at the same time; everyone sees both without reloading.
    tokio::join!(
        write_card(a, CARD_A, "idee"),
        write_card(b, CARD_B, "bedarf")
    );
    let (card_a, card_b_on_a, card_a_on_b, card_b) = tokio::join!(
        card_id(a, "Anna", CARD_A, "#cards-unsorted"),
        card_id(a, "Anna", CARD_B, "#cards-unsorted"),
        card_id(b, "Ben", CARD_A, "#cards-unsorted"),
        card_id(b, "Ben", CARD_B, "#cards-unsorted"),
    );
    assert_eq!((card_a, card_b), (card_a_on_b, card_b_on_a));
    assert_ne!(card_a, card_b);
    let (on_m_a, on_m_b) = tokio::join!(
        card_id(m, "the moderator", CARD_A, "#cards-unsorted"),
        card_id(m, "the moderator", CARD_B, "#cards-unsorted"),
    );
    assert_eq!((on_m_a, on_m_b), (card_a, card_b));
    wait_for(b, &format!("#card-{card_a}.cat-idee")).await;
    wait_for(a, &format!("#card-{card_b}.cat-bedarf")).await;
    tokio::join!(assert_no_reload(a, "Anna"), assert_no_reload(b, "Ben"));
    a.axe("board (participant, two cards)").await;

    // The moderator clusters both cards; the participants see the cluster and the moves live.
    m.fill("f-name", CLUSTER).await;
    m.click("#add-cluster").await;
    let cluster = wait_js(
        m,
        "the new cluster on the moderator's board",
        r#"for (const s of document.querySelectorAll('section.cluster[id^="cluster-"]')) {
             const h = s.querySelector('h3');
             if (s.id !== 'cluster-unsorted' && h && h.textContent.trim().startsWith(arguments[0]))
               return s.id.slice('cluster-'.length);
           }
           return null;"#,
        vec![json!(CLUSTER)],
    )
    .await;
    let cluster: i64 = cluster
        .as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("cluster id {cluster}"));
    let cluster_list = format!("#cards-c{cluster}");
    for card in [card_a, card_b] {
        details_action(
            m,
            &format!("#card-{card} details.mod-tools"),
            (&format!("move-{card}"), &cluster.to_string()),
            &format!("move-btn-{card}"),
        )
        .await;
        wait_for(m, &format!("{cluster_list} #card-{card}")).await;
    }
    for (who, br) in [("Anna", a), ("Ben", b)] {
        card_id(br, who, CARD_A, &cluster_list).await;
        card_id(br, who, CARD_B, &cluster_list).await;
        let cluster_name = wait_js(
            br,
            "the cluster heading",
            "const h = document.getElementById('cluster-h-' + arguments[0]); return h && h.textContent;",
            vec![json!(cluster)],
        )
        .await;
        assert!(cluster_name.as_str().unwrap_or_default().contains(CLUSTER));
    }
    m.axe("board (moderator, clustered)").await;

    // A voting round with 3 dots; each guest gives dots, and sees the budget shrink.
    m.fill("f-dots", "3").await;
    m.click("#open-round").await;
    wait_for(m, "#close-round").await;
    for br in [a, b] {
        wait_for(br, &format!("#vote-{card_a}")).await;
        wait_for(br, "#remaining[data-remaining='3']").await;
    }
    click_live(a, &format!("#vote-{card_b}")).await;
    wait_for(a, "#remaining[data-remaining='2']").await;
    wait_for(a, &format!("#unvote-{card_b}")).await;
    click_live(b, &format!("#vote-{card_b}")).await;
    wait_for(b, &format!("#unvote-{card_b}")).await;
    click_live(b, &format!("#vote-{card_a}")).await;
    wait_for(b, "#remaining[data-remaining='1']").await;
    wait_for(b, &format!("#unvote-{card_a}")).await;
    let remaining_text = b
        .client
        .find(Locator::Id("remaining"))
        .await
        .expect("#remaining")
        .text()
        .await
        .expect("text");
    assert!(remaining_text.contains('1'), "{remaining_text}");
    // Anna sees Ben's dots on the cards live.
    wait_js(
        a,
        "Anna to see 2 dots on Ben's card and 1 on her own",
        r#"const n = id => { const e = document.querySelector('#card-' + id + ' .dots-n');
                             return e && e.textContent.trim(); };
           return n(arguments[0]) === '2' && n(arguments[1]) === '1';"#,
        vec![json!(card_b), json!(card_a)],
    )
    .await;
    a.axe("board (participant, voting)").await;
    // The moderator's screen shows the results as they come in.
    result_rows(m, &[(CARD_B, 2), (CARD_A, 1)]).await;
    let clusters_table = wait_js(
        m,
        "the cluster results",
        r#"const t = document.querySelector('section.results table');
           return t && t.querySelector('tbody').innerText;"#,
        vec![],
    )
    .await;
    let clusters_table = clusters_table.as_str().unwrap_or_default();
    assert!(
        clusters_table.contains(CLUSTER) && clusters_table.contains('3'),
        "{clusters_table}"
    );
    m.axe("board (moderator, results)").await;

    m.click("#close-round").await;
    wait_for(m, "#open-round").await;
    for br in [a, b] {
        wait_js(
            br,
            "the vote buttons to disappear after the round closed",
            "return document.querySelector('form.vote') === null && document.getElementById('remaining') === null;",
            vec![],
        )
        .await;
    }
    result_rows(m, &[(CARD_B, 2), (CARD_A, 1)]).await;

    // The cluster becomes a measure.
    details_action(
        m,
        &format!("#cluster-{cluster} > details.mod-tools"),
        (&format!("target-cluster-{cluster}"), "massnahme"),
        &format!("convert-cluster-{cluster}"),
    )
    .await;
    let edit = wait_for_path_prefix(m, "/kommunen/arnsberg/massnahmen/").await;
    let measure: i64 = edit
        .trim_start_matches("/kommunen/arnsberg/massnahmen/")
        .strip_suffix("/bearbeiten")
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("measure edit path {edit}"));
    let measure_path = format!("/kommunen/arnsberg/massnahmen/{measure}");
    m.visit(app, &measure_path).await;
    let origins = wait_js(
        m,
        "the origin section on the measure",
        r#"const s = document.querySelector('section.origin-cards');
           return s && [s.querySelector('h2').textContent.trim(),
                        ...[...s.querySelectorAll('li')].map(li => li.textContent.trim())];"#,
        vec![],
    )
    .await;
    let origins: Vec<&str> = origins
        .as_array()
        .expect("array")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(origins.first(), Some(&"Entstanden aus der Werkstatt"));
    assert!(
        origins.contains(&CARD_A) && origins.contains(&CARD_B),
        "{origins:?}"
    );

    // Back on the board, the guests see what became of their cards, live.
    for (who, br) in [("Anna", a), ("Ben", b)] {
        for card in [card_a, card_b] {
            let link = wait_js(
                br,
                &format!("{who} to see the outcome on card {card}"),
                r#"const p = document.querySelector('#card-' + arguments[0] + ' p.outcome');
                   const l = p && p.querySelector('a');
                   return l && [p.textContent.trim(), l.getAttribute('href')];"#,
                vec![json!(card)],
            )
            .await;
            assert!(
                link[0]
                    .as_str()
                    .unwrap_or_default()
                    .starts_with("→ Maßnahme: "),
                "{link}"
            );
            assert_eq!(link[1].as_str(), Some(measure_path.as_str()));
        }
    }
    tokio::join!(assert_no_reload(a, "Anna"), assert_no_reload(b, "Ben"));
    a.axe("board (participant, converted)").await;
    m.visit(app, &board).await;
    wait_for(m, &format!("#card-{card_a} p.outcome")).await;
    m.axe("board (moderator, converted)").await;

    // The projector view for the room.
    let projector = b.visit(app, &format!("{board}/projektor")).await;
    assert!(
        projector.contains(CARD_A) && projector.contains(CARD_B) && projector.contains(CLUSTER),
        "projector shows the board"
    );
    let tools = b
        .client
        .execute(
            "return document.querySelectorAll('form, details.mod-tools, #add-card-form').length;",
            vec![],
        )
        .await
        .expect("js");
    assert_eq!(tools.as_i64(), Some(0), "the projector is read-only");
}

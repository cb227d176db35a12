//! The participation shell: creating formats, who may take part (confirmed e-mail, guests, single-use codes,
//! accounts), the information shown before, the participant's own data, retention, rate limits.
//! `format` and `join_guest` are shared with the format-specific test modules.

use crate::case;
use crate::harness::{Case, TestApp, link_in, location};
use reqwest::{Client, StatusCode};

pub fn cases() -> Vec<Case> {
    vec![
        case!(an_editor_creates_formats_and_bad_settings_change_nothing),
        case!(guests_and_accounts_join_and_see_the_privacy_notes_first),
        case!(email_participants_confirm_by_double_opt_in),
        case!(access_codes_are_single_use_even_in_parallel),
        case!(participants_download_and_delete_their_data_and_retention_removes_it),
        case!(point_voting_keeps_budgets_and_one_row_per_person_under_parallel_votes),
    ]
}

/// Arnsberg, an editor `red@x.de` (logged in) and a published format of `kind` open from yesterday for a
/// year, with `access` and extra settings: `(editor client, format id, page path)`.
pub async fn format(
    app: &TestApp,
    kind: &str,
    access: &str,
    extra: &[(&str, &str)],
) -> (Client, i64, String) {
    if store::municipalities::by_slug(&app.db, "arnsberg")
        .await
        .is_err()
    {
        app.municipality("arnsberg", "Arnsberg", "05958004", 73_456)
            .await;
        app.user("red@x.de", None, &[("arnsberg", "editor")]).await;
    }
    let red = app.login("red@x.de").await;
    let (from, _) = domain::workshop::utc_to_local(store::now_secs() - 86_400);
    let (to, _) = domain::workshop::utc_to_local(store::now_secs() + 365 * 86_400);
    let mut fields: Vec<(&str, &str)> = vec![
        ("kind", kind),
        ("title", "Wie soll die Innenstadt 2030 aussehen?"),
        ("description", "Ihre Meinung zählt."),
        (
            "processing_purpose",
            "Bedarfe für das Smart-City-Konzept erheben",
        ),
        ("legal_basis", "Art. 6 Abs. 1 lit. a DSGVO"),
        ("opens_on", &from),
        ("closes_on", &to),
        ("access", access),
        ("published", "on"),
        ("results_public", "on"),
        ("retention_days", "30"),
    ];
    // Extra settings replace the defaults of the same name.
    fields.retain(|(k, _)| !extra.iter().any(|(e, _)| e == k));
    fields.extend_from_slice(extra);
    let r = app
        .post_form(&red, "/kommunen/arnsberg/beteiligung/neu", &fields)
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "format created");
    let path = location(&r);
    let id = path.rsplit('/').next().unwrap().parse().unwrap();
    (red, id, path)
}

/// A new browser that joined the format at `path` as a guest.
pub async fn join_guest(app: &TestApp, path: &str) -> Client {
    let c = app.client();
    let r = app
        .post_form(&c, &format!("{path}/teilnehmen"), &[("consent", "on")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "guest joins");
    assert!(location(&r).ends_with("?ok=joined"));
    c
}

async fn an_editor_creates_formats_and_bad_settings_change_nothing(app: TestApp) {
    let (red, _, path) = format(&app, "umfrage", "gast", &[]).await;
    let (s, page) = app.get_text(&red, &path).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("Wie soll die Innenstadt 2030 aussehen?"));
    let bad = [
        ("kind", "lotto"),
        ("title", ""),
        ("processing_purpose", ""),
        ("legal_basis", ""),
        ("opens_on", "2027-05-01"),
        ("closes_on", "2027-04-01"),
        ("access", "alle"),
        ("retention_days", "0"),
    ];
    let before = app.count("participations").await;
    let r = app
        .post_form(&red, "/kommunen/arnsberg/beteiligung/neu", &bad)
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap();
    for f in [
        "kind",
        "title",
        "processing_purpose",
        "legal_basis",
        "closes_on",
        "access",
        "retention_days",
    ] {
        assert!(
            body.contains(&format!("href=\"#f-{f}\"")),
            "summary names {f}"
        );
    }
    assert!(body.contains("Das Ende muss nach dem Beginn liegen."));
    assert_eq!(app.count("participations").await, before);
    // Drafts are for editors only; the list shows published formats to everyone.
    let (_, _, draft) = format(&app, "ideen", "gast", &[("published", "")]).await;
    let r = app
        .post_form(
            &red,
            &format!("{draft}/einstellungen"),
            &[
                ("title", "Entwurf"),
                ("processing_purpose", "x"),
                ("legal_basis", "y"),
                ("opens_on", "2027-01-01"),
                ("closes_on", "2027-02-01"),
                ("access", "gast"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let anon = app.client();
    assert_eq!(app.get(&anon, &draft).await.status(), StatusCode::NOT_FOUND);
    let (_, list) = app.get_text(&anon, "/kommunen/arnsberg/beteiligung").await;
    assert!(list.contains("Wie soll die Innenstadt") && !list.contains("Entwurf"));
    // Participants of the city do not create formats.
    app.user("teil@x.de", None, &[("arnsberg", "participant")])
        .await;
    let t = app.login("teil@x.de").await;
    let r = app
        .post_form(&t, "/kommunen/arnsberg/beteiligung/neu", &bad)
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

async fn guests_and_accounts_join_and_see_the_privacy_notes_first(app: TestApp) {
    let (_, id, path) = format(&app, "umfrage", "gast", &[]).await;
    let anon = app.client();
    let (_, page) = app.get_text(&anon, &path).await;
    for text in [
        "Bedarfe für das Smart-City-Konzept erheben",
        "Art. 6 Abs. 1 lit. a DSGVO",
        "Schwächere Garantie",
        "30 Tage",
    ] {
        assert!(page.contains(text), "shown before taking part: {text}");
    }
    // Without consent, or with the honeypot filled: refused, nothing stored.
    let r = app
        .post_form(&anon, &format!("{path}/teilnehmen"), &[])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Hinweise zum Datenschutz gelesen")
    );
    let r = app
        .post_form(
            &anon,
            &format!("{path}/teilnehmen"),
            &[("consent", "on"), ("website", "http://spam.example")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("participants").await, 0);
    // A guest joins once per browser.
    let g = join_guest(&app, &path).await;
    app.post_form(&g, &format!("{path}/teilnehmen"), &[("consent", "on")])
        .await;
    assert_eq!(app.count("participants").await, 1);
    let (_, page) = app.get_text(&g, &path).await;
    assert!(page.contains("Sie nehmen teil."));
    // An account joins as itself.
    app.user("buerger@x.de", None, &[]).await;
    let b = app.login("buerger@x.de").await;
    let r = app
        .post_form(&b, &format!("{path}/teilnehmen"), &[("consent", "on")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        store::participation::participant_count(&app.db, id)
            .await
            .unwrap(),
        2
    );
    // A closed format takes nobody.
    let closed = store::participation::get_any(&app.db, id).await.unwrap();
    let (from, _) = domain::workshop::utc_to_local(closed.opens_at - 30 * 86_400);
    let (to, _) = domain::workshop::utc_to_local(closed.opens_at - 86_400);
    let red = app.login("red@x.de").await;
    app.post_form(
        &red,
        &format!("{path}/einstellungen"),
        &[
            ("title", "Vorbei"),
            ("processing_purpose", "x"),
            ("legal_basis", "y"),
            ("opens_on", &from),
            ("closes_on", &to),
            ("access", "gast"),
            ("published", "on"),
        ],
    )
    .await;
    let late = app.client();
    let r = app
        .post_form(&late, &format!("{path}/teilnehmen"), &[("consent", "on")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("läuft gerade nicht"));
}

async fn email_participants_confirm_by_double_opt_in(app: TestApp) {
    let (_, id, path) = format(&app, "meinungsbild", "email", &[]).await;
    let c = app.client();
    let r = app
        .post_form(
            &c,
            &format!("{path}/teilnehmen"),
            &[("consent", "on"), ("email", "kein-at")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .post_form(
            &c,
            &format!("{path}/teilnehmen"),
            &[("consent", "on"), ("email", "Ina@Example.org")],
        )
        .await;
    assert_eq!(location(&r), format!("{path}?ok=mail-sent"));
    // Not yet confirmed: no participant counted.
    assert_eq!(
        store::participation::participant_count(&app.db, id)
            .await
            .unwrap(),
        0
    );
    let (_, page) = app.get_text(&c, &path).await;
    assert!(page.contains("Bitte bestätigen Sie Ihre Teilnahme"));
    let mail = app.wait_for_mail("ina@example.org", 1).await;
    let link = link_in(&mail, "/beteiligung/bestaetigen/");
    let r = app.get(&c, &link).await;
    assert_eq!(location(&r), format!("{path}?ok=confirmed"));
    assert_eq!(
        store::participation::participant_count(&app.db, id)
            .await
            .unwrap(),
        1
    );
    let (_, page) = app.get_text(&c, &path).await;
    assert!(page.contains("Sie nehmen teil."));
    // The link works once.
    assert_eq!(
        app.get(&app.client(), &link).await.status(),
        StatusCode::NOT_FOUND
    );
    // The same address again (another browser): a new link, still one participant.
    let other = app.client();
    app.post_form(
        &other,
        &format!("{path}/teilnehmen"),
        &[("consent", "on"), ("email", "ina@example.org")],
    )
    .await;
    let mail = app.wait_for_mail("ina@example.org", 2).await;
    let link2 = link_in(&mail, "/beteiligung/bestaetigen/");
    assert_ne!(link, link2);
    app.get(&other, &link2).await;
    assert_eq!(
        store::participation::participant_count(&app.db, id)
            .await
            .unwrap(),
        1
    );
    let (_, page) = app.get_text(&other, &path).await;
    assert!(page.contains("Sie nehmen teil."));
}

async fn access_codes_are_single_use_even_in_parallel(app: TestApp) {
    let (red, id, path) = format(&app, "punkte", "code", &[("points", "5")]).await;
    let r = app
        .post_form(&red, &format!("{path}/zugangscodes"), &[("count", "0")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .post_form(&red, &format!("{path}/zugangscodes"), &[("count", "3")])
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let pdf = r.bytes().await.unwrap();
    let text = pdf_extract::extract_text_from_mem(&pdf).expect("text");
    let re = regex::Regex::new(r"[ACDEFGHJKMNPQRTUVWXY234679]{5}-[ACDEFGHJKMNPQRTUVWXY234679]{5}")
        .unwrap();
    let codes: Vec<String> = re
        .find_iter(&text)
        .map(|m| m.as_str().to_string())
        .collect();
    assert!(codes.len() >= 3, "three codes printed: {codes:?}");
    assert_eq!(
        store::participation::code_counts(&app.db, id)
            .await
            .unwrap(),
        (3, 0)
    );
    // Only hashes are stored.
    assert_eq!(
        app.count(&format!(
            "access_codes WHERE code_hash = '{}'",
            codes[0].replace('-', "")
        ))
        .await,
        0
    );
    // Wrong code, then ten browsers race for the same code: exactly one gets in.
    let c = app.client();
    let r = app
        .post_form(
            &c,
            &format!("{path}/teilnehmen"),
            &[("consent", "on"), ("code", "AAAAA-AAAAA")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("Dieser Code ist ungültig"));
    let code = codes[0].to_lowercase();
    let clients: Vec<Client> = (0..10).map(|_| app.client()).collect();
    let tokens = futures::future::join_all(clients.iter().map(|c| app.csrf(c))).await;
    let results = futures::future::join_all(clients.iter().zip(&tokens).map(|(c, t)| {
        c.post(app.url(&format!("{path}/teilnehmen")))
            .form(&[
                ("_csrf", t.as_str()),
                ("consent", "on"),
                ("code", code.as_str()),
            ])
            .send()
    }))
    .await;
    let ok = results
        .iter()
        .filter(|r| r.as_ref().unwrap().status() == StatusCode::SEE_OTHER)
        .count();
    assert_eq!(ok, 1, "a code admits one person");
    assert_eq!(
        store::participation::code_counts(&app.db, id)
            .await
            .unwrap(),
        (3, 1)
    );
    assert_eq!(
        store::participation::participant_count(&app.db, id)
            .await
            .unwrap(),
        1
    );
    let again = app.client();
    let r = app
        .post_form(
            &again,
            &format!("{path}/teilnehmen"),
            &[("consent", "on"), ("code", &codes[0])],
        )
        .await;
    assert!(r.text().await.unwrap().contains("bereits verwendet"));
    // The QR code on the sheet opens the page with the code filled in.
    let plain = codes[1].replace('-', "");
    let (_, page) = app
        .get_text(&app.client(), &format!("{path}?code={plain}"))
        .await;
    assert!(
        page.contains(&format!("value=\"{plain}\"")),
        "code pre-filled"
    );
    // Accounts need a code too.
    app.user("buerger@x.de", None, &[]).await;
    let b = app.login("buerger@x.de").await;
    let r = app
        .post_form(&b, &format!("{path}/teilnehmen"), &[("consent", "on")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

async fn participants_download_and_delete_their_data_and_retention_removes_it(app: TestApp) {
    let (_, id, path) = format(&app, "meinungsbild", "email", &[]).await;
    let c = app.client();
    app.post_form(
        &c,
        &format!("{path}/teilnehmen"),
        &[("consent", "on"), ("email", "ina@example.org")],
    )
    .await;
    let link = link_in(
        &app.wait_for_mail("ina@example.org", 1).await,
        "/beteiligung/bestaetigen/",
    );
    app.get(&c, &link).await;
    let r = app.get(&c, &format!("{path}/meine-daten")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let data: serde_json::Value = r.json().await.unwrap();
    assert_eq!(data["teilnahme"]["email"], "ina@example.org");
    assert_eq!(data["beteiligung"]["id"], id);
    // Someone else has no data here.
    assert_eq!(
        app.get(&app.client(), &format!("{path}/meine-daten"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let r = app
        .post_form(&c, &format!("{path}/meine-daten/loeschen"), &[])
        .await;
    assert_eq!(location(&r), format!("{path}?ok=deleted"));
    assert_eq!(app.count("participants WHERE email IS NOT NULL").await, 0);
    assert_eq!(
        app.count("participants WHERE anonymised_at IS NOT NULL")
            .await,
        1
    );
    assert_eq!(
        app.get(&c, &format!("{path}/meine-daten")).await.status(),
        StatusCode::NOT_FOUND
    );
    // Retention: a second participant, then the period ends; the job removes the personal data.
    let (_, id2, path2) = format(&app, "umfrage", "email", &[]).await;
    let d = app.client();
    app.post_form(
        &d,
        &format!("{path2}/teilnehmen"),
        &[("consent", "on"), ("email", "otto@example.org")],
    )
    .await;
    let p = store::participation::get_any(&app.db, id2).await.unwrap();
    let not_yet = store::participation::apply_retention(&app.db, p.closes_at + 29 * 86_400)
        .await
        .unwrap();
    assert_eq!(not_yet, 0);
    let done = store::participation::apply_retention(&app.db, p.closes_at + 31 * 86_400)
        .await
        .unwrap();
    assert!(done >= 1);
    assert_eq!(
        app.count("participants WHERE email = 'otto@example.org'")
            .await,
        0
    );
    assert_eq!(
        app.count(&format!(
            "participations WHERE id = {id2} AND personal_data_removed_at IS NOT NULL"
        ))
        .await,
        1
    );
}

/// A measure of Arnsberg created through the form: its id.
pub async fn measure(app: &TestApp, red: &Client, title: &str) -> i64 {
    let r = app
        .post_form(
            red,
            "/kommunen/arnsberg/massnahmen/neu",
            &[("title", title), ("visibility", "oeffentlich")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "measure {title}");
    let l = location(&r);
    l.trim_start_matches("/kommunen/arnsberg/massnahmen/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

async fn point_voting_keeps_budgets_and_one_row_per_person_under_parallel_votes(app: TestApp) {
    let (red, id, path) = format(&app, "punkte", "gast", &[("points", "3")]).await;
    let a = measure(&app, &red, "Digitale Bürgerdienste").await;
    let b = measure(&app, &red, "Sensoren für Parkplätze").await;
    let c = measure(&app, &red, "Freies WLAN").await;
    let r = app
        .post_form(
            &red,
            &format!("{path}/punkte/eintraege"),
            &[("measure_ids", "999999")],
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "only the city's measures"
    );
    let (sa, sb, sc) = (a.to_string(), b.to_string(), c.to_string());
    let r = app
        .post_form(
            &red,
            &format!("{path}/punkte/eintraege"),
            &[
                ("measure_ids", &sa),
                ("measure_ids", &sb),
                ("measure_ids", &sc),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let vote = |c: Client, item: String, delta: &'static str| {
        let app = &app;
        let path = path.clone();
        async move {
            let token = app.csrf(&c).await;
            let r = c
                .post(app.url(&format!("{path}/punkte")))
                .header("accept", "application/json")
                .form(&[
                    ("_csrf", token.as_str()),
                    ("item_kind", "massnahme"),
                    ("item_id", item.as_str()),
                    ("delta", delta),
                ])
                .send()
                .await
                .unwrap();
            let s = r.status();
            (s, r.json::<serde_json::Value>().await.unwrap_or_default())
        }
    };
    // Not joined yet.
    let outsider = app.client();
    let (s, v) = vote(outsider, sa.clone(), "1").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .contains("treten Sie zuerst bei")
    );
    let ina = join_guest(&app, &path).await;
    let (s, v) = vote(ina.clone(), sa.clone(), "1").await;
    assert_eq!((s, v["remaining"].as_i64()), (StatusCode::OK, Some(2)));
    let (s, v) = vote(ina.clone(), sa.clone(), "1").await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "one point per item unless cumulative"
    );
    assert!(v["message"].as_str().unwrap().contains("nicht mehr Punkte"));
    let (s, _) = vote(ina.clone(), "424242".into(), "1").await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "not an item of this voting"
    );
    // Twenty parallel votes of one person on two items: the budget of 3 holds, one row per item.
    let otto = join_guest(&app, &path).await;
    let results = futures::future::join_all((0..20).map(|i| {
        vote(
            otto.clone(),
            if i % 2 == 0 { sb.clone() } else { sc.clone() },
            "1",
        )
    }))
    .await;
    let ok = results.iter().filter(|(s, _)| *s == StatusCode::OK).count();
    assert_eq!(ok, 2, "one point on each of the two items");
    let (s, _) = vote(otto.clone(), sa.clone(), "1").await;
    assert_eq!(s, StatusCode::OK, "the third point goes elsewhere");
    let (s, v) = vote(otto.clone(), sa.clone(), "-1").await;
    assert_eq!((s, v["remaining"].as_i64()), (StatusCode::OK, Some(1)));
    let (s, _) = vote(otto.clone(), sa.clone(), "-1").await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "nothing left to take back"
    );
    // More than one point at once: refused with its own reason, nothing written.
    let (s, v) = vote(otto.clone(), sa.clone(), "5").await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("err-vote-delta"))
    );
    assert!(v["message"].as_str().unwrap().contains("genau einen Punkt"));
    // Totals are maintained and match the vote rows.
    let tallies = store::votes::tallies(&app.db, id).await.unwrap();
    let total = |m: i64| tallies.iter().find(|t| t.1 == m).map(|t| t.2).unwrap_or(0);
    assert_eq!((total(a), total(b), total(c)), (1, 1, 1));
    assert_eq!(app.count("participation_votes").await, 3);
    // Without JavaScript: a redirect back to the item.
    let r = app
        .post_form(
            &ina,
            &format!("{path}/punkte"),
            &[("item_kind", "massnahme"), ("item_id", &sb), ("delta", "1")],
        )
        .await;
    assert_eq!(location(&r), format!("{path}?ok=voted#item-massnahme-{b}"));
    // Items are locked once votes exist.
    let r = app
        .post_form(
            &red,
            &format!("{path}/punkte/eintraege"),
            &[("measure_ids", &sa)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Results: page, API and CSV agree; deleting a participant's data keeps them.
    let (_, page) = app
        .get_text(&app.client(), &format!("{path}/ergebnisse"))
        .await;
    assert!(page.contains("Sensoren für Parkplätze") && page.contains("role=\"img\""));
    let api: serde_json::Value = app
        .client()
        .get(app.url(&format!("/api/v1/participations/{id}/points")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let points_of = |api: &serde_json::Value, m: i64| {
        api["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == m)
            .unwrap()["points"]
            .as_i64()
            .unwrap()
    };
    assert_eq!(points_of(&api, b), 2);
    let (_, csv) = app
        .get_text(&app.client(), &format!("{path}/ergebnisse.csv"))
        .await;
    assert!(csv.contains("Sensoren für Parkplätze;2;2"), "{csv}");
    app.post_form(&otto, &format!("{path}/meine-daten/loeschen"), &[])
        .await;
    let api: serde_json::Value = app
        .client()
        .get(app.url(&format!("/api/v1/participations/{id}/points")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(points_of(&api, b), 2, "aggregates stay after deletion");
}

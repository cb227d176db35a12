//! Implementation tracking: progress reports with photos (bad input of every kind changes nothing; photos are
//! served only to those who may see the measure, as images), overdue milestones and KPI charts, following
//! with mails at once and as a daily digest (only to people who may see the measure, once even when two
//! nodes run the job), and the public showcase with roadmap and the chain from contributions to measures.

use crate::browser::Browser;
use crate::case;
use crate::harness::{Case, Needs, TestApp, csrf_from, location};
use crate::strategy::measure;
use domain::visibility::Visibility;
use reqwest::multipart::{Form, Part};
use reqwest::{Client, StatusCode};

pub fn cases() -> Vec<Case> {
    vec![
        case!(progress_reports_keep_photos_and_refuse_bad_input),
        case!(photos_are_served_only_to_those_who_may_see_the_measure),
        case!(overdue_milestones_and_kpi_charts_are_shown),
        case!(followers_get_mail_at_once_or_in_a_daily_digest),
        case!(the_showcase_shows_public_measures_roadmap_and_the_chain),
        case!(
            a_coordinator_reports_progress_and_a_citizen_sees_the_showcase_in_the_browser,
            Needs::Browser
        ),
    ]
}

/// A tiny valid PNG (1×1, from its signature on: only the signature matters to the check).
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\0\x05\0\x01\xff\x89\x99=\x1d\0\0\0\0IEND\xaeB`\x82";

struct Setup {
    city: i64,
    red: Client,
    public: i64,
    internal: i64,
}

async fn setup(app: &TestApp) -> Setup {
    let city = app
        .municipality("arnsberg", "Arnsberg", "05958004", 73_456)
        .await;
    app.municipality("siegen", "Siegen", "05970040", 101_943)
        .await;
    app.user("red@x.de", None, &[("arnsberg", "editor")]).await;
    let public = measure(
        app,
        city,
        "Digitale Parkraumanzeige",
        Visibility::Oeffentlich,
        "umsetzung",
    )
    .await;
    let internal = measure(
        app,
        city,
        "Interne Vorbereitung",
        Visibility::Intern,
        "idee",
    )
    .await;
    let red = app.login("red@x.de").await;
    Setup {
        city,
        red,
        public,
        internal,
    }
}

/// The CSRF token of a client, from a page it may see.
async fn token(app: &TestApp, c: &Client) -> String {
    let (_, body) = app.get_text(c, "/impressum").await;
    csrf_from(&body)
}

async fn report(
    app: &TestApp,
    c: &Client,
    measure_id: i64,
    form: Form,
    with_token: bool,
) -> reqwest::Response {
    let mut url = app.url(&format!(
        "/kommunen/arnsberg/massnahmen/{measure_id}/fortschritt"
    ));
    if with_token {
        url = format!("{url}?_csrf={}", token(app, c).await);
    }
    c.post(url).multipart(form).send().await.expect("POST")
}

fn text_form(date: &str, percent: &str, body: &str, milestone: &str) -> Form {
    Form::new()
        .text("reported_on", date.to_string())
        .text("percent", percent.to_string())
        .text("body", body.to_string())
        .text("milestone_id", milestone.to_string())
}

fn photo(bytes: &[u8], name: &str) -> Part {
    Part::bytes(bytes.to_vec()).file_name(name.to_string())
}

async fn nothing_stored(app: &TestApp) {
    assert_eq!(app.count("progress_reports").await, 0);
    assert_eq!(app.count("uploads").await, 0);
    assert_eq!(app.count("progress_photos").await, 0);
}

async fn milestone(app: &TestApp, c: &Client, measure_id: i64, title: &str, due: &str) -> i64 {
    let r = app
        .post_form(
            c,
            &format!("/kommunen/arnsberg/massnahmen/{measure_id}/meilensteine"),
            &[("milestone_title", title), ("milestone_due", due)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "milestone {title}");
    app.count("milestones").await
}

async fn progress_reports_keep_photos_and_refuse_bad_input(app: TestApp) {
    let s = setup(&app).await;
    let ms = milestone(&app, &s.red, s.public, "Ausschreibung", "2026-06-30").await;
    let today = web::view::today();

    // Every field wrong at once: a message each, nothing stored.
    let form = text_form("2099-01-01", "150", "", "999")
        .part(
            "photo1",
            photo(b"<svg xmlns='http://www.w3.org/2000/svg'/>", "a.png"),
        )
        .text("alt1", "Ein Bild")
        .part("photo2", photo(PNG, "b.png"))
        .text("alt2", "   ");
    let r = report(&app, &s.red, s.public, form, true).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap();
    for msg in [
        "Ein Bericht kann nicht in der Zukunft liegen.",
        "Bitte geben Sie eine ganze Zahl von 0 bis 100 ein.",
        "Bitte wählen Sie einen offenen Meilenstein dieser Maßnahme.",
        "Das ist kein Foto im Format PNG, JPEG oder WebP.",
        "Bitte beschreiben Sie, was auf dem Foto zu sehen ist.",
    ] {
        assert!(body.contains(msg), "{msg}");
    }
    assert!(
        body.contains("Was ist geschehen?"),
        "the empty text is named"
    );
    assert!(body.contains("value=\"150\""), "the input is kept");
    nothing_stored(&app).await;

    // Too large a photo.
    let mut big = PNG.to_vec();
    big.resize(5 * 1024 * 1024 + 1, 0);
    let form = text_form(&today, "10", "Start", "")
        .part("photo1", photo(&big, "big.png"))
        .text("alt1", "Groß");
    let r = report(&app, &s.red, s.public, form, true).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Das Foto ist größer als 5 MB.")
    );
    nothing_stored(&app).await;

    // Without the CSRF token, and from people who may not edit: refused, nothing stored.
    let r = report(
        &app,
        &s.red,
        s.public,
        text_form(&today, "10", "x", ""),
        false,
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let anon = app.client();
    let r = report(
        &app,
        &anon,
        s.public,
        text_form(&today, "10", "x", ""),
        true,
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(location(&r).starts_with("/anmelden"));
    app.user("buerger@x.de", None, &[("arnsberg", "participant")])
        .await;
    let citizen = app.login("buerger@x.de").await;
    let r = report(
        &app,
        &citizen,
        s.public,
        text_form(&today, "10", "x", ""),
        true,
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    nothing_stored(&app).await;

    // A valid report with two photos that reaches the milestone.
    let form = text_form(
        &today,
        " 40 % ",
        "Drei Angebote liegen vor.",
        &ms.to_string(),
    )
    .part("photo1", photo(PNG, "tafel.png"))
    .text("alt1", "Die neue Anzeigetafel am Neumarkt")
    .part(
        "photo3",
        photo(&[0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3], "baustelle.jpg"),
    )
    .text("alt3", "Baustelle am Parkhaus");
    let r = report(&app, &s.red, s.public, form, true).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(location(&r).ends_with("?ok=progress#fortschritt"));
    assert_eq!(
        app.count("progress_reports WHERE percent = 40 AND status = 'umsetzung'")
            .await,
        1
    );
    assert_eq!(app.count("uploads").await, 2);
    assert_eq!(
        app.count("uploads WHERE content_type = 'image/jpeg'").await,
        1
    );
    assert_eq!(
        app.count(&format!(
            "milestones WHERE id = {ms} AND done_on = '{today}'"
        ))
        .await,
        1
    );

    // The page shows it to the public: percent, text, milestone, photos with their alt texts.
    let (st, page) = app
        .get_text(
            &app.client(),
            &format!("/kommunen/arnsberg/massnahmen/{}", s.public),
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    assert!(page.contains("Aktueller Stand: 40 % umgesetzt"));
    assert!(page.contains("Drei Angebote liegen vor."));
    assert!(page.contains("Meilenstein erreicht: Ausschreibung"));
    assert!(page.contains("alt=\"Die neue Anzeigetafel am Neumarkt\""));
    assert!(page.contains("alt=\"Baustelle am Parkhaus\""));

    // A reached milestone cannot be reached again: refused, nothing more stored.
    let r = report(
        &app,
        &s.red,
        s.public,
        text_form(&today, "50", "Weiter", &ms.to_string()),
        true,
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("progress_reports").await, 1);
    let _ = s.city;
}

async fn photos_are_served_only_to_those_who_may_see_the_measure(app: TestApp) {
    let s = setup(&app).await;
    let today = web::view::today();
    for (mid, alt) in [(s.public, "Öffentlich"), (s.internal, "Intern")] {
        let form = text_form(&today, "10", "Bericht", "")
            .part("photo1", photo(PNG, "p.png"))
            .text("alt1", alt);
        assert_eq!(
            report(&app, &s.red, mid, form, true).await.status(),
            StatusCode::SEE_OTHER
        );
    }
    let ids: Vec<i64> = {
        let (_, page) = app
            .get_text(
                &s.red,
                &format!("/kommunen/arnsberg/massnahmen/{}", s.public),
            )
            .await;
        let (_, page2) = app
            .get_text(
                &s.red,
                &format!("/kommunen/arnsberg/massnahmen/{}", s.internal),
            )
            .await;
        [page, page2]
            .iter()
            .map(|p| {
                let rest = p
                    .split("/kommunen/arnsberg/fotos/")
                    .nth(1)
                    .expect("photo link");
                rest.split('"').next().unwrap().parse().unwrap()
            })
            .collect()
    };
    let anon = app.client();
    let r = app
        .get(&anon, &format!("/kommunen/arnsberg/fotos/{}", ids[0]))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "image/png");
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    assert!(
        r.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("sandbox")
    );
    assert_eq!(r.bytes().await.unwrap().as_ref(), PNG);
    // The internal measure's photo: unknown to the public and to another city's member, shown to the city.
    assert_eq!(
        app.get(&anon, &format!("/kommunen/arnsberg/fotos/{}", ids[1]))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    app.user("siegen@x.de", None, &[("siegen", "editor")]).await;
    let other = app.login("siegen@x.de").await;
    assert_eq!(
        app.get(&other, &format!("/kommunen/arnsberg/fotos/{}", ids[1]))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&other, &format!("/kommunen/siegen/fotos/{}", ids[0]))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&s.red, &format!("/kommunen/arnsberg/fotos/{}", ids[1]))
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        app.get(&anon, "/kommunen/arnsberg/fotos/999999")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

async fn overdue_milestones_and_kpi_charts_are_shown(app: TestApp) {
    let s = setup(&app).await;
    milestone(&app, &s.red, s.public, "Längst fällig", "2020-01-31").await;
    milestone(&app, &s.red, s.public, "Noch Zeit", "2199-12-31").await;
    let r = app
        .post_form(
            &s.red,
            &format!("/kommunen/arnsberg/massnahmen/{}/kpis", s.public),
            &[
                ("kpi_name", "Freie Stellplätze angezeigt"),
                ("kpi_unit", "%"),
                ("kpi_baseline", "0"),
                ("kpi_target", "80"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, page) = app
        .get_text(
            &s.red,
            &format!("/kommunen/arnsberg/massnahmen/{}", s.public),
        )
        .await;
    let kpi_id: i64 = page
        .split("/kpis/")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .and_then(|n| n.parse().ok())
        .expect("kpi form");
    for (on, v) in [("1.3.2026", "20"), ("2026-01-15", "10")] {
        let r = app
            .post_form(
                &s.red,
                &format!(
                    "/kommunen/arnsberg/massnahmen/{}/kpis/{kpi_id}/messwerte",
                    s.public
                ),
                &[("measured_on", on), ("value", v)],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    }
    let (_, page) = app
        .get_text(
            &app.client(),
            &format!("/kommunen/arnsberg/massnahmen/{}", s.public),
        )
        .await;
    assert_eq!(
        page.matches("class=\"overdue\"").count(),
        1,
        "only the past, open milestone"
    );
    let flagged = page.split("class=\"overdue\"").next().unwrap();
    assert!(
        flagged
            .rsplit("<li>")
            .next()
            .unwrap()
            .contains("Längst fällig")
    );
    let start = page.find("id=\"kpi-chart-").expect("a KPI chart");
    let chart = &page[start..];
    assert!(
        chart.contains("Verlauf: Freie Stellplätze angezeigt"),
        "{chart}"
    );
    assert!(
        chart
            .contains("Ausgangswert: 0; Zielwert: 80; Messwerte: 2026-01-15 10 %, 2026-03-01 20 %"),
        "{chart}"
    );
    assert_eq!(
        chart
            .split("</svg>")
            .next()
            .unwrap()
            .matches("<circle")
            .count(),
        2
    );
}

async fn followers_get_mail_at_once_or_in_a_daily_digest(app: TestApp) {
    let s = setup(&app).await;
    app.user("sofort@x.de", None, &[]).await;
    app.user("taeglich@x.de", None, &[]).await;
    app.user("neugierig@x.de", None, &[("siegen", "editor")])
        .await;
    let now = app.login("sofort@x.de").await;
    let daily = app.login("taeglich@x.de").await;
    let curious = app.login("neugierig@x.de").await;
    // Bad follow requests change nothing; anonymous visitors are sent to log in.
    let r = app
        .post_form(
            &now,
            &format!("/kommunen/arnsberg/massnahmen/{}/folgen", s.public),
            &[("follow", "ja")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let r = app
        .post_form(
            &app.client(),
            "/kommunen/arnsberg/folgen",
            &[("follow", "1")],
        )
        .await;
    assert!(location(&r).starts_with("/anmelden"));
    // An internal measure cannot be followed by someone who may not see it.
    let r = app
        .post_form(
            &curious,
            &format!("/kommunen/arnsberg/massnahmen/{}/folgen", s.internal),
            &[("follow", "1")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.count("follows").await, 0);

    let r = app
        .post_form(
            &now,
            &format!("/kommunen/arnsberg/massnahmen/{}/folgen", s.public),
            &[("follow", "1")],
        )
        .await;
    assert!(location(&r).ends_with("?ok=followed#fortschritt"));
    assert_eq!(
        app.post_form(&daily, "/kommunen/arnsberg/folgen", &[("follow", "1")])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.post_form(&curious, "/kommunen/arnsberg/folgen", &[("follow", "1")])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.post_form(&s.red, "/kommunen/arnsberg/folgen", &[("follow", "1")])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    let r = app
        .post_form(
            &daily,
            "/konto/benachrichtigungen",
            &[("mode", "woechentlich")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let r = app
        .post_form(&daily, "/konto/benachrichtigungen", &[("mode", "taeglich")])
        .await;
    assert_eq!(location(&r), "/konto?ok=mode");
    let (_, konto) = app.get_text(&daily, "/konto").await;
    assert!(konto.contains("value=\"taeglich\" checked"));

    // A report on the internal measure: only the city's people may hear of it (and not its author).
    let today = web::view::today();
    assert_eq!(
        report(
            &app,
            &s.red,
            s.internal,
            text_form(&today, "5", "Intern vorbereitet", ""),
            true
        )
        .await
        .status(),
        StatusCode::SEE_OTHER
    );
    // A report on the public measure: the follower of the measure and both city followers.
    assert_eq!(
        report(
            &app,
            &s.red,
            s.public,
            text_form(&today, "40", "Drei Angebote liegen vor.", ""),
            true
        )
        .await
        .status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.count("notifications").await,
        3,
        "internal: nobody; public: sofort, taeglich, neugierig"
    );

    let mail = app.wait_for_mail("sofort@x.de", 1).await;
    assert!(
        mail.contains("Subject: Neuer Fortschritt: Digitale Parkraumanzeige"),
        "{mail}"
    );
    assert!(mail.contains("40 % umgesetzt") && mail.contains("Drei Angebote liegen vor."));
    assert!(mail.contains(&format!(
        "/kommunen/arnsberg/massnahmen/{}#fortschritt",
        s.public
    )));
    app.wait_for_mail("neugierig@x.de", 1).await;
    assert!(app.mails_to("neugierig@x.de")[0].contains("Digitale Parkraumanzeige"));
    assert!(!app.mails_to("neugierig@x.de")[0].contains("Intern vorbereitet"));
    assert!(
        app.mails_to("red@x.de").is_empty(),
        "the author is not told of their own report"
    );
    assert!(app.mails_to("taeglich@x.de").is_empty(), "the digest waits");

    // The digest, when the outbox refuses the mail (a failing insert, as on a full disk): the pass fails and
    // the notification stays pending, it is not marked as mailed without its mail.
    let later = store::now_secs() + 2 * 86_400;
    let pending = app.count("notifications WHERE sent_at IS NULL").await;
    assert_eq!(pending, 1, "the digest's notification waits");
    let outbox = app.count("mail_outbox").await;
    outbox_fails(&app, true).await;
    assert!(
        web::implementation::notify::run_once(&app.state, later)
            .await
            .is_err(),
        "the pass reports the failed insert"
    );
    outbox_fails(&app, false).await;
    assert_eq!(
        app.count("notifications WHERE sent_at IS NULL").await,
        pending,
        "still pending after the failed pass"
    );
    assert_eq!(app.count("mail_outbox").await, outbox);

    // The digest, from two nodes at once after the next 07:00: one mail.
    let second = app.second_node().await;
    let (a, b) = tokio::join!(
        web::implementation::notify::run_once(&app.state, later),
        web::implementation::notify::run_once(&second.state, later)
    );
    assert_eq!(a.unwrap() + b.unwrap(), 1, "one digest mail queued");
    app.state.mail_wakeup.notify_one();
    let digest = app.wait_for_mail("taeglich@x.de", 1).await;
    assert!(
        digest.contains("Subject: 1 neue Fortschrittsberichte"),
        "{digest}"
    );
    assert!(digest.contains("Digitale Parkraumanzeige (Arnsberg)"));
    assert_eq!(
        web::implementation::notify::run_once(&app.state, later)
            .await
            .unwrap(),
        0,
        "nothing twice"
    );
    assert_eq!(app.count("notifications WHERE sent_at IS NULL").await, 0);

    // Unfollowing stops it.
    let r = app
        .post_form(
            &now,
            &format!("/kommunen/arnsberg/massnahmen/{}/folgen", s.public),
            &[("follow", "0")],
        )
        .await;
    assert!(location(&r).ends_with("?ok=unfollowed#fortschritt"));
    assert_eq!(
        app.count("follows WHERE target_kind = 'massnahme'").await,
        0
    );
    let _ = s.city;
}

async fn the_showcase_shows_public_measures_roadmap_and_the_chain(app: TestApp) {
    web::demo::load(&app.db).await.expect("demo");
    let anon = app.client();
    let (st, page) = app.get_text(&anon, "/kommunen/arnsberg/schaufenster").await;
    assert_eq!(st, StatusCode::OK);
    assert!(page.contains("Smart-City-Schaufenster Arnsberg"));
    let city = store::municipalities::by_slug(&app.db, "arnsberg")
        .await
        .unwrap();
    let all = store::measures::list(
        &app.db,
        city.id,
        Visibility::Intern,
        &Default::default(),
        Default::default(),
    )
    .await
    .unwrap();
    assert!(
        all.iter().any(|m| m.visibility != "oeffentlich"),
        "the demo has non-public measures"
    );
    for m in &all {
        let shown = page.contains(&format!("id=\"showcase-m-{}\"", m.id));
        assert_eq!(
            shown,
            m.visibility == "oeffentlich",
            "{} ({})",
            m.title,
            m.visibility
        );
    }
    // The roadmap picture and its table; the demo's progress reports.
    assert!(page.contains("id=\"roadmap\"") && page.contains("Fahrplan der Maßnahmen in Arnsberg"));
    assert!(page.contains("60 %") && page.contains("30 %"));
    // The chain: the demo idea fed the first public measure, and links lead both ways.
    let chain = page.split("id=\"s-chain\"").nth(1).unwrap();
    assert!(chain.contains("Sitzbänke mit Solar-Ladestation"), "{chain}");
    let href = chain
        .split("<h3><a href=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let (_, measure_page) = app.get_text(&anon, href).await;
    assert!(
        measure_page.contains("Ideen für eine smarte Innenstadt"),
        "the measure names where it came from"
    );
    // Logged-in people can follow the city from here.
    app.user("fan@x.de", None, &[]).await;
    let (_, page) = app
        .get_text(
            &app.login("fan@x.de").await,
            "/kommunen/arnsberg/schaufenster",
        )
        .await;
    assert!(page.contains("id=\"follow-city\""));
    assert_eq!(
        app.get(&anon, "/kommunen/gibtsnicht/schaufenster")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

async fn a_coordinator_reports_progress_and_a_citizen_sees_the_showcase_in_the_browser(
    app: TestApp,
) {
    web::demo::load(&app.db).await.expect("demo");
    app.user("koord@x.de", None, &[("arnsberg", "coordinator")])
        .await;
    let city = store::municipalities::by_slug(&app.db, "arnsberg")
        .await
        .unwrap();
    let public = store::measures::list(
        &app.db,
        city.id,
        Visibility::Oeffentlich,
        &Default::default(),
        Default::default(),
    )
    .await
    .unwrap();
    let m = public.last().unwrap();
    let b = Browser::start().await;
    b.visit(&app, "/anmelden").await;
    b.fill("f-email", "koord@x.de").await;
    b.fill("f-password", crate::harness::PASSWORD).await;
    b.submit("main form button[type=submit]").await;
    b.wait_for_path("/").await;
    let path = format!("/kommunen/arnsberg/massnahmen/{}", m.id);
    b.visit(&app, &path).await;
    b.click("#f-progress summary").await;
    // Sent empty: the messages, checked by axe.
    b.submit("#progress-submit").await;
    b.wait_css(".error-summary").await;
    b.axe("progress (errors)").await;
    // A date input's typing order depends on the browser's locale: set its value as a date picker would.
    b.client
        .execute(
            "document.getElementById('f-reported_on').value = arguments[0];",
            vec![serde_json::json!(web::view::today())],
        )
        .await
        .expect("set date");
    b.fill("f-percent", "75").await;
    b.fill("f-body", "Die Tafeln hängen.").await;
    let file = app.tmp.path().join("tafel.png");
    std::fs::write(&file, PNG).unwrap();
    b.client
        .find(fantoccini::Locator::Id("f-photo1"))
        .await
        .expect("file input")
        .send_keys(file.to_str().unwrap())
        .await
        .expect("choose file");
    b.fill("f-alt1", "Anzeigetafel am Bahnhof").await;
    b.submit("#progress-submit").await;
    b.wait_css("#fortschritt").await;
    let page = b.client.source().await.unwrap();
    assert!(
        page.contains("Aktueller Stand: 75 % umgesetzt"),
        "the report is shown"
    );
    assert!(page.contains("alt=\"Anzeigetafel am Bahnhof\""));
    b.axe("progress (saved)").await;
    assert_eq!(
        app.count(&format!(
            "progress_reports WHERE measure_id = {} AND percent = 75",
            m.id
        ))
        .await,
        1
    );

    // A citizen's view: the showcase, with axe.
    b.client.delete_all_cookies().await.unwrap();
    let page = b.visit(&app, "/kommunen/arnsberg/schaufenster").await;
    assert!(page.contains("75 %"));
    assert!(page.contains("Ihr habt gesagt – wir haben getan"));
    b.stop().await;
}

/// Make every insert into the mail outbox fail (a trigger), or stop it again.
async fn outbox_fails(app: &TestApp, on: bool) {
    let statements: &[&str] = match (app.db.pool(), on) {
        (store::Pool::Sqlite(_), true) => &[
            "CREATE TRIGGER outbox_fails BEFORE INSERT ON mail_outbox BEGIN SELECT RAISE(ABORT, 'outbox refused'); END",
        ],
        (store::Pool::Sqlite(_), false) => &["DROP TRIGGER outbox_fails"],
        (store::Pool::Postgres(_), true) => &[
            "CREATE FUNCTION outbox_fails() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'outbox refused'; END $$",
            "CREATE TRIGGER outbox_fails BEFORE INSERT ON mail_outbox FOR EACH ROW EXECUTE FUNCTION outbox_fails()",
        ],
        (store::Pool::Postgres(_), false) => &[
            "DROP TRIGGER outbox_fails ON mail_outbox",
            "DROP FUNCTION outbox_fails()",
        ],
    };
    for sql in statements {
        match app.db.pool() {
            store::Pool::Sqlite(p) => sqlx::query(*sql).execute(p).await.map(drop),
            store::Pool::Postgres(p) => sqlx::query(*sql).execute(p).await.map(drop),
        }
        .expect(sql);
    }
}

//! Workshops: planning in Berlin time, agenda, calendar files, registration with capacity and waiting list
//! under parallel requests, attendance.

use crate::case;
use crate::harness::{Case, TestApp, location};
use icalendar::{Component, EventLike};
use reqwest::StatusCode;

pub fn cases() -> Vec<Case> {
    vec![
        case!(plan_a_workshop_with_agenda_and_calendar_files),
        case!(registrations_respect_capacity_under_parallel_requests),
        case!(invitations_carry_the_workshop_as_a_calendar_attachment),
    ]
}

fn plan<'a>(title: &'a str, visibility: &'a str, capacity: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("title", title),
        ("format_key", "strategiewerkstatt"),
        ("date", "2099-12-03"),
        ("start_time", "17:00"),
        ("end_time", "20:30"),
        ("place", "Rathaus Arnsberg, Sitzungssaal"),
        ("capacity", capacity),
        ("purpose", "Smart-City-Definition weiterentwickeln"),
        ("visibility", visibility),
    ]
}

async fn plan_a_workshop_with_agenda_and_calendar_files(app: TestApp) {
    app.municipality("arnsberg", "Arnsberg", "05958004", 73_456)
        .await;
    app.user("red@x.de", None, &[("arnsberg", "editor")]).await;
    app.user("teil@x.de", None, &[("arnsberg", "participant")])
        .await;
    let red = app.login("red@x.de").await;
    let bad = [
        ("title", ""),
        ("format_key", "grillfest"),
        ("date", "2099-12-03"),
        ("start_time", "20:00"),
        ("end_time", "19:00"),
        ("capacity", "0"),
    ];
    let r = app
        .post_form(&red, "/kommunen/arnsberg/werkstaetten/neu", &bad)
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.expect("body");
    for field in ["title", "format_key", "end_time", "capacity", "place"] {
        assert!(
            body.contains(&format!(r##"<a href="#f-{field}">"##)),
            "summary links {field}"
        );
    }
    assert_eq!(app.count("workshops").await, 0);
    let participant = app.login("teil@x.de").await;
    let r = app
        .post_form(
            &participant,
            "/kommunen/arnsberg/werkstaetten/neu",
            &plan("X", "intern", ""),
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::FORBIDDEN,
        "participants do not plan workshops"
    );
    let r = app
        .post_form(
            &red,
            "/kommunen/arnsberg/werkstaetten/neu",
            &plan("Zweite Strategiewerkstatt", "oeffentlich", "40"),
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let path = location(&r);
    app.post_form(
        &red,
        "/kommunen/arnsberg/werkstaetten/neu",
        &plan("Interne Vorbesprechung", "intern", ""),
    )
    .await;
    // Agenda.
    let r = app
        .post_form(
            &red,
            &format!("{path}/agenda"),
            &[("agenda_title", "Begrüßung"), ("agenda_minutes", "0")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    for (t, m) in [
        ("Begrüßung", "15"),
        ("World Café zu den Handlungsfeldern", "90"),
    ] {
        let r = app
            .post_form(
                &red,
                &format!("{path}/agenda"),
                &[("agenda_title", t), ("agenda_minutes", m)],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    }
    let public = app.client();
    let (s, page) = app.get_text(&public, &path).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        page.contains("03.12.2099, 17:00–20:30 Uhr")
            && page.contains("World Café zu den Handlungsfeldern")
            && page.contains("90 Minuten"),
        "{page}"
    );
    // One workshop as .ics: UTC times, parsed back.
    let r = app.get(&public, &format!("{path}/termin.ics")).await;
    assert!(
        r.headers()["content-type"]
            .to_str()
            .expect("ct")
            .starts_with("text/calendar")
    );
    let text = r.text().await.expect("ics");
    assert!(
        text.contains("DTSTART:20991203T160000Z") && text.contains("DTEND:20991203T193000Z"),
        "{text}"
    );
    let cal: icalendar::Calendar = text.parse().expect("valid iCalendar");
    let events: Vec<_> = cal.components.iter().filter_map(|c| c.as_event()).collect();
    assert_eq!(events.len(), 1);
    assert_eq!(
        events[0].get_summary(),
        Some("Zweite Strategiewerkstatt (Strategiewerkstatt)")
    );
    assert_eq!(
        events[0].get_location(),
        Some("Rathaus Arnsberg, Sitzungssaal")
    );
    // The city feed shows what the visitor may see.
    let feed: icalendar::Calendar = app
        .get(&public, "/kommunen/arnsberg/werkstaetten.ics")
        .await
        .text()
        .await
        .expect("feed")
        .parse()
        .expect("feed");
    let titles: Vec<&str> = feed
        .components
        .iter()
        .filter_map(|c| c.as_event())
        .filter_map(|e| e.get_summary())
        .collect();
    assert_eq!(
        titles,
        vec!["Zweite Strategiewerkstatt (Strategiewerkstatt)"],
        "the intern workshop stays out of the public feed"
    );
    let member_feed = app
        .get(&participant, "/kommunen/arnsberg/werkstaetten.ics")
        .await
        .text()
        .await
        .expect("feed");
    assert!(member_feed.contains("Interne Vorbesprechung"));
    let (_, list) = app
        .get_text(&public, "/kommunen/arnsberg/werkstaetten")
        .await;
    assert!(list.contains("Zweite Strategiewerkstatt") && !list.contains("Interne Vorbesprechung"));
}

async fn registrations_respect_capacity_under_parallel_requests(app: TestApp) {
    app.municipality("arnsberg", "Arnsberg", "05958004", 73_456)
        .await;
    app.user("red@x.de", None, &[("arnsberg", "editor")]).await;
    let red = app.login("red@x.de").await;
    let r = app
        .post_form(
            &red,
            "/kommunen/arnsberg/werkstaetten/neu",
            &plan("Zukunftswerkstatt Innenstadt", "oeffentlich", "3"),
        )
        .await;
    let path = location(&r);
    let id: i64 = path
        .rsplit('/')
        .next()
        .and_then(|s| s.parse().ok())
        .expect("id");
    let mut clients = Vec::new();
    for i in 0..10 {
        let email = format!("buerger{i}@x.de");
        app.user(&email, None, &[]).await;
        clients.push(app.login(&email).await);
    }
    // Everyone registers at the same moment.
    let tokens = futures::future::join_all(clients.iter().map(|c| app.csrf(c))).await;
    let url = app.url(&format!("{path}/anmelden"));
    let responses = futures::future::join_all(
        clients
            .iter()
            .zip(&tokens)
            .map(|(c, t)| c.post(&url).form(&[("_csrf", t.as_str())]).send()),
    )
    .await;
    assert!(responses.iter().all(|r| {
        r.as_ref()
            .is_ok_and(|r| r.status() == StatusCode::SEE_OTHER)
    }));
    let regs = store::workshops::registrations(&app.db, id)
        .await
        .expect("regs");
    let count = |s: &str| regs.iter().filter(|r| r.status == s).count();
    assert_eq!(
        (count("angemeldet"), count("warteliste")),
        (3, 7),
        "never more seats than capacity"
    );
    // Registering twice changes nothing.
    let seated = regs
        .iter()
        .find(|r| r.status == "angemeldet")
        .expect("seated")
        .user_id;
    let seated_idx = (0..10)
        .find(|i| {
            regs.iter()
                .any(|r| r.user_id == seated && r.email == format!("buerger{i}@x.de"))
        })
        .expect("idx");
    app.post_form(&clients[seated_idx], &format!("{path}/anmelden"), &[])
        .await;
    assert_eq!(
        store::workshops::registrations(&app.db, id)
            .await
            .expect("regs")
            .len(),
        10
    );
    // A cancellation moves the first person on the waiting list up.
    let first_waiting = regs
        .iter()
        .find(|r| r.status == "warteliste")
        .expect("waiting")
        .user_id;
    let r = app
        .post_form(&clients[seated_idx], &format!("{path}/abmelden"), &[])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let regs = store::workshops::registrations(&app.db, id)
        .await
        .expect("regs");
    assert_eq!(regs.iter().filter(|r| r.status == "angemeldet").count(), 3);
    assert!(
        regs.iter()
            .any(|r| r.user_id == first_waiting && r.status == "angemeldet"),
        "moved up from the waiting list"
    );
    let (_, mine) = app.get_text(&clients[seated_idx], &path).await;
    assert!(
        mine.contains("Verbindlich anmelden"),
        "the cancelled person can register again"
    );
    // Attendance: editors mark it, others may not.
    let present = regs
        .iter()
        .find(|r| r.status == "angemeldet")
        .expect("seat")
        .user_id
        .to_string();
    let r = app
        .post_form(
            &clients[0],
            &format!("{path}/teilnahme"),
            &[("user_id", &present), ("attended", "1")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = app
        .post_form(
            &red,
            &format!("{path}/teilnahme"),
            &[("user_id", &present), ("attended", "1")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let regs = store::workshops::registrations(&app.db, id)
        .await
        .expect("regs");
    assert_eq!(regs.iter().filter(|r| r.attended).count(), 1);
    let (_, page) = app.get_text(&red, &path).await;
    assert!(
        page.contains("3 angemeldet") && page.contains("6 auf der Warteliste"),
        "{page}"
    );
}

async fn invitations_carry_the_workshop_as_a_calendar_attachment(app: TestApp) {
    app.municipality("arnsberg", "Arnsberg", "05958004", 73_456)
        .await;
    app.municipality("siegen", "Siegen", "05970040", 101_943)
        .await;
    app.user("red@x.de", None, &[("arnsberg", "editor")]).await;
    let anna = app
        .user("anna@x.de", None, &[("arnsberg", "participant")])
        .await;
    let bert = app
        .user("bert@x.de", None, &[("arnsberg", "participant")])
        .await;
    let foreign = app
        .user("fremd@x.de", None, &[("siegen", "participant")])
        .await;
    let red = app.login("red@x.de").await;
    let r = app
        .post_form(
            &red,
            "/kommunen/arnsberg/werkstaetten/neu",
            &plan("Ideenwerkstatt Altstadt", "intern", ""),
        )
        .await;
    let path = location(&r);
    let (_, page) = app.get_text(&red, &path).await;
    assert!(
        page.contains("anna@x.de") && !page.contains("fremd@x.de"),
        "only the city's members are offered"
    );
    let r = app
        .post_form(
            &red,
            &format!("{path}/einladen"),
            &[("emails", "kein-mail")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = app.post_form(&red, &format!("{path}/einladen"), &[]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.count("mail_outbox").await,
        0,
        "nothing queued on bad input"
    );
    let a_id = store::municipalities::by_slug(&app.db, "arnsberg")
        .await
        .expect("a")
        .id;
    let ihk = store::stakeholders::create(
        &app.db,
        a_id,
        "organisation",
        "IHK Arnsberg",
        None,
        None,
        "kontakt@ihk.example.org",
    )
    .await
    .expect("stakeholder");
    let (_, page) = app.get_text(&red, &path).await;
    assert!(
        page.contains("IHK Arnsberg (kontakt@ihk.example.org)"),
        "stakeholders with an address are offered"
    );
    let (a, b, f) = (anna.to_string(), bert.to_string(), foreign.to_string());
    let r = app
        .post_form(
            &red,
            &format!("{path}/einladen"),
            &[
                ("user_ids", &a),
                ("user_ids", &b),
                ("user_ids", &f),
                ("stakeholder_ids", &ihk.to_string()),
                ("emails", "ihk@example.org\nanna@x.de"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(
        location(&r).ends_with("?eingeladen=4"),
        "two members, one stakeholder and one extra address; no duplicates, no foreigners"
    );
    for to in [
        "anna@x.de",
        "bert@x.de",
        "ihk@example.org",
        "kontakt@ihk.example.org",
    ] {
        let mail = app.wait_for_mail(to, 1).await;
        assert!(
            mail.contains("Einladung: Ideenwerkstatt Altstadt") && mail.contains("text/calendar"),
            "{mail}"
        );
        let start = mail.find("BEGIN:VCALENDAR").expect("calendar part");
        let end = mail.find("END:VCALENDAR").expect("calendar end") + "END:VCALENDAR".len();
        let cal: icalendar::Calendar = mail[start..end]
            .parse()
            .expect("attachment is valid iCalendar");
        let ev = cal
            .components
            .iter()
            .find_map(|c| c.as_event())
            .expect("event");
        assert_eq!(
            ev.get_summary(),
            Some("Ideenwerkstatt Altstadt (Strategiewerkstatt)")
        );
        assert!(mail[start..end].contains("DTSTART:20991203T160000Z"));
    }
    assert!(app.mails_to("fremd@x.de").is_empty());
}

//! Network exchange: network events (workshops of no municipality) with registration, waiting list and
//! an anonymous feed; the magazine with sanitised Markdown, drafts, images and search.

use crate::browser::Browser;
use crate::case;
use crate::harness::{Case, Needs, TestApp, csrf_from, location};
use reqwest::multipart::{Form, Part};
use reqwest::{Client, StatusCode};
use serde_json::Value;
use std::time::{Duration, Instant};

pub fn cases() -> Vec<Case> {
    vec![
        case!(network_events_refuse_bad_input_and_fill_up_to_a_waiting_list),
        case!(the_event_feed_and_pages_show_only_what_the_visitor_may_see),
        case!(only_the_network_admin_writes_events_and_articles),
        case!(articles_are_sanitised_and_drafts_stay_hidden),
        case!(article_images_need_alt_text_and_image_bytes),
        case!(search_finds_new_and_edited_articles_by_stemmed_words),
        case!(demo_exchange_content_loads_once),
        case!(the_magazine_pages_newest_first),
        case!(
            a_participant_reads_the_magazine_and_registers_for_an_event_in_the_browser,
            Needs::Browser
        ),
    ]
}

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\0\x05\0\x01\xff\x89\x99=\x1d\0\0\0\0IEND\xaeB`\x82";

/// Two cities, the network roles and one person per city role.
async fn people(app: &TestApp) {
    app.municipality("arnsberg", "Arnsberg", "05958004", 73_456)
        .await;
    app.municipality("siegen", "Siegen", "05970040", 101_943)
        .await;
    app.user("admin@x.de", Some("admin"), &[]).await;
    app.user("steuerung@x.de", Some("steering"), &[]).await;
    app.user("koord@x.de", None, &[("arnsberg", "coordinator")])
        .await;
    app.user("red@x.de", None, &[("siegen", "editor")]).await;
    app.user("teil@x.de", None, &[("arnsberg", "participant")])
        .await;
    app.user("teil2@x.de", None, &[("siegen", "participant")])
        .await;
}

fn event<'a>(title: &'a str, visibility: &'a str, capacity: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("title", title),
        ("format_key", "erfahrungsaustausch"),
        ("date", "2099-06-18"),
        ("start_time", "10:00"),
        ("end_time", "16:00"),
        ("place", "Düsseldorf, Haus der Kommunen"),
        ("capacity", capacity),
        ("purpose", "Erfahrungen mit Parkraumsensoren teilen"),
        ("visibility", visibility),
    ]
}

async fn plan(app: &TestApp, admin: &Client, title: &str, visibility: &str, capacity: &str) -> i64 {
    let r = app
        .post_form(
            admin,
            "/netzwerk/veranstaltungen/neu",
            &event(title, visibility, capacity),
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "plan {title}");
    location(&r)
        .rsplit('/')
        .next()
        .and_then(|id| id.parse().ok())
        .expect("event id")
}

async fn statuses(app: &TestApp, id: i64) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = store::workshops::registrations(&app.db, id)
        .await
        .expect("registrations")
        .into_iter()
        .map(|r| (r.email, r.status))
        .collect();
    v.sort();
    v
}

async fn network_events_refuse_bad_input_and_fill_up_to_a_waiting_list(app: TestApp) {
    people(&app).await;
    let admin = app.login("admin@x.de").await;
    let bad = [
        ("title", ""),
        ("format_key", "grillfest"),
        ("date", "2099-06-18"),
        ("start_time", "16:00"),
        ("end_time", "10:00"),
        ("capacity", "0"),
        ("visibility", "intern"),
    ];
    let r = app
        .post_form(&admin, "/netzwerk/veranstaltungen/neu", &bad)
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.expect("body");
    for field in [
        "title",
        "format_key",
        "end_time",
        "capacity",
        "place",
        "visibility",
    ] {
        assert_eq!(
            body.matches(&format!(r##"<a href="#f-{field}">"##)).count(),
            1,
            "one message for {field}"
        );
    }
    assert!(body.contains("Bitte „Netzwerk“ oder „Öffentlich“ wählen."));
    assert_eq!(app.count("workshops").await, 0, "nothing stored");

    let id = plan(&app, &admin, "Netzwerktreffen Parken", "oeffentlich", "1").await;
    let (s, page) = app
        .get_text(&app.client(), &format!("/netzwerk/veranstaltungen/{id}"))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("Netzwerktreffen Parken"));
    assert!(page.contains("18.06.2099, 10:00–16:00 Uhr"), "Berlin time");
    let w = store::workshops::get_network(&app.db, id)
        .await
        .expect("event");
    assert_eq!(
        w.municipality_id, None,
        "a network event belongs to no city"
    );

    // Capacity 1: the first person of any city gets the seat, the second waits, and moves up on a cancel.
    let teil = app.login("teil@x.de").await;
    let teil2 = app.login("teil2@x.de").await;
    let red = app.login("red@x.de").await;
    // Ties within one second go by account age: red's account is older than teil2's.
    for c in [&teil, &red, &teil2] {
        let r = app
            .post_form(c, &format!("/netzwerk/veranstaltungen/{id}/anmelden"), &[])
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    }
    assert_eq!(
        statuses(&app, id).await,
        vec![
            ("red@x.de".to_string(), "warteliste".to_string()),
            ("teil2@x.de".into(), "warteliste".into()),
            ("teil@x.de".into(), "angemeldet".into()),
        ]
    );
    let (_, page) = app
        .get_text(&red, &format!("/netzwerk/veranstaltungen/{id}"))
        .await;
    assert!(
        page.contains("Sie stehen auf der Warteliste"),
        "the waiting person is told"
    );
    let r = app
        .post_form(
            &teil,
            &format!("/netzwerk/veranstaltungen/{id}/abmelden"),
            &[],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        statuses(&app, id).await,
        vec![
            ("red@x.de".to_string(), "angemeldet".to_string()),
            ("teil2@x.de".into(), "warteliste".into()),
            ("teil@x.de".into(), "abgemeldet".into()),
        ],
        "the first on the waiting list moves up"
    );
    // Anonymous visitors are asked to log in before registering.
    let r = app
        .post_form(
            &app.client(),
            &format!("/netzwerk/veranstaltungen/{id}/anmelden"),
            &[],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(location(&r).starts_with("/anmelden"));
    assert_eq!(statuses(&app, id).await.len(), 3);
    // The admin sees who registered; others do not.
    let (_, page) = app
        .get_text(&admin, &format!("/netzwerk/veranstaltungen/{id}"))
        .await;
    assert!(page.contains("Person red@x.de"));
    let (_, page) = app
        .get_text(&teil2, &format!("/netzwerk/veranstaltungen/{id}"))
        .await;
    assert!(!page.contains("Person red@x.de"));
}

async fn the_event_feed_and_pages_show_only_what_the_visitor_may_see(app: TestApp) {
    people(&app).await;
    let admin = app.login("admin@x.de").await;
    let public = plan(
        &app,
        &admin,
        "Offener Erfahrungsaustausch",
        "oeffentlich",
        "",
    )
    .await;
    let network = plan(&app, &admin, "Geschlossener Netzwerktag", "netzwerk", "").await;
    for c in [app.client(), admin.clone()] {
        let r = app.get(&c, "/netzwerk/veranstaltungen.ics").await;
        assert_eq!(r.status(), StatusCode::OK);
        assert!(
            r.headers()[reqwest::header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/calendar")
        );
        let ics = r.text().await.unwrap();
        assert!(ics.contains("SUMMARY:Offener Erfahrungsaustausch"), "{ics}");
        assert!(ics.contains(&format!("/netzwerk/veranstaltungen/{public}")));
        assert!(
            !ics.contains("Geschlossener Netzwerktag"),
            "the anonymous feed carries public events only"
        );
        assert!(ics.contains("DTSTART:20990618T080000Z"), "UTC times");
    }
    // The list and the pages follow the visibility rule: network events for people working in the network.
    let anon = app.client();
    let teil = app.login("teil@x.de").await;
    let red = app.login("red@x.de").await;
    let steering = app.login("steuerung@x.de").await;
    for (who, c, sees) in [
        ("anonymous", &anon, false),
        ("participant", &teil, false),
        ("editor", &red, true),
        ("steering group", &steering, true),
    ] {
        let (_, list) = app.get_text(c, "/netzwerk/veranstaltungen").await;
        assert!(list.contains("Offener Erfahrungsaustausch"), "{who}");
        assert_eq!(
            list.contains("Geschlossener Netzwerktag"),
            sees,
            "{who} list"
        );
        let (s, _) = app
            .get_text(c, &format!("/netzwerk/veranstaltungen/{network}"))
            .await;
        let want = if sees {
            StatusCode::OK
        } else {
            StatusCode::NOT_FOUND
        };
        assert_eq!(s, want, "{who} page");
        let (s, _) = app
            .get_text(
                c,
                &format!("/netzwerk/veranstaltungen/{network}/termin.ics"),
            )
            .await;
        assert_eq!(s, want, "{who} calendar file");
        let r = app
            .post_form(
                c,
                &format!("/netzwerk/veranstaltungen/{network}/anmelden"),
                &[],
            )
            .await;
        if !sees && who != "anonymous" {
            assert_eq!(r.status(), StatusCode::NOT_FOUND, "{who} cannot register");
        }
    }
    let r = app
        .get(
            &anon,
            &format!("/netzwerk/veranstaltungen/{public}/termin.ics"),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("LOCATION:Düsseldorf"));
    assert!(
        statuses(&app, network)
            .await
            .iter()
            .all(|(e, _)| e == "red@x.de" || e == "steuerung@x.de")
    );
    // A city workshop never turns up among network events.
    assert!(store::workshops::get_network(&app.db, 999).await.is_err());
}

async fn only_the_network_admin_writes_events_and_articles(app: TestApp) {
    people(&app).await;
    let anon = app.client();
    let article = [
        ("title", "Ein Artikel"),
        ("teaser", ""),
        ("body_md", "Text"),
        ("visibility", "oeffentlich"),
    ];
    let ev = event("Ein Treffen", "oeffentlich", "");
    for email in ["teil@x.de", "koord@x.de", "red@x.de", "steuerung@x.de"] {
        let c = app.login(email).await;
        for path in ["/netzwerk/veranstaltungen/neu", "/netzwerk/magazin/neu"] {
            let (s, _) = app.get_text(&c, path).await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{email} GET {path}");
        }
        let r = app
            .post_form(&c, "/netzwerk/veranstaltungen/neu", &ev)
            .await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{email} plans no event");
        let r = app.post_form(&c, "/netzwerk/magazin/neu", &article).await;
        assert_eq!(
            r.status(),
            StatusCode::FORBIDDEN,
            "{email} writes no article"
        );
    }
    for path in ["/netzwerk/veranstaltungen/neu", "/netzwerk/magazin/neu"] {
        let r = app.post_form(&anon, path, &article).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert!(location(&r).starts_with("/anmelden"), "anonymous: log in");
    }
    assert_eq!(app.count("workshops").await, 0);
    assert_eq!(app.count("articles").await, 0);
    // With an article in place: editing, publishing and uploading are the admin's too.
    let admin = app.login("admin@x.de").await;
    let r = app
        .post_form(&admin, "/netzwerk/magazin/neu", &article)
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/netzwerk/magazin/ein-artikel/bearbeiten");
    let red = app.login("red@x.de").await;
    let changed = [
        ("title", "Übernommen"),
        ("body_md", "Anders"),
        ("visibility", "oeffentlich"),
    ];
    for (path, fields) in [
        ("/netzwerk/magazin/ein-artikel/bearbeiten", &changed[..]),
        ("/netzwerk/magazin/ein-artikel/veroeffentlichen", &[][..]),
    ] {
        let r = app.post_form(&red, path, fields).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{path}");
    }
    let r = upload(&app, &red, "ein-artikel", PNG, "Bild").await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let a = store::exchange::by_slug(&app.db, "ein-artikel")
        .await
        .unwrap();
    assert_eq!(a.title, "Ein Artikel");
    assert!(!a.is_published());
    assert_eq!(app.count("article_images").await, 0);
}

async fn write(app: &TestApp, admin: &Client, title: &str, body: &str, visibility: &str) -> String {
    let r = app
        .post_form(
            admin,
            "/netzwerk/magazin/neu",
            &[
                ("title", title),
                ("teaser", "Kurz gesagt"),
                ("body_md", body),
                ("visibility", visibility),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "write {title}");
    let to = location(&r);
    to.trim_start_matches("/netzwerk/magazin/")
        .trim_end_matches("/bearbeiten")
        .to_string()
}

async fn publish(app: &TestApp, admin: &Client, slug: &str) {
    let r = app
        .post_form(
            admin,
            &format!("/netzwerk/magazin/{slug}/veroeffentlichen"),
            &[],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
}

async fn articles_are_sanitised_and_drafts_stay_hidden(app: TestApp) {
    people(&app).await;
    let admin = app.login("admin@x.de").await;
    // Bad input: one message per field, nothing stored.
    let r = app
        .post_form(
            &admin,
            "/netzwerk/magazin/neu",
            &[("title", ""), ("body_md", " "), ("visibility", "intern")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap();
    for field in ["title", "body_md", "visibility"] {
        assert_eq!(
            body.matches(&format!(r##"<a href="#f-{field}">"##)).count(),
            1,
            "{field}"
        );
    }
    assert_eq!(app.count("articles").await, 0);

    let xss = "# Zwischentitel\n\n<script>alert('body')</script>\n\n<img src=\"x\" onerror=\"alert(1)\">\n\n\
               [Klick](javascript:alert(1)) und [Gut](https://example.org)\n";
    let slug = write(
        &app,
        &admin,
        "Sicher? <script>alert(2)</script>",
        xss,
        "oeffentlich",
    )
    .await;
    assert_eq!(slug, "sicher-script-alert-2-script");
    // A second article of the same title gets its own slug.
    let twin = write(
        &app,
        &admin,
        "Sicher? <script>alert(2)</script>",
        "Zwilling",
        "oeffentlich",
    )
    .await;
    assert_eq!(twin, "sicher-script-alert-2-script-2");
    let path = format!("/netzwerk/magazin/{slug}");
    let anon = app.client();
    let teil = app.login("teil@x.de").await;
    let red = app.login("red@x.de").await;
    let steering = app.login("steuerung@x.de").await;
    // A draft: only the network admin sees it.
    for (who, c) in [
        ("anonymous", &anon),
        ("participant", &teil),
        ("editor", &red),
        ("steering", &steering),
    ] {
        let (s, _) = app.get_text(c, &path).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{who} sees no draft");
        let (_, list) = app.get_text(c, "/netzwerk/magazin").await;
        assert!(!list.contains(&slug), "{who}: not listed");
    }
    let (s, page) = app.get_text(&admin, &path).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("Entwurf"));
    let (_, atom) = app.get_text(&anon, "/netzwerk/magazin.atom").await;
    assert!(!atom.contains(&slug), "no drafts in the feed");

    publish(&app, &admin, &slug).await;
    let (s, page) = app.get_text(&anon, &path).await;
    assert_eq!(s, StatusCode::OK);
    assert!(!page.contains("<script>alert"), "no script survives");
    assert!(!page.contains("onerror"), "no event handler survives");
    assert!(
        !page.contains("javascript:"),
        "no javascript: link survives"
    );
    assert!(
        page.contains("<h1>Sicher? &#60;script&#62;alert(2)&#60;/script&#62;</h1>"),
        "the title is escaped: {}",
        &page[page.find("<h1").unwrap_or(0)..][..200]
    );
    assert!(
        page.contains("<h2>Zwischentitel</h2>"),
        "headings below the page title"
    );
    assert!(page.contains(r#"href="https://example.org""#));
    assert!(page.contains("Person admin@x.de"), "author");
    let (_, list) = app.get_text(&anon, "/netzwerk/magazin").await;
    assert!(list.contains(&path));
    assert!(
        !list.contains(&format!("/netzwerk/magazin/{twin}\"")),
        "the twin is still a draft"
    );
    let r = app.get(&anon, "/netzwerk/magazin.atom").await;
    assert!(
        r.headers()[reqwest::header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/atom+xml")
    );
    let atom = r.text().await.unwrap();
    assert!(atom.contains(&path));
    assert!(
        atom.contains("&lt;script&gt;alert(2)"),
        "escaped in the feed"
    );
    assert!(!atom.contains("<script>"));

    // Network articles: for people working in the network, never in the public feed.
    let net = write(&app, &admin, "Nur fürs Netzwerk", "Interna", "netzwerk").await;
    publish(&app, &admin, &net).await;
    for (who, c, sees) in [
        ("anonymous", &anon, false),
        ("participant", &teil, false),
        ("editor", &red, true),
        ("steering", &steering, true),
    ] {
        let (s, _) = app.get_text(c, &format!("/netzwerk/magazin/{net}")).await;
        assert_eq!(s == StatusCode::OK, sees, "{who}");
        let (_, list) = app.get_text(c, "/netzwerk/magazin").await;
        assert_eq!(list.contains(&net), sees, "{who} list");
    }
    let (_, atom) = app.get_text(&red, "/netzwerk/magazin.atom").await;
    assert!(!atom.contains(&net));
    // Withdrawn: a draft again.
    let r = app
        .post_form(&admin, &format!("{path}/zurueckziehen"), &[])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (s, _) = app.get_text(&anon, &path).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // Editing keeps the slug.
    let r = app
        .post_form(
            &admin,
            &format!("{path}/bearbeiten"),
            &[
                ("title", "Ganz anderer Titel"),
                ("body_md", "Neu"),
                ("visibility", "oeffentlich"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), path);
    let a = store::exchange::by_slug(&app.db, &slug).await.unwrap();
    assert_eq!(a.title, "Ganz anderer Titel");
}

async fn upload(
    app: &TestApp,
    c: &Client,
    slug: &str,
    bytes: &[u8],
    alt: &str,
) -> reqwest::Response {
    let (_, page) = app.get_text(c, "/impressum").await;
    let token = csrf_from(&page);
    let form = Form::new()
        .part("image", Part::bytes(bytes.to_vec()).file_name("bild.png"))
        .text("image_alt", alt.to_string());
    c.post(app.url(&format!("/netzwerk/magazin/{slug}/bilder?_csrf={token}")))
        .multipart(form)
        .send()
        .await
        .expect("POST")
}

async fn article_images_need_alt_text_and_image_bytes(app: TestApp) {
    people(&app).await;
    let admin = app.login("admin@x.de").await;
    let slug = write(&app, &admin, "Sensoren am Markt", "Text", "oeffentlich").await;
    let r = upload(&app, &admin, &slug, PNG, "  ").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap();
    assert_eq!(body.matches(r##"<a href="#f-image_alt">"##).count(), 1);
    assert!(!body.contains(r##"<a href="#f-image">"##));
    let r = upload(&app, &admin, &slug, b"<svg onload=alert(1)>", "Ein Bild").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap();
    assert_eq!(body.matches(r##"<a href="#f-image">"##).count(), 1);
    assert!(body.contains("kein Foto im Format PNG, JPEG oder WebP"));
    let r = upload(&app, &admin, &slug, b"", "Ein Bild").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Bitte wählen Sie ein Bild aus.")
    );
    // Without the token in the action's query the upload is refused before it is read.
    let form = Form::new()
        .part("image", Part::bytes(PNG.to_vec()).file_name("bild.png"))
        .text("image_alt", "Ein Bild");
    let r = admin
        .post(app.url(&format!("/netzwerk/magazin/{slug}/bilder")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.count("article_images").await, 0, "nothing stored");

    let r = upload(&app, &admin, &slug, PNG, "Sensor am Marktplatz").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let id = store::exchange::images(
        &app.db,
        store::exchange::by_slug(&app.db, &slug).await.unwrap().id,
    )
    .await
    .unwrap()[0]
        .id;
    let (_, edit) = app
        .get_text(&admin, &format!("/netzwerk/magazin/{slug}/bearbeiten"))
        .await;
    let snippet = format!("![Sensor am Marktplatz](/netzwerk/magazin/bilder/{id})");
    assert!(edit.contains(&snippet), "the editor offers the snippet");
    let image = format!("/netzwerk/magazin/bilder/{id}");
    // While the article is a draft, only the admin gets the image.
    let anon = app.client();
    let red = app.login("red@x.de").await;
    for c in [&anon, &red] {
        assert_eq!(app.get(c, &image).await.status(), StatusCode::NOT_FOUND);
    }
    let r = app.get(&admin, &image).await;
    assert_eq!(r.status(), StatusCode::OK);
    // Published with the image in the text: everyone may see it, served as an image only.
    let r = app
        .post_form(
            &admin,
            &format!("/netzwerk/magazin/{slug}/bearbeiten"),
            &[
                ("title", "Sensoren am Markt"),
                ("body_md", &format!("Vorher:\n\n{snippet}")),
                ("visibility", "oeffentlich"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    publish(&app, &admin, &slug).await;
    let (_, page) = app
        .get_text(&anon, &format!("/netzwerk/magazin/{slug}"))
        .await;
    assert!(page.contains(&format!(r#"src="{image}""#)), "{page}");
    assert!(page.contains(r#"alt="Sensor am Marktplatz""#));
    let r = app.get(&anon, &image).await;
    assert_eq!(r.status(), StatusCode::OK);
    let h = r.headers();
    assert_eq!(h[reqwest::header::CONTENT_TYPE], "image/png");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert!(
        h[reqwest::header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .contains("sandbox")
    );
    assert_eq!(r.bytes().await.unwrap().as_ref(), PNG);
    assert_eq!(
        app.get(&anon, "/netzwerk/magazin/bilder/9999")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

async fn api(app: &TestApp, c: &Client, query: &str) -> Value {
    let r = app.get(c, &format!("/api/v1/search?{query}")).await;
    assert_eq!(r.status(), StatusCode::OK, "search {query}");
    r.json().await.expect("json")
}

fn urls(v: &Value) -> Vec<String> {
    v["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["url"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// Search until the result's URLs satisfy `done` (the index follows the outbox within about a second).
async fn search_until(
    app: &TestApp,
    c: &Client,
    query: &str,
    done: impl Fn(&[String]) -> bool,
) -> Vec<String> {
    let start = Instant::now();
    loop {
        let u = urls(&api(app, c, query).await);
        if done(&u) {
            return u;
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "search {query}: {u:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn search_finds_new_and_edited_articles_by_stemmed_words(app: TestApp) {
    people(&app).await;
    let admin = app.login("admin@x.de").await;
    let anon = app.client();
    let red = app.login("red@x.de").await;
    let draft = write(
        &app,
        &admin,
        "Parkplatz-Entwurf",
        "Noch nicht fertig: Parkplatz",
        "oeffentlich",
    )
    .await;
    let slug = write(
        &app,
        &admin,
        "Parkplätze in der Innenstadt",
        "Drei Städte zählen freie Stellplätze mit Sensoren.",
        "oeffentlich",
    )
    .await;
    publish(&app, &admin, &slug).await;
    let path = format!("/netzwerk/magazin/{slug}");
    let found = search_until(&app, &anon, "q=Parkplatz", |u| u.contains(&path)).await;
    assert!(
        !found.iter().any(|u| u.contains(&draft)),
        "drafts are not searchable: {found:?}"
    );
    let v = api(&app, &anon, "q=Parkplatz&kind=artikel").await;
    assert_eq!(v["items"][0]["kind"], "artikel");
    assert_eq!(v["items"][0]["municipality"], "netzwerk");
    let (_, html) = app.get_text(&anon, "/suche?q=Parkpl%C3%A4tze").await;
    assert!(
        html.contains(&format!("href=\"{path}\"")),
        "the search page links the article"
    );
    assert!(html.contains("Magazin-Artikel"), "kind facet");
    assert!(
        html.contains("Netzwerk (keine Kommune)"),
        "city facet of network content"
    );
    // Edited: the new text is found, the old one no longer.
    let r = app
        .post_form(
            &admin,
            &format!("{path}/bearbeiten"),
            &[
                ("title", "Parkplätze in der Innenstadt"),
                ("body_md", "Jetzt auch mit Ladesäulen."),
                ("visibility", "oeffentlich"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    search_until(&app, &anon, "q=Lades%C3%A4ule", |u| u.contains(&path)).await;
    search_until(&app, &anon, "q=Sensoren", |u| !u.contains(&path)).await;
    // Network articles and events: for the network only.
    let net = write(
        &app,
        &admin,
        "Netzwerkintern: Fahrrad und Verkehr",
        "Zählung in Siegen: Fahrrad",
        "netzwerk",
    )
    .await;
    publish(&app, &admin, &net).await;
    let id = plan(&app, &admin, "Forum Fahrrad im Netzwerk", "netzwerk", "").await;
    let seen = search_until(&app, &red, "q=Fahrrad", |u| u.len() == 2).await;
    assert!(
        seen.contains(&format!("/netzwerk/magazin/{net}")),
        "{seen:?}"
    );
    assert!(
        seen.contains(&format!("/netzwerk/veranstaltungen/{id}")),
        "{seen:?}"
    );
    assert!(
        urls(&api(&app, &anon, "q=Fahrrad").await).is_empty(),
        "anonymous sees no network content"
    );
    // Withdrawn: gone from the index.
    let r = app
        .post_form(&admin, &format!("{path}/zurueckziehen"), &[])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    search_until(&app, &anon, "q=Parkplatz", |u| !u.contains(&path)).await;
}

async fn a_participant_reads_the_magazine_and_registers_for_an_event_in_the_browser(app: TestApp) {
    web::demo::load(&app.db).await.expect("demo");
    let b = Browser::start().await;
    b.visit(&app, "/anmelden").await;
    b.fill("f-email", "teilnahme.arnsberg@werkstatt.demo").await;
    b.fill("f-password", web::demo::DEMO_PASSWORD).await;
    b.submit("main form button[type=submit]").await;
    b.wait_for_path("/").await;
    let list = b.visit(&app, "/netzwerk/magazin").await;
    assert!(
        list.contains("id=\"articles\""),
        "published demo articles are listed"
    );
    b.click("#articles h2 a").await;
    b.wait_css("#article-body").await;
    b.axe("article").await;
    let events = b.visit(&app, "/netzwerk/veranstaltungen").await;
    assert!(events.contains("/netzwerk/veranstaltungen/"));
    b.click(".card-list h3 a").await;
    b.wait_css("#register").await;
    b.axe("event").await;
    b.submit("#register").await;
    b.wait_css("#my-registration").await;
    let page = b.client.source().await.unwrap();
    assert!(
        page.contains("angemeldet") || page.contains("Angemeldet"),
        "registered"
    );
    b.axe("event (registered)").await;
    b.stop().await;
    let user = store::users::by_email(&app.db, "teilnahme.arnsberg@werkstatt.demo")
        .await
        .unwrap()
        .unwrap();
    let events =
        store::workshops::list_network(&app.db, domain::visibility::Visibility::Oeffentlich, None)
            .await
            .unwrap();
    let mut registered = false;
    for e in events {
        registered |= store::workshops::registrations(&app.db, e.id)
            .await
            .unwrap()
            .iter()
            .any(|r| r.user_id == user.id && r.status == "angemeldet");
    }
    assert!(registered);
}

async fn demo_exchange_content_loads_once(app: TestApp) {
    web::demo::load(&app.db).await.expect("demo");
    let counts = [
        app.count("workshops").await,
        app.count("workshop_agenda").await,
        app.count("articles").await,
    ];
    web::demo::load(&app.db).await.expect("demo again");
    assert_eq!(
        counts,
        [
            app.count("workshops").await,
            app.count("workshop_agenda").await,
            app.count("articles").await,
        ],
        "loading twice changes nothing"
    );
    let upcoming = store::workshops::list_network(
        &app.db,
        domain::visibility::Visibility::Oeffentlich,
        Some(store::now_secs()),
    )
    .await
    .unwrap();
    assert_eq!(upcoming.len(), 1, "one public network event ahead");
    let (published, total) =
        store::exchange::published(&app.db, domain::visibility::Visibility::Oeffentlich, 10, 0)
            .await
            .unwrap();
    assert_eq!(total, 2);
    assert!(published.iter().all(|a| a.is_published()));
    let anon = app.client();
    let (_, list) = app.get_text(&anon, "/netzwerk/magazin").await;
    assert!(list.contains(&published[0].title));
    let (s, _) = app
        .get_text(
            &anon,
            &format!("/netzwerk/veranstaltungen/{}", upcoming[0].id),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
}

async fn the_magazine_pages_newest_first(app: TestApp) {
    people(&app).await;
    let admin = store::users::by_email(&app.db, "admin@x.de")
        .await
        .unwrap()
        .unwrap()
        .id;
    for n in 1..=12 {
        let d = domain::exchange::ArticleInput {
            title: format!("Folge {n:02}"),
            teaser: String::new(),
            body_md: "Text".into(),
            visibility: "oeffentlich".into(),
        }
        .parse()
        .unwrap();
        let (id, _) = store::exchange::create_article(&app.db, &d, admin)
            .await
            .unwrap();
        store::exchange::set_published(&app.db, id, true)
            .await
            .unwrap();
    }
    let anon = app.client();
    let (s, first) = app.get_text(&anon, "/netzwerk/magazin").await;
    assert_eq!(s, StatusCode::OK);
    let newest = first.find("Folge 12").expect("newest on page 1");
    assert!(
        newest < first.find("Folge 11").expect("page 1"),
        "newest first"
    );
    assert!(
        first.contains("Folge 03") && !first.contains("Folge 02"),
        "ten per page"
    );
    assert!(first.contains(r#"href="/netzwerk/magazin?seite=2" rel="next""#));
    let (s, second) = app.get_text(&anon, "/netzwerk/magazin?seite=2").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        second.contains("Folge 02") && second.contains("Folge 01") && !second.contains("Folge 03")
    );
    assert!(second.contains(r#"rel="prev""#));
    let (s, _) = app.get_text(&anon, "/netzwerk/magazin?seite=3").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

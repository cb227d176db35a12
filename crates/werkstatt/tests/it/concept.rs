//! Umsetzungskonzept: compiled from the demo data, PDF parsed back, HTML and Markdown sections, published
//! versions (immutable, compared), permissions and visibility; browser check with axe-core.

use crate::browser::Browser;
use crate::case;
use crate::harness::{Case, Needs, TestApp, location};
use domain::visibility::Visibility;
use reqwest::StatusCode;

pub fn cases() -> Vec<Case> {
    vec![
        case!(concept_pdf_holds_every_public_measure_and_no_internal_one),
        case!(concept_markdown_and_html_have_every_section),
        case!(published_versions_are_immutable_and_compared),
        case!(only_editors_publish_and_internal_content_stays_internal),
        case!(concept_pages_pass_axe, Needs::Browser),
    ]
}

/// Titles of the demo city's measures: (public, not public).
async fn titles(app: &TestApp, slug: &str) -> (Vec<String>, Vec<String>) {
    let m = store::municipalities::by_slug(&app.db, slug)
        .await
        .expect("city");
    let all = store::measures::list(
        &app.db,
        m.id,
        Visibility::Intern,
        &store::measures::Filter::default(),
        store::measures::Sort::Title,
    )
    .await
    .expect("measures");
    let (public, hidden): (Vec<_>, Vec<_>) =
        all.into_iter().partition(|r| r.visibility == "oeffentlich");
    (
        public.into_iter().map(|r| r.title).collect(),
        hidden.into_iter().map(|r| r.title).collect(),
    )
}

fn pdf_words(bytes: &[u8]) -> String {
    pdf_extract::extract_text_from_mem(bytes)
        .expect("parse PDF")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

async fn editor(app: &TestApp, slug: &str) -> reqwest::Client {
    let email = format!("redaktion@{slug}.test");
    app.user(&email, None, &[(slug, "editor")]).await;
    app.login(&email).await
}

async fn concept_pdf_holds_every_public_measure_and_no_internal_one(app: TestApp) {
    web::demo::load(&app.db).await.expect("demo");
    let (public, hidden) = titles(&app, "arnsberg").await;
    assert!(!public.is_empty() && !hidden.is_empty(), "demo has both");
    let doc = web::concept::load_for(&app.state, "arnsberg", Visibility::Oeffentlich, None)
        .await
        .expect("compile");
    let pdf = web::concept::render_file(doc, web::concept::FileKind::Pdf)
        .await
        .expect("pdf");
    assert!(pdf.starts_with(b"%PDF-"));
    let text = pdf_words(&pdf);
    for t in &public {
        assert!(text.contains(&words(t)), "public measure {t:?} missing");
    }
    for t in &hidden {
        assert!(!text.contains(&words(t)), "internal measure {t:?} leaked");
    }
    for heading in ["Inhalt", "Ausgangslage", "Roadmap", "Monitoring", "Anhang"] {
        assert!(text.contains(heading), "{heading} missing");
    }
}

async fn concept_markdown_and_html_have_every_section(app: TestApp) {
    web::demo::load(&app.db).await.expect("demo");
    let (public, hidden) = titles(&app, "siegen").await;
    let c = app.client();
    let (status, page) = app.get_text(&c, "/kommunen/siegen").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("/kommunen/siegen/umsetzungskonzept"),
        "city nav links the concept"
    );
    let e = editor(&app, "siegen").await;
    let md = app
        .get(
            &e,
            "/kommunen/siegen/umsetzungskonzept/entwurf/konzept.md?fuer=oeffentlich",
        )
        .await;
    assert_eq!(md.status(), StatusCode::OK);
    assert!(
        md.headers()["content-type"]
            .to_str()
            .expect("ct")
            .starts_with("text/markdown")
    );
    let md = md.text().await.expect("md");
    let html = app
        .get(
            &e,
            "/kommunen/siegen/umsetzungskonzept/entwurf/konzept.html?fuer=oeffentlich",
        )
        .await
        .text()
        .await
        .expect("html");
    for (i, section) in [
        "Ausgangslage",
        "Smart-City-Definition (Leitbild)",
        "Handlungsfelder und Ziele",
        "Organisation und Verantwortung",
        "Maßnahmen und Projektblätter",
        "Beteiligung und Ergebnisse",
        "Roadmap",
        "Monitoring",
        "Anhang",
    ]
    .iter()
    .enumerate()
    {
        assert!(
            md.contains(&format!("## {}. {section}", i + 1)),
            "md: {section}"
        );
        assert!(
            html.contains(&format!("{}. {section}</h2>", i + 1)),
            "html: {section}"
        );
    }
    for t in &public {
        assert!(
            words(&html).contains(&words(&t.replace('&', "&amp;"))),
            "html lacks {t:?}"
        );
    }
    // The definition's Markdown keeps its structure: its heading, its bullet list, no markup characters.
    assert!(md.contains("### 2.1 Siegen: Universitätsstadt, die Daten für alle nutzt"));
    assert!(
        md.contains("\n- Die Oberstadt wird zum Reallabor.\n"),
        "md list"
    );
    assert!(
        html.contains("<li>Die Oberstadt wird zum Reallabor.</li>"),
        "html list"
    );
    assert!(!md.contains("*Demo-Inhalt") && !html.contains("*Demo-Inhalt"));
    for t in &hidden {
        assert!(!md.contains(t.as_str()), "md leaks {t:?}");
    }
    // The editor's own preview (intern) does contain the internal measures.
    let (_, own) = app.get_text(&e, "/kommunen/siegen/umsetzungskonzept").await;
    for t in &hidden {
        assert!(
            words(&own).contains(&words(&t.replace('&', "&amp;"))),
            "intern draft lacks {t:?}"
        );
    }
    // Unknown download names are 404.
    let r = app
        .get(&e, "/kommunen/siegen/umsetzungskonzept/entwurf/konzept.exe")
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

async fn published_versions_are_immutable_and_compared(app: TestApp) {
    web::demo::load(&app.db).await.expect("demo");
    let e = editor(&app, "wassenberg").await;
    let csrf = app.csrf(&e).await;
    let r = app
        .post_form(
            &e,
            "/kommunen/wassenberg/umsetzungskonzept/veroeffentlichen",
            &[
                ("_csrf", &csrf),
                ("visibility", "oeffentlich"),
                ("note", "Erste Fassung"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        location(&r),
        "/kommunen/wassenberg/umsetzungskonzept/fassung/1"
    );
    let m = store::municipalities::by_slug(&app.db, "wassenberg")
        .await
        .expect("city");
    let v1 = store::concepts::get(&app.db, m.id, 1).await.expect("v1");

    // The data changes: a field of action gets a new rationale.
    let field = store::fields::selected(&app.db, m.id)
        .await
        .expect("fields")[0]
        .clone();
    store::fields::select(
        &app.db,
        m.id,
        field.field_id,
        &field.priority,
        "Neue Begründung aus dem Stadtrat",
    )
    .await
    .expect("update field");
    let r = app
        .post_form(
            &e,
            "/kommunen/wassenberg/umsetzungskonzept/veroeffentlichen",
            &[
                ("_csrf", &csrf),
                ("visibility", "oeffentlich"),
                ("note", ""),
            ],
        )
        .await;
    assert_eq!(
        location(&r),
        "/kommunen/wassenberg/umsetzungskonzept/fassung/2"
    );

    // Version 1 is unchanged; the database refuses to change it.
    let again = store::concepts::get(&app.db, m.id, 1).await.expect("v1");
    assert_eq!(again.markdown, v1.markdown);
    assert!(!v1.markdown.contains("Neue Begründung aus dem Stadtrat"));
    let changed = match app.db.pool() {
        store::Pool::Sqlite(p) => {
            sqlx::query("UPDATE concept_versions SET markdown = 'x' WHERE version = 1")
                .execute(p)
                .await
                .is_ok()
        }
        store::Pool::Postgres(p) => {
            sqlx::query("UPDATE concept_versions SET markdown = 'x' WHERE version = 1")
                .execute(p)
                .await
                .is_ok()
        }
    };
    assert!(!changed, "a published version must not change");

    // Everyone sees the public versions and their comparison.
    let anon = app.client();
    let (status, list) = app
        .get_text(&anon, "/kommunen/wassenberg/umsetzungskonzept")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        list.contains("Fassung 1") && list.contains("Fassung 2") && list.contains("Erste Fassung")
    );
    let (status, cmp) = app
        .get_text(
            &anon,
            "/kommunen/wassenberg/umsetzungskonzept/vergleich?von=1&bis=2",
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(cmp.contains("<ins><span class=\"visually-hidden\">eingefügt: </span>"));
    assert!(cmp.contains("Neue Begründung aus dem Stadtrat"));
    assert!(cmp.contains("<del>"));
    let (status, bad) = app
        .get_text(
            &anon,
            "/kommunen/wassenberg/umsetzungskonzept/vergleich?von=1&bis=9",
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.contains("Diese Fassung gibt es nicht."));
    let md = app
        .get(
            &anon,
            "/kommunen/wassenberg/umsetzungskonzept/fassung/1/konzept.md",
        )
        .await
        .text()
        .await
        .expect("md");
    assert_eq!(md, v1.markdown, "the download is the stored text");
    let pdf = app
        .get(
            &anon,
            "/kommunen/wassenberg/umsetzungskonzept/fassung/1/konzept.pdf",
        )
        .await
        .bytes()
        .await
        .expect("pdf");
    assert!(pdf_words(&pdf).contains("Fassung 1 vom"));
}

async fn only_editors_publish_and_internal_content_stays_internal(app: TestApp) {
    web::demo::load(&app.db).await.expect("demo");
    let (_, hidden) = titles(&app, "arnsberg").await;
    app.user("buerger@x.test", None, &[("arnsberg", "participant")])
        .await;
    let citizen = app.login("buerger@x.test").await;
    let csrf = app.csrf(&citizen).await;
    let r = app
        .post_form(
            &citizen,
            "/kommunen/arnsberg/umsetzungskonzept/veroeffentlichen",
            &[("_csrf", &csrf), ("visibility", "oeffentlich")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.count("concept_versions").await, 0);
    // The public gets no draft, neither page nor download.
    let anon = app.client();
    let (_, page) = app
        .get_text(&anon, "/kommunen/arnsberg/umsetzungskonzept")
        .await;
    assert!(page.contains("Es ist noch keine Fassung veröffentlicht."));
    for t in &hidden {
        assert!(!page.contains(t.as_str()));
    }
    let r = app
        .get(
            &anon,
            "/kommunen/arnsberg/umsetzungskonzept/entwurf/konzept.pdf",
        )
        .await;
    assert_ne!(r.status(), StatusCode::OK);

    // Bad input: a German message, nothing stored.
    let e = editor(&app, "arnsberg").await;
    let csrf = app.csrf(&e).await;
    let r = app
        .post_form(
            &e,
            "/kommunen/arnsberg/umsetzungskonzept/veroeffentlichen",
            &[("_csrf", &csrf), ("visibility", "geheim")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("Bitte eine Sichtbarkeit aus der Liste wählen.")
    );
    assert_eq!(app.count("concept_versions").await, 0);

    // An internal version: the editor and members see it, the public does not.
    let r = app
        .post_form(
            &e,
            "/kommunen/arnsberg/umsetzungskonzept/veroeffentlichen",
            &[("_csrf", &csrf), ("visibility", "intern")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (status, own) = app
        .get_text(&e, "/kommunen/arnsberg/umsetzungskonzept/fassung/1")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        hidden
            .iter()
            .any(|t| words(&own).contains(&words(&t.replace('&', "&amp;"))))
    );
    let (status, _) = app
        .get_text(&citizen, "/kommunen/arnsberg/umsetzungskonzept/fassung/1")
        .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "members of the city read internal versions"
    );
    for path in [
        "/kommunen/arnsberg/umsetzungskonzept/fassung/1",
        "/kommunen/arnsberg/umsetzungskonzept/fassung/1/konzept.pdf",
        "/kommunen/arnsberg/umsetzungskonzept/fassung/1/konzept.md",
    ] {
        let r = app.get(&anon, path).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let (_, list) = app
        .get_text(&anon, "/kommunen/arnsberg/umsetzungskonzept")
        .await;
    assert!(
        !list.contains("Fassung 1"),
        "internal version not listed publicly"
    );
}

async fn concept_pages_pass_axe(app: TestApp) {
    web::demo::load(&app.db).await.expect("demo");
    let e = editor(&app, "arnsberg").await;
    let csrf = app.csrf(&e).await;
    for _ in 0..2 {
        let r = app
            .post_form(
                &e,
                "/kommunen/arnsberg/umsetzungskonzept/veroeffentlichen",
                &[("_csrf", &csrf), ("visibility", "oeffentlich")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    }
    let b = Browser::start().await;
    let page = b.visit(&app, "/kommunen/arnsberg/umsetzungskonzept").await;
    assert!(page.contains("Veröffentlichte Fassungen"));
    let page = b
        .visit(&app, "/kommunen/arnsberg/umsetzungskonzept/fassung/2")
        .await;
    assert!(page.contains("Maßnahmen und Projektblätter"));
    let page = b
        .visit(
            &app,
            "/kommunen/arnsberg/umsetzungskonzept/vergleich?von=1&bis=2",
        )
        .await;
    assert!(page.contains("Fassungen vergleichen"));
    b.stop().await;
}

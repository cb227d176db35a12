//! Idea collection (Ideensammlung): submitting ideas (validation per field, honeypot, rate limit), comments,
//! support (one per person, also under parallel requests), reports, hiding with a reason, pre-moderation,
//! GeoJSON, links to measures, results, the DSGVO download and deletion.

use crate::browser::Browser;
use crate::case;
use crate::harness::{Case, Needs, PASSWORD, TestApp, location};
use crate::participation::{format, join_guest};
use domain::visibility::Visibility;
use reqwest::{Client, Response, StatusCode};
use serde_json::Value;

pub fn cases() -> Vec<Case> {
    vec![
        case!(ideas_are_validated_per_field_and_bad_input_changes_nothing),
        case!(comments_and_support_count_once_per_person_even_in_parallel),
        case!(reports_hiding_and_premoderation),
        case!(geojson_measure_links_results_export_and_deletion),
        case!(
            idea_pages_pass_axe_for_participants_and_editors,
            Needs::Browser
        ),
    ]
}

/// A refused submission: the field named in the error summary, the fields sent, the message shown.
type BadInput<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a str);

const TITLE: &str = "Mehr Bänke am Neumarkt";
const TEXT: &str = "Zum Ausruhen beim Einkaufen, gern mit Schatten.";

/// Arnsberg selects the field of action Mobilität: `(term id, name)`.
async fn city_field(app: &TestApp) -> (i64, String) {
    let m = store::municipalities::by_slug(&app.db, "arnsberg")
        .await
        .unwrap();
    let t = store::taxonomy::list(&app.db, "field_of_action")
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.term_key == "mobilitaet")
        .expect("seeded field");
    store::fields::select(&app.db, m.id, t.id, "hoch", "")
        .await
        .unwrap();
    (t.id, t.name)
}

async fn submit(
    app: &TestApp,
    c: &Client,
    path: &str,
    title: &str,
    extra: &[(&str, &str)],
) -> Response {
    let mut fields = vec![("idea_title", title), ("idea_text", TEXT)];
    fields.retain(|(k, _)| !extra.iter().any(|(e, _)| e == k));
    fields.extend_from_slice(extra);
    app.post_form(c, &format!("{path}/ideen"), &fields).await
}

/// The idea id from the redirect after submitting (`…?ok=contributed#idee-7`).
fn idea_id(r: &Response) -> i64 {
    let loc = location(r);
    loc.rsplit("#idee-")
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no idea anchor in {loc:?}"))
}

async fn new_idea(app: &TestApp, c: &Client, path: &str, title: &str) -> i64 {
    let r = submit(app, c, path, title, &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "idea {title} accepted");
    idea_id(&r)
}

/// A script's post: JSON answer, CSRF token in the header.
async fn post_json(
    app: &TestApp,
    c: &Client,
    token: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, Value) {
    let r = c
        .post(app.url(path))
        .header("Accept", "application/json")
        .header("X-CSRF-Token", token)
        .form(fields)
        .send()
        .await
        .expect("POST");
    let s = r.status();
    (s, r.json().await.expect("json answer"))
}

async fn support_of(app: &TestApp, participation: i64, idea: i64) -> i64 {
    store::votes::tallies(&app.db, participation)
        .await
        .unwrap()
        .into_iter()
        .find(|(k, id, _, _)| k == "idee" && *id == idea)
        .map(|t| t.2)
        .unwrap_or(0)
}

/// Every `id` on a page is unique (labels, error links and anchors depend on it).
fn assert_unique_ids(page: &str) {
    let re = regex::Regex::new(r#" id="([^"]+)""#).unwrap();
    let mut seen = std::collections::HashSet::new();
    for c in re.captures_iter(page) {
        assert!(seen.insert(c[1].to_string()), "duplicate id {}", &c[1]);
    }
}

async fn api_ideas(app: &TestApp, c: &Client, id: i64) -> Vec<Value> {
    let r = app
        .get(c, &format!("/api/v1/participations/{id}/ideas"))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let page: Value = r.json().await.unwrap();
    page["items"].as_array().cloned().unwrap_or_default()
}

async fn ideas_are_validated_per_field_and_bad_input_changes_nothing(app: TestApp) {
    // Ten ideas must land in one rate-limit window (hourly): do not start in the last half minute.
    let into_hour = store::now_secs() % 3600;
    if into_hour > 3570 {
        tokio::time::sleep(std::time::Duration::from_secs((3601 - into_hour) as u64)).await;
    }
    let (_, _, path) = format(&app, "ideen", "gast", &[]).await;
    let (field, field_name) = city_field(&app).await;
    // Not taken part: refused.
    let anon = app.client();
    let r = submit(&app, &anon, &path, TITLE, &[]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Bitte treten Sie zuerst bei")
    );
    let g = join_guest(&app, &path).await;
    let (_, page) = app.get_text(&g, &path).await;
    assert!(page.contains(r#"id="f-idea_title""#) && page.contains(r#"name="idea_lat""#));
    assert!(page.contains(&field_name), "the city's fields are offered");

    let long_title = "T".repeat(121);
    let long_text = "ä".repeat(2001);
    let bad: Vec<BadInput> = vec![
        ("idea_title", vec![("idea_title", "  ")], "Bitte ausfüllen."),
        (
            "idea_title",
            vec![("idea_title", &long_title)],
            "Der Text ist zu lang.",
        ),
        ("idea_text", vec![("idea_text", "")], "Bitte ausfüllen."),
        (
            "idea_text",
            vec![("idea_text", &long_text)],
            "Der Text ist zu lang.",
        ),
        (
            "idea_field",
            vec![("idea_field", "999999")],
            "Bitte wählen Sie eines der Handlungsfelder der Kommune oder keines.",
        ),
        (
            "idea_lat",
            vec![("idea_lat", "91"), ("idea_lon", "8.06")],
            "Breitengrad zwischen 47 und 55,5",
        ),
        (
            "idea_lon",
            vec![("idea_lat", "51.39"), ("idea_lon", "östlich")],
            "Längengrad zwischen 5,5 und 15,5",
        ),
        (
            "idea_lon",
            vec![("idea_lat", "51.39")],
            "Für einen Ort braucht es Breiten- und Längengrad.",
        ),
    ];
    for (field_name, fields, message) in &bad {
        let title = if fields.iter().any(|(k, _)| *k == "idea_title") {
            ""
        } else {
            "Behaltener Titel"
        };
        let r = submit(&app, &g, &path, title, fields).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{fields:?}");
        let body = r.text().await.unwrap();
        assert!(body.contains(message), "{field_name}: {message}");
        assert!(
            body.contains(&format!(r##"href="#f-{field_name}""##)),
            "summary links {field_name}"
        );
        if !title.is_empty() {
            assert!(body.contains(r#"value="Behaltener Titel""#), "values kept");
        }
    }
    assert_eq!(app.count("ideas").await, 0);
    // The honeypot: refused, nothing stored.
    let r = submit(
        &app,
        &g,
        &path,
        TITLE,
        &[("website", "http://spam.example")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Ihre Eingabe konnte nicht angenommen werden.")
    );
    assert_eq!(app.count("ideas").await, 0);

    // A good idea with field and place (German decimal comma).
    let field_s = field.to_string();
    let r = submit(
        &app,
        &g,
        &path,
        TITLE,
        &[
            ("idea_field", &field_s),
            ("idea_lat", "51,3967"),
            ("idea_lon", "8.0644"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let first = idea_id(&r);
    assert!(location(&r).contains("?ok=contributed#idee-"));
    let (_, page) = app.get_text(&anon, &path).await;
    assert!(page.contains(TITLE) && page.contains(TEXT));
    assert!(page.contains(&format!(r#"id="idee-{first}""#)));
    assert!(page.contains("51.3967, 8.0644") && page.contains(&field_name));
    // Filter by field of action: the idea is listed under its field only.
    let r2 = submit(&app, &g, &path, "Ohne Feld", &[]).await;
    assert_eq!(r2.status(), StatusCode::SEE_OTHER);
    let (_, filtered) = app
        .get_text(&anon, &format!("{path}?feld={field}&sortierung=neu"))
        .await;
    assert!(filtered.contains(TITLE) && !filtered.contains("Ohne Feld"));

    // Rate limit: ten ideas per hour and person; the eleventh is refused and not stored.
    for n in 3..=10 {
        let r = submit(&app, &g, &path, &format!("Idee Nummer {n}"), &[]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "idea {n}");
    }
    let r = submit(&app, &g, &path, "Eine zu viel", &[]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap();
    assert!(body.contains("Zu viele Anfragen") && body.contains(r#"value="Eine zu viel""#));
    assert_eq!(app.count("ideas").await, 10);
    // Another person is not affected by this person's limit.
    let h = join_guest(&app, &path).await;
    new_idea(&app, &h, &path, "Von jemand anderem").await;
    assert_eq!(app.count("ideas").await, 11);
}

async fn comments_and_support_count_once_per_person_even_in_parallel(app: TestApp) {
    let (_, id, path) = format(&app, "ideen", "gast", &[]).await;
    let g1 = join_guest(&app, &path).await;
    let g2 = join_guest(&app, &path).await;
    let idea = new_idea(&app, &g1, &path, TITLE).await;
    let comment_path = format!("{path}/ideen/{idea}/kommentare");

    // Comments: required, at most 1000 characters, only on existing ideas.
    let r = app
        .post_form(&g2, &comment_path, &[("idea_comment", " ")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains(r##"href="#f-idea_comment""##)
    );
    let long = "k".repeat(1001);
    let r = app
        .post_form(&g2, &comment_path, &[("idea_comment", &long)])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("Der Text ist zu lang."));
    let r = app
        .post_form(
            &g2,
            &format!("{path}/ideen/999999/kommentare"),
            &[("idea_comment", "Gute Idee")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("idea_comments").await, 0);
    let r = app
        .post_form(
            &g2,
            &comment_path,
            &[("idea_comment", "Gute Idee, auch am Markt.")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(location(&r).contains("#kommentar-"));
    let (_, page) = app.get_text(&app.client(), &path).await;
    assert!(page.contains("Gute Idee, auch am Markt.") && page.contains("Kommentare: 1"));

    // Support: ten parallel requests of one person count once.
    let support_path = format!("{path}/ideen/{idea}/unterstuetzen");
    let token = app.csrf(&g2).await;
    let fields = [("_csrf", token.as_str()), ("support", "1")];
    let answers = futures::future::join_all(
        (0..10).map(|_| post_json(&app, &g2, &token, &support_path, &fields)),
    )
    .await;
    for (s, body) in &answers {
        assert_eq!(*s, StatusCode::OK, "{body}");
        assert_eq!(body["details"]["support"], 1, "{body}");
    }
    assert_eq!(support_of(&app, id, idea).await, 1);
    assert_eq!(
        app.count("participation_votes WHERE item_kind = 'idee'")
            .await,
        1
    );
    let (_, page) = app.get_text(&g2, &path).await;
    assert_unique_ids(&page);
    assert!(page.contains("Unterstützungen: 1") && page.contains("Sie unterstützen diese Idee."));
    assert!(page.contains("Unterstützung zurücknehmen"));
    // A second person (plain form post), then the first withdraws — in parallel, still once.
    let r = app.post_form(&g1, &support_path, &[("support", "1")]).await;
    assert_eq!(
        location(&r),
        format!("{path}?ok=idea-supported#idee-{idea}")
    );
    assert_eq!(support_of(&app, id, idea).await, 2);
    let fields = [("_csrf", token.as_str()), ("support", "0")];
    let answers = futures::future::join_all(
        (0..5).map(|_| post_json(&app, &g2, &token, &support_path, &fields)),
    )
    .await;
    assert!(answers.iter().all(|(s, _)| *s == StatusCode::OK));
    assert_eq!(support_of(&app, id, idea).await, 1);
    // Nonsense and unknown ideas are refused and count nothing.
    let (s, body) = post_json(
        &app,
        &g2,
        &token,
        &support_path,
        &[("_csrf", token.as_str()), ("support", "viel")],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["code"], "err-idea-support");
    let (s, _) = post_json(
        &app,
        &g2,
        &token,
        &format!("{path}/ideen/999999/unterstuetzen"),
        &[("_csrf", token.as_str()), ("support", "1")],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    // Someone who has not joined cannot support.
    let anon = app.client();
    let r = app
        .post_form(&anon, &support_path, &[("support", "1")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(support_of(&app, id, idea).await, 1);
    // The API shows the count and the comment count; most support first.
    let other = new_idea(&app, &g2, &path, "Zweite Idee").await;
    let list = api_ideas(&app, &anon, id).await;
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["id"], idea);
    assert_eq!(list[0]["support"], 1);
    assert_eq!(list[0]["comments"], 1);
    assert_eq!(list[1]["id"], other);
    // Sorting by support on the page.
    let (_, page) = app
        .get_text(&anon, &format!("{path}?sortierung=unterstuetzung"))
        .await;
    let a = page.find(&format!(r#"id="idee-{idea}""#)).unwrap();
    let b = page.find(&format!(r#"id="idee-{other}""#)).unwrap();
    assert!(a < b, "most support first");
    let (_, page) = app.get_text(&anon, &format!("{path}?sortierung=neu")).await;
    let a = page.find(&format!(r#"id="idee-{idea}""#)).unwrap();
    let b = page.find(&format!(r#"id="idee-{other}""#)).unwrap();
    assert!(b < a, "newest first");
}

async fn reports_hiding_and_premoderation(app: TestApp) {
    let (red, id, path) = format(&app, "ideen", "gast", &[("premoderation", "on")]).await;
    let g1 = join_guest(&app, &path).await;
    let g2 = join_guest(&app, &path).await;
    let anon = app.client();
    // Pre-moderation: the author sees the idea waiting, others do not see it at all.
    let r = submit(&app, &g1, &path, TITLE, &[]).await;
    assert!(location(&r).contains("?ok=pending#idee-"));
    let idea = idea_id(&r);
    let (_, page) = app.get_text(&g1, &path).await;
    assert!(page.contains(TITLE) && page.contains("Wartet auf Freigabe"));
    for c in [&g2, &anon] {
        let (_, page) = app.get_text(c, &path).await;
        assert!(!page.contains(TITLE) && !page.contains(TEXT));
    }
    assert!(api_ideas(&app, &anon, id).await.is_empty());
    // Nobody supports, comments on or reports what is not released.
    let support_path = format!("{path}/ideen/{idea}/unterstuetzen");
    let r = app.post_form(&g2, &support_path, &[("support", "1")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .post_form(
            &g2,
            &format!("{path}/ideen/melden"),
            &[("for", &format!("idee-{idea}")), ("report_reason", "Spam")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("participation_votes").await, 0);
    assert_eq!(app.count("idea_reports").await, 0);
    // The editor sees it in the moderation list and releases it; participants may not.
    let (_, page) = app.get_text(&red, &path).await;
    assert!(page.contains("Zu moderieren") && page.contains(&format!(r##"href="#idee-{idea}""##)));
    let moderate = format!("{path}/ideen/moderieren");
    let target = format!("idee-{idea}");
    let r = app
        .post_form(
            &g2,
            &moderate,
            &[("for", target.as_str()), ("action", "freigeben")],
        )
        .await;
    assert!(
        location(&r).starts_with("/anmelden"),
        "guests are no editors"
    );
    app.user("buerger@x.de", None, &[]).await;
    let b = app.login("buerger@x.de").await;
    let r = app
        .post_form(
            &b,
            &moderate,
            &[("for", target.as_str()), ("action", "freigeben")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = app
        .post_form(
            &red,
            &moderate,
            &[("for", target.as_str()), ("action", "freigeben")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, page) = app.get_text(&anon, &path).await;
    assert!(page.contains(TITLE) && page.contains(TEXT));
    // Approving twice is explained, not an error page.
    let r = app
        .post_form(
            &red,
            &moderate,
            &[("for", target.as_str()), ("action", "freigeben")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Comments wait too.
    let r = app
        .post_form(
            &g2,
            &format!("{path}/ideen/{idea}/kommentare"),
            &[("idea_comment", "Kommentar in Warteschlange")],
        )
        .await;
    assert!(location(&r).contains("?ok=pending#kommentar-"));
    let comment: i64 = location(&r)
        .rsplit("#kommentar-")
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let (_, page) = app.get_text(&anon, &path).await;
    assert!(!page.contains("Kommentar in Warteschlange"));
    let (_, page) = app.get_text(&g2, &path).await;
    assert!(page.contains("Kommentar in Warteschlange"));
    app.post_form(
        &red,
        &moderate,
        &[
            ("for", format!("kommentar-{comment}").as_str()),
            ("action", "freigeben"),
        ],
    )
    .await;
    let (_, page) = app.get_text(&anon, &path).await;
    assert!(page.contains("Kommentar in Warteschlange"));

    // Reports: a reason is required; once per person and item.
    let report = format!("{path}/ideen/melden");
    let r = app
        .post_form(
            &g2,
            &report,
            &[("for", target.as_str()), ("report_reason", "")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains(r##"href="#f-report_reason""##)
    );
    let r = app
        .post_form(
            &g2,
            &report,
            &[("for", target.as_str()), ("report_reason", "Beleidigend")],
        )
        .await;
    assert_eq!(location(&r), format!("{path}?ok=idea-reported#{target}"));
    let r = app
        .post_form(
            &g2,
            &report,
            &[("for", target.as_str()), ("report_reason", "Nochmal")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("bereits gemeldet"));
    let (_, page) = app.get_text(&g2, &path).await;
    assert!(page.contains("Sie haben diesen Beitrag gemeldet."));
    // The comment can be reported by someone else.
    let r = app
        .post_form(
            &g1,
            &report,
            &[
                ("for", format!("kommentar-{comment}").as_str()),
                ("report_reason", "Werbung"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.count("idea_reports").await, 2);
    let (_, page) = app.get_text(&red, &path).await;
    assert!(
        page.contains("Meldungen: 1") && page.contains("Beleidigend") && page.contains("Werbung")
    );

    // Hiding needs a reason; then everyone but the editors sees only the reason.
    let r = app
        .post_form(
            &red,
            &moderate,
            &[
                ("for", target.as_str()),
                ("action", "ausblenden"),
                ("hide_reason", " "),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains(r##"href="#f-hide_reason""##)
    );
    let r = app
        .post_form(
            &red,
            &moderate,
            &[
                ("for", target.as_str()),
                ("action", "ausblenden"),
                ("hide_reason", "Verstößt gegen die Netiquette"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    for c in [&anon, &g1, &g2] {
        let (_, page) = app.get_text(c, &path).await;
        assert!(page.contains("Ausgeblendet: Verstößt gegen die Netiquette"));
        assert!(!page.contains(TITLE) && !page.contains(TEXT));
    }
    let (_, page) = app.get_text(&red, &path).await;
    assert!(page.contains(TEXT) && page.contains("Ausgeblendet: Verstößt gegen die Netiquette"));
    assert!(api_ideas(&app, &anon, id).await.is_empty());
    assert_eq!(
        app.count("idea_reports WHERE resolved_at IS NULL AND item_kind = 'idee'")
            .await,
        0,
        "hiding closes the reports"
    );
    // The hidden idea takes no support.
    let r = app.post_form(&g2, &support_path, &[("support", "1")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // The editor keeps the comment and closes its report; then shows the idea again.
    app.post_form(
        &red,
        &moderate,
        &[
            ("for", format!("kommentar-{comment}").as_str()),
            ("action", "behalten"),
        ],
    )
    .await;
    assert_eq!(app.count("idea_reports WHERE resolved_at IS NULL").await, 0);
    let r = app
        .post_form(
            &red,
            &moderate,
            &[("for", target.as_str()), ("action", "einblenden")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, page) = app.get_text(&anon, &path).await;
    assert!(page.contains(TITLE) && !page.contains("Ausgeblendet:"));
}

async fn geojson_measure_links_results_export_and_deletion(app: TestApp) {
    let (red, id, path) = format(&app, "ideen", "gast", &[]).await;
    let (field, field_name) = city_field(&app).await;
    let m = store::municipalities::by_slug(&app.db, "arnsberg")
        .await
        .unwrap();
    let public = crate::strategy::measure(
        &app,
        m.id,
        "Sitzbänke in der Innenstadt",
        Visibility::Oeffentlich,
        "idee",
    )
    .await;
    let internal = crate::strategy::measure(
        &app,
        m.id,
        "Interne Vorprüfung Stadtmobiliar",
        Visibility::Intern,
        "idee",
    )
    .await;
    let g1 = join_guest(&app, &path).await;
    let g2 = join_guest(&app, &path).await;
    let field_s = field.to_string();
    let r = submit(
        &app,
        &g1,
        &path,
        TITLE,
        &[
            ("idea_field", &field_s),
            ("idea_lat", "51.3967"),
            ("idea_lon", "8.0644"),
        ],
    )
    .await;
    let located = idea_id(&r);
    let plain = new_idea(&app, &g1, &path, "Ohne Ort").await;
    app.post_form(
        &g2,
        &format!("{path}/ideen/{located}/unterstuetzen"),
        &[("support", "1")],
    )
    .await;

    // GeoJSON: a FeatureCollection of the located ideas, coordinates [longitude, latitude].
    let anon = app.client();
    let r = app.get(&anon, &format!("{path}/ideen.geojson")).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "application/geo+json");
    let geo: Value = serde_json::from_str(&r.text().await.unwrap()).expect("valid JSON");
    assert_eq!(geo["type"], "FeatureCollection");
    let features = geo["features"].as_array().unwrap();
    assert_eq!(features.len(), 1, "only located ideas");
    let f = &features[0];
    assert_eq!(f["type"], "Feature");
    assert_eq!(f["geometry"]["type"], "Point");
    let coords = f["geometry"]["coordinates"].as_array().unwrap();
    assert_eq!(coords.len(), 2);
    assert!(
        (coords[0].as_f64().unwrap() - 8.0644).abs() < 1e-9,
        "longitude first"
    );
    assert!(
        (coords[1].as_f64().unwrap() - 51.3967).abs() < 1e-9,
        "latitude second"
    );
    assert_eq!(f["properties"]["id"], located);
    assert_eq!(f["properties"]["title"], TITLE);
    assert_eq!(f["properties"]["text"], TEXT);
    assert_eq!(f["properties"]["field"], field_name.as_str());
    assert_eq!(f["properties"]["support"], 1);

    // Editors link the idea to measures of the city; a measure of another city or none is refused.
    let link = format!("{path}/ideen/{located}/massnahmen");
    let r = app
        .post_form(&red, &link, &[("idea_measure", "999999")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Bitte wählen Sie eine Maßnahme der Kommune.")
    );
    let r = app
        .post_form(&g1, &link, &[("idea_measure", &public.to_string())])
        .await;
    assert!(
        location(&r).starts_with("/anmelden"),
        "participants do not link"
    );
    assert_eq!(app.count("participation_links").await, 0);
    for mid in [public, internal] {
        let r = app
            .post_form(&red, &link, &[("idea_measure", &mid.to_string())])
            .await;
        assert_eq!(
            location(&r),
            format!("{path}?ok=idea-linked#idee-{located}")
        );
    }
    let (_, page) = app.get_text(&anon, &path).await;
    assert!(page.contains(&format!(
        r#"→ Maßnahme: <a href="/kommunen/arnsberg/massnahmen/{public}">Sitzbänke in der Innenstadt</a>"#
    )));
    assert!(
        !page.contains("Interne Vorprüfung"),
        "internal measures stay internal"
    );
    let (_, page) = app.get_text(&red, &path).await;
    assert!(page.contains("Interne Vorprüfung"));
    assert_unique_ids(&page);
    let list = api_ideas(&app, &anon, id).await;
    let api_idea = list.iter().find(|i| i["id"] == located).unwrap();
    assert_eq!(api_idea["measures"].as_array().unwrap().len(), 1);
    assert_eq!(api_idea["measures"][0]["id"], public);
    assert_eq!(api_idea["latitude"], 51.3967);
    // Removing a link.
    app.post_form(
        &red,
        &link,
        &[
            ("idea_measure", &internal.to_string()),
            ("action", "loesen"),
        ],
    )
    .await;
    assert_eq!(app.count("participation_links").await, 1);

    // Results: ranking by support and counts per field, each with a table; CSV rows per idea.
    let (s, results) = app.get_text(&anon, &format!("{path}/ergebnisse")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(results.contains("Ideen nach Unterstützung") && results.contains("<svg"));
    assert!(results.contains("Ideen je Handlungsfeld") && results.contains("Ohne Handlungsfeld"));
    let rank_located = results
        .find(&format!("<th scope=\"row\">{TITLE}</th>"))
        .unwrap();
    let rank_plain = results.find("<th scope=\"row\">Ohne Ort</th>").unwrap();
    assert!(rank_located < rank_plain, "most support first");
    let csv = app
        .get(&anon, &format!("{path}/ergebnisse.csv"))
        .await
        .text()
        .await
        .unwrap();
    let line = csv
        .lines()
        .find(|l| l.starts_with(&format!("{located};")))
        .expect("csv row of the idea");
    assert!(line.contains("Sitzbänke in der Innenstadt") && line.contains("51.3967"));
    assert!(csv.lines().any(|l| l.starts_with(&format!("{plain};"))));

    // The DSGVO download has the idea, the supporter's download the support.
    let data: Value = app
        .get(&g1, &format!("{path}/meine-daten"))
        .await
        .json()
        .await
        .unwrap();
    let ideas = data["beitraege"]["ideen"].as_array().unwrap();
    assert_eq!(ideas.len(), 2);
    assert!(
        ideas
            .iter()
            .any(|i| i["titel"] == TITLE && i["breite"] == 51.3967)
    );
    let data: Value = app
        .get(&g2, &format!("{path}/meine-daten"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(data["beitraege"]["unterstuetzungen"][0]["idee_id"], located);
    assert!(data["beitraege"]["ideen"].as_array().unwrap().is_empty());

    // Both delete their data: the ideas stay (anonymous), the support still counts.
    for c in [&g1, &g2] {
        let r = app
            .post_form(c, &format!("{path}/meine-daten/loeschen"), &[])
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    }
    assert_eq!(app.count("ideas").await, 2);
    assert_eq!(support_of(&app, id, located).await, 1);
    let (_, page) = app.get_text(&anon, &path).await;
    assert!(page.contains(TITLE) && page.contains("Unterstützungen: 1"));
    let list = api_ideas(&app, &anon, id).await;
    assert_eq!(
        list.iter().find(|i| i["id"] == located).unwrap()["support"],
        1
    );
    // The former author no longer has contributions here, and cannot contribute without joining again.
    assert_eq!(
        app.get(&g1, &format!("{path}/meine-daten")).await.status(),
        StatusCode::NOT_FOUND
    );
    let r = submit(&app, &g1, &path, "Nach dem Löschen", &[]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

/// Wait until the browser's URL has `query` (redirects end on the item's anchor, which is not compared).
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

async fn idea_pages_pass_axe_for_participants_and_editors(app: TestApp) {
    let (_, _, path) = format(&app, "ideen", "gast", &[]).await;
    let (field, _) = city_field(&app).await;
    let m = store::municipalities::by_slug(&app.db, "arnsberg")
        .await
        .unwrap();
    let measure =
        crate::strategy::measure(&app, m.id, "Trinkwasser", Visibility::Oeffentlich, "idee").await;
    // Someone else's idea with a comment, a report and a link, so that every part of the page is there.
    let g = join_guest(&app, &path).await;
    let field_s = field.to_string();
    let r = submit(
        &app,
        &g,
        &path,
        TITLE,
        &[
            ("idea_field", &field_s),
            ("idea_lat", "51.4"),
            ("idea_lon", "8.06"),
        ],
    )
    .await;
    let idea = idea_id(&r);
    app.post_form(
        &g,
        &format!("{path}/ideen/{idea}/kommentare"),
        &[("idea_comment", "Ein erster Kommentar")],
    )
    .await;
    let red = app.login("red@x.de").await;
    app.post_form(
        &red,
        &format!("{path}/ideen/{idea}/massnahmen"),
        &[("idea_measure", &measure.to_string())],
    )
    .await;

    let b = Browser::start().await;
    b.visit(&app, &path).await;
    b.click("#f-consent").await;
    b.submit("#join-submit").await;
    wait_for_query(&b, "ok=joined").await;
    b.axe("ideas (participant)").await;
    // Bad input: the summary, the kept values and the fields in their error state pass axe.
    b.fill("f-idea_title", "Trinkbrunnen am Bahnhof").await;
    b.fill("f-idea_text", "Im Sommer fehlt Wasser.").await;
    b.fill("f-idea_lat", "91").await;
    b.fill("f-idea_lon", "8,06").await;
    b.submit("#idea-submit").await;
    b.wait_css(".error-summary").await;
    b.axe("ideas (errors)").await;
    b.fill("f-idea_lat", "51,41").await;
    b.submit("#idea-submit").await;
    wait_for_query(&b, "ok=contributed").await;
    b.submit(&format!("#support-{idea}")).await;
    wait_for_query(&b, "ok=idea-supported").await;
    b.axe("ideas (supported)").await;
    // A report without a reason.
    b.click(&format!("#idee-{idea}-report summary")).await;
    b.submit(&format!("#report-idee-{idea}")).await;
    b.wait_css(".error-summary").await;
    b.axe("ideas (report error)").await;
    let page = b.client.source().await.expect("source");
    assert!(page.contains(r##"href="#f-report_reason""##));

    // The editor's view with moderation tools and the results.
    b.visit(&app, "/anmelden").await;
    b.fill("f-email", "red@x.de").await;
    b.fill("f-password", PASSWORD).await;
    b.submit("main form button[type=submit]").await;
    b.wait_for_path("/").await;
    let page = b.visit(&app, &path).await;
    assert!(page.contains("Trinkbrunnen am Bahnhof") && page.contains("Moderation"));
    b.visit(&app, &format!("{path}/ergebnisse")).await;
    b.stop().await;
}

//! Surveys (Umfrage): editors build a questionnaire of every question type (bad definitions change nothing,
//! order and deletion respect conditions, nothing changes once answered); guests answer with bad input per
//! type (a message each, nothing stored) and validly; conditions decide what is required and counted; one
//! response per participant, in parallel too; results, CSV and the participant's download show what was
//! submitted, and stay the same after the participant deletes their data.

use crate::browser::Browser;
use crate::case;
use crate::harness::{Case, Needs, TestApp, location};
use crate::participation::{format, join_guest};
use fantoccini::Locator;
use reqwest::{Client, Response, StatusCode};
use serde_json::Value;

pub fn cases() -> Vec<Case> {
    vec![
        case!(an_editor_builds_a_survey_of_every_type_and_bad_definitions_change_nothing),
        case!(a_guest_gets_a_message_per_bad_answer_then_answers_once),
        case!(conditions_decide_what_is_required_and_counted),
        case!(parallel_submissions_of_one_participant_count_once),
        case!(results_csv_and_own_data_show_what_was_submitted_and_survive_deletion),
        case!(a_citizen_answers_the_survey_in_the_browser, Needs::Browser),
    ]
}

/// Question ids of the standard survey.
struct Ids {
    single: i64,
    multiple: i64,
    scale: i64,
    ranking: i64,
    number: i64,
    text: i64,
}

const Q_SINGLE: &str = "Wie kommen Sie meist in die Innenstadt?";
const Q_TEXT: &str = "Was würde das Radfahren verbessern?";

async fn add(app: &TestApp, red: &Client, path: &str, fields: &[(&str, &str)]) -> Response {
    app.post_form(red, &format!("{path}/umfrage/fragen"), fields)
        .await
}

/// The questions as the API lists them.
async fn api_questions(app: &TestApp, id: i64) -> Vec<Value> {
    let r = app
        .get(
            &app.client(),
            &format!("/api/v1/participations/{id}/survey"),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    v["questions"].as_array().unwrap().clone()
}

async fn api_results(app: &TestApp, c: &Client, id: i64) -> Value {
    let r = app
        .get(c, &format!("/api/v1/participations/{id}/survey/results"))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.unwrap()
}

/// A published guest survey with one question of each type; the free text is asked only when the first
/// question is answered with "Rad".
async fn standard_survey(app: &TestApp) -> (Client, i64, String, Ids) {
    let (red, id, path) = format(app, "umfrage", "gast", &[]).await;
    let defs: [&[(&str, &str)]; 5] = [
        &[
            ("survey_kind", "einfach"),
            ("survey_text", Q_SINGLE),
            ("survey_options", "Bus\nRad\nAuto\nzu Fuß"),
            ("survey_required", "on"),
        ],
        &[
            ("survey_kind", "mehrfach"),
            ("survey_text", "Was fehlt in der Innenstadt?"),
            ("survey_help", "Alles, was Ihnen fehlt."),
            ("survey_options", "Bänke\nBäume\nWLAN"),
        ],
        &[
            ("survey_kind", "skala"),
            ("survey_text", "Wie zufrieden sind Sie mit dem Angebot?"),
            ("survey_scale", "5"),
            ("survey_low", "gar nicht zufrieden"),
            ("survey_high", "sehr zufrieden"),
            ("survey_required", "on"),
        ],
        &[
            ("survey_kind", "rangfolge"),
            ("survey_text", "Was ist Ihnen am wichtigsten?"),
            ("survey_options", "Sicherheit\nSauberkeit\nGrün"),
        ],
        &[
            ("survey_kind", "zahl"),
            ("survey_text", "Wie alt sind Sie?"),
            ("survey_min", "0"),
            ("survey_max", "120"),
        ],
    ];
    for d in defs {
        let r = add(app, &red, &path, d).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{d:?}");
    }
    let qs = api_questions(app, id).await;
    let single = qs[0]["id"].as_i64().unwrap();
    let cond = format!("{single}:1");
    let r = add(
        app,
        &red,
        &path,
        &[
            ("survey_kind", "freitext"),
            ("survey_text", Q_TEXT),
            ("survey_max_length", "40"),
            ("survey_required", "on"),
            ("survey_condition", &cond),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let qs = api_questions(app, id).await;
    let ids: Vec<i64> = qs.iter().map(|q| q["id"].as_i64().unwrap()).collect();
    (
        red,
        id,
        path,
        Ids {
            single: ids[0],
            multiple: ids[1],
            scale: ids[2],
            ranking: ids[3],
            number: ids[4],
            text: ids[5],
        },
    )
}

/// POST the answers (`q{id}` names built by the caller).
async fn answer(app: &TestApp, c: &Client, path: &str, fields: &[(String, String)]) -> Response {
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    app.post_form(c, &format!("{path}/umfrage/antworten"), &refs)
        .await
}

fn q(id: i64) -> String {
    format!("q{id}")
}

fn f(name: String, value: &str) -> (String, String) {
    (name, value.to_string())
}

/// Answers to every question: single option, multiple options, scale value, ranks, number, text.
fn full(ids: &Ids, a: (&str, &[&str], &str, [&str; 3], &str, &str)) -> Vec<(String, String)> {
    let mut v = vec![f(q(ids.single), a.0)];
    v.extend(a.1.iter().map(|o| f(q(ids.multiple), o)));
    v.push(f(q(ids.scale), a.2));
    for (i, r) in a.3.iter().enumerate() {
        v.push(f(format!("q{}-{i}", ids.ranking), r));
    }
    v.push(f(q(ids.number), a.4));
    v.push(f(q(ids.text), a.5));
    v
}

async fn nothing_stored(app: &TestApp) {
    assert_eq!(app.count("survey_responses").await, 0);
    assert_eq!(app.count("survey_answers").await, 0);
    assert_eq!(app.count("survey_counts WHERE n > 0").await, 0);
}

async fn an_editor_builds_a_survey_of_every_type_and_bad_definitions_change_nothing(app: TestApp) {
    let (red, id, path, ids) = standard_survey(&app).await;
    let qs = api_questions(&app, id).await;
    let kinds: Vec<&str> = qs.iter().map(|q| q["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "einfach",
            "mehrfach",
            "skala",
            "rangfolge",
            "zahl",
            "freitext"
        ]
    );
    assert_eq!(qs[0]["options"][3], "zu Fuß");
    assert_eq!(qs[0]["required"], true);
    assert_eq!(qs[1]["help"], "Alles, was Ihnen fehlt.");
    assert_eq!(
        (qs[2]["scale"].as_i64(), qs[2]["high_label"].as_str()),
        (Some(5), Some("sehr zufrieden"))
    );
    assert_eq!(
        (qs[4]["min"].as_i64(), qs[4]["max"].as_i64()),
        (Some(0), Some(120))
    );
    assert_eq!(qs[5]["max_length"], 40);
    assert_eq!(qs[5]["condition"]["question_id"], ids.single);
    assert_eq!(qs[5]["condition"]["option"], 1);
    // Every question has zero counts from the start (answered + one per option or value).
    assert_eq!(app.count("survey_counts").await, 6 + 4 + 3 + 5 + 3);
    let (_, page) = app.get_text(&red, &path).await;
    assert!(page.contains("Fragen bearbeiten") && page.contains("Was ist Ihnen am wichtigsten?"));
    assert!(page.contains("Sicherheit · Sauberkeit · Grün"));

    // Bad definitions: a message each, the values kept, nothing stored.
    let before = app.count("survey_questions").await;
    let eleven = (1..=11)
        .map(|k| format!("Option {k}\n"))
        .collect::<String>();
    let number_cond = format!("{}:0", ids.number);
    let bad: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (
            vec![("survey_kind", "lotto"), ("survey_text", "Frage")],
            "Bitte wählen Sie einen Fragetyp.",
        ),
        (
            vec![("survey_kind", "einfach"), ("survey_text", "")],
            "Bitte ausfüllen.",
        ),
        (
            vec![
                ("survey_kind", "einfach"),
                ("survey_text", "Nur eine Option?"),
                ("survey_options", "Ja"),
            ],
            "mindestens zwei Antwortmöglichkeiten",
        ),
        (
            vec![
                ("survey_kind", "mehrfach"),
                ("survey_text", "Doppelt?"),
                ("survey_options", "Ja\nja"),
            ],
            "nur einmal vorkommen",
        ),
        (
            vec![
                ("survey_kind", "rangfolge"),
                ("survey_text", "Elf Optionen?"),
                ("survey_options", &eleven),
            ],
            "Zu viele Antwortmöglichkeiten",
        ),
        (
            vec![
                ("survey_kind", "skala"),
                ("survey_text", "Zwei Stufen?"),
                ("survey_scale", "2"),
            ],
            "3 bis 10 Stufen",
        ),
        (
            vec![
                ("survey_kind", "zahl"),
                ("survey_text", "Verkehrt?"),
                ("survey_min", "10"),
                ("survey_max", "5"),
            ],
            "nicht kleiner sein als der kleinste",
        ),
        (
            vec![
                ("survey_kind", "zahl"),
                ("survey_text", "Keine Zahl?"),
                ("survey_min", "zehn"),
            ],
            "Bitte geben Sie eine ganze Zahl ein (oder lassen Sie das Feld leer).",
        ),
        (
            vec![
                ("survey_kind", "freitext"),
                ("survey_text", "Null Zeichen?"),
                ("survey_max_length", "0"),
            ],
            "1 bis 5000 Zeichen",
        ),
        (
            vec![
                ("survey_kind", "freitext"),
                ("survey_text", "Bedingung auf Zahl?"),
                ("survey_condition", &number_cond),
            ],
            "Diese Bedingung gibt es nicht",
        ),
    ];
    for (fields, message) in &bad {
        let r = add(&app, &red, &path, fields).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{fields:?}");
        let body = r.text().await.unwrap();
        assert!(body.contains(message), "{message} for {fields:?}");
        assert!(body.contains("class=\"error-summary\""));
        let text = fields.iter().find(|(k, _)| *k == "survey_text").unwrap().1;
        if !text.is_empty() {
            assert!(body.contains(&format!("value=\"{text}\"")), "kept: {text}");
        }
    }
    assert_eq!(app.count("survey_questions").await, before);

    // Order: the conditional question cannot move above its condition, nor can the condition be deleted.
    let base = format!("{path}/umfrage/fragen");
    let r = app
        .post_form(
            &red,
            &format!("{base}/{}/verschieben", ids.ranking),
            &[("dir", "hoch")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let order: Vec<i64> = api_questions(&app, id)
        .await
        .iter()
        .map(|q| q["id"].as_i64().unwrap())
        .collect();
    assert_eq!(
        order,
        [
            ids.single,
            ids.multiple,
            ids.ranking,
            ids.scale,
            ids.number,
            ids.text
        ]
    );
    for _ in 0..4 {
        app.post_form(
            &red,
            &format!("{base}/{}/verschieben", ids.text),
            &[("dir", "hoch")],
        )
        .await;
    }
    let order: Vec<i64> = api_questions(&app, id)
        .await
        .iter()
        .map(|q| q["id"].as_i64().unwrap())
        .collect();
    assert_eq!(
        order,
        [
            ids.single,
            ids.text,
            ids.multiple,
            ids.ranking,
            ids.scale,
            ids.number
        ]
    );
    let r = app
        .post_form(
            &red,
            &format!("{base}/{}/verschieben", ids.text),
            &[("dir", "hoch")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("muss nach der Frage stehen")
    );
    let r = app
        .post_form(&red, &format!("{base}/{}/loeschen", ids.single), &[])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Bedingung einer anderen Frage")
    );
    assert_eq!(app.count("survey_questions").await, before);
    // A plain question goes, with its counts.
    let r = app
        .post_form(&red, &format!("{base}/{}/loeschen", ids.multiple), &[])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.count("survey_questions").await, before - 1);
    assert_eq!(
        app.count(&format!(
            "survey_counts WHERE question_id = {}",
            ids.multiple
        ))
        .await,
        0
    );

    // Only the city's editors build questionnaires.
    let guest = join_guest(&app, &path).await;
    let r = add(
        &app,
        &guest,
        &path,
        &[("survey_kind", "zahl"), ("survey_text", "Gast?")],
    )
    .await;
    assert!(location(&r).starts_with("/anmelden"), "log-in required");
    app.user("teil@x.de", None, &[("arnsberg", "participant")])
        .await;
    let member = app.login("teil@x.de").await;
    let r = app
        .post_form(&member, &format!("{base}/{}/loeschen", ids.number), &[])
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.count("survey_questions").await, before - 1);
    // Other formats have no questionnaire.
    let (_, ideas, ideas_path) = format(&app, "ideen", "gast", &[]).await;
    let r = add(
        &app,
        &red,
        &ideas_path,
        &[("survey_kind", "zahl"), ("survey_text", "Hier?")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = app
        .get(
            &app.client(),
            &format!("/api/v1/participations/{ideas}/survey"),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

async fn a_guest_gets_a_message_per_bad_answer_then_answers_once(app: TestApp) {
    let (red, id, path, ids) = standard_survey(&app).await;
    // Before joining: the questions, no form.
    let (_, page) = app.get_text(&app.client(), &path).await;
    assert!(page.contains("treten Sie bitte oben bei") && !page.contains("id=\"survey-submit\""));
    let g = join_guest(&app, &path).await;
    let (_, page) = app.get_text(&g, &path).await;
    assert!(page.contains("id=\"survey-submit\""));
    assert!(page.contains("Nur beantworten, wenn Sie bei Frage 1 „Rad“ gewählt haben."));
    assert!(page.contains(&format!(
        "<legend>1. {Q_SINGLE} <span class=\"req\">(Pflichtfrage)</span></legend>"
    )));

    // Bad input for every type at once (the free text is asked: "Rad").
    let long = "x".repeat(41);
    let bad = full(&ids, ("1", &["0", "7"], "6", ["1", "1", "2"], "121", &long));
    let r = answer(&app, &g, &path, &bad).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap();
    for (qid, message) in [
        (
            ids.multiple,
            "Bitte wählen Sie eine der angebotenen Antworten.",
        ),
        (ids.scale, "Bitte wählen Sie einen Wert der Skala."),
        (ids.ranking, "Bitte vergeben Sie jeden Rang genau einmal"),
        (ids.number, "Bitte geben Sie eine Zahl von 0 bis 120 ein."),
        (ids.text, "Ihre Antwort ist zu lang: höchstens 40 Zeichen."),
    ] {
        assert!(body.contains(message), "{message}");
        assert!(
            body.contains(&format!("href=\"#f-q{qid}\"")),
            "summary links q{qid}"
        );
        assert!(
            body.contains(&format!("id=\"f-q{qid}-error\"")),
            "message at q{qid}"
        );
    }
    assert!(!body.contains(&format!("href=\"#f-q{}\"", ids.single)));
    // Values kept.
    assert!(body.contains("value=\"121\""));
    assert!(body.contains(&format!(
        "id=\"f-q{}-1\" name=\"q{}\" value=\"1\" checked",
        ids.single, ids.single
    )));
    nothing_stored(&app).await;
    // Unknown option, missing required scale, a word for a number.
    let mut bad = vec![f(q(ids.single), "9"), f(q(ids.number), "zwölf")];
    bad.push(f(q(ids.multiple), "1"));
    let r = answer(&app, &g, &path, &bad).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap();
    assert!(body.contains("Bitte wählen Sie eine der angebotenen Antworten."));
    assert!(body.contains("Bitte beantworten Sie diese Frage."));
    assert!(body.contains("Bitte geben Sie eine ganze Zahl ein, z. B. 12."));
    // "Rad" makes the free text required.
    let r = answer(
        &app,
        &g,
        &path,
        &[f(q(ids.single), "1"), f(q(ids.scale), "3")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains(&format!("href=\"#f-q{}\"", ids.text))
    );
    // Nothing at all.
    let r = answer(&app, &g, &path, &[]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    nothing_stored(&app).await;

    // Valid.
    let good = full(
        &ids,
        ("1", &["0", "2"], "4", ["2", "3", "1"], "42", "Mehr Radwege"),
    );
    let r = answer(&app, &g, &path, &good).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), format!("{path}?ok=survey#survey-h"));
    assert_eq!(app.count("survey_responses").await, 1);
    assert_eq!(app.count("survey_answers").await, 6);
    let (_, page) = app.get_text(&g, &format!("{path}?ok=survey")).await;
    assert!(page.contains("Danke! Ihre Antworten wurden gespeichert."));
    assert!(page.contains("Sie haben bereits teilgenommen."));
    for shown in [
        "Rad",
        "Bänke, WLAN",
        "4 von 5",
        "1. Grün, 2. Sicherheit, 3. Sauberkeit",
        "42",
        "Mehr Radwege",
    ] {
        assert!(
            page.contains(&format!("<dd class=\"pre\">{shown}</dd>")),
            "{shown}"
        );
    }
    assert!(!page.contains("id=\"survey-submit\""));
    // A second response is refused; nothing changes.
    let again = full(&ids, ("0", &[], "1", ["1", "2", "3"], "", ""));
    let r = answer(&app, &g, &path, &again).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Sie haben bereits teilgenommen; jede Person")
    );
    assert_eq!(app.count("survey_responses").await, 1);
    assert_eq!(app.count("survey_answers").await, 6);

    // A script gets JSON: the errors by field, then the acknowledgement.
    let s = join_guest(&app, &path).await;
    let token = app.csrf(&s).await;
    let post = |fields: Vec<(String, String)>| {
        let mut all = vec![("_csrf".to_string(), token.clone())];
        all.extend(fields);
        s.post(app.url(&format!("{path}/umfrage/antworten")))
            .header("Accept", "application/json")
            .form(&all)
            .send()
    };
    let r = post(vec![f(q(ids.single), "0"), f(q(ids.number), "-1")])
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let v: Value = r.json().await.unwrap();
    let errors = v["errors"].as_array().unwrap();
    let fields: Vec<(&str, &str)> = errors
        .iter()
        .map(|e| (e["field"].as_str().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    let (scale_field, number_field) = (q(ids.scale), q(ids.number));
    assert_eq!(
        fields,
        [
            (scale_field.as_str(), "err-survey-required"),
            (number_field.as_str(), "err-survey-number-range")
        ]
    );
    let r = post(vec![f(q(ids.single), "0"), f(q(ids.scale), "2")])
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    assert_eq!(
        (v["ok"].as_bool(), v["answers"].as_i64()),
        (Some(true), Some(2))
    );
    assert_eq!(api_results(&app, &app.client(), id).await["responses"], 2);

    // Once answered, the questions stay as they are.
    let (_, page) = app.get_text(&red, &path).await;
    assert!(page.contains("Es liegen bereits 2 Antworten vor."));
    assert!(!page.contains("id=\"survey-add\""));
    let r = add(
        &app,
        &red,
        &path,
        &[("survey_kind", "zahl"), ("survey_text", "Noch eine?")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("bereits Antworten"));
    let base = format!("{path}/umfrage/fragen");
    let r = app
        .post_form(&red, &format!("{base}/{}/loeschen", ids.number), &[])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .post_form(
            &red,
            &format!("{base}/{}/verschieben", ids.number),
            &[("dir", "hoch")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("survey_questions").await, 6);
    let order: Vec<i64> = api_questions(&app, id)
        .await
        .iter()
        .map(|q| q["id"].as_i64().unwrap())
        .collect();
    assert_eq!(order[4], ids.number);
}

async fn conditions_decide_what_is_required_and_counted(app: TestApp) {
    let (red, id, path) = format(&app, "umfrage", "gast", &[]).await;
    let r = add(
        &app,
        &red,
        &path,
        &[
            ("survey_kind", "mehrfach"),
            ("survey_text", "Womit fahren Sie?"),
            ("survey_options", "Bus\nRad"),
            ("survey_required", "on"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let a = api_questions(&app, id).await[0]["id"].as_i64().unwrap();
    let cond = format!("{a}:1");
    for def in [
        vec![
            ("survey_kind", "freitext"),
            ("survey_text", "Was fehlt beim Radfahren?"),
            ("survey_required", "on"),
            ("survey_condition", cond.as_str()),
        ],
        vec![
            ("survey_kind", "zahl"),
            ("survey_text", "Wie viele Kilometer am Tag?"),
            ("survey_condition", cond.as_str()),
        ],
    ] {
        assert_eq!(
            add(&app, &red, &path, &def).await.status(),
            StatusCode::SEE_OTHER
        );
    }
    let qs = api_questions(&app, id).await;
    let (b, c) = (qs[1]["id"].as_i64().unwrap(), qs[2]["id"].as_i64().unwrap());

    // "Bus" only: B and C are not asked; their answers are ignored, not stored and not counted.
    let g1 = join_guest(&app, &path).await;
    let r = answer(
        &app,
        &g1,
        &path,
        &[f(q(a), "0"), f(q(b), "Radwege"), f(q(c), "12")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.count("survey_answers").await, 1);
    // "Rad" (with "Bus"): B is required …
    let g2 = join_guest(&app, &path).await;
    let r = answer(
        &app,
        &g2,
        &path,
        &[f(q(a), "0"), f(q(a), "1"), f(q(c), "7")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap();
    assert!(
        body.contains(&format!("href=\"#f-q{b}\""))
            && body.contains("Bitte beantworten Sie diese Frage.")
    );
    assert_eq!(app.count("survey_responses").await, 1);
    // … and B and C are accepted and counted.
    let r = answer(
        &app,
        &g2,
        &path,
        &[f(q(a), "0"), f(q(a), "1"), f(q(b), "Radwege"), f(q(c), "7")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.count("survey_answers").await, 4);

    let res = api_results(&app, &red, id).await;
    assert_eq!(res["responses"], 2);
    let qr = res["questions"].as_array().unwrap();
    assert_eq!(qr[0]["answered"], 2);
    assert_eq!(
        (
            qr[0]["rows"][0]["count"].as_i64(),
            qr[0]["rows"][1]["count"].as_i64()
        ),
        (Some(2), Some(1))
    );
    assert_eq!(qr[0]["rows"][1]["percent"], 50.0);
    assert_eq!(qr[1]["answered"], 1);
    assert_eq!(
        (
            qr[2]["answered"].as_i64(),
            qr[2]["mean"].as_f64(),
            qr[2]["min"].as_i64()
        ),
        (Some(1), Some(7.0), Some(7))
    );
    // The public results page says the same; free texts stay with the editors.
    let (_, page) = app
        .get_text(&app.client(), &format!("{path}/ergebnisse"))
        .await;
    assert!(page.contains("<th scope=\"row\">Rad</th><td>1</td><td>50,0 %</td>"));
    assert!(!page.contains("Radwege"));
    let (_, page) = app.get_text(&red, &format!("{path}/ergebnisse")).await;
    assert!(page.contains("<li class=\"pre\">Radwege</li>"));
}

async fn parallel_submissions_of_one_participant_count_once(app: TestApp) {
    let (red, id, path) = format(&app, "umfrage", "gast", &[]).await;
    let r = add(
        &app,
        &red,
        &path,
        &[
            ("survey_kind", "skala"),
            ("survey_text", "Wie gefällt Ihnen der Marktplatz?"),
            ("survey_scale", "5"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let qid = api_questions(&app, id).await[0]["id"].as_i64().unwrap();
    let g = join_guest(&app, &path).await;
    let token = app.csrf(&g).await;
    let name = q(qid);
    let results = futures::future::join_all((1..=8).map(|k| {
        let value = (k % 5 + 1).to_string();
        g.post(app.url(&format!("{path}/umfrage/antworten")))
            .form(&[("_csrf", token.as_str()), (name.as_str(), value.as_str())])
            .send()
    }))
    .await;
    let statuses: Vec<StatusCode> = results
        .iter()
        .map(|r| r.as_ref().unwrap().status())
        .collect();
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::SEE_OTHER)
            .count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::UNPROCESSABLE_ENTITY)
            .count(),
        7,
        "{statuses:?}"
    );
    assert_eq!(app.count("survey_responses").await, 1);
    assert_eq!(app.count("survey_answers").await, 1);
    let res = api_results(&app, &red, id).await;
    assert_eq!(res["responses"], 1);
    let rows = res["questions"][0]["rows"].as_array().unwrap();
    assert_eq!(
        rows.iter()
            .map(|r| r["count"].as_i64().unwrap())
            .sum::<i64>(),
        1
    );
    assert_eq!(res["questions"][0]["answered"], 1);
}

fn pct(n: usize, of: usize) -> String {
    format!("{:.1}", n as f64 * 100.0 / of as f64).replace('.', ",")
}

async fn results_csv_and_own_data_show_what_was_submitted_and_survive_deletion(app: TestApp) {
    let (red, id, path, ids) = standard_survey(&app).await;
    // Four people; the expected figures are computed from these answers below.
    type A<'a> = (
        &'a str,
        &'a [&'a str],
        &'a str,
        [&'a str; 3],
        &'a str,
        &'a str,
    );
    let answers: [A; 4] = [
        ("1", &["0", "2"], "4", ["2", "3", "1"], "42", "Mehr Radwege"),
        ("0", &["2"], "5", ["1", "2", "3"], "30", "wird ignoriert"),
        (
            "1",
            &[],
            "2",
            ["3", "1", "2"],
            "61",
            "Radständer am Bahnhof",
        ),
        ("2", &["0", "1", "2"], "4", ["2", "3", "1"], "", ""),
    ];
    let mut guests = Vec::new();
    for a in &answers {
        let g = join_guest(&app, &path).await;
        let r = answer(&app, &g, &path, &full(&ids, *a)).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{a:?}");
        guests.push(g);
    }
    let n = answers.len();
    let anon = app.client();
    let (s, page) = app.get_text(&anon, &format!("{path}/ergebnisse")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains(&format!("{n} ausgefüllte Fragebögen")));
    // Single choice: counts and shares of those who answered.
    let options = ["Bus", "Rad", "Auto", "zu Fuß"];
    for (i, label) in options.iter().enumerate() {
        let k = answers.iter().filter(|a| a.0 == i.to_string()).count();
        assert!(
            page.contains(&format!(
                "<th scope=\"row\">{label}</th><td>{k}</td><td>{} %</td>",
                pct(k, n)
            )),
            "{label}"
        );
    }
    // Multiple choice: shares of those who answered the question.
    let answered_multi = answers.iter().filter(|a| !a.1.is_empty()).count();
    for (i, label) in ["Bänke", "Bäume", "WLAN"].iter().enumerate() {
        let k = answers
            .iter()
            .filter(|a| a.1.contains(&i.to_string().as_str()))
            .count();
        assert!(
            page.contains(&format!(
                "<th scope=\"row\">{label}</th><td>{k}</td><td>{} %</td>",
                pct(k, answered_multi)
            )),
            "{label}"
        );
    }
    // Scale: distribution and mean.
    for v in 1..=5 {
        let k = answers.iter().filter(|a| a.2 == v.to_string()).count();
        let label = match v {
            1 => "1 – gar nicht zufrieden".to_string(),
            5 => "5 – sehr zufrieden".to_string(),
            v => v.to_string(),
        };
        assert!(
            page.contains(&format!(
                "<th scope=\"row\">{label}</th><td>{k}</td><td>{} %</td>",
                pct(k, n)
            )),
            "{label}"
        );
    }
    let mean = answers
        .iter()
        .map(|a| a.2.parse::<f64>().unwrap())
        .sum::<f64>()
        / n as f64;
    assert!(page.contains(&format!(
        "Mittelwert: {} (Skala 1 bis 5)",
        format!("{mean:.2}").replace('.', ",")
    )));
    // Ranking: average ranks, best first.
    let mut avg: Vec<(f64, &str)> = ["Sicherheit", "Sauberkeit", "Grün"]
        .iter()
        .enumerate()
        .map(|(i, o)| {
            (
                answers
                    .iter()
                    .map(|a| a.3[i].parse::<f64>().unwrap())
                    .sum::<f64>()
                    / n as f64,
                *o,
            )
        })
        .collect();
    avg.sort_by(|a, b| a.0.total_cmp(&b.0));
    for (place, (a, o)) in avg.iter().enumerate() {
        let row = format!(
            "<th scope=\"row\">{}</th><td>{o}</td><td>{}</td><td>{n}</td>",
            place + 1,
            format!("{a:.2}").replace('.', ",")
        );
        assert!(page.contains(&row), "{row}");
    }
    // Number: n, mean, min, max of those who answered.
    let ages: Vec<i64> = answers
        .iter()
        .filter(|a| !a.4.is_empty())
        .map(|a| a.4.parse().unwrap())
        .collect();
    let age_mean = ages.iter().sum::<i64>() as f64 / ages.len() as f64;
    for (label, value) in [
        ("Anzahl Antworten", ages.len().to_string()),
        ("Mittelwert", format!("{age_mean:.2}").replace('.', ",")),
        ("Minimum", ages.iter().min().unwrap().to_string()),
        ("Maximum", ages.iter().max().unwrap().to_string()),
    ] {
        assert!(
            page.contains(&format!("<th scope=\"row\">{label}</th><td>{value}</td>")),
            "{label}"
        );
    }
    // Free text: asked only after "Rad"; the public sees the count, not the texts.
    let texts: Vec<&str> = answers
        .iter()
        .filter(|a| a.0 == "1" && !a.5.is_empty())
        .map(|a| a.5)
        .collect();
    assert!(page.contains(&format!(
        "<th scope=\"row\">Anzahl Antworten</th><td>{}</td>",
        texts.len()
    )));
    assert!(!page.contains("Radständer") && !page.contains("wird ignoriert"));
    // Charts with text alternatives.
    assert_eq!(page.matches("role=\"img\"").count(), 5);
    assert!(page.contains(&format!(
        "<title id=\"survey-chart-{}-title\">{Q_SINGLE}</title>",
        ids.single
    )));
    let (_, page) = app.get_text(&red, &format!("{path}/ergebnisse")).await;
    for t in &texts {
        assert!(page.contains(&format!("<li class=\"pre\">{t}</li>")));
    }
    assert!(!page.contains("wird ignoriert"));

    // CSV: the same counts; texts only in the editors' file.
    let r = app.get(&anon, &format!("{path}/ergebnisse.csv")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let csv = r.text().await.unwrap();
    let k = answers.iter().filter(|a| a.0 == "1").count();
    assert!(
        csv.contains(&format!(
            "1;{Q_SINGLE};Einfachauswahl;Rad;{k};{};",
            pct(k, n)
        )),
        "{csv}"
    );
    assert!(csv.contains(&format!("1;{Q_SINGLE};Einfachauswahl;beantwortet;{n};;")));
    assert!(csv.contains(&format!(
        "Wie alt sind Sie?;Zahl;Maximum;;;{}",
        ages.iter().max().unwrap()
    )));
    assert!(!csv.contains("Radständer"));
    let csv = app
        .get(&red, &format!("{path}/ergebnisse.csv"))
        .await
        .text()
        .await
        .unwrap();
    assert!(csv.contains("Freitext;;;Radständer am Bahnhof"));
    assert!(!csv.contains("wird ignoriert"));

    // The participant's own data: their answers with the questions.
    let r = app.get(&guests[0], &format!("{path}/meine-daten")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let data: Value = r.json().await.unwrap();
    let mine = data["beitraege"]["antworten"].as_array().unwrap();
    assert_eq!(mine.len(), 6);
    let by_question = |text: &str| {
        mine.iter()
            .find(|a| a["frage"] == text)
            .map(|a| a["antwort"].clone())
    };
    assert_eq!(by_question(Q_SINGLE), Some(Value::from("Rad")));
    assert_eq!(by_question(Q_TEXT), Some(Value::from("Mehr Radwege")));
    assert_eq!(
        by_question("Was ist Ihnen am wichtigsten?"),
        Some(Value::from("1. Grün, 2. Sicherheit, 3. Sauberkeit"))
    );
    // After deleting their data, the results are exactly the same.
    let before = api_results(&app, &red, id).await;
    let r = app
        .post_form(&guests[0], &format!("{path}/meine-daten/loeschen"), &[])
        .await;
    assert_eq!(location(&r), format!("{path}?ok=deleted"));
    assert_eq!(
        app.count("participants WHERE anonymised_at IS NOT NULL")
            .await,
        1
    );
    assert_eq!(api_results(&app, &red, id).await, before);
    assert_eq!(before["responses"], n);
    assert_eq!(app.count("survey_responses").await, n as i64);
}

/// Whether the question's block is shown, and whether its first input can be sent.
async fn shown(b: &Browser, qid: i64) -> (bool, bool) {
    let block = b
        .client
        .find(Locator::Id(&format!("survey-q-{qid}")))
        .await
        .expect("question block");
    let input = b
        .client
        .find(Locator::Id(&format!("f-q{qid}")))
        .await
        .expect("question input");
    (
        block.is_displayed().await.expect("displayed"),
        input.is_enabled().await.expect("enabled"),
    )
}

async fn a_citizen_answers_the_survey_in_the_browser(app: TestApp) {
    let (red, id, path, ids) = standard_survey(&app).await;
    let b = Browser::start().await;
    b.visit(&app, &path).await;
    b.click("#f-consent").await;
    b.submit("#join-submit").await;
    b.wait_css("#survey-submit").await;
    b.axe("survey (joined)").await;

    // The free text is asked only for "Rad": hidden (and not sent) until the citizen picks it.
    assert_eq!(shown(&b, ids.text).await, (false, false));
    b.click(&format!("#f-q{}-1", ids.single)).await;
    assert_eq!(shown(&b, ids.text).await, (true, true));
    b.click(&format!("#f-q{}-2", ids.single)).await;
    assert_eq!(shown(&b, ids.text).await, (false, false));

    // Sent without the required scale: the page names the question, nothing is stored.
    b.submit("#survey-submit").await;
    b.wait_css(".error-summary").await;
    b.wait_css(&format!("#f-q{}-error", ids.scale)).await;
    b.axe("survey (error)").await;
    nothing_stored(&app).await;

    // Every type answered: "Rad", two of three wishes, scale 4, a ranking, a number, the free text.
    b.click(&format!("#f-q{}-1", ids.single)).await;
    b.click(&format!("#f-q{}", ids.multiple)).await;
    b.click(&format!("#f-q{}-2", ids.multiple)).await;
    b.click(&format!("#f-q{}-3", ids.scale)).await;
    for (k, rank) in ["2", "1", "3"].iter().enumerate() {
        let field = if k == 0 {
            format!("f-q{}", ids.ranking)
        } else {
            format!("f-q{}-{k}", ids.ranking)
        };
        b.select(&field, rank).await;
    }
    b.fill(&format!("f-q{}", ids.number), "42").await;
    b.fill(&format!("f-q{}", ids.text), "Breitere Radwege")
        .await;
    b.submit("#survey-submit").await;
    b.wait_css("#survey-done").await;
    b.axe("survey (done)").await;
    let page = b.client.source().await.expect("source");
    assert!(
        page.contains("Breitere Radwege"),
        "the own answers are shown"
    );
    assert_eq!(app.count("survey_responses").await, 1);
    assert_eq!(app.count("survey_answers").await, 6);

    // The results as the API and the results page count them.
    let v = api_results(&app, &red, id).await;
    assert_eq!(v["responses"], 1, "{v}");
    let results = b.visit(&app, &format!("{path}/ergebnisse")).await;
    assert!(results.contains(Q_TEXT) && results.contains(Q_SINGLE));
    b.stop().await;
}

//! Nutzwertanalyse (benefit analysis): editors set up criteria and measures, raters in groups rate through
//! the HTTP forms, results match a hand-computed example, KO criteria exclude, the sensitivity view shows a
//! rank swap, the portfolio is an accessible SVG with a table, results are written back to the measures'
//! history, and a rater's data can be downloaded and deleted without changing the results.

use crate::browser::Browser;
use crate::case;
use crate::harness::{Case, Needs, PASSWORD, TestApp, location};
use crate::participation::{format, join_guest};
use domain::visibility::Visibility;
use reqwest::{Client, StatusCode};
use serde_json::Value;

pub fn cases() -> Vec<Case> {
    vec![
        case!(editors_set_up_criteria_and_bad_setup_changes_nothing),
        case!(raters_in_groups_give_the_hand_computed_result_and_ko_excludes),
        case!(sensitivity_shows_a_rank_swap_and_the_portfolio_has_a_table),
        case!(results_are_written_back_to_the_measure_history),
        case!(a_raters_data_export_and_deletion_keep_the_results),
        case!(
            benefit_pages_pass_axe_for_raters_and_editors,
            Needs::Browser
        ),
    ]
}

/// A benefit analysis in Arnsberg with `criteria` (name, kind, weight, scale) added through the editor form
/// and `measures` created and chosen: `(editor, format id, path, measure ids, criterion ids)`.
async fn analysis(
    app: &TestApp,
    criteria: &[(&str, &str, &str, &str)],
    measures: &[&str],
) -> (Client, i64, String, Vec<i64>, Vec<i64>) {
    let (red, id, path) = format(app, "nutzwert", "gast", &[]).await;
    let city = store::municipalities::by_slug(&app.db, "arnsberg")
        .await
        .unwrap();
    let mut ids = Vec::new();
    for t in measures {
        ids.push(crate::strategy::measure(app, city.id, t, Visibility::Oeffentlich, "idee").await);
    }
    for (name, kind, weight, scale) in criteria {
        let r = app
            .post_form(
                &red,
                &format!("{path}/nutzwert/kriterien"),
                &[
                    ("benefit_name", name),
                    ("benefit_kind", kind),
                    ("benefit_weight", weight),
                    ("benefit_scale", scale),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "criterion {name} added");
    }
    let picked: Vec<String> = ids.iter().map(|i| i.to_string()).collect();
    let fields: Vec<(&str, &str)> = picked
        .iter()
        .map(|v| ("benefit_measures", v.as_str()))
        .collect();
    let r = app
        .post_form(&red, &format!("{path}/nutzwert/massnahmen"), &fields)
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "measures chosen");
    let cids = store::benefit::criteria(&app.db, id)
        .await
        .unwrap()
        .iter()
        .map(|c| c.id)
        .collect();
    (red, id, path, ids, cids)
}

/// A guest who joined and chose `group`.
async fn rater(app: &TestApp, path: &str, group: &str) -> Client {
    let c = join_guest(app, path).await;
    let r = app
        .post_form(
            &c,
            &format!("{path}/nutzwert/gruppe"),
            &[("benefit_group", group)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "group {group} chosen");
    c
}

/// Post a rating form: `answers` are `(criterion id, value)`.
async fn rate(
    app: &TestApp,
    c: &Client,
    path: &str,
    measure: i64,
    answers: &[(i64, &str)],
) -> reqwest::Response {
    let names: Vec<String> = answers.iter().map(|(cid, _)| format!("c{cid}")).collect();
    let fields: Vec<(&str, &str)> = names
        .iter()
        .zip(answers)
        .map(|(n, (_, v))| (n.as_str(), *v))
        .collect();
    app.post_form(c, &format!("{path}/nutzwert/bewerten/{measure}"), &fields)
        .await
}

async fn rate_ok(app: &TestApp, c: &Client, path: &str, measure: i64, answers: &[(i64, &str)]) {
    let r = rate(app, c, path, measure, answers).await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "rating of {measure} saved"
    );
    assert!(location(&r).contains("ok=benefit-rated"));
}

/// Save one row of the criteria table (a benefit criterion); the other rows keep their values.
async fn save_criterion(
    app: &TestApp,
    red: &Client,
    path: &str,
    cid: i64,
    name: &str,
    weight: &str,
    scale: &str,
) -> reqwest::Response {
    let (n, k, w, s) = (
        format!("c{cid}_name"),
        format!("c{cid}_kind"),
        format!("c{cid}_weight"),
        format!("c{cid}_scale"),
    );
    app.post_form(
        red,
        &format!("{path}/nutzwert/kriterien/speichern"),
        &[(&n, name), (&k, "nutzen"), (&w, weight), (&s, scale)],
    )
    .await
}

async fn results_json(app: &TestApp, c: &Client, id: i64) -> Value {
    let r = app
        .get(c, &format!("/api/v1/participations/{id}/benefit"))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.unwrap()
}

/// The API's entry for a measure.
fn measure(v: &Value, id: i64) -> &Value {
    v["measures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["measure_id"] == id)
        .unwrap_or_else(|| panic!("measure {id} in {v}"))
}

fn close(v: &Value, expected: f64) {
    let x = v.as_f64().unwrap_or_else(|| panic!("number expected: {v}"));
    assert!((x - expected).abs() < 1e-6, "{x} != {expected}");
}

async fn editors_set_up_criteria_and_bad_setup_changes_nothing(app: TestApp) {
    let (red, id, path, ids, _) = analysis(&app, &[], &["Bürger-App"]).await;
    // The default set in one click; a second click adds nothing (names taken).
    let r = app
        .post_form(&red, &format!("{path}/nutzwert/kriterien/standard"), &[])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let crit = store::benefit::criteria(&app.db, id).await.unwrap();
    let names: Vec<&str> = crit.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Rechtlich zulässig",
            "Passt zur Smart-City-Strategie",
            "Bürgernutzen",
            "Beitrag zu den Zielen",
            "Nachhaltigkeit",
            "Machbarkeit",
            "Kosten",
            "Umsetzungsaufwand"
        ]
    );
    assert_eq!((crit[0].kind.as_str(), crit[0].scale_max), ("ko", 0));
    assert_eq!(
        (crit[6].kind.as_str(), crit[6].weight, crit[6].scale_max),
        ("aufwand", 60, 5)
    );
    app.post_form(&red, &format!("{path}/nutzwert/kriterien/standard"), &[])
        .await;
    assert_eq!(app.count("benefit_criteria").await, 8);

    // Bad criteria: every problem named, nothing stored.
    let r = app
        .post_form(
            &red,
            &format!("{path}/nutzwert/kriterien"),
            &[
                ("benefit_name", " "),
                ("benefit_kind", "nutzen"),
                ("benefit_weight", "viel"),
                ("benefit_scale", "0"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap();
    for f in ["benefit_name", "benefit_weight", "benefit_scale"] {
        assert!(
            body.contains(&format!("href=\"#f-{f}\"")),
            "summary names {f}"
        );
    }
    assert!(body.contains("ganze Zahl von 0 bis 1000"));
    assert!(body.contains("value=\"viel\""), "entered values are kept");
    let r = app
        .post_form(
            &red,
            &format!("{path}/nutzwert/kriterien"),
            &[
                ("benefit_name", "kosten"),
                ("benefit_kind", "aufwand"),
                ("benefit_weight", "5"),
                ("benefit_scale", "5"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("gibt es schon"));
    assert_eq!(app.count("benefit_criteria").await, 8);

    // The table saves all at once; a bad weight refuses the whole save.
    let key = |cid: i64, part: &str| format!("c{cid}_{part}");
    let mut fields: Vec<(String, String)> = crit
        .iter()
        .flat_map(|c| {
            [
                (key(c.id, "name"), c.name.clone()),
                (key(c.id, "kind"), c.kind.clone()),
                (key(c.id, "weight"), c.weight.to_string()),
                (key(c.id, "scale"), c.scale_max.to_string()),
            ]
        })
        .collect();
    fields[2 * 4 + 2].1 = "40".into(); // Bürgernutzen 30 → 40
    fields[6 * 4 + 2].1 = "-3".into(); // Kosten: invalid
    let as_ref: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let r = app
        .post_form(
            &red,
            &format!("{path}/nutzwert/kriterien/speichern"),
            &as_ref,
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap();
    assert!(body.contains(&format!("href=\"#f-c{}_weight\"", crit[6].id)));
    assert!(body.contains("Kosten – Gewicht"));
    assert_eq!(
        store::benefit::criteria(&app.db, id).await.unwrap()[2].weight,
        30
    );
    fields[6 * 4 + 2].1 = "60".into();
    let as_ref: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let r = app
        .post_form(
            &red,
            &format!("{path}/nutzwert/kriterien/speichern"),
            &as_ref,
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        store::benefit::criteria(&app.db, id).await.unwrap()[2].weight,
        40
    );
    // Delete one (no ratings yet).
    let r = app
        .post_form(
            &red,
            &format!("{path}/nutzwert/kriterien/{}/loeschen", crit[7].id),
            &[],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.count("benefit_criteria").await, 7);

    // Measures: an unknown id or none at all is refused.
    let r = app
        .post_form(
            &red,
            &format!("{path}/nutzwert/massnahmen"),
            &[("benefit_measures", "999999")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .post_form(&red, &format!("{path}/nutzwert/massnahmen"), &[])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("mindestens eine Maßnahme"));
    let items = store::participation::items(&app.db, id).await.unwrap();
    assert_eq!(
        items.iter().map(|i| i.item_id).collect::<Vec<_>>(),
        ids,
        "the chosen measures stay"
    );
    // Group weights: out of range or all zero is refused.
    for bad in [
        [("benefit_gw_verwaltung", "101")],
        [("benefit_gw_politik", "x")],
    ] {
        let r = app
            .post_form(&red, &format!("{path}/nutzwert/gruppengewichte"), &bad)
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let zero = [
        ("benefit_gw_verwaltung", "0"),
        ("benefit_gw_politik", "0"),
        ("benefit_gw_expertinnen", "0"),
        ("benefit_gw_buergerinnen", "0"),
    ];
    let r = app
        .post_form(&red, &format!("{path}/nutzwert/gruppengewichte"), &zero)
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("benefit_group_weights").await, 0);

    // Others may not set up.
    app.user("teil@x.de", None, &[]).await;
    let t = app.login("teil@x.de").await;
    let r = app
        .post_form(&t, &format!("{path}/nutzwert/kriterien/standard"), &[])
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let (_, page) = app.get_text(&t, &path).await;
    assert!(page.contains("So wird bewertet") && !page.contains("Nutzwertanalyse einrichten"));
    // The editor sees the setup with the default button's explanation.
    let (_, page) = app.get_text(&red, &path).await;
    assert!(page.contains("Nutzwertanalyse einrichten"));
}

/// KO 1 "Rechtlich zulässig", KO 2 "Finanzierbar", Bürgernutzen (Nutzen, weight 3, 0–4), Beitrag zu den
/// Zielen (Nutzen, 1, 0–4), Kosten (Aufwand, 1, 0–5): benefit shares 0.75 / 0.25, effort share 1.
const EXAMPLE: [(&str, &str, &str, &str); 5] = [
    ("Rechtlich zulässig", "ko", "", ""),
    ("Finanzierbar", "ko", "", ""),
    ("Bürgernutzen", "nutzen", "3", "4"),
    ("Beitrag zu den Zielen", "nutzen", "1", "4"),
    ("Kosten", "aufwand", "1", "5"),
];

async fn raters_in_groups_give_the_hand_computed_result_and_ko_excludes(app: TestApp) {
    let (red, id, path, m, c) = analysis(
        &app,
        &EXAMPLE,
        &[
            "Digitale Parkraumsteuerung",
            "Smarte Straßenbeleuchtung",
            "Bürger-App",
        ],
    )
    .await;
    let (a, b, cm) = (m[0], m[1], m[2]);

    // Not joined: refused, nothing stored.
    let anon = app.client();
    let r = rate(&app, &anon, &path, a, &[(c[0], "ja")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("zuerst bei"));
    // Joined but no group yet: refused; an unknown group too.
    let g = join_guest(&app, &path).await;
    let (_, page) = app.get_text(&g, &path).await;
    assert!(page.contains("In welcher Rolle bewerten Sie?"));
    let r = rate(&app, &g, &path, a, &[(c[0], "ja")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("in welcher Rolle Sie bewerten")
    );
    let r = app
        .post_form(
            &g,
            &format!("{path}/nutzwert/gruppe"),
            &[("benefit_group", "presse")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("benefit_raters").await, 0);

    let v1 = rater(&app, &path, "verwaltung").await;
    let v2 = rater(&app, &path, "verwaltung").await;
    let b1 = rater(&app, &path, "buergerinnen").await;
    let b2 = rater(&app, &path, "buergerinnen").await;
    // The rating form: a fieldset with legend per criterion, radios 0..=scale.
    let (_, page) = app.get_text(&v1, &path).await;
    assert!(page.contains("<legend>Bürgernutzen (Nutzen)</legend>"));
    assert!(page.contains("<legend>Finanzierbar (KO-Kriterium)</legend>"));
    assert!(page.contains(&format!("id=\"f-m{a}_c{}-4\"", c[2])));
    assert!(
        !page.contains(&format!("id=\"f-m{a}_c{}-5\"", c[2])),
        "scale 0–4"
    );

    // Bad ratings: out of scale, missing, not yes/no — refused with messages, nothing stored.
    let r = rate(
        &app,
        &v1,
        &path,
        a,
        &[
            (c[0], "ja"),
            (c[1], "ja"),
            (c[2], "5"),
            (c[3], "2"),
            (c[4], "1"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap();
    assert!(body.contains("Bitte wählen Sie einen Wert von 0 bis 4."));
    assert!(body.contains(&format!("href=\"#f-m{a}_c{}\"", c[2])));
    assert!(
        body.contains(&format!(
            "id=\"f-m{a}_c{}-2\" name=\"c{}\" value=\"2\" checked",
            c[3], c[3]
        )),
        "the other answers are kept"
    );
    let r = rate(&app, &v1, &path, a, &[(c[0], "vielleicht"), (c[2], "4")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap();
    assert!(body.contains("„Ja“ oder „Nein“"));
    assert!(body.contains("Bitte wählen Sie eine Antwort."));
    assert_eq!(app.count("benefit_ratings").await, 0);
    // A script gets JSON (with the CSRF header instead of the field).
    let token = app.csrf(&v1).await;
    let r = v1
        .post(app.url(&format!("{path}/nutzwert/bewerten/{a}")))
        .header("Accept", "application/json")
        .header("X-CSRF-Token", &token)
        .form(&[(format!("c{}", c[2]), "9")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let j: Value = r.json().await.unwrap();
    assert_eq!(j["ok"], false);
    assert!(
        j["errors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["field"] == format!("m{a}_c{}", c[2]))
    );
    assert_eq!(app.count("benefit_ratings").await, 0);

    // KO answers: all "ja", except Finanzierbar for the street lights (v1, v2, b2 say no: 3 : 1 → excluded)
    // and Rechtlich zulässig for the app (v1 and b1 say no: 2 : 2 → a tie passes).
    // Scores (Bürgernutzen, Ziele, Kosten):
    //   Parkraum: v1 4 2 1 · v2 3 4 2 · b1 4 4 3 · b2 2 3 2
    //   Licht:    everyone 4 4 0
    //   App:      v1 1 2 5 · v2 2 2 4 · b1 3 1 4 · b2 3 1 4
    let scores: [(&Client, i64, [&str; 5]); 12] = [
        (&v1, a, ["ja", "ja", "4", "2", "1"]),
        (&v2, a, ["ja", "ja", "3", "4", "2"]),
        (&b1, a, ["ja", "ja", "4", "4", "3"]),
        (&b2, a, ["ja", "ja", "2", "3", "2"]),
        (&v1, b, ["ja", "nein", "4", "4", "0"]),
        (&v2, b, ["ja", "nein", "4", "4", "0"]),
        (&b1, b, ["ja", "ja", "4", "4", "0"]),
        (&b2, b, ["ja", "nein", "4", "4", "0"]),
        (&v1, cm, ["nein", "ja", "1", "2", "5"]),
        (&v2, cm, ["ja", "ja", "2", "2", "4"]),
        (&b1, cm, ["nein", "ja", "3", "1", "4"]),
        (&b2, cm, ["ja", "ja", "3", "1", "4"]),
    ];
    // v1 first rates the car park differently: re-submitting replaces (one row per criterion).
    rate_ok(
        &app,
        &v1,
        &path,
        a,
        &[
            (c[0], "nein"),
            (c[1], "nein"),
            (c[2], "0"),
            (c[3], "0"),
            (c[4], "5"),
        ],
    )
    .await;
    for (who, mid, v) in &scores {
        let answers: Vec<(i64, &str)> = c.iter().copied().zip(v.iter().copied()).collect();
        rate_ok(&app, who, &path, *mid, &answers).await;
    }
    assert_eq!(app.count("benefit_ratings").await, 12 * 5);
    // The same answers again from a script: accepted as JSON, still one row per criterion.
    let token = app.csrf(&v2).await;
    let same: Vec<(String, &str)> = c
        .iter()
        .zip(["ja", "ja", "3", "4", "2"])
        .map(|(cid, v)| (format!("c{cid}"), v))
        .collect();
    let r = v2
        .post(app.url(&format!("{path}/nutzwert/bewerten/{a}")))
        .header("Accept", "application/json")
        .header("X-CSRF-Token", &token)
        .form(&same)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let j: Value = r.json().await.unwrap();
    assert_eq!(
        (j["ok"].as_bool(), j["details"]["answers"].as_i64()),
        (Some(true), Some(5))
    );
    assert_eq!(app.count("benefit_ratings").await, 12 * 5);
    // The group is fixed after the first rating.
    let r = app
        .post_form(
            &v1,
            &format!("{path}/nutzwert/gruppe"),
            &[("benefit_group", "politik")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("nicht mehr ändern"));
    let (_, page) = app.get_text(&v1, &path).await;
    assert!(page.contains("Sie bewerten als Verwaltung.") && page.contains("3 von 3"));

    // Hand-computed (benefit = 100 · Σ share · mean/scale; effort = 100 · mean/5; overall = mean of groups):
    //   Parkraum  Verwaltung: means 3.5, 3, 1.5 → 100·(0.75·3.5/4 + 0.25·3/4) = 65.625 + 18.75 = 84.375;
    //                         effort 100·1.5/5 = 30
    //             Bürger:innen: means 3, 3.5, 2.5 → 56.25 + 21.875 = 78.125; effort 50
    //             overall: (84.375 + 78.125)/2 = 81.25, (30 + 50)/2 = 40 → Quick Win, rank 1
    //   App       Verwaltung: 1.5, 2, 4.5 → 28.125 + 12.5 = 40.625; effort 90
    //             Bürger:innen: 3, 1, 4 → 56.25 + 6.25 = 62.5; effort 80
    //             overall: (40.625 + 62.5)/2 = 51.5625, (90 + 80)/2 = 85 → strategisch, rank 2
    //   Licht     Finanzierbar fails 3 : 1 → excluded (benefit 100, effort 0, no rank)
    let j = results_json(&app, &red, id).await;
    let order: Vec<i64> = j["measures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["measure_id"].as_i64().unwrap())
        .collect();
    assert_eq!(order, [a, cm, b]);
    let pa = measure(&j, a);
    close(&pa["benefit"], 81.25);
    close(&pa["effort"], 40.0);
    assert_eq!(pa["rank"], 1);
    assert_eq!(pa["quadrant"], "quick_win");
    assert_eq!(pa["suggested_priority"], "hoch");
    assert_eq!(pa["raters"], 4);
    assert_eq!(pa["groups"][0]["group"], "verwaltung");
    close(&pa["groups"][0]["benefit"], 84.375);
    close(&pa["groups"][0]["effort"], 30.0);
    assert_eq!(pa["groups"][1]["group"], "buergerinnen");
    close(&pa["groups"][1]["benefit"], 78.125);
    close(&pa["groups"][1]["effort"], 50.0);
    let pc = measure(&j, cm);
    close(&pc["benefit"], 51.5625);
    close(&pc["effort"], 85.0);
    assert_eq!(pc["rank"], 2);
    assert_eq!(pc["quadrant"], "strategisch");
    assert_eq!(pc["excluded"], false, "a 2 : 2 tie passes");
    assert_eq!(pc["ko"][0]["passes"], 2);
    assert_eq!(pc["ko"][0]["fails"], 2);
    let pb = measure(&j, b);
    assert_eq!(pb["excluded"], true);
    assert_eq!(pb["failed_ko"], serde_json::json!(["Finanzierbar"]));
    assert_eq!(pb["rank"], Value::Null);
    assert_eq!(pb["quadrant"], Value::Null);
    close(&pb["benefit"], 100.0);
    close(&j["criteria"][2]["share"], 0.75);
    close(&j["criteria"][3]["share"], 0.25);

    // The results page names the exclusion and the KO criterion.
    let (s, page) = app
        .get_text(&app.client(), &format!("{path}/ergebnisse"))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("„Smarte Straßenbeleuchtung“ ist ausgeschlossen"));
    assert!(page.contains("Finanzierbar (3 × Nein, 1 × Ja)"));
    assert!(page.contains("81,3") && page.contains("51,6"));
    // CSV: one row per measure with the group scores.
    let (_, csv) = app.get_text(&red, &format!("{path}/ergebnisse.csv")).await;
    assert!(csv.contains("Nutzen Verwaltung") && csv.contains("Aufwand Bürger:innen"));
    assert!(csv.contains("81,25") && csv.contains("84,38"));
    assert!(csv.contains("ausgeschlossen: Finanzierbar"));

    // After ratings: no new criteria, no change of kind or scale; weights may change.
    let r = app
        .post_form(
            &red,
            &format!("{path}/nutzwert/kriterien"),
            &[
                ("benefit_name", "Nachhaltigkeit"),
                ("benefit_kind", "nutzen"),
                ("benefit_weight", "1"),
                ("benefit_scale", "4"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("schon bewertet"));
    let r = save_criterion(&app, &red, &path, c[2], "Bürgernutzen", "3", "10").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("Art und Skala"));
    // Bürgernutzen weight 1 (shares 0.5 / 0.5): Parkraum V 100·(0.5·3.5/4 + 0.5·3/4) = 81.25,
    // B 100·(0.5·0.75 + 0.5·0.875) = 81.25 → overall 81.25 (unchanged by chance); App V 100·(0.5·0.375 + 0.5·0.5)
    // = 43.75, B 100·(0.5·0.75 + 0.5·0.25) = 50 → 46.875.
    let r = save_criterion(&app, &red, &path, c[2], "Bürgernutzen", "1", "4").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let j = results_json(&app, &red, id).await;
    close(&measure(&j, cm)["benefit"], 46.875);
    close(&measure(&j, a)["benefit"], 81.25);
    let r = save_criterion(&app, &red, &path, c[2], "Bürgernutzen", "3", "4").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    // Bürger:innen count three times as much:
    //   Parkraum: benefit (84.375 + 3·78.125)/4 = 79.6875, effort (30 + 3·50)/4 = 45
    //   App:      benefit (40.625 + 3·62.5)/4 = 57.03125, effort (90 + 3·80)/4 = 82.5
    let r = app
        .post_form(
            &red,
            &format!("{path}/nutzwert/gruppengewichte"),
            &[
                ("benefit_gw_verwaltung", "1"),
                ("benefit_gw_politik", ""),
                ("benefit_gw_expertinnen", ""),
                ("benefit_gw_buergerinnen", "3"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let j = results_json(&app, &red, id).await;
    close(&measure(&j, a)["benefit"], 79.6875);
    close(&measure(&j, a)["effort"], 45.0);
    close(&measure(&j, a)["groups"][1]["weight"], 0.75);
    close(&measure(&j, cm)["benefit"], 57.03125);
    close(&measure(&j, cm)["effort"], 82.5);
}

/// Wirkung and Reichweite (Nutzen, weight 1 each, 0–10), Kosten (Aufwand, 1, 0–10).
const SWAP: [(&str, &str, &str, &str); 3] = [
    ("Wirkung", "nutzen", "1", "10"),
    ("Reichweite", "nutzen", "1", "10"),
    ("Kosten", "aufwand", "1", "10"),
];

/// One expert rates: M1 Wirkung 10, Reichweite 0, Kosten 2 → benefit 50, effort 20 (Quick Win);
/// M2 0, 9, 8 → 45, 80 (zurückstellen); M3 2, 2, 1 → 20, 10 (Füllmaßnahme).
async fn swap_setup(app: &TestApp) -> (Client, i64, String, Vec<i64>, Client) {
    let (red, id, path, m, c) = analysis(
        app,
        &SWAP,
        &["Sensorik Marktplatz", "WLAN Innenstadt", "Infostelen"],
    )
    .await;
    let x = rater(app, &path, "expertinnen").await;
    for (mid, v) in [
        (m[0], ["10", "0", "2"]),
        (m[1], ["0", "9", "8"]),
        (m[2], ["2", "2", "1"]),
    ] {
        let answers: Vec<(i64, &str)> = c.iter().copied().zip(v).collect();
        rate_ok(app, &x, &path, mid, &answers).await;
    }
    (red, id, path, m, x)
}

async fn sensitivity_shows_a_rank_swap_and_the_portfolio_has_a_table(app: TestApp) {
    let (_, id, path, m, _) = swap_setup(&app).await;
    // Wirkung × 0.8: M1 0.8·10/(1.8·10) = 44.4 < M2 0.9/1.8 = 50 → M2 first.
    // Wirkung × 1.2: M1 1.2/2.2 = 54.5, M2 0.9/2.2 = 40.9 → unchanged.
    // Reichweite × 0.8: M1 1/1.8 = 55.6, M2 0.72/1.8 = 40 → unchanged.
    // Reichweite × 1.2: M1 1/2.2 = 45.5 < M2 1.08/2.2 = 49.1 → M2 first.
    // M3 stays third throughout.
    let anon = app.client();
    let j = results_json(&app, &anon, id).await;
    let s = &j["sensitivity"];
    close(&s["delta"], 0.2);
    let cols: Vec<(String, f64)> = s["variations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["name"].as_str().unwrap().to_string(),
                v["factor"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(cols.len(), 4);
    assert_eq!(
        (cols[0].0.as_str(), cols[3].0.as_str()),
        ("Wirkung", "Reichweite")
    );
    assert!((cols[0].1 - 0.8).abs() < 1e-9 && (cols[1].1 - 1.2).abs() < 1e-9);
    let row = |mid: i64| {
        s["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["measure_id"] == mid)
            .unwrap()
            .clone()
    };
    let r1 = row(m[0]);
    assert_eq!(r1["base_rank"], 1);
    assert_eq!(r1["ranks"], serde_json::json!([2, 1, 1, 2]));
    assert_eq!(
        (r1["min_rank"].as_i64(), r1["max_rank"].as_i64()),
        (Some(1), Some(2))
    );
    assert_eq!(r1["stable"], false);
    let r2 = row(m[1]);
    assert_eq!(r2["ranks"], serde_json::json!([1, 2, 2, 1]));
    assert_eq!(r2["stable"], false);
    let r3 = row(m[2]);
    assert_eq!(r3["ranks"], serde_json::json!([3, 3, 3, 3]));
    assert_eq!(r3["stable"], true);
    close(&measure(&j, m[0])["benefit"], 50.0);
    close(&measure(&j, m[1])["benefit"], 45.0);
    assert_eq!(measure(&j, m[1])["quadrant"], "zurueckstellen");
    assert_eq!(measure(&j, m[2])["quadrant"], "fuellmassnahme");

    // The page: the sensitivity table with its columns, the portfolio as an image with a data table.
    let (_, page) = app.get_text(&anon, &format!("{path}/ergebnisse")).await;
    assert!(page.contains("Sensitivität der Rangfolge"));
    assert!(page.contains(">Wirkung −20 %</th>") && page.contains(">Reichweite +20 %</th>"));
    let sens = &page[page.find("benefit-sensitivity").unwrap()..];
    let m1_row = &sens[sens.find(">Sensorik Marktplatz</th>").unwrap()..];
    let m1_row = &m1_row[..m1_row.find("</tr>").unwrap()];
    assert!(m1_row.contains("<strong>nein</strong>"), "{m1_row}");
    assert!(page.contains("role=\"img\""));
    assert!(page.contains("<title id=\"benefit-portfolio-"));
    // Marks follow the list of measures (the city's list is by title: Infostelen, Sensorik, WLAN).
    let svg = &page[page.find("<svg").unwrap()..];
    let desc = &svg[..svg.find("</desc>").unwrap()];
    assert!(
        desc.contains("M2 Sensorik Marktplatz: Quick Win (Nutzen 50, Aufwand 20)"),
        "{desc}"
    );
    assert!(page.contains("<caption>Daten des Portfolios</caption>"));
    assert!(page.contains("<td>M3</td><th scope=\"row\">WLAN Innenstadt</th>"));
    // Unknown ids and other kinds are not in the API.
    assert_eq!(
        app.get(&anon, "/api/v1/participations/999999/benefit")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let (_, survey, _) = format(&app, "umfrage", "gast", &[]).await;
    assert_eq!(
        app.get(&anon, &format!("/api/v1/participations/{survey}/benefit"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

async fn results_are_written_back_to_the_measure_history(app: TestApp) {
    let (red, id, path, m, _) = swap_setup(&app).await;
    let url = format!("{path}/nutzwert/uebernehmen");
    // Nothing chosen, a changed result (the quadrant the editor saw differs), an unknown measure: refused.
    let r = app.post_form(&red, &url, &[]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("mindestens eine Maßnahme"));
    let m0 = m[0].to_string();
    let q0 = format!("q_{}", m[0]);
    let r = app
        .post_form(
            &red,
            &url,
            &[
                ("benefit_writeback", m0.as_str()),
                (q0.as_str(), "strategisch"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("inzwischen geändert"));
    let r = app
        .post_form(&red, &url, &[("benefit_writeback", "999999")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("benefit_writebacks").await, 0);
    // Participants may not write back.
    let g = join_guest(&app, &path).await;
    let r = app
        .post_form(&g, &url, &[("benefit_writeback", m0.as_str())])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(location(&r).starts_with("/anmelden"));

    // The results page offers each placed measure with the quadrant the editor sees.
    let (_, page) = app.get_text(&red, &format!("{path}/ergebnisse")).await;
    assert!(page.contains("Sensorik Marktplatz: Quick Win → Priorität hoch"));
    let city = store::municipalities::by_slug(&app.db, "arnsberg")
        .await
        .unwrap();
    let revisions_before = app.count("measure_revisions").await;
    let fields: Vec<(String, String)> = [
        (m[0], "quick_win"),
        (m[1], "zurueckstellen"),
        (m[2], "fuellmassnahme"),
    ]
    .iter()
    .flat_map(|(mid, q)| {
        [
            ("benefit_writeback".to_string(), mid.to_string()),
            (format!("q_{mid}"), q.to_string()),
        ]
    })
    .collect();
    let f: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let r = app.post_form(&red, &url, &f).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(location(&r).contains("/ergebnisse?ok=benefit-written"));
    for (mid, prio) in [(m[0], "hoch"), (m[1], "niedrig"), (m[2], "niedrig")] {
        let rec = store::measures::record(&app.db, city.id, mid)
            .await
            .unwrap();
        assert_eq!(rec.priority.as_deref(), Some(prio));
        assert_eq!(rec.version, 2, "one new version");
    }
    assert_eq!(app.count("measure_revisions").await, revisions_before + 3);
    assert_eq!(app.count("benefit_writebacks").await, 3);
    let links = store::benefit::writebacks_for_measure(&app.db, m[0])
        .await
        .unwrap();
    assert_eq!(links.len(), 1);
    let (pid, title, benefit, effort, quadrant) = &links[0];
    assert_eq!((*pid, quadrant.as_str()), (id, "quick_win"));
    assert_eq!(title, "Wie soll die Innenstadt 2030 aussehen?");
    assert!((benefit - 50.0).abs() < 1e-9 && (effort - 20.0).abs() < 1e-9);
    // The measure's history shows the change and where it came from.
    let (_, sheet) = app
        .get_text(&red, &format!("/kommunen/arnsberg/massnahmen/{}", m[0]))
        .await;
    assert!(sheet.contains("Priorität"));
    assert!(sheet.contains(
        "hoch (aus Nutzwertanalyse „Wie soll die Innenstadt 2030 aussehen?“: Rang 1, Nutzen 50,0, Aufwand 20,0, Quick Win)"
    ));
    let (_, page) = app
        .get_text(&red, &format!("{path}/ergebnisse?ok=benefit-written"))
        .await;
    assert!(page.contains("Die Prioritäten wurden in die Maßnahmen übernommen."));
    assert!(page.contains("zuletzt übernommen: hoch"));
}

async fn a_raters_data_export_and_deletion_keep_the_results(app: TestApp) {
    let (red, id, path, m, x) = swap_setup(&app).await;
    // A second rater in another group.
    let p = rater(&app, &path, "politik").await;
    let c: Vec<i64> = store::benefit::criteria(&app.db, id)
        .await
        .unwrap()
        .iter()
        .map(|c| c.id)
        .collect();
    rate_ok(
        &app,
        &p,
        &path,
        m[1],
        &[(c[0], "7"), (c[1], "7"), (c[2], "3")],
    )
    .await;
    let before = results_json(&app, &red, id).await;
    close(&measure(&before, m[1])["benefit"], (45.0 + 70.0) / 2.0);

    // The expert's own data: group and every rating with names.
    let r = app.get(&x, &format!("{path}/meine-daten")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let data: Value = r.json().await.unwrap();
    let own = &data["beitraege"];
    assert_eq!(own["gruppe"], "Expert:innen");
    let ratings = own["bewertungen"].as_array().unwrap();
    assert_eq!(ratings.len(), 9);
    assert!(
        ratings
            .iter()
            .any(|r| r["massnahme"] == "Sensorik Marktplatz"
                && r["kriterium"] == "Wirkung"
                && r["antwort"] == 10
                && r["skala_bis"] == 10)
    );

    // Deleting the personal data keeps the ratings (anonymous) and the results.
    let r = app
        .post_form(&x, &format!("{path}/meine-daten/loeschen"), &[])
        .await;
    assert_eq!(location(&r), format!("{path}?ok=deleted"));
    assert_eq!(
        app.count("participants WHERE anonymised_at IS NOT NULL")
            .await,
        1
    );
    assert_eq!(app.count("benefit_ratings").await, 12);
    let after = results_json(&app, &red, id).await;
    assert_eq!(before["measures"], after["measures"]);
    assert_eq!(before["sensitivity"], after["sensitivity"]);
    // The deleted rater can no longer rate.
    let r = rate(
        &app,
        &x,
        &path,
        m[0],
        &[(c[0], "1"), (c[1], "1"), (c[2], "1")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("benefit_ratings").await, 12);
}

async fn benefit_pages_pass_axe_for_raters_and_editors(app: TestApp) {
    let (_, id, path, m, _) = swap_setup(&app).await;
    let b = Browser::start().await;
    b.visit(&app, &path).await;
    b.click("#f-consent").await;
    b.submit("#join-submit").await;
    b.wait_css("#benefit-group-submit").await;
    b.axe("benefit (group choice)").await;
    b.click("#f-benefit_group").await;
    b.submit("#benefit-group-submit").await;
    b.wait_css(&format!("#benefit-rate-{}", m[0])).await;
    b.axe("benefit (rating forms)").await;
    // Only one answer given: the summary and the radio groups in their error state pass axe.
    let c = store::benefit::criteria(&app.db, id).await.unwrap();
    b.click(&format!("#f-m{}_c{}-7", m[0], c[0].id)).await;
    b.submit(&format!("#benefit-rate-{}", m[0])).await;
    b.wait_css(".error-summary").await;
    b.axe("benefit (rating errors)").await;
    let page = b.client.source().await.expect("source");
    assert!(page.contains(&format!("href=\"#f-m{}_c{}\"", m[0], c[1].id)));
    b.visit(&app, &format!("{path}/ergebnisse")).await;

    // The editor's setup panel and the results with the write-back form.
    b.visit(&app, "/anmelden").await;
    b.fill("f-email", "red@x.de").await;
    b.fill("f-password", PASSWORD).await;
    b.submit("main form button[type=submit]").await;
    b.wait_for_path("/").await;
    let page = b.visit(&app, &path).await;
    assert!(page.contains("Nutzwertanalyse einrichten"));
    let page = b.visit(&app, &format!("{path}/ergebnisse")).await;
    assert!(page.contains("Prioritäten übernehmen"));
    b.stop().await;
}

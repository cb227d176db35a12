//! Every role against every page and API route of the foundation, allowed and denied, checked against a
//! declared table. Denied requests change nothing; allowed ones are sent with empty input so that they
//! reach validation without changing anything either.

use crate::case;
use crate::harness::{Case, TestApp, location};
use reqwest::StatusCode;

pub fn cases() -> Vec<Case> {
    vec![case!(every_role_against_every_route)]
}

/// A POST route, its form fields and the expected answers per role.
type PostRow = (String, Vec<(&'static str, &'static str)>, &'static str);

/// Columns of the table.
const ROLES: [&str; 7] = [
    "public",
    "participant",
    "editor",
    "coordinator",
    "other-coordinator",
    "steering",
    "admin",
];

/// Expected answers: O 200, L 303 to the log-in page, R 303 elsewhere, F 403, N 404, G 410, U 422.
fn code(c: char) -> StatusCode {
    match c {
        'O' => StatusCode::OK,
        'L' | 'R' => StatusCode::SEE_OTHER,
        'F' => StatusCode::FORBIDDEN,
        'N' => StatusCode::NOT_FOUND,
        'G' => StatusCode::GONE,
        'U' => StatusCode::UNPROCESSABLE_ENTITY,
        _ => panic!("unknown code {c}"),
    }
}

async fn every_role_against_every_route(app: TestApp) {
    app.municipality("arnsberg", "Arnsberg", "05958004", 73_456)
        .await;
    app.municipality("siegen", "Siegen", "05970040", 101_943)
        .await;
    app.user("participant@x.de", None, &[("arnsberg", "participant")])
        .await;
    let editor = app
        .user("editor@x.de", None, &[("arnsberg", "editor")])
        .await;
    app.user("coordinator@x.de", None, &[("arnsberg", "coordinator")])
        .await;
    app.user("other-coordinator@x.de", None, &[("siegen", "coordinator")])
        .await;
    app.user("steering@x.de", Some("steering"), &[]).await;
    app.user("admin@x.de", Some("admin"), &[]).await;

    let e = editor.to_string();
    let a = store::municipalities::by_slug(&app.db, "arnsberg")
        .await
        .expect("arnsberg")
        .id;
    let m = crate::strategy::measure(
        &app,
        a,
        "Interne Maßnahme",
        domain::visibility::Visibility::Intern,
        "idee",
    )
    .await;
    let mp = format!("/kommunen/arnsberg/massnahmen/{m}");
    let get: Vec<(String, &str)> = vec![
        ("/".into(), "OOOOOOO"),
        ("/kommunen/arnsberg".into(), "OOOOOOO"),
        ("/kommunen/nirgendwo".into(), "NNNNNNN"),
        ("/impressum".into(), "OOOOOOO"),
        ("/datenschutz".into(), "OOOOOOO"),
        ("/barrierefreiheit".into(), "OOOOOOO"),
        ("/anmelden".into(), "ORRRRRR"),
        ("/passwort-vergessen".into(), "OOOOOOO"),
        (format!("/passwort-neu/{}", "a".repeat(64)), "GGGGGGG"),
        (format!("/einladung/{}", "a".repeat(64)), "GGGGGGG"),
        ("/konto".into(), "LOOOOOO"),
        ("/admin/kommunen".into(), "LFFFFFO"),
        ("/admin/kommunen/neu".into(), "LFFFFFO"),
        ("/admin/kommunen/arnsberg/bearbeiten".into(), "LFFFFFO"),
        ("/admin/benutzer".into(), "LFFFFFO"),
        ("/admin/seiten/impressum".into(), "LFFFFFO"),
        ("/kommunen/arnsberg/mitglieder".into(), "LFFOFFO"),
        ("/kommunen/siegen/mitglieder".into(), "LFFFOFO"),
        ("/api/v1/municipalities".into(), "OOOOOOO"),
        ("/api/v1/municipalities/arnsberg".into(), "OOOOOOO"),
        ("/api/openapi.json".into(), "OOOOOOO"),
        ("/healthz".into(), "OOOOOOO"),
        ("/metrics".into(), "OOOOOOO"),
        ("/static/app.css".into(), "OOOOOOO"),
        ("/kommunen/arnsberg/prozess".into(), "OOOOOOO"),
        ("/kommunen/arnsberg/leitbild".into(), "LOOONOO"),
        ("/kommunen/arnsberg/leitbild/bearbeiten".into(), "LFOOFFO"),
        ("/kommunen/arnsberg/handlungsfelder".into(), "OOOOOOO"),
        ("/kommunen/arnsberg/akteure".into(), "LFOOFFO"),
        ("/kommunen/arnsberg/massnahmen".into(), "OOOOOOO"),
        ("/kommunen/arnsberg/massnahmen.csv".into(), "OOOOOOO"),
        ("/kommunen/arnsberg/massnahmen.xlsx".into(), "OOOOOOO"),
        ("/kommunen/arnsberg/massnahmen/neu".into(), "LFOOFFO"),
        ("/kommunen/arnsberg/massnahmen/vorlagen".into(), "LFOOFFO"),
        (mp.clone(), "NOOONOO"),
        (format!("{mp}/bearbeiten"), "LFOOFFO"),
        (format!("{mp}/projektblatt.json"), "NOOONOO"),
        (format!("{mp}/projektblatt.md"), "NOOONOO"),
        (
            format!("/api/v1/municipalities/arnsberg/measures/{m}"),
            "NOOONOO",
        ),
        ("/api/v1/municipalities/arnsberg/measures".into(), "OOOOOOO"),
        ("/netzwerk".into(), "LFFFFOO"),
        ("/admin/taxonomien".into(), "LFFFFFO"),
        ("/admin/vorlagen".into(), "LFFFFFO"),
        ("/kommunen/arnsberg/werkstaetten".into(), "OOOOOOO"),
        ("/kommunen/arnsberg/werkstaetten.ics".into(), "OOOOOOO"),
        ("/kommunen/arnsberg/werkstaetten/neu".into(), "LFOOFFO"),
        ("/kommunen/arnsberg/werkstaetten/999999".into(), "NNNNNNN"),
    ];
    let post: Vec<PostRow> = vec![
        ("/admin/kommunen/neu".into(), vec![], "LFFFFFU"),
        (
            "/admin/kommunen/arnsberg/bearbeiten".into(),
            vec![],
            "LFFFFFU",
        ),
        ("/admin/benutzer/einladen".into(), vec![], "LFFFFFU"),
        (format!("/admin/benutzer/{e}/rolle"), vec![], "LFFFFFU"),
        (
            format!("/admin/benutzer/{e}/rolle-entziehen"),
            vec![("what", "")],
            "LFFFFFN",
        ),
        ("/admin/seiten/impressum".into(), vec![], "LFFFFFU"),
        (
            "/kommunen/arnsberg/mitglieder/einladen".into(),
            vec![],
            "LFFUFFU",
        ),
        (
            format!("/kommunen/arnsberg/mitglieder/{e}/rolle"),
            vec![("role", "")],
            "LFFUFFU",
        ),
        (
            "/kommunen/arnsberg/mitglieder/999999/entfernen".into(),
            vec![],
            "LFFNFFN",
        ),
        (
            "/kommunen/siegen/mitglieder/einladen".into(),
            vec![],
            "LFFFUFU",
        ),
        ("/konto/passwort".into(), vec![], "LUUUUUU"),
        (
            "/kommunen/arnsberg/massnahmen/neu".into(),
            vec![],
            "LFUUFFU",
        ),
        (format!("{mp}/bearbeiten"), vec![], "LFUUFFU"),
        (
            format!("{mp}/status"),
            vec![("from", "idee"), ("to", "umsetzung")],
            "LFUUFFU",
        ),
        (format!("{mp}/abhaengigkeiten"), vec![], "LFUUFFU"),
        (format!("{mp}/partner"), vec![], "LFUUFFU"),
        (format!("{mp}/raci"), vec![], "LFUUFFU"),
        (format!("{mp}/kpis"), vec![], "LFUUFFU"),
        (format!("{mp}/kpis/999999/messwerte"), vec![], "LFUUFFU"),
        (format!("{mp}/meilensteine"), vec![], "LFUUFFU"),
        (
            "/kommunen/arnsberg/massnahmen/aus-vorlage/999999".into(),
            vec![],
            "LFNNFFN",
        ),
        (
            "/kommunen/arnsberg/massnahmen/kopieren/999999".into(),
            vec![],
            "LFNNFFN",
        ),
        (
            "/kommunen/arnsberg/leitbild/bearbeiten".into(),
            vec![],
            "LFUUFFU",
        ),
        (
            "/kommunen/arnsberg/leitbild/status".into(),
            vec![],
            "LFFNFFN",
        ),
        (
            "/kommunen/arnsberg/leitbild/sichtbarkeit".into(),
            vec![],
            "LFFNFFN",
        ),
        (
            "/kommunen/arnsberg/leitbild/kommentare".into(),
            vec![],
            "LNNNFNN",
        ),
        (
            "/kommunen/arnsberg/handlungsfelder".into(),
            vec![],
            "LFNNFFN",
        ),
        (
            "/kommunen/arnsberg/handlungsfelder/ziele".into(),
            vec![],
            "LFUUFFU",
        ),
        ("/kommunen/arnsberg/akteure".into(), vec![], "LFUUFFU"),
        (
            "/kommunen/arnsberg/prozess/phasen/999999".into(),
            vec![],
            "LFFNFFN",
        ),
        (
            "/kommunen/arnsberg/prozess/meilensteine".into(),
            vec![],
            "LFUUFFU",
        ),
        ("/admin/taxonomien".into(), vec![], "LFFFFFU"),
        ("/admin/taxonomien/999999".into(), vec![], "LFFFFFU"),
        ("/admin/prozessvorlage/1".into(), vec![], "LFFFFFU"),
        ("/admin/prozessvorlage".into(), vec![], "LFFFFFU"),
        (
            "/kommunen/arnsberg/werkstaetten/neu".into(),
            vec![],
            "LFUUFFU",
        ),
        (
            "/kommunen/arnsberg/werkstaetten/999999/agenda".into(),
            vec![],
            "LFNNFFN",
        ),
        (
            "/kommunen/arnsberg/werkstaetten/999999/anmelden".into(),
            vec![],
            "LNNNNNN",
        ),
        (
            "/kommunen/arnsberg/werkstaetten/999999/abmelden".into(),
            vec![],
            "LNNNNNN",
        ),
        (
            "/kommunen/arnsberg/werkstaetten/999999/teilnahme".into(),
            vec![],
            "LFNNFFN",
        ),
        (
            "/kommunen/arnsberg/werkstaetten/999999/einladen".into(),
            vec![],
            "LFNNFFN",
        ),
        ("/admin/vorlagen/aus-massnahme".into(), vec![], "LFFFFFN"),
        (
            "/admin/vorlagen/999999/veroeffentlichen".into(),
            vec![],
            "LFFFFFN",
        ),
        ("/passwort-vergessen".into(), vec![], "UUUUUUU"),
        ("/anmelden".into(), vec![], "UUUUUUU"),
        (
            "/sprache".into(),
            vec![("lang", "de"), ("back", "/")],
            "RRRRRRR",
        ),
        // Last: it ends the session.
        ("/abmelden".into(), vec![], "RRRRRRR"),
    ];

    let snapshot = |app: &TestApp| {
        let app_db = app.db.clone();
        async move {
            let ms = store::municipalities::list(&app_db).await.expect("m");
            let us = store::users::list(&app_db).await.expect("u");
            let mem = store::users::all_memberships(&app_db).await.expect("mem");
            format!(
                "{ms:?}{:?}{mem:?}",
                us.iter()
                    .map(|u| (&u.email, &u.network_role))
                    .collect::<Vec<_>>()
            )
        }
    };
    let before = snapshot(&app).await;
    let mut failures = Vec::new();
    for (col, role) in ROLES.iter().enumerate() {
        let client = if *role == "public" {
            app.client()
        } else {
            app.login(&format!("{role}@x.de")).await
        };
        for (path, expect) in &get {
            let want = expect.chars().nth(col).expect("column");
            let r = app.get(&client, path).await;
            if r.status() != code(want)
                || (want == 'L' && !location(&r).starts_with("/anmelden?next="))
            {
                failures.push(format!(
                    "GET {path} as {role}: want {want} ({}), got {} → {}",
                    code(want),
                    r.status(),
                    location(&r)
                ));
            }
        }
        for (path, fields, expect) in &post {
            let want = expect.chars().nth(col).expect("column");
            let r = app.post_form(&client, path, fields).await;
            if r.status() != code(want)
                || (want == 'L' && !location(&r).starts_with("/anmelden?next="))
            {
                failures.push(format!(
                    "POST {path} as {role}: want {want} ({}), got {} → {}",
                    code(want),
                    r.status(),
                    location(&r)
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "access table violated:\n{}",
        failures.join("\n")
    );
    assert_eq!(
        before,
        snapshot(&app).await,
        "no request of the table changed data"
    );
}

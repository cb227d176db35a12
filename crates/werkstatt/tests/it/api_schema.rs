//! The OpenAPI document, exercised by schemathesis (PyPI) against a server with the demo data: generated and
//! mutated requests to every operation — reads anonymously, writes with a real API token of Arnsberg with
//! both scopes — must never answer 5xx, and every answer must match the schema the document declares.
//! The number of examples is bounded so that a run takes about a minute per database.

use crate::case;
use crate::harness::{Case, Needs, TestApp};
use reqwest::StatusCode;

pub fn cases() -> Vec<Case> {
    vec![case!(
        schemathesis_finds_no_server_error_and_no_schema_mismatch,
        Needs::Schemathesis
    )]
}

/// Examples per operation (schemathesis' `--max-examples`); `WERKSTATT_SCHEMATHESIS_EXAMPLES` overrides it
/// for a longer run by hand.
const EXAMPLES: u32 = 25;

async fn schemathesis_finds_no_server_error_and_no_schema_mismatch(app: TestApp) {
    web::demo::load(&app.db).await.expect("demo");
    app.user("st-koord@x.de", None, &[("arnsberg", "coordinator")])
        .await;
    let koord = app.login("st-koord@x.de").await;
    let r = app
        .post_form(
            &koord,
            "/kommunen/arnsberg/schnittstellen",
            &[
                ("name", "schemathesis"),
                ("scopes", "progress:write"),
                ("scopes", "measures:write"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK, "token created");
    let page = r.text().await.expect("page");
    let token = regex::Regex::new(r#"id="token-secret"[^>]*value="(wkt_[0-9a-f]{64})""#)
        .expect("regex")
        .captures(&page)
        .map(|c| c[1].to_string())
        .expect("token shown");
    let examples = std::env::var("WERKSTATT_SCHEMATHESIS_EXAMPLES")
        .ok()
        .and_then(|v| v.parse::<u32>().ok())
        .unwrap_or(EXAMPLES);
    let schema = app.url("/api/openapi.json");
    let dir = app.tmp.path().join("schemathesis");
    std::fs::create_dir_all(&dir).expect("dir");
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new("schemathesis")
            .current_dir(&dir)
            .env("NO_COLOR", "1")
            .env("SCHEMATHESIS_HOOKS", "")
            .args([
                "run",
                &schema,
                "--checks",
                "not_a_server_error,response_schema_conformance",
                "--max-examples",
                &examples.to_string(),
                // Stateful testing is left out: its links are inferred by schemathesis from the bodies and
                // it mis-maps `slug` onto participation paths (an error in the inference, not the API).
                "--phases",
                "coverage,fuzzing",
                "--seed",
                "20260701",
                "--workers",
                "2",
                "--request-timeout",
                "20",
                "--header",
                &format!("Authorization: Bearer {token}"),
            ])
            .output()
            .expect("run schemathesis")
    })
    .await
    .expect("join");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    eprintln!("{stdout}");
    assert!(
        out.status.success(),
        "schemathesis failed ({}):\n{stdout}\n{stderr}",
        out.status
    );
    assert!(
        stdout.contains("passed") || stdout.contains("PASSED"),
        "schemathesis ran no test:\n{stdout}"
    );
}

//! `werkstatt opinions analyze` on a Pol.is export written to a temporary folder; needs no database.

use opinion::synthetic::{Planted, planted};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn export(dir: &Path) -> (PathBuf, PathBuf) {
    let data = planted(&Planted {
        participants: 240,
        statements: 30,
        groups: 3,
        votes_per_participant: 20,
        noise: 0.1,
        consensus: 2,
        seed: 9,
    });
    let (comments, votes) = (dir.join("comments.csv"), dir.join("votes.csv"));
    opinion::polis::write(
        &data.conversation,
        std::fs::File::create(&comments).expect("comments.csv"),
        std::fs::File::create(&votes).expect("votes.csv"),
    )
    .expect("writing the export");
    (comments, votes)
}

fn werkstatt(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_werkstatt"))
        .args(args)
        .env_remove("DATABASE_URL")
        .output()
        .expect("running werkstatt")
}

#[test]
fn analyze_prints_json_and_a_summary() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (comments, votes) = export(dir.path());
    let base = [
        "opinions".as_ref(),
        "analyze".as_ref(),
        "--comments".as_ref(),
        comments.as_os_str(),
        "--votes".as_ref(),
        votes.as_os_str(),
    ];

    let mut with_json = base.to_vec();
    with_json.push("--json".as_ref());
    let out = werkstatt(&with_json);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(json["k"], 3);
    assert_eq!(json["participants"].as_array().map(Vec::len), Some(240));
    let first = &json["participants"][0];
    assert!(first["x"].is_f64() && first["y"].is_f64() && first["group"].is_u64());
    let rep = &json["groups"][0]["representative"][0];
    assert!(
        rep["text"]
            .as_str()
            .is_some_and(|t| t.starts_with("Aussage "))
    );
    assert!(json["consensus"].as_array().is_some_and(|c| c.len() >= 2));

    let out = werkstatt(&base);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("3 Meinungsgruppen"), "{text}");
    assert!(
        text.contains("Gruppe A") && text.contains("Konsens"),
        "{text}"
    );
}

#[test]
fn a_missing_file_is_an_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("nope.csv");
    let out = werkstatt(&[
        "opinions".as_ref(),
        "analyze".as_ref(),
        "--comments".as_ref(),
        missing.as_os_str(),
        "--votes".as_ref(),
        missing.as_os_str(),
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("nope.csv"));
}

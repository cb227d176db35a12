//! `werkstatt export concept`: writes the Umsetzungskonzept of a demo city as PDF (parsed back) and refuses
//! unknown cities and formats with a clear message.

use std::path::Path;
use std::process::{Command, Output};

fn werkstatt(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_werkstatt"))
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .env_remove("DATABASE_URL")
        .env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LIB_BACKTRACE")
        .output()
        .expect("running werkstatt")
}

#[test]
fn export_concept_writes_a_pdf_and_explains_bad_input() {
    let dir = tempfile::tempdir().expect("tempdir");
    let demo = werkstatt(dir.path(), &["demo"]);
    assert!(
        demo.status.success(),
        "{}",
        String::from_utf8_lossy(&demo.stderr)
    );
    let out = dir.path().join("konzept.pdf");
    let out_s = out.to_str().expect("utf-8 path");
    let run = werkstatt(
        dir.path(),
        &[
            "export",
            "concept",
            "--municipality",
            "arnsberg",
            "--format",
            "pdf",
            "--out",
            out_s,
        ],
    );
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(String::from_utf8_lossy(&run.stdout).contains("Umsetzungskonzept arnsberg"));
    let bytes = std::fs::read(&out).expect("pdf written");
    let text = pdf_extract::extract_text_from_mem(&bytes).expect("parse PDF");
    assert!(text.contains("Umsetzungskonzept") && text.contains("Arnsberg"));

    let md = dir.path().join("konzept.md");
    let run = werkstatt(
        dir.path(),
        &[
            "export",
            "concept",
            "--municipality",
            "arnsberg",
            "--format",
            "md",
            "--out",
            md.to_str().expect("path"),
        ],
    );
    assert!(run.status.success());
    let text = std::fs::read_to_string(&md).expect("md");
    assert!(text.starts_with("# Smart-City-Umsetzungskonzept Arnsberg"));

    let unknown = werkstatt(
        dir.path(),
        &[
            "export",
            "concept",
            "--municipality",
            "atlantis",
            "--out",
            out_s,
        ],
    );
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("Kommune „atlantis“ nicht gefunden"));
    let bad = werkstatt(
        dir.path(),
        &[
            "export",
            "concept",
            "--municipality",
            "arnsberg",
            "--format",
            "docx",
            "--out",
            out_s,
        ],
    );
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("docx"));
}

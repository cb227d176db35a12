//! `werkstatt export …`: documents from the command line.

use crate::DbArgs;
use anyhow::Context;
use clap::{Args, Subcommand};
use domain::visibility::Visibility;
use std::path::PathBuf;
use web::concept::FileKind;
use web::{AppState, Config};

#[derive(Subcommand)]
pub enum ExportCommand {
    /// The Umsetzungskonzept of a municipality as PDF, Markdown or HTML.
    Concept(ConceptArgs),
}

#[derive(Args)]
pub struct ConceptArgs {
    #[command(flatten)]
    db: DbArgs,
    /// Slug of the municipality, e.g. `arnsberg`.
    #[arg(long)]
    municipality: String,
    /// Output format.
    #[arg(long, value_parser = ["pdf", "md", "html"], default_value = "pdf")]
    format: String,
    /// File to write.
    #[arg(long)]
    out: PathBuf,
    /// Audience: only content it may see goes into the document.
    #[arg(long, value_parser = ["oeffentlich", "netzwerk", "intern"], default_value = "oeffentlich")]
    audience: String,
    /// A published version (its number) instead of the current data.
    #[arg(long)]
    version: Option<i64>,
}

pub async fn run(command: ExportCommand) -> anyhow::Result<()> {
    match command {
        ExportCommand::Concept(a) => concept(a).await,
    }
}

async fn concept(a: ConceptArgs) -> anyhow::Result<()> {
    let kind = FileKind::from_format(&a.format)
        .with_context(|| format!("unbekanntes Format „{}“ (pdf, md, html)", a.format))?;
    let audience = Visibility::parse(&a.audience)
        .map_err(|_| anyhow::anyhow!("unbekannte Zielgruppe „{}“", a.audience))?;
    let db = a.db.open().await?;
    let state = AppState::new(db, Config::new(([127, 0, 0, 1], 0).into(), &a.db.data_dir));
    let concept = match web::concept::load_for(&state, &a.municipality, audience, a.version).await {
        Ok(c) => c,
        Err(web::error::AppError::NotFound) => anyhow::bail!(match a.version {
            Some(n) => format!(
                "Kommune „{}“ oder ihre Fassung {n} nicht gefunden (oder nicht für diese Zielgruppe)",
                a.municipality
            ),
            None => format!("Kommune „{}“ nicht gefunden", a.municipality),
        }),
        Err(e) => return Err(anyhow::anyhow!("Umsetzungskonzept: {e}")),
    };
    let measures = concept.measures.len();
    let bytes = web::concept::render_file(concept, kind)
        .await
        .map_err(|e| anyhow::anyhow!("Umsetzungskonzept: {e}"))?;
    std::fs::write(&a.out, &bytes)
        .with_context(|| format!("kann {} nicht schreiben", a.out.display()))?;
    println!(
        "Umsetzungskonzept {} ({measures} Maßnahmen, {} Bytes) nach {} geschrieben.",
        a.municipality,
        bytes.len(),
        a.out.display()
    );
    Ok(())
}

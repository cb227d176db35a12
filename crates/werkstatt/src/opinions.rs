//! `werkstatt opinions …`: the opinion map (crate `opinion`) on the files of a Pol.is export. Needs no
//! database.

use anyhow::Context;
use clap::{Args, Subcommand};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Subcommand)]
pub enum OpinionsCommand {
    /// Analyse a Pol.is export: opinion groups, every participant's group and map position,
    /// representative and consensus statements.
    Analyze(AnalyzeArgs),
}

#[derive(Args)]
pub struct AnalyzeArgs {
    /// The export's `comments.csv`.
    #[arg(long)]
    comments: PathBuf,
    /// The export's `votes.csv`.
    #[arg(long)]
    votes: PathBuf,
    /// Print the whole analysis as JSON instead of a summary.
    #[arg(long)]
    json: bool,
    /// Largest number of groups tried.
    #[arg(long, default_value_t = opinion::Options::default().max_k)]
    max_k: usize,
}

pub fn run(command: OpinionsCommand) -> anyhow::Result<()> {
    match command {
        OpinionsCommand::Analyze(args) => analyze(&args),
    }
}

fn open(path: &Path) -> anyhow::Result<std::io::BufReader<std::fs::File>> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    Ok(std::io::BufReader::new(file))
}

fn analyze(args: &AnalyzeArgs) -> anyhow::Result<()> {
    let conversation = opinion::polis::read(open(&args.comments)?, open(&args.votes)?)
        .context("reading the Pol.is export")?;
    let options = opinion::Options {
        max_k: args.max_k,
        ..opinion::Options::default()
    };
    let analysis = opinion::analyze(&conversation, &options);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if args.json {
        serde_json::to_writer_pretty(&mut out, &analysis)?;
        writeln!(out)?;
    } else {
        summary(&mut out, &conversation, &analysis)?;
    }
    out.flush()?;
    Ok(())
}

fn percent(p: f64) -> String {
    format!("{:.0} %", p * 100.0)
}

/// Two decimals with a decimal comma.
fn decimal(x: f64) -> String {
    format!("{x:.2}").replace('.', ",")
}

fn summary(
    out: &mut impl Write,
    c: &opinion::Conversation,
    a: &opinion::Analysis,
) -> std::io::Result<()> {
    let clustered = a.participants.iter().filter(|p| p.group.is_some()).count();
    writeln!(
        out,
        "Meinungsbild: {} Teilnehmende ({clustered} in Gruppen), {} Aussagen, {} Stimmen",
        a.participants.len(),
        c.statements.iter().filter(|s| !s.moderated_out).count(),
        c.votes.len()
    )?;
    let tried: Vec<String> = a
        .candidates
        .iter()
        .map(|k| format!("k={}: {}", k.k, decimal(k.silhouette)))
        .collect();
    writeln!(
        out,
        "{} Meinungsgruppen (Silhouette {}; {})",
        a.k,
        decimal(a.silhouette),
        if tried.is_empty() {
            "keine Alternativen".to_string()
        } else {
            tried.join(", ")
        }
    )?;
    for g in &a.groups {
        let name = char::from(b'A' + (g.id % 26) as u8);
        writeln!(out, "\nGruppe {name} ({} Teilnehmende)", g.members.len())?;
        for r in &g.representative {
            let (sign, verb) = if r.agree {
                ('+', "stimmen zu")
            } else {
                ('-', "lehnen ab")
            };
            writeln!(
                out,
                "  {sign} {} {verb}: {}",
                percent(r.probability),
                r.text
            )?;
        }
    }
    if !a.consensus.is_empty() {
        writeln!(out, "\nKonsens über alle Gruppen")?;
        for s in &a.consensus {
            let (sign, verb) = if s.agree {
                ('+', "Zustimmung")
            } else {
                ('-', "Ablehnung")
            };
            writeln!(
                out,
                "  {sign} {} {verb}: {}",
                percent(s.probability),
                s.text
            )?;
        }
    }
    Ok(())
}

//! Search benchmark: build the index from N synthetic German documents (default 100,000) and measure
//! per-query latency (p50/p99) over a set of queries as three kinds of viewer; as a peer in the same run,
//! a naive case-insensitive substring scan over the same texts (what `LIKE '%…%'` would do, without
//! stemming). Usage: `cargo run --release -p search --example search_bench [docs] [rounds]`.

use domain::visibility::Visibility;
use search::{Document, Index, Kind, Query, Viewer};
use std::time::{Duration, Instant};

/// A small deterministic generator (xorshift64*), so that every run indexes the same documents.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn pick<'a>(&mut self, v: &[&'a str]) -> &'a str {
        v[(self.next() % v.len() as u64) as usize]
    }
}

const NOUNS: &[&str] = &[
    "Parkplatz",
    "Parkplätze",
    "Innenstadtparkplatz",
    "Radweg",
    "Radwege",
    "Ladestation",
    "Ladestationen",
    "Bürgerbeteiligung",
    "Verkehrsplanung",
    "Klimaschutz",
    "Sensoren",
    "Datenplattform",
    "Marktplatz",
    "Stadtteil",
    "Quartier",
    "Bibliothek",
    "Schule",
    "Bahnhof",
    "Wärmenetz",
    "Straßenbeleuchtung",
    "Mobilitätsstation",
    "Bushaltestelle",
    "Fußgängerzone",
    "Energieberatung",
    "Jugendzentrum",
    "Seniorenheim",
    "Breitband",
    "Glasfaser",
    "Verwaltung",
    "Bürgerportal",
    "Leerstand",
    "Einzelhandel",
];
const WORDS: &[&str] = &[
    "digital",
    "neue",
    "sichere",
    "mehr",
    "Förderung",
    "Konzept",
    "Umsetzung",
    "Ausbau",
    "Pilot",
    "Projekt",
    "Stadt",
    "Kommune",
    "Bürgerinnen",
    "Bürger",
    "offen",
    "Daten",
    "vernetzt",
    "nachhaltig",
    "Angebot",
    "schnell",
    "barrierefrei",
    "gemeinsam",
    "Zukunft",
    "Wirtschaft",
    "Handel",
    "Umwelt",
    "Luft",
    "Lärm",
];
const FILL: &[&str] = &[
    "der", "die", "und", "mit", "für", "in", "am", "zum", "von", "eine",
];

fn text(r: &mut Rng, words: usize) -> String {
    let mut out = Vec::with_capacity(words);
    for i in 0..words {
        out.push(match i % 3 {
            0 => r.pick(NOUNS),
            1 => r.pick(WORDS),
            _ => r.pick(FILL),
        });
    }
    out.join(" ")
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let n: usize = args
        .next()
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(100_000);
    let rounds: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(20);
    let mut r = Rng(0x9e37_79b9_7f4a_7c15);
    let cities = 40;
    let docs: Vec<Document> = (0..n)
        .map(|i| {
            let city = (r.next() % cities) as i64 + 1;
            let vis = Visibility::ALL[(r.next() % 3) as usize];
            let title_words = 3 + (r.next() % 4) as usize;
            let body_words = 30 + (r.next() % 60) as usize;
            Document {
                kind: Kind::ALL[i % Kind::ALL.len()],
                id: i as i64,
                municipality_id: city,
                municipality_slug: format!("stadt-{city}"),
                municipality_name: format!("Stadt {city}"),
                field_ids: vec![(r.next() % 12) as i64 + 1],
                visibility: vis,
                title: text(&mut r, title_words),
                body: text(&mut r, body_words),
                url: format!("/x/{i}"),
            }
        })
        .collect();

    let index = Index::new_in_ram()?;
    let t = Instant::now();
    index.replace_all(&docs)?;
    let build = t.elapsed();
    println!(
        "indexed {} documents in {:.2} s ({:.0} docs/s)",
        index.len(),
        build.as_secs_f64(),
        n as f64 / build.as_secs_f64()
    );

    let queries = [
        "Parkplätze",
        "Parkplatz Innenstadt",
        "Ladestationen",
        "Bürgerbeteiligung digital",
        "Klimaschutz",
        "Verkehrsplanung",
        "Radwege sicher",
        "Glasfaser Ausbau",
        "Wärmenetz",
        "Leerstand Handel",
    ];
    let viewers = [
        ("anonymous", Viewer::anonymous()),
        (
            "member of 2 cities",
            Viewer {
                member_of: vec![1, 2],
                ..Default::default()
            },
        ),
        (
            "network admin",
            Viewer {
                all: true,
                ..Default::default()
            },
        ),
    ];
    let mut all = Vec::new();
    println!(
        "{:<28} {:>9} {:>9} {:>9}",
        "query", "results", "p50 ms", "p99 ms"
    );
    for q in queries {
        let query = Query::parse(Some(q), None, None, None, None).map_err(|e| format!("{e:?}"))?;
        let mut times = Vec::new();
        let mut total = 0;
        for _ in 0..rounds {
            for (_, v) in &viewers {
                let t = Instant::now();
                let res = index.search(&query, v)?;
                times.push(t.elapsed());
                total = total.max(res.total);
            }
        }
        times.sort();
        println!(
            "{q:<28} {total:>9} {:>9.2} {:>9.2}",
            ms(percentile(&times, 0.5)),
            ms(percentile(&times, 0.99))
        );
        all.extend(times);
    }
    all.sort();
    let (p50, p99) = (percentile(&all, 0.5), percentile(&all, 0.99));
    println!(
        "all queries ({} runs: 20 results, facets, snippets, visibility filter): p50 {:.2} ms, p99 {:.2} ms",
        all.len(),
        ms(p50),
        ms(p99)
    );

    // Peer: a substring scan over the same texts (no stemming, no facets, no ranking).
    let lowered: Vec<String> = docs
        .iter()
        .map(|d| format!("{} {}", d.title, d.body).to_lowercase())
        .collect();
    let mut scans = Vec::new();
    for q in queries {
        let needle = q.split_whitespace().next().unwrap_or(q).to_lowercase();
        for _ in 0..3 {
            let t = Instant::now();
            let hits = lowered.iter().filter(|s| s.contains(&needle)).count();
            scans.push(t.elapsed());
            std::hint::black_box(hits);
        }
    }
    scans.sort();
    let scan50 = percentile(&scans, 0.5);
    println!(
        "peer: substring scan of one word over all texts: p50 {:.2} ms -> index is {:.0}x faster at p50",
        ms(scan50),
        scan50.as_secs_f64() / p50.as_secs_f64()
    );
    Ok(())
}

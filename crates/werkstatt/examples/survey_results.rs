//! Benchmark of the survey results page (issue 5): "a survey with 10,000 answers renders in under 50 ms".
//!
//! `setup` (on the database, before the server starts): a published guest survey in a demo city with eight
//! questions of every type (one free text only asked after a certain answer), `--responses` participants and
//! one response each — answers drawn from a fixed pseudo-random sequence, parsed by the same domain code as
//! the form, stored and counted by `store::surveys::submit` in one transaction each, as the web form does
//! (`--batch` for bigger transactions). Prints the format's id.
//!
//! `measure` (against the running server): for each URL — the ceiling `GET /healthz`, the public results
//! page, the editor's results page (with the newest free texts) and the JSON results — first `--requests`
//! sequential requests on one keep-alive connection (latency: median, p90, p99, max), then `--seconds` of
//! `--connections` concurrent closed-loop clients (throughput), and the ratios to the ceiling.
//!
//! `cargo run --release --example survey_results -- setup --database-url sqlite:data/werkstatt.db`
//! `cargo run --release --example survey_results -- measure --base http://127.0.0.1:18083 --id 7`

use clap::{Parser, Subcommand};
use reqwest::{Client, StatusCode};
use std::time::{Duration, Instant};

#[derive(Parser)]
#[command(
    about = "Survey results page benchmark: set up a survey with many responses, then time its results"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create the survey and its responses in the database (demo content must be loaded).
    Setup {
        #[arg(long)]
        database_url: String,
        #[arg(long, default_value = "arnsberg")]
        city: String,
        #[arg(long, default_value_t = 10_000)]
        responses: usize,
        /// Responses per transaction: 1 is the web form's path (`store::surveys::submit`, one transaction
        /// each); more uses `submit_many` (faster set-up, but on PostgreSQL a long transaction leaves the
        /// count rows with many dead versions until autovacuum runs).
        #[arg(long, default_value_t = 1)]
        batch: usize,
    },
    /// Time the results page and the ceiling on the running server.
    Measure {
        #[arg(long, default_value = "http://127.0.0.1:18083")]
        base: String,
        /// The survey's participation id (printed by `setup`).
        #[arg(long)]
        id: i64,
        #[arg(long, default_value = "arnsberg")]
        city: String,
        /// Sequential requests per URL (after 20 warm-up requests).
        #[arg(long, default_value_t = 300)]
        requests: usize,
        /// Concurrent clients for the throughput runs.
        #[arg(long, default_value_t = 16)]
        connections: usize,
        /// Seconds per throughput run.
        #[arg(long, default_value_t = 5)]
        seconds: u64,
        /// The editor account (sees the free texts).
        #[arg(long, default_value = "koordination.arnsberg@werkstatt.demo")]
        email: String,
        #[arg(long, default_value = "werkstatt-demo")]
        password: String,
    },
}

/// xorshift64*: the same answers every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

type Res<T> = Result<T, String>;

fn input(kind: &str, text: &str, extra: &[(&str, &str)]) -> domain::survey::QuestionInput {
    let mut i = domain::survey::QuestionInput {
        survey_kind: kind.into(),
        survey_text: text.into(),
        ..Default::default()
    };
    for (k, v) in extra {
        let v = v.to_string();
        match *k {
            "options" => i.survey_options = v,
            "scale" => i.survey_scale = v,
            "low" => i.survey_low = v,
            "high" => i.survey_high = v,
            "min" => i.survey_min = v,
            "max" => i.survey_max = v,
            "max_length" => i.survey_max_length = v,
            "required" => i.survey_required = v,
            "condition" => i.survey_condition = v,
            _ => {}
        }
    }
    i
}

/// Add a question through the same validation as the editor's form.
async fn add(db: &store::Db, id: i64, d: &domain::survey::QuestionInput) -> Res<()> {
    let (_, existing) = store::surveys::questions(db, id)
        .await
        .map_err(|e| e.to_string())?;
    let draft = d.parse(&existing).map_err(|e| e.to_string())?;
    store::surveys::add_question(db, id, &draft)
        .await
        .map_err(|e| e.to_string())?;
    Ok(())
}

async fn setup(database_url: &str, city: &str, responses: usize, batch_size: usize) -> Res<()> {
    let started = Instant::now();
    let db = store::Db::connect(database_url)
        .await
        .map_err(|e| e.to_string())?;
    web::prepare(&db).await.map_err(|e| e.to_string())?;
    let m = store::municipalities::by_slug(&db, city)
        .await
        .map_err(|e| format!("city {city}: {e} (load the demo first)"))?;
    let (from, _) = domain::workshop::utc_to_local(store::now_secs() - 86_400);
    let (to, _) = domain::workshop::utc_to_local(store::now_secs() + 365 * 86_400);
    let draft = domain::participation::ParticipationInput {
        kind: "umfrage".into(),
        title: "Benchmark: Wie soll die Innenstadt 2030 aussehen?".into(),
        description: "Eine Umfrage mit vielen Antworten.".into(),
        processing_purpose: "Bedarfe für das Smart-City-Konzept erheben".into(),
        legal_basis: "Art. 6 Abs. 1 lit. a DSGVO".into(),
        opens_on: from,
        closes_on: to,
        access: "gast".into(),
        published: "on".into(),
        results_public: "on".into(),
        retention_days: "365".into(),
        ..Default::default()
    }
    .parse()
    .map_err(|e| e.to_string())?;
    let editor = store::users::by_email(&db, &format!("koordination.{city}@werkstatt.demo"))
        .await
        .map_err(|e| e.to_string())?
        .ok_or("the demo coordinator is missing (load the demo first)")?;
    let id = store::participation::create(&db, m.id, &draft, editor.id)
        .await
        .map_err(|e| e.to_string())?;

    let defs = [
        input(
            "einfach",
            "Wie kommen Sie meist in die Innenstadt?",
            &[
                ("options", "Bus\nRad\nAuto\nzu Fuß\nBahn"),
                ("required", "on"),
            ],
        ),
        input(
            "mehrfach",
            "Was fehlt in der Innenstadt?",
            &[(
                "options",
                "Bänke\nBäume\nöffentliches WLAN\nToiletten\nSpielplätze\nRadständer",
            )],
        ),
        input(
            "skala",
            "Wie zufrieden sind Sie mit dem Angebot?",
            &[
                ("scale", "5"),
                ("low", "gar nicht"),
                ("high", "sehr"),
                ("required", "on"),
            ],
        ),
        input(
            "skala",
            "Wie sicher fühlen Sie sich abends?",
            &[("scale", "7"), ("low", "unsicher"), ("high", "sicher")],
        ),
        input(
            "rangfolge",
            "Was ist Ihnen am wichtigsten?",
            &[(
                "options",
                "Sicherheit\nSauberkeit\nGrün\nEinkaufen\nGastronomie",
            )],
        ),
        input("zahl", "Wie alt sind Sie?", &[("min", "0"), ("max", "120")]),
        input(
            "freitext",
            "Was wünschen Sie sich für die Innenstadt?",
            &[("max_length", "500")],
        ),
    ];
    for d in defs {
        add(&db, id, &d).await?;
    }
    // The eighth question is asked only of those who come by bike (option 1 of the first question).
    let (_, existing) = store::surveys::questions(&db, id)
        .await
        .map_err(|e| e.to_string())?;
    let first = existing.first().map(|q| q.id).ok_or("no questions")?;
    let cond = input(
        "freitext",
        "Was würde das Radfahren verbessern?",
        &[("max_length", "300"), ("condition", &format!("{first}:1"))],
    );
    add(&db, id, &cond).await?;
    let (survey, questions) = store::surveys::questions(&db, id)
        .await
        .map_err(|e| e.to_string())?;

    // Participants: guests, one per response (plain SQL in one transaction: this is set-up, not the subject).
    let now = store::now_secs();
    let participant_ids: Vec<i64> = match db.pool() {
        store::Pool::Sqlite(p) => {
            let mut tx = p.begin().await.map_err(|e| e.to_string())?;
            let mut ids = Vec::with_capacity(responses);
            for i in 0..responses {
                let pid: i64 = sqlx::query_scalar("INSERT INTO participants (participation_id, kind, token_hash, confirmed_at, created_at) VALUES ($1, 'gast', $2, $3, $3) RETURNING id")
                    .bind(id).bind(format!("bench-{id}-{i:08}")).bind(now)
                    .fetch_one(&mut *tx).await.map_err(|e| e.to_string())?;
                ids.push(pid);
            }
            tx.commit().await.map_err(|e| e.to_string())?;
            ids
        }
        store::Pool::Postgres(p) => {
            let mut tx = p.begin().await.map_err(|e| e.to_string())?;
            let ids: Vec<i64> = sqlx::query_scalar(
                "INSERT INTO participants (participation_id, kind, token_hash, confirmed_at, created_at) \
                 SELECT $1, 'gast', 'bench-' || $1 || '-' || g, $3, $3 FROM generate_series(1, $2) g RETURNING id",
            )
            .bind(id)
            .bind(responses as i64)
            .bind(now)
            .fetch_all(&mut *tx)
            .await
            .map_err(|e| e.to_string())?;
            tx.commit().await.map_err(|e| e.to_string())?;
            ids
        }
    };
    let participants_done = started.elapsed();

    let texts = [
        "Mehr Grün und Schatten auf dem Marktplatz",
        "Längere Öffnungszeiten",
        "Kostenloses WLAN in der Fußgängerzone",
        "Mehr Sitzgelegenheiten",
        "Bessere Busverbindungen am Abend",
    ];
    let mut rng = Rng(0x5EED_CAFE_F00D_1234);
    let batch_size = batch_size.max(1);
    let mut batch = Vec::with_capacity(batch_size);
    let mut stored = 0usize;
    for (n, pid) in participant_ids.iter().enumerate() {
        let mut form: Vec<(String, String)> = Vec::new();
        for q in &questions {
            let name = format!("q{}", q.id);
            use domain::survey::QuestionKind as K;
            match q.kind {
                K::Einfach => form.push((name, rng.below(q.options.len()).to_string())),
                K::Mehrfach => {
                    for o in 0..q.options.len() {
                        if rng.chance(35) {
                            form.push((name.clone(), o.to_string()));
                        }
                    }
                }
                K::Skala => {
                    if q.required || rng.chance(80) {
                        form.push((name, (1 + rng.below(q.scale as usize)).to_string()));
                    }
                }
                K::Rangfolge => {
                    if rng.chance(70) {
                        let mut ranks: Vec<usize> = (1..=q.options.len()).collect();
                        for i in (1..ranks.len()).rev() {
                            ranks.swap(i, rng.below(i + 1));
                        }
                        for (o, r) in ranks.iter().enumerate() {
                            form.push((format!("{name}-{o}"), r.to_string()));
                        }
                    }
                }
                K::Zahl => {
                    if rng.chance(90) {
                        form.push((name, (16 + rng.below(70)).to_string()));
                    }
                }
                K::Freitext => {
                    if rng.chance(30) {
                        form.push((name, format!("{} ({n})", texts[rng.below(texts.len())])));
                    }
                }
            }
        }
        let answers = domain::survey::parse_answers(&questions, &form)
            .map_err(|e| format!("generated answers refused: {e:?}"))?;
        batch.push(store::surveys::Response {
            participation_id: id,
            participant_id: *pid,
            version: survey.version,
            answers,
        });
        if batch.len() == batch_size || n + 1 == participant_ids.len() {
            let results = if batch_size == 1 {
                vec![
                    store::surveys::submit(&db, &batch[0])
                        .await
                        .map_err(|e| e.to_string())?,
                ]
            } else {
                store::surveys::submit_many(&db, &batch)
                    .await
                    .map_err(|e| e.to_string())?
            };
            if let Some(refused) = results.iter().find_map(|r| r.err()) {
                return Err(format!("a response was refused: {refused}"));
            }
            stored += batch.len();
            batch.clear();
        }
    }
    let (survey, _) = store::surveys::questions(&db, id)
        .await
        .map_err(|e| e.to_string())?;
    if survey.responses != stored as i64 {
        return Err(format!(
            "maintained count {} ≠ {stored} stored",
            survey.responses
        ));
    }
    eprintln!(
        "set-up: survey {id} with {} questions, {stored} responses ({:.1} s participants, {:.1} s responses)",
        questions.len(),
        participants_done.as_secs_f64(),
        (started.elapsed() - participants_done).as_secs_f64()
    );
    db.close().await;
    println!("{id}");
    Ok(())
}

async fn get_ok(c: &Client, url: &str) -> Res<usize> {
    let r = c.get(url).send().await.map_err(|e| e.to_string())?;
    if r.status() != StatusCode::OK {
        return Err(format!("{url}: {}", r.status()));
    }
    Ok(r.bytes().await.map_err(|e| e.to_string())?.len())
}

fn quantile(sorted: &[Duration], q: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

#[derive(Clone)]
struct Figures {
    median_ms: f64,
    p90_ms: f64,
    p99_ms: f64,
    max_ms: f64,
    bytes: usize,
    rps: f64,
}

async fn time_url(
    c: &Client,
    url: &str,
    requests: usize,
    connections: usize,
    seconds: u64,
) -> Res<Figures> {
    let mut bytes = 0;
    for _ in 0..20 {
        bytes = get_ok(c, url).await?;
    }
    let mut times = Vec::with_capacity(requests);
    for _ in 0..requests {
        let t = Instant::now();
        get_ok(c, url).await?;
        times.push(t.elapsed());
    }
    times.sort();
    // Throughput: closed loop, `connections` clients sharing the cookie-carrying client's pool.
    let until = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..connections {
        let c = c.clone();
        let url = url.to_string();
        tasks.spawn(async move {
            let mut n = 0u64;
            while Instant::now() < until {
                get_ok(&c, &url).await?;
                n += 1;
            }
            Ok::<u64, String>(n)
        });
    }
    let t = Instant::now();
    let mut done = 0u64;
    while let Some(r) = tasks.join_next().await {
        done += r.map_err(|e| e.to_string())??;
    }
    Ok(Figures {
        median_ms: quantile(&times, 0.5),
        p90_ms: quantile(&times, 0.9),
        p99_ms: quantile(&times, 0.99),
        max_ms: quantile(&times, 1.0),
        bytes,
        rps: done as f64 / t.elapsed().as_secs_f64(),
    })
}

#[allow(clippy::too_many_arguments)]
async fn measure(
    base: &str,
    id: i64,
    city: &str,
    requests: usize,
    connections: usize,
    seconds: u64,
    email: &str,
    password: &str,
) -> Res<()> {
    let anon = Client::builder()
        .pool_max_idle_per_host(connections + 1)
        .build()
        .map_err(|e| e.to_string())?;
    let editor = Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| e.to_string())?;
    // Log in (the CSRF token is in every form).
    let page = editor
        .get(format!("{base}/anmelden"))
        .send()
        .await
        .map_err(|e| e.to_string())?
        .text()
        .await
        .map_err(|e| e.to_string())?;
    let token = page
        .split("name=\"_csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.get(..64))
        .ok_or("no CSRF token on the log-in page")?
        .to_string();
    let r = editor
        .post(format!("{base}/anmelden"))
        .form(&[
            ("_csrf", token.as_str()),
            ("email", email),
            ("password", password),
            ("next", "/"),
        ])
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if r.status() != StatusCode::SEE_OTHER {
        return Err(format!("log-in failed: {}", r.status()));
    }
    let results = format!("{base}/kommunen/{city}/beteiligung/{id}/ergebnisse");
    let api = format!("{base}/api/v1/participations/{id}/survey/results");
    let body = anon
        .get(&api)
        .send()
        .await
        .map_err(|e| e.to_string())?
        .text()
        .await
        .map_err(|e| e.to_string())?;
    let v: serde_json::Value = serde_json::from_str(&body).map_err(|e| e.to_string())?;
    println!(
        "survey {id}: {} responses, {} questions (counts read from survey_counts)",
        v["responses"],
        v["questions"].as_array().map_or(0, |q| q.len())
    );
    println!(
        "{requests} sequential requests per URL on one connection (after 20 warm-up), then {seconds} s with {connections} concurrent clients"
    );
    println!(
        "{:<34} {:>9} {:>8} {:>8} {:>8} {:>9} {:>10} {:>12}",
        "URL", "bytes", "median", "p90", "p99", "max", "req/s", "vs healthz"
    );
    let ceiling = time_url(
        &anon,
        &format!("{base}/healthz"),
        requests,
        connections,
        seconds,
    )
    .await?;
    let runs = [
        ("GET /healthz (ceiling)", &anon, format!("{base}/healthz")),
        ("results page (public)", &anon, results.clone()),
        ("results page (editor, texts)", &editor, results),
        ("results JSON API", &anon, api),
    ];
    for (i, (name, client, url)) in runs.iter().enumerate() {
        let f = if i == 0 {
            ceiling.clone()
        } else {
            time_url(client, url, requests, connections, seconds).await?
        };
        println!(
            "{:<34} {:>9} {:>6.2}ms {:>6.2}ms {:>6.2}ms {:>7.2}ms {:>10.0} {:>11.3}×",
            name,
            f.bytes,
            f.median_ms,
            f.p90_ms,
            f.p99_ms,
            f.max_ms,
            f.rps,
            f.rps / ceiling.rps
        );
    }
    Ok(())
}

#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Setup {
            database_url,
            city,
            responses,
            batch,
        } => setup(&database_url, &city, responses, batch).await,
        Command::Measure {
            base,
            id,
            city,
            requests,
            connections,
            seconds,
            email,
            password,
        } => {
            measure(
                &base,
                id,
                &city,
                requests,
                connections,
                seconds,
                &email,
                &password,
            )
            .await
        }
    };
    if let Err(e) = result {
        eprintln!("survey_results: {e}");
        std::process::exit(1);
    }
}

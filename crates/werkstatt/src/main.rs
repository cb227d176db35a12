//! `werkstatt`: the single binary of Smart City Werkstatt.

use anyhow::Context;
use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};
use std::path::PathBuf;
use web::{AppState, Config, MailTransport};

/// The server's allocator is jemalloc (ADR 0027): glibc's `malloc`/`free` took a fifth of the server's
/// instructions per vote, spread over the whole request path.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's settings, read when it starts. Freed pages go back to the system within a second, from a
/// background thread, so an idle server keeps little more than it uses (the idle-memory aim, issue 7).
#[used]
#[unsafe(export_name = "_rjem_malloc_conf")]
static MALLOC_CONF: &[u8; 60] = b"background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0\0";

mod backup;
mod config;
mod export;
mod opinions;

#[derive(Parser)]
#[command(
    name = "werkstatt",
    version,
    about = "Smart City Werkstatt – die Plattform für den Smart-City-Prozess der Kommunen"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Clone)]
pub(crate) struct DbArgs {
    /// Folder for the SQLite database and mail files.
    #[arg(long, env = "WERKSTATT_DATA_DIR", default_value = "./data")]
    pub(crate) data_dir: PathBuf,
    /// `postgres://…` to use PostgreSQL; default is the SQLite file `<data-dir>/werkstatt.db`.
    #[arg(long, env = "DATABASE_URL")]
    database_url: Option<String>,
}

impl DbArgs {
    fn url(&self) -> anyhow::Result<String> {
        if let Some(u) = &self.database_url {
            return Ok(u.clone());
        }
        std::fs::create_dir_all(&self.data_dir)
            .with_context(|| format!("cannot create data folder {}", self.data_dir.display()))?;
        Ok(format!(
            "sqlite:{}",
            self.data_dir.join("werkstatt.db").display()
        ))
    }

    pub(crate) async fn open(&self) -> anyhow::Result<store::Db> {
        self.open_with(None).await
    }

    /// [`DbArgs::open`] with at most `pool_size` connections (`None`: the store's default).
    pub(crate) async fn open_with(&self, pool_size: Option<u32>) -> anyhow::Result<store::Db> {
        let url = self.url()?;
        if let Some(path) = store::sqlite_file(&url) {
            check_writable(path)?;
        }
        let db = store::Db::connect_with(&url, pool_size)
            .await
            .with_context(|| format!("cannot open database {}", redact(&url)))?;
        web::prepare(&db).await.context("migrating the database")?;
        Ok(db)
    }
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server.
    Serve(ServeArgs),
    /// Apply database migrations and exit.
    Migrate(DbArgs),
    /// Load the demo content (idempotent) and exit.
    Demo(DbArgs),
    /// Invite the first network admin: prints a one-time link to set name and password.
    InviteAdmin {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        email: String,
        /// Public base URL for the link.
        #[arg(
            long,
            env = "WERKSTATT_BASE_URL",
            default_value = "http://127.0.0.1:8080"
        )]
        base_url: String,
    },
    /// Documents: `export concept --municipality arnsberg --format pdf --out konzept.pdf`.
    #[command(subcommand)]
    Export(export::ExportCommand),
    /// Opinion maps (Meinungsbild) from Pol.is exports; needs no database.
    #[command(subcommand)]
    Opinions(opinions::OpinionsCommand),
    /// Write a consistent backup (one SQLite file) while the server keeps running.
    Backup(backup::BackupArgs),
    /// Bring a backup back into an empty database (`--force` replaces existing data).
    Restore(backup::RestoreArgs),
    /// Copy an installation to another database, e.g. from SQLite to PostgreSQL.
    MigrateDb(backup::MigrateDbArgs),
}

/// Flags of `serve`. Values are checked by `settings` (so that an error can name the flag, the
/// variable or the file line it came from); clap's defaults here only show in `--help`. The fields are read
/// through the `ArgMatches` (`config::load`), which know each value's origin, not through this struct.
#[derive(Args)]
#[allow(dead_code)]
struct ServeArgs {
    #[command(flatten)]
    db: DbArgs,
    /// Configuration file (TOML, see docs/werkstatt.example.toml); flags and variables override it.
    #[arg(long, env = "WERKSTATT_CONFIG")]
    config: Option<PathBuf>,
    /// Address to listen on.
    #[arg(long, env = "WERKSTATT_BIND", default_value = "127.0.0.1:8080")]
    bind: String,
    /// Load the demo content before serving.
    #[arg(long)]
    demo: bool,
    /// Public base URL (for links in mails); default `http://<bind>`. `https://…` turns on HSTS and Secure cookies.
    #[arg(long, env = "WERKSTATT_BASE_URL")]
    base_url: Option<String>,
    /// SMTP server as URL, e.g. `smtp://user:pass@mail.example.org:587?tls=required`; without it mails go to `<data-dir>/mail`.
    #[arg(long, env = "WERKSTATT_SMTP_URL")]
    smtp_url: Option<String>,
    /// Sender of outgoing mail.
    #[arg(
        long,
        env = "WERKSTATT_MAIL_FROM",
        default_value = "Smart City Werkstatt <noreply@werkstatt.invalid>"
    )]
    mail_from: String,
    /// Set the `Secure` flag on cookies even without an https base URL (TLS terminated by a proxy).
    #[arg(long, env = "WERKSTATT_SECURE_COOKIES")]
    secure_cookies: bool,
    /// Trust the last hop of `X-Forwarded-For` (only behind a proxy that sets it).
    #[arg(long, env = "WERKSTATT_TRUST_PROXY")]
    trust_proxy: bool,
    /// How long a log-in lasts, in hours (1–2160; default 336 = 14 days).
    #[arg(long, env = "WERKSTATT_SESSION_TTL_HOURS")]
    session_ttl_hours: Option<String>,
    /// On SIGTERM/Ctrl-C, seconds that requests in flight may take to finish (1–600; default 30).
    #[arg(long, env = "WERKSTATT_SHUTDOWN_GRACE_SECS")]
    shutdown_grace_secs: Option<String>,
    /// Database connections of this node (1–500; default 16 on PostgreSQL, 8 on SQLite).
    #[arg(long, env = "WERKSTATT_DATABASE_POOL_SIZE")]
    database_pool_size: Option<String>,
    /// `text` (default) or `json` (one object per line, with request id and municipality).
    #[arg(long, env = "WERKSTATT_LOG_FORMAT")]
    log_format: Option<String>,
}

/// SQLite writes its file, journal and shared-memory index next to the database: refuse to start with a
/// clear message when that folder is read-only (ADR 0019), instead of failing later on the first write.
fn check_writable(db_file: &std::path::Path) -> anyhow::Result<()> {
    let dir = match db_file.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => std::path::Path::new("."),
    };
    let probe = dir.join(".werkstatt-schreibtest");
    std::fs::write(&probe, b"")
        .and_then(|()| std::fs::remove_file(&probe))
        .with_context(|| {
            format!(
                "Datenordner {} ist nicht beschreibbar (data folder not writable); SQLite braucht dort                  Schreibrechte für die Datenbank und ihr Journal",
                dir.display()
            )
        })
}

/// Hide the password of a database URL in messages.
fn redact(url: &str) -> String {
    settings::redact_url(url)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

fn print_demo_accounts(accounts: &[web::demo::DemoAccount]) {
    println!(
        "\nDemo-Zugänge (Passwort für alle: {}):",
        web::demo::DEMO_PASSWORD
    );
    for a in accounts {
        println!("  {:<42} {}", a.email, a.role);
    }
    println!();
}

async fn serve(args: ServeArgs, settings: settings::Settings) -> anyhow::Result<()> {
    let db_args = DbArgs {
        data_dir: settings.data_dir.clone(),
        database_url: settings.database_url.clone(),
    };
    tracing::info!(
        bind = %settings.bind,
        data_dir = %settings.data_dir.display(),
        database = %redact(&db_args.url()?),
        base_url = settings.base_url.as_deref().unwrap_or("-"),
        smtp = %settings.smtp_url.as_deref().map(redact).unwrap_or_else(|| "-".into()),
        trust_proxy = settings.trust_proxy,
        shutdown_grace_secs = settings.shutdown_grace.as_secs(),
        "starting"
    );
    let db = db_args.open_with(settings.database_pool_size).await?;
    tracing::info!(connections = db.pool_size(), "database pool");
    if args.demo {
        let accounts = web::demo::load(&db)
            .await
            .map_err(|e| anyhow::anyhow!("loading demo data: {e}"))?;
        print_demo_accounts(&accounts);
    }
    let mut config = Config::new(settings.bind, &settings.data_dir);
    if let Some(b) = settings.base_url {
        config.base_url = b;
    }
    if let Some(smtp) = settings.smtp_url {
        config.mail = MailTransport::Smtp(smtp);
    }
    config.mail_from = settings.mail_from;
    config.secure_cookies = settings.secure_cookies;
    config.trust_proxy = settings.trust_proxy;
    config.session_ttl_secs = settings.session_ttl_secs;
    config.shutdown_grace = settings.shutdown_grace;
    let listener = tokio::net::TcpListener::bind(settings.bind)
        .await
        .with_context(|| format!("cannot listen on {}", settings.bind))?;
    println!(
        "Smart City Werkstatt läuft auf http://{} (Datenbank: {:?})",
        listener.local_addr()?,
        db.kind()
    );
    let served = web::serve(
        listener,
        AppState::new(db.clone(), config),
        shutdown_signal(),
    )
    .await;
    // Closing the pool checkpoints SQLite's write-ahead log into the database file.
    db.close().await;
    served
}

async fn invite_admin(db: &store::Db, email: &str, base_url: &str) -> anyhow::Result<String> {
    let email = domain::account::Email::parse(email)
        .map_err(|_| anyhow::anyhow!("not a valid e-mail address: {email}"))?;
    let token = web::ctx::new_token();
    let grant = domain::role::Grant::Network(domain::role::NetworkRole::Admin);
    store::tokens::create_invitation(
        db,
        &token,
        email.as_str(),
        grant,
        None,
        web::auth::invite::INVITE_TTL_SECS,
    )
    .await?;
    Ok(format!(
        "{}/einladung/{token}",
        base_url.trim_end_matches('/')
    ))
}

fn main() -> anyhow::Result<()> {
    let matches = Cli::command().get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    let mut settings = None;
    if let Command::Serve(args) = &cli.command {
        let serve_matches = matches.subcommand_matches("serve").expect("serve matches");
        match config::load(serve_matches, args.config.as_deref()) {
            Ok(s) => settings = Some(s),
            Err(problems) => {
                eprint!("{problems}");
                std::process::exit(2);
            }
        }
    }
    let _log = config::init_logging(
        settings
            .as_ref()
            .map_or_else(config::log_format_from_env, |s| s.log_format),
    );
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        match cli.command {
            Command::Serve(args) => serve(args, settings.expect("checked settings")).await,
            Command::Backup(args) => backup::backup(args).await,
            Command::Restore(args) => backup::restore(args).await,
            Command::MigrateDb(args) => backup::migrate_db(args).await,
            Command::Opinions(command) => opinions::run(command),
            Command::Export(command) => export::run(command).await,
            Command::Migrate(db) => {
                db.open().await?;
                println!("Migrationen angewendet.");
                Ok(())
            }
            Command::Demo(db) => {
                let db = db.open().await?;
                let accounts = web::demo::load(&db)
                    .await
                    .map_err(|e| anyhow::anyhow!("loading demo data: {e}"))?;
                print_demo_accounts(&accounts);
                Ok(())
            }
            Command::InviteAdmin {
                db,
                email,
                base_url,
            } => {
                let db = db.open().await?;
                let link = invite_admin(&db, &email, &base_url).await?;
                println!("Einladungslink für {email} (14 Tage gültig):\n{link}");
                Ok(())
            }
        }
    })
}

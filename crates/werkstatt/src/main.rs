//! `werkstatt`: the single binary of Smart City Werkstatt.

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;
use web::{AppState, Config, MailTransport};

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
        let url = self.url()?;
        if let Some(path) = url.strip_prefix("sqlite:") {
            check_writable(std::path::Path::new(path.split('?').next().unwrap_or(path)))?;
        }
        let db = store::Db::connect(&url)
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
}

#[derive(Args)]
struct ServeArgs {
    #[command(flatten)]
    db: DbArgs,
    /// Address to listen on.
    #[arg(long, env = "WERKSTATT_BIND", default_value = "127.0.0.1:8080")]
    bind: SocketAddr,
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
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => url.to_string(),
    }
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .init();
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
    tracing::info!("shutting down: finishing requests in flight");
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

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let db = args.db.open().await?;
    if args.demo {
        let accounts = web::demo::load(&db)
            .await
            .map_err(|e| anyhow::anyhow!("loading demo data: {e}"))?;
        print_demo_accounts(&accounts);
    }
    let mut config = Config::new(args.bind, &args.db.data_dir);
    if let Some(b) = args.base_url {
        config.base_url = b.trim_end_matches('/').to_string();
    }
    if let Some(smtp) = args.smtp_url {
        config.mail = MailTransport::Smtp(smtp);
    }
    config.mail_from = args.mail_from;
    config.secure_cookies = args.secure_cookies;
    config.trust_proxy = args.trust_proxy;
    let listener = tokio::net::TcpListener::bind(args.bind)
        .await
        .with_context(|| format!("cannot listen on {}", args.bind))?;
    println!(
        "Smart City Werkstatt läuft auf http://{} (Datenbank: {:?})",
        listener.local_addr()?,
        db.kind()
    );
    web::serve(listener, AppState::new(db, config), shutdown_signal()).await
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
    let cli = Cli::parse();
    init_logging();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        match cli.command {
            Command::Serve(args) => serve(args).await,
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

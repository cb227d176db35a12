//! The settings of `werkstatt serve`: flags and environment variables (read by clap) over the TOML file of
//! `--config` / `WERKSTATT_CONFIG` over the defaults, checked by `settings` before anything starts.

use clap::ArgMatches;
use clap::parser::ValueSource;
use settings::{self, ConfigError, Layer, LogFormat, Origin, Settings};
use std::path::Path;

/// The flags and environment variables that were actually given (clap's own defaults are left out, so that
/// the file can set what the command line does not).
fn command_line_layers(m: &ArgMatches) -> (Layer, Layer) {
    let (mut flags, mut env) = (Layer::default(), Layer::default());
    for &(key, var, flag) in settings::SETTINGS {
        let source = m.value_source(key);
        let value = if matches!(key, "secure_cookies" | "trust_proxy") {
            m.get_flag(key).to_string()
        } else {
            match m.get_raw(key).and_then(|mut v| v.next()) {
                Some(v) => v.to_string_lossy().into_owned(),
                None => continue,
            }
        };
        match source {
            Some(ValueSource::CommandLine) => flags.set(key, value, Origin::Flag(flag)),
            Some(ValueSource::EnvVariable) => env.set(key, value, Origin::Env(var)),
            _ => {}
        }
    }
    (flags, env)
}

/// Everything wrong with the configuration, one problem per line.
pub(crate) struct Problems(pub Vec<ConfigError>);

impl std::fmt::Display for Problems {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "Konfiguration ungültig / invalid configuration — the server was not started:"
        )?;
        for e in &self.0 {
            writeln!(f, "  - {e}")?;
        }
        Ok(())
    }
}

/// Read `--config` (if any), merge with flags and environment, validate, check the data folder.
pub(crate) fn load(serve: &ArgMatches, config_file: Option<&Path>) -> Result<Settings, Problems> {
    let (flags, env) = command_line_layers(serve);
    let file = match config_file {
        None => Layer::default(),
        Some(path) => {
            let shown = path.display().to_string();
            let text = std::fs::read_to_string(path).map_err(|e| {
                Problems(vec![ConfigError {
                    key: String::new(),
                    origin: Origin::File {
                        path: shown.clone(),
                        line: 0,
                    },
                    message: format!("cannot read the configuration file: {e}"),
                }])
            })?;
            match settings::from_toml(&text) {
                Ok(f) => f.layer(&shown),
                Err(mut e) => {
                    if let Origin::File { path, .. } = &mut e.origin {
                        *path = shown;
                    }
                    return Err(Problems(vec![e]));
                }
            }
        }
    };
    let s = settings::resolve(&[&flags, &env, &file]).map_err(Problems)?;
    let origin = [&flags, &env, &file]
        .iter()
        .find_map(|l| l.get("data_dir").map(|(_, o)| o.clone()))
        .unwrap_or(Origin::Default);
    // SQLite keeps the database there: not writable is a configuration error. With PostgreSQL the folder
    // holds only the mail files (without SMTP), which wait in the queue until it is writable again — a
    // warning, not a reason to refuse service (ADR 0019).
    let sqlite = s
        .database_url
        .as_deref()
        .is_none_or(|u| u.starts_with("sqlite:"));
    match settings::check_data_dir(&s, origin) {
        Err(e) if sqlite => return Err(Problems(vec![e])),
        Err(e) => eprintln!(
            "Warnung / warning: {e} — Mails ohne SMTP-Server warten in der Warteschlange, bis der Ordner beschreibbar ist"
        ),
        Ok(()) => {}
    }
    Ok(s)
}

/// The log format for commands other than `serve` (which takes it from its settings).
pub(crate) fn log_format_from_env() -> LogFormat {
    match std::env::var("WERKSTATT_LOG_FORMAT").as_deref() {
        Ok("json") => LogFormat::Json,
        _ => LogFormat::Text,
    }
}

/// Log to stdout through a writer thread: a request's line is handed over, not written, so the request
/// path makes no write call and takes no lock on stdout; the thread writes what has queued up in one call.
/// Lines are never dropped (a full queue makes the logger wait). Keep the guard until the process ends: it
/// writes what is still queued.
pub(crate) fn init_logging(format: LogFormat) -> tracing_appender::non_blocking::WorkerGuard {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let (writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .lossy(false)
        .thread_name("werkstatt-log")
        .finish(std::io::BufWriter::with_capacity(
            64 * 1024,
            std::io::stdout(),
        ));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_target(false);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .init(),
    }
    guard
}

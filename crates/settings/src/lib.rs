//! Server settings from a TOML file, environment variables and flags, validated before the server starts.
//!
//! Precedence: flag > environment variable > configuration file > default. Each source becomes a [`Layer`]
//! of raw values that remember where they came from; [`resolve`] takes the highest layer per setting, checks
//! every value and reports *all* problems at once, each naming the setting and its origin (file and line,
//! variable or flag). [`from_toml`] is a pure function (fuzzed by `fuzz/fuzz_targets/config.rs`).

use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Where a value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Default,
    File { path: String, line: usize },
    Env(&'static str),
    Flag(&'static str),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Default => write!(f, "default"),
            Origin::File { path, line: 0 } => write!(f, "{path}"),
            Origin::File { path, line } => write!(f, "{path}, line {line}"),
            Origin::Env(var) => write!(f, "environment variable {var}"),
            Origin::Flag(flag) => write!(f, "flag {flag}"),
        }
    }
}

/// A setting that is wrong, where it came from, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The key as written in the configuration file (`base_url`); empty when the file as a whole is unreadable.
    pub key: String,
    pub origin: Origin,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.key.is_empty() {
            write!(f, "configuration ({}): {}", self.origin, self.message)
        } else {
            write!(
                f,
                "setting `{}` ({}): {}",
                self.key, self.origin, self.message
            )
        }
    }
}

impl std::error::Error for ConfigError {}

/// Every setting: its file key, environment variable and flag.
pub const SETTINGS: &[(&str, &str, &str)] = &[
    ("bind", "WERKSTATT_BIND", "--bind"),
    ("data_dir", "WERKSTATT_DATA_DIR", "--data-dir"),
    ("database_url", "DATABASE_URL", "--database-url"),
    (
        "database_pool_size",
        "WERKSTATT_DATABASE_POOL_SIZE",
        "--database-pool-size",
    ),
    ("base_url", "WERKSTATT_BASE_URL", "--base-url"),
    ("smtp_url", "WERKSTATT_SMTP_URL", "--smtp-url"),
    ("mail_from", "WERKSTATT_MAIL_FROM", "--mail-from"),
    (
        "secure_cookies",
        "WERKSTATT_SECURE_COOKIES",
        "--secure-cookies",
    ),
    ("trust_proxy", "WERKSTATT_TRUST_PROXY", "--trust-proxy"),
    (
        "session_ttl_hours",
        "WERKSTATT_SESSION_TTL_HOURS",
        "--session-ttl-hours",
    ),
    (
        "shutdown_grace_secs",
        "WERKSTATT_SHUTDOWN_GRACE_SECS",
        "--shutdown-grace-secs",
    ),
    ("log_format", "WERKSTATT_LOG_FORMAT", "--log-format"),
];

/// The configuration file as written. Unknown keys are refused.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub bind: Option<toml::Spanned<String>>,
    pub data_dir: Option<toml::Spanned<String>>,
    pub database_url: Option<toml::Spanned<String>>,
    pub database_pool_size: Option<toml::Spanned<i64>>,
    pub base_url: Option<toml::Spanned<String>>,
    pub smtp_url: Option<toml::Spanned<String>>,
    pub mail_from: Option<toml::Spanned<String>>,
    pub secure_cookies: Option<toml::Spanned<bool>>,
    pub trust_proxy: Option<toml::Spanned<bool>>,
    pub session_ttl_hours: Option<toml::Spanned<i64>>,
    pub shutdown_grace_secs: Option<toml::Spanned<i64>>,
    pub log_format: Option<toml::Spanned<String>>,
    /// Line of each key, filled by [`from_toml`].
    #[serde(skip)]
    lines: BTreeMap<&'static str, usize>,
    #[serde(skip)]
    values: BTreeMap<&'static str, String>,
}

fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .map_or(1, |before| before.matches('\n').count() + 1)
}

/// Parse a configuration file. Syntax errors, unknown keys and wrongly typed values are refused with the key
/// and line; the values themselves are checked by [`resolve`].
pub fn from_toml(text: &str) -> Result<FileConfig, ConfigError> {
    let mut file: FileConfig = toml::from_str(text).map_err(|e| {
        let line = e.span().map_or(1, |s| line_of(text, s.start));
        // The key: named by an "unknown field" message, else the key written on the error's line.
        let key = if e.message().starts_with("unknown field") {
            e.message()
                .split('`')
                .nth(1)
                .unwrap_or_default()
                .to_string()
        } else {
            text.lines()
                .nth(line - 1)
                .and_then(|l| l.split_once('='))
                .map(|(k, _)| k.trim())
                .filter(|k| SETTINGS.iter().any(|(known, _, _)| known == k))
                .unwrap_or_default()
                .to_string()
        };
        ConfigError {
            key,
            origin: Origin::File {
                path: String::new(),
                line,
            },
            message: e.message().trim().to_string(),
        }
    })?;
    let mut entries: Vec<(&'static str, std::ops::Range<usize>, String)> = vec![];
    macro_rules! take {
        ($($field:ident),*) => {
            $(if let Some(v) = &file.$field {
                entries.push((stringify!($field), v.span(), v.get_ref().to_string()));
            })*
        };
    }
    take!(
        bind,
        data_dir,
        database_url,
        database_pool_size,
        base_url,
        smtp_url,
        mail_from,
        secure_cookies,
        trust_proxy,
        session_ttl_hours,
        shutdown_grace_secs,
        log_format
    );
    for (key, span, value) in entries {
        file.lines.insert(key, line_of(text, span.start));
        file.values.insert(key, value);
    }
    Ok(file)
}

/// Raw values of one source, with where each came from.
#[derive(Debug, Default, Clone)]
pub struct Layer {
    values: BTreeMap<String, (String, Origin)>,
}

impl Layer {
    pub fn set(&mut self, key: &str, value: impl Into<String>, origin: Origin) {
        self.values.insert(key.to_string(), (value.into(), origin));
    }

    pub fn get(&self, key: &str) -> Option<&(String, Origin)> {
        self.values.get(key)
    }
}

impl FileConfig {
    /// The file's values as a layer, naming `path` as their origin.
    pub fn layer(&self, path: &str) -> Layer {
        let mut layer = Layer::default();
        for (key, value) in &self.values {
            let line = self.lines.get(key).copied().unwrap_or(1);
            layer.set(
                key,
                value.clone(),
                Origin::File {
                    path: path.to_string(),
                    line,
                },
            );
        }
        layer
    }
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// Checked settings of `werkstatt serve`.
#[derive(Debug, Clone)]
pub struct Settings {
    pub bind: SocketAddr,
    pub data_dir: PathBuf,
    pub database_url: Option<String>,
    /// Connections per node; `None`: the store's default for the engine.
    pub database_pool_size: Option<u32>,
    pub base_url: Option<String>,
    pub smtp_url: Option<String>,
    pub mail_from: String,
    pub secure_cookies: bool,
    pub trust_proxy: bool,
    pub session_ttl_secs: i64,
    pub shutdown_grace: Duration,
    pub log_format: LogFormat,
}

pub const DEFAULT_BIND: &str = "127.0.0.1:8080";
pub const DEFAULT_DATA_DIR: &str = "./data";
pub const DEFAULT_MAIL_FROM: &str = "Smart City Werkstatt <noreply@werkstatt.invalid>";
pub const DEFAULT_SESSION_TTL_HOURS: i64 = 14 * 24;
pub const DEFAULT_SHUTDOWN_GRACE_SECS: i64 = 30;
/// Session lifetime bounds: one hour to 90 days.
pub const SESSION_TTL_HOURS: std::ops::RangeInclusive<i64> = 1..=90 * 24;
/// Bounds of the connection pool of one node (PostgreSQL's default `max_connections` is 100 for all nodes).
pub const DATABASE_POOL_SIZE: std::ops::RangeInclusive<i64> = 1..=500;
/// Grace period bounds for finishing requests on shutdown.
pub const SHUTDOWN_GRACE_SECS: std::ops::RangeInclusive<i64> = 1..=600;

/// Hide the password of a URL (database, SMTP) for messages and logs.
pub fn redact_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => url.to_string(),
    }
}

/// Combine the layers (highest precedence first) and check every value. Reports all errors, not just the
/// first. Does no I/O (see [`check_data_dir`]).
pub fn resolve(layers: &[&Layer]) -> Result<Settings, Vec<ConfigError>> {
    let pick =
        |key: &str| -> Option<(String, Origin)> { layers.iter().find_map(|l| l.get(key).cloned()) };
    let mut errors = vec![];
    let mut fail = |key: &str, origin: &Origin, message: String| {
        errors.push(ConfigError {
            key: key.to_string(),
            origin: origin.clone(),
            message,
        });
    };

    let bind = match pick("bind") {
        Some((v, o)) => v.parse::<SocketAddr>().unwrap_or_else(|_| {
            fail(
                "bind",
                &o,
                format!("{v:?} is not an address with port, e.g. 127.0.0.1:8080 or [::]:8080"),
            );
            DEFAULT_BIND.parse().expect("default bind")
        }),
        None => DEFAULT_BIND.parse().expect("default bind"),
    };
    let data_dir = match pick("data_dir") {
        Some((v, o)) if v.trim().is_empty() => {
            fail("data_dir", &o, "must not be empty".into());
            PathBuf::from(DEFAULT_DATA_DIR)
        }
        Some((v, _)) => PathBuf::from(v),
        None => PathBuf::from(DEFAULT_DATA_DIR),
    };
    let database_url = pick("database_url").and_then(|(v, o)| {
        let ok = v.starts_with("postgres://")
            || v.starts_with("postgresql://")
            || (v.starts_with("sqlite:") && v.len() > "sqlite:".len());
        if !ok {
            fail(
                "database_url",
                &o,
                format!(
                    "{:?} is neither sqlite:PATH nor postgres://…",
                    redact_url(&v)
                ),
            );
            return None;
        }
        if v.starts_with("postgres")
            && let Err(e) = url::Url::parse(&v)
        {
            fail(
                "database_url",
                &o,
                format!("not a valid PostgreSQL URL: {e}"),
            );
            return None;
        }
        Some(v)
    });
    let base_url = pick("base_url").and_then(|(v, o)| match check_base_url(&v) {
        Ok(u) => Some(u),
        Err(m) => {
            fail("base_url", &o, m);
            None
        }
    });
    let smtp_url = pick("smtp_url").and_then(|(v, o)| {
        use lettre::{AsyncSmtpTransport, Tokio1Executor};
        match AsyncSmtpTransport::<Tokio1Executor>::from_url(&v) {
            Ok(_) => Some(v),
            Err(e) => {
                fail(
                    "smtp_url",
                    &o,
                    format!(
                        "{:?} is not a usable SMTP URL ({e}); e.g. smtp://user:pass@mail.example.org:587?tls=required",
                        redact_url(&v)
                    ),
                );
                None
            }
        }
    });
    let mail_from = match pick("mail_from") {
        Some((v, o)) => match v.parse::<lettre::message::Mailbox>() {
            Ok(_) => v,
            Err(e) => {
                fail(
                    "mail_from",
                    &o,
                    format!(
                        "{v:?} is not a mail address ({e}); e.g. Werkstatt <noreply@example.org>"
                    ),
                );
                DEFAULT_MAIL_FROM.into()
            }
        },
        None => DEFAULT_MAIL_FROM.into(),
    };
    let mut flag = |key: &str| match pick(key) {
        Some((v, o)) => match v.to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "on" => true,
            "false" | "0" | "no" | "off" | "" => false,
            _ => {
                fail(key, &o, format!("{v:?} is not true or false"));
                false
            }
        },
        None => false,
    };
    let secure_cookies = flag("secure_cookies");
    let trust_proxy = flag("trust_proxy");
    let mut number = |key: &str, default: i64, range: std::ops::RangeInclusive<i64>| match pick(key)
    {
        Some((v, o)) => match v.trim().parse::<i64>() {
            Ok(n) if range.contains(&n) => n,
            _ => {
                fail(
                    key,
                    &o,
                    format!(
                        "{v:?} must be a whole number from {} to {}",
                        range.start(),
                        range.end()
                    ),
                );
                default
            }
        },
        None => default,
    };
    let session_ttl_hours = number(
        "session_ttl_hours",
        DEFAULT_SESSION_TTL_HOURS,
        SESSION_TTL_HOURS,
    );
    let grace = number(
        "shutdown_grace_secs",
        DEFAULT_SHUTDOWN_GRACE_SECS,
        SHUTDOWN_GRACE_SECS,
    );
    let database_pool_size = pick("database_pool_size")
        .map(|_| number("database_pool_size", 1, DATABASE_POOL_SIZE) as u32);
    let log_format = match pick("log_format") {
        Some((v, o)) => match v.as_str() {
            "text" => LogFormat::Text,
            "json" => LogFormat::Json,
            _ => {
                fail("log_format", &o, format!("{v:?} is neither text nor json"));
                LogFormat::Text
            }
        },
        None => LogFormat::Text,
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Settings {
        bind,
        data_dir,
        database_url,
        database_pool_size,
        base_url,
        smtp_url,
        mail_from,
        secure_cookies,
        trust_proxy,
        session_ttl_secs: session_ttl_hours * 3600,
        shutdown_grace: Duration::from_secs(grace as u64),
        log_format,
    })
}

/// A public base URL: http or https, a host, no user, path, query or fragment. Returns it without the
/// trailing slash.
fn check_base_url(v: &str) -> Result<String, String> {
    let u = url::Url::parse(v).map_err(|e| format!("{v:?} is not a URL ({e})"))?;
    if !matches!(u.scheme(), "http" | "https") {
        return Err(format!("{v:?} must start with http:// or https://"));
    }
    if u.host_str().is_none_or(str::is_empty) {
        return Err(format!("{v:?} has no host name"));
    }
    if !u.username().is_empty() || u.password().is_some() {
        return Err(format!("{v:?} must not contain a user name or password"));
    }
    if u.path() != "/" || u.query().is_some() || u.fragment().is_some() {
        return Err(format!(
            "{v:?} must be the bare address of the site (e.g. https://werkstatt.example.org), without path, query or fragment"
        ));
    }
    Ok(v.trim_end_matches('/').to_string())
}

/// The data folder exists (or can be made) and is writable; the error names the setting's origin.
pub fn check_data_dir(settings: &Settings, origin: Origin) -> Result<(), ConfigError> {
    let dir = &settings.data_dir;
    let err = |m: String| ConfigError {
        key: "data_dir".into(),
        origin: origin.clone(),
        message: m,
    };
    std::fs::create_dir_all(dir)
        .map_err(|e| err(format!("cannot create {}: {e}", dir.display())))?;
    let probe = dir.join(format!(".werkstatt-write-test-{}", std::process::id()));
    std::fs::write(&probe, b"ok").map_err(|e| {
        err(format!(
            "{} ist nicht beschreibbar / is not writable: {e}",
            dir.display()
        ))
    })?;
    let _ = std::fs::remove_file(&probe);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> Layer {
        from_toml(text).expect("valid toml").layer("w.toml")
    }

    fn errors(layers: &[&Layer]) -> Vec<ConfigError> {
        resolve(layers).expect_err("must be refused")
    }

    #[test]
    fn the_example_file_is_valid() {
        let text = include_str!("../../../docs/werkstatt.example.toml");
        let s = resolve(&[&file(text)]).expect("example is valid");
        assert_eq!(s.base_url.as_deref(), Some("https://werkstatt.example.org"));
        assert_eq!(s.log_format, LogFormat::Json);
        assert_eq!(s.shutdown_grace, Duration::from_secs(30));
    }

    #[test]
    fn defaults_without_any_source() {
        let s = resolve(&[]).expect("defaults");
        assert_eq!(s.bind.to_string(), DEFAULT_BIND);
        assert_eq!(s.session_ttl_secs, 14 * 24 * 3600);
        assert_eq!(s.mail_from, DEFAULT_MAIL_FROM);
        assert!(!s.trust_proxy);
        assert_eq!(s.database_pool_size, None);
    }

    #[test]
    fn the_pool_size_is_a_bounded_whole_number() {
        let s = resolve(&[&file("database_pool_size = 4\n")]).expect("valid");
        assert_eq!(s.database_pool_size, Some(4));
        for bad in ["0", "501", "-3", "viele"] {
            let mut env = Layer::default();
            env.set(
                "database_pool_size",
                bad,
                Origin::Env("WERKSTATT_DATABASE_POOL_SIZE"),
            );
            let e = errors(&[&env]);
            assert_eq!(e.len(), 1, "{bad}: {e:?}");
            assert!(
                e[0].to_string().contains("WERKSTATT_DATABASE_POOL_SIZE")
                    && e[0].to_string().contains("1 to 500"),
                "{}",
                e[0]
            );
        }
    }

    #[test]
    fn unknown_keys_are_refused_by_name_and_line() {
        let e = from_toml("bind = \"127.0.0.1:80\"\nbase_ulr = \"https://x.org\"\n").unwrap_err();
        assert_eq!(e.key, "base_ulr");
        assert!(matches!(e.origin, Origin::File { line: 2, .. }), "{e:?}");
        assert!(e.to_string().contains("base_ulr"), "{e}");
    }

    #[test]
    fn wrong_types_and_syntax_name_the_line() {
        let e = from_toml("\n\ntrust_proxy = \"ja\"\n").unwrap_err();
        assert!(matches!(e.origin, Origin::File { line: 3, .. }), "{e:?}");
        assert_eq!(e.key, "trust_proxy");
        let e = from_toml("bind = \n").unwrap_err();
        assert!(matches!(e.origin, Origin::File { line: 1, .. }), "{e:?}");
    }

    #[test]
    fn precedence_is_flag_env_file_default() {
        let f = file(
            "bind = \"127.0.0.1:1001\"\nmail_from = \"a@example.org\"\nlog_format = \"json\"\n",
        );
        let mut env = Layer::default();
        env.set("bind", "127.0.0.1:1002", Origin::Env("WERKSTATT_BIND"));
        env.set(
            "mail_from",
            "b@example.org",
            Origin::Env("WERKSTATT_MAIL_FROM"),
        );
        let mut flags = Layer::default();
        flags.set("bind", "127.0.0.1:1003", Origin::Flag("--bind"));
        let s = resolve(&[&flags, &env, &f]).expect("valid");
        assert_eq!(s.bind.port(), 1003);
        assert_eq!(s.mail_from, "b@example.org");
        assert_eq!(s.log_format, LogFormat::Json);
        assert_eq!(s.session_ttl_secs, DEFAULT_SESSION_TTL_HOURS * 3600);
    }

    #[test]
    fn every_bad_value_is_reported_with_its_origin() {
        let f = file(
            "bind = \"localhost\"\nbase_url = \"https://w.example.org/werkstatt?x=1\"\n\
             database_url = \"mysql://db/w\"\nsmtp_url = \"imap://mail\"\nmail_from = \"nobody\"\n\
             session_ttl_hours = 0\nshutdown_grace_secs = 100000\nlog_format = \"xml\"\n\
             database_pool_size = 0\n",
        );
        let e = errors(&[&f]);
        let keys: Vec<&str> = e.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "bind",
                "database_url",
                "base_url",
                "smtp_url",
                "mail_from",
                "session_ttl_hours",
                "shutdown_grace_secs",
                "database_pool_size",
                "log_format"
            ]
        );
        assert_eq!(
            e[2].origin,
            Origin::File {
                path: "w.toml".into(),
                line: 2
            }
        );
        assert!(e[2].to_string().contains("w.toml, line 2"), "{}", e[2]);
    }

    #[test]
    fn env_errors_name_the_variable_and_hide_passwords() {
        let mut env = Layer::default();
        env.set(
            "database_url",
            "mysql://u:geheim@db/w",
            Origin::Env("DATABASE_URL"),
        );
        env.set(
            "trust_proxy",
            "vielleicht",
            Origin::Env("WERKSTATT_TRUST_PROXY"),
        );
        let e = errors(&[&env]);
        let text: Vec<String> = e.iter().map(ToString::to_string).collect();
        assert!(
            text[0].contains("environment variable DATABASE_URL"),
            "{}",
            text[0]
        );
        assert!(!text[0].contains("geheim"), "{}", text[0]);
        assert!(text[1].contains("WERKSTATT_TRUST_PROXY"), "{}", text[1]);
    }

    #[test]
    fn base_urls() {
        assert_eq!(
            check_base_url("https://w.example.org/").unwrap(),
            "https://w.example.org"
        );
        assert_eq!(
            check_base_url("http://127.0.0.1:8080").unwrap(),
            "http://127.0.0.1:8080"
        );
        for bad in [
            "ftp://w.example.org",
            "https://w.example.org/pfad",
            "https://user:pw@w.example.org",
            "https://w.example.org/#x",
            "werkstatt.example.org",
        ] {
            assert!(check_base_url(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn data_dir_must_be_writable() {
        let s = resolve(&[]).expect("defaults");
        let s = Settings {
            data_dir: PathBuf::from("/proc/werkstatt-cannot-be-here"),
            ..s
        };
        let e = check_data_dir(&s, Origin::Env("WERKSTATT_DATA_DIR")).unwrap_err();
        assert_eq!(e.key, "data_dir");
        assert!(e.to_string().contains("WERKSTATT_DATA_DIR"), "{e}");
    }
}

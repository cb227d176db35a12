//! Runtime configuration of the web layer. The binary fills it from flags and environment variables.

use std::net::SocketAddr;
use std::path::PathBuf;

/// Where outgoing mail goes.
#[derive(Debug, Clone)]
pub enum MailTransport {
    /// An SMTP server, as a lettre URL (`smtp://user:pass@host:587?tls=required`, `smtp://localhost:2525`).
    Smtp(String),
    /// Files in a folder (one `.eml` per mail); the default when no SMTP server is configured.
    Folder(PathBuf),
}

#[derive(Debug, Clone)]
pub struct Config {
    /// Public base URL used in links inside mails (no trailing slash).
    pub base_url: String,
    /// `Secure` flag on cookies; on automatically when `base_url` is https.
    pub secure_cookies: bool,
    /// Trust the last `X-Forwarded-For` hop (only behind a proxy that overwrites it).
    pub trust_proxy: bool,
    pub mail: MailTransport,
    /// Sender address of outgoing mail.
    pub mail_from: String,
    /// How long a session lasts.
    pub session_ttl_secs: i64,
    /// Run the mail worker in this process.
    pub run_workers: bool,
    /// On shutdown, how long requests in flight may take before their connections are closed.
    pub shutdown_grace: std::time::Duration,
}

impl Config {
    /// Defaults for a server listening on `bind` with data in `data_dir`.
    pub fn new(bind: SocketAddr, data_dir: &std::path::Path) -> Self {
        Self {
            base_url: format!("http://{bind}"),
            secure_cookies: false,
            trust_proxy: false,
            mail: MailTransport::Folder(data_dir.join("mail")),
            mail_from: "Smart City Werkstatt <noreply@werkstatt.invalid>".into(),
            session_ttl_secs: 14 * 24 * 3600,
            run_workers: true,
            shutdown_grace: std::time::Duration::from_secs(30),
        }
    }

    /// The public address of `path` (which starts with `/`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url.trim_end_matches('/'))
    }

    pub fn is_https(&self) -> bool {
        self.base_url.starts_with("https://")
    }
}

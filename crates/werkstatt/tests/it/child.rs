//! A `werkstatt serve` child process of the real binary, for the tests of what crosses process boundaries
//! (kill -9, graceful shutdown, restarts, faults). Killed when dropped; its output goes to a log file that
//! failure messages quote.

use crate::accounts::free_port;
use reqwest::{Client, StatusCode};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub(crate) struct Node {
    pub(crate) child: Option<Child>,
    pub(crate) base: String,
    log: PathBuf,
}

impl Node {
    pub(crate) fn spawn(data_dir: &Path, log: PathBuf, extra: &[&str]) -> Node {
        let port = free_port();
        let file = std::fs::File::create(&log).expect("log file");
        let child = Command::new(env!("CARGO_BIN_EXE_werkstatt"))
            .arg("serve")
            .arg("--bind")
            .arg(format!("127.0.0.1:{port}"))
            .arg("--data-dir")
            .arg(data_dir)
            .args(extra)
            .env("RUST_LOG", "info,sqlx=warn")
            .stdin(Stdio::null())
            .stdout(Stdio::from(file.try_clone().expect("log")))
            .stderr(Stdio::from(file))
            .spawn()
            .expect("start werkstatt serve");
        Node {
            child: Some(child),
            base: format!("http://127.0.0.1:{port}"),
            log,
        }
    }

    /// Start and wait until `/healthz` answers.
    pub(crate) async fn start(data_dir: &Path, log: PathBuf, extra: &[&str]) -> Node {
        let node = Node::spawn(data_dir, log, extra);
        node.ready().await;
        node
    }

    /// SIGTERM: the graceful shutdown.
    pub(crate) fn terminate(&self) {
        let child = self.child.as_ref().expect("running");
        // SAFETY: sending a signal to our own child process.
        let rc = unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) };
        assert_eq!(rc, 0, "kill -TERM");
    }

    pub(crate) async fn wait_exit(&mut self, within: Duration) -> std::process::ExitStatus {
        let deadline = Instant::now() + within;
        loop {
            let child = self.child.as_mut().expect("running");
            if let Some(s) = child.try_wait().expect("try_wait") {
                return s;
            }
            assert!(
                Instant::now() < deadline,
                "server did not exit within {within:?}:\n{}",
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Wait until `/healthz` answers 200.
    pub(crate) async fn ready(&self) {
        let c = Client::new();
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(r) = c.get(self.url("/healthz")).send().await
                && r.status() == StatusCode::OK
            {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "server did not answer /healthz within 30 s:\n{}",
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub(crate) fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// SIGKILL, no chance to flush or shut down.
    pub(crate) fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            c.kill().expect("SIGKILL");
            c.wait().expect("reaped");
        }
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        self.kill();
    }
}

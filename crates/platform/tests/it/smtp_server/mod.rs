//! A real SMTP server for tests: Python's `aiosmtpd` (`pip install aiosmtpd`,
//! which `.ci/run` installs) with its `Mailbox` handler, storing every received
//! message in a Maildir. Shared by the platform's adapter tests and the
//! server's end-to-end mail tests (included there by path).
#![allow(dead_code)]

use std::{
    net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::Duration,
};

pub const SKIPPED: &str = "python aiosmtpd is not installed (pip install aiosmtpd)";

pub fn aiosmtpd_installed() -> bool {
    Command::new("python3")
        .args(["-c", "import aiosmtpd"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// A port nothing listens on right now (the OS picked it, we let it go).
pub fn free_port() -> u16 {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind 127.0.0.1:0");
    listener.local_addr().expect("local addr").port()
}

/// A running `python3 -m aiosmtpd`; killed when dropped.
pub struct SmtpServer {
    child: Child,
    pub port: u16,
    maildir: PathBuf,
    log: PathBuf,
    _dir: tempfile::TempDir,
}

impl SmtpServer {
    pub fn start() -> Self {
        Self::start_on(free_port())
    }

    /// On a given port: a test can point the app at it before the server is up.
    pub fn start_on(port: u16) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let maildir = dir.path().join("maildir");
        let log = dir.path().join("aiosmtpd.log");
        let child = Command::new("python3")
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&maildir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).expect("log file"))
            .spawn()
            .expect("spawn python3 -m aiosmtpd");
        let mut server = SmtpServer { child, port, maildir, log, _dir: dir };
        server.wait_ready();
        server
    }

    /// Polls a TCP connect: at most 200 tries, 50 ms apart (10 s).
    fn wait_ready(&mut self) {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, self.port));
        for _ in 0..200 {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                panic!("aiosmtpd exited early ({status}):\n{}", self.log());
            }
            if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("aiosmtpd did not accept connections on {addr} within 10 s:\n{}", self.log());
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Every stored message (Maildir `new/`), oldest first, with `\n` line ends.
    pub fn messages(&self) -> Vec<String> {
        let mut files: Vec<(std::time::SystemTime, PathBuf)> = match std::fs::read_dir(self.maildir.join("new")) {
            Ok(entries) => entries
                .map(|e| {
                    let e = e.expect("maildir entry");
                    (e.metadata().and_then(|m| m.modified()).expect("mtime"), e.path())
                })
                .collect(),
            Err(_) => Vec::new(),
        };
        files.sort();
        files.into_iter().map(|(_, path)| read_message(&path)).collect()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn read_message(path: &Path) -> String {
    std::fs::read_to_string(path).expect("read stored message").replace("\r\n", "\n")
}

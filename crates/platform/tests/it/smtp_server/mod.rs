//! A real SMTP server for tests: Python's `aiosmtpd` (`pip install aiosmtpd`,
//! which `.ci/run` installs) with its `Mailbox` handler, storing every received
//! message in a Maildir. It listens on a port the OS picks and prints it, so no
//! port is probed for and let go first. Shared by the platform's adapter tests
//! and the server's end-to-end mail tests (included there by path).
#![allow(dead_code)]

use std::{
    io::{BufRead, BufReader},
    net::{Ipv4Addr, SocketAddr},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
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

/// What `python3 -m aiosmtpd -n -c aiosmtpd.handlers.Mailbox MAILDIR` runs,
/// on 127.0.0.1 port 0, printing the port once it listens.
const SERVE: &str = r#"
import asyncio, logging, sys
from aiosmtpd.handlers import Mailbox
from aiosmtpd.smtp import SMTP

async def main(maildir):
    handler = Mailbox(maildir)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(handler, data_size_limit=None), "127.0.0.1", 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()

logging.basicConfig(level=logging.ERROR)
asyncio.run(main(sys.argv[1]))
"#;

/// A port on 127.0.0.1 where nothing listens, for as long as this lives: the
/// socket holds the port bound but never listens, so a connection is refused
/// and no other process can start listening there meanwhile.
pub struct ClosedPort {
    _socket: tokio::net::TcpSocket,
    pub port: u16,
}

impl ClosedPort {
    pub fn new() -> Self {
        let socket = tokio::net::TcpSocket::new_v4().expect("a TCP socket");
        socket.bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).expect("bind 127.0.0.1:0");
        let port = socket.local_addr().expect("local addr").port();
        ClosedPort { _socket: socket, port }
    }
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
    /// Starts the server and waits (at most 10 s) until it says on which port it listens.
    pub fn start() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let maildir = dir.path().join("maildir");
        let log = dir.path().join("aiosmtpd.log");
        let mut child = Command::new("python3")
            .args(["-c", SERVE])
            .arg(&maildir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).expect("log file"))
            .spawn()
            .expect("spawn python3 with aiosmtpd");
        let port = reported_port(&mut child);
        let mut server = SmtpServer { child, port: 0, maildir, log, _dir: dir };
        server.port = port.unwrap_or_else(|| panic!("aiosmtpd did not say where it listens:\n{}", server.log()));
        server
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

/// The port the server prints first, read on a thread so a silent server
/// fails after 10 s instead of hanging the test; `None` when it exits first.
fn reported_port(child: &mut Child) -> Option<u16> {
    let stdout = child.stdout.take().expect("piped stdout");
    let (sender, port) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        if BufReader::new(stdout).read_line(&mut line).is_ok() {
            let _ = sender.send(line.trim().parse::<u16>().ok());
        }
    });
    port.recv_timeout(std::time::Duration::from_secs(10)).ok().flatten()
}

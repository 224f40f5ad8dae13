//! The scale-out deployment end to end, as an operator runs it: PostgreSQL,
//! a real SMTP server, `lyceum serve` without workers and a separate
//! `lyceum worker` process (and RabbitMQ when `LYCEUM_TEST_AMQP_URL` is set).
//! Sign-up, password reset and an admin's test notification each reach the
//! mailbox through the queue. Skipped, with a message, when PostgreSQL or
//! aiosmtpd is not available; CI provides both.
//!
//! The processes are separate, so the test waits for their effects (a message
//! in the Maildir) with a bounded poll: there is no in-process event to await.

use crate::{common, smtp_server};

use std::{
    io::{BufRead, BufReader},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use common::{PASSWORD, TestClient, admin_query, postgres_url, with_database};
use serde_json::{Value, json};
use smtp_server::{SmtpServer, aiosmtpd_installed};

fn env_url(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|s| !s.is_empty())
}

/// A fresh PostgreSQL database, dropped at the end.
struct Database {
    base: String,
    name: String,
    url: String,
}

impl Database {
    async fn create(base: &str) -> Self {
        let name = format!("lyceum_scale_{}", uuid::Uuid::new_v4().simple());
        admin_query(base, &format!("CREATE DATABASE {name}")).await;
        Database { base: base.to_string(), url: with_database(base, &name), name }
    }

    async fn drop(self) {
        admin_query(&self.base, &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name)).await;
    }
}

/// The environment every process of this deployment shares.
struct Deployment {
    env: Vec<(String, String)>,
    dir: tempfile::TempDir,
}

impl Deployment {
    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_lyceum"));
        cmd.current_dir(self.dir.path()).args(args).env_remove("RUST_LOG");
        for (key, _) in std::env::vars().filter(|(k, _)| k.starts_with("LYCEUM_")) {
            cmd.env_remove(key);
        }
        cmd.envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        cmd
    }

    /// Runs a one-off command (`admin …`) to completion.
    fn run(&self, args: &[&str]) {
        let out = self.command(args).output().expect("run lyceum");
        assert!(out.status.success(), "lyceum {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    }

    /// Starts a long-running command (with `extra` variables) and waits for the
    /// line that says it is ready; returns the process and that line. Its stderr
    /// goes to a file in the deployment dir.
    fn start(&self, args: &[&str], extra: &[(&str, &str)], ready: &str) -> (Process, String) {
        let log = std::fs::File::create(self.dir.path().join(format!("{}.log", args[0]))).unwrap();
        let child = self
            .command(args)
            .envs(extra.iter().copied())
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .expect("spawn lyceum");
        let mut child = Process(Some(child));
        let child_ref = child.0.as_mut().unwrap();
        let mut stdout = BufReader::new(child_ref.stdout.take().unwrap());
        let mut printed = String::new();
        let ready_line = loop {
            let mut line = String::new();
            if stdout.read_line(&mut line).unwrap() == 0 {
                panic!("lyceum {args:?} exited before it was ready: {printed}");
            }
            if line.contains(ready) {
                break line.trim().to_string();
            }
            printed.push_str(&line);
        };
        // Keep reading (and dropping) its output, so it never writes into a closed pipe.
        std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
        (child, ready_line)
    }
}

/// A child process that is killed if the test fails before stopping it.
struct Process(Option<Child>);

impl Process {
    /// SIGTERM, then expect a clean exit.
    fn stop(mut self) {
        let mut child = self.0.take().unwrap();
        let kill = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().expect("kill");
        assert!(kill.success());
        let status = child.wait().expect("wait");
        assert_eq!(status.code(), Some(0), "SIGTERM is a clean exit: {status:?}");
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        if let Some(child) = self.0.as_mut() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Waits (bounded) until the SMTP server holds a message to `to` containing `needle`.
async fn wait_for_mail(server: &SmtpServer, to: &str, needle: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let mut messages = server.messages().into_iter().map(|m| unfold_quoted_printable(&m));
        if let Some(m) = messages.find(|m| m.contains(&format!("To: {to}")) && m.contains(needle)) {
            return m;
        }
        assert!(
            Instant::now() < deadline,
            "no mail to {to} with {needle:?} within 60 s; aiosmtpd log:\n{}",
            server.log()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// SMTP bodies are quoted-printable: join soft line breaks and decode `=3D`,
/// which is all a link needs (the test's text is ASCII).
fn unfold_quoted_printable(message: &str) -> String {
    message.replace("=\n", "").replace("=3D", "=")
}

fn token_in(mail: &str, path: &str) -> String {
    let start = mail.find(&format!("{path}?token=")).expect("link") + path.len() + "?token=".len();
    mail[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect()
}

/// Waits (bounded) until `client` has an in-app notification of `kind`.
async fn wait_for_notice(client: &TestClient, kind: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let list = client.get("/api/v1/notifications").await.json();
        if let Some(n) = list["items"].as_array().and_then(|items| items.iter().find(|n| n["kind"] == kind)) {
            return n.clone();
        }
        assert!(Instant::now() < deadline, "no {kind} notification within 60 s: {list}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn account_mail_flows_through_a_separate_worker_process() {
    let Some(pg) = postgres_url() else {
        lyceum_platform::testing::skip("LYCEUM_TEST_POSTGRES_URL is not set");
        return;
    };
    if !aiosmtpd_installed() {
        lyceum_platform::testing::skip(smtp_server::SKIPPED);
        return;
    }
    let smtp = SmtpServer::start();
    let db = Database::create(&pg).await;
    let mut env = vec![
        ("LYCEUM_DATABASE_URL", db.url.clone()),
        ("LYCEUM_LOG_LEVEL", "warn".into()),
        ("LYCEUM_MAIL__TRANSPORT", "smtp".into()),
        ("LYCEUM_MAIL__SMTP_URL", format!("smtp://127.0.0.1:{}", smtp.port)),
    ];
    if let Some(amqp) = env_url("LYCEUM_TEST_AMQP_URL") {
        env.push(("LYCEUM_AMQP_URL", amqp));
        env.push(("LYCEUM_AMQP__PREFIX", format!("lyceum-scale-{}", uuid::Uuid::new_v4().simple())));
    } else {
        lyceum_platform::testing::skip(
            "the RabbitMQ part: LYCEUM_TEST_AMQP_URL is not set; the queue runs on PostgreSQL only",
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let deployment = Deployment { env: env.into_iter().map(|(k, v)| (k.to_string(), v)).collect(), dir };

    deployment.run(&["migrate"]);
    deployment.run(&[
        "admin",
        "create-user",
        "root@example.org",
        "--name",
        "Root",
        "--role",
        "admin",
        "--password",
        PASSWORD,
    ]);
    // The web process runs no jobs: everything asynchronous is the worker's. It
    // listens on a port the OS picks and says which; the worker's links name it.
    let port_zero =
        [("LYCEUM_BIND", "127.0.0.1:0"), ("LYCEUM_PUBLIC_URL", "http://127.0.0.1:0"), ("LYCEUM_JOBS__WORKERS", "0")];
    let (web, running) = deployment.start(&["serve"], &port_zero, "Lyceum is running at ");
    let base = running.split("Lyceum is running at ").nth(1).expect("the address").to_string();
    let worker_env = [("LYCEUM_PUBLIC_URL", base.as_str()), ("LYCEUM_JOBS__WORKERS", "2")];
    let (worker, _) = deployment.start(&["worker"], &worker_env, "Lyceum worker is running");
    run_the_flows(&base, &smtp).await;
    worker.stop();
    web.stop();
    db.drop().await;
}

async fn run_the_flows(base: &str, smtp: &SmtpServer) {
    // Sign-up: the verification e-mail and, once verified, a welcome notice.
    let visitor = TestClient::new(base);
    let body = json!({"email": "ada@example.org", "password": PASSWORD, "display_name": "Ada"});
    assert_eq!(visitor.post("/api/v1/auth/register", body).await.status, 202);
    let verification = wait_for_mail(smtp, "ada@example.org", "/verify-email?token=").await;
    let token = token_in(&verification, "/verify-email");
    let verified = visitor.post("/api/v1/auth/verify", json!({"token": token})).await;
    assert_eq!(verified.status, 200, "{}", verified.text);
    let mut ada = TestClient::new(base);
    ada.login("ada@example.org", PASSWORD).await;
    wait_for_notice(&ada, "account.welcome").await;

    // Password reset: the reset e-mail and a security notice.
    let reset = visitor.post("/api/v1/auth/password-reset", json!({"email": "ada@example.org"})).await;
    assert_eq!(reset.status, 202);
    wait_for_mail(smtp, "ada@example.org", "/password-reset/confirm?token=").await;
    wait_for_notice(&ada, "account.security").await;

    // An administrator's test notification: in-app and e-mailed (its default channel).
    let mut root = TestClient::new(base);
    root.login("root@example.org", PASSWORD).await;
    let ada_id = ada.get("/api/v1/users/me").await.json()["id"].as_str().unwrap().to_string();
    let sent = root
        .post("/api/v1/admin/notifications/test", json!({"user_id": ada_id, "message": "Checking the pipes"}))
        .await;
    assert_eq!(sent.status, 202, "{}", sent.text);
    let notice = wait_for_notice(&ada, "admin.test").await;
    assert_eq!(notice["message"], "Checking the pipes");
    let mail = wait_for_mail(smtp, "ada@example.org", "Checking the pipes").await;
    assert!(mail.contains("List-Unsubscribe"), "{mail}");
}

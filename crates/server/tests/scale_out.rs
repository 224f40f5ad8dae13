//! The scale-out deployment end to end, as an operator runs it: PostgreSQL,
//! a real SMTP server, `lyceum serve` without workers and a separate
//! `lyceum worker` process (and RabbitMQ when `LYCEUM_TEST_AMQP_URL` is set).
//! Sign-up, password reset and an admin's test notification each reach the
//! mailbox through the queue. Skipped, with a message, when PostgreSQL or
//! aiosmtpd is not available; CI provides both.
//!
//! The processes are separate, so the test waits for their effects (a message
//! in the Maildir) with a bounded poll: there is no in-process event to await.

#[path = "../../platform/tests/smtp_server/mod.rs"]
mod smtp_server;

use std::{
    io::{BufRead, BufReader},
    net::TcpListener,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use serde_json::{Value, json};
use smtp_server::{SmtpServer, aiosmtpd_installed};

const PASSWORD: &str = "correct horse battery";

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
        admin_sql(base, &format!("CREATE DATABASE {name}")).await;
        let mut url = url::Url::parse(base).unwrap();
        url.set_path(&format!("/{name}"));
        Database { base: base.to_string(), name, url: url.to_string() }
    }

    async fn drop(self) {
        admin_sql(&self.base, &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name)).await;
    }
}

async fn admin_sql(base: &str, sql: &str) {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(base).await.expect("connect to LYCEUM_TEST_POSTGRES_URL");
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string())).execute(&mut conn).await.expect(sql);
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

    /// Starts a long-running command (with `extra` variables) and waits for the
    /// line that says it is ready.
    fn start(&self, args: &[&str], extra: &[(&str, &str)], ready: &str) -> Child {
        let mut child = self
            .command(args)
            .envs(extra.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn lyceum");
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut printed = String::new();
        while !printed.contains(ready) {
            let mut line = String::new();
            if stdout.read_line(&mut line).unwrap() == 0 {
                let _ = child.kill();
                panic!("lyceum {args:?} exited before it was ready: {printed}");
            }
            printed.push_str(&line);
        }
        child
    }
}

fn stop(mut child: Child) {
    let kill = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().expect("kill");
    assert!(kill.success());
    let status = child.wait().expect("wait");
    assert_eq!(status.code(), Some(0), "SIGTERM is a clean exit: {status:?}");
}

/// Waits (bounded) until the SMTP server holds a message to `to` containing `needle`.
fn wait_for_mail(server: &SmtpServer, to: &str, needle: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(m) = server.messages().into_iter().find(|m| m.contains(&format!("To: {to}")) && m.contains(needle))
        {
            return m;
        }
        assert!(
            Instant::now() < deadline,
            "no mail to {to} with {needle:?} within 60 s; aiosmtpd log:\n{}",
            server.log()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn token_in(mail: &str, path: &str) -> String {
    let start = mail.find(&format!("{path}?token=")).expect("link") + path.len() + "?token=".len();
    mail[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect()
}

async fn post(http: &reqwest::Client, url: &str, body: Value) -> (u16, Value) {
    let res = http.post(url).json(&body).send().await.expect("request");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn account_mail_flows_through_a_separate_worker_process() {
    let Some(pg) = env_url("LYCEUM_TEST_POSTGRES_URL") else {
        eprintln!("skipped: LYCEUM_TEST_POSTGRES_URL is not set");
        return;
    };
    if !aiosmtpd_installed() {
        eprintln!("{}", smtp_server::SKIPPED);
        return;
    }
    let smtp = SmtpServer::start();
    let db = Database::create(&pg).await;
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let base = format!("http://127.0.0.1:{port}");
    let mut env = vec![
        ("LYCEUM_DATABASE_URL", db.url.clone()),
        ("LYCEUM_BIND", format!("127.0.0.1:{port}")),
        ("LYCEUM_PUBLIC_URL", base.clone()),
        ("LYCEUM_LOG_LEVEL", "warn".into()),
        ("LYCEUM_MAIL__TRANSPORT", "smtp".into()),
        ("LYCEUM_MAIL__SMTP_URL", format!("smtp://127.0.0.1:{}", smtp.port)),
    ];
    if let Some(amqp) = env_url("LYCEUM_TEST_AMQP_URL") {
        env.push(("LYCEUM_AMQP_URL", amqp));
        env.push(("LYCEUM_AMQP__PREFIX", format!("lyceum-scale-{}", uuid::Uuid::new_v4().simple())));
    } else {
        eprintln!("note: LYCEUM_TEST_AMQP_URL is not set; the queue runs on PostgreSQL only");
    }
    let dir = tempfile::tempdir().unwrap();
    let deployment = Deployment { env: env.into_iter().map(|(k, v)| (k.to_string(), v)).collect(), dir };

    // The web process runs no jobs: everything asynchronous is the worker's.
    let web = deployment.start(&["serve"], &[("LYCEUM_JOBS__WORKERS", "0")], "Lyceum is running at");
    let worker = deployment.start(&["worker"], &[("LYCEUM_JOBS__WORKERS", "2")], "Lyceum worker is running");
    run_the_flows(&base, &smtp).await;
    stop(worker);
    stop(web);
    db.drop().await;
}

async fn run_the_flows(base: &str, smtp: &SmtpServer) {
    let http = reqwest::Client::builder().cookie_store(true).build().unwrap();
    let (status, _) = post(
        &http,
        &format!("{base}/api/v1/auth/register"),
        json!({"email": "ada@example.org", "password": PASSWORD, "display_name": "Ada"}),
    )
    .await;
    assert_eq!(status, 202);
    let verification = wait_for_mail(smtp, "ada@example.org", "/verify-email?token=");
    let token = token_in(&verification, "/verify-email");
    let (status, body) = post(&http, &format!("{base}/api/v1/auth/verify-email"), json!({"token": token})).await;
    assert_eq!(status, 200, "{body}");

    let (status, _) =
        post(&http, &format!("{base}/api/v1/auth/password-reset"), json!({"email": "ada@example.org"})).await;
    assert_eq!(status, 202);
    wait_for_mail(smtp, "ada@example.org", "/password-reset/confirm?token=");
}

//! The `lyceum` binary as an operator runs it: help, configuration errors,
//! `migrate`, `admin …`, and `serve` / `worker` until SIGTERM. Each run gets its own
//! working directory (so `./data` and `./lyceum.toml` are private) and an
//! environment without the caller's `LYCEUM_*` variables.

use crate::common;

use std::{
    io::{BufRead, BufReader, Read, Write},
    net::TcpListener,
    path::Path,
    process::{Child, Command, Output, Stdio},
};

use common::{Backend, admin_query, postgres_url, with_database};

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn lyceum(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_lyceum"));
    cmd.current_dir(dir).args(args).env_remove("RUST_LOG");
    for (key, _) in std::env::vars().filter(|(k, _)| k.starts_with("LYCEUM_")) {
        cmd.env_remove(key);
    }
    cmd.env("LYCEUM_LOG_LEVEL", "warn");
    // Keep test runs quick when a database cannot be reached.
    cmd.env("LYCEUM_DATABASE__ACQUIRE_TIMEOUT_SECS", "2");
    cmd.envs(env.iter().copied());
    cmd
}

fn run(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let Output { status, stdout, stderr } = lyceum(dir, args, env).output().expect("run lyceum");
    Run {
        code: status.code(),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

/// A failure: non-zero exit, one clear `lyceum:` line on stderr, no panic.
#[track_caller]
fn assert_clear_failure(run: &Run, mentions: &[&str]) {
    assert_ne!(run.code, Some(0), "should fail; stdout: {}", run.stdout);
    assert!(run.code.is_some(), "killed by a signal: {}", run.stderr);
    let lines: Vec<&str> = run.stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "exactly one line on stderr, got: {}", run.stderr);
    assert!(lines[0].starts_with("lyceum: "), "{}", lines[0]);
    for needle in mentions {
        assert!(lines[0].contains(needle), "{needle:?} missing from: {}", lines[0]);
    }
    for bad in ["panicked", "RUST_BACKTRACE", "stack backtrace"] {
        assert!(!run.stderr.contains(bad), "{}", run.stderr);
    }
}

#[test]
fn help_lists_the_commands() {
    let dir = tempfile::tempdir().unwrap();
    let help = run(dir.path(), &["--help"], &[]);
    assert_eq!(help.code, Some(0), "{}", help.stderr);
    for command in ["serve", "worker", "migrate", "admin"] {
        assert!(help.stdout.contains(command), "{command} missing from:\n{}", help.stdout);
    }
    let admin = run(dir.path(), &["admin", "--help"], &[]);
    for action in ["create-user", "set-role", "set-password", "disable", "enable"] {
        assert!(admin.stdout.contains(action), "{action} missing from:\n{}", admin.stdout);
    }
}

#[test]
fn an_unknown_key_in_the_config_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("custom.toml");
    std::fs::write(&file, "bind = \"127.0.0.1:9999\"\nlog_levle = \"debug\"\n").unwrap();
    let run = run(dir.path(), &["--config", file.to_str().unwrap(), "migrate"], &[]);
    assert_clear_failure(&run, &["log_levle", "custom.toml"]);
    assert!(!dir.path().join("data").exists(), "nothing was created");
}

#[test]
fn an_unknown_nested_key_in_lyceum_toml_is_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("lyceum.toml"), "[auth]\nsession_ttl = 3\n").unwrap();
    let run = run(dir.path(), &["migrate"], &[]);
    assert_clear_failure(&run, &["auth.session_ttl", "lyceum.toml"]);
}

#[test]
fn a_missing_config_file_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let run = run(dir.path(), &["--config", "nope.toml", "migrate"], &[]);
    assert_clear_failure(&run, &["nope.toml", "does not exist"]);
}

#[test]
fn a_malformed_bind_address_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let run = run(dir.path(), &["serve"], &[("LYCEUM_BIND", "localhost-ish:eighty")]);
    assert_clear_failure(&run, &["bind", "invalid socket address"]);
}

#[test]
fn a_malformed_environment_variable_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let run = run(dir.path(), &["serve"], &[("LYCEUM_BIND", "localhost-ish:eighty")]);
    assert_clear_failure(&run, &["environment variable LYCEUM_BIND"]);
    assert!(!run.stderr.contains("BTreeMap"), "{}", run.stderr);
}

#[test]
fn an_unreachable_database_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let run = run(dir.path(), &["migrate"], &[("LYCEUM_DATABASE_URL", "postgres://nobody@127.0.0.1:1/x")]);
    assert_clear_failure(&run, &["PostgreSQL"]);
    assert!(!run.stderr.contains("nobody@"), "the URL (it may hold a password) is not printed: {}", run.stderr);
}

#[test]
fn an_unreachable_database_names_the_cause() {
    let dir = tempfile::tempdir().unwrap();
    let run = run(dir.path(), &["migrate"], &[("LYCEUM_DATABASE_URL", "postgres://nobody@127.0.0.1:1/x")]);
    assert_clear_failure(&run, &["refused"]);
    assert_eq!(run.stderr.matches("timed out").count(), 0, "{}", run.stderr);
}

#[test]
fn an_unwritable_data_dir_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let run = run(dir.path(), &["migrate"], &[("LYCEUM_DATA_DIR", "/proc/lyceum")]);
    assert_clear_failure(&run, &["/proc/lyceum", "LYCEUM_DATA_DIR"]);
}

#[test]
fn a_port_in_use_is_reported_with_the_address() {
    let dir = tempfile::tempdir().unwrap();
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let run = run(dir.path(), &["serve"], &[("LYCEUM_BIND", addr.as_str())]);
    assert_clear_failure(&run, &[addr.as_str(), "in use"]);
}

#[test]
fn migrate_creates_the_database_and_exits_zero() {
    let dir = tempfile::tempdir().unwrap();
    let first = run(dir.path(), &["migrate"], &[]);
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    assert!(first.stdout.contains("up to date"), "{}", first.stdout);
    assert!(dir.path().join("data/lyceum.db").exists());
    let again = run(dir.path(), &["migrate"], &[]);
    assert_eq!(again.code, Some(0), "migrating twice is harmless: {}", again.stderr);
}

/// Each `lyceum admin` command changes what the account can do, seen through
/// a running server on the same database — SQLite, and PostgreSQL too.
async fn admin_commands_change_what_the_account_can_do(backend: Backend) {
    let db = Database::new(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let owned = db.env();
    let env: Vec<(&str, &str)> = owned.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let d = dir.path();
    let cli = |args: &[&str], extra: &[(&str, &str)]| {
        let step = run(d, args, &[env.as_slice(), extra].concat());
        assert_eq!(step.code, Some(0), "{args:?}: {}", step.stderr);
        step
    };
    let create = cli(
        &[
            "admin",
            "create-user",
            "x@example.org",
            "--name",
            "X",
            "--role",
            "instructor",
            "--password",
            "long enough pw",
        ],
        &[],
    );
    assert!(create.stdout.contains("x@example.org") && create.stdout.contains("instructor"), "{}", create.stdout);
    let mut server = serve_in(d, &env);
    let site = Site::new(&server.bind);
    assert_eq!(site.role_after_login("long enough pw").await, Ok("instructor".into()));

    cli(&["admin", "set-role", "x@example.org", "admin"], &[]);
    assert_eq!(site.role_after_login("long enough pw").await, Ok("admin".into()));
    cli(&["admin", "disable", "x@example.org"], &[]);
    assert_eq!(site.role_after_login("long enough pw").await, Err(403), "disabled");
    cli(&["admin", "enable", "x@example.org"], &[]);
    assert_eq!(site.role_after_login("long enough pw").await, Ok("admin".into()));
    cli(&["admin", "set-password", "x@example.org", "--password", "another long pw"], &[]);
    assert_eq!(site.role_after_login("long enough pw").await, Err(401), "the old password is gone");
    assert_eq!(site.role_after_login("another long pw").await, Ok("admin".into()));
    cli(&["admin", "set-password", "x@example.org"], &[("LYCEUM_ADMIN_PASSWORD", "from the env pw")]);
    assert_eq!(site.role_after_login("from the env pw").await, Ok("admin".into()));

    sigterm(&server.child);
    assert_eq!(server.child.wait().expect("wait for lyceum").code(), Some(0));
    db.drop().await;
}

on_both_backends!(admin_commands_change_what_the_account_can_do);

/// The database of a CLI test: the default SQLite file under the run's
/// `./data`, or a fresh PostgreSQL database named by `LYCEUM_DATABASE_URL`.
struct Database {
    postgres: Option<(String, String)>,
}

impl Database {
    async fn new(backend: Backend) -> Self {
        let postgres = match backend {
            Backend::Sqlite => None,
            Backend::Postgres => {
                let base = postgres_url().expect("LYCEUM_TEST_POSTGRES_URL");
                let name = format!("lyceum_test_{}", uuid::Uuid::new_v4().simple());
                admin_query(&base, &format!("CREATE DATABASE {name}")).await;
                Some((base, name))
            }
        };
        Self { postgres }
    }

    fn env(&self) -> Vec<(&'static str, String)> {
        self.postgres.iter().map(|(base, name)| ("LYCEUM_DATABASE_URL", with_database(base, name))).collect()
    }

    async fn drop(self) {
        if let Some((base, name)) = self.postgres {
            admin_query(&base, &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await;
        }
    }
}

/// The account `x@example.org` as seen by a client of the running server.
struct Site {
    base: String,
}

impl Site {
    fn new(bind: &str) -> Self {
        Self { base: format!("http://{bind}") }
    }

    /// Signs in with `password` and reads the account's role, or the sign-in's status.
    async fn role_after_login(&self, password: &str) -> Result<String, u16> {
        let http = reqwest::Client::builder().cookie_store(true).build().unwrap();
        let login = serde_json::json!({"email": "x@example.org", "password": password});
        let res = http.post(format!("{}/api/v1/auth/login", self.base)).json(&login).send().await.unwrap();
        if !res.status().is_success() {
            return Err(res.status().as_u16());
        }
        let me: serde_json::Value =
            http.get(format!("{}/api/v1/users/me", self.base)).send().await.unwrap().json().await.unwrap();
        Ok(me["role"].as_str().unwrap_or_default().to_string())
    }
}

#[test]
fn admin_commands_refuse_bad_input_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let bad_role = run(
        d,
        &["admin", "create-user", "y@example.org", "--name", "Y", "--role", "wizard", "--password", "long enough pw"],
        &[],
    );
    assert_ne!(bad_role.code, Some(0));
    assert!(bad_role.stderr.contains("wizard"), "{}", bad_role.stderr);
    assert!(!bad_role.stderr.contains("panicked"), "{}", bad_role.stderr);

    let short = run(d, &["admin", "create-user", "y@example.org", "--name", "Y", "--password", "short"], &[]);
    assert_clear_failure(&short, &["password"]);
    let unknown = run(d, &["admin", "disable", "nobody@example.org"], &[]);
    assert_clear_failure(&unknown, &["no account"]);
    let ok = run(d, &["admin", "create-user", "y@example.org", "--name", "Y", "--password", "long enough pw"], &[]);
    assert_eq!(ok.code, Some(0), "{}", ok.stderr);
    let twice = run(d, &["admin", "create-user", "y@example.org", "--name", "Y", "--password", "long enough pw"], &[]);
    assert_clear_failure(&twice, &["already exists"]);
}

/// A `lyceum serve` child and what it printed up to its readiness line.
struct Server {
    child: Child,
    bind: String,
    printed: String,
    _dir: Option<tempfile::TempDir>,
}

/// Starts `lyceum serve` in a directory of its own; see [`serve_in`].
fn serve() -> Server {
    let dir = tempfile::tempdir().unwrap();
    let server = serve_in(dir.path(), &[]);
    Server { _dir: Some(dir), ..server }
}

/// Starts `lyceum serve` in `dir` on a port the OS picks (no probing for a
/// free one that another process could take first) and reads stdout until it
/// says it runs, at which address.
fn serve_in(dir: &Path, env: &[(&str, &str)]) -> Server {
    let port_zero = [("LYCEUM_BIND", "127.0.0.1:0"), ("LYCEUM_PUBLIC_URL", "http://127.0.0.1:0")];
    let mut child = lyceum(dir, &["serve"], &port_zero)
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start lyceum serve");
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut printed = String::new();
    let bind = loop {
        let mut line = String::new();
        if stdout.read_line(&mut line).unwrap() == 0 {
            let _ = child.kill();
            panic!("serve exited before it was ready: {printed}");
        }
        printed.push_str(&line);
        if let Some(url) = line.trim().strip_prefix("Lyceum is running at http://") {
            break url.to_string();
        }
    };
    Server { child, bind, printed, _dir: None }
}

fn sigterm(child: &Child) {
    let kill = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().expect("kill");
    assert!(kill.success());
}

#[test]
fn serve_prints_its_address_answers_and_stops_on_sigterm() {
    let mut server = serve();
    let printed = &server.printed;
    assert!(printed.contains(&format!("Lyceum is running at http://{}", server.bind)), "{printed}");
    assert!(printed.contains("admin@lyceum.localhost"), "first start prints the admin account: {printed}");

    // Ready means it answers now.
    let mut conn = std::net::TcpStream::connect(&server.bind).expect("the server is listening");
    conn.write_all(b"GET /livez HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
    let mut answer = String::new();
    conn.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");

    sigterm(&server.child);
    let status = server.child.wait().expect("wait for lyceum");
    assert_eq!(status.code(), Some(0), "SIGTERM is a clean exit: {status:?}");
}

#[test]
fn sigterm_right_after_readiness_is_a_clean_exit() {
    let mut server = serve();
    sigterm(&server.child);
    let status = server.child.wait().expect("wait for lyceum");
    assert_eq!(status.code(), Some(0), "SIGTERM is a clean exit: {status:?}");
}

#[test]
fn worker_runs_until_sigterm_and_exits_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = lyceum(dir.path(), &["worker"], &[("LYCEUM_JOBS__WORKERS", "3")])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start lyceum worker");
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    assert_eq!(line.trim(), "Lyceum worker is running (3 concurrent jobs)");
    assert!(dir.path().join("data/lyceum.db").exists(), "it migrated the database first");
    sigterm(&child);
    let status = child.wait().expect("wait for lyceum");
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    assert_eq!(status.code(), Some(0), "SIGTERM is a clean exit: {status:?} {stderr}");
}

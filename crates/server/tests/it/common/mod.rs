//! Test harness: a real server on 127.0.0.1:0 with a fresh database per test —
//! a temporary SQLite file, or a uniquely named PostgreSQL database when
//! `LYCEUM_TEST_POSTGRES_URL` is set. Talk to it over HTTP with [`TestClient`].
#![allow(dead_code)]

use std::path::PathBuf;

use lyceum::Running;
use lyceum_platform::{AppState, auth::Role, config::Settings, jobs::Worker};
use reqwest::{Method, StatusCode};
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Defines `sqlite::NAME` and `postgres::NAME` tests that each call `NAME(backend)`.
/// The PostgreSQL variant reports itself skipped when the URL is not set.
/// (In scope in every test module through `#[macro_use] mod common` in `main.rs`.)
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
               async fn $name() { super::$name($crate::common::Backend::Sqlite).await } )*
        }
        mod postgres {
            $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
               async fn $name() {
                   if $crate::common::postgres_url().is_none() {
                       lyceum_platform::testing::skip(&format!("{}: LYCEUM_TEST_POSTGRES_URL is not set", stringify!($name)));
                       return;
                   }
                   super::$name($crate::common::Backend::Postgres).await
               } )*
        }
    };
}

/// Checks `probe` every 20 ms until it holds; fails, naming `what`, after
/// `limit`. For waiting on something another task or process does: never a
/// fixed sleep.
pub async fn poll_until(limit: std::time::Duration, what: &str, mut probe: impl AsyncFnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + limit;
    while !probe().await {
        assert!(tokio::time::Instant::now() < deadline, "timed out after {limit:?} waiting until {what}");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// Held by every test that reads `/metrics`. The metrics registry is one per
/// process and every app in this test binary writes to it; a scrape also sets
/// the job backlog gauges of every queue any scrape has seen (to 0 when its own
/// database has none), so a test asserting a gauge must not scrape beside another.
pub static METRICS: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

pub fn postgres_url() -> Option<String> {
    std::env::var("LYCEUM_TEST_POSTGRES_URL").ok().filter(|s| !s.is_empty())
}

pub struct TestApp {
    pub url: String,
    pub running: Option<Running>,
    pub dir: tempfile::TempDir,
    pg_database: Option<(String, String)>,
}

pub async fn spawn(backend: Backend) -> TestApp {
    spawn_with(backend, |_| {}).await
}

/// Starts an app; `tweak` adjusts settings (rate limits, TTLs) before start.
/// Two replicas sharing one database and one Redis (a fresh key prefix): the
/// first on `backend`, the second pointed at the first's database. `None`
/// (reported skipped, saying `what` is not tested) without `LYCEUM_TEST_REDIS_URL`.
pub async fn replicas_sharing_redis(backend: Backend, what: &str) -> Option<(TestApp, TestApp)> {
    let Some(redis) = std::env::var("LYCEUM_TEST_REDIS_URL").ok().filter(|u| !u.is_empty()) else {
        lyceum_platform::testing::skip(&format!("LYCEUM_TEST_REDIS_URL is not set, so {what} is not tested"));
        return None;
    };
    let prefix = format!("lyceum-test-{}", uuid::Uuid::new_v4().simple());
    let with_redis = |s: &mut Settings| {
        s.cache.redis_url = lyceum_platform::config::Secret::new(redis.clone());
        s.cache.prefix = prefix.clone();
    };
    let first = spawn_with(backend, with_redis).await;
    let database = first.state().settings.database_url.clone();
    // Same database and Redis prefix (the second's own SQLite temp dir goes unused).
    let second = spawn_with(Backend::Sqlite, |s| {
        with_redis(s);
        s.database_url = database;
    })
    .await;
    Some((first, second))
}

pub async fn spawn_with(backend: Backend, tweak: impl FnOnce(&mut Settings)) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut settings = Settings::load_from(None, Vec::<(String, String)>::new()).expect("default settings");
    settings.bind = "127.0.0.1:0".parse().unwrap();
    settings.public_url = String::new();
    settings.data_dir = dir.path().to_path_buf();
    settings.database_url =
        lyceum_platform::config::Secret::new(format!("sqlite://{}?mode=rwc", dir.path().join("lyceum.db").display()));
    settings.log_level = "warn".into();
    let pg_database = match backend {
        Backend::Sqlite => None,
        Backend::Postgres => {
            let base = postgres_url().expect("LYCEUM_TEST_POSTGRES_URL");
            let name = format!("lyceum_test_{}", uuid::Uuid::new_v4().simple());
            admin_query(&base, &format!("CREATE DATABASE {name}")).await;
            settings.database_url = lyceum_platform::config::Secret::new(with_database(&base, &name));
            Some((base, name))
        }
    };
    settings.public_url = "http://127.0.0.1:0".into();
    // No background workers: tests run jobs when they read mail (`drain_jobs`), deterministically.
    settings.jobs.workers = 0;
    tweak(&mut settings);
    let running = lyceum::start(settings).await.expect("app starts");
    TestApp { url: running.url(), running: Some(running), dir, pg_database }
}

/// `base` with its database name replaced by `name`.
pub fn with_database(base: &str, name: &str) -> String {
    let mut url = url::Url::parse(base).expect("postgres url");
    url.set_path(&format!("/{name}"));
    url.to_string()
}

/// Runs one statement (CREATE/DROP DATABASE) on the server at `base`.
pub async fn admin_query(base: &str, sql: &str) {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(base).await.expect("connect to LYCEUM_TEST_POSTGRES_URL");
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string())).execute(&mut conn).await.expect(sql);
}

impl TestApp {
    pub fn state(&self) -> &AppState {
        &self.running.as_ref().expect("running").state
    }

    pub fn client(&self) -> TestClient {
        TestClient::new(&self.url)
    }

    /// Stops the server gracefully and drops the PostgreSQL test database.
    pub async fn stop(mut self) {
        if let Some(running) = self.running.take() {
            running.stop().await.expect("clean shutdown");
        }
        if let Some((base, name)) = self.pg_database.take() {
            admin_query(&base, &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await;
        }
    }

    /// Creates a verified account directly through the service.
    pub async fn create_user(&self, email: &str, role: Role) -> String {
        let user = lyceum_accounts::service::admin::create_user(self.state(), email, "Test User", role, PASSWORD)
            .await
            .expect("create user");
        user.id
    }

    /// A client signed in (session cookie + CSRF header) as a new user with `role`.
    pub async fn signed_in(&self, email: &str, role: Role) -> (TestClient, String) {
        let id = self.create_user(email, role).await;
        let mut client = self.client();
        client.login(email, PASSWORD).await;
        (client, id)
    }

    /// Runs every job that is due, with the app's own registry, until none is left.
    pub async fn drain_jobs(&self) -> usize {
        let state = self.state();
        Worker::new(state.clone(), state.jobs.clone()).run_until_idle().await.expect("drain jobs")
    }

    /// Every e-mail sent so far, oldest first, after running the queued jobs.
    pub async fn mails(&self) -> Vec<Mail> {
        self.drain_jobs().await;
        let dir = self.dir.path().join("mail");
        let mut paths: Vec<PathBuf> =
            std::fs::read_dir(&dir).map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect()).unwrap_or_default();
        paths.sort();
        paths.iter().map(|p| Mail::parse(&std::fs::read(p).unwrap())).collect()
    }

    pub async fn mails_to(&self, to: &str) -> Vec<Mail> {
        self.mails().await.into_iter().filter(|m| m.to == to).collect()
    }

    /// The token in the newest link to `path` (e.g. `/verify-email`) mailed to `to`.
    pub async fn last_token(&self, to: &str, path: &str) -> String {
        let mails = self.mails_to(to).await;
        let mail =
            mails.iter().rev().find(|m| m.text.contains(path)).unwrap_or_else(|| panic!("no mail to {to} with {path}"));
        mail.token(path)
    }

    /// Runs SQL against the app's database (to age tokens in expiry tests).
    pub async fn exec(&self, sql: &'static str) {
        sqlx::query(sql).execute(self.state().db.pool()).await.expect(sql);
    }
}

pub const PASSWORD: &str = "correct horse battery";

#[derive(Debug, Clone)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

impl Mail {
    fn parse(raw: &[u8]) -> Self {
        let msg = mail_parser::MessageParser::default().parse(raw).expect("valid e-mail");
        let to = msg.to().and_then(|a| a.first()).and_then(|a| a.address()).unwrap_or_default().to_string();
        Self {
            to,
            subject: msg.subject().unwrap_or_default().to_string(),
            text: msg.body_text(0).unwrap_or_default().to_string(),
            html: msg.body_html(0).unwrap_or_default().to_string(),
        }
    }

    pub fn token(&self, path: &str) -> String {
        let start =
            self.text.find(&format!("{path}?token=")).unwrap_or_else(|| panic!("no {path} link in {}", self.text));
        let rest = &self.text[start + path.len() + "?token=".len()..];
        rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect()
    }
}

/// An HTTP client with its own cookie jar, CSRF token and optional bearer token.
pub struct TestClient {
    pub http: reqwest::Client,
    pub base: String,
    pub csrf: Option<String>,
    pub bearer: Option<String>,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub text: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
    }
    /// The field names of a 422 problem.
    pub fn error_fields(&self) -> Vec<String> {
        self.json()["errors"]
            .as_array()
            .map(|a| a.iter().map(|e| e["field"].as_str().unwrap().to_string()).collect())
            .unwrap_or_default()
    }
    #[track_caller]
    pub fn assert_problem(&self, status: u16, kind: &str) -> &Self {
        assert_eq!(self.status.as_u16(), status, "body: {}", self.text);
        assert_eq!(self.header("content-type"), "application/problem+json", "body: {}", self.text);
        assert_eq!(self.json()["type"], format!("urn:lyceum:problem:{kind}"), "body: {}", self.text);
        self
    }
}

impl TestClient {
    pub fn new(base: &str) -> Self {
        let http =
            reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();
        Self { http, base: base.to_string(), csrf: None, bearer: None }
    }

    pub async fn send(&self, method: Method, path: &str, body: Option<&Value>) -> Reply {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(csrf) = &self.csrf {
            req = req.header("x-csrf-token", csrf);
        }
        if let Some(token) = &self.bearer {
            req = req.bearer_auth(token);
        }
        if let Some(body) = body {
            req = req.json(body);
        }
        Self::reply(req.send().await.expect("request")).await
    }

    pub async fn reply(res: reqwest::Response) -> Reply {
        let status = res.status();
        let headers = res.headers().clone();
        Reply { status, headers, text: res.text().await.unwrap_or_default() }
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(Method::GET, path, None).await
    }
    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.send(Method::POST, path, Some(&body)).await
    }
    pub async fn patch(&self, path: &str, body: Value) -> Reply {
        self.send(Method::PATCH, path, Some(&body)).await
    }
    pub async fn delete(&self, path: &str) -> Reply {
        self.send(Method::DELETE, path, None).await
    }

    /// Signs in through the API and keeps the CSRF token for later calls.
    pub async fn login(&mut self, email: &str, password: &str) -> Reply {
        let reply = self.post("/api/v1/auth/login", serde_json::json!({"email": email, "password": password})).await;
        assert_eq!(reply.status, StatusCode::OK, "login failed: {}", reply.text);
        self.csrf = reply.json()["csrf_token"].as_str().map(str::to_string);
        reply
    }

    /// GETs a page and returns the CSRF token embedded in its forms.
    pub async fn page_csrf(&self, path: &str) -> String {
        let page = self.get(path).await;
        let marker = "name=\"csrf\" value=\"";
        let start = page.text.find(marker).unwrap_or_else(|| panic!("no csrf field on {path}")) + marker.len();
        page.text[start..].split('"').next().unwrap().to_string()
    }

    /// Submits a urlencoded form (add the `csrf` field yourself).
    pub async fn form(&self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let res = self.http.post(format!("{}{path}", self.base)).form(fields).send().await.expect("request");
        Self::reply(res).await
    }
}

// ---- Helpers for the API integration tests (api_*.rs, cli.rs) ----

impl TestApp {
    /// A client whose connections come from `ip` (any 127.x.y.z is loopback on
    /// Linux), to tell per-address rate limits from per-account ones.
    pub fn client_from(&self, ip: &str) -> TestClient {
        self.browser_from(ip, "")
    }

    /// [`Self::client_from`] that sends `user_agent` as its User-Agent (none when empty).
    pub fn browser_from(&self, ip: &str, user_agent: &str) -> TestClient {
        let mut http = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .local_address(ip.parse::<std::net::IpAddr>().expect("ip address"));
        if !user_agent.is_empty() {
            http = http.user_agent(user_agent);
        }
        TestClient { http: http.build().unwrap(), base: self.url.clone(), csrf: None, bearer: None }
    }

    /// A client without cookies that authenticates with `token` only.
    pub fn bearer_client(&self, token: &str) -> TestClient {
        let mut client = self.client();
        client.bearer = Some(token.to_string());
        client
    }

    /// Registers through the API; returns the verification token from the e-mail.
    pub async fn register(&self, email: &str, password: &str, name: &str) -> String {
        let body = serde_json::json!({"email": email, "password": password, "display_name": name});
        let reply = self.client().post("/api/v1/auth/register", body).await;
        assert_eq!(reply.status, StatusCode::ACCEPTED, "register: {}", reply.text);
        self.last_token(email, "/verify-email").await
    }
}

impl TestClient {
    /// Sends a request built by hand (odd headers or bodies) and reads the reply.
    pub async fn raw(&self, req: reqwest::RequestBuilder) -> Reply {
        Self::reply(req.send().await.expect("request")).await
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Creates a personal API token; returns (secret, id).
    pub async fn create_token(&self, name: &str) -> (String, String) {
        let reply = self.post("/api/v1/tokens", serde_json::json!({"name": name})).await;
        assert_eq!(reply.status, StatusCode::CREATED, "create token: {}", reply.text);
        let body = reply.json();
        (body["token"].as_str().unwrap().to_string(), body["id"].as_str().unwrap().to_string())
    }
}

impl Reply {
    /// The `Set-Cookie` header that sets `name`, if any.
    pub fn set_cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with(&format!("{name}=")))
            .map(str::to_string)
    }

    /// The problem body without what differs per request (`request_id`).
    pub fn problem_without_request_id(&self) -> Value {
        let mut body = self.json();
        body.as_object_mut().expect("problem object").remove("request_id");
        body
    }
}

//! End-to-end test in a real headless Chromium driven over WebDriver (ChromeDriver):
//! sign up → verify the e-mail address → sign in → edit the profile, plus an
//! axe-core accessibility check of the main pages.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`/usr/bin/chromium`,
//! `/usr/bin/chromedriver`); without them the test prints a note and passes as
//! skipped. The axe-core part runs when `LYCEUM_AXE_JS` names `axe.min.js`
//! (`.ci/run` installs it from npm and sets the variable).
//!
//! The WebDriver protocol is plain JSON over HTTP on loopback; the few commands
//! used here are sent with `reqwest` (see [`Browser`]).

mod common;

use std::{
    future::Future,
    net::TcpListener,
    panic::AssertUnwindSafe,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::Duration,
};

use common::{Backend, PASSWORD, TestApp, spawn};
use futures::FutureExt;
use serde_json::{Value, json};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// How often and how long the bounded readiness polls below try.
const POLL_EVERY: Duration = Duration::from_millis(100);
const POLL_TRIES: u32 = 150; // 15 s

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_up_verify_sign_in_and_edit_profile_in_a_browser() {
    if !Path::new(CHROMIUM).exists() || !Path::new(CHROMEDRIVER).exists() {
        eprintln!("skipped browser test: chromium/chromedriver not installed");
        return;
    }
    let axe = axe_script();

    let app = spawn(Backend::Sqlite).await;
    let profile_dir = tempfile::tempdir().expect("temp dir for the browser profile");
    let driver = ChromeDriver::start(profile_dir.path()).await;
    let browser = driver.new_session(profile_dir.path()).await;

    // Run the scenario, then always end the WebDriver session (which quits
    // Chromium) before reporting a failure; the guard stops ChromeDriver.
    let outcome = AssertUnwindSafe(scenario(&app, &browser, axe.as_deref())).catch_unwind().await;
    browser.close().await;
    drop(driver);
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
    app.stop().await;
}

async fn scenario(app: &TestApp, b: &Browser, axe: Option<&str>) {
    let base = app.url.as_str();
    let email = "ada@example.com";
    let name = "Ada Lovelace";
    let new_name = "Ada King";
    let new_bio = "Wrote the first published program, for the Analytical Engine.";

    // Accessibility of the pages a visitor sees.
    if let Some(axe) = axe {
        for path in ["/", "/register", "/login"] {
            b.goto(&format!("{base}{path}")).await;
            check_accessibility(b, axe, path).await;
        }
    }

    // Sign up.
    b.goto(&format!("{base}/register")).await;
    type_into(b, "email", email).await;
    type_into(b, "display_name", name).await;
    type_into(b, "password", PASSWORD).await;
    // A confirmation field, should the form have one, gets the same password.
    for field in b.find_all("main input[type='password']:not([name='password'])").await {
        field.send_keys(PASSWORD).await;
    }
    submit_form_of(b, "email").await;

    // Verify the address with the link from the e-mail.
    let token = poll(b, "the verification e-mail", move || async move {
        app.mails_to(email)
            .iter()
            .any(|m| m.text.contains("/verify-email"))
            .then(|| app.last_token(email, "/verify-email"))
    })
    .await;
    b.goto(&format!("{base}/verify-email?token={token}")).await;
    // The link may land on a confirmation form (so that mail scanners that
    // prefetch links cannot use the token); submit it when it does.
    if b.find("main form input[name='token']").await.is_ok() {
        submit_form_of(b, "token").await;
    }

    // Sign in.
    b.goto(&format!("{base}/login")).await;
    type_into(b, "email", email).await;
    type_into(b, "password", PASSWORD).await;
    submit_form_of(b, "email").await;
    poll(b, "the display name in the page header after signing in", move || async move {
        header_text(b).await.contains(name).then_some(())
    })
    .await;

    // Edit the profile.
    b.goto(&format!("{base}/settings/profile")).await;
    type_into(b, "display_name", new_name).await;
    let bio = b.find("main textarea[name='bio']").await.expect("a bio textarea on /settings/profile");
    bio.clear().await;
    bio.send_keys(new_bio).await;
    submit_form_of(b, "display_name").await;
    poll(b, "the new display name in the page header", move || async move {
        header_text(b).await.contains(new_name).then_some(())
    })
    .await;
    let status = b.find("[role='status']").await.expect("a status message after saving the profile");
    let class = status.attribute("class").await.unwrap_or_default();
    let text = status.text().await;
    assert!(
        class.contains("success") && !text.trim().is_empty(),
        "expected a success message, got {class:?}: {text:?}"
    );
    assert!(!header_text(b).await.contains(name), "the old display name is still in the header");
    let bio_now = b.find("main textarea[name='bio']").await.expect("bio textarea").property("value").await;
    assert_eq!(bio_now.as_str(), Some(new_bio), "the bio was not saved");

    if let Some(axe) = axe {
        check_accessibility(b, axe, "/settings/profile").await;
    }
}

/// Replaces the value of the field named `name` (`input` or `textarea`) by typing.
async fn type_into(b: &Browser, name: &str, value: &str) {
    let field = match b.find(&format!("main [name='{name}']")).await {
        Ok(field) => field,
        Err(e) => panic!("no field named {name:?} on {} ({e})", b.current_url().await),
    };
    field.clear().await;
    field.send_keys(value).await;
}

/// Clicks the submit button of the form that holds the field `name`, and waits
/// until the browser has loaded the page that answers it.
async fn submit_form_of(b: &Browser, name: &str) {
    let before = &b.find("html").await.expect("the current document");
    let form = b
        .find_by("xpath", &format!("//*[@name='{name}']/ancestor::form[1]"))
        .await
        .unwrap_or_else(|e| panic!("no form around {name:?}: {e}"));
    let button = form
        .find("button:not([type]), button[type='submit'], input[type='submit']")
        .await
        .unwrap_or_else(|e| panic!("no submit button in the form around {name:?}: {e}"));
    button.click().await;
    // The old document is detached once the next one has replaced it.
    poll(b, "the page after submitting the form", move || async move {
        let stale = before.is_stale().await;
        let loaded = b.execute("return document.readyState", vec![]).await == json!("complete");
        (stale && loaded).then_some(())
    })
    .await;
}

async fn header_text(b: &Browser) -> String {
    match b.find("header").await {
        Ok(header) => header.text().await,
        Err(_) => String::new(),
    }
}

/// Polls `probe` until it yields a value, a bounded number of times; on time-out
/// the panic says what was awaited and shows where the browser is.
async fn poll<T, F, Fut>(b: &Browser, what: &str, mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    for _ in 0..POLL_TRIES {
        if let Some(value) = probe().await {
            return value;
        }
        tokio::time::sleep(POLL_EVERY).await;
    }
    let url = b.current_url().await;
    let text = match b.find("body").await {
        Ok(body) => body.text().await,
        Err(_) => String::new(),
    };
    panic!("timed out waiting for {what}; the browser is at {url} showing:\n{text}");
}

// ---------------------------------------------------------------------------
// axe-core

/// The axe-core source from `LYCEUM_AXE_JS`, or `None` (with a note) when unset.
fn axe_script() -> Option<String> {
    let Some(path) = std::env::var_os("LYCEUM_AXE_JS").filter(|p| !p.is_empty()) else {
        eprintln!("note: LYCEUM_AXE_JS is not set; skipping the axe-core accessibility checks");
        return None;
    };
    let path = PathBuf::from(path);
    Some(std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("LYCEUM_AXE_JS={}: {e}", path.display())))
}

/// Runs axe-core on the current page; fails on any "serious" or "critical" violation
/// (all violations are printed).
async fn check_accessibility(b: &Browser, axe: &str, page: &str) {
    b.execute(axe, vec![]).await;
    let result = b
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
               axe.run(document, { resultTypes: ["violations"] })
                  .then(r => done(JSON.stringify({ violations: r.violations, passes: r.passes.length })))
                  .catch(e => done(JSON.stringify({ error: String(e) })));"#,
            vec![],
        )
        .await;
    let result: Value = serde_json::from_str(result.as_str().expect("axe result is a string")).expect("axe JSON");
    if let Some(error) = result.get("error") {
        panic!("axe-core failed on {page}: {error}");
    }
    // Some rules must have passed, or axe did not look at the page at all.
    assert!(result["passes"].as_u64().unwrap_or(0) > 0, "axe-core checked nothing on {page}: {result}");
    let violations = result["violations"].as_array().cloned().unwrap_or_default();
    let mut blocking = 0;
    for v in &violations {
        let impact = v["impact"].as_str().unwrap_or("unknown");
        if matches!(impact, "serious" | "critical") {
            blocking += 1;
        }
        eprintln!("axe {page}: [{impact}] {}: {} ({})", v["id"], v["help"], v["helpUrl"]);
        for node in v["nodes"].as_array().into_iter().flatten() {
            eprintln!("    at {}: {}", node["target"], node["html"]);
        }
    }
    eprintln!(
        "axe {page}: {} rule(s) passed, {} violated ({blocking} serious or critical)",
        result["passes"],
        violations.len()
    );
    assert_eq!(blocking, 0, "{page} has {blocking} serious or critical accessibility violation(s); see above");
}

// ---------------------------------------------------------------------------
// ChromeDriver

/// A ChromeDriver child process on a free local port; killed when dropped,
/// also when the test panics.
struct ChromeDriver {
    child: Child,
    url: String,
    http: reqwest::Client,
}

impl ChromeDriver {
    async fn start(log_dir: &Path) -> Self {
        let port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port();
        let log = log_dir.join("chromedriver.log");
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .arg(format!("--log-path={}", log.display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let http = reqwest::Client::builder().timeout(Duration::from_secs(60)).build().expect("http client");
        let mut driver = ChromeDriver { child, url: format!("http://127.0.0.1:{port}"), http };

        // Ready when GET /status answers {"value": {"ready": true}}.
        for _ in 0..POLL_TRIES {
            if let Ok(Some(status)) = driver.child.try_wait() {
                let log = std::fs::read_to_string(&log).unwrap_or_default();
                panic!("chromedriver exited at start ({status}):\n{log}");
            }
            if let Ok(res) = driver.http.get(format!("{}/status", driver.url)).send().await
                && let Ok(body) = res.json::<Value>().await
                && body["value"]["ready"] == json!(true)
            {
                return driver;
            }
            tokio::time::sleep(POLL_EVERY).await;
        }
        let log = std::fs::read_to_string(&log).unwrap_or_default();
        panic!("chromedriver did not become ready at {}:\n{log}", driver.url);
    }

    /// Opens a WebDriver session with a fresh headless Chromium.
    async fn new_session(&self, profile_dir: &Path) -> Browser {
        let user_data = profile_dir.join("chromium");
        let args = [
            "--headless=new".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-dev-shm-usage".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--window-size=1280,900".into(),
            format!("--user-data-dir={}", user_data.display()),
        ];
        let capabilities = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": { "binary": CHROMIUM, "args": args },
        }}});
        let res = self.http.post(format!("{}/session", self.url)).json(&capabilities).send().await;
        let body: Value = match res {
            Ok(res) => res.json().await.expect("chromedriver answers JSON"),
            Err(e) => panic!("start a Chromium session through chromedriver: {e}"),
        };
        let Some(id) = body["value"]["sessionId"].as_str() else {
            panic!("chromedriver could not start Chromium: {body}");
        };
        Browser { http: self.http.clone(), session: format!("{}/session/{id}", self.url) }
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ---------------------------------------------------------------------------
// The few WebDriver commands the test needs (https://www.w3.org/TR/webdriver2/).

/// The key under which WebDriver identifies an element.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// One WebDriver session (one browser).
struct Browser {
    http: reqwest::Client,
    /// `http://127.0.0.1:PORT/session/ID`
    session: String,
}

struct Element<'a> {
    browser: &'a Browser,
    id: String,
}

impl Browser {
    /// Sends one command; `Err` carries WebDriver's error code and message.
    async fn try_command(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Result<Value, String> {
        let url = format!("{}{path}", self.session);
        let mut request = self.http.request(method.clone(), &url);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let res = request.send().await.map_err(|e| format!("{method} {url}: {e}"))?;
        let ok = res.status().is_success();
        let body: Value = res.json().await.map_err(|e| format!("{method} {url}: not JSON: {e}"))?;
        let value = body.get("value").cloned().unwrap_or(Value::Null);
        if ok { Ok(value) } else { Err(format!("{}: {}", value["error"], value["message"])) }
    }

    async fn command(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        self.try_command(method, path, body).await.unwrap_or_else(|e| panic!("WebDriver {path}: {e}"))
    }

    /// Opens `url` and returns once the page has loaded.
    async fn goto(&self, url: &str) {
        self.command(reqwest::Method::POST, "/url", Some(json!({ "url": url }))).await;
    }

    async fn current_url(&self) -> String {
        self.try_command(reqwest::Method::GET, "/url", None)
            .await
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    }

    async fn find(&self, css: &str) -> Result<Element<'_>, String> {
        self.find_by("css selector", css).await
    }

    async fn find_by(&self, using: &str, value: &str) -> Result<Element<'_>, String> {
        let found = self
            .try_command(reqwest::Method::POST, "/element", Some(json!({ "using": using, "value": value })))
            .await?;
        Ok(self.element(&found))
    }

    async fn find_all(&self, css: &str) -> Vec<Element<'_>> {
        let found = self
            .command(reqwest::Method::POST, "/elements", Some(json!({ "using": "css selector", "value": css })))
            .await;
        found.as_array().into_iter().flatten().map(|e| self.element(e)).collect()
    }

    fn element(&self, reference: &Value) -> Element<'_> {
        let id = reference[ELEMENT].as_str().unwrap_or_else(|| panic!("not an element reference: {reference}"));
        Element { browser: self, id: id.to_string() }
    }

    async fn execute(&self, script: &str, args: Vec<Value>) -> Value {
        self.command(reqwest::Method::POST, "/execute/sync", Some(json!({ "script": script, "args": args }))).await
    }

    /// Runs `script` with a completion callback as its last argument.
    async fn execute_async(&self, script: &str, args: Vec<Value>) -> Value {
        self.command(reqwest::Method::POST, "/execute/async", Some(json!({ "script": script, "args": args }))).await
    }

    /// Ends the session, which quits the browser.
    async fn close(&self) {
        let _ = self.try_command(reqwest::Method::DELETE, "", None).await;
    }
}

impl Element<'_> {
    fn path(&self, rest: &str) -> String {
        format!("/element/{}{rest}", self.id)
    }

    async fn find(&self, css: &str) -> Result<Element<'_>, String> {
        let found = self
            .browser
            .try_command(
                reqwest::Method::POST,
                &self.path("/element"),
                Some(json!({ "using": "css selector", "value": css })),
            )
            .await?;
        Ok(self.browser.element(&found))
    }

    async fn click(&self) {
        self.browser.command(reqwest::Method::POST, &self.path("/click"), Some(json!({}))).await;
    }

    async fn clear(&self) {
        self.browser.command(reqwest::Method::POST, &self.path("/clear"), Some(json!({}))).await;
    }

    async fn send_keys(&self, text: &str) {
        self.browser.command(reqwest::Method::POST, &self.path("/value"), Some(json!({ "text": text }))).await;
    }

    /// The rendered text, as a person sees it.
    async fn text(&self) -> String {
        self.browser.command(reqwest::Method::GET, &self.path("/text"), None).await.as_str().unwrap_or("").to_string()
    }

    async fn attribute(&self, name: &str) -> Option<String> {
        let value = self.browser.command(reqwest::Method::GET, &self.path(&format!("/attribute/{name}")), None).await;
        value.as_str().map(str::to_string)
    }

    async fn property(&self, name: &str) -> Value {
        self.browser.command(reqwest::Method::GET, &self.path(&format!("/property/{name}")), None).await
    }

    /// True once the element's document has been replaced (after a navigation).
    async fn is_stale(&self) -> bool {
        match self.browser.try_command(reqwest::Method::GET, &self.path("/name"), None).await {
            Ok(_) => false,
            Err(e) => e.contains("stale element reference") || e.contains("no such element"),
        }
    }
}

//! End-to-end test in a real headless Chromium driven over WebDriver (ChromeDriver):
//! sign up → verify the e-mail address → sign in → edit the profile → open a
//! lesson, mark it complete and open the certificate, plus an axe-core
//! accessibility check of the main pages.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`/usr/bin/chromium`,
//! `/usr/bin/chromedriver`); without them the test prints a note and passes as
//! skipped. The axe-core part runs when `LYCEUM_AXE_JS` names `axe.min.js`
//! (`.ci/run` installs it from npm and sets the variable).

mod common;
mod courses_kit;
mod learning_kit;

use std::{
    future::Future,
    net::TcpListener,
    panic::AssertUnwindSafe,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::Duration,
};

use common::{Backend, PASSWORD, TestApp, spawn};
use fantoccini::{Client, ClientBuilder, Locator, elements::Element};
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
    let browser = driver.connect(profile_dir.path()).await;

    // Run the scenario, then always end the WebDriver session (which quits
    // Chromium) before reporting a failure; the guard stops ChromeDriver.
    let outcome = AssertUnwindSafe(scenario(&app, &browser, axe.as_deref())).catch_unwind().await;
    let _ = browser.close().await;
    drop(driver);
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
    app.stop().await;
}

async fn scenario(app: &TestApp, c: &Client, axe: Option<&str>) {
    let base = app.url.as_str();
    let email = "ada@example.com";
    let name = "Ada Lovelace";
    let new_name = "Ada King";
    let new_bio = "Wrote the first published program, for the Analytical Engine.";

    // Accessibility of the pages a visitor sees.
    if let Some(axe) = axe {
        for path in ["/", "/register", "/login"] {
            c.goto(&format!("{base}{path}")).await.expect("open page");
            check_accessibility(c, axe, path).await;
        }
    }

    // Sign up.
    c.goto(&format!("{base}/register")).await.expect("open /register");
    type_into(c, "email", email).await;
    type_into(c, "display_name", name).await;
    type_into(c, "password", PASSWORD).await;
    // A confirmation field, should the form have one, gets the same password.
    for field in c.find_all(Locator::Css("input[type='password']:not([name='password'])")).await.unwrap_or_default() {
        field.send_keys(PASSWORD).await.expect("type password confirmation");
    }
    submit_form_of(c, "email").await;

    // Verify the address with the link from the e-mail.
    let token = poll(c, "the verification e-mail", move || async move {
        let mailed = app.mails_to(email).await.iter().any(|m| m.text.contains("/verify-email"));
        match mailed {
            true => Some(app.last_token(email, "/verify-email").await),
            false => None,
        }
    })
    .await;
    c.goto(&format!("{base}/verify-email?token={token}")).await.expect("open verification link");
    // The link may land on a confirmation form (so that mail scanners that
    // prefetch links cannot use the token); submit it when it does.
    if c.find(Locator::Css("main form input[name='token']")).await.is_ok() {
        submit_form_of(c, "token").await;
    }

    // Sign in.
    c.goto(&format!("{base}/login")).await.expect("open /login");
    type_into(c, "email", email).await;
    type_into(c, "password", PASSWORD).await;
    submit_form_of(c, "email").await;
    poll(c, "the display name in the page header after signing in", move || async move {
        header_text(c).await.contains(name).then_some(())
    })
    .await;

    // Edit the profile.
    c.goto(&format!("{base}/settings/profile")).await.expect("open /settings/profile");
    let name_input = field(c, "display_name").await;
    name_input.clear().await.expect("clear display name");
    name_input.send_keys(new_name).await.expect("type display name");
    let bio = c.find(Locator::Css("textarea[name='bio']")).await.expect("a bio textarea");
    bio.clear().await.expect("clear bio");
    bio.send_keys(new_bio).await.expect("type bio");
    submit_form_of(c, "display_name").await;
    poll(c, "the new display name in the page header", move || async move {
        header_text(c).await.contains(new_name).then_some(())
    })
    .await;
    let status = c.find(Locator::Css("[role='status']")).await.expect("a status message after saving the profile");
    let class = status.attr("class").await.expect("class attribute").unwrap_or_default();
    let text = status.text().await.expect("status text");
    assert!(
        class.contains("success") && !text.trim().is_empty(),
        "expected a success message, got {class:?}: {text:?}"
    );
    assert!(!header_text(c).await.contains(name), "the old display name is still in the header");
    let bio_now = c.find(Locator::Css("textarea[name='bio']")).await.expect("bio textarea").prop("value").await;
    assert_eq!(bio_now.expect("bio value").as_deref(), Some(new_bio), "the bio was not saved");

    if let Some(axe) = axe {
        check_accessibility(c, axe, "/settings/profile").await;
        for path in [
            "/settings/password",
            "/settings/sessions",
            "/settings/tokens",
            "/settings/notifications",
            "/notifications",
            "/my/courses",
        ] {
            c.goto(&format!("{base}{path}")).await.expect("open page");
            check_accessibility(c, axe, path).await;
        }
    }
    learn_a_lesson(app, c, axe, email).await;
}

/// The signed-in learner opens a lesson, marks it complete with the form,
/// sees the certificate link and opens the certificate (axe on each page).
async fn learn_a_lesson(app: &TestApp, c: &Client, axe: Option<&str>, email: &str) {
    let base = app.url.as_str();
    let (teacher, _) = app.signed_in("grace@example.com", lyceum_platform::auth::Role::Instructor).await;
    let course =
        learning_kit::course_with(&teacher, "Browser course", &[("Start", vec![learning_kit::text("Only")])]).await;
    learning_kit::publish(&teacher, &course.id).await;
    let learner_id: String = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(app.state().db.pool())
        .await
        .expect("the browser user");
    learning_kit::enroll(app, &course.id, &learner_id).await;

    let lesson = format!("/learn/{}/lessons/{}", course.slug, course.lessons[0]);
    c.goto(&format!("{base}/learn/{}", course.slug)).await.expect("open /learn");
    assert_eq!(c.current_url().await.expect("url").path(), lesson, "continue opens the first lesson");
    if let Some(axe) = axe {
        check_accessibility(c, axe, "lesson page").await;
    }
    let form = c.form(Locator::Css("form[action$='/complete']")).await.expect("the mark-complete form");
    form.submit_with(Locator::Css("button[type='submit']")).await.expect("mark complete");
    let link =
        poll(c, "the certificate link", || async { c.find(Locator::Css("a[href^='/certificates/']")).await.ok() })
            .await;
    link.click().await.expect("open the certificate");
    poll(c, "the certificate page", || async {
        c.current_url().await.ok().filter(|u| u.path().starts_with("/certificates/")).map(|_| ())
    })
    .await;
    let text = c.find(Locator::Css("main")).await.expect("main").text().await.expect("text");
    assert!(text.contains("Browser course") && text.contains("verified by Lyceum"), "{text}");
    if let Some(axe) = axe {
        check_accessibility(c, axe, "certificate page").await;
    }
}

/// The field named `name` (an `input`, `textarea` or `select`).
async fn field(c: &Client, name: &str) -> Element {
    let css = format!("main [name='{name}']");
    match c.find(Locator::Css(&css)).await {
        Ok(element) => element,
        Err(e) => panic!(
            "no field named {name:?} on {} ({e})",
            c.current_url().await.map(|u| u.to_string()).unwrap_or_default()
        ),
    }
}

async fn type_into(c: &Client, name: &str, value: &str) {
    let element = field(c, name).await;
    element.clear().await.unwrap_or_else(|e| panic!("clear {name}: {e}"));
    element.send_keys(value).await.unwrap_or_else(|e| panic!("type into {name}: {e}"));
}

/// Clicks the submit button of the form that holds the field `name`, and waits
/// until the browser has left the page the form was on.
async fn submit_form_of(c: &Client, name: &str) {
    let before = &c.find(Locator::Css("html")).await.expect("the current document");
    let xpath = format!("//*[@name='{name}']/ancestor::form[1]");
    let form = c.form(Locator::XPath(&xpath)).await.unwrap_or_else(|e| panic!("no form around {name:?}: {e}"));
    form.submit_with(Locator::Css("button:not([type]), button[type='submit'], input[type='submit']"))
        .await
        .unwrap_or_else(|e| panic!("submit the form around {name:?}: {e}"));
    // The old document is detached once the next one has loaded.
    poll(c, "the page after submitting the form", move || async move {
        let stale = before.tag_name().await.is_err();
        let loaded = c.execute("return document.readyState", vec![]).await.ok() == Some(json!("complete"));
        (stale && loaded).then_some(())
    })
    .await;
}

async fn header_text(c: &Client) -> String {
    match c.find(Locator::Css("header")).await {
        Ok(header) => header.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// Polls `probe` until it yields a value, a bounded number of times; on time-out
/// the panic says what was awaited and shows where the browser is.
async fn poll<T, F, Fut>(c: &Client, what: &str, mut probe: F) -> T
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
    let url = c.current_url().await.map(|u| u.to_string()).unwrap_or_default();
    let body = c.find(Locator::Css("body")).await.ok();
    let text = match body {
        Some(body) => body.text().await.unwrap_or_default(),
        None => String::new(),
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

/// Runs axe-core on the current page; fails on any "serious" or "critical" violation.
async fn check_accessibility(c: &Client, axe: &str, page: &str) {
    c.execute(axe, vec![]).await.unwrap_or_else(|e| panic!("inject axe-core into {page}: {e}"));
    let result = c
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
               axe.run(document, { resultTypes: ["violations"] })
                  .then(r => done(JSON.stringify({ violations: r.violations, passes: r.passes.length })))
                  .catch(e => done(JSON.stringify({ error: String(e) })));"#,
            vec![],
        )
        .await
        .unwrap_or_else(|e| panic!("run axe-core on {page}: {e}"));
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
        let mut driver = ChromeDriver { child, url: format!("http://127.0.0.1:{port}") };

        // Ready when GET /status answers {"value": {"ready": true}}.
        let http = reqwest::Client::builder().timeout(Duration::from_secs(2)).build().expect("http client");
        for _ in 0..POLL_TRIES {
            if let Ok(Some(status)) = driver.child.try_wait() {
                let log = std::fs::read_to_string(&log).unwrap_or_default();
                panic!("chromedriver exited at start ({status}):\n{log}");
            }
            if let Ok(res) = http.get(format!("{}/status", driver.url)).send().await
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
    async fn connect(&self, profile_dir: &Path) -> Client {
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
        let capabilities = json!({
            "browserName": "chrome",
            "goog:chromeOptions": { "binary": CHROMIUM, "args": args },
        });
        let Value::Object(capabilities) = capabilities else { unreachable!() };
        // ChromeDriver speaks plain HTTP on loopback: a bare HTTP connector, no TLS.
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        ClientBuilder::new(connector)
            .capabilities(capabilities)
            .connect(&self.url)
            .await
            .unwrap_or_else(|e| panic!("start a Chromium session through chromedriver: {e}"))
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

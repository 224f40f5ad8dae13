//! Driving headless Chromium over WebDriver (ChromeDriver) for the browser
//! tests: starting the driver, filling and submitting forms, bounded polls,
//! and the axe-core accessibility check.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`/usr/bin/chromium`,
//! `/usr/bin/chromedriver`); [`with_browser`] reports the test as skipped
//! without them. The axe-core check runs when `LYCEUM_AXE_JS` names
//! `axe.min.js` (`.ci/run` installs it from npm and sets the variable).
#![allow(dead_code)]

use std::{
    future::Future,
    io::{BufRead, BufReader},
    panic::AssertUnwindSafe,
    path::{Path, PathBuf},
    process::{Child, ChildStdout, Command, Stdio},
    time::Duration,
};

use fantoccini::{Client, ClientBuilder, Locator, elements::Element};
use futures::FutureExt;
use serde_json::{Value, json};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// How often and how long the bounded readiness polls below try.
const POLL_EVERY: Duration = Duration::from_millis(100);
const POLL_TRIES: u32 = 150; // 15 s

/// Runs `scenario` in a fresh headless Chromium with the axe-core source (when
/// configured); returns false, with a note, when Chromium is not installed.
/// The WebDriver session always ends (quitting Chromium) before a failure is
/// reported; the driver process is killed by its guard.
pub async fn with_browser<F>(scenario: F) -> bool
where
    F: AsyncFnOnce(&Client, Option<&str>),
{
    with_browser_in(Scheme::Light, scenario).await
}

/// The colour scheme the browser reports to pages (`prefers-color-scheme`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    Light,
    Dark,
}

/// [`with_browser`] with the system set to `scheme`.
pub async fn with_browser_in<F>(scheme: Scheme, scenario: F) -> bool
where
    F: AsyncFnOnce(&Client, Option<&str>),
{
    if !Path::new(CHROMIUM).exists() || !Path::new(CHROMEDRIVER).exists() {
        lyceum_platform::testing::skip("browser test: chromium/chromedriver not installed");
        return false;
    }
    let axe = axe_script();
    let profile_dir = tempfile::tempdir().expect("temp dir for the browser profile");
    let driver = ChromeDriver::start(profile_dir.path()).await;
    let browser = driver.connect(profile_dir.path(), scheme).await;
    let outcome = AssertUnwindSafe(scenario(&browser, axe.as_deref())).catch_unwind().await;
    let _ = browser.close().await;
    drop(driver);
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
    true
}

/// The field named `name` (an `input`, `textarea` or `select`).
pub async fn field(c: &Client, name: &str) -> Element {
    let css = format!("main [name='{name}']");
    match c.find(Locator::Css(&css)).await {
        Ok(element) => element,
        Err(e) => panic!(
            "no field named {name:?} on {} ({e})",
            c.current_url().await.map(|u| u.to_string()).unwrap_or_default()
        ),
    }
}

pub async fn type_into(c: &Client, name: &str, value: &str) {
    let element = field(c, name).await;
    element.clear().await.unwrap_or_else(|e| panic!("clear {name}: {e}"));
    element.send_keys(value).await.unwrap_or_else(|e| panic!("type into {name}: {e}"));
}

/// Clicks the submit button of the form that holds the field `name`, and waits
/// until the browser has left the page the form was on.
pub async fn submit_form_of(c: &Client, name: &str) {
    submit(c, &format!("//*[@name='{name}']/ancestor::form[1]")).await;
}

/// Submits the form at `xpath` with its submit button and waits until the
/// browser has left the page the form was on.
pub async fn submit(c: &Client, xpath: &str) {
    let before = c.find(Locator::Css("html")).await.expect("the current document");
    let form = c.form(Locator::XPath(xpath)).await.unwrap_or_else(|e| panic!("no form {xpath}: {e}"));
    form.submit_with(Locator::Css("button:not([type]), button[type='submit'], input[type='submit']"))
        .await
        .unwrap_or_else(|e| panic!("submit the form {xpath}: {e}"));
    next_page(c, &before).await;
}

/// Clicks the button with `id` (a form with several, such as "apply" and
/// "place order") and waits for the page it leads to.
pub async fn press(c: &Client, id: &str) {
    let before = c.find(Locator::Css("html")).await.expect("the current document");
    c.find(Locator::Id(id)).await.unwrap_or_else(|e| panic!("no button #{id}: {e}")).click().await.expect("click");
    next_page(c, &before).await;
}

/// Waits until `before` (the old document) is gone and the next one has loaded.
async fn next_page(c: &Client, before: &Element) {
    // The old document is detached once the next one has loaded.
    poll(c, "the page after submitting the form", move || async move {
        let stale = before.tag_name().await.is_err();
        let loaded = c.execute("return document.readyState", vec![]).await.ok() == Some(json!("complete"));
        (stale && loaded).then_some(())
    })
    .await;
}

/// Follows the first link in `main` whose text contains `text`.
pub async fn follow(c: &Client, text: &str) {
    let xpath = format!("//main//a[contains(normalize-space(.), \"{text}\")]");
    let link = c.find(Locator::XPath(&xpath)).await.unwrap_or_else(|e| panic!("no link {text:?} ({e})"));
    let href = link.attr("href").await.ok().flatten().unwrap_or_else(|| panic!("link {text:?} has no href"));
    let url = c.current_url().await.expect("current url").join(&href).expect("absolute link");
    c.goto(url.as_str()).await.unwrap_or_else(|e| panic!("follow {text:?}: {e}"));
}

/// The text of the page's `main` element.
pub async fn main_text(c: &Client) -> String {
    match c.find(Locator::Css("main")).await {
        Ok(main) => main.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    }
}

pub async fn header_text(c: &Client) -> String {
    match c.find(Locator::Css("header")).await {
        Ok(header) => header.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// Polls `probe` until it yields a value, a bounded number of times; on time-out
/// the panic says what was awaited and shows where the browser is.
pub async fn poll<T, F, Fut>(c: &Client, what: &str, mut probe: F) -> T
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
        lyceum_platform::testing::skip("the axe-core accessibility checks: LYCEUM_AXE_JS is not set");
        return None;
    };
    let path = PathBuf::from(path);
    Some(std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("LYCEUM_AXE_JS={}: {e}", path.display())))
}

/// The phone width the layout checks use (a common phone's CSS pixels).
pub const PHONE: (u32, u32) = (390, 844);
/// The window every scenario starts with.
pub const DESKTOP: (u32, u32) = (1280, 900);

/// Reloads the current page at the phone width and fails when anything on it
/// is wider than the screen (a horizontal scroll); then back to the desktop width.
pub async fn fits_a_phone(c: &Client, page: &str) {
    screenshot(c, page, "desktop").await;
    resize(c, PHONE).await;
    c.refresh().await.unwrap_or_else(|e| panic!("reload {page}: {e}"));
    screenshot(c, page, "phone").await;
    let widths = c
        .execute("return [document.documentElement.scrollWidth, window.innerWidth]", vec![])
        .await
        .unwrap_or_else(|e| panic!("measure {page}: {e}"));
    let (scroll, inner) = (widths[0].as_u64().unwrap_or(u64::MAX), widths[1].as_u64().unwrap_or(0));
    resize(c, DESKTOP).await;
    assert!(
        inner <= u64::from(PHONE.0),
        "the window did not shrink to a phone's width ({inner} px), so {page} was not checked"
    );
    assert!(scroll <= inner, "{page} scrolls sideways on a phone: {scroll} px of content in {inner} px");
}

/// With `LYCEUM_SCREENSHOTS=<dir>`, saves the page as `<dir>/<page>-<width>.png`
/// (how docs/screenshots was made); without it, nothing.
async fn screenshot(c: &Client, page: &str, width: &str) {
    let Some(dir) = std::env::var_os("LYCEUM_SCREENSHOTS") else { return };
    let name: String = page.chars().map(|ch| if ch.is_ascii_alphanumeric() { ch } else { '_' }).collect();
    let png = c.screenshot().await.unwrap_or_else(|e| panic!("screenshot {page}: {e}"));
    let path = PathBuf::from(dir).join(format!("{}-{width}.png", name.trim_matches('_')));
    std::fs::write(&path, png).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}

async fn resize(c: &Client, (width, height): (u32, u32)) {
    c.set_window_size(width, height).await.unwrap_or_else(|e| panic!("resize the window to {width}x{height}: {e}"));
}

/// Runs axe-core on the current page; fails on any "serious" or "critical" violation.
pub async fn check_accessibility(c: &Client, axe: &str, page: &str) {
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

/// A ChromeDriver child process on a port it picks itself (`--port=0`, read
/// back from what it prints); killed when dropped, also when the test panics.
struct ChromeDriver {
    child: Child,
    url: String,
}

/// The line ChromeDriver prints once it listens.
const STARTED_ON: &str = "ChromeDriver was started successfully on port ";

/// What ChromeDriver logs when the port it picked is taken on one address
/// family: with `--port=0` it listens on IPv6 and IPv4 under one number,
/// which another process (a test server on an ephemeral port) may hold on
/// the second; it then never listens. A new start picks another port.
const PORT_TAKEN: &str = "ERR_ADDRESS_IN_USE";
/// Starts tried before a taken port fails the test.
const START_ATTEMPTS: u32 = 3;

impl ChromeDriver {
    async fn start(log_dir: &Path) -> Self {
        let log = log_dir.join("chromedriver.log");
        let mut attempt = 1;
        let (child, port) = loop {
            let mut child = Command::new(CHROMEDRIVER)
                .arg("--port=0")
                .arg(format!("--log-path={}", log.display()))
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .expect("start chromedriver");
            if let Some(port) = Self::reported_port(child.stdout.take().expect("piped stdout")).await {
                break (child, port);
            }
            let status = child.try_wait().ok().flatten();
            let _ = child.kill();
            let _ = child.wait();
            let log = std::fs::read_to_string(&log).unwrap_or_default();
            if log.contains(PORT_TAKEN) && attempt < START_ATTEMPTS {
                attempt += 1;
                continue;
            }
            panic!("chromedriver did not say where it listens within 15 s (exit: {status:?}):\n{log}");
        };
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

    /// The port in ChromeDriver's [`STARTED_ON`] line, or `None` when it exits
    /// or stays silent for 15 s. A thread reads the pipe (to its end, so the
    /// driver never blocks on a full pipe).
    async fn reported_port(stdout: ChildStdout) -> Option<u16> {
        let (found, port) = tokio::sync::oneshot::channel();
        std::thread::spawn(move || {
            let mut found = Some(found);
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let port =
                    line.strip_prefix(STARTED_ON).and_then(|rest| rest.trim_end_matches('.').parse::<u16>().ok());
                if let Some(port) = port
                    && let Some(found) = found.take()
                {
                    let _ = found.send(port);
                }
            }
        });
        tokio::time::timeout(POLL_EVERY * POLL_TRIES, port).await.ok()?.ok()
    }

    /// Opens a WebDriver session with a fresh headless Chromium.
    async fn connect(&self, profile_dir: &Path, scheme: Scheme) -> Client {
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
            format!("--window-size={},{}", DESKTOP.0, DESKTOP.1),
            format!("--user-data-dir={}", user_data.display()),
        ];
        let dark = ["--force-dark-mode".to_string(), "--blink-settings=preferredColorScheme=0".into()];
        let args: Vec<String> =
            if scheme == Scheme::Dark { args.into_iter().chain(dark).collect() } else { args.into() };
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

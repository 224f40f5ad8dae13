//! The learner's journey in a real headless Chromium (see `browser_kit`), on
//! the demo catalog: find a course by search, enroll, complete every lesson,
//! see 100 % and open the certificate — plus axe-core on the pages passed; on
//! both backends.

use crate::{browser_kit, common};

use browser_kit::{
    Scheme, check_accessibility, fits_a_phone, follow, main_text, poll, submit, submit_form_of, type_into,
    with_browser, with_browser_in,
};
use common::{Backend, TestApp, spawn};
use fantoccini::{Client, Locator};

const COURSE: &str = "SQL for Everyone";

on_both_backends!(
    a_learner_finds_enrolls_completes_and_gets_the_certificate,
    a_video_played_to_its_end_completes_the_lesson,
    the_dark_theme_passes_the_same_checks
);

/// With the system in dark mode the pages switch to the dark theme, and the
/// visitor's pages still pass axe-core (contrast included) at both widths.
async fn the_dark_theme_passes_the_same_checks(backend: Backend) {
    let app = spawn(backend).await;
    lyceum::demo::seed(app.state()).await.expect("demo content on an empty database");
    let scenario = async |c: &Client, axe: Option<&str>| {
        let base = app.url.as_str();
        for path in ["/", "/courses", "/courses/sql-for-everyone", "/login", "/register"] {
            c.goto(&format!("{base}{path}")).await.expect("open a page");
            let background = c
                .execute("return getComputedStyle(document.body).backgroundColor", vec![])
                .await
                .expect("read the page background");
            assert_eq!(background.as_str(), Some("rgb(11, 18, 32)"), "{path} follows the dark system setting");
            if let Some(axe) = axe {
                check_accessibility(c, axe, &format!("{path} (dark)")).await;
            }
            fits_a_phone(c, &format!("{path} (dark)")).await;
        }
    };
    with_browser_in(Scheme::Dark, scenario).await;
    app.stop().await;
}

async fn a_learner_finds_enrolls_completes_and_gets_the_certificate(backend: Backend) {
    let app = spawn(backend).await;
    let loaded = lyceum::demo::seed(app.state()).await.expect("demo content on an empty database");
    let learner = &loaded.accounts()[1];
    let journey = async |c: &Client, axe: Option<&str>| journey(&app, c, axe, learner.email, learner.password).await;
    with_browser(journey).await;
    app.stop().await;
}

async fn journey(app: &TestApp, c: &Client, axe: Option<&str>, email: &str, password: &str) {
    let base = app.url.as_str();
    let check = async |path: &str| {
        if let Some(axe) = axe {
            check_accessibility(c, axe, path).await;
        }
    };

    c.goto(&format!("{base}/login")).await.expect("open /login");
    type_into(c, "email", email).await;
    type_into(c, "password", password).await;
    submit_form_of(c, "email").await;

    // Find the course by searching the catalog.
    c.goto(&format!("{base}/courses")).await.expect("open the catalog");
    check("/courses").await;
    type_into(c, "q", "sql").await;
    submit_form_of(c, "q").await;
    assert!(main_text(c).await.contains(COURSE), "the search finds the course:\n{}", main_text(c).await);
    check("/courses?q=…").await;
    fits_a_phone(c, "/courses?q=…").await;
    follow(c, COURSE).await;
    check("/courses/{slug}").await;
    fits_a_phone(c, "/courses/{slug}").await;

    // Enroll: the course opens at its first lesson.
    submit(c, "//main//form[contains(@action, '/enroll')]").await;
    let url = c.current_url().await.unwrap();
    assert!(url.path().contains("/learn/"), "enrolling opens the course, not {url}");
    check("/learn/{slug}/lessons/{id}").await;
    // The first lesson shows SQL: highlighted, in its own scrolling box, also on a phone.
    let code = c.find(Locator::Css("main pre.hl-code")).await.expect("the lesson's code block");
    assert!(code.html(false).await.unwrap().contains("class=\"hl-"), "the code is highlighted");
    fits_a_phone(c, "/learn/{slug}/lessons/{id}").await;

    // Complete every lesson: each "Mark as complete" leads on to the next.
    let mut completed = 0;
    while c.find(Locator::XPath(COMPLETE)).await.is_ok() {
        submit(c, COMPLETE).await;
        completed += 1;
        assert!(completed <= 20, "still offered a lesson to complete after {completed}");
    }
    assert_eq!(completed, 4, "the course has four lessons");

    // 100 % on My courses, and the certificate, a public page.
    c.goto(&format!("{base}/my/courses")).await.expect("open my courses");
    check("/my/courses").await;
    fits_a_phone(c, "/my/courses").await;
    let text = main_text(c).await;
    assert!(text.contains(COURSE) && text.contains("100%"), "my courses shows the course complete:\n{text}");
    follow(c, "ertificate").await;
    let certificate = c.current_url().await.unwrap();
    poll(c, "the certificate page", move || async move {
        let text = main_text(c).await;
        (text.contains("Ada Lovelace") && text.contains(COURSE)).then_some(())
    })
    .await;
    check("/certificates/{code}").await;
    fits_a_phone(c, "/certificates/{code}").await;
    c.goto(&format!("{base}/")).await.expect("open the home page");
    check("/ (signed in)").await;
    fits_a_phone(c, "/ (signed in)").await;
    let anonymous = reqwest::get(certificate.as_str()).await.expect("fetch the certificate without a session");
    assert_eq!(anonymous.status(), 200, "anyone can verify a certificate");
    assert!(anonymous.text().await.unwrap().contains(COURSE));
}

/// The form that marks the open lesson complete.
const COMPLETE: &str = "//main//form[contains(@action, '/complete')]";

/// The demo's Rust course has a video lesson: played to its end (muted, from
/// just before the end), it is recorded complete without pressing the button,
/// and the page says so; reloaded, the server says so too.
async fn a_video_played_to_its_end_completes_the_lesson(backend: Backend) {
    let app = spawn(backend).await;
    let loaded = lyceum::demo::seed(app.state()).await.expect("demo content on an empty database");
    let learner = &loaded.accounts()[1];
    let scenario = async |c: &Client, _axe: Option<&str>| {
        let base = app.url.as_str();
        c.goto(&format!("{base}/login")).await.expect("open /login");
        type_into(c, "email", learner.email).await;
        type_into(c, "password", learner.password).await;
        submit_form_of(c, "email").await;
        c.goto(&format!("{base}/courses")).await.expect("open the catalog");
        follow(c, "Rust from Scratch").await;
        submit(c, "//main//form[contains(@action, '/enroll')]").await;
        follow(c, "Installing the toolchain").await;
        let ended = c
            .execute_async(
                r#"const done = arguments[arguments.length - 1];
                   const v = document.querySelector("video[data-progress-url]");
                   if (!v) { done("no tracked video"); return; }
                   v.addEventListener("ended", () => done("ended"), { once: true });
                   const go = () => { v.muted = true; v.currentTime = Math.max(0, v.duration - 0.3);
                                      v.play().catch((e) => done("play: " + e)); };
                   if (v.readyState >= 1) go(); else v.addEventListener("loadedmetadata", go, { once: true });"#,
                vec![],
            )
            .await
            .expect("play the video");
        assert_eq!(ended.as_str(), Some("ended"), "{ended}");
        poll(c, "the page to say the lesson is complete", move || async move {
            let note = c.find(Locator::Css("[data-once-complete]")).await.ok()?;
            note.is_displayed().await.ok()?.then_some(())
        })
        .await;
        c.refresh().await.expect("reload the lesson");
        let status = c.find(Locator::Css("main .badge-done")).await.expect("the server's completed badge");
        assert!(status.text().await.unwrap().contains("Completed"));
        assert!(c.find(Locator::XPath(COMPLETE)).await.is_err(), "no 'Mark as complete' any more");
    };
    with_browser(scenario).await;
    app.stop().await;
}

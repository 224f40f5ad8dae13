//! Issue 14's journey in a real headless Chromium (see `browser_kit`): the
//! assignment was due two days ago and closed yesterday; the instructor grants
//! the learner an extension on the settings page; the learner uploads a file
//! (the page's upload with its progress script) and submits it after the
//! class's due date; the instructor grades it with the course's rubric and
//! releases the grades; the learner sees the grade in their gradebook and the
//! feedback on the assignment. Every page passes axe-core and fits a phone;
//! both backends.

use crate::{browser_kit, common, courses_kit, enrollment_kit};

use browser_kit::{check_accessibility, fits_a_phone, main_text, poll, type_into, with_browser};
use common::{Backend, PASSWORD, spawn};
use fantoccini::{Client, Locator};
use lyceum_platform::auth::Role;
use serde_json::json;

on_both_backends!(a_late_file_with_an_extension_is_graded_with_a_rubric_and_released);

const DAY_MS: i64 = 24 * 3_600_000;

fn rfc3339(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms).unwrap().to_string()
}

async fn a_late_file_with_an_extension_is_graded_with_a_rubric_and_released(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    app.create_user("learner@example.org", Role::Learner).await;
    let (course, slug) = enrollment_kit::published(&teacher, "Essays", json!({})).await;
    let module = courses_kit::module(&teacher, &course, "Week 1").await;
    enrollment_kit::add_to_roster(&teacher, &course, "learner@example.org").await;
    let rubric = teacher
        .post(
            &format!("/api/v1/courses/{course}/rubrics"),
            json!({"title": "Essay rubric", "text": "Argument | Weak = 0 | Clear = 5\nSources | None = 0 | Cited = 5"}),
        )
        .await;
    assert_eq!(rubric.status, 201, "{}", rubric.text);
    let now = jiff::Timestamp::now().as_millisecond();
    let settings = json!({
        "due_at": rfc3339(now - 2 * DAY_MS), "cut_off_at": rfc3339(now - DAY_MS), "online_text": false, "max_files": 1,
        "max_points": 10, "release": "manual", "rubric_id": rubric.json()["id"],
    });
    let made = teacher
        .post("/api/v1/assignments", json!({"module_id": module, "title": "Book review", "settings": settings}))
        .await;
    assert_eq!(made.status, 201, "{}", made.text);
    let id = made.json()["id"].as_str().unwrap().to_string();
    let review = std::env::temp_dir().join(format!("review-{id}.pdf"));
    std::fs::write(&review, b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n").unwrap();

    let sign_in = async |c: &Client, email: &str| {
        c.goto(&format!("{}/login", app.url)).await.expect("open /login");
        type_into(c, "email", email).await;
        type_into(c, "password", PASSWORD).await;
        browser_kit::submit_form_of(c, "email").await;
    };
    let check = async |c: &Client, axe: Option<&str>, label: &str| {
        if let Some(axe) = axe {
            check_accessibility(c, axe, label).await;
        }
        fits_a_phone(c, label).await;
    };
    let assignment_page = format!("{}/assignments/{id}", app.url);

    // The instructor grants an extension: a week from now.
    let ran = with_browser(async |c: &Client, axe: Option<&str>| {
        sign_in(c, "teacher@example.org").await;
        c.goto(&format!("{}/teach/assignments/{id}", app.url)).await.expect("open the settings");
        let email = c.find(Locator::Id("ext-email")).await.expect("the extension's e-mail");
        email.send_keys("learner@example.org").await.expect("type the e-mail");
        let week = jiff::Timestamp::from_millisecond(now + 7 * DAY_MS).unwrap().strftime("%Y-%m-%dT%H:%M").to_string();
        c.execute("document.getElementById('ext-due').value = arguments[0]", vec![json!(week)]).await.unwrap();
        browser_kit::submit(c, &format!("//form[@action='/teach/assignments/{id}/extensions']")).await;
        assert!(main_text(c).await.contains("Extension granted."), "{}", main_text(c).await);
        check(c, axe, "/teach/assignments/{id} (an extension)").await;
    })
    .await;
    if !ran {
        return;
    }

    // The learner hands in a file, after the class's cut-off, in time by their own date.
    with_browser(async |c: &Client, axe: Option<&str>| {
        sign_in(c, "learner@example.org").await;
        c.goto(&assignment_page).await.expect("open the assignment");
        assert!(main_text(c).await.contains("extended for you"), "{}", main_text(c).await);
        let input = c.find(Locator::Css("main input[type='file']")).await.expect("the file field");
        input.send_keys(review.to_str().unwrap()).await.expect("choose the file");
        let upload = c.form(Locator::XPath("//main//input[@type='file']/ancestor::form[1]")).await.unwrap();
        upload.submit_with(Locator::Css("button[type='submit']")).await.expect("upload the file");
        poll(c, "the uploaded file", || async { main_text(c).await.contains("review-").then_some(()) }).await;
        check(c, axe, "/assignments/{id} (a file in the draft)").await;
        let work = c.form(Locator::XPath("//main//button[@formaction]/ancestor::form[1]")).await.unwrap();
        work.submit_with(Locator::Css("button[formaction]")).await.expect("submit the work");
        poll(c, "the submitted page", || async {
            main_text(c).await.contains("Your work was submitted.").then_some(())
        })
        .await;
        check(c, axe, "/assignments/{id} (submitted)").await;
    })
    .await;

    let listed = teacher.get(&format!("/api/v1/assignments/{id}/submissions")).await.json();
    let sid = listed["items"][0]["id"].as_str().unwrap_or_else(|| panic!("a submission: {listed}")).to_string();
    assert_eq!(listed["items"][0]["late_ms"], 0, "in time by the learner's own date: {listed}");

    // The instructor grades it with the rubric and releases the grades.
    with_browser(async |c: &Client, axe: Option<&str>| {
        sign_in(c, "teacher@example.org").await;
        c.goto(&format!("{}/teach/assignments/{id}/submissions", app.url)).await.expect("open the queue");
        let queue = main_text(c).await;
        assert!(queue.contains("Test User") && queue.contains("Submitted"), "{queue}");
        c.goto(&format!("{}/teach/assignment-submissions/{sid}", app.url)).await.expect("open the grading page");
        check(c, axe, "/teach/assignment-submissions/{id}").await;
        for (criterion, level) in [(0, 1), (1, 0)] {
            let radio = format!("main input[name='level.{criterion}'][value='{level}']");
            c.find(Locator::Css(&radio)).await.expect("a rubric level").click().await.expect("choose a level");
        }
        type_into(c, "feedback", "A clear argument; cite your **sources** next time.").await;
        browser_kit::submit_form_of(c, "feedback").await;
        assert!(main_text(c).await.contains("Grade saved."), "{}", main_text(c).await);
        c.goto(&format!("{}/teach/assignments/{id}", app.url)).await.expect("open the settings");
        browser_kit::submit(c, &format!("//form[@action='/teach/assignments/{id}/release']")).await;
        check(c, axe, "/teach/assignments/{id} (released)").await;
    })
    .await;

    // The release's events reach the gradebook (and the learner's notice) through the jobs.
    app.drain_jobs().await;
    // The learner sees the grade in their gradebook and the feedback on the assignment.
    with_browser(async |c: &Client, axe: Option<&str>| {
        sign_in(c, "learner@example.org").await;
        c.goto(&format!("{}/learn/{slug}/grades", app.url)).await.expect("open my grades");
        let grades = main_text(c).await.to_lowercase();
        assert!(
            grades.contains("book review assignment 5 10") && grades.contains("50 %"),
            "the released grade: {grades}"
        );
        check(c, axe, "/learn/{slug}/grades (released)").await;
        c.goto(&assignment_page).await.expect("open the assignment");
        let page = main_text(c).await;
        assert!(page.contains("cite your sources next time") && page.contains("Clear"), "{page}");
        check(c, axe, "/assignments/{id} (graded)").await;
    })
    .await;
    let _ = std::fs::remove_file(&review);
    app.stop().await;
}

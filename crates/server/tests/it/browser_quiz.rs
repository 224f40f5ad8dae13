//! The question bank's and quizzes' pages in a real headless Chromium (see
//! `browser_kit`): the demo course's bank and one question with its "try it"
//! form, a learner's attempt from start to review, the instructor's quiz
//! pages — each passes axe-core and has no horizontal scroll at 390 px; on
//! both backends.

use crate::{browser_kit, common};

use browser_kit::{check_accessibility, fits_a_phone, follow, main_text, submit_form_of, type_into, with_browser};
use common::{Backend, spawn};
use fantoccini::Client;

on_both_backends!(bank_pages_work_at_both_widths, quiz_pages_work_at_both_widths);

async fn bank_pages_work_at_both_widths(backend: Backend) {
    let app = spawn(backend).await;
    let loaded = lyceum::demo::seed(app.state()).await.expect("demo content on an empty database");
    let instructor = &loaded.accounts()[0];
    let scenario = async |c: &Client, axe: Option<&str>| {
        c.goto(&format!("{}/login", app.url)).await.expect("open /login");
        type_into(c, "email", instructor.email).await;
        type_into(c, "password", instructor.password).await;
        submit_form_of(c, "email").await;
        let page = async |label: &str| {
            if let Some(axe) = axe {
                check_accessibility(c, axe, label).await;
            }
            fits_a_phone(c, label).await;
        };
        c.goto(&format!("{}/teach", app.url)).await.expect("open /teach");
        follow(c, "Rust from Scratch").await;
        follow(c, "Question bank").await;
        assert!(main_text(c).await.contains("Integer sizes"), "the demo bank:\n{}", main_text(c).await);
        page("/teach/courses/{id}/questions").await;
        follow(c, "Match the types").await;
        assert!(main_text(c).await.contains("As a learner sees it"), "{}", main_text(c).await);
        page("/teach/questions/{id}").await;
    };
    with_browser(scenario).await;
    app.stop().await;
}

/// The demo's timed quiz taken by the demo learner (start, the attempt with
/// its clock, the summary, submit, the review), then the instructor's quiz
/// pages (questions and settings, results, item analysis): each passes axe
/// and fits a phone.
async fn quiz_pages_work_at_both_widths(backend: Backend) {
    let app = spawn(backend).await;
    let loaded = lyceum::demo::seed(app.state()).await.expect("demo content on an empty database");
    let (instructor, learner) = (&loaded.accounts()[0], &loaded.accounts()[1]);
    let mut staff = app.client();
    staff.login(instructor.email, instructor.password).await;
    let course: String = sqlx::query_scalar("SELECT id FROM courses WHERE slug = 'rust-from-scratch'")
        .fetch_one(app.state().db.pool())
        .await
        .unwrap();
    staff.post(&format!("/api/v1/courses/{course}/roster"), serde_json::json!({"email": learner.email})).await;
    let quiz: String = sqlx::query_scalar(
        "SELECT q.id FROM quizzes q JOIN lessons l ON l.id = q.lesson_id WHERE l.title = 'Ownership check'",
    )
    .fetch_one(app.state().db.pool())
    .await
    .unwrap();
    let sign_in = async |c: &Client, email: &str, password: &str| {
        c.goto(&format!("{}/login", app.url)).await.expect("open /login");
        type_into(c, "email", email).await;
        type_into(c, "password", password).await;
        submit_form_of(c, "email").await;
    };
    let check = async |c: &Client, axe: Option<&str>, label: &str| {
        if let Some(axe) = axe {
            check_accessibility(c, axe, label).await;
        }
        fits_a_phone(c, label).await;
    };
    with_browser(async |c: &Client, axe: Option<&str>| {
        sign_in(c, learner.email, learner.password).await;
        c.goto(&format!("{}/quizzes/{quiz}", app.url)).await.expect("open the quiz");
        assert!(main_text(c).await.contains("10 min"), "{}", main_text(c).await);
        check(c, axe, "/quizzes/{id}").await;
        browser_kit::submit(c, "//form[contains(@action, '/start')]").await;
        assert!(main_text(c).await.contains("Time left"), "{}", main_text(c).await);
        check(c, axe, "/quiz-attempts/{id}").await;
        browser_kit::submit(c, "//form[@data-quiz-autosave]").await;
        assert!(main_text(c).await.contains("Summary of your attempt"), "{}", main_text(c).await);
        check(c, axe, "/quiz-attempts/{id}/summary").await;
        browser_kit::submit(c, "//form[contains(@action, '/submit')]").await;
        assert!(main_text(c).await.contains("Review of attempt"), "{}", main_text(c).await);
        check(c, axe, "/quiz-attempts/{id}/review").await;
    })
    .await;
    with_browser(async |c: &Client, axe: Option<&str>| {
        sign_in(c, instructor.email, instructor.password).await;
        c.goto(&format!("{}/teach/quizzes/{quiz}", app.url)).await.expect("open the quiz's settings");
        assert!(main_text(c).await.contains("Random question from"), "{}", main_text(c).await);
        check(c, axe, "/teach/quizzes/{id}").await;
        follow(c, "Results and grading").await;
        check(c, axe, "/teach/quizzes/{id}/results").await;
        follow(c, "Item analysis").await;
        check(c, axe, "/teach/quizzes/{id}/analysis").await;
    })
    .await;
    app.stop().await;
}

//! The assignment pages in a real headless Chromium (see `browser_kit`): the
//! demo learner hands in the demo assignment from its lesson (text, the
//! statement, submit) and opens their grades; the instructor opens the
//! settings, the queue and a grading page, grades the demo classmate
//! waiting with the rubric, and opens the gradebook and an item's page — each page passes
//! axe-core and has no horizontal scroll at 390 px; on both backends.

use crate::{browser_kit, common};

use browser_kit::{check_accessibility, fits_a_phone, follow, main_text, poll, type_into, with_browser};
use common::{Backend, spawn};
use fantoccini::{Client, Locator};

on_both_backends!(assignment_pages_work_at_both_widths);

async fn assignment_pages_work_at_both_widths(backend: Backend) {
    let app = spawn(backend).await;
    let loaded = lyceum::demo::seed(app.state()).await.expect("demo content on an empty database");
    app.drain_jobs().await;
    let (instructor, learner) = (&loaded.accounts()[0], &loaded.accounts()[1]);
    let pool = app.state().db.pool();
    let course: String =
        sqlx::query_scalar("SELECT id FROM courses WHERE slug = 'rust-from-scratch'").fetch_one(pool).await.unwrap();
    let mut staff = app.client();
    staff.login(instructor.email, instructor.password).await;
    staff.post(&format!("/api/v1/courses/{course}/roster"), serde_json::json!({"email": learner.email})).await;
    let (assignment, lesson): (String, String) =
        sqlx::query_as("SELECT id, lesson_id FROM assignments WHERE course_id = $1")
            .bind(&course)
            .fetch_one(pool)
            .await
            .unwrap();
    let waiting: String = sqlx::query_scalar(
        "SELECT s.id FROM assignment_submissions s JOIN users u ON u.id = s.user_id WHERE u.email = 'edsger@demo.lyceum.localhost'",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    let sign_in = async |c: &Client, email: &str, password: &str| {
        c.goto(&format!("{}/login", app.url)).await.expect("open /login");
        type_into(c, "email", email).await;
        type_into(c, "password", password).await;
        browser_kit::submit_form_of(c, "email").await;
    };
    let check = async |c: &Client, axe: Option<&str>, label: &str| {
        if let Some(axe) = axe {
            check_accessibility(c, axe, label).await;
        }
        fits_a_phone(c, label).await;
    };
    with_browser(async |c: &Client, axe: Option<&str>| {
        sign_in(c, learner.email, learner.password).await;
        c.goto(&format!("{}/learn/rust-from-scratch/lessons/{lesson}", app.url)).await.expect("open the lesson");
        follow(c, "Open the assignment").await;
        assert!(main_text(c).await.contains("Write your own wc"), "{}", main_text(c).await);
        check(c, axe, "/assignments/{id} (a draft)").await;
        type_into(c, "text", "I read the bytes and counted with `split_whitespace`.").await;
        c.find(Locator::Css("main input[name='statement']")).await.expect("the statement").click().await.unwrap();
        let form = c.form(Locator::XPath("//main//textarea[@name='text']/ancestor::form[1]")).await.unwrap();
        form.submit_with(Locator::Css("button[formaction]")).await.expect("submit the work");
        poll(c, "the submitted page", || async {
            main_text(c).await.contains("Your work was submitted.").then_some(())
        })
        .await;
        check(c, axe, "/assignments/{id} (submitted)").await;
        c.goto(&format!("{}/learn/rust-from-scratch/grades", app.url)).await.expect("open the learner's grades");
        check(c, axe, "/learn/{slug}/grades").await;
    })
    .await;
    with_browser(async |c: &Client, axe: Option<&str>| {
        sign_in(c, instructor.email, instructor.password).await;
        c.goto(&format!("{}/teach/assignments/{assignment}", app.url)).await.expect("open the settings");
        assert!(main_text(c).await.contains("Extensions"), "{}", main_text(c).await);
        check(c, axe, "/teach/assignments/{id}").await;
        follow(c, "Submissions").await;
        assert!(main_text(c).await.contains("Ada Lovelace"), "{}", main_text(c).await);
        check(c, axe, "/teach/assignments/{id}/submissions").await;
        follow(c, "Upload marks").await;
        check(c, axe, "/teach/assignments/{id}/worksheet").await;
        // A worksheet with rows left out, previewed; a feedback zip, reported.
        let dir = std::env::temp_dir().join(format!("marks-{assignment}"));
        std::fs::create_dir_all(&dir).unwrap();
        let sheet = dir.join("grades.csv");
        std::fs::write(&sheet, format!("Submission,Points\n{waiting},5\nnope,1\n")).unwrap();
        let input = c.find(Locator::Id("sheet")).await.expect("the worksheet field");
        input.send_keys(sheet.to_str().unwrap()).await.expect("choose the worksheet");
        browser_kit::submit(c, "//input[@id='sheet']/ancestor::form[1]").await;
        assert!(main_text(c).await.contains("Rows left out"), "{}", main_text(c).await);
        check(c, axe, "/teach/assignments/{id}/worksheet (preview)").await;
        c.goto(&format!("{}/teach/assignments/{assignment}/worksheet", app.url)).await.expect("open the upload page");
        let marked = dir.join("marked.zip");
        std::fs::write(&marked, one_file_zip("Someone - 000000/notes.txt", b"Good.")).unwrap();
        let input = c.find(Locator::Id("feedback-zip")).await.expect("the feedback zip field");
        input.send_keys(marked.to_str().unwrap()).await.expect("choose the zip");
        browser_kit::submit(c, "//input[@id='feedback-zip']/ancestor::form[1]").await;
        assert!(main_text(c).await.contains("matches no submitted work"), "{}", main_text(c).await);
        check(c, axe, "/teach/assignments/{id}/feedback-zip (report)").await;
        let _ = std::fs::remove_dir_all(&dir);
        for page in ["rubrics", "marking-guides", "scales"] {
            c.goto(&format!("{}/teach/courses/{course}/{page}", app.url)).await.expect("open the course's definitions");
            check(c, axe, &format!("/teach/courses/{{id}}/{page}")).await;
        }
        c.goto(&format!("{}/teach/assignment-submissions/{waiting}", app.url)).await.expect("open a grading page");
        check(c, axe, "/teach/assignment-submissions/{id}").await;
        for criterion in 0..3 {
            let level = format!("main input[name='level.{criterion}'][value='1']");
            c.find(Locator::Css(&level)).await.expect("a rubric level").click().await.expect("choose a level");
        }
        type_into(c, "feedback", "Careful work.").await;
        browser_kit::submit_form_of(c, "feedback").await;
        assert!(main_text(c).await.contains("Grade saved."), "{}", main_text(c).await);
        c.goto(&format!("{}/teach/courses/{course}/gradebook", app.url)).await.expect("open the gradebook");
        assert!(main_text(c).await.contains("80 %"), "the demo grades: {}", main_text(c).await);
        check(c, axe, "/teach/courses/{id}/gradebook").await;
        follow(c, "Write your own wc").await;
        check(c, axe, "/teach/grade-items/{id}").await;
    })
    .await;
    app.stop().await;
}

/// A zip holding one file.
fn one_file_zip(path: &str, data: &[u8]) -> Vec<u8> {
    use std::io::Write as _;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file(path, zip::write::SimpleFileOptions::default()).unwrap();
    zip.write_all(data).unwrap();
    zip.finish().unwrap().into_inner()
}

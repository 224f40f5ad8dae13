//! The question bank's and quizzes' pages in a real headless Chromium (see
//! `browser_kit`): the demo course's bank and one question with its "try it"
//! form, a learner's attempt from start to review, the instructor's quiz
//! pages — each passes axe-core and has no horizontal scroll at 390 px; on
//! both backends.

use crate::{browser_kit, common, courses_kit};

use browser_kit::{
    check_accessibility, fits_a_phone, follow, main_text, poll, submit_form_of, type_into, with_browser,
};
use common::{Backend, spawn};
use fantoccini::{Client, Locator};

on_both_backends!(
    bank_pages_work_at_both_widths,
    quiz_pages_work_at_both_widths,
    ordering_by_drag_and_keyboard_is_graded_correct
);

async fn bank_pages_work_at_both_widths(backend: Backend) {
    let app = spawn(backend).await;
    let loaded = lyceum::demo::seed(app.state()).await.expect("demo content on an empty database");
    let instructor = &loaded.accounts()[0];
    // A finished background import of the instructor's, for its report page.
    let mut staff = app.client();
    staff.login(instructor.email, instructor.password).await;
    let course = courses_kit::course(&staff, "Drill").await;
    let text: String = (0..201).map(|i| format!("::Drill {i}::Is drill {i} done? {{T}}\n\n")).collect();
    let started = staff
        .post(
            &format!("/api/v1/courses/{course}/questions/import"),
            serde_json::json!({"format": "gift", "text": text}),
        )
        .await;
    assert_eq!(started.status, 202, "{}", started.text);
    let import_page = format!("/teach/question-imports/{}", started.json()["id"].as_str().unwrap());
    app.drain_jobs().await;
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
        follow(c, "Edit in the form").await;
        page("/teach/questions/{id}/edit").await;
        let preview = c.find(Locator::Css("button[value='preview']")).await.expect("the Preview button");
        preview.click().await.expect("click Preview");
        poll(c, "the draft's preview", || async { main_text(c).await.contains("not saved yet").then_some(()) }).await;
        page("/teach/questions/{id}/edit with its preview").await;
        c.goto(&format!("{}{import_page}", app.url)).await.expect("open the import's page");
        assert!(main_text(c).await.contains("201 question(s) imported"), "{}", main_text(c).await);
        page("/teach/question-imports/{id}").await;
    };
    with_browser(scenario).await;
    app.stop().await;
}

/// The demo's timed quiz taken by the demo learner (start, the attempt with
/// its clock, the summary, submit, the review), then the instructor's quiz
/// pages (questions and settings, results, item analysis, user overrides):
/// each passes axe and fits a phone.
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
    let learner_id: String = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(learner.email)
        .fetch_one(app.state().db.pool())
        .await
        .unwrap();
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
    // An override (after the learner's attempt), so the overrides page shows its table beside the form.
    let over = serde_json::json!({"time_limit_minutes": 30});
    let path = format!("/api/v1/quizzes/{quiz}/overrides/{learner_id}");
    assert_eq!(staff.send(reqwest::Method::PUT, &path, Some(&over)).await.status, 204);
    with_browser(async |c: &Client, axe: Option<&str>| {
        sign_in(c, instructor.email, instructor.password).await;
        c.goto(&format!("{}/teach/quizzes/{quiz}", app.url)).await.expect("open the quiz's settings");
        assert!(main_text(c).await.contains("Random question from"), "{}", main_text(c).await);
        check(c, axe, "/teach/quizzes/{id}").await;
        follow(c, "Results and grading").await;
        check(c, axe, "/teach/quizzes/{id}/results").await;
        follow(c, "Item analysis").await;
        check(c, axe, "/teach/quizzes/{id}/analysis").await;
        c.goto(&format!("{}/teach/quizzes/{quiz}", app.url)).await.expect("back to the quiz");
        follow(c, "User overrides").await;
        assert!(main_text(c).await.contains("(quiz: 10 min)"), "{}", main_text(c).await);
        check(c, axe, "/teach/quizzes/{id}/overrides").await;
    })
    .await;
    app.stop().await;
}

/// The demo's ordering question in a quiz with the demo's TeX question: the
/// attempt page shows the formula as MathML; the learner drags an item to
/// the end with a touch pointer, then puts the items in order with the
/// "move up" buttons pressed from the keyboard (focus staying on the moved
/// item's button, the live region saying where it went), submits, and the
/// review grades the order correct. The page passes axe and fits a phone.
async fn ordering_by_drag_and_keyboard_is_graded_correct(backend: Backend) {
    use fantoccini::{
        Locator,
        actions::{InputSource, PointerAction, TouchActions},
        key::Key,
    };
    use serde_json::{Value, json};

    use browser_kit::poll;

    const STEPS: [&str; 4] = ["cargo new hello", "Write fn main in src/main.rs", "cargo build", "./target/debug/hello"];
    let app = spawn(backend).await;
    let loaded = lyceum::demo::seed(app.state()).await.expect("demo content on an empty database");
    let (instructor, learner) = (&loaded.accounts()[0], &loaded.accounts()[1]);
    let mut staff = app.client();
    staff.login(instructor.email, instructor.password).await;
    let pool = app.state().db.pool();
    let course: String =
        sqlx::query_scalar("SELECT id FROM courses WHERE slug = 'rust-from-scratch'").fetch_one(pool).await.unwrap();
    let module: String =
        sqlx::query_scalar("SELECT id FROM course_modules WHERE course_id = $1 ORDER BY position LIMIT 1")
            .bind(&course)
            .fetch_one(pool)
            .await
            .unwrap();
    let mut ids = Vec::new();
    for name in ["Build and run", "Integer sizes"] {
        let id: String = sqlx::query_scalar("SELECT id FROM questions WHERE course_id = $1 AND name = $2")
            .bind(&course)
            .bind(name)
            .fetch_one(pool)
            .await
            .unwrap_or_else(|e| panic!("the demo question {name:?}: {e}"));
        ids.push(id);
    }
    staff.post(&format!("/api/v1/courses/{course}/roster"), json!({"email": learner.email})).await;
    let quiz = crate::quiz_kit::quiz(&staff, &course, &module, json!({}), &[&ids[0], &ids[1]]).await;
    let quiz = quiz["id"].as_str().expect("the quiz's id").to_string();
    let warm_up: String =
        sqlx::query_scalar("SELECT q.id FROM quizzes q JOIN lessons l ON l.id = q.lesson_id WHERE l.title = 'Warm-up'")
            .fetch_one(pool)
            .await
            .unwrap();

    with_browser(async |c: &Client, axe: Option<&str>| {
        c.goto(&format!("{}/login", app.url)).await.expect("open /login");
        type_into(c, "email", learner.email).await;
        type_into(c, "password", learner.password).await;
        submit_form_of(c, "email").await;
        c.goto(&format!("{}/quizzes/{quiz}", app.url)).await.expect("open the quiz");
        browser_kit::submit(c, "//form[contains(@action, '/start')]").await;
        let maths = c.find_all(Locator::Css("main .question .prose math")).await.expect("look for maths");
        assert!(!maths.is_empty(), "the TeX of \"Integer sizes\" is MathML:\n{}", main_text(c).await);
        let buttons = c.find_all(Locator::Css("ul[data-ordering] button[data-move]")).await.expect("move buttons");
        assert_eq!(buttons.len(), 2 * STEPS.len(), "quiz.js gave every item its two buttons");
        if let Some(axe) = axe {
            check_accessibility(c, axe, "/quiz-attempts/{id} with an ordering question").await;
        }
        fits_a_phone(c, "/quiz-attempts/{id} with an ordering question").await;

        let js = |script: &'static str| async move { c.execute(script, vec![]).await.expect(script) };
        let order = async || -> Vec<String> {
            let shown = js(
                "return [...document.querySelectorAll('ul[data-ordering] > li label')].map(l => l.innerText.trim())",
            );
            serde_json::from_value(shown.await).expect("the items' texts")
        };
        let ranks = async || -> Value {
            js("return [...document.querySelectorAll('ul[data-ordering] > li select')].map(s => s.value)").await
        };
        let status = async || -> String {
            js("return document.querySelector('ul[data-ordering] + [aria-live]').textContent")
                .await
                .as_str()
                .unwrap_or_default()
                .to_string()
        };

        // A drag with a finger: the top item, by its handle, to below the last one.
        let first = order().await[0].clone();
        let handles = c.find_all(Locator::Css("ul[data-ordering] .ordering-handle")).await.expect("drag handles");
        let (from, to) = (handles[0].clone(), handles[STEPS.len() - 1].clone());
        let drag = TouchActions::new("finger".to_string())
            .then(PointerAction::MoveToElement { element: from, duration: None, x: 0.0, y: 0.0 })
            .then(PointerAction::Down { button: fantoccini::actions::MOUSE_BUTTON_LEFT })
            .then(PointerAction::MoveToElement {
                element: to,
                duration: Some(std::time::Duration::from_millis(300)),
                x: 0.0,
                y: 20.0,
            })
            .then(PointerAction::Up { button: fantoccini::actions::MOUSE_BUTTON_LEFT });
        c.perform_actions(drag).await.expect("drag the first item");
        let dragged = order().await;
        assert_eq!(dragged.last(), Some(&first), "the dragged item is last: {dragged:?}");
        assert_eq!(ranks().await, json!(["1", "2", "3", "4"]), "the ranks follow the list");
        assert_eq!(status().await, format!("{first}: position 4 of 4."));

        // The keyboard: Enter on an item's "move up"; focus stays on it for the next press.
        for (place, step) in STEPS.iter().enumerate() {
            let mut at = order().await.iter().position(|s| s == step).unwrap_or_else(|| panic!("{step} is shown"));
            if at == place {
                continue;
            }
            let xpath = format!("//ul[@data-ordering]/li[{}]//button[@data-move='-1']", at + 1);
            let mut button = c.find(Locator::XPath(&xpath)).await.expect("the item's move up button");
            while at > place {
                button.send_keys(&Key::Enter).await.expect("press Enter on move up");
                at -= 1;
                assert_eq!(order().await.iter().position(|s| s == step), Some(at), "{step} moved up one");
                assert_eq!(status().await, format!("{step}: position {} of 4.", at + 1));
                button = c.active_element().await.expect("the focused element");
                let label = button.attr("aria-label").await.expect("its name");
                assert_eq!(label.as_deref(), Some(format!("Move up: {step}").as_str()), "focus follows the item");
            }
        }
        assert_eq!(order().await, STEPS, "the items in order");
        assert_eq!(ranks().await, json!(["1", "2", "3", "4"]));

        browser_kit::submit(c, "//form[@data-quiz-autosave]").await;
        browser_kit::submit(c, "//form[contains(@action, '/submit')]").await;
        let first_question = c.find(Locator::Css("main section.card")).await.expect("the review's first question");
        let text = first_question.text().await.unwrap_or_default();
        assert!(text.contains("Question 1 Correct ·"), "the order is graded correct:\n{}", main_text(c).await);

        // The demo's Warm-up meets the learner with the same question on its third page;
        // once checked (immediate feedback) the answer is final: no more moving.
        c.goto(&format!("{}/quizzes/{warm_up}", app.url)).await.expect("open the Warm-up");
        browser_kit::submit(c, "//form[contains(@action, '/start')]").await;
        let attempt = c.current_url().await.expect("the attempt's address");
        c.goto(&format!("{}?page=2", attempt.as_str().split('?').next().unwrap_or_default())).await.expect("page 3");
        assert!(main_text(c).await.contains("Put the steps"), "{}", main_text(c).await);
        let buttons = c.find_all(Locator::Css("button[data-move]")).await.expect("move buttons");
        assert_eq!(buttons.len(), 2 * STEPS.len(), "an open question can be reordered");
        c.find(Locator::Css("button[value='check']")).await.expect("Check").click().await.expect("click Check");
        poll(c, "the checked question", || async {
            let locked = js("return document.querySelectorAll('main select[disabled]').length").await;
            (locked == json!(STEPS.len())).then_some(())
        })
        .await;
        let movable = js("return document.querySelectorAll('ul[data-ordering], button[data-move]').length").await;
        assert_eq!(movable, json!(0), "a checked question is not reorderable");
    })
    .await;
    app.stop().await;
}

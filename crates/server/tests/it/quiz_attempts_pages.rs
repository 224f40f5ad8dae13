//! The quiz pages without JavaScript: from the lesson to the quiz, start,
//! answer, leave and come back (the answers are there), the summary,
//! submit, the review; the teacher's review with a grade form.

use crate::{common, courses_kit, enrollment_kit, quiz_kit};

use common::{Backend, spawn};
use lyceum_platform::auth::Role;
use serde_json::json;

fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text.find(start).unwrap_or_else(|| panic!("no {start} in {text}")) + start.len();
    text[from..].split(end).next().unwrap()
}

async fn a_learner_takes_a_quiz_in_the_browser(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (learner, _) = app.signed_in("learner@example.org", Role::Learner).await;
    let (course, slug) = enrollment_kit::published(&teacher, "Geography", json!({})).await;
    let module = courses_kit::module(&teacher, &course, "Quizzes").await;
    enrollment_kit::add_to_roster(&teacher, &course, "learner@example.org").await;
    let question = quiz_kit::question(&teacher, &course, "Capital of France").await;
    let quiz = quiz_kit::quiz(&teacher, &course, &module, json!({"time_limit_minutes": 20}), &[&question]).await;
    let (quiz_id, lesson) = (quiz["id"].as_str().unwrap(), quiz["lesson_id"].as_str().unwrap());

    let lesson_page = learner.get(&format!("/learn/{slug}/lessons/{lesson}")).await;
    assert!(lesson_page.text.contains(&format!("href=\"/lessons/{lesson}/quiz\"")), "{}", lesson_page.text);
    assert!(!lesson_page.text.contains("/complete\""), "no manual completion for a quiz's lesson");
    let link = learner.get(&format!("/lessons/{lesson}/quiz")).await;
    assert_eq!((link.status.as_u16(), link.header("location")), (303, format!("/quizzes/{quiz_id}").as_str()));
    let landing = learner.get(&format!("/quizzes/{quiz_id}")).await;
    assert_eq!(landing.status, 200, "{}", landing.text);
    assert!(landing.text.contains("20 min"), "{}", landing.text);

    let csrf = learner.page_csrf(&format!("/quizzes/{quiz_id}")).await;
    learner.form(&format!("/quizzes/{quiz_id}/start"), &[("csrf", &csrf)]).await;
    let attempt_id: String = sqlx::query_scalar("SELECT id FROM quiz_attempts WHERE quiz_id = $1")
        .bind(quiz_id)
        .fetch_one(app.state().db.pool())
        .await
        .unwrap();
    let page = learner.get(&format!("/quiz-attempts/{attempt_id}")).await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(page.text.contains("data-quiz-remaining"), "the server's remaining time is shown");
    let position =
        if between(&page.text, "<label for=\"q0_choice-0\">", "</label>").contains("Paris") { "0" } else { "1" };
    learner
        .form(
            &format!("/quiz-attempts/{attempt_id}"),
            &[("csrf", &csrf), ("page", "0"), ("q0_choice", position), ("go", "finish")],
        )
        .await;

    let back = learner.get(&format!("/quiz-attempts/{attempt_id}")).await;
    assert!(
        back.text.contains(&format!("value=\"{position}\" type=\"radio\" checked")),
        "the saved answer is shown again"
    );
    let summary = learner.get(&format!("/quiz-attempts/{attempt_id}/summary")).await;
    assert!(summary.text.contains("1 / 1"), "{}", summary.text);
    learner.form(&format!("/quiz-attempts/{attempt_id}/submit"), &[("csrf", &csrf)]).await;
    let review = learner.get(&format!("/quiz-attempts/{attempt_id}/review")).await;
    assert_eq!(review.status, 200, "{}", review.text);
    assert!(review.text.contains("100 %"), "{}", review.text);
    assert!(!review.text.contains("name=\"percent\""), "learners get no grade form");
    let again = learner.get(&format!("/quiz-attempts/{attempt_id}")).await;
    let review_url = format!("/quiz-attempts/{attempt_id}/review");
    assert_eq!(again.header("location"), review_url, "a submitted attempt opens its review");

    let quiz_id_owned = quiz_id.to_string();
    let analysis = teacher.get(&format!("/teach/quizzes/{quiz_id_owned}/analysis")).await;
    assert!(analysis.status == 200 && analysis.text.contains("<svg"), "{}", analysis.text);
    let staff_view = teacher.get(&format!("/quiz-attempts/{attempt_id}/review")).await;
    assert_eq!(staff_view.status, 200, "{}", staff_view.text);
    assert!(staff_view.text.contains("name=\"percent\""), "staff may grade from the review");
    app.stop().await;
}

async fn a_teacher_builds_a_timed_quiz_with_random_questions(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (course, _) = enrollment_kit::published(&teacher, "Geography", json!({})).await;
    let module = courses_kit::module(&teacher, &course, "Quizzes").await;
    let report = quiz_kit::import(&teacher, &course, "gift", quiz_kit::GIFT_FILE).await;
    assert_eq!(report["imported"], 5, "{report}");
    let editor = teacher.get(&format!("/teach/courses/{course}")).await;
    assert!(editor.text.contains(&format!("action=\"/teach/modules/{module}/quizzes\"")), "the outline offers a quiz");
    let csrf = teacher.page_csrf(&format!("/teach/courses/{course}")).await;
    let made =
        teacher.form(&format!("/teach/modules/{module}/quizzes"), &[("csrf", &csrf), ("title", "Capitals")]).await;
    assert_eq!(made.status.as_u16(), 303, "{}", made.text);
    let manage = made.header("location").to_string();
    assert!(manage.starts_with("/teach/quizzes/"), "{manage}");
    let quiz_id = manage.trim_start_matches("/teach/quizzes/").to_string();
    let page = teacher.get(&manage).await;
    assert_eq!(page.status, 200, "{}", page.text);

    let europe = between(&page.text, "<option value=\"", "\">Europe");
    let europe = europe.rsplit('"').next().unwrap().to_string();
    let slots = format!("{manage}/slots");
    let added = teacher
        .form(
            &slots,
            &[("csrf", &csrf), ("action", "add_random"), ("category_id", &europe), ("count", "2"), ("mark", "2")],
        )
        .await;
    assert_eq!(added.status.as_u16(), 303, "{}", added.text);
    let bad = teacher
        .form(&format!("{manage}/settings"), &[("csrf", &csrf), ("time_limit_minutes", "0"), ("close_at", "soon")])
        .await;
    assert_eq!(bad.status.as_u16(), 422, "{}", bad.text);
    assert!(bad.text.contains("Give a date and time"), "{}", bad.text);
    let fields = [
        ("csrf", csrf.as_str()),
        ("time_limit_minutes", "15"),
        ("grading_method", "highest"),
        ("completion", "submitted"),
        ("navigation", "free"),
        ("feedback", "deferred"),
        ("questions_per_page", "0"),
        ("review", "after_submit.marks"),
        ("review", "after_close.correct_answers"),
    ];
    let saved = teacher.form(&format!("{manage}/settings"), &fields).await;
    assert_eq!(saved.status.as_u16(), 303, "{}", saved.text);
    let quiz = teacher.get(&format!("/api/v1/quizzes/{quiz_id}")).await.json();
    assert_eq!(quiz["settings"]["time_limit_minutes"], 15);
    assert_eq!(
        quiz["settings"]["review"]["after_submit"],
        json!({"responses": false, "marks": true, "correct_answers": false, "feedback": false})
    );
    assert_eq!(quiz["slots"].as_array().unwrap().len(), 2);
    assert_eq!(quiz["max_marks"], 4.0);
    let results = teacher.get(&format!("{manage}/results")).await;
    assert_eq!(results.status, 200, "{}", results.text);
    app.stop().await;
}

on_both_backends!(a_learner_takes_a_quiz_in_the_browser, a_teacher_builds_a_timed_quiz_with_random_questions);

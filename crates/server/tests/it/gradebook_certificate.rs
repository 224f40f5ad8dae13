//! The certificate condition: a course whose certificate needs "completion
//! and a passing grade" completes without a certificate while the learner's
//! course total is short (the progress API and the lesson page say why), and
//! issues it — once, with one `course.completed` — when a later grade brings
//! the total to a pass — both backends.

use crate::{common, enrollment_kit, learning_kit};

use common::{Backend, TestApp, TestClient, spawn};
use lyceum_platform::auth::Role;
use reqwest::Method;
use serde_json::json;

async fn completion_notices(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE kind = 'notifications.course_completed'")
        .fetch_one(app.state().db.pool())
        .await
        .unwrap()
}

async fn grade(teacher: &TestClient, item: &str, user: &str, points: f64) {
    let path = format!("/api/v1/grade-items/{item}/grades/{user}");
    let reply = teacher.send(Method::PUT, &path, Some(&json!({"points": points}))).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
}

async fn a_certificate_waits_for_a_passing_grade(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (learner, learner_id) = app.signed_in("zoe@example.org", Role::Learner).await;
    let (late, _) = app.signed_in("li@example.org", Role::Learner).await;
    let text = learning_kit::text;
    let course = learning_kit::course_with(&teacher, "Passing", &[("Week 1", vec![text("One"), text("Two")])]).await;
    learning_kit::publish(&teacher, &course.id).await;
    enrollment_kit::add_to_roster(&teacher, &course.id, "zoe@example.org").await;
    enrollment_kit::add_to_roster(&teacher, &course.id, "li@example.org").await;
    let settings = json!({"letters": [{"letter": "P", "min_percent": 60}, {"letter": "F", "min_percent": 0}],
        "pass_percent": 60, "aggregation": "weighted", "certificate_rule": "completion_and_pass"});
    let path = format!("/api/v1/courses/{}/gradebook/settings", course.id);
    assert_eq!(teacher.send(Method::PUT, &path, Some(&settings)).await.status, 200);
    let exam = teacher
        .post(&format!("/api/v1/courses/{}/grade-items", course.id), json!({"title": "Exam", "max_points": 100}))
        .await;
    let exam = exam.json()["id"].as_str().unwrap().to_string();
    grade(&teacher, &exam, &learner_id, 52.0).await;

    // Every lesson complete, the total short: completed, no certificate, and why.
    learning_kit::complete(&learner, &course.lessons[0]).await;
    let done = learning_kit::complete(&learner, &course.lessons[1]).await;
    assert_eq!(done["course_just_completed"], false, "{done}");
    assert_eq!(done["course"]["percent"], 100);
    assert!(done["course"]["certificate_url"].is_null() && done["course"]["completed_at"].is_string(), "{done}");
    let waits = &done["course"]["certificate_waits"];
    assert_eq!(waits["message"], "A certificate needs a course grade of at least 60 %; yours is 52 %.", "{done}");
    assert_eq!((waits["pass_percent"].as_f64(), waits["percent"].as_f64()), (Some(60.0), Some(52.0)));
    let progress = format!("/api/v1/progress/courses/{}", course.id);
    assert_eq!(learner.get(&progress).await.json()["certificate_waits"]["percent"], 52.0);
    let lesson_page = format!("/learn/{}/lessons/{}", course.slug, course.lessons[1]);
    let page = learner.get(&lesson_page).await.text;
    assert!(page.contains("A certificate needs a course grade of at least 60 %; yours is 52 %."), "{page}");
    // No grade at all: said so.
    learning_kit::complete(&late, &course.lessons[0]).await;
    let late_done = learning_kit::complete(&late, &course.lessons[1]).await;
    assert_eq!(
        late_done["course"]["certificate_waits"]["message"],
        "A certificate needs a course grade of at least 60 %; you have no grade yet."
    );
    app.drain_jobs().await;
    assert_eq!(completion_notices(&app).await, 0, "no certificate, no course.completed");

    // A grade still short changes nothing; one that passes issues the certificate.
    grade(&teacher, &exam, &learner_id, 58.0).await;
    app.drain_jobs().await;
    assert!(learner.get(&progress).await.json()["certificate_url"].is_null());
    grade(&teacher, &exam, &learner_id, 75.0).await;
    app.drain_jobs().await;
    let now = learner.get(&progress).await.json();
    assert!(now["certificate_url"].as_str().is_some_and(|u| u.starts_with("/certificates/")), "{now}");
    assert!(now.get("certificate_waits").is_none(), "{now}");
    assert!(learner.get(&lesson_page).await.text.contains("/certificates/"), "the lesson page links it");
    assert_eq!(completion_notices(&app).await, 1, "course.completed once");
    // Later passing grades and repeated deliveries: still one certificate, one notice.
    grade(&teacher, &exam, &learner_id, 90.0).await;
    app.drain_jobs().await;
    assert_eq!(completion_notices(&app).await, 1);
    let certificates: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM certificates WHERE user_id = $1")
        .bind(&learner_id)
        .fetch_one(app.state().db.pool())
        .await
        .unwrap();
    assert_eq!(certificates, 1);
    // The other learner still waits.
    assert!(late.get(&progress).await.json()["certificate_waits"].is_object());
    app.stop().await;
}

async fn a_passing_grade_before_completion_issues_at_completion(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (learner, learner_id) = app.signed_in("zoe@example.org", Role::Learner).await;
    let course = learning_kit::course_with(&teacher, "Early", &[("Week 1", vec![learning_kit::text("One")])]).await;
    learning_kit::publish(&teacher, &course.id).await;
    enrollment_kit::add_to_roster(&teacher, &course.id, "zoe@example.org").await;
    let settings = json!({"letters": [{"letter": "F", "min_percent": 0}], "pass_percent": 50,
        "aggregation": "natural", "certificate_rule": "completion_and_pass"});
    let path = format!("/api/v1/courses/{}/gradebook/settings", course.id);
    assert_eq!(teacher.send(Method::PUT, &path, Some(&settings)).await.status, 200);
    let item = teacher
        .post(&format!("/api/v1/courses/{}/grade-items", course.id), json!({"title": "Talk", "max_points": 10}))
        .await;
    grade(&teacher, item.json()["id"].as_str().unwrap(), &learner_id, 5.0).await;
    app.drain_jobs().await;
    assert_eq!(completion_notices(&app).await, 0, "passing, not completed: nothing yet");
    let done = learning_kit::complete(&learner, &course.lessons[0]).await;
    assert_eq!(done["course_just_completed"], true, "{done}");
    assert!(done["course"]["certificate_url"].is_string());
    app.drain_jobs().await;
    assert_eq!(completion_notices(&app).await, 1);
    app.stop().await;
}

/// A change that moves every total — here the pass mark lowered in the
/// settings — issues the certificate of a completed learner it lets pass.
async fn a_lowered_pass_mark_issues_the_waiting_certificate(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (learner, learner_id) = app.signed_in("zoe@example.org", Role::Learner).await;
    let text = learning_kit::text;
    let course = learning_kit::course_with(&teacher, "Lowered", &[("Week 1", vec![text("One")])]).await;
    learning_kit::publish(&teacher, &course.id).await;
    enrollment_kit::add_to_roster(&teacher, &course.id, "zoe@example.org").await;
    let path = format!("/api/v1/courses/{}/gradebook/settings", course.id);
    let settings = |pass: f64| {
        json!({"letters": [{"letter": "F", "min_percent": 0}], "pass_percent": pass, "aggregation": "weighted",
            "certificate_rule": "completion_and_pass"})
    };
    assert_eq!(teacher.send(Method::PUT, &path, Some(&settings(60.0))).await.status, 200);
    let exam = teacher
        .post(&format!("/api/v1/courses/{}/grade-items", course.id), json!({"title": "Exam", "max_points": 100}))
        .await;
    grade(&teacher, exam.json()["id"].as_str().unwrap(), &learner_id, 52.0).await;
    learning_kit::complete(&learner, &course.lessons[0]).await;
    app.drain_jobs().await;
    let progress = format!("/api/v1/progress/courses/{}", course.id);
    assert!(learner.get(&progress).await.json()["certificate_url"].is_null());
    assert_eq!(teacher.send(Method::PUT, &path, Some(&settings(50.0))).await.status, 200);
    app.drain_jobs().await;
    let now = learner.get(&progress).await.json();
    assert!(now["certificate_url"].as_str().is_some_and(|u| u.starts_with("/certificates/")), "{now}");
    assert_eq!(completion_notices(&app).await, 1);
    app.stop().await;
}

on_both_backends!(
    a_certificate_waits_for_a_passing_grade,
    a_passing_grade_before_completion_issues_at_completion,
    a_lowered_pass_mark_issues_the_waiting_certificate
);

//! Quizzes and attempts through the API: a learner takes a quiz (start is
//! idempotent, answers are saved as they go, the server's deadline ends an
//! abandoned attempt), grading (automatic, and a person's for an essay),
//! review options, progress, and who may touch which attempt.

use crate::{common, courses_kit, enrollment_kit, quiz_kit};

use common::{Backend, TestApp, TestClient, spawn};
use lyceum_platform::auth::Role;
use quiz_kit::{gift_question, question, quiz};
use reqwest::Method;
use serde_json::{Value, json};

async fn put(client: &TestClient, path: &str, body: Value) -> common::Reply {
    client.send(Method::PUT, path, Some(&body)).await
}

/// A published course with one module, a learner enrolled, and two
/// questions: a multiple choice (Paris is right) and an essay.
struct Class {
    app: TestApp,
    teacher: TestClient,
    learner: TestClient,
    course: String,
    module: String,
    choice: String,
    essay: String,
}

async fn class(backend: Backend) -> Class {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (learner, _) = app.signed_in("learner@example.org", Role::Learner).await;
    let (course, _) = enrollment_kit::published(&teacher, "Geography", json!({})).await;
    let module = courses_kit::module(&teacher, &course, "Quizzes").await;
    enrollment_kit::add_to_roster(&teacher, &course, "learner@example.org").await;
    let choice = question(&teacher, &course, "Capital of France").await;
    let essay = gift_question(&teacher, &course, "::Why::Why is Paris the capital? {}").await;
    Class { app, teacher, learner, course, module, choice, essay }
}

fn id(v: &Value) -> String {
    v["id"].as_str().or(v["attempt"]["id"].as_str()).unwrap().to_string()
}

/// The choice position showing "Paris" in an attempt's view of slot `slot`.
fn paris(attempt: &Value, slot: usize) -> usize {
    let choices = attempt["slots"][slot]["view"]["body"]["choices"].as_array().unwrap();
    choices.iter().position(|c| c["body"] == "Paris").unwrap()
}

fn slot_of(attempt: &Value, kind: &str) -> usize {
    let slots = attempt["slots"].as_array().unwrap();
    slots.iter().position(|s| s["view"]["body"]["type"] == kind).unwrap()
}

async fn a_learner_takes_a_quiz_and_a_person_grades_the_essay(backend: Backend) {
    let c = class(backend).await;
    let settings = json!({"time_limit_minutes": 30, "shuffle_questions": true});
    let q = quiz(&c.teacher, &c.course, &c.module, settings, &[&c.choice, &c.essay]).await;
    let quiz_id = id(&q);
    assert_eq!(q["max_marks"], 2.0);
    let as_learner = c.learner.get(&format!("/api/v1/quizzes/{quiz_id}")).await.json();
    assert!(as_learner["slots"].is_null(), "a learner is not told which questions: {as_learner}");

    let started = c.learner.post(&format!("/api/v1/quizzes/{quiz_id}/attempts"), json!({})).await;
    assert_eq!(started.status, 201, "{}", started.text);
    let attempt = started.json();
    let again = c.learner.post(&format!("/api/v1/quizzes/{quiz_id}/attempts"), json!({})).await;
    assert_eq!(again.status, 200, "a second start returns the open attempt");
    assert_eq!(id(&again.json()), id(&attempt));
    let attempt_id = id(&attempt);
    let text = attempt.to_string();
    for secret in ["fraction", "feedback", "grader_info", "\"Yes\""] {
        assert!(!text.contains(secret), "an attempt leaks {secret}: {text}");
    }
    let remaining = attempt["remaining_seconds"].as_i64().unwrap();
    assert!((1700..=1800).contains(&remaining), "{remaining}");

    let (mc, essay) = (slot_of(&attempt, "multiple_choice"), slot_of(&attempt, "essay"));
    let answers = json!({"answers": [
        {"slot": mc, "response": {"type": "choices", "value": [paris(&attempt, mc)]}},
        {"slot": essay, "response": {"type": "essay", "value": {"text": "Its history.", "attachments": 0}}},
    ]});
    let saved = put(&c.learner, &format!("/api/v1/quizzes/attempts/{attempt_id}/answers"), answers).await;
    assert_eq!(saved.status, 200, "{}", saved.text);
    let resumed = c.learner.get(&format!("/api/v1/quizzes/attempts/{attempt_id}")).await.json();
    assert_eq!(resumed["slots"][essay]["response"]["value"]["text"], "Its history.", "saved answers come back");
    let bad = json!({"answers": [{"slot": mc, "response": {"type": "choices", "value": [7]}}]});
    put(&c.learner, &format!("/api/v1/quizzes/attempts/{attempt_id}/answers"), bad)
        .await
        .assert_problem(422, "validation");
    let wrong_slot = json!({"answers": [{"slot": 9, "response": {"type": "true_false", "value": true}}]});
    put(&c.learner, &format!("/api/v1/quizzes/attempts/{attempt_id}/answers"), wrong_slot)
        .await
        .assert_problem(422, "validation");

    let submitted = c.learner.post(&format!("/api/v1/quizzes/attempts/{attempt_id}/submit"), json!({})).await;
    assert_eq!(submitted.status, 200, "{}", submitted.text);
    assert_eq!(submitted.json()["state"], "submitted", "the essay waits for a person");
    let late = json!({"answers": [{"slot": mc, "response": {"type": "choices", "value": [0]}}]});
    put(&c.learner, &format!("/api/v1/quizzes/attempts/{attempt_id}/answers"), late)
        .await
        .assert_problem(409, "attempt-closed");

    let review = c.learner.get(&format!("/api/v1/quizzes/attempts/{attempt_id}/review")).await.json();
    assert_eq!(review["slots"][mc]["state"], "correct");
    assert_eq!(review["slots"][mc]["right_answer"], json!([]), "right answers only after the close date by default");
    assert_eq!(review["slots"][essay]["waiting"], true);
    assert!(review["slots"][mc]["question"].is_null(), "a learner never gets the question's answers");

    // The teacher's grading queue, then a grade with a note.
    let queue = c.teacher.get(&format!("/api/v1/quizzes/{quiz_id}/attempts?state=needs_grading")).await.json();
    assert_eq!(queue["items"][0]["learner_email"], "learner@example.org");
    let grade = json!({"fraction": 0.5, "note": "Say more about 987."});
    let graded = put(&c.teacher, &format!("/api/v1/quizzes/attempts/{attempt_id}/grades/{essay}"), grade).await;
    assert_eq!(graded.status, 200, "{}", graded.text);
    assert_eq!((graded.json()["state"].as_str(), graded.json()["percent"].as_f64()), (Some("graded"), Some(75.0)));
    let review = c.learner.get(&format!("/api/v1/quizzes/attempts/{attempt_id}/review")).await.json();
    assert_eq!(review["attempt"]["percent"], 75.0);
    assert_eq!(review["slots"][essay]["feedback"][0]["body"], "Say more about 987.");

    // The jobs: the lesson completes (submitted is the default rule), the learner is told of the grade.
    c.app.drain_jobs().await;
    let lesson = q["lesson_id"].as_str().unwrap();
    let progress = c.learner.get(&format!("/api/v1/progress/courses/{}", c.course)).await.json();
    assert!(progress["completed_lesson_ids"].as_array().unwrap().iter().any(|l| l == lesson), "{progress}");
    let notes = c.learner.get("/api/v1/notifications").await.json();
    let kinds: Vec<&str> = notes["items"].as_array().unwrap().iter().filter_map(|n| n["kind"].as_str()).collect();
    assert!(kinds.contains(&"quiz.graded"), "{notes}");
    let analysis = c.teacher.get(&format!("/api/v1/quizzes/{quiz_id}/analysis")).await.json();
    let items = analysis["items"].as_array().unwrap();
    let capital = items.iter().find(|i| i["name"] == "Capital of France").expect("the choice question is analysed");
    assert_eq!((capital["facility"].as_f64(), capital["answers"][0]["answer"].as_str()), (Some(100.0), Some("Paris")));
    let why = items.iter().find(|i| i["name"] == "Why").unwrap();
    assert_eq!(why["facility"], 50.0, "the person's half mark");
    assert_eq!(c.learner.get(&format!("/api/v1/quizzes/{quiz_id}/analysis")).await.status, 404);
    let csv = c.teacher.get(&format!("/api/v1/quizzes/{quiz_id}/results.csv")).await;
    assert!(csv.text.contains("learner@example.org,1,graded"), "{}", csv.text);
    c.app.stop().await;
}

async fn the_server_submits_an_attempt_whose_time_ran_out(backend: Backend) {
    let c = class(backend).await;
    let q = quiz(&c.teacher, &c.course, &c.module, json!({"time_limit_minutes": 5}), &[&c.choice]).await;
    let attempt = c.learner.post(&format!("/api/v1/quizzes/{}/attempts", id(&q)), json!({})).await.json();
    let attempt_id = id(&attempt);
    let answer = json!({"answers": [{"slot": 0, "response": {"type": "choices", "value": [paris(&attempt, 0)]}}]});
    assert_eq!(
        put(&c.learner, &format!("/api/v1/quizzes/attempts/{attempt_id}/answers"), answer.clone()).await.status,
        200
    );
    // The browser is gone and the five minutes pass: move the clock's marks back.
    let pool = c.app.state().db.pool();
    sqlx::query("UPDATE quiz_attempts SET deadline_at = deadline_at - 600000 WHERE id = $1")
        .bind(&attempt_id)
        .execute(pool)
        .await
        .unwrap();
    sqlx::query("UPDATE jobs SET run_at = 0 WHERE kind = 'quizzes.attempt_deadline'").execute(pool).await.unwrap();
    put(&c.learner, &format!("/api/v1/quizzes/attempts/{attempt_id}/answers"), answer)
        .await
        .assert_problem(409, "attempt-closed");
    c.app.drain_jobs().await;
    let state: (String, i64, Option<f64>) =
        sqlx::query_as("SELECT state, timed_out, marks FROM quiz_attempts WHERE id = $1")
            .bind(&attempt_id)
            .fetch_one(pool)
            .await
            .unwrap();
    assert_eq!(state, ("graded".to_string(), 1, Some(1.0)), "submitted by the job with the answer saved in time");
    c.app.stop().await;
}

async fn attempts_are_limited_and_an_override_gives_more(backend: Backend) {
    let c = class(backend).await;
    let q = quiz(&c.teacher, &c.course, &c.module, json!({"attempts_allowed": 1}), &[&c.choice]).await;
    let quiz_id = id(&q);
    let attempt = c.learner.post(&format!("/api/v1/quizzes/{quiz_id}/attempts"), json!({})).await.json();
    c.learner.post(&format!("/api/v1/quizzes/attempts/{}/submit", id(&attempt)), json!({})).await;
    c.learner
        .post(&format!("/api/v1/quizzes/{quiz_id}/attempts"), json!({}))
        .await
        .assert_problem(409, "no-attempts-left");
    let mine = c.learner.get(&format!("/api/v1/quizzes/{quiz_id}/attempts")).await.json();
    assert_eq!(
        (mine["can_start"].as_bool(), mine["cannot_start_reason"].as_str()),
        (Some(false), Some("no-attempts-left"))
    );

    let learner_id: String = sqlx::query_scalar("SELECT id FROM users WHERE email = 'learner@example.org'")
        .fetch_one(c.app.state().db.pool())
        .await
        .unwrap();
    let over =
        put(&c.teacher, &format!("/api/v1/quizzes/{quiz_id}/overrides/{learner_id}"), json!({"attempts_allowed": 2}))
            .await;
    assert_eq!(over.status, 204, "{}", over.text);
    assert_eq!(c.learner.post(&format!("/api/v1/quizzes/{quiz_id}/attempts"), json!({})).await.status, 201);
    let later = json!({"close_at": "2099-03-01T10:00:00+01:00", "attempts_allowed": 2});
    let over = put(&c.teacher, &format!("/api/v1/quizzes/{quiz_id}/overrides/{learner_id}"), later).await;
    assert_eq!(over.status, 204, "{}", over.text);
    let listed = c.teacher.get(&format!("/api/v1/quizzes/{quiz_id}/overrides")).await.json();
    assert_eq!(listed["items"][0]["close_at"], "2099-03-01T09:00:00Z", "an override's close date in RFC 3339 (UTC)");
    let no_close = json!({"attempts_allowed": 2});
    assert_eq!(
        put(&c.teacher, &format!("/api/v1/quizzes/{quiz_id}/overrides/{learner_id}"), no_close).await.status,
        204
    );
    let slots = json!([{"source": {"type": "question", "question_id": c.choice}}]);
    let closed = json!({"settings": {"close_at": "1970-01-01T00:00:01Z"}, "slots": slots});
    let bad = json!({"settings": {"open_at": "1970-01-01T01:00:02+01:00", "close_at": "1970-01-01T00:00:01Z",
        "time_limit_minutes": 0}, "slots": []});
    let reply = put(&c.teacher, &format!("/api/v1/quizzes/{quiz_id}"), bad).await;
    reply.assert_problem(422, "validation");
    assert_eq!(reply.error_fields(), ["settings.close_at", "settings.time_limit_minutes"]);
    // Times are RFC 3339 strings: anything else is a 422 naming the field.
    for (body, field) in [
        (json!({"settings": {"open_at": "tomorrow"}, "slots": []}), "settings.open_at"),
        (json!({"settings": {"close_at": "2027-03-01 09:00"}, "slots": []}), "settings.close_at"),
        (json!({"settings": {"close_at": 1000}, "slots": []}), "settings.close_at"),
    ] {
        let reply = put(&c.teacher, &format!("/api/v1/quizzes/{quiz_id}"), body).await;
        reply.assert_problem(422, "validation");
        assert_eq!(reply.error_fields(), [field], "{}", reply.text);
    }
    let over = format!("/api/v1/quizzes/{quiz_id}/overrides/{learner_id}");
    let reply = put(&c.teacher, &over, json!({"close_at": "next week"})).await;
    reply.assert_problem(422, "validation");
    assert_eq!(reply.error_fields(), ["close_at"]);
    let saved = put(&c.teacher, &format!("/api/v1/quizzes/{quiz_id}"), closed).await;
    assert_eq!(saved.status, 200, "{}", saved.text);
    assert_eq!(saved.json()["settings"]["close_at"], "1970-01-01T00:00:01Z", "read back as RFC 3339");
    assert!(saved.json()["settings"]["open_at"].is_null());
    let mine = c.learner.get(&format!("/api/v1/quizzes/{quiz_id}/attempts")).await.json();
    assert_eq!(
        mine["items"][1]["state"], "in_progress",
        "the open attempt is ended by its (now past) deadline on the next read"
    );
    let got = c.learner.get(&format!("/api/v1/quizzes/attempts/{}", id(&mine["items"][1]))).await.json();
    assert_eq!(got["attempt"]["state"], "graded");
    c.app.stop().await;
}

async fn concurrent_submits_grade_once(backend: Backend) {
    let c = class(backend).await;
    let q = quiz(&c.teacher, &c.course, &c.module, json!({}), &[&c.choice]).await;
    let attempt = c.learner.post(&format!("/api/v1/quizzes/{}/attempts", id(&q)), json!({})).await.json();
    let path = format!("/api/v1/quizzes/attempts/{}/submit", id(&attempt));
    let replies = futures::future::join_all((0..6).map(|_| c.learner.post(&path, json!({})))).await;
    assert!(replies.iter().all(|r| r.status == 200), "{:?}", replies.iter().map(|r| &r.text).collect::<Vec<_>>());
    let events: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE kind = 'learning.quiz_submitted_completion'")
        .fetch_one(c.app.state().db.pool())
        .await
        .unwrap();
    assert_eq!(events, 1, "one submit, one event");
    // Observers with nothing to do get no job: the grade was automatic (no
    // notice) and submitting, not passing, completes the lesson.
    let idle: Vec<String> = sqlx::query_scalar(
        "SELECT kind FROM jobs WHERE kind IN ('notifications.quiz_graded', 'learning.quiz_graded_completion')",
    )
    .fetch_all(c.app.state().db.pool())
    .await
    .unwrap();
    assert_eq!(idle, Vec::<String>::new(), "no job for an observer that would do nothing");
    c.app.stop().await;
}

async fn an_attempt_keeps_the_version_it_started_with(backend: Backend) {
    let c = class(backend).await;
    let q = quiz(&c.teacher, &c.course, &c.module, json!({}), &[&c.choice]).await;
    let attempt = c.learner.post(&format!("/api/v1/quizzes/{}/attempts", id(&q)), json!({})).await.json();
    let edited = put(
        &c.teacher,
        &format!("/api/v1/questions/{}", c.choice),
        json!({"gift": "::Seine::The Seine flows through Paris. {T}"}),
    )
    .await;
    assert_eq!(edited.status, 200, "{}", edited.text);
    let got = c.learner.get(&format!("/api/v1/quizzes/attempts/{}", id(&attempt))).await.json();
    assert_eq!(got["slots"][0]["view"]["body"]["type"], "multiple_choice", "version 1 is what this attempt shows");
    let answer = json!({"answers": [{"slot": 0, "response": {"type": "choices", "value": [paris(&got, 0)]}}]});
    assert_eq!(
        put(&c.learner, &format!("/api/v1/quizzes/attempts/{}/answers", id(&attempt)), answer).await.status,
        200
    );
    let row = c.learner.post(&format!("/api/v1/quizzes/attempts/{}/submit", id(&attempt)), json!({})).await.json();
    assert_eq!(row["percent"], 100.0);
    c.app.stop().await;
}

async fn a_random_slot_draws_from_its_category(backend: Backend) {
    let c = class(backend).await;
    let cat =
        c.teacher.post(&format!("/api/v1/courses/{}/question-categories", c.course), json!({"name": "Pool"})).await;
    let cat = cat.json()["id"].as_str().unwrap().to_string();
    for name in ["A", "B"] {
        let gift = format!("::{name}::Is {name} a letter? {{T}}");
        let reply = c
            .teacher
            .post(&format!("/api/v1/courses/{}/questions", c.course), json!({"gift": gift, "category_id": cat}))
            .await;
        assert_eq!(reply.status, 201, "{}", reply.text);
    }
    let random = json!({"source": {"type": "random", "category_id": cat}, "mark": 2.0});
    let body = json!({"module_id": c.module, "title": "Draw", "slots": [random.clone(), random.clone()]});
    let q = c.teacher.post(&format!("/api/v1/courses/{}/quizzes", c.course), body).await.json();
    let attempt = c.learner.post(&format!("/api/v1/quizzes/{}/attempts", id(&q)), json!({})).await.json();
    let texts: Vec<String> =
        attempt["slots"].as_array().unwrap().iter().map(|s| s["view"]["text"]["body"].to_string()).collect();
    assert_eq!(texts.len(), 2);
    assert_ne!(texts[0], texts[1], "never the same question twice in one attempt");
    let three = json!({"settings": {}, "slots": [random.clone(), random.clone(), random]});
    assert_eq!(put(&c.teacher, &format!("/api/v1/quizzes/{}", id(&q)), three).await.status, 200);
    let (other, _) = c.app.signed_in("other@example.org", Role::Learner).await;
    enrollment_kit::add_to_roster(&c.teacher, &c.course, "other@example.org").await;
    other
        .post(&format!("/api/v1/quizzes/{}/attempts", id(&q)), json!({}))
        .await
        .assert_problem(409, "quiz-has-no-questions");
    c.app.stop().await;
}

async fn nobody_else_reaches_a_quiz_or_an_attempt(backend: Backend) {
    let c = class(backend).await;
    let q = quiz(&c.teacher, &c.course, &c.module, json!({}), &[&c.choice]).await;
    let quiz_id = id(&q);
    let attempt = c.learner.post(&format!("/api/v1/quizzes/{quiz_id}/attempts"), json!({})).await.json();
    let attempt_id = id(&attempt);
    let (peer, _) = c.app.signed_in("peer@example.org", Role::Learner).await;
    enrollment_kit::add_to_roster(&c.teacher, &c.course, "peer@example.org").await;
    let (stranger, _) = c.app.signed_in("stranger@example.org", Role::Instructor).await;
    let answer = json!({"answers": [{"slot": 0, "response": {"type": "choices", "value": [0]}}]});
    let grade = json!({"fraction": 1.0});
    for (who, client) in [("another learner of the course", &peer), ("another instructor", &stranger)] {
        let calls = [
            ("get attempt", client.get(&format!("/api/v1/quizzes/attempts/{attempt_id}")).await.status),
            (
                "save",
                put(client, &format!("/api/v1/quizzes/attempts/{attempt_id}/answers"), answer.clone()).await.status,
            ),
            ("submit", client.post(&format!("/api/v1/quizzes/attempts/{attempt_id}/submit"), json!({})).await.status),
            ("review", client.get(&format!("/api/v1/quizzes/attempts/{attempt_id}/review")).await.status),
            (
                "grade",
                put(client, &format!("/api/v1/quizzes/attempts/{attempt_id}/grades/0"), grade.clone()).await.status,
            ),
            (
                "edit quiz",
                put(client, &format!("/api/v1/quizzes/{quiz_id}"), json!({"settings": {}, "slots": []})).await.status,
            ),
            ("csv", client.get(&format!("/api/v1/quizzes/{quiz_id}/results.csv")).await.status),
            ("overrides", client.get(&format!("/api/v1/quizzes/{quiz_id}/overrides")).await.status),
        ];
        for (call, status) in calls {
            assert_eq!(status, 404, "{who}: {call}");
        }
    }
    assert_eq!(c.app.client().get(&format!("/api/v1/quizzes/attempts/{attempt_id}")).await.status, 401);
    // The learner cannot grade or read the staff's table of their own quiz.
    put(&c.learner, &format!("/api/v1/quizzes/attempts/{attempt_id}/grades/0"), grade)
        .await
        .assert_problem(404, "not-found");
    assert_eq!(c.learner.get(&format!("/api/v1/quizzes/{quiz_id}/results.csv")).await.status, 404);
    // Staff look, never answer for the learner.
    assert_eq!(c.teacher.get(&format!("/api/v1/quizzes/attempts/{attempt_id}")).await.status, 200);
    put(&c.teacher, &format!("/api/v1/quizzes/attempts/{attempt_id}/answers"), answer)
        .await
        .assert_problem(409, "attempt-closed");
    // A quiz's lesson is completed by the quiz, not by hand.
    let lesson = q["lesson_id"].as_str().unwrap();
    let manual = put(&c.learner, &format!("/api/v1/progress/lessons/{lesson}"), json!({"completed": true})).await;
    manual.assert_problem(409, "completed-by-activity");
    c.app.stop().await;
}

async fn a_regrade_after_a_fix_uses_the_fixed_version_in_the_background(backend: Backend) {
    let c = class(backend).await;
    let q = quiz(&c.teacher, &c.course, &c.module, json!({}), &[&c.choice]).await;
    let attempt = c.learner.post(&format!("/api/v1/quizzes/{}/attempts", id(&q)), json!({})).await.json();
    let attempt_id = id(&attempt);
    let lyon = 1 - paris(&attempt, 0);
    let answer = json!({"answers": [{"slot": 0, "response": {"type": "choices", "value": [lyon]}}]});
    put(&c.learner, &format!("/api/v1/quizzes/attempts/{attempt_id}/answers"), answer).await;
    let row = c.learner.post(&format!("/api/v1/quizzes/attempts/{attempt_id}/submit"), json!({})).await.json();
    assert_eq!(row["percent"], 0.0);

    // The teacher finds Lyon was meant to count too: a new version, same shape.
    let mut fixed = quiz_kit::choice_question("Capital of France", "Capital of **France**?");
    fixed["kind"]["choices"][1]["fraction"] = json!(1.0);
    fixed["kind"]["single"] = json!(true);
    let edited = put(&c.teacher, &format!("/api/v1/questions/{}", c.choice), json!({"question": fixed})).await;
    assert_eq!(edited.status, 200, "{}", edited.text);
    let started = c.teacher.post(&format!("/api/v1/quizzes/{}/regrades", id(&q)), json!({})).await;
    assert_eq!(started.status, 202, "{}", started.text);
    assert_eq!((started.json()["total"].as_i64(), started.json()["done"].as_i64()), (Some(1), Some(0)));
    c.app.drain_jobs().await;
    let regrades = c.teacher.get(&format!("/api/v1/quizzes/{}/regrades", id(&q))).await.json();
    let r = &regrades["items"][0];
    assert_eq!((r["done"].as_i64(), r["changed"].as_i64()), (Some(1), Some(1)), "{regrades}");
    assert!(r["finished_at"].is_string());
    let review = c.learner.get(&format!("/api/v1/quizzes/attempts/{attempt_id}/review")).await.json();
    assert_eq!(review["attempt"]["percent"], 100.0, "{review}");
    c.learner.post(&format!("/api/v1/quizzes/{}/regrades", id(&q)), json!({})).await.assert_problem(404, "not-found");
    c.app.stop().await;
}

on_both_backends!(
    a_regrade_after_a_fix_uses_the_fixed_version_in_the_background,
    a_learner_takes_a_quiz_and_a_person_grades_the_essay,
    the_server_submits_an_attempt_whose_time_ran_out,
    attempts_are_limited_and_an_override_gives_more,
    concurrent_submits_grade_once,
    an_attempt_keeps_the_version_it_started_with,
    a_random_slot_draws_from_its_category,
    nobody_else_reaches_a_quiz_or_an_attempt,
);

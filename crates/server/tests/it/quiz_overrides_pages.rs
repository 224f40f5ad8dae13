//! The staff's per-learner overrides page (`/teach/quizzes/{id}/overrides`):
//! an override set there gives the learner more attempts and a longer time
//! (the API says so), bad input re-renders the form with a 422 and the
//! message, delete asks first and gives the quiz's settings back, the results
//! page shows an attempt's time left; a learner and another course's
//! instructor get 404 on every address of it.

use crate::{common, courses_kit, enrollment_kit, quiz_kit};

use common::{Backend, TestClient, spawn};
use lyceum_platform::auth::Role;
use serde_json::json;

async fn remaining(learner: &TestClient, attempt_id: &str) -> i64 {
    let attempt = learner.get(&format!("/api/v1/quizzes/attempts/{attempt_id}")).await.json();
    attempt["remaining_seconds"].as_i64().unwrap()
}

async fn an_override_set_on_the_page_gives_more_attempts_and_time(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (learner, learner_id) = app.signed_in("learner@example.org", Role::Learner).await;
    let (_, outsider_id) = app.signed_in("outsider@example.org", Role::Learner).await;
    let (course, _) = enrollment_kit::published(&teacher, "Geography", json!({})).await;
    let module = courses_kit::module(&teacher, &course, "Quizzes").await;
    enrollment_kit::add_to_roster(&teacher, &course, "learner@example.org").await;
    let question = quiz_kit::question(&teacher, &course, "Capital of France").await;
    let settings = json!({"attempts_allowed": 1, "time_limit_minutes": 10});
    let quiz = quiz_kit::quiz(&teacher, &course, &module, settings, &[&question]).await;
    let quiz_id = quiz["id"].as_str().unwrap();
    let first = learner.post(&format!("/api/v1/quizzes/{quiz_id}/attempts"), json!({})).await.json();
    let first_id = first["attempt"]["id"].as_str().unwrap();
    learner.post(&format!("/api/v1/quizzes/attempts/{first_id}/submit"), json!({})).await;
    learner
        .post(&format!("/api/v1/quizzes/{quiz_id}/attempts"), json!({}))
        .await
        .assert_problem(409, "no-attempts-left");

    let manage = teacher.get(&format!("/teach/quizzes/{quiz_id}")).await;
    let url = format!("/teach/quizzes/{quiz_id}/overrides");
    assert!(manage.text.contains(&format!("href=\"{url}\"")), "the quiz's page links to its overrides");
    let page = teacher.get(&url).await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(page.text.contains("No overrides yet"), "{}", page.text);
    assert!(page.text.contains(&format!("<option value=\"{learner_id}\">")), "the enrolled learner is offered");
    assert!(!page.text.contains(&outsider_id), "only the course's learners are offered");

    // Bad input: the form again, with what was typed and a message per field.
    let csrf = teacher.page_csrf(&url).await;
    let typed = |close: &'static str, limit: &'static str, attempts: &'static str| {
        [
            ("csrf", csrf.clone()),
            ("user_id", learner_id.clone()),
            ("close_at", close.into()),
            ("time_limit_minutes", limit.into()),
            ("attempts_allowed", attempts.into()),
        ]
    };
    let selected = format!("<option value=\"{learner_id}\" selected>");
    let cases = [
        (typed("next week", "", ""), "Give a date and time", "value=\"next week\""),
        (typed("", "2000", ""), "A time limit is from 1 minute to 24 hours", "value=\"2000\""),
        (typed("", "ten", "2"), "Give a number", "value=\"ten\""),
        (typed("", "", "0"), "Allow from 1 to 100 attempts", "value=\"0\""),
        (typed("", "", ""), "Change at least one setting", selected.as_str()),
    ];
    for (fields, message, kept) in &cases {
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let reply = teacher.form(&url, &fields).await;
        assert_eq!(reply.status.as_u16(), 422, "{message}: {}", reply.text);
        assert!(reply.text.contains(message), "{message}: {}", reply.text);
        assert!(reply.text.contains(kept), "{kept} kept: {}", reply.text);
    }
    let stranger = [("csrf", csrf.as_str()), ("user_id", outsider_id.as_str()), ("attempts_allowed", "2")];
    let reply = teacher.form(&url, &stranger).await;
    assert_eq!(reply.status.as_u16(), 422, "{}", reply.text);
    assert!(reply.text.contains("not an enrolled learner"), "{}", reply.text);

    // Two attempts, 45 minutes, a later close date.
    let fields = [
        ("csrf", csrf.as_str()),
        ("user_id", learner_id.as_str()),
        ("close_at", "2099-06-15T12:00"),
        ("time_limit_minutes", "45"),
        ("attempts_allowed", "2"),
    ];
    let saved = teacher.form(&url, &fields).await;
    assert_eq!((saved.status.as_u16(), saved.header("location")), (303, url.as_str()), "{}", saved.text);
    let page = teacher.get(&url).await;
    assert!(
        page.text.contains("learner@example.org") && page.text.contains("<strong>45 min</strong>"),
        "{}",
        page.text
    );
    assert!(page.text.contains("(quiz: 10 min)"), "the quiz's own setting beside it: {}", page.text);
    let listed = teacher.get(&format!("/api/v1/quizzes/{quiz_id}/overrides")).await.json();
    let close_at = listed["items"][0]["close_at"].as_str().unwrap();
    assert!(close_at.starts_with("2099-06-15T"), "RFC 3339 in the API: {close_at}");
    let edit = teacher.get(&format!("{url}?user={learner_id}")).await;
    assert!(edit.text.contains("value=\"45\"") && edit.text.contains("value=\"2099-06-15T12:00\""), "{}", edit.text);

    let mine = learner.get(&format!("/api/v1/quizzes/{quiz_id}/attempts")).await.json();
    assert_eq!(mine["can_start"], true, "{mine}");
    let second = learner.post(&format!("/api/v1/quizzes/{quiz_id}/attempts"), json!({})).await;
    assert_eq!(second.status, 201, "{}", second.text);
    let second_id = second.json()["attempt"]["id"].as_str().unwrap().to_string();
    let left = remaining(&learner, &second_id).await;
    assert!((2600..=2700).contains(&left), "45 minutes, not 10: {left}");
    let results = teacher.get(&format!("/teach/quizzes/{quiz_id}/results")).await;
    assert!(results.text.contains("Time left") && results.text.contains("(until "), "{}", results.text);
    assert!(results.text.contains("44 min") || results.text.contains("45 min"), "{}", results.text);

    // Delete: asked first, then the quiz's 10 minutes again for the attempt under way.
    let confirm_url = format!("{url}/{learner_id}/delete");
    let confirm = teacher.get(&confirm_url).await;
    assert_eq!(confirm.status, 200, "{}", confirm.text);
    assert!(
        confirm.text.contains("Delete this override?") && confirm.text.contains(&format!("action=\"{confirm_url}\""))
    );
    let deleted = teacher.form(&confirm_url, &[("csrf", &csrf)]).await;
    assert_eq!((deleted.status.as_u16(), deleted.header("location")), (303, url.as_str()), "{}", deleted.text);
    assert!(teacher.get(&url).await.text.contains("No overrides yet"));
    let left = remaining(&learner, &second_id).await;
    assert!(left <= 600, "the quiz's time limit again: {left}");
    assert_eq!(teacher.get(&confirm_url).await.status, 404, "no override left to delete");
    app.stop().await;
}

async fn only_the_courses_staff_reach_the_overrides_page(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (learner, learner_id) = app.signed_in("learner@example.org", Role::Learner).await;
    let (other, _) = app.signed_in("other@example.org", Role::Instructor).await;
    let (course, _) = enrollment_kit::published(&teacher, "Geography", json!({})).await;
    let module = courses_kit::module(&teacher, &course, "Quizzes").await;
    enrollment_kit::add_to_roster(&teacher, &course, "learner@example.org").await;
    enrollment_kit::published(&other, "History", json!({})).await;
    let question = quiz_kit::question(&teacher, &course, "Capital of France").await;
    let quiz = quiz_kit::quiz(&teacher, &course, &module, json!({"attempts_allowed": 1}), &[&question]).await;
    let quiz_id = quiz["id"].as_str().unwrap();
    let url = format!("/teach/quizzes/{quiz_id}/overrides");
    let csrf = teacher.page_csrf(&url).await;
    let fields = [("csrf", csrf.as_str()), ("user_id", learner_id.as_str()), ("attempts_allowed", "3")];
    assert_eq!(teacher.form(&url, &fields).await.status.as_u16(), 303);

    let delete_url = format!("{url}/{learner_id}/delete");
    for (who, client) in [("the course's learner", &learner), ("another course's instructor", &other)] {
        let csrf = client.page_csrf("/notifications").await;
        let mine = [("csrf", csrf.as_str()), ("user_id", learner_id.as_str()), ("attempts_allowed", "9")];
        let bad = [("csrf", csrf.as_str()), ("user_id", learner_id.as_str()), ("close_at", "soon")];
        let calls = [
            ("page", client.get(&url).await.status.as_u16()),
            ("edit", client.get(&format!("{url}?user={learner_id}")).await.status.as_u16()),
            ("save", client.form(&url, &mine).await.status.as_u16()),
            ("save bad input", client.form(&url, &bad).await.status.as_u16()),
            ("confirm delete", client.get(&delete_url).await.status.as_u16()),
            ("delete", client.form(&delete_url, &[("csrf", &csrf)]).await.status.as_u16()),
        ];
        for (call, status) in calls {
            assert_eq!(status, 404, "{who}: {call}");
        }
    }
    let listed = teacher.get(&format!("/api/v1/quizzes/{quiz_id}/overrides")).await.json();
    assert_eq!(listed["items"][0]["attempts_allowed"], 3, "nobody else changed it: {listed}");
    let anonymous = app.client().get(&url).await;
    assert_eq!(anonymous.status.as_u16(), 303, "signed-out visitors are sent to sign in");
    app.stop().await;
}

on_both_backends!(
    an_override_set_on_the_page_gives_more_attempts_and_time,
    only_the_courses_staff_reach_the_overrides_page
);

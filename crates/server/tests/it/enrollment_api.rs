//! Enrollment API: enrolling (free, paid, draft, archived, full), unenrolling
//! and reactivating, lists and status, staff rosters, access (IDOR) on every
//! route with an id, and the `course.enrolled` / `course.unenrolled` notifications.

use crate::{common, enrollment_kit};

use common::{Backend, spawn};
use enrollment_kit::{counter, draft, enroll, id, published, rows};
use lyceum_platform::auth::Role;
use serde_json::json;

on_both_backends!(
    free_enrollment_is_immediate_and_once,
    unenrolling_frees_the_seat_and_reenrolling_reactivates,
    paid_courses_need_payment,
    drafts_and_archived_courses_are_not_open,
    full_courses_refuse_with_course_full,
    lists_and_status,
    staff_manage_the_roster,
    nobody_reaches_another_users_enrollment,
    enrolling_notifies_the_learner_once,
    removal_by_staff_notifies_the_learner_and_leaving_does_not,
);

async fn free_enrollment_is_immediate_and_once(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (learner, learner_id) = app.signed_in("learner@example.org", Role::Learner).await;
    let (course, _) = published(&teacher, "Free course", json!({})).await;

    let first = enroll(&learner, &course).await;
    assert_eq!(first.status, 201, "{}", first.text);
    let body = first.json();
    assert_eq!(body["status"], "active");
    assert_eq!(body["course_id"], course.as_str());
    assert_eq!(body["user_id"], learner_id.as_str());

    let again = enroll(&learner, &course).await;
    assert_eq!(again.status, 200, "already enrolled answers the existing one: {}", again.text);
    assert_eq!(id(&again), id(&first));
    assert_eq!(rows(&app, &course, "active").await, 1);
    assert_eq!(counter(&app, &course).await, 1);

    enroll(&learner, "no-such-course").await.assert_problem(404, "not-found");
    let anonymous = app.client().post("/api/v1/enrollments", json!({"course_id": course})).await;
    anonymous.assert_problem(401, "unauthorized");
    learner.post("/api/v1/enrollments", json!({})).await.assert_problem(422, "validation");
    app.stop().await;
}

async fn unenrolling_frees_the_seat_and_reenrolling_reactivates(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (learner, _) = app.signed_in("learner@example.org", Role::Learner).await;
    let (course, _) = published(&teacher, "Seated course", json!({"seat_limit": 1})).await;

    let enrollment = id(&enroll(&learner, &course).await);
    let left = learner.delete(&format!("/api/v1/enrollments/{enrollment}")).await;
    assert_eq!(left.status, 200, "{}", left.text);
    assert_eq!(left.json()["status"], "cancelled");
    assert_eq!(counter(&app, &course).await, 0, "the seat is back");
    let again = learner.delete(&format!("/api/v1/enrollments/{enrollment}")).await;
    assert_eq!(again.status, 200, "repeating changes nothing");
    assert_eq!(counter(&app, &course).await, 0, "and gives no seat back twice");

    let back = enroll(&learner, &course).await;
    assert_eq!(back.status, 201, "{}", back.text);
    assert_eq!(id(&back), enrollment, "the same row, reactivated");
    assert_eq!(back.json()["status"], "active");
    assert_eq!(rows(&app, &course, "active").await, 1);
    assert_eq!(rows(&app, &course, "cancelled").await, 0);
    assert_eq!(counter(&app, &course).await, 1);
    app.stop().await;
}

async fn paid_courses_need_payment(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (learner, _) = app.signed_in("learner@example.org", Role::Learner).await;
    let (course, _) = published(&teacher, "Paid course", json!({"price_minor": 4900, "currency": "EUR"})).await;

    let reply = enroll(&learner, &course).await;
    reply.assert_problem(402, "payment-required");
    assert!(reply.json()["detail"].as_str().unwrap().contains("€49.00"), "{}", reply.text);
    assert_eq!(rows(&app, &course, "active").await, 0);
    assert_eq!(counter(&app, &course).await, 0);

    let status = learner.get(&format!("/api/v1/enrollments/status?course_id={course}")).await.json();
    assert_eq!(status["payment_required"], true);
    assert_eq!(status["price_minor"], 4900);
    assert_eq!(status["currency"], "EUR");

    // Staff enroll without payment; the learner then is enrolled (200, not 402).
    let added =
        teacher.post(&format!("/api/v1/courses/{course}/roster"), json!({"email": "learner@example.org"})).await;
    assert_eq!(added.status, 201, "{}", added.text);
    assert_eq!(enroll(&learner, &course).await.status, 200);
    let status = learner.get(&format!("/api/v1/enrollments/status?course_id={course}")).await.json();
    assert_eq!(status["payment_required"], false);
    assert_eq!(status["enrolled"], true);
    app.stop().await;
}

async fn drafts_and_archived_courses_are_not_open(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (learner, _) = app.signed_in("learner@example.org", Role::Learner).await;
    let (draft_id, _) = draft(&teacher, "Draft course", json!({})).await;

    enroll(&learner, &draft_id).await.assert_problem(404, "not-found");
    learner.get(&format!("/api/v1/enrollments/status?course_id={draft_id}")).await.assert_problem(404, "not-found");
    let staff = enroll(&teacher, &draft_id).await;
    staff.assert_problem(409, "course-not-open");

    let (archived, _) = published(&teacher, "Old course", json!({})).await;
    teacher.post(&format!("/api/v1/courses/{archived}/archive"), json!({})).await;
    let reply = enroll(&learner, &archived).await;
    reply.assert_problem(409, "course-not-open");
    assert!(reply.json()["detail"].as_str().unwrap().contains("archived"), "{}", reply.text);
    assert_eq!(counter(&app, &archived).await, 0);
    app.stop().await;
}

async fn full_courses_refuse_with_course_full(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (first, _) = app.signed_in("first@example.org", Role::Learner).await;
    let (second, _) = app.signed_in("second@example.org", Role::Learner).await;
    let (course, _) = published(&teacher, "Tiny course", json!({"seat_limit": 1})).await;

    assert_eq!(enroll(&first, &course).await.status, 201);
    let reply = enroll(&second, &course).await;
    reply.assert_problem(409, "course-full");
    assert!(reply.json()["detail"].as_str().unwrap().contains("1 seats"), "{}", reply.text);
    let status = second.get(&format!("/api/v1/enrollments/status?course_id={course}")).await.json();
    assert_eq!(status["seats_left"], 0);
    assert_eq!(status["enrolled"], false);
    // Staff are held to the limit too.
    let added = teacher.post(&format!("/api/v1/courses/{course}/roster"), json!({"email": "second@example.org"})).await;
    added.assert_problem(409, "course-full");
    assert_eq!(rows(&app, &course, "active").await, 1);
    assert_eq!(counter(&app, &course).await, 1);
    app.stop().await;
}

async fn lists_and_status(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (learner, _) = app.signed_in("learner@example.org", Role::Learner).await;
    let mut courses = Vec::new();
    for title in ["Course one", "Course two", "Course three"] {
        let (course, slug) = published(&teacher, title, json!({"seat_limit": 10})).await;
        assert_eq!(enroll(&learner, &course).await.status, 201);
        courses.push((course, slug, title));
    }
    let page = learner.get("/api/v1/enrollments?limit=2").await;
    assert_eq!(page.status, 200, "{}", page.text);
    let page = page.json();
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["course"]["title"], "Course three", "newest first");
    assert_eq!(items[0]["course"]["slug"], courses[2].1.as_str());
    assert_eq!(items[0]["course"]["id"], courses[2].0.as_str());
    let cursor = page["next_cursor"].as_str().expect("a second page");
    let rest = learner.get(&format!("/api/v1/enrollments?limit=2&cursor={cursor}")).await.json();
    assert_eq!(rest["items"].as_array().unwrap().len(), 1);
    assert_eq!(rest["items"][0]["course"]["title"], "Course one");
    assert!(rest.get("next_cursor").is_none());
    learner.get("/api/v1/enrollments?cursor=nonsense").await.assert_problem(422, "validation");

    let one = learner.get(&format!("/api/v1/enrollments/status?course_id={}", courses[0].0)).await.json();
    assert_eq!(one["enrolled"], true);
    assert_eq!(one["status"], "active");
    assert_eq!(one["open"], true);
    assert_eq!(one["seat_limit"], 10);
    assert_eq!(one["seats_left"], 9);
    assert_eq!(one["payment_required"], false);
    let got = learner.get(&format!("/api/v1/enrollments/{}", one["enrollment_id"].as_str().unwrap())).await;
    assert_eq!(got.status, 200);
    assert_eq!(got.json()["course_id"], courses[0].0.as_str());
    app.stop().await;
}

async fn staff_manage_the_roster(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (admin, _) = app.signed_in("admin@example.org", Role::Admin).await;
    let learners = ["a@example.org", "b@example.org", "c@example.org"];
    let mut ids = Vec::new();
    for email in learners {
        ids.push(app.create_user(email, Role::Learner).await);
    }
    let (course, _) = draft(&teacher, "Cohort course", json!({"seat_limit": 3})).await;
    let roster = format!("/api/v1/courses/{course}/roster");

    for email in learners {
        let added = teacher.post(&roster, json!({"email": email})).await;
        assert_eq!(added.status, 201, "staff enroll into a draft too: {}", added.text);
    }
    assert_eq!(teacher.post(&roster, json!({"email": "a@example.org"})).await.status, 200, "already enrolled");
    teacher.post(&roster, json!({"email": "nobody@example.org"})).await.assert_problem(422, "validation");
    assert_eq!(counter(&app, &course).await, 3);

    let page = teacher.get(&format!("{roster}?limit=2")).await;
    assert_eq!(page.status, 200, "{}", page.text);
    let page = page.json();
    assert_eq!(page["items"].as_array().unwrap().len(), 2);
    let entry = &page["items"][0];
    assert_eq!(entry["email"], "c@example.org");
    assert_eq!(entry["user_id"], ids[2].as_str());
    assert_eq!(entry["display_name"], "Test User");
    assert_eq!(entry["status"], "active");
    assert!(entry["enrolled_at"].as_str().unwrap().ends_with('Z'));
    let cursor = page["next_cursor"].as_str().unwrap();
    let rest = teacher.get(&format!("{roster}?limit=2&cursor={cursor}")).await.json();
    assert_eq!(rest["items"][0]["email"], "a@example.org");

    let removed = teacher.delete(&format!("{roster}/{}", ids[0])).await;
    assert_eq!(removed.status, 204, "{}", removed.text);
    teacher.delete(&format!("{roster}/{}", ids[0])).await.assert_problem(404, "not-found");
    assert_eq!(counter(&app, &course).await, 2);
    let cancelled = teacher.get(&format!("{roster}?status=cancelled")).await.json();
    assert_eq!(cancelled["items"].as_array().unwrap().len(), 1);
    assert_eq!(cancelled["items"][0]["status"], "cancelled");

    // Admins are staff of every course.
    assert_eq!(admin.delete(&format!("{roster}/{}", ids[1])).await.status, 204);
    assert_eq!(admin.get(&roster).await.status, 200);
    assert_eq!(counter(&app, &course).await, 1);
    assert_eq!(rows(&app, &course, "active").await, 1);

    teacher.post(&format!("/api/v1/courses/{course}/publish"), json!({})).await;
    teacher.post(&format!("/api/v1/courses/{course}/archive"), json!({})).await;
    teacher.post(&roster, json!({"email": "a@example.org"})).await.assert_problem(409, "course-not-open");
    app.stop().await;
}

async fn nobody_reaches_another_users_enrollment(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (other_teacher, _) = app.signed_in("other@example.org", Role::Instructor).await;
    let (owner, owner_id) = app.signed_in("owner@example.org", Role::Learner).await;
    let (intruder, _) = app.signed_in("intruder@example.org", Role::Learner).await;
    let (course, _) = published(&teacher, "Private matters", json!({})).await;
    let (draft_id, _) = draft(&teacher, "Secret draft", json!({})).await;
    let enrollment = id(&enroll(&owner, &course).await);
    let path = format!("/api/v1/enrollments/{enrollment}");

    // Another learner, and an instructor of another course: 404, as if it did not exist.
    for stranger in [&intruder, &other_teacher] {
        stranger.get(&path).await.assert_problem(404, "not-found");
        stranger.delete(&path).await.assert_problem(404, "not-found");
    }
    assert_eq!(rows(&app, &course, "active").await, 1, "still enrolled");

    // Rosters: a published course is 403 to non-staff, someone else's draft 404.
    let roster = format!("/api/v1/courses/{course}/roster");
    for stranger in [&intruder, &other_teacher] {
        stranger.get(&roster).await.assert_problem(403, "forbidden");
        stranger.post(&roster, json!({"email": "intruder@example.org"})).await.assert_problem(403, "forbidden");
        stranger.delete(&format!("{roster}/{owner_id}")).await.assert_problem(403, "forbidden");
        let draft_roster = format!("/api/v1/courses/{draft_id}/roster");
        stranger.get(&draft_roster).await.assert_problem(404, "not-found");
        stranger.post(&draft_roster, json!({"email": "x@example.org"})).await.assert_problem(404, "not-found");
    }
    assert_eq!(rows(&app, &course, "active").await, 1);

    // The course's instructor may read and cancel it.
    assert_eq!(teacher.get(&path).await.status, 200);
    assert_eq!(teacher.delete(&path).await.json()["status"], "cancelled");
    app.stop().await;
}

async fn enrolling_notifies_the_learner_once(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (learner, _) = app.signed_in("learner@example.org", Role::Learner).await;
    let (course, slug) = published(&teacher, "Notified course", json!({})).await;
    app.drain_jobs().await;
    assert_eq!(enroll(&learner, &course).await.status, 201);
    assert_eq!(enroll(&learner, &course).await.status, 200, "no second event for an existing enrollment");

    let mails = app.mails_to("learner@example.org").await; // runs the jobs
    let enrolled: Vec<_> = mails.iter().filter(|m| m.subject.contains("Notified course")).collect();
    assert_eq!(enrolled.len(), 1, "one e-mail (the kind's default channel)");
    assert!(enrolled[0].text.contains(&format!("/learn/{slug}")), "{}", enrolled[0].text);
    assert_eq!(app.drain_jobs().await, 0, "nothing left to run");

    let list = learner.get("/api/v1/notifications").await.json();
    let notices: Vec<_> =
        list["items"].as_array().unwrap().iter().filter(|n| n["kind"] == "course.enrolled").cloned().collect();
    assert_eq!(notices.len(), 1, "{list}");
    assert_eq!(notices[0]["title"], "You're enrolled in Notified course");
    assert_eq!(notices[0]["link"], format!("/learn/{slug}"));
    assert!(notices[0]["message"].is_null(), "the title carries the course, not a quoted note");

    // A repeated delivery of the same event records nothing more (the job is idempotent).
    sqlx::query("UPDATE jobs SET state = 'queued', run_at = 0, attempts = 0, finished_at = NULL WHERE kind = 'notifications.enrolled'")
        .execute(app.state().db.pool())
        .await
        .unwrap();
    app.drain_jobs().await;
    let list = learner.get("/api/v1/notifications").await.json();
    let count = list["items"].as_array().unwrap().iter().filter(|n| n["kind"] == "course.enrolled").count();
    assert_eq!(count, 1);
    assert_eq!(app.mails_to("learner@example.org").await.len(), mails.len(), "no second e-mail");
    app.stop().await;
}

/// Staff removing a learner tells them (an e-mail, the kind's default); a
/// learner who leaves on their own is told nothing.
async fn removal_by_staff_notifies_the_learner_and_leaving_does_not(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (learner, learner_id) = app.signed_in("learner@example.org", Role::Learner).await;
    let (course, slug) = published(&teacher, "Removal course", json!({})).await;
    let unenrolled = async |client: &common::TestClient| -> Vec<serde_json::Value> {
        let list = client.get("/api/v1/notifications").await.json();
        list["items"].as_array().unwrap().iter().filter(|n| n["kind"] == "course.unenrolled").cloned().collect()
    };

    let mine = id(&enroll(&learner, &course).await);
    assert!(learner.delete(&format!("/api/v1/enrollments/{mine}")).await.status.is_success());
    app.drain_jobs().await;
    assert!(unenrolled(&learner).await.is_empty(), "leaving on one's own is not notified");

    assert!(enroll(&learner, &course).await.status.is_success());
    let removed = teacher.delete(&format!("/api/v1/courses/{course}/roster/{learner_id}")).await;
    assert!(removed.status.is_success(), "{}", removed.text);
    let mails = app.mails_to("learner@example.org").await; // runs the jobs
    let mail: Vec<_> = mails.iter().filter(|m| m.subject.contains("removed from Removal course")).collect();
    assert_eq!(mail.len(), 1, "{:?}", mails.iter().map(|m| &m.subject).collect::<Vec<_>>());
    let notices = unenrolled(&learner).await;
    assert_eq!(notices.len(), 1);
    assert_eq!(notices[0]["title"], "You were removed from Removal course");
    assert_eq!(notices[0]["link"], format!("/courses/{slug}"));
    app.stop().await;
}

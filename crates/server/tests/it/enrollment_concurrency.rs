//! Seat limits and one-enrollment-per-learner under concurrent requests, and
//! `Idempotency-Key` (replay, mismatch, concurrent duplicates, expiry) — on
//! SQLite and PostgreSQL. The requests really overlap: each learner has its
//! own connection and all are sent at once with `join_all`.
//!
//! On SQLite this is also a proof that the enrollment transaction holds the
//! write lock from its start (`Db::begin`): one that read first without it
//! would fail some of these requests at once with SQLITE_BUSY (a 500) instead
//! of waiting its turn.

use crate::{common, enrollment_kit};

use common::{Backend, TestClient, spawn, spawn_with};
use enrollment_kit::{counter, enroll, id, published, rows};
use futures::future::join_all;
use lyceum_platform::auth::Role;
use reqwest::Method;
use serde_json::json;

on_both_backends!(
    twenty_learners_race_for_five_seats,
    one_learner_sends_ten_requests_at_once,
    staff_and_learners_race_for_the_last_seats,
    unenroll_and_reenroll_race,
    idempotency_key_replays_the_first_answer,
    idempotency_key_with_another_body_is_refused,
    concurrent_duplicates_with_one_key_run_once,
    failed_requests_release_their_key,
    a_key_whose_request_died_is_taken_over_after_its_lock,
    expired_keys_are_purged,
);

/// An app where two dozen learners may sign in from one address within a minute.
async fn app(backend: Backend) -> common::TestApp {
    spawn_with(backend, |s| s.rate_limit.login_per_minute = 100).await
}

async fn learners(app: &common::TestApp, n: usize) -> Vec<TestClient> {
    let mut clients = Vec::new();
    for i in 0..n {
        clients.push(app.signed_in(&format!("learner{i}@example.org"), Role::Learner).await.0);
    }
    clients
}

async fn twenty_learners_race_for_five_seats(backend: Backend) {
    let app = app(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (course, _) = published(&teacher, "Five seats", json!({"seat_limit": 5})).await;
    let clients = learners(&app, 20).await;

    let replies = join_all(clients.iter().map(|c| enroll(c, &course))).await;
    let created = replies.iter().filter(|r| r.status == 201).count();
    let full =
        replies.iter().filter(|r| r.status == 409 && r.json()["type"] == "urn:lyceum:problem:course-full").count();
    let others: Vec<_> = replies.iter().filter(|r| r.status != 201 && r.status != 409).map(|r| &r.text).collect();
    assert!(others.is_empty(), "unexpected answers: {others:?}");
    assert_eq!(created, 5, "exactly the seats");
    assert_eq!(full, 15);
    assert_eq!(rows(&app, &course, "active").await, 5);
    assert_eq!(counter(&app, &course).await, 5, "counter == rows");
    app.stop().await;
}

async fn one_learner_sends_ten_requests_at_once(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (course, _) = published(&teacher, "Popular", json!({"seat_limit": 50})).await;
    let (learner, _) = app.signed_in("eager@example.org", Role::Learner).await;

    let replies = join_all((0..10).map(|_| enroll(&learner, &course))).await;
    let statuses: Vec<u16> = replies.iter().map(|r| r.status.as_u16()).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 9, "the rest see the one enrollment: {statuses:?}");
    let ids: std::collections::HashSet<String> = replies.iter().map(id).collect();
    assert_eq!(ids.len(), 1, "every answer names the same enrollment");
    assert_eq!(rows(&app, &course, "active").await, 1);
    assert_eq!(counter(&app, &course).await, 1);
    // `enrollment.created` went out once: its one subscriber has one delivery.
    let deliveries: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE kind = 'notifications.enrolled'")
        .fetch_one(app.state().db.pool())
        .await
        .unwrap();
    assert_eq!(deliveries, 1);
    app.stop().await;
}

async fn staff_and_learners_race_for_the_last_seats(backend: Backend) {
    let app = app(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (course, _) = published(&teacher, "Three seats", json!({"seat_limit": 3})).await;
    let clients = learners(&app, 6).await;
    for i in 6..12 {
        app.create_user(&format!("learner{i}@example.org"), Role::Learner).await;
    }
    let roster = format!("/api/v1/courses/{course}/roster");
    let by_staff = (6..12).map(|i| {
        let body = json!({"email": format!("learner{i}@example.org")});
        let roster = roster.clone();
        let teacher = &teacher;
        async move { teacher.post(&roster, body).await }
    });
    let (mine, staffs) = futures::join!(join_all(clients.iter().map(|c| enroll(c, &course))), join_all(by_staff));
    let all: Vec<_> = mine.iter().chain(staffs.iter()).collect();
    assert_eq!(all.iter().filter(|r| r.status == 201).count(), 3);
    assert!(
        all.iter().all(|r| r.status == 201 || r.status == 409),
        "{:?}",
        all.iter().map(|r| &r.text).collect::<Vec<_>>()
    );
    assert_eq!(rows(&app, &course, "active").await, 3);
    assert_eq!(counter(&app, &course).await, 3);
    app.stop().await;
}

/// Learners leave and others take their seats at the same time: the counter
/// always equals the active rows and never passes the limit.
async fn unenroll_and_reenroll_race(backend: Backend) {
    let app = app(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (course, _) = published(&teacher, "Churn", json!({"seat_limit": 4})).await;
    let clients = learners(&app, 8).await;
    let mut enrolled = Vec::new();
    for c in &clients[..4] {
        enrolled.push(id(&enroll(c, &course).await));
    }
    let leaving = clients[..4]
        .iter()
        .zip(&enrolled)
        .map(|(c, e)| async move { c.send(Method::DELETE, &format!("/api/v1/enrollments/{e}"), None).await });
    let leaving_twice = clients[..4]
        .iter()
        .zip(&enrolled)
        .map(|(c, e)| async move { c.send(Method::DELETE, &format!("/api/v1/enrollments/{e}"), None).await });
    let joining = clients[4..].iter().map(|c| enroll(c, &course));
    let (left, again, joined) = futures::join!(join_all(leaving), join_all(leaving_twice), join_all(joining));
    assert!(left.iter().chain(again.iter()).all(|r| r.status == 200), "unenrolling never fails");
    assert!(joined.iter().all(|r| r.status == 201 || r.status == 409));
    let active = rows(&app, &course, "active").await;
    assert!(active <= 4);
    assert_eq!(counter(&app, &course).await, active, "counter == rows");
    assert_eq!(active, joined.iter().filter(|r| r.status == 201).count() as i64);
    app.stop().await;
}

async fn send_with_key(client: &TestClient, path: &str, key: &str, body: serde_json::Value) -> common::Reply {
    let mut req = client.http.post(client.url(path)).header("idempotency-key", key).json(&body);
    if let Some(csrf) = &client.csrf {
        req = req.header("x-csrf-token", csrf);
    }
    client.raw(req).await
}

async fn idempotency_key_replays_the_first_answer(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (course, _) = published(&teacher, "Keyed", json!({})).await;
    let (learner, _) = app.signed_in("learner@example.org", Role::Learner).await;
    let (other, _) = app.signed_in("other@example.org", Role::Learner).await;
    let body = json!({"course_id": course});

    let first = send_with_key(&learner, "/api/v1/enrollments", "key-1", body.clone()).await;
    assert_eq!(first.status, 201, "{}", first.text);
    assert_eq!(first.header("idempotent-replayed"), "");
    let replay = send_with_key(&learner, "/api/v1/enrollments", "key-1", body.clone()).await;
    assert_eq!(replay.status, 201, "the first answer, status included");
    assert_eq!(replay.header("idempotent-replayed"), "true");
    assert_eq!(replay.json(), first.json());
    // Without the key, the same request is simply "already enrolled".
    assert_eq!(enroll(&learner, &course).await.status, 200);
    // Keys belong to a user: another learner's "key-1" is theirs.
    assert_eq!(send_with_key(&other, "/api/v1/enrollments", "key-1", body.clone()).await.status, 201);
    assert_eq!(counter(&app, &course).await, 2);

    // The roster POST honours keys too.
    app.create_user("added@example.org", Role::Learner).await;
    let roster = format!("/api/v1/courses/{course}/roster");
    let added = send_with_key(&teacher, &roster, "r-1", json!({"email": "added@example.org"})).await;
    assert_eq!(added.status, 201, "{}", added.text);
    let again = send_with_key(&teacher, &roster, "r-1", json!({"email": "added@example.org"})).await;
    assert_eq!(again.header("idempotent-replayed"), "true");
    assert_eq!(again.json(), added.json());

    let bad = send_with_key(&learner, "/api/v1/enrollments", "has space", body).await;
    bad.assert_problem(400, "bad-request");
    app.stop().await;
}

async fn idempotency_key_with_another_body_is_refused(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (one, _) = published(&teacher, "Course one", json!({})).await;
    let (two, _) = published(&teacher, "Course two", json!({})).await;
    let (learner, _) = app.signed_in("learner@example.org", Role::Learner).await;

    let first = send_with_key(&learner, "/api/v1/enrollments", "k", json!({"course_id": one})).await;
    assert_eq!(first.status, 201);
    let other = send_with_key(&learner, "/api/v1/enrollments", "k", json!({"course_id": two})).await;
    other.assert_problem(422, "idempotency-key-reused");
    assert!(other.json()["detail"].as_str().unwrap().contains("different request"), "{}", other.text);
    assert_eq!(rows(&app, &two, "active").await, 0, "the second request did not run");
    // The same key on another route is another request too.
    let roster =
        send_with_key(&teacher, &format!("/api/v1/courses/{one}/roster"), "k", json!({"email": "x@example.org"})).await;
    assert_ne!(
        roster.json()["type"],
        "urn:lyceum:problem:idempotency-key-reused",
        "keys are per user: the teacher never used `k`"
    );
    app.stop().await;
}

async fn concurrent_duplicates_with_one_key_run_once(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (course, _) = published(&teacher, "Once", json!({})).await;
    let (learner, _) = app.signed_in("learner@example.org", Role::Learner).await;
    let body = json!({"course_id": course});

    let replies = join_all((0..10).map(|_| send_with_key(&learner, "/api/v1/enrollments", "same", body.clone()))).await;
    let executed = replies.iter().filter(|r| r.status == 201 && r.header("idempotent-replayed").is_empty()).count();
    assert_eq!(executed, 1, "one request ran");
    for r in &replies {
        let replayed = r.status == 201 && r.header("idempotent-replayed") == "true";
        let in_use = r.status == 409 && r.json()["type"] == "urn:lyceum:problem:idempotency-key-in-use";
        let original = r.status == 201 && r.header("idempotent-replayed").is_empty();
        // A 200 ("already enrolled") would mean a duplicate executed.
        assert!(original || replayed || in_use, "{} {}", r.status, r.text);
    }
    assert_eq!(rows(&app, &course, "active").await, 1);
    assert_eq!(counter(&app, &course).await, 1);
    app.stop().await;
}

async fn failed_requests_release_their_key(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (course, _) = published(&teacher, "One seat", json!({"seat_limit": 1})).await;
    let (holder, _) = app.signed_in("holder@example.org", Role::Learner).await;
    let (waiting, _) = app.signed_in("waiting@example.org", Role::Learner).await;
    let seat = id(&enroll(&holder, &course).await);
    let body = json!({"course_id": course});

    let full = send_with_key(&waiting, "/api/v1/enrollments", "retry-me", body.clone()).await;
    full.assert_problem(409, "course-full");
    holder.delete(&format!("/api/v1/enrollments/{seat}")).await;
    let retried = send_with_key(&waiting, "/api/v1/enrollments", "retry-me", body).await;
    assert_eq!(retried.status, 201, "a failure is not replayed: {}", retried.text);
    assert_eq!(retried.header("idempotent-replayed"), "");
    app.stop().await;
}

/// A process that died between its commit and storing the answer leaves the
/// key claimed with no answer: a retry is told to wait while the lock lasts,
/// and runs again once it ran out (enrolling again is "already enrolled").
async fn a_key_whose_request_died_is_taken_over_after_its_lock(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (course, _) = published(&teacher, "Taken over", json!({})).await;
    let (learner, _) = app.signed_in("learner@example.org", Role::Learner).await;
    let body = json!({"course_id": course});
    assert_eq!(send_with_key(&learner, "/api/v1/enrollments", "died", body.clone()).await.status, 201);
    let pool = app.state().db.pool();
    sqlx::query("UPDATE idempotency_keys SET status = NULL, body = NULL").execute(pool).await.unwrap();

    let waiting = send_with_key(&learner, "/api/v1/enrollments", "died", body.clone()).await;
    waiting.assert_problem(409, "idempotency-key-in-use");
    sqlx::query("UPDATE idempotency_keys SET locked_until = $1")
        .bind(lyceum_platform::db::now_ms() - 1)
        .execute(pool)
        .await
        .unwrap();
    let rerun = send_with_key(&learner, "/api/v1/enrollments", "died", body.clone()).await;
    assert_eq!((rerun.status.as_u16(), rerun.header("idempotent-replayed")), (200, ""), "{}", rerun.text);
    let replay = send_with_key(&learner, "/api/v1/enrollments", "died", body).await;
    assert_eq!((replay.status.as_u16(), replay.header("idempotent-replayed")), (200, "true"));
    assert_eq!(counter(&app, &course).await, 1);
    app.stop().await;
}

async fn expired_keys_are_purged(backend: Backend) {
    use lyceum_platform::idempotency::{TTL_MS, purge};
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (course, _) = published(&teacher, "Purged", json!({})).await;
    let (learner, _) = app.signed_in("learner@example.org", Role::Learner).await;
    let body = json!({"course_id": course});
    assert_eq!(send_with_key(&learner, "/api/v1/enrollments", "old", body.clone()).await.status, 201);

    let now = lyceum_platform::db::now_ms();
    assert_eq!(purge(app.state(), now).await.unwrap(), 0, "a fresh key stays");
    // Past its 24 h the key no longer replays, even before the purge: the request runs again.
    sqlx::query("UPDATE idempotency_keys SET expires_at = $1")
        .bind(now - 1)
        .execute(app.state().db.pool())
        .await
        .unwrap();
    let rerun = send_with_key(&learner, "/api/v1/enrollments", "old", body).await;
    assert_eq!(rerun.status, 200, "ran again: already enrolled");
    assert_eq!(rerun.header("idempotent-replayed"), "");
    assert_eq!(purge(app.state(), now + TTL_MS + 60_000).await.unwrap(), 1, "24 h later it goes");

    // The hourly scheduled job does the same through the jobs path.
    assert_eq!(send_with_key(&learner, "/api/v1/enrollments", "older", json!({"course_id": course})).await.status, 200);
    sqlx::query("UPDATE idempotency_keys SET expires_at = $1")
        .bind(now - 1)
        .execute(app.state().db.pool())
        .await
        .unwrap();
    let due = lyceum_platform::jobs::schedule::tick(app.state(), lyceum_platform::db::now_ms()).await.unwrap();
    assert!(due.contains(&"idempotency.purge_expired"), "{due:?}");
    app.drain_jobs().await;
    let left: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM idempotency_keys").fetch_one(app.state().db.pool()).await.unwrap();
    assert_eq!(left, 0);
    app.stop().await;
}

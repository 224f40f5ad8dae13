//! The forum fan-out on the scale-out job path: an important announcement
//! to a course of 520 learners (two batches of notices) runs through
//! RabbitMQ — the app's own relay and consumers, as `lyceum serve` runs them
//! — and every learner gets exactly one notice; both backends. Skipped,
//! saying so, when `LYCEUM_TEST_AMQP_URL` is not set.

use std::fmt::Write as _;

use crate::{amqp_kit, common, enrollment_kit};

use common::{Backend, spawn_with};
use lyceum_forums::settings::ForumSettings;
use lyceum_platform::{auth::Role, config::Secret, db};
use serde_json::json;

on_both_backends!(an_announcement_fans_out_through_rabbitmq);

const LEARNERS: usize = 520;

async fn an_announcement_fans_out_through_rabbitmq(backend: Backend) {
    let Some(url) = amqp_kit::amqp_url("forum fan-out through RabbitMQ") else { return };
    let prefix = format!("lyceum-test-{}", uuid::Uuid::new_v4().simple());
    let app = spawn_with(backend, |s| {
        s.jobs.workers = 2;
        s.amqp.url = Secret::new(url.as_str());
        s.amqp.prefix = prefix;
        s.section_mut::<ForumSettings>().notify_delay_seconds = 0;
    })
    .await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (course, _) = enrollment_kit::published(&teacher, "Big class", json!({})).await;
    enroll_many(&app, &course, LEARNERS).await;

    let forums = teacher.get(&format!("/api/v1/forums/courses/{course}")).await.json();
    let news = forums["items"].as_array().unwrap().iter().find(|f| f["kind"] == "announcements").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let body = json!({"title": "Exam moved", "body": "To **Friday**.", "important": true});
    let made = teacher.post(&format!("/api/v1/forums/{news}/threads"), body).await;
    assert_eq!(made.status, 201, "{}", made.text);

    let pool = app.state().db.pool().clone();
    let notices = async || -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE kind = 'forum.announcement_important'")
            .fetch_one(&pool)
            .await
            .unwrap()
    };
    amqp_kit::wait_until("every learner has the announcement", async || notices().await >= LEARNERS as i64).await;
    let per_learner: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM (SELECT user_id FROM notifications WHERE kind = 'forum.announcement_important' \
         GROUP BY user_id HAVING COUNT(*) > 1) twice",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(per_learner, 0, "nobody is told twice");
    // With `[amqp]` set, `lyceum serve` runs the broker's consumers and no
    // database poller (serve.rs): a job done here was delivered by RabbitMQ.
    // A batch's notices commit before its job is recorded done: wait for both records.
    let done = async || -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE kind = 'notifications.forum_post' AND state = 'done'")
            .fetch_one(&pool)
            .await
            .unwrap()
    };
    amqp_kit::wait_until("both batches are recorded done", async || done().await >= 2).await;
    assert_eq!(done().await, 2, "two batches of notices (500 + 20), each run once");
    amqp_kit::finish(app, &url).await;
}

/// `n` learners enrolled in the course, written directly (signing up 520
/// people through the API would measure argon2, not the fan-out).
async fn enroll_many(app: &common::TestApp, course: &str, n: usize) {
    let now = db::now_ms();
    let (mut users, mut enrollments) = (String::new(), String::new());
    for i in 0..n {
        let (user, sep) = (db::new_id(), if i == 0 { "" } else { "," });
        write!(
            users,
            "{sep}('{user}', 'crowd{i}@example.org', 'x', 'Crowd {i}', 'crowd {i}', 'learner', {now}, {now}, {now})"
        )
        .unwrap();
        write!(enrollments, "{sep}('{}', '{course}', '{user}', 'active', {now}, {now})", db::new_id()).unwrap();
    }
    let mut tx = app.state().db.begin().await.unwrap();
    let users = format!(
        "INSERT INTO users (id, email, password_hash, display_name, display_name_folded, role, email_verified_at, \
         created_at, updated_at) VALUES {users}"
    );
    sqlx::query(sqlx::AssertSqlSafe(users)).execute(&mut *tx).await.unwrap();
    let enrollments = format!(
        "INSERT INTO enrollments (id, course_id, user_id, status, created_at, updated_at) VALUES {enrollments}"
    );
    sqlx::query(sqlx::AssertSqlSafe(enrollments)).execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
}

//! Helpers shared by the learning tests: a published course with lessons of
//! every kind, and enrollments.
#![allow(dead_code)]

use serde_json::{Value, json};

use crate::{
    common::{TestApp, TestClient},
    courses_kit as kit,
};

/// A course's ids: the course, its slug, and its lessons in outline order.
pub struct Course {
    pub id: String,
    pub slug: String,
    pub lessons: Vec<String>,
    pub modules: Vec<String>,
}

/// A course with modules of lessons described by `(module, [lesson bodies])`; not published.
pub async fn course_with(client: &TestClient, title: &str, outline: &[(&str, Vec<Value>)]) -> Course {
    let id = kit::course(client, title).await;
    let slug = client.get(&format!("/api/v1/courses/{id}")).await.json()["slug"].as_str().unwrap().to_string();
    let (mut lessons, mut modules) = (Vec::new(), Vec::new());
    for (module, bodies) in outline {
        let m = kit::module(client, &id, module).await;
        for body in bodies {
            lessons.push(kit::lesson(client, &m, body.clone()).await);
        }
        modules.push(m);
    }
    Course { id, slug, lessons, modules }
}

pub fn text(title: &str) -> Value {
    json!({"title": title, "body": format!("About **{title}**.")})
}

pub async fn publish(client: &TestClient, course_id: &str) {
    let reply = client.post(&format!("/api/v1/courses/{course_id}/publish"), json!({})).await;
    assert_eq!(reply.status, 200, "publish: {}", reply.text);
}

/// An active enrollment and the course's counter, written directly: set-up for
/// tests of other rules, including drafts the enrollment service would refuse.
pub async fn enroll(app: &TestApp, course_id: &str, user_id: &str) {
    kit::enroll(app, course_id, user_id).await;
    sqlx::query("UPDATE courses SET enrolled_count = enrolled_count + 1 WHERE id = $1")
        .bind(course_id)
        .execute(app.state().db.pool())
        .await
        .unwrap();
}

/// Enrollments with distinct creation times (the staff table pages by them).
pub async fn enroll_at(app: &TestApp, course_id: &str, user_id: &str, created_at: i64) {
    sqlx::query(
        "INSERT INTO enrollments (id, course_id, user_id, status, created_at, updated_at) VALUES ($1, $2, $3, 'active', $4, $4)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(course_id)
    .bind(user_id)
    .bind(created_at)
    .execute(app.state().db.pool())
    .await
    .unwrap();
    sqlx::query("UPDATE courses SET enrolled_count = enrolled_count + 1 WHERE id = $1")
        .bind(course_id)
        .execute(app.state().db.pool())
        .await
        .unwrap();
}

pub async fn put_progress(client: &TestClient, lesson_id: &str, body: Value) -> crate::common::Reply {
    client.send(reqwest::Method::PUT, &format!("/api/v1/progress/lessons/{lesson_id}"), Some(&body)).await
}

pub async fn complete(client: &TestClient, lesson_id: &str) -> Value {
    let reply = put_progress(client, lesson_id, json!({"completed": true})).await;
    assert_eq!(reply.status, 200, "complete {lesson_id}: {}", reply.text);
    reply.json()
}

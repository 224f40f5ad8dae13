//! Helpers shared by the enrollment tests.
#![allow(dead_code)]

use serde_json::{Value, json};

use crate::common::{TestApp, TestClient};

/// A published course (one module, one lesson) by `instructor`, with `fields`
/// (price, seat limit…) set before publishing: (id, slug).
pub async fn published(instructor: &TestClient, title: &str, fields: Value) -> (String, String) {
    let (id, slug) = draft(instructor, title, fields).await;
    let reply = instructor.post(&format!("/api/v1/courses/{id}/publish"), json!({})).await;
    assert_eq!(reply.status, 200, "publish: {}", reply.text);
    (id, slug)
}

/// A draft course with one lesson: (id, slug).
pub async fn draft(instructor: &TestClient, title: &str, fields: Value) -> (String, String) {
    let reply = instructor.post("/api/v1/courses", json!({"title": title})).await;
    assert_eq!(reply.status, 201, "create course: {}", reply.text);
    let id = reply.json()["id"].as_str().unwrap().to_string();
    let slug = reply.json()["slug"].as_str().unwrap().to_string();
    if fields.as_object().is_some_and(|o| !o.is_empty()) {
        let reply = instructor.patch(&format!("/api/v1/courses/{id}"), fields).await;
        assert_eq!(reply.status, 200, "edit course: {}", reply.text);
    }
    let module = instructor.post(&format!("/api/v1/courses/{id}/modules"), json!({"title": "Basics"})).await;
    let module = module.json()["id"].as_str().unwrap().to_string();
    let lesson = instructor.post(&format!("/api/v1/modules/{module}/lessons"), json!({"title": "Welcome"})).await;
    assert_eq!(lesson.status, 201, "create lesson: {}", lesson.text);
    (id, slug)
}

/// `staff` (the course's instructor, or an admin) enrolls the account with
/// `email` through the roster: free of charge and for drafts too, and the
/// enrollment module keeps the course's seat count. The way test set-ups
/// enroll someone; how enrolling itself behaves is tested in `enrollment_*`.
pub async fn add_to_roster(staff: &TestClient, course_id: &str, email: &str) {
    let reply = staff.post(&format!("/api/v1/courses/{course_id}/roster"), json!({"email": email})).await;
    assert_eq!(reply.status, 201, "enroll {email} in {course_id}: {}", reply.text);
}

/// POST /api/v1/enrollments for `course_id`.
pub async fn enroll(client: &TestClient, course_id: &str) -> crate::common::Reply {
    client.post("/api/v1/enrollments", json!({"course_id": course_id})).await
}

/// `courses.enrolled_count`.
pub async fn counter(app: &TestApp, course_id: &str) -> i64 {
    sqlx::query_scalar("SELECT enrolled_count FROM courses WHERE id = $1")
        .bind(course_id)
        .fetch_one(app.state().db.pool())
        .await
        .unwrap()
}

/// Enrollment rows of a course with `status`.
pub async fn rows(app: &TestApp, course_id: &str, status: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM enrollments WHERE course_id = $1 AND status = $2")
        .bind(course_id)
        .bind(status)
        .fetch_one(app.state().db.pool())
        .await
        .unwrap()
}

pub fn id(reply: &crate::common::Reply) -> String {
    reply.json()["id"].as_str().unwrap_or_else(|| panic!("no id: {}", reply.text)).to_string()
}

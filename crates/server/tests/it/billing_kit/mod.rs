//! Helpers shared by the billing tests: a paid course, placing an order,
//! reading an order back, whether a learner is enrolled.
#![allow(dead_code)]

use serde_json::{Value, json};

use crate::common::{Reply, TestApp, TestClient};
use crate::enrollment_kit::published;

/// A published course costing `price_minor` of `currency`: (id, slug).
pub async fn paid_course(teacher: &TestClient, title: &str, price_minor: i64, currency: &str) -> (String, String) {
    published(teacher, title, json!({"price_minor": price_minor, "currency": currency})).await
}

/// POST /api/v1/orders for `course_id` through `gateway`, with `extra` fields (country, coupon…).
pub async fn place(client: &TestClient, course_id: &str, gateway: &str, extra: Value) -> Reply {
    let mut body = json!({"course_id": course_id, "gateway": gateway});
    if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
        b.extend(e.clone());
    }
    client.post("/api/v1/orders", body).await
}

/// [`place`] that must succeed: the placed order's id.
pub async fn placed(client: &TestClient, course_id: &str, gateway: &str) -> String {
    let reply = place(client, course_id, gateway, json!({})).await;
    assert_eq!(reply.status, 201, "place order: {}", reply.text);
    reply.json()["order"]["id"].as_str().unwrap().to_string()
}

/// GET /api/v1/orders/{id} as `client`: the order's JSON.
pub async fn order(client: &TestClient, id: &str) -> Value {
    let reply = client.get(&format!("/api/v1/orders/{id}")).await;
    assert_eq!(reply.status, 200, "get order: {}", reply.text);
    reply.json()
}

/// Whether `user_id` holds an active enrollment in `course_id`.
pub async fn enrolled(app: &TestApp, course_id: &str, user_id: &str) -> bool {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM enrollments WHERE course_id = $1 AND user_id = $2 AND status = 'active'",
    )
    .bind(course_id)
    .bind(user_id)
    .fetch_one(app.state().db.pool())
    .await
    .unwrap();
    n > 0
}

/// Runs the queued jobs (fulfilment among them) and says whether the learner is enrolled.
pub async fn enrolled_after_jobs(app: &TestApp, course_id: &str, user_id: &str) -> bool {
    app.drain_jobs().await;
    enrolled(app, course_id, user_id).await
}

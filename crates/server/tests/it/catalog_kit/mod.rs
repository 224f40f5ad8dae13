//! Helpers shared by the catalog tests: published courses made through the
//! authoring API (so the search index and cache see real changes).
#![allow(dead_code)]

use serde_json::{Value, json};

use crate::common::{Reply, TestApp, TestClient};

/// Creates a course with `body`, one module with one 10-minute text lesson, and
/// publishes it. Returns (id, slug).
pub async fn published(client: &TestClient, body: Value) -> (String, String) {
    let (id, slug) = draft(client, body).await;
    let reply = client.post(&format!("/api/v1/courses/{id}/publish"), json!({})).await;
    assert_eq!(reply.status, 200, "publish: {}", reply.text);
    (id, slug)
}

/// Like [`published`] but left a draft.
pub async fn draft(client: &TestClient, body: Value) -> (String, String) {
    let reply = client.post("/api/v1/courses", body).await;
    assert_eq!(reply.status, 201, "create course: {}", reply.text);
    let id = reply.json()["id"].as_str().unwrap().to_string();
    let slug = reply.json()["slug"].as_str().unwrap().to_string();
    let module = crate::courses_kit::module(client, &id, "Basics").await;
    crate::courses_kit::lesson(client, &module, json!({"title": "Welcome", "body": "Hello", "duration_minutes": 10}))
        .await;
    (id, slug)
}

/// GET /api/v1/catalog/courses?{query}, expecting 200.
pub async fn list(client: &TestClient, query: &str) -> Value {
    let reply = client.get(&format!("/api/v1/catalog/courses?{query}")).await;
    assert_eq!(reply.status, 200, "{query}: {}", reply.text);
    reply.json()
}

/// The titles of one page of results.
pub async fn titles(client: &TestClient, query: &str) -> Vec<String> {
    list(client, query).await["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["title"].as_str().unwrap().to_string())
        .collect()
}

/// The titles, sorted, when only membership matters.
pub async fn title_set(client: &TestClient, query: &str) -> Vec<String> {
    let mut t = titles(client, query).await;
    t.sort();
    t
}

/// Every item of every page of `query` with page size `limit`, following `next_cursor`.
pub async fn all_pages(client: &TestClient, query: &str, limit: usize) -> Vec<Value> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..100 {
        let mut q = format!("{query}&limit={limit}");
        if let Some(c) = &cursor {
            q.push_str(&format!("&cursor={}", url::form_urlencoded::byte_serialize(c.as_bytes()).collect::<String>()));
        }
        let page = list(client, &q).await;
        let items = page["items"].as_array().unwrap().clone();
        assert!(items.len() <= limit, "page size bounded");
        out.extend(items);
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => return out,
        }
    }
    panic!("paging did not end");
}

/// `n` learner accounts (`learner{i}@example.org`), by e-mail, for [`enroll`].
pub async fn learners(app: &TestApp, n: usize) -> Vec<String> {
    let mut emails = Vec::new();
    for i in 0..n {
        let email = format!("learner{i}@example.org");
        app.create_user(&email, lyceum_platform::auth::Role::Learner).await;
        emails.push(email);
    }
    emails
}

/// Enrolls `learners` in `course_id` (by its `staff`), so its enrollment count is theirs.
pub async fn enroll(staff: &TestClient, course_id: &str, learners: &[String]) {
    for email in learners {
        crate::enrollment_kit::add_to_roster(staff, course_id, email).await;
    }
}

pub fn fields(reply: &Reply) -> Vec<String> {
    let mut f = reply.error_fields();
    f.sort();
    f
}

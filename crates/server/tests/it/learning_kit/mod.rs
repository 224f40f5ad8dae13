//! Helpers shared by the learning tests: a published course with lessons of
//! every kind, and progress. (Enrolling: `enrollment_kit::add_to_roster`.)
#![allow(dead_code)]

use serde_json::{Value, json};

use crate::{common::TestClient, courses_kit as kit};

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

pub async fn put_progress(client: &TestClient, lesson_id: &str, body: Value) -> crate::common::Reply {
    client.send(reqwest::Method::PUT, &format!("/api/v1/progress/lessons/{lesson_id}"), Some(&body)).await
}

pub async fn complete(client: &TestClient, lesson_id: &str) -> Value {
    let reply = put_progress(client, lesson_id, json!({"completed": true})).await;
    assert_eq!(reply.status, 200, "complete {lesson_id}: {}", reply.text);
    reply.json()
}

//! Fixtures for the OpenAPI tests: one real object of each kind an operation
//! can name, so walking the document reaches every handler.

use serde_json::json;

mod forums;
mod walk;
pub use forums::forum_fixture;
pub use walk::Walker;

use crate::common::{self, TestClient};

/// A notification of `user_id`, sent through the queue.
pub async fn notification(app: &common::TestApp, admin: &TestClient, user_id: &str) -> String {
    let reply = admin.post("/api/v1/admin/notifications/test", json!({"user_id": user_id})).await;
    assert_eq!(reply.status, 202, "{}", reply.text);
    app.drain_jobs().await;
    sqlx::query_scalar("SELECT id FROM notifications WHERE user_id = $1 ORDER BY created_at DESC LIMIT 1")
        .bind(user_id)
        .fetch_one(app.state().db.pool())
        .await
        .unwrap()
}

/// A course with one module and one lesson, made through the API: (course, module, lesson).
pub async fn course_fixture(client: &TestClient) -> (String, String, String) {
    let id = |r: common::Reply| r.json()["id"].as_str().expect("created id").to_string();
    let course = id(client.post("/api/v1/courses", json!({"title": "Walked course"})).await);
    let module = id(client.post(&format!("/api/v1/courses/{course}/modules"), json!({"title": "M"})).await);
    let lesson = id(client.post(&format!("/api/v1/modules/{module}/lessons"), json!({"title": "L"})).await);
    (course, module, lesson)
}

/// A question in the bank of a fresh course of the caller's.
pub async fn bank_question(client: &TestClient) -> String {
    let (course, _, _) = course_fixture(client).await;
    let body = json!({"gift": "::Walked::Is this question walked? {T}"});
    let reply = client.post(&format!("/api/v1/courses/{course}/questions"), body).await;
    assert_eq!(reply.status, 201, "create question: {}", reply.text);
    reply.json()["id"].as_str().expect("question id").to_string()
}

/// The caller's enrollment in a fresh published course.
pub async fn enrollment(client: &TestClient) -> String {
    let (course, _, _) = course_fixture(client).await;
    client.post(&format!("/api/v1/courses/{course}/publish"), json!({})).await;
    let reply = client.post("/api/v1/enrollments", json!({"course_id": course})).await;
    assert_eq!(reply.status, 201, "enroll: {}", reply.text);
    reply.json()["id"].as_str().expect("enrollment id").to_string()
}

/// A pending order of the caller's (manual gateway) for a fresh paid course of theirs.
pub async fn order_fixture(client: &TestClient) -> String {
    let (course, _, _) = course_fixture(client).await;
    let priced =
        client.patch(&format!("/api/v1/courses/{course}"), json!({"price_minor": 1500, "currency": "EUR"})).await;
    assert_eq!(priced.status, 200, "price: {}", priced.text);
    client.post(&format!("/api/v1/courses/{course}/publish"), json!({})).await;
    let reply = client.post("/api/v1/orders", json!({"course_id": course, "gateway": "manual"})).await;
    assert_eq!(reply.status, 201, "order: {}", reply.text);
    reply.json()["order"]["id"].as_str().expect("order id").to_string()
}

/// The code of a certificate the caller earns: a fresh one-lesson course of
/// theirs, published, enrolled in and completed.
pub async fn certificate(client: &TestClient) -> String {
    let (course, _, lesson) = course_fixture(client).await;
    client.post(&format!("/api/v1/courses/{course}/publish"), json!({})).await;
    let reply = client.post("/api/v1/enrollments", json!({"course_id": course})).await;
    assert_eq!(reply.status, 201, "enroll: {}", reply.text);
    let path = format!("/api/v1/progress/lessons/{lesson}");
    let done = client.send(reqwest::Method::PUT, &path, Some(&json!({"completed": true}))).await;
    assert_eq!(done.json()["course_just_completed"], true, "complete: {}", done.text);
    let mine = client.get("/api/v1/certificates").await.json();
    mine["items"][0]["code"].as_str().expect("a certificate").to_string()
}

/// A dead job (the only kind that can be retried or discarded), written
/// directly: reaching it through a worker would take a failing job kind and
/// every one of its attempts.
pub async fn dead_job(app: &common::TestApp) -> String {
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO jobs (id, queue, kind, payload, state, attempts, max_attempts, run_at, last_error, \
         created_at, updated_at, finished_at) VALUES ($1, 'default', 'openapi.walk', '{}', 'dead', 1, 1, 0, 'boom', 0, 0, 0)",
    )
    .bind(&id)
    .execute(app.state().db.pool())
    .await
    .unwrap();
    id
}

/// Replaces every remaining `{param}` with `id` (a real user id).
pub fn fill_path(template: &str, id: &str) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let end = rest[start..].find('}').expect("closing brace") + start;
        out.push_str(&rest[..start]);
        out.push_str(id);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// A quiz of one question in a fresh course of the caller's.
pub async fn quiz_fixture(client: &TestClient) -> (String, String) {
    let (course, module, _) = course_fixture(client).await;
    let body = json!({"gift": "::Walked::Is this quiz walked? {T}"});
    let question = client.post(&format!("/api/v1/courses/{course}/questions"), body).await;
    let question = question.json()["id"].as_str().expect("question id").to_string();
    let slots = [json!({"source": {"type": "question", "question_id": question}})];
    let reply = client
        .post(&format!("/api/v1/courses/{course}/quizzes"), json!({"module_id": module, "title": "Q", "slots": slots}))
        .await;
    assert_eq!(reply.status, 201, "create quiz: {}", reply.text);
    (course, reply.json()["id"].as_str().expect("quiz id").to_string())
}

/// A background import (a file over the in-request threshold) in a fresh course of the caller's.
pub async fn question_import_fixture(client: &TestClient) -> String {
    let (course, _, _) = course_fixture(client).await;
    let text: String = (0..201).map(|i| format!("::Walked {i}::Is this file walked? {{T}}\n\n")).collect();
    let reply = client
        .post(&format!("/api/v1/courses/{course}/questions/import"), json!({"format": "gift", "text": text}))
        .await;
    assert_eq!(reply.status, 202, "import: {}", reply.text);
    reply.json()["id"].as_str().expect("import id").to_string()
}

/// An attempt under way at a fresh quiz of the caller's, by a new learner on its roster.
pub async fn attempt_fixture(app: &common::TestApp, client: &TestClient) -> String {
    let (course, quiz) = quiz_fixture(client).await;
    let email = format!("walker-{}@example.org", lyceum_platform::db::new_id());
    let (learner, _) = app.signed_in(&email, lyceum_platform::auth::Role::Learner).await;
    let added = client.post(&format!("/api/v1/courses/{course}/roster"), json!({"email": email})).await;
    assert_eq!(added.status, 201, "roster: {}", added.text);
    let reply = learner.post(&format!("/api/v1/quizzes/{quiz}/attempts"), json!({})).await;
    assert_eq!(reply.status, 201, "start: {}", reply.text);
    reply.json()["attempt"]["id"].as_str().expect("attempt id").to_string()
}

/// An assignment in a fresh course of the caller's: (course id, assignment id).
pub async fn assignment_fixture(client: &TestClient) -> (String, String) {
    let (course, module, _) = course_fixture(client).await;
    let made = client.post("/api/v1/assignments", json!({"module_id": module, "title": "Walked essay"})).await;
    assert_eq!(made.status, 201, "assignment: {}", made.text);
    (course, made.json()["id"].as_str().expect("assignment id").to_string())
}

/// A submitted submission of a learner enrolled in an assignment of the caller's.
pub async fn submission_fixture(app: &common::TestApp, client: &TestClient) -> String {
    let (course, assignment) = assignment_fixture(client).await;
    let email = format!("walker-{}@example.org", lyceum_platform::db::new_id());
    app.create_user(&email, lyceum_platform::auth::Role::Learner).await;
    // From an address of its own: the walk's sign-ins from 127.0.0.1 are near the rate limit.
    let mut learner = app.client_from("127.0.0.23");
    learner.login(&email, common::PASSWORD).await;
    let added = client.post(&format!("/api/v1/courses/{course}/roster"), json!({"email": email})).await;
    assert_eq!(added.status, 201, "roster: {}", added.text);
    let mine = format!("/api/v1/assignments/{assignment}/submission");
    learner.send(reqwest::Method::PUT, &mine, Some(&json!({"text": "Walked."}))).await;
    let reply = learner.post(&format!("{mine}/submit"), json!({})).await;
    assert_eq!(reply.status, 200, "submit: {}", reply.text);
    reply.json()["submission"]["id"].as_str().expect("submission id").to_string()
}

/// A manual grade item in a fresh course of the caller's.
pub async fn grade_item_fixture(client: &TestClient) -> String {
    let (course, _, _) = course_fixture(client).await;
    let made = client
        .post(&format!("/api/v1/courses/{course}/grade-items"), json!({"title": "Walked", "max_points": 5}))
        .await;
    assert_eq!(made.status, 201, "grade item: {}", made.text);
    made.json()["id"].as_str().expect("grade item id").to_string()
}

/// A rubric, marking guide or scale (`api`: `rubrics`, `marking-guides`,
/// `scales`) in a fresh course of the caller's.
pub async fn definition_fixture(client: &TestClient, api: &str) -> String {
    let (course, _, _) = course_fixture(client).await;
    let text = match api {
        "marking-guides" => "Clarity | 10 | What to look for",
        "scales" => "Not yet, Competent, Excellent",
        _ => "Clarity | Unclear = 0 | Clear = 5",
    };
    let made = client.post(&format!("/api/v1/courses/{course}/{api}"), json!({"title": "Walked", "text": text})).await;
    assert_eq!(made.status, 201, "{api}: {}", made.text);
    made.json()["id"].as_str().expect("definition id").to_string()
}

/// A feedback file on `submission` (the caller grades it).
pub async fn feedback_file_fixture(client: &TestClient, submission: &str) -> String {
    let part = reqwest::multipart::Part::bytes(b"notes\n".to_vec()).file_name("walked.txt");
    let form = reqwest::multipart::Form::new().part("file", part);
    let url = client.url(&format!("/api/v1/assignment-submissions/{submission}/feedback/files"));
    let request = client.http.post(url).bearer_auth(client.bearer.as_deref().unwrap_or_default()).multipart(form);
    let made = TestClient::reply(request.send().await.unwrap()).await;
    assert_eq!(made.status, 201, "feedback file: {}", made.text);
    made.json()["id"].as_str().expect("feedback file id").to_string()
}

/// A file attached to `assignment`'s instructions (the caller's).
pub async fn attachment_fixture(client: &TestClient, assignment: &str) -> String {
    let part = reqwest::multipart::Part::bytes(b"notes\n".to_vec()).file_name("walked.txt");
    let form = reqwest::multipart::Form::new().part("file", part);
    let url = client.url(&format!("/api/v1/assignments/{assignment}/attachments"));
    let request = client.http.post(url).bearer_auth(client.bearer.as_deref().unwrap_or_default()).multipart(form);
    let made = TestClient::reply(request.send().await.unwrap()).await;
    assert_eq!(made.status, 201, "attachment: {}", made.text);
    made.json()["id"].as_str().expect("attachment id").to_string()
}

/// A grade category in a fresh course of the caller's.
pub async fn grade_category_fixture(client: &TestClient) -> String {
    let (course, _, _) = course_fixture(client).await;
    let made = client
        .post(&format!("/api/v1/courses/{course}/grade-categories"), json!({"name": "Walked", "weight": 10}))
        .await;
    assert_eq!(made.status, 201, "grade category: {}", made.text);
    made.json()["id"].as_str().expect("grade category id").to_string()
}

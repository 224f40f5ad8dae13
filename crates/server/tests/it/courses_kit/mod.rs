//! Helpers shared by the course authoring tests.
#![allow(dead_code)]

use serde_json::{Value, json};

use crate::common::{Reply, TestApp, TestClient};

/// Creates a course through the API; returns its id.
pub async fn course(client: &TestClient, title: &str) -> String {
    let reply = client.post("/api/v1/courses", json!({"title": title})).await;
    assert_eq!(reply.status, 201, "create course: {}", reply.text);
    reply.json()["id"].as_str().unwrap().to_string()
}

pub async fn module(client: &TestClient, course_id: &str, title: &str) -> String {
    let reply = client.post(&format!("/api/v1/courses/{course_id}/modules"), json!({"title": title})).await;
    assert_eq!(reply.status, 201, "create module: {}", reply.text);
    reply.json()["id"].as_str().unwrap().to_string()
}

pub async fn lesson(client: &TestClient, module_id: &str, body: Value) -> String {
    let reply = client.post(&format!("/api/v1/modules/{module_id}/lessons"), body).await;
    assert_eq!(reply.status, 201, "create lesson: {}", reply.text);
    reply.json()["id"].as_str().unwrap().to_string()
}

/// A course with one module and one text lesson: (course, module, lesson).
pub async fn outline(client: &TestClient, title: &str) -> (String, String, String) {
    let c = course(client, title).await;
    let m = module(client, &c, "Basics").await;
    let l = lesson(client, &m, json!({"title": "Welcome", "body": "Hello"})).await;
    (c, m, l)
}

/// PUTs one file in multipart field `field`.
pub async fn upload(client: &TestClient, path: &str, field: &str, bytes: Vec<u8>, file_name: &str) -> Reply {
    let part = reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_string());
    let form = reqwest::multipart::Form::new().part(field.to_string(), part);
    let mut req = client.http.put(client.url(path)).multipart(form);
    if let Some(csrf) = &client.csrf {
        req = req.header("x-csrf-token", csrf);
    }
    TestClient::reply(req.send().await.unwrap()).await
}

pub fn png(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(width, height, image::Rgb([20, 90, 200]));
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png).unwrap();
    out
}

pub const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
pub const MP4: &[u8] = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom\x00\x00\x00\x08free";

pub async fn count(app: &TestApp, sql: &'static str, id: &str) -> i64 {
    sqlx::query_scalar(sql).bind(id).fetch_one(app.state().db.pool()).await.unwrap()
}

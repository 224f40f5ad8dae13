//! Submission and feedback files stream to storage: the per-file limit is
//! met while a file streams (413, no row and nothing left in the store), a
//! file at the limit is stored whole, and a file the submission's room
//! cannot take is deleted once its size is known — both backends.

use std::path::Path;

use crate::assignments::{class_with, create, upload};
use crate::common::{Backend, TestApp, TestClient};
use lyceum_assignments::settings::AssignmentUploads;
use serde_json::json;

const LIMIT: usize = 256 * 1024;

/// `len` bytes of plain text, every line numbered (a chunk lost or out of
/// order would show when the file is read back).
fn text_of(len: usize) -> Vec<u8> {
    let mut text = Vec::with_capacity(len + 16);
    let mut line = 0;
    while text.len() < len {
        text.extend_from_slice(format!("line {line:07}\n").as_bytes());
        line += 1;
    }
    text.truncate(len);
    text
}

/// The objects the store holds under `prefix`, checked on the local
/// directory too (a part staged and not cleaned up would show there).
async fn stored(app: &TestApp, prefix: &str) -> usize {
    let keys = app.state().storage.list(prefix).await.unwrap();
    let on_disk = files_under(&app.state().settings.files_dir().join(prefix));
    assert_eq!(keys.len(), on_disk, "the store lists what the directory holds: {keys:?}");
    keys.len()
}

fn files_under(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    entries.flatten().map(|e| if e.path().is_dir() { files_under(&e.path()) } else { 1 }).sum()
}

async fn count(app: &TestApp, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(app.state().db.pool()).await.unwrap()
}

async fn download(client: &TestClient, url: &str) -> Vec<u8> {
    let fetched = client.http.get(client.url(url)).send().await.unwrap();
    assert_eq!(fetched.status(), 200, "{url}");
    fetched.bytes().await.unwrap().to_vec()
}

async fn files_stream_to_storage_under_the_limit(backend: Backend) {
    let c = class_with(backend, |s| s.section_mut::<AssignmentUploads>().submission_file_max_bytes = LIMIT).await;
    let a = create(&c, "Report", json!({"max_files": 3})).await;
    let id = a["id"].as_str().unwrap().to_string();
    let mine = format!("/api/v1/assignments/{id}/submission");
    let files = format!("{mine}/files");

    // One byte past the limit (the request itself is within the route's body
    // limit, so the limit is met while the file streams): refused, nothing kept.
    let over = upload(&c.learner, &files, "long.txt", &text_of(LIMIT + 1)).await;
    over.assert_problem(413, "payload-too-large");
    assert!(over.text.contains("256 KB"), "{}", over.text);
    assert_eq!(count(&c.app, "SELECT COUNT(*) FROM assignment_files").await, 0);
    assert_eq!(stored(&c.app, "assignments").await, 0, "no object, whole or partial");
    // The page's script gets the refusal (the site answers a 413 with its
    // error page: the script shows the form's own sentence for it).
    let form = c.learner.get(&format!("/assignments/{id}")).await.text;
    assert!(form.contains("data-too-large=\"The file is larger than the limit.\""), "{form}");
    let part = reqwest::multipart::Part::bytes(text_of(LIMIT + 1)).file_name("long.txt");
    let page = c
        .learner
        .http
        .post(c.learner.url(&format!("/assignments/{id}/files")))
        .header("x-csrf-token", c.learner.csrf.clone().unwrap())
        .header("x-lyceum-upload", "1")
        .multipart(reqwest::multipart::Form::new().part("file", part));
    let refused = page.send().await.unwrap();
    assert_eq!(refused.status(), 413);
    assert_eq!(stored(&c.app, "assignments").await, 0);

    // At the limit: stored whole, every byte in its place.
    let whole = text_of(LIMIT);
    let kept = upload(&c.learner, &files, "whole.txt", &whole).await;
    assert_eq!(kept.status, 201, "{}", kept.text);
    assert_eq!(kept.json()["size"], LIMIT, "{}", kept.text);
    assert_eq!(download(&c.learner, kept.json()["url"].as_str().unwrap()).await, whole);
    assert_eq!(stored(&c.app, "assignments").await, 1);

    // Feedback files: the same limit, met the same way.
    let submitted = c.learner.post(&format!("{mine}/submit"), json!({})).await;
    assert_eq!(submitted.status, 200, "{}", submitted.text);
    let sid = submitted.json()["submission"]["id"].as_str().unwrap().to_string();
    let feedback = format!("/api/v1/assignment-submissions/{sid}/feedback/files");
    upload(&c.teacher, &feedback, "notes.txt", &text_of(LIMIT + 1)).await.assert_problem(413, "payload-too-large");
    assert_eq!(count(&c.app, "SELECT COUNT(*) FROM assignment_feedback_files").await, 0);
    assert_eq!(stored(&c.app, &format!("assignments/{id}/{sid}/feedback")).await, 0);
    let notes = upload(&c.teacher, &feedback, "notes.txt", &whole).await;
    assert_eq!(notes.status, 201, "{}", notes.text);
    assert_eq!(download(&c.teacher, notes.json()["url"].as_str().unwrap()).await, whole);
    c.app.stop().await;
}

async fn a_file_the_room_cannot_take_is_deleted_once_its_size_is_known(backend: Backend) {
    let c = class_with(backend, |s| s.section_mut::<AssignmentUploads>().submission_file_max_bytes = LIMIT).await;
    let a = create(&c, "Report", json!({"max_files": 3, "max_total_bytes": 64 * 1024})).await;
    let id = a["id"].as_str().unwrap().to_string();
    let files = format!("/api/v1/assignments/{id}/submission/files");
    assert_eq!(upload(&c.learner, &files, "first.txt", &text_of(40 * 1024)).await.status, 201);
    // Its first bytes fit in the 24 KB left; its whole size, known once stored, does not.
    let refused = upload(&c.learner, &files, "second.txt", &text_of(40 * 1024)).await;
    refused.assert_problem(422, "validation");
    assert_eq!(refused.error_fields(), ["file"]);
    assert!(refused.text.contains("second.txt") && refused.text.contains("KB are left"), "{}", refused.text);
    assert_eq!(count(&c.app, "SELECT COUNT(*) FROM assignment_files").await, 1);
    assert_eq!(stored(&c.app, "assignments").await, 1, "the refused file's object is deleted");
    c.app.stop().await;
}

on_both_backends!(
    files_stream_to_storage_under_the_limit,
    a_file_the_room_cannot_take_is_deleted_once_its_size_is_known
);

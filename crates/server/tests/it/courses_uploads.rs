//! Lesson media uploads stream to storage under their own size limit, past
//! the small default body limit every other route keeps.

use crate::{common, courses_kit};

use common::{Backend, spawn_with};
use courses_kit as kit;
use lyceum_platform::auth::Role;
use serde_json::json;

const KIB: usize = 1024;

/// An MP4 header (what the type is decided on) followed by `len` bytes in all.
fn video_of(len: usize) -> Vec<u8> {
    let mut data = kit::MP4.to_vec();
    data.resize(len, 7);
    data
}

async fn lesson_media_streams_under_its_own_limit(backend: Backend) {
    let app = spawn_with(backend, |s| {
        s.max_body_bytes = 64 * KIB;
        s.section_mut::<lyceum_courses::settings::CourseUploads>().lesson_media_max_bytes = 1024 * KIB;
    })
    .await;
    let (client, _) = app.signed_in("grace@example.org", Role::Instructor).await;
    let (course, module, _) = kit::outline(&client, "Video course").await;
    let video = kit::lesson(&client, &module, json!({"title": "Talk", "kind": "video"})).await;
    let media = format!("/api/v1/lessons/{video}/media");

    // Eight times the default body limit, under the media limit: accepted whole.
    let ok = kit::upload(&client, &media, "media", video_of(512 * KIB), "talk.mp4").await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    assert_eq!(ok.json()["media"]["size"], 512 * KIB, "{}", ok.text);
    let key: String = sqlx::query_scalar("SELECT media_key FROM lessons WHERE id = $1")
        .bind(&video)
        .fetch_one(app.state().db.pool())
        .await
        .unwrap();
    assert_eq!(app.state().storage.get(&key).await.unwrap().len(), 512 * KIB, "stored in full");

    // Over the media limit (by less than the form's allowance, so the request is
    // read and the limit met while streaming): refused, the lesson keeps its
    // file, and nothing half-written is left.
    let big = kit::upload(&client, &media, "media", video_of(1040 * KIB), "long.mp4").await;
    big.assert_problem(413, "payload-too-large");
    let after: String = sqlx::query_scalar("SELECT media_key FROM lessons WHERE id = $1")
        .bind(&video)
        .fetch_one(app.state().db.pool())
        .await
        .unwrap();
    assert_eq!(after, key);
    let stored = std::fs::read_dir(app.state().settings.files_dir().join(format!("lessons/{video}"))).unwrap().count();
    assert_eq!(stored, 1, "only the accepted file is stored");

    // Every other route keeps the small default.
    let summary = "x".repeat(100 * KIB);
    let reply = client.patch(&format!("/api/v1/courses/{course}"), json!({"summary": summary})).await;
    reply.assert_problem(413, "payload-too-large");
    app.stop().await;
}

on_both_backends!(lesson_media_streams_under_its_own_limit);

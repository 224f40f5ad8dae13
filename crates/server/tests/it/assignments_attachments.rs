//! Files attached to an assignment's instructions (Moodle's "additional
//! files"): the staff add them (API and settings page) under the
//! submission files' rules, ten at most; the course's staff and actively
//! enrolled learners list and download them, before the opening date too;
//! anyone else gets 404 — both backends.

use crate::{
    assignments::{Class, DAY_MS, class, create, now_ms, rfc3339, upload},
    common::{Backend, TestClient},
    enrollment_kit,
};

use lyceum_platform::auth::Role;
use serde_json::json;

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj <<>> endobj\n";
const CSV: &[u8] = b"x,y\n1,2\n";
const EXE: &[u8] = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00";

/// An assignment of `c`'s course that opens tomorrow, and its attachments' API path.
async fn opening_tomorrow(c: &Class) -> (String, String) {
    let a = create(c, "Data lab", json!({"opens_at": rfc3339(now_ms() + DAY_MS)})).await;
    let id = a["id"].as_str().unwrap().to_string();
    let api = format!("/api/v1/assignments/{id}/attachments");
    (id, api)
}

/// A learner signed in and enrolled in another course (not in `c`'s).
async fn learner_elsewhere(c: &Class) -> TestClient {
    let (elsewhere, _) = c.app.signed_in("elsewhere@example.org", Role::Learner).await;
    let (latin, _) = enrollment_kit::published(&c.other_teacher, "Latin", json!({})).await;
    enrollment_kit::add_to_roster(&c.other_teacher, &latin, "elsewhere@example.org").await;
    elsewhere
}

async fn stored_key(c: &Class, attachment: &str) -> String {
    sqlx::query_scalar("SELECT storage_key FROM assignment_attachments WHERE id = $1")
        .bind(attachment)
        .fetch_one(c.app.state().db.pool())
        .await
        .unwrap()
}

async fn staff_attach_files_that_enrolled_learners_download_before_the_opening(backend: Backend) {
    let c = class(backend).await;
    let (id, api) = opening_tomorrow(&c).await;

    // The teacher attaches a brief through the API and a dataset through the settings page.
    let brief = upload(&c.teacher, &api, "brief.pdf", PDF).await;
    assert_eq!(brief.status, 201, "{}", brief.text);
    assert_eq!(
        (brief.json()["name"].as_str(), brief.json()["content_type"].as_str()),
        (Some("brief.pdf"), Some("application/pdf"))
    );
    let url = brief.json()["url"].as_str().unwrap().to_string();
    assert!(url.starts_with(&format!("/assignments/{id}/attachments/")), "{url}");
    let paged = upload(&c.teacher, &format!("/teach/assignments/{id}/attachments"), "<script>alert(1).csv", CSV).await;
    assert_eq!(paged.status, 303, "{}", paged.text);
    assert!(paged.header("location").ends_with("#attachments"), "{}", paged.header("location"));
    upload(&c.teacher, &api, "setup.exe", EXE).await.assert_problem(415, "unsupported-media-type");

    // An enrolled learner lists and downloads them although the assignment is not open yet.
    let listed = c.learner.get(&api).await;
    assert_eq!(listed.status, 200, "{}", listed.text);
    let items = listed.json()["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 2, "the .exe was not kept: {items:?}");
    assert_eq!(items[0]["url"], url.as_str());
    let data_url = items[1]["url"].as_str().unwrap().to_string();
    for learner in [&c.learner, &c.other_learner] {
        let fetched = learner.get(&data_url).await;
        assert_eq!((fetched.status.as_u16(), fetched.text.as_str()), (200, "x,y\n1,2\n"));
        assert!(fetched.header("content-disposition").starts_with("attachment"), "always a download");
        assert_eq!(learner.get(&url).await.status, 200);
    }

    // Shown under the instructions, before the opening; the name escaped on both pages.
    let page = c.learner.get(&format!("/assignments/{id}")).await.text;
    assert!(page.contains("id=\"not-open\""), "not open yet: {page}");
    assert!(page.contains(&format!("href=\"{url}\"")) && page.contains(&format!("href=\"{data_url}\"")), "{page}");
    assert!(page.contains("&#60;script&#62;alert(1).csv") && !page.contains("<script>alert"), "escaped: {page}");
    assert!(!page.contains("/attachments\" enctype"), "no upload for the learner");
    let settings = c.teacher.get(&format!("/teach/assignments/{id}")).await.text;
    assert!(settings.contains(&format!("href=\"{data_url}\"")), "{settings}");
    assert!(settings.contains("&#60;script&#62;alert(1).csv") && !settings.contains("<script>alert"), "escaped");
    assert!(settings.contains(&format!("action=\"/teach/assignments/{id}/attachments\"")), "the upload form");
    c.app.stop().await;
}

async fn only_the_course_reaches_them_and_removing_one_deletes_its_file(backend: Backend) {
    let c = class(backend).await;
    let (id, api) = opening_tomorrow(&c).await;
    let elsewhere = learner_elsewhere(&c).await;
    let added = upload(&c.teacher, &api, "brief.pdf", PDF).await;
    let (attachment, url) =
        (added.json()["id"].as_str().unwrap().to_string(), added.json()["url"].as_str().unwrap().to_string());
    let one = format!("{api}/{attachment}");

    for outsider in [&elsewhere, &c.other_teacher, &c.stranger] {
        assert_eq!(outsider.get(&api).await.status, 404);
        assert_eq!(outsider.get(&url).await.status, 404);
        assert_eq!(upload(outsider, &api, "x.pdf", PDF).await.status, 404);
        assert_eq!(outsider.delete(&one).await.status, 404);
    }
    let anonymous = c.app.client();
    anonymous.get(&api).await.assert_problem(401, "unauthorized");
    assert_eq!(anonymous.get(&url).await.status, 404);
    // The learner reads, never writes.
    assert_eq!(upload(&c.learner, &api, "x.pdf", PDF).await.status, 404);
    assert_eq!(upload(&c.learner, &format!("/teach/assignments/{id}/attachments"), "x.pdf", PDF).await.status, 404);
    assert_eq!(c.learner.delete(&one).await.status, 404);
    let by_page = format!("/teach/assignments/{id}/attachments/{attachment}/delete");
    assert_eq!(c.learner.post(&by_page, json!({})).await.status, 404);
    assert_eq!(c.learner.get(&url).await.status, 200, "still there");

    // Removing one deletes its stored object.
    let key = stored_key(&c, &attachment).await;
    assert!(c.app.state().storage.get(&key).await.is_ok(), "stored");
    assert_eq!(c.teacher.delete(&one).await.status, 204);
    assert!(c.app.state().storage.get(&key).await.is_err(), "the object is gone");
    assert_eq!(c.learner.get(&url).await.status, 404);
    assert_eq!(c.teacher.delete(&one).await.status, 404, "once");

    // Ten at most: the eleventh is refused on `file`, and the page offers no upload.
    for n in 1..=10 {
        assert_eq!(upload(&c.teacher, &api, &format!("part{n}.txt"), b"notes\n").await.status, 201);
    }
    let full = upload(&c.teacher, &api, "more.txt", b"notes\n").await;
    full.assert_problem(422, "validation");
    assert_eq!(full.error_fields(), ["file"]);
    assert!(!c.teacher.get(&format!("/teach/assignments/{id}")).await.text.contains("id=\"attachment-file\""));
    // The page's remove button frees a place.
    let last = c.teacher.get(&api).await.json()["items"][9]["id"].as_str().unwrap().to_string();
    let removed = c.teacher.post(&format!("/teach/assignments/{id}/attachments/{last}/delete"), json!({})).await;
    assert_eq!(removed.status, 303, "{}", removed.text);
    assert_eq!(upload(&c.teacher, &api, "more.txt", b"notes\n").await.status, 201);
    c.app.stop().await;
}

on_both_backends!(
    staff_attach_files_that_enrolled_learners_download_before_the_opening,
    only_the_course_reaches_them_and_removing_one_deletes_its_file
);

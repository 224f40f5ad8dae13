//! Course authoring through the API: create, edit, validate, publish, reorder,
//! upload, delete.

use crate::{common, courses_kit, enrollment_kit};

use common::{Backend, spawn};
use courses_kit as kit;
use lyceum_platform::auth::Role;
use serde_json::json;

async fn create_edit_and_read_back(backend: Backend) {
    let app = spawn(backend).await;
    let (client, me) = app.signed_in("grace@example.org", Role::Instructor).await;
    let body = json!({
        "title": "Intro to Rust", "summary": "Ownership without tears", "description": "Learn **Rust**",
        "category": "programming", "level": "intermediate", "language": "PT-br",
        "tags": ["Rust", " systems ", "rust"], "price_minor": 1999, "currency": "eur", "seat_limit": 30
    });
    let reply = client.post("/api/v1/courses", body).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let course = reply.json();
    assert_eq!(course["slug"], "intro-to-rust", "slug is made from the title");
    assert_eq!(course["state"], "draft");
    assert_eq!(course["language"], "pt-BR");
    assert_eq!(course["tags"], json!(["rust", "systems"]));
    assert_eq!(course["price_minor"], 1999);
    assert_eq!(course["currency"], "EUR");
    assert_eq!(course["category"]["slug"], "programming");
    assert_eq!(course["description_html"].as_str().unwrap().trim(), "<p>Learn <strong>Rust</strong></p>");
    assert_eq!(course["instructors"][0]["user_id"], me.as_str());
    assert_eq!(course["instructors"][0]["role"], "owner");
    let id = course["id"].as_str().unwrap();

    // The same title again gets a free slug; PATCH changes only what is sent; null clears.
    let again = client.post("/api/v1/courses", json!({"title": "Intro to Rust"})).await.json();
    assert_eq!(again["slug"], "intro-to-rust-2");
    let patched = client
        .patch(&format!("/api/v1/courses/{id}"), json!({"price_minor": 0, "currency": null, "seat_limit": null}))
        .await;
    assert_eq!(patched.status, 200, "{}", patched.text);
    let read = client.get(&format!("/api/v1/courses/{id}")).await.json();
    assert_eq!((read["price_minor"].as_i64(), read["currency"].is_null()), (Some(0), true));
    assert!(read["seat_limit"].is_null());
    assert_eq!(read["title"], "Intro to Rust");

    let listed = client.get("/api/v1/courses?limit=1").await.json();
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    assert!(listed["next_cursor"].is_string());
    let categories = app.client().get("/api/v1/categories").await.json();
    assert!(categories["items"].as_array().unwrap().len() >= 6);
    app.stop().await;
}

async fn every_rule_names_its_field(backend: Backend) {
    let app = spawn(backend).await;
    let (client, _) = app.signed_in("grace@example.org", Role::Instructor).await;
    let reply = client
        .post(
            "/api/v1/courses",
            json!({
                "title": "ab", "slug": "Not A Slug", "summary": "s".repeat(301), "description": "d".repeat(50_001),
                "category": "astrology", "language": "english!", "tags": ["x".repeat(31)],
                "price_minor": 1_000_000_001_i64, "seat_limit": 0
            }),
        )
        .await;
    reply.assert_problem(422, "validation");
    let mut fields = reply.error_fields();
    fields.sort();
    let expected = [
        "category",
        "currency",
        "description",
        "language",
        "price_minor",
        "seat_limit",
        "slug",
        "summary",
        "tags",
        "title",
    ];
    assert_eq!(fields, expected, "{}", reply.text);
    let too_many: Vec<String> = (0..21).map(|i| format!("t{i}")).collect();
    let r = client.post("/api/v1/courses", json!({"title": "Tags", "tags": too_many})).await;
    assert_eq!(r.error_fields(), ["tags"]);
    let r = client.post("/api/v1/courses", json!({"title": "Free", "price_minor": 0, "currency": "EUR"})).await;
    assert_eq!(r.error_fields(), ["currency"]);
    let r = client.post("/api/v1/courses", json!({"title": "Odd", "price_minor": 100, "currency": "XXX"})).await;
    assert_eq!(r.error_fields(), ["currency"]);
    let r = client.post("/api/v1/courses", json!({"title": "Neg", "price_minor": -5})).await;
    assert_eq!(r.error_fields(), ["price_minor"]);
    let r = client.post("/api/v1/courses", json!({"title": "Lvl", "level": "expert"})).await;
    assert_eq!(r.error_fields(), ["level"]);

    let (course, module, lesson) = kit::outline(&client, "Valid course").await;
    let r = client.post(&format!("/api/v1/courses/{course}/modules"), json!({"title": " "})).await;
    assert_eq!(r.error_fields(), ["title"]);
    let r = client
        .patch(
            &format!("/api/v1/lessons/{lesson}"),
            json!({"duration_minutes": 1441, "video_url": "https://v.example/a.mp4"}),
        )
        .await;
    let mut fields = r.error_fields();
    fields.sort();
    assert_eq!(fields, ["duration_minutes", "video_url"], "a text lesson has no video address: {}", r.text);
    let r = client
        .post(
            &format!("/api/v1/modules/{module}/lessons"),
            json!({"title": "V", "kind": "video", "video_url": "javascript:alert(1)"}),
        )
        .await;
    assert_eq!(r.error_fields(), ["video_url"]);
    let ok = client
        .post(&format!("/api/v1/modules/{module}/lessons"), json!({"title": "V", "kind": "video", "video_url": "https://v.example/a.mp4", "duration_minutes": 12, "is_preview": true}))
        .await;
    assert_eq!(ok.status, 201, "{}", ok.text);
    assert_eq!(ok.json()["is_preview"], true);
    // A NUL is bad input on both databases (PostgreSQL could not even store it).
    let nul = client.post("/api/v1/courses", json!({"title": "Null\u{0}title", "summary": "a\u{0}b"})).await;
    nul.assert_problem(422, "validation");
    assert_eq!(nul.error_fields(), ["title", "summary"]);
    app.stop().await;
}

async fn slug_clash_is_a_field_error(backend: Backend) {
    let app = spawn(backend).await;
    let (client, _) = app.signed_in("grace@example.org", Role::Instructor).await;
    client.post("/api/v1/courses", json!({"title": "First", "slug": "taken-slug"})).await;
    let reply = client.post("/api/v1/courses", json!({"title": "Second", "slug": "taken-slug"})).await;
    reply.assert_problem(422, "validation");
    assert_eq!(reply.error_fields(), ["slug"]);
    assert!(reply.text.contains("Another course already uses this address"), "{}", reply.text);
    let other = kit::course(&client, "Third").await;
    let patch = client.patch(&format!("/api/v1/courses/{other}"), json!({"slug": "taken-slug"})).await;
    assert_eq!(patch.error_fields(), ["slug"]);
    app.stop().await;
}

async fn publishing_needs_a_lesson(backend: Backend) {
    let app = spawn(backend).await;
    let (client, _) = app.signed_in("grace@example.org", Role::Instructor).await;
    let id = kit::course(&client, "Empty course").await;
    let refused = client.post(&format!("/api/v1/courses/{id}/publish"), json!({})).await;
    refused.assert_problem(422, "course-has-no-lessons");
    assert_eq!(refused.json()["detail"], "A course needs at least one lesson before it can be published.");
    client.post(&format!("/api/v1/courses/{id}/archive"), json!({})).await.assert_problem(409, "invalid-state-change");

    let module = kit::module(&client, &id, "Only module").await;
    let video = kit::lesson(&client, &module, json!({"title": "Intro video", "kind": "video"})).await;
    kit::lesson(&client, &module, json!({"title": "Only lesson"})).await;
    let empty = client.post(&format!("/api/v1/courses/{id}/publish"), json!({})).await;
    empty.assert_problem(422, "course-has-empty-lessons");
    assert!(empty.json()["detail"].as_str().unwrap().contains("\u{201c}Intro video\u{201d}"), "{}", empty.text);
    let address = json!({"video_url": "https://videos.example/intro.mp4"});
    assert_eq!(client.patch(&format!("/api/v1/lessons/{video}"), address).await.status, 200);
    let published = client.post(&format!("/api/v1/courses/{id}/publish"), json!({})).await;
    assert_eq!(published.status, 200, "{}", published.text);
    assert_eq!(published.json()["state"], "published");
    assert!(published.json()["published_at"].is_string());
    let archived = client.post(&format!("/api/v1/courses/{id}/archive"), json!({})).await.json();
    assert_eq!(archived["state"], "archived");
    let draft = client.post(&format!("/api/v1/courses/{id}/unpublish"), json!({})).await.json();
    assert_eq!(draft["state"], "draft");
    assert!(draft["published_at"].is_null());
    app.stop().await;
}

async fn reorder_checks_the_id_set(backend: Backend) {
    let app = spawn(backend).await;
    let (client, _) = app.signed_in("grace@example.org", Role::Instructor).await;
    let (course, m1, l1) = kit::outline(&client, "Ordered").await;
    let m2 = kit::module(&client, &course, "Second").await;
    let l2 = kit::lesson(&client, &m1, json!({"title": "Two"})).await;
    let url = format!("/api/v1/courses/{course}/modules/order");
    client.send(reqwest::Method::PUT, &url, Some(&json!({"ids": [m2]}))).await.assert_problem(422, "validation");
    client.send(reqwest::Method::PUT, &url, Some(&json!({"ids": [m1, m1]}))).await.assert_problem(422, "validation");
    client
        .send(reqwest::Method::PUT, &url, Some(&json!({"ids": [m2, "someone-else"]})))
        .await
        .assert_problem(422, "validation");
    let ok = client.send(reqwest::Method::PUT, &url, Some(&json!({"ids": [m2, m1]}))).await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    let modules: Vec<String> =
        ok.json()["items"].as_array().unwrap().iter().map(|m| m["id"].as_str().unwrap().into()).collect();
    assert_eq!(modules, [m2.clone(), m1.clone()]);

    let lurl = format!("/api/v1/modules/{m1}/lessons/order");
    let wrong = client.send(reqwest::Method::PUT, &lurl, Some(&json!({"ids": [l1]}))).await;
    assert_eq!(wrong.error_fields(), ["ids"]);
    let ok = client.send(reqwest::Method::PUT, &lurl, Some(&json!({"ids": [l2, l1]}))).await;
    let lessons: Vec<String> =
        ok.json()["items"].as_array().unwrap().iter().map(|l| l["id"].as_str().unwrap().to_string()).collect();
    assert_eq!(lessons, [l2.clone(), l1.clone()]);
    let course_json = client.get(&format!("/api/v1/courses/{course}")).await.json();
    assert_eq!(course_json["modules"][1]["lessons"][0]["id"], l2.as_str());
    app.stop().await;
}

async fn uploads_are_checked_on_content(backend: Backend) {
    let app = spawn(backend).await;
    let (client, _) = app.signed_in("grace@example.org", Role::Instructor).await;
    let (course, module, text_lesson) = kit::outline(&client, "Media course").await;

    let cover = format!("/api/v1/courses/{course}/cover");
    let bad = kit::upload(&client, &cover, "cover", b"<script>alert(1)</script>".to_vec(), "evil.png").await;
    bad.assert_problem(422, "validation");
    assert_eq!(bad.error_fields(), ["cover"]);
    let good = kit::upload(&client, &cover, "cover", kit::png(2000, 1000), "cover.png").await;
    assert_eq!(good.status, 200, "{}", good.text);
    let url = good.json()["cover_url"].as_str().unwrap().to_string();
    assert_eq!(app.client().get(&url).await.status, 404, "a draft's cover is not public");
    let mine = client.http.get(client.url(&url)).send().await.unwrap();
    assert_eq!(mine.headers()["content-type"], "image/jpeg");
    let img = image::load_from_memory(&mine.bytes().await.unwrap()).unwrap();
    assert!(img.width() <= 1600 && img.height() <= 900);
    client.post(&format!("/api/v1/courses/{course}/publish"), json!({})).await;
    assert_eq!(app.client().get(&url).await.status, 200, "a published course's cover is public");

    let video = kit::lesson(&client, &module, json!({"title": "Video", "kind": "video"})).await;
    let file = kit::lesson(&client, &module, json!({"title": "Handout", "kind": "file"})).await;
    let media = |id: &str| format!("/api/v1/lessons/{id}/media");
    let r = kit::upload(&client, &media(&video), "media", kit::PDF.to_vec(), "talk.mp4").await;
    assert_eq!(r.error_fields(), ["media"], "PDF bytes named .mp4 are not a video: {}", r.text);
    let r = kit::upload(&client, &media(&file), "media", kit::PDF.to_vec(), "talk.mp4").await;
    assert_eq!(r.error_fields(), ["media"], "a name promising another type is refused: {}", r.text);
    let r = kit::upload(&client, &media(&text_lesson), "media", kit::PDF.to_vec(), "a.pdf").await;
    assert_eq!(r.error_fields(), ["media"]);
    let ok = kit::upload(&client, &media(&video), "media", kit::MP4.to_vec(), "intro.mp4").await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    assert_eq!(ok.json()["media"]["content_type"], "video/mp4");
    let ok = kit::upload(&client, &media(&file), "media", kit::PDF.to_vec(), "../../etc/Notes.pdf").await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    let lesson = client.get(&format!("/api/v1/lessons/{file}")).await.json();
    assert_eq!(lesson["media"]["file_name"], "Notes.pdf");
    assert_eq!(lesson["media"]["content_type"], "application/pdf");
    // A video lesson turned into text loses the video it can no longer show.
    let text = client.patch(&format!("/api/v1/lessons/{video}"), json!({"kind": "text"})).await;
    assert_eq!(text.status, 200, "{}", text.text);
    assert!(text.json()["media"].is_null(), "{}", text.text);
    let key: String = sqlx::query_scalar("SELECT media_key FROM lessons WHERE id = $1")
        .bind(&file)
        .fetch_one(app.state().db.pool())
        .await
        .unwrap();
    assert!(key.starts_with(&format!("lessons/{file}/")) && key.ends_with(".pdf") && !key.contains("Notes"), "{key}");
    app.stop().await;
}

/// A lesson moves to the end of another module of its course (API and the
/// lesson editor's module menu); never into another course.
async fn lessons_move_between_modules(backend: Backend) {
    let app = spawn(backend).await;
    let (client, _) = app.signed_in("grace@example.org", Role::Instructor).await;
    let (course, first, lesson) = kit::outline(&client, "Moving course").await;
    let second = kit::module(&client, &course, "Second").await;
    let already = kit::lesson(&client, &second, json!({"title": "Already there"})).await;
    let moved = client.patch(&format!("/api/v1/lessons/{lesson}"), json!({"module_id": second})).await;
    assert_eq!(moved.status, 200, "{}", moved.text);
    let outline = client.get(&format!("/api/v1/courses/{course}")).await.json();
    assert!(outline["modules"][0]["lessons"].as_array().unwrap().is_empty(), "{outline}");
    let ids: Vec<&str> =
        outline["modules"][1]["lessons"].as_array().unwrap().iter().map(|l| l["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [already.as_str(), lesson.as_str()], "appended at the end");

    let (_, elsewhere, _) = kit::outline(&client, "Other course").await;
    let refused = client.patch(&format!("/api/v1/lessons/{lesson}"), json!({"module_id": elsewhere})).await;
    refused.assert_problem(422, "validation");
    assert_eq!(refused.error_fields(), ["module_id"]);

    // The editor's menu offers the course's modules and moves the lesson back.
    let editor = format!("/teach/lessons/{lesson}");
    let page = client.get(&editor).await.text;
    assert!(page.contains(&format!(r#"<option value="{second}" selected>Second</option>"#)), "{page}");
    let csrf = client.page_csrf(&editor).await;
    let fields = [("csrf", csrf.as_str()), ("title", "Welcome"), ("kind", "text"), ("module_id", first.as_str())];
    assert_eq!(client.form(&editor, &fields).await.status, 303);
    let outline = client.get(&format!("/api/v1/courses/{course}")).await.json();
    assert_eq!(outline["modules"][0]["lessons"][0]["id"], lesson.as_str());
    app.stop().await;
}

async fn delete_warns_when_learners_are_enrolled(backend: Backend) {
    let app = spawn(backend).await;
    let (client, _) = app.signed_in("grace@example.org", Role::Instructor).await;
    app.create_user("ada@example.org", Role::Learner).await;
    let (course, module, lesson) = kit::outline(&client, "Busy course").await;
    enrollment_kit::add_to_roster(&client, &course, "ada@example.org").await;

    client.delete(&format!("/api/v1/lessons/{lesson}")).await.assert_problem(409, "course-has-enrollments");
    client.delete(&format!("/api/v1/modules/{module}")).await.assert_problem(409, "course-has-enrollments");
    let refused = client.delete(&format!("/api/v1/courses/{course}")).await;
    refused.assert_problem(409, "course-has-enrollments");
    assert!(refused.json()["detail"].as_str().unwrap().starts_with("1 learner is enrolled"), "{}", refused.text);
    let page = client.get(&format!("/teach/courses/{course}/delete")).await;
    assert!(page.text.contains("1 learner is enrolled; deleting removes their progress."), "{}", page.text);
    app.create_user("alan@example.org", Role::Learner).await;
    enrollment_kit::add_to_roster(&client, &course, "alan@example.org").await;
    let page = client.get(&format!("/teach/courses/{course}/delete")).await;
    assert!(page.text.contains("2 learners are enrolled; deleting removes their progress."), "{}", page.text);
    assert!(page.text.contains("name=\"force\" value=\"true\""), "the confirmation carries force");

    assert_eq!(client.delete(&format!("/api/v1/courses/{course}?force=true")).await.status, 204);
    assert_eq!(client.get(&format!("/api/v1/courses/{course}")).await.status, 404);
    for sql in [
        "SELECT COUNT(*) FROM lessons WHERE course_id = $1",
        "SELECT COUNT(*) FROM course_modules WHERE course_id = $1",
        "SELECT COUNT(*) FROM enrollments WHERE course_id = $1",
        "SELECT COUNT(*) FROM course_instructors WHERE course_id = $1",
    ] {
        assert_eq!(kit::count(&app, sql, &course).await, 0, "{sql}");
    }
    // Without learners, deletes need no force.
    let (other, m, l) = kit::outline(&client, "Quiet course").await;
    assert_eq!(client.delete(&format!("/api/v1/lessons/{l}")).await.status, 204);
    assert_eq!(client.delete(&format!("/api/v1/modules/{m}")).await.status, 204);
    assert_eq!(client.delete(&format!("/api/v1/courses/{other}")).await.status, 204);
    app.stop().await;
}

on_both_backends!(
    create_edit_and_read_back,
    every_rule_names_its_field,
    slug_clash_is_a_field_error,
    publishing_needs_a_lesson,
    reorder_checks_the_id_set,
    uploads_are_checked_on_content,
    delete_warns_when_learners_are_enrolled,
    lessons_move_between_modules,
);

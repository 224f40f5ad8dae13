//! The editor's secondary forms: cover upload, co-instructors, lesson moves,
//! media upload, and the module and lesson delete confirmations.

use crate::{common, courses_kit};

use common::{Backend, TestClient, spawn};
use courses_kit as kit;
use lyceum_platform::auth::Role;
use serde_json::json;

/// Posts a multipart form the way the editor's upload forms do: the `csrf`
/// field first, then the file.
async fn post_file(
    client: &TestClient,
    path: &str,
    csrf: &str,
    field: &str,
    bytes: &[u8],
    name: &str,
) -> common::Reply {
    let part = reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(name.to_string());
    let form = reqwest::multipart::Form::new().text("csrf", csrf.to_string()).part(field.to_string(), part);
    TestClient::reply(client.http.post(client.url(path)).multipart(form).send().await.unwrap()).await
}

async fn editor_forms_work_without_javascript(backend: Backend) {
    let app = spawn(backend).await;
    let (client, _) = app.signed_in("grace@example.org", Role::Instructor).await;
    app.create_user("alan@example.org", Role::Instructor).await;
    app.create_user("ada@example.org", Role::Learner).await;
    let (course, module, first) = kit::outline(&client, "Forms course").await;
    let second = kit::lesson(&client, &module, json!({"title": "Second", "kind": "file"})).await;
    let editor = format!("/teach/courses/{course}");
    let csrf = client.page_csrf(&editor).await;

    let page = client.get(&editor).await.text;
    assert!(!page.contains("?csrf="), "the token never goes into an address");
    assert!(page.contains("4 MB."), "the cover limit is readable");
    let forged = post_file(&client, &format!("{editor}/cover"), "forged", "cover", &kit::png(40, 30), "c.png").await;
    assert_eq!(forged.status, 403, "the multipart token is checked");
    let part = reqwest::multipart::Part::bytes(kit::png(40, 30)).file_name("c.png");
    let file_first = reqwest::multipart::Form::new().part("cover", part).text("csrf", csrf.clone());
    let url = client.url(&format!("{editor}/cover"));
    let file_first = TestClient::reply(client.http.post(url).multipart(file_first).send().await.unwrap()).await;
    assert_eq!(file_first.status, 403, "the token must come before the file");
    let refused = post_file(&client, &format!("{editor}/cover"), &csrf, "cover", b"not an image", "x.png").await;
    assert_eq!(refused.status, 422);
    assert!(refused.text.contains("The file is not a PNG, JPEG, GIF or WebP image."), "{}", refused.text);
    let saved = post_file(&client, &format!("{editor}/cover"), &csrf, "cover", &kit::png(40, 30), "c.png").await;
    assert_eq!(saved.status, 303, "{}", saved.text);
    assert!(client.get(&editor).await.text.contains(&format!("/courses/{course}/cover?v=")));

    let learner = client.form(&format!("{editor}/instructors"), &[("csrf", &csrf), ("email", "ada@example.org")]).await;
    assert_eq!(learner.status, 422);
    assert!(learner.text.contains("Only instructors and administrators can teach a course"), "{}", learner.text);
    let added = client.form(&format!("{editor}/instructors"), &[("csrf", &csrf), ("email", "alan@example.org")]).await;
    assert_eq!(added.status, 303);
    let instructors = client.get(&format!("/api/v1/courses/{course}/instructors")).await.json();
    let co_id = instructors["items"][1]["user_id"].as_str().unwrap().to_string();
    let removed = client.form(&format!("{editor}/instructors/{co_id}/remove"), &[("csrf", &csrf)]).await;
    assert_eq!(removed.status, 303);
    assert_eq!(
        client.get(&format!("/api/v1/courses/{course}/instructors")).await.json()["items"].as_array().unwrap().len(),
        1
    );

    let moved = client.form(&format!("/teach/lessons/{second}/move"), &[("csrf", &csrf), ("direction", "up")]).await;
    assert_eq!(moved.status, 303);
    let outline = client.get(&format!("/api/v1/courses/{course}")).await.json();
    assert_eq!(outline["modules"][0]["lessons"][0]["id"], second.as_str());
    assert_eq!(outline["modules"][0]["lessons"][1]["id"], first.as_str());

    let lesson_page = format!("/teach/lessons/{second}");
    let bad = post_file(&client, &format!("{lesson_page}/media"), &csrf, "media", kit::PDF, "slides.mp4").await;
    assert_eq!(bad.status, 422);
    assert!(bad.text.contains("its content is a PDF document"), "{}", bad.text);
    let ok = post_file(&client, &format!("{lesson_page}/media"), &csrf, "media", kit::PDF, "slides.pdf").await;
    assert_eq!(ok.status, 303, "{}", ok.text);
    let shown = client.get(&lesson_page).await.text;
    assert!(shown.contains("slides.pdf"));
    assert!(shown.contains("512 MB."), "sizes as people read them, not 524288 KB: {shown}");

    let confirm = client.get(&format!("/teach/lessons/{second}/delete")).await;
    assert!(confirm.text.contains("Delete the lesson: Second") && !confirm.text.contains("learners are enrolled"));
    assert_eq!(client.form(&format!("/teach/lessons/{second}/delete"), &[("csrf", &csrf)]).await.status, 303);
    let confirm = client.get(&format!("/teach/modules/{module}/delete")).await;
    assert!(confirm.text.contains("Delete the module: Basics"));
    assert_eq!(client.form(&format!("/teach/modules/{module}/delete"), &[("csrf", &csrf)]).await.status, 303);
    assert!(client.get(&format!("/api/v1/courses/{course}")).await.json()["modules"].as_array().unwrap().is_empty());
    let forged = client.form(&format!("{editor}/delete"), &[("force", "true")]).await;
    assert_eq!(forged.status, 403, "a form post without the CSRF token is refused");
    app.stop().await;
}

/// The editor's preview is the server's rendering: sanitised, code highlighted;
/// for signed-in users, with the CSRF token, like every form.
async fn the_markdown_preview_renders_like_the_lesson(backend: Backend) {
    let app = spawn(backend).await;
    let (client, _) = app.signed_in("grace@example.org", Role::Instructor).await;
    let csrf = client.page_csrf("/teach").await;
    let text = "**Bold** <script>alert(1)</script>\n\n```rust\nfn main() {}\n```\n";
    let shown = client.form("/markdown/preview", &[("csrf", csrf.as_str()), ("text", text)]).await;
    assert_eq!(shown.status, 200, "{}", shown.text);
    assert!(shown.text.contains("<strong>Bold</strong>") && shown.text.contains("<pre class=\"hl-code\">"));
    assert!(!shown.text.contains("<script"), "{}", shown.text);
    assert_eq!(client.form("/markdown/preview", &[("text", "x")]).await.status, 403, "CSRF is checked");
    let anonymous = app.client().form("/markdown/preview", &[("text", "x")]).await;
    assert!(matches!(anonymous.status.as_u16(), 303 | 403), "no preview for visitors: {}", anonymous.status);
    app.stop().await;
}

/// An MP4 whose movie header says it plays for `ms` milliseconds.
fn mp4_lasting(ms: u32) -> Vec<u8> {
    let boxed = |kind: &[u8], body: &[u8]| [&(8 + body.len() as u32).to_be_bytes()[..], kind, body].concat();
    let mvhd = [&[0u8; 12][..], &1000u32.to_be_bytes(), &ms.to_be_bytes(), &[0u8; 80]].concat();
    [kit::MP4.to_vec(), boxed(b"mdat", &[7; 4096]), boxed(b"moov", &boxed(b"mvhd", &mvhd))].concat()
}

/// The editor's upload box is there before a lesson is saved as a video: the
/// upload says what the lesson becomes, and a video's length is read from it.
async fn a_text_lesson_takes_a_file_and_becomes_its_kind(backend: Backend) {
    let app = spawn(backend).await;
    let (client, _) = app.signed_in("grace@example.org", Role::Instructor).await;
    let (_, module, text) = kit::outline(&client, "Uploads").await;
    let page = format!("/teach/lessons/{text}");
    let csrf = client.page_csrf(&page).await;
    let editor = client.get(&page).await.text;
    assert!(editor.contains(r#"data-for-kind="video file" hidden>"#), "hidden until video or file is chosen: {editor}");
    assert!(editor.contains(r#"<input type="hidden" name="kind" value="video" data-kind-copy>"#));

    let post = |kind: &'static str, bytes: Vec<u8>, name: &'static str| {
        let part = reqwest::multipart::Part::bytes(bytes).file_name(name);
        let form = reqwest::multipart::Form::new().text("csrf", csrf.clone()).text("kind", kind).part("media", part);
        let req = client.http.post(client.url(&format!("{page}/media"))).multipart(form);
        async move { TestClient::reply(req.send().await.unwrap()).await }
    };
    let wrong = post("text", mp4_lasting(1000), "a.mp4").await;
    assert_eq!(wrong.status, 422);
    assert!(wrong.text.contains("use video or file"), "{}", wrong.text);
    assert_eq!(post("video", mp4_lasting(185_000), "talk.mp4").await.status, 303);
    let lesson = client.get(&format!("/api/v1/lessons/{text}")).await.json();
    assert_eq!((lesson["kind"].as_str(), lesson["duration_minutes"].as_i64()), (Some("video"), Some(3)), "{lesson}");

    // A length the author gave stays; the API takes `kind` too.
    let timed = kit::lesson(&client, &module, json!({"title": "Timed", "duration_minutes": 7})).await;
    let part = reqwest::multipart::Part::bytes(mp4_lasting(60_000)).file_name("t.mp4");
    let form = reqwest::multipart::Form::new().text("kind", "video").part("media", part);
    let req = client.http.put(client.url(&format!("/api/v1/lessons/{timed}/media"))).multipart(form);
    let reply = TestClient::reply(req.header("x-csrf-token", client.csrf.clone().unwrap()).send().await.unwrap()).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!((reply.json()["kind"].as_str(), reply.json()["duration_minutes"].as_i64()), (Some("video"), Some(7)));
    app.stop().await;
}

on_both_backends!(
    the_markdown_preview_renders_like_the_lesson,
    editor_forms_work_without_javascript,
    a_text_lesson_takes_a_file_and_becomes_its_kind,
);

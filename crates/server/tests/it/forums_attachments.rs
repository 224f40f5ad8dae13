//! Files attached to forum posts: through the API (the post's author,
//! within the edit window) and with the compose and reply forms; shown under
//! the post with name and size; downloaded by the course's members only
//! (404 to anyone else, and once the post is deleted); refused when too
//! large (413), of the wrong kind (415) or too many (422), with messages a
//! person can act on; a post that cannot be written leaves no stored file
//! behind. Both backends.

use crate::{common, courses_kit, forums_kit};

use common::{Backend, Reply, TestClient};
use forums_kit::{Forums, class, class_with};
use lyceum_forums::settings::ForumSettings;
use serde_json::json;

on_both_backends!(
    a_member_attaches_files_and_only_members_download_them,
    too_large_wrong_kind_and_too_many_are_refused_clearly,
    the_compose_and_reply_forms_carry_files,
    a_post_that_cannot_be_written_keeps_no_file,
);

/// POSTs `files` (name, bytes) as multipart field `files`, with `fields` first.
async fn multipart(client: &TestClient, path: &str, fields: &[(&str, &str)], files: &[(&str, Vec<u8>)]) -> Reply {
    let mut form = reqwest::multipart::Form::new();
    for (name, value) in fields {
        form = form.text(name.to_string(), value.to_string());
    }
    for (name, bytes) in files {
        form = form.part("files", reqwest::multipart::Part::bytes(bytes.clone()).file_name(name.to_string()));
    }
    let mut req = client.http.post(client.url(path)).multipart(form);
    if let Some(csrf) = &client.csrf {
        req = req.header("x-csrf-token", csrf);
    }
    TestClient::reply(req.send().await.unwrap()).await
}

async fn attach(client: &TestClient, post: &str, files: &[(&str, Vec<u8>)]) -> Reply {
    multipart(client, &format!("/api/v1/forums/posts/{post}/attachments"), &[], files).await
}

/// The opening post of a fresh thread by Ada in the general forum.
async fn ada_post(c: &Forums) -> (String, String) {
    let forum = c.forum("general").await;
    let thread = c.thread(&c.ada, &forum, "My notes", "Here are my notes.").await;
    let post = c.read(&c.ada, &thread, Some(1)).await["posts"][0]["id"].as_str().unwrap().to_string();
    (thread, post)
}

async fn a_member_attaches_files_and_only_members_download_them(backend: Backend) {
    let c = class(backend).await;
    let (thread, post) = ada_post(&c).await;
    let png = courses_kit::png(4, 4);
    let made = attach(&c.ada, &post, &[("diagram.png", png.clone()), ("notes.pdf", courses_kit::PDF.to_vec())]).await;
    assert_eq!(made.status, 201, "{}", made.text);
    let items = made.json()["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 2);
    assert_eq!(
        (items[0]["name"].as_str(), items[0]["content_type"].as_str()),
        (Some("diagram.png"), Some("image/png"))
    );
    assert_eq!(items[1]["content_type"], "application/pdf");
    assert_eq!(items[0]["size"], png.len() as i64);
    let id = items[0]["id"].as_str().unwrap().to_string();

    // Bob (a member) sees them under the post, and downloads one.
    let read = c.read(&c.bob, &thread, Some(1)).await;
    assert_eq!(read["posts"][0]["attachments"].as_array().unwrap().len(), 2);
    let page = c.bob.get(&format!("/forums/threads/{thread}?page=1")).await;
    assert!(page.text.contains(&format!("href=\"/forums/attachments/{id}\"")), "{}", page.text);
    assert!(page.text.contains("diagram.png") && page.text.contains("notes.pdf"));
    let file = c.bob.http.get(c.bob.url(&format!("/forums/attachments/{id}"))).send().await.unwrap();
    assert_eq!(file.status(), 200);
    assert_eq!(file.headers()["content-type"], "image/png");
    assert!(file.headers()["content-disposition"].to_str().unwrap().starts_with("attachment;"));
    assert_eq!(file.bytes().await.unwrap().to_vec(), png);
    let details = c.teacher.get(&format!("/api/v1/forums/attachments/{id}")).await;
    assert_eq!(details.status, 200, "{}", details.text);
    assert_eq!(details.json()["url"], format!("/forums/attachments/{id}"));

    // Anyone else: 404, whatever they try.
    for outsider in [&c.stranger, &c.other_teacher] {
        assert_eq!(outsider.get(&format!("/forums/attachments/{id}")).await.status, 404);
        assert_eq!(outsider.get(&format!("/api/v1/forums/attachments/{id}")).await.status, 404);
        assert_eq!(attach(outsider, &post, &[("x.txt", b"x".to_vec())]).await.status, 404);
    }
    assert_eq!(c.app.client().get(&format!("/forums/attachments/{id}")).await.status, 404, "signed out");
    assert_eq!(c.ada.get("/api/v1/forums/attachments/no-such-file").await.status, 404);
    // Only the author adds files to a post.
    let not_theirs = attach(&c.bob, &post, &[("x.txt", b"x".to_vec())]).await;
    assert_eq!(not_theirs.status, 403, "{}", not_theirs.text);

    // A deleted post's files are no longer served.
    let reply = c.reply(&c.bob, &thread, "And mine.").await;
    let reply_id = reply["id"].as_str().unwrap().to_string();
    let added = attach(&c.bob, &reply_id, &[("mine.txt", b"my notes\n".to_vec())]).await;
    assert_eq!(added.status, 201, "{}", added.text);
    let bob_file = added.json()["items"][0]["id"].as_str().unwrap().to_string();
    assert_eq!(c.ada.get(&format!("/forums/attachments/{bob_file}")).await.status, 200);
    assert_eq!(c.bob.delete(&format!("/api/v1/forums/posts/{reply_id}")).await.status, 204);
    assert_eq!(c.ada.get(&format!("/forums/attachments/{bob_file}")).await.status, 404);
    assert_eq!(c.bob.get(&format!("/api/v1/forums/attachments/{bob_file}")).await.status, 404);
    let after = c.read(&c.ada, &thread, Some(1)).await;
    assert_eq!(after["posts"][1]["attachments"].as_array().unwrap().len(), 0, "hidden with its post");
    c.app.stop().await;
}

async fn too_large_wrong_kind_and_too_many_are_refused_clearly(backend: Backend) {
    let c = class_with(backend, |s| s.section_mut::<ForumSettings>().attachment_max_bytes = 2048).await;
    let (_, post) = ada_post(&c).await;
    let big = attach(&c.ada, &post, &[("big.txt", vec![b'a'; 5000])]).await;
    assert_eq!(big.status, 413, "{}", big.text);
    let detail = big.json()["detail"].as_str().unwrap().to_string();
    assert!(detail.contains("big.txt") && detail.contains("5 KB") && detail.contains("2 KB"), "{detail}");

    let program = attach(&c.ada, &post, &[("run.mp4", courses_kit::MP4.to_vec())]).await;
    assert_eq!(program.status, 415, "{}", program.text);
    let detail = program.json()["detail"].as_str().unwrap().to_string();
    assert!(detail.contains("run.mp4") && detail.contains("PDF"), "{detail}");

    let four: Vec<(&str, Vec<u8>)> = (0..4).map(|_| ("n.txt", b"note\n".to_vec())).collect();
    let many = attach(&c.ada, &post, &four).await;
    assert_eq!(many.status, 422, "{}", many.text);
    assert_eq!(many.json()["errors"][0]["field"], "files", "{}", many.text);
    assert!(many.text.contains("at most 3 files"), "{}", many.text);
    // Nothing was kept of the refused uploads; three fit, a fourth later does not.
    assert_eq!(attach(&c.ada, &post, &four[..3]).await.status, 201);
    let fourth = attach(&c.ada, &post, &four[..1]).await;
    assert_eq!(fourth.status, 422, "{}", fourth.text);
    let no_file = multipart(&c.ada, &format!("/api/v1/forums/posts/{post}/attachments"), &[("note", "x")], &[]).await;
    assert_eq!(no_file.status, 422, "{}", no_file.text);
    assert_eq!(no_file.json()["errors"][0]["field"], "files", "{}", no_file.text);
    let not_multipart = c.ada.post(&format!("/api/v1/forums/posts/{post}/attachments"), json!({})).await;
    assert_eq!(not_multipart.status, 415, "{}", not_multipart.text);
    c.app.stop().await;
}

async fn the_compose_and_reply_forms_carry_files(backend: Backend) {
    let c = class(backend).await;
    let forum = c.forum("general").await;
    let compose = c.ada.get(&format!("/forums/{forum}/new")).await;
    assert!(compose.text.contains("enctype=\"multipart/form-data\"") && compose.text.contains("name=\"files\""));
    let csrf = c.ada.page_csrf(&format!("/forums/{forum}/new")).await;
    let fields = [("csrf", csrf.as_str()), ("title", "With a diagram"), ("body", "See the file.")];
    let started =
        multipart(&c.ada, &format!("/forums/{forum}/threads"), &fields, &[("plan.pdf", courses_kit::PDF.to_vec())])
            .await;
    assert_eq!(started.status, 303, "{}", started.text);
    let thread_url = started.header("location").to_string();
    let page = c.bob.get(&thread_url).await;
    assert!(page.text.contains("plan.pdf"), "{}", page.text);
    let thread = thread_url.trim_start_matches("/forums/threads/").to_string();

    // A refused file keeps what was typed, and says why.
    let bob_csrf = c.bob.page_csrf(&thread_url).await;
    let fields = [("csrf", bob_csrf.as_str()), ("body", "My reply with a video")];
    let refused = multipart(
        &c.bob,
        &format!("/forums/threads/{thread}/reply"),
        &fields,
        &[("clip.mp4", courses_kit::MP4.to_vec())],
    )
    .await;
    assert_eq!(refused.status, 415, "{}", refused.text);
    assert!(refused.text.contains("clip.mp4") && refused.text.contains("My reply with a video"), "{}", refused.text);
    // An empty file input (no file chosen) is just a reply.
    let fields = [("csrf", bob_csrf.as_str()), ("body", "Thanks!")];
    let replied = multipart(&c.bob, &format!("/forums/threads/{thread}/reply"), &fields, &[("", Vec::new())]).await;
    assert_eq!(replied.status, 303, "{}", replied.text);
    let fields = [("csrf", bob_csrf.as_str()), ("body", "And my notes.")];
    let with_file =
        multipart(&c.bob, &format!("/forums/threads/{thread}/reply"), &fields, &[("notes.txt", b"notes\n".to_vec())])
            .await;
    assert_eq!(with_file.status, 303, "{}", with_file.text);
    let read = c.read(&c.ada, &thread, Some(1)).await;
    let names: Vec<&str> = read["posts"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["attachments"].as_array().unwrap())
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["plan.pdf", "notes.txt"]);
    // The plain (urlencoded) form still works as before.
    let plain = c.ada.form(&format!("/forums/threads/{thread}/reply"), &[("csrf", &csrf), ("body", "Plain.")]).await;
    assert_eq!(plain.status, 303, "{}", plain.text);
    c.app.stop().await;
}

/// Makes every insert into `forum_attachments` fail, as a database fault
/// after the files were stored would.
async fn refuse_attachment_rows(app: &common::TestApp, backend: Backend) {
    let sql = match backend {
        Backend::Sqlite => {
            "CREATE TRIGGER refuse_files BEFORE INSERT ON forum_attachments BEGIN SELECT RAISE(ABORT, 'refused'); END"
        }
        Backend::Postgres => {
            "CREATE FUNCTION refuse_files() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$ \
             LANGUAGE plpgsql; \
             CREATE TRIGGER refuse_files BEFORE INSERT ON forum_attachments FOR EACH ROW EXECUTE FUNCTION refuse_files()"
        }
    };
    sqlx::raw_sql(sql).execute(app.state().db.pool()).await.expect(sql);
}

async fn a_post_that_cannot_be_written_keeps_no_file(backend: Backend) {
    let c = class(backend).await;
    let forum = c.forum("general").await;
    let thread = c.thread(&c.ada, &forum, "Plans", "Share yours.").await;
    refuse_attachment_rows(&c.app, backend).await;

    let csrf = c.ada.page_csrf(&format!("/forums/{forum}/new")).await;
    let fields = [("csrf", csrf.as_str()), ("title", "With a diagram"), ("body", "See the file.")];
    let file = [("plan.pdf", courses_kit::PDF.to_vec())];
    let started = multipart(&c.ada, &format!("/forums/{forum}/threads"), &fields, &file).await;
    assert_eq!(started.status, 500, "{}", started.text);
    let thread_url = format!("/forums/threads/{thread}");
    let csrf = c.bob.page_csrf(&thread_url).await;
    let fields = [("csrf", csrf.as_str()), ("body", "And my notes.")];
    let replied =
        multipart(&c.bob, &format!("{thread_url}/reply"), &fields, &[("notes.txt", b"notes\n".to_vec())]).await;
    assert_eq!(replied.status, 500, "{}", replied.text);

    let stored = c.app.state().storage.list("forums").await.unwrap();
    assert!(stored.is_empty(), "files kept without their post: {stored:?}");
    let listed = c.ada.get(&format!("/api/v1/forums/{forum}/threads")).await;
    assert_eq!(listed.json()["items"].as_array().unwrap().len(), 1, "{}", listed.text);
    assert_eq!(c.read(&c.ada, &thread, Some(1)).await["posts"].as_array().unwrap().len(), 1);
    c.app.stop().await;
}

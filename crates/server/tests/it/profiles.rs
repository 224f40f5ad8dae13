//! Profiles: API, avatar uploads, public pages, the settings page.

use crate::common;

use common::{Backend, spawn, spawn_with};
use lyceum_platform::auth::Role;
use lyceum_platform::ids::UserId;
use serde_json::json;

fn png(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(width, height, image::Rgb([200, 30, 30]));
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png).unwrap();
    out
}

async fn upload(client: &common::TestClient, bytes: Vec<u8>, file_name: &str) -> common::Reply {
    let part = reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_string());
    let form = reqwest::multipart::Form::new().part("avatar", part);
    let mut req = client.http.put(format!("{}/api/v1/users/me/avatar", client.base)).multipart(form);
    if let Some(csrf) = &client.csrf {
        req = req.header("x-csrf-token", csrf);
    }
    common::TestClient::reply(req.send().await.unwrap()).await
}

async fn edit_and_read_back_profile(backend: Backend) {
    let app = spawn(backend).await;
    let (client, _) = app.signed_in("ada@example.org", Role::Learner).await;
    let reply = client
        .patch(
            "/api/v1/users/me/profile",
            json!({"display_name": "Ada L.", "bio": "I *love* engines", "time_zone": "Europe/London"}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let me = client.get("/api/v1/users/me/profile").await.json();
    assert_eq!(me["display_name"], "Ada L.");
    assert_eq!(me["bio"], "I *love* engines");
    assert_eq!(me["bio_html"].as_str().unwrap().trim(), "<p>I <em>love</em> engines</p>");
    assert_eq!(me["time_zone"], "Europe/London");
    assert_eq!(client.get("/api/v1/users/me").await.json()["display_name"], "Ada L.");
    app.stop().await;
}

async fn invalid_fields_are_all_reported_and_nothing_changes(backend: Backend) {
    let app = spawn(backend).await;
    let (client, _) = app.signed_in("ada@example.org", Role::Learner).await;
    let reply = client
        .patch(
            "/api/v1/users/me/profile",
            json!({"display_name": "", "bio": "x".repeat(2001), "time_zone": "Mars/Olympus", "locale": "tlh"}),
        )
        .await;
    reply.assert_problem(422, "validation");
    let mut fields = reply.error_fields();
    fields.sort();
    assert_eq!(fields, ["bio", "display_name", "locale", "time_zone"]);
    let me = client.get("/api/v1/users/me/profile").await.json();
    assert_eq!(me["display_name"], "Test User");
    assert_eq!(me["bio"], "");
    app.stop().await;
}

async fn avatar_is_checked_cropped_and_served(backend: Backend) {
    let app = spawn(backend).await;
    let (client, id) = app.signed_in("ada@example.org", Role::Learner).await;
    let reply = upload(&client, png(640, 400), "me.png").await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let url = reply.json()["avatar_url"].as_str().unwrap().to_string();
    assert!(url.starts_with(&format!("/users/{id}/avatar")));
    let image = client.http.get(format!("{}{url}", client.base)).send().await.unwrap();
    assert_eq!(image.headers()["content-type"], "image/png");
    // A learner's profile is private, so is their avatar (see avatar_visibility.rs).
    assert_eq!(image.headers()["cache-control"], "private, max-age=300");
    assert_eq!(image.headers()["accept-ranges"], "bytes");
    let etag = image.headers()["etag"].to_str().unwrap().to_string();
    let decoded = image::load_from_memory(&image.bytes().await.unwrap()).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (256, 256));
    // Served by the media helper: revalidation and ranges work through the full middleware stack.
    let again = client.http.get(format!("{}{url}", client.base)).header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(again.status(), 304);
    let part = client.http.get(format!("{}{url}", client.base)).header("range", "bytes=0-7").send().await.unwrap();
    assert_eq!(part.status(), 206);
    assert_eq!(part.bytes().await.unwrap().as_ref(), b"\x89PNG\r\n\x1a\n");

    // A script named .png is refused on its content.
    upload(&client, b"<script>alert(1)</script>".to_vec(), "evil.png")
        .await
        .assert_problem(415, "unsupported-media-type");
    let removed = client.delete("/api/v1/users/me/avatar").await;
    assert_eq!(removed.status, 200);
    assert!(removed.json()["avatar_url"].is_null());
    assert_eq!(client.get(&format!("/users/{id}/avatar")).await.status, 404);
    app.stop().await;
}

async fn oversized_avatar_is_refused(backend: Backend) {
    let app =
        spawn_with(backend, |s| s.section_mut::<lyceum_profiles::settings::AvatarUploads>().avatar_max_bytes = 2_000)
            .await;
    let (client, _) = app.signed_in("ada@example.org", Role::Learner).await;
    let reply = upload(&client, png(400, 400).into_iter().chain(vec![0u8; 4_000]).collect(), "big.png").await;
    reply.assert_problem(413, "payload-too-large");
    app.stop().await;
}

/// A body that is not readable multipart (here: no boundary) is a 415
/// problem+json like every API error, not axum's own text/plain 400.
async fn an_avatar_body_that_is_not_multipart_is_a_problem(backend: Backend) {
    let app = spawn(backend).await;
    let (client, _) = app.signed_in("ada@example.org", Role::Learner).await;
    let req = client
        .http
        .put(format!("{}/api/v1/users/me/avatar", client.base))
        .header("x-csrf-token", client.csrf.clone().unwrap())
        .header("content-type", "multipart/form-data")
        .body("no boundary");
    let reply = client.raw(req).await;
    reply.assert_problem(415, "unsupported-media-type");
    assert!(reply.header("content-type").starts_with("application/problem+json"), "{}", reply.header("content-type"));
    app.stop().await;
}

/// This year, as the page writes it after the day and month.
fn this_year() -> String {
    jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC).strftime("%Y").to_string()
}

async fn only_instructors_have_public_profiles(backend: Backend) {
    let app = spawn(backend).await;
    let (instructor, instructor_id) = app.signed_in("grace@example.org", Role::Instructor).await;
    instructor
        .patch("/api/v1/users/me/profile", json!({"bio": "<script>alert(1)</script>\n\nTeaches **COBOL**"}))
        .await;
    let (_, learner_id) = app.signed_in("ada@example.org", Role::Learner).await;
    let anonymous = app.client();

    let public = anonymous.get(&format!("/api/v1/users/{instructor_id}/profile")).await;
    assert_eq!(public.status, 200);
    assert!(public.json().get("email").is_none(), "public profile must not expose the e-mail");
    let page = anonymous.get(&format!("/u/{instructor_id}")).await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("<strong>COBOL</strong>"));
    assert!(!page.text.contains("<script>alert"), "bio must be sanitised");
    let since = page.text.split("Member since ").nth(1).and_then(|rest| rest.split("</p>").next()).unwrap();
    assert!(!since.contains(':') && since.trim().ends_with(&this_year()), "a day, not a time: {since}");

    anonymous.get(&format!("/api/v1/users/{learner_id}/profile")).await.assert_problem(404, "not-found");
    assert_eq!(anonymous.get(&format!("/u/{learner_id}")).await.status, 404);

    lyceum_accounts::service::admin::set_disabled(app.state(), None, &UserId::from(&instructor_id), true)
        .await
        .unwrap();
    assert_eq!(anonymous.get(&format!("/u/{instructor_id}")).await.status, 404);
    app.stop().await;
}

async fn settings_page_edits_the_profile(backend: Backend) {
    let app = spawn(backend).await;
    let anonymous = app.client();
    let redirect = anonymous.get("/settings/profile").await;
    assert_eq!(redirect.status, 303);
    assert_eq!(redirect.header("location"), "/login?next=%2Fsettings%2Fprofile");

    let (client, _) = app.signed_in("ada@example.org", Role::Learner).await;
    let csrf = client.page_csrf("/settings/profile").await;
    let fields = [
        ("csrf", csrf.as_str()),
        ("display_name", "Ada"),
        ("bio", "Hello"),
        ("time_zone", "Asia/Tokyo"),
        ("locale", "en"),
    ];
    let saved = client.form("/settings/profile", &fields).await;
    assert_eq!(saved.status, 303, "{}", saved.text);
    let page = client.get("/settings/profile").await;
    assert!(page.text.contains("Your profile has been saved."));
    assert!(page.text.contains("<option value=\"Asia/Tokyo\" selected>"));

    let bad = [("csrf", csrf.as_str()), ("display_name", ""), ("bio", "x"), ("time_zone", "UTC"), ("locale", "en")];
    let rejected = client.form("/settings/profile", &bad).await;
    assert_eq!(rejected.status, 422);
    assert!(rejected.text.contains("aria-invalid=\"true\""));
    assert!(rejected.text.contains("Enter the name others will see."));

    let forged = client.form("/settings/profile", &[("display_name", "Mallory")]).await;
    assert_eq!(forged.status, 403, "a form post without the CSRF token is refused");
    assert_eq!(client.get("/api/v1/users/me").await.json()["display_name"], "Ada");
    app.stop().await;
}

on_both_backends!(
    edit_and_read_back_profile,
    invalid_fields_are_all_reported_and_nothing_changes,
    avatar_is_checked_cropped_and_served,
    oversized_avatar_is_refused,
    an_avatar_body_that_is_not_multipart_is_a_problem,
    only_instructors_have_public_profiles,
    settings_page_edits_the_profile,
);

//! Notification pages, the header badge, and one-click unsubscribe (RFC 8058).

use crate::common;

use common::{Backend, TestApp, TestClient, spawn};
use lyceum_platform::auth::Role;
use serde_json::json;

async fn send_test(app: &TestApp, admin: &TestClient, user_id: &str, message: &str) {
    let reply = admin.post("/api/v1/admin/notifications/test", json!({"user_id": user_id, "message": message})).await;
    assert_eq!(reply.status, 202, "{}", reply.text);
    app.drain_jobs().await;
}

async fn channel(app: &TestApp, user_id: &str, kind: &str) -> Option<String> {
    sqlx::query_scalar("SELECT channel FROM notification_preferences WHERE user_id = $1 AND kind = $2")
        .bind(user_id)
        .bind(kind)
        .fetch_optional(app.state().db.pool())
        .await
        .unwrap()
}

/// The raw `.eml` files written so far (headers included).
fn raw_mails(app: &TestApp) -> Vec<String> {
    let dir = app.dir.path().join("mail");
    let mut paths: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    paths.sort();
    paths.iter().map(|p| std::fs::read_to_string(p).unwrap()).collect()
}

/// The header block's value of `name`.
fn header(raw: &str, name: &str) -> Option<String> {
    let head = raw.split("\r\n\r\n").next().unwrap_or_default();
    head.split("\r\n").find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.eq_ignore_ascii_case(name).then(|| value.trim().to_string())
    })
}

/// A client with no cookies at all (a mail client's one-click POST).
fn bare_client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

async fn one_click_unsubscribe_needs_no_session_and_get_changes_nothing(backend: Backend) {
    let app = spawn(backend).await;
    let (admin, _) = app.signed_in("root@example.org", Role::Admin).await;
    let (_, id) = app.signed_in("reader@example.org", Role::Learner).await;
    send_test(&app, &admin, &id, "first").await;
    let raw = raw_mails(&app).pop().expect("the notification e-mail");
    let list_unsubscribe = header(&raw, "List-Unsubscribe").expect("List-Unsubscribe header");
    assert_eq!(header(&raw, "List-Unsubscribe-Post").as_deref(), Some("List-Unsubscribe=One-Click"));
    let url = list_unsubscribe.trim_start_matches('<').trim_end_matches('>').to_string();
    assert!(url.starts_with(&format!("{}/notifications/unsubscribe?token=", app.state().settings.public_url)), "{url}");
    let path_and_query = url.split_once("/notifications/").map(|(_, rest)| format!("/notifications/{rest}")).unwrap();

    // GET (what a mail scanner does) only asks.
    let page = app.client().get(&path_and_query).await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(page.text.contains("Stop these e-mails"), "{}", page.text);
    assert!(page.text.contains("Test notifications from administrators"), "{}", page.text);
    assert_eq!(channel(&app, &id, "admin.test").await, None, "still the default (e-mail)");

    // The RFC 8058 POST: no cookie, no CSRF token, the body mail clients send.
    let http = bare_client();
    let res = http
        .post(format!("{}{path_and_query}", app.url))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    let status = res.status();
    let text = res.text().await.unwrap();
    assert_eq!(status, 200, "{text}");
    assert!(text.contains("You will no longer get e-mails for"), "{text}");
    assert_eq!(channel(&app, &id, "admin.test").await.as_deref(), Some("in_app"));

    send_test(&app, &admin, &id, "second").await;
    assert_eq!(app.mails_to("reader@example.org").await.len(), 1, "no more e-mails of that kind");
    let listed: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE user_id = $1")
        .bind(&id)
        .fetch_one(app.state().db.pool())
        .await
        .unwrap();
    assert_eq!(listed, 2, "still listed in the app");

    let again = http.post(format!("{}{path_and_query}", app.url)).send().await.unwrap();
    assert_eq!(again.status(), 200, "a second POST is harmless");
    let bogus = http.post(format!("{}/notifications/unsubscribe?token=bogus", app.url)).send().await.unwrap();
    assert_eq!(bogus.status(), 410);
    let missing = app.client().get("/notifications/unsubscribe").await;
    assert_eq!(missing.status, 422, "{}", missing.text);
    // The exemption is exactly that path: other anonymous-looking posts still need the token.
    let other = http.post(format!("{}/notifications/read-all", app.url)).send().await.unwrap();
    assert_eq!(other.status(), 403);
    app.stop().await;
}

async fn the_header_shows_the_unread_count_to_signed_in_pages_only(backend: Backend) {
    let app = spawn(backend).await;
    let (admin, _) = app.signed_in("root@example.org", Role::Admin).await;
    let (reader, id) = app.signed_in("badge@example.org", Role::Learner).await;
    let home = reader.get("/").await;
    assert!(home.text.contains("href=\"/notifications\""), "{}", home.text);
    assert!(!home.text.contains("badge-count"), "no badge with nothing unread");

    send_test(&app, &admin, &id, "one").await;
    send_test(&app, &admin, &id, "two").await;
    let home = reader.get("/").await;
    let badge = "<span class=\"badge badge-count\">2<span class=\"visually-hidden\"> unread</span></span>";
    assert!(home.text.contains(badge), "the count, read out as \"2 unread\": {}", home.text);
    // A sub-resource request (what browsers label with Sec-Fetch-Dest) gets no count.
    let image = reader.raw(reader.http.get(reader.url("/settings/profile")).header("sec-fetch-dest", "image")).await;
    assert!(!image.text.contains("badge-count"), "{}", image.text);

    let anonymous = app.client().get("/").await;
    assert!(!anonymous.text.contains("/notifications"), "{}", anonymous.text);

    let csrf = reader.page_csrf("/notifications").await;
    let done = reader.form("/notifications/read-all", &[("csrf", &csrf), ("back", "/notifications?unread=1")]).await;
    assert_eq!(done.status, 303);
    assert_eq!(done.header("location"), "/notifications?unread=1");
    assert!(!reader.get("/").await.text.contains("badge-count"));

    // The count is cached between pages; recording or reading a notice refreshes it at once.
    send_test(&app, &admin, &id, "three").await;
    assert!(reader.get("/").await.text.contains("<span class=\"badge badge-count\">1<"), "a new notice shows");
    let unread = reader.get("/api/v1/notifications?unread=true").await.json();
    let one = unread["items"][0]["id"].as_str().unwrap().to_string();
    assert_eq!(reader.post(&format!("/api/v1/notifications/{one}/read"), serde_json::json!({})).await.status, 200);
    assert!(!reader.get("/").await.text.contains("badge-count"), "reading it clears the badge");
    assert_eq!(reader.get("/api/v1/notifications/unread-count").await.json()["unread"], 0);
    app.stop().await;
}

async fn the_list_page_marks_read(backend: Backend) {
    let app = spawn(backend).await;
    let (admin, _) = app.signed_in("root@example.org", Role::Admin).await;
    let (reader, id) = app.signed_in("lister@example.org", Role::Learner).await;
    let (other, _) = app.signed_in("other@example.org", Role::Learner).await;
    send_test(&app, &admin, &id, "look at me").await;
    let page = reader.get("/notifications").await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("Test notification") && page.text.contains("look at me"), "{}", page.text);
    assert!(page.text.contains("Mark all as read"), "{}", page.text);
    let nid: String = sqlx::query_scalar("SELECT id FROM notifications WHERE user_id = $1")
        .bind(&id)
        .fetch_one(app.state().db.pool())
        .await
        .unwrap();
    assert!(page.text.contains(&format!("action=\"/notifications/{nid}/read\"")), "{}", page.text);

    let csrf = other.page_csrf("/notifications").await;
    let theirs = other.form(&format!("/notifications/{nid}/read"), &[("csrf", &csrf)]).await;
    assert_eq!(theirs.status, 404, "another user's notification");
    let csrf = reader.page_csrf("/notifications").await;
    let done =
        reader.form(&format!("/notifications/{nid}/read"), &[("csrf", &csrf), ("back", "https://evil.example/")]).await;
    assert_eq!(done.status, 303);
    assert_eq!(done.header("location"), "/notifications", "never back to another site");
    let page = reader.get("/notifications?unread=1").await;
    assert!(page.text.contains("No notifications here."), "{}", page.text);
    assert_eq!(app.client().get("/notifications").await.status, 303, "signed out: to the sign-in page");
    app.stop().await;
}

async fn the_settings_page_saves_and_explains_refusals(backend: Backend) {
    let app = spawn(backend).await;
    let (reader, id) = app.signed_in("settings@example.org", Role::Learner).await;
    let page = reader.get("/settings/notifications").await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("name=\"kind.admin.test\""), "{}", page.text);
    assert!(page.text.contains("aria-current=\"page\">Notifications</a>"), "the settings tab: {}", page.text);
    assert!(!security_offers_off(&page.text), "security notices cannot be turned off");

    let csrf = reader.page_csrf("/settings/notifications").await;
    let saved = reader.form("/settings/notifications", &[("csrf", &csrf), ("kind.admin.test", "digest")]).await;
    assert_eq!(saved.status, 303);
    assert_eq!(channel(&app, &id, "admin.test").await.as_deref(), Some("digest"));

    let refused = reader
        .form(
            "/settings/notifications",
            &[("csrf", &csrf), ("kind.account.security", "off"), ("kind.admin.test", "off")],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(refused.text.contains("cannot be turned off"), "{}", refused.text);
    assert!(refused.text.contains("id=\"kind.account.security-error\""), "{}", refused.text);
    assert_eq!(channel(&app, &id, "admin.test").await.as_deref(), Some("digest"), "nothing saved");
    app.stop().await;
}

/// Whether the security select offers `off`.
fn security_offers_off(html: &str) -> bool {
    let start = html.find("name=\"kind.account.security\"").unwrap();
    let select = &html[start..html[start..].find("</select>").unwrap() + start];
    select.contains("value=\"off\"")
}

async fn admins_send_a_test_from_the_admin_page(backend: Backend) {
    let app = spawn(backend).await;
    let (admin, _) = app.signed_in("root@example.org", Role::Admin).await;
    let (learner, id) = app.signed_in("pupil@example.org", Role::Learner).await;
    assert_eq!(learner.get("/admin/notifications").await.status, 403);
    // Reached from the administration tabs.
    assert!(admin.get("/admin/users").await.text.contains("href=\"/admin/notifications\""));
    assert!(admin.get("/admin/notifications").await.text.contains("href=\"/admin/jobs\""));
    let csrf = admin.page_csrf("/admin/notifications").await;
    let unknown = admin.form("/admin/notifications", &[("csrf", &csrf), ("user", "ghost@example.org")]).await;
    assert_eq!(unknown.status, 422);
    assert!(unknown.text.contains("No account has this e-mail address or id."), "{}", unknown.text);
    let sent =
        admin.form("/admin/notifications", &[("csrf", &csrf), ("user", "Pupil@Example.org"), ("message", "hi")]).await;
    assert_eq!(sent.status, 303, "{}", sent.text);
    let mails = app.mails_to("pupil@example.org").await;
    assert_eq!(mails.len(), 1);
    assert!(mails[0].text.contains("hi"));
    let by_id = admin.form("/admin/notifications", &[("csrf", &csrf), ("user", &id)]).await;
    assert_eq!(by_id.status, 303);
    assert_eq!(app.mails_to("pupil@example.org").await.len(), 2);
    app.stop().await;
}

on_both_backends!(
    one_click_unsubscribe_needs_no_session_and_get_changes_nothing,
    the_header_shows_the_unread_count_to_signed_in_pages_only,
    the_list_page_marks_read,
    the_settings_page_saves_and_explains_refusals,
    admins_send_a_test_from_the_admin_page,
);

//! Notifications through the queue: registration, password reset and an
//! admin's test each produce the right e-mails and in-app notices; channel
//! preferences are respected; duplicated deliveries change nothing; the daily
//! digest lists each notice once. (Pages, unsubscribe and the header badge:
//! notifications_pages.rs.)

use crate::common;

use common::{Backend, Mail, PASSWORD, TestApp, TestClient, spawn};
use lyceum_notifications::DailyDigest;
use lyceum_platform::auth::Role;
use serde_json::{Value, json};

/// (kind, channel, read) of a user's notifications, oldest first.
async fn stored(app: &TestApp, user_id: &str) -> Vec<(String, String, bool)> {
    let rows: Vec<(String, String, Option<i64>)> =
        sqlx::query_as("SELECT kind, channel, read_at FROM notifications WHERE user_id = $1 ORDER BY created_at, id")
            .bind(user_id)
            .fetch_all(app.state().db.pool())
            .await
            .unwrap();
    rows.into_iter().map(|(k, c, r)| (k, c, r.is_some())).collect()
}

async fn user_id(app: &TestApp, email: &str) -> String {
    sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(app.state().db.pool())
        .await
        .unwrap()
}

async fn send_test(admin: &TestClient, user_id: &str, message: &str) {
    let reply = admin.post("/api/v1/admin/notifications/test", json!({"user_id": user_id, "message": message})).await;
    assert_eq!(reply.status, 202, "{}", reply.text);
}

async fn set_channel(client: &TestClient, kind: &str, channel: &str) {
    let body = json!({"preferences": {kind: channel}});
    let reply = client.send(reqwest::Method::PUT, "/api/v1/users/me/notification-preferences", Some(&body)).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
}

async fn run_digest(app: &TestApp) {
    let mut conn = app.state().db.pool().acquire().await.unwrap();
    lyceum_platform::jobs::enqueue::<DailyDigest>(&mut conn, &()).await.unwrap();
    drop(conn);
    app.drain_jobs().await;
}

fn notification_mails(mails: &[Mail]) -> Vec<&Mail> {
    mails.iter().filter(|m| m.text.contains("/settings/notifications")).collect()
}

async fn registering_mails_the_link_and_welcomes_in_the_app(backend: Backend) {
    let app = spawn(backend).await;
    let token = app.register("new@example.org", PASSWORD, "New Learner").await;
    let mails = app.mails_to("new@example.org").await;
    assert_eq!(mails.len(), 1, "the verification e-mail only (welcome is in-app by default)");
    assert!(mails[0].text.contains("/verify-email?token="), "{}", mails[0].text);
    let id = user_id(&app, "new@example.org").await;
    assert_eq!(stored(&app, &id).await, [("account.welcome".into(), "in_app".into(), false)]);

    assert_eq!(app.client().post("/api/v1/auth/verify", json!({"token": token})).await.status, 200);
    let mut client = app.client();
    client.login("new@example.org", PASSWORD).await;
    let list = client.get("/api/v1/notifications").await.json();
    assert_eq!(list["items"].as_array().unwrap().len(), 1, "{list}");
    assert_eq!(list["items"][0]["kind"], "account.welcome");
    assert_eq!(list["items"][0]["title"], "Welcome to Lyceum");
    assert_eq!(list["items"][0]["link"], "/settings/profile");
    assert!(list["items"][0].get("read_at").is_none_or(Value::is_null), "{list}");
    assert_eq!(client.get("/api/v1/notifications/unread-count").await.json()["unread"], 1);
    app.stop().await;
}

async fn a_reset_request_mails_the_link_and_warns_in_the_app(backend: Backend) {
    let app = spawn(backend).await;
    let (client, id) = app.signed_in("owner@example.org", Role::Learner).await;
    let reply = app.client().post("/api/v1/auth/password-reset", json!({"email": "owner@example.org"})).await;
    assert_eq!(reply.status, 202);
    let mails = app.mails_to("owner@example.org").await;
    assert_eq!(mails.len(), 1, "the reset e-mail only (the security notice is in-app by default)");
    assert!(mails[0].text.contains("/password-reset/confirm?token="), "{}", mails[0].text);
    assert_eq!(stored(&app, &id).await, [("account.security".into(), "in_app".into(), false)]);
    let list = client.get("/api/v1/notifications").await.json();
    assert_eq!(list["items"][0]["title"], "A password reset was requested");
    assert!(list["items"][0]["body"].as_str().unwrap().contains("If it wasn't you"), "{list}");

    // An unknown address publishes nothing (and still answers 202).
    let reply = app.client().post("/api/v1/auth/password-reset", json!({"email": "nobody@example.org"})).await;
    assert_eq!(reply.status, 202);
    app.drain_jobs().await;
    let all: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM notifications").fetch_one(app.state().db.pool()).await.unwrap();
    assert_eq!(all, 1);
    app.stop().await;
}

async fn an_admin_test_notification_is_listed_and_mailed(backend: Backend) {
    let app = spawn(backend).await;
    let (admin, _) = app.signed_in("root@example.org", Role::Admin).await;
    let (client, id) = app.signed_in("target@example.org", Role::Learner).await;
    send_test(&admin, &id, "Checking the pipes").await;
    assert!(stored(&app, &id).await.is_empty(), "created by the job, not inside the request");

    let mails = app.mails_to("target@example.org").await;
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    assert!(mail.subject.contains("Test notification") && mail.subject.contains("Lyceum"), "{}", mail.subject);
    for body in [&mail.text, &mail.html] {
        assert!(body.contains("Checking the pipes"), "{body}");
        assert!(body.contains("/settings/notifications"), "{body}");
        assert!(body.contains("/notifications/unsubscribe?token="), "{body}");
        assert!(body.contains("Lyceum"), "{body}");
    }
    assert_eq!(stored(&app, &id).await, [("admin.test".into(), "email".into(), false)]);
    let list = client.get("/api/v1/notifications").await.json();
    assert_eq!(list["items"][0]["message"], "Checking the pipes");
    assert!(mail.text.contains(&format!("/notifications#n-{}", list["items"][0]["id"].as_str().unwrap())));
    app.stop().await;
}

async fn the_test_endpoint_checks_its_caller_and_input(backend: Backend) {
    let app = spawn(backend).await;
    let (admin, _) = app.signed_in("root@example.org", Role::Admin).await;
    let (learner, learner_id) = app.signed_in("learner@example.org", Role::Learner).await;
    let path = "/api/v1/admin/notifications/test";
    learner.post(path, json!({"user_id": learner_id})).await.assert_problem(403, "forbidden");
    app.client().post(path, json!({"user_id": learner_id})).await.assert_problem(401, "unauthorized");
    let unknown = admin.post(path, json!({"user_id": "no-such-user"})).await;
    unknown.assert_problem(404, "not-found");
    assert!(unknown.json()["detail"].as_str().unwrap().contains("No user"), "{}", unknown.text);
    let empty = admin.post(path, json!({"message": "x"})).await;
    empty.assert_problem(422, "validation");
    assert_eq!(empty.error_fields(), ["user_id"]);
    let long = admin.post(path, json!({"user_id": learner_id, "message": "x".repeat(501)})).await;
    long.assert_problem(422, "validation");
    assert_eq!(long.error_fields(), ["message"]);
    assert_eq!(app.drain_jobs().await, 0, "nothing was queued");
    app.stop().await;
}

async fn each_channel_is_respected(backend: Backend) {
    let app = spawn(backend).await;
    let (admin, _) = app.signed_in("root@example.org", Role::Admin).await;
    let (client, id) = app.signed_in("prefs@example.org", Role::Learner).await;

    set_channel(&client, "admin.test", "off").await;
    send_test(&admin, &id, "while off").await;
    assert!(app.mails_to("prefs@example.org").await.is_empty());
    assert!(stored(&app, &id).await.is_empty(), "off records nothing");

    set_channel(&client, "admin.test", "in_app").await;
    send_test(&admin, &id, "while in app").await;
    assert!(app.mails_to("prefs@example.org").await.is_empty(), "in_app sends no e-mail");
    assert_eq!(stored(&app, &id).await.len(), 1);

    set_channel(&client, "admin.test", "email").await;
    send_test(&admin, &id, "while email").await;
    let mails = app.mails_to("prefs@example.org").await;
    assert_eq!(mails.len(), 1);
    assert!(mails[0].text.contains("while email"));

    set_channel(&client, "admin.test", "digest").await;
    send_test(&admin, &id, "while digest").await;
    assert_eq!(app.mails_to("prefs@example.org").await.len(), 1, "no immediate e-mail on the digest channel");
    let channels: Vec<String> = stored(&app, &id).await.into_iter().map(|(_, c, _)| c).collect();
    assert_eq!(channels, ["in_app", "email", "digest"]);
    app.stop().await;
}

async fn the_digest_lists_each_notice_once(backend: Backend) {
    let app = spawn(backend).await;
    let (admin, _) = app.signed_in("root@example.org", Role::Admin).await;
    let (client, id) = app.signed_in("digest@example.org", Role::Learner).await;
    let (_, other) = app.signed_in("quiet@example.org", Role::Learner).await;
    set_channel(&client, "admin.test", "digest").await;
    send_test(&admin, &id, "first of the day").await;
    send_test(&admin, &id, "second of the day").await;
    send_test(&admin, &other, "mailed at once to the quiet one").await; // default channel: e-mail
    app.drain_jobs().await;
    let before = app.mails().await.len();

    run_digest(&app).await;
    let mails = app.mails_to("digest@example.org").await;
    assert_eq!(mails.len(), 1, "one digest e-mail");
    let digest = &mails[0];
    assert!(digest.subject.contains("Your notifications of the day"), "{}", digest.subject);
    for message in ["first of the day", "second of the day"] {
        assert_eq!(digest.text.matches(message).count(), 1, "{}", digest.text);
        assert_eq!(digest.html.matches(message).count(), 1, "{}", digest.html);
    }
    assert!(digest.text.contains("/notifications/unsubscribe?token="), "{}", digest.text);
    assert_eq!(app.mails().await.len(), before + 1, "nobody else got a digest");
    let digested: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE digested_at IS NOT NULL")
        .fetch_one(app.state().db.pool())
        .await
        .unwrap();
    assert_eq!(digested, 2);

    run_digest(&app).await;
    assert_eq!(app.mails().await.len(), before + 1, "a second run sends nothing new");
    app.stop().await;
}

async fn a_duplicated_delivery_records_and_mails_once(backend: Backend) {
    let app = spawn(backend).await;
    let (admin, _) = app.signed_in("root@example.org", Role::Admin).await;
    app.register("dup@example.org", PASSWORD, "Dup").await;
    let id = user_id(&app, "dup@example.org").await;
    let reset = app.client().post("/api/v1/auth/password-reset", json!({"email": "dup@example.org"})).await;
    assert_eq!(reset.status, 202);
    send_test(&admin, &id, "only once").await;
    let mails = app.mails_to("dup@example.org").await;
    assert_eq!(mails.len(), 3, "verification, reset, test notification");
    assert_eq!(stored(&app, &id).await.len(), 3, "welcome, security, test");

    // Every job delivered again, as after a worker that died before recording success.
    app.exec("UPDATE jobs SET state = 'queued', finished_at = NULL").await;
    assert!(app.drain_jobs().await >= 6, "every job ran again");
    assert_eq!(app.mails_to("dup@example.org").await.len(), 3, "no second e-mail");
    assert_eq!(stored(&app, &id).await.len(), 3, "no second notification");
    assert_eq!(notification_mails(&app.mails_to("dup@example.org").await).len(), 1);
    app.stop().await;
}

async fn preferences_are_listed_and_checked(backend: Backend) {
    let app = spawn(backend).await;
    let (client, _) = app.signed_in("chooser@example.org", Role::Learner).await;
    let path = "/api/v1/users/me/notification-preferences";
    let listed = client.get(path).await.json();
    let items = listed["items"].as_array().unwrap();
    let by_kind = |kind: &str| items.iter().find(|i| i["kind"] == kind).unwrap_or_else(|| panic!("{kind}")).clone();
    assert_eq!(by_kind("account.welcome")["channel"], "in_app");
    assert_eq!(by_kind("admin.test")["channel"], "email");
    let security = by_kind("account.security");
    assert_eq!(security["allowed"], json!(["in_app", "email", "digest"]));
    assert!(security["label"].as_str().unwrap().starts_with("Security"), "{security}");

    let put = |body: Value| {
        let client = &client;
        async move { client.send(reqwest::Method::PUT, path, Some(&body)).await }
    };
    let bad = put(json!({"preferences": {"nope": "email", "account.security": "off", "admin.test": "loud"}})).await;
    bad.assert_problem(422, "validation");
    let mut fields = bad.error_fields();
    fields.sort();
    assert_eq!(fields, ["preferences.account.security", "preferences.admin.test", "preferences.nope"]);
    let message = |field: &str| {
        let errors = bad.json()["errors"].clone();
        errors.as_array().unwrap().iter().find(|e| e["field"] == field).unwrap()["message"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert!(message("preferences.account.security").contains("cannot be turned off"));
    assert!(message("preferences.nope").contains("account.welcome"), "lists the kinds");
    assert!(message("preferences.admin.test").contains("in_app, email, digest or off"));

    let mixed = put(json!({"preferences": {"admin.test": "digest", "nope": "email"}})).await;
    assert_eq!(mixed.status, 422);
    assert_eq!(by_kind_after(&client, "admin.test").await, "email", "nothing saved when any entry is wrong");

    let ok = put(json!({"preferences": {"admin.test": "digest", "account.security": "email"}})).await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    assert_eq!(by_kind_after(&client, "admin.test").await, "digest");
    assert_eq!(by_kind_after(&client, "account.security").await, "email");
    put(json!({"preferences": {"admin.test": "email"}})).await;
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM notification_preferences")
        .fetch_one(app.state().db.pool())
        .await
        .unwrap();
    assert_eq!(rows, 1, "a choice equal to the default is not stored");
    put(json!({"preferences": "nope"})).await.assert_problem(422, "validation");
    app.client().get(path).await.assert_problem(401, "unauthorized");
    app.stop().await;
}

async fn by_kind_after(client: &TestClient, kind: &str) -> String {
    let listed = client.get("/api/v1/users/me/notification-preferences").await.json();
    let item = listed["items"].as_array().unwrap().iter().find(|i| i["kind"] == kind).unwrap().clone();
    item["channel"].as_str().unwrap().to_string()
}

async fn reading_marks_and_pages_without_reaching_others(backend: Backend) {
    let app = spawn(backend).await;
    let (admin, _) = app.signed_in("root@example.org", Role::Admin).await;
    let (alice, alice_id) = app.signed_in("alice@example.org", Role::Learner).await;
    let (bob, _) = app.signed_in("bob@example.org", Role::Learner).await;
    set_channel(&alice, "admin.test", "in_app").await;
    for n in 1..=3 {
        send_test(&admin, &alice_id, &format!("note {n}")).await;
    }
    app.drain_jobs().await;

    let first = alice.get("/api/v1/notifications?limit=2").await.json();
    let items = first["items"].as_array().unwrap();
    assert_eq!(items.iter().map(|i| i["message"].as_str().unwrap()).collect::<Vec<_>>(), ["note 3", "note 2"]);
    let cursor = first["next_cursor"].as_str().expect("a next page");
    let second = alice.get(&format!("/api/v1/notifications?limit=2&cursor={cursor}")).await.json();
    assert_eq!(second["items"][0]["message"], "note 1");
    assert!(second.get("next_cursor").is_none(), "{second}");
    alice.get("/api/v1/notifications?cursor=garbage").await.assert_problem(422, "validation");
    let newest = items[0]["id"].as_str().unwrap().to_string();

    // Another user's notification is not found, whatever the method.
    bob.post(&format!("/api/v1/notifications/{newest}/read"), json!({})).await.assert_problem(404, "not-found");
    assert!(bob.get("/api/v1/notifications").await.json()["items"].as_array().unwrap().is_empty());
    assert_eq!(alice.get("/api/v1/notifications/unread-count").await.json()["unread"], 3);

    let read = alice.post(&format!("/api/v1/notifications/{newest}/read"), json!({})).await;
    assert_eq!(read.status, 200, "{}", read.text);
    assert!(read.json()["read_at"].is_string());
    assert_eq!(alice.get("/api/v1/notifications/unread-count").await.json()["unread"], 2);
    let unread = alice.get("/api/v1/notifications?unread=true").await.json();
    assert_eq!(unread["items"].as_array().unwrap().len(), 2);
    assert_eq!(alice.post("/api/v1/notifications/read-all", json!({})).await.json()["marked"], 2);
    assert_eq!(alice.get("/api/v1/notifications/unread-count").await.json()["unread"], 0);
    assert!(alice.get("/api/v1/notifications?unread=true").await.json()["items"].as_array().unwrap().is_empty());
    alice.post("/api/v1/notifications/no-such-id/read", json!({})).await.assert_problem(404, "not-found");
    app.stop().await;
}

on_both_backends!(
    registering_mails_the_link_and_welcomes_in_the_app,
    a_reset_request_mails_the_link_and_warns_in_the_app,
    an_admin_test_notification_is_listed_and_mailed,
    the_test_endpoint_checks_its_caller_and_input,
    each_channel_is_respected,
    the_digest_lists_each_notice_once,
    a_duplicated_delivery_records_and_mails_once,
    preferences_are_listed_and_checked,
    reading_marks_and_pages_without_reaching_others,
);

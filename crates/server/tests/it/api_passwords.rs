//! Password reset by e-mailed link, and changing the password while signed in.

use crate::common;

use common::{Backend, PASSWORD, Reply, TestApp, spawn};
use lyceum_platform::auth::Role;
use lyceum_platform::ids::UserId;
use serde_json::json;

const NEW_PASSWORD: &str = "a brand new secret";

async fn login_status(app: &TestApp, email: &str, password: &str) -> u16 {
    let reply = app.client().post("/api/v1/auth/login", json!({"email": email, "password": password})).await;
    reply.status.as_u16()
}

async fn request_reset(app: &TestApp, email: &str) -> String {
    let reply = app.client().post("/api/v1/auth/password-reset", json!({"email": email})).await;
    assert_eq!(reply.status, 202, "{}", reply.text);
    app.last_token(email, "/password-reset/confirm").await
}

async fn confirm(app: &TestApp, token: &str, password: &str) -> Reply {
    let body = json!({"token": token, "password": password});
    app.client().post("/api/v1/auth/password-reset/confirm", body).await
}

async fn a_reset_for_an_unknown_address_is_accepted_and_sends_nothing(backend: Backend) {
    let app = spawn(backend).await;
    app.create_user("known@example.org", Role::Learner).await;
    let client = app.client();
    let unknown = client.post("/api/v1/auth/password-reset", json!({"email": "ghost@example.org"})).await;
    let known = client.post("/api/v1/auth/password-reset", json!({"email": "known@example.org"})).await;
    assert_eq!(unknown.status, 202, "{}", unknown.text);
    assert_eq!(unknown.text, known.text, "the answer does not reveal who has an account");
    assert!(app.mails_to("ghost@example.org").await.is_empty());
    assert_eq!(app.mails_to("known@example.org").await.len(), 1);
    app.stop().await;
}

async fn a_reset_replaces_the_password_and_signs_out_everywhere(backend: Backend) {
    let app = spawn(backend).await;
    let (old_session, _) = app.signed_in("reset@example.org", Role::Learner).await;
    let (secret, _) = old_session.create_token("script").await;

    let token = request_reset(&app, "reset@example.org").await;
    let reply = confirm(&app, &token, NEW_PASSWORD).await;
    assert_eq!(reply.status, 204, "{}", reply.text);

    assert_eq!(login_status(&app, "reset@example.org", PASSWORD).await, 401);
    assert_eq!(login_status(&app, "reset@example.org", NEW_PASSWORD).await, 200);
    old_session.get("/api/v1/users/me").await.assert_problem(401, "unauthorized");
    app.bearer_client(&secret).get("/api/v1/users/me").await.assert_problem(401, "unauthorized");
    app.stop().await;
}

async fn a_reset_link_works_only_once(backend: Backend) {
    let app = spawn(backend).await;
    app.create_user("twice@example.org", Role::Learner).await;
    let token = request_reset(&app, "twice@example.org").await;
    assert_eq!(confirm(&app, &token, NEW_PASSWORD).await.status, 204);
    confirm(&app, &token, "yet another one").await.assert_problem(410, "link-expired");
    assert_eq!(login_status(&app, "twice@example.org", NEW_PASSWORD).await, 200);
    app.stop().await;
}

async fn a_reset_link_used_concurrently_works_once(backend: Backend) {
    let app = spawn(backend).await;
    app.create_user("race@example.org", Role::Learner).await;
    let token = request_reset(&app, "race@example.org").await;
    let passwords: Vec<String> = (0..6).map(|n| format!("racing password {n}")).collect();
    let replies = futures::future::join_all(passwords.iter().map(|p| confirm(&app, &token, p))).await;
    let winners: Vec<&String> =
        passwords.iter().zip(&replies).filter(|(_, r)| r.status == 204).map(|(p, _)| p).collect();
    let losers = replies.iter().filter(|r| r.status == 410).count();
    assert_eq!((winners.len(), losers), (1, 5), "{:?}", replies.iter().map(|r| &r.text).collect::<Vec<_>>());
    assert_eq!(login_status(&app, "race@example.org", winners[0]).await, 200);
    app.stop().await;
}

async fn an_expired_reset_link_is_gone_and_changes_nothing(backend: Backend) {
    let app = spawn(backend).await;
    app.create_user("expired@example.org", Role::Learner).await;
    let token = request_reset(&app, "expired@example.org").await;
    app.exec("UPDATE email_tokens SET expires_at = 0").await;
    confirm(&app, &token, NEW_PASSWORD).await.assert_problem(410, "link-expired");
    assert_eq!(login_status(&app, "expired@example.org", PASSWORD).await, 200);
    app.stop().await;
}

async fn only_the_newest_reset_link_works(backend: Backend) {
    let app = spawn(backend).await;
    app.create_user("newest@example.org", Role::Learner).await;
    let first = request_reset(&app, "newest@example.org").await;
    let second = request_reset(&app, "newest@example.org").await;
    confirm(&app, &first, NEW_PASSWORD).await.assert_problem(410, "link-expired");
    assert_eq!(confirm(&app, &second, NEW_PASSWORD).await.status, 204);
    app.stop().await;
}

async fn a_weak_new_password_keeps_the_reset_link_usable(backend: Backend) {
    let app = spawn(backend).await;
    app.create_user("weak@example.org", Role::Learner).await;
    let token = request_reset(&app, "weak@example.org").await;
    let weak = confirm(&app, &token, "short").await;
    weak.assert_problem(422, "validation");
    assert_eq!(weak.error_fields(), ["password"]);
    assert_eq!(confirm(&app, &token, NEW_PASSWORD).await.status, 204);
    app.stop().await;
}

async fn a_reset_confirmation_lists_every_missing_field(backend: Backend) {
    let app = spawn(backend).await;
    let reply = app.client().post("/api/v1/auth/password-reset/confirm", json!({})).await;
    reply.assert_problem(422, "validation");
    assert_eq!(reply.error_fields(), ["token", "password"]);
    confirm(&app, "", NEW_PASSWORD).await.assert_problem(422, "validation");
    app.stop().await;
}

async fn a_disabled_account_gets_no_reset_mail(backend: Backend) {
    let app = spawn(backend).await;
    let id = app.create_user("off@example.org", Role::Learner).await;
    lyceum_accounts::service::admin::set_disabled(app.state(), None, &UserId::from(&id), true).await.unwrap();
    let reply = app.client().post("/api/v1/auth/password-reset", json!({"email": "off@example.org"})).await;
    assert_eq!(reply.status, 202);
    assert!(app.mails_to("off@example.org").await.is_empty());
    app.stop().await;
}

async fn changing_the_password_needs_the_current_one(backend: Backend) {
    let app = spawn(backend).await;
    let (client, _) = app.signed_in("change@example.org", Role::Learner).await;
    let body = json!({"current_password": "not my password", "new_password": NEW_PASSWORD});
    let reply = client.post("/api/v1/users/me/password", body).await;
    reply.assert_problem(422, "validation");
    assert_eq!(reply.error_fields(), ["current_password"]);
    assert_eq!(login_status(&app, "change@example.org", PASSWORD).await, 200);
    assert_eq!(login_status(&app, "change@example.org", NEW_PASSWORD).await, 401);
    app.stop().await;
}

async fn changing_the_password_checks_the_new_one(backend: Backend) {
    let app = spawn(backend).await;
    let (client, _) = app.signed_in("policy@example.org", Role::Learner).await;
    let long = "x".repeat(129);
    for bad in ["short", "        ", long.as_str()] {
        let body = json!({"current_password": PASSWORD, "new_password": bad});
        let reply = client.post("/api/v1/users/me/password", body).await;
        reply.assert_problem(422, "validation");
        assert_eq!(reply.error_fields(), ["new_password"], "{bad:?}");
    }
    app.stop().await;
}

async fn a_new_password_must_differ_from_the_current_one(backend: Backend) {
    let app = spawn(backend).await;
    let (client, _) = app.signed_in("same@example.org", Role::Learner).await;
    let body = json!({"current_password": PASSWORD, "new_password": PASSWORD});
    let reply = client.post("/api/v1/users/me/password", body).await;
    reply.assert_problem(422, "validation");
    assert_eq!(reply.error_fields(), ["new_password"]);
    assert!(reply.text.contains("different from your current one"), "{}", reply.text);

    let token = request_reset(&app, "same@example.org").await;
    let reused = confirm(&app, &token, PASSWORD).await;
    reused.assert_problem(422, "validation");
    assert_eq!(reused.error_fields(), ["password"]);
    assert_eq!(confirm(&app, &token, NEW_PASSWORD).await.status, 204, "the link stays usable");
    app.stop().await;
}

async fn changing_the_password_signs_out_other_sessions_only(backend: Backend) {
    let app = spawn(backend).await;
    let (current, _) = app.signed_in("keep@example.org", Role::Learner).await;
    let mut other = app.client();
    other.login("keep@example.org", PASSWORD).await;

    let body = json!({"current_password": PASSWORD, "new_password": NEW_PASSWORD});
    let reply = current.post("/api/v1/users/me/password", body).await;
    assert_eq!(reply.status, 204, "{}", reply.text);

    assert_eq!(current.get("/api/v1/users/me").await.status, 200, "the session that changed it stays");
    other.get("/api/v1/users/me").await.assert_problem(401, "unauthorized");
    assert_eq!(login_status(&app, "keep@example.org", PASSWORD).await, 401);
    assert_eq!(login_status(&app, "keep@example.org", NEW_PASSWORD).await, 200);
    app.stop().await;
}

on_both_backends!(
    a_reset_for_an_unknown_address_is_accepted_and_sends_nothing,
    a_reset_replaces_the_password_and_signs_out_everywhere,
    a_reset_link_works_only_once,
    a_reset_link_used_concurrently_works_once,
    an_expired_reset_link_is_gone_and_changes_nothing,
    only_the_newest_reset_link_works,
    a_weak_new_password_keeps_the_reset_link_usable,
    a_reset_confirmation_lists_every_missing_field,
    a_disabled_account_gets_no_reset_mail,
    changing_the_password_needs_the_current_one,
    changing_the_password_checks_the_new_one,
    a_new_password_must_differ_from_the_current_one,
    changing_the_password_signs_out_other_sessions_only,
);

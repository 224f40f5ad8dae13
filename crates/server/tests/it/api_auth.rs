//! Registration, e-mail verification, sign-in and sign-out over the JSON API.

use crate::common;

use common::{Backend, PASSWORD, spawn};
use lyceum_platform::auth::Role;
use serde_json::json;

const NEW_PASSWORD: &str = "a brand new secret";

fn credentials(email: &str, password: &str) -> serde_json::Value {
    json!({"email": email, "password": password})
}

async fn registration_mails_a_link_and_sign_in_waits_for_it(backend: Backend) {
    let app = spawn(backend).await;
    let client = app.client();
    let body = json!({"email": "  Ada@Example.org ", "password": PASSWORD, "display_name": "Ada"});
    let reply = client.post("/api/v1/auth/register", body).await;
    assert_eq!(reply.status, 202, "{}", reply.text);
    assert_eq!(reply.json()["status"], "accepted");

    let mails = app.mails_to("ada@example.org").await;
    assert_eq!(mails.len(), 1, "one verification mail to the normalised address");
    assert!(mails[0].text.contains(&format!("{}/verify-email?token=", app.url)), "{}", mails[0].text);

    let early = client.post("/api/v1/auth/login", credentials("ada@example.org", PASSWORD)).await;
    early.assert_problem(403, "email-unverified");

    let token = app.last_token("ada@example.org", "/verify-email").await;
    let verified = client.post("/api/v1/auth/verify", json!({"token": token})).await;
    assert_eq!(verified.status, 200, "{}", verified.text);
    let user = verified.json();
    assert_eq!(user["email"], "ada@example.org");
    assert_eq!(user["display_name"], "Ada");
    assert_eq!(user["role"], "learner");
    assert_eq!(user["email_verified"], true);

    let login = client.post("/api/v1/auth/login", credentials("ADA@example.org", PASSWORD)).await;
    assert_eq!(login.status, 200, "{}", login.text);
    assert_eq!(login.json()["user"]["id"], user["id"]);
    app.stop().await;
}

async fn a_verification_link_works_only_once(backend: Backend) {
    let app = spawn(backend).await;
    let token = app.register("once@example.org", PASSWORD, "Once").await;
    let client = app.client();
    assert_eq!(client.post("/api/v1/auth/verify", json!({"token": token})).await.status, 200);
    let again = client.post("/api/v1/auth/verify", json!({"token": token})).await;
    again.assert_problem(410, "link-expired");
    app.stop().await;
}

async fn a_verification_link_used_concurrently_works_once(backend: Backend) {
    let app = spawn(backend).await;
    let token = app.register("race@example.org", PASSWORD, "Race").await;
    let clients: Vec<_> = (0..8).map(|_| app.client()).collect();
    let replies =
        futures::future::join_all(clients.iter().map(|c| c.post("/api/v1/auth/verify", json!({"token": token})))).await;
    let mut statuses: Vec<u16> = replies.iter().map(|r| r.status.as_u16()).collect();
    statuses.sort();
    assert_eq!(
        statuses,
        [200, 410, 410, 410, 410, 410, 410, 410],
        "{:?}",
        replies.iter().map(|r| &r.text).collect::<Vec<_>>()
    );
    app.stop().await;
}

async fn an_expired_verification_link_is_gone(backend: Backend) {
    let app = spawn(backend).await;
    let token = app.register("late@example.org", PASSWORD, "Late").await;
    app.exec("UPDATE email_tokens SET expires_at = 0").await;
    let client = app.client();
    client.post("/api/v1/auth/verify", json!({"token": token})).await.assert_problem(410, "link-expired");
    let login = client.post("/api/v1/auth/login", credentials("late@example.org", PASSWORD)).await;
    login.assert_problem(403, "email-unverified");
    app.stop().await;
}

async fn an_unknown_verification_token_is_gone(backend: Backend) {
    let app = spawn(backend).await;
    let reply = app.client().post("/api/v1/auth/verify", json!({"token": "not-a-real-token"})).await;
    reply.assert_problem(410, "link-expired");
    app.stop().await;
}

async fn a_missing_verification_token_is_a_field_error(backend: Backend) {
    let app = spawn(backend).await;
    let client = app.client();
    for body in [json!({}), json!({"token": ""}), json!({"token": "   "})] {
        let reply = client.post("/api/v1/auth/verify", body.clone()).await;
        reply.assert_problem(422, "validation");
        assert_eq!(reply.error_fields(), ["token"], "{body}");
    }
    app.stop().await;
}

async fn resending_verification_replaces_the_link(backend: Backend) {
    let app = spawn(backend).await;
    let first = app.register("resend@example.org", PASSWORD, "Resend").await;
    let client = app.client();
    let reply = client.post("/api/v1/auth/verify/resend", json!({"email": "resend@example.org"})).await;
    assert_eq!(reply.status, 202, "{}", reply.text);
    assert_eq!(app.mails_to("resend@example.org").await.len(), 2);
    let second = app.last_token("resend@example.org", "/verify-email").await;
    assert_ne!(first, second);

    client.post("/api/v1/auth/verify", json!({"token": first})).await.assert_problem(410, "link-expired");
    assert_eq!(client.post("/api/v1/auth/verify", json!({"token": second})).await.status, 200);
    app.stop().await;
}

async fn resending_verification_to_verified_or_unknown_addresses_sends_nothing(backend: Backend) {
    let app = spawn(backend).await;
    app.create_user("done@example.org", Role::Learner).await;
    let client = app.client();
    for email in ["done@example.org", "nobody@example.org"] {
        let reply = client.post("/api/v1/auth/verify/resend", json!({"email": email})).await;
        assert_eq!(reply.status, 202, "{}", reply.text);
        assert_eq!(reply.json()["status"], "accepted");
    }
    assert!(app.mails().await.is_empty(), "no mail for verified or unknown addresses");
    app.stop().await;
}

async fn sign_in_sets_an_http_only_lax_cookie(backend: Backend) {
    let app = spawn(backend).await;
    app.create_user("cookie@example.org", Role::Learner).await;
    let mut client = app.client();
    let reply = client.login("cookie@example.org", PASSWORD).await;
    let cookie = reply.set_cookie("lyceum_session").expect("session cookie set");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain http must not mark the cookie Secure: {cookie}");
    assert!(cookie.contains(&format!("Max-Age={}", 14 * 24 * 3600)), "lasts session_ttl_hours: {cookie}");
    let body = reply.json();
    assert_eq!(body["user"]["email"], "cookie@example.org");
    assert!(body["csrf_token"].as_str().is_some_and(|t| t.len() >= 32), "{body}");

    let me = client.get("/api/v1/users/me").await;
    assert_eq!(me.status, 200, "{}", me.text);
    assert_eq!(me.json()["email"], "cookie@example.org");
    app.stop().await;
}

async fn sign_out_ends_the_session_on_the_server(backend: Backend) {
    let app = spawn(backend).await;
    app.create_user("bye@example.org", Role::Learner).await;
    let mut client = app.client();
    let login = client.login("bye@example.org", PASSWORD).await;
    let cookie = login.set_cookie("lyceum_session").unwrap();
    let session = cookie.split(';').next().unwrap().to_string();

    let out = client.post("/api/v1/auth/logout", json!({})).await;
    assert_eq!(out.status, 204, "{}", out.text);
    client.get("/api/v1/users/me").await.assert_problem(401, "unauthorized");

    // Replaying the old cookie does not bring the session back.
    let replay = client.raw(app.client().http.get(client.url("/api/v1/users/me")).header("cookie", session)).await;
    replay.assert_problem(401, "unauthorized");
    app.stop().await;
}

async fn sign_out_needs_the_csrf_header(backend: Backend) {
    let app = spawn(backend).await;
    let (mut client, _) = app.signed_in("forged@example.org", Role::Learner).await;
    let csrf = client.csrf.take();
    client.post("/api/v1/auth/logout", json!({})).await.assert_problem(403, "csrf");
    assert_eq!(client.get("/api/v1/users/me").await.status, 200, "still signed in");
    client.csrf = csrf;
    assert_eq!(client.post("/api/v1/auth/logout", json!({})).await.status, 204);
    app.stop().await;
}

async fn an_expired_session_is_signed_out(backend: Backend) {
    let app = spawn(backend).await;
    let (client, _) = app.signed_in("stale@example.org", Role::Learner).await;
    app.exec("UPDATE sessions SET expires_at = 1").await;
    let reply = client.get("/api/v1/users/me").await;
    reply.assert_problem(401, "unauthorized");
    let removal = reply.set_cookie("lyceum_session").expect("the stale cookie is cleared");
    assert!(removal.contains("Max-Age=0"), "{removal}");
    // Signing in again works without a CSRF header: the stale cookie is no credential.
    let again = client.post("/api/v1/auth/login", credentials("stale@example.org", PASSWORD)).await;
    assert_eq!(again.status, 200, "{}", again.text);
    app.stop().await;
}

async fn without_required_verification_accounts_sign_in_at_once(backend: Backend) {
    let app = common::spawn_with(backend, |s| s.auth.require_verified_email = false).await;
    let client = app.client();
    let body = json!({"email": "quick@example.org", "password": PASSWORD, "display_name": "Quick"});
    assert_eq!(client.post("/api/v1/auth/register", body).await.status, 202);
    assert!(app.mails_to("quick@example.org").await.is_empty(), "no verification mail");
    let login = client.post("/api/v1/auth/login", credentials("quick@example.org", PASSWORD)).await;
    assert_eq!(login.status, 200, "{}", login.text);
    assert_eq!(login.json()["user"]["email_verified"], true);
    app.stop().await;
}

async fn wrong_password_and_unknown_address_look_the_same(backend: Backend) {
    let app = spawn(backend).await;
    app.create_user("known@example.org", Role::Learner).await;
    let client = app.client();
    let wrong = client.post("/api/v1/auth/login", credentials("known@example.org", "not the password")).await;
    let unknown = client.post("/api/v1/auth/login", credentials("unknown@example.org", "not the password")).await;
    wrong.assert_problem(401, "invalid-credentials");
    assert_eq!(wrong.status, unknown.status);
    assert_eq!(wrong.problem_without_request_id(), unknown.problem_without_request_id());
    assert_ne!(wrong.json()["request_id"], unknown.json()["request_id"]);
    app.stop().await;
}

async fn registering_a_taken_address_answers_like_a_new_one(backend: Backend) {
    let app = spawn(backend).await;
    let client = app.client();
    let register =
        |email: &str, password: &str| json!({"email": email, "password": password, "display_name": "Someone"});
    let new = client.post("/api/v1/auth/register", register("fresh@example.org", PASSWORD)).await;
    app.create_user("taken@example.org", Role::Learner).await;
    let taken = client.post("/api/v1/auth/register", register("Taken@Example.org", NEW_PASSWORD)).await;
    assert_eq!(new.status, 202);
    assert_eq!(taken.status, new.status);
    assert_eq!(taken.text, new.text);

    let mails = app.mails_to("taken@example.org").await;
    assert_eq!(mails.len(), 1, "the owner gets exactly one mail");
    assert!(mails[0].subject.contains("already have"), "{}", mails[0].subject);
    assert!(!mails[0].text.contains("/verify-email"), "no verification link: {}", mails[0].text);

    // The account is untouched: the old password works, the new one does not.
    let attempt = client.post("/api/v1/auth/login", credentials("taken@example.org", NEW_PASSWORD)).await;
    attempt.assert_problem(401, "invalid-credentials");
    assert_eq!(client.post("/api/v1/auth/login", credentials("taken@example.org", PASSWORD)).await.status, 200);
    app.stop().await;
}

async fn registration_reports_every_invalid_field(backend: Backend) {
    let app = spawn(backend).await;
    let body = json!({"email": "not-an-address", "password": "short", "display_name": "  "});
    let reply = app.client().post("/api/v1/auth/register", body).await;
    reply.assert_problem(422, "validation");
    assert_eq!(reply.error_fields(), ["email", "display_name", "password"], "in the sign-up form's order");
    assert!(app.mails().await.is_empty());
    app.stop().await;
}

on_both_backends!(
    registration_mails_a_link_and_sign_in_waits_for_it,
    a_verification_link_works_only_once,
    a_verification_link_used_concurrently_works_once,
    an_expired_verification_link_is_gone,
    an_unknown_verification_token_is_gone,
    a_missing_verification_token_is_a_field_error,
    resending_verification_replaces_the_link,
    resending_verification_to_verified_or_unknown_addresses_sends_nothing,
    sign_in_sets_an_http_only_lax_cookie,
    sign_out_ends_the_session_on_the_server,
    sign_out_needs_the_csrf_header,
    an_expired_session_is_signed_out,
    without_required_verification_accounts_sign_in_at_once,
    wrong_password_and_unknown_address_look_the_same,
    registering_a_taken_address_answers_like_a_new_one,
    registration_reports_every_invalid_field,
);

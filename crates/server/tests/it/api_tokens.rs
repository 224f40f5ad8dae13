//! Personal API tokens: creation, listing, bearer authentication, revocation,
//! expiry, ownership, validation and how CSRF applies to each credential.

use crate::common;

use common::{Backend, spawn};
use lyceum_platform::auth::Role;
use serde_json::json;

async fn a_new_token_is_shown_once_and_authenticates(backend: Backend) {
    let app = spawn(backend).await;
    let (client, user_id) = app.signed_in("ada@example.org", Role::Learner).await;
    let reply = client.post("/api/v1/tokens", json!({"name": "grading script", "expires_in_days": 30})).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let created = reply.json();
    let secret = created["token"].as_str().unwrap().to_string();
    assert!(secret.starts_with("lyc_") && secret.len() > 40, "{secret}");
    assert_eq!(created["name"], "grading script");
    assert!(secret.starts_with(created["prefix"].as_str().unwrap()));
    assert!(created["expires_at"].is_string(), "{created}");

    let list = client.get("/api/v1/tokens").await;
    assert_eq!(list.status, 200);
    assert!(!list.text.contains(&secret), "the list never shows the secret: {}", list.text);
    let items = list.json()["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["id"], created["id"]);
    assert!(items[0].get("token").is_none(), "{}", items[0]);

    let me = app.bearer_client(&secret).get("/api/v1/users/me").await;
    assert_eq!(me.status, 200, "{}", me.text);
    assert_eq!(me.json()["id"], user_id);
    app.stop().await;
}

async fn bearer_use_is_recorded(backend: Backend) {
    let app = spawn(backend).await;
    let (client, _) = app.signed_in("used@example.org", Role::Learner).await;
    let (secret, _) = client.create_token("script").await;
    assert!(client.get("/api/v1/tokens").await.json()["items"][0]["last_used_at"].is_null());
    assert_eq!(app.bearer_client(&secret).get("/api/v1/users/me").await.status, 200);
    let items = client.get("/api/v1/tokens").await.json()["items"].clone();
    assert!(items[0]["last_used_at"].is_string(), "{items}");
    app.stop().await;
}

async fn a_revoked_token_stops_working_at_once(backend: Backend) {
    let app = spawn(backend).await;
    let (client, _) = app.signed_in("revoke@example.org", Role::Learner).await;
    let (secret, id) = client.create_token("old").await;
    let bearer = app.bearer_client(&secret);
    assert_eq!(bearer.get("/api/v1/users/me").await.status, 200);

    let reply = client.delete(&format!("/api/v1/tokens/{id}")).await;
    assert_eq!(reply.status, 204, "{}", reply.text);
    bearer.get("/api/v1/users/me").await.assert_problem(401, "unauthorized");
    assert_eq!(client.get("/api/v1/tokens").await.json()["items"], json!([]));
    client.delete(&format!("/api/v1/tokens/{id}")).await.assert_problem(404, "not-found");
    app.stop().await;
}

async fn a_token_can_revoke_itself(backend: Backend) {
    let app = spawn(backend).await;
    let (client, _) = app.signed_in("self@example.org", Role::Learner).await;
    let (secret, id) = client.create_token("throwaway").await;
    let bearer = app.bearer_client(&secret);
    assert_eq!(bearer.delete(&format!("/api/v1/tokens/{id}")).await.status, 204);
    bearer.get("/api/v1/users/me").await.assert_problem(401, "unauthorized");
    app.stop().await;
}

async fn an_invalid_bearer_is_refused_never_anonymous(backend: Backend) {
    let app = spawn(backend).await;
    let client = app.client();
    for value in ["Bearer lyc_garbage", "Bearer ", "Basic dXNlcjpwdw==", "lyc_no_scheme"] {
        let req = client.http.get(client.url("/api/v1/users/me")).header("authorization", value);
        client.raw(req).await.assert_problem(401, "unauthorized");
    }
    // Routes that allow anonymous callers still refuse a bad token.
    let req = client.http.post(client.url("/api/v1/auth/logout")).header("authorization", "Bearer lyc_garbage");
    client.raw(req).await.assert_problem(401, "unauthorized");
    app.stop().await;
}

async fn the_bearer_scheme_is_case_insensitive(backend: Backend) {
    let app = spawn(backend).await;
    let (client, user_id) = app.signed_in("scheme@example.org", Role::Learner).await;
    let (secret, _) = client.create_token("curl").await;
    let anonymous = app.client();
    for scheme in ["bearer", "BEARER", "Bearer"] {
        let req =
            anonymous.http.get(anonymous.url("/api/v1/users/me")).header("authorization", format!("{scheme} {secret}"));
        let reply = anonymous.raw(req).await;
        assert_eq!(reply.status, 200, "{scheme}: {}", reply.text);
        assert_eq!(reply.json()["id"], user_id);
    }
    app.stop().await;
}

async fn an_expired_token_is_refused(backend: Backend) {
    let app = spawn(backend).await;
    let (client, _) = app.signed_in("expiry@example.org", Role::Learner).await;
    let reply = client.post("/api/v1/tokens", json!({"name": "short-lived", "expires_in_days": 1})).await;
    let secret = reply.json()["token"].as_str().unwrap().to_string();
    // Its expiry moved into the past (the cache keeps the expiry it read with
    // the token and refuses a token past it: a unit test in `service::session`).
    app.exec("UPDATE api_tokens SET expires_at = 1").await;
    let bearer = app.bearer_client(&secret);
    bearer.get("/api/v1/users/me").await.assert_problem(401, "unauthorized");
    assert_eq!(client.get("/api/v1/tokens").await.json()["items"], json!([]), "expired tokens are not listed");
    app.stop().await;
}

async fn another_users_token_cannot_be_revoked_or_seen(backend: Backend) {
    let app = spawn(backend).await;
    let (alice, alice_id) = app.signed_in("alice@example.org", Role::Learner).await;
    let (bob, bob_id) = app.signed_in("bob@example.org", Role::Learner).await;
    let (alice_secret, alice_token) = alice.create_token("alice's").await;
    let (bob_secret, _) = bob.create_token("bob's").await;

    bob.delete(&format!("/api/v1/tokens/{alice_token}")).await.assert_problem(404, "not-found");
    let bob_bearer = app.bearer_client(&bob_secret);
    bob_bearer.delete(&format!("/api/v1/tokens/{alice_token}")).await.assert_problem(404, "not-found");
    assert_eq!(app.bearer_client(&alice_secret).get("/api/v1/users/me").await.status, 200);

    let bob_list = bob.get("/api/v1/tokens").await.json();
    assert_eq!(bob_list["items"].as_array().unwrap().len(), 1);
    assert_eq!(bob_list["items"][0]["name"], "bob's");

    // Bob's token acts as Bob only, even when Alice's session cookie rides along.
    assert_eq!(bob_bearer.get("/api/v1/users/me").await.json()["id"], bob_id);
    let mut mixed = alice;
    mixed.bearer = Some(bob_secret.clone());
    assert_eq!(mixed.get("/api/v1/users/me").await.json()["id"], bob_id);
    mixed.bearer = None;
    assert_eq!(mixed.get("/api/v1/users/me").await.json()["id"], alice_id);
    app.stop().await;
}

async fn token_input_is_validated(backend: Backend) {
    let app = spawn(backend).await;
    let (client, _) = app.signed_in("valid@example.org", Role::Learner).await;
    let long = "x".repeat(101);
    let cases = [
        (json!({"name": ""}), vec!["name"]),
        (json!({"name": "   "}), vec!["name"]),
        (json!({"name": long}), vec!["name"]),
        (json!({"name": "ok", "expires_in_days": 0}), vec!["expires_in_days"]),
        (json!({"name": "ok", "expires_in_days": 5000}), vec!["expires_in_days"]),
        (json!({"name": "", "expires_in_days": -1}), vec!["name", "expires_in_days"]),
        (json!({"name": "ok", "expires_in_days": "soon"}), vec!["expires_in_days"]),
        (json!({"name": 7}), vec!["name"]),
    ];
    for (body, fields) in cases {
        let reply = client.post("/api/v1/tokens", body.clone()).await;
        reply.assert_problem(422, "validation");
        assert_eq!(reply.error_fields(), fields, "{body}");
    }
    assert_eq!(client.get("/api/v1/tokens").await.json()["items"], json!([]));
    let edge = client.post("/api/v1/tokens", json!({"name": "x".repeat(100), "expires_in_days": 3650})).await;
    assert_eq!(edge.status, 201, "{}", edge.text);
    app.stop().await;
}

async fn the_number_of_live_tokens_is_capped(backend: Backend) {
    let app = spawn(backend).await;
    let (client, _) = app.signed_in("many@example.org", Role::Learner).await;
    let mut last = String::new();
    for n in 0..50 {
        last = client.create_token(&format!("token {n}")).await.1;
    }
    client.post("/api/v1/tokens", json!({"name": "one too many"})).await.assert_problem(409, "conflict");
    assert_eq!(client.delete(&format!("/api/v1/tokens/{last}")).await.status, 204);
    assert_eq!(client.post("/api/v1/tokens", json!({"name": "room again"})).await.status, 201);
    app.stop().await;
}

async fn bearer_calls_need_no_csrf_header(backend: Backend) {
    let app = spawn(backend).await;
    let (client, _) = app.signed_in("bearer@example.org", Role::Learner).await;
    let (secret, _) = client.create_token("automation").await;
    let bearer = app.bearer_client(&secret);
    assert!(bearer.csrf.is_none());
    let reply = bearer.post("/api/v1/tokens", json!({"name": "made by a script"})).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let reply = bearer.patch("/api/v1/users/me", json!({"display_name": "Bot Owner"})).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    app.stop().await;
}

async fn session_calls_without_the_csrf_header_are_refused(backend: Backend) {
    let app = spawn(backend).await;
    let (mut client, _) = app.signed_in("csrf@example.org", Role::Learner).await;
    let real = client.csrf.take().expect("csrf token from login");
    client.post("/api/v1/tokens", json!({"name": "forged"})).await.assert_problem(403, "csrf");
    client.patch("/api/v1/users/me", json!({"display_name": "Forged"})).await.assert_problem(403, "csrf");
    client.csrf = Some("x".repeat(43));
    client.post("/api/v1/tokens", json!({"name": "forged"})).await.assert_problem(403, "csrf");
    client.csrf = Some(real);
    assert_eq!(client.get("/api/v1/tokens").await.json()["items"], json!([]), "nothing was created");
    assert_eq!(client.get("/api/v1/users/me").await.json()["display_name"], "Test User");
    assert_eq!(client.post("/api/v1/tokens", json!({"name": "real"})).await.status, 201);
    app.stop().await;
}

async fn token_routes_need_a_signed_in_caller(backend: Backend) {
    let app = spawn(backend).await;
    let client = app.client();
    client.get("/api/v1/tokens").await.assert_problem(401, "unauthorized");
    client.post("/api/v1/tokens", json!({"name": "x"})).await.assert_problem(401, "unauthorized");
    client.delete("/api/v1/tokens/some-id").await.assert_problem(401, "unauthorized");
    app.stop().await;
}

on_both_backends!(
    a_new_token_is_shown_once_and_authenticates,
    bearer_use_is_recorded,
    a_revoked_token_stops_working_at_once,
    a_token_can_revoke_itself,
    an_invalid_bearer_is_refused_never_anonymous,
    the_bearer_scheme_is_case_insensitive,
    an_expired_token_is_refused,
    another_users_token_cannot_be_revoked_or_seen,
    token_input_is_validated,
    the_number_of_live_tokens_is_capped,
    bearer_calls_need_no_csrf_header,
    session_calls_without_the_csrf_header_are_refused,
    token_routes_need_a_signed_in_caller,
);

//! Sign-in, reset and registration rate limits, per account and per client
//! address. Test clients connect from different loopback addresses
//! (127.0.0.x) so the two kinds of limit can be told apart.

use crate::common;

use common::{Backend, PASSWORD, Reply, TestClient, spawn_with};
use lyceum_platform::auth::Role;
use serde_json::json;

async fn login(client: &TestClient, email: &str, password: &str) -> Reply {
    client.post("/api/v1/auth/login", json!({"email": email, "password": password})).await
}

#[track_caller]
fn assert_rate_limited(reply: &Reply) {
    reply.assert_problem(429, "rate-limited");
    let wait: u64 = reply.header("retry-after").parse().unwrap_or_else(|_| panic!("Retry-After: {:?}", reply.headers));
    assert!((1..=60 * 60).contains(&wait), "Retry-After {wait}");
}

async fn sign_in_is_limited_per_client_address(backend: Backend) {
    let app = spawn_with(backend, |s| s.rate_limit.login_per_minute = 3).await;
    app.create_user("ip@example.org", Role::Learner).await;
    let client = app.client_from("127.0.0.2");
    for n in 0..3 {
        let reply = login(&client, &format!("guess{n}@example.org"), "wrong password").await;
        reply.assert_problem(401, "invalid-credentials");
    }
    // The fourth attempt from that address is refused, even with the right password.
    assert_rate_limited(&login(&client, "ip@example.org", PASSWORD).await);
    // Another address is not affected.
    assert_eq!(login(&app.client_from("127.0.0.3"), "ip@example.org", PASSWORD).await.status, 200);
    app.stop().await;
}

async fn login_via(client: &TestClient, forwarded_for: &str, email: &str) -> Reply {
    let res = client
        .http
        .post(format!("{}/api/v1/auth/login", client.base))
        .header("x-forwarded-for", forwarded_for)
        .json(&json!({"email": email, "password": "wrong password"}))
        .send()
        .await
        .unwrap();
    TestClient::reply(res).await
}

/// Behind a trusted proxy each forwarded client has its own limit; a client
/// cannot dodge its limit by forging the header, and without trusted proxies
/// the header is ignored altogether.
async fn forwarded_addresses_count_only_from_trusted_proxies(backend: Backend) {
    let app = spawn_with(backend, |s| {
        s.rate_limit.login_per_minute = 2;
        s.trusted_proxy_nets = vec!["127.0.0.2/32".parse().unwrap()];
    })
    .await;
    let proxy = app.client_from("127.0.0.2");
    for n in 0..2 {
        login_via(&proxy, "198.51.100.1", &format!("a{n}@example.org"))
            .await
            .assert_problem(401, "invalid-credentials");
    }
    assert_rate_limited(&login_via(&proxy, "198.51.100.1", "a9@example.org").await);
    // The limited client forging a header of its own: the proxy appends the
    // real address, the nearest untrusted hop, which is still limited.
    assert_rate_limited(&login_via(&proxy, "6.6.6.6, 198.51.100.1", "a9@example.org").await);
    // Another client behind the same proxy has its own allowance; a forged
    // left-hand entry changes nothing.
    login_via(&proxy, "6.6.6.6, 198.51.100.2", "b@example.org").await.assert_problem(401, "invalid-credentials");

    // An untrusted peer's header is ignored: its attempts all count as its own.
    let direct = app.client_from("127.0.0.3");
    for n in 0..2 {
        login_via(&direct, &format!("203.0.113.{n}"), &format!("c{n}@example.org")).await;
    }
    assert_rate_limited(&login_via(&direct, "203.0.113.99", "c9@example.org").await);
    app.stop().await;
}

/// Input no account can have (a malformed or huge address, an over-long
/// password) is answered like wrong credentials and counts against the client.
async fn impossible_credentials_count_against_the_client(backend: Backend) {
    let app = spawn_with(backend, |s| s.rate_limit.login_per_minute = 2).await;
    app.create_user("real@example.org", Role::Learner).await;
    let client = app.client_from("127.0.0.4");
    login(&client, &"x".repeat(100_000), "whatever").await.assert_problem(401, "invalid-credentials");
    login(&client, "real@example.org", &"p".repeat(200)).await.assert_problem(401, "invalid-credentials");
    assert_rate_limited(&login(&client, "real@example.org", PASSWORD).await);
    app.stop().await;
}

async fn sign_in_is_limited_per_account(backend: Backend) {
    let app = spawn_with(backend, |s| s.rate_limit.login_per_minute = 3).await;
    app.create_user("target@example.org", Role::Learner).await;
    app.create_user("other@example.org", Role::Learner).await;
    for n in 2..5 {
        let reply = login(&app.client_from(&format!("127.0.0.{n}")), "target@example.org", "wrong password").await;
        reply.assert_problem(401, "invalid-credentials");
    }
    // A fresh address cannot go on guessing that account's password…
    let reply = login(&app.client_from("127.0.0.5"), "Target@Example.org", PASSWORD).await;
    assert_rate_limited(&reply);
    // …while other accounts sign in normally.
    assert_eq!(login(&app.client_from("127.0.0.6"), "other@example.org", PASSWORD).await.status, 200);
    app.stop().await;
}

async fn reset_requests_are_limited_per_account(backend: Backend) {
    let app = spawn_with(backend, |s| s.rate_limit.email_per_hour = 2).await;
    app.create_user("reset@example.org", Role::Learner).await;
    for n in 2..4 {
        let client = app.client_from(&format!("127.0.0.{n}"));
        let reply = client.post("/api/v1/auth/password-reset", json!({"email": "reset@example.org"})).await;
        assert_eq!(reply.status, 202, "{}", reply.text);
    }
    let client = app.client_from("127.0.0.4");
    let reply = client.post("/api/v1/auth/password-reset", json!({"email": "reset@example.org"})).await;
    assert_rate_limited(&reply);
    assert_eq!(app.mails_to("reset@example.org").await.len(), 2, "no mail for the refused request");
    app.stop().await;
}

async fn reset_requests_are_limited_per_client_address(backend: Backend) {
    let app = spawn_with(backend, |s| s.rate_limit.email_per_hour = 2).await;
    let client = app.client_from("127.0.0.2");
    for n in 0..2 {
        let reply = client.post("/api/v1/auth/password-reset", json!({"email": format!("a{n}@example.org")})).await;
        assert_eq!(reply.status, 202, "{}", reply.text);
    }
    let reply = client.post("/api/v1/auth/password-reset", json!({"email": "a9@example.org"})).await;
    assert_rate_limited(&reply);
    let elsewhere = app.client_from("127.0.0.3");
    let reply = elsewhere.post("/api/v1/auth/password-reset", json!({"email": "a9@example.org"})).await;
    assert_eq!(reply.status, 202);
    app.stop().await;
}

async fn verification_resends_are_limited(backend: Backend) {
    let app = spawn_with(backend, |s| s.rate_limit.email_per_hour = 2).await;
    app.register("slow@example.org", PASSWORD, "Slow").await;
    let client = app.client_from("127.0.0.2");
    let resend = || client.post("/api/v1/auth/verify/resend", json!({"email": "slow@example.org"}));
    assert_eq!(resend().await.status, 202);
    assert_eq!(resend().await.status, 202);
    assert_rate_limited(&resend().await);
    app.stop().await;
}

async fn registration_is_limited_per_client_address(backend: Backend) {
    let app = spawn_with(backend, |s| s.rate_limit.register_per_hour = 2).await;
    let client = app.client_from("127.0.0.2");
    let register = |n: u32| {
        let body = json!({"email": format!("new{n}@example.org"), "password": PASSWORD, "display_name": "New"});
        client.post("/api/v1/auth/register", body)
    };
    assert_eq!(register(1).await.status, 202);
    assert_eq!(register(2).await.status, 202);
    assert_rate_limited(&register(3).await);
    assert!(app.mails_to("new3@example.org").await.is_empty(), "the refused sign-up created nothing");
    app.stop().await;
}

on_both_backends!(
    sign_in_is_limited_per_client_address,
    sign_in_is_limited_per_account,
    reset_requests_are_limited_per_account,
    reset_requests_are_limited_per_client_address,
    verification_resends_are_limited,
    registration_is_limited_per_client_address,
    forwarded_addresses_count_only_from_trusted_proxies,
    impossible_credentials_count_against_the_client,
);

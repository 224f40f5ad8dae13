//! A password change — self-service (API and page), the `lyceum admin
//! set-password` command, a reset link — ends the other sessions, revokes the
//! API tokens (unless a self-service change opts out) and mails the owner.

use crate::common;

use std::process::Command;

use common::{Backend, PASSWORD, TestApp, TestClient, spawn, spawn_with};
use lyceum_platform::{auth::Role, config::Secret};
use serde_json::json;

const NEW_PASSWORD: &str = "a brand new secret";
const EMAIL: &str = "owner@example.org";

/// The owner signed in twice (this browser and another one) with an API token.
async fn owner_with_sessions_and_token(app: &TestApp) -> (TestClient, TestClient, String) {
    let (here, _) = app.signed_in(EMAIL, Role::Learner).await;
    let mut elsewhere = app.client();
    elsewhere.login(EMAIL, PASSWORD).await;
    let (token, _) = here.create_token("script").await;
    assert_eq!(app.bearer_client(&token).get("/api/v1/users/me").await.status, 200);
    (here, elsewhere, token)
}

async fn assert_token_refused(app: &TestApp, token: &str) {
    app.bearer_client(token).get("/api/v1/users/me").await.assert_problem(401, "unauthorized");
}

async fn assert_signed_out(client: &TestClient) {
    client.get("/api/v1/users/me").await.assert_problem(401, "unauthorized");
}

async fn assert_owner_told(app: &TestApp) {
    let mails = app.mails_to(EMAIL).await;
    let notice = mails.iter().find(|m| m.subject.contains("password was changed"));
    let notice = notice.unwrap_or_else(|| panic!("no password-changed mail in {mails:?}"));
    assert!(notice.text.contains("If it wasn't you"), "{}", notice.text);
}

async fn a_self_service_change_revokes_tokens_and_other_sessions(backend: Backend) {
    let app = spawn(backend).await;
    let (here, elsewhere, token) = owner_with_sessions_and_token(&app).await;

    let body = json!({"current_password": PASSWORD, "new_password": NEW_PASSWORD});
    let reply = here.post("/api/v1/users/me/password", body).await;
    assert_eq!(reply.status, 204, "{}", reply.text);

    assert_token_refused(&app, &token).await;
    assert_signed_out(&elsewhere).await;
    assert_eq!(here.get("/api/v1/users/me").await.status, 200, "the session that changed it stays");
    assert_owner_told(&app).await;
    app.stop().await;
}

async fn a_self_service_change_may_keep_the_tokens(backend: Backend) {
    let app = spawn(backend).await;
    let (here, elsewhere, token) = owner_with_sessions_and_token(&app).await;

    let body = json!({"current_password": PASSWORD, "new_password": NEW_PASSWORD, "revoke_tokens": false});
    assert_eq!(here.post("/api/v1/users/me/password", body).await.status, 204);

    assert_eq!(app.bearer_client(&token).get("/api/v1/users/me").await.status, 200, "kept on request");
    assert_signed_out(&elsewhere).await;
    assert_owner_told(&app).await;
    app.stop().await;
}

async fn a_change_made_with_a_token_revokes_that_token_too(backend: Backend) {
    let app = spawn(backend).await;
    let (_here, elsewhere, token) = owner_with_sessions_and_token(&app).await;

    let body = json!({"current_password": PASSWORD, "new_password": NEW_PASSWORD});
    let reply = app.bearer_client(&token).post("/api/v1/users/me/password", body).await;
    assert_eq!(reply.status, 204, "{}", reply.text);

    assert_token_refused(&app, &token).await;
    assert_signed_out(&elsewhere).await;
    app.stop().await;
}

async fn the_password_page_revokes_tokens_by_default(backend: Backend) {
    let app = spawn(backend).await;
    let (here, elsewhere, token) = owner_with_sessions_and_token(&app).await;

    let csrf = here.page_csrf("/settings/password").await;
    let fields = [("csrf", csrf.as_str()), ("current_password", PASSWORD), ("new_password", NEW_PASSWORD)];
    let reply = here.form("/settings/password", &fields).await;
    assert_eq!(reply.status, 303, "{}", reply.text);

    assert_token_refused(&app, &token).await;
    assert_signed_out(&elsewhere).await;
    assert_eq!(here.get("/settings/password").await.status, 200, "this browser stays signed in");
    assert_owner_told(&app).await;
    app.stop().await;
}

async fn an_admin_set_password_ends_every_session_and_token(backend: Backend) {
    let app = spawn(backend).await;
    let (here, elsewhere, token) = owner_with_sessions_and_token(&app).await;

    lyceum_accounts::service::admin::set_password(app.state(), EMAIL, NEW_PASSWORD).await.expect("set password");

    assert_token_refused(&app, &token).await;
    assert_signed_out(&here).await;
    assert_signed_out(&elsewhere).await;
    assert_owner_told(&app).await;
    app.stop().await;
}

/// The operator's command, run as a separate process against the app's database.
/// Runs `lyceum admin set-password` as its own process on `app`'s database,
/// with `env` added (the cache it shares with the server, if any).
fn cli_set_password(app: &TestApp, env: &[(&str, String)]) {
    let database_url = app.state().settings.database_url.expose().to_string();
    let work = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_lyceum"));
    for (key, _) in std::env::vars().filter(|(k, _)| k.starts_with("LYCEUM_")) {
        cmd.env_remove(key);
    }
    let out = cmd
        .current_dir(work.path())
        .args(["admin", "set-password", EMAIL, "--password", NEW_PASSWORD])
        .env("LYCEUM_DATABASE_URL", &database_url)
        .env("LYCEUM_LOG_LEVEL", "warn")
        .envs(env.iter().map(|(k, v)| (k, v)))
        .output()
        .expect("run lyceum");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

async fn assert_everything_ended(app: &TestApp, here: &TestClient, elsewhere: &TestClient, token: &str) {
    assert_token_refused(app, token).await;
    assert_signed_out(here).await;
    assert_signed_out(elsewhere).await;
    assert_owner_told(app).await;
}

/// Without a cache shared with the command, the server reads sessions from
/// the database on every request only when told to (`auth.session_cache_secs
/// = 0`); otherwise the change shows within that many seconds (documented).
async fn the_cli_set_password_ends_every_session_and_token(backend: Backend) {
    let app = spawn_with(backend, |s| s.auth.session_cache_secs = 0).await;
    let (here, elsewhere, token) = owner_with_sessions_and_token(&app).await;
    cli_set_password(&app, &[]);
    assert_everything_ended(&app, &here, &elsewhere, &token).await;
    app.stop().await;
}

/// With Redis shared by the server and the command, cached sessions (the
/// default) end at once: the command's invalidation reaches the server.
async fn the_cli_set_password_ends_cached_sessions_through_redis(backend: Backend) {
    let Some(redis) = std::env::var("LYCEUM_TEST_REDIS_URL").ok().filter(|u| !u.is_empty()) else {
        lyceum_platform::testing::skip("LYCEUM_TEST_REDIS_URL is not set, so the shared session cache is not tested");
        return;
    };
    let prefix = format!("lyceum-test-{}", uuid::Uuid::new_v4().simple());
    let app = spawn_with(backend, |s| {
        s.cache.redis_url = Secret::new(redis.clone());
        s.cache.prefix = prefix.clone();
    })
    .await;
    assert!(app.state().settings.auth.session_cache_secs > 0, "sessions are cached by default");
    let (here, elsewhere, token) = owner_with_sessions_and_token(&app).await;
    assert_eq!(elsewhere.get("/api/v1/users/me").await.status, 200, "the session is cached now");
    cli_set_password(&app, &[("LYCEUM_CACHE__REDIS_URL", redis), ("LYCEUM_CACHE__PREFIX", prefix)]);
    assert_everything_ended(&app, &here, &elsewhere, &token).await;
    app.stop().await;
}

async fn a_reset_link_tells_the_owner(backend: Backend) {
    let app = spawn(backend).await;
    app.create_user(EMAIL, Role::Learner).await;
    let reply = app.client().post("/api/v1/auth/password-reset", json!({"email": EMAIL})).await;
    assert_eq!(reply.status, 202, "{}", reply.text);
    let link = app.last_token(EMAIL, "/password-reset/confirm").await;
    let body = json!({"token": link, "password": NEW_PASSWORD});
    assert_eq!(app.client().post("/api/v1/auth/password-reset/confirm", body).await.status, 204);
    assert_owner_told(&app).await;
    app.stop().await;
}

on_both_backends!(
    a_self_service_change_revokes_tokens_and_other_sessions,
    a_self_service_change_may_keep_the_tokens,
    a_change_made_with_a_token_revokes_that_token_too,
    the_password_page_revokes_tokens_by_default,
    an_admin_set_password_ends_every_session_and_token,
    the_cli_set_password_ends_every_session_and_token,
    the_cli_set_password_ends_cached_sessions_through_redis,
    a_reset_link_tells_the_owner,
);

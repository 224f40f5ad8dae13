//! Your browser sessions: listed with where and when, signed out one by one or
//! all but this one; nobody else's can be touched.

use crate::common;

use common::{Backend, PASSWORD, TestClient, spawn};
use lyceum_platform::auth::Role;
use serde_json::json;

const FIREFOX_ON_ANDROID: &str = "Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0";

async fn second_browser(app: &common::TestApp, email: &str) -> TestClient {
    let mut other = app.browser_from("127.0.0.7", FIREFOX_ON_ANDROID);
    other.login(email, PASSWORD).await;
    other
}

async fn sessions_are_listed_and_revoked_one_by_one(backend: Backend) {
    let app = spawn(backend).await;
    let (laptop, _) = app.signed_in("ada@example.org", Role::Learner).await;
    let phone = second_browser(&app, "ada@example.org").await;

    let list = laptop.get("/api/v1/users/me/sessions").await.json();
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{list}");
    assert_eq!(items.iter().filter(|s| s["current"] == true).count(), 1, "exactly one is this browser");
    let other = items.iter().find(|s| s["current"] == false).unwrap();
    assert_eq!(other["ip"], "127.0.0.7");
    assert!(other.get("id_hash").is_none(), "the secret's hash is never shown");

    let id = other["id"].as_str().unwrap();
    assert_eq!(laptop.delete(&format!("/api/v1/users/me/sessions/{id}")).await.status, 204);
    assert_eq!(phone.get("/api/v1/users/me").await.status, 401, "the revoked browser is signed out");
    assert_eq!(laptop.get("/api/v1/users/me").await.status, 200);
    laptop.delete(&format!("/api/v1/users/me/sessions/{id}")).await.assert_problem(404, "not-found");
    app.stop().await;
}

async fn signing_out_the_others_keeps_this_one(backend: Backend) {
    let app = spawn(backend).await;
    let (laptop, _) = app.signed_in("ada@example.org", Role::Learner).await;
    let phone = second_browser(&app, "ada@example.org").await;
    let tablet = second_browser(&app, "ada@example.org").await;
    assert_eq!(laptop.delete("/api/v1/users/me/sessions").await.status, 204);
    assert_eq!(phone.get("/api/v1/users/me").await.status, 401);
    assert_eq!(tablet.get("/api/v1/users/me").await.status, 401);
    assert_eq!(laptop.get("/api/v1/users/me/sessions").await.json()["items"].as_array().unwrap().len(), 1);
    app.stop().await;
}

async fn another_users_session_cannot_be_revoked(backend: Backend) {
    let app = spawn(backend).await;
    let (ada, _) = app.signed_in("ada@example.org", Role::Learner).await;
    let (mallory, _) = app.signed_in("mallory@example.org", Role::Learner).await;
    let ada_sessions = ada.get("/api/v1/users/me/sessions").await.json();
    let ada_id = ada_sessions["items"][0]["id"].as_str().unwrap().to_string();
    mallory.delete(&format!("/api/v1/users/me/sessions/{ada_id}")).await.assert_problem(404, "not-found");
    let mallory_sessions = mallory.get("/api/v1/users/me/sessions").await.json();
    assert_eq!(mallory_sessions["items"].as_array().unwrap().len(), 1, "mallory sees only her own");
    assert_eq!(ada.get("/api/v1/users/me").await.status, 200, "ada is still signed in");
    app.stop().await;
}

async fn the_sessions_page_signs_out_another_browser(backend: Backend) {
    let app = spawn(backend).await;
    let (laptop, _) = app.signed_in("ada@example.org", Role::Learner).await;
    let phone = second_browser(&app, "ada@example.org").await;
    let page = laptop.get("/settings/sessions").await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("This browser"));
    assert!(page.text.contains("127.0.0.7"));
    assert!(page.text.contains("Firefox on Android"), "browser and system, not the raw header: {}", page.text);
    let action = page.text.split("action=\"/settings/sessions/").nth(1).unwrap().split('"').next().unwrap();
    assert!(action.ends_with("/revoke"), "{action}");
    let csrf = laptop.page_csrf("/settings/sessions").await;
    let done = laptop.form(&format!("/settings/sessions/{action}"), &[("csrf", csrf.as_str())]).await;
    assert_eq!(done.status, 303);
    assert_eq!(phone.get("/api/v1/users/me").await.status, 401);
    assert!(laptop.get("/settings/sessions").await.text.contains("That session has been signed out."));
    app.stop().await;
}

/// Sessions and API tokens are cached (`auth.session_cache_secs`); an
/// account disabled through one replica is cut off at once on another that
/// shares the database and Redis — its cached session and token included.
async fn a_disabled_account_is_cut_off_on_every_replica(backend: Backend) {
    let Some((first, second)) = common::replicas_sharing_redis(backend, "replicas sharing Redis").await else { return };
    let (learner, learner_id) = second.signed_in("ada@example.org", Role::Learner).await;
    assert_eq!(learner.get("/api/v1/users/me").await.status, 200, "signed in, and the session now cached");
    assert_eq!(learner.get("/my/courses").await.status, 200);
    let (secret, _) = learner.create_token("script").await;
    let script = second.bearer_client(&secret);
    assert_eq!(script.get("/api/v1/users/me").await.status, 200, "the token works, and is now cached");

    let (root, _) = first.signed_in("root@example.org", Role::Admin).await;
    let reply = root.patch(&format!("/api/v1/admin/users/{learner_id}"), json!({"disabled": true})).await;
    assert_eq!(reply.status, 200, "{}", reply.text);

    learner.get("/api/v1/users/me").await.assert_problem(401, "unauthorized");
    script.get("/api/v1/users/me").await.assert_problem(401, "unauthorized");
    let page = learner.get("/my/courses").await;
    assert_eq!(page.status, 303, "pages send a signed-out visitor to sign in");
    second.stop().await;
    first.stop().await;
}

/// In one process, signing out ends the cached session at once.
async fn signing_out_ends_the_cached_session(backend: Backend) {
    let app = spawn(backend).await;
    assert!(app.state().settings.auth.session_cache_secs > 0);
    app.create_user("ada@example.org", Role::Learner).await;
    let mut laptop = app.client();
    let login = laptop.login("ada@example.org", PASSWORD).await;
    let cookie = login.set_cookie("lyceum_session").expect("a session cookie");
    let cookie = cookie.split(';').next().unwrap().to_string();
    assert_eq!(laptop.get("/api/v1/users/me").await.status, 200, "signed in, and the session now cached");
    assert_eq!(laptop.post("/api/v1/auth/logout", json!({})).await.status, 204);
    // The same cookie, replayed by someone who kept a copy.
    let replay = app.client();
    let reply = replay.raw(replay.http.get(replay.url("/api/v1/users/me")).header("cookie", cookie)).await;
    reply.assert_problem(401, "unauthorized");
    app.stop().await;
}

on_both_backends!(
    a_disabled_account_is_cut_off_on_every_replica,
    signing_out_ends_the_cached_session,
    sessions_are_listed_and_revoked_one_by_one,
    signing_out_the_others_keeps_this_one,
    another_users_session_cannot_be_revoked,
    the_sessions_page_signs_out_another_browser,
);

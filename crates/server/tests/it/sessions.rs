//! Your browser sessions: listed with where and when, signed out one by one or
//! all but this one; nobody else's can be touched.

use crate::common;

use common::{Backend, PASSWORD, TestClient, spawn};
use lyceum_platform::auth::Role;

async fn second_browser(app: &common::TestApp, email: &str) -> TestClient {
    let mut other = app.client_from("127.0.0.7");
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
    let action = page.text.split("action=\"/settings/sessions/").nth(1).unwrap().split('"').next().unwrap();
    assert!(action.ends_with("/revoke"), "{action}");
    let csrf = laptop.page_csrf("/settings/sessions").await;
    let done = laptop.form(&format!("/settings/sessions/{action}"), &[("csrf", csrf.as_str())]).await;
    assert_eq!(done.status, 303);
    assert_eq!(phone.get("/api/v1/users/me").await.status, 401);
    assert!(laptop.get("/settings/sessions").await.text.contains("That session has been signed out."));
    app.stop().await;
}

on_both_backends!(
    sessions_are_listed_and_revoked_one_by_one,
    signing_out_the_others_keeps_this_one,
    another_users_session_cannot_be_revoked,
    the_sessions_page_signs_out_another_browser,
);

//! No shared cache may keep a personal response: everything answered to a
//! signed-in caller (session or token), and every response that sets or clears
//! a cookie, is `private, no-store`; anonymous catalog pages keep their
//! caching and set no cookie.

use crate::{catalog_kit, common};

use common::{Backend, Reply, spawn};
use lyceum_platform::auth::Role;
use serde_json::json;

/// Every `Vary` header of the reply, joined.
fn vary(reply: &Reply) -> String {
    let values: Vec<&str> = reply.headers.get_all("vary").iter().filter_map(|v| v.to_str().ok()).collect();
    values.join(", ")
}

#[track_caller]
fn assert_not_stored(reply: &Reply, what: &str) {
    assert_eq!(reply.header("cache-control"), "private, no-store", "{what} ({})", reply.status);
    assert!(vary(reply).contains("Cookie, Authorization"), "{what}: vary {:?}", vary(reply));
}

async fn signed_in_pages_and_api_answers_are_not_stored(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    for path in ["/settings/tokens", "/settings/profile", "/settings/password", "/teach", "/courses", "/"] {
        let reply = teacher.get(path).await;
        assert_eq!(reply.status, 200, "{path}");
        assert_not_stored(&reply, path);
    }
    assert_not_stored(&teacher.get("/api/v1/users/me").await, "me by session");
    assert_not_stored(&teacher.get("/no-such-page").await, "error page for a signed-in user");

    let (token, _) = teacher.create_token("script").await;
    let program = app.bearer_client(&token);
    for path in ["/api/v1/users/me", "/api/v1/tokens", "/api/v1/categories"] {
        let reply = program.get(path).await;
        assert_eq!(reply.status, 200, "{path}");
        assert_not_stored(&reply, path);
    }
    app.stop().await;
}

async fn signing_in_and_out_is_not_stored(backend: Backend) {
    let app = spawn(backend).await;
    app.create_user("learner@example.org", Role::Learner).await;
    let mut client = app.client();
    let login = client.login("learner@example.org", common::PASSWORD).await;
    assert!(login.set_cookie(lyceum_platform::auth::SESSION_COOKIE).is_some());
    assert_not_stored(&login, "API sign-in");
    let logout = client.post("/api/v1/auth/logout", json!({})).await;
    assert!(logout.status.is_success(), "{}", logout.text);
    assert_not_stored(&logout, "API sign-out");
    app.stop().await;
}

async fn anonymous_catalog_pages_stay_cacheable(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("author@example.org", Role::Instructor).await;
    let (_, slug) = catalog_kit::published(&teacher, json!({"title": "Open course"})).await;
    let anonymous = app.client();
    for path in ["/courses".to_string(), format!("/courses/{slug}"), "/api/v1/catalog/courses".to_string()] {
        let reply = anonymous.get(&path).await;
        assert_eq!(reply.status, 200, "{path}");
        assert!(!reply.header("cache-control").contains("no-store"), "{path}: {}", reply.header("cache-control"));
        assert!(reply.headers.get("set-cookie").is_none(), "{path} sets no cookie for anonymous viewers");
        assert!(vary(&reply).contains("Cookie, Authorization"), "{path} says it differs by caller");
    }
    app.stop().await;
}

on_both_backends!(
    signed_in_pages_and_api_answers_are_not_stored,
    signing_in_and_out_is_not_stored,
    anonymous_catalog_pages_stay_cacheable,
);

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
        assert!(
            vary(&reply).contains("Cookie, Authorization, Accept-Language"),
            "{path} says it differs by caller and language"
        );
    }
    app.stop().await;
}

/// Anonymous catalog pages and API answers are kept rendered (namespace
/// `catalog`) with a strong validator: the same bytes and ETag again, 304 to a
/// client that has them, a course change shows at once with a new ETag, and a
/// caller with a session never gets the anonymous page.
async fn anonymous_pages_come_from_the_page_cache_with_a_validator(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("author@example.org", Role::Instructor).await;
    let (id, slug) = catalog_kit::published(&teacher, json!({"title": "Open course"})).await;
    let anonymous = app.client();
    let page = format!("/courses/{slug}");
    let paths = [
        "/courses".to_string(),
        page.clone(),
        "/api/v1/catalog/courses".into(),
        format!("/api/v1/catalog/courses/{slug}"),
    ];
    for path in &paths {
        let first = anonymous.get(path).await;
        assert_eq!(first.status, 200, "{path}");
        let etag = first.header("etag").to_string();
        assert!(etag.starts_with('"') && etag.len() > 2, "{path}: etag {etag:?}");
        let again = anonymous.get(path).await;
        let same = (again.header("etag"), again.header("content-type"), again.text.as_str());
        assert_eq!(same, (etag.as_str(), first.header("content-type"), first.text.as_str()), "{path}");
        // A kept page is answered before the stack, with what the stack adds to a rendered one.
        assert_eq!(headers_of(&again), headers_of(&first), "{path}: the kept page's headers");
        assert!(again.header("content-security-policy").contains("default-src"), "{path}: security headers");
        assert!(!again.header("x-request-id").is_empty(), "{path}: a request id");
        assert_ne!(again.header("x-request-id"), first.header("x-request-id"), "{path}: its own request id");
        assert!(vary(&again).contains("Cookie, Authorization, Accept-Language"), "{path}: vary");
        let revalidated = anonymous.raw(anonymous.http.get(anonymous.url(path)).header("if-none-match", &etag)).await;
        assert_eq!(revalidated.status, 304, "{path}");
        assert!(revalidated.text.is_empty(), "{path}: a 304 has no body");
    }
    let before = anonymous.get(&page).await;
    sqlx::query("UPDATE courses SET title = 'Behind the cache' WHERE id = $1")
        .bind(&id)
        .execute(app.state().db.pool())
        .await
        .unwrap();
    assert!(anonymous.get(&page).await.text.contains("Open course"), "served from the page cache");

    let renamed = teacher.patch(&format!("/api/v1/courses/{id}"), json!({"title": "Renamed course"})).await;
    assert_eq!(renamed.status, 200, "{}", renamed.text);
    let after = anonymous.get(&page).await;
    assert!(after.text.contains("Renamed course"), "a change shows at once");
    assert_ne!(after.header("etag"), before.header("etag"));
    let stale =
        anonymous.raw(anonymous.http.get(anonymous.url(&page)).header("if-none-match", before.header("etag"))).await;
    assert_eq!(stale.status, 200, "an old validator gets the new page");

    let own = teacher.get(&page).await;
    assert!(own.text.contains("nav-name") && !after.text.contains("nav-name"), "the signed-in page is their own");
    assert!(own.headers.get("etag").is_none(), "personal pages are not kept");
    app.stop().await;
}

/// Every header but the ones that differ between any two answers.
fn headers_of(reply: &Reply) -> Vec<(String, String)> {
    let mut headers: Vec<_> = reply
        .headers
        .iter()
        .filter(|(name, _)| !["date", "x-request-id"].contains(&name.as_str()))
        .map(|(name, value)| (name.to_string(), value.to_str().unwrap_or_default().to_string()))
        .collect();
    headers.sort();
    headers
}

/// A kept page is compressed once, when stored, in the coding the browser
/// asks for; the page rendered and the page kept arrive alike, and decode to
/// the page a client without `Accept-Encoding` gets.
async fn kept_pages_are_sent_in_the_coding_the_browser_asks_for(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("author@example.org", Role::Instructor).await;
    let (_, slug) = catalog_kit::published(&teacher, json!({"title": "Compressed course"})).await;
    let anonymous = app.client();
    for path in ["/courses".to_string(), format!("/courses/{slug}"), "/api/v1/catalog/courses".to_string()] {
        let plain = anonymous.get(&path).await.text;
        for (accept, coding) in [("gzip, deflate, br, zstd", "br"), ("gzip", "gzip"), ("br;q=0.5, gzip", "gzip")] {
            let mut seen = Vec::new();
            // Twice after the pages were dropped: rendered and kept, then from the cache.
            app.state().cache.bump("catalog").await;
            for _ in 0..2 {
                let reply =
                    anonymous.http.get(anonymous.url(&path)).header("accept-encoding", accept).send().await.unwrap();
                assert_eq!(reply.status(), 200, "{path}");
                let headers = reply.headers().clone();
                assert_eq!(headers["content-encoding"], coding, "{path} with {accept}");
                assert!(vary_all(&headers).contains("accept-encoding"), "{path}: vary");
                let body = decode(coding, &reply.bytes().await.unwrap());
                assert!(body.contains("Compressed course"), "{path}: {body}");
                seen.push((headers.get("etag").cloned(), headers.get("content-type").cloned(), body));
            }
            assert_eq!(seen[0], seen[1], "{path}: rendered and kept alike");
        }
        assert!(plain.contains("Compressed course"), "{path}: the page as it is");
    }
    app.stop().await;
}

fn vary_all(headers: &reqwest::header::HeaderMap) -> String {
    headers.get_all("vary").iter().map(|v| v.to_str().unwrap().to_ascii_lowercase()).collect::<Vec<_>>().join(", ")
}

fn decode(coding: &str, bytes: &[u8]) -> String {
    use std::io::Read;
    let mut text = String::new();
    match coding {
        "gzip" => flate2::read::GzDecoder::new(bytes).read_to_string(&mut text).unwrap(),
        "br" => brotli::Decompressor::new(bytes, 4096).read_to_string(&mut text).unwrap(),
        other => panic!("unexpected coding {other}"),
    };
    text
}

on_both_backends!(
    kept_pages_are_sent_in_the_coding_the_browser_asks_for,
    anonymous_pages_come_from_the_page_cache_with_a_validator,
    signed_in_pages_and_api_answers_are_not_stored,
    signing_in_and_out_is_not_stored,
    anonymous_catalog_pages_stay_cacheable,
);

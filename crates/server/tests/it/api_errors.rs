//! The HTTP plumbing as clients see it: problem+json for bad input, unknown
//! routes and methods, body limits, HTML error pages, request ids, security
//! headers, health checks and metrics.

use crate::common;

use common::{Backend, PASSWORD, Reply, TestClient, spawn, spawn_with};
use lyceum_platform::auth::Role;
use serde_json::json;

const REGISTER: &str = "/api/v1/auth/register";

async fn post_raw(client: &TestClient, path: &str, content_type: Option<&str>, body: &str) -> Reply {
    let mut req = client.http.post(client.url(path)).body(body.to_string());
    if let Some(ct) = content_type {
        req = req.header("content-type", ct);
    }
    client.raw(req).await
}

async fn malformed_json_is_a_bad_request(backend: Backend) {
    let app = spawn(backend).await;
    let client = app.client();
    for body in ["{\"email\": ", "not json", "", "{\"email\": \"a@example.org\",}"] {
        let reply = post_raw(&client, REGISTER, Some("application/json"), body).await;
        reply.assert_problem(400, "bad-request");
        let problem = reply.json();
        assert_eq!(problem["status"], 400);
        assert_eq!(problem["instance"], REGISTER);
        assert!(!problem["request_id"].as_str().unwrap().is_empty());
    }
    assert!(app.mails().await.is_empty());
    app.stop().await;
}

/// A body that is not one JSON value is a 400 even when its first value
/// already has the wrong type (the client must learn the body is broken, not
/// that `email` is), and even when a complete value comes first.
async fn broken_json_is_a_bad_request_whatever_comes_first(backend: Backend) {
    let app = spawn(backend).await;
    let client = app.client();
    for body in ["[1, 2", "{\"email\": 5", "{} trailing", "{\"email\": \"a@example.org\"} {\"email\": 1}"] {
        post_raw(&client, REGISTER, Some("application/json"), body).await.assert_problem(400, "bad-request");
    }
    app.stop().await;
}

async fn a_wrong_type_names_the_field(backend: Backend) {
    let app = spawn(backend).await;
    let client = app.client();
    let reply = client.post(REGISTER, json!({"email": 5, "password": PASSWORD, "display_name": "Five"})).await;
    reply.assert_problem(422, "validation");
    assert_eq!(reply.error_fields(), ["email"]);
    let reply = client.post("/api/v1/auth/login", json!({"email": "a@example.org", "password": ["x"]})).await;
    reply.assert_problem(422, "validation");
    assert_eq!(reply.error_fields(), ["password"]);
    let reply = client.post(REGISTER, json!(["not", "an", "object"])).await;
    reply.assert_problem(422, "validation");
    app.stop().await;
}

async fn missing_fields_are_all_listed(backend: Backend) {
    let app = spawn(backend).await;
    let client = app.client();
    let reply = client.post(REGISTER, json!({})).await;
    reply.assert_problem(422, "validation");
    let mut fields = reply.error_fields();
    fields.sort();
    assert_eq!(fields, ["display_name", "email", "password"]);
    for error in reply.json()["errors"].as_array().unwrap() {
        assert!(!error["message"].as_str().unwrap().is_empty(), "{error}");
    }
    let reply = client.post("/api/v1/auth/login", json!({})).await;
    reply.assert_problem(422, "validation");
    assert_eq!(reply.error_fields(), ["email", "password"]);
    app.stop().await;
}

async fn over_long_fields_are_refused(backend: Backend) {
    let app = spawn(backend).await;
    let client = app.client();
    let long_email = format!("{}@example.org", "a".repeat(250));
    let cases = [
        (json!({"email": "ok@example.org", "password": PASSWORD, "display_name": "n".repeat(81)}), "display_name"),
        (json!({"email": long_email, "password": PASSWORD, "display_name": "Long"}), "email"),
        (json!({"email": "ok@example.org", "password": "p".repeat(129), "display_name": "Long"}), "password"),
    ];
    for (body, field) in cases {
        let reply = client.post(REGISTER, body).await;
        reply.assert_problem(422, "validation");
        assert_eq!(reply.error_fields(), [field]);
    }
    let ok =
        client.post(REGISTER, json!({"email": "ok@example.org", "password": PASSWORD, "display_name": "n".repeat(80)}));
    assert_eq!(ok.await.status, 202);
    app.stop().await;
}

async fn profile_updates_are_validated(backend: Backend) {
    let app = spawn(backend).await;
    let (client, _) = app.signed_in("me@example.org", Role::Learner).await;
    let body = json!({"display_name": "n".repeat(81), "time_zone": "Mars/Olympus", "locale": "xx"});
    let reply = client.patch("/api/v1/users/me", body).await;
    reply.assert_problem(422, "validation");
    let mut fields = reply.error_fields();
    fields.sort();
    assert_eq!(fields, ["display_name", "locale", "time_zone"]);
    let me = client.get("/api/v1/users/me").await.json();
    assert_eq!((me["display_name"].as_str(), me["time_zone"].as_str()), (Some("Test User"), Some("UTC")));

    let ok = client.patch("/api/v1/users/me", json!({"display_name": " Ada ", "time_zone": "Europe/Paris"})).await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    assert_eq!((ok.json()["display_name"].as_str(), ok.json()["locale"].as_str()), (Some("Ada"), Some("en")));
    app.stop().await;
}

async fn a_body_without_json_content_type_is_unsupported(backend: Backend) {
    let app = spawn(backend).await;
    let client = app.client();
    let body = r#"{"email": "a@example.org", "password": "correct horse battery", "display_name": "A"}"#;
    post_raw(&client, REGISTER, None, body).await.assert_problem(415, "unsupported-media-type");
    post_raw(&client, REGISTER, Some("text/plain"), body).await.assert_problem(415, "unsupported-media-type");
    assert!(app.mails().await.is_empty());
    app.stop().await;
}

async fn unknown_api_routes_are_problems(backend: Backend) {
    let app = spawn(backend).await;
    let client = app.client();
    let reply = client.get("/api/v1/nope").await;
    reply.assert_problem(404, "not-found");
    assert_eq!(reply.json()["instance"], "/api/v1/nope");
    client.post("/api/v1/nope", json!({})).await.assert_problem(404, "not-found");
    app.stop().await;
}

/// A NUL in an address is refused before any handler: PostgreSQL cannot
/// compare a text holding one, so each id route would answer it its own way.
async fn a_nul_in_the_address_is_a_bad_request(backend: Backend) {
    let app = spawn(backend).await;
    let (client, _) = app.signed_in("nul@example.org", Role::Instructor).await;
    for path in [
        "/api/v1/courses/ab%00cd",
        "/api/v1/enrollments/status?course_id=%00",
        "/api/v1/questions/%00",
        "/api/v1/catalog/courses?q=rust%00",
    ] {
        let reply = client.get(path).await;
        reply.assert_problem(400, "bad-request");
        assert!(reply.json()["detail"].as_str().unwrap().contains("NUL"), "{path}: {}", reply.text);
    }
    let page = client.get("/courses/rust%00").await;
    assert_eq!(page.status, 400);
    assert!(page.header("content-type").starts_with("text/html"), "a page is refused with a page");
    assert_eq!(client.get("/api/v1/courses/ab%2500cd").await.status, 404, "an encoded percent sign is no NUL");
    app.stop().await;
}

async fn a_wrong_method_is_a_problem_with_allow(backend: Backend) {
    let app = spawn(backend).await;
    let client = app.client();
    let reply = client.delete("/api/v1/auth/login").await;
    reply.assert_problem(405, "method-not-allowed");
    assert!(reply.header("allow").contains("POST"), "Allow: {:?}", reply.header("allow"));
    let reply = client.get("/api/v1/auth/register").await;
    reply.assert_problem(405, "method-not-allowed");
    app.stop().await;
}

async fn head_is_answered_like_get(backend: Backend) {
    let app = spawn(backend).await;
    let (client, _) = app.signed_in("head@example.org", Role::Learner).await;
    let reply = client.send(reqwest::Method::HEAD, "/api/v1/users/me", None).await;
    assert_eq!(reply.status, 200, "{:?}", reply.headers);
    assert!(reply.text.is_empty());
    let reply = app.client().send(reqwest::Method::HEAD, "/api/v1/users/me", None).await;
    assert_eq!(reply.status, 401, "{:?}", reply.headers);
    app.stop().await;
}

async fn an_unknown_page_is_a_friendly_html_404(backend: Backend) {
    let app = spawn(backend).await;
    let reply = app.client().get("/no/such/page").await;
    assert_eq!(reply.status, 404);
    assert!(reply.header("content-type").starts_with("text/html"), "{}", reply.header("content-type"));
    let request_id = reply.header("x-request-id");
    assert!(!request_id.is_empty());
    assert!(reply.text.contains(request_id), "the page shows the request id {request_id}: {}", reply.text);
    assert!(reply.text.contains("<html"), "a full page: {}", reply.text);
    app.stop().await;
}

#[track_caller]
fn assert_standard_headers(reply: &Reply, what: &str) {
    assert!(!reply.header("x-request-id").is_empty(), "{what}: x-request-id");
    assert!(reply.header("content-security-policy").contains("default-src 'self'"), "{what}: CSP");
    assert_eq!(reply.header("x-content-type-options"), "nosniff", "{what}");
    assert!(!reply.header("referrer-policy").is_empty(), "{what}: referrer-policy");
    assert_eq!(reply.header("x-frame-options"), "DENY", "{what}");
}

async fn every_response_has_a_request_id_and_security_headers(backend: Backend) {
    let app = spawn(backend).await;
    let client = app.client();
    let replies = [
        ("home", client.get("/").await),
        ("livez", client.get("/livez").await),
        ("api 404", client.get("/api/v1/nope").await),
        ("page 404", client.get("/nope").await),
        ("405", client.delete("/api/v1/auth/login").await),
        ("401", client.get("/api/v1/users/me").await),
        ("422", client.post(REGISTER, json!({})).await),
        ("400", post_raw(&client, REGISTER, Some("application/json"), "{").await),
        ("openapi", client.get("/api/openapi.json").await),
    ];
    for (what, reply) in &replies {
        assert_standard_headers(reply, what);
    }
    let ids: std::collections::HashSet<&str> = replies.iter().map(|(_, r)| r.header("x-request-id")).collect();
    assert_eq!(ids.len(), replies.len(), "request ids are unique");
    let problem = &replies[2].1;
    assert_eq!(problem.json()["request_id"], problem.header("x-request-id"), "the body quotes the same id");
    app.stop().await;
}

async fn an_over_large_body_is_refused(backend: Backend) {
    let app = spawn_with(backend, |s| s.max_body_bytes = 1024).await;
    let client = app.client();
    let body = json!({"email": "big@example.org", "password": PASSWORD, "display_name": "x".repeat(2000)});
    let reply = client.post(REGISTER, body).await;
    reply.assert_problem(413, "payload-too-large");
    // Without a Content-Length (a chunked body), the limit still holds.
    let head = chunked_post(&app.url, REGISTER, &["{\"email\": \"", &"y".repeat(4096), "\"}"]).await;
    assert!(head.starts_with("HTTP/1.1 413"), "{head}");
    assert!(head.to_ascii_lowercase().contains("content-type: application/problem+json"), "{head}");
    let small = client.post(REGISTER, json!({"email": "small@example.org", "password": PASSWORD, "display_name": "S"}));
    assert_eq!(small.await.status, 202);
    app.stop().await;
}

/// Sends a JSON POST with `Transfer-Encoding: chunked`; returns the response head.
async fn chunked_post(base: &str, path: &str, chunks: &[&str]) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let mut request = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    for chunk in chunks {
        request.push_str(&format!("{:x}\r\n{chunk}\r\n", chunk.len()));
    }
    request.push_str("0\r\n\r\n");
    // The server may answer and close before reading everything; that is fine.
    let _ = stream.write_all(request.as_bytes()).await;
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response).await;
    let text = String::from_utf8_lossy(&response).to_string();
    text.split("\r\n\r\n").next().unwrap_or_default().to_string()
}

/// A client that sends its headers and one byte of a 100-byte body, then
/// stalls: when the request time is up it is told 408 and the connection is
/// closed. A handler that is itself slow (here: waiting for a lock the test
/// holds) still gets 503.
async fn a_stalled_body_is_a_request_timeout_and_a_slow_handler_unavailable(backend: Backend) {
    use sqlx::Connection;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = spawn_with(backend, |s| s.request_timeout_secs = 1).await;
    let addr = app.url.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let head = format!(
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{"
    );
    stream.write_all(head.as_bytes()).await.expect("send the head and one byte");
    let mut response = Vec::new();
    // The server closes the connection after its answer; the bound only keeps a broken server from hanging the test.
    tokio::time::timeout(std::time::Duration::from_secs(20), stream.read_to_end(&mut response))
        .await
        .expect("an answer, then the connection closed")
        .expect("read");
    let text = String::from_utf8_lossy(&response).to_ascii_lowercase();
    assert!(text.starts_with("http/1.1 408"), "{text}");
    assert!(text.contains("content-type: application/problem+json"), "{text}");
    assert!(text.contains("connection: close"), "{text}");
    assert!(text.contains("urn:lyceum:problem:request-timeout"), "{text}");

    let lock = hold_the_users_table(&app).await;
    let body = json!({"email": "slow@example.org", "password": PASSWORD, "display_name": "Slow"});
    app.client().post(REGISTER, body).await.assert_problem(503, "unavailable");
    // Released before the stop: the pool waits for the query left waiting on it.
    lock.close().await.expect("release the lock");
    app.stop().await;
}

/// A connection of the test's own that keeps writers (SQLite) or everyone
/// (PostgreSQL) away from `users` until it is dropped.
async fn hold_the_users_table(app: &common::TestApp) -> sqlx::AnyConnection {
    use sqlx::Connection;
    let mut conn = sqlx::AnyConnection::connect(app.state().settings.database_url.expose()).await.expect("connect");
    let lock = match app.state().db.backend() {
        lyceum_platform::db::Backend::Sqlite => "BEGIN IMMEDIATE",
        lyceum_platform::db::Backend::Postgres => "BEGIN; LOCK TABLE users IN ACCESS EXCLUSIVE MODE",
    };
    sqlx::raw_sql(lock).execute(&mut conn).await.expect(lock);
    conn
}

async fn health_checks_answer(backend: Backend) {
    let app = spawn(backend).await;
    let client = app.client();
    for path in ["/livez", "/readyz"] {
        let reply = client.get(path).await;
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.json()["status"], "ok", "{path}");
    }
    app.stop().await;
}

async fn metrics_count_requests_by_route_and_report_the_pool(backend: Backend) {
    let app = spawn(backend).await;
    let client = app.client();
    client.post("/api/v1/auth/login", json!({"email": "x@example.org", "password": "wrong password"})).await;
    client.get("/api/v1/tokens/unknown-route-param/nope").await;
    let _metrics = common::METRICS.lock().await;
    let reply = client.get("/metrics").await;
    assert_eq!(reply.status, 200);
    assert!(reply.header("content-type").starts_with("text/plain"));
    // The recorder is process-wide (other tests count too), so look for our labels.
    let labels = ["route=\"/api/v1/auth/login\"", "method=\"POST\"", "status=\"401\""];
    let counted =
        reply.text.lines().any(|l| l.starts_with("http_requests_total{") && labels.iter().all(|x| l.contains(x)));
    assert!(counted, "no login counter in:\n{}", reply.text);
    assert!(!reply.text.contains("unknown-route-param"), "raw paths never become labels");
    assert!(reply.text.contains("db_pool_connections{"), "{}", reply.text);
    assert!(reply.text.contains("http_request_duration_seconds_bucket{"), "{}", reply.text);
    app.stop().await;
}

on_both_backends!(
    malformed_json_is_a_bad_request,
    a_wrong_type_names_the_field,
    missing_fields_are_all_listed,
    over_long_fields_are_refused,
    profile_updates_are_validated,
    a_body_without_json_content_type_is_unsupported,
    unknown_api_routes_are_problems,
    an_unknown_page_is_a_friendly_html_404,
    every_response_has_a_request_id_and_security_headers,
    an_over_large_body_is_refused,
    health_checks_answer,
    metrics_count_requests_by_route_and_report_the_pool,
    a_wrong_method_is_a_problem_with_allow,
    a_nul_in_the_address_is_a_bad_request,
    head_is_answered_like_get,
    broken_json_is_a_bad_request_whatever_comes_first,
    a_stalled_body_is_a_request_timeout_and_a_slow_handler_unavailable,
);

//! One rule for a bearer token that is unknown, expired or revoked: every
//! `/api/` route answers 401 problem+json — the public ones as well — so no
//! program mistakes a dead token for the anonymous view.

use crate::common;

use common::{Backend, spawn};
use lyceum_platform::auth::Role;
use reqwest::Method;

const BAD: &str = "lyc_not-a-real-token";

#[track_caller]
fn assert_refused(reply: &common::Reply, what: &str) {
    assert_eq!(reply.status, 401, "{what}: {}", reply.text);
    assert_eq!(reply.header("content-type"), "application/problem+json", "{what}");
    assert!(reply.header("www-authenticate").starts_with("Bearer"), "{what}");
}

async fn public_operations_refuse_a_bad_token(backend: Backend) {
    let app = spawn(backend).await;
    let instructor = app.create_user("teacher@example.org", Role::Instructor).await;
    let bad = app.bearer_client(BAD);
    let profile = format!("/api/v1/users/{instructor}/profile");
    for (path, anonymous) in
        [("/api/v1/categories", 200), ("/api/v1/certificates/NO-SUCH-CODE", 404), (profile.as_str(), 200)]
    {
        assert_eq!(app.client().get(path).await.status, anonymous, "{path} is public without a token");
        assert_refused(&bad.get(path).await, path);
    }
    app.stop().await;
}

async fn a_revoked_token_is_refused_on_public_operations(backend: Backend) {
    let app = spawn(backend).await;
    let (owner, _) = app.signed_in("owner@example.org", Role::Learner).await;
    let (secret, id) = owner.create_token("script").await;
    assert_eq!(owner.delete(&format!("/api/v1/tokens/{id}")).await.status, 204);
    assert_refused(&app.bearer_client(&secret).get("/api/v1/categories").await, "revoked token");
    app.stop().await;
}

/// Every GET operation of the published document, path parameters filled with
/// an id that exists (a user's): none may answer 2xx to a bad token.
async fn no_get_operation_accepts_a_bad_token(backend: Backend) {
    let app = spawn(backend).await;
    let (_, user_id) = app.signed_in("someone@example.org", Role::Instructor).await;
    let doc = app.client().get("/api/openapi.json").await.json();
    let bad = app.bearer_client(BAD);
    let mut checked = 0;
    for (template, ops) in doc["paths"].as_object().expect("paths") {
        if ops.get("get").is_none() {
            continue;
        }
        let path = fill_path(template, &user_id);
        let reply = bad.send(Method::GET, &path, None).await;
        assert_refused(&reply, &path);
        checked += 1;
    }
    assert!(checked > 20, "the sweep saw only {checked} GET operations");
    app.stop().await;
}

/// `template` with every `{param}` replaced by `id`.
fn fill_path(template: &str, id: &str) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = rest[start..].find('}').map(|e| start + e + 1).unwrap_or(rest.len());
        out.push_str(id);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

on_both_backends!(
    public_operations_refuse_a_bad_token,
    a_revoked_token_is_refused_on_public_operations,
    no_get_operation_accepts_a_bad_token,
);

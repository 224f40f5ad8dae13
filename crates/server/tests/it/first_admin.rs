//! The first administrator's generated password works once: until the
//! account chooses its own, nothing else is reachable.

use crate::common;

use common::{Backend, PASSWORD, spawn};
use lyceum_accounts::service::admin;
use lyceum_platform::auth::Role;
use lyceum_platform::ids::UserId;
use serde_json::json;

async fn the_bootstrap_admin_must_change_its_password(backend: Backend) {
    let app = spawn(backend).await;
    let first = admin::find_by_email(app.state(), admin::FIRST_ADMIN_EMAIL).await.unwrap();
    assert!(first.password_change_due_at.is_some(), "the generated password is marked one-time");
    app.stop().await;
}

async fn the_api_refuses_everything_but_the_password_change(backend: Backend) {
    let app = spawn(backend).await;
    let (client, id) = app.signed_in("root@example.org", Role::Admin).await;
    admin::require_password_change(app.state(), &UserId::from(&id)).await.unwrap();

    client.get("/api/v1/tokens").await.assert_problem(403, "password-change-required");
    client.get("/api/v1/admin/users").await.assert_problem(403, "password-change-required");
    assert_eq!(client.get("/api/v1/users/me").await.status, 200, "who am I stays answerable");

    let changed = client
        .post("/api/v1/users/me/password", json!({"current_password": PASSWORD, "new_password": "my own secret words"}))
        .await;
    assert_eq!(changed.status, 204, "{}", changed.text);
    assert_eq!(client.get("/api/v1/tokens").await.status, 200);
    app.stop().await;
}

async fn pages_lead_to_the_password_form_until_it_is_changed(backend: Backend) {
    let app = spawn(backend).await;
    let (client, id) = app.signed_in("root@example.org", Role::Admin).await;
    admin::require_password_change(app.state(), &UserId::from(&id)).await.unwrap();

    let blocked = client.get("/admin/users").await;
    assert_eq!(blocked.status, 303);
    assert_eq!(blocked.header("location"), "/settings/password");
    let form = client.get("/settings/password").await;
    assert_eq!(form.status, 200);
    assert!(form.text.contains("Choose your own to continue."), "the reason is shown");

    let csrf = client.page_csrf("/settings/password").await;
    let same = [("csrf", csrf.as_str()), ("current_password", PASSWORD), ("new_password", PASSWORD)];
    let refused = client.form("/settings/password", &same).await;
    assert_eq!(refused.status, 422, "the one-time password cannot be kept");
    assert!(refused.text.contains("different from your current one"), "{}", refused.text);
    assert_eq!(client.get("/admin/users").await.status, 303, "still blocked");

    let csrf = client.page_csrf("/settings/password").await;
    let fields = [("csrf", csrf.as_str()), ("current_password", PASSWORD), ("new_password", "my own secret words")];
    assert_eq!(client.form("/settings/password", &fields).await.status, 303);
    assert_eq!(client.get("/admin/users").await.status, 200);
    app.stop().await;
}

on_both_backends!(
    the_bootstrap_admin_must_change_its_password,
    the_api_refuses_everything_but_the_password_change,
    pages_lead_to_the_password_form_until_it_is_changed,
);

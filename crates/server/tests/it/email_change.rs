//! Changing one's e-mail address: asked with the password, taken only when the
//! link mailed to the new address is opened, told to the old address; pages
//! and API, both backends.

use crate::common;

use common::{Backend, PASSWORD, Reply, TestClient, spawn};
use lyceum_platform::auth::Role;
use serde_json::json;

/// Posts the settings page's e-mail form.
async fn ask(client: &TestClient, csrf: &str, new: &str, password: &str) -> Reply {
    client.form("/settings/email", &[("csrf", csrf), ("new_email", new), ("email_password", password)]).await
}

async fn the_address_changes_when_the_new_one_confirms_it(backend: Backend) {
    let app = spawn(backend).await;
    let (client, _) = app.signed_in("ada@example.org", Role::Learner).await;
    let page = client.get("/settings/password").await;
    assert!(
        page.text.contains("<strong>ada@example.org</strong>") && page.text.contains(r#"action="/settings/email""#)
    );
    let csrf = client.page_csrf("/settings/password").await;
    let wrong = ask(&client, &csrf, "ada@new.example.org", "not my password").await;
    assert_eq!(wrong.status, 422);
    assert!(
        wrong.text.contains(r#"id="email_password-error""#) && wrong.text.contains("value=\"ada@new.example.org\"")
    );
    let same = ask(&client, &csrf, "ADA@example.org", PASSWORD).await;
    assert_eq!(same.status, 422);
    assert!(same.text.contains("This is already your address."), "{}", same.text);
    let bad = ask(&client, &csrf, "not an address", PASSWORD).await;
    assert!(bad.status == 422 && bad.text.contains(r#"id="new_email-error""#));

    let asked = ask(&client, &csrf, "ada@new.example.org", PASSWORD).await;
    assert_eq!((asked.status.as_u16(), asked.header("location")), (303, "/settings/password"));
    let token = app.last_token("ada@new.example.org", "/confirm-email").await;
    // Until the link is opened, nothing changes.
    assert_eq!(client.get("/api/v1/users/me").await.json()["email"], "ada@example.org");
    assert!(app.mails_to("ada@example.org").await.iter().all(|m| !m.subject.contains("was changed")));

    let opened = client.get(&format!("/confirm-email?token={token}")).await;
    assert_eq!((opened.status.as_u16(), opened.header("location")), (303, "/settings/password"));
    let settings = client.get("/settings/password").await.text;
    assert!(
        settings.contains("Your e-mail address has been changed.")
            && settings.contains("<strong>ada@new.example.org</strong>")
    );
    let notice = app.mails_to("ada@example.org").await.into_iter().find(|m| m.subject.contains("was changed"));
    let notice = notice.expect("the old address is told");
    assert!(notice.text.contains("changed to ada@new.example.org"), "{}", notice.text);
    assert_eq!(client.get(&format!("/confirm-email?token={token}")).await.status, 410, "the link works once");

    let mut fresh = app.client();
    assert_eq!(fresh.login("ada@new.example.org", PASSWORD).await.status, 200, "signs in with the new address");
    let old = app.client().post("/api/v1/auth/login", json!({"email": "ada@example.org", "password": PASSWORD})).await;
    assert_eq!(old.status, 401, "the old one no longer");
    app.stop().await;
}

async fn an_address_taken_meanwhile_is_a_conflict(backend: Backend) {
    let app = spawn(backend).await;
    let (client, _) = app.signed_in("grace@example.org", Role::Instructor).await;
    let asked = client
        .post("/api/v1/users/me/email", json!({"email": "hopper@example.org", "current_password": PASSWORD}))
        .await;
    assert_eq!(asked.status, 202, "{}", asked.text);
    let token = app.last_token("hopper@example.org", "/confirm-email").await;
    app.create_user("hopper@example.org", Role::Learner).await;
    let confirmed = app.client().post("/api/v1/auth/confirm-email", json!({"token": token})).await;
    confirmed.assert_problem(409, "conflict");
    assert_eq!(client.get("/api/v1/users/me").await.json()["email"], "grace@example.org", "nothing changed");
    let missing = app.client().post("/api/v1/auth/confirm-email", json!({"token": ""})).await;
    missing.assert_problem(422, "validation");
    app.stop().await;
}

on_both_backends!(the_address_changes_when_the_new_one_confirms_it, an_address_taken_meanwhile_is_a_conflict);

//! The account pages through a browser's eyes: urlencoded forms with the CSRF
//! field, 303 redirects (not followed), flash messages and re-rendered forms.

use crate::common;

use common::{Backend, PASSWORD, TestApp, TestClient, spawn};
use lyceum_platform::auth::Role;
use lyceum_platform::ids::UserId;

/// Fetches `path` for its CSRF token, then posts `fields` plus that token.
async fn submit(client: &TestClient, page: &str, action: &str, fields: &[(&str, &str)]) -> common::Reply {
    let csrf = client.page_csrf(page).await;
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    client.form(action, &all).await
}

#[track_caller]
fn assert_redirect(reply: &common::Reply, to: &str) {
    assert_eq!(reply.status, 303, "{}", reply.text);
    assert_eq!(reply.header("location"), to);
}

async fn sign_in(app: &TestApp, email: &str) -> TestClient {
    let client = app.client();
    let reply = submit(&client, "/login", "/login", &[("email", email), ("password", PASSWORD)]).await;
    assert_redirect(&reply, "/");
    client
}

async fn sign_up_verify_sign_in_and_out(backend: Backend) {
    let app = spawn(backend).await;
    let client = app.client();
    let form = client.get("/register").await;
    assert!(form.text.contains("autocomplete=\"new-password\"") && form.text.contains("for=\"display_name\""));
    let fields = [("email", "ada@example.org"), ("display_name", "Ada Lovelace"), ("password", PASSWORD)];
    assert_redirect(&submit(&client, "/register", "/register", &fields).await, "/check-email");
    let inbox = client.get("/check-email").await;
    assert!(inbox.status == 200 && inbox.text.contains("action=\"/verify-email/resend\""), "{}", inbox.text);

    // Opened in another browser (or by a mail scanner), the link confirms the
    // address and signs nobody in.
    let token = app.last_token("ada@example.org", "/verify-email").await;
    let elsewhere = app.client();
    let verified = elsewhere.get(&format!("/verify-email?token={token}")).await;
    assert_eq!(verified.status, 200, "{}", verified.text);
    assert!(verified.text.contains("E-mail address confirmed") && verified.text.contains("href=\"/login\""));
    assert!(verified.set_cookie("lyceum_session").is_none() && !elsewhere.get("/").await.text.contains("Ada Lovelace"));
    let again = client.get(&format!("/verify-email?token={token}")).await;
    assert_eq!(again.status, 410);
    assert!(again.text.contains("action=\"/verify-email/resend\""), "{}", again.text);
    assert_eq!(client.get("/verify-email").await.status, 410);

    let login = [("email", "Ada@Example.org"), ("password", PASSWORD)];
    assert_redirect(&submit(&client, "/login", "/login", &login).await, "/");
    let home = client.get("/").await;
    assert!(home.text.contains("Ada Lovelace"), "{}", home.text);

    assert_redirect(&submit(&client, "/", "/logout", &[]).await, "/");
    let home = client.get("/").await;
    assert!(!home.text.contains("Ada Lovelace") && home.text.contains("You are signed out."), "{}", home.text);

    // Opened in the browser that signed up, the link also signs in, once.
    let browser = app.client();
    let fields = [("email", "alan@example.org"), ("display_name", "Alan Turing"), ("password", PASSWORD)];
    let signed_up = submit(&browser, "/register", "/register", &fields).await;
    assert!(
        signed_up
            .set_cookie("lyceum_signup")
            .is_some_and(|c| c.contains("Path=/verify-email") && c.contains("HttpOnly"))
    );
    let token = app.last_token("alan@example.org", "/verify-email").await;
    assert_redirect(&browser.get(&format!("/verify-email?token={token}")).await, "/");
    let home = browser.get("/").await.text;
    assert!(home.contains("Alan Turing") && home.contains("you are signed in. Welcome to Lyceum!"), "{home}");
    app.stop().await;
}

async fn sign_up_errors_are_shown_by_their_fields(backend: Backend) {
    let app = spawn(backend).await;
    let client = app.client();
    let fields = [("email", "not-an-address"), ("display_name", "Grace"), ("password", "short")];
    let reply = submit(&client, "/register", "/register", &fields).await;
    assert_eq!(reply.status, 422, "{}", reply.text);
    assert!(reply.text.contains("<p class=\"field-error\" id=\"email-error\">"), "{}", reply.text);
    assert!(reply.text.contains("aria-describedby=\"password-hint password-error\""), "{}", reply.text);
    assert!(reply.text.contains("aria-invalid=\"true\""));
    assert!(reply.text.contains("value=\"not-an-address\"") && reply.text.contains("value=\"Grace\""));
    assert!(!reply.text.contains("value=\"short\""), "the password is never echoed");
    app.stop().await;
}

async fn wrong_password_keeps_the_email_not_the_password(backend: Backend) {
    let app = spawn(backend).await;
    app.create_user("grace@example.org", Role::Learner).await;
    let client = app.client();
    let fields = [("email", "grace@example.org"), ("password", "not my password")];
    let reply = submit(&client, "/login", "/login", &fields).await;
    assert_eq!(reply.status, 401, "{}", reply.text);
    assert!(reply.text.contains("role=\"alert\"") && reply.text.contains("Wrong e-mail address or password."));
    assert!(reply.text.contains("value=\"grace@example.org\""));
    assert!(!reply.text.contains("not my password"));
    assert!(reply.text.contains("href=\"/password-reset\"") && reply.text.contains("href=\"/register\""));
    let cookies: Vec<_> = reply.headers.get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).collect();
    assert!(!cookies.iter().any(|c| c.starts_with("lyceum_session=")), "{cookies:?}");
    app.stop().await;
}

async fn an_unconfirmed_address_is_offered_a_new_link(backend: Backend) {
    let app = spawn(backend).await;
    let client = app.client();
    let fields = [("email", "new@example.org"), ("display_name", "New"), ("password", PASSWORD)];
    submit(&client, "/register", "/register", &fields).await;
    let reply = submit(&client, "/login", "/login", &[("email", "new@example.org"), ("password", PASSWORD)]).await;
    assert_eq!(reply.status, 403, "{}", reply.text);
    assert!(reply.text.contains("Confirm your e-mail address first"), "{}", reply.text);
    assert!(reply.text.contains("action=\"/verify-email/resend\""));
    let resend = submit(&client, "/login", "/verify-email/resend", &[("email", "new@example.org")]).await;
    assert_redirect(&resend, "/check-email");
    assert_eq!(app.mails_to("new@example.org").await.len(), 2);
    app.stop().await;
}

async fn a_form_without_its_csrf_field_is_refused(backend: Backend) {
    let app = spawn(backend).await;
    app.create_user("csrf@example.org", Role::Learner).await;
    let client = app.client();
    client.get("/login").await; // gets the CSRF cookie, but the form omits the field
    let reply = client.form("/login", &[("email", "csrf@example.org"), ("password", PASSWORD)]).await;
    assert_eq!(reply.status, 403, "{}", reply.text);
    let reply =
        client.form("/register", &[("email", "x@example.org"), ("csrf", "forged-forged-forged-forged-forged")]).await;
    assert_eq!(reply.status, 403);
    app.stop().await;
}

async fn next_only_leads_to_this_site(backend: Backend) {
    let app = spawn(backend).await;
    app.create_user("next@example.org", Role::Learner).await;
    let client = app.client();
    let form = client.get("/login?next=//evil.example").await;
    assert!(form.text.contains("name=\"next\" value=\"/\""), "{}", form.text);
    let creds = [("email", "next@example.org"), ("password", PASSWORD)];
    for evil in ["//evil.example", "/\\evil.example", "https://evil.example/"] {
        let client = app.client();
        let reply = submit(&client, "/login", "/login", &[creds[0], creds[1], ("next", evil)]).await;
        assert_redirect(&reply, "/");
    }
    let client = app.client();
    let reply = submit(&client, "/login", "/login", &[creds[0], creds[1], ("next", "/settings/tokens")]).await;
    assert_redirect(&reply, "/settings/tokens");
    app.stop().await;
}

async fn signed_in_pages_send_visitors_to_sign_in(backend: Backend) {
    let app = spawn(backend).await;
    let client = app.client();
    for path in ["/settings/password", "/settings/tokens", "/admin/users"] {
        let next = path.replace('/', "%2F");
        assert_redirect(&client.get(path).await, &format!("/login?next={next}"));
    }
    let filtered = client.get("/admin/users?q=ada").await;
    assert_redirect(&filtered, "/login?next=%2Fadmin%2Fusers%3Fq%3Dada");
    let login = client.get("/login?next=%2Fsettings%2Ftokens").await;
    assert!(login.text.contains("name=\"next\" value=\"/settings/tokens\""), "{}", login.text);
    app.stop().await;
}

async fn change_password_checks_the_current_one(backend: Backend) {
    let app = spawn(backend).await;
    app.create_user("pw@example.org", Role::Learner).await;
    let client = sign_in(&app, "pw@example.org").await;
    let page = client.get("/settings/password").await;
    assert!(page.text.contains("href=\"/settings/tokens\"") && page.text.contains("autocomplete=\"current-password\""));
    let wrong = [("current_password", "nope nope nope"), ("new_password", "a brand new secret")];
    let reply = submit(&client, "/settings/password", "/settings/password", &wrong).await;
    assert_eq!(reply.status, 422, "{}", reply.text);
    assert!(reply.text.contains("id=\"current_password-error\""), "{}", reply.text);
    let right = [("current_password", PASSWORD), ("new_password", "a brand new secret")];
    assert_redirect(&submit(&client, "/settings/password", "/settings/password", &right).await, "/settings/password");
    assert!(client.get("/settings/password").await.text.contains("Password changed."));
    app.stop().await;
}

fn token_id(list: &str) -> String {
    let start = list.find("action=\"/settings/tokens/").expect("a revoke form") + "action=\"/settings/tokens/".len();
    list[start..].split('/').next().unwrap().to_string()
}

async fn a_token_secret_is_shown_once_and_can_be_revoked(backend: Backend) {
    let app = spawn(backend).await;
    let (client, _) = app.signed_in("tok@example.org", Role::Learner).await;
    let empty =
        submit(&client, "/settings/tokens", "/settings/tokens", &[("name", " "), ("expires_in_days", "")]).await;
    assert_eq!(empty.status, 422);
    assert!(empty.text.contains("id=\"name-error\""), "{}", empty.text);

    let fields = [("name", "deploy bot"), ("expires_in_days", "30")];
    let created = submit(&client, "/settings/tokens", "/settings/tokens", &fields).await;
    assert_eq!(created.status, 200, "{}", created.text);
    assert_eq!(created.header("cache-control"), "no-store");
    let start = created.text.find("value=\"lyc_").expect("the secret is shown") + "value=\"".len();
    let secret = created.text[start..].split('"').next().unwrap().to_string();
    assert!(created.text.contains("data-select-on-focus") && created.text.contains("it will not be shown again"));

    let list = client.get("/settings/tokens").await;
    assert!(list.text.contains("deploy bot") && list.text.contains(&secret[..10]), "{}", list.text);
    assert!(!list.text.contains(&secret), "the list never shows the secret");
    assert!(list.text.contains("data-confirm="));
    let mut bearer = app.client();
    bearer.bearer = Some(secret);
    assert_eq!(bearer.get("/api/v1/users/me").await.status, 200);

    let revoke =
        submit(&client, "/settings/tokens", &format!("/settings/tokens/{}/revoke", token_id(&list.text)), &[]).await;
    assert_redirect(&revoke, "/settings/tokens");
    let list = client.get("/settings/tokens").await;
    assert!(!list.text.contains("deploy bot") && list.text.contains("The token has been revoked."));
    assert_eq!(bearer.get("/api/v1/users/me").await.status, 401);
    app.stop().await;
}

async fn user_admin_is_for_admins(backend: Backend) {
    let app = spawn(backend).await;
    let (learner, learner_id) = app.signed_in("learner@example.org", Role::Learner).await;
    assert_eq!(learner.get("/admin/users").await.status, 403);
    let (admin, admin_id) = app.signed_in("boss@example.org", Role::Admin).await;
    let list = admin.get("/admin/users").await;
    assert_eq!(list.status, 200, "{}", list.text);
    assert!(list.text.contains("learner@example.org") && list.text.contains("badge-admin"));
    let found = admin.get("/admin/users?q=learner&role=learner&status=enabled").await;
    assert!(found.text.contains("learner@example.org") && !found.text.contains("boss@example.org"));

    let first = admin.get("/admin/users?limit=1").await;
    let start = first.text.find("href=\"/admin/users?").expect("next link") + "href=\"".len();
    let next = first.text[start..].split('"').next().unwrap().replace("&#38;", "&");
    assert!(next.contains("cursor=") && next.contains("limit=1"), "{next}");
    assert!(!first.text.contains("learner@example.org"), "newest first: {}", first.text);
    let second = admin.get(&next).await.text;
    assert!(second.contains("learner@example.org") && !second.contains("boss@example.org"), "{second}");

    let role = [("role", "instructor"), ("back", "/admin/users?q=learner")];
    let changed = submit(&admin, "/admin/users", &format!("/admin/users/{learner_id}/role"), &role).await;
    assert_redirect(&changed, "/admin/users?q=learner");
    let user = lyceum_accounts::service::admin::get(app.state(), &UserId::from(&learner_id)).await.unwrap();
    assert_eq!(user.role(), Role::Instructor);
    let off = [("disabled", "true"), ("back", "https://evil.example/")];
    let disabled = submit(&admin, "/admin/users", &format!("/admin/users/{learner_id}/status"), &off).await;
    assert_redirect(&disabled, "/admin/users");
    assert!(admin.get("/admin/users").await.text.contains("badge-disabled"));
    assert_eq!(learner.get("/settings/tokens").await.status, 303, "the disabled learner is signed out");

    let own = submit(&admin, "/admin/users", &format!("/admin/users/{admin_id}/role"), &[("role", "learner")]).await;
    assert_redirect(&own, "/admin/users");
    assert!(admin.get("/admin/users").await.text.contains("flash-error"));
    app.stop().await;
}

async fn password_reset_through_the_pages(backend: Backend) {
    let app = spawn(backend).await;
    app.create_user("reset@example.org", Role::Learner).await;
    let client = app.client();
    for email in ["reset@example.org", "nobody@example.org"] {
        let reply = submit(&client, "/password-reset", "/password-reset", &[("email", email)]).await;
        assert_redirect(&reply, "/check-email-reset");
    }
    assert!(client.get("/check-email-reset").await.text.contains("If an account uses that address"));

    let token = app.last_token("reset@example.org", "/password-reset/confirm").await;
    let link = format!("/password-reset/confirm?token={token}");
    let form = client.get(&link).await;
    assert_eq!(form.status, 200, "{}", form.text);
    let short = submit(&client, &link, "/password-reset/confirm", &[("token", &token), ("password", "short")]).await;
    assert_eq!(short.status, 422);
    assert!(short.text.contains("id=\"password-error\""), "{}", short.text);
    let fields = [("token", token.as_str()), ("password", "a fresh passphrase")];
    assert_redirect(&submit(&client, &link, "/password-reset/confirm", &fields).await, "/login");

    let used = client.get(&link).await;
    assert_eq!(used.status, 410);
    assert!(used.text.contains("href=\"/password-reset\""), "{}", used.text);
    assert_eq!(submit(&client, "/login", "/password-reset/confirm", &fields).await.status, 410);
    let login = [("email", "reset@example.org"), ("password", "a fresh passphrase")];
    assert_redirect(&submit(&client, "/login", "/login", &login).await, "/");
    app.stop().await;
}

/// Every settings tab is one page of "Settings": the same heading, and a
/// title that names the tab and then the settings.
async fn settings_tabs_share_their_heading_and_title(backend: Backend) {
    let app = spawn(backend).await;
    let (client, _) = app.signed_in("grace@example.org", Role::Learner).await;
    let tabs = [
        ("/settings/profile", "Your profile"),
        ("/settings/password", "Change password"),
        ("/settings/sessions", "Where you&#39;re signed in"),
        ("/settings/tokens", "API tokens"),
        ("/settings/notifications", "Notifications"),
    ];
    for (path, tab) in tabs {
        let page = client.get(path).await;
        assert_eq!(page.status, 200, "{path}");
        assert!(page.text.contains("<h1>Settings</h1>"), "{path}");
        assert!(page.text.contains(&format!("<title>{tab} · Settings · Lyceum</title>")), "{path}: {}", page.text);
    }
    app.stop().await;
}

on_both_backends!(
    sign_up_verify_sign_in_and_out,
    sign_up_errors_are_shown_by_their_fields,
    wrong_password_keeps_the_email_not_the_password,
    an_unconfirmed_address_is_offered_a_new_link,
    a_form_without_its_csrf_field_is_refused,
    next_only_leads_to_this_site,
    signed_in_pages_send_visitors_to_sign_in,
    change_password_checks_the_current_one,
    a_token_secret_is_shown_once_and_can_be_revoked,
    user_admin_is_for_admins,
    settings_tabs_share_their_heading_and_title,
    password_reset_through_the_pages,
);

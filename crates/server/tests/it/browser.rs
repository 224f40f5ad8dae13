//! End-to-end test in a real headless Chromium (see `browser_kit`): sign up →
//! verify the e-mail address → sign in → edit the profile, plus an axe-core
//! accessibility check of the main pages; on both backends.

use crate::{browser_kit, common};

use browser_kit::{check_accessibility, field, header_text, poll, submit_form_of, type_into, with_browser};
use common::{Backend, PASSWORD, TestApp, spawn};
use fantoccini::{Client, Locator};

on_both_backends!(sign_up_verify_sign_in_and_edit_profile_in_a_browser);

async fn sign_up_verify_sign_in_and_edit_profile_in_a_browser(backend: Backend) {
    let app = spawn(backend).await;
    with_browser(async |browser: &Client, axe: Option<&str>| scenario(&app, browser, axe).await).await;
    app.stop().await;
}

async fn scenario(app: &TestApp, c: &Client, axe: Option<&str>) {
    let base = app.url.as_str();
    let email = "ada@example.com";
    let name = "Ada Lovelace";
    let new_name = "Ada King";
    let new_bio = "Wrote the first published program, for the Analytical Engine.";

    // Accessibility of the pages a visitor sees.
    if let Some(axe) = axe {
        for path in ["/", "/register", "/login"] {
            c.goto(&format!("{base}{path}")).await.expect("open page");
            check_accessibility(c, axe, path).await;
        }
    }

    // Sign up.
    c.goto(&format!("{base}/register")).await.expect("open /register");
    type_into(c, "email", email).await;
    type_into(c, "display_name", name).await;
    type_into(c, "password", PASSWORD).await;
    // A confirmation field, should the form have one, gets the same password.
    for field in c.find_all(Locator::Css("input[type='password']:not([name='password'])")).await.unwrap_or_default() {
        field.send_keys(PASSWORD).await.expect("type password confirmation");
    }
    submit_form_of(c, "email").await;

    // Verify the address with the link from the e-mail.
    let token = poll(c, "the verification e-mail", move || async move {
        let mailed = app.mails_to(email).await.iter().any(|m| m.text.contains("/verify-email"));
        match mailed {
            true => Some(app.last_token(email, "/verify-email").await),
            false => None,
        }
    })
    .await;
    c.goto(&format!("{base}/verify-email?token={token}")).await.expect("open verification link");

    // The browser that signed up is signed in by its link.
    poll(c, "the display name in the page header after opening the link", move || async move {
        header_text(c).await.contains(name).then_some(())
    })
    .await;
    c.delete_all_cookies().await.expect("forget the session");

    // Sign in.
    c.goto(&format!("{base}/login")).await.expect("open /login");
    type_into(c, "email", email).await;
    type_into(c, "password", PASSWORD).await;
    submit_form_of(c, "email").await;
    poll(c, "the display name in the page header after signing in", move || async move {
        header_text(c).await.contains(name).then_some(())
    })
    .await;

    // Edit the profile.
    c.goto(&format!("{base}/settings/profile")).await.expect("open /settings/profile");
    let name_input = field(c, "display_name").await;
    name_input.clear().await.expect("clear display name");
    name_input.send_keys(new_name).await.expect("type display name");
    let bio = c.find(Locator::Css("textarea[name='bio']")).await.expect("a bio textarea");
    bio.clear().await.expect("clear bio");
    bio.send_keys(new_bio).await.expect("type bio");
    submit_form_of(c, "display_name").await;
    poll(c, "the new display name in the page header", move || async move {
        header_text(c).await.contains(new_name).then_some(())
    })
    .await;
    let status = c.find(Locator::Css("[role='status']")).await.expect("a status message after saving the profile");
    let class = status.attr("class").await.expect("class attribute").unwrap_or_default();
    let text = status.text().await.expect("status text");
    assert!(
        class.contains("success") && !text.trim().is_empty(),
        "expected a success message, got {class:?}: {text:?}"
    );
    assert!(!header_text(c).await.contains(name), "the old display name is still in the header");
    let bio_now = c.find(Locator::Css("textarea[name='bio']")).await.expect("bio textarea").prop("value").await;
    assert_eq!(bio_now.expect("bio value").as_deref(), Some(new_bio), "the bio was not saved");

    if let Some(axe) = axe {
        check_accessibility(c, axe, "/settings/profile").await;
        for path in [
            "/settings/password",
            "/settings/sessions",
            "/settings/tokens",
            "/settings/notifications",
            "/notifications",
        ] {
            c.goto(&format!("{base}{path}")).await.expect("open page");
            check_accessibility(c, axe, path).await;
        }
    }
}

//! Settings → Password and e-mail: change the password; change the address
//! (a link to the new one confirms it, `/confirm-email`).

use askama::Template;
use axum::{extract::State, response::Response};
use lyceum_platform::{
    AppResult, AppState,
    auth::Viewer,
    http::extract::{ApiQuery, PageForm},
    web::{FlashKind, FormErrors, Page, Refused, Reply, redirect_with_flash},
};
use serde::Deserialize;

use super::forms::{TokenQuery, refused};
use crate::service::{
    Client, email_change,
    identity::{self, PasswordChange},
};
use lyceum_platform::web::guard::SignedIn;

#[derive(Template)]
#[template(path = "accounts/settings_password.html")]
struct PasswordPage {
    page: Page,
    errors: FormErrors,
    /// The account's address.
    email: String,
    email_errors: FormErrors,
    new_email: String,
}

impl PasswordPage {
    fn new(page: Page, viewer: &Viewer) -> Self {
        let email = viewer.email.clone();
        Self { page, errors: FormErrors::none(), email, email_errors: FormErrors::none(), new_email: String::new() }
    }
}

pub async fn form(SignedIn { page, viewer }: SignedIn) -> AppResult<Response> {
    Reply::OK.render(&PasswordPage::new(page, &viewer))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PasswordForm {
    current_password: String,
    new_password: String,
    /// The "keep my API tokens working" checkbox: unchecked (absent) revokes them.
    keep_tokens: Option<String>,
}

/// Other sessions are signed out and API tokens revoked (unless the user ticks
/// "keep my API tokens"); this session stays.
pub async fn change(
    State(state): State<AppState>,
    SignedIn { page, viewer }: SignedIn,
    PageForm(form): PageForm<PasswordForm>,
) -> AppResult<Response> {
    let change = PasswordChange {
        current: &form.current_password,
        new: &form.new_password,
        revoke_tokens: form.keep_tokens.is_none(),
    };
    match identity::change_password(&state, &viewer, change).await {
        Ok(()) => Ok(redirect_with_flash("/settings/password", FlashKind::Success, "accounts.flash.password_changed")),
        Err(e) => {
            let Refused { errors, reply, .. } = refused(&page, e)?;
            reply.render(&PasswordPage { errors, ..PasswordPage::new(page, &viewer) })
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EmailForm {
    new_email: String,
    email_password: String,
}

/// Asks for the change: a link goes to the new address.
pub async fn change_email(
    State(state): State<AppState>,
    SignedIn { page, viewer }: SignedIn,
    client: Client,
    PageForm(form): PageForm<EmailForm>,
) -> AppResult<Response> {
    match email_change::request(&state, &viewer, &form.new_email, &form.email_password, &client).await {
        Ok(()) => Ok(redirect_with_flash("/settings/password", FlashKind::Success, "accounts.flash.email_change_sent")),
        Err(e) => {
            let Refused { mut errors, reply, .. } = refused(&page, e)?;
            // The service names the API's fields; this form's differ from the password form's.
            for f in &mut errors.fields {
                f.field = match f.field.as_str() {
                    "email" => "new_email".into(),
                    "current_password" => "email_password".into(),
                    other => other.into(),
                };
            }
            let view =
                PasswordPage { email_errors: errors, new_email: form.new_email, ..PasswordPage::new(page, &viewer) };
            reply.render(&view)
        }
    }
}

/// The link from the e-mail: the address changes; signed in, back to the
/// settings, else to sign in (with the new address).
pub async fn confirm_email(
    State(state): State<AppState>,
    page: Page,
    ApiQuery(q): ApiQuery<TokenQuery>,
) -> AppResult<Response> {
    email_change::confirm(&state, &q.token).await?;
    let next = if page.viewer.is_some() { "/settings/password" } else { "/login" };
    Ok(redirect_with_flash(next, FlashKind::Success, "accounts.flash.email_changed"))
}

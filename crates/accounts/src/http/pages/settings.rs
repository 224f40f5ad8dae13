//! Settings → Password.

use askama::Template;
use axum::{extract::State, response::Response};
use lyceum_platform::{
    AppResult, AppState,
    http::extract::PageForm,
    web::{FlashKind, FormErrors, Page, Refused, Reply, redirect_with_flash},
};
use serde::Deserialize;

use super::forms::refused;
use crate::service::identity::{self, PasswordChange};
use lyceum_platform::web::guard::SignedIn;

#[derive(Template)]
#[template(path = "accounts/settings_password.html")]
struct PasswordPage {
    page: Page,
    errors: FormErrors,
}

pub async fn form(SignedIn { page, .. }: SignedIn) -> AppResult<Response> {
    Reply::OK.render(&PasswordPage { page, errors: FormErrors::none() })
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
            reply.render(&PasswordPage { page, errors })
        }
    }
}

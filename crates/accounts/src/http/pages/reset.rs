//! Forgotten password: ask for a link, then choose a new password with it.

use askama::Template;
use axum::{
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use lyceum_platform::{
    AppResult, AppState,
    http::{
        client::Client,
        extract::{ApiQuery, PageForm},
    },
    web::{FlashKind, FormErrors, Page, Refused, Reply, redirect_with_flash},
};
use serde::Deserialize;

use super::forms::{EmailForm, TokenQuery, refused};
use crate::{AccountError, service::links};

#[derive(Template)]
#[template(path = "accounts/reset_request.html")]
struct RequestPage {
    page: Page,
    errors: FormErrors,
    email: String,
}

pub async fn request_form(page: Page) -> AppResult<Response> {
    Reply::OK.render(&RequestPage { page, errors: FormErrors::none(), email: String::new() })
}

/// The answer is the same whether or not the address has an account.
pub async fn request(
    State(state): State<AppState>,
    page: Page,
    client: Client,
    PageForm(form): PageForm<EmailForm>,
) -> AppResult<Response> {
    match links::request_reset(&state, &form.email, &client).await {
        Ok(()) => Ok(Redirect::to("/check-email-reset").into_response()),
        Err(e) => {
            let Refused { errors, reply, .. } = refused(&page, e)?;
            reply.render(&RequestPage { page, errors, email: form.email })
        }
    }
}

#[derive(Template)]
#[template(path = "accounts/reset_sent.html")]
struct SentPage {
    page: Page,
}

pub async fn sent(page: Page) -> AppResult<Response> {
    Reply::OK.render(&SentPage { page })
}

#[derive(Template)]
#[template(path = "accounts/reset_confirm.html")]
struct ConfirmPage {
    page: Page,
    errors: FormErrors,
    token: String,
}

#[derive(Template)]
#[template(path = "accounts/reset_expired.html")]
struct ExpiredPage {
    page: Page,
}

fn expired(page: Page) -> AppResult<Response> {
    Reply::status(StatusCode::GONE).render(&ExpiredPage { page })
}

pub async fn confirm_form(
    State(state): State<AppState>,
    page: Page,
    ApiQuery(q): ApiQuery<TokenQuery>,
) -> AppResult<Response> {
    if q.token.is_empty() || !links::reset_link_is_live(&state, &q.token).await? {
        return expired(page);
    }
    Reply::OK.render(&ConfirmPage { page, errors: FormErrors::none(), token: q.token })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ConfirmForm {
    token: String,
    password: String,
}

pub async fn confirm(
    State(state): State<AppState>,
    page: Page,
    PageForm(form): PageForm<ConfirmForm>,
) -> AppResult<Response> {
    if form.token.is_empty() {
        return expired(page);
    }
    match links::reset_password(&state, &form.token, &form.password).await {
        Ok(()) => Ok(redirect_with_flash("/login", FlashKind::Success, "accounts.flash.password_reset")),
        Err(AccountError::LinkExpired) => expired(page),
        Err(e) => {
            let Refused { errors, reply, .. } = refused(&page, e.into())?;
            reply.render(&ConfirmPage { page, errors, token: form.token })
        }
    }
}

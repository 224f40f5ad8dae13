//! Signing in and out.

use askama::Template;
use axum::{
    extract::State,
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::CookieJar;
use lyceum_platform::{
    AppResult, AppState,
    http::{
        client::Client,
        extract::{ApiQuery, PageForm},
    },
    web::{FlashKind, FormErrors, Page, Refused, Reply, redirect_with_flash},
};
use serde::Deserialize;

use super::forms::{refused_login, safe_next};
use crate::{LoginError, http::cookies, service::session};

#[derive(Template)]
#[template(path = "accounts/login.html")]
struct LoginPage {
    page: Page,
    errors: FormErrors,
    email: String,
    next: String,
    /// The account exists but its address is not confirmed: offer a new link.
    unverified: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NextQuery {
    next: Option<String>,
}

pub async fn login_form(page: Page, ApiQuery(q): ApiQuery<NextQuery>) -> AppResult<Response> {
    let next = safe_next(q.next.as_deref());
    if page.signed_in() {
        return Ok(Redirect::to(&next).into_response());
    }
    Reply::OK.render(&LoginPage { page, errors: FormErrors::none(), email: String::new(), next, unverified: false })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LoginForm {
    email: String,
    password: String,
    next: Option<String>,
}

pub async fn login(
    State(state): State<AppState>,
    page: Page,
    client: Client,
    jar: CookieJar,
    PageForm(form): PageForm<LoginForm>,
) -> AppResult<Response> {
    let next = safe_next(form.next.as_deref());
    match session::login(&state, &form.email, &form.password, &client).await {
        Ok(new) => Ok((cookies::set_session(jar, &state, &new), Redirect::to(&next)).into_response()),
        Err(e) => {
            let unverified = matches!(e, LoginError::Unverified);
            let Refused { errors, reply, .. } = refused_login(&page, e)?;
            reply.render(&LoginPage { page, errors, email: form.email, next, unverified })
        }
    }
}

pub async fn logout(State(state): State<AppState>, page: Page, jar: CookieJar) -> AppResult<Response> {
    if let Some(viewer) = &page.viewer {
        session::logout(&state, &viewer.credential).await?;
    }
    let redirect = redirect_with_flash("/", FlashKind::Success, "accounts.flash.signed_out");
    Ok((cookies::clear_session(jar), redirect).into_response())
}

//! Sign-up, "check your inbox", and the e-mail verification link.

use askama::Template;
use axum::{
    extract::State,
    http::StatusCode,
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

use super::forms::{EmailForm, TokenQuery, refused};
use crate::{
    AccountError,
    http::cookies,
    service::{self, links, register::RegisterInput, session},
};

#[derive(Template)]
#[template(path = "accounts/register.html")]
struct RegisterPage {
    page: Page,
    errors: FormErrors,
    email: String,
    display_name: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RegisterForm {
    email: String,
    display_name: String,
    password: String,
}

pub async fn register_form(page: Page) -> AppResult<Response> {
    let tpl = RegisterPage { page, errors: FormErrors::none(), email: String::new(), display_name: String::new() };
    Reply::OK.render(&tpl)
}

pub async fn register(
    State(state): State<AppState>,
    page: Page,
    client: Client,
    jar: CookieJar,
    PageForm(form): PageForm<RegisterForm>,
) -> AppResult<Response> {
    let input = RegisterInput {
        email: form.email.clone(),
        password: form.password,
        display_name: form.display_name.clone(),
        locale: page.locale,
    };
    match service::register(&state, input, &client).await {
        Ok(()) if state.settings.auth.require_verified_email => {
            let jar = match links::remember_signup_browser(&state, &form.email).await {
                Some(secret) => cookies::set_signup(jar, &state, &secret),
                None => jar,
            };
            Ok((jar, Redirect::to("/check-email")).into_response())
        }
        Ok(()) => Ok(redirect_with_flash("/login", FlashKind::Success, "accounts.flash.registered")),
        Err(e) => {
            let Refused { errors, reply, .. } = refused(&page, e)?;
            reply.render(&RegisterPage { page, errors, email: form.email, display_name: form.display_name })
        }
    }
}

/// "We sent you a link", with a form to send another.
#[derive(Template)]
#[template(path = "accounts/check_email.html")]
struct CheckEmailPage {
    page: Page,
    errors: FormErrors,
    email: String,
}

pub async fn check_email(page: Page) -> AppResult<Response> {
    Reply::OK.render(&CheckEmailPage { page, errors: FormErrors::none(), email: String::new() })
}

pub async fn resend(
    State(state): State<AppState>,
    page: Page,
    client: Client,
    PageForm(form): PageForm<EmailForm>,
) -> AppResult<Response> {
    match links::resend_verification(&state, &form.email, &client).await {
        Ok(()) => Ok(redirect_with_flash("/check-email", FlashKind::Success, "accounts.flash.verification_sent")),
        Err(e) => {
            let Refused { errors, reply, .. } = refused(&page, e)?;
            reply.render(&CheckEmailPage { page, errors, email: form.email })
        }
    }
}

#[derive(Template)]
#[template(path = "accounts/verified.html")]
struct VerifiedPage {
    page: Page,
    email: String,
}

/// The link could not be used: say so kindly and offer a new one.
#[derive(Template)]
#[template(path = "accounts/verify_expired.html")]
struct VerifyExpiredPage {
    page: Page,
    errors: FormErrors,
    email: String,
}

pub async fn verify(
    State(state): State<AppState>,
    page: Page,
    client: Client,
    jar: CookieJar,
    ApiQuery(q): ApiQuery<TokenQuery>,
) -> AppResult<Response> {
    let expired = |page: Page| {
        let tpl = VerifyExpiredPage { page, errors: FormErrors::none(), email: String::new() };
        Reply::status(StatusCode::GONE).render(&tpl)
    };
    if q.token.is_empty() {
        return expired(page);
    }
    let user = match links::verify_email(&state, &q.token).await {
        Ok(user) => user,
        Err(AccountError::LinkExpired) => return expired(page),
        Err(e) => return Err(e.into()),
    };
    // The browser that signed up is signed in; any other only confirms.
    let secret = jar.get(cookies::SIGNUP_COOKIE).map(|c| c.value().to_string());
    match secret {
        Some(secret) if links::is_signup_browser(&state, &secret, &user).await => {
            let session = session::open_session(&state, user, &client).await?;
            let jar = cookies::clear_signup(cookies::set_session(jar, &state, &session));
            let welcome = redirect_with_flash("/", FlashKind::Success, "accounts.flash.verified_signed_in");
            Ok((jar, welcome).into_response())
        }
        _ => Reply::OK.render(&VerifiedPage { page, email: user.email }),
    }
}

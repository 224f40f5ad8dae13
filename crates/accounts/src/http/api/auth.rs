use axum::{Extension, Json, extract::State, http::StatusCode, response::IntoResponse};
use axum_extra::extract::CookieJar;
use lyceum_platform::{
    AppResult, AppState,
    auth::MaybeUser,
    http::{client::Client, errors::Problem, extract::ApiJson},
    web::csrf::CsrfToken,
};

use super::dto::*;
use crate::{
    http::cookies,
    service::{self, email_change, links, register::RegisterInput, session},
};

const CHECK_INBOX: Accepted = Accepted {
    status: "accepted",
    message: "If the address can receive it, an e-mail with a link is on its way. Check your inbox.",
};

/// Create a learner account; a verification link is e-mailed.
///
/// Always answers 202, whether or not the address was already registered (the
/// owner of a registered address gets an e-mail instead).
#[utoipa::path(post, path = "/api/v1/auth/register", tag = "auth", request_body = RegisterBody,
    responses((status = 202, body = Accepted), (status = 422, body = Problem), (status = 429, body = Problem)))]
pub async fn register(
    State(state): State<AppState>,
    client: Client,
    headers: axum::http::HeaderMap,
    ApiJson(body): ApiJson<RegisterBody>,
) -> AppResult<impl IntoResponse> {
    let accept = headers.get(axum::http::header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let locale = lyceum_platform::web::i18n::negotiate(accept);
    let input = RegisterInput { email: body.email, password: body.password, display_name: body.display_name, locale };
    service::register(&state, input, &client).await?;
    Ok((StatusCode::ACCEPTED, Json(CHECK_INBOX)))
}

/// Sign in: sets the session cookie and returns the user and CSRF token.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginBody,
    responses((status = 200, body = LoginResponse), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, body = Problem), (status = 429, body = Problem)))]
pub async fn login(
    State(state): State<AppState>,
    client: Client,
    Extension(csrf): Extension<CsrfToken>,
    jar: CookieJar,
    ApiJson(body): ApiJson<LoginBody>,
) -> AppResult<impl IntoResponse> {
    let new = session::login(&state, &body.email, &body.password, &client).await?;
    let jar = cookies::set_session(jar, &state, &new);
    Ok((jar, Json(LoginResponse { user: new.user.into(), csrf_token: csrf.value().to_string() })))
}

/// Sign out: ends the current browser session.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", responses((status = 204)))]
pub async fn logout(
    State(state): State<AppState>,
    MaybeUser(viewer): MaybeUser,
    jar: CookieJar,
) -> AppResult<impl IntoResponse> {
    if let Some(viewer) = viewer {
        session::logout(&state, &viewer.credential).await?;
    }
    Ok((cookies::clear_session(jar), StatusCode::NO_CONTENT))
}

/// Confirm an e-mail address with the token from the verification link.
#[utoipa::path(post, operation_id = "verify_email", path = "/api/v1/auth/verify", tag = "auth", request_body = TokenBody,
    responses((status = 200, body = UserDto), (status = 410, description = "expired or used", body = Problem)))]
pub async fn verify(State(state): State<AppState>, ApiJson(body): ApiJson<TokenBody>) -> AppResult<Json<UserDto>> {
    Ok(Json(links::verify_email(&state, &body.token).await?.into()))
}

/// Confirm a new address with the token from the change link: the account
/// takes it (409 when another account took it meanwhile).
#[utoipa::path(post, path = "/api/v1/auth/confirm-email", tag = "auth", request_body = TokenBody,
    responses((status = 200, body = UserDto), (status = 409, body = Problem),
        (status = 410, description = "expired or used", body = Problem), (status = 422, body = Problem)))]
pub async fn confirm_email(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<TokenBody>,
) -> AppResult<Json<UserDto>> {
    Ok(Json(email_change::confirm(&state, &body.token).await?.into()))
}

/// Send a new verification link to an unconfirmed address.
#[utoipa::path(post, path = "/api/v1/auth/verify/resend", tag = "auth", request_body = EmailBody,
    responses((status = 202, body = Accepted), (status = 422, body = Problem), (status = 429, body = Problem)))]
pub async fn resend_verification(
    State(state): State<AppState>,
    client: Client,
    ApiJson(body): ApiJson<EmailBody>,
) -> AppResult<impl IntoResponse> {
    links::resend_verification(&state, &body.email, &client).await?;
    Ok((StatusCode::ACCEPTED, Json(CHECK_INBOX)))
}

/// Ask for a password-reset link. Answers the same for unknown addresses.
#[utoipa::path(post, operation_id = "request_password_reset", path = "/api/v1/auth/password-reset", tag = "auth", request_body = EmailBody,
    responses((status = 202, body = Accepted), (status = 422, body = Problem), (status = 429, body = Problem)))]
pub async fn request_reset(
    State(state): State<AppState>,
    client: Client,
    ApiJson(body): ApiJson<EmailBody>,
) -> AppResult<impl IntoResponse> {
    links::request_reset(&state, &body.email, &client).await?;
    Ok((StatusCode::ACCEPTED, Json(CHECK_INBOX)))
}

/// Set a new password with the token from the reset link. Signs out everywhere.
#[utoipa::path(post, operation_id = "confirm_password_reset", path = "/api/v1/auth/password-reset/confirm", tag = "auth", request_body = ResetConfirmBody,
    responses((status = 204), (status = 410, body = Problem), (status = 422, body = Problem)))]
pub async fn confirm_reset(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<ResetConfirmBody>,
) -> AppResult<StatusCode> {
    links::reset_password(&state, &body.token, &body.password).await?;
    Ok(StatusCode::NO_CONTENT)
}

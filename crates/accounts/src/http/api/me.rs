use axum::{Json, extract::State, http::StatusCode};
use lyceum_platform::{
    AppResult, AppState,
    auth::CurrentUser,
    http::{errors::Problem, extract::ApiJson},
};

use super::dto::*;
use crate::service::{
    Client, email_change,
    identity::{self, IdentityChange, PasswordChange},
};

/// The signed-in user.
#[utoipa::path(get, path = "/api/v1/users/me", security(("bearer" = []), ("session" = [])), tag = "users",
    responses((status = 200, body = UserDto), (status = 401, body = Problem)))]
pub async fn get_me(State(state): State<AppState>, CurrentUser(viewer): CurrentUser) -> AppResult<Json<UserDto>> {
    Ok(Json(identity::get(&state, &viewer.id()).await?.into()))
}

/// Change your display name, language or time zone (omitted fields stay).
#[utoipa::path(patch, path = "/api/v1/users/me", security(("bearer" = []), ("session" = [])), tag = "users", request_body = UpdateMeBody,
    responses((status = 200, body = UserDto), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn update_me(
    State(state): State<AppState>,
    CurrentUser(viewer): CurrentUser,
    ApiJson(body): ApiJson<UpdateMeBody>,
) -> AppResult<Json<UserDto>> {
    let change = IdentityChange { display_name: body.display_name, locale: body.locale, time_zone: body.time_zone };
    Ok(Json(identity::update(&state, &viewer.id(), change).await?.into()))
}

/// Change your password: your other sessions are signed out, your API tokens
/// revoked (unless `revoke_tokens` is `false`), and you get an e-mail about it.
#[utoipa::path(post, path = "/api/v1/users/me/password", security(("bearer" = []), ("session" = [])), tag = "users", request_body = ChangePasswordBody,
    responses((status = 204), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn change_password(
    State(state): State<AppState>,
    CurrentUser(viewer): CurrentUser,
    ApiJson(body): ApiJson<ChangePasswordBody>,
) -> AppResult<StatusCode> {
    let change = PasswordChange {
        current: &body.current_password,
        new: &body.new_password,
        revoke_tokens: body.revoke_tokens.unwrap_or(true),
    };
    identity::change_password(&state, &viewer, change).await?;
    Ok(StatusCode::NO_CONTENT)
}

const LINK_SENT: Accepted = Accepted {
    status: "accepted",
    message: "A link was sent to the new address; the account takes it when the link is opened.",
};

/// Change your e-mail address: a link is sent to the new address, and the
/// account takes it when the link is opened (`POST /api/v1/auth/confirm-email`
/// with its token); the old address is then told of the change.
#[utoipa::path(post, path = "/api/v1/users/me/email", security(("bearer" = []), ("session" = [])), tag = "users", request_body = ChangeEmailBody,
    responses((status = 202, body = Accepted), (status = 401, body = Problem), (status = 422, body = Problem),
        (status = 429, body = Problem)))]
pub async fn change_email(
    State(state): State<AppState>,
    CurrentUser(viewer): CurrentUser,
    client: Client,
    ApiJson(body): ApiJson<ChangeEmailBody>,
) -> AppResult<(StatusCode, Json<Accepted>)> {
    email_change::request(&state, &viewer, &body.email, &body.current_password, &client).await?;
    Ok((StatusCode::ACCEPTED, Json(LINK_SENT)))
}

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use lyceum_platform::ids::TokenId;
use lyceum_platform::{
    AppResult, AppState,
    auth::CurrentUser,
    http::{errors::Problem, extract::ApiJson},
};

use super::dto::*;
use crate::service::tokens;

/// Your live personal API tokens (secrets are never shown again).
#[utoipa::path(get, operation_id = "list_tokens", path = "/api/v1/tokens", security(("bearer" = []), ("session" = [])), tag = "tokens",
    responses((status = 200, body = TokenList), (status = 401, body = Problem)))]
pub async fn list(State(state): State<AppState>, CurrentUser(viewer): CurrentUser) -> AppResult<Json<TokenList>> {
    let items = tokens::list(&state, &viewer.id()).await?.into_iter().map(TokenDto::from).collect();
    Ok(Json(TokenList { items }))
}

/// Create a personal API token. The response holds the secret, once. An
/// account holds at most 50 live tokens: past that, 409 until one is revoked.
#[utoipa::path(post, operation_id = "create_token", path = "/api/v1/tokens", security(("bearer" = []), ("session" = [])), tag = "tokens", request_body = CreateTokenBody,
    responses((status = 201, body = CreatedTokenDto), (status = 401, body = Problem),
        (status = 409, description = "The account already has 50 live tokens", body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    CurrentUser(viewer): CurrentUser,
    ApiJson(body): ApiJson<CreateTokenBody>,
) -> AppResult<(StatusCode, Json<CreatedTokenDto>)> {
    let created = tokens::create(&state, &viewer.id(), &body.name, body.expires_in_days).await?;
    Ok((StatusCode::CREATED, Json(CreatedTokenDto { token: created.secret, info: created.token.into() })))
}

/// Revoke one of your tokens.
#[utoipa::path(delete, operation_id = "revoke_token", path = "/api/v1/tokens/{id}", security(("bearer" = []), ("session" = [])), tag = "tokens", params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn revoke(
    State(state): State<AppState>,
    CurrentUser(viewer): CurrentUser,
    Path(id): Path<TokenId>,
) -> AppResult<StatusCode> {
    tokens::revoke(&state, &viewer.id(), &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

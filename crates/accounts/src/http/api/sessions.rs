use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use lyceum_platform::{AppResult, AppState, auth::CurrentUser, db::rfc3339, http::errors::Problem};
use serde::Serialize;
use utoipa::ToSchema;

use crate::service::sessions::{self, SessionInfo};

#[derive(Serialize, ToSchema)]
pub struct SessionDto {
    pub id: String,
    pub created_at: String,
    pub expires_at: String,
    pub user_agent: String,
    pub ip: String,
    /// The session this request was made with.
    pub current: bool,
}

impl From<SessionInfo> for SessionDto {
    fn from(s: SessionInfo) -> Self {
        Self {
            created_at: rfc3339(s.created_at),
            expires_at: rfc3339(s.expires_at),
            id: s.id,
            user_agent: s.user_agent,
            ip: s.ip,
            current: s.current,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct SessionList {
    pub items: Vec<SessionDto>,
}

/// Where you are signed in: your live browser sessions, newest first.
#[utoipa::path(get, operation_id = "list_sessions", path = "/api/v1/users/me/sessions", security(("bearer" = []), ("session" = [])), tag = "users",
    responses((status = 200, body = SessionList), (status = 401, body = Problem)))]
pub async fn list(State(state): State<AppState>, CurrentUser(viewer): CurrentUser) -> AppResult<Json<SessionList>> {
    let items = sessions::list(&state, &viewer).await?.into_iter().map(SessionDto::from).collect();
    Ok(Json(SessionList { items }))
}

/// Sign out every session except the current one.
#[utoipa::path(delete, operation_id = "revoke_other_sessions", path = "/api/v1/users/me/sessions", security(("bearer" = []), ("session" = [])), tag = "users",
    responses((status = 204), (status = 401, body = Problem)))]
pub async fn revoke_others(State(state): State<AppState>, CurrentUser(viewer): CurrentUser) -> AppResult<StatusCode> {
    sessions::revoke_others(&state, &viewer).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Sign out one of your sessions.
#[utoipa::path(delete, operation_id = "revoke_session", path = "/api/v1/users/me/sessions/{id}", security(("bearer" = []), ("session" = [])),
    tag = "users", params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn revoke(
    State(state): State<AppState>,
    CurrentUser(viewer): CurrentUser,
    Path(id): Path<String>,
) -> AppResult<StatusCode> {
    sessions::revoke(&state, &viewer, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

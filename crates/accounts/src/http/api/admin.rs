use axum::{
    Json,
    extract::{Path, State},
};
use lyceum_platform::ids::UserId;
use lyceum_platform::{
    AppResult, AppState,
    auth::AdminUser,
    http::{
        errors::Problem,
        extract::{ApiJson, ApiQuery},
    },
};

use super::dto::*;
use crate::service::admin::{self, ListQuery};

/// Search and list users, newest first (admins only).
#[utoipa::path(get, path = "/api/v1/admin/users", security(("bearer" = []), ("session" = [])), tag = "admin", params(UserListParams),
    responses((status = 200, body = UserList), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn list_users(
    State(state): State<AppState>,
    AdminUser(_admin): AdminUser,
    ApiQuery(p): ApiQuery<UserListParams>,
) -> AppResult<Json<UserList>> {
    let query = ListQuery {
        query: p.q,
        role: p.role,
        disabled: p.disabled,
        page: lyceum_platform::keyset::PageRequest::new(p.limit, p.cursor.as_deref())?,
    };
    let page = admin::list(&state, query).await?.map(UserDto::from);
    Ok(Json(UserList { items: page.items, next_cursor: page.next_cursor }))
}

/// One user (admins only).
#[utoipa::path(get, path = "/api/v1/admin/users/{id}", security(("bearer" = []), ("session" = [])), tag = "admin", params(("id" = String, Path)),
    responses((status = 200, body = UserDto), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get_user(
    State(state): State<AppState>,
    AdminUser(_admin): AdminUser,
    Path(id): Path<UserId>,
) -> AppResult<Json<UserDto>> {
    Ok(Json(admin::get(&state, &id).await?.into()))
}

/// Change a user's role or disable/enable the account (admins only).
/// Disabling signs the user out everywhere and revokes their tokens at once.
#[utoipa::path(patch, path = "/api/v1/admin/users/{id}", security(("bearer" = []), ("session" = [])), tag = "admin", params(("id" = String, Path)),
    request_body = AdminUserPatch,
    responses((status = 200, body = UserDto), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update_user(
    State(state): State<AppState>,
    AdminUser(actor): AdminUser,
    Path(id): Path<UserId>,
    ApiJson(body): ApiJson<AdminUserPatch>,
) -> AppResult<Json<UserDto>> {
    let mut user = admin::get(&state, &id).await?;
    if let Some(role) = body.role.filter(|r| *r != user.role()) {
        user = admin::set_role(&state, Some(&actor.id()), &id, role).await?;
    }
    if let Some(disabled) = body.disabled.filter(|d| *d != user.is_disabled()) {
        user = admin::set_disabled(&state, Some(&actor.id()), &id, disabled).await?;
    }
    Ok(Json(user.into()))
}

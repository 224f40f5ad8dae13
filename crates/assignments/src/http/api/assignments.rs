//! Assignments, their extensions and the release of their grades.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use lyceum_platform::{
    AppResult, AppState,
    auth::CurrentUser,
    http::{errors::Problem, extract::ApiJson},
    ids::{CourseId, ModuleId, UserId},
};

use super::dto::*;
use crate::{
    model::AssignmentId,
    service::{Role, assignments},
};

/// Creates an assignment: a lesson at the end of the module, whose activity it is.
#[utoipa::path(post, path = "/api/v1/assignments", security(("bearer" = []), ("session" = [])), tag = "assignments",
    request_body = AssignmentBody,
    responses((status = 201, body = AssignmentDto), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)))]
pub async fn create_assignment(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    ApiJson(body): ApiJson<AssignmentBody>,
) -> AppResult<(StatusCode, Json<AssignmentDto>)> {
    let settings = body.settings.into_settings()?;
    let module = ModuleId::from(&body.module_id);
    let a = assignments::create(&state, &v, &module, &body.title, &body.instructions, settings).await?;
    Ok((StatusCode::CREATED, Json(AssignmentDto::new(&a, Role::Staff))))
}

/// A course's assignments (its staff and enrolled learners).
#[utoipa::path(get, path = "/api/v1/courses/{id}/assignments", security(("bearer" = []), ("session" = [])),
    tag = "assignments", params(("id" = String, Path)),
    responses((status = 200, body = AssignmentList), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn list_assignments(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<CourseId>,
) -> AppResult<Json<AssignmentList>> {
    let (items, role) = assignments::of_course(&state, &v, &id).await?;
    Ok(Json(AssignmentList { items: items.iter().map(|a| AssignmentDto::new(a, role)).collect() }))
}

/// An assignment (its course's staff and enrolled learners).
#[utoipa::path(get, path = "/api/v1/assignments/{id}", security(("bearer" = []), ("session" = [])), tag = "assignments",
    params(("id" = String, Path)),
    responses((status = 200, body = AssignmentDto), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn get_assignment(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<AssignmentId>,
) -> AppResult<Json<AssignmentDto>> {
    let (a, role) = assignments::get(&state, &v, &id).await?;
    Ok(Json(AssignmentDto::new(&a, role)))
}

/// Replaces the settings (staff).
#[utoipa::path(put, path = "/api/v1/assignments/{id}", security(("bearer" = []), ("session" = [])), tag = "assignments",
    params(("id" = String, Path)), request_body = AssignmentUpdate,
    responses((status = 200, body = AssignmentDto), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)))]
pub async fn update_assignment(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<AssignmentId>,
    ApiJson(body): ApiJson<AssignmentUpdate>,
) -> AppResult<Json<AssignmentDto>> {
    let a = assignments::update(&state, &v, &id, body.settings.into_settings()?).await?;
    Ok(Json(AssignmentDto::new(&a, Role::Staff)))
}

/// Releases the grades held back for release (staff): every graded learner
/// is told. Releasing again changes nothing.
#[utoipa::path(post, path = "/api/v1/assignments/{id}/release", security(("bearer" = []), ("session" = [])),
    tag = "assignments", params(("id" = String, Path)),
    responses((status = 200, body = AssignmentDto), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn release_grades(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<AssignmentId>,
) -> AppResult<Json<AssignmentDto>> {
    let a = assignments::release(&state, &v, &id).await?;
    Ok(Json(AssignmentDto::new(&a, Role::Staff)))
}

/// The learners' extensions (staff).
#[utoipa::path(get, path = "/api/v1/assignments/{id}/extensions", security(("bearer" = []), ("session" = [])),
    tag = "assignments", params(("id" = String, Path)),
    responses((status = 200, body = ExtensionList), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn list_extensions(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<AssignmentId>,
) -> AppResult<Json<ExtensionList>> {
    let rows = assignments::extensions(&state, &v, &id).await?;
    let items = rows
        .into_iter()
        .map(|e| ExtensionDto {
            user_id: e.user_id,
            name: e.name,
            email: e.email,
            due_at: lyceum_platform::db::rfc3339(e.due_at),
        })
        .collect();
    Ok(Json(ExtensionList { items }))
}

/// Gives an enrolled learner their own due date (the cut-off follows it).
#[utoipa::path(put, path = "/api/v1/assignments/{id}/extensions/{user_id}", security(("bearer" = []), ("session" = [])),
    tag = "assignments", params(("id" = String, Path), ("user_id" = String, Path)), request_body = ExtensionBody,
    responses((status = 204), (status = 401, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn set_extension(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path((id, user_id)): Path<(AssignmentId, String)>,
    ApiJson(body): ApiJson<ExtensionBody>,
) -> AppResult<StatusCode> {
    let due = body.due_ms()?;
    assignments::set_extension(&state, &v, &id, &UserId::from(user_id.as_str()), due).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(delete, path = "/api/v1/assignments/{id}/extensions/{user_id}", security(("bearer" = []), ("session" = [])),
    tag = "assignments", params(("id" = String, Path), ("user_id" = String, Path)),
    responses((status = 204), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn delete_extension(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path((id, user_id)): Path<(AssignmentId, String)>,
) -> AppResult<StatusCode> {
    assignments::delete_extension(&state, &v, &id, &UserId::from(user_id.as_str())).await?;
    Ok(StatusCode::NO_CONTENT)
}

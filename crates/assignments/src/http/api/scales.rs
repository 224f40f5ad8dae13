//! A course's scales (staff): `/api/v1/courses/{id}/scales`, `/api/v1/scales/{id}`.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use lyceum_platform::{
    AppResult, AppState,
    auth::CurrentUser,
    http::{errors::Problem, extract::ApiJson},
    ids::CourseId,
};

use super::definitions::{ScaleBody, ScaleDto, ScaleList};
use crate::service::{definitions as d, scales::Scale};

#[utoipa::path(get, path = "/api/v1/courses/{id}/scales", security(("bearer" = []), ("session" = [])),
    tag = "assignments", params(("id" = String, Path)),
    responses((status = 200, body = ScaleList), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn list_scales(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<CourseId>,
) -> AppResult<Json<ScaleList>> {
    let (_, items) = d::list::<Scale>(&state, &v, &id).await?;
    Ok(Json(ScaleList { items: items.iter().map(ScaleDto::from).collect() }))
}

/// Adds a scale, its levels lowest first (`422` on `levels`).
#[utoipa::path(post, path = "/api/v1/courses/{id}/scales", security(("bearer" = []), ("session" = [])),
    tag = "assignments", params(("id" = String, Path)), request_body = ScaleBody,
    responses((status = 201, body = ScaleDto), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)))]
pub async fn create_scale(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<CourseId>,
    ApiJson(body): ApiJson<ScaleBody>,
) -> AppResult<(StatusCode, Json<ScaleDto>)> {
    let scale = d::create::<Scale>(&state, &v, &id, &body.title, &body.text).await?;
    Ok((StatusCode::CREATED, Json(ScaleDto::from(&scale))))
}

#[utoipa::path(get, path = "/api/v1/scales/{id}", security(("bearer" = []), ("session" = [])),
    tag = "assignments", params(("id" = String, Path)),
    responses((status = 200, body = ScaleDto), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn get_scale(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Json<ScaleDto>> {
    Ok(Json(ScaleDto::from(&d::get::<Scale>(&state, &v, &id).await?)))
}

/// Replaces a scale's title and text; grades already given keep their points.
#[utoipa::path(put, path = "/api/v1/scales/{id}", security(("bearer" = []), ("session" = [])),
    tag = "assignments", params(("id" = String, Path)), request_body = ScaleBody,
    responses((status = 200, body = ScaleDto), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)))]
pub async fn update_scale(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ScaleBody>,
) -> AppResult<Json<ScaleDto>> {
    Ok(Json(ScaleDto::from(&d::update::<Scale>(&state, &v, &id, &body.title, &body.text).await?)))
}

/// Deletes a scale no assignment grades with (`409 scale-in-use` otherwise).
#[utoipa::path(delete, path = "/api/v1/scales/{id}", security(("bearer" = []), ("session" = [])),
    tag = "assignments", params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn delete_scale(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<String>,
) -> AppResult<StatusCode> {
    d::delete::<Scale>(&state, &v, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

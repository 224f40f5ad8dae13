//! A course's marking guides (staff): `/api/v1/courses/{id}/marking-guides`, `/api/v1/marking-guides/{id}`.

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

use super::definitions::{GuideBody, GuideDto, GuideList};
use crate::service::{definitions as d, guides::Guide};

#[utoipa::path(get, path = "/api/v1/courses/{id}/marking-guides", security(("bearer" = []), ("session" = [])),
    tag = "assignments", params(("id" = String, Path)),
    responses((status = 200, body = GuideList), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn list_guides(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<CourseId>,
) -> AppResult<Json<GuideList>> {
    let (_, items) = d::list::<Guide>(&state, &v, &id).await?;
    Ok(Json(GuideList { items: items.iter().map(GuideDto::from).collect() }))
}

/// Adds a marking guide, written one criterion per line (`422` on `criteria` names the line).
#[utoipa::path(post, path = "/api/v1/courses/{id}/marking-guides", security(("bearer" = []), ("session" = [])),
    tag = "assignments", params(("id" = String, Path)), request_body = GuideBody,
    responses((status = 201, body = GuideDto), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)))]
pub async fn create_guide(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<CourseId>,
    ApiJson(body): ApiJson<GuideBody>,
) -> AppResult<(StatusCode, Json<GuideDto>)> {
    let guide = d::create::<Guide>(&state, &v, &id, &body.title, &body.text).await?;
    Ok((StatusCode::CREATED, Json(GuideDto::from(&guide))))
}

#[utoipa::path(get, path = "/api/v1/marking-guides/{id}", security(("bearer" = []), ("session" = [])),
    tag = "assignments", params(("id" = String, Path)),
    responses((status = 200, body = GuideDto), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn get_guide(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Json<GuideDto>> {
    Ok(Json(GuideDto::from(&d::get::<Guide>(&state, &v, &id).await?)))
}

/// Replaces a marking guide's title and text; grades already given keep their points.
#[utoipa::path(put, path = "/api/v1/marking-guides/{id}", security(("bearer" = []), ("session" = [])),
    tag = "assignments", params(("id" = String, Path)), request_body = GuideBody,
    responses((status = 200, body = GuideDto), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)))]
pub async fn update_guide(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<GuideBody>,
) -> AppResult<Json<GuideDto>> {
    Ok(Json(GuideDto::from(&d::update::<Guide>(&state, &v, &id, &body.title, &body.text).await?)))
}

/// Deletes a marking guide no assignment grades with (`409 guide-in-use` otherwise).
#[utoipa::path(delete, path = "/api/v1/marking-guides/{id}", security(("bearer" = []), ("session" = [])),
    tag = "assignments", params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn delete_guide(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<String>,
) -> AppResult<StatusCode> {
    d::delete::<Guide>(&state, &v, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

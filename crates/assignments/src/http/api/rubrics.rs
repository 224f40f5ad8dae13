//! A course's rubrics (staff): `/api/v1/courses/{id}/rubrics`, `/api/v1/rubrics/{id}`.

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

use super::definitions::{RubricBody, RubricDto, RubricList};
use crate::service::{definitions as d, rubrics::Rubric};

#[utoipa::path(get, path = "/api/v1/courses/{id}/rubrics", security(("bearer" = []), ("session" = [])),
    tag = "assignments", params(("id" = String, Path)),
    responses((status = 200, body = RubricList), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn list_rubrics(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<CourseId>,
) -> AppResult<Json<RubricList>> {
    let (_, items) = d::list::<Rubric>(&state, &v, &id).await?;
    Ok(Json(RubricList { items: items.iter().map(RubricDto::from).collect() }))
}

/// Adds a rubric, written one criterion per line (`422` on `criteria` names the line).
#[utoipa::path(post, path = "/api/v1/courses/{id}/rubrics", security(("bearer" = []), ("session" = [])),
    tag = "assignments", params(("id" = String, Path)), request_body = RubricBody,
    responses((status = 201, body = RubricDto), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)))]
pub async fn create_rubric(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<CourseId>,
    ApiJson(body): ApiJson<RubricBody>,
) -> AppResult<(StatusCode, Json<RubricDto>)> {
    let rubric = d::create::<Rubric>(&state, &v, &id, &body.title, &body.text).await?;
    Ok((StatusCode::CREATED, Json(RubricDto::from(&rubric))))
}

#[utoipa::path(get, path = "/api/v1/rubrics/{id}", security(("bearer" = []), ("session" = [])),
    tag = "assignments", params(("id" = String, Path)),
    responses((status = 200, body = RubricDto), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn get_rubric(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Json<RubricDto>> {
    Ok(Json(RubricDto::from(&d::get::<Rubric>(&state, &v, &id).await?)))
}

/// Replaces a rubric's title and criteria; grades already given keep their points.
#[utoipa::path(put, path = "/api/v1/rubrics/{id}", security(("bearer" = []), ("session" = [])),
    tag = "assignments", params(("id" = String, Path)), request_body = RubricBody,
    responses((status = 200, body = RubricDto), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)))]
pub async fn update_rubric(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<RubricBody>,
) -> AppResult<Json<RubricDto>> {
    Ok(Json(RubricDto::from(&d::update::<Rubric>(&state, &v, &id, &body.title, &body.text).await?)))
}

/// Deletes a rubric no assignment grades with (`409 rubric-in-use` otherwise).
#[utoipa::path(delete, path = "/api/v1/rubrics/{id}", security(("bearer" = []), ("session" = [])),
    tag = "assignments", params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn delete_rubric(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<String>,
) -> AppResult<StatusCode> {
    d::delete::<Rubric>(&state, &v, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

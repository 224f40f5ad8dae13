//! `/api/v1/courses/{id}/question-categories…`: a bank's category tree.

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

use super::dto::*;
use crate::{
    model::CategoryId,
    service::categories::{self, CategoryEdit},
};

/// The course's categories, parents before children, with their question counts.
#[utoipa::path(get, path = "/api/v1/courses/{id}/question-categories", security(("bearer" = []), ("session" = [])),
    tag = "questions", params(("id" = String, Path)),
    responses((status = 200, body = CategoryList), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn list_question_categories(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<CourseId>,
) -> AppResult<Json<CategoryList>> {
    let all = categories::list(&state, &v, &id).await?;
    Ok(Json(CategoryList { items: all.iter().map(CategoryDto::from).collect() }))
}

/// A new category (names are unique among siblings: 422 on `name` otherwise).
#[utoipa::path(post, path = "/api/v1/courses/{id}/question-categories", security(("bearer" = []), ("session" = [])),
    tag = "questions", params(("id" = String, Path)), request_body = NewCategoryBody,
    responses((status = 201, body = CategoryDto), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)))]
pub async fn create_question_category(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<CourseId>,
    ApiJson(body): ApiJson<NewCategoryBody>,
) -> AppResult<(StatusCode, Json<CategoryDto>)> {
    let parent = body.parent_id.as_deref().map(CategoryId::from);
    let c = categories::create(&state, &v, &id, &body.name, parent.as_ref()).await?;
    let dto = CategoryDto { id: c.id, parent_id: c.parent_id, name: c.name, position: c.position, question_count: 0 };
    Ok((StatusCode::CREATED, Json(dto)))
}

/// Renames, moves (`parent_id`, `null` for the top level) or reorders a category.
#[utoipa::path(patch, path = "/api/v1/courses/{id}/question-categories/{category_id}",
    security(("bearer" = []), ("session" = [])), tag = "questions",
    params(("id" = String, Path), ("category_id" = String, Path)), request_body = CategoryPatch,
    responses((status = 200, body = CategoryDto), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)))]
pub async fn update_question_category(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path((id, category_id)): Path<(CourseId, String)>,
    ApiJson(body): ApiJson<CategoryPatch>,
) -> AppResult<Json<CategoryDto>> {
    let edit = CategoryEdit {
        name: body.name,
        parent: body.parent_id.map(|p| p.as_deref().map(CategoryId::from)),
        position: body.position,
    };
    let c = categories::edit(&state, &v, &id, &CategoryId::from(&category_id), edit).await?;
    let count = categories::list(&state, &v, &id).await?.iter().find(|x| x.id == c.id).map_or(0, |x| x.questions);
    Ok(Json(CategoryDto {
        id: c.id,
        parent_id: c.parent_id,
        name: c.name,
        position: c.position,
        question_count: count,
    }))
}

/// Deletes an empty category; one that holds questions or categories is 409 `category-not-empty`.
#[utoipa::path(delete, path = "/api/v1/courses/{id}/question-categories/{category_id}",
    security(("bearer" = []), ("session" = [])), tag = "questions",
    params(("id" = String, Path), ("category_id" = String, Path)),
    responses((status = 204), (status = 401, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn delete_question_category(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path((id, category_id)): Path<(CourseId, String)>,
) -> AppResult<StatusCode> {
    categories::delete(&state, &v, &id, &CategoryId::from(&category_id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

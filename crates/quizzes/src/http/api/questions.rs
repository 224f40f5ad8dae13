//! `/api/v1/courses/{id}/questions` and `/api/v1/questions/{id}…`: a bank's
//! questions, for the course's staff (anyone else: 404).

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use lyceum_platform::{
    AppError, AppResult, AppState, Text,
    auth::CurrentUser,
    http::{
        errors::Problem,
        extract::{ApiJson, ApiQuery},
    },
    ids::CourseId,
    keyset::PageRequest,
};

use super::dto::*;
use crate::{
    model::{CategoryId, Filter, KINDS, QuestionId},
    service::questions::{self, Draft},
};

/// The body's question: exactly one of `question` and `gift`.
fn draft(body: QuestionBody) -> AppResult<(Option<CategoryId>, Draft)> {
    let category = body.category_id.as_deref().map(CategoryId::from);
    match (body.question, body.gift) {
        (Some(q), None) => Ok((category, Draft::Model(Box::new(q)))),
        (None, Some(gift)) => Ok((category, Draft::Gift(gift))),
        _ => Err(AppError::field("question", Text::new("quizzes.errors.question_or_gift"))),
    }
}

/// A course's questions (no answers), newest first, filtered by category, kind and name.
#[utoipa::path(get, path = "/api/v1/courses/{id}/questions", security(("bearer" = []), ("session" = [])), tag = "questions",
    params(("id" = String, Path), QuestionParams),
    responses((status = 200, body = QuestionList), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)))]
pub async fn list_questions(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<CourseId>,
    ApiQuery(p): ApiQuery<QuestionParams>,
) -> AppResult<Json<QuestionList>> {
    let page = PageRequest::new(p.limit, p.cursor.as_deref())?;
    if p.kind.as_deref().is_some_and(|k| !KINDS.contains(&k)) {
        return Err(AppError::field("kind", Text::new("quizzes.errors.unknown_kind")));
    }
    let filter = Filter {
        category_id: p.category.as_deref().map(CategoryId::from),
        kind: p.kind,
        search: p.q.filter(|q| !q.trim().is_empty()).map(|q| q.trim().to_string()),
    };
    let bank = questions::list(&state, &v, &id, &filter, &page).await?;
    let items = bank.items.items.iter().map(QuestionSummaryDto::from).collect();
    Ok(Json(QuestionList { items, next_cursor: bank.items.next_cursor }))
}

/// Adds a question (version 1) to the course's bank: the JSON model or one
/// question in GIFT. A question that breaks a rule of its kind is a 422
/// naming the field (`question.name`, `question.text`, `question.kind`… or `gift`).
#[utoipa::path(post, path = "/api/v1/courses/{id}/questions", security(("bearer" = []), ("session" = [])), tag = "questions",
    params(("id" = String, Path)), request_body = QuestionBody,
    responses((status = 201, body = QuestionDto), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)))]
pub async fn create_question(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<CourseId>,
    ApiJson(body): ApiJson<QuestionBody>,
) -> AppResult<(StatusCode, Json<QuestionDto>)> {
    let (category, draft) = draft(body)?;
    let created = questions::create(&state, &v, &id, category.as_ref(), draft).await?;
    Ok((StatusCode::CREATED, Json(QuestionDto::from(&created))))
}

/// A question with its current content, answers included.
#[utoipa::path(get, path = "/api/v1/questions/{id}", security(("bearer" = []), ("session" = [])), tag = "questions",
    params(("id" = String, Path)),
    responses((status = 200, body = QuestionDto), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn get_question(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<QuestionId>,
) -> AppResult<Json<QuestionDto>> {
    let question = questions::get(&state, &v, &id).await?;
    Ok(Json(QuestionDto::from(&question)))
}

/// Saves a new version of the question (the old ones are kept); `category_id` also moves it.
#[utoipa::path(put, path = "/api/v1/questions/{id}", security(("bearer" = []), ("session" = [])), tag = "questions",
    params(("id" = String, Path)), request_body = QuestionBody,
    responses((status = 200, body = QuestionDto), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)))]
pub async fn update_question(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<QuestionId>,
    ApiJson(body): ApiJson<QuestionBody>,
) -> AppResult<Json<QuestionDto>> {
    let (category, draft) = draft(body)?;
    let edited = questions::edit(&state, &v, &id, category.as_ref(), draft).await?;
    Ok(Json(QuestionDto::from(&edited)))
}

/// Deletes the question from the bank (its versions stay for past attempts).
#[utoipa::path(delete, path = "/api/v1/questions/{id}", security(("bearer" = []), ("session" = [])), tag = "questions",
    params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn delete_question(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<QuestionId>,
) -> AppResult<StatusCode> {
    questions::delete(&state, &v, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Every version of the question, newest first.
#[utoipa::path(get, path = "/api/v1/questions/{id}/versions", security(("bearer" = []), ("session" = [])),
    tag = "questions", params(("id" = String, Path)),
    responses((status = 200, body = VersionList), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn list_versions(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<QuestionId>,
) -> AppResult<Json<VersionList>> {
    let versions = questions::versions(&state, &v, &id).await?;
    Ok(Json(VersionList { items: versions.iter().map(VersionDto::from).collect() }))
}

/// Moves questions of the course into one of its categories (not an edit: no new version).
#[utoipa::path(post, path = "/api/v1/courses/{id}/questions/move", security(("bearer" = []), ("session" = [])),
    tag = "questions", params(("id" = String, Path)), request_body = MoveBody,
    responses((status = 200, body = MovedDto), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)))]
pub async fn move_questions(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<CourseId>,
    ApiJson(body): ApiJson<MoveBody>,
) -> AppResult<Json<MovedDto>> {
    let ids: Vec<QuestionId> = body.question_ids.iter().map(QuestionId::from).collect();
    let moved = questions::move_to(&state, &v, &id, &ids, &CategoryId::from(&body.category_id)).await?;
    Ok(Json(MovedDto { moved }))
}

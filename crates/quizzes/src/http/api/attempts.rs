//! `/api/v1/quizzes/attempts/{id}…`: an attempt under way (its learner),
//! saving answers, submitting, the review, and a person's grade (staff).

use axum::{
    Json,
    extract::{Path, State},
};
use lyceum_platform::{
    AppResult, AppState,
    auth::CurrentUser,
    http::{errors::Problem, extract::ApiJson},
};

use super::attempt_dto::*;
use crate::{
    model::AttemptId,
    service::{attempts, grading, submit},
};

/// The attempt: its questions (as learners see them), saved answers and the
/// time left by the server's clock. An attempt whose time ran out is
/// submitted first.
#[utoipa::path(get, path = "/api/v1/quizzes/attempts/{id}", security(("bearer" = []), ("session" = [])), tag = "quizzes",
    params(("id" = String, Path)),
    responses((status = 200, body = AttemptDto), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn get_attempt(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<AttemptId>,
) -> AppResult<Json<AttemptDto>> {
    let view = attempts::view(&state, &v, &id).await?;
    Ok(Json(AttemptDto::from(&view)))
}

/// Saves answers as the learner goes (autosave). Refused (409
/// `attempt-closed`) once submitted or past the deadline's short grace.
#[utoipa::path(put, path = "/api/v1/quizzes/attempts/{id}/answers", security(("bearer" = []), ("session" = [])),
    tag = "quizzes", params(("id" = String, Path)), request_body = SaveBody,
    responses((status = 200, body = SavedDto), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn save_answers(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<AttemptId>,
    ApiJson(body): ApiJson<SaveBody>,
) -> AppResult<Json<SavedDto>> {
    let saved = body.answers.len();
    let answers = body.answers.into_iter().map(|a| (a.slot, a.response)).collect();
    let checked = attempts::save(&state, &v, &id, answers, body.check).await?;
    let checked = checked.into_iter().map(|(slot, outcome)| CheckedDto { slot, outcome }).collect();
    Ok(Json(SavedDto { saved, checked }))
}

/// Submits and grades the attempt. Submitting again returns it as it is.
#[utoipa::path(post, path = "/api/v1/quizzes/attempts/{id}/submit", security(("bearer" = []), ("session" = [])),
    tag = "quizzes", params(("id" = String, Path)),
    responses((status = 200, body = AttemptSummaryDto), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem)))]
pub async fn submit_attempt(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<AttemptId>,
) -> AppResult<Json<AttemptSummaryDto>> {
    let submitted = submit::submit(&state, &v, &id).await?;
    Ok(Json(AttemptSummaryDto::new(&submitted.row, submitted.marks_shown)))
}

/// A submitted attempt as the review options let its learner see it now
/// (all of it for staff).
#[utoipa::path(get, path = "/api/v1/quizzes/attempts/{id}/review", security(("bearer" = []), ("session" = [])),
    tag = "quizzes", params(("id" = String, Path)),
    responses((status = 200, body = ReviewDto), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem)))]
pub async fn review_attempt(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<AttemptId>,
) -> AppResult<Json<ReviewDto>> {
    let review = grading::review(&state, &v, &id).await?;
    Ok(Json(ReviewDto::from(&review)))
}

/// A person's grade for one question (an essay, or over an automatic grade).
#[utoipa::path(put, path = "/api/v1/quizzes/attempts/{id}/grades/{slot}", security(("bearer" = []), ("session" = [])),
    tag = "quizzes", params(("id" = String, Path), ("slot" = String, Path, description = "The question's number in the attempt, from 0")),
    request_body = GradeBody,
    responses((status = 200, body = AttemptSummaryDto), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn grade_answer(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path((id, slot)): Path<(AttemptId, String)>,
    ApiJson(body): ApiJson<GradeBody>,
) -> AppResult<Json<AttemptSummaryDto>> {
    // Not a number: no such question, like any other slot that is not there.
    let slot: usize = slot.parse().map_err(|_| lyceum_platform::AppError::not_found())?;
    let row = grading::grade_slot(&state, &v, &id, slot, body.fraction, &body.note).await?;
    Ok(Json(AttemptSummaryDto::new(&row, true)))
}

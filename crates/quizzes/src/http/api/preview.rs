//! `/api/v1/questions/{id}/preview`: the question as a learner would see it,
//! and the grade of an answer, for the course's staff.

use axum::{
    Json,
    extract::{Path, State},
};
use lyceum_platform::{
    AppResult, AppState,
    auth::CurrentUser,
    http::{errors::Problem, extract::ApiJson},
};

use super::dto::*;
use crate::{model::QuestionId, service::preview};

/// Shows the question with a fresh layout (or the `layout` sent) and grades
/// `response` when sent. Answers name positions in the view (`choices: [0]`
/// is the first choice shown).
#[utoipa::path(post, path = "/api/v1/questions/{id}/preview", security(("bearer" = []), ("session" = [])),
    tag = "questions", params(("id" = String, Path)), request_body = PreviewBody,
    responses((status = 200, body = PreviewDto), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)))]
pub async fn preview_question(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<QuestionId>,
    ApiJson(body): ApiJson<PreviewBody>,
) -> AppResult<Json<PreviewDto>> {
    let p = preview::preview(&state, &v, &id, body.layout, body.response).await?;
    Ok(Json(PreviewDto { layout: p.layout, view: p.view, outcome: p.outcome }))
}

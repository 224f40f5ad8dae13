//! `/api/v1/courses/{id}/quizzes`, `/api/v1/quizzes/{id}…`: quizzes, a
//! learner's attempts (or the staff's table), starting an attempt, overrides.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use lyceum_platform::{
    AppError, AppResult, AppState, Text,
    auth::CurrentUser,
    http::{
        errors::Problem,
        extract::{ApiJson, ApiQuery},
    },
    ids::{CourseId, ModuleId, UserId},
};

use super::{attempt_dto::*, quiz_dto::*};
use crate::{
    model::QuizId,
    quiz::attempt::{StartRefusal, review_at},
    service::{
        attempts,
        grading::{self, Filter},
        quizzes::{self, QuizInput, Role},
        regrade,
    },
};

/// Creates a quiz: a lesson at the end of the module, whose activity it is.
#[utoipa::path(post, path = "/api/v1/courses/{id}/quizzes", security(("bearer" = []), ("session" = [])), tag = "quizzes",
    params(("id" = String, Path)), request_body = QuizBody,
    responses((status = 201, body = QuizDto), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)))]
pub async fn create_quiz(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<CourseId>,
    ApiJson(body): ApiJson<QuizBody>,
) -> AppResult<(StatusCode, Json<QuizDto>)> {
    let input = QuizInput { settings: body.settings.into_settings()?, slots: body.slots };
    let module = ModuleId::from(&body.module_id);
    let quiz = quizzes::create(&state, &v, &id, &module, &body.title, &body.intro, input).await?;
    Ok((StatusCode::CREATED, Json(QuizDto::new(&quiz, Role::Staff))))
}

/// A course's quizzes (its staff).
#[utoipa::path(get, path = "/api/v1/courses/{id}/quizzes", security(("bearer" = []), ("session" = [])), tag = "quizzes",
    params(("id" = String, Path)),
    responses((status = 200, body = QuizList), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn list_quizzes(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<CourseId>,
) -> AppResult<Json<QuizList>> {
    let quizzes = quizzes::of_course(&state, &v, &id).await?;
    Ok(Json(QuizList { items: quizzes.iter().map(|q| QuizDto::new(q, Role::Staff)).collect() }))
}

/// A quiz: its settings for an enrolled learner, its slots too for its staff.
#[utoipa::path(get, path = "/api/v1/quizzes/{id}", security(("bearer" = []), ("session" = [])), tag = "quizzes",
    params(("id" = String, Path)),
    responses((status = 200, body = QuizDto), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn get_quiz(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<QuizId>,
) -> AppResult<Json<QuizDto>> {
    let (quiz, role) = quizzes::get(&state, &v, &id).await?;
    Ok(Json(QuizDto::new(&quiz, role)))
}

/// Replaces the settings and slots. Attempts under way keep their questions.
#[utoipa::path(put, path = "/api/v1/quizzes/{id}", security(("bearer" = []), ("session" = [])), tag = "quizzes",
    params(("id" = String, Path)), request_body = QuizUpdate,
    responses((status = 200, body = QuizDto), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)))]
pub async fn update_quiz(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<QuizId>,
    ApiJson(body): ApiJson<QuizUpdate>,
) -> AppResult<Json<QuizDto>> {
    let input = QuizInput { settings: body.settings.into_settings()?, slots: body.slots };
    let quiz = quizzes::update(&state, &v, &id, input).await?;
    Ok(Json(QuizDto::new(&quiz, Role::Staff)))
}

pub(crate) fn refusal_kind(why: StartRefusal) -> &'static str {
    match why {
        StartRefusal::NotOpen => "quiz-not-open",
        StartRefusal::Closed => "quiz-closed",
        StartRefusal::NoAttemptsLeft => "no-attempts-left",
    }
}

/// A learner's own attempts (with their quiz grade), or for staff every
/// learner's, filtered by `state`.
#[utoipa::path(get, path = "/api/v1/quizzes/{id}/attempts", security(("bearer" = []), ("session" = [])), tag = "quizzes",
    params(("id" = String, Path), AttemptParams),
    responses((status = 200, body = AttemptList), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)))]
pub async fn list_attempts(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<QuizId>,
    ApiQuery(p): ApiQuery<AttemptParams>,
) -> AppResult<Json<AttemptList>> {
    let filter = match p.state.as_deref() {
        None => Filter::All,
        Some(raw) => {
            Filter::parse(raw).ok_or_else(|| AppError::field("state", Text::new("quizzes.errors.attempt_state")))?
        }
    };
    let mine = attempts::mine(&state, &v, &id).await?;
    if mine.role == Role::Staff {
        let (_, lines) = grading::results(&state, &v, &id, filter).await?;
        let items = lines.iter().map(AttemptSummaryDto::line).collect();
        return Ok(Json(AttemptList { items, grade: None, can_start: false, cannot_start_reason: None }));
    }
    let marks = review_at(&mine.quiz.settings, &mine.limits, mine.now).marks;
    let refusal = mine.refusal().filter(|_| mine.open().is_none());
    Ok(Json(AttemptList {
        items: mine.attempts.iter().map(|a| AttemptSummaryDto::new(a, marks)).collect(),
        grade: mine.grade().filter(|_| marks),
        can_start: refusal.is_none(),
        cannot_start_reason: refusal.map(|r| refusal_kind(r).to_string()),
    }))
}

/// Starts an attempt (201), or returns the learner's open one (200): a
/// double click starts one attempt.
#[utoipa::path(post, path = "/api/v1/quizzes/{id}/attempts", security(("bearer" = []), ("session" = [])), tag = "quizzes",
    params(("id" = String, Path)),
    responses((status = 201, body = AttemptDto), (status = 200, body = AttemptDto), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn start_attempt(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<QuizId>,
) -> AppResult<Response> {
    let (view, created) = attempts::start_view(&state, &v, &id).await?;
    let status = if created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(AttemptDto::from(&view))).into_response())
}

/// The attempts table as CSV (staff).
#[utoipa::path(get, path = "/api/v1/quizzes/{id}/results.csv", security(("bearer" = []), ("session" = [])), tag = "quizzes",
    params(("id" = String, Path), AttemptParams),
    responses((status = 200, content_type = "text/csv", body = String), (status = 401, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn results_csv(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<QuizId>,
    ApiQuery(p): ApiQuery<AttemptParams>,
) -> AppResult<Response> {
    let filter = match p.state.as_deref() {
        None => Filter::All,
        Some(raw) => {
            Filter::parse(raw).ok_or_else(|| AppError::field("state", Text::new("quizzes.errors.attempt_state")))?
        }
    };
    let (quiz, lines) = grading::results(&state, &v, &id, filter).await?;
    let body = crate::http::csv::results(&lines);
    let name = format!("attachment; filename=\"quiz-{}-results.csv\"", quiz.id);
    Ok((
        [
            (http::header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (http::header::CONTENT_DISPOSITION, name),
        ],
        body,
    )
        .into_response())
}

/// The learners' accommodations (staff).
#[utoipa::path(get, path = "/api/v1/quizzes/{id}/overrides", security(("bearer" = []), ("session" = [])), tag = "quizzes",
    params(("id" = String, Path)),
    responses((status = 200, body = OverrideList), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn list_overrides(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<QuizId>,
) -> AppResult<Json<OverrideList>> {
    let rows = quizzes::overrides(&state, &v, &id).await?;
    Ok(Json(OverrideList { items: rows.iter().map(OverrideDto::from).collect() }))
}

/// Sets one enrolled learner's accommodation: another close date, another
/// time limit, more attempts. Their open attempt's deadline follows.
#[utoipa::path(put, path = "/api/v1/quizzes/{id}/overrides/{user_id}", security(("bearer" = []), ("session" = [])),
    tag = "quizzes", params(("id" = String, Path), ("user_id" = String, Path)), request_body = OverrideBody,
    responses((status = 204), (status = 401, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn set_override(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path((id, user_id)): Path<(QuizId, String)>,
    ApiJson(body): ApiJson<OverrideBody>,
) -> AppResult<StatusCode> {
    let over = body.into_override()?;
    quizzes::set_override(&state, &v, &id, &UserId::from(user_id.as_str()), &over).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(delete, path = "/api/v1/quizzes/{id}/overrides/{user_id}", security(("bearer" = []), ("session" = [])),
    tag = "quizzes", params(("id" = String, Path), ("user_id" = String, Path)),
    responses((status = 204), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn delete_override(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path((id, user_id)): Path<(QuizId, String)>,
) -> AppResult<StatusCode> {
    quizzes::delete_override(&state, &v, &id, &UserId::from(user_id.as_str())).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Regrades the quiz's submitted attempts (or one) in the background, after
/// a question was fixed: `202` with the regrade, whose `done` of `total`
/// is its progress.
#[utoipa::path(post, path = "/api/v1/quizzes/{id}/regrades", security(("bearer" = []), ("session" = [])),
    tag = "quizzes", params(("id" = String, Path)), request_body = RegradeBody,
    responses((status = 202, body = RegradeDto), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem)))]
pub async fn request_regrade(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<QuizId>,
    ApiJson(body): ApiJson<RegradeBody>,
) -> AppResult<(StatusCode, Json<RegradeDto>)> {
    let attempt = body.attempt_id.as_deref().map(crate::model::AttemptId::from);
    let row = regrade::request(&state, &v, &id, attempt.as_ref()).await?;
    Ok((StatusCode::ACCEPTED, Json(RegradeDto::from(&row))))
}

/// The quiz's regrades and their progress, newest first (staff).
#[utoipa::path(get, path = "/api/v1/quizzes/{id}/regrades", security(("bearer" = []), ("session" = [])),
    tag = "quizzes", params(("id" = String, Path)),
    responses((status = 200, body = RegradeList), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn list_regrades(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<QuizId>,
) -> AppResult<Json<RegradeList>> {
    let rows = regrade::list(&state, &v, &id).await?;
    Ok(Json(RegradeList { items: rows.iter().map(RegradeDto::from).collect() }))
}

/// Item analysis over the graded attempts (staff): per question, facility,
/// discrimination and how often each answer was given.
#[utoipa::path(get, path = "/api/v1/quizzes/{id}/analysis", security(("bearer" = []), ("session" = [])),
    tag = "quizzes", params(("id" = String, Path)),
    responses((status = 200, body = AnalysisDto), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn get_analysis(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<QuizId>,
) -> AppResult<Json<AnalysisDto>> {
    let (_, lines) = grading::analysis(&state, &v, &id).await?;
    Ok(Json(AnalysisDto::from(lines.as_slice())))
}

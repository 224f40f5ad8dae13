//! Marks brought back from offline marking (staff): the worksheet of the
//! submissions zip, previewed (`…/worksheet/preview`) and applied
//! (`…/worksheet/apply`) with the preview's digest; feedback files in the
//! zip's folders (`…/feedback-zip`).

use axum::{
    Json,
    extract::{Multipart, Path, State, multipart::MultipartRejection},
};
use lyceum_platform::{
    AppResult, AppState, Text,
    auth::CurrentUser,
    http::{errors::Problem, extract::ApiJson},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    http::upload::{self, FileForm},
    model::AssignmentId,
    service::{
        feedback_zip::{self, Outcome},
        worksheet::{self, Change, Preview, Problem as RowProblem},
    },
};

/// A worksheet to preview.
#[derive(Deserialize, ToSchema)]
pub struct WorksheetBody {
    /// The CSV (as `grades.csv` of the submissions zip: the `Submission` and
    /// `Points` columns are read, `Feedback` when present; comma, semicolon
    /// or tab separated; UTF-8, with or without a byte-order mark).
    pub csv: String,
}

/// A previewed worksheet to apply.
#[derive(Deserialize, ToSchema)]
pub struct WorksheetApplyBody {
    pub csv: String,
    /// The preview's `digest`: refused with `409 stale-preview` when the
    /// submissions changed since.
    pub digest: String,
}

/// One grade the worksheet changes.
#[derive(Serialize, ToSchema)]
pub struct WorksheetChangeDto {
    /// The row's line in the CSV (the header is line 1).
    pub line: u64,
    pub submission_id: String,
    /// The learner's name ("Participant …" under blind marking).
    pub learner: String,
    pub old_points: Option<f64>,
    pub new_points: f64,
    pub feedback_changed: bool,
}

/// A row left out.
#[derive(Serialize, ToSchema)]
pub struct WorksheetProblemDto {
    pub line: u64,
    /// The row's `Submission` cell as written.
    pub submission: String,
    /// e.g. `unknown_submission`, `not_a_number`, `out_of_range`.
    pub code: String,
    pub message: String,
}

/// What applying the worksheet would do.
#[derive(Serialize, ToSchema)]
pub struct WorksheetPreviewDto {
    pub changes: Vec<WorksheetChangeDto>,
    /// Rows matching what is stored, or without points.
    pub unchanged: usize,
    pub problems: Vec<WorksheetProblemDto>,
    /// Send it back to apply exactly these changes.
    pub digest: String,
}

/// How many grades were saved.
#[derive(Serialize, ToSchema)]
pub struct WorksheetApplied {
    pub applied: usize,
}

impl From<&Change> for WorksheetChangeDto {
    fn from(c: &Change) -> Self {
        Self {
            line: c.line,
            submission_id: c.submission_id.clone(),
            learner: c.learner.clone(),
            old_points: c.old_points,
            new_points: c.new_points,
            feedback_changed: c.feedback_changed,
        }
    }
}

impl From<&RowProblem> for WorksheetProblemDto {
    fn from(p: &RowProblem) -> Self {
        let key = p.problem.key();
        Self {
            line: p.line,
            submission: p.submission.clone(),
            code: key.rsplit('.').next().unwrap_or(key).to_string(),
            message: Text::new(key).english(),
        }
    }
}

impl From<&Preview> for WorksheetPreviewDto {
    fn from(p: &Preview) -> Self {
        Self {
            changes: p.changes.iter().map(WorksheetChangeDto::from).collect(),
            unchanged: p.unchanged,
            problems: p.problems.iter().map(WorksheetProblemDto::from).collect(),
            digest: p.digest.clone(),
        }
    }
}

/// What an edited worksheet would change, row by row, and the rows left out
/// with why (staff). `422` on `sheet` without a `Submission` or `Points` column.
#[utoipa::path(post, path = "/api/v1/assignments/{id}/worksheet/preview", security(("bearer" = []), ("session" = [])),
    tag = "assignments", params(("id" = String, Path)), request_body = WorksheetBody,
    responses((status = 200, body = WorksheetPreviewDto), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn preview_worksheet(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<AssignmentId>,
    ApiJson(body): ApiJson<WorksheetBody>,
) -> AppResult<Json<WorksheetPreviewDto>> {
    let preview = worksheet::preview(&state, &v, &id, &body.csv).await?;
    Ok(Json(WorksheetPreviewDto::from(&preview)))
}

/// Saves the previewed grades, each as the grading page would (late penalty,
/// the learner's notice when grades are visible); rows with problems are
/// left out. `409 stale-preview` when the submissions changed since the preview.
#[utoipa::path(post, path = "/api/v1/assignments/{id}/worksheet/apply", security(("bearer" = []), ("session" = [])),
    tag = "assignments", params(("id" = String, Path)), request_body = WorksheetApplyBody,
    responses((status = 200, body = WorksheetApplied), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn apply_worksheet(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<AssignmentId>,
    ApiJson(body): ApiJson<WorksheetApplyBody>,
) -> AppResult<Json<WorksheetApplied>> {
    let applied = worksheet::apply(&state, &v, &id, &body.csv, &body.digest).await?;
    Ok(Json(WorksheetApplied { applied }))
}

/// One file of an uploaded feedback zip.
#[derive(Serialize, ToSchema)]
pub struct FeedbackZipFileDto {
    /// Its path in the zip.
    pub path: String,
    /// The submission its folder names, if any.
    pub submission_id: Option<String>,
    /// True: attached as a feedback file; false: left out (`reason`).
    pub attached: bool,
    pub reason: Option<String>,
}

/// What became of each file of the zip.
#[derive(Serialize, ToSchema)]
pub struct FeedbackZipReport {
    pub files: Vec<FeedbackZipFileDto>,
}

impl From<&Outcome> for FeedbackZipFileDto {
    fn from(o: &Outcome) -> Self {
        Self {
            path: o.path.clone(),
            submission_id: o.submission_id.clone(),
            attached: o.refusal.is_none(),
            reason: o.refusal.as_ref().map(Text::english),
        }
    }
}

/// Feedback files from offline marking (staff): the submissions zip's
/// folders with the grader's files added, as one zip (multipart field
/// `file`). Each new or changed file in a learner's folder becomes a
/// feedback file of that submission; the rest is reported with why.
#[utoipa::path(post, path = "/api/v1/assignments/{id}/feedback-zip", security(("bearer" = []), ("session" = [])),
    tag = "assignments", params(("id" = String, Path)), request_body(content = FileForm, content_type = "multipart/form-data"),
    responses((status = 200, body = FeedbackZipReport), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 413, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)))]
pub async fn upload_feedback_zip(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<AssignmentId>,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<Json<FeedbackZipReport>> {
    let file = upload::read_file(multipart).await?;
    let outcomes = feedback_zip::upload(&state, &v, &id, file).await?;
    Ok(Json(FeedbackZipReport { files: outcomes.iter().map(FeedbackZipFileDto::from).collect() }))
}

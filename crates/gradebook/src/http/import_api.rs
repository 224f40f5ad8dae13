//! `POST /api/v1/courses/{id}/gradebook/import/preview` and `…/import/apply`:
//! manual items' grades from a CSV (the export's shape), previewed, then
//! applied with the preview's digest (409 `stale-preview` when grades changed since).

use axum::{
    Json,
    extract::{Path, State},
};
use lyceum_platform::{
    AppResult, AppState, Text, auth::CurrentUser, http::errors::Problem as ProblemDoc, http::extract::ApiJson,
    ids::CourseId,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    import::{Change, Ignored, Plan, Problem, RowError},
    service::import,
};

/// A CSV of grades: the export's shape (an `E-mail` column, one column per
/// item title); comma or semicolon; only manual items are written.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct ImportBody {
    pub csv: String,
}

/// The CSV again, with the digest of its preview.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct ApplyBody {
    pub csv: String,
    pub digest: String,
}

#[derive(Serialize, ToSchema)]
pub struct ChangeDto {
    pub user_id: String,
    pub name: String,
    pub email: String,
    pub item_id: String,
    pub item_title: String,
    /// The grade now (none: not graded).
    pub old: Option<f64>,
    pub new: f64,
}

/// A refused row or cell.
#[derive(Serialize, ToSchema)]
pub struct RowErrorDto {
    /// The line in the file (1: the header).
    pub line: usize,
    pub column: Option<String>,
    pub email: Option<String>,
    /// `unknown_email`, `not_enrolled`, `not_a_number`, `out_of_range`, `unknown_column` or `duplicate_row`.
    pub problem: String,
    pub message: String,
}

/// A column read and left alone.
#[derive(Serialize, ToSchema)]
pub struct IgnoredDto {
    pub column: String,
    /// `export` (the export's name, total or letter) or the item's source (`quiz`, `assignment`).
    pub reason: String,
}

#[derive(Serialize, ToSchema)]
pub struct PreviewDto {
    pub changes: Vec<ChangeDto>,
    pub errors: Vec<RowErrorDto>,
    pub ignored: Vec<IgnoredDto>,
    /// Cells holding the grade already there.
    pub unchanged: usize,
    /// Send it back with the CSV to apply.
    pub digest: String,
}

#[derive(Serialize, ToSchema)]
pub struct AppliedDto {
    /// Grades written.
    pub applied: usize,
}

/// The problem's name and its sentence.
pub(super) fn problem_text(p: &Problem) -> (&'static str, Text) {
    match p {
        Problem::UnknownEmail => ("unknown_email", Text::new("gradebook.import.unknown_email")),
        Problem::NotEnrolled => ("not_enrolled", Text::new("gradebook.import.not_enrolled")),
        Problem::NotANumber { value } => {
            ("not_a_number", Text::new("gradebook.import.not_a_number").arg("value", value))
        }
        Problem::OutOfRange { max } => ("out_of_range", Text::new("gradebook.import.out_of_range").arg("max", max)),
        Problem::UnknownColumn => ("unknown_column", Text::new("gradebook.import.unknown_column")),
        Problem::DuplicateRow => ("duplicate_row", Text::new("gradebook.import.duplicate_row")),
    }
}

impl From<&Change> for ChangeDto {
    fn from(c: &Change) -> Self {
        Self {
            user_id: c.user_id.clone(),
            name: c.name.clone(),
            email: c.email.clone(),
            item_id: c.item_id.clone(),
            item_title: c.item_title.clone(),
            old: c.old,
            new: c.new,
        }
    }
}

impl From<&RowError> for RowErrorDto {
    fn from(e: &RowError) -> Self {
        let (problem, text) = problem_text(&e.problem);
        Self {
            line: e.line,
            column: e.column.clone(),
            email: e.email.clone(),
            problem: problem.to_string(),
            message: text.english(),
        }
    }
}

impl From<&Ignored> for IgnoredDto {
    fn from(i: &Ignored) -> Self {
        Self { column: i.column.clone(), reason: i.reason.clone() }
    }
}

impl From<&Plan> for PreviewDto {
    fn from(p: &Plan) -> Self {
        Self {
            changes: p.changes.iter().map(ChangeDto::from).collect(),
            errors: p.errors.iter().map(RowErrorDto::from).collect(),
            ignored: p.ignored.iter().map(IgnoredDto::from).collect(),
            unchanged: p.unchanged,
            digest: p.digest(),
        }
    }
}

/// What a CSV of manual grades would change (staff); nothing is written.
#[utoipa::path(post, path = "/api/v1/courses/{id}/gradebook/import/preview", security(("bearer" = []), ("session" = [])),
    tag = "gradebook", params(("id" = String, Path)), request_body = ImportBody,
    responses((status = 200, body = PreviewDto), (status = 401, body = ProblemDoc), (status = 404, body = ProblemDoc),
        (status = 422, body = ProblemDoc)))]
pub async fn preview_import(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<CourseId>,
    ApiJson(body): ApiJson<ImportBody>,
) -> AppResult<Json<PreviewDto>> {
    let plan = import::preview(&state, &v, &id, &body.csv).await?;
    Ok(Json(PreviewDto::from(&plan)))
}

/// Writes a previewed CSV's changes in one transaction (staff); refused rows
/// are skipped as previewed; 409 `stale-preview` when grades changed since.
#[utoipa::path(post, path = "/api/v1/courses/{id}/gradebook/import/apply", security(("bearer" = []), ("session" = [])),
    tag = "gradebook", params(("id" = String, Path)), request_body = ApplyBody,
    responses((status = 200, body = AppliedDto), (status = 401, body = ProblemDoc), (status = 404, body = ProblemDoc),
        (status = 409, body = ProblemDoc), (status = 422, body = ProblemDoc)))]
pub async fn apply_import(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<CourseId>,
    ApiJson(body): ApiJson<ApplyBody>,
) -> AppResult<Json<AppliedDto>> {
    let applied = import::apply(&state, &v, &id, &body.csv, &body.digest).await?;
    Ok(Json(AppliedDto { applied }))
}

//! The import page (`/teach/courses/{id}/gradebook/import`, linked from the
//! grid): upload a CSV → its preview (changes, refused rows, columns left
//! alone) → "Apply", which posts the file back with the preview's digest.

use askama::Template;
use axum::{
    extract::{Multipart, Path, State, multipart::MultipartRejection},
    http::StatusCode,
    response::Response,
};
use lyceum_courses::model::Course;
use lyceum_platform::{
    AppError, AppResult, AppState, Text,
    http::extract::PageForm,
    ids::CourseId,
    web::{FlashKind, Page, Reply, guard::SignedIn, redirect_with_flash},
};
use serde::Deserialize;

use super::import_api::problem_text;
use crate::{
    GradebookError, ImportFileProblem,
    import::{Plan, RowError},
    service,
};

#[derive(Template)]
#[template(path = "gradebook/import.html")]
struct ImportPage {
    page: Page,
    course: Course,
    /// The previewed file (sent back with "Apply") and its plan.
    preview: Option<(String, Plan)>,
    error: Option<String>,
}

impl ImportPage {
    fn points(&self, value: &Option<f64>) -> String {
        value.map(|v| format!("{v}")).unwrap_or_else(|| "–".to_string())
    }
    fn problem(&self, e: &RowError) -> String {
        problem_text(&e.problem).1.in_lang(self.page.locale)
    }
    fn reason(&self, reason: &str) -> String {
        self.page.t_in("gradebook.import.ignored_reasons", reason)
    }
}

async fn course(state: &AppState, s: &SignedIn, id: &CourseId) -> Result<Course, AppError> {
    Ok(service::settings(state, &s.viewer, id).await?.0)
}

pub async fn show(State(state): State<AppState>, s: SignedIn, Path(id): Path<CourseId>) -> AppResult<Response> {
    let course = course(&state, &s, &id).await?;
    Reply::OK.render(&ImportPage { page: s.page, course, preview: None, error: None })
}

/// The uploaded file's text, or why it cannot be read.
async fn file_text(multipart: Result<Multipart, MultipartRejection>) -> Result<String, GradebookError> {
    let mut multipart = multipart.map_err(|_| GradebookError::ImportFile(ImportFileProblem::Empty))?;
    let too_large = |_| AppError::payload_too_large(Text::new("gradebook.import.too_large"));
    while let Some(field) = multipart.next_field().await.map_err(too_large)? {
        if field.name() == Some("file") {
            let bytes = field.bytes().await.map_err(too_large)?;
            return String::from_utf8(bytes.to_vec())
                .map_err(|_| GradebookError::ImportFile(ImportFileProblem::NotUtf8));
        }
    }
    Err(GradebookError::ImportFile(ImportFileProblem::Empty))
}

/// The form again, 422, with the reason.
async fn refused(state: &AppState, s: SignedIn, id: &CourseId, e: GradebookError) -> AppResult<Response> {
    let text = match e {
        GradebookError::ImportFile(p) => GradebookError::import_text(p),
        GradebookError::Other(e) => return Err(e),
        other => return Err(other.into()),
    };
    let course = course(state, &s, id).await?;
    let error = Some(text.in_lang(s.page.locale));
    Reply::status(StatusCode::UNPROCESSABLE_ENTITY).render(&ImportPage { page: s.page, course, preview: None, error })
}

pub async fn preview(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<CourseId>,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    let planned = match file_text(multipart).await {
        Ok(text) => service::import::preview(&state, &s.viewer, &id, &text).await.map(|plan| (text, plan)),
        Err(e) => Err(e),
    };
    match planned {
        Ok(preview) => {
            let course = course(&state, &s, &id).await?;
            Reply::OK.render(&ImportPage { page: s.page, course, preview: Some(preview), error: None })
        }
        Err(e) => refused(&state, s, &id, e).await,
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ApplyForm {
    csv: String,
    digest: String,
}

pub async fn apply(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<CourseId>,
    PageForm(form): PageForm<ApplyForm>,
) -> AppResult<Response> {
    let grid = format!("/teach/courses/{}/gradebook", id.as_str());
    match service::import::apply(&state, &s.viewer, &id, &form.csv, &form.digest).await {
        Ok(_) => Ok(redirect_with_flash(&grid, FlashKind::Success, "gradebook.flash.imported")),
        Err(GradebookError::StalePreview) => {
            Ok(redirect_with_flash(&format!("{grid}/import"), FlashKind::Error, "gradebook.errors.stale_preview"))
        }
        Err(e) => refused(&state, s, &id, e).await,
    }
}

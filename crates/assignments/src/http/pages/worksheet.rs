//! Uploading marks (`/teach/assignments/{id}/worksheet`): the worksheet of
//! the submissions zip, edited offline, uploaded; a preview of every change
//! and every row left out; "Save" applies exactly the previewed changes.
//! Both forms are multipart: the sheet travels back with the preview's
//! digest without growing (a form-encoded copy could triple in size).

use askama::Template;
use axum::{
    extract::{Multipart, Path, State, multipart::MultipartRejection},
    response::Response,
};
use lyceum_platform::{
    AppResult, AppState, FieldError, Text,
    web::{FlashKind, FormErrors, Page, Refused, Reply, guard::SignedIn, redirect_with_flash},
};

use crate::{
    http::upload,
    model::AssignmentId,
    service::{
        Assignment,
        feedback_zip::{self, Outcome},
        grading,
        worksheet::{self, Preview, Problem, SHEET_MAX_BYTES},
    },
};

#[derive(Template)]
#[template(path = "assignments/worksheet.html")]
struct UploadPage {
    page: Page,
    assignment: Assignment,
    errors: FormErrors,
}

#[derive(Template)]
#[template(path = "assignments/feedback_zip.html")]
struct ZipReportPage {
    page: Page,
    assignment: Assignment,
    outcomes: Vec<Outcome>,
}

impl ZipReportPage {
    fn attached(&self) -> usize {
        self.outcomes.iter().filter(|o| o.refusal.is_none()).count()
    }
    fn reason(&self, o: &Outcome) -> String {
        o.refusal.as_ref().map(|t| t.in_lang(self.page.locale)).unwrap_or_default()
    }
}

#[derive(Template)]
#[template(path = "assignments/worksheet_preview.html")]
struct PreviewPage {
    page: Page,
    preview: Preview,
    sheet: String,
}

impl UploadPage {
    fn step_fill(&self) -> String {
        let max = self.assignment.settings.max_points;
        Text::new("assignments.worksheet.step_fill").arg("max", max).in_lang(self.page.locale)
    }
}

impl PreviewPage {
    fn points(&self, value: &Option<f64>) -> String {
        value.map(|v| v.to_string()).unwrap_or_else(|| "—".to_string())
    }
    fn summary(&self) -> String {
        Text::new("assignments.worksheet.summary")
            .arg("changes", self.preview.changes.len())
            .arg("unchanged", self.preview.unchanged)
            .arg("problems", self.preview.problems.len())
            .in_lang(self.page.locale)
    }
    fn problem(&self, p: &Problem) -> String {
        let at = Text::new("assignments.worksheet.problem_line").arg("line", p.line).arg("submission", &p.submission);
        format!("{} {}", at.in_lang(self.page.locale), self.page.t(p.problem.key()))
    }
    fn apply_label(&self) -> String {
        Text::new("assignments.worksheet.apply").arg("count", self.preview.changes.len()).in_lang(self.page.locale)
    }
}

/// The feedback zip's upload: a report of every file, or the upload form
/// with what is wrong.
pub async fn feedback_zip(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<AssignmentId>,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    let file = match upload::read_file(multipart).await {
        Ok(file) => file,
        Err(why) => {
            let message = Text::new(why.flash_key()).in_lang(s.page.locale);
            return refuse_upload(&state, s, &id, FieldError::new("file", message)).await;
        }
    };
    match feedback_zip::upload(&state, &s.viewer, &id, file).await {
        Ok(outcomes) => {
            let (_, assignment, _) = grading::overview(&state, &s.viewer, &id).await?;
            Reply::OK.render(&ZipReportPage { page: s.page, assignment, outcomes })
        }
        Err(e) => {
            let Refused { errors, reply, .. } = Refused::from_error(e.into(), s.page.locale)?;
            let (_, assignment, _) = grading::overview(&state, &s.viewer, &id).await?;
            reply.render(&UploadPage { page: s.page, assignment, errors })
        }
    }
}

fn queue_url(id: &str) -> String {
    format!("/teach/assignments/{id}/submissions")
}

/// The upload form.
pub async fn form(State(state): State<AppState>, s: SignedIn, Path(id): Path<AssignmentId>) -> AppResult<Response> {
    let (_, assignment, _) = grading::overview(&state, &s.viewer, &id).await?;
    Reply::OK.render(&UploadPage { page: s.page, assignment, errors: FormErrors::none() })
}

/// The uploaded sheet's preview, or the upload form with what is wrong.
pub async fn preview(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<AssignmentId>,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    let fields = read_fields(multipart).await;
    let refusal = match &fields {
        None => Some("assignments.worksheet.too_large"),
        Some(f) if f.not_utf8 => Some("assignments.worksheet.not_utf8"),
        Some(f) if f.sheet.is_none() => Some("assignments.worksheet.no_file"),
        Some(_) => None,
    };
    let (Some(Fields { sheet: Some(sheet), .. }), None) = (fields, refusal) else {
        let message = Text::new(refusal.unwrap_or("assignments.worksheet.no_file")).in_lang(s.page.locale);
        return refuse_upload(&state, s, &id, FieldError::new("sheet", message)).await;
    };
    match worksheet::preview(&state, &s.viewer, &id, &sheet).await {
        Ok(preview) => Reply::OK.render(&PreviewPage { page: s.page, preview, sheet }),
        Err(e) => {
            let Refused { errors, reply, .. } = Refused::from_error(e.into(), s.page.locale)?;
            let (_, assignment, _) = grading::overview(&state, &s.viewer, &id).await?;
            reply.render(&UploadPage { page: s.page, assignment, errors })
        }
    }
}

/// Saves the previewed grades; back to the queue with how many.
pub async fn apply(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<AssignmentId>,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    let fields = read_fields(multipart).await.unwrap_or_default();
    let sheet = fields.sheet.unwrap_or_default();
    let to = format!("/teach/assignments/{id}/worksheet");
    match worksheet::apply(&state, &s.viewer, &id, &sheet, &fields.digest).await {
        Ok(_) => Ok(redirect_with_flash(&queue_url(id.as_str()), FlashKind::Success, "assignments.worksheet.applied")),
        Err(e) => match e.flash_key() {
            Some(key) => Ok(redirect_with_flash(&to, FlashKind::Error, key)),
            None => Err(e.into()),
        },
    }
}

async fn refuse_upload(state: &AppState, s: SignedIn, id: &AssignmentId, error: FieldError) -> AppResult<Response> {
    let (_, assignment, _) = grading::overview(state, &s.viewer, id).await?;
    let errors = FormErrors { general: None, fields: vec![error] };
    Reply::status(http::StatusCode::UNPROCESSABLE_ENTITY).render(&UploadPage { page: s.page, assignment, errors })
}

/// The forms' fields: the sheet (a file on upload, text on apply) and the digest.
#[derive(Default)]
struct Fields {
    sheet: Option<String>,
    digest: String,
    /// The sheet is not UTF-8 (a spreadsheet's "CSV" in a legacy encoding):
    /// refused rather than read with its accents broken.
    not_utf8: bool,
}

/// The fields, or none when the body is not multipart or over the limits.
async fn read_fields(multipart: Result<Multipart, MultipartRejection>) -> Option<Fields> {
    let mut multipart = multipart.ok()?;
    let mut fields = Fields::default();
    while let Some(field) = multipart.next_field().await.ok()? {
        let name = field.name().unwrap_or_default().to_string();
        let bytes = field.bytes().await.ok()?;
        if bytes.len() > SHEET_MAX_BYTES {
            return None;
        }
        let Ok(text) = String::from_utf8(bytes.to_vec()) else {
            fields.not_utf8 = true;
            continue;
        };
        match name.as_str() {
            "sheet" if !text.trim().is_empty() => fields.sheet = Some(text),
            "digest" => fields.digest = text,
            _ => {}
        }
    }
    Some(fields)
}

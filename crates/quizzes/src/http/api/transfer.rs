//! `/api/v1/courses/{id}/questions/import` and `…/export`: a bank to and
//! from GIFT or Moodle XML.

use axum::{
    Json,
    extract::{FromRequest, Multipart, Path, Request, State},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use lyceum_platform::{
    AppError, AppResult, AppState, Text,
    auth::CurrentUser,
    http::{
        errors::Problem,
        extract::{ApiJson, ApiQuery},
    },
    ids::CourseId,
};

use super::dto::*;
use crate::{
    http::upload,
    model::{CategoryId, Format},
    service::{
        imports,
        transfer::{self, Export, Started},
    },
};

/// Imports a GIFT or Moodle XML file: JSON `{format, text}`, or a multipart
/// form with `format` then the file in `file` (up to the body limit). A file
/// of up to 200 questions: every valid question is imported in one
/// transaction, the file's categories made under the course, the rest listed
/// in `problems` with their line (`200`). A larger file is imported in the
/// background: `202` with the import, to follow at its `url`.
#[utoipa::path(post, path = "/api/v1/courses/{id}/questions/import", security(("bearer" = []), ("session" = [])),
    tag = "questions", params(("id" = String, Path)),
    request_body(content((ImportBody = "application/json"), (upload::ImportForm = "multipart/form-data"))),
    responses((status = 200, body = ImportReportDto), (status = 202, body = QuestionImportDto),
        (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn import_questions(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<CourseId>,
    req: Request,
) -> AppResult<Response> {
    let is_multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let (format, text) = if is_multipart {
        let form = upload::read_import(Multipart::from_request(req, &state).await).await?;
        (form.format, form.text)
    } else {
        let ApiJson(body) = ApiJson::<ImportBody>::from_request(req, &state).await?;
        (body.format, body.text)
    };
    Ok(match transfer::import(&state, &v, &id, format, &text).await? {
        Started::Done(outcome) => {
            let problems =
                outcome.problems.into_iter().map(|p| ProblemLineDto { line: p.line, message: p.message }).collect();
            Json(ImportReportDto { imported: outcome.imported, problems }).into_response()
        }
        Started::InTheBackground(row) => {
            let dto = QuestionImportDto::from(&row);
            (StatusCode::ACCEPTED, [(header::LOCATION, dto.url.clone())], Json(dto)).into_response()
        }
    })
}

/// A background import's progress and, once finished, its report (the
/// course's staff; anyone else `404`).
#[utoipa::path(get, path = "/api/v1/question-imports/{id}", security(("bearer" = []), ("session" = [])),
    tag = "questions", params(("id" = String, Path)),
    responses((status = 200, body = QuestionImportDto), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn get_question_import(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Json<QuestionImportDto>> {
    let row = imports::get(&state, &v, &id).await?;
    Ok(Json(QuestionImportDto::from(&row)))
}

/// Exports the bank (or `category` and its subcategories) as a file to
/// download, or with `report=json` as JSON with what was skipped or lost.
/// The file's answer says how many questions were skipped or written with
/// losses in `X-Export-Skipped` and `X-Export-Lossy`.
#[utoipa::path(get, path = "/api/v1/courses/{id}/questions/export", security(("bearer" = []), ("session" = [])),
    tag = "questions", params(("id" = String, Path), ExportParams),
    responses(
        (status = 200, description = "The file (GIFT as text/plain, Moodle XML as application/xml), or the JSON report",
            content((String = "text/plain"), (String = "application/xml"), (ExportDto = "application/json"))),
        (status = 401, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn export_questions(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<CourseId>,
    ApiQuery(p): ApiQuery<ExportParams>,
) -> AppResult<Response> {
    let format = p.format.unwrap_or_default();
    let as_json = match p.report.as_deref() {
        None => false,
        Some("json") => true,
        Some(_) => return Err(AppError::field("report", Text::new("quizzes.errors.export_report"))),
    };
    let category = p.category.as_deref().map(CategoryId::from);
    let export = transfer::export(&state, &v, &id, format, category.as_ref()).await?;
    if as_json {
        let note = |(name, reason): &(String, String)| ExportNoteDto { name: name.clone(), reason: reason.clone() };
        let Export { filename, report } = export;
        let skipped = report.skipped.iter().map(note).collect();
        let lossy = report.lossy.iter().map(note).collect();
        return Ok(Json(ExportDto { format, filename, text: report.text, skipped, lossy }).into_response());
    }
    Ok(download(format, export))
}

/// The file as an attachment; counts of what was skipped or lost in headers.
pub(crate) fn download(format: Format, export: Export) -> Response {
    let disposition = format!("attachment; filename=\"{}\"", export.filename.replace(['"', '\\'], "_"));
    (
        [
            (header::CONTENT_TYPE, format.content_type().to_string()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::HeaderName::from_static("x-export-skipped"), export.report.skipped.len().to_string()),
            (header::HeaderName::from_static("x-export-lossy"), export.report.lossy.len().to_string()),
        ],
        export.report.text,
    )
        .into_response()
}

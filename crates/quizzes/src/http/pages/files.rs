//! Quiz files on the pages: serving a question's image
//! (`/question-files/{id}`) and an essay answer's file
//! (`/quiz-attempts/{id}/files/{file_id}`, always as a download), the bank's
//! image upload form, and the attempt page's small forms that attach a file
//! to an essay answer or remove one (multipart, so the attempt's own form
//! stays urlencoded; the token rides in the address, see `web::csrf`).

use axum::{
    extract::{Multipart, Path, Query, State, multipart::MultipartRejection},
    response::Response,
};
use http::{HeaderMap, HeaderValue, Method, header};
use lyceum_platform::{
    AppError, AppResult, AppState,
    auth::MaybeUser,
    http::media::{self, Caching, Media, content_disposition},
    ids::CourseId,
    web::{FlashKind, guard::SignedIn, redirect_with_flash},
};
use serde::Deserialize;

use crate::{
    QuizError,
    http::{api::files::slot_number, upload},
    model::AttemptId,
    service::{answer_files, question_files},
};

/// Access depends on who asks: only the viewer's browser keeps a copy.
const CACHING: Caching = Caching::Private { max_age_secs: 300 };

/// `GET|HEAD /question-files/{id}`: an image of a question, for the course's
/// staff and its enrolled learners (404 to everyone else).
pub async fn serve_question_file(
    State(state): State<AppState>,
    MaybeUser(viewer): MaybeUser,
    Path(id): Path<String>,
    method: Method,
    headers: HeaderMap,
) -> AppResult<Response> {
    let file = question_files::open(&state, viewer.as_ref(), &id).await?;
    let served = Media { key: &file.storage_key, content_type: &file.content_type, caching: CACHING };
    media::serve(&state.storage, served, &method, &headers).await
}

/// `GET|HEAD /quiz-attempts/{id}/files/{file_id}`: a file of an essay answer,
/// for the attempt's learner and the course's staff, always as a download.
pub async fn serve_answer_file(
    State(state): State<AppState>,
    MaybeUser(viewer): MaybeUser,
    Path((id, file_id)): Path<(AttemptId, String)>,
    method: Method,
    headers: HeaderMap,
) -> AppResult<Response> {
    let file = answer_files::open(&state, viewer.as_ref(), &id, &file_id).await?;
    let served = Media { key: &file.storage_key, content_type: &file.content_type, caching: CACHING };
    let mut response = media::serve(&state.storage, served, &method, &headers).await?;
    let disposition = HeaderValue::try_from(content_disposition(&file.name)).map_err(AppError::internal)?;
    response.headers_mut().insert(header::CONTENT_DISPOSITION, disposition);
    Ok(response)
}

/// The flash of a refused upload (the API's problem carries the details).
fn refusal_flash(e: &QuizError) -> Option<&'static str> {
    Some(match e {
        QuizError::File(why) => why.flash_key(),
        QuizError::TooManyFiles { .. } => "quizzes.files.refused_count",
        QuizError::NoFilesHere(_) => "quizzes.files.refused_here",
        QuizError::AttemptClosed => "quizzes.errors.attempt_closed",
        QuizError::AnswerChecked(_) => "quizzes.files.refused_checked",
        _ => return None,
    })
}

/// The flash of an upload whose form could not be read.
fn unread_flash(e: &AppError) -> &'static str {
    match e.status {
        http::StatusCode::PAYLOAD_TOO_LARGE => "quizzes.files.refused_size",
        _ => "quizzes.files.refused_empty",
    }
}

/// The bank's image upload form: back to the bank's list of images.
pub async fn upload_question_file(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<CourseId>,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    let to = format!("{}#question-files", super::bank::bank_url(id.as_str()));
    let file = match upload::read_file(multipart).await {
        Ok(file) => file,
        Err(e) => return Ok(redirect_with_flash(&to, FlashKind::Error, unread_flash(&e))),
    };
    match question_files::upload(&state, &s.viewer, &id, &file.name, file.data).await {
        Ok(_) => Ok(redirect_with_flash(&to, FlashKind::Success, "quizzes.files.uploaded")),
        Err(e) => match refusal_flash(&e) {
            Some(key) => Ok(redirect_with_flash(&to, FlashKind::Error, key)),
            None => Err(e.into()),
        },
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Back {
    /// The attempt's page the form was on.
    page: usize,
}

fn attempt_page(id: &AttemptId, page: usize, slot: usize) -> String {
    format!("/quiz-attempts/{id}?page={page}#question-{}", slot + 1)
}

/// The attempt page's form attaching a file to an essay answer.
pub async fn attach_answer_file(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, slot)): Path<(AttemptId, String)>,
    Query(back): Query<Back>,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    let slot = slot_number(&slot)?;
    let to = attempt_page(&id, back.page, slot);
    let file = match upload::read_file(multipart).await {
        Ok(file) => file,
        Err(e) => return Ok(redirect_with_flash(&to, FlashKind::Error, unread_flash(&e))),
    };
    match answer_files::attach(&state, &s.viewer, &id, slot, &file.name, file.data).await {
        Ok(_) => Ok(redirect_with_flash(&to, FlashKind::Success, "quizzes.files.attached")),
        Err(e) => match refusal_flash(&e) {
            Some(key) => Ok(redirect_with_flash(&to, FlashKind::Error, key)),
            None => Err(e.into()),
        },
    }
}

/// The attempt page's button removing a file from an essay answer.
pub async fn detach_answer_file(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, slot, file_id)): Path<(AttemptId, String, String)>,
    Query(back): Query<Back>,
) -> AppResult<Response> {
    let slot = slot_number(&slot)?;
    let to = attempt_page(&id, back.page, slot);
    match answer_files::detach(&state, &s.viewer, &id, slot, &file_id).await {
        Ok(()) => Ok(redirect_with_flash(&to, FlashKind::Success, "quizzes.files.removed")),
        Err(e) => match refusal_flash(&e) {
            Some(key) => Ok(redirect_with_flash(&to, FlashKind::Error, key)),
            None => Err(e.into()),
        },
    }
}

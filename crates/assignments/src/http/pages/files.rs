//! Submission files on the pages: serving one (always as a download, to the
//! learner and the course's staff), and the learner page's forms adding and
//! removing one.

use axum::response::IntoResponse;
use axum::{
    extract::{Multipart, Path, State, multipart::MultipartRejection},
    response::Response,
};
use http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use lyceum_platform::{
    AppError, AppResult, AppState,
    auth::MaybeUser,
    http::media::{self, Caching, Media, content_disposition},
    web::{FlashKind, Refused, guard::SignedIn, redirect_with_flash},
};

use super::{back, learner::page_url};
use crate::{
    http::upload,
    model::{AssignmentId, SubmissionId},
    repo::files::FileRow,
    service::{submissions, tries},
};

/// Access depends on who asks: only the viewer's browser keeps a copy.
pub(crate) const CACHING: Caching = Caching::Private { max_age_secs: 300 };

/// `GET|HEAD /assignment-submissions/{id}/files/{file_id}`.
pub async fn serve(
    State(state): State<AppState>,
    MaybeUser(viewer): MaybeUser,
    Path((id, file_id)): Path<(SubmissionId, String)>,
    method: Method,
    headers: HeaderMap,
) -> AppResult<Response> {
    let file = submissions::open_file(&state, viewer.as_ref(), &id, &file_id).await?;
    download(&state, &file, &method, &headers).await
}

/// `GET|HEAD /assignment-submissions/{id}/tries/{number}/files/{file_id}`: a past try's file.
pub async fn serve_try(
    State(state): State<AppState>,
    MaybeUser(viewer): MaybeUser,
    Path((id, number, file_id)): Path<(SubmissionId, i64, String)>,
    method: Method,
    headers: HeaderMap,
) -> AppResult<Response> {
    let file = tries::open_file(&state, viewer.as_ref(), &id, number, &file_id).await?;
    download(&state, &file, &method, &headers).await
}

/// `GET|HEAD /assignment-submissions/{id}/tries/{number}/feedback/{file_id}`:
/// a past try's feedback file.
pub async fn serve_try_feedback(
    State(state): State<AppState>,
    MaybeUser(viewer): MaybeUser,
    Path((id, number, file_id)): Path<(SubmissionId, i64, String)>,
    method: Method,
    headers: HeaderMap,
) -> AppResult<Response> {
    let file = tries::open_feedback_file(&state, viewer.as_ref(), &id, number, &file_id).await?;
    download(&state, &file, &method, &headers).await
}

/// A stored file, always as a download under its name.
async fn download(state: &AppState, file: &FileRow, method: &Method, headers: &HeaderMap) -> AppResult<Response> {
    let served = Media { key: &file.storage_key, content_type: &file.content_type, caching: CACHING };
    download_as(state, served, &file.name, method, headers).await
}

/// A stored object as a download under `name` (every file the module
/// serves: a submission's, a feedback's, an instruction's attachment).
pub(crate) async fn download_as(
    state: &AppState,
    served: Media<'_>,
    name: &str,
    method: &Method,
    headers: &HeaderMap,
) -> AppResult<Response> {
    let mut response = media::serve(&state.storage, served, method, headers).await?;
    let disposition = HeaderValue::try_from(content_disposition(name)).map_err(AppError::internal)?;
    response.headers_mut().insert(header::CONTENT_DISPOSITION, disposition);
    Ok(response)
}

/// The header `assignment-upload.js` marks its uploads with: it shows the
/// progress, then wants the outcome without a redirect.
const SCRIPTED: &str = "x-lyceum-upload";

/// The learner page's upload form. Posted by the page's script, it answers
/// 204 with the page's message set (the script reloads the page), or the
/// refusal as text in the page's language; posted plainly, a redirect.
pub async fn attach(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<AssignmentId>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    let scripted = headers.contains_key(SCRIPTED);
    let to = format!("{}#files", page_url(id.as_str()));
    let viewer = &s.viewer;
    let attach = async |file: upload::FileStream<'_>, name: String, statement: bool| {
        submissions::attach(&state, viewer, &id, &name, file, statement).await.map(|_| ())
    };
    let done = match upload::stream_file(multipart, attach).await {
        Ok(done) => done,
        Err(why) if scripted => return Ok((AppError::from(why).status, s.page.t(why.flash_key())).into_response()),
        Err(why) => return Ok(redirect_with_flash(&to, FlashKind::Error, why.flash_key())),
    };
    match done {
        Ok(()) if scripted => {
            let mut answer = redirect_with_flash(&to, FlashKind::Success, "assignments.files.attached");
            *answer.status_mut() = StatusCode::NO_CONTENT;
            answer.headers_mut().remove(header::LOCATION);
            Ok(answer)
        }
        Err(e) if scripted => {
            let error = AppError::from(e);
            let status = error.status;
            let Refused { errors, .. } = Refused::from_error(error, s.page.locale)?;
            let message = errors.general.or_else(|| errors.fields.into_iter().next().map(|f| f.message));
            Ok((status, message.unwrap_or_default()).into_response())
        }
        done => back(&to, done, "assignments.files.attached"),
    }
}

/// The learner page's button removing a file.
pub async fn detach(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, file_id)): Path<(AssignmentId, String)>,
) -> AppResult<Response> {
    let to = format!("{}#files", page_url(id.as_str()));
    back(&to, submissions::detach(&state, &s.viewer, &id, &file_id).await, "assignments.files.removed")
}

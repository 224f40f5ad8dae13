//! Attachments of an assignment's instructions on the pages: the settings
//! page's forms adding and removing one, and serving one (always as a
//! download) to the course's staff and actively enrolled learners.

use axum::{
    extract::{Multipart, Path, State, multipart::MultipartRejection},
    response::Response,
};
use http::{HeaderMap, HeaderValue, Method, header};
use lyceum_platform::{
    AppError, AppResult, AppState,
    auth::MaybeUser,
    http::media::{self, Caching, Media, content_disposition},
    web::{FlashKind, guard::SignedIn, redirect_with_flash},
};

use super::{back, manage::manage_url};
use crate::{http::upload, model::AssignmentId, service::attachments};

/// Access depends on who asks: only the viewer's browser keeps a copy.
const CACHING: Caching = Caching::Private { max_age_secs: 300 };

fn settings_anchor(id: &AssignmentId) -> String {
    format!("{}#attachments", manage_url(id.as_str()))
}

/// `GET|HEAD /assignments/{id}/attachments/{attachment_id}`.
pub async fn serve(
    State(state): State<AppState>,
    MaybeUser(viewer): MaybeUser,
    Path((id, attachment_id)): Path<(AssignmentId, String)>,
    method: Method,
    headers: HeaderMap,
) -> AppResult<Response> {
    let file = attachments::open(&state, viewer.as_ref(), &id, &attachment_id).await?;
    let served = Media { key: &file.storage_key, content_type: &file.content_type, caching: CACHING };
    let mut response = media::serve(&state.storage, served, &method, &headers).await?;
    let disposition = HeaderValue::try_from(content_disposition(&file.name)).map_err(AppError::internal)?;
    response.headers_mut().insert(header::CONTENT_DISPOSITION, disposition);
    Ok(response)
}

/// The settings page's upload form.
pub async fn attach(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<AssignmentId>,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    let to = settings_anchor(&id);
    let attach = async |file: upload::FileStream<'_>, name: String, _: bool| {
        attachments::attach(&state, &s.viewer, &id, &name, file).await.map(|_| ())
    };
    let done = match upload::stream_file(multipart, attach).await {
        Ok(done) => done,
        Err(why) => return Ok(redirect_with_flash(&to, FlashKind::Error, why.flash_key())),
    };
    back(&to, done, "assignments.attachments.added")
}

/// The settings page's button removing one.
pub async fn detach(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, attachment_id)): Path<(AssignmentId, String)>,
) -> AppResult<Response> {
    let done = attachments::detach(&state, &s.viewer, &id, &attachment_id).await;
    back(&settings_anchor(&id), done, "assignments.attachments.removed")
}

//! A post's files: `POST /api/v1/forums/posts/{post_id}/attachments` (its
//! author adds files within the edit window) and
//! `GET /api/v1/forums/attachments/{attachment_id}` (one file's details and
//! where to download it, for whoever may read its post).

use axum::{
    Json,
    extract::{Multipart, Path, State, multipart::MultipartRejection},
    http::StatusCode,
};
use lyceum_platform::{AppError, AppResult, AppState, Text, auth::CurrentUser, http::errors::Problem};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    http::pages::attachments::read,
    model::PostId,
    service::attachments::{self, Attachment},
};

/// A file attached to a post.
#[derive(Debug, Serialize, ToSchema)]
pub struct AttachmentDto {
    pub id: String,
    pub post_id: String,
    /// The file's name as uploaded (cleaned).
    pub name: String,
    /// Decided from the content, not the name.
    pub content_type: String,
    /// Bytes.
    pub size: i64,
    /// Where it is downloaded (same access rules).
    pub url: String,
}

impl From<&Attachment> for AttachmentDto {
    fn from(f: &Attachment) -> Self {
        Self {
            id: f.id.clone(),
            post_id: f.post_id.clone(),
            name: f.name.clone(),
            content_type: f.content_type.clone(),
            size: f.size,
            url: attachments::url(f),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AttachmentListDto {
    pub items: Vec<AttachmentDto>,
}

/// The fields of the upload (multipart).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct FilesForm {
    /// A file; repeat the field for more, up to `[forums] attachments_per_post` on a post.
    #[schema(value_type = String, format = Binary)]
    files: Vec<u8>,
}

/// Attach files to your post (multipart field `files`, repeated) within the
/// edit window: images, PDF, plain text, office documents, decided by their
/// content; each up to `[forums] attachment_max_bytes` (413), of an accepted
/// kind (415), and at most `attachments_per_post` on a post (422 on `files`).
#[utoipa::path(post, path = "/api/v1/forums/posts/{post_id}/attachments", security(("bearer" = []), ("session" = [])), tag = "forums",
    params(("post_id" = String, Path)),
    request_body(content = FilesForm, content_type = "multipart/form-data"),
    responses((status = 201, body = AttachmentListDto), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 413, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)))]
pub async fn attach(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(post_id): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<(StatusCode, Json<AttachmentListDto>)> {
    let multipart =
        multipart.map_err(|_| AppError::unsupported_media_type(Text::new("forums.attachments.multipart")))?;
    let form = read(multipart).await?;
    let rows = attachments::attach(&state, &v, &PostId::from(post_id), &form.files).await?;
    Ok((StatusCode::CREATED, Json(AttachmentListDto { items: rows.iter().map(Into::into).collect() })))
}

/// A file attached to a post, for whoever may read the post (404 otherwise,
/// and once the post is deleted).
#[utoipa::path(get, path = "/api/v1/forums/attachments/{attachment_id}", security(("bearer" = []), ("session" = [])), tag = "forums",
    params(("attachment_id" = String, Path)),
    responses((status = 200, body = AttachmentDto), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn get_attachment(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(attachment_id): Path<String>,
) -> AppResult<Json<AttachmentDto>> {
    let file = attachments::open(&state, Some(&v), &attachment_id).await?;
    Ok(Json((&file).into()))
}

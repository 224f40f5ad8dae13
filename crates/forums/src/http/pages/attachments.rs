//! Files on the pages: the compose and reply forms' fields with their files
//! (a multipart form; a plain form without files is read as before), and
//! `GET /forums/attachments/{id}`, always a download, for whoever may read
//! the post.

use std::collections::HashMap;

use axum::{
    extract::{FromRequest, Multipart, Path, Request, State},
    response::Response,
};
use http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use lyceum_platform::{
    AppError, AppResult, AppState,
    auth::MaybeUser,
    http::{
        extract::PageForm,
        media::{self, Caching, Media},
    },
};

use crate::service::attachments::{self, Upload};

/// A post's form: its fields, and its files (field `files`, any number of
/// times; a file input left empty sends nothing worth keeping).
pub struct PostForm {
    pub fields: HashMap<String, String>,
    pub files: Vec<Upload>,
}

impl<S: Send + Sync> FromRequest<S> for PostForm {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        let multipart = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"));
        if !multipart {
            let PageForm(fields) = PageForm::<HashMap<String, String>>::from_request(req, state).await?;
            return Ok(Self { fields, files: Vec::new() });
        }
        let multipart = Multipart::from_request(req, state)
            .await
            .map_err(|_| AppError::bad_request("The form could not be read."))?;
        read(multipart).await
    }
}

/// The form's text fields and its files, whole (the route's body limit bounds them).
pub(crate) async fn read(mut multipart: Multipart) -> Result<PostForm, AppError> {
    let mut form = PostForm { fields: HashMap::new(), files: Vec::new() };
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or_default().to_string();
        match field.file_name().map(str::to_string) {
            Some(file_name) => {
                let bytes = field.bytes().await.map_err(unreadable)?;
                if !(file_name.is_empty() && bytes.is_empty()) {
                    form.files.push(Upload { name: file_name, bytes });
                }
            }
            None => {
                let text = field.text().await.map_err(unreadable)?;
                form.fields.insert(name, text);
            }
        }
    }
    Ok(form)
}

fn unreadable(e: axum::extract::multipart::MultipartError) -> AppError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::payload_too_large(lyceum_platform::Text::new("forums.attachments.form_too_large"))
    } else {
        AppError::bad_request("The form could not be read.")
    }
}

/// A member's files change only by being added: kept privately for a while.
const CACHING: Caching = Caching::Private { max_age_secs: 300 };

/// `GET|HEAD /forums/attachments/{id}`: the file as a download; 404 for
/// anyone who may not read its post.
pub async fn serve(
    State(state): State<AppState>,
    MaybeUser(viewer): MaybeUser,
    Path(id): Path<String>,
    method: Method,
    headers: HeaderMap,
) -> AppResult<Response> {
    let file = attachments::open(&state, viewer.as_ref(), &id).await?;
    let served = Media { key: &file.storage_key, content_type: &file.content_type, caching: CACHING };
    let mut response = media::serve(&state.storage, served, &method, &headers).await?;
    let disposition = HeaderValue::try_from(media::content_disposition(&file.name)).map_err(AppError::internal)?;
    response.headers_mut().insert(header::CONTENT_DISPOSITION, disposition);
    Ok(response)
}

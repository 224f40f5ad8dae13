//! Reading an uploaded file from a multipart form (the page's upload and the
//! API's): the `file` field, as a stream handed to storage (a submission's
//! and a feedback's files) or whole (a zip or worksheet read as one). The
//! body limit is the route's (`wide_routes`).

use axum::extract::{
    Multipart,
    multipart::{Field, MultipartError, MultipartRejection},
};
use futures::{TryStreamExt, stream::MapErr};
use http::StatusCode;
use lyceum_platform::{AppError, Text};

use crate::service::Interrupted;

/// The fields of a file upload (documented for the API's multipart body).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct FileForm {
    /// The file.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// `on`: the learner confirms the work is their own (direct submission);
    /// read only when sent before `file`.
    statement: Option<String>,
}

/// Why a form's file could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unread {
    NotMultipart,
    /// Over the route's body limit.
    TooLarge,
    NoFile,
}

impl Unread {
    /// The flash of a page's upload.
    pub fn flash_key(self) -> &'static str {
        match self {
            Self::TooLarge => "assignments.files.refused_size",
            Self::NotMultipart | Self::NoFile => "assignments.files.refused_empty",
        }
    }
}

impl From<Unread> for AppError {
    fn from(e: Unread) -> Self {
        match e {
            Unread::NotMultipart => AppError::unsupported_media_type(Text::new("assignments.errors.multipart")),
            Unread::TooLarge => AppError::payload_too_large(Text::new("assignments.errors.file_too_large")),
            Unread::NoFile => AppError::field("file", Text::new("assignments.errors.no_upload")),
        }
    }
}

/// The `file` field's chunks as they arrive, as the services take them.
pub type FileStream<'a> = MapErr<Field<'a>, fn(MultipartError) -> Interrupted>;

/// Hands the `file` field, as it arrives, to `store` with the client's file
/// name and whether the `statement` box was ticked. The box counts only when
/// sent before the file (as the page's form does): the file is stored before
/// any later field is read.
pub async fn stream_file<T>(
    multipart: Result<Multipart, MultipartRejection>,
    store: impl AsyncFnOnce(FileStream<'_>, String, bool) -> T,
) -> Result<T, Unread> {
    let mut multipart = multipart.map_err(|_| Unread::NotMultipart)?;
    let mut statement = false;
    while let Some(field) = multipart.next_field().await.map_err(|_| Unread::TooLarge)? {
        match field.name() {
            Some("file") => {
                let name = field.file_name().unwrap_or_default().to_string();
                let chunks: FileStream<'_> = field.map_err(interrupted as fn(MultipartError) -> Interrupted);
                return Ok(store(chunks, name, statement).await);
            }
            Some("statement") => statement = true,
            _ => {}
        }
    }
    Err(Unread::NoFile)
}

/// Why a file's stream broke: past the route's body limit, or anything else.
fn interrupted(e: MultipartError) -> Interrupted {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE { Interrupted::BodyLimit } else { Interrupted::BrokeOff }
}

/// The bytes of the `file` field read whole (the route's body limit bounds them).
pub async fn read_file(multipart: Result<Multipart, MultipartRejection>) -> Result<axum::body::Bytes, Unread> {
    let mut multipart = multipart.map_err(|_| Unread::NotMultipart)?;
    while let Some(field) = multipart.next_field().await.map_err(|_| Unread::TooLarge)? {
        if field.name() == Some("file") {
            return field.bytes().await.map_err(|_| Unread::TooLarge);
        }
    }
    Err(Unread::NoFile)
}

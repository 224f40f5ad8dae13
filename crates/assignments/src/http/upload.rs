//! Reading an uploaded file from a multipart form (the page's upload and the
//! API's): the `file` field. The body limit is the route's (`wide_routes`).

use axum::extract::{Multipart, multipart::MultipartRejection};
use lyceum_platform::{AppError, Text};

/// The fields of a file upload (documented for the API's multipart body).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct FileForm {
    /// The file.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// `on`: the learner confirms the work is their own (direct submission).
    statement: Option<String>,
}

/// An uploaded file: its bytes and the client's name.
pub struct FileUpload {
    pub data: axum::body::Bytes,
    pub name: String,
    /// The form's `statement` checkbox was ticked.
    pub statement: bool,
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

pub async fn read_file(multipart: Result<Multipart, MultipartRejection>) -> Result<FileUpload, Unread> {
    let mut multipart = multipart.map_err(|_| Unread::NotMultipart)?;
    let (mut file, mut statement) = (None, false);
    while let Some(field) = multipart.next_field().await.map_err(|_| Unread::TooLarge)? {
        match field.name() {
            Some("file") if file.is_none() => {
                let name = field.file_name().unwrap_or_default().to_string();
                // Buffered whole (the route's body limit bounds it) before it goes to storage.
                file = Some((field.bytes().await.map_err(|_| Unread::TooLarge)?, name));
            }
            Some("statement") => statement = true,
            _ => {}
        }
    }
    let (data, name) = file.ok_or(Unread::NoFile)?;
    Ok(FileUpload { data, name, statement })
}

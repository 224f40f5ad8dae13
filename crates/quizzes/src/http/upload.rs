//! Reading an import file from a multipart form (the page's upload, or the
//! API's alternative to a JSON body): a `format` field and the file in
//! `file`. The body limit is the platform's (`max_body_bytes`).

use axum::extract::{Multipart, multipart::MultipartRejection};
use lyceum_platform::{AppError, AppResult, Text};

use crate::model::Format;

/// The fields of an import form (documented for the API's multipart body).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct ImportForm {
    /// `gift` or `moodle_xml`, sent before the file.
    format: Format,
    /// The file.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

pub struct ImportUpload {
    pub format: Format,
    pub text: String,
}

pub async fn read_import(multipart: Result<Multipart, MultipartRejection>) -> AppResult<ImportUpload> {
    let mut multipart =
        multipart.map_err(|_| AppError::unsupported_media_type(Text::new("quizzes.errors.multipart")))?;
    let too_large = |_| AppError::payload_too_large(Text::new("quizzes.errors.file_too_large"));
    let mut format = None;
    let mut text = None;
    while let Some(field) = multipart.next_field().await.map_err(too_large)? {
        match field.name() {
            Some("format") => {
                let raw = field.text().await.map_err(too_large)?;
                format = Some(
                    Format::parse(raw.trim())
                        .ok_or_else(|| AppError::field("format", Text::new("quizzes.errors.format")))?,
                );
            }
            Some("file") => {
                let bytes = field.bytes().await.map_err(too_large)?;
                let decoded = String::from_utf8(bytes.to_vec())
                    .map_err(|_| AppError::field("file", Text::new("quizzes.errors.not_utf8")))?;
                text = Some(decoded);
            }
            _ => {}
        }
    }
    let text = text.filter(|t| !t.trim().is_empty());
    let text = text.ok_or_else(|| AppError::field("file", Text::new("quizzes.errors.no_file")))?;
    Ok(ImportUpload { format: format.unwrap_or_default(), text })
}

/// The fields of a file upload (question images, essay files).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct FileForm {
    /// Question images only: the description the answer's markdown gives it.
    alt: Option<String>,
    /// The file.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// An uploaded file: its bytes, the client's name, and an `alt` sent before it.
pub struct FileUpload {
    pub data: axum::body::Bytes,
    pub name: String,
    pub alt: String,
}

/// Reads the `file` field (and `alt`, when sent before it); the body limit is
/// the route's (`wide_routes`).
pub async fn read_file(multipart: Result<Multipart, MultipartRejection>) -> AppResult<FileUpload> {
    let mut multipart =
        multipart.map_err(|_| AppError::unsupported_media_type(Text::new("quizzes.errors.multipart")))?;
    let too_large = |_| AppError::payload_too_large(Text::new("quizzes.errors.file_too_large"));
    let mut alt = String::new();
    while let Some(field) = multipart.next_field().await.map_err(too_large)? {
        match field.name() {
            Some("alt") => alt = field.text().await.map_err(too_large)?.chars().take(200).collect(),
            Some("file") => {
                let name = field.file_name().unwrap_or_default().to_string();
                let data = field.bytes().await.map_err(too_large)?;
                return Ok(FileUpload { data, name, alt });
            }
            _ => {}
        }
    }
    Err(AppError::field("file", Text::new("quizzes.errors.no_upload")))
}

//! Reading one file field of a multipart upload.

use axum::extract::{Multipart, multipart::MultipartRejection};
use lyceum_platform::{AppError, AppResult};

/// The bytes and the client's file name of field `name`.
pub async fn read(multipart: Result<Multipart, MultipartRejection>, name: &str) -> AppResult<(bytes::Bytes, String)> {
    let mut multipart =
        multipart.map_err(|_| AppError::unsupported_media_type("Send the file as `multipart/form-data`."))?;
    let too_large = |_| AppError::payload_too_large("The upload is larger than the server accepts.");
    while let Some(field) = multipart.next_field().await.map_err(too_large)? {
        if field.name() == Some(name) {
            let file_name = field.file_name().unwrap_or_default().to_string();
            return Ok((field.bytes().await.map_err(too_large)?, file_name));
        }
    }
    Err(AppError::field(name, format!("Send the file in a multipart field named `{name}`.")))
}

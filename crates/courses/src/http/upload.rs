//! Reading one file field of a multipart upload, whole (small images) or as
//! a stream (lesson media), and the upload routes' wider limits.

use std::time::Duration;

use axum::extract::{
    Multipart,
    multipart::{Field, MultipartRejection},
};
use lyceum_platform::{AppError, AppResult, Text, config::Settings, http::limits::Wide};

use crate::{model::LessonKind, settings::CourseUploads};

/// Room for the multipart framing and small fields around the file.
const FORM_OVERHEAD: usize = 64 * 1024;

/// The routes that take files, with the body size and time each may use.
pub fn wide_routes(settings: &Settings) -> Vec<Wide> {
    let uploads = settings.section::<CourseUploads>();
    let media = |route| Wide {
        route,
        max_body: uploads.lesson_media_max_bytes + FORM_OVERHEAD,
        timeout: Duration::from_secs(uploads.upload_timeout_secs),
    };
    let cover = |route| Wide {
        route,
        max_body: uploads.cover_max_bytes + FORM_OVERHEAD,
        timeout: Duration::from_secs(settings.request_timeout_secs),
    };
    let image = |route| Wide {
        route,
        max_body: uploads.lesson_image_max_bytes + FORM_OVERHEAD,
        timeout: Duration::from_secs(settings.request_timeout_secs),
    };
    vec![
        image("/api/v1/lessons/{id}/images"),
        image("/teach/lessons/{id}/images"),
        media("/api/v1/lessons/{id}/media"),
        media("/teach/lessons/{id}/media"),
        cover("/api/v1/courses/{id}/cover"),
        cover("/teach/courses/{id}/cover"),
    ]
}

fn open(multipart: Result<Multipart, MultipartRejection>) -> AppResult<Multipart> {
    multipart.map_err(|_| AppError::unsupported_media_type(Text::new("courses.errors.multipart")))
}

fn too_large(_: axum::extract::multipart::MultipartError) -> AppError {
    AppError::payload_too_large(Text::new("courses.errors.upload_too_large"))
}

fn missing(name: &str) -> AppError {
    AppError::field(name, Text::new("courses.errors.multipart_field").arg("name", name))
}

/// The bytes and the client's file name of field `name`.
pub async fn read(multipart: Result<Multipart, MultipartRejection>, name: &str) -> AppResult<(bytes::Bytes, String)> {
    let mut multipart = open(multipart)?;
    while let Some(field) = multipart.next_field().await.map_err(too_large)? {
        if field.name() == Some(name) {
            let file_name = field.file_name().unwrap_or_default().to_string();
            return Ok((field.bytes().await.map_err(too_large)?, file_name));
        }
    }
    Err(missing(name))
}

/// The `kind` a lesson's upload makes it (`video` or `file`); absent: its own.
pub fn lesson_kind(raw: Option<&str>) -> AppResult<Option<LessonKind>> {
    match raw.map(|k| (k, LessonKind::parse(k))) {
        None => Ok(None),
        Some((_, Some(kind @ (LessonKind::Video | LessonKind::File)))) => Ok(Some(kind)),
        Some(_) => Err(AppError::field("kind", Text::new("courses.errors.upload_kind"))),
    }
}

/// The small text fields sent before the file (e.g. `kind`), by name.
#[derive(Debug, Default)]
pub struct TextFields(Vec<(String, String)>);

impl TextFields {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v.trim()).filter(|v| !v.is_empty())
    }
}

/// The most text fields, and bytes in each, read before the file: anything
/// beyond is a client sending something else than our forms do.
const TEXT_FIELDS_MAX: usize = 8;
const TEXT_FIELD_BYTES: usize = 1024;

/// Hands field `name` (a stream of chunks), the client's file name and the
/// text fields sent before it to `store`.
pub async fn stream<T>(
    multipart: Result<Multipart, MultipartRejection>,
    name: &str,
    store: impl AsyncFnOnce(Field<'_>, String, TextFields) -> AppResult<T>,
) -> AppResult<T> {
    let mut multipart = open(multipart)?;
    let mut fields = TextFields::default();
    while let Some(field) = multipart.next_field().await.map_err(too_large)? {
        if field.name() == Some(name) {
            let file_name = field.file_name().unwrap_or_default().to_string();
            return store(field, file_name, fields).await;
        }
        let field_name = field.name().unwrap_or_default().to_string();
        if field.file_name().is_none() && fields.0.len() < TEXT_FIELDS_MAX {
            let value = field.text().await.map_err(too_large)?;
            if value.len() > TEXT_FIELD_BYTES {
                return Err(AppError::field(&field_name, Text::new("courses.errors.upload_field_too_long")));
            }
            fields.0.push((field_name, value));
        }
    }
    Err(missing(name))
}

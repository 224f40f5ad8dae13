//! Cover images and lesson files. Types are decided by the content (magic
//! bytes), never by the name or the declared type; keys are made here, never
//! from the client's file name, which is kept only for display and download.
//! Storage goes through the small `store`/`load` functions below, so the
//! storage port can change (S3, streaming) in one place.

use std::io::Cursor;

use bytes::{Bytes, BytesMut};
use futures::{Stream, StreamExt};
use image::{ImageFormat, ImageReader, Limits, imageops::FilterType};
use lyceum_platform::ids::{CourseId, LessonId};
use lyceum_platform::{AppError, AppState, Text, auth::Viewer, storage::StorageError};

use super::{
    access, changed, commit, remove_files,
    video_length::{self, Mp4Length},
};
use crate::{
    model::{Course, CourseState, Lesson, LessonKind},
    repo::{self, outline::Media},
};

const COVER_WIDTH: u32 = 1600;
const COVER_HEIGHT: u32 = 900;
const MAX_SIDE: u32 = 10_000;
const FILE_NAME_MAX: usize = 200;

async fn store(state: &AppState, key: &str, data: Bytes) -> Result<(), AppError> {
    Ok(state.storage.put(key, data).await?)
}

async fn load(state: &AppState, key: &str) -> Result<Bytes, AppError> {
    Ok(state.storage.get(key).await?)
}

fn too_large(len: usize, max: usize) -> AppError {
    AppError::payload_too_large(
        Text::new("courses.errors.file_too_large_kb").arg("size", len.div_ceil(1024)).arg("max", max / 1024),
    )
}

/// Checks an uploaded image on its content and re-encodes it as a JPEG of at
/// most 1600×900 (dropping metadata and anything appended to the image).
pub async fn normalise_cover(data: Bytes, max_bytes: usize) -> Result<Vec<u8>, AppError> {
    let fit = Fit { field: "cover", width: COVER_WIDTH, height: COVER_HEIGHT, keep_alpha: false };
    Ok(normalise_image(data, max_bytes, fit).await?.0)
}

/// How an uploaded image is re-encoded: the form field it came in (for the
/// messages), the box it is shrunk into, and whether a PNG, GIF or WebP keeps
/// its transparency (as a PNG) or everything becomes a JPEG.
#[derive(Clone, Copy)]
pub(crate) struct Fit {
    pub field: &'static str,
    pub width: u32,
    pub height: u32,
    pub keep_alpha: bool,
}

/// Checks an uploaded image on its content (PNG, JPEG, GIF or WebP) and
/// re-encodes it within `fit` — dropping metadata (camera, place) and anything
/// appended to the image. Returns the bytes and their format (PNG or JPEG).
pub(crate) async fn normalise_image(
    data: Bytes,
    max_bytes: usize,
    fit: Fit,
) -> Result<(Vec<u8>, ImageFormat), AppError> {
    if data.is_empty() {
        return Err(AppError::field(fit.field, Text::new("courses.errors.choose_image")));
    }
    if data.len() > max_bytes {
        return Err(too_large(data.len(), max_bytes));
    }
    let accepted = [ImageFormat::Png, ImageFormat::Jpeg, ImageFormat::Gif, ImageFormat::WebP];
    let format = image::guess_format(&data)
        .ok()
        .filter(|f| accepted.contains(f))
        .ok_or_else(|| AppError::field(fit.field, Text::new("courses.errors.not_an_image")))?;
    tokio::task::spawn_blocking(move || reencode(&data, format, fit)).await.map_err(AppError::internal)?
}

fn reencode(data: &[u8], format: ImageFormat, fit: Fit) -> Result<(Vec<u8>, ImageFormat), AppError> {
    let unreadable = |_| AppError::field(fit.field, Text::new("courses.errors.image_unreadable"));
    let mut reader = ImageReader::with_format(Cursor::new(data), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    reader.limits(limits);
    let mut image = reader.decode().map_err(unreadable)?;
    if image.width() > fit.width || image.height() > fit.height {
        image = image.resize(fit.width, fit.height, FilterType::Triangle);
    }
    let mut out = Vec::new();
    let (image, out_format) = if fit.keep_alpha && format != ImageFormat::Jpeg {
        (image::DynamicImage::ImageRgba8(image.to_rgba8()), ImageFormat::Png)
    } else {
        (image::DynamicImage::ImageRgb8(image.to_rgb8()), ImageFormat::Jpeg)
    };
    image.write_to(&mut Cursor::new(&mut out), out_format).map_err(AppError::internal)?;
    Ok((out, out_format))
}

pub async fn set_cover(
    state: &AppState,
    viewer: &Viewer,
    course_id: &CourseId,
    data: Bytes,
) -> Result<Course, AppError> {
    {
        let mut conn = state.db.pool().acquire().await?;
        access::editable(&mut conn, viewer, course_id).await?;
    }
    let jpeg =
        normalise_cover(data, state.settings.section::<crate::settings::CourseUploads>().cover_max_bytes).await?;
    let key = format!("courses/{course_id}/cover/{}.jpg", uuid::Uuid::now_v7().simple());
    store(state, &key, jpeg.into()).await?;
    let mut tx = state.db.begin().await?;
    let course = access::editable(&mut tx, viewer, course_id).await?.course;
    repo::courses::set_cover(&mut tx, course_id.as_str(), Some(&key)).await?;
    changed(&mut tx, &course, false).await?;
    let updated = repo::courses::by_id(&mut tx, course_id.as_str()).await?.ok_or_else(AppError::not_found)?;
    commit(state, tx).await?;
    remove_files(state, &course.cover_key.into_iter().collect::<Vec<_>>()).await;
    Ok(updated)
}

/// The cover of a published course (anyone), or of one the viewer edits.
pub async fn cover(state: &AppState, viewer: Option<&Viewer>, course_id: &CourseId) -> Result<Bytes, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    let course = repo::courses::by_id(&mut conn, course_id.as_str()).await?.ok_or_else(AppError::not_found)?;
    if course.state() != CourseState::Published {
        // Only a viewer who may not edit it is told it is not there; a fault on the way stays itself.
        let viewer = viewer.ok_or_else(AppError::not_found)?;
        if !access::is_staff(&mut conn, viewer, course_id).await? {
            return Err(AppError::not_found());
        }
    }
    let key = course.cover_key.ok_or_else(AppError::not_found)?;
    drop(conn);
    load(state, &key).await
}

/// A file type we accept, recognised by its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sniffed {
    pub mime: &'static str,
    pub ext: &'static str,
    /// The key of its name in messages ("a PDF document").
    pub label: &'static str,
}

const MP4: Sniffed = Sniffed { mime: "video/mp4", ext: "mp4", label: "courses.errors.file_types.mp4" };
const WEBM: Sniffed = Sniffed { mime: "video/webm", ext: "webm", label: "courses.errors.file_types.webm" };
const PDF: Sniffed = Sniffed { mime: "application/pdf", ext: "pdf", label: "courses.errors.file_types.pdf" };
const ZIP: Sniffed = Sniffed { mime: "application/zip", ext: "zip", label: "courses.errors.file_types.zip" };
const PNG: Sniffed = Sniffed { mime: "image/png", ext: "png", label: "courses.errors.file_types.png" };
const JPEG: Sniffed = Sniffed { mime: "image/jpeg", ext: "jpg", label: "courses.errors.file_types.jpeg" };
const TEXT: Sniffed =
    Sniffed { mime: "text/plain; charset=utf-8", ext: "txt", label: "courses.errors.file_types.text" };

pub fn sniff(data: &[u8]) -> Option<Sniffed> {
    if data.len() >= 12 && &data[4..8] == b"ftyp" {
        return Some(MP4);
    }
    let starts = |magic: &[u8]| data.starts_with(magic);
    if starts(&[0x1A, 0x45, 0xDF, 0xA3]) {
        Some(WEBM)
    } else if starts(b"%PDF-") {
        Some(PDF)
    } else if starts(b"PK\x03\x04") || starts(b"PK\x05\x06") {
        Some(ZIP)
    } else if starts(b"\x89PNG\r\n\x1a\n") {
        Some(PNG)
    } else if starts(&[0xFF, 0xD8, 0xFF]) {
        Some(JPEG)
    } else if looks_like_text(data) {
        Some(TEXT)
    } else {
        None
    }
}

/// UTF-8 without NUL bytes. `data` may be the head of a longer file, cut in
/// the middle of a character: an incomplete last sequence still counts.
fn looks_like_text(data: &[u8]) -> bool {
    if data.is_empty() || data.contains(&0) {
        return false;
    }
    match std::str::from_utf8(data) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none(),
    }
}

/// Extensions whose name promises a type; a file named so must have that content.
fn promised(file_name: &str) -> Option<Sniffed> {
    let ext = file_name.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match ext.as_str() {
        "mp4" | "m4v" => MP4,
        "webm" => WEBM,
        "pdf" => PDF,
        "zip" | "docx" | "xlsx" | "pptx" | "odt" | "epub" => ZIP,
        "png" => PNG,
        "jpg" | "jpeg" => JPEG,
        "txt" | "md" | "csv" => TEXT,
        _ => return None,
    })
}

/// The name shown to learners: its last path segment, without control characters, bounded.
fn display_name(raw: &str, ext: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = base.chars().filter(|c| !c.is_control() && *c != '"').take(FILE_NAME_MAX).collect();
    let clean = clean.trim().to_string();
    if clean.is_empty() || clean.starts_with('.') { format!("download.{ext}") } else { clean }
}

/// Which content a lesson kind accepts, and how to say so.
fn accepts(kind: LessonKind) -> Result<(&'static [Sniffed], Text), AppError> {
    match kind {
        LessonKind::Video => Ok((&[MP4, WEBM], Text::new("courses.errors.media_video"))),
        LessonKind::File => Ok((&[PDF, ZIP, PNG, JPEG, TEXT], Text::new("courses.errors.media_file"))),
        LessonKind::Text => Err(AppError::field("media", Text::new("courses.errors.media_text"))),
    }
}

/// Whether a lesson of `kind` may keep a stored file of type `mime` (after its kind changes).
pub(crate) fn kind_keeps(kind: LessonKind, mime: &str) -> bool {
    accepts(kind).is_ok_and(|(allowed, _)| allowed.iter().any(|s| s.mime == mime))
}

/// How much of an upload is read before its type is decided.
const SNIFF_BYTES: usize = 8 * 1024;

/// Stores a lesson's file as it arrives (`upload`: the chunks of a multipart
/// field), never holding it whole in memory. The type is decided from the
/// first [`SNIFF_BYTES`]; the size limit is enforced while streaming, and a
/// refused or broken upload leaves no object and no change behind.
pub async fn set_lesson_media<S, E>(
    state: &AppState,
    viewer: &Viewer,
    lesson_id: &LessonId,
    mut upload: S,
    file_name: &str,
    becomes: Option<LessonKind>,
) -> Result<Lesson, AppError>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin + Send,
    E: std::fmt::Display,
{
    let lesson = {
        let mut conn = state.db.pool().acquire().await?;
        access::editable_lesson(&mut conn, viewer, lesson_id).await?.1
    };
    let kind = becomes.unwrap_or(lesson.kind());
    let (allowed, rule) = accepts(kind)?;
    let max = state.settings.section::<crate::settings::CourseUploads>().lesson_media_max_bytes;
    let head = read_head(&mut upload).await?;
    if head.is_empty() {
        return Err(AppError::field("media", Text::new("courses.errors.choose_file")));
    }
    let found = sniff(&head).filter(|s| allowed.contains(s)).ok_or_else(|| AppError::field("media", rule))?;
    if let Some(named) = promised(file_name).filter(|p| *p != found) {
        let mismatch =
            Text::new("courses.errors.media_mismatch").arg_key("named", named.label).arg_key("found", found.label);
        return Err(AppError::field("media", mismatch));
    }
    let key = format!("lessons/{lesson_id}/{}.{}", uuid::Uuid::now_v7().simple(), found.ext);
    let webm_seconds = (found == WEBM).then(|| video_length::webm_seconds(&head)).flatten();
    let mut mp4 = Mp4Length::default();
    let size = store_stream(state, &key, found.mime, head, upload, max, |chunk| mp4.feed(chunk)).await?;
    let seconds = if found == MP4 { mp4.seconds() } else { webm_seconds };
    let name = display_name(file_name, found.ext);
    let media = Media {
        key: &key,
        content_type: found.mime,
        size: size as i64,
        file_name: &name,
        kind: kind.as_str(),
        duration_minutes: seconds.map(minutes),
    };
    let saved = record_media(state, viewer, lesson_id, &media).await;
    if saved.is_err() {
        remove_files(state, std::slice::from_ref(&key)).await;
    }
    let (updated, old) = saved?;
    remove_files(state, &old.media_key.into_iter().collect::<Vec<_>>()).await;
    Ok(updated)
}

/// The first [`SNIFF_BYTES`] of an upload (fewer when it is shorter).
async fn read_head<S, E>(upload: &mut S) -> Result<BytesMut, AppError>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    let mut head = BytesMut::new();
    while head.len() < SNIFF_BYTES {
        match upload.next().await {
            Some(Ok(chunk)) => head.extend_from_slice(&chunk),
            Some(Err(e)) => return Err(broken_upload(e)),
            None => break,
        }
    }
    Ok(head)
}

/// A video's length in whole minutes for the syllabus: rounded to the
/// nearest, and at least 1 (a 20-second clip is not "0 min").
fn minutes(seconds: u64) -> i64 {
    i64::try_from(seconds.saturating_add(30) / 60).unwrap_or(i64::MAX).max(1)
}

/// Streams `head` then the rest of `upload` to `key`, showing every chunk to
/// `seen_chunk` on the way; returns the size.
async fn store_stream<S, E>(
    state: &AppState,
    key: &str,
    content_type: &str,
    head: BytesMut,
    upload: S,
    max: usize,
    mut seen_chunk: impl FnMut(&[u8]) + Send,
) -> Result<u64, AppError>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin + Send,
    E: std::fmt::Display,
{
    let mut seen = 0usize;
    let body = futures::stream::iter([Ok(head.freeze())])
        .chain(upload.map(|chunk| chunk.map_err(|e| StorageError::Source(e.to_string()))))
        .map(move |chunk| {
            let chunk = chunk?;
            seen += chunk.len();
            if seen > max {
                return Err(StorageError::TooLarge(max));
            }
            seen_chunk(&chunk);
            Ok(chunk)
        });
    match state.storage.put_stream(key, content_type, Box::pin(body)).await {
        Ok(size) => Ok(size),
        Err(StorageError::TooLarge(max)) => Err(AppError::payload_too_large(
            Text::new("courses.errors.file_too_large_mb").arg("max", max / (1024 * 1024)),
        )),
        Err(StorageError::Source(reason)) => Err(broken_upload(reason)),
        Err(e) => Err(e.into()),
    }
}

fn broken_upload(reason: impl std::fmt::Display) -> AppError {
    tracing::info!(%reason, "lesson upload broke off");
    AppError::bad_request(Text::new("courses.errors.upload_broke"))
}

/// Records the stored file on the lesson (and the change); returns the
/// updated lesson and the lesson as it was, whose old file is now unused.
async fn record_media(
    state: &AppState,
    viewer: &Viewer,
    lesson_id: &LessonId,
    media: &Media<'_>,
) -> Result<(Lesson, Lesson), AppError> {
    let mut tx = state.db.begin().await?;
    let (editable, old) = access::editable_lesson(&mut tx, viewer, lesson_id).await?;
    repo::outline::set_media(&mut tx, lesson_id.as_str(), Some(media)).await?;
    changed(&mut tx, &editable.course, false).await?;
    let updated = repo::outline::lesson(&mut tx, lesson_id.as_str()).await?.ok_or_else(AppError::not_found)?;
    commit(state, tx).await?;
    Ok((updated, old))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_by_content() {
        assert_eq!(sniff(b"\0\0\0\x18ftypmp42rest"), Some(MP4));
        assert_eq!(sniff(b"%PDF-1.7 ..."), Some(PDF));
        assert_eq!(sniff(b"hello\n"), Some(TEXT));
        assert_eq!(sniff(&[0, 1, 2, 0xff]), None);
        assert_eq!(sniff("día".as_bytes()[..2].as_ref()), Some(TEXT), "a head cut inside a character");
        assert_eq!(sniff(b"ok \xff\xfe rest"), None);
        assert_eq!(promised("talk.MP4"), Some(MP4));
        assert_eq!(display_name("C:\\x\\..\\notes.pdf", "pdf"), "notes.pdf");
        assert_eq!(display_name("", "pdf"), "download.pdf");
    }
}

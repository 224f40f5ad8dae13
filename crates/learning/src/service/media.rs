//! Which stored file a lesson serves, after the lesson access rule.

use lyceum_courses::{model::LessonKind, service::images};

use super::access;
use lyceum_platform::ids::{CourseId, LessonId};
use lyceum_platform::{AppError, AppState, auth::Viewer};

pub struct LessonFile {
    pub key: String,
    pub content_type: String,
    /// Downloadable files are sent as attachments under this name; videos play inline.
    pub download_name: Option<String>,
}

pub async fn lesson_file(
    state: &AppState,
    viewer: Option<&Viewer>,
    lesson_id: &LessonId,
) -> Result<LessonFile, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    let lesson = access::viewable_lesson(&mut conn, viewer, lesson_id).await?.lesson;
    let key = lesson.media_key.clone().ok_or_else(AppError::not_found)?;
    let content_type = lesson.media_type.clone().unwrap_or_else(|| "application/octet-stream".into());
    let download_name =
        (lesson.kind() == LessonKind::File).then(|| lesson.file_name.clone().unwrap_or_else(|| "download".into()));
    Ok(LessonFile { key, content_type, download_name })
}

/// An image of a lesson's text (`lyceum_courses::service::images`), after the
/// same access rule as the lesson: its storage key and content type.
pub async fn lesson_image(
    state: &AppState,
    viewer: Option<&Viewer>,
    lesson_id: &LessonId,
    name: &str,
) -> Result<LessonFile, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    let lesson = access::viewable_lesson(&mut conn, viewer, lesson_id).await?.lesson;
    let key = images::key(&CourseId::from(&lesson.course_id), lesson_id, name).ok_or_else(AppError::not_found)?;
    Ok(LessonFile { key, content_type: images::content_type(name).into(), download_name: None })
}

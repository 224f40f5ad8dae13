//! Images inside lessons: staff upload them into a lesson and write them into
//! its markdown as `![…](/lessons/<lesson id>/images/<name>)`; learners get
//! them from the learning module's image route, after the lesson access rule.
//!
//! An image is a stored object, nothing more: its key says which course and
//! lesson it belongs to (`courses/<course>/lessons/<lesson>/images/<name>`),
//! so listing a lesson's images is listing that folder, and deleting the
//! lesson, its module or its course deletes the folder too.

use bytes::Bytes;
use image::ImageFormat;
use lyceum_platform::ids::{CourseId, LessonId};
use lyceum_platform::{AppError, AppState, auth::Viewer};

use super::{
    access,
    media::{Fit, normalise_image},
};

/// Lesson images are shrunk into this box (wide enough for any lesson column).
const FIT: Fit = Fit { field: "image", width: 2400, height: 2400, keep_alpha: true };

/// An image of a lesson, as its editors see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LessonImage {
    /// The file name in the lesson's folder (`<uuid>.png` or `.jpg`).
    pub name: String,
    /// Where the image is served (after the access rule).
    pub url: String,
}

impl LessonImage {
    fn new(lesson_id: &str, name: &str) -> Self {
        Self { name: name.to_string(), url: format!("/lessons/{lesson_id}/images/{name}") }
    }

    /// The markdown that shows it, with `alt` as its description.
    pub fn markdown(&self, alt: &str) -> String {
        let alt: String = alt.chars().filter(|c| !matches!(c, '[' | ']' | '\n' | '\r')).collect();
        format!("![{}]({})", alt.trim(), self.url)
    }
}

/// The folder of a lesson's images.
pub fn folder(course_id: &CourseId, lesson_id: &LessonId) -> String {
    format!("courses/{course_id}/lessons/{lesson_id}/images")
}

/// The storage key of image `name` of a lesson, when `name` is one we could
/// have made (a 32-digit hex id and our extension), so a crafted name never
/// reaches storage.
pub fn key(course_id: &CourseId, lesson_id: &LessonId, name: &str) -> Option<String> {
    let (id, ext) = name.split_once('.')?;
    let ours = id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase());
    (ours && matches!(ext, "png" | "jpg")).then(|| format!("{}/{name}", folder(course_id, lesson_id)))
}

/// The content type of an image by its name.
pub fn content_type(name: &str) -> &'static str {
    if name.ends_with(".png") { "image/png" } else { "image/jpeg" }
}

/// Stores an uploaded image in a lesson the viewer edits.
pub async fn add(
    state: &AppState,
    viewer: &Viewer,
    lesson_id: &LessonId,
    data: Bytes,
) -> Result<LessonImage, AppError> {
    let lesson = {
        let mut conn = state.db.pool().acquire().await?;
        access::editable_lesson(&mut conn, viewer, lesson_id).await?.1
    };
    let max = state.settings.section::<crate::settings::CourseUploads>().lesson_image_max_bytes;
    let (bytes, format) = normalise_image(data, max, FIT).await?;
    let ext = if format == ImageFormat::Png { "png" } else { "jpg" };
    let name = format!("{}.{ext}", uuid::Uuid::now_v7().simple());
    let key = key(&CourseId::from(&lesson.course_id), lesson_id, &name).expect("a name made here");
    state.storage.put_typed(&key, bytes.into(), content_type(&name)).await?;
    Ok(LessonImage::new(lesson_id.as_str(), &name))
}

/// The images of a lesson the viewer edits, oldest first.
pub async fn list(state: &AppState, viewer: &Viewer, lesson_id: &LessonId) -> Result<Vec<LessonImage>, AppError> {
    let lesson = {
        let mut conn = state.db.pool().acquire().await?;
        access::editable_lesson(&mut conn, viewer, lesson_id).await?.1
    };
    let keys = state.storage.list(&folder(&CourseId::from(&lesson.course_id), lesson_id)).await?;
    let names = keys.iter().filter_map(|k| k.rsplit('/').next());
    Ok(names.map(|name| LessonImage::new(lesson_id.as_str(), name)).collect())
}

/// Deletes the image folders of lessons that are gone (after their delete committed).
pub(crate) async fn remove_folders(state: &AppState, course_id: &CourseId, lesson_ids: &[LessonId]) {
    for lesson_id in lesson_ids {
        if let Err(e) = state.storage.delete_prefix(&folder(course_id, lesson_id)).await {
            tracing::warn!(%course_id, %lesson_id, error = %e, "lesson images not removed");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_names_we_make_become_keys() {
        let name = "0192f0c1a2b37c8d9e0f112233445566.png";
        let (c, l) = (CourseId::from("c"), LessonId::from("l"));
        assert_eq!(
            key(&c, &l, name).as_deref(),
            Some("courses/c/lessons/l/images/0192f0c1a2b37c8d9e0f112233445566.png")
        );
        for bad in
            ["../x.png", "0192f0c1a2b37c8d9e0f112233445566.svg", "a.png", "0192F0C1A2B37C8D9E0F112233445566.png", ""]
        {
            assert_eq!(key(&c, &l, bad), None, "{bad:?}");
        }
    }

    #[test]
    fn markdown_keeps_the_alt_text_inside_its_brackets() {
        let image = LessonImage::new("l", "x.png");
        assert_eq!(image.markdown("A [diagram]\nof it"), "![A diagramof it](/lessons/l/images/x.png)");
    }
}

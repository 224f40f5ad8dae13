//! What the lesson page shows: the lesson (after the access rule), the
//! outline with the viewer's progress, previous/next, the resume position.

use std::sync::Arc;

use lyceum_courses::{
    model::{Course, Lesson, LessonRef, Module},
    service::{
        content::{CourseContent, RenderedLesson},
        read,
    },
};
use lyceum_platform::ids::LessonId;
use lyceum_platform::{AppError, AppState, auth::Viewer, db::LazyConn};

use super::{
    access::{self, CachedLesson, Seen},
    progress::{self, CourseDetail},
};

/// Why a lesson page cannot be shown.
#[derive(Debug)]
pub enum LessonRefused {
    /// A lesson of a published course the viewer is not enrolled in (403
    /// `enrollment-required`): the page offers the course's way in.
    EnrollFirst(Box<Course>),
    /// Hidden (404), or a fault on the way.
    Other(AppError),
}

impl From<AppError> for LessonRefused {
    fn from(e: AppError) -> Self {
        Self::Other(e)
    }
}

impl From<sqlx::Error> for LessonRefused {
    fn from(e: sqlx::Error) -> Self {
        Self::Other(e.into())
    }
}

impl From<LessonRefused> for AppError {
    fn from(e: LessonRefused) -> Self {
        match e {
            LessonRefused::EnrollFirst(_) => access::Denied::EnrollmentRequired.into_error(),
            LessonRefused::Other(e) => e,
        }
    }
}

/// A lesson page's content: the lesson and its course's outline as the cache
/// keeps them (shared, not copied), and the viewer's part.
pub struct LessonView {
    rendered: Arc<RenderedLesson>,
    content: Arc<CourseContent>,
    pub seen: Seen,
    pub enrolled: bool,
    /// The viewer's progress; `None` for anonymous visitors of a preview.
    pub progress: Option<CourseDetail>,
    /// Where the lesson sits in the outline's lesson list.
    at: Option<usize>,
}

impl LessonView {
    pub fn lesson(&self) -> &Lesson {
        &self.rendered.lesson
    }

    /// The lesson's body as sanitised HTML (rendered when it changed, not per view).
    pub fn body_html(&self) -> &str {
        &self.rendered.body_html
    }

    pub fn course(&self) -> &Course {
        &self.content.course
    }

    /// The outline: each module with its lessons, in order.
    pub fn modules(&self) -> Vec<(&Module, Vec<&LessonRef>)> {
        let lessons = &self.content.lessons;
        let of = |m: &Module| lessons.iter().filter(|l| l.module_id == m.id).collect();
        self.content.modules.iter().map(|m| (m, of(m))).collect()
    }

    pub fn previous(&self) -> Option<&LessonRef> {
        self.at.and_then(|i| i.checked_sub(1)).and_then(|i| self.content.lessons.get(i))
    }

    pub fn next(&self) -> Option<&LessonRef> {
        self.at.and_then(|i| self.content.lessons.get(i + 1))
    }

    /// Where the video resumes (seconds).
    pub fn position(&self) -> i64 {
        self.progress.as_ref().and_then(|p| p.positions.get(&self.lesson().id).copied()).unwrap_or(0)
    }
}

/// The lesson `lesson_id` of the course `slug` (a lesson of another course is 404).
///
/// The hot path of a learner's day: the lesson, its body's HTML, the course,
/// its outline and its teachers come from the cached course content, the
/// enrollment from enrollment's cache, the viewer's progress rows from
/// progress's cache: a view of a warm course reads no table.
pub async fn view(
    state: &AppState,
    viewer: Option<&Viewer>,
    slug: &str,
    lesson_id: &LessonId,
) -> Result<LessonView, LessonRefused> {
    let found = access::cached_lesson(state, lesson_id).await?;
    // Another course's lesson is 404 whoever asks, before any access answer.
    if found.content.course.slug != slug {
        return Err(AppError::not_found().into());
    }
    // Taken only if a cache misses: a view of a warm course takes no connection.
    let mut conn = LazyConn::new(&state.db);
    let access = match found.access(state, &mut conn, viewer).await? {
        Ok(access) => access,
        Err(access::Denied::EnrollmentRequired) => {
            return Err(LessonRefused::EnrollFirst(Box::new(found.content.course.clone())));
        }
        Err(denied) => return Err(denied.into_error().into()),
    };
    let CachedLesson { rendered, content } = found;
    let progress = match viewer {
        Some(v) => Some(progress::detail_cached(state, &mut conn, &v.id(), &content.course, &content.lessons).await?),
        None => None,
    };
    let at = content.lessons.iter().position(|l| l.id == rendered.lesson.id);
    Ok(LessonView { rendered, content, seen: access.seen, enrolled: access.enrolled, progress, at })
}

/// The lesson `/learn/{slug}` opens: the viewer's continue lesson (staff and
/// enrolled learners only; a course without lessons is 404).
pub async fn continue_lesson(state: &AppState, viewer: &Viewer, slug: &str) -> Result<String, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    let course = read::course_by_slug(&mut conn, slug).await?.ok_or_else(AppError::not_found)?;
    let viewable = access::viewable_course(&mut conn, Some(viewer), course).await?;
    let detail = progress::detail(&mut conn, &viewer.id(), &viewable.course).await?;
    detail.summary.continue_lesson_id.ok_or_else(AppError::not_found)
}

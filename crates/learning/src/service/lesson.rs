//! What the lesson page shows: the lesson (after the access rule), the
//! outline with the viewer's progress, previous/next, the resume position.

use lyceum_courses::{
    model::{Course, Lesson, LessonRef, Module},
    service::read,
};
use lyceum_platform::ids::{CourseId, LessonId};
use lyceum_platform::{AppError, AppState, auth::Viewer};

use super::{
    access::{self, Seen},
    progress::{self, CourseDetail},
};

pub struct LessonView {
    pub lesson: Lesson,
    pub course: Course,
    pub seen: Seen,
    pub enrolled: bool,
    pub modules: Vec<(Module, Vec<LessonRef>)>,
    /// The viewer's progress; `None` for anonymous visitors of a preview.
    pub progress: Option<CourseDetail>,
    pub previous: Option<LessonRef>,
    pub next: Option<LessonRef>,
}

impl LessonView {
    /// Where the video resumes (seconds).
    pub fn position(&self) -> i64 {
        self.progress.as_ref().and_then(|p| p.positions.get(&self.lesson.id).copied()).unwrap_or(0)
    }
}

/// The lesson `lesson_id` of the course `slug` (a lesson of another course is 404).
pub async fn view(
    state: &AppState,
    viewer: Option<&Viewer>,
    slug: &str,
    lesson_id: &LessonId,
) -> Result<LessonView, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    let found = match access::viewable_lesson(&mut conn, viewer, lesson_id).await {
        Ok(found) => found,
        // A refusal only for a lesson really under this slug; another course's lesson is 404.
        Err(e) if lesson_in(&mut conn, lesson_id, slug).await? => return Err(e),
        Err(_) => return Err(AppError::not_found()),
    };
    let (lesson, viewable) = (found.lesson, found.viewable);
    if viewable.course.slug != slug {
        return Err(AppError::not_found());
    }
    let course_id = CourseId::from(&viewable.course.id);
    let modules = read::modules(&mut conn, &course_id).await?;
    let refs = read::lesson_refs(&mut conn, std::slice::from_ref(&course_id)).await?;
    let progress = match viewer {
        Some(v) => Some(progress::detail(&mut conn, &v.id(), &viewable.course).await?),
        None => None,
    };
    let at = refs.iter().position(|l| l.id == lesson.id);
    let previous = at.and_then(|i| i.checked_sub(1)).and_then(|i| refs.get(i)).cloned();
    let next = at.and_then(|i| refs.get(i + 1)).cloned();
    let modules = modules
        .into_iter()
        .map(|m| {
            let lessons = refs.iter().filter(|l| l.module_id == m.id).cloned().collect();
            (m, lessons)
        })
        .collect();
    Ok(LessonView {
        lesson,
        course: viewable.course,
        seen: viewable.seen,
        enrolled: viewable.enrolled,
        modules,
        progress,
        previous,
        next,
    })
}

async fn lesson_in(conn: &mut sqlx::AnyConnection, lesson_id: &LessonId, slug: &str) -> Result<bool, AppError> {
    let Some(lesson) = read::lesson(conn, lesson_id).await? else { return Ok(false) };
    let course = read::course(conn, &CourseId::from(&lesson.course_id)).await?;
    Ok(course.is_some_and(|c| c.slug == slug))
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

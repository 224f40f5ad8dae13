//! What the lesson page shows: the lesson (after the access rule), the
//! outline with the viewer's progress, previous/next, the resume position.

use lyceum_courses::{
    model::{Course, Lesson, LessonRef, Module},
    service::{content, read},
};
use lyceum_platform::ids::{CourseId, LessonId};
use lyceum_platform::{AppError, AppState, auth::Viewer};

use super::{
    access::{self, Seen},
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

pub struct LessonView {
    pub lesson: Lesson,
    /// The lesson's body as sanitised HTML (rendered when it changed, not per view).
    pub body_html: String,
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
///
/// The hot path of a learner's day: the lesson, its body's HTML, the course,
/// its outline and its teachers come from the cached course content, the
/// enrollment from enrollment's cache; the one query per view is the
/// viewer's progress.
pub async fn view(
    state: &AppState,
    viewer: Option<&Viewer>,
    slug: &str,
    lesson_id: &LessonId,
) -> Result<LessonView, LessonRefused> {
    let rendered = content::lesson(state, lesson_id).await?.ok_or_else(AppError::not_found)?;
    let course =
        content::course(state, &CourseId::from(&rendered.lesson.course_id)).await?.ok_or_else(AppError::not_found)?;
    // Another course's lesson is 404 whoever asks, before any access answer.
    if course.course.slug != slug {
        return Err(AppError::not_found().into());
    }
    let mut conn = state.db.pool().acquire().await?;
    let found = match access::viewable_lesson_in(state, &mut conn, viewer, rendered.lesson, &course).await? {
        Ok(found) => found,
        Err((access::Denied::EnrollmentRequired, course)) => return Err(LessonRefused::EnrollFirst(course)),
        Err((denied, _)) => return Err(denied.into_error().into()),
    };
    let (lesson, viewable) = (found.lesson, found.viewable);
    let (modules, refs) = (course.modules, course.lessons);
    let progress = match viewer {
        Some(v) => Some(progress::detail_in(&mut conn, &v.id(), &viewable.course, &refs).await?),
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
        body_html: rendered.body_html,
        course: viewable.course,
        seen: viewable.seen,
        enrolled: viewable.enrolled,
        modules,
        progress,
        previous,
        next,
    })
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

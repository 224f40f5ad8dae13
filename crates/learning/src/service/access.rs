//! Who may open a course's content — the lesson view, lesson media, progress,
//! the outline — the one rule every page, media route and API call asks.
//! It needs two modules' facts: the course, its state and its staff
//! (`lyceum_courses`), and the viewer's enrollment (`lyceum_enrollment`).
//!
//! Staff (the owner, co-instructors, admins) see every lesson in any state.
//! Learners with an active enrollment see lessons while the course is
//! published, and keep that access when it is archived (as Canvas does with
//! concluded courses: what you enrolled in stays readable); a course back in
//! draft is hidden from them. Preview lessons are open to anyone, anonymous
//! visitors included, while the course is published. Anyone else is told the
//! course does not exist (404) unless it is published, where they get 403
//! `enrollment-required`: they can see it in the catalog, not open it.

use std::sync::Arc;

use lyceum_courses::{
    model::{Course, CourseState, Lesson},
    service::{
        access::{is_staff, is_staff_given},
        content::{self, CourseContent, RenderedLesson},
        read,
    },
};
use lyceum_platform::ids::{CourseId, LessonId};
use lyceum_platform::{AppError, AppState, Text, auth::Viewer, db::ConnSource};
use sqlx::AnyConnection;

/// Why the viewer may see a course's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seen {
    Staff,
    Enrolled,
    /// A preview lesson of a published course, open to anyone.
    Preview,
}

/// A course the viewer may open, and how.
pub struct Viewable {
    pub course: Course,
    pub seen: Seen,
    /// An active enrollment (staff may be enrolled too); only enrolled
    /// learners record progress.
    pub enrolled: bool,
}

/// A lesson the viewer may open, with its course.
pub struct ViewableLesson {
    pub lesson: Lesson,
    pub viewable: Viewable,
}

pub fn enrollment_required() -> AppError {
    AppError::forbidden_kind(
        "enrollment-required",
        "Enrollment required",
        Text::new("learning.errors.enrollment_required"),
    )
}

/// Why a viewer may not open a course's content: the access rule's own answer,
/// turned into HTTP by [`Denied::into_error`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denied {
    /// The course is not published: it does not exist for this viewer (404).
    Hidden,
    /// Published, but the viewer is not enrolled (403 `enrollment-required`).
    EnrollmentRequired,
}

impl Denied {
    pub fn into_error(self) -> AppError {
        match self {
            Denied::Hidden => AppError::not_found(),
            Denied::EnrollmentRequired => enrollment_required(),
        }
    }
}

/// The facts the rule needs: whether the viewer is staff of the course, and
/// actively enrolled in it.
async fn facts(
    conn: &mut AnyConnection,
    viewer: Option<&Viewer>,
    course_id: &CourseId,
) -> Result<(bool, bool), AppError> {
    let Some(v) = viewer else { return Ok((false, false)) };
    let staff = is_staff(conn, v, course_id).await?;
    let enrolled = lyceum_enrollment::is_active(conn, course_id, &v.id()).await?;
    Ok((staff, enrolled))
}

/// The rule once the facts are known: staff, an active enrollment, the course's state.
fn judge(state: CourseState, staff: bool, enrolled: bool) -> Result<Seen, Denied> {
    if staff {
        return Ok(Seen::Staff);
    }
    if enrolled && matches!(state, CourseState::Published | CourseState::Archived) {
        return Ok(Seen::Enrolled);
    }
    Err(if state == CourseState::Published { Denied::EnrollmentRequired } else { Denied::Hidden })
}

/// [`judge`] for a lesson: preview lessons of a published course are open to
/// whoever the course refuses.
fn judge_lesson(lesson: &Lesson, state: CourseState, staff: bool, enrolled: bool) -> Result<Seen, Denied> {
    judge(state, staff, enrolled).or_else(|denied| match lesson.preview() && state == CourseState::Published {
        true => Ok(Seen::Preview),
        false => Err(denied),
    })
}

/// The course's content as a whole (outline, progress): staff or enrolled
/// learners; previews alone do not open the course.
pub async fn viewable_course(
    conn: &mut AnyConnection,
    viewer: Option<&Viewer>,
    course: Course,
) -> Result<Viewable, AppError> {
    let (staff, enrolled) = facts(conn, viewer, &CourseId::from(&course.id)).await?;
    let seen = judge(course.state(), staff, enrolled).map_err(Denied::into_error)?;
    Ok(Viewable { course, seen, enrolled })
}

pub async fn viewable_course_by_id(
    conn: &mut AnyConnection,
    viewer: Option<&Viewer>,
    course_id: &CourseId,
) -> Result<Viewable, AppError> {
    let course = read::course(conn, course_id).await?.ok_or_else(AppError::not_found)?;
    viewable_course(conn, viewer, course).await
}

/// One lesson: as for the course, plus preview lessons of a published course for anyone.
pub async fn viewable_lesson(
    conn: &mut AnyConnection,
    viewer: Option<&Viewer>,
    lesson_id: &LessonId,
) -> Result<ViewableLesson, AppError> {
    let lesson = read::lesson(conn, lesson_id).await?.ok_or_else(AppError::not_found)?;
    let course = read::course(conn, &CourseId::from(&lesson.course_id)).await?.ok_or_else(AppError::not_found)?;
    let (staff, enrolled) = facts(conn, viewer, &CourseId::from(&course.id)).await?;
    let seen = judge_lesson(&lesson, course.state(), staff, enrolled).map_err(Denied::into_error)?;
    let viewable = Viewable { course, seen, enrolled: enrolled && seen != Seen::Preview };
    Ok(ViewableLesson { lesson, viewable })
}

/// How a viewer may open a lesson: why, and whether they are enrolled
/// (only enrolled learners record progress).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LessonAccess {
    pub seen: Seen,
    pub enrolled: bool,
}

/// A lesson and its course from the cached course content, shared with the
/// cache (not copied).
pub struct CachedLesson {
    pub rendered: Arc<RenderedLesson>,
    pub content: Arc<CourseContent>,
}

/// Lesson `lesson_id` and its course from the cached course content (404 when
/// either is gone). Read before taking a pooled connection: a miss loads
/// through a connection of its own.
pub async fn cached_lesson(state: &AppState, lesson_id: &LessonId) -> Result<CachedLesson, AppError> {
    let rendered = content::lesson(state, lesson_id).await?.ok_or_else(AppError::not_found)?;
    let course_id = CourseId::from(&rendered.lesson.course_id);
    let content = content::course(state, &course_id).await?.ok_or_else(AppError::not_found)?;
    Ok(CachedLesson { rendered, content })
}

impl CachedLesson {
    /// [`viewable_lesson`]'s rule for this lesson, with who teaches it from the
    /// cached content and the enrollment from enrollment's cache (`conn`
    /// answers its miss) — no query when both are warm. For the hot paths (the
    /// lesson view, a progress write): a change committed a moment ago is seen
    /// once its cache drop is, and a write checks the enrollment again inside
    /// its transaction.
    pub async fn access(
        &self,
        state: &AppState,
        conn: &mut impl ConnSource,
        viewer: Option<&Viewer>,
    ) -> Result<Result<LessonAccess, Denied>, AppError> {
        let course = &self.content.course;
        let staff = viewer.is_some_and(|v| is_staff_given(v, self.content.teaches(&v.user_id)));
        let enrolled = match viewer {
            Some(v) => lyceum_enrollment::is_active_cached(state, conn, &CourseId::from(&course.id), &v.id()).await?,
            None => false,
        };
        let judged = judge_lesson(&self.rendered.lesson, course.state(), staff, enrolled);
        Ok(judged.map(|seen| LessonAccess { seen, enrolled: enrolled && seen != Seen::Preview }))
    }
}

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

use lyceum_courses::{
    model::{Course, CourseState, Lesson},
    service::{
        access::{is_staff, is_staff_given},
        content::CourseContent,
        read,
    },
};
use lyceum_platform::ids::{CourseId, LessonId};
use lyceum_platform::{AppError, AppState, Text, auth::Viewer};
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

/// The rule itself, for a viewer already known to be `staff` of the course or
/// not: `Ok(Err(denied))` is a refusal, `Err` a fault on the way.
async fn decide_given(
    conn: &mut AnyConnection,
    viewer: Option<&Viewer>,
    course: Course,
    staff: bool,
) -> Result<Result<Viewable, (Denied, Course)>, AppError> {
    let enrolled = match viewer {
        Some(v) => lyceum_enrollment::is_active(conn, &CourseId::from(&course.id), &v.id()).await?,
        None => false,
    };
    Ok(rule(course, staff, enrolled).map_err(|(denied, course)| (denied, *course)))
}

/// The rule once the facts are known: staff, an active enrollment, the course's state.
fn rule(course: Course, staff: bool, enrolled: bool) -> Result<Viewable, (Denied, Box<Course>)> {
    let state = course.state();
    if staff {
        return Ok(Viewable { course, seen: Seen::Staff, enrolled });
    }
    if enrolled && matches!(state, CourseState::Published | CourseState::Archived) {
        return Ok(Viewable { course, seen: Seen::Enrolled, enrolled });
    }
    let denied = if state == CourseState::Published { Denied::EnrollmentRequired } else { Denied::Hidden };
    Err((denied, Box::new(course)))
}

/// [`decide_given`], reading whether the viewer is staff of the course.
async fn decide(
    conn: &mut AnyConnection,
    viewer: Option<&Viewer>,
    course: Course,
) -> Result<Result<Viewable, (Denied, Course)>, AppError> {
    let staff = match viewer {
        Some(v) => is_staff(conn, v, &CourseId::from(&course.id)).await?,
        None => false,
    };
    decide_given(conn, viewer, course, staff).await
}

/// The course's content as a whole (outline, progress): staff or enrolled
/// learners; previews alone do not open the course.
pub async fn viewable_course(
    conn: &mut AnyConnection,
    viewer: Option<&Viewer>,
    course: Course,
) -> Result<Viewable, AppError> {
    decide(conn, viewer, course).await?.map_err(|(denied, _)| denied.into_error())
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
    let decision = decide(conn, viewer, course).await?;
    lesson_decision(lesson, decision).map_err(|(denied, _)| denied.into_error())
}

/// [`viewable_lesson`] for a lesson of `content` (the cached course content,
/// which says who teaches it): the same rule, without reading the course, and
/// with the enrollment answer from enrollment's cache (a learner's every
/// lesson view asks it). `Ok(Err(..))` is a refusal with the course, so a page
/// can offer to enroll.
pub async fn viewable_lesson_in(
    state: &AppState,
    conn: &mut AnyConnection,
    viewer: Option<&Viewer>,
    lesson: Lesson,
    content: &CourseContent,
) -> Result<Result<ViewableLesson, (Denied, Box<Course>)>, AppError> {
    let staff = viewer.is_some_and(|v| is_staff_given(v, content.teaches(&v.user_id)));
    let enrolled = match viewer {
        Some(v) => {
            lyceum_enrollment::is_active_cached(state, conn, &CourseId::from(&content.course.id), &v.id()).await?
        }
        None => false,
    };
    let decision = rule(content.course.clone(), staff, enrolled).map_err(|(denied, course)| (denied, *course));
    Ok(lesson_decision(lesson, decision))
}

/// Preview lessons of a published course are open to whoever the course refuses.
fn lesson_decision(
    lesson: Lesson,
    decision: Result<Viewable, (Denied, Course)>,
) -> Result<ViewableLesson, (Denied, Box<Course>)> {
    match decision {
        Ok(viewable) => Ok(ViewableLesson { lesson, viewable }),
        Err((_, course)) if lesson.preview() && course.state() == CourseState::Published => {
            let viewable = Viewable { course, seen: Seen::Preview, enrolled: false };
            Ok(ViewableLesson { lesson, viewable })
        }
        Err((denied, course)) => Err((denied, Box::new(course))),
    }
}

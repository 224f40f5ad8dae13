//! Who may author what. Instructors and admins create courses; a course's
//! owner, its co-instructors and admins edit it. Anyone else is told the
//! course does not exist when it is not published (404), and refused (403)
//! when it is published — they can see it, just not edit it.

use lyceum_platform::{
    AppError,
    auth::{Role, Viewer},
};
use sqlx::AnyConnection;

use crate::{
    model::{Course, CourseState},
    repo,
};

/// A course the viewer may edit, and how they relate to it.
pub struct Editable {
    pub course: Course,
    pub is_owner: bool,
}

impl Editable {
    /// Deleting the course is for its owner and admins, not co-instructors.
    pub fn may_delete(&self, viewer: &Viewer) -> bool {
        self.is_owner || viewer.is_admin()
    }
}

pub fn require_author(viewer: &Viewer) -> Result<(), AppError> {
    match viewer.role {
        Role::Admin | Role::Instructor => Ok(()),
        Role::Learner => Err(AppError::forbidden(
            "Only instructors and administrators can create courses. Ask an administrator for the instructor role.",
        )),
    }
}

/// The staff rule, the one every module asks: administrators, and the
/// course's instructors (owner or co-instructor) while their account has the
/// instructor role — an instructor demoted to learner keeps the course's rows
/// but nothing they grant. `teaches_course`: the viewer is on the course's
/// instructor list. The role is the caller's current one (read per request),
/// so a role change takes effect on the next request everywhere.
pub fn is_staff_given(viewer: &Viewer, teaches_course: bool) -> bool {
    viewer.is_admin() || (teaches_course && viewer.role == Role::Instructor)
}

/// [`is_staff_given`], reading the instructor list.
pub async fn is_staff(conn: &mut AnyConnection, viewer: &Viewer, course_id: &str) -> Result<bool, AppError> {
    if viewer.is_admin() {
        return Ok(true);
    }
    let role = repo::instructors::role_of(conn, course_id, &viewer.user_id).await?;
    Ok(is_staff_given(viewer, role.is_some()))
}

pub async fn editable(conn: &mut AnyConnection, viewer: &Viewer, course_id: &str) -> Result<Editable, AppError> {
    let course = repo::courses::by_id(conn, course_id).await?.ok_or_else(AppError::not_found)?;
    let role = repo::instructors::role_of(conn, course_id, &viewer.user_id).await?;
    if is_staff_given(viewer, role.is_some()) {
        let is_owner = role.as_deref() == Some("owner");
        return Ok(Editable { course, is_owner });
    }
    if course.state() == CourseState::Published {
        Err(AppError::forbidden("Only this course's instructors and administrators can edit it."))
    } else {
        Err(AppError::not_found())
    }
}

/// The course of a module the viewer may edit, with the module.
pub async fn editable_module(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    module_id: &str,
) -> Result<(Editable, crate::model::Module), AppError> {
    let module = repo::outline::module(conn, module_id).await?.ok_or_else(AppError::not_found)?;
    Ok((editable(conn, viewer, &module.course_id).await?, module))
}

pub async fn editable_lesson(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    lesson_id: &str,
) -> Result<(Editable, crate::model::Lesson), AppError> {
    let lesson = repo::outline::lesson(conn, lesson_id).await?.ok_or_else(AppError::not_found)?;
    Ok((editable(conn, viewer, &lesson.course_id).await?, lesson))
}

// ---- Who may see lesson content (learning: lesson view, media, progress) ----
//
// Staff (the owner, co-instructors, admins) see every lesson in any state.
// Learners with an active enrollment see lessons while the course is
// published, and keep that access when it is archived (as Canvas does with
// concluded courses: what you enrolled in stays readable); a course back in
// draft is hidden from them. Preview lessons are open to anyone, anonymous
// visitors included, while the course is published. Anyone else is told the
// course does not exist (404) unless it is published, where they get 403
// `enrollment-required`: they can see it in the catalog, not open it.

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
    pub lesson: crate::model::Lesson,
    pub viewable: Viewable,
}

pub fn enrollment_required() -> AppError {
    AppError::forbidden_kind("enrollment-required", "Enrollment required", "Enroll in this course to open this lesson.")
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

/// The rule itself: `Ok(Err(denied))` is a refusal, `Err` a fault on the way.
async fn decide(
    conn: &mut AnyConnection,
    viewer: Option<&Viewer>,
    course: Course,
) -> Result<Result<Viewable, (Denied, Course)>, AppError> {
    let enrolled = match viewer {
        Some(v) => repo::courses::is_enrolled(conn, &course.id, &v.user_id).await?,
        None => false,
    };
    let staff = match viewer {
        Some(v) => is_staff(conn, v, &course.id).await?,
        None => false,
    };
    let state = course.state();
    if staff {
        return Ok(Ok(Viewable { course, seen: Seen::Staff, enrolled }));
    }
    if enrolled && matches!(state, CourseState::Published | CourseState::Archived) {
        return Ok(Ok(Viewable { course, seen: Seen::Enrolled, enrolled }));
    }
    let denied = if state == CourseState::Published { Denied::EnrollmentRequired } else { Denied::Hidden };
    Ok(Err((denied, course)))
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
    course_id: &str,
) -> Result<Viewable, AppError> {
    let course = repo::courses::by_id(conn, course_id).await?.ok_or_else(AppError::not_found)?;
    viewable_course(conn, viewer, course).await
}

/// One lesson: as for the course, plus preview lessons of a published course for anyone.
pub async fn viewable_lesson(
    conn: &mut AnyConnection,
    viewer: Option<&Viewer>,
    lesson_id: &str,
) -> Result<ViewableLesson, AppError> {
    let lesson = repo::outline::lesson(conn, lesson_id).await?.ok_or_else(AppError::not_found)?;
    let course = repo::courses::by_id(conn, &lesson.course_id).await?.ok_or_else(AppError::not_found)?;
    let preview = lesson.preview() && course.state() == CourseState::Published;
    match decide(conn, viewer, course).await? {
        Ok(viewable) => Ok(ViewableLesson { lesson, viewable }),
        Err((_, course)) if preview => {
            let viewable = Viewable { course, seen: Seen::Preview, enrolled: false };
            Ok(ViewableLesson { lesson, viewable })
        }
        Err((denied, _)) => Err(denied.into_error()),
    }
}

//! Who may author what. Instructors and admins create courses; a course's
//! owner, its co-instructors and admins edit it. Anyone else is told the
//! course does not exist when it is not published (404), and refused (403)
//! when it is published — they can see it, just not edit it.

use lyceum_platform::ids::{CourseId, LessonId, ModuleId};
use lyceum_platform::{
    AppError, Text,
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
        Role::Learner => Err(AppError::forbidden(Text::new("courses.errors.author_only"))),
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
pub async fn is_staff(conn: &mut AnyConnection, viewer: &Viewer, course_id: &CourseId) -> Result<bool, AppError> {
    let course_id = course_id.as_str();
    if viewer.is_admin() {
        return Ok(true);
    }
    let role = repo::instructors::role_of(conn, course_id, &viewer.user_id).await?;
    Ok(is_staff_given(viewer, role.is_some()))
}

pub async fn editable(conn: &mut AnyConnection, viewer: &Viewer, course_id: &CourseId) -> Result<Editable, AppError> {
    let course_id = course_id.as_str();
    let course = repo::courses::by_id(conn, course_id).await?.ok_or_else(AppError::not_found)?;
    let role = repo::instructors::role_of(conn, course_id, &viewer.user_id).await?;
    if is_staff_given(viewer, role.is_some()) {
        let is_owner = role.as_deref() == Some("owner");
        return Ok(Editable { course, is_owner });
    }
    if course.state() == CourseState::Published {
        Err(AppError::forbidden(Text::new("courses.errors.edit_staff_only")))
    } else {
        Err(AppError::not_found())
    }
}

/// The course of a module the viewer may edit, with the module.
pub async fn editable_module(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    module_id: &ModuleId,
) -> Result<(Editable, crate::model::Module), AppError> {
    let module_id = module_id.as_str();
    let module = repo::outline::module(conn, module_id).await?.ok_or_else(AppError::not_found)?;
    Ok((editable(conn, viewer, &CourseId::from(&module.course_id)).await?, module))
}

pub async fn editable_lesson(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    lesson_id: &LessonId,
) -> Result<(Editable, crate::model::Lesson), AppError> {
    let lesson_id = lesson_id.as_str();
    let lesson = repo::outline::lesson(conn, lesson_id).await?.ok_or_else(AppError::not_found)?;
    Ok((editable(conn, viewer, &CourseId::from(&lesson.course_id)).await?, lesson))
}

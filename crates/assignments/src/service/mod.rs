//! The assignments module's rules, shared by the pages and the API. Every
//! function takes the viewer and checks access itself: an assignment is for
//! its course's staff and actively enrolled learners, 404 to everyone else;
//! a submission is for its learner and the course's staff.

pub mod assignments;
pub mod attachments;
pub mod definitions;
mod direct;
pub mod export;
pub mod feedback;
pub mod feedback_files;
pub mod feedback_zip;
pub(crate) mod files;
pub mod grading;
pub mod guides;
pub mod rubrics;
pub mod scales;
pub mod submissions;
pub mod tries;
pub mod worksheet;

pub use files::Interrupted;

use lyceum_courses::{
    model::{Course, Lesson},
    service::{access::is_staff, read},
};
use lyceum_platform::{
    AppError, AppState,
    auth::Viewer,
    ids::{CourseId, LessonId},
};
use sqlx::AnyConnection;

use crate::{
    model::{AssignmentId, Settings},
    repo::{self, assignments::AssignmentRow},
};

/// An assignment with its settings read back and its lesson's title and
/// instructions.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Assignment {
    pub id: String,
    pub course_id: String,
    pub lesson_id: String,
    pub title: String,
    pub instructions_md: String,
    pub settings: Settings,
    pub released_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Assignment {
    /// Learners see a saved grade: at once, or once the grades are released.
    pub fn grades_visible(&self) -> bool {
        self.settings.release == crate::model::Release::Immediate || self.released_at.is_some()
    }

    /// Blind marking, before the release: graders see no names.
    pub fn identities_hidden(&self) -> bool {
        self.settings.blind_marking && self.released_at.is_none()
    }
}

/// Who is looking at an assignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Staff,
    Learner,
}

pub(crate) fn decode<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, AppError> {
    serde_json::from_str(json).map_err(AppError::internal)
}

pub(crate) fn encode<T: serde::Serialize>(value: &T) -> Result<String, AppError> {
    serde_json::to_string(value).map_err(AppError::internal)
}

fn of_row(row: AssignmentRow, lesson: Lesson) -> Result<Assignment, AppError> {
    Ok(Assignment {
        settings: decode::<Settings>(&row.settings)?.canonical(),
        id: row.id,
        course_id: row.course_id,
        lesson_id: row.lesson_id,
        title: lesson.title,
        instructions_md: lesson.body_md,
        released_at: row.released_at,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

/// The assignment with its lesson, or 404.
pub(crate) async fn load(conn: &mut AnyConnection, id: &AssignmentId) -> Result<Assignment, AppError> {
    let row = repo::assignments::by_id(conn, id.as_str()).await?.ok_or_else(AppError::not_found)?;
    let lesson = read::lesson(conn, &LessonId::from(&row.lesson_id)).await?.ok_or_else(AppError::not_found)?;
    of_row(row, lesson)
}

/// The assignment and how the viewer relates to it: its course's staff, or
/// an actively enrolled learner; anyone else gets 404.
pub(crate) async fn visible(
    state: &AppState,
    conn: &mut AnyConnection,
    viewer: &Viewer,
    id: &AssignmentId,
) -> Result<(Assignment, Role), AppError> {
    let assignment = load(conn, id).await?;
    let course_id = CourseId::from(&assignment.course_id);
    let role = if is_staff(conn, viewer, &course_id).await? {
        Role::Staff
    } else if lyceum_enrollment::is_active_cached(state, conn, &course_id, &viewer.id()).await? {
        Role::Learner
    } else {
        return Err(AppError::not_found());
    };
    Ok((assignment, role))
}

/// The assignment and its course, for the course's staff; 404 otherwise.
pub(crate) async fn staff_assignment(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    id: &AssignmentId,
) -> Result<(Course, Assignment), AppError> {
    let assignment = load(conn, id).await?;
    let course_id = CourseId::from(&assignment.course_id);
    if !is_staff(conn, viewer, &course_id).await? {
        return Err(AppError::not_found());
    }
    let course = read::course(conn, &course_id).await?.ok_or_else(AppError::not_found)?;
    Ok((course, assignment))
}

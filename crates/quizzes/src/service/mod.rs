//! The bank's rules, shared by the pages and the API. Every function takes
//! the viewer and checks access itself: a course's bank is for its staff
//! (`lyceum_courses::service::access::is_staff`) and is 404 to everyone else
//! — questions carry their answers, so a learner must never read one, and
//! nobody learns which ids exist.

pub mod answer_files;
pub mod attempts;
pub mod categories;
pub mod deadlines;
mod files;
pub mod grading;
pub mod imports;
pub mod jobs;
pub mod preview;
pub mod question_files;
pub mod questions;
pub mod quizzes;
pub mod regrade;
pub mod submit;
pub mod transfer;

use lyceum_assessment::Question;
use lyceum_courses::{model::Course, service::access::is_staff, service::read};
use lyceum_platform::{AppError, auth::Viewer, ids::CourseId};
use sqlx::AnyConnection;

use crate::{
    model::{BankQuestion, QuestionId, QuestionRow},
    repo,
};

/// The course whose bank the viewer may use, or 404.
pub async fn bank_course(conn: &mut AnyConnection, viewer: &Viewer, course_id: &CourseId) -> Result<Course, AppError> {
    let course = read::course(conn, course_id).await?.ok_or_else(AppError::not_found)?;
    if is_staff(conn, viewer, course_id).await? { Ok(course) } else { Err(AppError::not_found()) }
}

/// A live question of a bank the viewer may use, with its course, or 404.
pub(crate) async fn visible_row(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    id: &QuestionId,
) -> Result<(Course, QuestionRow), AppError> {
    let row = repo::questions::by_id(conn, id.as_str()).await?.ok_or_else(AppError::not_found)?;
    let course = bank_course(conn, viewer, &CourseId::from(&row.course_id)).await?;
    Ok((course, row))
}

/// [`visible_row`] with the question's current content.
pub(crate) async fn visible_question(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    id: &QuestionId,
) -> Result<(Course, BankQuestion), AppError> {
    let (course, row) = visible_row(conn, viewer, id).await?;
    let version =
        repo::questions::version(conn, &row.id, row.current_version).await?.ok_or_else(AppError::not_found)?;
    let question = decode(&version.data)?;
    Ok((course, BankQuestion { row, question }))
}

/// A stored version's content. It was written by this module from a valid
/// question, so failing to read it back is a fault, not the caller's.
pub(crate) fn decode(data: &str) -> Result<Question, AppError> {
    serde_json::from_str(data).map_err(AppError::internal)
}

pub(crate) fn encode(question: &Question) -> Result<String, AppError> {
    serde_json::to_string(question).map_err(AppError::internal)
}

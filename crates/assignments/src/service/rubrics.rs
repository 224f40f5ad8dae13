//! A course's rubrics, for its staff: written as text (see `rubric`),
//! reusable across the course's assignments; one in use by an assignment is
//! not deleted.

use lyceum_courses::{model::Course, service::access::is_staff, service::read};
use lyceum_platform::{AppError, AppState, auth::Viewer, ids::CourseId};
use sqlx::AnyConnection;

use super::{decode, encode};
use crate::{
    AssignmentError,
    repo::{self, rubrics::RubricRow},
    rubric::{self, Criterion},
};

/// A rubric read back.
#[derive(Debug, Clone)]
pub struct Rubric {
    pub id: String,
    pub course_id: String,
    pub title: String,
    pub criteria: Vec<Criterion>,
}

impl Rubric {
    /// The rubric as its editor shows it.
    pub fn text(&self) -> String {
        rubric::to_text(&self.criteria)
    }
    pub fn max_points(&self) -> f64 {
        rubric::max_points(&self.criteria)
    }
}

fn of_row(row: RubricRow) -> Result<Rubric, AppError> {
    Ok(Rubric { criteria: decode(&row.criteria)?, id: row.id, course_id: row.course_id, title: row.title })
}

/// A rubric by id, whoever asks (the caller has checked access to what uses it).
pub(crate) async fn load(conn: &mut AnyConnection, id: &str) -> Result<Option<Rubric>, AppError> {
    repo::rubrics::by_id(conn, id).await?.map(of_row).transpose()
}

async fn staff_course(conn: &mut AnyConnection, viewer: &Viewer, course_id: &CourseId) -> Result<Course, AppError> {
    let course = read::course(conn, course_id).await?.ok_or_else(AppError::not_found)?;
    if is_staff(conn, viewer, course_id).await? { Ok(course) } else { Err(AppError::not_found()) }
}

/// The rubric for its course's staff, or 404.
async fn staff_rubric(conn: &mut AnyConnection, viewer: &Viewer, id: &str) -> Result<Rubric, AppError> {
    let rubric = load(conn, id).await?.ok_or_else(AppError::not_found)?;
    staff_course(conn, viewer, &CourseId::from(&rubric.course_id)).await?;
    Ok(rubric)
}

fn checked(title: &str, text: &str) -> Result<(String, Vec<Criterion>), AssignmentError> {
    let title = title.trim();
    if title.is_empty() || title.chars().count() > 120 {
        return Err(AssignmentError::RubricTitle);
    }
    Ok((title.to_string(), rubric::parse(text).map_err(AssignmentError::Rubric)?))
}

pub async fn list(state: &AppState, viewer: &Viewer, course_id: &CourseId) -> Result<(Course, Vec<Rubric>), AppError> {
    let mut conn = state.db.pool().acquire().await?;
    let course = staff_course(&mut conn, viewer, course_id).await?;
    let rows = repo::rubrics::of_course(&mut conn, course_id.as_str()).await?;
    Ok((course, rows.into_iter().map(of_row).collect::<Result<_, _>>()?))
}

pub async fn get(state: &AppState, viewer: &Viewer, id: &str) -> Result<Rubric, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    staff_rubric(&mut conn, viewer, id).await
}

pub async fn create(
    state: &AppState,
    viewer: &Viewer,
    course_id: &CourseId,
    title: &str,
    text: &str,
) -> Result<Rubric, AssignmentError> {
    let (title, criteria) = checked(title, text)?;
    let mut tx = state.db.begin().await?;
    staff_course(&mut tx, viewer, course_id).await?;
    let id = repo::rubrics::insert(&mut tx, course_id.as_str(), &title, &encode(&criteria)?).await?;
    let rubric = load(&mut tx, &id).await?.ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    Ok(rubric)
}

/// Changes a rubric. Grades already given keep their points; a regrade uses the new levels.
pub async fn update(
    state: &AppState,
    viewer: &Viewer,
    id: &str,
    title: &str,
    text: &str,
) -> Result<Rubric, AssignmentError> {
    let (title, criteria) = checked(title, text)?;
    let mut tx = state.db.begin().await?;
    staff_rubric(&mut tx, viewer, id).await?;
    repo::rubrics::update(&mut tx, id, &title, &encode(&criteria)?).await?;
    let rubric = load(&mut tx, id).await?.ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    Ok(rubric)
}

/// Deletes a rubric no assignment of the course grades with.
pub async fn delete(state: &AppState, viewer: &Viewer, id: &str) -> Result<(), AssignmentError> {
    let mut tx = state.db.begin().await?;
    let rubric = staff_rubric(&mut tx, viewer, id).await?;
    for row in repo::assignments::of_course(&mut tx, &rubric.course_id).await? {
        let settings: crate::model::Settings = decode(&row.settings)?;
        if settings.rubric_id.as_deref() == Some(id) {
            return Err(AssignmentError::RubricInUse);
        }
    }
    repo::rubrics::delete(&mut tx, id).await?;
    tx.commit().await?;
    Ok(())
}

/// The rubric an assignment's settings name must be one of its course's (422 otherwise).
pub(crate) async fn check_choice(
    conn: &mut AnyConnection,
    course_id: &str,
    rubric_id: Option<&str>,
) -> Result<(), AssignmentError> {
    let Some(id) = rubric_id else { return Ok(()) };
    match load(conn, id).await? {
        Some(r) if r.course_id == course_id => Ok(()),
        _ => Err(AssignmentError::UnknownRubric),
    }
}

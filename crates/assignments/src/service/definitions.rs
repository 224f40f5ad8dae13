//! A course's grading definitions — rubrics, marking guides, scales — for
//! its staff: each written as text, reusable across the course's
//! assignments; one an assignment grades with is not deleted. One set of
//! rules for the three kinds; each kind says how its text reads
//! ([`Definition`]) and lives in its own file (`rubrics`, `guides`, `scales`).

use lyceum_courses::{model::Course, service::access::is_staff, service::read};
use lyceum_platform::{AppError, AppState, auth::Viewer, ids::CourseId};
use serde::{Serialize, de::DeserializeOwned};
use sqlx::AnyConnection;

use super::{decode, encode};
use crate::{
    AssignmentError,
    model::{GradingMethod, Settings},
    repo::{self, rubrics::RubricRow},
};

/// A kind of grading definition.
pub trait Definition: Sized + Clone + Send + Sync + 'static {
    /// The grading method it serves (its `kind` is the method's).
    const METHOD: GradingMethod;
    /// What its text reads into, stored as JSON.
    type Content: Serialize + DeserializeOwned + Send;
    fn parse(text: &str) -> Result<Self::Content, AssignmentError>;
    fn of(row: RubricRow, content: Self::Content) -> Self;
    fn id(&self) -> &str;
    fn course_id(&self) -> &str;
    fn title(&self) -> &str;
    /// The text [`Definition::parse`] reads back into it (its editor's).
    fn text(&self) -> String;
}

fn kind<D: Definition>() -> &'static str {
    D::METHOD.kind().unwrap_or_default()
}

fn of_row<D: Definition>(row: RubricRow) -> Result<D, AppError> {
    let content = decode(&row.criteria)?;
    Ok(D::of(row, content))
}

/// A definition by id, whoever asks (the caller has checked access to what uses it).
pub(crate) async fn load<D: Definition>(conn: &mut AnyConnection, id: &str) -> Result<Option<D>, AppError> {
    repo::rubrics::by_id(conn, kind::<D>(), id).await?.map(of_row).transpose()
}

async fn staff_course(conn: &mut AnyConnection, viewer: &Viewer, course_id: &CourseId) -> Result<Course, AppError> {
    let course = read::course(conn, course_id).await?.ok_or_else(AppError::not_found)?;
    if is_staff(conn, viewer, course_id).await? { Ok(course) } else { Err(AppError::not_found()) }
}

/// The definition for its course's staff, or 404.
async fn staff_definition<D: Definition>(conn: &mut AnyConnection, viewer: &Viewer, id: &str) -> Result<D, AppError> {
    let definition = load::<D>(conn, id).await?.ok_or_else(AppError::not_found)?;
    staff_course(conn, viewer, &CourseId::from(definition.course_id())).await?;
    Ok(definition)
}

fn checked<D: Definition>(title: &str, text: &str) -> Result<(String, String), AssignmentError> {
    let title = title.trim();
    if title.is_empty() || title.chars().count() > 120 {
        return Err(AssignmentError::DefinitionTitle);
    }
    Ok((title.to_string(), encode(&D::parse(text)?)?))
}

pub async fn list<D: Definition>(
    state: &AppState,
    viewer: &Viewer,
    course_id: &CourseId,
) -> Result<(Course, Vec<D>), AppError> {
    let mut conn = state.db.pool().acquire().await?;
    let course = staff_course(&mut conn, viewer, course_id).await?;
    let rows = repo::rubrics::of_course(&mut conn, kind::<D>(), course_id.as_str()).await?;
    Ok((course, rows.into_iter().map(of_row).collect::<Result<_, _>>()?))
}

pub async fn get<D: Definition>(state: &AppState, viewer: &Viewer, id: &str) -> Result<D, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    staff_definition(&mut conn, viewer, id).await
}

pub async fn create<D: Definition>(
    state: &AppState,
    viewer: &Viewer,
    course_id: &CourseId,
    title: &str,
    text: &str,
) -> Result<D, AssignmentError> {
    let (title, content) = checked::<D>(title, text)?;
    let mut tx = state.db.begin().await?;
    staff_course(&mut tx, viewer, course_id).await?;
    let id = repo::rubrics::insert(&mut tx, kind::<D>(), course_id.as_str(), &title, &content).await?;
    let definition = load::<D>(&mut tx, &id).await?.ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    Ok(definition)
}

/// Changes a definition. Grades already given keep their points; a regrade uses the new one.
pub async fn update<D: Definition>(
    state: &AppState,
    viewer: &Viewer,
    id: &str,
    title: &str,
    text: &str,
) -> Result<D, AssignmentError> {
    let (title, content) = checked::<D>(title, text)?;
    let mut tx = state.db.begin().await?;
    staff_definition::<D>(&mut tx, viewer, id).await?;
    repo::rubrics::update(&mut tx, id, &title, &content).await?;
    let definition = load::<D>(&mut tx, id).await?.ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    Ok(definition)
}

/// Deletes a definition no assignment of the course grades with.
pub async fn delete<D: Definition>(state: &AppState, viewer: &Viewer, id: &str) -> Result<(), AssignmentError> {
    let mut tx = state.db.begin().await?;
    let definition = staff_definition::<D>(&mut tx, viewer, id).await?;
    for row in repo::assignments::of_course(&mut tx, definition.course_id()).await? {
        let settings: Settings = decode(&row.settings)?;
        if settings.grading() == (D::METHOD, Some(id)) {
            return Err(AssignmentError::InUse(D::METHOD));
        }
    }
    repo::rubrics::delete(&mut tx, id).await?;
    tx.commit().await?;
    Ok(())
}

/// The rubric, guide or scale the settings grade with must be one of the
/// course's, of that kind (422 otherwise, on the field that named it:
/// `rubric_id` for settings that name no method).
pub(crate) async fn check_choice(
    conn: &mut AnyConnection,
    course_id: &str,
    settings: &Settings,
) -> Result<(), AssignmentError> {
    let (method, Some(id)) = settings.grading() else { return Ok(()) };
    let Some(kind) = method.kind() else { return Ok(()) };
    let field = if settings.grading_method.is_none() { "settings.rubric_id" } else { "settings.grading_id" };
    match repo::rubrics::by_id(conn, kind, id).await? {
        Some(row) if row.course_id == course_id => Ok(()),
        _ => Err(AssignmentError::UnknownDefinition { field }),
    }
}

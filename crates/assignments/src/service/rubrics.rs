//! A course's rubrics (see `rubric`): a [`Definition`] kept by the shared
//! rules of `definitions`.

use lyceum_platform::{AppError, AppState, auth::Viewer, ids::CourseId};
use sqlx::AnyConnection;

use super::definitions::{self, Definition};
use crate::{
    AssignmentError,
    model::GradingMethod,
    repo::rubrics::RubricRow,
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
    pub fn max_points(&self) -> f64 {
        rubric::max_points(&self.criteria)
    }
}

impl Definition for Rubric {
    const METHOD: GradingMethod = GradingMethod::Rubric;
    type Content = Vec<Criterion>;
    fn parse(text: &str) -> Result<Self::Content, AssignmentError> {
        rubric::parse(text).map_err(AssignmentError::Rubric)
    }
    fn of(row: RubricRow, criteria: Self::Content) -> Self {
        Self { criteria, id: row.id, course_id: row.course_id, title: row.title }
    }
    fn id(&self) -> &str {
        &self.id
    }
    fn course_id(&self) -> &str {
        &self.course_id
    }
    fn title(&self) -> &str {
        &self.title
    }
    fn text(&self) -> String {
        rubric::to_text(&self.criteria)
    }
}

/// A rubric by id, whoever asks (the caller has checked access to what uses it).
pub(crate) async fn load(conn: &mut AnyConnection, id: &str) -> Result<Option<Rubric>, AppError> {
    definitions::load(conn, id).await
}

pub async fn list(
    state: &AppState,
    viewer: &Viewer,
    course_id: &CourseId,
) -> Result<(lyceum_courses::model::Course, Vec<Rubric>), AppError> {
    definitions::list(state, viewer, course_id).await
}

pub async fn create(
    state: &AppState,
    viewer: &Viewer,
    course_id: &CourseId,
    title: &str,
    text: &str,
) -> Result<Rubric, AssignmentError> {
    definitions::create(state, viewer, course_id, title, text).await
}

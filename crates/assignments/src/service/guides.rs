//! A course's marking guides (see `guide`): a [`Definition`] kept by the
//! shared rules of `definitions`.

use crate::{
    AssignmentError,
    guide::{self, Criterion},
    model::GradingMethod,
    repo::rubrics::RubricRow,
    service::definitions::Definition,
};

/// A marking guide read back.
#[derive(Debug, Clone)]
pub struct Guide {
    pub id: String,
    pub course_id: String,
    pub title: String,
    pub criteria: Vec<Criterion>,
}

impl Guide {
    pub fn max_points(&self) -> f64 {
        guide::max_points(&self.criteria)
    }
}

impl Definition for Guide {
    const METHOD: GradingMethod = GradingMethod::Guide;
    type Content = Vec<Criterion>;
    fn parse(text: &str) -> Result<Self::Content, AssignmentError> {
        guide::parse(text).map_err(AssignmentError::Guide)
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
        guide::to_text(&self.criteria)
    }
}

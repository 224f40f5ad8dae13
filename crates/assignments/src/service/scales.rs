//! A course's scales (see `scale`): a [`Definition`] kept by the shared
//! rules of `definitions`.

use crate::{AssignmentError, model::GradingMethod, repo::rubrics::RubricRow, scale, service::definitions::Definition};

/// A scale read back: its levels, lowest first.
#[derive(Debug, Clone)]
pub struct Scale {
    pub id: String,
    pub course_id: String,
    pub title: String,
    pub levels: Vec<String>,
}

impl Scale {
    /// The points level `level` is worth out of `out_of` (see `scale::points`).
    pub fn points(&self, level: usize, out_of: f64) -> Option<f64> {
        scale::points(self.levels.len(), level, out_of)
    }
}

impl Definition for Scale {
    const METHOD: GradingMethod = GradingMethod::Scale;
    type Content = Vec<String>;
    fn parse(text: &str) -> Result<Self::Content, AssignmentError> {
        scale::parse(text).map_err(AssignmentError::Scale)
    }
    fn of(row: RubricRow, levels: Self::Content) -> Self {
        Self { levels, id: row.id, course_id: row.course_id, title: row.title }
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
        scale::to_text(&self.levels)
    }
}

//! What the API shows of a course's rubrics, marking guides and scales, and
//! the bodies it takes: each is written as text, as on its page.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::service::{definitions::Definition, guides::Guide, rubrics::Rubric, scales::Scale};

/// A rubric: criteria, each with levels worth points.
#[derive(Serialize, ToSchema)]
pub struct RubricDto {
    pub id: String,
    pub course_id: String,
    pub title: String,
    pub criteria: Vec<crate::rubric::Criterion>,
    /// The most points it gives (the best level of each criterion).
    pub max_points: f64,
    /// The rubric as text, one criterion per line: `Clarity | Unclear = 0 | Clear = 5`.
    pub text: String,
}

impl From<&Rubric> for RubricDto {
    fn from(r: &Rubric) -> Self {
        Self {
            id: r.id.clone(),
            course_id: r.course_id.clone(),
            title: r.title.clone(),
            criteria: r.criteria.clone(),
            max_points: r.max_points(),
            text: r.text(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct RubricList {
    pub items: Vec<RubricDto>,
}

/// A rubric written as text, one criterion per line:
/// `Clarity | Unclear = 0 | Clear = 5 | Vivid = 10` (2 – 10 levels, points 0 – 1,000).
#[derive(Serialize, Deserialize, ToSchema)]
pub struct RubricBody {
    pub title: String,
    pub text: String,
}

/// A marking guide: criteria, each with the most points it gives and what
/// the grader looks for.
#[derive(Serialize, ToSchema)]
pub struct GuideDto {
    pub id: String,
    pub course_id: String,
    pub title: String,
    pub criteria: Vec<crate::guide::Criterion>,
    /// The criteria's maximums added up.
    pub max_points: f64,
    /// The guide as text, one criterion per line: `Clarity | 10 | What the grader looks for`.
    pub text: String,
}

impl From<&Guide> for GuideDto {
    fn from(g: &Guide) -> Self {
        Self {
            id: g.id.clone(),
            course_id: g.course_id.clone(),
            title: g.title.clone(),
            criteria: g.criteria.clone(),
            max_points: g.max_points(),
            text: g.text(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct GuideList {
    pub items: Vec<GuideDto>,
}

/// A marking guide written as text, one criterion per line:
/// `Clarity | 10 | What the grader looks for` (a maximum over 0 and up to
/// 1,000, two decimals at most; the description optional; 30 criteria at most).
#[derive(Serialize, Deserialize, ToSchema)]
pub struct GuideBody {
    pub title: String,
    pub text: String,
}

/// A scale: named levels, lowest first.
#[derive(Serialize, ToSchema)]
pub struct ScaleDto {
    pub id: String,
    pub course_id: String,
    pub title: String,
    pub levels: Vec<String>,
    /// The levels as text, lowest first: `Not yet, Competent, Excellent`.
    pub text: String,
}

impl From<&Scale> for ScaleDto {
    fn from(s: &Scale) -> Self {
        Self {
            id: s.id.clone(),
            course_id: s.course_id.clone(),
            title: s.title.clone(),
            levels: s.levels.clone(),
            text: s.text(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ScaleList {
    pub items: Vec<ScaleDto>,
}

/// A scale written as text: 2 to 10 levels, lowest first, separated by
/// commas or lines (`Not yet, Competent, Excellent`).
#[derive(Serialize, Deserialize, ToSchema)]
pub struct ScaleBody {
    pub title: String,
    pub text: String,
}

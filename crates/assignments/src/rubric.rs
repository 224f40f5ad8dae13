//! Rubrics: criteria, each with levels worth points, written as text (one
//! criterion per line: `Clarity | Unclear = 0 | Clear = 5 | Vivid = 10`)
//! and stored as JSON. Grading picks one level per criterion; the points are
//! the levels' sum scaled to the assignment's maximum. Pure.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Level {
    pub label: String,
    pub points: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Criterion {
    pub name: String,
    /// Lowest first.
    pub levels: Vec<Level>,
}

/// Most criteria in a rubric, and levels in a criterion.
pub const CRITERIA_MAX: usize = 30;
pub const LEVELS_MAX: usize = 10;
const TEXT_MAX: usize = 200;

/// Why a rubric's text cannot be read: the line (from 1) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RubricError {
    Empty,
    TooMany,
    /// A line without a name and two levels.
    Line(usize),
    /// A level that is not `label = points` with points from 0 to 1,000.
    Level(usize),
}

impl RubricError {
    /// The translation key and the line it concerns.
    pub fn key(&self) -> (&'static str, usize) {
        match self {
            Self::Empty => ("assignments.rubric_rules.empty", 0),
            Self::TooMany => ("assignments.rubric_rules.too_many", 0),
            Self::Line(n) => ("assignments.rubric_rules.line", *n),
            Self::Level(n) => ("assignments.rubric_rules.level", *n),
        }
    }
}

/// Reads a rubric written one criterion per line; blank lines are skipped.
pub fn parse(text: &str) -> Result<Vec<Criterion>, RubricError> {
    let mut criteria = Vec::new();
    for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let number = i + 1;
        let mut parts = line.split('|').map(str::trim);
        let name = parts.next().unwrap_or_default();
        let levels: Vec<&str> = parts.collect();
        if name.is_empty() || name.chars().count() > TEXT_MAX || levels.len() < 2 || levels.len() > LEVELS_MAX {
            return Err(RubricError::Line(number));
        }
        let mut read = Vec::with_capacity(levels.len());
        for level in levels {
            let (label, points) = level.rsplit_once('=').ok_or(RubricError::Level(number))?;
            let label = label.trim();
            let points = points.trim().replace(',', ".").parse::<f64>().map_err(|_| RubricError::Level(number))?;
            if label.is_empty() || label.chars().count() > TEXT_MAX || !(0.0..=1000.0).contains(&points) {
                return Err(RubricError::Level(number));
            }
            read.push(Level { label: label.to_string(), points });
        }
        criteria.push(Criterion { name: name.to_string(), levels: read });
    }
    match criteria.len() {
        0 => Err(RubricError::Empty),
        n if n > CRITERIA_MAX => Err(RubricError::TooMany),
        _ => Ok(criteria),
    }
}

/// The text [`parse`] reads back into the same rubric.
pub fn to_text(criteria: &[Criterion]) -> String {
    criteria
        .iter()
        .map(|c| {
            let levels: Vec<String> = c.levels.iter().map(|l| format!("{} = {}", l.label, l.points)).collect();
            format!("{} | {}", c.name, levels.join(" | "))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The most points a rubric gives: the best level of each criterion.
pub fn max_points(criteria: &[Criterion]) -> f64 {
    criteria.iter().map(|c| c.levels.iter().map(|l| l.points).fold(0.0, f64::max)).sum()
}

/// The points of the chosen levels (one index per criterion), scaled to
/// `out_of`; None when a choice is missing or out of range.
pub fn score(criteria: &[Criterion], chosen: &[usize], out_of: f64) -> Option<f64> {
    if chosen.len() != criteria.len() {
        return None;
    }
    let mut sum = 0.0;
    for (c, &i) in criteria.iter().zip(chosen) {
        sum += c.levels.get(i)?.points;
    }
    let max = max_points(criteria);
    Some(if max > 0.0 { crate::model::round2(sum / max * out_of) } else { 0.0 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rubric_reads_back_from_its_text() {
        let text = "Clarity | Unclear = 0 | Clear = 5 | Vivid = 10\n\n  Sources | None = 0 | Cited = 2,5 ";
        let rubric = parse(text).unwrap();
        assert_eq!(rubric.len(), 2);
        assert_eq!(rubric[1].levels[1], Level { label: "Cited".into(), points: 2.5 });
        assert_eq!(parse(&to_text(&rubric)).unwrap(), rubric);
        assert_eq!(max_points(&rubric), 12.5);
        assert_eq!(score(&rubric, &[2, 1], 50.0), Some(50.0));
        assert_eq!(score(&rubric, &[1, 0], 100.0), Some(40.0));
        assert_eq!(score(&rubric, &[1], 100.0), None, "a criterion without a level");
        assert_eq!(score(&rubric, &[1, 7], 100.0), None, "no such level");
    }

    #[test]
    fn each_broken_line_is_named() {
        assert_eq!(parse(""), Err(RubricError::Empty));
        assert_eq!(parse("Clarity | Clear = 5"), Err(RubricError::Line(1)), "one level is no choice");
        assert_eq!(parse("A | x = 1 | y = 2\nB | bad | y = 2"), Err(RubricError::Level(2)));
        assert_eq!(parse("A | x = -1 | y = 2"), Err(RubricError::Level(1)));
        assert_eq!(parse("A | = 1 | y = 2"), Err(RubricError::Level(1)));
    }
}

//! Marking guides (Moodle's marking guide): criteria, each with a name, the
//! most points it gives and a description for the grader, written as text
//! (one criterion per line: `Clarity | 10 | What the grader looks for`) and
//! stored as JSON. Grading gives each criterion points (0 to its maximum,
//! two decimals at most) and a comment; the points are their sum scaled to
//! the assignment's maximum, as a rubric's are. Pure.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Criterion {
    pub name: String,
    /// The most points the criterion gives.
    pub max_points: f64,
    /// What the grader looks for (graders only).
    pub description: String,
}

/// A grader's mark on one criterion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Mark {
    pub points: f64,
    #[serde(default)]
    pub comment: String,
}

/// Most criteria in a guide.
pub const CRITERIA_MAX: usize = 30;
/// The most points one criterion gives.
pub const CRITERION_POINTS_MAX: f64 = 1000.0;
const NAME_MAX: usize = 200;
const DESCRIPTION_MAX: usize = 2000;
/// The longest comment on one criterion (characters).
pub const COMMENT_MAX: usize = 5000;

/// Why a guide's text cannot be read: the line (from 1) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GuideError {
    Empty,
    TooMany,
    /// A line without a name, or a name or description too long.
    Line(usize),
    /// A maximum that is not a number over 0 and up to 1,000 with two decimals at most.
    Max(usize),
}

impl GuideError {
    /// The translation key and the line it concerns.
    pub fn key(&self) -> (&'static str, usize) {
        match self {
            Self::Empty => ("assignments.guide_rules.empty", 0),
            Self::TooMany => ("assignments.guide_rules.too_many", 0),
            Self::Line(n) => ("assignments.guide_rules.line", *n),
            Self::Max(n) => ("assignments.guide_rules.max", *n),
        }
    }
}

/// Why a grader's marks are refused: the criterion (from 0) and what is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkError {
    /// Not one mark per criterion.
    Count,
    /// Points outside 0..=the criterion's maximum, or with more than two decimals.
    Points(usize),
    /// A comment over [`COMMENT_MAX`] characters.
    Comment(usize),
}

/// At most two decimals (what a grade is stored with).
pub fn two_decimals(value: f64) -> bool {
    value.is_finite() && ((value * 100.0).round() - value * 100.0).abs() < 1e-6
}

/// Reads a guide written one criterion per line (`name | max | description`,
/// the description optional and free to hold a `|`); blank lines are skipped.
pub fn parse(text: &str) -> Result<Vec<Criterion>, GuideError> {
    let mut criteria = Vec::new();
    for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let number = i + 1;
        let mut parts = line.splitn(3, '|').map(str::trim);
        let name = parts.next().unwrap_or_default();
        let max = parts.next().ok_or(GuideError::Max(number))?;
        let description = parts.next().unwrap_or_default();
        if name.is_empty() || name.chars().count() > NAME_MAX || description.chars().count() > DESCRIPTION_MAX {
            return Err(GuideError::Line(number));
        }
        let max = max.replace(',', ".").parse::<f64>().map_err(|_| GuideError::Max(number))?;
        if !(two_decimals(max) && max > 0.0 && max <= CRITERION_POINTS_MAX) {
            return Err(GuideError::Max(number));
        }
        criteria.push(Criterion { name: name.to_string(), max_points: max, description: description.to_string() });
    }
    match criteria.len() {
        0 => Err(GuideError::Empty),
        n if n > CRITERIA_MAX => Err(GuideError::TooMany),
        _ => Ok(criteria),
    }
}

/// The text [`parse`] reads back into the same guide.
pub fn to_text(criteria: &[Criterion]) -> String {
    let line = |c: &Criterion| match c.description.is_empty() {
        true => format!("{} | {}", c.name, c.max_points),
        false => format!("{} | {} | {}", c.name, c.max_points, c.description),
    };
    criteria.iter().map(line).collect::<Vec<_>>().join("\n")
}

/// The most points a guide gives: its criteria's maximums added up.
pub fn max_points(criteria: &[Criterion]) -> f64 {
    criteria.iter().map(|c| c.max_points).sum()
}

/// The points of the marks (one per criterion, in order), scaled to `out_of`.
pub fn score(criteria: &[Criterion], marks: &[Mark], out_of: f64) -> Result<f64, MarkError> {
    if marks.len() != criteria.len() {
        return Err(MarkError::Count);
    }
    for (i, (c, m)) in criteria.iter().zip(marks).enumerate() {
        if !(two_decimals(m.points) && (0.0..=c.max_points).contains(&m.points)) {
            return Err(MarkError::Points(i));
        }
        if m.comment.chars().count() > COMMENT_MAX {
            return Err(MarkError::Comment(i));
        }
    }
    let sum: f64 = marks.iter().map(|m| m.points).sum();
    let max = max_points(criteria);
    Ok(if max > 0.0 { crate::model::round2(sum / max * out_of) } else { 0.0 })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(points: f64) -> Mark {
        Mark { points, comment: String::new() }
    }

    #[test]
    fn a_guide_reads_back_from_its_text() {
        let text = "Clarity | 10 | Is the argument easy to follow? | no jargon\n\n Sources | 2,5 ";
        let guide = parse(text).unwrap();
        assert_eq!(guide.len(), 2);
        assert_eq!(guide[0].description, "Is the argument easy to follow? | no jargon", "a | in the description");
        assert_eq!(guide[1], Criterion { name: "Sources".into(), max_points: 2.5, description: String::new() });
        assert_eq!(parse(&to_text(&guide)).unwrap(), guide);
        assert_eq!(max_points(&guide), 12.5);
    }

    #[test]
    fn each_broken_line_is_named() {
        assert_eq!(parse(" \n"), Err(GuideError::Empty));
        assert_eq!(parse("Clarity"), Err(GuideError::Max(1)), "no maximum");
        assert_eq!(parse("A | 1\n | 2"), Err(GuideError::Line(2)), "no name");
        assert_eq!(parse("A | 0"), Err(GuideError::Max(1)));
        assert_eq!(parse("A | 1.005"), Err(GuideError::Max(1)), "three decimals");
        assert_eq!(parse("A | 1001"), Err(GuideError::Max(1)));
        assert_eq!(parse(&"A | 1\n".repeat(31)), Err(GuideError::TooMany));
    }

    #[test]
    fn marks_add_up_scaled_to_the_maximum_and_each_bad_one_is_named() {
        let guide = parse("Clarity | 10\nSources | 5").unwrap();
        assert_eq!(score(&guide, &[mark(7.5), mark(5.0)], 30.0), Ok(25.0));
        assert_eq!(score(&guide, &[mark(0.0), mark(0.0)], 30.0), Ok(0.0));
        assert_eq!(score(&guide, &[mark(7.5)], 30.0), Err(MarkError::Count));
        assert_eq!(score(&guide, &[mark(7.5), mark(5.01)], 30.0), Err(MarkError::Points(1)), "over its maximum");
        assert_eq!(score(&guide, &[mark(-1.0), mark(1.0)], 30.0), Err(MarkError::Points(0)));
        assert_eq!(score(&guide, &[mark(1.234), mark(1.0)], 30.0), Err(MarkError::Points(0)), "two decimals");
        let long = Mark { points: 1.0, comment: "x".repeat(COMMENT_MAX + 1) };
        assert_eq!(score(&guide, &[mark(1.0), long], 30.0), Err(MarkError::Comment(1)));
    }
}

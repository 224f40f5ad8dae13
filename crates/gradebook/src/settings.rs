//! A course's gradebook settings: its letter scale, its pass mark, how the
//! course total is aggregated and what the certificate needs. Pure: the
//! checks a scale must pass, and the letter for a percent. The defaults are
//! what every course had before settings existed.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The most letters a scale may have.
pub const LETTERS_MAX: usize = 20;
/// The longest letter ("A+", "Excellent").
pub const LETTER_LEN_MAX: usize = 20;

/// One step of a letter scale: the letter for a total of at least `min_percent`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct LetterStep {
    pub letter: String,
    pub min_percent: f64,
}

/// How the course total is made from the items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Aggregation {
    /// Each category's percent counts by its weight (Canvas's "weighted by group").
    #[default]
    Weighted,
    /// All points over all maximums; categories only group (and drop their lowest).
    Natural,
}

/// What a learner needs for the course's certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CertificateRule {
    /// Every lesson complete.
    #[default]
    Completion,
    /// Every lesson complete and a course total of at least the pass mark.
    CompletionAndPass,
}

impl Aggregation {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Weighted => "weighted",
            Self::Natural => "natural",
        }
    }
    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Weighted, Self::Natural].into_iter().find(|a| a.as_str() == raw)
    }
}

impl CertificateRule {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Completion => "completion",
            Self::CompletionAndPass => "completion_and_pass",
        }
    }
    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Completion, Self::CompletionAndPass].into_iter().find(|r| r.as_str() == raw)
    }
}

/// A course's settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Highest first; the last one's minimum is 0.
    pub letters: Vec<LetterStep>,
    /// The course total, percent, a learner needs to pass.
    pub pass_percent: f64,
    pub aggregation: Aggregation,
    pub certificate_rule: CertificateRule,
}

/// The pass mark of a course that never set one.
pub const DEFAULT_PASS_PERCENT: f64 = 60.0;

impl Default for Settings {
    fn default() -> Self {
        let step = |letter: &str, min_percent| LetterStep { letter: letter.into(), min_percent };
        Self {
            letters: vec![step("A", 90.0), step("B", 80.0), step("C", 70.0), step("D", 60.0), step("F", 0.0)],
            pass_percent: DEFAULT_PASS_PERCENT,
            aggregation: Aggregation::Weighted,
            certificate_rule: CertificateRule::Completion,
        }
    }
}

impl Settings {
    /// The letter for a total (the first step whose minimum it reaches).
    pub fn letter(&self, percent: f64) -> &str {
        self.letters
            .iter()
            .find(|s| percent + 1e-9 >= s.min_percent)
            .or(self.letters.last())
            .map_or("", |s| s.letter.as_str())
    }

    pub fn passes(&self, percent: Option<f64>) -> bool {
        percent.is_some_and(|p| p + 1e-9 >= self.pass_percent)
    }

    pub fn needs_a_pass(&self) -> bool {
        self.certificate_rule == CertificateRule::CompletionAndPass
    }
}

/// What is wrong with one row of a letter scale (rows count from 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScaleProblem {
    /// No row, or more than [`LETTERS_MAX`].
    Size,
    /// An empty or too long letter.
    Letter,
    /// The same letter as an earlier row.
    Duplicate,
    /// A minimum outside 0 – 100.
    Minimum,
    /// A minimum not below the row above it.
    NotDescending,
    /// The last row's minimum is not 0 (some totals would have no letter).
    NoBottom,
}

/// Checks a scale: `Err((row, problem))`, row counted from 1 (0 for the whole scale).
pub fn check_scale(letters: &[LetterStep]) -> Result<(), (usize, ScaleProblem)> {
    if letters.is_empty() || letters.len() > LETTERS_MAX {
        return Err((0, ScaleProblem::Size));
    }
    for (at, step) in letters.iter().enumerate() {
        let row = at + 1;
        let letter = step.letter.trim();
        if letter.is_empty() || letter.chars().count() > LETTER_LEN_MAX {
            return Err((row, ScaleProblem::Letter));
        }
        if letters[..at].iter().any(|s| s.letter.trim() == letter) {
            return Err((row, ScaleProblem::Duplicate));
        }
        if !(step.min_percent.is_finite() && (0.0..=100.0).contains(&step.min_percent)) {
            return Err((row, ScaleProblem::Minimum));
        }
        if at > 0 && step.min_percent >= letters[at - 1].min_percent {
            return Err((row, ScaleProblem::NotDescending));
        }
    }
    if letters.last().is_some_and(|s| s.min_percent != 0.0) {
        return Err((letters.len(), ScaleProblem::NoBottom));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scale(rows: &[(&str, f64)]) -> Vec<LetterStep> {
        rows.iter().map(|(l, m)| LetterStep { letter: (*l).into(), min_percent: *m }).collect()
    }

    #[test]
    fn the_default_scale_is_the_old_one() {
        let s = Settings::default();
        assert_eq!(
            [s.letter(95.0), s.letter(89.999), s.letter(80.0), s.letter(61.0), s.letter(12.0)],
            ["A", "B", "B", "D", "F"]
        );
        assert!(check_scale(&s.letters).is_ok());
        assert!(s.passes(Some(60.0)) && !s.passes(Some(59.99)) && !s.passes(None));
    }

    #[test]
    fn a_scale_is_refused_at_the_row_that_breaks_it() {
        assert_eq!(check_scale(&[]), Err((0, ScaleProblem::Size)));
        assert_eq!(check_scale(&scale(&[("A", 50.0), ("", 0.0)])), Err((2, ScaleProblem::Letter)));
        assert_eq!(check_scale(&scale(&[("A", 50.0), ("A", 0.0)])), Err((2, ScaleProblem::Duplicate)));
        assert_eq!(check_scale(&scale(&[("A", 50.0), ("B", 50.0), ("C", 0.0)])), Err((2, ScaleProblem::NotDescending)));
        assert_eq!(check_scale(&scale(&[("A", 150.0), ("B", 0.0)])), Err((1, ScaleProblem::Minimum)));
        assert_eq!(check_scale(&scale(&[("Pass", 50.0), ("Merit", 10.0)])), Err((2, ScaleProblem::NoBottom)));
        assert!(check_scale(&scale(&[("Réussi", 50.0), ("Échec", 0.0)])).is_ok());
    }
}

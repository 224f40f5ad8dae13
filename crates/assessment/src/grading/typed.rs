//! Short answer and numerical: the first answer that matches wins, as in
//! Moodle, so authors list the best answer first and catch-alls (`*`) last.

use super::{Outcome, some_feedback};
use crate::grading::wildcard;
use crate::number::parse_number;
use crate::question::{NumericAnswer, PatternAnswer, Unit};

pub(super) fn short_answer(case_sensitive: bool, answers: &[PatternAnswer], text: &str) -> Outcome {
    match answers.iter().find(|a| wildcard::matches(&a.pattern, text, case_sensitive)) {
        Some(a) => Outcome::graded(a.fraction, some_feedback([&a.feedback])),
        None => Outcome::graded(0.0, Vec::new()),
    }
}

/// The first answer whose interval `value ± tolerance` holds the learner's
/// number, bounds included. A hair of slack absorbs binary rounding, so that
/// 1.6 is within 0.1 of 1.5.
pub(super) fn numerical(answers: &[NumericAnswer], units: &[Unit], text: &str) -> Outcome {
    let Ok(value) = parse_number(text, units) else {
        return Outcome::graded(0.0, Vec::new());
    };
    let within = |a: &&NumericAnswer| {
        let slack = 1e-9 * a.value.abs().max(1.0);
        (value - a.value).abs() <= a.tolerance + slack
    };
    match answers.iter().find(within) {
        Some(a) => Outcome::graded(a.fraction, some_feedback([&a.feedback])),
        None => Outcome::graded(0.0, Vec::new()),
    }
}

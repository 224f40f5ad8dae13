//! Multiple choice and true/false.

use super::{Outcome, some_feedback};
use crate::question::Choice;
use crate::text::Text;

/// One answer: the chosen choice's worth (a negative worth gives 0). Several
/// answers: the sum of the chosen worths, clamped to 0..=1, so choosing every
/// box never earns the mark when wrong boxes carry negative worths.
pub(super) fn multiple(single: bool, choices: &[Choice], order: &[usize], chosen: &[usize]) -> Outcome {
    let picked: Vec<&Choice> = chosen.iter().map(|&p| &choices[order[p]]).collect();
    let fraction = match single {
        true => picked.first().map_or(0.0, |c| c.fraction),
        false => picked.iter().map(|c| c.fraction).sum(),
    };
    Outcome::graded(fraction, some_feedback(picked.iter().map(|c| &c.feedback)))
}

pub(super) fn true_false(correct: bool, feedback_true: &Text, feedback_false: &Text, answer: bool) -> Outcome {
    let feedback = if answer { feedback_true } else { feedback_false };
    let fraction = if answer == correct { 1.0 } else { 0.0 };
    Outcome::graded(fraction, some_feedback([feedback]))
}

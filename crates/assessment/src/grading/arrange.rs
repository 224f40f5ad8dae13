//! Matching and ordering: partial credit for the parts put right.

use super::Outcome;
use crate::question::MatchPair;

/// The share of stems given their own answer. Options are compared by text,
/// so two stems that share an answer both accept it.
pub(super) fn matching(
    pairs: &[MatchPair],
    distractors: &[String],
    order: &[usize],
    chosen: &[Option<usize>],
) -> Outcome {
    let options = MatchPair::options(pairs, distractors);
    let right = pairs
        .iter()
        .zip(chosen)
        .filter(|(pair, choice)| choice.is_some_and(|p| options[order[p]] == pair.answer))
        .count();
    Outcome::graded(right as f64 / pairs.len() as f64, Vec::new())
}

/// Moodle's "relative to the next item" rule: each adjacent pair in the
/// learner's order scores when the second item is the one that really comes
/// right after the first; fraction = such pairs / (items − 1). Moving one
/// item costs at most two pairs instead of zeroing every position after it.
pub(super) fn ordering(order: &[usize], answer: &[usize]) -> Outcome {
    let items: Vec<usize> = answer.iter().map(|&p| order[p]).collect();
    let pairs = items.len().saturating_sub(1).max(1);
    let right = items.windows(2).filter(|w| w[1] == w[0] + 1).count();
    Outcome::graded(right as f64 / pairs as f64, Vec::new())
}

//! Grading a response, by Moodle's rules so a question bank marks the same
//! here as there. Every outcome's fraction is within 0..=1: negative worths
//! take marks away within a question, never from the rest of the quiz.

mod arrange;
mod choice;
mod cloze;
mod typed;
pub mod wildcard;

use serde::{Deserialize, Serialize};

use crate::layout::Layout;
use crate::question::{Question, QuestionKind};
use crate::response::{Response, ResponseError};
use crate::text::Text;

/// How an answer was judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Correct,
    PartiallyCorrect,
    Incorrect,
    /// Waiting for a person (essays).
    NotGraded,
    Unanswered,
}

/// The grade of one response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub state: State,
    /// The share of the question's mark earned, from 0 to 1.
    pub fraction: f64,
    /// The feedback of the answers the learner gave (not the general feedback).
    pub feedback: Vec<Text>,
    /// For cloze questions, one per blank, in order.
    pub blanks: Vec<BlankOutcome>,
}

/// The grade of one cloze blank.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BlankOutcome {
    pub state: State,
    pub fraction: f64,
    pub feedback: Option<String>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GradeError {
    #[error("a grade must be between 0 and 1 of the mark (it was {0})")]
    FractionOutOfRange(f64),
}

/// Grades `response` to `question` as shown with `layout`. The response is
/// validated first: an answer that does not fit the question is an error,
/// not a wrong answer.
pub fn grade(question: &Question, layout: &Layout, response: &Response) -> Result<Outcome, ResponseError> {
    response.validate(question, layout)?;
    if response.is_empty() {
        return Ok(Outcome::unanswered());
    }
    Ok(match (&question.kind, response) {
        (QuestionKind::MultipleChoice { single, choices, .. }, Response::Choices(chosen)) => {
            choice::multiple(*single, choices, positions(layout), chosen)
        }
        (QuestionKind::TrueFalse { correct, feedback_true, feedback_false }, Response::TrueFalse(answer)) => {
            choice::true_false(*correct, feedback_true, feedback_false, *answer)
        }
        (QuestionKind::ShortAnswer { case_sensitive, answers }, Response::Text(text)) => {
            typed::short_answer(*case_sensitive, answers, text)
        }
        (QuestionKind::Numerical { answers, units }, Response::Number(text)) => typed::numerical(answers, units, text),
        (QuestionKind::Matching { pairs, distractors, .. }, Response::Matching(chosen)) => {
            arrange::matching(pairs, distractors, positions(layout), chosen)
        }
        (QuestionKind::Ordering { .. }, Response::Order(order)) => arrange::ordering(positions(layout), order),
        (QuestionKind::Cloze { text }, Response::Cloze(answers)) => cloze::grade(&text.body, layout, answers),
        (QuestionKind::Essay { .. }, Response::Essay { .. }) => Outcome::not_graded(),
        // `validate` refused every other pairing.
        _ => Outcome::unanswered(),
    })
}

/// A person's grade for a response that waits for one (an essay), or that
/// overrides the automatic grade: `fraction` of the mark, from 0 to 1, with
/// the grader's note as feedback.
pub fn manual_grade(fraction: f64, note: Text) -> Result<Outcome, GradeError> {
    if !(0.0..=1.0).contains(&fraction) {
        return Err(GradeError::FractionOutOfRange(fraction));
    }
    let feedback = if note.is_blank() { Vec::new() } else { vec![note] };
    Ok(Outcome::graded(fraction, feedback))
}

impl Outcome {
    /// An outcome for a fraction clamped to 0..=1, its state read from it.
    pub fn graded(fraction: f64, feedback: Vec<Text>) -> Self {
        let fraction = fraction.clamp(0.0, 1.0);
        Self { state: state_of(fraction), fraction, feedback, blanks: Vec::new() }
    }

    fn unanswered() -> Self {
        Self { state: State::Unanswered, fraction: 0.0, feedback: Vec::new(), blanks: Vec::new() }
    }

    fn not_graded() -> Self {
        Self { state: State::NotGraded, ..Self::unanswered() }
    }
}

/// Rounding in worths (3 × 33.33 %) still makes a correct answer.
pub(crate) fn state_of(fraction: f64) -> State {
    if fraction >= 1.0 - 1e-6 {
        State::Correct
    } else if fraction > 1e-9 {
        State::PartiallyCorrect
    } else {
        State::Incorrect
    }
}

/// The layout's single list (checked by `validate` to fit the question).
fn positions(layout: &Layout) -> &[usize] {
    match layout {
        Layout::Choices { order } => order,
        Layout::Matching { options } => options,
        Layout::Ordering { items } => items,
        Layout::Fixed | Layout::Cloze { .. } => &[],
    }
}

/// The feedback texts that are not blank.
fn some_feedback<'a>(texts: impl IntoIterator<Item = &'a Text>) -> Vec<Text> {
    texts.into_iter().filter(|t| !t.is_blank()).cloned().collect()
}

#[cfg(test)]
mod tests;

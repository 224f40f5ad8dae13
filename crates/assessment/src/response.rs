//! What a learner answered, by kind, and the check that it is an answer to
//! this question as it was shown (positions within the layout's lists).

use serde::{Deserialize, Serialize};

use crate::cloze::{self, BlankKind};
use crate::layout::{Layout, LayoutMismatch};
use crate::number::{NumberError, parse_number};
use crate::question::{Question, QuestionKind};

/// A learner's answer. Every index is a position in what was shown (the
/// layout's order), never an index in the author's lists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Response {
    /// Nothing was answered (any kind).
    Unanswered,
    /// Multiple choice: the positions chosen.
    Choices(Vec<usize>),
    TrueFalse(bool),
    /// Short answer.
    Text(String),
    /// Numerical: the text typed, unit included (`1.5 m`).
    Number(String),
    /// Matching: for each stem in order, the position of the option chosen.
    Matching(Vec<Option<usize>>),
    /// Ordering: the positions shown, in the order the learner put them.
    Order(Vec<usize>),
    /// Cloze: one answer per blank.
    Cloze(Vec<BlankResponse>),
    Essay {
        text: String,
        attachments: u8,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum BlankResponse {
    Empty,
    /// Typed into a short-answer or numerical blank.
    Text(String),
    /// The position chosen in a multiple-choice blank.
    Choice(usize),
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ResponseError {
    #[error("this answer is for another kind of question (a {expected} question was asked)")]
    WrongKind { expected: &'static str },
    #[error("a description asks for no answer")]
    NoAnswerExpected,
    #[error("choice {index} does not exist (there are {count})")]
    OutOfRange { index: usize, count: usize },
    #[error("only one choice may be selected")]
    TooManyChoices,
    #[error("choice {0} is selected twice")]
    DuplicateChoice(usize),
    #[error("expected {expected} answers, got {got}")]
    WrongCount { expected: usize, got: usize },
    #[error("the order must name every item once")]
    NotAnOrder,
    #[error("blank {blank} takes {expected}")]
    BlankKind { blank: usize, expected: &'static str },
    #[error("{0}")]
    Number(#[from] NumberError),
    #[error("at most {max} files may be attached")]
    TooManyAttachments { max: u8 },
    #[error(transparent)]
    Layout(#[from] LayoutMismatch),
}

impl Response {
    /// Checks the response answers `question` as shown with `layout`.
    pub fn validate(&self, question: &Question, layout: &Layout) -> Result<(), ResponseError> {
        layout.check(question)?;
        let wrong_kind = ResponseError::WrongKind { expected: question.kind_name() };
        match (&question.kind, self) {
            (QuestionKind::Description, _) => Err(ResponseError::NoAnswerExpected),
            (_, Self::Unanswered) => Ok(()),
            (QuestionKind::MultipleChoice { single, choices, .. }, Self::Choices(chosen)) => {
                if *single && chosen.len() > 1 {
                    return Err(ResponseError::TooManyChoices);
                }
                distinct_in_range(chosen, choices.len())
            }
            (QuestionKind::TrueFalse { .. }, Self::TrueFalse(_))
            | (QuestionKind::ShortAnswer { .. }, Self::Text(_)) => Ok(()),
            (QuestionKind::Numerical { units, .. }, Self::Number(text)) => number(text, units),
            (QuestionKind::Matching { pairs, .. }, Self::Matching(chosen)) => {
                let Layout::Matching { options } = layout else { return Err(wrong_kind) };
                count(pairs.len(), chosen.len())?;
                chosen.iter().flatten().try_for_each(|&i| in_range(i, options.len()))
            }
            (QuestionKind::Ordering { items }, Self::Order(order)) => {
                count(items.len(), order.len())?;
                distinct_in_range(order, items.len()).map_err(|_| ResponseError::NotAnOrder)
            }
            (QuestionKind::Cloze { text }, Self::Cloze(answers)) => cloze(&text.body, layout, answers),
            (QuestionKind::Essay { attachments_allowed, .. }, Self::Essay { attachments, .. }) => {
                match attachments > attachments_allowed {
                    true => Err(ResponseError::TooManyAttachments { max: *attachments_allowed }),
                    false => Ok(()),
                }
            }
            _ => Err(wrong_kind),
        }
    }

    /// Whether the learner gave no answer at all (an empty selection or
    /// only whitespace counts as none).
    pub fn is_empty(&self) -> bool {
        match self {
            Self::Unanswered => true,
            Self::Choices(chosen) => chosen.is_empty(),
            Self::TrueFalse(_) | Self::Order(_) => false,
            Self::Text(text) | Self::Number(text) => text.trim().is_empty(),
            Self::Matching(chosen) => chosen.iter().all(Option::is_none),
            Self::Cloze(blanks) => blanks.iter().all(BlankResponse::is_empty),
            Self::Essay { text, attachments } => text.trim().is_empty() && *attachments == 0,
        }
    }
}

impl BlankResponse {
    pub fn is_empty(&self) -> bool {
        match self {
            Self::Empty => true,
            Self::Text(text) => text.trim().is_empty(),
            Self::Choice(_) => false,
        }
    }
}

fn number(text: &str, units: &[crate::question::Unit]) -> Result<(), ResponseError> {
    match text.trim().is_empty() {
        true => Ok(()),
        false => parse_number(text, units).map(|_| ()).map_err(Into::into),
    }
}

fn cloze(body: &str, layout: &Layout, answers: &[BlankResponse]) -> Result<(), ResponseError> {
    let blanks = cloze::blanks(body).map_err(|_| LayoutMismatch)?;
    let Layout::Cloze { blanks: orders } = layout else {
        return Err(LayoutMismatch.into());
    };
    count(blanks.len(), answers.len())?;
    for (i, (blank, answer)) in blanks.iter().zip(answers).enumerate() {
        let blank_number = i + 1;
        match (blank.kind, answer) {
            (_, BlankResponse::Empty) => {}
            (BlankKind::MultiChoice { .. }, BlankResponse::Choice(c)) => in_range(*c, orders[i].len())?,
            (BlankKind::ShortAnswer { .. }, BlankResponse::Text(_)) => {}
            (BlankKind::Numerical, BlankResponse::Text(text)) => number(text, &[])?,
            (BlankKind::MultiChoice { .. }, _) => {
                return Err(ResponseError::BlankKind { blank: blank_number, expected: "a choice" });
            }
            _ => {
                return Err(ResponseError::BlankKind { blank: blank_number, expected: "a typed answer" });
            }
        }
    }
    Ok(())
}

fn count(expected: usize, got: usize) -> Result<(), ResponseError> {
    match expected == got {
        true => Ok(()),
        false => Err(ResponseError::WrongCount { expected, got }),
    }
}

fn in_range(index: usize, count: usize) -> Result<(), ResponseError> {
    match index < count {
        true => Ok(()),
        false => Err(ResponseError::OutOfRange { index, count }),
    }
}

fn distinct_in_range(indices: &[usize], count: usize) -> Result<(), ResponseError> {
    let mut seen = vec![false; count];
    for &i in indices {
        in_range(i, count)?;
        if std::mem::replace(&mut seen[i], true) {
            return Err(ResponseError::DuplicateChoice(i));
        }
    }
    Ok(())
}

#[cfg(test)]
#[path = "response_tests.rs"]
mod tests;

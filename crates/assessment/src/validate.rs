//! The rules a question must keep before it can be used in a quiz, each
//! refusal worded for the teacher who has to fix it.

use crate::cloze::{self, ClozeError};
use crate::question::{Choice, MatchPair, NumericAnswer, PatternAnswer, Question, QuestionKind, Unit};
use crate::text::Text;

/// Why a question cannot be used as it is.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum QuestionError {
    #[error("the question needs a name")]
    EmptyName,
    #[error("the question needs a text")]
    EmptyText,
    #[error("the default mark must be a number above 0 (it is {0})")]
    BadMark(f64),
    #[error("a multiple-choice question needs at least two choices")]
    TooFewChoices,
    #[error("{what} is empty")]
    EmptyAnswer { what: String },
    #[error("\"{0}\" is offered twice")]
    Duplicate(String),
    #[error("{what} is worth {percent} %, outside {min} % to {max} %")]
    FractionOutOfRange { what: String, percent: f64, min: f64, max: f64 },
    #[error("a multiple-choice question with one correct answer needs a choice worth 100 %")]
    NoFullMarkChoice,
    #[error(
        "the correct choices of a multiple-choice question with several answers must add up to 100 % (they add up to {0} %)"
    )]
    CorrectChoicesNotWhole(f64),
    #[error("the question needs at least one answer")]
    NoAnswers,
    #[error("the question needs an answer worth 100 %")]
    NoFullMarkAnswer,
    #[error("the tolerance of {value} is negative; use 0 or more")]
    NegativeTolerance { value: f64 },
    #[error("{what} is not a finite number")]
    NotFinite { what: String },
    #[error("unit \"{unit}\" needs a multiplier above 0")]
    BadMultiplier { unit: String },
    #[error("the first unit, \"{unit}\", is the one answers are written in: its multiplier must be 1")]
    FirstUnitNotBase { unit: String },
    #[error("matching needs at least two pairs")]
    TooFewPairs,
    #[error("ordering needs at least two items")]
    TooFewItems,
    #[error("an essay allows at most {max} attachments")]
    TooManyAttachments { max: u8 },
    #[error("{0}")]
    Cloze(#[from] ClozeError),
}

/// The most attachments an essay may ask for, as in Moodle.
pub const MAX_ATTACHMENTS: u8 = 10;

const WHOLE: f64 = 1e-6;

pub(crate) fn question(q: &Question) -> Result<(), QuestionError> {
    if q.name.trim().is_empty() {
        return Err(QuestionError::EmptyName);
    }
    let has_own_text = !q.kind.is_cloze();
    if has_own_text && q.text.is_blank() {
        return Err(QuestionError::EmptyText);
    }
    if !(q.default_mark.is_finite() && q.default_mark > 0.0) {
        return Err(QuestionError::BadMark(q.default_mark));
    }
    match &q.kind {
        QuestionKind::MultipleChoice { single, choices, .. } => multiple_choice(*single, choices),
        QuestionKind::TrueFalse { .. } | QuestionKind::Description => Ok(()),
        QuestionKind::ShortAnswer { answers, .. } => short_answer(answers),
        QuestionKind::Numerical { answers, units } => numerical(answers, units),
        QuestionKind::Matching { pairs, .. } => matching(pairs),
        QuestionKind::Ordering { items } => ordering(items),
        QuestionKind::Cloze { text } => cloze::blanks(&text.body).map(|_| ()).map_err(Into::into),
        QuestionKind::Essay { attachments_allowed, .. } => match *attachments_allowed > MAX_ATTACHMENTS {
            true => Err(QuestionError::TooManyAttachments { max: MAX_ATTACHMENTS }),
            false => Ok(()),
        },
    }
}

fn multiple_choice(single: bool, choices: &[Choice]) -> Result<(), QuestionError> {
    if choices.len() < 2 {
        return Err(QuestionError::TooFewChoices);
    }
    for (i, choice) in choices.iter().enumerate() {
        let what = format!("choice {}", i + 1);
        if choice.text.is_blank() {
            return Err(QuestionError::EmptyAnswer { what });
        }
        fraction(&what, choice.fraction, -1.0)?;
    }
    no_duplicates(choices.iter().map(|c| c.text.body.trim()))?;
    if single {
        if !choices.iter().any(|c| c.fraction >= 1.0 - WHOLE) {
            return Err(QuestionError::NoFullMarkChoice);
        }
        return Ok(());
    }
    let correct: f64 = choices.iter().map(|c| c.fraction.max(0.0)).sum();
    // 3 × 33.33 % is a whole mark to a teacher: allow rounding in the percentages.
    if (correct - 1.0).abs() > 0.01 {
        return Err(QuestionError::CorrectChoicesNotWhole(round_percent(correct)));
    }
    Ok(())
}

fn short_answer(answers: &[PatternAnswer]) -> Result<(), QuestionError> {
    if answers.is_empty() {
        return Err(QuestionError::NoAnswers);
    }
    for (i, answer) in answers.iter().enumerate() {
        let what = format!("answer {}", i + 1);
        if answer.pattern.trim().is_empty() {
            return Err(QuestionError::EmptyAnswer { what });
        }
        fraction(&what, answer.fraction, 0.0)?;
    }
    no_duplicates(answers.iter().map(|a| a.pattern.trim()))?;
    full_mark(answers.iter().map(|a| a.fraction))
}

fn numerical(answers: &[NumericAnswer], units: &[Unit]) -> Result<(), QuestionError> {
    if answers.is_empty() {
        return Err(QuestionError::NoAnswers);
    }
    for (i, answer) in answers.iter().enumerate() {
        let what = format!("answer {}", i + 1);
        if !answer.value.is_finite() || !answer.tolerance.is_finite() {
            return Err(QuestionError::NotFinite { what });
        }
        if answer.tolerance < 0.0 {
            return Err(QuestionError::NegativeTolerance { value: answer.tolerance });
        }
        fraction(&what, answer.fraction, 0.0)?;
    }
    full_mark(answers.iter().map(|a| a.fraction))?;
    self::units(units)
}

fn units(units: &[Unit]) -> Result<(), QuestionError> {
    for unit in units {
        if unit.unit.trim().is_empty() {
            return Err(QuestionError::EmptyAnswer { what: "a unit's name".into() });
        }
        if !(unit.multiplier.is_finite() && unit.multiplier > 0.0) {
            return Err(QuestionError::BadMultiplier { unit: unit.unit.clone() });
        }
    }
    if let Some(first) = units.first().filter(|u| (u.multiplier - 1.0).abs() > WHOLE) {
        return Err(QuestionError::FirstUnitNotBase { unit: first.unit.clone() });
    }
    no_duplicates(units.iter().map(|u| u.unit.trim()))
}

fn matching(pairs: &[MatchPair]) -> Result<(), QuestionError> {
    if pairs.len() < 2 {
        return Err(QuestionError::TooFewPairs);
    }
    for (i, pair) in pairs.iter().enumerate() {
        if pair.question.is_blank() || pair.answer.trim().is_empty() {
            return Err(QuestionError::EmptyAnswer { what: format!("pair {}", i + 1) });
        }
    }
    no_duplicates(pairs.iter().map(|p| p.question.body.trim()))
}

fn ordering(items: &[Text]) -> Result<(), QuestionError> {
    if items.len() < 2 {
        return Err(QuestionError::TooFewItems);
    }
    if let Some(i) = items.iter().position(Text::is_blank) {
        return Err(QuestionError::EmptyAnswer { what: format!("item {}", i + 1) });
    }
    no_duplicates(items.iter().map(|t| t.body.trim()))
}

fn fraction(what: &str, value: f64, min: f64) -> Result<(), QuestionError> {
    if !value.is_finite() {
        return Err(QuestionError::NotFinite { what: what.to_owned() });
    }
    if !(min..=1.0).contains(&value) {
        return Err(QuestionError::FractionOutOfRange {
            what: what.to_owned(),
            percent: round_percent(value),
            min: min * 100.0,
            max: 100.0,
        });
    }
    Ok(())
}

fn full_mark(fractions: impl IntoIterator<Item = f64>) -> Result<(), QuestionError> {
    match fractions.into_iter().any(|f| f >= 1.0 - WHOLE) {
        true => Ok(()),
        false => Err(QuestionError::NoFullMarkAnswer),
    }
}

fn no_duplicates<'a>(values: impl Iterator<Item = &'a str>) -> Result<(), QuestionError> {
    let mut seen = std::collections::HashSet::new();
    for value in values {
        if !seen.insert(value) {
            return Err(QuestionError::Duplicate(value.to_owned()));
        }
    }
    Ok(())
}

fn round_percent(fraction: f64) -> f64 {
    (fraction * 100_000.0).round() / 1000.0
}

#[cfg(test)]
#[path = "validate_tests.rs"]
mod tests;

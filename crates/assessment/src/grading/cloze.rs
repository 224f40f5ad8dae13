//! Cloze: each blank graded like the question kind it embeds, the question's
//! fraction the mean of the blanks weighted by their `{weight:…}`.

use super::{BlankOutcome, Outcome, State, state_of, wildcard};
use crate::cloze::{self, Blank, BlankAnswer, BlankKind};
use crate::layout::Layout;
use crate::number::parse_number;
use crate::response::BlankResponse;

pub(super) fn grade(body: &str, layout: &Layout, answers: &[BlankResponse]) -> Outcome {
    let (Ok(blanks), Layout::Cloze { blanks: orders }) = (cloze::blanks(body), layout) else {
        return Outcome::graded(0.0, Vec::new());
    };
    let outcomes: Vec<BlankOutcome> = blanks
        .iter()
        .zip(answers)
        .zip(orders)
        .map(|((blank, answer), order)| blank_outcome(blank, answer, order))
        .collect();
    let total: f64 = blanks.iter().map(|b| f64::from(b.weight)).sum();
    let earned: f64 = blanks.iter().zip(&outcomes).map(|(b, o)| f64::from(b.weight) * o.fraction).sum();
    let fraction = if total > 0.0 { earned / total } else { 0.0 };
    Outcome { blanks: outcomes, ..Outcome::graded(fraction, Vec::new()) }
}

fn blank_outcome(blank: &Blank, answer: &BlankResponse, order: &[usize]) -> BlankOutcome {
    if answer.is_empty() {
        return BlankOutcome { state: State::Unanswered, fraction: 0.0, feedback: None };
    }
    let matched = match (blank.kind, answer) {
        (BlankKind::MultiChoice { .. }, BlankResponse::Choice(p)) => order.get(*p).map(|&i| &blank.answers[i]),
        (BlankKind::ShortAnswer { case_sensitive }, BlankResponse::Text(text)) => {
            blank.answers.iter().find(|a| wildcard::matches(&a.text, text, case_sensitive))
        }
        (BlankKind::Numerical, BlankResponse::Text(text)) => numeric_match(&blank.answers, text),
        _ => None,
    };
    let fraction = matched.map_or(0.0, |a| a.fraction).clamp(0.0, 1.0);
    BlankOutcome {
        state: state_of(fraction),
        fraction,
        feedback: matched.map(|a| a.feedback.clone()).filter(|f| !f.trim().is_empty()),
    }
}

/// The first answer within tolerance; `*` takes any number.
fn numeric_match<'a>(answers: &'a [BlankAnswer], text: &str) -> Option<&'a BlankAnswer> {
    let value = parse_number(text, &[]).ok()?;
    answers.iter().find(|a| {
        a.text == "*"
            || a.text.parse::<f64>().is_ok_and(|v| {
                let slack = 1e-9 * v.abs().max(1.0);
                (value - v).abs() <= a.tolerance + slack
            })
    })
}

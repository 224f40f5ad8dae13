//! The right answer of a question in words, for a review that shows it.
//! Plain text (pages escape it): the choices, pattern or value that earn
//! full marks, the pairs, the order.

use lyceum_assessment::{Question, QuestionKind, cloze};

/// One line per part of the right answer; empty for essays and descriptions.
pub fn right_answer(question: &Question) -> Vec<String> {
    let full = |f: f64| f >= 1.0 - 1e-6;
    match &question.kind {
        QuestionKind::MultipleChoice { choices, .. } => {
            choices.iter().filter(|c| c.fraction > 0.0).map(|c| c.text.body.clone()).collect()
        }
        QuestionKind::TrueFalse { correct, .. } => vec![if *correct { "True" } else { "False" }.into()],
        QuestionKind::ShortAnswer { answers, .. } => {
            answers.iter().filter(|a| full(a.fraction)).map(|a| a.pattern.clone()).take(1).collect()
        }
        QuestionKind::Numerical { answers, units } => answers
            .iter()
            .filter(|a| full(a.fraction))
            .take(1)
            .map(|a| match units.first() {
                Some(u) => format!("{} {}", a.value, u.unit),
                None => a.value.to_string(),
            })
            .collect(),
        QuestionKind::Matching { pairs, .. } => {
            pairs.iter().map(|p| format!("{} → {}", p.question.body, p.answer)).collect()
        }
        QuestionKind::Ordering { items } => {
            items.iter().enumerate().map(|(i, t)| format!("{}. {}", i + 1, t.body)).collect()
        }
        QuestionKind::Cloze { text } => cloze::blanks(&text.body)
            .unwrap_or_default()
            .iter()
            .enumerate()
            .filter_map(|(i, b)| {
                let best = b.answers.iter().find(|a| full(a.fraction))?;
                Some(format!("{}: {}", i + 1, best.text))
            })
            .collect(),
        QuestionKind::Essay { .. } | QuestionKind::Description => Vec::new(),
    }
}

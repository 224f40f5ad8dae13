//! The part of a `<question>` that depends on its type.

use super::parse::{Bad, text, text_in};
use super::tree::Element;
use crate::question::{Choice, MatchPair, NumericAnswer, PatternAnswer, QuestionKind, Unit};
use crate::text::Text;

pub(super) fn read(q: &Element, question_text: &Text) -> Result<QuestionKind, Bad> {
    let kind = q.attribute("type").unwrap_or_default();
    Ok(match kind {
        "multichoice" => QuestionKind::MultipleChoice {
            single: flag(q, "single", true),
            shuffle: flag(q, "shuffleanswers", true),
            choices: answers(q)?
                .into_iter()
                .map(|(a, fraction)| Choice { text: text(Some(a)), fraction, feedback: text_in(a, "feedback") })
                .collect(),
        },
        "truefalse" => true_false(q)?,
        "shortanswer" => QuestionKind::ShortAnswer {
            case_sensitive: flag(q, "usecase", false),
            answers: answers(q)?
                .into_iter()
                .map(|(a, fraction)| PatternAnswer {
                    pattern: a.text_of_answer(),
                    fraction,
                    feedback: text_in(a, "feedback"),
                })
                .collect(),
        },
        "numerical" => numerical(q)?,
        "matching" => matching(q),
        "ordering" => ordering(q)?,
        "cloze" => QuestionKind::Cloze { text: question_text.clone() },
        "essay" => QuestionKind::Essay {
            response_required: flag(q, "responserequired", true),
            // Moodle's -1 is "unlimited": as many as this model allows.
            attachments_allowed: q
                .value("attachments")
                .and_then(|n| n.parse::<i32>().ok())
                .map_or(0, |n| if n < 0 { 10 } else { n.min(10) as u8 }),
            grader_info: text_in(q, "graderinfo"),
        },
        "description" => QuestionKind::Description,
        other => return Err(Bad::at(q, format!("the question type \"{other}\" is not supported"))),
    })
}

impl Element {
    fn text_of_answer(&self) -> String {
        self.child("text").map(|t| t.text.trim().to_owned()).unwrap_or_default()
    }
}

/// `1`, `true` (any case) are yes; `0`, `false` no; absent is `default`.
fn flag(q: &Element, name: &str, default: bool) -> bool {
    match q.value(name).map(str::to_ascii_lowercase).as_deref() {
        Some("1" | "true" | "yes") => true,
        Some("0" | "false" | "no") => false,
        _ => default,
    }
}

/// The `<answer fraction="50">` elements with their fraction (0.5).
fn answers(q: &Element) -> Result<Vec<(&Element, f64)>, Bad> {
    q.all("answer")
        .map(|a| {
            let raw = a.attribute("fraction").unwrap_or("0");
            let percent: f64 = raw
                .trim()
                .parse()
                .map_err(|_| Bad::at(a, format!("the answer's fraction \"{raw}\" is not a number")))?;
            Ok((a, percent / 100.0))
        })
        .collect()
}

/// Two answers, `true` and `false`; the one worth 100 % is correct.
fn true_false(q: &Element) -> Result<QuestionKind, Bad> {
    let answers = answers(q)?;
    let find = |word: &str| answers.iter().find(|(a, _)| a.text_of_answer().eq_ignore_ascii_case(word));
    let (Some(yes), Some(no)) = (find("true"), find("false")) else {
        return Err(Bad::at(q, "a true/false question needs a \"true\" and a \"false\" answer"));
    };
    Ok(QuestionKind::TrueFalse {
        correct: yes.1 >= no.1,
        feedback_true: text_in(yes.0, "feedback"),
        feedback_false: text_in(no.0, "feedback"),
    })
}

fn numerical(q: &Element) -> Result<QuestionKind, Bad> {
    let answers = answers(q)?
        .into_iter()
        .map(|(a, fraction)| {
            let number =
                |raw: &str| raw.trim().parse::<f64>().map_err(|_| Bad::at(a, format!("\"{raw}\" is not a number")));
            let (value, tolerance) = match a.text_of_answer().as_str() {
                "*" => (0.0, NumericAnswer::ANY),
                value => (number(value)?, number(a.value("tolerance").unwrap_or("0"))?),
            };
            Ok(NumericAnswer { value, tolerance, fraction, feedback: text_in(a, "feedback") })
        })
        .collect::<Result<_, Bad>>()?;
    let units = q
        .child("units")
        .map(|units| {
            units
                .all("unit")
                .map(|u| Unit {
                    unit: u.value("unit_name").unwrap_or_default().to_owned(),
                    multiplier: u.value("multiplier").and_then(|m| m.parse().ok()).unwrap_or(1.0),
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(QuestionKind::Numerical { answers, units })
}

/// `<subquestion>`s; one with an empty text is a distractor.
fn matching(q: &Element) -> QuestionKind {
    let mut pairs = Vec::new();
    let mut distractors = Vec::new();
    for sub in q.all("subquestion") {
        let stem = text(Some(sub));
        let answer = sub.child("answer").map(Element::text_of_answer).unwrap_or_default();
        match stem.is_blank() {
            true => distractors.push(answer),
            false => pairs.push(MatchPair { question: stem, answer }),
        }
    }
    QuestionKind::Matching { shuffle: flag(q, "shuffleanswers", true), pairs, distractors }
}

/// Items are `<answer>`s whose fraction is their place (1, 2, 3…), as the
/// ordering plugin writes them; equal places keep the file's order.
fn ordering(q: &Element) -> Result<QuestionKind, Bad> {
    let mut items = answers(q)?;
    items.sort_by(|a, b| a.1.total_cmp(&b.1));
    Ok(QuestionKind::Ordering { items: items.into_iter().map(|(a, _)| text(Some(a))).collect() })
}

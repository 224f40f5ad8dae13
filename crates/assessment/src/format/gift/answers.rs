//! The inside of a GIFT question's braces, which decides its kind:
//! `{}` essay, `{T}` true/false, `{#…}` numerical, `{=a -> b …}` matching,
//! `{=a ~b}` multiple choice, `{=a =b}` short answer.

use super::syntax::{answer_starts, find, split, unescape, weight};
use crate::question::{Choice, MatchPair, NumericAnswer, PatternAnswer, QuestionKind};
use crate::text::{Text, TextFormat};

pub(super) struct Parsed {
    pub kind: QuestionKind,
    pub general_feedback: String,
}

impl Parsed {
    pub(super) fn plain(kind: QuestionKind) -> Self {
        Self { kind, general_feedback: String::new() }
    }
}

/// One `=answer#feedback` or `~%50%answer#feedback` of a brace block.
struct Raw {
    correct: bool,
    weight: Option<f64>,
    text: String,
    feedback: String,
}

impl Raw {
    fn fraction(&self) -> f64 {
        self.weight.unwrap_or(if self.correct { 1.0 } else { 0.0 })
    }
}

pub(super) fn parse(block: &str, format: TextFormat) -> Result<Parsed, String> {
    let (block, general_feedback) = match find(block, "####") {
        Some(i) => (&block[..i], unescape(block[i + 4..].trim())),
        None => (block, String::new()),
    };
    let block = block.trim();
    let kind = if block.is_empty() {
        essay()
    } else if let Some(numbers) = block.strip_prefix('#') {
        numerical(numbers, format)?
    } else if let Some(kind) = true_false(block, format) {
        kind
    } else {
        let raws = raw_answers(block)?;
        if raws.iter().any(|r| find(&r.text, "->").is_some()) {
            matching(&raws, format)?
        } else if raws.iter().any(|r| !r.correct) {
            multiple_choice(raws, format)
        } else {
            short_answer(raws, format)
        }
    };
    Ok(Parsed { kind, general_feedback })
}

fn essay() -> QuestionKind {
    QuestionKind::Essay { response_required: true, attachments_allowed: 0, grader_info: Text::default() }
}

/// `T`, `TRUE`, `F` or `FALSE`, then `#feedback if wrong#feedback if right`.
fn true_false(block: &str, format: TextFormat) -> Option<QuestionKind> {
    let parts = split(block, "#");
    let correct = match parts[0].trim().to_ascii_uppercase().as_str() {
        "T" | "TRUE" => true,
        "F" | "FALSE" => false,
        _ => return None,
    };
    let text = |i: usize| Text::new(parts.get(i).map(|p| unescape(p.trim())).unwrap_or_default(), format);
    let (wrong, right) = (text(1), text(2));
    let (feedback_true, feedback_false) = if correct { (right, wrong) } else { (wrong, right) };
    Some(QuestionKind::TrueFalse { correct, feedback_true, feedback_false })
}

fn raw_answers(block: &str) -> Result<Vec<Raw>, String> {
    let starts = answer_starts(block);
    if starts.first() != Some(&0) {
        let head = block.chars().take(20).collect::<String>();
        return Err(format!("the answers must start with = or ~ (found \"{head}\")"));
    }
    let ends = starts.iter().skip(1).copied().chain([block.len()]);
    starts.iter().zip(ends).map(|(&start, end)| raw(&block[start..end])).collect()
}

fn raw(answer: &str) -> Result<Raw, String> {
    let correct = answer.starts_with('=');
    let (weight, rest) = weight(answer[1..].trim_start())?;
    let mut parts = split(rest, "#").into_iter();
    let text = unescape(parts.next().unwrap_or_default().trim());
    let feedback = unescape(parts.collect::<Vec<_>>().join("#").trim());
    Ok(Raw { correct, weight, text, feedback })
}

/// Single answer when one answer is marked `=`; several (checkboxes) when
/// every answer carries a `~%n%` worth, as Moodle decides.
fn multiple_choice(raws: Vec<Raw>, format: TextFormat) -> QuestionKind {
    QuestionKind::MultipleChoice {
        single: raws.iter().any(|r| r.correct),
        shuffle: true,
        choices: raws
            .into_iter()
            .map(|r| Choice {
                fraction: r.fraction(),
                text: Text::new(r.text, format),
                feedback: Text::new(r.feedback, format),
            })
            .collect(),
    }
}

fn short_answer(raws: Vec<Raw>, format: TextFormat) -> QuestionKind {
    QuestionKind::ShortAnswer {
        case_sensitive: false,
        answers: raws
            .into_iter()
            .map(|r| PatternAnswer { fraction: r.fraction(), pattern: r.text, feedback: Text::new(r.feedback, format) })
            .collect(),
    }
}

/// `=stem -> answer`; a pair with no stem is a distractor.
fn matching(raws: &[Raw], format: TextFormat) -> Result<QuestionKind, String> {
    let mut pairs = Vec::new();
    let mut distractors = Vec::new();
    for raw in raws {
        let arrow =
            find(&raw.text, "->").ok_or_else(|| format!("\"{}\" has no -> in a matching question", raw.text))?;
        let (stem, answer) = (raw.text[..arrow].trim(), raw.text[arrow + 2..].trim());
        match stem.is_empty() {
            true => distractors.push(answer.to_owned()),
            false => pairs.push(MatchPair { question: Text::new(stem, format), answer: answer.to_owned() }),
        }
    }
    Ok(QuestionKind::Matching { shuffle: true, pairs, distractors })
}

/// `#3.14:0.01`, `#1..5`, or `#=%100%3:0#exact =%50%3:1#close`.
fn numerical(block: &str, format: TextFormat) -> Result<QuestionKind, String> {
    let block = block.trim();
    let answers = if block.starts_with('=') || block.starts_with('~') {
        raw_answers(block)?
            .into_iter()
            .map(|r| numeric(&r.text, r.fraction(), Text::new(r.feedback, format)))
            .collect::<Result<_, _>>()?
    } else {
        let mut parts = split(block, "#").into_iter();
        let value = parts.next().unwrap_or_default();
        let feedback = unescape(parts.collect::<Vec<_>>().join("#").trim());
        vec![numeric(value, 1.0, Text::new(feedback, format))?]
    };
    Ok(QuestionKind::Numerical { answers, units: Vec::new() })
}

fn numeric(text: &str, fraction: f64, feedback: Text) -> Result<NumericAnswer, String> {
    let text = unescape(text.trim());
    let number = |s: &str| s.trim().parse::<f64>().map_err(|_| format!("\"{text}\" is not a number"));
    let (value, tolerance) = if let Some((low, high)) = text.split_once("..") {
        let (low, high) = (number(low)?, number(high)?);
        ((low + high) / 2.0, (high - low).abs() / 2.0)
    } else if let Some((value, tolerance)) = text.split_once(':') {
        (number(value)?, number(tolerance)?)
    } else {
        (number(&text)?, 0.0)
    };
    Ok(NumericAnswer { value, tolerance, fraction, feedback })
}

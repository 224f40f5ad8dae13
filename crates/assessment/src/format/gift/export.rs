//! Writing questions as GIFT. GIFT has no place for ordering or cloze
//! questions (skipped), nor for marks, units, catch-all numerical answers,
//! case sensitivity, unshuffled choices or essay settings (written without
//! them, and said so).

use super::syntax::escape;
use crate::format::ExportReport;
use crate::question::{Question, QuestionKind};
use crate::text::{Text, TextFormat};

/// Writes the questions, each under its category (a `$CATEGORY:` line when
/// the category changes).
pub fn to_gift(questions: &[(Option<String>, Question)]) -> ExportReport {
    let mut report = ExportReport::default();
    let mut category: Option<&String> = None;
    for (in_category, question) in questions {
        let Some(answers) = answers(question) else {
            let reason = format!("GIFT has no {} questions", question.kind_name());
            report.skipped.push((question.name.clone(), reason));
            continue;
        };
        if let Some(c) = in_category.as_ref().filter(|c| Some(*c) != category) {
            report.text.push_str(&format!("$CATEGORY: {c}\n\n"));
            category = Some(c);
        }
        for what in lost(question) {
            report.lossy.push((question.name.clone(), what));
        }
        report.text.push_str(&format!(
            "::{}::{}{}{}\n\n",
            escape(&question.name),
            marker(question.text.format),
            escape(&question.text.body),
            answers
        ));
    }
    report
}

fn marker(format: TextFormat) -> &'static str {
    match format {
        TextFormat::Markdown => "[markdown]",
        TextFormat::Html => "[html]",
        TextFormat::Plain => "[plain]",
    }
}

/// The brace block (with a leading space), empty for a description;
/// `None` for kinds GIFT cannot hold.
fn answers(q: &Question) -> Option<String> {
    let inner = match &q.kind {
        QuestionKind::Description => return Some(String::new()),
        QuestionKind::Ordering { .. } | QuestionKind::Cloze { .. } => return None,
        QuestionKind::Essay { .. } => String::new(),
        QuestionKind::TrueFalse { correct, feedback_true, feedback_false } => {
            let (right, wrong) =
                if *correct { (feedback_true, feedback_false) } else { (feedback_false, feedback_true) };
            let mut s = String::from(if *correct { "TRUE" } else { "FALSE" });
            if !right.is_blank() || !wrong.is_blank() {
                s += &format!("#{}#{}", escape(&wrong.body), escape(&right.body));
            }
            s
        }
        QuestionKind::MultipleChoice { single, choices, .. } => choices
            .iter()
            .map(|c| answer(*single && c.fraction >= 1.0, c.fraction, &c.text.body, &c.feedback))
            .collect(),
        QuestionKind::ShortAnswer { answers, .. } => {
            answers.iter().map(|a| answer(true, a.fraction, &a.pattern, &a.feedback)).collect()
        }
        QuestionKind::Numerical { answers, .. } => {
            let answers: String = answers
                .iter()
                .filter(|a| !a.is_any())
                .map(|a| {
                    let number = format!("{}:{}", a.value, a.tolerance);
                    format!("\n    ={}{}", percent(a.fraction), number) + &feedback(&a.feedback)
                })
                .collect();
            format!("#{answers}")
        }
        QuestionKind::Matching { pairs, distractors, .. } => {
            let pairs = pairs.iter().map(|p| format!("\n    ={} -> {}", escape(&p.question.body), escape(&p.answer)));
            let extra = distractors.iter().map(|d| format!("\n    = -> {}", escape(d)));
            pairs.chain(extra).collect()
        }
    };
    let general = match q.general_feedback.is_blank() {
        true => String::new(),
        false => format!("\n    ####{}", escape(&q.general_feedback.body)),
    };
    Some(format!(" {{{inner}{general}\n}}"))
}

/// `=text`, `~%50%text` or `~text`, then `#feedback`.
fn answer(marked: bool, fraction: f64, text: &str, fb: &Text) -> String {
    let head = match (marked, fraction) {
        (true, f) if f >= 1.0 => "=".to_owned(),
        (true, f) => format!("={}", percent(f)),
        (false, 0.0) => "~".to_owned(),
        (false, f) => format!("~{}", percent(f)),
    };
    format!("\n    {head}{}{}", escape(text), feedback(fb))
}

fn percent(fraction: f64) -> String {
    format!("%{}%", (fraction * 100.0 * 1e5).round() / 1e5)
}

fn feedback(text: &Text) -> String {
    match text.is_blank() {
        true => String::new(),
        false => format!("#{}", escape(&text.body)),
    }
}

/// What this question has that GIFT cannot say.
fn lost(q: &Question) -> Vec<String> {
    let mut lost = Vec::new();
    if (q.default_mark - 1.0).abs() > 1e-9 {
        lost.push(format!("default mark {}", q.default_mark));
    }
    match &q.kind {
        QuestionKind::MultipleChoice { shuffle: false, .. } | QuestionKind::Matching { shuffle: false, .. } => {
            lost.push("answers kept in order (GIFT questions are shuffled)".into())
        }
        QuestionKind::ShortAnswer { case_sensitive: true, .. } => lost.push("case sensitivity".into()),
        QuestionKind::Numerical { units, answers } => {
            if !units.is_empty() {
                lost.push("units".into());
            }
            if answers.iter().any(|a| a.is_any()) {
                lost.push("the catch-all (*) answer".into());
            }
        }
        QuestionKind::Essay { response_required, attachments_allowed, grader_info }
            if !*response_required || *attachments_allowed > 0 || !grader_info.is_blank() =>
        {
            lost.push("essay settings (required response, attachments, grader information)".into())
        }
        QuestionKind::Description if !q.general_feedback.is_blank() => lost.push("general feedback".into()),
        _ => {}
    }
    lost
}

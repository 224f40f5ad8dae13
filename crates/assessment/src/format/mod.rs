//! Question bank formats: GIFT (the plain-text format teachers write by hand)
//! and Moodle XML (what Moodle exports, files included). Importing never
//! stops at a bad question: it is reported with its line and skipped, and
//! the rest are imported. Exporting says which questions could not be
//! written and what was lost from the others.

pub mod gift;
pub mod moodle_xml;

use serde::{Deserialize, Serialize};

use crate::question::Question;

/// What an import produced.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportReport {
    pub questions: Vec<Imported>,
    pub problems: Vec<Problem>,
}

/// One question read from a file, valid (`Question::validate` passed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Imported {
    /// The category the file put it in (`$CATEGORY:` in GIFT), if any.
    pub category: Option<String>,
    pub question: Question,
    /// Where the question starts in the file, from 1.
    pub line: usize,
    pub tags: Vec<String>,
    /// Files embedded in the question's texts (Moodle XML only).
    pub attachments: Vec<Attachment>,
}

/// A file that came with a question (`@@PLUGINFILE@@/name` in its texts).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// A question that could not be imported, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub line: usize,
    pub message: String,
}

/// What an export produced.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportReport {
    pub text: String,
    /// Questions the format cannot hold: (name, reason).
    pub skipped: Vec<(String, String)>,
    /// Questions written without some of their settings: (name, what was lost).
    pub lossy: Vec<(String, String)>,
}

impl ImportReport {
    /// Keeps `question` if it is valid, otherwise reports why at `line`.
    pub(crate) fn push(&mut self, imported: Imported) {
        match imported.question.validate() {
            Ok(()) => self.questions.push(imported),
            Err(e) => self.problem(imported.line, format!("\"{}\": {e}", imported.question.name)),
        }
    }

    pub(crate) fn problem(&mut self, line: usize, message: impl Into<String>) {
        self.problems.push(Problem { line, message: message.into() });
    }
}

/// Compares two questions as an import of an export should find them:
/// equal, except for floating-point rounding in marks, worths and numbers.
#[cfg(test)]
pub(crate) fn assert_same(a: &Question, b: &Question) {
    let (ja, jb) = (serde_json::to_value(a).unwrap(), serde_json::to_value(b).unwrap());
    assert!(same_json(&ja, &jb), "{}:\n{ja}\n!=\n{jb}", a.name);
}

#[cfg(test)]
fn same_json(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            (x.as_f64().unwrap_or(f64::NAN) - y.as_f64().unwrap_or(f64::NAN)).abs() < 1e-6
        }
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_json(x, y)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
    }
}

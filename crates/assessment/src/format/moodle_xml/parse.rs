//! Reading a Moodle XML file: `<quiz>` holding `<question type="…">`
//! elements, a `category` one setting the category of those after it.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::kinds;
use super::tree::{self, Element};
use crate::format::{Attachment, ImportReport, Imported};
use crate::question::Question;
use crate::text::{Text, TextFormat};

/// Reads every question of a Moodle XML file; bad ones become problems
/// with their line. Broken XML stops the reading there: the questions
/// before the break are kept and the break is reported.
pub fn parse(xml: &str) -> ImportReport {
    let mut report = ImportReport::default();
    let tree::Document { root, broken } = tree::read(xml);
    if let Some((line, message)) = broken {
        report.problem(line, message);
    }
    let Some(quiz) = root.child("quiz") else {
        if report.problems.is_empty() {
            report.problem(1, "this is not a Moodle XML file: it has no <quiz>");
        }
        return report;
    };
    let mut category = None;
    for element in quiz.all("question") {
        if element.attribute("type") == Some("category") {
            category = element.text_of("category").map(category_path);
            continue;
        }
        match question(element) {
            Ok((question, attachments)) => report.push(Imported {
                category: category.clone(),
                question,
                line: element.line,
                tags: tags(element),
                attachments,
            }),
            Err(problem) => report.problem(problem.line, problem.message),
        }
    }
    // Problems in file order, whichever way they were found.
    report.problems.sort_by_key(|p| p.line);
    report
}

/// Why one question could not be read, and where.
pub(super) struct Bad {
    pub line: usize,
    pub message: String,
}

impl Bad {
    pub(super) fn at(element: &Element, message: impl Into<String>) -> Self {
        Self { line: element.line, message: message.into() }
    }
}

fn question(element: &Element) -> Result<(Question, Vec<Attachment>), Bad> {
    let name = element.text_of("name").unwrap_or_default().trim().to_owned();
    let text = text(element.child("questiontext"));
    let kind = kinds::read(element, &text)?;
    let default_mark = match element.value("defaultgrade") {
        Some(mark) => mark
            .parse()
            .map_err(|_| Bad::at(element, format!("\"{name}\": the default grade \"{mark}\" is not a number")))?,
        None => 1.0,
    };
    let question = Question {
        general_feedback: text_in(element, "generalfeedback"),
        default_mark,
        ..Question::new(name, if kind.is_cloze() { Text::default() } else { text }, kind)
    };
    Ok((question, attachments(element)?))
}

/// `$course$/top/Geography` → `Geography` (the context prefix and Moodle's
/// `top` level say where the category lived in Moodle, not what it is).
fn category_path(path: &str) -> String {
    let path = path.trim();
    let path = match path.strip_prefix('$') {
        Some(rest) => rest.split_once("$/").map_or(path, |(_, p)| p),
        None => path,
    };
    path.strip_prefix("top/").unwrap_or(path).to_owned()
}

fn tags(element: &Element) -> Vec<String> {
    element.child("tags").map(|tags| tags.all("tag").filter_map(|t| t.text_of_self()).collect()).unwrap_or_default()
}

impl Element {
    fn text_of_self(&self) -> Option<String> {
        self.child("text").map(|t| t.text.trim().to_owned()).filter(|t| !t.is_empty())
    }
}

/// Every `<file name=… encoding="base64">` in the question, decoded.
fn attachments(element: &Element) -> Result<Vec<Attachment>, Bad> {
    element
        .descendants()
        .into_iter()
        .filter(|e| e.name == "file")
        .map(|file| {
            let name = file.attribute("name").unwrap_or_default().to_owned();
            let data: String = file.text.split_whitespace().collect();
            let bytes =
                STANDARD.decode(data).map_err(|_| Bad::at(file, format!("the file \"{name}\" is not valid base64")))?;
            Ok(Attachment { name, bytes })
        })
        .collect()
}

/// A `<… format="…"><text>…</text></…>` element as a `Text`.
pub(super) fn text(element: Option<&Element>) -> Text {
    let Some(element) = element else { return Text::default() };
    let body = element.child("text").map(|t| t.text.clone()).unwrap_or_default();
    Text::new(body, format(element.attribute("format")))
}

pub(super) fn text_in(element: &Element, name: &str) -> Text {
    text(element.child(name))
}

fn format(name: Option<&str>) -> TextFormat {
    match name {
        Some("html") => TextFormat::Html,
        Some("markdown") => TextFormat::Markdown,
        _ => TextFormat::Plain,
    }
}

pub(super) fn format_name(format: TextFormat) -> &'static str {
    match format {
        TextFormat::Html => "html",
        TextFormat::Markdown => "markdown",
        TextFormat::Plain => "plain_text",
    }
}

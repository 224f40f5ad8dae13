//! Writing questions as Moodle XML. Every kind and setting of the model has
//! a place in it. The files a question's texts show come from the caller
//! (the quiz module stores them): each is written as a base64 `<file>` inside
//! every element whose text names it as `@@PLUGINFILE@@/<name>`, as Moodle
//! does.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use quick_xml::escape::escape;

use super::parse::format_name;
use crate::format::{Attachment, ExportReport};
use crate::question::{Question, QuestionKind};
use crate::text::Text;

/// Writes the questions, with a category question whenever the category changes.
pub fn to_moodle_xml(questions: &[(Option<String>, Question)]) -> ExportReport {
    let with_files: Vec<_> = questions.iter().map(|(c, q)| (c.clone(), q.clone(), Vec::new())).collect();
    to_moodle_xml_with_files(&with_files)
}

/// [`to_moodle_xml`] with the files each question's texts show
/// (`@@PLUGINFILE@@/<name>` in them, the name percent-encoded as Moodle
/// writes it, or as it is).
pub fn to_moodle_xml_with_files(questions: &[(Option<String>, Question, Vec<Attachment>)]) -> ExportReport {
    let mut out = Xml::default();
    out.line("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    out.open("quiz", "");
    let mut category: Option<&String> = None;
    for (in_category, question, files) in questions {
        out.files = files;
        if let Some(c) = in_category.as_ref().filter(|c| Some(*c) != category) {
            out.open("question", " type=\"category\"");
            out.text("category", &Text::plain(format!("$course$/top/{c}")), false);
            out.close("question");
            category = Some(c);
        }
        write_question(&mut out, question);
    }
    out.close("quiz");
    ExportReport { text: out.text, ..ExportReport::default() }
}

fn write_question(out: &mut Xml, q: &Question) {
    out.open("question", &format!(" type=\"{}\"", q.kind_name()));
    out.text("name", &Text::plain(&q.name), false);
    let text = match &q.kind {
        QuestionKind::Cloze { text } => text,
        _ => &q.text,
    };
    out.text("questiontext", text, true);
    out.text("generalfeedback", &q.general_feedback, true);
    out.leaf("defaultgrade", &q.default_mark.to_string());
    write_kind(out, &q.kind);
    out.close("question");
}

fn write_kind(out: &mut Xml, kind: &QuestionKind) {
    match kind {
        QuestionKind::MultipleChoice { single, shuffle, choices } => {
            out.leaf("single", &single.to_string());
            out.leaf("shuffleanswers", &shuffle.to_string());
            out.leaf("answernumbering", "abc");
            for c in choices {
                out.answer(c.fraction, &c.text, &c.feedback, "");
            }
        }
        QuestionKind::TrueFalse { correct, feedback_true, feedback_false } => {
            let worth = |right: bool| if right { 1.0 } else { 0.0 };
            out.answer(worth(*correct), &Text::plain("true"), feedback_true, "");
            out.answer(worth(!*correct), &Text::plain("false"), feedback_false, "");
        }
        QuestionKind::ShortAnswer { case_sensitive, answers } => {
            out.leaf("usecase", if *case_sensitive { "1" } else { "0" });
            for a in answers {
                out.answer(a.fraction, &Text::plain(&a.pattern), &a.feedback, "");
            }
        }
        QuestionKind::Numerical { answers, units } => {
            for a in answers {
                let (value, tolerance) = match a.is_any() {
                    true => ("*".to_owned(), 0.0),
                    false => (a.value.to_string(), a.tolerance),
                };
                let tolerance = format!("<tolerance>{tolerance}</tolerance>");
                out.answer(a.fraction, &Text::plain(value), &a.feedback, &tolerance);
            }
            out.open("units", "");
            for u in units {
                out.open("unit", "");
                out.leaf("multiplier", &u.multiplier.to_string());
                out.leaf("unit_name", &u.unit);
                out.close("unit");
            }
            out.close("units");
        }
        QuestionKind::Matching { shuffle, pairs, distractors } => {
            out.leaf("shuffleanswers", &shuffle.to_string());
            let distractors = distractors.iter().map(|d| (Text::plain(""), d));
            for (stem, answer) in pairs.iter().map(|p| (p.question.clone(), &p.answer)).chain(distractors) {
                out.open("subquestion", &format!(" format=\"{}\"", format_name(stem.format)));
                out.leaf("text", &stem.body);
                out.files_of(&stem.body);
                out.text("answer", &Text::plain(answer), false);
                out.close("subquestion");
            }
        }
        QuestionKind::Ordering { items } => {
            // The ordering plugin's settings for "all items, relative to the next", the rule `grade` uses.
            out.leaf("layouttype", "VERTICAL");
            out.leaf("selecttype", "ALL");
            out.leaf("selectcount", "0");
            out.leaf("gradingtype", "RELATIVE_NEXT_EXCLUDE_LAST");
            for (place, item) in items.iter().enumerate() {
                let attrs = format!(" fraction=\"{}\" format=\"{}\"", place + 1, format_name(item.format));
                out.open("answer", &attrs);
                out.leaf("text", &item.body);
                out.files_of(&item.body);
                out.close("answer");
            }
        }
        QuestionKind::Essay { response_required, attachments_allowed, grader_info } => {
            out.leaf("responseformat", "editor");
            out.leaf("responserequired", if *response_required { "1" } else { "0" });
            out.leaf("responsefieldlines", "15");
            out.leaf("attachments", &attachments_allowed.to_string());
            out.leaf("attachmentsrequired", "0");
            out.text("graderinfo", grader_info, true);
        }
        QuestionKind::Cloze { .. } | QuestionKind::Description => {}
    }
}

/// An indented XML writer: enough for Moodle XML's element-only shape.
#[derive(Default)]
struct Xml<'a> {
    text: String,
    depth: usize,
    /// The files of the question being written.
    files: &'a [Attachment],
}

/// `name` as a reference in a text names it: `@@PLUGINFILE@@/` and the
/// name percent-encoded (as Moodle's `rawurlencode`), or as it is.
pub fn plugin_file_refs(name: &str) -> [String; 2] {
    let mut encoded = String::new();
    for b in name.bytes() {
        match b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            true => encoded.push(b as char),
            false => encoded.push_str(&format!("%{b:02X}")),
        }
    }
    [format!("@@PLUGINFILE@@/{encoded}"), format!("@@PLUGINFILE@@/{name}")]
}

impl Xml<'_> {
    /// `<file>` elements for the question's files that `body` shows.
    fn files_of(&mut self, body: &str) {
        let shown: Vec<&Attachment> =
            self.files.iter().filter(|f| plugin_file_refs(&f.name).iter().any(|r| body.contains(r.as_str()))).collect();
        for file in shown {
            let attributes = format!("name=\"{}\" path=\"/\" encoding=\"base64\"", escape(file.name.as_str()));
            self.line(&format!("<file {attributes}>{}</file>", STANDARD.encode(&file.bytes)));
        }
    }

    fn line(&mut self, s: &str) {
        self.text.push_str(&"  ".repeat(self.depth));
        self.text.push_str(s);
        self.text.push('\n');
    }

    fn open(&mut self, name: &str, attributes: &str) {
        self.line(&format!("<{name}{attributes}>"));
        self.depth += 1;
    }

    fn close(&mut self, name: &str) {
        self.depth -= 1;
        self.line(&format!("</{name}>"));
    }

    fn leaf(&mut self, name: &str, value: &str) {
        self.line(&format!("<{name}>{}</{name}>", escape(value)));
    }

    /// `<name format="…"><text>…</text></name>`; `with_format` false for
    /// elements Moodle gives no format (names, categories, answers of matching).
    fn text(&mut self, name: &str, text: &Text, with_format: bool) {
        let attributes = match with_format {
            true => format!(" format=\"{}\"", format_name(text.format)),
            false => String::new(),
        };
        self.open(name, &attributes);
        self.leaf("text", &text.body);
        self.files_of(&text.body);
        self.close(name);
    }

    /// `<answer fraction="50" format="…"><text>…</text>{extra}<feedback>…</feedback></answer>`.
    fn answer(&mut self, fraction: f64, text: &Text, feedback: &Text, extra: &str) {
        let attributes = format!(" fraction=\"{}\" format=\"{}\"", fraction * 100.0, format_name(text.format));
        self.open("answer", &attributes);
        self.leaf("text", &text.body);
        self.files_of(&text.body);
        if !extra.is_empty() {
            self.line(extra);
        }
        self.text("feedback", feedback, true);
        self.close("answer");
    }
}

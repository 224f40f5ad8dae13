//! A `QuestionView` as a page shows it (texts as safe HTML, inputs named
//! for the "try it" form), and that form's fields read back as a `Response`.

use lyceum_assessment::{
    Outcome, QuestionView, Response,
    response::BlankResponse,
    view::{ClozePart, ViewBody},
};

use crate::text::to_html;

/// One input of the form, by the kind of question.
pub enum Field {
    Choices { single: bool, choices: Vec<String> },
    TrueFalse,
    Text,
    Number { units: Vec<String> },
    Matching { stems: Vec<String>, options: Vec<String> },
    Ordering { items: Vec<String> },
    Cloze { parts: Vec<Bit> },
    Essay,
    Description,
}

/// A piece of a cloze text: safe HTML, a typed blank, or a blank to choose in.
pub enum Bit {
    Html(String),
    Input(usize),
    Select(usize, Vec<String>),
}

pub struct Shown {
    pub text_html: String,
    pub field: Field,
}

/// Cloze pieces are fragments of one text, so markup cannot be kept whole
/// across them: their tags are dropped and the words kept (escaped).
fn words_only(text: &str) -> String {
    ammonia::Builder::empty().clean(text).to_string()
}

impl From<&QuestionView> for Shown {
    fn from(view: &QuestionView) -> Self {
        let field = match &view.body {
            ViewBody::MultipleChoice { single, choices } => {
                Field::Choices { single: *single, choices: choices.iter().map(to_html).collect() }
            }
            ViewBody::TrueFalse => Field::TrueFalse,
            ViewBody::ShortAnswer => Field::Text,
            ViewBody::Numerical { units } => Field::Number { units: units.clone() },
            ViewBody::Matching { stems, options } => {
                Field::Matching { stems: stems.iter().map(to_html).collect(), options: options.clone() }
            }
            ViewBody::Ordering { items } => Field::Ordering { items: items.iter().map(to_html).collect() },
            ViewBody::Cloze { parts, .. } => Field::Cloze {
                parts: parts
                    .iter()
                    .map(|p| match p {
                        ClozePart::Text { text } => Bit::Html(words_only(text)),
                        ClozePart::Input { blank } => Bit::Input(*blank),
                        ClozePart::Select { blank, choices } => Bit::Select(*blank, choices.clone()),
                    })
                    .collect(),
            },
            ViewBody::Essay { .. } => Field::Essay,
            ViewBody::Description => Field::Description,
        };
        Shown { text_html: to_html(&view.text), field }
    }
}

fn value<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
    form.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim()).filter(|v| !v.is_empty())
}

/// Reads the "try it" form. What cannot be read as a position is left out,
/// so the grader sees an unanswered question rather than an error page.
pub fn response(view: &QuestionView, form: &[(String, String)]) -> Response {
    response_in(view, form, "")
}

/// [`response`] for the question whose inputs are named `<prefix><name>`
/// (an attempt page holds several questions).
pub fn response_in(view: &QuestionView, form: &[(String, String)], prefix: &str) -> Response {
    let form: Vec<(String, String)> =
        form.iter().filter_map(|(k, v)| k.strip_prefix(prefix).map(|name| (name.to_string(), v.clone()))).collect();
    let form = form.as_slice();
    let response = match &view.body {
        ViewBody::MultipleChoice { .. } => {
            Response::Choices(form.iter().filter(|(k, _)| k == "choice").filter_map(|(_, v)| v.parse().ok()).collect())
        }
        ViewBody::TrueFalse => match value(form, "tf") {
            Some(v) => Response::TrueFalse(v == "true"),
            None => Response::Unanswered,
        },
        ViewBody::ShortAnswer => value(form, "text").map_or(Response::Unanswered, |t| Response::Text(t.into())),
        ViewBody::Numerical { .. } => {
            value(form, "number").map_or(Response::Unanswered, |t| Response::Number(t.into()))
        }
        ViewBody::Matching { stems, .. } => Response::Matching(
            (0..stems.len()).map(|i| value(form, &format!("match_{i}")).and_then(|v| v.parse().ok())).collect(),
        ),
        ViewBody::Ordering { items } => {
            // Each shown item gets a rank; the order is the items sorted by it.
            let mut ranked: Vec<(usize, usize)> = (0..items.len())
                .map(|i| (value(form, &format!("rank_{i}")).and_then(|v| v.parse().ok()).unwrap_or(usize::MAX), i))
                .collect();
            ranked.sort();
            Response::Order(ranked.into_iter().map(|(_, i)| i).collect())
        }
        ViewBody::Cloze { parts, .. } => Response::Cloze(
            parts
                .iter()
                .filter_map(|p| match p {
                    ClozePart::Text { .. } => None,
                    ClozePart::Input { blank } => Some(
                        value(form, &format!("blank_{blank}"))
                            .map_or(BlankResponse::Empty, |t| BlankResponse::Text(t.into())),
                    ),
                    ClozePart::Select { blank, .. } => Some(
                        value(form, &format!("blank_{blank}"))
                            .and_then(|v| v.parse().ok())
                            .map_or(BlankResponse::Empty, BlankResponse::Choice),
                    ),
                })
                .collect(),
        ),
        ViewBody::Essay { .. } => {
            value(form, "essay").map_or(Response::Unanswered, |t| Response::Essay { text: t.into(), attachments: 0 })
        }
        ViewBody::Description => Response::Unanswered,
    };
    if response.is_empty() { Response::Unanswered } else { response }
}

/// The form fields (names without prefix) that show `response` filled in:
/// the inverse of [`response`], so a resumed attempt shows what was saved.
pub fn form_values(response: &Response) -> Vec<(String, String)> {
    let one = |k: &str, v: String| vec![(k.to_string(), v)];
    match response {
        Response::Unanswered => Vec::new(),
        Response::Choices(chosen) => chosen.iter().map(|c| ("choice".to_string(), c.to_string())).collect(),
        Response::TrueFalse(b) => one("tf", b.to_string()),
        Response::Text(t) => one("text", t.clone()),
        Response::Number(t) => one("number", t.clone()),
        Response::Matching(chosen) => {
            chosen.iter().enumerate().filter_map(|(i, c)| c.map(|c| (format!("match_{i}"), c.to_string()))).collect()
        }
        // Ranks from 1, by the position each shown item was put in.
        Response::Order(order) => {
            order.iter().enumerate().map(|(rank, item)| (format!("rank_{item}"), (rank + 1).to_string())).collect()
        }
        Response::Cloze(blanks) => blanks
            .iter()
            .enumerate()
            .filter_map(|(i, b)| match b {
                BlankResponse::Empty => None,
                BlankResponse::Text(t) => Some((format!("blank_{i}"), t.clone())),
                BlankResponse::Choice(c) => Some((format!("blank_{i}"), c.to_string())),
            })
            .collect(),
        Response::Essay { text, .. } => one("essay", text.clone()),
    }
}

/// One question of an attempt page: what to show, its inputs' prefix and
/// the saved answer's values.
pub struct QuestionForm {
    /// From 1, as the learner counts.
    pub number: usize,
    pub slot: usize,
    pub mark: f64,
    pub shown: Shown,
    pub prefix: String,
    pub values: Vec<(String, String)>,
    /// Immediate feedback: the checked (final) answer's outcome.
    pub checked: Option<Graded>,
    /// How many files the question takes (essays), and those attached.
    pub files_allowed: u8,
    pub files: Vec<FileShown>,
}

/// A file of an answer as the pages list it: a download link.
pub struct FileShown {
    pub id: String,
    pub name: String,
    pub url: String,
    /// Its size, in KB (rounded up).
    pub size_kb: i64,
}

impl FileShown {
    pub fn of(files: &[crate::repo::files::FileRow]) -> Vec<Self> {
        files
            .iter()
            .map(|f| Self {
                id: f.id.clone(),
                name: f.name.clone(),
                url: crate::service::answer_files::url(f),
                size_kb: (f.size + 1023) / 1024,
            })
            .collect()
    }
}

impl QuestionForm {
    pub fn is(&self, name: &str, value: &usize) -> bool {
        let value = value.to_string();
        self.values.iter().any(|(k, v)| k == name && *v == value)
    }
    pub fn is_str(&self, name: &str, value: &str) -> bool {
        self.values.iter().any(|(k, v)| k == name && v == value)
    }
    pub fn val(&self, name: &str) -> &str {
        self.values.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
    }
    pub fn match_name(&self, i: &usize) -> String {
        format!("match_{i}")
    }
    pub fn rank_name(&self, i: &usize) -> String {
        format!("rank_{i}")
    }
    pub fn blank_name(&self, i: &usize) -> String {
        format!("blank_{i}")
    }
    pub fn ranks(&self, n: usize) -> Vec<usize> {
        (1..=n).collect()
    }
    pub fn locked(&self) -> bool {
        self.checked.is_some()
    }
    /// Another file may be attached to this (essay) answer now.
    pub fn can_attach(&self) -> bool {
        !self.locked() && self.files.len() < usize::from(self.files_allowed)
    }
}

/// An outcome as the page shows it.
pub struct Graded {
    pub state: &'static str,
    pub percent: String,
    pub feedback: Vec<String>,
}

/// A state's name, as the `quizzes.states` strings key it.
pub fn state_name(state: lyceum_assessment::State) -> &'static str {
    match state {
        lyceum_assessment::State::Correct => "correct",
        lyceum_assessment::State::PartiallyCorrect => "partially_correct",
        lyceum_assessment::State::Incorrect => "incorrect",
        lyceum_assessment::State::NotGraded => "not_graded",
        lyceum_assessment::State::Unanswered => "unanswered",
    }
}

impl From<&Outcome> for Graded {
    fn from(o: &Outcome) -> Self {
        let state = state_name(o.state);
        let mut feedback: Vec<String> = o.feedback.iter().filter(|t| !t.is_blank()).map(to_html).collect();
        feedback.extend(o.blanks.iter().filter_map(|b| b.feedback.as_deref()).map(words_only));
        Graded { state, percent: format!("{:.0}", o.fraction * 100.0), feedback }
    }
}

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

/// An outcome as the page shows it.
pub struct Graded {
    pub state: &'static str,
    pub percent: String,
    pub feedback: Vec<String>,
}

impl From<&Outcome> for Graded {
    fn from(o: &Outcome) -> Self {
        let state = match o.state {
            lyceum_assessment::State::Correct => "correct",
            lyceum_assessment::State::PartiallyCorrect => "partially_correct",
            lyceum_assessment::State::Incorrect => "incorrect",
            lyceum_assessment::State::NotGraded => "not_graded",
            lyceum_assessment::State::Unanswered => "unanswered",
        };
        let mut feedback: Vec<String> = o.feedback.iter().filter(|t| !t.is_blank()).map(to_html).collect();
        feedback.extend(o.blanks.iter().filter_map(|b| b.feedback.as_deref()).map(words_only));
        Graded { state, percent: format!("{:.0}", o.fraction * 100.0), feedback }
    }
}

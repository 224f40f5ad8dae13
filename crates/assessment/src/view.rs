//! What a learner's browser may be sent about a question during an attempt:
//! the texts and the choices in the attempt's order, each choice known only
//! by its position. Built from an explicit list of fields rather than by
//! hiding fields of `Question`, so nothing new on a question can leak by
//! default: no worths, no correct answers, no feedback, no grader notes.

use serde::Serialize;

use crate::cloze::{self, BlankKind, Segment};
use crate::layout::{Layout, LayoutMismatch};
use crate::question::{MatchPair, Question, QuestionKind};
use crate::text::Text;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionView {
    /// The question's text (empty for cloze, whose text is in `body`).
    pub text: Text,
    pub body: ViewBody,
}

/// What the learner answers with; every list is in the layout's order and a
/// response names an entry by its position in it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ViewBody {
    MultipleChoice {
        single: bool,
        choices: Vec<Text>,
    },
    TrueFalse,
    ShortAnswer,
    /// The units the answer may be written in.
    Numerical {
        units: Vec<String>,
    },
    /// `stems` keep the author's order; `options` are the shuffled answers.
    Matching {
        stems: Vec<Text>,
        options: Vec<String>,
    },
    Ordering {
        items: Vec<Text>,
    },
    Cloze {
        format: crate::text::TextFormat,
        parts: Vec<ClozePart>,
    },
    Essay {
        response_required: bool,
        attachments_allowed: u8,
    },
    Description,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClozePart {
    Text {
        text: String,
    },
    /// A blank to type into; `blank` is its number from 0.
    Input {
        blank: usize,
    },
    /// A blank to choose for, its choices in the layout's order.
    Select {
        blank: usize,
        choices: Vec<String>,
    },
}

impl QuestionView {
    pub fn new(question: &Question, layout: &Layout) -> Result<Self, LayoutMismatch> {
        layout.check(question)?;
        let body = body(question, layout).ok_or(LayoutMismatch)?;
        let text = match question.kind {
            QuestionKind::Cloze { .. } => Text::default(),
            _ => question.text.clone(),
        };
        Ok(Self { text, body })
    }
}

fn body(question: &Question, layout: &Layout) -> Option<ViewBody> {
    Some(match (&question.kind, layout) {
        (QuestionKind::MultipleChoice { single, choices, .. }, Layout::Choices { order }) => ViewBody::MultipleChoice {
            single: *single,
            choices: order.iter().map(|&i| choices[i].text.clone()).collect(),
        },
        (QuestionKind::TrueFalse { .. }, _) => ViewBody::TrueFalse,
        (QuestionKind::ShortAnswer { .. }, _) => ViewBody::ShortAnswer,
        (QuestionKind::Numerical { units, .. }, _) => {
            ViewBody::Numerical { units: units.iter().map(|u| u.unit.clone()).collect() }
        }
        (QuestionKind::Matching { pairs, distractors, .. }, Layout::Matching { options }) => {
            let all = MatchPair::options(pairs, distractors);
            ViewBody::Matching {
                stems: pairs.iter().map(|p| p.question.clone()).collect(),
                options: options.iter().map(|&i| all[i].clone()).collect(),
            }
        }
        (QuestionKind::Ordering { items }, Layout::Ordering { items: order }) => {
            ViewBody::Ordering { items: order.iter().map(|&i| items[i].clone()).collect() }
        }
        (QuestionKind::Cloze { text }, Layout::Cloze { blanks }) => {
            ViewBody::Cloze { format: text.format, parts: cloze_parts(&text.body, blanks)? }
        }
        (QuestionKind::Essay { response_required, attachments_allowed, .. }, _) => {
            ViewBody::Essay { response_required: *response_required, attachments_allowed: *attachments_allowed }
        }
        (QuestionKind::Description, _) => ViewBody::Description,
        _ => return None,
    })
}

fn cloze_parts(body: &str, orders: &[Vec<usize>]) -> Option<Vec<ClozePart>> {
    let mut blank = 0;
    let mut parts = Vec::new();
    for segment in cloze::parse(body).ok()? {
        parts.push(match segment {
            Segment::Text(text) => ClozePart::Text { text },
            Segment::Blank(b) => {
                let part = match b.kind {
                    BlankKind::MultiChoice { .. } => ClozePart::Select {
                        blank,
                        choices: orders.get(blank)?.iter().map(|&i| b.answers[i].text.clone()).collect(),
                    },
                    _ => ClozePart::Input { blank },
                };
                blank += 1;
                part
            }
        });
    }
    Some(parts)
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    use super::*;
    use crate::fixtures;

    fn view_json(question: &Question) -> String {
        let layout = Layout::new(question, true, &mut StdRng::seed_from_u64(3));
        serde_json::to_string(&QuestionView::new(question, &layout).unwrap()).unwrap()
    }

    #[test]
    fn no_view_leaks_fractions_feedback_or_grader_info() {
        let secrets = [
            "fraction",
            "feedback",
            "FB-",
            "GENERAL-FEEDBACK-SECRET",
            "GRADER-INFO-SECRET",
            "grader",
            "correct",
            "Exactly.",
            "William Shakespeare",
            "1.5",
            "tolerance",
            "Good cat",
            "kitten",
            "Nearly",
            "\"answers\"",
            "pattern",
            "4:0",
        ];
        for question in fixtures::all() {
            let json = view_json(&question);
            for secret in secrets {
                assert!(!json.contains(secret), "{} leaks {secret}: {json}", question.name);
            }
        }
    }

    #[test]
    fn choices_are_shown_in_layout_order() {
        let q = fixtures::single_choice();
        let layout = Layout::Choices { order: vec![2, 0, 1] };
        let view = QuestionView::new(&q, &layout).unwrap();
        let ViewBody::MultipleChoice { choices, single } = view.body else { panic!("expected choices") };
        assert!(single);
        let shown: Vec<_> = choices.iter().map(|c| c.body.as_str()).collect();
        assert_eq!(shown, ["Marseille", "Paris", "Lyon"]);
    }

    #[test]
    fn matching_shows_stems_and_shuffled_options_without_pairing_them() {
        let q = fixtures::matching();
        let view = QuestionView::new(&q, &Layout::Matching { options: vec![3, 2, 1, 0] }).unwrap();
        let ViewBody::Matching { stems, options } = view.body else { panic!("expected matching") };
        assert_eq!(stems.len(), 3);
        assert_eq!(options, ["Berlin", "Madrid", "Rome", "Paris"]);
    }

    #[test]
    fn cloze_shows_text_inputs_and_selects_but_no_answers() {
        let q = fixtures::cloze();
        let layout = Layout::Cloze { blanks: vec![vec![], vec![1, 0], vec![]] };
        let view = QuestionView::new(&q, &layout).unwrap();
        let ViewBody::Cloze { parts, .. } = view.body else { panic!("expected cloze") };
        assert_eq!(parts[0], ClozePart::Text { text: "The ".into() });
        assert_eq!(parts[1], ClozePart::Input { blank: 0 });
        assert_eq!(parts[3], ClozePart::Select { blank: 1, choices: vec!["a hat".into(), "the mat".into()] });
        assert_eq!(parts[5], ClozePart::Input { blank: 2 });
    }

    #[test]
    fn a_layout_of_another_shape_is_refused() {
        let q = fixtures::single_choice();
        assert_eq!(QuestionView::new(&q, &Layout::Fixed), Err(LayoutMismatch));
    }
}

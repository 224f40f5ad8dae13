//! The question model: one `Question` with the parts every kind shares and a
//! `QuestionKind` with what is particular to each kind (Moodle's kinds, so
//! question banks move between the two without loss).

use serde::{Deserialize, Serialize};

use crate::text::Text;

pub use crate::validate::QuestionError;

/// A question as a teacher wrote it, answers and feedback included. Never
/// sent to a learner as is: `QuestionView` is what a learner sees.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    pub name: String,
    pub text: Text,
    /// Shown to every learner after the question is graded, whatever they answered.
    pub general_feedback: Text,
    /// The mark the question is worth in a quiz unless the quiz says otherwise (> 0).
    pub default_mark: f64,
    pub kind: QuestionKind,
}

/// What a question asks for and how it is graded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum QuestionKind {
    MultipleChoice {
        /// One answer may be chosen (radio buttons) rather than several (checkboxes).
        single: bool,
        shuffle: bool,
        choices: Vec<Choice>,
    },
    TrueFalse {
        correct: bool,
        feedback_true: Text,
        feedback_false: Text,
    },
    ShortAnswer {
        case_sensitive: bool,
        answers: Vec<PatternAnswer>,
    },
    Numerical {
        answers: Vec<NumericAnswer>,
        /// The first unit is the one answers are written in (multiplier 1).
        units: Vec<Unit>,
    },
    Matching {
        shuffle: bool,
        pairs: Vec<MatchPair>,
        /// Wrong answers offered beside the pairs' answers.
        distractors: Vec<String>,
    },
    /// The correct order is the order the items are given in.
    Ordering {
        items: Vec<Text>,
    },
    /// A text with embedded blanks in Moodle's cloze syntax (see `cloze`);
    /// the question's own `text` is ignored in favour of this one.
    Cloze {
        text: Text,
    },
    Essay {
        response_required: bool,
        attachments_allowed: u8,
        /// Notes for the person grading; never shown to the learner.
        grader_info: Text,
    },
    /// Only text: no answer, no mark.
    Description,
}

/// One choice of a multiple-choice question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    pub text: Text,
    /// The share of the mark this choice is worth, from -1 to 1.
    pub fraction: f64,
    pub feedback: Text,
}

/// A short answer the learner's text is compared with; `*` matches any text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PatternAnswer {
    pub pattern: String,
    pub fraction: f64,
    pub feedback: Text,
}

/// A number that earns `fraction` when the learner's is within `tolerance` of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NumericAnswer {
    pub value: f64,
    pub tolerance: f64,
    pub fraction: f64,
    pub feedback: Text,
}

/// A unit a numerical answer may be given in: `value_in_unit = value × multiplier`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unit {
    pub unit: String,
    pub multiplier: f64,
}

/// One stem of a matching question and the answer it goes with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchPair {
    pub question: Text,
    pub answer: String,
}

impl Question {
    /// A question with empty feedback and a default mark of 1.
    pub fn new(name: impl Into<String>, text: Text, kind: QuestionKind) -> Self {
        Self { name: name.into(), text, general_feedback: Text::default(), default_mark: 1.0, kind }
    }

    /// Checks the question is complete and consistent, with a message a
    /// teacher can act on.
    pub fn validate(&self) -> Result<(), QuestionError> {
        crate::validate::question(self)
    }

    /// The kind's name as Moodle spells it, for messages and formats.
    pub fn kind_name(&self) -> &'static str {
        self.kind.name()
    }

    /// Every formatted text of the question (its text, feedback, choices,
    /// stems, items, grader's notes), for rewriting the addresses of the
    /// files they show.
    pub fn texts_mut(&mut self) -> Vec<&mut Text> {
        let mut texts = vec![&mut self.text, &mut self.general_feedback];
        match &mut self.kind {
            QuestionKind::MultipleChoice { choices, .. } => {
                for c in choices {
                    texts.extend([&mut c.text, &mut c.feedback]);
                }
            }
            QuestionKind::TrueFalse { feedback_true, feedback_false, .. } => {
                texts.extend([feedback_true, feedback_false]);
            }
            QuestionKind::ShortAnswer { answers, .. } => texts.extend(answers.iter_mut().map(|a| &mut a.feedback)),
            QuestionKind::Numerical { answers, .. } => texts.extend(answers.iter_mut().map(|a| &mut a.feedback)),
            QuestionKind::Matching { pairs, .. } => texts.extend(pairs.iter_mut().map(|p| &mut p.question)),
            QuestionKind::Ordering { items } => texts.extend(items.iter_mut()),
            QuestionKind::Cloze { text } => texts.push(text),
            QuestionKind::Essay { grader_info, .. } => texts.push(grader_info),
            QuestionKind::Description => {}
        }
        texts
    }
}

impl QuestionKind {
    /// A cloze question's text is in the kind, and its own `text` unused.
    pub fn is_cloze(&self) -> bool {
        matches!(self, Self::Cloze { .. })
    }

    /// The files a learner may attach to an answer (an essay's; 0 for every other kind).
    pub fn attachments_allowed(&self) -> u8 {
        match self {
            Self::Essay { attachments_allowed, .. } => *attachments_allowed,
            _ => 0,
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Self::MultipleChoice { .. } => "multichoice",
            Self::TrueFalse { .. } => "truefalse",
            Self::ShortAnswer { .. } => "shortanswer",
            Self::Numerical { .. } => "numerical",
            Self::Matching { .. } => "matching",
            Self::Ordering { .. } => "ordering",
            Self::Cloze { .. } => "cloze",
            Self::Essay { .. } => "essay",
            Self::Description => "description",
        }
    }
}

impl NumericAnswer {
    /// The tolerance of an answer that takes any number: Moodle's `*`
    /// answer, a catch-all listed last to give feedback to every other number.
    pub const ANY: f64 = f64::MAX;

    /// Whether this is a catch-all answer (see `ANY`).
    pub fn is_any(&self) -> bool {
        self.tolerance == Self::ANY
    }
}

impl MatchPair {
    /// The answers a matching question offers: each pair's answer once, in
    /// order, then the distractors that are not already among them. Layouts
    /// and responses refer to this list by index.
    pub fn options(pairs: &[MatchPair], distractors: &[String]) -> Vec<String> {
        let mut options: Vec<String> = Vec::new();
        let answers = pairs.iter().map(|p| &p.answer).chain(distractors);
        for answer in answers {
            if !options.contains(answer) {
                options.push(answer.clone());
            }
        }
        options
    }
}

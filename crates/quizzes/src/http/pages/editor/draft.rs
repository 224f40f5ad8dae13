//! The question editor's form as typed: every field a string, so a form sent
//! back with a mistake shows exactly what the teacher wrote. A draft is read
//! from a stored question (to edit it) or from the posted fields, and turned
//! into a `Question` with every unreadable number named by its field.
//!
//! Rows (choices, answers, units, pairs, distractors, items) keep their
//! place as typed, blank ones included, so an error's field name still
//! points at the right input when the form comes back; blank rows are
//! dropped only when the question is built.

use lyceum_assessment::{
    Question, QuestionKind, Text, TextFormat,
    question::{Choice, MatchPair, NumericAnswer, PatternAnswer, Unit},
};
use lyceum_platform::FieldError;

use super::form_input::{Fields, Reader};

/// A text and the format it was written in: an imported HTML text stays
/// HTML when edited; a new one is markdown.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TextField {
    pub body: String,
    pub format: TextFormat,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChoiceRow {
    pub text: TextField,
    /// The share of the mark, in percent (-100 to 100).
    pub percent: String,
    pub feedback: TextField,
}

/// A short answer's pattern or a numerical answer's value, with its credit.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AnswerRow {
    pub answer: String,
    /// Numerical answers only.
    pub tolerance: String,
    pub percent: String,
    pub feedback: TextField,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct UnitRow {
    pub unit: String,
    pub multiplier: String,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct PairRow {
    pub question: TextField,
    pub answer: String,
}

/// Everything the editor shows, for every kind (a kind uses its part).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Draft {
    /// The kind's name (`model::KINDS`).
    pub kind_name: &'static str,
    pub name: String,
    pub default_mark: String,
    /// The question's text; a cloze question's text with its embedded answers.
    pub text: TextField,
    pub general_feedback: TextField,
    pub single: bool,
    pub shuffle: bool,
    pub case_sensitive: bool,
    pub correct: bool,
    pub feedback_true: TextField,
    pub feedback_false: TextField,
    pub choices: Vec<ChoiceRow>,
    pub answers: Vec<AnswerRow>,
    pub units: Vec<UnitRow>,
    pub pairs: Vec<PairRow>,
    pub distractors: Vec<String>,
    pub items: Vec<TextField>,
    pub response_required: bool,
    pub attachments_allowed: String,
    pub grader_info: TextField,
}

/// Blank rows kept at the end of each list, for the next one to be typed.
const SPARE_ROWS: usize = 2;

impl Draft {
    /// An empty question of `kind` (one of `model::KINDS`), as Moodle starts one.
    pub fn blank(kind: &'static str) -> Self {
        let mut draft = Self {
            kind_name: kind,
            default_mark: "1".into(),
            text: TextField::markdown(""),
            general_feedback: TextField::markdown(""),
            single: true,
            shuffle: true,
            correct: true,
            feedback_true: TextField::markdown(""),
            feedback_false: TextField::markdown(""),
            response_required: true,
            attachments_allowed: "0".into(),
            grader_info: TextField::markdown(""),
            ..Self::default()
        };
        draft.pad(SPARE_ROWS + 2);
        draft
    }

    /// The stored question as the editor shows it.
    pub fn of(question: &Question) -> Self {
        let mut d = Self {
            kind_name: question.kind.name(),
            name: question.name.clone(),
            default_mark: number(question.default_mark),
            text: (&question.text).into(),
            general_feedback: (&question.general_feedback).into(),
            ..Self::blank(question.kind.name())
        };
        d.clear_rows();
        d.fill_kind(&question.kind);
        d.pad(SPARE_ROWS);
        d
    }

    fn fill_kind(&mut self, kind: &QuestionKind) {
        match kind {
            QuestionKind::MultipleChoice { single, shuffle, choices } => {
                (self.single, self.shuffle) = (*single, *shuffle);
                self.choices = choices.iter().map(ChoiceRow::of).collect();
            }
            QuestionKind::TrueFalse { correct, feedback_true, feedback_false } => {
                self.correct = *correct;
                (self.feedback_true, self.feedback_false) = (feedback_true.into(), feedback_false.into());
            }
            QuestionKind::ShortAnswer { case_sensitive, answers } => {
                self.case_sensitive = *case_sensitive;
                self.answers = answers.iter().map(AnswerRow::of_pattern).collect();
            }
            QuestionKind::Numerical { answers, units } => {
                self.answers = answers.iter().map(AnswerRow::of_number).collect();
                self.units =
                    units.iter().map(|u| UnitRow { unit: u.unit.clone(), multiplier: number(u.multiplier) }).collect();
            }
            QuestionKind::Matching { shuffle, pairs, distractors } => {
                self.shuffle = *shuffle;
                self.pairs = pairs
                    .iter()
                    .map(|p| PairRow { question: (&p.question).into(), answer: p.answer.clone() })
                    .collect();
                self.distractors = distractors.clone();
            }
            QuestionKind::Ordering { items } => self.items = items.iter().map(TextField::from).collect(),
            QuestionKind::Cloze { text } => self.text = text.into(),
            QuestionKind::Essay { response_required, attachments_allowed, grader_info } => {
                self.response_required = *response_required;
                self.attachments_allowed = attachments_allowed.to_string();
                self.grader_info = grader_info.into();
            }
            QuestionKind::Description => {}
        }
    }

    fn clear_rows(&mut self) {
        self.choices.clear();
        self.answers.clear();
        self.units.clear();
        self.pairs.clear();
        self.distractors.clear();
        self.items.clear();
    }

    /// Keeps at least `spare` blank rows at the end of every list.
    pub fn pad(&mut self, spare: usize) {
        pad_with(&mut self.choices, spare, ChoiceRow::is_blank, ChoiceRow::blank);
        pad_with(&mut self.answers, spare, AnswerRow::is_blank, AnswerRow::blank);
        pad_with(&mut self.units, spare.min(1), UnitRow::is_blank, UnitRow::default);
        pad_with(&mut self.pairs, spare, PairRow::is_blank, PairRow::blank);
        pad_with(&mut self.distractors, spare.min(1), |d| d.trim().is_empty(), String::new);
        pad_with(&mut self.items, spare, |i| i.is_blank(), || TextField::markdown(""));
    }

    /// Three more blank rows in every list ("Blanks for 3 more", as Moodle says).
    pub fn more_rows(&mut self) {
        let spare = SPARE_ROWS + 3;
        for _ in 0..3 {
            self.choices.push(ChoiceRow::blank());
            self.answers.push(AnswerRow::blank());
            self.pairs.push(PairRow::blank());
            self.items.push(TextField::markdown(""));
        }
        self.units.push(UnitRow::default());
        self.distractors.push(String::new());
        self.pad(spare);
    }

    /// The fields a form posted, for a question of `kind`.
    pub fn from_form(kind: &'static str, form: &[(String, String)]) -> Self {
        let f = Fields(form);
        let mut d = Self {
            kind_name: kind,
            name: f.get("name").to_string(),
            default_mark: f.get("default_mark").to_string(),
            text: f.text("text"),
            general_feedback: f.text("general_feedback"),
            single: f.get("single") != "0",
            shuffle: f.flag("shuffle"),
            case_sensitive: f.flag("case_sensitive"),
            correct: f.get("correct") != "false",
            feedback_true: f.text("feedback_true"),
            feedback_false: f.text("feedback_false"),
            response_required: f.flag("response_required"),
            attachments_allowed: f.get("attachments_allowed").to_string(),
            grader_info: f.text("grader_info"),
            ..Self::default()
        };
        d.choices = f.rows("choice", |p| ChoiceRow {
            text: f.text(&format!("{p}_text")),
            percent: f.get(&format!("{p}_percent")).to_string(),
            feedback: f.text(&format!("{p}_feedback")),
        });
        d.answers = f.rows("answer", |p| AnswerRow {
            answer: f.get(&format!("{p}_answer")).to_string(),
            tolerance: f.get(&format!("{p}_tolerance")).to_string(),
            percent: f.get(&format!("{p}_percent")).to_string(),
            feedback: f.text(&format!("{p}_feedback")),
        });
        d.units = f.rows("unit", |p| UnitRow {
            unit: f.get(&format!("{p}_unit")).to_string(),
            multiplier: f.get(&format!("{p}_multiplier")).to_string(),
        });
        d.pairs = f.rows("pair", |p| PairRow {
            question: f.text(&format!("{p}_question")),
            answer: f.get(&format!("{p}_answer")).to_string(),
        });
        d.distractors = f.rows("distractor", |p| f.get(&format!("{p}_text")).to_string());
        d.items = f.rows("item", |p| f.text(&format!("{p}_text")));
        d
    }

    /// The question this draft describes, or every number that could not be
    /// read, by field. The question's own rules are checked by the bank.
    pub fn to_question(&self) -> Result<Question, Vec<FieldError>> {
        let mut read = Reader::default();
        // Blank is Moodle's default mark.
        let default_mark = read.number("default_mark".into(), &self.default_mark, Some(1.0));
        let kind = self.kind_of(&mut read);
        if !read.bad.is_empty() {
            return Err(read.bad);
        }
        Ok(Question {
            name: self.name.trim().to_string(),
            text: self.text.to_text(),
            general_feedback: self.general_feedback.to_text(),
            default_mark,
            kind,
        })
    }

    fn kind_of(&self, read: &mut Reader) -> QuestionKind {
        match self.kind_name {
            "multichoice" => QuestionKind::MultipleChoice {
                single: self.single,
                shuffle: self.shuffle,
                choices: kept(&self.choices, ChoiceRow::is_blank)
                    .map(|(i, c)| Choice {
                        text: c.text.to_text(),
                        fraction: read.percent(format!("choice_{i}_percent"), &c.percent),
                        feedback: c.feedback.to_text(),
                    })
                    .collect(),
            },
            "truefalse" => QuestionKind::TrueFalse {
                correct: self.correct,
                feedback_true: self.feedback_true.to_text(),
                feedback_false: self.feedback_false.to_text(),
            },
            "shortanswer" => QuestionKind::ShortAnswer {
                case_sensitive: self.case_sensitive,
                answers: kept(&self.answers, AnswerRow::is_blank)
                    .map(|(i, a)| PatternAnswer {
                        pattern: a.answer.trim().to_string(),
                        fraction: read.percent(format!("answer_{i}_percent"), &a.percent),
                        feedback: a.feedback.to_text(),
                    })
                    .collect(),
            },
            "numerical" => QuestionKind::Numerical {
                answers: kept(&self.answers, AnswerRow::is_blank).map(|(i, a)| a.to_numeric(i, read)).collect(),
                units: kept(&self.units, UnitRow::is_blank)
                    .map(|(i, u)| Unit {
                        unit: u.unit.trim().to_string(),
                        multiplier: read.number(format!("unit_{i}_multiplier"), &u.multiplier, Some(1.0)),
                    })
                    .collect(),
            },
            "matching" => QuestionKind::Matching {
                shuffle: self.shuffle,
                pairs: kept(&self.pairs, PairRow::is_blank)
                    .map(|(_, p)| MatchPair { question: p.question.to_text(), answer: p.answer.trim().to_string() })
                    .collect(),
                distractors: kept(&self.distractors, |d| d.trim().is_empty())
                    .map(|(_, d)| d.trim().to_string())
                    .collect(),
            },
            "ordering" => QuestionKind::Ordering {
                items: kept(&self.items, TextField::is_blank).map(|(_, t)| t.to_text()).collect(),
            },
            "cloze" => QuestionKind::Cloze { text: self.text.to_text() },
            "essay" => QuestionKind::Essay {
                response_required: self.response_required,
                attachments_allowed: read.count("attachments_allowed", &self.attachments_allowed),
                grader_info: self.grader_info.to_text(),
            },
            _ => QuestionKind::Description,
        }
    }
}

impl TextField {
    pub fn markdown(body: &str) -> Self {
        Self { body: body.into(), format: TextFormat::Markdown }
    }

    pub fn is_blank(&self) -> bool {
        self.body.trim().is_empty()
    }

    fn to_text(&self) -> Text {
        Text::new(self.body.trim_end(), self.format)
    }

    /// The format's name, as the hidden `…_format` input carries it.
    pub fn format_name(&self) -> &'static str {
        match self.format {
            TextFormat::Markdown => "markdown",
            TextFormat::Html => "html",
            TextFormat::Plain => "plain",
        }
    }
}

impl From<&Text> for TextField {
    fn from(text: &Text) -> Self {
        Self { body: text.body.clone(), format: text.format }
    }
}

impl ChoiceRow {
    fn blank() -> Self {
        Self { text: TextField::markdown(""), percent: "0".into(), feedback: TextField::markdown("") }
    }

    fn of(c: &Choice) -> Self {
        Self { text: (&c.text).into(), percent: number(c.fraction * 100.0), feedback: (&c.feedback).into() }
    }

    fn is_blank(&self) -> bool {
        self.text.is_blank() && self.feedback.is_blank()
    }
}

impl AnswerRow {
    fn blank() -> Self {
        Self { feedback: TextField::markdown(""), ..Self::default() }
    }

    fn of_pattern(a: &PatternAnswer) -> Self {
        Self { answer: a.pattern.clone(), percent: number(a.fraction * 100.0), ..Self::of_feedback(&a.feedback) }
    }

    fn of_number(a: &NumericAnswer) -> Self {
        let (answer, tolerance) =
            if a.is_any() { ("*".to_string(), String::new()) } else { (number(a.value), number(a.tolerance)) };
        Self { answer, tolerance, percent: number(a.fraction * 100.0), ..Self::of_feedback(&a.feedback) }
    }

    fn of_feedback(feedback: &Text) -> Self {
        Self { feedback: feedback.into(), ..Self::default() }
    }

    fn is_blank(&self) -> bool {
        self.answer.trim().is_empty() && self.feedback.is_blank()
    }

    /// `*` is Moodle's "any other number" answer.
    fn to_numeric(&self, i: usize, read: &mut Reader) -> NumericAnswer {
        let fraction = read.percent(format!("answer_{i}_percent"), &self.percent);
        let feedback = self.feedback.to_text();
        if self.answer.trim() == "*" {
            return NumericAnswer { value: 0.0, tolerance: NumericAnswer::ANY, fraction, feedback };
        }
        let value = read.number(format!("answer_{i}_answer"), &self.answer, None);
        let tolerance = read.number(format!("answer_{i}_tolerance"), &self.tolerance, Some(0.0));
        NumericAnswer { value, tolerance, fraction, feedback }
    }
}

impl UnitRow {
    fn is_blank(&self) -> bool {
        self.unit.trim().is_empty()
    }
}

impl PairRow {
    fn blank() -> Self {
        Self { question: TextField::markdown(""), answer: String::new() }
    }

    fn is_blank(&self) -> bool {
        self.question.is_blank() && self.answer.trim().is_empty()
    }
}

/// The rows that hold something, with their place in the form.
fn kept<T>(rows: &[T], blank: impl Fn(&T) -> bool) -> impl Iterator<Item = (usize, &T)> {
    rows.iter().enumerate().filter(move |(_, r)| !blank(r))
}

fn pad_with<T>(rows: &mut Vec<T>, spare: usize, blank: impl Fn(&T) -> bool, new: impl Fn() -> T) {
    let trailing = rows.iter().rev().take_while(|r| blank(r)).count();
    for _ in trailing..spare {
        rows.push(new());
    }
}

/// A number as a person writes it: no trailing zeros, at most 7 decimals
/// (Moodle's grades such as 33.33333 %).
fn number(n: f64) -> String {
    let s = format!("{:.7}", n);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

#[cfg(test)]
#[path = "draft_tests.rs"]
mod tests;

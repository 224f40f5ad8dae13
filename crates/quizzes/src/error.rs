//! Why the bank refuses a change: the module's own error, turned into HTTP
//! only at the edge (`From<BankError> for AppError`). The assessment crate's
//! messages are English; they travel as the `reason` argument of this
//! module's translated sentence, so a page names the field in the viewer's
//! language and quotes the rule.

use lyceum_assessment::{QuestionError, ResponseError};

use crate::quiz::{attempt::StartRefusal, settings::SettingsError};
use lyceum_platform::{AppError, FieldError, Text};

#[derive(Debug)]
pub enum BankError {
    /// The question breaks a rule of its kind (422 on the field it concerns).
    Invalid(QuestionError),
    /// A category still holds questions or categories (409 `category-not-empty`).
    CategoryNotEmpty { questions: i64, children: i64 },
    /// A preview's answer does not fit the question as shown (422 on `response`).
    BadResponse(ResponseError),
    /// Anything else on the way: not found, access, a database fault.
    Other(AppError),
}

impl From<AppError> for BankError {
    fn from(e: AppError) -> Self {
        Self::Other(e)
    }
}

impl From<sqlx::Error> for BankError {
    fn from(e: sqlx::Error) -> Self {
        Self::Other(e.into())
    }
}

/// The field of the question a rule is about, so a form marks the right input.
fn field_of(e: &QuestionError) -> &'static str {
    match e {
        QuestionError::EmptyName => "name",
        QuestionError::EmptyText => "text",
        QuestionError::BadMark(_) => "default_mark",
        _ => "kind",
    }
}

/// The broken rule in the viewer's language where this module has its words;
/// the rules that name a part of the question ("choice 2 is empty") quote the
/// assessment crate's English inside a translated sentence.
fn rule(e: &QuestionError) -> Text {
    let key = |k: &'static str| Text::new(k);
    match e {
        QuestionError::EmptyName => key("quizzes.rules.empty_name"),
        QuestionError::EmptyText => key("quizzes.rules.empty_text"),
        QuestionError::BadMark(mark) => key("quizzes.rules.bad_mark").arg("mark", mark),
        QuestionError::TooFewChoices => key("quizzes.rules.too_few_choices"),
        QuestionError::NoFullMarkChoice => key("quizzes.rules.no_full_mark_choice"),
        QuestionError::CorrectChoicesNotWhole(sum) => key("quizzes.rules.choices_not_whole").arg("sum", sum),
        QuestionError::NoAnswers => key("quizzes.rules.no_answers"),
        QuestionError::NoFullMarkAnswer => key("quizzes.rules.no_full_mark_answer"),
        QuestionError::TooFewPairs => key("quizzes.rules.too_few_pairs"),
        QuestionError::TooFewItems => key("quizzes.rules.too_few_items"),
        QuestionError::TooManyAttachments { max } => key("quizzes.rules.too_many_attachments").arg("max", max),
        other => key("quizzes.errors.invalid_question").arg("reason", other),
    }
}

impl From<BankError> for AppError {
    fn from(e: BankError) -> Self {
        match e {
            BankError::Invalid(e) => {
                AppError::validation(vec![FieldError::new(format!("question.{}", field_of(&e)), rule(&e))])
            }
            BankError::CategoryNotEmpty { questions, children } => AppError::conflict(
                Text::new("quizzes.errors.category_not_empty").arg("questions", questions).arg("children", children),
            )
            .with_kind("category-not-empty"),
            BankError::BadResponse(e) => {
                AppError::field("response", Text::new("quizzes.errors.bad_response").arg("reason", &e))
            }
            BankError::Other(e) => e,
        }
    }
}

/// Why a quiz or an attempt refuses a request: the module's own error,
/// turned into HTTP only at the edge.
#[derive(Debug)]
pub enum QuizError {
    /// Settings or slots break their rules (422, every field at once).
    Invalid(Vec<SettingsError>),
    /// A slot names a question or category that is not in the course's bank (422 on the slot).
    UnknownSource(usize),
    /// A new attempt cannot start now (409: not open yet, closed, none left).
    CannotStart(StartRefusal),
    /// The quiz has no question to ask, or a random slot's category ran out (409).
    NoQuestions,
    /// The attempt was submitted or its time ran out (409 `attempt-closed`).
    AttemptClosed,
    /// The attempt is still under way: it has no review yet (409 `attempt-open`).
    AttemptOpen,
    /// The answer was checked (immediate feedback) and is final (409 `answer-checked`).
    AnswerChecked(usize),
    /// No such slot in the attempt (422 on `answers`).
    NoSuchSlot(usize),
    /// An answer does not fit its question as shown (422 on `answers`).
    BadResponse(usize, ResponseError),
    /// Only submitted attempts are graded by a person; the slot waits for none (409).
    NotGradable,
    /// A grade outside 0..=1 of the mark (422 on `fraction`).
    BadFraction,
    /// An uploaded file is refused for its content or size (400 / 413 / 415).
    File(FileRefusal),
    /// The slot's question takes no files: not an essay, or one allowing none (422 on `file`).
    NoFilesHere(usize),
    /// The essay's answer already has as many files as it allows (422 on `file`).
    TooManyFiles {
        slot: usize,
        max: u8,
    },
    Other(AppError),
}

/// Why an uploaded file is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileRefusal {
    Empty,
    TooLarge {
        size_kb: u64,
        limit_kb: u64,
    },
    /// Question files are PNG, JPEG, GIF or WebP images (never SVG: it runs script).
    NotAnImage,
    /// Not among the types an essay's files may have.
    NotAccepted,
}

impl FileRefusal {
    /// The flash message of a page's upload (the API's problem has the numbers).
    pub fn flash_key(self) -> &'static str {
        match self {
            Self::Empty => "quizzes.files.refused_empty",
            Self::TooLarge { .. } => "quizzes.files.refused_size",
            Self::NotAnImage => "quizzes.files.refused_image",
            Self::NotAccepted => "quizzes.files.refused_type",
        }
    }
}

impl From<AppError> for QuizError {
    fn from(e: AppError) -> Self {
        Self::Other(e)
    }
}

impl From<sqlx::Error> for QuizError {
    fn from(e: sqlx::Error) -> Self {
        Self::Other(e.into())
    }
}

impl From<QuizError> for AppError {
    fn from(e: QuizError) -> Self {
        let t = Text::new;
        match e {
            QuizError::Invalid(errors) => {
                AppError::validation(errors.iter().map(|e| FieldError::new(e.field(), Text::new(e.key()))).collect())
            }
            QuizError::UnknownSource(i) => {
                AppError::field(&format!("slots[{i}].source"), t("quizzes.errors.unknown_source"))
            }
            QuizError::CannotStart(why) => {
                let (key, kind) = match why {
                    StartRefusal::NotOpen => ("quizzes.errors.not_open", "quiz-not-open"),
                    StartRefusal::Closed => ("quizzes.errors.closed", "quiz-closed"),
                    StartRefusal::NoAttemptsLeft => ("quizzes.errors.no_attempts_left", "no-attempts-left"),
                };
                AppError::conflict(t(key)).with_kind(kind)
            }
            QuizError::NoQuestions => {
                AppError::conflict(t("quizzes.errors.no_questions")).with_kind("quiz-has-no-questions")
            }
            QuizError::AttemptClosed => {
                AppError::conflict(t("quizzes.errors.attempt_closed")).with_kind("attempt-closed")
            }
            QuizError::AttemptOpen => AppError::conflict(t("quizzes.errors.attempt_open")).with_kind("attempt-open"),
            QuizError::AnswerChecked(slot) => {
                AppError::conflict(t("quizzes.errors.answer_checked").arg("number", slot + 1))
                    .with_kind("answer-checked")
            }
            QuizError::NoSuchSlot(slot) => {
                AppError::field("answers", t("quizzes.errors.no_such_slot").arg("number", slot + 1))
            }
            QuizError::BadResponse(slot, e) => {
                AppError::field("answers", t("quizzes.errors.bad_answer").arg("number", slot + 1).arg("reason", &e))
            }
            QuizError::NotGradable => AppError::conflict(t("quizzes.errors.not_gradable")).with_kind("not-gradable"),
            QuizError::BadFraction => AppError::field("fraction", t("quizzes.errors.bad_fraction")),
            QuizError::File(why) => match why {
                FileRefusal::Empty => AppError::bad_request(t("quizzes.errors.file_empty")),
                FileRefusal::TooLarge { size_kb, limit_kb } => AppError::payload_too_large(
                    t("quizzes.errors.file_over_limit").arg("size", size_kb).arg("max", limit_kb),
                ),
                FileRefusal::NotAnImage => AppError::unsupported_media_type(t("quizzes.errors.not_an_image")),
                FileRefusal::NotAccepted => AppError::unsupported_media_type(t("quizzes.errors.file_type")),
            },
            QuizError::NoFilesHere(slot) => {
                AppError::field("file", t("quizzes.errors.no_files_here").arg("number", slot + 1))
            }
            QuizError::TooManyFiles { slot, max } => {
                AppError::field("file", t("quizzes.errors.too_many_files").arg("number", slot + 1).arg("max", max))
            }
            QuizError::Other(e) => e,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_broken_rule_names_its_field_in_the_viewers_language() {
        crate::module().install();
        let e: AppError = BankError::Invalid(QuestionError::TooFewChoices).into();
        assert_eq!(e.fields[0].field, "question.kind");
        assert!(e.fields[0].message.contains("at least two choices"), "{}", e.fields[0].message);
        assert!(e.fields[0].in_lang("fr").contains("au moins deux choix"), "{}", e.fields[0].in_lang("fr"));
        let other: AppError = BankError::Invalid(QuestionError::Duplicate("Paris".into())).into();
        assert!(other.fields[0].message.contains("\"Paris\" is offered twice"), "{}", other.fields[0].message);
    }
}

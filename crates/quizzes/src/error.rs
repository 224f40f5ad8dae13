//! Why the bank refuses a change: the module's own error, turned into HTTP
//! only at the edge (`From<BankError> for AppError`). The assessment crate's
//! messages are English; they travel as the `reason` argument of this
//! module's translated sentence, so a page names the field in the viewer's
//! language and quotes the rule.

use lyceum_assessment::{QuestionError, ResponseError};
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

impl From<BankError> for AppError {
    fn from(e: BankError) -> Self {
        match e {
            BankError::Invalid(e) => {
                let text = Text::new("quizzes.errors.invalid_question").arg("reason", &e);
                AppError::validation(vec![FieldError::new(format!("question.{}", field_of(&e)), text)])
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

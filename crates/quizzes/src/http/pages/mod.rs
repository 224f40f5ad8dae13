//! The module's pages: the bank and its question editor, imports and files
//! (staff), quizzes' settings, overrides and results (staff), and the
//! learner's attempt, summary and review.

pub mod attempt;
pub mod bank;
pub mod editor;
pub mod files;
pub mod imports;
pub mod manage;
pub mod overrides;
pub mod question;
mod shown;

pub(crate) fn question_url(id: &str) -> String {
    format!("/teach/questions/{id}")
}

//! The bank's staff pages: the list under `/teach/courses/{id}/questions`
//! and each question under `/teach/questions/{id}`.

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

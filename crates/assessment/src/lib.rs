//! Assessment: the question model, grading and the GIFT / Moodle XML formats
//! for quizzes. Pure functions and plain data, no I/O, so the quiz module's
//! tables, service and pages can build on rules that are tested on their own.

pub mod cloze;
pub mod format;
pub mod grading;
pub mod layout;
pub mod number;
pub mod question;
pub mod response;
pub mod text;
mod validate;
pub mod view;

#[cfg(test)]
mod fixtures;

pub use grading::{Outcome, State, grade, manual_grade};
pub use layout::Layout;
pub use question::{Question, QuestionError, QuestionKind};
pub use response::{Response, ResponseError};
pub use text::{Text, TextFormat};
pub use view::QuestionView;

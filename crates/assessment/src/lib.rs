//! Assessment: the question model, grading and the GIFT / Moodle XML formats
//! for quizzes. Pure functions and plain data, no I/O, so the quiz module's
//! tables, service and pages can build on rules that are tested on their own.
//!
//! The life of a question in an attempt:
//!
//! 1. A teacher writes a [`Question`] (or imports it with [`format::gift`] or
//!    [`format::moodle_xml`]); [`Question::validate`] says what to fix.
//! 2. An attempt starts: [`Layout::new`] draws the presentation order, which
//!    the attempt stores.
//! 3. The learner is sent a [`QuestionView`]: texts and choices by position,
//!    nothing that gives the answer away.
//! 4. The learner's [`Response`] names positions in that view;
//!    [`grade`] checks it ([`Response::validate`]) and marks it by Moodle's
//!    rules, giving an [`Outcome`] (an essay waits for [`manual_grade`]).
//!
//! Messages (errors, import problems) are English; the quiz module turns the
//! error enums into its translated strings at its edge.

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

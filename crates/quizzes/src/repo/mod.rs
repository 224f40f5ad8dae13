//! SQL for the module's tables (`question_categories`, `questions`,
//! `question_versions`, `quizzes`, `quiz_overrides`, `quiz_attempts`,
//! `quiz_answers`, `quiz_regrades`); knows no HTTP. Functions take a connection so the
//! service runs several in one transaction.

pub mod attempts;
pub mod categories;
pub mod questions;
pub mod quizzes;
pub mod regrades;

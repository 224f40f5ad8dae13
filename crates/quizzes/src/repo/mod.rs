//! SQL for the module's tables (`question_categories`, `questions`,
//! `question_versions`, `quizzes`, `quiz_overrides`, `quiz_attempts`,
//! `quiz_answers`, `quiz_regrades`, `question_files`, `quiz_answer_files`,
//! `question_imports`); knows no HTTP. Functions take a connection so the
//! service runs several in one transaction.

pub mod attempts;
pub mod categories;
pub mod files;
pub mod imports;
pub mod questions;
pub mod quizzes;
pub mod regrades;

//! SQL for the bank's tables (`question_categories`, `questions`,
//! `question_versions`); knows no HTTP. Functions take a connection so the
//! service runs several in one transaction.

pub mod categories;
pub mod questions;

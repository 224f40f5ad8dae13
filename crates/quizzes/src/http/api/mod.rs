//! JSON handlers (tags `questions` and `quizzes`): thin — extract, call a
//! service, map to a DTO.

pub mod attempt_dto;
pub mod attempts;
pub mod categories;
pub mod dto;
pub mod files;
pub mod preview;
pub mod questions;
pub mod quiz_dto;
pub mod quizzes;
pub mod transfer;

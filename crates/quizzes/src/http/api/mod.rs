//! JSON handlers (tag `questions`): thin — extract, call a service, map to a DTO.

pub mod categories;
pub mod dto;
pub mod preview;
pub mod questions;
pub mod transfer;

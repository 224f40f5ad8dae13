//! `/api/v1/forums/…`.

pub mod attachments;
pub mod dto;
pub mod forums;
pub mod posts;
pub mod threads;

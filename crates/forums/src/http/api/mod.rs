//! `/api/v1/forums/…`.

pub mod attachments;
pub mod dto;
pub mod forums;
pub mod moderation;
pub mod posts;
pub mod subscriptions;
pub mod threads;

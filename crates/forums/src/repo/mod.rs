//! The forums' SQL: each file one table (or two that always change together).

pub mod attachments;
pub mod flags;
pub mod forums;
pub mod posts;
pub mod reads;
pub mod search;
pub mod subscriptions;
pub mod threads;

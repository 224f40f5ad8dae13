//! SQL for the notifications tables; knows no HTTP.

pub mod notifications;
pub mod preferences;
pub mod unsubscribe;

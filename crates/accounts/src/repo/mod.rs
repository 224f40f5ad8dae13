//! SQL for the accounts tables. Written once for both backends; knows no HTTP.

pub mod email_tokens;
pub mod sessions;
pub mod tokens;
pub mod users;

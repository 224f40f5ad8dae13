//! Account rules. Pages and the API both call these, so they share every check.

pub mod admin;
pub mod identity;
pub mod links;
mod mail;
pub mod register;
pub mod session;
pub mod tokens;

pub use register::register;

/// Where a request came from, for rate limits and the session list.
#[derive(Debug, Clone, Default)]
pub struct Client {
    pub ip: String,
    pub user_agent: String,
}

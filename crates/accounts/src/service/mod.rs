//! Account rules. Pages and the API both call these, so they share every check.

pub mod admin;
mod device;
pub mod directory;
pub mod email_change;
pub mod housekeeping;
pub mod identity;
pub mod links;
mod mail;
pub mod mail_jobs;
pub mod passwords;
pub mod register;
pub mod session;
pub mod sessions;
pub mod tokens;

pub use register::register;

pub use lyceum_platform::http::client::Client;

//! Profiles: bio, avatar and the public instructor page. Name, language and
//! time zone are account settings (needed on every request), so this module
//! edits them through `lyceum_accounts::service::identity`.

pub mod avatar;
pub mod http;
pub mod model;
mod repo;
pub mod service;

pub use http::{api_routes, page_routes};

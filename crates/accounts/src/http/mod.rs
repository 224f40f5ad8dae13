//! Accounts over HTTP: the JSON API (`api`), the pages (`pages`), the
//! middleware that identifies the caller, and the session cookie.

pub mod api;
pub mod cookies;
pub mod middleware;
pub mod pages;

pub use api::routes as api_routes;
pub use pages::routes as page_routes;

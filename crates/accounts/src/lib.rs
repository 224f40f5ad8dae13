//! Accounts: users, credentials, browser sessions, personal API tokens,
//! e-mail verification, password resets and roles.
//!
//! Other modules learn who is calling through `lyceum_platform::auth`
//! (filled in by [`http::middleware::resolve_caller`]) and change account data only
//! through the public functions of [`service`].

pub mod error;
pub mod events;
pub mod http;
pub mod model;
pub mod password;
mod repo;
pub mod service;

pub use error::{AccountError, LoginError};
pub use http::{api_routes, middleware::resolve_caller, page_routes};
pub use service::mail_jobs::register_jobs;

use lyceum_platform::web::nav::{Audience, Link, Menu};

/// What accounts contributes to the application (see `lyceum_platform::module`).
pub fn module() -> lyceum_platform::module::Module {
    lyceum_platform::module::Module::new("accounts")
        .pages(page_routes)
        .api(api_routes)
        .jobs(register_jobs)
        .nav(Link::new(Menu::Main, 60, "/admin/users", "nav.admin").current("/admin").audience(Audience::Admin))
        .nav(Link::new(Menu::Settings, 20, "/settings/password", "settings.password"))
        .nav(Link::new(Menu::Settings, 30, "/settings/sessions", "settings.sessions"))
        .nav(Link::new(Menu::Settings, 50, "/settings/tokens", "settings.tokens"))
        .nav(Link::new(Menu::Admin, 10, "/admin/users", "admin.users").audience(Audience::Admin))
        .locale("en", include_str!("../locales/en.toml"))
        .locale("fr", include_str!("../locales/fr.toml"))
}

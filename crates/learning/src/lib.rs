//! Learning: the lesson view and lesson media (behind the lesson access rule,
//! [`service::access`]), lesson progress and resume
//! positions, per-module and course completion, "continue where you left
//! off", certificates of completion with a public verification page, and the
//! instructors' per-learner progress table.

pub mod events;
pub mod http;
pub mod model;
pub(crate) mod repo;
pub mod service;

pub use http::{api_routes, page_routes};

use lyceum_platform::web::nav::{Audience, Link, Menu};

/// What learning contributes to the application (see `lyceum_platform::module`).
pub fn module() -> lyceum_platform::module::Module {
    lyceum_platform::module::Module::new("learning")
        .pages(page_routes)
        .api(api_routes)
        .jobs(service::jobs::register_jobs)
        .nav(Link::new(Menu::Main, 20, "/my/courses", "learning.nav").audience(Audience::SignedIn))
        .locale("en", include_str!("../locales/en.toml"))
        .locale("fr", include_str!("../locales/fr.toml"))
}

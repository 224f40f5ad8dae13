//! The catalog: search and browse published courses (filters, full-text
//! search on SQLite FTS5 or PostgreSQL, sorts, cursor pages), category pages
//! and the course page, all read through the cache. Courses are written by
//! `lyceum-courses`, which keeps the search index and invalidates the cache.

pub mod http;
pub mod model;
pub(crate) mod repo;
pub mod service;
pub mod settings;

pub use http::{api_routes, page_routes};

use lyceum_platform::web::nav::{Link, Menu};

/// What catalog contributes to the application (see `lyceum_platform::module`).
pub fn module() -> lyceum_platform::module::Module {
    lyceum_platform::module::Module::new("catalog")
        .pages(page_routes)
        .api(api_routes)
        .nav(Link::new(Menu::Main, 10, "/courses", "nav.courses"))
        .panel(http::TEACHES)
        .settings::<settings::CatalogSettings>()
        .locale("en", include_str!("../locales/en.toml"))
        .locale("fr", include_str!("../locales/fr.toml"))
}

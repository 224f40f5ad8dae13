//! Courses: categories, course authoring (details, cover, instructors, state),
//! the outline (ordered modules and lessons) and lesson media. Catalog,
//! enrollment and learning build on these tables.

pub mod http;
pub mod model;
pub(crate) mod repo;
pub mod service;
pub mod settings;

pub use http::{api_routes, page_routes, wide_routes};

use lyceum_platform::web::nav::{Audience, Link, Menu};

/// What courses contributes to the application (see `lyceum_platform::module`).
pub fn module() -> lyceum_platform::module::Module {
    lyceum_platform::module::Module::new("courses")
        .pages(page_routes)
        .api(api_routes)
        .wide_routes(wide_routes)
        .settings::<settings::CourseUploads>()
        .nav(Link::new(Menu::Main, 40, "/teach", "nav.teach").audience(Audience::Staff))
        .on_start("creating the catalog search index", ensure_search_index)
        .locale("en", include_str!("../locales/en.toml"))
        .locale("fr", include_str!("../locales/fr.toml"))
}

/// The full-text index is engine-specific DDL over a portable table, applied
/// after the migrations (see docs/architecture.md, Catalog).
fn ensure_search_index(
    state: &lyceum_platform::AppState,
) -> lyceum_platform::module::BoxFuture<'_, Result<(), lyceum_platform::module::BoxError>> {
    Box::pin(async move { Ok(repo::search::ensure_index(&state.db).await?) })
}

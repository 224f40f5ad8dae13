//! Forums: discussion per course and per module. Every course has a
//! general forum, an announcements forum (staff post; every enrolled
//! learner is subscribed) and one forum per module, made on first use.
//! Threads hold flat posts (a reply may quote a post); members see what is
//! unread, search the course's forums, mark posts helpful; questions hide
//! the others' answers until a learner has answered, and staff accept one.
//!
//! The tables (`forum_*`) are this module's. It depends on courses (the
//! course, its modules, who is staff), enrollment (who is a member) and
//! accounts (names); nothing depends on it: other modules link to its pages
//! by URL. New posts and flags are announced through the outbox
//! ([`events`]); notifications fan them out in jobs.

mod error;
pub mod events;
pub mod http;
pub mod model;
pub(crate) mod repo;
pub mod service;
pub mod settings;

pub use error::ForumError;
pub use http::{api_routes, page_routes, wide_routes};

use lyceum_platform::{
    module::{BoxError, BoxFuture, Module},
    web::nav::{Audience, Link, Menu},
};

/// What forums contribute to the application (see `lyceum_platform::module`).
pub fn module() -> Module {
    Module::new("forums")
        .pages(page_routes)
        .api(api_routes)
        .settings::<settings::ForumSettings>()
        .jobs(service::notices::register_jobs)
        .csrf_exempt(service::subscriptions::UNSUBSCRIBE_PATH)
        .wide_routes(wide_routes)
        .on_start("creating the forum search index", ensure_search_index)
        .nav(Link::new(Menu::Admin, 50, "/admin/forums/flags", "forums.moderation.nav").audience(Audience::Admin))
        .locale("en", include_str!("../locales/en.toml"))
        .locale("fr", include_str!("../locales/fr.toml"))
}

/// The full-text index is engine-specific DDL over a portable table, applied
/// after the migrations (like the catalog's).
fn ensure_search_index(state: &lyceum_platform::AppState) -> BoxFuture<'_, Result<(), BoxError>> {
    Box::pin(async move { Ok(repo::search::ensure_index(&state.db).await?) })
}

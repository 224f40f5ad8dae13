//! Platform plumbing shared by every Lyceum module: configuration, database,
//! errors, HTTP middleware, web page context, mail, storage, telemetry.
//! Nothing here knows about a domain module.

pub mod auth;
pub mod cache;
pub mod config;
pub mod csv;
pub mod db;
pub mod error;
pub mod events;
pub mod http;
pub mod idempotency;
pub mod ids;
pub mod jobs;
pub mod keyset;
pub mod mail;
pub mod markdown;
pub mod module;
pub mod money;
pub mod outbound;
pub mod ratelimit;
pub mod secrets;
pub mod state;
pub mod storage;
pub mod telemetry;
pub mod testing;
pub mod text;
pub mod upload;
pub mod web;

pub use error::{AppError, AppResult, FieldError};
pub use state::AppState;
pub use text::{Message, Text};

/// The platform's own part of the application: the background jobs pages
/// and API for admins, and its housekeeping jobs.
pub fn module() -> module::Module {
    use web::nav::{Audience, Link, Menu};
    module::Module::new("platform")
        .pages(page_routes)
        .api(jobs::api::routes)
        .jobs(register_jobs)
        .nav(Link::new(Menu::Admin, 20, "/admin/jobs", "admin.jobs").audience(Audience::Admin))
}

/// The platform's own pages: the admin's job queue and the markdown preview.
fn page_routes() -> axum::Router<AppState> {
    jobs::pages::routes().merge(web::preview::routes())
}

fn register_jobs(registry: &mut jobs::JobRegistry) {
    jobs::purge::register_jobs(registry);
    idempotency::register_jobs(registry);
}

/// Makes `ring` the process's rustls crypto provider. Only ring is in the
/// dependency graph, so rustls would pick it by itself; installing it at
/// start-up keeps TLS clients that ask for the process default (fred,
/// lapin, reqwest) working even if another provider is ever pulled in.
/// Idempotent.
pub fn install_crypto_provider() {
    // Err means a provider is already installed, which is what we want.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

//! Builds the shared state and the full router from every module.

use anyhow::Context;
use axum::{Router, middleware, routing::get};
use lyceum_platform::{
    AppState, cache::Cache, config::Settings, db::Db, http, jobs::JobRegistry, mail, storage::Storage, web,
};

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations");

/// Connects the database, applies migrations and wires the ports.
pub async fn build_state(settings: Settings) -> anyhow::Result<AppState> {
    check_data_dir(&settings)?;
    lyceum_platform::install_crypto_provider();
    http::metrics::handle(); // install the recorder before the first request is counted
    let db = Db::connect(&settings).await?;
    MIGRATOR.run(db.pool()).await.context("applying database migrations")?;
    // The catalog's full-text index is engine-specific DDL over a portable table; see docs/architecture.md.
    lyceum_courses::service::read::ensure_search_index(&db).await.context("creating the catalog search index")?;
    let mailer = mail::from_settings(&settings).context("configuring e-mail")?;
    let storage = Storage::from_settings(&settings).context("configuring file storage")?;
    let cache = Cache::from_settings(&settings.cache).await.context("configuring the cache")?;
    tracing::info!(storage = ?settings.storage.backend, cache = cache.kind(), "ports configured");
    Ok(AppState::new(settings, db, mailer, storage, cache, job_registry()))
}

/// Every module's job handlers and event subscriptions: the one registry,
/// kept in `AppState::jobs` (publishers look up subscribers there, workers handlers).
pub fn job_registry() -> JobRegistry {
    let mut registry = JobRegistry::new();
    lyceum_platform::jobs::purge::register_jobs(&mut registry);
    lyceum_platform::idempotency::register_jobs(&mut registry);
    lyceum_accounts::register_jobs(&mut registry);
    lyceum_notifications::register_jobs(&mut registry);
    registry
}

/// The data dir must be writable (SQLite file, mail folder, uploads).
fn check_data_dir(settings: &Settings) -> anyhow::Result<()> {
    let dir = &settings.data_dir;
    std::fs::create_dir_all(dir)
        .with_context(|| format!("data_dir (LYCEUM_DATA_DIR) {} cannot be created", dir.display()))?;
    let probe = dir.join(".write-test");
    std::fs::write(&probe, b"ok")
        .with_context(|| format!("data_dir (LYCEUM_DATA_DIR) {} is not writable", dir.display()))?;
    let _ = std::fs::remove_file(probe);
    Ok(())
}

/// Every route of every module, behind the standard middleware stack.
pub fn router(state: AppState) -> Router {
    let (api, openapi) = crate::openapi::api_router().split_for_parts();
    let app = Router::new()
        .route("/", get(crate::home::page))
        .route("/assets/{name}", get(web::assets::serve))
        .merge(lyceum_accounts::page_routes())
        .merge(lyceum_profiles::page_routes())
        .merge(lyceum_courses::page_routes())
        .merge(lyceum_enrollment::page_routes())
        .merge(lyceum_learning::page_routes())
        .merge(lyceum_catalog::page_routes())
        .merge(lyceum_platform::jobs::pages::routes())
        .merge(lyceum_notifications::page_routes())
        .merge(api)
        .merge(http::health::routes())
        .merge(crate::openapi::docs_routes(openapi))
        // Innermost, so it runs after auth: counts unread notifications for signed-in pages only.
        .layer(middleware::from_fn_with_state(state.clone(), lyceum_notifications::unread_badge));
    let auth = middleware::from_fn_with_state(state.clone(), lyceum_accounts::resolve_caller);
    let wide = lyceum_courses::wide_routes(&state.settings);
    http::stack(app, state, auth, &wide)
}

//! Builds the shared state and the full router from every module.

use anyhow::Context;
use axum::{Router, middleware, routing::get};
use lyceum_platform::{
    AppState,
    cache::Cache,
    config::Settings,
    db::Db,
    http,
    jobs::JobRegistry,
    mail,
    module::{Module, Modules},
    storage::Storage,
    web::{
        self,
        nav::{Link, Menu},
    },
};

/// Every module of the application, in the order their routes are merged.
/// Adding a module is one line here (see docs/architecture.md, "Modules plug in").
pub fn modules() -> Modules {
    Modules::new(vec![
        lyceum_platform::module(),
        lyceum_accounts::module(),
        lyceum_profiles::module(),
        lyceum_courses::module(),
        lyceum_enrollment::module(),
        lyceum_learning::module(),
        lyceum_catalog::module(),
        lyceum_notifications::module(),
        lyceum_quizzes::module(),
        lyceum_assignments::module(),
        lyceum_gradebook::module(),
        lyceum_billing::module(),
        lyceum_forums::module(),
        site(),
    ])
}

/// The composition root's own pages: the home page and the API docs.
fn site() -> Module {
    Module::new("site").nav(Link::new(Menu::Main, 0, "/", "nav.home")).nav(Link::new(
        Menu::Main,
        90,
        "/api/docs",
        "nav.api",
    ))
}

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations");

/// Connects the database, applies migrations and wires the ports.
pub async fn build_state(settings: Settings) -> anyhow::Result<AppState> {
    check_data_dir(&settings)?;
    lyceum_platform::install_crypto_provider();
    http::metrics::handle(); // install the recorder before the first request is counted
    let modules = modules();
    modules.install();
    let db = Db::connect(&settings).await?;
    MIGRATOR.run(db.pool()).await.context("applying database migrations")?;
    let mailer = mail::from_settings(&settings).context("configuring e-mail")?;
    let storage = Storage::from_settings(&settings).context("configuring file storage")?;
    let cache = Cache::from_settings(&settings.cache).await.context("configuring the cache")?;
    tracing::info!(storage = ?settings.storage.backend, cache = cache.kind(), "ports configured");
    let state = AppState::new(settings, db, mailer, storage, cache, modules.job_registry());
    modules.start(&state).await?;
    Ok(state)
}

/// Every module's job handlers and event subscriptions: the one registry,
/// kept in `AppState::jobs` (publishers look up subscribers there, workers handlers).
pub fn job_registry() -> JobRegistry {
    modules().job_registry()
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
    let modules = modules();
    let app = Router::new()
        .route("/", get(crate::home::page))
        .route("/assets/{name}", get(web::assets::serve))
        .merge(modules.page_routes())
        .merge(api)
        .merge(http::health::routes())
        .merge(crate::openapi::docs_routes(openapi));
    let auth = middleware::from_fn_with_state(state.clone(), lyceum_accounts::resolve_caller);
    http::stack(app, state, auth, &modules)
}

#[cfg(test)]
mod tests {
    use lyceum_courses::settings::CourseUploads;
    use lyceum_platform::config::Settings;
    use lyceum_profiles::settings::AvatarUploads;

    fn load(toml: &str, env: &[(&str, &str)]) -> Result<Settings, String> {
        let file = tempfile::Builder::new().suffix(".toml").tempfile().unwrap();
        std::fs::write(file.path(), toml).unwrap();
        let env = env.iter().map(|(k, v)| (k.to_string(), v.to_string()));
        Settings::load_with(Some(file.path()), env, &super::modules().settings_sections()).map_err(|e| e.0)
    }

    /// The `[uploads]` keys and variables documented in docs/configuration.md
    /// reach the modules that own them.
    #[test]
    fn upload_settings_keep_their_keys_and_variables() {
        let toml = "[uploads]\navatar_max_bytes = 1000\ncover_max_bytes = 2000\nlesson_media_max_bytes = 3000\n";
        let s = load(toml, &[("LYCEUM_UPLOADS__UPLOAD_TIMEOUT_SECS", "60")]).unwrap();
        let course = s.section::<CourseUploads>();
        assert_eq!(
            (course.cover_max_bytes, course.lesson_media_max_bytes, course.upload_timeout_secs),
            (2000, 3000, 60)
        );
        assert_eq!(s.section::<AvatarUploads>().avatar_max_bytes, 1000);

        let s = load("", &[("LYCEUM_UPLOADS__AVATAR_MAX_BYTES", "7")]).unwrap();
        assert_eq!(s.section::<AvatarUploads>().avatar_max_bytes, 7);
        assert_eq!(s.section::<CourseUploads>().upload_timeout_secs, 3600, "the default");
    }

    #[test]
    fn the_site_currency_is_a_known_code() {
        use lyceum_catalog::settings::CatalogSettings;
        use lyceum_platform::money::Currency;
        assert_eq!(load("", &[]).unwrap().section::<CatalogSettings>().currency, Currency::USD, "the default");
        let s = load("[catalog]\ncurrency = \"eur\"\n", &[]).unwrap();
        assert_eq!(s.section::<CatalogSettings>().currency, Currency::EUR);
        let err = load("", &[("LYCEUM_CATALOG__CURRENCY", "XXX")]).unwrap_err();
        assert!(err.contains("catalog.currency"), "{err}");
    }

    #[test]
    fn bad_upload_settings_are_named() {
        let err = load("[uploads]\navatar_max_byte = 1\n", &[]).unwrap_err();
        assert!(err.contains("unknown setting `uploads.avatar_max_byte`"), "{err}");
        let err = load("", &[("LYCEUM_UPLOADS__COVER_MAX_BYTES", "big")]).unwrap_err();
        assert!(
            err.contains("setting `uploads.cover_max_bytes` from environment variable LYCEUM_UPLOADS__COVER_MAX_BYTES"),
            "{err}"
        );
    }
}

//! How a module plugs into the platform. Each module crate has a
//! `pub fn module() -> Module` saying what it contributes; the composition
//! root lists them once ([`Modules`]) and derives everything from that list:
//! routes, the OpenAPI document, upload limits, CSRF exemptions, strings,
//! settings, jobs, start-up work, navigation links, badges and panels. The platform names no
//! module: adding one is writing its crate and one line in that list.
//!
//! `Module` is a plain value built with chained calls rather than a trait:
//! a module's contribution is data (lists and function pointers), a module
//! names only what it contributes, and the list is a `Vec` of one type with
//! no boxing or one empty struct per crate.

use axum::Router;
pub use futures::future::BoxFuture;
use utoipa_axum::router::OpenApiRouter;

use crate::{
    AppState,
    config::{Section, SectionSpec, Settings},
    http::limits::Wide,
    jobs::JobRegistry,
    web::{
        badge::{Badge, CountFn},
        csrf::Exempt,
        i18n::{self, Locale},
        nav::{self, Link},
        panel::{self, Panel},
    },
};

/// What start-up work fails with (turned into a message naming the work).
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Work a module needs done once per process after migrations, before
/// serving (creating an engine-specific index, say). It must be idempotent.
pub type StartFn = for<'a> fn(&'a AppState) -> BoxFuture<'a, Result<(), BoxError>>;

/// One module's contributions. Everything is optional; see the methods.
pub struct Module {
    name: &'static str,
    pages: fn() -> Router<AppState>,
    api: fn() -> OpenApiRouter<AppState>,
    wide: fn(&Settings) -> Vec<Wide>,
    csrf_exempt: Vec<&'static str>,
    locales: Vec<Locale>,
    sections: Vec<SectionSpec>,
    jobs: fn(&mut JobRegistry),
    on_start: Vec<(&'static str, StartFn)>,
    badges: Vec<Badge>,
    links: Vec<Link>,
    panels: Vec<Panel>,
}

impl Module {
    /// A module called `name` (for debugging) that contributes nothing yet.
    pub fn new(name: &'static str) -> Self {
        Self {
            name,
            pages: Router::new,
            api: OpenApiRouter::new,
            wide: |_| Vec::new(),
            csrf_exempt: Vec::new(),
            locales: Vec::new(),
            sections: Vec::new(),
            jobs: |_| {},
            on_start: Vec::new(),
            badges: Vec::new(),
            links: Vec::new(),
            panels: Vec::new(),
        }
    }

    /// Its HTML pages.
    pub fn pages(mut self, routes: fn() -> Router<AppState>) -> Self {
        self.pages = routes;
        self
    }

    /// Its JSON API, each route documented as it is added (`routes!`).
    pub fn api(mut self, routes: fn() -> OpenApiRouter<AppState>) -> Self {
        self.api = routes;
        self
    }

    /// Its upload routes, with the body size and time each may use instead of
    /// `max_body_bytes` and `request_timeout_secs` (read from its settings).
    pub fn wide_routes(mut self, routes: fn(&Settings) -> Vec<Wide>) -> Self {
        self.wide = routes;
        self
    }

    /// A path POSTed without the CSRF token; see [`Exempt`] for when that is safe.
    pub fn csrf_exempt(mut self, path: &'static str) -> Self {
        self.csrf_exempt.push(path);
        self
    }

    /// Its strings in language `lang`: the module's own `locales/<lang>.toml`,
    /// embedded with `include_str!`.
    pub fn locale(mut self, lang: &'static str, toml: &'static str) -> Self {
        self.locales.push(Locale { lang, toml });
        self
    }

    /// Adds its strings, navigation links and panels to the process's tables (the
    /// app does this for every module at start-up; a module's own unit tests
    /// call it for theirs).
    pub fn install(&self) {
        i18n::install(&self.locales);
        nav::install(&self.links);
        panel::install(&self.panels);
    }

    /// Its settings table `T::NAME`, read with `settings.section::<T>()`.
    pub fn settings<T: Section>(mut self) -> Self {
        self.sections.push(SectionSpec::of::<T>());
        self
    }

    /// Its job kinds, schedules and event subscriptions.
    pub fn jobs(mut self, register: fn(&mut JobRegistry)) -> Self {
        self.jobs = register;
        self
    }

    /// Start-up work, described by `what` ("creating the … index") in the
    /// message if it fails, which stops the start.
    pub fn on_start(mut self, what: &'static str, run: StartFn) -> Self {
        self.on_start.push((what, run));
        self
    }

    /// A count shown beside a navigation entry: the base layout reads it as
    /// `page.badge(name)` (see [`crate::web::badge`]).
    pub fn badge(mut self, name: &'static str, count: CountFn) -> Self {
        self.badges.push(Badge { name, count });
        self
    }

    /// A link in the site header, the settings tabs or the admin tabs (see
    /// [`crate::web::nav`]).
    pub fn nav(mut self, link: Link) -> Self {
        self.links.push(link);
        self
    }

    /// A part of another module's page it fills in (see [`crate::web::panel`]).
    pub fn panel(mut self, panel: Panel) -> Self {
        self.panels.push(panel);
        self
    }
}

impl std::fmt::Debug for Module {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Module").field("name", &self.name).finish_non_exhaustive()
    }
}

/// Start-up work that failed: its description, and why.
#[derive(Debug, thiserror::Error)]
#[error("{what}")]
pub struct StartError {
    pub what: &'static str,
    #[source]
    pub source: BoxError,
}

/// Every module of the application, in the order their routes are merged.
#[derive(Debug)]
pub struct Modules(Vec<Module>);

impl Modules {
    pub fn new(modules: Vec<Module>) -> Self {
        Self(modules)
    }

    pub fn page_routes(&self) -> Router<AppState> {
        self.0.iter().fold(Router::new(), |router, m| router.merge((m.pages)()))
    }

    pub fn api_routes(&self) -> OpenApiRouter<AppState> {
        self.0.iter().fold(OpenApiRouter::new(), |router, m| router.merge((m.api)()))
    }

    pub fn wide_routes(&self, settings: &Settings) -> Vec<Wide> {
        self.0.iter().flat_map(|m| (m.wide)(settings)).collect()
    }

    pub fn csrf_exempt(&self) -> Exempt {
        Exempt::new(self.0.iter().flat_map(|m| m.csrf_exempt.iter().copied()).collect())
    }

    pub fn badges(&self) -> Vec<Badge> {
        self.0.iter().flat_map(|m| m.badges.iter().copied()).collect()
    }

    /// The one registry of job handlers and event subscribers.
    pub fn job_registry(&self) -> JobRegistry {
        let mut registry = JobRegistry::new();
        for module in &self.0 {
            (module.jobs)(&mut registry);
        }
        registry
    }

    /// The settings tables to read (`Settings::load`).
    pub fn settings_sections(&self) -> Vec<SectionSpec> {
        self.0.iter().flat_map(|m| m.sections.iter().copied()).collect()
    }

    /// Installs every module's strings and navigation links.
    pub fn install(&self) {
        self.0.iter().for_each(Module::install);
    }

    /// Runs every module's start-up work, in order; the first failure stops it.
    pub async fn start(&self, state: &AppState) -> Result<(), StartError> {
        for (what, run) in self.0.iter().flat_map(|m| m.on_start.iter()) {
            run(state).await.map_err(|source| StartError { what, source })?;
        }
        Ok(())
    }
}

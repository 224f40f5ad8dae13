//! The one cloneable state every handler receives. Passed, never global, so
//! tests can run many differently configured apps side by side.

use std::{sync::Arc, time::Duration};

use crate::{
    cache::Cache, config::Settings, db::Db, jobs::JobRegistry, mail::SharedMailer, ratelimit::Limiter, storage::Storage,
};

#[derive(Clone, Debug)]
pub struct AppState(Arc<Inner>);

#[derive(Debug)]
pub struct Inner {
    pub settings: Settings,
    pub db: Db,
    pub mailer: SharedMailer,
    pub storage: Storage,
    /// Cached reads of public pages and other cached values (in-process or Redis).
    pub cache: Cache,
    pub limits: Limits,
    /// Every job handler and event subscriber, so `events::publish` knows who listens.
    pub jobs: Arc<JobRegistry>,
}

/// The rate limiters, one per kind of sensitive action.
#[derive(Debug)]
pub struct Limits {
    pub login: Limiter,
    pub email: Limiter,
    pub register: Limiter,
}

impl Limits {
    pub fn from_settings(settings: &Settings) -> Self {
        let r = &settings.rate_limit;
        Self {
            login: Limiter::new(r.login_per_minute, Duration::from_secs(60)),
            email: Limiter::new(r.email_per_hour, Duration::from_secs(3600)),
            register: Limiter::new(r.register_per_hour, Duration::from_secs(3600)),
        }
    }
}

impl Limits {
    /// Forgets keys that are back to a full allowance, so memory stays bounded.
    pub fn sweep(&self) {
        self.login.sweep();
        self.email.sweep();
        self.register.sweep();
    }
}

impl AppState {
    pub fn new(
        settings: Settings,
        db: Db,
        mailer: SharedMailer,
        storage: Storage,
        cache: Cache,
        jobs: JobRegistry,
    ) -> Self {
        let limits = Limits::from_settings(&settings);
        Self(Arc::new(Inner { settings, db, mailer, storage, cache, limits, jobs: Arc::new(jobs) }))
    }
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

//! Layered configuration: built-in defaults → optional TOML file → `LYCEUM_*`
//! environment variables (nested keys joined with `__`). The platform's own
//! settings are fields here; a module's settings are a [`Section`] it
//! declares, read from the same sources ([`sections`]).

use std::{
    fmt,
    net::SocketAddr,
    path::{Path, PathBuf},
};

use figment::{Figment, providers::Serialized};
use serde::{Deserialize, Serialize};

/// A value that must never be printed: `Debug` and `Display` show `[redacted]`.
#[derive(Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Pretty,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MailTransport {
    /// Each message is written as an `.eml` file under `<data dir>/mail/`.
    File,
    Smtp,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    pub bind: SocketAddr,
    /// Empty means the embedded SQLite file `<data_dir>/lyceum.db`.
    pub database_url: Secret,
    pub data_dir: PathBuf,
    pub public_url: String,
    pub log_format: LogFormat,
    /// A `tracing` filter such as `info` or `lyceum=debug,sqlx=warn`.
    pub log_level: String,
    pub request_timeout_secs: u64,
    pub max_body_bytes: usize,
    /// Requests handled at once; more are answered 503 with `Retry-After` at
    /// once (health checks and metrics never). 0: 64 per core.
    pub max_in_flight: usize,
    /// Connections open at once; more wait in the listen backlog until one
    /// closes (so a flood cannot exhaust file descriptors).
    pub max_connections: usize,
    /// Longest wait for a request's headers; a client slower than that
    /// (slowloris) is disconnected.
    pub header_read_timeout_secs: u64,
    /// Load the demo users and sample content before serving (`serve --demo`).
    pub demo: bool,
    /// Comma-separated addresses or CIDR ranges of the reverse proxies in front
    /// of Lyceum (e.g. `10.0.0.0/8, 192.168.1.5`). Only from these is
    /// `X-Forwarded-For` believed when telling clients apart (rate limits).
    pub trusted_proxies: String,
    /// `trusted_proxies`, parsed.
    #[serde(skip)]
    pub trusted_proxy_nets: Vec<ipnet::IpNet>,
    pub database: DatabaseSettings,
    pub auth: AuthSettings,
    pub rate_limit: RateLimitSettings,
    pub mail: MailSettings,
    pub jobs: JobsSettings,
    pub amqp: AmqpSettings,
    pub cache: CacheSettings,
    pub storage: StorageSettings,
    pub metrics: MetricsSettings,
    /// The modules' tables, read with [`Settings::section`].
    #[serde(skip)]
    sections: Sections,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DatabaseSettings {
    pub max_connections: u32,
    pub acquire_timeout_secs: u64,
    /// SQLite: how long a transaction waits for the write lock. Writers queue
    /// on one lock (each transaction takes it when it begins), each holding it
    /// for milliseconds; the wait is generous because SQLite's busy handler is
    /// not a fair queue (a waiter polls with backoff and can lose a few turns),
    /// and a write that gives up is an error, while it stays well under the
    /// request timeout so a stuck lock is still reported.
    pub busy_timeout_secs: u64,
    /// Longest wait of the `/readyz` database ping: a probe learns of an
    /// outage at once instead of after the pool's acquire timeout.
    pub ping_timeout_ms: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AuthSettings {
    pub session_ttl_hours: i64,
    /// How long a resolved session is reused without reading the database
    /// (0: never). Changes made in this process, or in any process sharing
    /// Redis, end cached sessions at once; this bounds the rest.
    pub session_cache_secs: u64,
    pub verification_ttl_hours: i64,
    pub reset_ttl_minutes: i64,
    /// When true, an account must confirm its e-mail address before signing in.
    pub require_verified_email: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RateLimitSettings {
    /// Sign-in attempts allowed per account and per client address each minute.
    pub login_per_minute: u32,
    /// Reset / verification e-mails allowed per account and per client address each hour.
    pub email_per_hour: u32,
    /// Registrations allowed per client address each hour.
    pub register_per_hour: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MailSettings {
    pub transport: MailTransport,
    pub from: String,
    /// e.g. `smtp://user:pass@mail.example.com:587?tls=required` or `smtps://…:465`.
    pub smtp_url: Secret,
}

/// Who may read `/metrics` (see docs/configuration.md): by default only
/// clients on this machine, on the main port.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MetricsSettings {
    /// An address such as `127.0.0.1:9100` or `10.0.0.5:9100`: serve `/metrics`
    /// on a listener of its own there, and not on the main port. Empty: main port.
    pub bind: String,
    /// A bearer token required to read `/metrics`. Empty: no token, and on the
    /// main port only loopback clients are answered.
    pub token: Secret,
}

impl MetricsSettings {
    /// The separate listener's address, when one is configured (checked at load).
    pub fn own_listener(&self) -> Option<SocketAddr> {
        self.bind.trim().parse().ok()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct JobsSettings {
    /// Concurrent job runners in this process (`serve` and `worker`); 0 in `serve` leaves jobs to `lyceum worker`.
    pub workers: usize,
    /// How long a claimed job is held before another worker may take it; renewed while it runs.
    pub lease_secs: u64,
    /// How often an idle worker looks for due jobs (jobs enqueued in this process wake it at once).
    pub poll_interval_ms: u64,
    /// At shutdown, how long a running job may take to finish before it is released to the queue.
    pub shutdown_grace_secs: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            database_url: Secret::default(),
            data_dir: PathBuf::from("./data"),
            public_url: String::new(),
            log_format: LogFormat::Pretty,
            log_level: "info".into(),
            request_timeout_secs: 30,
            max_body_bytes: 4 * 1024 * 1024,
            max_in_flight: 0,
            max_connections: 4096,
            header_read_timeout_secs: 10,
            demo: false,
            trusted_proxies: String::new(),
            trusted_proxy_nets: Vec::new(),
            database: DatabaseSettings::default(),
            auth: AuthSettings::default(),
            rate_limit: RateLimitSettings::default(),
            mail: MailSettings::default(),
            jobs: JobsSettings::default(),
            amqp: AmqpSettings::default(),
            cache: CacheSettings::default(),
            storage: StorageSettings::default(),
            metrics: MetricsSettings::default(),
            sections: Sections::default(),
        }
    }
}

impl Default for DatabaseSettings {
    fn default() -> Self {
        Self { max_connections: 16, acquire_timeout_secs: 5, busy_timeout_secs: 10, ping_timeout_ms: 1000 }
    }
}

impl Default for AuthSettings {
    fn default() -> Self {
        Self {
            session_ttl_hours: 24 * 14,
            session_cache_secs: 10,
            verification_ttl_hours: 48,
            reset_ttl_minutes: 60,
            require_verified_email: true,
        }
    }
}

impl Default for RateLimitSettings {
    fn default() -> Self {
        Self { login_per_minute: 10, email_per_hour: 5, register_per_hour: 20 }
    }
}

impl Default for MailSettings {
    fn default() -> Self {
        Self { transport: MailTransport::File, from: "Lyceum <no-reply@localhost>".into(), smtp_url: Secret::default() }
    }
}

impl Default for JobsSettings {
    fn default() -> Self {
        Self { workers: 2, lease_secs: 60, poll_interval_ms: 500, shutdown_grace_secs: 10 }
    }
}

/// Variables spelled otherwise than `LYCEUM_<SECTION>__<KEY>` that are accepted too
/// (the nested spelling wins when both are set).
const ENV_ALIASES: &[(&str, &str)] = &[("amqp_url", "amqp.url"), ("redis_url", "cache.redis_url")];

/// A configuration problem, phrased for the person starting the server.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

impl Settings {
    /// Loads settings, with the modules' `sections`. `file` is the `--config`
    /// path; without it `lyceum.toml` is read when it exists in the working directory.
    pub fn load(file: Option<&Path>, sections: &[SectionSpec]) -> Result<Self, ConfigError> {
        Self::load_with(file, std::env::vars(), sections)
    }

    /// The platform's settings alone (no module tables), with an explicit
    /// environment: for tests and tools; a module's table in `file` is then unknown.
    pub fn load_from(
        file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Self, ConfigError> {
        Self::load_with(file, env, &[])
    }

    /// Like [`Settings::load`] with an explicit environment (tests pass their own).
    pub fn load_with(
        file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
        sections: &[SectionSpec],
    ) -> Result<Self, ConfigError> {
        let file = match file {
            Some(path) if !path.exists() => {
                return Err(ConfigError(format!("configuration file {} does not exist", path.display())));
            }
            Some(path) => Some(path),
            None => Some(Path::new("lyceum.toml")).filter(|p| p.exists()),
        };
        let tables: Vec<&'static str> = sections.iter().map(|s| s.name).collect();
        let platform_keys = known_keys(&[]);
        if let Some(clash) = tables.iter().find(|t| platform_keys.contains(**t)) {
            return Err(ConfigError(format!("a module's settings table `{clash}` has the name of a platform setting")));
        }
        let env = env_provider(selected_env(env, &known_keys(sections)));
        // The platform's fields come from the sources without the modules'
        // tables (so an unknown key is still refused), the modules' from all.
        let platform = sources(Figment::from(Serialized::defaults(Settings::default())), file, &env, &tables);
        let mut settings: Settings = platform.extract().map_err(|e| ConfigError(describe(e, "")))?;
        settings.sections = Sections::load(&sources(Figment::new(), file, &env, &[]), sections, describe)?;
        settings.validate()?;
        settings.trusted_proxy_nets = parse_proxies(&settings.trusted_proxies)?;
        settings.fill_derived();
        Ok(settings)
    }

    /// A module's section as loaded (its defaults when it was not loaded: a
    /// tool or test that built these settings without the modules).
    pub fn section<T: Section>(&self) -> T {
        self.sections.get::<T>().cloned().unwrap_or_default()
    }

    /// A module's section to change before the app starts (tests tweak limits).
    pub fn section_mut<T: Section>(&mut self) -> &mut T {
        self.sections.get_mut::<T>()
    }

    fn validate(&self) -> Result<(), ConfigError> {
        if !self.public_url.is_empty() {
            let url = url::Url::parse(&self.public_url)
                .map_err(|e| ConfigError(format!("public_url (LYCEUM_PUBLIC_URL) is not a valid URL: {e}")))?;
            if !matches!(url.scheme(), "http" | "https") {
                return Err(ConfigError("public_url (LYCEUM_PUBLIC_URL) must start with http:// or https://".into()));
            }
        }
        let db = self.database_url.expose();
        let known_scheme = ["sqlite:", "postgres://", "postgresql://"].iter().any(|s| db.starts_with(s));
        if !db.is_empty() && !known_scheme {
            return Err(ConfigError(
                "database_url (LYCEUM_DATABASE_URL) must start with sqlite:, postgres:// or postgresql://".into(),
            ));
        }
        let metrics_bind = self.metrics.bind.trim();
        if !metrics_bind.is_empty() && metrics_bind.parse::<SocketAddr>().is_err() {
            return Err(ConfigError(format!(
                "metrics.bind (LYCEUM_METRICS__BIND) is not an address like 127.0.0.1:9100: {metrics_bind:?}"
            )));
        }
        if self.mail.transport == MailTransport::Smtp && self.mail.smtp_url.is_empty() {
            return Err(ConfigError(
                "mail.transport is smtp but mail.smtp_url (LYCEUM_MAIL__SMTP_URL) is empty".into(),
            ));
        }
        if self.mail.from.parse::<lettre::message::Mailbox>().is_err() {
            return Err(ConfigError(format!(
                "mail.from (LYCEUM_MAIL__FROM) is not a valid address: {:?}",
                self.mail.from
            )));
        }
        if self.database.ping_timeout_ms == 0 {
            return Err(ConfigError(
                "database.ping_timeout_ms (LYCEUM_DATABASE__PING_TIMEOUT_MS) must be greater than 0".into(),
            ));
        }
        self.amqp.validate()?;
        self.validate_cache_and_storage()?;
        if self.jobs.lease_secs == 0 || self.jobs.poll_interval_ms == 0 {
            return Err(ConfigError(
                "jobs.lease_secs (LYCEUM_JOBS__LEASE_SECS) and jobs.poll_interval_ms \
                 (LYCEUM_JOBS__POLL_INTERVAL_MS) must be greater than 0"
                    .into(),
            ));
        }
        Ok(())
    }

    fn fill_derived(&mut self) {
        if self.public_url.is_empty() {
            self.public_url = format!("http://{}", self.bind);
        }
        self.public_url = self.public_url.trim_end_matches('/').to_string();
        if self.database_url.is_empty() {
            let path = self.data_dir.join("lyceum.db");
            self.database_url = Secret::new(format!("sqlite://{}?mode=rwc", path.display()));
        }
    }

    /// True when browsers reach us over TLS, so cookies get `Secure` and HSTS is sent.
    pub fn is_https(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    pub fn mail_dir(&self) -> PathBuf {
        self.data_dir.join("mail")
    }

    pub fn files_dir(&self) -> PathBuf {
        self.data_dir.join("files")
    }
}

/// `10.0.0.0/8, 192.168.1.5` → networks (a bare address is a single-host network).
fn parse_proxies(list: &str) -> Result<Vec<ipnet::IpNet>, ConfigError> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|item| {
            item.parse::<ipnet::IpNet>().or_else(|_| item.parse::<std::net::IpAddr>().map(ipnet::IpNet::from)).map_err(
                |_| {
                    ConfigError(format!(
                        "trusted_proxies (LYCEUM_TRUSTED_PROXIES): {item:?} is not an IP address or CIDR range"
                    ))
                },
            )
        })
        .collect()
}

mod scale_out;
mod sections;
mod sources;
pub use scale_out::{AmqpSettings, CacheSettings, S3Settings, StorageBackend, StorageSettings};
use sections::Sections;
pub use sections::{Section, SectionSpec};
use sources::{describe, env_provider, known_keys, selected_env, sources};

#[cfg(test)]
mod tests;

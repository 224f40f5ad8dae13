//! The settings of the scale-out engines: RabbitMQ (`[amqp]`), Redis
//! (`[cache]`) and S3 (`[storage]`). Each is optional; empty means the
//! embedded default (jobs from the database, in-process cache, local files).

use serde::{Deserialize, Serialize};

use super::{ConfigError, Secret, Settings};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AmqpSettings {
    /// e.g. `amqp://user:pass@rabbit:5672/%2f`; empty runs jobs from the database alone.
    /// Also read from `LYCEUM_AMQP_URL`.
    pub url: Secret,
    /// Names on the broker: exchange `<prefix>.jobs`, queues `<prefix>.jobs.<queue>`, dead letters `<prefix>.dead`.
    pub prefix: String,
    /// Unacknowledged messages the broker hands each consumer at once.
    pub prefetch: u16,
    /// Jobs the relay publishes per round (one confirm wait, one transaction).
    pub relay_batch: u32,
    /// How long a relayed job may wait unconsumed before the relay publishes it again.
    pub relay_timeout_secs: u64,
}

impl AmqpSettings {
    pub fn enabled(&self) -> bool {
        !self.url.is_empty()
    }

    pub(super) fn validate(&self) -> Result<(), ConfigError> {
        let url = self.url.expose();
        let known_scheme = url.starts_with("amqp://") || url.starts_with("amqps://");
        if !url.is_empty() && !known_scheme {
            return Err(ConfigError(
                "amqp.url (LYCEUM_AMQP_URL or LYCEUM_AMQP__URL) must start with amqp:// or amqps://".into(),
            ));
        }
        let name_ok = |c: char| c.is_ascii_alphanumeric() || "._-".contains(c);
        if self.prefix.is_empty() || !self.prefix.chars().all(name_ok) {
            return Err(ConfigError(format!(
                "amqp.prefix (LYCEUM_AMQP__PREFIX) must be letters, digits, '.', '_' or '-', not {:?}",
                self.prefix
            )));
        }
        if self.prefetch == 0 || self.relay_batch == 0 || self.relay_timeout_secs == 0 {
            return Err(ConfigError(
                "amqp.prefetch, amqp.relay_batch and amqp.relay_timeout_secs must be greater than 0".into(),
            ));
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CacheSettings {
    /// Empty: an in-process cache. `redis://[user:pass@]host:port[/db]` (or `rediss://` for TLS):
    /// a cache shared by every process, so invalidations reach them all. `LYCEUM_REDIS_URL` also sets it.
    pub redis_url: Secret,
    /// Prefix of every Redis key, so several installations (or test runs) can share one Redis.
    pub prefix: String,
    /// Upper bound of a Redis command; past it the read is a miss.
    pub command_timeout_ms: u64,
    /// Bytes (keys and values) the in-process cache holds before evicting the least used.
    pub memory_max_bytes: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StorageBackend {
    /// Files under `<data dir>/files/`.
    Local,
    /// An S3-compatible object store (`[storage.s3]`).
    S3,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StorageSettings {
    pub backend: StorageBackend,
    pub s3: S3Settings,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct S3Settings {
    pub bucket: String,
    /// e.g. `eu-west-1`; S3-compatible servers usually accept any (default `us-east-1`).
    pub region: String,
    /// Empty for AWS; `https://s3.example.com` (or `http://…` with `allow_http`) for other servers,
    /// which are addressed path-style (`endpoint/bucket/key`).
    pub endpoint: String,
    /// With the secret below; both empty means credentials from the environment or instance metadata.
    pub access_key_id: String,
    pub secret_access_key: Secret,
    /// Allow a plain-HTTP endpoint (a server on the same host or private network).
    pub allow_http: bool,
}

impl Default for CacheSettings {
    fn default() -> Self {
        Self {
            redis_url: Secret::default(),
            prefix: "lyceum:".into(),
            command_timeout_ms: 250,
            memory_max_bytes: 64 * 1024 * 1024,
        }
    }
}

impl Default for StorageSettings {
    fn default() -> Self {
        Self { backend: StorageBackend::Local, s3: S3Settings::default() }
    }
}

impl Default for AmqpSettings {
    fn default() -> Self {
        Self {
            url: Secret::default(),
            prefix: "lyceum".into(),
            prefetch: 16,
            relay_batch: 100,
            relay_timeout_secs: 600,
        }
    }
}

impl Settings {
    pub(super) fn validate_cache_and_storage(&self) -> Result<(), ConfigError> {
        let redis = self.cache.redis_url.expose();
        if !redis.is_empty() && !["redis://", "rediss://"].iter().any(|s| redis.starts_with(s)) {
            return Err(ConfigError(
                "cache.redis_url (LYCEUM_CACHE__REDIS_URL or LYCEUM_REDIS_URL) must start with redis:// or rediss://"
                    .into(),
            ));
        }
        if self.cache.command_timeout_ms == 0 || self.cache.memory_max_bytes == 0 {
            return Err(ConfigError(
                "cache.command_timeout_ms (LYCEUM_CACHE__COMMAND_TIMEOUT_MS) and cache.memory_max_bytes \
                 (LYCEUM_CACHE__MEMORY_MAX_BYTES) must be greater than 0"
                    .into(),
            ));
        }
        let s3 = &self.storage.s3;
        if self.storage.backend == StorageBackend::S3 && s3.bucket.is_empty() {
            return Err(ConfigError(
                "storage.backend is s3 but storage.s3.bucket (LYCEUM_STORAGE__S3__BUCKET) is empty".into(),
            ));
        }
        if s3.access_key_id.is_empty() != s3.secret_access_key.is_empty() {
            return Err(ConfigError(
                "storage.s3.access_key_id (LYCEUM_STORAGE__S3__ACCESS_KEY_ID) and storage.s3.secret_access_key \
                 (LYCEUM_STORAGE__S3__SECRET_ACCESS_KEY) must be set together"
                    .into(),
            ));
        }
        if !s3.endpoint.is_empty() {
            let url = url::Url::parse(&s3.endpoint).map_err(|e| {
                ConfigError(format!("storage.s3.endpoint (LYCEUM_STORAGE__S3__ENDPOINT) is not a valid URL: {e}"))
            })?;
            if url.scheme() == "http" && !s3.allow_http {
                return Err(ConfigError(
                    "storage.s3.endpoint is http:// but storage.s3.allow_http (LYCEUM_STORAGE__S3__ALLOW_HTTP) \
                     is false; set it to true for a local or private-network server"
                        .into(),
                ));
            }
        }
        Ok(())
    }
}

//! Platform plumbing shared by every Lyceum module: configuration, database,
//! errors, HTTP middleware, web page context, mail, storage, telemetry.
//! Nothing here knows about a domain module.

pub mod auth;
pub mod cache;
pub mod config;
pub mod db;
pub mod error;
pub mod events;
pub mod http;
pub mod jobs;
pub mod mail;
pub mod markdown;
pub mod ratelimit;
pub mod secrets;
pub mod state;
pub mod storage;
pub mod telemetry;
pub mod upload;
pub mod web;

pub use error::{AppError, AppResult, FieldError};
pub use state::AppState;

/// Makes `ring` the process's rustls crypto provider. The dependency graph
/// carries only ring (object_store's S3 client is built with reqwest's
/// provider-less rustls to keep aws-lc-sys out), and rustls needs a provider
/// chosen before any TLS client is built. Idempotent.
pub fn install_crypto_provider() {
    // Err means a provider is already installed, which is what we want.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

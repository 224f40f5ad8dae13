//! Platform plumbing shared by every Lyceum module: configuration, database,
//! errors, HTTP middleware, web page context, mail, storage, telemetry.
//! Nothing here knows about a domain module.

pub mod auth;
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
pub mod web;

pub use error::{AppError, AppResult, FieldError};
pub use state::AppState;

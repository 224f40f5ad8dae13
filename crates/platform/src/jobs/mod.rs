//! Background jobs: typed, enqueued in the caller's transaction (the
//! transactional outbox), claimed by workers under a lease, retried with
//! backoff, and left visible as `dead` when they keep failing.
//!
//! Delivery is at least once — a job whose worker dies runs again — so every
//! handler must be idempotent; say in its doc comment how.

pub mod admin;
pub mod amqp;
pub mod api;
pub mod pages;
mod pool;
pub mod purge;
pub mod repo;
pub mod retry;
pub mod schedule;
mod worker;

use std::{collections::HashMap, future::Future, pin::Pin, sync::Arc};

use serde::{Serialize, de::DeserializeOwned};
use tokio::sync::Notify;

pub use pool::Pool;
pub use worker::Worker;

use crate::AppState;

/// A kind of job: its name, queue, retry budget and payload.
pub trait Job: 'static {
    /// Stored in the row and used to find the handler; never rename a kind with jobs in flight.
    const KIND: &'static str;
    const QUEUE: &'static str = "default";
    /// Runs (including the first) before the job is dead.
    const MAX_ATTEMPTS: u32 = 5;
    type Payload: Serialize + DeserializeOwned + Send;

    /// Whether duplicates merge: a kind that returns a key for a payload has
    /// at most one job per key queued or running; enqueuing another then is a
    /// no-op (e.g. "recount course 7" asked for twice while the first waits).
    /// The default: every enqueue is its own job.
    fn dedupe_key(_payload: &Self::Payload) -> Option<String> {
        None
    }

    fn run(state: &AppState, payload: Self::Payload) -> impl Future<Output = Result<(), JobError>> + Send;
}

/// Why a run failed, which decides what happens to the job (see
/// `Worker::record`): `Retry` goes back to the queue with backoff until the
/// kind's attempts are spent; `Permanent` (running it again cannot succeed:
/// its payload does not decode, its row is gone, the request is refused) is
/// dead at once with its reason; `Busy` (SQLite's write lock not free within
/// the busy timeout) goes back after a short delay without counting the
/// attempt — the job was not at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JobError {
    #[error("{0}")]
    Retry(String),
    #[error("{0}")]
    Permanent(String),
    #[error("{0}")]
    Busy(String),
}

impl JobError {
    pub fn retry(cause: impl std::fmt::Display) -> Self {
        Self::Retry(cause.to_string())
    }
    pub fn permanent(cause: impl std::fmt::Display) -> Self {
        Self::Permanent(cause.to_string())
    }

    /// The same classification with another text.
    fn with_text(self, text: String) -> Self {
        match self {
            Self::Retry(_) => Self::Retry(text),
            Self::Permanent(_) => Self::Permanent(text),
            Self::Busy(_) => Self::Busy(text),
        }
    }
}

/// The one place a handler's error is classified. A refusal (4xx: not
/// found — the row the job was about no longer exists —, forbidden, conflict,
/// invalid) would be refused again: permanent. A busy database postpones.
/// Anything else — the database out of reach (503), "try later" (408, 429),
/// an internal fault (500, e.g. a mail server down) — may pass: retry.
impl From<crate::AppError> for JobError {
    fn from(err: crate::AppError) -> Self {
        if err.is_database_busy() {
            Self::Busy(err.to_string())
        } else if err.is_refusal() {
            Self::Permanent(err.to_string())
        } else {
            Self::Retry(err.to_string())
        }
    }
}

/// Classified as the `AppError` it maps to, keeping the database's own text.
impl From<sqlx::Error> for JobError {
    fn from(err: sqlx::Error) -> Self {
        let text = err.to_string();
        Self::from(crate::AppError::from(err)).with_text(text)
    }
}

/// Enqueues a `J` job on `conn`, which should be the caller's open transaction:
/// the job then commits or rolls back with the change that caused it. When `J`
/// merges duplicates ([`Job::dedupe_key`]) and a job of the same kind and key is
/// still queued or running, that one absorbs this (not an error). Returns the
/// new job's id, or `None` when merged.
pub async fn enqueue<J: Job>(
    conn: &mut sqlx::AnyConnection,
    payload: &J::Payload,
) -> Result<Option<String>, sqlx::Error> {
    enqueue_at::<J>(conn, payload, crate::db::now_ms()).await
}

/// [`enqueue`] for a job that must not run before `run_at` (epoch ms): a
/// deadline's, which a worker claims once it is due (and the broker relay
/// publishes only then).
pub async fn enqueue_at<J: Job>(
    conn: &mut sqlx::AnyConnection,
    payload: &J::Payload,
    run_at: i64,
) -> Result<Option<String>, sqlx::Error> {
    let dedupe_key = J::dedupe_key(payload);
    let payload = serde_json::to_string(payload).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    let job = repo::NewJob {
        queue: J::QUEUE,
        kind: J::KIND,
        payload: &payload,
        dedupe_key: dedupe_key.as_deref(),
        max_attempts: i64::from(J::MAX_ATTEMPTS.max(1)),
        run_at,
    };
    let id = repo::insert(conn, &job).await?;
    // Only a hint to this process's idle workers: the transaction may not have
    // committed yet, and a worker that finds nothing falls back to polling.
    WAKE.notify_waiters();
    Ok(id)
}

/// Wakes idle workers of this process early. Process-wide on purpose: it is a
/// latency hint, not state, and `enqueue` runs where no `AppState` is at hand.
pub(crate) static WAKE: Notify = Notify::const_new();

type BoxFuture = Pin<Box<dyn Future<Output = Result<(), JobError>> + Send>>;
type Handler = Arc<dyn Fn(AppState, String) -> BoxFuture + Send + Sync>;

/// Which handler runs each kind; built once by the server from every module.
#[derive(Clone, Default)]
pub struct JobRegistry {
    handlers: HashMap<&'static str, (&'static str, Handler)>,
    /// Event name → the job kinds that observe it (see [`crate::events`]).
    pub(crate) subscribers: HashMap<&'static str, Vec<Subscriber>>,
    /// Periodic jobs (see [`schedule`]).
    pub(crate) schedules: Vec<schedule::Schedule>,
}

/// A subscriber's filter over the events of its subscription (see `subscribe_when`).
pub(crate) type Wants = Arc<dyn Fn(&dyn std::any::Any) -> bool + Send + Sync>;

/// What `events::publish` needs to enqueue one subscriber's job.
#[derive(Clone)]
pub(crate) struct Subscriber {
    pub kind: &'static str,
    pub queue: &'static str,
    pub max_attempts: u32,
    /// Whether the subscriber has anything to do for an event (its type is
    /// the subscription's); none: every event (see `subscribe_when`).
    pub wants: Option<Wants>,
}

impl std::fmt::Debug for Subscriber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Subscriber").field("kind", &self.kind).field("filtered", &self.wants.is_some()).finish()
    }
}

impl std::fmt::Debug for JobRegistry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.handlers.keys()).finish()
    }
}

impl JobRegistry {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `J`'s handler. Two handlers for one kind is a wiring bug, caught at start.
    pub fn register<J: Job>(&mut self) -> &mut Self {
        let handler: Handler = Arc::new(|state: AppState, payload: String| {
            Box::pin(async move {
                // Undecodable now is undecodable on every run: dead at once.
                let payload: J::Payload = serde_json::from_str(&payload)
                    .map_err(|e| JobError::permanent(format!("payload does not decode as {}: {e}", J::KIND)))?;
                J::run(&state, payload).await
            })
        });
        let previous = self.handlers.insert(J::KIND, (J::QUEUE, handler));
        assert!(previous.is_none(), "job kind {} registered twice", J::KIND);
        self
    }

    fn handler(&self, kind: &str) -> Option<&Handler> {
        self.handlers.get(kind).map(|(_, h)| h)
    }

    /// The queues workers serve: "default" and every registered kind's.
    pub fn queues(&self) -> Vec<&'static str> {
        let mut queues: Vec<&'static str> = self.handlers.values().map(|(q, _)| *q).collect();
        queues.push("default");
        queues.sort_unstable();
        queues.dedup();
        queues
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::AppError;

    #[test]
    fn refusals_are_permanent_and_faults_retry() {
        for refused in [AppError::not_found(), AppError::conflict("taken"), AppError::field("user", "bad")] {
            assert!(matches!(JobError::from(refused), JobError::Permanent(_)));
        }
        for passing in [
            AppError::internal("the mail server is down"),
            AppError::unavailable("the database cannot be reached"),
            AppError::rate_limited(5),
        ] {
            assert!(matches!(JobError::from(passing), JobError::Retry(_)));
        }
    }

    #[test]
    fn database_errors_keep_their_text() {
        let gone = JobError::from(sqlx::Error::RowNotFound);
        assert_eq!(gone, JobError::Permanent(sqlx::Error::RowNotFound.to_string()));
        let reset = || sqlx::Error::Io(std::io::Error::from(std::io::ErrorKind::ConnectionReset));
        assert_eq!(JobError::from(reset()), JobError::Retry(reset().to_string()));
    }
}

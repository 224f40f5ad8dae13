//! Running claimed jobs: one at a time per [`Worker`] call, with the lease
//! renewed while the handler runs and the outcome recorded after.

use std::{
    future::Future,
    panic::AssertUnwindSafe,
    sync::Arc,
    time::{Duration, Instant},
};

use futures::FutureExt;

use super::{
    JobError, JobRegistry,
    repo::{self, Claimed, Outcome},
    retry,
};
use crate::{AppState, db};

/// Claims and runs jobs of the registry's queues. Cheap to clone; a pool runs
/// several clones (see [`Worker::spawn`]), tests drive one with [`Worker::run_until_idle`].
#[derive(Clone, Debug)]
pub struct Worker {
    pub(super) state: AppState,
    registry: Arc<JobRegistry>,
    id: String,
    lease: Duration,
    pub(super) poll: Duration,
}

impl Worker {
    /// A worker with a fresh id and the lease and poll interval of `[jobs]`.
    pub fn new(state: AppState, registry: Arc<JobRegistry>) -> Self {
        let jobs = &state.settings.jobs;
        let lease = Duration::from_secs(jobs.lease_secs.max(1));
        let poll = Duration::from_millis(jobs.poll_interval_ms.max(1));
        let id = format!("{}-{}", std::process::id(), &db::new_id()[24..]);
        Self { state, registry, id, lease, poll }
    }

    /// Names the worker (it is recorded in `jobs.locked_by` while it holds a job).
    pub fn with_id(mut self, id: impl Into<String>) -> Self {
        self.id = id.into();
        self
    }

    pub fn with_lease(mut self, lease: Duration) -> Self {
        self.lease = lease;
        self
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    pub(super) fn registry(&self) -> &JobRegistry {
        &self.registry
    }

    pub(super) fn lease_ms(&self) -> i64 {
        i64::try_from(self.lease.as_millis()).unwrap_or(i64::MAX / 2)
    }

    /// Claims the next runnable job of any queue this worker serves.
    pub async fn claim(&self) -> Result<Option<Claimed>, sqlx::Error> {
        let lease_ms = self.lease_ms();
        for queue in self.registry.queues() {
            if let Some(job) = repo::claim(&self.state.db, queue, &self.id, lease_ms).await? {
                return Ok(Some(job));
            }
        }
        Ok(None)
    }

    /// Claims and runs one job; false when nothing was runnable.
    pub async fn run_one(&self) -> Result<bool, sqlx::Error> {
        match self.claim().await? {
            Some(job) => self.execute(job, std::future::pending()).await.map(|_| true),
            None => Ok(false),
        }
    }

    /// Runs jobs until none is runnable now; returns how many ran. The test
    /// driver: deterministic, no sleeping. Failed jobs wait for their backoff,
    /// so they do not run again within one call.
    pub async fn run_until_idle(&self) -> Result<usize, sqlx::Error> {
        let mut ran = 0;
        while self.run_one().await? {
            ran += 1;
        }
        Ok(ran)
    }

    /// Runs a claimed job and records how it ended. When `abort` completes
    /// first (shutdown grace over), the handler is dropped and the job released.
    pub(super) async fn execute(&self, job: Claimed, abort: impl Future<Output = ()>) -> Result<Ended, sqlx::Error> {
        if job.attempts > job.max_attempts {
            // Only claims of expired leases get here: the job keeps killing or
            // stalling its workers, so running it again would do the same.
            let error =
                format!("gave up after {} attempts: the worker running it stopped without finishing", job.max_attempts);
            return self.record(&job, Err(JobError::Permanent(error)), Duration::ZERO).await;
        }
        let Some(handler) = self.registry.handler(&job.kind) else {
            // Retried, not dead at once: during a rolling deploy a newer worker may know the kind.
            let error = JobError::retry(format!("no handler for job kind {:?} in this worker", job.kind));
            return self.record(&job, Err(error), Duration::ZERO).await;
        };
        let start = Instant::now();
        let run = AssertUnwindSafe(handler(self.state.clone(), job.payload.clone())).catch_unwind();
        tokio::pin!(run, abort);
        // Renew at a third of the lease, so two renewals can fail before another worker may take it.
        let mut heartbeat = tokio::time::interval_at(tokio::time::Instant::now() + self.lease / 3, self.lease / 3);
        let lease_ms = self.lease_ms();
        let result = loop {
            tokio::select! {
                result = &mut run => break result.unwrap_or_else(|panic| Err(JobError::retry(panic_text(&panic)))),
                _ = heartbeat.tick() => self.renew_beside(&job, lease_ms),
                () = &mut abort => {
                    tracing::info!(job = %job.id, kind = %job.kind, "shutting down: job released unfinished");
                    repo::finish(&self.state.db, &job, &self.id, Outcome::Released).await?;
                    return Ok(Ended::Released);
                }
            }
        };
        self.record(&job, result, start.elapsed()).await
    }

    /// Renews the lease in a task of its own. Awaited in the loop that polls
    /// the job, the renewal would wait for the write turn (on SQLite) that the
    /// job may be holding, and the job would wait for the loop: both stalled
    /// until the busy timeout.
    fn renew_beside(&self, job: &Claimed, lease_ms: i64) {
        let (db, job, worker) = (self.state.db.clone(), job.clone(), self.id.clone());
        tokio::spawn(async move {
            match repo::renew(&db, &job, &worker, lease_ms).await {
                Ok(true) => {}
                Ok(false) => tracing::warn!(job = %job.id, kind = %job.kind, "job lease lost while running"),
                Err(e) => tracing::warn!(job = %job.id, error = %e, "could not renew a job lease"),
            }
        });
    }

    async fn record(&self, job: &Claimed, result: Result<(), JobError>, took: Duration) -> Result<Ended, sqlx::Error> {
        let kind = job.kind.clone();
        let database = &self.state.db;
        if !took.is_zero() {
            metrics::histogram!("jobs_duration_seconds", "kind" => kind.clone()).record(took.as_secs_f64());
        }
        let (held, ended) = match result {
            Ok(()) => {
                metrics::counter!("jobs_processed_total", "kind" => kind).increment(1);
                (repo::finish(database, job, &self.id, Outcome::Done).await?, Ended::Done)
            }
            Err(JobError::Busy(text)) => {
                // Not the job's fault, so no attempt is spent; the first retry's delay.
                metrics::counter!("jobs_failed_total", "kind" => kind).increment(1);
                let delay = i64::try_from(retry::backoff(1).as_millis()).unwrap_or(i64::MAX / 2);
                tracing::info!(job = %job.id, kind = %job.kind, error = %text, "database busy; job postponed");
                let outcome = Outcome::Postponed { run_at: db::now_ms() + delay, error: &text };
                (repo::finish(database, job, &self.id, outcome).await?, Ended::Retry)
            }
            Err(error) => {
                metrics::counter!("jobs_failed_total", "kind" => kind.clone()).increment(1);
                let permanent = matches!(error, JobError::Permanent(_));
                let text = error.to_string();
                if permanent || job.attempts >= job.max_attempts {
                    metrics::counter!("jobs_dead_total", "kind" => kind).increment(1);
                    tracing::warn!(job = %job.id, kind = %job.kind, attempts = job.attempts, error = %text, "job is dead");
                    (repo::finish(database, job, &self.id, Outcome::Dead { error: &text }).await?, Ended::Dead(text))
                } else {
                    let attempt = u32::try_from(job.attempts).unwrap_or(u32::MAX);
                    let delay = i64::try_from(retry::backoff(attempt).as_millis()).unwrap_or(i64::MAX / 2);
                    tracing::info!(job = %job.id, kind = %job.kind, attempt, error = %text, "job failed; will retry");
                    let outcome = Outcome::Retry { run_at: db::now_ms() + delay, error: &text };
                    (repo::finish(database, job, &self.id, outcome).await?, Ended::Retry)
                }
            }
        };
        if !held {
            // Another worker claimed it after our lease ran out; its outcome counts.
            tracing::warn!(job = %job.id, kind = %job.kind, "job outcome dropped: lease was lost");
            return Ok(Ended::Lost);
        }
        Ok(ended)
    }
}

/// How [`Worker::execute`] left a job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Ended {
    Done,
    Retry,
    /// Dead, with the error recorded.
    Dead(String),
    Released,
    /// The lease was lost before the outcome was recorded; another claim owns the job.
    Lost,
}

fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    let message = panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)");
    format!("handler panicked: {message}")
}

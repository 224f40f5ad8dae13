//! Hourly removal of the platform's own spent rows, so the queue tables stay small.

use super::{Job, JobError, JobRegistry, schedule::Every};
use crate::{AppState, db};

const DAY_MS: i64 = 86_400_000;
/// Finished jobs stay this long for the admin view, then go.
pub const KEEP_DONE_MS: i64 = 7 * DAY_MS;
/// Dead jobs wait this long for an administrator to retry or discard them.
pub const KEEP_DEAD_MS: i64 = 90 * DAY_MS;
/// Delivery keys only guard against a job running twice, which happens within
/// its retry window (hours); a month is ample.
pub const KEEP_MAIL_DELIVERIES_MS: i64 = 30 * DAY_MS;

/// The platform's periodic jobs; the server calls this when it builds its registry.
pub fn register_jobs(registry: &mut JobRegistry) {
    registry.schedule::<PurgeFinished>(Every::hours(1));
}

/// Deletes old done and dead jobs and old e-mail delivery keys.
/// Idempotent: it only deletes rows past their age, so a repeat deletes nothing more.
pub struct PurgeFinished;
impl Job for PurgeFinished {
    const KIND: &'static str = "jobs.purge_finished";
    type Payload = ();
    async fn run(state: &AppState, (): ()) -> Result<(), JobError> {
        let removed = purge(state, db::now_ms()).await?;
        tracing::info!(jobs = removed.jobs, mail_deliveries = removed.mail_deliveries, "old finished rows purged");
        Ok(())
    }
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Purged {
    pub jobs: u64,
    pub mail_deliveries: u64,
}

/// Deletes what is past its age at `now`.
pub async fn purge(state: &AppState, now: i64) -> Result<Purged, sqlx::Error> {
    let jobs = sqlx::query(
        "DELETE FROM jobs WHERE (state = 'done' AND finished_at < $1) OR (state = 'dead' AND finished_at < $2)",
    )
    .bind(now - KEEP_DONE_MS)
    .bind(now - KEEP_DEAD_MS)
    .execute(&mut *state.db.autocommit().await?)
    .await?
    .rows_affected();
    let mail_deliveries = sqlx::query("DELETE FROM mail_deliveries WHERE sent_at < $1")
        .bind(now - KEEP_MAIL_DELIVERIES_MS)
        .execute(&mut *state.db.autocommit().await?)
        .await?
        .rows_affected();
    Ok(Purged { jobs, mail_deliveries })
}

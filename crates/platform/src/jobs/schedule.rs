//! Periodic jobs: each schedule enqueues its job once per period, however many
//! worker processes tick it.
//!
//! Every process that runs workers calls [`tick`] now and then. A schedule's
//! row in `job_schedules` says when it is next due; a tick claims a due period
//! with a conditional UPDATE that moves `next_run_at` forward, and enqueues the
//! run in the same transaction. Only one tick can move a row past a given time
//! (PostgreSQL re-checks the WHERE after waiting for the row lock; SQLite
//! serialises writers), so a period is never enqueued twice, and a crash
//! between the claim and the enqueue loses nothing because both commit together.
//! The run's dedupe key is the kind, so a period whose previous run is still
//! queued or running merges into it instead of piling up.

use std::time::Duration;

use tokio::task::JoinHandle;

use super::{Job, JobRegistry, WAKE, repo};
use crate::{AppState, db};

const DAY_MS: i64 = 86_400_000;

/// How often a scheduled job runs. Periods are aligned (to the Unix epoch, or
/// to a UTC time of day), so "once per period" means the same thing everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Every {
    /// At each multiple of this interval since the epoch (an hour: on the hour).
    Interval(Duration),
    /// Once a day at this UTC time.
    DailyAt { hour: u8, minute: u8 },
}

impl Every {
    pub const fn hours(n: u64) -> Self {
        Self::Interval(Duration::from_secs(n * 3600))
    }

    /// The first run strictly after `now` (epoch ms).
    pub fn next_after(self, now: i64) -> i64 {
        match self {
            Every::Interval(interval) => {
                let step = i64::try_from(interval.as_millis()).unwrap_or(DAY_MS).max(1);
                now - now.rem_euclid(step) + step
            }
            Every::DailyAt { hour, minute } => {
                let at = (i64::from(hour) * 60 + i64::from(minute)) * 60_000;
                let today = now - now.rem_euclid(DAY_MS) + at;
                if today > now { today } else { today + DAY_MS }
            }
        }
    }

    /// When a schedule seen for the first time is first due: interval jobs
    /// (housekeeping) at once, daily ones at their next time of day.
    fn first_due(self, now: i64) -> i64 {
        match self {
            Every::Interval(_) => now,
            Every::DailyAt { .. } => self.next_after(now),
        }
    }
}

/// One registered schedule.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Schedule {
    kind: &'static str,
    queue: &'static str,
    max_attempts: u32,
    every: Every,
}

impl JobRegistry {
    /// Registers job `J` and runs it on schedule. Its payload is `()`: a
    /// periodic job works out what to do from the database when it runs.
    pub fn schedule<J: Job<Payload = ()>>(&mut self, every: Every) -> &mut Self {
        self.register::<J>();
        self.schedules.push(Schedule { kind: J::KIND, queue: J::QUEUE, max_attempts: J::MAX_ATTEMPTS.max(1), every });
        self
    }
}

/// Enqueues each schedule that is due at `now` and not yet claimed for its
/// period; returns the kinds this call enqueued (merged runs included).
pub async fn tick(state: &AppState, now: i64) -> Result<Vec<&'static str>, sqlx::Error> {
    let mut enqueued = Vec::new();
    for schedule in &state.jobs.schedules {
        if claim_and_enqueue(state, schedule, now).await? {
            enqueued.push(schedule.kind);
        }
    }
    if !enqueued.is_empty() {
        WAKE.notify_waiters();
    }
    Ok(enqueued)
}

async fn claim_and_enqueue(state: &AppState, s: &Schedule, now: i64) -> Result<bool, sqlx::Error> {
    sqlx::query("INSERT INTO job_schedules (name, next_run_at, updated_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
        .bind(s.kind)
        .bind(s.every.first_due(now))
        .bind(now)
        .execute(&mut *state.db.autocommit().await?)
        .await?;
    let mut tx = state.db.begin().await?;
    let claimed = sqlx::query(
        "UPDATE job_schedules SET next_run_at = $1, last_run_at = $2, updated_at = $2 \
         WHERE name = $3 AND next_run_at <= $2",
    )
    .bind(s.every.next_after(now))
    .bind(now)
    .bind(s.kind)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if !claimed {
        return Ok(false);
    }
    let job = repo::NewJob {
        queue: s.queue,
        kind: s.kind,
        payload: "null",
        dedupe_key: Some(s.kind),
        max_attempts: i64::from(s.max_attempts),
        run_at: now,
    };
    let id = repo::insert(&mut tx, &job).await?;
    tx.commit().await?;
    match id {
        Some(id) => tracing::info!(kind = s.kind, job = %id, "scheduled job enqueued"),
        None => tracing::info!(kind = s.kind, "scheduled job still pending from its last period; merged"),
    }
    Ok(true)
}

/// Ticks every schedule each `period` until the task is aborted. Runs in every
/// process with workers; [`tick`] makes the extra ticks harmless.
pub fn spawn(state: AppState, period: Duration) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(period);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            if let Err(e) = tick(&state, db::now_ms()).await {
                tracing::warn!(error = %e, "could not run the job scheduler");
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: i64 = 3_600_000;

    #[test]
    fn intervals_align_to_the_epoch() {
        let every = Every::hours(1);
        assert_eq!(every.next_after(0), HOUR);
        assert_eq!(every.next_after(HOUR - 1), HOUR);
        assert_eq!(every.next_after(HOUR), 2 * HOUR, "strictly after");
        assert_eq!(every.next_after(HOUR + 5), 2 * HOUR);
    }

    #[test]
    fn daily_runs_at_the_utc_time_of_day() {
        let seven = Every::DailyAt { hour: 7, minute: 30 };
        let day = 20_000 * DAY_MS;
        assert_eq!(seven.next_after(day), day + 7 * HOUR + 30 * 60_000);
        assert_eq!(seven.next_after(day + 7 * HOUR + 30 * 60_000), day + DAY_MS + 7 * HOUR + 30 * 60_000);
        assert_eq!(seven.next_after(day + 23 * HOUR), day + DAY_MS + 7 * HOUR + 30 * 60_000);
    }

    #[test]
    fn a_new_daily_schedule_waits_for_its_time_but_housekeeping_starts_at_once() {
        assert_eq!(Every::hours(1).first_due(123), 123);
        let daily = Every::DailyAt { hour: 0, minute: 0 };
        assert_eq!(daily.first_due(5), DAY_MS);
    }
}

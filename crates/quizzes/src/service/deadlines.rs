//! The server's clock ends attempts: each timed attempt has a job due at
//! its deadline (plus the grace for an autosave in flight) that submits it
//! if it is still open — the learner's browser may be long gone.

use lyceum_platform::{
    AppState, db,
    jobs::{self, Job, JobError},
};
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;

use super::submit;
use crate::{
    quiz::attempt::GRACE_MS,
    repo::{self, attempts::AttemptRow},
};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Deadline {
    pub attempt_id: String,
}

/// Submits an attempt whose time ran out. Idempotent: an attempt already
/// submitted is left alone; one whose deadline moved later (an override,
/// a longer limit) gets a job at the new time instead, and one whose limit
/// was removed is left open.
pub struct AttemptDeadline;
impl Job for AttemptDeadline {
    const KIND: &'static str = "quizzes.attempt_deadline";
    const QUEUE: &'static str = "quizzes";
    type Payload = Deadline;
    async fn run(state: &AppState, payload: Deadline) -> Result<(), JobError> {
        let mut conn = state.db.pool().acquire().await.map_err(JobError::from)?;
        let Some(attempt) = repo::attempts::by_id(&mut conn, &payload.attempt_id).await? else {
            return Ok(());
        };
        drop(conn);
        match attempt.deadline_at {
            _ if attempt.state != "in_progress" => Ok(()),
            None => Ok(()),
            Some(deadline) if db::now_ms() < deadline + GRACE_MS => {
                let mut conn = state.db.pool().acquire().await.map_err(JobError::from)?;
                schedule(&mut conn, &attempt.id, deadline).await?;
                Ok(())
            }
            Some(_) => {
                submit::finish(state, &attempt, true).await?;
                Ok(())
            }
        }
    }
}

/// Enqueues the deadline job of an attempt due at `deadline`, in the caller's transaction.
pub(crate) async fn schedule(conn: &mut AnyConnection, attempt_id: &str, deadline: i64) -> Result<(), sqlx::Error> {
    let payload = Deadline { attempt_id: attempt_id.to_string() };
    jobs::enqueue_at::<AttemptDeadline>(conn, &payload, deadline + GRACE_MS).await?;
    Ok(())
}

/// Records an open attempt's new deadline and schedules its job (the job
/// already queued for the old time finds the new one and does nothing early).
pub(crate) async fn moved(
    conn: &mut AnyConnection,
    attempt: &AttemptRow,
    deadline: Option<i64>,
) -> Result<(), sqlx::Error> {
    if deadline == attempt.deadline_at {
        return Ok(());
    }
    repo::attempts::set_deadline(conn, &attempt.id, deadline).await?;
    if let Some(deadline) = deadline {
        schedule(conn, &attempt.id, deadline).await?;
    }
    Ok(())
}

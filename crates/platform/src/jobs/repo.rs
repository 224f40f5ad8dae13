//! The SQL of the `jobs` table. Every state change after a claim is fenced on
//! `(locked_by, attempts)`: a worker whose lease expired and whose job was
//! claimed again cannot complete, fail or release the newer claim.

use sqlx::{AnyConnection, AnyPool};

use crate::db::{self, Backend, Db};

/// A job claimed by a worker: it holds the lease until `locked_until`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Claimed {
    pub id: String,
    pub queue: String,
    pub kind: String,
    pub payload: String,
    /// Counting this run.
    pub attempts: i64,
    pub max_attempts: i64,
}

/// A new row; what `jobs::enqueue` writes.
pub struct NewJob<'a> {
    pub queue: &'a str,
    pub kind: &'a str,
    pub payload: &'a str,
    pub dedupe_key: Option<&'a str>,
    pub max_attempts: i64,
    pub run_at: i64,
}

/// Inserts a queued job; `None` when it merged into a pending one with the same
/// `(kind, dedupe_key)`. `ON CONFLICT DO NOTHING` without a target covers the
/// partial unique index on both backends and, unlike catching the error, does
/// not abort the caller's PostgreSQL transaction.
pub async fn insert(conn: &mut AnyConnection, job: &NewJob<'_>) -> Result<Option<String>, sqlx::Error> {
    let id = db::new_id();
    let now = db::now_ms();
    let inserted = sqlx::query(
        "INSERT INTO jobs (id, queue, kind, payload, dedupe_key, state, attempts, max_attempts, \
         run_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 'queued', 0, $6, $7, $8, $8) \
         ON CONFLICT DO NOTHING",
    )
    .bind(&id)
    .bind(job.queue)
    .bind(job.kind)
    .bind(job.payload)
    .bind(job.dedupe_key)
    .bind(job.max_attempts)
    .bind(job.run_at)
    .bind(now)
    .execute(conn)
    .await?
    .rows_affected();
    Ok((inserted == 1).then_some(id))
}

/// Claims the next runnable job of `queue` — a due queued one, or a running one
/// whose lease ran out (its worker died) — for `lease_ms`, and counts the attempt.
///
/// PostgreSQL: `FOR UPDATE SKIP LOCKED` lets several worker processes claim at
/// once without blocking each other or taking the same row. SQLite has no row
/// locks and needs none: it serialises writers, and only one process works it.
pub async fn claim(db: &Db, queue: &str, worker: &str, lease_ms: i64) -> Result<Option<Claimed>, sqlx::Error> {
    const PICK: &str = "SELECT id FROM jobs WHERE queue = $4 \
         AND ((state = 'queued' AND run_at <= $3) OR (state = 'running' AND locked_until < $3)) \
         ORDER BY run_at, id LIMIT 1";
    let lock = match db.backend() {
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    let sql = format!(
        "UPDATE jobs SET state = 'running', attempts = attempts + 1, locked_until = $1, locked_by = $2, \
         updated_at = $3 WHERE id = ({PICK}{lock}) \
         RETURNING id, queue, kind, payload, attempts, max_attempts"
    );
    let now = db::now_ms();
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(now + lease_ms)
        .bind(worker)
        .bind(now)
        .bind(queue)
        .fetch_optional(&mut *db.autocommit().await?)
        .await
}

/// Claims job `id` if it is runnable now (due and queued, or running under an
/// expired lease) — what a broker consumer does with a delivery. The claim
/// clears `relayed_until`: the message is consumed, so if this worker dies the
/// relay republishes the job as soon as the lease runs out.
pub async fn claim_by_id(db: &Db, id: &str, worker: &str, lease_ms: i64) -> Result<Option<Claimed>, sqlx::Error> {
    let now = db::now_ms();
    sqlx::query_as(
        "UPDATE jobs SET state = 'running', attempts = attempts + 1, locked_until = $1, locked_by = $2, \
         relayed_until = NULL, updated_at = $3 WHERE id = $4 \
         AND ((state = 'queued' AND run_at <= $3) OR (state = 'running' AND locked_until < $3)) \
         RETURNING id, queue, kind, payload, attempts, max_attempts",
    )
    .bind(now + lease_ms)
    .bind(worker)
    .bind(now)
    .bind(id)
    .fetch_optional(&mut *db.autocommit().await?)
    .await
}

/// Whether a row with this id exists (in any state).
pub async fn exists(pool: &AnyPool, id: &str) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE id = $1").bind(id).fetch_one(pool).await?;
    Ok(n > 0)
}

/// A job the relay should hand to the broker, as it was when picked.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Relayable {
    pub id: String,
    pub queue: String,
    pub state: String,
    pub attempts: i64,
}

/// Up to `limit` jobs due for publishing: due queued ones not relayed (or whose
/// relay timed out unconsumed), and running ones whose lease ran out (the worker
/// died; another consumer must get a message). On PostgreSQL the rows stay
/// locked (`conn` is a transaction) so concurrent relays skip them.
pub async fn pick_relayable(
    conn: &mut AnyConnection,
    backend: Backend,
    now: i64,
    limit: i64,
) -> Result<Vec<Relayable>, sqlx::Error> {
    let lock = match backend {
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    let sql = format!(
        "SELECT id, queue, state, attempts FROM jobs \
         WHERE ((state = 'queued' AND run_at <= $1) OR (state = 'running' AND locked_until < $1)) \
         AND (relayed_until IS NULL OR relayed_until < $1) ORDER BY run_at, id LIMIT $2{lock}"
    );
    sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(now).bind(limit).fetch_all(conn).await
}

/// Records that the broker confirmed `job`, unless it changed since it was picked
/// (a consumer claimed it meanwhile: then there is nothing to remember).
pub async fn mark_relayed(conn: &mut AnyConnection, job: &Relayable, until: i64) -> Result<bool, sqlx::Error> {
    sqlx::query("UPDATE jobs SET relayed_until = $1 WHERE id = $2 AND state = $3 AND attempts = $4")
        .bind(until)
        .bind(&job.id)
        .bind(&job.state)
        .bind(job.attempts)
        .execute(conn)
        .await
        .map(|r| r.rows_affected() == 1)
}

/// Extends the lease of a job still held by this claim; false when it was lost.
pub async fn renew(db: &Db, job: &Claimed, worker: &str, lease_ms: i64) -> Result<bool, sqlx::Error> {
    let now = db::now_ms();
    sqlx::query(
        "UPDATE jobs SET locked_until = $1, updated_at = $2 \
         WHERE id = $3 AND state = 'running' AND locked_by = $4 AND attempts = $5",
    )
    .bind(now + lease_ms)
    .bind(now)
    .bind(&job.id)
    .bind(worker)
    .bind(job.attempts)
    .execute(&mut *db.autocommit().await?)
    .await
    .map(|r| r.rows_affected() == 1)
}

/// How a claim ends.
#[derive(Debug, Clone, Copy)]
pub enum Outcome<'a> {
    Done,
    /// Queued again, not before `run_at`.
    Retry {
        run_at: i64,
        error: &'a str,
    },
    Dead {
        error: &'a str,
    },
    /// Given back unfinished (shutdown): the attempt does not count.
    Released,
    /// Queued again, not before `run_at`, without counting the attempt (the
    /// database was busy: the job was not at fault).
    Postponed {
        run_at: i64,
        error: &'a str,
    },
}

/// Records the end of a claim; false when this worker no longer held it.
pub async fn finish(db: &Db, job: &Claimed, worker: &str, outcome: Outcome<'_>) -> Result<bool, sqlx::Error> {
    let set = match outcome {
        Outcome::Done => "state = 'done', finished_at = $1",
        // Queued again: clearing `relayed_until` lets the relay publish it once due.
        Outcome::Retry { .. } => "state = 'queued', run_at = $5, last_error = $6, relayed_until = NULL",
        Outcome::Dead { .. } => "state = 'dead', finished_at = $1, last_error = $5",
        Outcome::Released => "state = 'queued', attempts = attempts - 1, relayed_until = NULL",
        Outcome::Postponed { .. } => {
            "state = 'queued', attempts = attempts - 1, run_at = $5, last_error = $6, relayed_until = NULL"
        }
    };
    let sql = format!(
        "UPDATE jobs SET {set}, locked_until = NULL, locked_by = NULL, updated_at = $1 \
         WHERE id = $2 AND state = 'running' AND locked_by = $3 AND attempts = $4"
    );
    let query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(db::now_ms()).bind(&job.id).bind(worker).bind(job.attempts);
    let query = match outcome {
        Outcome::Retry { run_at, error } | Outcome::Postponed { run_at, error } => {
            query.bind(run_at).bind(truncate(error))
        }
        Outcome::Dead { error } => query.bind(truncate(error)),
        Outcome::Done | Outcome::Released => query,
    };
    query.execute(&mut *db.autocommit().await?).await.map(|r| r.rows_affected() == 1)
}

/// Errors can be long (a whole SMTP transcript); the row keeps the start.
fn truncate(error: &str) -> String {
    const MAX: usize = 4000;
    match error.char_indices().nth(MAX) {
        Some((i, _)) => format!("{}…", &error[..i]),
        None => error.to_string(),
    }
}

/// Per queue: how many jobs are due and waiting, and since when the oldest is due.
pub async fn backlog(pool: &AnyPool, now: i64) -> Result<Vec<(String, i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT queue, COUNT(*), MIN(run_at) FROM jobs WHERE state = 'queued' AND run_at <= $1 GROUP BY queue",
    )
    .bind(now)
    .fetch_all(pool)
    .await
}

//! What administrators do with jobs: look at them, re-run a dead one, discard it.

use sqlx::AnyPool;

use crate::{
    AppError, Text,
    db::{self, Db},
    keyset::{PageRequest, Paged},
};

pub const STATES: [&str; 4] = ["queued", "running", "done", "dead"];

/// A whole row, as the admin API shows it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct JobRow {
    pub id: String,
    pub queue: String,
    pub kind: String,
    pub payload: String,
    pub dedupe_key: Option<String>,
    pub state: String,
    pub attempts: i64,
    pub max_attempts: i64,
    pub run_at: i64,
    pub locked_until: Option<i64>,
    pub locked_by: Option<String>,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub finished_at: Option<i64>,
}

const COLUMNS: &str = "id, queue, kind, payload, dedupe_key, state, attempts, max_attempts, run_at, \
    locked_until, locked_by, last_error, created_at, updated_at, finished_at";

pub struct ListQuery<'a> {
    pub state: Option<&'a str>,
    pub kind: Option<&'a str>,
    pub page: PageRequest,
}

/// Newest first; the cursor is the last row's `created_at:id`.
pub async fn list(pool: &AnyPool, q: ListQuery<'_>) -> Result<Paged<JobRow>, AppError> {
    let state = q.state.filter(|s| !s.is_empty());
    if state.is_some_and(|s| !STATES.contains(&s)) {
        return Err(AppError::field("state", Text::new("jobs.errors.state")));
    }
    let before = q.page.before()?;
    let sql = format!(
        "SELECT {COLUMNS} FROM jobs WHERE ($1 IS NULL OR state = $1) AND ($2 IS NULL OR kind = $2) \
         AND ($3 IS NULL OR created_at < $3 OR (created_at = $3 AND id < $4)) \
         ORDER BY created_at DESC, id DESC LIMIT $5"
    );
    let jobs: Vec<JobRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(state)
        .bind(q.kind.filter(|k| !k.is_empty()))
        .bind(before.as_ref().map(|(at, _)| *at))
        .bind(before.as_ref().map(|(_, id)| id.as_str()))
        .bind(q.page.fetch())
        .fetch_all(pool)
        .await?;
    Ok(Paged::from_rows(jobs, &q.page, |r| (r.created_at, r.id.as_str())))
}

/// How many jobs are in each state (states with none are left out).
pub async fn counts(pool: &AnyPool) -> Result<Vec<(String, i64)>, AppError> {
    let mut counts: Vec<(String, i64)> =
        sqlx::query_as("SELECT state, COUNT(*) FROM jobs GROUP BY state").fetch_all(pool).await?;
    counts.sort_by_key(|(state, _)| STATES.iter().position(|s| s == state));
    Ok(counts)
}

pub async fn get(pool: &AnyPool, id: &str) -> Result<JobRow, AppError> {
    let sql = format!("SELECT {COLUMNS} FROM jobs WHERE id = $1");
    sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(pool).await?.ok_or_else(AppError::not_found)
}

/// Why an administrator's retry or discard was refused; the pages match on
/// it, `From<AdminError> for AppError` makes the API's problem.
#[derive(Debug, Clone)]
pub enum AdminError {
    /// Only dead jobs can be retried or discarded; this one is in the given
    /// state, still in play (409 `job-not-dead`).
    NotDead(String),
    /// A job of the same kind and key is queued or running: it does the same
    /// work (409 `conflict`).
    DuplicatePending,
    /// Anything else on the way: no such job, a database fault.
    Other(AppError),
}

impl From<AppError> for AdminError {
    fn from(e: AppError) -> Self {
        Self::Other(e)
    }
}

impl From<sqlx::Error> for AdminError {
    fn from(e: sqlx::Error) -> Self {
        Self::Other(e.into())
    }
}

/// A refusal's message in English (the keys: `From<AdminError> for AppError`).
impl std::fmt::Display for AdminError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Other(e) => e.fmt(f),
            Self::NotDead(_) | Self::DuplicatePending => f.write_str(&AppError::from(self.clone()).detail),
        }
    }
}

impl std::error::Error for AdminError {}

impl From<AdminError> for AppError {
    fn from(e: AdminError) -> Self {
        match e {
            AdminError::NotDead(state) => {
                AppError::conflict(Text::new("jobs.errors.not_dead").arg("state", state)).with_kind("job-not-dead")
            }
            AdminError::DuplicatePending => AppError::conflict(Text::new("jobs.errors.duplicate_pending")),
            AdminError::Other(e) => e,
        }
    }
}

/// Queues a dead job again with a fresh retry budget; its last error stays
/// visible until the next run. Only dead jobs: others are still in play.
pub async fn retry(db: &Db, id: &str) -> Result<JobRow, AdminError> {
    let now = db::now_ms();
    let updated = sqlx::query(
        "UPDATE jobs SET state = 'queued', attempts = 0, run_at = $1, finished_at = NULL, relayed_until = NULL, \
         updated_at = $1 WHERE id = $2 AND state = 'dead'",
    )
    .bind(now)
    .bind(id)
    .execute(&mut *db.autocommit().await?)
    .await
    .map_err(|e| if db::is_unique_violation(&e) { AdminError::DuplicatePending } else { e.into() })?;
    let job = get(db.pool(), id).await?;
    if updated.rows_affected() == 0 {
        return Err(AdminError::NotDead(job.state));
    }
    super::WAKE.notify_waiters();
    Ok(job)
}

/// Deletes a dead job for good.
pub async fn discard(db: &Db, id: &str) -> Result<(), AdminError> {
    let deleted = sqlx::query("DELETE FROM jobs WHERE id = $1 AND state = 'dead'")
        .bind(id)
        .execute(&mut *db.autocommit().await?)
        .await?
        .rows_affected();
    if deleted == 0 {
        return Err(AdminError::NotDead(get(db.pool(), id).await?.state));
    }
    Ok(())
}

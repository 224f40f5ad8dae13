//! The `quiz_regrades` table: a regrade's progress.

use lyceum_platform::db;
use sqlx::AnyConnection;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RegradeRow {
    pub id: String,
    pub quiz_id: String,
    pub attempt_id: Option<String>,
    pub total: i64,
    pub done: i64,
    pub changed: i64,
    pub cursor_id: Option<String>,
    pub requested_at: i64,
    pub finished_at: Option<i64>,
}

const COLUMNS: &str = "id, quiz_id, attempt_id, total, done, changed, cursor_id, requested_at, finished_at";

pub async fn insert(
    conn: &mut AnyConnection,
    quiz_id: &str,
    attempt_id: Option<&str>,
    by: &str,
    total: i64,
) -> Result<String, sqlx::Error> {
    let id = db::new_id();
    sqlx::query(
        "INSERT INTO quiz_regrades (id, quiz_id, attempt_id, requested_by, total, requested_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&id)
    .bind(quiz_id)
    .bind(attempt_id)
    .bind(by)
    .bind(total)
    .bind(db::now_ms())
    .execute(conn)
    .await?;
    Ok(id)
}

pub async fn by_id(conn: &mut AnyConnection, id: &str) -> Result<Option<RegradeRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM quiz_regrades WHERE id = $1")))
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// A quiz's regrades, newest first.
pub async fn of_quiz(conn: &mut AnyConnection, quiz_id: &str, limit: i64) -> Result<Vec<RegradeRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM quiz_regrades WHERE quiz_id = $1 ORDER BY requested_at DESC, id DESC LIMIT $2"
    )))
    .bind(quiz_id)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// Records a batch: fenced on the cursor it started from, so a batch run
/// twice (a worker died after its commit) counts once.
pub async fn advance(
    conn: &mut AnyConnection,
    id: &str,
    from: Option<&str>,
    to: Option<&str>,
    done: i64,
    changed: i64,
    finished: bool,
) -> Result<bool, sqlx::Error> {
    let finished_at = finished.then(db::now_ms);
    let updated = sqlx::query(
        "UPDATE quiz_regrades SET done = done + $4, changed = changed + $5, cursor_id = $3, finished_at = $6 \
         WHERE id = $1 AND finished_at IS NULL AND (cursor_id = $2 OR (cursor_id IS NULL AND $2 IS NULL))",
    )
    .bind(id)
    .bind(from)
    .bind(to)
    .bind(done)
    .bind(changed)
    .bind(finished_at)
    .execute(conn)
    .await?;
    Ok(updated.rows_affected() == 1)
}

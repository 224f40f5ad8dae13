//! The `question_imports` table: a background import's file, progress and report.

use lyceum_platform::db;
use sqlx::AnyConnection;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ImportRow {
    pub id: String,
    pub course_id: String,
    pub requested_by: Option<String>,
    pub format: String,
    pub total: i64,
    pub done: i64,
    pub imported: i64,
    /// JSON `[{"line", "message"}]`.
    pub problems: String,
    pub requested_at: i64,
    pub updated_at: i64,
    pub finished_at: Option<i64>,
}

const COLUMNS: &str =
    "id, course_id, requested_by, format, total, done, imported, problems, requested_at, updated_at, finished_at";

pub struct NewImport<'a> {
    pub course_id: &'a str,
    pub requested_by: &'a str,
    pub format: &'a str,
    pub body: &'a str,
    pub total: i64,
    pub problems: &'a str,
}

pub async fn insert(conn: &mut AnyConnection, new: &NewImport<'_>) -> Result<String, sqlx::Error> {
    let id = db::new_id();
    let now = db::now_ms();
    sqlx::query(
        "INSERT INTO question_imports (id, course_id, requested_by, format, body, total, problems, requested_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
    )
    .bind(&id)
    .bind(new.course_id)
    .bind(new.requested_by)
    .bind(new.format)
    .bind(new.body)
    .bind(new.total)
    .bind(new.problems)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(id)
}

pub async fn by_id(conn: &mut AnyConnection, id: &str) -> Result<Option<ImportRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM question_imports WHERE id = $1")))
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// The file of an import under way (empty once it is over).
pub async fn body(conn: &mut AnyConnection, id: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT body FROM question_imports WHERE id = $1 AND finished_at IS NULL")
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// A batch's progress: fenced on the count it started from, so a batch run
/// twice (a worker died after its commit) counts once. An import that is
/// over lets its file go.
pub struct Advance<'a> {
    pub from: i64,
    pub done: i64,
    pub imported: i64,
    pub problems: &'a str,
    pub finished: bool,
}

pub async fn advance(conn: &mut AnyConnection, id: &str, a: &Advance<'_>) -> Result<bool, sqlx::Error> {
    let now = db::now_ms();
    let updated = sqlx::query(
        "UPDATE question_imports SET done = done + $3, imported = imported + $4, problems = $5, updated_at = $6, \
         finished_at = CASE WHEN $7 = 1 THEN $6 ELSE NULL END, body = CASE WHEN $7 = 1 THEN '' ELSE body END \
         WHERE id = $1 AND done = $2 AND finished_at IS NULL",
    )
    .bind(id)
    .bind(a.from)
    .bind(a.done)
    .bind(a.imported)
    .bind(a.problems)
    .bind(now)
    .bind(i64::from(a.finished))
    .execute(conn)
    .await?;
    Ok(updated.rows_affected() == 1)
}

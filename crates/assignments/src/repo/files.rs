//! The `assignment_files` table.

use lyceum_platform::db::Args;
use sqlx::AnyConnection;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FileRow {
    pub id: String,
    pub submission_id: String,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub storage_key: String,
    pub created_at: i64,
}

impl FileRow {
    /// The row of a file just stored for `submission_id`.
    pub(crate) fn of(file: &crate::service::files::Stored, submission_id: &str) -> Self {
        Self {
            id: file.id.clone(),
            submission_id: submission_id.to_string(),
            name: file.name.clone(),
            content_type: file.content_type.clone(),
            size: file.size,
            storage_key: file.storage_key.clone(),
            created_at: file.created_at,
        }
    }
}

const COLUMNS: &str = "id, submission_id, name, content_type, size, storage_key, created_at";

pub async fn insert(conn: &mut AnyConnection, f: &FileRow) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO assignment_files (id, submission_id, name, content_type, size, storage_key, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&f.id)
    .bind(&f.submission_id)
    .bind(&f.name)
    .bind(&f.content_type)
    .bind(f.size)
    .bind(&f.storage_key)
    .bind(f.created_at)
    .execute(conn)
    .await
    .map(|_| ())
}

pub async fn of_submission(conn: &mut AnyConnection, submission_id: &str) -> Result<Vec<FileRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM assignment_files WHERE submission_id = $1 ORDER BY created_at, id"
    )))
    .bind(submission_id)
    .fetch_all(conn)
    .await
}

/// The files of several submissions, in one query, oldest first.
pub async fn of_submissions(conn: &mut AnyConnection, submission_ids: &[String]) -> Result<Vec<FileRow>, sqlx::Error> {
    let mut args = Args::default();
    let ids = args.list(submission_ids);
    let sql = format!("SELECT {COLUMNS} FROM assignment_files WHERE submission_id IN ({ids}) ORDER BY created_at, id");
    args.query_as(sql).fetch_all(conn).await
}

pub async fn count(conn: &mut AnyConnection, submission_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM assignment_files WHERE submission_id = $1")
        .bind(submission_id)
        .fetch_one(conn)
        .await
}

/// How many files a submission has, and the bytes they take together.
pub async fn count_and_size(conn: &mut AnyConnection, submission_id: &str) -> Result<(i64, i64), sqlx::Error> {
    sqlx::query_as(
        "SELECT COUNT(*), CAST(COALESCE(SUM(size), 0) AS BIGINT) FROM assignment_files WHERE submission_id = $1",
    )
    .bind(submission_id)
    .fetch_one(conn)
    .await
}

pub async fn get(conn: &mut AnyConnection, submission_id: &str, id: &str) -> Result<Option<FileRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM assignment_files WHERE submission_id = $1 AND id = $2"
    )))
    .bind(submission_id)
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// Deletes a file's row; its storage key when there was one.
pub async fn delete(conn: &mut AnyConnection, submission_id: &str, id: &str) -> Result<Option<String>, sqlx::Error> {
    let key = get(conn, submission_id, id).await?.map(|f| f.storage_key);
    sqlx::query("DELETE FROM assignment_files WHERE submission_id = $1 AND id = $2")
        .bind(submission_id)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(key)
}

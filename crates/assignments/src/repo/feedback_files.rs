//! The `assignment_feedback_files` table: files a grader attaches to a
//! submission's feedback (rows read as [`FileRow`], like a submission's).
//! `try_number` is NULL for the current try's feedback; a past try's files
//! carry its number (see `service::tries`).

use sqlx::AnyConnection;

use super::files::FileRow;

const COLUMNS: &str = "id, submission_id, name, content_type, size, storage_key, created_at";

pub async fn insert(conn: &mut AnyConnection, f: &FileRow, uploaded_by: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO assignment_feedback_files \
         (id, submission_id, name, content_type, size, storage_key, uploaded_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&f.id)
    .bind(&f.submission_id)
    .bind(&f.name)
    .bind(&f.content_type)
    .bind(f.size)
    .bind(&f.storage_key)
    .bind(uploaded_by)
    .bind(f.created_at)
    .execute(conn)
    .await
    .map(|_| ())
}

pub async fn of_submission(conn: &mut AnyConnection, submission_id: &str) -> Result<Vec<FileRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM assignment_feedback_files WHERE submission_id = $1 AND try_number IS NULL \
         ORDER BY created_at, id"
    )))
    .bind(submission_id)
    .fetch_all(conn)
    .await
}

pub async fn count(conn: &mut AnyConnection, submission_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM assignment_feedback_files WHERE submission_id = $1 AND try_number IS NULL")
        .bind(submission_id)
        .fetch_one(conn)
        .await
}

pub async fn get(conn: &mut AnyConnection, submission_id: &str, id: &str) -> Result<Option<FileRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM assignment_feedback_files WHERE submission_id = $1 AND id = $2 AND try_number IS NULL"
    )))
    .bind(submission_id)
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// Deletes a file's row; its storage key when there was one.
pub async fn delete(conn: &mut AnyConnection, submission_id: &str, id: &str) -> Result<Option<String>, sqlx::Error> {
    let key = get(conn, submission_id, id).await?.map(|f| f.storage_key);
    sqlx::query("DELETE FROM assignment_feedback_files WHERE submission_id = $1 AND id = $2 AND try_number IS NULL")
        .bind(submission_id)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(key)
}

/// Takes the submission's row lock (touching it: its feedback changed), so
/// the count of its feedback files read next is not raced.
pub async fn lock_submission(conn: &mut AnyConnection, submission_id: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE assignment_submissions SET updated_at = $2 WHERE id = $1")
        .bind(submission_id)
        .bind(now)
        .execute(conn)
        .await
        .map(|_| ())
}

/// Keeps the current feedback files with the try being closed (`number`).
pub async fn keep_with_try(conn: &mut AnyConnection, submission_id: &str, number: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE assignment_feedback_files SET try_number = $2 WHERE submission_id = $1 AND try_number IS NULL")
        .bind(submission_id)
        .bind(number)
        .execute(conn)
        .await
        .map(|_| ())
}

/// The feedback files of a submission's past tries, with their try's number.
pub async fn of_past_tries(conn: &mut AnyConnection, submission_id: &str) -> Result<Vec<(i64, FileRow)>, sqlx::Error> {
    let rows: Vec<PastFileRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT try_number, {COLUMNS} FROM assignment_feedback_files \
         WHERE submission_id = $1 AND try_number IS NOT NULL ORDER BY created_at, id"
    )))
    .bind(submission_id)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.try_number, r.file)).collect())
}

/// One feedback file of past try `number`.
pub async fn past_file(
    conn: &mut AnyConnection,
    submission_id: &str,
    number: i64,
    id: &str,
) -> Result<Option<FileRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM assignment_feedback_files WHERE submission_id = $1 AND try_number = $2 AND id = $3"
    )))
    .bind(submission_id)
    .bind(number)
    .bind(id)
    .fetch_optional(conn)
    .await
}

#[derive(sqlx::FromRow)]
struct PastFileRow {
    try_number: i64,
    #[sqlx(flatten)]
    file: FileRow,
}

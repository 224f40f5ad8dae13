//! The `assignment_tries` and `assignment_try_files` tables: a learner's
//! past tries, each graded, kept when they start a new one.

use lyceum_platform::db::Args;
use sqlx::AnyConnection;

use super::files::FileRow;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TryRow {
    pub id: String,
    pub submission_id: String,
    pub try_number: i64,
    pub submitted_at: Option<i64>,
    pub late_ms: i64,
    pub text_md: String,
    pub grade: Option<f64>,
    pub graded_at: Option<i64>,
    /// The submission row as graded (JSON).
    pub snapshot: String,
    pub created_at: i64,
}

const COLUMNS: &str =
    "id, submission_id, try_number, submitted_at, late_ms, text_md, grade, graded_at, snapshot, created_at";

pub async fn insert(conn: &mut AnyConnection, t: &TryRow) -> Result<(), sqlx::Error> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO assignment_tries ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
    )))
    .bind(&t.id)
    .bind(&t.submission_id)
    .bind(t.try_number)
    .bind(t.submitted_at)
    .bind(t.late_ms)
    .bind(&t.text_md)
    .bind(t.grade)
    .bind(t.graded_at)
    .bind(&t.snapshot)
    .bind(t.created_at)
    .execute(conn)
    .await
    .map(|_| ())
}

/// Keeps a try's files (their rows; the objects are shared by key).
pub async fn insert_files(conn: &mut AnyConnection, try_id: &str, files: &[FileRow]) -> Result<(), sqlx::Error> {
    for f in files {
        sqlx::query(
            "INSERT INTO assignment_try_files (try_id, id, name, content_type, size, storage_key, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(try_id)
        .bind(&f.id)
        .bind(&f.name)
        .bind(&f.content_type)
        .bind(f.size)
        .bind(&f.storage_key)
        .bind(f.created_at)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// A submission's past tries, first first.
pub async fn of_submission(conn: &mut AnyConnection, submission_id: &str) -> Result<Vec<TryRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM assignment_tries WHERE submission_id = $1 ORDER BY try_number"
    )))
    .bind(submission_id)
    .fetch_all(conn)
    .await
}

pub async fn count(conn: &mut AnyConnection, submission_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM assignment_tries WHERE submission_id = $1")
        .bind(submission_id)
        .fetch_one(conn)
        .await
}

/// The files of several tries, in one query: (try id, file) with the
/// file's `submission_id` the try's submission.
pub async fn files_of(conn: &mut AnyConnection, tries: &[TryRow]) -> Result<Vec<(String, FileRow)>, sqlx::Error> {
    if tries.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<String> = tries.iter().map(|t| t.id.clone()).collect();
    let mut args = Args::default();
    let list = args.list(&ids);
    let sql = format!(
        "SELECT f.try_id, f.id, t.submission_id, f.name, f.content_type, f.size, f.storage_key, f.created_at \
         FROM assignment_try_files f JOIN assignment_tries t ON t.id = f.try_id \
         WHERE f.try_id IN ({list}) ORDER BY f.created_at, f.id"
    );
    let rows: Vec<TryFile> = args.query_as(sql).fetch_all(conn).await?;
    Ok(rows.into_iter().map(TryFile::split).collect())
}

#[derive(sqlx::FromRow)]
struct TryFile {
    try_id: String,
    id: String,
    submission_id: String,
    name: String,
    content_type: String,
    size: i64,
    storage_key: String,
    created_at: i64,
}

impl TryFile {
    fn split(self) -> (String, FileRow) {
        let file = FileRow {
            id: self.id,
            submission_id: self.submission_id,
            name: self.name,
            content_type: self.content_type,
            size: self.size,
            storage_key: self.storage_key,
            created_at: self.created_at,
        };
        (self.try_id, file)
    }
}

/// One file of a submission's try `number`.
pub async fn file(
    conn: &mut AnyConnection,
    submission_id: &str,
    number: i64,
    file_id: &str,
) -> Result<Option<FileRow>, sqlx::Error> {
    let row: Option<TryFile> = sqlx::query_as(
        "SELECT f.try_id, f.id, t.submission_id, f.name, f.content_type, f.size, f.storage_key, f.created_at \
         FROM assignment_try_files f JOIN assignment_tries t ON t.id = f.try_id \
         WHERE t.submission_id = $1 AND t.try_number = $2 AND f.id = $3",
    )
    .bind(submission_id)
    .bind(number)
    .bind(file_id)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| r.split().1))
}

/// Whether any row — a submission's file or a past try's — still names a
/// storage object (then it must not be deleted).
pub async fn key_in_use(conn: &mut AnyConnection, storage_key: &str) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM assignment_files WHERE storage_key = $1) \
         + (SELECT COUNT(*) FROM assignment_try_files WHERE storage_key = $1)",
    )
    .bind(storage_key)
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}

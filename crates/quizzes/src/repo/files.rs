//! The `question_files` and `quiz_answer_files` tables: which stored object
//! belongs to which course's bank or attempt's answer, with its type and the
//! client's name.

use lyceum_platform::db;
use sqlx::AnyConnection;

/// A stored file: an image of a course's bank, or a file of an answer.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FileRow {
    pub id: String,
    /// The course (question files) or the attempt (answer files).
    pub owner_id: String,
    /// The answer's slot (answer files; 0 for question files).
    pub slot: i64,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub storage_key: String,
    pub created_at: i64,
}

const QUESTION_FILE: &str = "id, course_id AS owner_id, 0 AS slot, name, content_type, size, storage_key, created_at";
const ANSWER_FILE: &str = "id, attempt_id AS owner_id, slot, name, content_type, size, storage_key, created_at";

pub async fn insert_question_file(
    conn: &mut AnyConnection,
    f: &FileRow,
    uploaded_by: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO question_files (id, course_id, name, content_type, size, storage_key, uploaded_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&f.id)
    .bind(&f.owner_id)
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

pub async fn question_file(conn: &mut AnyConnection, id: &str) -> Result<Option<FileRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {QUESTION_FILE} FROM question_files WHERE id = $1")))
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// The files of a course's bank, newest first.
pub async fn question_files_of(
    conn: &mut AnyConnection,
    course_id: &str,
    limit: i64,
) -> Result<Vec<FileRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {QUESTION_FILE} FROM question_files WHERE course_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2"
    )))
    .bind(course_id)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// The files among `ids` that belong to the course's bank (one query).
pub async fn question_files_in(
    conn: &mut AnyConnection,
    course_id: &str,
    ids: &[String],
) -> Result<Vec<FileRow>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut args = db::Args::default();
    let course = args.text(course_id);
    let list: Vec<String> = ids.iter().map(|id| args.text(id.as_str())).collect();
    args.query_as(format!(
        "SELECT {QUESTION_FILE} FROM question_files WHERE course_id = {course} AND id IN ({})",
        list.join(", ")
    ))
    .fetch_all(conn)
    .await
}

pub async fn insert_answer_file(conn: &mut AnyConnection, f: &FileRow) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO quiz_answer_files (id, attempt_id, slot, name, content_type, size, storage_key, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&f.id)
    .bind(&f.owner_id)
    .bind(f.slot)
    .bind(&f.name)
    .bind(&f.content_type)
    .bind(f.size)
    .bind(&f.storage_key)
    .bind(f.created_at)
    .execute(conn)
    .await
    .map(|_| ())
}

/// The files of an attempt's answers, by slot and then oldest first.
pub async fn answer_files_of(conn: &mut AnyConnection, attempt_id: &str) -> Result<Vec<FileRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ANSWER_FILE} FROM quiz_answer_files WHERE attempt_id = $1 ORDER BY slot, created_at, id"
    )))
    .bind(attempt_id)
    .fetch_all(conn)
    .await
}

pub async fn answer_file(conn: &mut AnyConnection, attempt_id: &str, id: &str) -> Result<Option<FileRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ANSWER_FILE} FROM quiz_answer_files WHERE attempt_id = $1 AND id = $2"
    )))
    .bind(attempt_id)
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// How many files each slot's answer has (slots without any are absent).
pub async fn answer_file_counts(conn: &mut AnyConnection, attempt_id: &str) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    sqlx::query_as("SELECT slot, COUNT(*) FROM quiz_answer_files WHERE attempt_id = $1 GROUP BY slot")
        .bind(attempt_id)
        .fetch_all(conn)
        .await
}

/// Deletes one file of a slot's answer; its storage key when it was there.
pub async fn delete_answer_file(
    conn: &mut AnyConnection,
    attempt_id: &str,
    slot: i64,
    id: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "DELETE FROM quiz_answer_files WHERE attempt_id = $1 AND slot = $2 AND id = $3 RETURNING storage_key",
    )
    .bind(attempt_id)
    .bind(slot)
    .bind(id)
    .fetch_optional(conn)
    .await
}

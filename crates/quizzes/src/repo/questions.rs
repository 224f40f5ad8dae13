//! The `questions` and `question_versions` tables: a question's row names
//! its current version; versions are only ever added.

use lyceum_platform::db;
use sqlx::AnyConnection;

use crate::model::{Filter, QuestionRow, VersionRow};

const COLUMNS: &str = "id, course_id, category_id, name, kind, current_version, created_by, created_at, updated_at";

/// A live (not deleted) question.
pub async fn by_id(conn: &mut AnyConnection, id: &str) -> Result<Option<QuestionRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM questions WHERE id = $1 AND deleted_at IS NULL")))
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// Live questions among `ids`, in no particular order (one query for a quiz's fixed slots).
pub async fn by_ids(conn: &mut AnyConnection, ids: &[String]) -> Result<Vec<QuestionRow>, sqlx::Error> {
    let mut args = db::Args::default();
    let list = args.list(ids);
    args.query_as(format!("SELECT {COLUMNS} FROM questions WHERE id IN ({list}) AND deleted_at IS NULL"))
        .fetch_all(conn)
        .await
}

/// A course's live questions matching `filter`, newest first, before `(created_at, id)`.
pub async fn list(
    conn: &mut AnyConnection,
    course_id: &str,
    filter: &Filter,
    before: Option<(i64, &str)>,
    limit: i64,
) -> Result<Vec<QuestionRow>, sqlx::Error> {
    let (before_at, before_id) = before.map(|(at, id)| (Some(at), Some(id))).unwrap_or((None, None));
    let pattern = filter.search.as_deref().map(like_pattern);
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM questions \
         WHERE course_id = $1 AND deleted_at IS NULL \
           AND ($2 IS NULL OR category_id = $2) AND ($3 IS NULL OR kind = $3) \
           AND ($4 IS NULL OR LOWER(name) LIKE $4 ESCAPE '\\') \
           AND ($5 IS NULL OR created_at < $5 OR (created_at = $5 AND id < $6)) \
         ORDER BY created_at DESC, id DESC LIMIT $7"
    )))
    .bind(course_id)
    .bind(filter.category_id.as_ref().map(|c| c.as_str()))
    .bind(filter.kind.as_deref())
    .bind(pattern)
    .bind(before_at)
    .bind(before_id)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// `%text%`, lower-cased, with LIKE's wildcards in `text` taken literally.
fn like_pattern(text: &str) -> String {
    let mut out = String::from("%");
    for c in text.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// A course's live questions in `category_ids` (all of them when None), oldest first.
pub async fn in_categories(
    conn: &mut AnyConnection,
    course_id: &str,
    category_ids: Option<&[String]>,
) -> Result<Vec<QuestionRow>, sqlx::Error> {
    let mut args = db::Args::default();
    let course = args.text(course_id);
    let scope = match category_ids {
        Some(ids) => format!("AND category_id IN ({})", args.list(ids)),
        None => String::new(),
    };
    args.query_as(format!(
        "SELECT {COLUMNS} FROM questions WHERE course_id = {course} AND deleted_at IS NULL {scope} \
         ORDER BY created_at, id"
    ))
    .fetch_all(conn)
    .await
}

pub struct NewQuestion<'a> {
    pub course_id: &'a str,
    pub category_id: &'a str,
    pub name: &'a str,
    pub kind: &'a str,
    pub data: &'a str,
    pub created_by: &'a str,
}

/// Inserts a question and its version 1; returns its id.
pub async fn insert(conn: &mut AnyConnection, q: &NewQuestion<'_>) -> Result<String, sqlx::Error> {
    let (id, now) = (db::new_id(), db::now_ms());
    sqlx::query(
        "INSERT INTO questions (id, course_id, category_id, name, kind, current_version, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $7)",
    )
    .bind(&id)
    .bind(q.course_id)
    .bind(q.category_id)
    .bind(q.name)
    .bind(q.kind)
    .bind(q.created_by)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    insert_version(conn, &id, 1, q.data, q.created_by, now).await?;
    Ok(id)
}

async fn insert_version(
    conn: &mut AnyConnection,
    id: &str,
    version: i64,
    data: &str,
    by: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO question_versions (question_id, version, data, created_by, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(version)
    .bind(data)
    .bind(by)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Adds the next version and makes it current; the counter is bumped in SQL
/// first, so two concurrent edits get two versions, never one number twice.
pub async fn add_version(
    conn: &mut AnyConnection,
    id: &str,
    category_id: &str,
    name: &str,
    kind: &str,
    data: &str,
    by: &str,
) -> Result<i64, sqlx::Error> {
    let now = db::now_ms();
    let version: i64 = sqlx::query_scalar(
        "UPDATE questions SET current_version = current_version + 1, category_id = $2, name = $3, kind = $4, \
         updated_at = $5 WHERE id = $1 AND deleted_at IS NULL RETURNING current_version",
    )
    .bind(id)
    .bind(category_id)
    .bind(name)
    .bind(kind)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    insert_version(conn, id, version, data, by, now).await?;
    Ok(version)
}

pub async fn version(conn: &mut AnyConnection, id: &str, version: i64) -> Result<Option<VersionRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT question_id, version, data, created_by, created_at FROM question_versions \
         WHERE question_id = $1 AND version = $2",
    )
    .bind(id)
    .bind(version)
    .fetch_optional(conn)
    .await
}

/// Every version of a question, newest first.
pub async fn versions(conn: &mut AnyConnection, id: &str) -> Result<Vec<VersionRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT question_id, version, data, created_by, created_at FROM question_versions \
         WHERE question_id = $1 ORDER BY version DESC",
    )
    .bind(id)
    .fetch_all(conn)
    .await
}

/// Moves live questions of the course into a category (a move is not an edit: no new version).
pub async fn move_to(
    conn: &mut AnyConnection,
    course_id: &str,
    ids: &[String],
    category_id: &str,
) -> Result<u64, sqlx::Error> {
    let mut args = db::Args::default();
    let category = args.text(category_id);
    let now = args.int(db::now_ms());
    let course = args.text(course_id);
    let list = args.list(ids);
    let done = args
        .query(format!(
            "UPDATE questions SET category_id = {category}, updated_at = {now} \
             WHERE course_id = {course} AND deleted_at IS NULL AND id IN ({list})"
        ))
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}

/// Soft delete: the row and its versions stay for the attempts that used them.
pub async fn soft_delete(conn: &mut AnyConnection, id: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE questions SET deleted_at = $2 WHERE id = $1 AND deleted_at IS NULL")
        .bind(id)
        .bind(db::now_ms())
        .execute(conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// How many versions each question has, for lists.
pub async fn version_counts(
    conn: &mut AnyConnection,
    ids: &[String],
) -> Result<std::collections::HashMap<String, i64>, sqlx::Error> {
    let mut args = db::Args::default();
    let list = args.list(ids);
    let rows: Vec<(String, i64)> = args
        .query_as(format!(
            "SELECT question_id, COUNT(*) FROM question_versions WHERE question_id IN ({list}) GROUP BY question_id"
        ))
        .fetch_all(conn)
        .await?;
    Ok(rows.into_iter().collect())
}

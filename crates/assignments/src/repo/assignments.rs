//! The `assignments` and `assignment_extensions` tables.

use lyceum_platform::db;
use sqlx::AnyConnection;

/// An assignment's row; `settings` is JSON (see `model::Settings`).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AssignmentRow {
    pub id: String,
    pub course_id: String,
    pub lesson_id: String,
    pub settings: String,
    pub released_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "id, course_id, lesson_id, settings, released_at, created_at, updated_at";

pub async fn insert(conn: &mut AnyConnection, row: &AssignmentRow) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO assignments (id, course_id, lesson_id, settings, released_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&row.id)
    .bind(&row.course_id)
    .bind(&row.lesson_id)
    .bind(&row.settings)
    .bind(row.released_at)
    .bind(row.created_at)
    .bind(row.updated_at)
    .execute(conn)
    .await
    .map(|_| ())
}

pub async fn by_id(conn: &mut AnyConnection, id: &str) -> Result<Option<AssignmentRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM assignments WHERE id = $1")))
        .bind(id)
        .fetch_optional(conn)
        .await
}

pub async fn by_lesson(conn: &mut AnyConnection, lesson_id: &str) -> Result<Option<AssignmentRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM assignments WHERE lesson_id = $1")))
        .bind(lesson_id)
        .fetch_optional(conn)
        .await
}

pub async fn of_course(conn: &mut AnyConnection, course_id: &str) -> Result<Vec<AssignmentRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM assignments WHERE course_id = $1 ORDER BY created_at, id"
    )))
    .bind(course_id)
    .fetch_all(conn)
    .await
}

pub async fn update_settings(conn: &mut AnyConnection, id: &str, settings: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE assignments SET settings = $2, updated_at = $3 WHERE id = $1")
        .bind(id)
        .bind(settings)
        .bind(db::now_ms())
        .execute(conn)
        .await
        .map(|_| ())
}

/// Marks the grades released; false when they already were (a second click).
pub async fn release(conn: &mut AnyConnection, id: &str, now: i64) -> Result<bool, sqlx::Error> {
    let done =
        sqlx::query("UPDATE assignments SET released_at = $2, updated_at = $2 WHERE id = $1 AND released_at IS NULL")
            .bind(id)
            .bind(now)
            .execute(conn)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// A learner's extension (their due date), if any.
pub async fn extension(conn: &mut AnyConnection, id: &str, user_id: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT due_at FROM assignment_extensions WHERE assignment_id = $1 AND user_id = $2")
        .bind(id)
        .bind(user_id)
        .fetch_optional(conn)
        .await
}

/// Every extension of an assignment: (user id, due date), by due date.
pub async fn extensions(conn: &mut AnyConnection, id: &str) -> Result<Vec<(String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT user_id, due_at FROM assignment_extensions WHERE assignment_id = $1 ORDER BY due_at, user_id",
    )
    .bind(id)
    .fetch_all(conn)
    .await
}

pub async fn set_extension(
    conn: &mut AnyConnection,
    id: &str,
    user_id: &str,
    due_at: i64,
    granted_by: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO assignment_extensions (assignment_id, user_id, due_at, granted_by, created_at) \
         VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (assignment_id, user_id) DO UPDATE SET due_at = $3, granted_by = $4",
    )
    .bind(id)
    .bind(user_id)
    .bind(due_at)
    .bind(granted_by)
    .bind(db::now_ms())
    .execute(conn)
    .await
    .map(|_| ())
}

pub async fn delete_extension(conn: &mut AnyConnection, id: &str, user_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM assignment_extensions WHERE assignment_id = $1 AND user_id = $2")
        .bind(id)
        .bind(user_id)
        .execute(conn)
        .await
        .map(|_| ())
}

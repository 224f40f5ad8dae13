//! The `enrollments` table.

use lyceum_platform::db;
use sqlx::AnyConnection;

use crate::model::Enrollment;

const COLUMNS: &str = "id, course_id, user_id, status, created_at, updated_at";

pub async fn by_id(conn: &mut AnyConnection, id: &str) -> Result<Option<Enrollment>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM enrollments WHERE id = $1")))
        .bind(id)
        .fetch_optional(conn)
        .await
}

pub async fn of(conn: &mut AnyConnection, course_id: &str, user_id: &str) -> Result<Option<Enrollment>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM enrollments WHERE course_id = $1 AND user_id = $2"
    )))
    .bind(course_id)
    .bind(user_id)
    .fetch_optional(conn)
    .await
}

/// Whether the learner holds an active enrollment in the course.
pub async fn is_active(conn: &mut AnyConnection, course_id: &str, user_id: &str) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM enrollments WHERE course_id = $1 AND user_id = $2 AND status = 'active'",
    )
    .bind(course_id)
    .bind(user_id)
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}

/// Inserts an active enrollment unless the learner has a row for the course
/// already (the unique index decides, so concurrent requests make one row).
/// True when inserted. As a write, it is also what makes a SQLite
/// transaction take the write lock first (see `service::enroll`).
pub async fn insert_new(conn: &mut AnyConnection, course_id: &str, user_id: &str) -> Result<bool, sqlx::Error> {
    let now = db::now_ms();
    let done = sqlx::query(
        "INSERT INTO enrollments (id, course_id, user_id, status, created_at, updated_at) \
         VALUES ($1, $2, $3, 'active', $4, $4) ON CONFLICT (course_id, user_id) DO NOTHING",
    )
    .bind(db::new_id())
    .bind(course_id)
    .bind(user_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Makes a cancelled enrollment active again (a new start time); false when
/// it was not cancelled — already active, possibly by a concurrent request.
pub async fn reactivate(conn: &mut AnyConnection, course_id: &str, user_id: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE enrollments SET status = 'active', created_at = $3, updated_at = $3 \
         WHERE course_id = $1 AND user_id = $2 AND status = 'cancelled'",
    )
    .bind(course_id)
    .bind(user_id)
    .bind(db::now_ms())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Cancels an active enrollment; false when it was not active (so a repeat
/// or a concurrent cancel gives the seat back only once).
pub async fn cancel(conn: &mut AnyConnection, id: &str) -> Result<bool, sqlx::Error> {
    let done =
        sqlx::query("UPDATE enrollments SET status = 'cancelled', updated_at = $2 WHERE id = $1 AND status = 'active'")
            .bind(id)
            .bind(db::now_ms())
            .execute(conn)
            .await?;
    Ok(done.rows_affected() > 0)
}

/// A learner's active enrollments, newest first, before `(created_at, id)`.
pub async fn active_of_user(
    conn: &mut AnyConnection,
    user_id: &str,
    before: Option<(i64, &str)>,
    limit: i64,
) -> Result<Vec<Enrollment>, sqlx::Error> {
    let (before_at, before_id) = before.map(|(at, id)| (Some(at), Some(id))).unwrap_or((None, None));
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM enrollments \
         WHERE user_id = $1 AND status = 'active' \
           AND ($2 IS NULL OR created_at < $2 OR (created_at = $2 AND id < $3)) \
         ORDER BY created_at DESC, id DESC LIMIT $4"
    )))
    .bind(user_id)
    .bind(before_at)
    .bind(before_id)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// A course's enrollments (active and cancelled, or only `status`), newest
/// first, before `(created_at, id)`.
pub async fn of_course(
    conn: &mut AnyConnection,
    course_id: &str,
    status: Option<&str>,
    before: Option<(i64, &str)>,
    limit: i64,
) -> Result<Vec<Enrollment>, sqlx::Error> {
    let (before_at, before_id) = before.map(|(at, id)| (Some(at), Some(id))).unwrap_or((None, None));
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM enrollments \
         WHERE course_id = $1 AND ($2 IS NULL OR status = $2) \
           AND ($3 IS NULL OR created_at < $3 OR (created_at = $3 AND id < $4)) \
         ORDER BY created_at DESC, id DESC LIMIT $5"
    )))
    .bind(course_id)
    .bind(status)
    .bind(before_at)
    .bind(before_id)
    .bind(limit)
    .fetch_all(conn)
    .await
}

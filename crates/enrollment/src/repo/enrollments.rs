//! The `enrollments` table (created by the courses migration).

use lyceum_platform::db;
use sqlx::AnyConnection;

use crate::model::{Enrollment, MyEnrollment, RosterEntry};

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

/// A learner's active enrollments with their courses, newest first, before `(created_at, id)`.
pub async fn mine(
    conn: &mut AnyConnection,
    user_id: &str,
    before: Option<(i64, &str)>,
    limit: i64,
) -> Result<Vec<MyEnrollment>, sqlx::Error> {
    let (before_at, before_id) = before.map(|(at, id)| (Some(at), Some(id))).unwrap_or((None, None));
    sqlx::query_as(
        "SELECT e.id, e.course_id, e.user_id, e.status, e.created_at, e.updated_at, \
                c.slug AS course_slug, c.title AS course_title \
         FROM enrollments e JOIN courses c ON c.id = e.course_id \
         WHERE e.user_id = $1 AND e.status = 'active' \
           AND ($2 IS NULL OR e.created_at < $2 OR (e.created_at = $2 AND e.id < $3)) \
         ORDER BY e.created_at DESC, e.id DESC LIMIT $4",
    )
    .bind(user_id)
    .bind(before_at)
    .bind(before_id)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// A course's enrollments (active and cancelled, or only `status`) with the
/// learners' names, newest first, before `(created_at, id)`.
pub async fn roster(
    conn: &mut AnyConnection,
    course_id: &str,
    status: Option<&str>,
    before: Option<(i64, &str)>,
    limit: i64,
) -> Result<Vec<RosterEntry>, sqlx::Error> {
    let (before_at, before_id) = before.map(|(at, id)| (Some(at), Some(id))).unwrap_or((None, None));
    sqlx::query_as(
        "SELECT e.id AS enrollment_id, e.user_id, u.display_name, u.email, e.status, e.created_at \
         FROM enrollments e JOIN users u ON u.id = e.user_id \
         WHERE e.course_id = $1 AND ($2 IS NULL OR e.status = $2) \
           AND ($3 IS NULL OR e.created_at < $3 OR (e.created_at = $3 AND e.id < $4)) \
         ORDER BY e.created_at DESC, e.id DESC LIMIT $5",
    )
    .bind(course_id)
    .bind(status)
    .bind(before_at)
    .bind(before_id)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// One learner's roster line (any status).
pub async fn roster_entry(
    conn: &mut AnyConnection,
    course_id: &str,
    user_id: &str,
) -> Result<Option<RosterEntry>, sqlx::Error> {
    sqlx::query_as(
        "SELECT e.id AS enrollment_id, e.user_id, u.display_name, u.email, e.status, e.created_at \
         FROM enrollments e JOIN users u ON u.id = e.user_id WHERE e.course_id = $1 AND e.user_id = $2",
    )
    .bind(course_id)
    .bind(user_id)
    .fetch_optional(conn)
    .await
}

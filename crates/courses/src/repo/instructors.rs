//! The `course_instructors` table.

use lyceum_platform::db;
use sqlx::AnyConnection;

/// "owner" or "co" when `user_id` teaches the course.
pub async fn role_of(conn: &mut AnyConnection, course_id: &str, user_id: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT role FROM course_instructors WHERE course_id = $1 AND user_id = $2")
        .bind(course_id)
        .bind(user_id)
        .fetch_optional(conn)
        .await
}

/// `(user_id, role)`, owner first, then co-instructors in the order they were added.
pub async fn list(conn: &mut AnyConnection, course_id: &str) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT user_id, role FROM course_instructors WHERE course_id = $1 \
         ORDER BY CASE role WHEN 'owner' THEN 0 ELSE 1 END, added_at, user_id",
    )
    .bind(course_id)
    .fetch_all(conn)
    .await
}

/// Adds an instructor; adding one already there changes nothing.
pub async fn add(conn: &mut AnyConnection, course_id: &str, user_id: &str, role: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO course_instructors (course_id, user_id, role, added_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (course_id, user_id) DO NOTHING",
    )
    .bind(course_id)
    .bind(user_id)
    .bind(role)
    .bind(db::now_ms())
    .execute(conn)
    .await
    .map(|_| ())
}

/// Removes a co-instructor; returns false when there was none (owners are never removed here).
pub async fn remove_co(conn: &mut AnyConnection, course_id: &str, user_id: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM course_instructors WHERE course_id = $1 AND user_id = $2 AND role = 'co'")
        .bind(course_id)
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

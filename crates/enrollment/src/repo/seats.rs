//! The course side of enrollment: reading a course's offer (state, price,
//! seats) and keeping `courses.enrolled_count`, which only enrollment writes.

use sqlx::AnyConnection;

use crate::model::Offer;

const OFFER: &str = "SELECT id, slug, title, state, price_minor, currency, seat_limit, enrolled_count FROM courses";

pub async fn offer(conn: &mut AnyConnection, course_id: &str) -> Result<Option<Offer>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{OFFER} WHERE id = $1"))).bind(course_id).fetch_optional(conn).await
}

pub async fn offer_by_slug(conn: &mut AnyConnection, slug: &str) -> Result<Option<Offer>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{OFFER} WHERE slug = $1"))).bind(slug).fetch_optional(conn).await
}

/// Takes a seat if one is free: one conditional UPDATE, so concurrent
/// enrollments can never pass the limit (PostgreSQL re-checks the condition
/// on the locked row; SQLite runs one writer at a time). False when full.
pub async fn take(conn: &mut AnyConnection, course_id: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE courses SET enrolled_count = enrolled_count + 1 \
         WHERE id = $1 AND (seat_limit IS NULL OR enrolled_count < seat_limit)",
    )
    .bind(course_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Gives a seat back (never below 0).
pub async fn give_back(conn: &mut AnyConnection, course_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE courses SET enrolled_count = enrolled_count - 1 WHERE id = $1 AND enrolled_count > 0")
        .bind(course_id)
        .execute(conn)
        .await
        .map(|_| ())
}

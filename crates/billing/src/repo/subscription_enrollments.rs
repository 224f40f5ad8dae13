//! `billing_subscription_enrollments`: the enrollments a subscription
//! opened, and which of them are suspended while it gives no access.

use lyceum_platform::db;
use sqlx::AnyConnection;

/// Records an enrollment opened through the subscription (again active if it was suspended).
pub async fn add_enrollment(
    conn: &mut AnyConnection,
    subscription_id: &str,
    course_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO billing_subscription_enrollments (subscription_id, course_id, enrolled_at) VALUES ($1, $2, $3) \
         ON CONFLICT (subscription_id, course_id) DO UPDATE SET suspended_at = NULL",
    )
    .bind(subscription_id)
    .bind(course_id)
    .bind(db::now_ms())
    .execute(conn)
    .await?;
    Ok(())
}

/// The courses of enrollments opened through the subscription: the suspended ones, or the others.
pub async fn enrollments(
    conn: &mut AnyConnection,
    subscription_id: &str,
    suspended: bool,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT course_id FROM billing_subscription_enrollments WHERE subscription_id = $1 \
           AND (($2 = 1 AND suspended_at IS NOT NULL) OR ($2 = 0 AND suspended_at IS NULL)) \
         ORDER BY enrolled_at, course_id",
    )
    .bind(subscription_id)
    .bind(i32::from(suspended))
    .fetch_all(conn)
    .await
}

/// Marks the enrollment in `course_id` suspended (`Some(at)`) or restored (`None`).
pub async fn set_suspended(
    conn: &mut AnyConnection,
    subscription_id: &str,
    course_id: &str,
    at: Option<i64>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE billing_subscription_enrollments SET suspended_at = $3 WHERE subscription_id = $1 AND course_id = $2",
    )
    .bind(subscription_id)
    .bind(course_id)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Forgets the enrollment in `course_id` (the learner left it, or bought the course).
pub async fn drop_enrollment(
    conn: &mut AnyConnection,
    subscription_id: &str,
    course_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM billing_subscription_enrollments WHERE subscription_id = $1 AND course_id = $2")
        .bind(subscription_id)
        .bind(course_id)
        .execute(conn)
        .await?;
    Ok(())
}

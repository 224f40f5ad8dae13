//! `billing_plans` and `billing_included_courses`.

use lyceum_platform::db;
use sqlx::AnyConnection;

use crate::model::subscriptions::{Interval, Plan};

const COLUMNS: &str = "id, name, billing_interval, price_minor, currency, deactivated_at, created_at, updated_at";

pub struct NewPlan<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub interval: Interval,
    pub price_minor: i64,
    pub currency: &'a str,
}

pub async fn insert(conn: &mut AnyConnection, p: &NewPlan<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO billing_plans (id, name, billing_interval, price_minor, currency, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6)",
    )
    .bind(p.id)
    .bind(p.name)
    .bind(p.interval.as_str())
    .bind(p.price_minor)
    .bind(p.currency)
    .bind(db::now_ms())
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn by_id(conn: &mut AnyConnection, id: &str) -> Result<Option<Plan>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM billing_plans WHERE id = $1")))
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// Plans by price; only the active ones unless `all`.
pub async fn list(conn: &mut AnyConnection, all: bool) -> Result<Vec<Plan>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM billing_plans WHERE ($1 = 1 OR deactivated_at IS NULL) \
         ORDER BY deactivated_at IS NOT NULL, billing_interval, price_minor, id"
    )))
    .bind(i32::from(all))
    .fetch_all(conn)
    .await
}

/// Changes what may change of a plan: its name, price and whether it takes new subscribers.
pub async fn update(
    conn: &mut AnyConnection,
    id: &str,
    name: &str,
    price_minor: i64,
    currency: &str,
    active: bool,
) -> Result<bool, sqlx::Error> {
    let now = db::now_ms();
    let done = sqlx::query(
        "UPDATE billing_plans SET name = $2, price_minor = $3, currency = $4, updated_at = $5, \
           deactivated_at = CASE WHEN $6 = 1 THEN NULL ELSE COALESCE(deactivated_at, $5) END \
         WHERE id = $1",
    )
    .bind(id)
    .bind(name)
    .bind(price_minor)
    .bind(currency)
    .bind(now)
    .bind(i32::from(active))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

pub async fn include(conn: &mut AnyConnection, course_id: &str, by: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO billing_included_courses (course_id, included_by, included_at) VALUES ($1, $2, $3) \
         ON CONFLICT (course_id) DO NOTHING",
    )
    .bind(course_id)
    .bind(by)
    .bind(db::now_ms())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

pub async fn exclude(conn: &mut AnyConnection, course_id: &str) -> Result<bool, sqlx::Error> {
    let done =
        sqlx::query("DELETE FROM billing_included_courses WHERE course_id = $1").bind(course_id).execute(conn).await?;
    Ok(done.rows_affected() > 0)
}

pub async fn is_included(conn: &mut AnyConnection, course_id: &str) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM billing_included_courses WHERE course_id = $1")
        .bind(course_id)
        .fetch_one(conn)
        .await?;
    Ok(n > 0)
}

/// Every included course's id, most recently included first.
pub async fn included(conn: &mut AnyConnection) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT course_id FROM billing_included_courses ORDER BY included_at DESC, course_id")
        .fetch_all(conn)
        .await
}

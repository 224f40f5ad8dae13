//! `billing_refunds`.

use lyceum_platform::db;
use sqlx::AnyConnection;

pub struct NewRefund<'a> {
    pub id: &'a str,
    pub order_id: &'a str,
    pub amount_minor: i64,
    pub reason: &'a str,
    pub remove_enrollment: bool,
    pub actor_id: Option<&'a str>,
}

/// One refund as listed on an order's page.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Refund {
    pub id: String,
    pub amount_minor: i64,
    pub gateway_ref: Option<String>,
    pub reason: String,
    pub actor_id: Option<String>,
    pub created_at: i64,
}

pub async fn insert(conn: &mut AnyConnection, r: &NewRefund<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO billing_refunds (id, order_id, amount_minor, reason, remove_enrollment, actor_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(r.id)
    .bind(r.order_id)
    .bind(r.amount_minor)
    .bind(r.reason)
    .bind(i32::from(r.remove_enrollment))
    .bind(r.actor_id)
    .bind(db::now_ms())
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn set_gateway_ref(conn: &mut AnyConnection, id: &str, gateway_ref: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE billing_refunds SET gateway_ref = $2 WHERE id = $1")
        .bind(id)
        .bind(gateway_ref)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn delete(conn: &mut AnyConnection, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM billing_refunds WHERE id = $1").bind(id).execute(conn).await?;
    Ok(())
}

pub async fn of_order(conn: &mut AnyConnection, order_id: &str) -> Result<Vec<Refund>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, amount_minor, gateway_ref, reason, actor_id, created_at FROM billing_refunds \
         WHERE order_id = $1 ORDER BY created_at, id",
    )
    .bind(order_id)
    .fetch_all(conn)
    .await
}

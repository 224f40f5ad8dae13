//! `billing_invoices` and the gap-free counter in `billing_counters`.

use lyceum_platform::db;
use sqlx::AnyConnection;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InvoiceRow {
    pub number: i64,
    pub issued_at: i64,
    pub seller_json: String,
    pub buyer_json: String,
}

/// The next invoice number. Called in the transaction that makes the order
/// paid: the row lock (PostgreSQL) or the write lock (SQLite) makes concurrent
/// payments take numbers one after the other, and a rollback gives it back.
pub async fn next_number(conn: &mut AnyConnection) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("UPDATE billing_counters SET value = value + 1 WHERE name = 'invoice' RETURNING value")
        .fetch_one(conn)
        .await
}

/// Records invoice `number` for the order unless it has one (false then).
pub async fn insert(
    conn: &mut AnyConnection,
    number: i64,
    order_id: &str,
    seller_json: &str,
    buyer_json: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO billing_invoices (number, order_id, issued_at, seller_json, buyer_json) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(number)
    .bind(order_id)
    .bind(db::now_ms())
    .bind(seller_json)
    .bind(buyer_json)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn exists_for(conn: &mut AnyConnection, order_id: &str) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM billing_invoices WHERE order_id = $1")
        .bind(order_id)
        .fetch_one(conn)
        .await?;
    Ok(n > 0)
}

pub async fn of_order(conn: &mut AnyConnection, order_id: &str) -> Result<Option<InvoiceRow>, sqlx::Error> {
    sqlx::query_as("SELECT number, issued_at, seller_json, buyer_json FROM billing_invoices WHERE order_id = $1")
        .bind(order_id)
        .fetch_optional(conn)
        .await
}

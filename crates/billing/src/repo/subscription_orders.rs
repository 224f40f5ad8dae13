//! `billing_subscription_orders`: which subscription an order pays, and
//! which period (a renewal's); the subscription's orders; an order's
//! `subscription` line.

use lyceum_platform::db;
use sqlx::AnyConnection;

use super::orders::COLUMNS;
use crate::model::Order;

/// What an order pays of a subscription.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SubscriptionOrder {
    pub subscription_id: String,
    /// The period a renewal pays starts here; `None` for the order that starts the subscription.
    pub period_start: Option<i64>,
    /// The period the payment paid for, once applied (`[paid_from, paid_until)`).
    pub paid_from: Option<i64>,
    pub paid_until: Option<i64>,
}

/// Links an order to the subscription it pays; false when a renewal of that
/// period has an order already (the unique index).
pub async fn link_order(
    conn: &mut AnyConnection,
    order_id: &str,
    subscription_id: &str,
    kind: &str,
    period_start: Option<i64>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO billing_subscription_orders (order_id, subscription_id, kind, period_start, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
    )
    .bind(order_id)
    .bind(subscription_id)
    .bind(kind)
    .bind(period_start)
    .bind(db::now_ms())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

pub async fn link_of(conn: &mut AnyConnection, order_id: &str) -> Result<Option<SubscriptionOrder>, sqlx::Error> {
    sqlx::query_as(
        "SELECT subscription_id, period_start, paid_from, paid_until FROM billing_subscription_orders \
         WHERE order_id = $1",
    )
    .bind(order_id)
    .fetch_optional(conn)
    .await
}

/// The renewal order of the period starting at `period_start`.
pub async fn renewal_order(
    conn: &mut AnyConnection,
    subscription_id: &str,
    period_start: i64,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT order_id FROM billing_subscription_orders WHERE subscription_id = $1 AND period_start = $2",
    )
    .bind(subscription_id)
    .bind(period_start)
    .fetch_optional(conn)
    .await
}

/// Marks the order's payment applied to its subscription, paying for
/// `[from, until)`: true for the one call that does.
pub async fn claim_payment(
    conn: &mut AnyConnection,
    order_id: &str,
    from: i64,
    until: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE billing_subscription_orders SET applied_at = $2, paid_from = $3, paid_until = $4 \
         WHERE order_id = $1 AND applied_at IS NULL",
    )
    .bind(order_id)
    .bind(db::now_ms())
    .bind(from)
    .bind(until)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// The order whose payment was applied last to the subscription: the one
/// that paid its current period.
pub async fn last_applied(conn: &mut AnyConnection, subscription_id: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT order_id FROM billing_subscription_orders WHERE subscription_id = $1 AND applied_at IS NOT NULL \
         ORDER BY applied_at DESC, created_at DESC LIMIT 1",
    )
    .bind(subscription_id)
    .fetch_optional(conn)
    .await
}

/// The subscription's orders, newest first (its payment history); only the open ones when `open`.
pub async fn orders(conn: &mut AnyConnection, subscription_id: &str, open: bool) -> Result<Vec<Order>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM billing_orders \
         WHERE id IN (SELECT order_id FROM billing_subscription_orders WHERE subscription_id = $1) \
           AND ($2 = 0 OR status IN ('pending', 'failed')) \
         ORDER BY created_at DESC, id DESC LIMIT 200"
    )))
    .bind(subscription_id)
    .bind(i32::from(open))
    .fetch_all(conn)
    .await
}

/// The order's `subscription` line: what it buys is a period of `description` (the plan's name).
pub async fn insert_line(
    conn: &mut AnyConnection,
    order_id: &str,
    description: &str,
    amount_minor: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO billing_order_lines (id, order_id, kind, course_id, description, amount_minor) \
         VALUES ($1, $2, 'subscription', NULL, $3, $4)",
    )
    .bind(db::new_id())
    .bind(order_id)
    .bind(description)
    .bind(amount_minor)
    .execute(conn)
    .await?;
    Ok(())
}

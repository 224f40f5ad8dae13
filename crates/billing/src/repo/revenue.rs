//! The rows the revenue report adds up: paid orders' lines in a period.

use sqlx::AnyConnection;

/// One line of a paid (possibly refunded) order.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SoldLine {
    pub order_id: String,
    pub paid_at: i64,
    pub gateway: String,
    pub currency: String,
    pub total_minor: i64,
    pub refunded_minor: i64,
    pub description: String,
}

/// The lines of orders paid in `[from, to)` (epoch ms), oldest first.
pub async fn sold_lines(conn: &mut AnyConnection, from: i64, to: i64) -> Result<Vec<SoldLine>, sqlx::Error> {
    sqlx::query_as(
        "SELECT o.id AS order_id, o.paid_at, o.gateway, o.currency, o.total_minor, o.refunded_minor, \
                l.description \
         FROM billing_orders o JOIN billing_order_lines l ON l.order_id = o.id \
         WHERE o.paid_at IS NOT NULL AND o.paid_at >= $1 AND o.paid_at < $2 \
           AND o.status IN ('paid', 'partially_refunded', 'refunded') \
         ORDER BY o.paid_at, o.id, l.id",
    )
    .bind(from)
    .bind(to)
    .fetch_all(conn)
    .await
}

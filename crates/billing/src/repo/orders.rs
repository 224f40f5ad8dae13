//! `billing_orders`, `billing_order_lines` and `billing_order_history`.

use lyceum_platform::db;
use sqlx::AnyConnection;

use crate::model::{HistoryEntry, Order, OrderLine, OrderStatus, Quote, Source};

/// Every column of an order, in [`Order`]'s order (also read by `subscription_orders`).
pub(crate) const COLUMNS: &str = "id, user_id, status, currency, subtotal_minor, discount_minor, tax_minor, total_minor, \
     refunded_minor, tax_rate_bp, country, vat_number, coupon_id, gateway, gateway_ref, payment_ref, \
     created_at, updated_at, paid_at";

/// A new order as placed.
pub struct NewOrder<'a> {
    pub id: &'a str,
    pub user_id: &'a str,
    pub quote: &'a Quote,
    pub country: Option<&'a str>,
    pub vat_number: Option<&'a str>,
    pub coupon_id: Option<&'a str>,
    pub gateway: &'a str,
}

pub async fn insert(conn: &mut AnyConnection, o: &NewOrder<'_>) -> Result<(), sqlx::Error> {
    let now = db::now_ms();
    let q = o.quote;
    sqlx::query(
        "INSERT INTO billing_orders (id, user_id, status, currency, subtotal_minor, discount_minor, tax_minor, \
         total_minor, tax_rate_bp, country, vat_number, coupon_id, gateway, created_at, updated_at) \
         VALUES ($1, $2, 'pending', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)",
    )
    .bind(o.id)
    .bind(o.user_id)
    .bind(q.currency.as_str())
    .bind(q.subtotal_minor)
    .bind(q.discount_minor)
    .bind(q.tax_minor)
    .bind(q.total_minor)
    .bind(q.tax_rate_bp)
    .bind(o.country)
    .bind(o.vat_number)
    .bind(o.coupon_id)
    .bind(o.gateway)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn insert_course_line(
    conn: &mut AnyConnection,
    order_id: &str,
    course_id: &str,
    description: &str,
    amount_minor: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO billing_order_lines (id, order_id, kind, course_id, description, amount_minor) \
         VALUES ($1, $2, 'course', $3, $4, $5)",
    )
    .bind(db::new_id())
    .bind(order_id)
    .bind(course_id)
    .bind(description)
    .bind(amount_minor)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn by_id(conn: &mut AnyConnection, id: &str) -> Result<Option<Order>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM billing_orders WHERE id = $1")))
        .bind(id)
        .fetch_optional(conn)
        .await
}

pub async fn by_gateway_ref(conn: &mut AnyConnection, gateway: &str, r: &str) -> Result<Option<Order>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM billing_orders WHERE gateway = $1 AND gateway_ref = $2"
    )))
    .bind(gateway)
    .bind(r)
    .fetch_optional(conn)
    .await
}

pub async fn lines(conn: &mut AnyConnection, order_id: &str) -> Result<Vec<OrderLine>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, order_id, kind, course_id, description, amount_minor FROM billing_order_lines \
         WHERE order_id = $1 ORDER BY id",
    )
    .bind(order_id)
    .fetch_all(conn)
    .await
}

pub async fn history(conn: &mut AnyConnection, order_id: &str) -> Result<Vec<HistoryEntry>, sqlx::Error> {
    sqlx::query_as(
        "SELECT from_status, to_status, source, actor_id, detail, at FROM billing_order_history \
         WHERE order_id = $1 ORDER BY at, id",
    )
    .bind(order_id)
    .fetch_all(conn)
    .await
}

/// A learner's open (pending or failed) order for a course, newest first.
pub async fn open_for_course(
    conn: &mut AnyConnection,
    user_id: &str,
    course_id: &str,
) -> Result<Option<Order>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM billing_orders o WHERE o.user_id = $1 AND o.status IN ('pending', 'failed') \
           AND EXISTS (SELECT 1 FROM billing_order_lines l WHERE l.order_id = o.id AND l.course_id = $2) \
         ORDER BY o.created_at DESC, o.id DESC LIMIT 1"
    )))
    .bind(user_id)
    .bind(course_id)
    .fetch_optional(conn)
    .await
}

/// Orders newest first, before `(created_at, id)`: one learner's (`user_id`),
/// or everyone's in `status` for the administrators.
pub async fn page(
    conn: &mut AnyConnection,
    user_id: Option<&str>,
    status: Option<&str>,
    before: Option<(i64, &str)>,
    limit: i64,
) -> Result<Vec<Order>, sqlx::Error> {
    let (before_at, before_id) = before.map(|(at, id)| (Some(at), Some(id))).unwrap_or((None, None));
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM billing_orders \
         WHERE ($1 IS NULL OR user_id = $1) AND ($2 IS NULL OR status = $2) \
           AND ($3 IS NULL OR created_at < $3 OR (created_at = $3 AND id < $4)) \
         ORDER BY created_at DESC, id DESC LIMIT $5"
    )))
    .bind(user_id)
    .bind(status)
    .bind(before_at)
    .bind(before_id)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// Orders in an online gateway pending since before `updated_before` and
/// not asked about since then, least recently asked first (the
/// reconciliation job's list; it marks each one asked, [`mark_checked`]).
pub async fn stale_pending(
    conn: &mut AnyConnection,
    updated_before: i64,
    limit: i64,
) -> Result<Vec<Order>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM billing_orders \
         WHERE status = 'pending' AND updated_at < $1 AND COALESCE(checked_at, 0) < $1 \
           AND gateway <> 'manual' AND gateway_ref IS NOT NULL \
         ORDER BY COALESCE(checked_at, 0), updated_at LIMIT $2"
    )))
    .bind(updated_before)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// Records that the gateway was asked about the order at `now`.
pub async fn mark_checked(conn: &mut AnyConnection, id: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE billing_orders SET checked_at = $2 WHERE id = $1").bind(id).bind(now).execute(conn).await?;
    Ok(())
}

/// How many orders in an online gateway have been pending since before
/// `updated_before` (the stuck-orders counter; manual orders wait for an
/// administrator by design).
pub async fn count_stale_pending(conn: &mut AnyConnection, updated_before: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM billing_orders WHERE status = 'pending' AND updated_at < $1 AND gateway <> 'manual'",
    )
    .bind(updated_before)
    .fetch_one(conn)
    .await
}

pub async fn set_gateway_ref(conn: &mut AnyConnection, id: &str, gateway: &str, r: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE billing_orders SET gateway = $2, gateway_ref = $3, updated_at = $4 WHERE id = $1")
        .bind(id)
        .bind(gateway)
        .bind(r)
        .bind(db::now_ms())
        .execute(conn)
        .await?;
    Ok(())
}

/// Moves the order to `to` if it is in one of `from`; false when it was not
/// (a concurrent change got there first, or a repeat).
pub async fn transition(
    conn: &mut AnyConnection,
    id: &str,
    from: &[OrderStatus],
    to: OrderStatus,
) -> Result<bool, sqlx::Error> {
    let from: Vec<&str> = from.iter().map(|s| s.as_str()).collect();
    let done = sqlx::query(
        "UPDATE billing_orders SET status = $2, updated_at = $3 \
         WHERE id = $1 AND status IN ($4, $5, $6)",
    )
    .bind(id)
    .bind(to.as_str())
    .bind(db::now_ms())
    .bind(from.first().copied())
    .bind(from.get(1).copied())
    .bind(from.get(2).copied())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Marks the order paid with the payment's reference, unless it is paid (or
/// refunded) already: true for the one call that made it paid.
pub async fn set_paid(conn: &mut AnyConnection, id: &str, payment_ref: Option<&str>) -> Result<bool, sqlx::Error> {
    let now = db::now_ms();
    let done = sqlx::query(
        "UPDATE billing_orders SET status = 'paid', payment_ref = COALESCE($2, payment_ref), paid_at = $3, \
         updated_at = $3 WHERE id = $1 AND status IN ('pending', 'failed', 'cancelled')",
    )
    .bind(id)
    .bind(payment_ref)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Adds `amount` to what was refunded, never beyond the total; the new status
/// follows. False when it would exceed the total (a concurrent refund won).
pub async fn add_refunded(conn: &mut AnyConnection, id: &str, amount: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE billing_orders SET refunded_minor = refunded_minor + $2, \
           status = CASE WHEN refunded_minor + $2 >= total_minor THEN 'refunded' ELSE 'partially_refunded' END, \
           updated_at = $3 \
         WHERE id = $1 AND status IN ('paid', 'partially_refunded') AND refunded_minor + $2 <= total_minor",
    )
    .bind(id)
    .bind(amount)
    .bind(db::now_ms())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Gives back a refund reservation the gateway refused; the status follows
/// what is left refunded.
pub async fn take_back_refunded(conn: &mut AnyConnection, id: &str, amount: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE billing_orders SET refunded_minor = refunded_minor - $2, \
           status = CASE WHEN refunded_minor - $2 <= 0 THEN 'paid' ELSE 'partially_refunded' END, \
           updated_at = $3 \
         WHERE id = $1 AND refunded_minor >= $2",
    )
    .bind(id)
    .bind(amount)
    .bind(db::now_ms())
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn record(
    conn: &mut AnyConnection,
    order_id: &str,
    from: Option<OrderStatus>,
    to: OrderStatus,
    source: Source,
    actor_id: Option<&str>,
    detail: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO billing_order_history (id, order_id, from_status, to_status, source, actor_id, detail, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(db::new_id())
    .bind(order_id)
    .bind(from.map(OrderStatus::as_str))
    .bind(to.as_str())
    .bind(source.as_str())
    .bind(actor_id)
    .bind(detail)
    .bind(db::now_ms())
    .execute(conn)
    .await?;
    Ok(())
}

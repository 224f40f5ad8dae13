//! `billing_subscriptions` (the orders and enrollments that belong to one:
//! [`super::subscription_orders`], [`super::subscription_enrollments`]).
//!
//! Every change of a subscription's state is one conditional UPDATE naming
//! the state it expects, so the renewal job run twice (or beside a payment)
//! acts once.

use lyceum_platform::db;
use sqlx::AnyConnection;

use crate::model::subscriptions::Subscription;

const COLUMNS: &str = "id, user_id, plan_id, status, gateway, customer_ref, payment_method_ref, \
     current_period_start, current_period_end, anchor_at, cancel_requested_at, failed_attempts, next_retry_at, \
     grace_ends_at, ended_at, created_at, updated_at";

pub async fn insert(
    conn: &mut AnyConnection,
    id: &str,
    user_id: &str,
    plan_id: &str,
    gateway: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO billing_subscriptions (id, user_id, plan_id, status, gateway, created_at, updated_at) \
         VALUES ($1, $2, $3, 'pending', $4, $5, $5)",
    )
    .bind(id)
    .bind(user_id)
    .bind(plan_id)
    .bind(gateway)
    .bind(db::now_ms())
    .execute(conn)
    .await?;
    Ok(())
}

/// A learner subscribes again (after a cancellation or a lapse, or changing
/// an unpaid choice): the same row, pending on its new first order. The
/// period fields stay until the payment starts a new period.
pub async fn restart(conn: &mut AnyConnection, id: &str, plan_id: &str, gateway: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE billing_subscriptions SET plan_id = $2, gateway = $3, status = 'pending', cancel_requested_at = NULL, \
           failed_attempts = 0, next_retry_at = NULL, grace_ends_at = NULL, updated_at = $4 \
         WHERE id = $1 AND status IN ('pending', 'cancelled', 'lapsed')",
    )
    .bind(id)
    .bind(plan_id)
    .bind(gateway)
    .bind(db::now_ms())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

pub async fn by_id(conn: &mut AnyConnection, id: &str) -> Result<Option<Subscription>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM billing_subscriptions WHERE id = $1")))
        .bind(id)
        .fetch_optional(conn)
        .await
}

pub async fn of_user(conn: &mut AnyConnection, user_id: &str) -> Result<Option<Subscription>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM billing_subscriptions WHERE user_id = $1")))
        .bind(user_id)
        .fetch_optional(conn)
        .await
}

/// Subscriptions newest first, before `(created_at, id)`, optionally in one status.
pub async fn page(
    conn: &mut AnyConnection,
    status: Option<&str>,
    before: Option<(i64, &str)>,
    limit: i64,
) -> Result<Vec<Subscription>, sqlx::Error> {
    let (before_at, before_id) = before.map(|(at, id)| (Some(at), Some(id))).unwrap_or((None, None));
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM billing_subscriptions WHERE ($1 IS NULL OR status = $1) \
           AND ($2 IS NULL OR created_at < $2 OR (created_at = $2 AND id < $3)) \
         ORDER BY created_at DESC, id DESC LIMIT $4"
    )))
    .bind(status)
    .bind(before_at)
    .bind(before_id)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// Active subscriptions whose period ended at or before `now` (the renewal job).
pub async fn period_ended(conn: &mut AnyConnection, now: i64, limit: i64) -> Result<Vec<Subscription>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM billing_subscriptions WHERE status = 'active' AND current_period_end <= $1 \
         ORDER BY current_period_end, id LIMIT $2"
    )))
    .bind(now)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// Past-due subscriptions whose next payment attempt is due at `now`.
pub async fn attempts_due(conn: &mut AnyConnection, now: i64, limit: i64) -> Result<Vec<Subscription>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM billing_subscriptions WHERE status = 'past_due' AND next_retry_at <= $1 \
         ORDER BY next_retry_at, id LIMIT $2"
    )))
    .bind(now)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// A payment starts or extends the subscription: active for `[start, end)`.
pub async fn activate(
    conn: &mut AnyConnection,
    id: &str,
    start: i64,
    end: i64,
    anchor: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE billing_subscriptions SET status = 'active', current_period_start = $2, current_period_end = $3, \
           anchor_at = $4, failed_attempts = 0, next_retry_at = NULL, grace_ends_at = NULL, ended_at = NULL, \
           updated_at = $5 \
         WHERE id = $1",
    )
    .bind(id)
    .bind(start)
    .bind(end)
    .bind(anchor)
    .bind(db::now_ms())
    .execute(conn)
    .await?;
    Ok(())
}

/// The period that ended at `end` is the last: cancelled, as the learner asked.
pub async fn end_at_period(conn: &mut AnyConnection, id: &str, end: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE billing_subscriptions SET status = 'cancelled', ended_at = $2, updated_at = $3 \
         WHERE id = $1 AND status = 'active' AND current_period_end = $2 AND cancel_requested_at IS NOT NULL",
    )
    .bind(id)
    .bind(end)
    .bind(db::now_ms())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// The period that ended at `end` is to be renewed: past due, its first
/// payment attempt due at once, access kept until `grace_ends_at`.
pub async fn start_dunning(
    conn: &mut AnyConnection,
    id: &str,
    end: i64,
    grace_ends_at: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE billing_subscriptions SET status = 'past_due', failed_attempts = 0, next_retry_at = $2, \
           grace_ends_at = $3, updated_at = $4 \
         WHERE id = $1 AND status = 'active' AND current_period_end = $2 AND cancel_requested_at IS NULL",
    )
    .bind(id)
    .bind(end)
    .bind(grace_ends_at)
    .bind(db::now_ms())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Records that payment attempt `attempt` failed (or found the renewal
/// unpaid): the next one is due at `next_retry_at`. False when that attempt
/// was recorded already, or the subscription moved on.
pub async fn attempt_failed(
    conn: &mut AnyConnection,
    id: &str,
    attempt: i32,
    next_retry_at: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE billing_subscriptions SET failed_attempts = $2 + 1, next_retry_at = $3, updated_at = $4 \
         WHERE id = $1 AND status = 'past_due' AND failed_attempts = $2",
    )
    .bind(id)
    .bind(attempt)
    .bind(next_retry_at)
    .bind(db::now_ms())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// The last attempt failed too: lapsed at `now`, access suspended.
pub async fn lapse(conn: &mut AnyConnection, id: &str, attempt: i32, now: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE billing_subscriptions SET status = 'lapsed', failed_attempts = $2 + 1, next_retry_at = NULL, \
           ended_at = $3, updated_at = $4 \
         WHERE id = $1 AND status = 'past_due' AND failed_attempts = $2",
    )
    .bind(id)
    .bind(attempt)
    .bind(now)
    .bind(db::now_ms())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Cancels now (an unpaid subscription, or a past-due one whose period is over).
pub async fn cancel_now(conn: &mut AnyConnection, id: &str, now: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE billing_subscriptions SET status = 'cancelled', ended_at = $2, next_retry_at = NULL, updated_at = $3 \
         WHERE id = $1 AND status IN ('pending', 'past_due')",
    )
    .bind(id)
    .bind(now)
    .bind(db::now_ms())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Ends a subscription that gives access now (active or past due) at once:
/// the payment for its current period was refunded in full.
pub async fn end_now(conn: &mut AnyConnection, id: &str, now: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE billing_subscriptions SET status = 'cancelled', ended_at = $2, next_retry_at = NULL, \
           cancel_requested_at = NULL, grace_ends_at = NULL, updated_at = $3 \
         WHERE id = $1 AND status IN ('active', 'past_due')",
    )
    .bind(id)
    .bind(now)
    .bind(db::now_ms())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Asks to stop at the period's end (`Some(now)`), or takes that back (`None`); active subscriptions only.
pub async fn set_cancel_request(conn: &mut AnyConnection, id: &str, at: Option<i64>) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE billing_subscriptions SET cancel_requested_at = $2, updated_at = $3 WHERE id = $1 AND status = 'active'",
    )
    .bind(id)
    .bind(at)
    .bind(db::now_ms())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

pub async fn set_saved_method(
    conn: &mut AnyConnection,
    id: &str,
    customer_ref: &str,
    payment_method_ref: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE billing_subscriptions SET customer_ref = $2, payment_method_ref = $3, updated_at = $4 WHERE id = $1",
    )
    .bind(id)
    .bind(customer_ref)
    .bind(payment_method_ref)
    .bind(db::now_ms())
    .execute(conn)
    .await?;
    Ok(())
}

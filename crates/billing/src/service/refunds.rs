//! Refunds: the course's staff or an administrator give back all or part of
//! a paid order, optionally removing the enrollment. Never more than was
//! paid: the amount is reserved on the order first (one conditional UPDATE,
//! so concurrent refunds cannot pass the total between them), then the
//! gateway is asked; if it refuses, the reservation is given back.
//! A refund made in the gateway's own dashboard shows up through its webhook
//! ([`seen_in_gateway`]).
//!
//! A full refund of the order that paid a subscription's current period ends
//! the subscription at once (`subscriptions::end_if_refunded`); only
//! administrators refund subscription orders (no course staff own them).

use lyceum_courses::service::access::is_staff;
use lyceum_enrollment::service::roster;
use lyceum_platform::{
    AppError, AppState,
    auth::Viewer,
    db,
    ids::{CourseId, UserId},
    money::Money,
};
use serde_json::json;
use sqlx::AnyConnection;

use crate::{
    BillingError,
    gateway::{self, GatewayError},
    model::{Order, OrderStatus, Source},
    repo::{audit, orders, refunds},
    service::settle::Reporter,
};

/// A refund asked for.
#[derive(Debug, Clone)]
pub struct RefundRequest {
    /// In the order's currency; `None`: everything still refundable.
    pub amount_minor: Option<i64>,
    pub reason: String,
    /// Also end the learner's enrollment in the order's courses.
    pub remove_enrollment: bool,
}

/// Refunds part or all of `order_id`. `key` (the request's Idempotency-Key,
/// or a fresh id) is passed to the gateway so a retried call refunds once.
pub async fn refund(
    state: &AppState,
    viewer: &Viewer,
    order_id: &str,
    req: &RefundRequest,
    key: &str,
) -> Result<Order, BillingError> {
    let order = load_for_staff(state, viewer, order_id).await?;
    let amount = amount_of(&order, req.amount_minor)?;
    let refund_id = db::new_id();
    reserve(state, viewer, &order, &refund_id, amount, req).await?;
    let gateway = gateway::by_id(state, &order.gateway)?;
    let payment_ref = order.payment_ref.clone().unwrap_or_default();
    match gateway.refund(&payment_ref, amount, key).await {
        Ok(done) => {
            let mut conn = state.db.pool().acquire().await?;
            refunds::set_gateway_ref(&mut conn, &refund_id, &done.reference).await?;
        }
        Err(e) => {
            release(state, &order, &refund_id, amount, &e).await?;
            return Err(e.into());
        }
    }
    if req.remove_enrollment {
        remove_enrollments(state, viewer, &order).await?;
    }
    {
        let mut tx = state.db.begin().await?;
        let by = Reporter::new(source_of(viewer), Some(&viewer.user_id));
        crate::service::subscriptions::end_if_refunded(state, &mut tx, &order.id, by).await?;
        tx.commit().await?;
    }
    metrics::counter!("lyceum_refunds_total", "gateway" => order.gateway.clone()).increment(1);
    let mut conn = state.db.pool().acquire().await?;
    Ok(orders::by_id(&mut conn, order_id).await?.ok_or_else(AppError::not_found)?)
}

/// The order, if the viewer may refund it: an administrator, or staff of every course it bought.
async fn load_for_staff(state: &AppState, viewer: &Viewer, order_id: &str) -> Result<Order, BillingError> {
    let mut conn = state.db.pool().acquire().await?;
    let order = orders::by_id(&mut conn, order_id).await?.ok_or_else(AppError::not_found)?;
    if viewer.is_admin() {
        return Ok(order);
    }
    let lines = orders::lines(&mut conn, order_id).await?;
    // A subscription's order opens no one course whose staff could refund it.
    if lines.is_empty() || lines.iter().any(|l| l.course_id.is_none()) {
        return Err(AppError::not_found().into());
    }
    for course in lines.iter().filter_map(|l| l.course_id.as_deref()) {
        if !is_staff(&mut conn, viewer, &CourseId::from(course)).await? {
            return Err(AppError::not_found().into());
        }
    }
    Ok(order)
}

/// The amount to refund: positive, and no more than what is left.
fn amount_of(order: &Order, asked: Option<i64>) -> Result<Money, BillingError> {
    if !order.status().is_paid() {
        return Err(BillingError::OrderState(format!(
            "order {} is {}: only a paid order can be refunded",
            order.number(),
            order.status
        )));
    }
    let left = order.refundable();
    let minor = asked.unwrap_or(left.minor);
    if minor <= 0 {
        let message = "Give a positive amount to refund.".into();
        return Err(BillingError::Invalid { field: "amount_minor", message });
    }
    if minor > left.minor {
        let message = format!("At most {} can still be refunded on this order.", left.format("en"));
        return Err(BillingError::Invalid { field: "amount_minor", message: message.into() });
    }
    Ok(order.money(minor))
}

/// Reserves `amount` on the order and records the refund (audited), before the gateway is asked.
async fn reserve(
    state: &AppState,
    viewer: &Viewer,
    order: &Order,
    refund_id: &str,
    amount: Money,
    req: &RefundRequest,
) -> Result<(), BillingError> {
    let mut tx = state.db.begin().await?;
    if !orders::add_refunded(&mut tx, &order.id, amount.minor).await? {
        return Err(BillingError::OrderState(format!(
            "order {} changed meanwhile (another refund?): reload it and try again",
            order.number()
        )));
    }
    let new = refunds::NewRefund {
        id: refund_id,
        order_id: &order.id,
        amount_minor: amount.minor,
        reason: req.reason.trim(),
        remove_enrollment: req.remove_enrollment,
        actor_id: Some(&viewer.user_id),
    };
    refunds::insert(&mut tx, &new).await?;
    let after = orders::by_id(&mut tx, &order.id).await?.ok_or_else(AppError::not_found)?;
    let detail = format!("refund of {}", amount.format("en"));
    orders::record(
        &mut tx,
        &order.id,
        Some(order.status()),
        after.status(),
        source_of(viewer),
        Some(&viewer.user_id),
        &detail,
    )
    .await?;
    let entry = audit::Entry {
        actor_id: Some(&viewer.user_id),
        action: "order.refund",
        subject_kind: "order",
        subject_id: &order.id,
        before: Some(json!({ "status": order.status, "refunded_minor": order.refunded_minor })),
        after: Some(json!({
            "status": after.status, "refunded_minor": after.refunded_minor, "amount_minor": amount.minor,
            "reason": req.reason.trim(), "remove_enrollment": req.remove_enrollment,
        })),
    };
    audit::record(&mut tx, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// The gateway refused: the reservation and the refund row go, the order's status comes back.
async fn release(
    state: &AppState,
    order: &Order,
    refund_id: &str,
    amount: Money,
    why: &GatewayError,
) -> Result<(), BillingError> {
    let mut tx = state.db.begin().await?;
    let current = orders::by_id(&mut tx, &order.id).await?.ok_or_else(AppError::not_found)?;
    orders::take_back_refunded(&mut tx, &order.id, amount.minor).await?;
    refunds::delete(&mut tx, refund_id).await?;
    let after = orders::by_id(&mut tx, &order.id).await?.ok_or_else(AppError::not_found)?;
    let detail = format!("refund of {} refused by the payment provider: {why}", amount.format("en"));
    orders::record(&mut tx, &order.id, Some(current.status()), after.status(), Source::System, None, &detail).await?;
    tx.commit().await?;
    Ok(())
}

fn source_of(viewer: &Viewer) -> Source {
    if viewer.is_admin() { Source::Admin } else { Source::Staff }
}

async fn remove_enrollments(state: &AppState, viewer: &Viewer, order: &Order) -> Result<(), BillingError> {
    let lines = {
        let mut conn = state.db.pool().acquire().await?;
        orders::lines(&mut conn, &order.id).await?
    };
    let user = UserId::from(order.user_id.as_str());
    for course in lines.iter().filter_map(|l| l.course_id.as_deref()).map(CourseId::from) {
        // Not enrolled any more (left, or removed before): nothing to remove.
        let active = {
            let mut conn = state.db.pool().acquire().await?;
            lyceum_enrollment::is_active(&mut conn, &course, &user).await?
        };
        if active {
            roster::remove(state, viewer, &course, &user).await?;
        }
    }
    Ok(())
}

/// A webhook reports the gateway's total refunded on the order's payment: a
/// refund made in the gateway's dashboard is recorded for the difference.
pub async fn seen_in_gateway(
    conn: &mut AnyConnection,
    order: &Order,
    gateway_total_minor: i64,
    by: Reporter<'_>,
) -> Result<(), sqlx::Error> {
    let missing = gateway_total_minor.min(order.total_minor) - order.refunded_minor;
    if missing <= 0 || !orders::add_refunded(conn, &order.id, missing).await? {
        return Ok(());
    }
    let id = db::new_id();
    let new = refunds::NewRefund {
        id: &id,
        order_id: &order.id,
        amount_minor: missing,
        reason: "refunded in the payment provider's dashboard",
        remove_enrollment: false,
        actor_id: None,
    };
    refunds::insert(conn, &new).await?;
    let after = orders::by_id(conn, &order.id).await?.map(|o| o.status()).unwrap_or(OrderStatus::Refunded);
    let detail = format!("refund of {} seen in the payment provider", order.money(missing).format("en"));
    orders::record(conn, &order.id, Some(order.status()), after, by.source, by.actor_id, &detail).await
}

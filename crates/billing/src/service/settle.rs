//! Settling orders: the one place an order's state changes after it is
//! placed. Whatever brings the news — the learner's return from the gateway,
//! a webhook, the reconciliation job, an administrator — ends here, and every
//! change is one conditional UPDATE, so the first arrival acts and every
//! later one (or a concurrent one) finds nothing to do.
//!
//! Becoming paid publishes `billing.order_paid` in the same transaction
//! (the outbox), whose subscriber enrolls the learner ([`super::fulfil`]),
//! and issues the invoice: a payment is never recorded without its
//! fulfilment queued and its invoice numbered.
//! Becoming cancelled gives the order's coupon redemption back in the same
//! transaction ([`super::redemption`]).

use lyceum_platform::{AppError, AppState, auth::Viewer, events};
use serde_json::json;
use sqlx::AnyConnection;

use crate::{
    BillingError,
    events::OrderPaid,
    gateway::{self, Settlement},
    model::{Order, OrderLine, OrderStatus, Source},
    repo::{audit, orders},
    service::redemption,
};

/// Who or what reports the news, recorded in the order's history.
#[derive(Debug, Clone, Copy)]
pub struct Reporter<'a> {
    pub source: Source,
    pub actor_id: Option<&'a str>,
}

impl<'a> Reporter<'a> {
    pub fn new(source: Source, actor_id: Option<&'a str>) -> Self {
        Self { source, actor_id }
    }
}

/// Applies what the gateway says about `order` on `conn` (the caller's
/// transaction). True when the order changed.
pub async fn apply(
    state: &AppState,
    conn: &mut AnyConnection,
    order: &Order,
    settlement: &Settlement,
    by: Reporter<'_>,
) -> Result<bool, sqlx::Error> {
    match settlement {
        Settlement::Pending => Ok(false),
        Settlement::Paid { payment_ref } => paid(state, conn, order, Some(payment_ref), by, "").await,
        Settlement::Failed { reason } => {
            moved(conn, order, &[OrderStatus::Pending], OrderStatus::Failed, by, reason).await
        }
        Settlement::Cancelled => {
            let from = [OrderStatus::Pending, OrderStatus::Failed];
            moved(conn, order, &from, OrderStatus::Cancelled, by, "cancelled in the payment provider").await
        }
    }
}

/// Makes `order` paid and queues its fulfilment; false when it was paid already.
pub async fn paid(
    state: &AppState,
    conn: &mut AnyConnection,
    order: &Order,
    payment_ref: Option<&str>,
    by: Reporter<'_>,
    detail: &str,
) -> Result<bool, sqlx::Error> {
    if !orders::set_paid(conn, &order.id, payment_ref).await? {
        return Ok(false);
    }
    orders::record(conn, &order.id, Some(order.status()), OrderStatus::Paid, by.source, by.actor_id, detail).await?;
    redemption::keep_for_paid(conn, order).await?;
    super::invoices::issue(state, conn, order).await?;
    let lines = orders::lines(conn, &order.id).await?;
    let event = OrderPaid {
        order_id: order.id.clone(),
        user_id: order.user_id.clone(),
        subscription: lines.iter().any(OrderLine::is_subscription),
        course_ids: lines.into_iter().filter_map(|l| l.course_id).collect(),
        gateway: order.gateway.clone(),
        total_minor: order.total_minor,
        currency: order.currency.clone(),
    };
    events::publish(state, conn, &event).await?;
    metrics::counter!("lyceum_payments_total", "gateway" => order.gateway.clone(), "outcome" => "paid").increment(1);
    Ok(true)
}

/// Moves `order` from one of `from` to `to`, recording why; false when it was elsewhere.
async fn moved(
    conn: &mut AnyConnection,
    order: &Order,
    from: &[OrderStatus],
    to: OrderStatus,
    by: Reporter<'_>,
    detail: &str,
) -> Result<bool, sqlx::Error> {
    if !orders::transition(conn, &order.id, from, to).await? {
        return Ok(false);
    }
    orders::record(conn, &order.id, Some(order.status()), to, by.source, by.actor_id, detail).await?;
    if to == OrderStatus::Cancelled {
        redemption::release(conn, &order.id).await?;
    }
    let outcome = if to == OrderStatus::Failed { "failed" } else { "cancelled" };
    metrics::counter!("lyceum_payments_total", "gateway" => order.gateway.clone(), "outcome" => outcome).increment(1);
    Ok(true)
}

/// Cancels an order nobody paid for a day (the reconciliation job); false
/// when it was settled meanwhile.
pub async fn abandon(conn: &mut AnyConnection, order: &Order, by: Reporter<'_>) -> Result<bool, sqlx::Error> {
    let detail = "abandoned: not paid within a day";
    moved(conn, order, &[OrderStatus::Pending], OrderStatus::Cancelled, by, detail).await
}

/// Asks the order's gateway where its payment stands and applies the answer
/// (the return page, `POST …/verify`, the reconciliation job). Returns the
/// order as it is afterwards.
pub async fn check(state: &AppState, order: Order, by: Reporter<'_>) -> Result<Order, BillingError> {
    let Some(gateway_ref) = order.gateway_ref.clone().filter(|_| order.status().is_open()) else {
        return Ok(order);
    };
    let gateway = gateway::by_id(state, &order.gateway)?;
    let settlement = gateway.settlement(&gateway_ref).await?;
    let mut tx = state.db.begin().await?;
    // Read again under the transaction: a webhook may have settled it meanwhile.
    let current = orders::by_id(&mut tx, &order.id).await?.ok_or_else(AppError::not_found)?;
    apply(state, &mut tx, &current, &settlement, by).await?;
    let after = orders::by_id(&mut tx, &order.id).await?.ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    Ok(after)
}

/// An administrator confirms a manual order's payment (money received by
/// transfer or at the desk). Audited; a repeat changes nothing.
pub async fn mark_paid_by_admin(
    state: &AppState,
    admin: &Viewer,
    order_id: &str,
    note: &str,
) -> Result<Order, BillingError> {
    if !admin.is_admin() {
        return Err(AppError::forbidden("Only an administrator can confirm a payment.").into());
    }
    let mut tx = state.db.begin().await?;
    let order = orders::by_id(&mut tx, order_id).await?.ok_or_else(AppError::not_found)?;
    if order.gateway != "manual" {
        return Err(BillingError::OrderState(format!(
            "order {} is paid through {}; its payment is confirmed by the provider, not by hand",
            order.number(),
            order.gateway
        )));
    }
    if order.status().is_paid() {
        return Ok(order);
    }
    let by = Reporter::new(Source::Admin, Some(&admin.user_id));
    let detail = if note.trim().is_empty() { "payment received" } else { note.trim() };
    paid(state, &mut tx, &order, None, by, detail).await?;
    let after = orders::by_id(&mut tx, order_id).await?.ok_or_else(AppError::not_found)?;
    let entry = audit::Entry {
        actor_id: Some(&admin.user_id),
        action: "order.mark_paid",
        subject_kind: "order",
        subject_id: order_id,
        before: Some(json!({ "status": order.status, "note": detail })),
        after: Some(json!({ "status": after.status, "total_minor": after.total_minor, "currency": after.currency })),
    };
    audit::record(&mut tx, entry).await?;
    tx.commit().await?;
    Ok(after)
}

/// The learner abandons an unpaid order (or an administrator voids it).
pub async fn cancel(state: &AppState, viewer: &Viewer, order_id: &str) -> Result<Order, BillingError> {
    let mut tx = state.db.begin().await?;
    let order = orders::by_id(&mut tx, order_id).await?.ok_or_else(AppError::not_found)?;
    super::check_owner(viewer, &order)?;
    if !order.status().is_open() && order.status() != OrderStatus::Cancelled {
        return Err(BillingError::OrderState(format!(
            "order {} is {} and can no longer be cancelled",
            order.number(),
            order.status
        )));
    }
    let source = if order.user_id == viewer.user_id { Source::Learner } else { Source::Admin };
    let from = [OrderStatus::Pending, OrderStatus::Failed];
    moved(&mut tx, &order, &from, OrderStatus::Cancelled, Reporter::new(source, Some(&viewer.user_id)), "").await?;
    let after = orders::by_id(&mut tx, order_id).await?.ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    Ok(after)
}

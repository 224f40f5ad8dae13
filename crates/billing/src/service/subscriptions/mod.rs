//! Subscriptions: an all-access plan (a price per month or year) opening
//! every course marked "included". Lyceum owns the billing periods:
//!
//! - subscribing places an ordinary order with a `subscription` line
//!   ([`subscribe`]), paid like any order (the manual gateway: an
//!   administrator marks it paid);
//! - an order that pays a subscription becoming paid starts or extends its
//!   period ([`paid`], a second subscriber of `billing.order_paid`; the
//!   event is unchanged: the order's link to its subscription is in
//!   `billing_subscription_orders`), and restores access after a lapse;
//! - at a period's end the renewal job ([`renew`]) ends a subscription that
//!   was cancelled, or places the renewal order and charges it (a kept card
//!   off-session through [`crate::gateway::Gateway::charge_saved`]; otherwise
//!   it waits for the learner or an administrator), retrying on days 1, 3
//!   and 7 with a notice each time, then lapses it;
//! - enrollments opened through the subscription ([`access`]) are suspended
//!   when it lapses or ends (cancelled, rows and progress kept) and restored
//!   by a payment;
//! - a full refund of the order that paid the current period ends the
//!   subscription at once ([`end_if_refunded`]); a partial refund does not.

pub mod access;
pub mod paid;
pub mod plans;
pub mod renew;
pub mod subscribe;

use lyceum_platform::{
    AppError, AppState,
    auth::Viewer,
    db,
    ids::CourseId,
    keyset::{PageRequest, Paged},
};
use serde_json::json;
use sqlx::AnyConnection;

use crate::{
    BillingError,
    events::SubscriptionEnded,
    model::{
        Order, OrderStatus, Source,
        subscriptions::{Interval, PaidPeriod, Plan, Subscription, SubscriptionStatus, next_boundary},
    },
    repo::{audit, orders, plans as plan_rows, subscription_orders as links, subscriptions as rows},
    service::settle::Reporter,
};

/// A subscription with its plan and its orders (the payment history, newest first).
#[derive(Debug, Clone)]
pub struct SubscriptionView {
    pub subscription: Subscription,
    pub plan: Plan,
    pub orders: Vec<Order>,
}

impl SubscriptionView {
    /// When the next renewal is charged (`None` when it is not going to renew).
    pub fn renews_at(&self) -> Option<i64> {
        let s = &self.subscription;
        if s.status() == SubscriptionStatus::Active && !s.cancels_at_period_end() { s.current_period_end } else { None }
    }

    /// The order to pay to keep (or get back) access: the open renewal or first order.
    pub fn open_order(&self) -> Option<&Order> {
        self.orders.iter().find(|o| o.status().is_open())
    }
}

async fn view(conn: &mut AnyConnection, subscription: Subscription) -> Result<SubscriptionView, AppError> {
    let plan = plan_rows::by_id(conn, &subscription.plan_id).await?.ok_or_else(AppError::not_found)?;
    let orders = links::orders(conn, &subscription.id, false).await?;
    Ok(SubscriptionView { subscription, plan, orders })
}

/// The period the order `order_id` pays for, when it is a subscription's
/// order: the one its payment was applied to, or for a renewal not paid yet
/// the period it would pay.
pub async fn period_of_order(conn: &mut AnyConnection, order_id: &str) -> Result<Option<PaidPeriod>, sqlx::Error> {
    let Some(link) = links::link_of(conn, order_id).await? else { return Ok(None) };
    let subscription = rows::by_id(conn, &link.subscription_id).await?;
    let plan = match &subscription {
        Some(s) => plan_rows::by_id(conn, &s.plan_id).await?,
        None => None,
    };
    let interval = plan.map(|p| p.interval()).unwrap_or(Interval::Month);
    let days = match (link.paid_from, link.paid_until, link.period_start) {
        (Some(from), Some(until), _) => Some((from, until)),
        (_, _, Some(start)) => {
            subscription.and_then(|s| s.anchor_at).map(|anchor| (start, next_boundary(anchor, interval, start)))
        }
        _ => None,
    };
    Ok(Some(PaidPeriod { interval, days }))
}

/// The viewer's own subscription, or any for an administrator; 404 otherwise
/// (someone else's subscription is not revealed).
pub async fn get(state: &AppState, viewer: &Viewer, id: &str) -> Result<SubscriptionView, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    let subscription = rows::by_id(&mut conn, id).await?.ok_or_else(AppError::not_found)?;
    if subscription.user_id != viewer.user_id && !viewer.is_admin() {
        return Err(AppError::not_found());
    }
    view(&mut conn, subscription).await
}

/// The viewer's subscription, if they ever subscribed.
pub async fn mine(state: &AppState, viewer: &Viewer) -> Result<Option<SubscriptionView>, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    match rows::of_user(&mut conn, &viewer.user_id).await? {
        Some(subscription) => Ok(Some(view(&mut conn, subscription).await?)),
        None => Ok(None),
    }
}

/// Every subscription (administrators), newest first, optionally in one status.
pub async fn all(
    state: &AppState,
    viewer: &Viewer,
    status: Option<SubscriptionStatus>,
    page: &PageRequest,
) -> Result<Paged<Subscription>, AppError> {
    if !viewer.is_admin() {
        return Err(AppError::forbidden("Only administrators see every subscription."));
    }
    let before = page.before()?;
    let before = before.as_ref().map(|(at, id)| (*at, id.as_str()));
    let mut conn = state.db.pool().acquire().await?;
    let rows = rows::page(&mut conn, status.map(SubscriptionStatus::as_str), before, page.fetch()).await?;
    Ok(Paged::from_rows(rows, page, |s| (s.created_at, s.id.as_str())))
}

/// Whether the viewer's subscription opens `course_id` now: it is active (or
/// in its grace period) and the course is included. The checkout page asks
/// this to offer "enroll with your subscription" instead of paying.
pub async fn covers(state: &AppState, viewer: &Viewer, course_id: &CourseId) -> Result<bool, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    let gives_access = rows::of_user(&mut conn, &viewer.user_id).await?.is_some_and(|s| s.status().gives_access());
    Ok(gives_access && plan_rows::is_included(&mut conn, course_id.as_str()).await?)
}

/// The viewer's subscription `id` to act on: their own only (administrators
/// act from the admin pages, not here); 404 otherwise.
async fn own(conn: &mut AnyConnection, viewer: &Viewer, id: &str) -> Result<Subscription, BillingError> {
    let subscription = rows::by_id(conn, id).await?.ok_or_else(AppError::not_found)?;
    if subscription.user_id != viewer.user_id {
        return Err(AppError::not_found().into());
    }
    Ok(subscription)
}

/// Cancels the viewer's subscription. An active one stops at the end of the
/// period already paid (access continues until then; [`resume`] takes it
/// back). One not paid yet, or past due, ends now, and its open order is
/// cancelled. Repeating it changes nothing.
pub async fn cancel(state: &AppState, viewer: &Viewer, id: &str) -> Result<SubscriptionView, BillingError> {
    let now = db::now_ms();
    let mut tx = state.db.begin().await?;
    let before = own(&mut tx, viewer, id).await?;
    match before.status() {
        SubscriptionStatus::Active if !before.cancels_at_period_end() => {
            rows::set_cancel_request(&mut tx, id, Some(now)).await?;
        }
        SubscriptionStatus::Pending | SubscriptionStatus::PastDue => {
            rows::cancel_now(&mut tx, id, now).await?;
            cancel_open_orders(&mut tx, &before, Some(&viewer.user_id), "the subscription was cancelled").await?;
            if before.status().gives_access() {
                let ended = SubscriptionEnded {
                    subscription_id: before.id.clone(),
                    user_id: before.user_id.clone(),
                    reason: "cancelled".into(),
                    order_id: None,
                };
                lyceum_platform::events::publish(state, &mut tx, &ended).await?;
            }
        }
        _ => {}
    }
    let after = rows::by_id(&mut tx, id).await?.ok_or_else(AppError::not_found)?;
    record_change(&mut tx, viewer, "subscription.cancel", &before, &after).await?;
    let shown = view(&mut tx, after).await?;
    tx.commit().await?;
    Ok(shown)
}

/// Takes back a cancellation before the period ends: the subscription renews
/// as before. 409 once it has ended.
pub async fn resume(state: &AppState, viewer: &Viewer, id: &str) -> Result<SubscriptionView, BillingError> {
    let mut tx = state.db.begin().await?;
    let before = own(&mut tx, viewer, id).await?;
    if before.status() != SubscriptionStatus::Active {
        return Err(BillingError::SubscriptionState(format!(
            "this subscription is {}: only an active subscription can be resumed; subscribe again instead",
            before.status
        )));
    }
    rows::set_cancel_request(&mut tx, id, None).await?;
    let after = rows::by_id(&mut tx, id).await?.ok_or_else(AppError::not_found)?;
    record_change(&mut tx, viewer, "subscription.resume", &before, &after).await?;
    let shown = view(&mut tx, after).await?;
    tx.commit().await?;
    Ok(shown)
}

/// Audits a change the learner made (a money decision: it stops or restarts charges).
async fn record_change(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    action: &str,
    before: &Subscription,
    after: &Subscription,
) -> Result<(), sqlx::Error> {
    let state = |s: &Subscription| (s.status(), s.cancels_at_period_end());
    if state(before) == state(after) {
        return Ok(());
    }
    let shown = |s: &Subscription| json!({ "status": s.status, "cancel_at_period_end": s.cancels_at_period_end() });
    let entry = audit::Entry {
        actor_id: Some(&viewer.user_id),
        action,
        subject_kind: "subscription",
        subject_id: &after.id,
        before: Some(shown(before)),
        after: Some(shown(after)),
    };
    audit::record(conn, entry).await
}

/// If `order_id` is now refunded in full and paid the current period of a
/// subscription that gives access, that subscription ends at once (in the
/// caller's transaction `conn`): cancelled, its unpaid renewal cancelled,
/// its enrollments suspended through `billing.subscription_ended`
/// (reason `refunded`), audited. A partial refund, or the refund of an
/// earlier period, changes nothing. True when it ended one.
pub(crate) async fn end_if_refunded(
    state: &AppState,
    conn: &mut AnyConnection,
    order_id: &str,
    by: Reporter<'_>,
) -> Result<bool, sqlx::Error> {
    if !orders::by_id(conn, order_id).await?.is_some_and(|o| o.status() == OrderStatus::Refunded) {
        return Ok(false);
    }
    let Some(link) = links::link_of(conn, order_id).await? else { return Ok(false) };
    let Some(before) = rows::by_id(conn, &link.subscription_id).await? else { return Ok(false) };
    if !before.status().gives_access() || links::last_applied(conn, &before.id).await?.as_deref() != Some(order_id) {
        return Ok(false);
    }
    if !rows::end_now(conn, &before.id, db::now_ms()).await? {
        return Ok(false);
    }
    cancel_open_orders(conn, &before, None, "the subscription ended: its current period was refunded").await?;
    let ended = SubscriptionEnded {
        subscription_id: before.id.clone(),
        user_id: before.user_id.clone(),
        reason: "refunded".into(),
        order_id: None,
    };
    lyceum_platform::events::publish(state, conn, &ended).await?;
    let after = rows::by_id(conn, &before.id).await?.ok_or(sqlx::Error::RowNotFound)?;
    let shown = |s: &Subscription| json!({ "status": s.status, "cancel_at_period_end": s.cancels_at_period_end() });
    let entry = audit::Entry {
        actor_id: by.actor_id,
        action: "subscription.end_refunded",
        subject_kind: "subscription",
        subject_id: &before.id,
        before: Some(shown(&before)),
        after: Some(json!({ "status": after.status, "refunded_order_id": order_id })),
    };
    audit::record(conn, entry).await?;
    tracing::info!(subscription = %before.id, order = %order_id, "subscription ended: its period was refunded");
    Ok(true)
}

/// Cancels the subscription's unpaid orders (recorded in their history):
/// nothing is owed any more, or a new order replaces them.
pub(crate) async fn cancel_open_orders(
    conn: &mut AnyConnection,
    subscription: &Subscription,
    actor_id: Option<&str>,
    detail: &str,
) -> Result<(), sqlx::Error> {
    let source = if actor_id.is_some() { Source::Learner } else { Source::System };
    for order in links::orders(conn, &subscription.id, true).await? {
        let from = [OrderStatus::Pending, OrderStatus::Failed];
        if orders::transition(conn, &order.id, &from, OrderStatus::Cancelled).await? {
            orders::record(conn, &order.id, Some(order.status()), OrderStatus::Cancelled, source, actor_id, detail)
                .await?;
        }
    }
    Ok(())
}

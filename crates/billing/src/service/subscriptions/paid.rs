//! A paid order that pays a subscription starts or extends its period: the
//! second subscriber of `billing.order_paid` (beside the course fulfilment),
//! so the payment, its invoice and this consequence commit together through
//! the outbox. The order's subscription is found in `billing_subscription_orders`;
//! the event is unchanged.
//!
//! Applying it publishes `billing.subscription_period_paid` with the period
//! paid for, whose subscriber sends the receipt naming that period.
//!
//! Idempotent: the payment is applied once (`applied_at`, set by one
//! conditional UPDATE in the transaction that moves the period), and the
//! steps after it — keeping the gateway's payment method, restoring
//! suspended enrollments — may run again harmlessly.

use lyceum_platform::{
    AppState, db,
    events::{self, Delivery},
    jobs::{Job, JobError},
};

use crate::{
    events::{OrderPaid, SubscriptionPeriodPaid},
    gateway,
    model::subscriptions::{Interval, Subscription, add_intervals, next_boundary},
    repo::{orders, plans, subscription_enrollments as opened, subscription_orders as links, subscriptions as rows},
};

pub struct ApplyPayment;

impl Job for ApplyPayment {
    const KIND: &'static str = "billing.subscription_paid";
    /// A learner who paid must get their period: retry for hours, like the fulfilment.
    const MAX_ATTEMPTS: u32 = 12;
    type Payload = Delivery<OrderPaid>;

    async fn run(state: &AppState, delivery: Self::Payload) -> Result<(), JobError> {
        apply(state, &delivery.event, db::now_ms()).await
    }
}

/// Applies the paid order `event` to its subscription, if it pays one, at `now`.
pub async fn apply(state: &AppState, event: &OrderPaid, now: i64) -> Result<(), JobError> {
    let mut tx = state.db.begin().await?;
    forget_bought_courses(&mut tx, event).await?;
    let Some(link) = links::link_of(&mut tx, &event.order_id).await? else {
        tx.commit().await?;
        return Ok(());
    };
    let Some(subscription) = rows::by_id(&mut tx, &link.subscription_id).await? else {
        return Err(JobError::permanent("the order's subscription is gone"));
    };
    let plan = plans::by_id(&mut tx, &subscription.plan_id).await?;
    let interval = plan.as_ref().map(|p| p.interval()).unwrap_or(Interval::Month);
    let (start, end, anchor) = next_period(&subscription, interval, now);
    if links::claim_payment(&mut tx, &event.order_id, start, end).await? {
        rows::activate(&mut tx, &subscription.id, start, end, anchor).await?;
        let paid = SubscriptionPeriodPaid {
            subscription_id: subscription.id.clone(),
            order_id: event.order_id.clone(),
            user_id: subscription.user_id.clone(),
            plan_name: plan.map(|p| p.name).unwrap_or_default(),
            interval: interval.as_str().to_string(),
            period_start: start,
            period_end: end,
        };
        events::publish(state, &mut tx, &paid).await?;
        tracing::info!(subscription = %subscription.id, order = %event.order_id, end, "subscription period paid");
    }
    tx.commit().await?;
    if link.period_start.is_none() {
        keep_payment_method(state, &subscription, &event.order_id).await;
    }
    super::access::restore(state, &subscription.id).await
}

/// The period a payment buys: the one after the current period when the
/// subscription is running (active, or past due in its grace period: the
/// renewal pays for the time already given); otherwise a new run starting
/// now (the first payment, or a payment after a lapse or a cancellation —
/// no period is charged for time without access).
pub fn next_period(subscription: &Subscription, interval: Interval, now: i64) -> (i64, i64, i64) {
    let running = subscription.status().gives_access();
    match (running, subscription.current_period_end, subscription.anchor_at) {
        (true, Some(end), Some(anchor)) => (end, next_boundary(anchor, interval, end), anchor),
        _ => {
            let start = subscription.current_period_end.map_or(now, |end| end.max(now));
            (start, add_intervals(start, interval, 1), start)
        }
    }
}

/// A learner who buys an included course outright owns it: a later lapse of
/// their subscription must not suspend it.
async fn forget_bought_courses(conn: &mut sqlx::AnyConnection, event: &OrderPaid) -> Result<(), sqlx::Error> {
    if event.course_ids.is_empty() {
        return Ok(());
    }
    if let Some(subscription) = rows::of_user(conn, &event.user_id).await? {
        for course_id in &event.course_ids {
            opened::drop_enrollment(conn, &subscription.id, course_id).await?;
        }
    }
    Ok(())
}

/// Keeps the payment method the first payment saved (Stripe), for
/// off-session renewals. A gateway that cannot say leaves the renewals to
/// the learner; that is logged, not retried (the period is paid either way).
async fn keep_payment_method(state: &AppState, subscription: &Subscription, order_id: &str) {
    let saved = async {
        let mut conn = state.db.pool().acquire().await?;
        let Some(order) = orders::by_id(&mut conn, order_id).await? else { return Ok(None) };
        let Some(reference) = order.gateway_ref else { return Ok(None) };
        let gateway = gateway::by_id(state, &order.gateway)?;
        Ok::<_, crate::BillingError>(gateway.saved_method(&reference).await?)
    };
    match saved.await {
        Ok(Some(method)) => {
            let stored = async {
                let mut conn = state.db.autocommit().await?;
                rows::set_saved_method(&mut conn, &subscription.id, &method.customer_ref, &method.payment_method_ref)
                    .await
            };
            if let Err(e) = stored.await {
                tracing::warn!(error = %e, subscription = %subscription.id, "could not keep the payment method");
            }
        }
        Ok(None) => {}
        Err(e) => {
            tracing::warn!(error = %e, subscription = %subscription.id, "could not read the saved payment method")
        }
    }
}

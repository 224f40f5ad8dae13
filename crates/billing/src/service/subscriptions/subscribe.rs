//! Subscribing: an order for the plan's first period, at the plan's price
//! (never the form's), paid like any order through the chosen gateway. The
//! subscription is `pending` until that order is paid ([`super::paid`]).
//! A learner has one subscription row, kept across cancellations and lapses:
//! subscribing again reuses it (and cancels its unpaid orders).

use std::sync::Arc;

use lyceum_platform::{AppError, AppState, Text, auth::Viewer, db};
use sqlx::AnyConnection;

use crate::{
    BillingError,
    gateway::{self, Charge, Gateway, NextStep, Settlement},
    model::{
        Order, OrderStatus, Quote, Source,
        subscriptions::{Plan, Subscription},
    },
    repo::{orders, plans, subscription_orders as links, subscriptions as rows},
    service::settle::{self, Reporter},
};

/// A subscription just asked for: its first order, and what the learner does next to pay it.
#[derive(Debug, Clone)]
pub struct Subscribed {
    pub subscription: Subscription,
    pub order: Order,
    pub next: Option<NextStep>,
}

/// The viewer subscribes to `plan_id`, paying through `gateway`. 409 when
/// they are subscribed already (active or in the grace period); 422 for a
/// plan that takes no new subscribers, or a gateway not offered or that
/// cannot take renewals ([`gateways`]).
pub async fn subscribe(
    state: &AppState,
    viewer: &Viewer,
    plan_id: &str,
    gateway: &str,
) -> Result<Subscribed, BillingError> {
    let gateway = gateway::by_id(state, gateway)?;
    if !can_renew(gateway.as_ref()) {
        let message = Text::new("billing.errors.gateway_no_renewals").into();
        return Err(BillingError::Invalid { field: "gateway", message });
    }
    let mut tx = state.db.begin().await?;
    let plan = plans::by_id(&mut tx, plan_id).await?.ok_or_else(AppError::not_found)?;
    if !plan.is_active() {
        let message = Text::new("billing.errors.plan_inactive").into();
        return Err(BillingError::Invalid { field: "plan_id", message });
    }
    let subscription_id = match rows::of_user(&mut tx, &viewer.user_id).await? {
        Some(current) if current.status().gives_access() => {
            return Err(BillingError::SubscriptionState(
                "you are subscribed already: see your subscription at /subscription".into(),
            ));
        }
        Some(current) => {
            rows::restart(&mut tx, &current.id, &plan.id, gateway.id()).await?;
            super::cancel_open_orders(&mut tx, &current, Some(&viewer.user_id), "replaced by a new subscription order")
                .await?;
            current.id
        }
        None => {
            let id = db::new_id();
            rows::insert(&mut tx, &id, &viewer.user_id, &plan.id, gateway.id()).await?;
            id
        }
    };
    let by = Reporter::new(Source::Learner, Some(&viewer.user_id));
    let order = place_order(&mut tx, &subscription_id, &viewer.user_id, &plan, gateway.id(), None, by).await?;
    let subscription = rows::by_id(&mut tx, &subscription_id).await?.ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    let (order, next) = start_payment(state, order, &plan, &viewer.email, true).await?;
    Ok(Subscribed { subscription, order, next })
}

/// Whether renewals can be paid through `gateway`: the manual gateway (an
/// administrator confirms each), or one that charges a kept card. PayPal
/// would need its vaulting for that, which Lyceum does not use.
fn can_renew(gateway: &dyn Gateway) -> bool {
    gateway.id() == "manual" || gateway.renews_off_session()
}

/// The site's gateways a subscription may be paid through, in the configured order.
pub fn gateways(state: &AppState) -> Vec<Arc<dyn Gateway>> {
    gateway::offered(state).into_iter().filter(|g| can_renew(g.as_ref())).collect()
}

/// Places an order for one period of `plan` on `conn` (the caller's
/// transaction), linked to the subscription: its start (`period_start`
/// `None`) or the renewal of the period starting at `period_start`.
pub(crate) async fn place_order(
    conn: &mut AnyConnection,
    subscription_id: &str,
    user_id: &str,
    plan: &Plan,
    gateway: &str,
    period_start: Option<i64>,
    by: Reporter<'_>,
) -> Result<Order, BillingError> {
    let id = db::new_id();
    let quote = Quote::of(plan.price());
    let new =
        orders::NewOrder { id: &id, user_id, quote: &quote, country: None, vat_number: None, coupon_id: None, gateway };
    orders::insert(conn, &new).await?;
    links::insert_line(conn, &id, &plan.name, quote.subtotal_minor).await?;
    let detail = if period_start.is_some() { "renewal of the subscription" } else { "subscription" };
    orders::record(conn, &id, None, OrderStatus::Pending, by.source, by.actor_id, detail).await?;
    let kind = if period_start.is_some() { "renewal" } else { "start" };
    if !links::link_order(conn, &id, subscription_id, kind, period_start).await? {
        return Err(BillingError::SubscriptionState("this period's renewal has an order already".into()));
    }
    Ok(orders::by_id(conn, &id).await?.ok_or_else(AppError::not_found)?)
}

/// Asks the order's gateway to start the payment (keeping the payment
/// method for renewals when `saving`), and keeps its handle. A gateway that
/// cannot start it leaves the order failed.
pub(crate) async fn start_payment(
    state: &AppState,
    order: Order,
    plan: &Plan,
    email: &str,
    saving: bool,
) -> Result<(Order, Option<NextStep>), BillingError> {
    let gateway = gateway::by_id(state, &order.gateway)?;
    let base = state.settings.public_url.trim_end_matches('/');
    let charge = Charge {
        order_id: &order.id,
        amount: order.total(),
        description: &plan.name,
        email,
        return_url: format!("{base}/orders/{}/return", order.id),
        cancel_url: format!("{base}/orders/{}", order.id),
    };
    let started = if saving { gateway.start_saving(&charge).await } else { gateway.start(&charge).await };
    let started = match started {
        Ok(started) => started,
        Err(e) => {
            let mut tx = state.db.begin().await?;
            let failed = Settlement::Failed { reason: e.to_string() };
            settle::apply(state, &mut tx, &order, &failed, Reporter::new(Source::System, None)).await?;
            tx.commit().await?;
            return Err(e.into());
        }
    };
    if let Some(reference) = &started.reference {
        orders::set_gateway_ref(&mut *state.db.autocommit().await?, &order.id, gateway.id(), reference).await?;
    }
    let mut conn = state.db.pool().acquire().await?;
    let order = orders::by_id(&mut conn, &order.id).await?.ok_or_else(AppError::not_found)?;
    Ok((order, Some(started.next)))
}

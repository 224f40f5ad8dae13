//! The renewal job (`billing.renew_subscriptions`, every 15 minutes): Lyceum
//! owns the billing periods, so renewals work the same with every gateway.
//!
//! 1. **A period ended.** A subscription cancelled at its period's end is
//!    `cancelled` (its enrollments are suspended through
//!    `billing.subscription_ended`). Any other becomes `past_due`, with its
//!    renewal order placed at the plan's price in the same transaction;
//!    access continues through the grace period.
//! 2. **Payment attempts**, due at the period's end and then on days 1, 3
//!    and 7 after it: a kept payment method is charged off-session
//!    ([`crate::gateway::Gateway::charge_saved`]); otherwise the renewal
//!    order waits for the learner (or an administrator, for the manual
//!    gateway) and the attempt only looks whether it was paid. Each unpaid
//!    attempt is announced (`billing.renewal_failed`); after the last one the
//!    subscription lapses (`billing.subscription_ended`, access suspended).
//!
//! Every step is one conditional UPDATE naming the state it expects (the
//! period's end, the attempts so far), in the transaction of its order and
//! event, so running the job twice at the same `now` acts once. A charge is
//! made before its attempt is recorded, with the key `renewal:<order>:<attempt>`:
//! a run that dies in between charges that attempt again under the same key,
//! which the gateway answers once. `now` is a parameter, so tests move time.

use lyceum_accounts::service::identity;
use lyceum_platform::{
    AppError, AppState, db, events,
    ids::UserId,
    jobs::{Job, JobError},
};

use super::subscribe::{place_order, start_payment};
use crate::{
    BillingError,
    events::{RenewalFailed, SubscriptionEnded},
    gateway::{self, Charged, SavedCharge, Settlement},
    model::{
        Order, Source,
        subscriptions::{DAY_MS, RETRY_DAYS, Subscription, retry_at},
    },
    repo::{orders, plans, subscription_orders as links, subscriptions as rows},
    service::settle::{self, Reporter},
};

/// How many subscriptions one run looks at per step (the next run takes the rest).
const BATCH: i64 = 100;

pub struct Renew;

impl Job for Renew {
    const KIND: &'static str = "billing.renew_subscriptions";
    const MAX_ATTEMPTS: u32 = 1;
    type Payload = ();

    async fn run(state: &AppState, _: ()) -> Result<(), JobError> {
        let done = run_once(state, db::now_ms()).await?;
        if done != Renewed::default() {
            tracing::info!(?done, "subscription renewals");
        }
        Ok(())
    }
}

/// What one run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Renewed {
    /// Subscriptions cancelled at their period's end.
    pub ended: usize,
    /// Renewal orders placed.
    pub renewals: usize,
    /// Attempts that found the renewal paid (or charged it).
    pub paid: usize,
    /// Attempts that left it unpaid (a notice each).
    pub unpaid: usize,
    /// Subscriptions lapsed after the last attempt.
    pub lapsed: usize,
}

/// Renews what is due at `now`. One subscription's failure (a gateway down)
/// does not stop the others; it is tried again at the next run.
pub async fn run_once(state: &AppState, now: i64) -> Result<Renewed, JobError> {
    let mut done = Renewed::default();
    let ended = {
        let mut conn = state.db.pool().acquire().await?;
        rows::period_ended(&mut conn, now, BATCH).await?
    };
    for subscription in ended {
        match period_end(state, &subscription).await {
            Ok(PeriodEnd::Cancelled) => done.ended += 1,
            Ok(PeriodEnd::Renewal) => done.renewals += 1,
            Ok(PeriodEnd::Nothing) => {}
            Err(e) => tracing::warn!(error = %e, subscription = %subscription.id, "could not renew a subscription"),
        }
    }
    let due = {
        let mut conn = state.db.pool().acquire().await?;
        rows::attempts_due(&mut conn, now, BATCH).await?
    };
    for subscription in due {
        match attempt(state, &subscription, now).await {
            Ok(Attempt::Paid) => done.paid += 1,
            Ok(Attempt::Unpaid) => done.unpaid += 1,
            Ok(Attempt::Lapsed) => done.lapsed += 1,
            Ok(Attempt::Nothing) => {}
            Err(e) => tracing::warn!(error = %e, subscription = %subscription.id, "could not charge a renewal"),
        }
    }
    for (outcome, n) in [("paid", done.paid), ("unpaid", done.unpaid), ("lapsed", done.lapsed)] {
        metrics::counter!("lyceum_subscription_renewals_total", "outcome" => outcome).increment(n as u64);
    }
    Ok(done)
}

enum PeriodEnd {
    Cancelled,
    Renewal,
    Nothing,
}

/// The subscription's period is over: it ends (cancelled at its end) or is renewed.
async fn period_end(state: &AppState, subscription: &Subscription) -> Result<PeriodEnd, BillingError> {
    let Some(end) = subscription.current_period_end else { return Ok(PeriodEnd::Nothing) };
    let mut tx = state.db.begin().await?;
    if subscription.cancels_at_period_end() {
        if !rows::end_at_period(&mut tx, &subscription.id, end).await? {
            return Ok(PeriodEnd::Nothing);
        }
        let ended = SubscriptionEnded {
            subscription_id: subscription.id.clone(),
            user_id: subscription.user_id.clone(),
            reason: "cancelled".into(),
            order_id: None,
        };
        events::publish(state, &mut tx, &ended).await?;
        tx.commit().await?;
        return Ok(PeriodEnd::Cancelled);
    }
    let grace_ends_at = end + RETRY_DAYS[RETRY_DAYS.len() - 1] * DAY_MS;
    if !rows::start_dunning(&mut tx, &subscription.id, end, grace_ends_at).await? {
        return Ok(PeriodEnd::Nothing);
    }
    let plan = plans::by_id(&mut tx, &subscription.plan_id).await?.ok_or_else(AppError::not_found)?;
    let by = Reporter::new(Source::System, None);
    let user = &subscription.user_id;
    let order = place_order(&mut tx, &subscription.id, user, &plan, &subscription.gateway, Some(end), by).await?;
    tx.commit().await?;
    if subscription.saved_method().is_none() && subscription.gateway != "manual" {
        // No kept card (PayPal has no vaulting here): open the payment so the
        // learner can pay from the order's page.
        let email = identity::find(state, &UserId::from(user.as_str())).await?.map(|u| u.email).unwrap_or_default();
        if let Err(e) = start_payment(state, order, &plan, &email, false).await {
            tracing::warn!(error = %e, subscription = %subscription.id, "could not open the renewal's payment");
        }
    }
    Ok(PeriodEnd::Renewal)
}

enum Attempt {
    Paid,
    Unpaid,
    Lapsed,
    Nothing,
}

/// One payment attempt of a past-due subscription's renewal.
async fn attempt(state: &AppState, subscription: &Subscription, now: i64) -> Result<Attempt, BillingError> {
    let Some(end) = subscription.current_period_end else { return Ok(Attempt::Nothing) };
    let order = {
        let mut conn = state.db.pool().acquire().await?;
        let id = links::renewal_order(&mut conn, &subscription.id, end).await?;
        match id {
            Some(id) => orders::by_id(&mut conn, &id).await?,
            None => None,
        }
    };
    let Some(order) = order else { return Ok(Attempt::Nothing) };
    if order.status().is_paid() {
        // Paid meanwhile: its subscriber is applying the payment (counted when it was paid).
        return Ok(Attempt::Nothing);
    }
    let attempt = subscription.failed_attempts;
    let charged = match subscription.saved_method() {
        Some(method) if order.status().is_open() => Some(charge(state, subscription, &order, method, attempt).await),
        _ => None,
    };
    let mut tx = state.db.begin().await?;
    let current = orders::by_id(&mut tx, &order.id).await?.ok_or_else(AppError::not_found)?;
    if let Some(charged) = &charged {
        if let Some(reference) = &charged.reference {
            orders::set_gateway_ref(&mut tx, &order.id, &order.gateway, reference).await?;
        }
        settle::apply(state, &mut tx, &current, &charged.settlement, Reporter::new(Source::System, None)).await?;
    }
    if orders::by_id(&mut tx, &order.id).await?.is_some_and(|o| o.status().is_paid()) {
        tx.commit().await?;
        return Ok(Attempt::Paid);
    }
    // Each branch acts only if this attempt was not recorded by another run.
    let outcome = match retry_at(end, attempt + 1) {
        Some(next_retry_at) => {
            if !rows::attempt_failed(&mut tx, &subscription.id, attempt, next_retry_at).await? {
                return Ok(Attempt::Nothing);
            }
            let failed = RenewalFailed {
                subscription_id: subscription.id.clone(),
                user_id: subscription.user_id.clone(),
                order_id: order.id.clone(),
                failed_attempts: attempt + 1,
                next_retry_at,
            };
            events::publish(state, &mut tx, &failed).await?;
            Attempt::Unpaid
        }
        None => {
            if !rows::lapse(&mut tx, &subscription.id, attempt, now).await? {
                return Ok(Attempt::Nothing);
            }
            let ended = SubscriptionEnded {
                subscription_id: subscription.id.clone(),
                user_id: subscription.user_id.clone(),
                reason: "lapsed".into(),
                order_id: Some(order.id.clone()),
            };
            events::publish(state, &mut tx, &ended).await?;
            Attempt::Lapsed
        }
    };
    tx.commit().await?;
    Ok(outcome)
}

/// Charges the renewal to the kept payment method; a gateway error is a failed attempt.
async fn charge(
    state: &AppState,
    subscription: &Subscription,
    order: &Order,
    (customer_ref, payment_method_ref): (&str, &str),
    attempt: i32,
) -> Charged {
    let key = format!("renewal:{}:{attempt}", order.id);
    let description = format!("Subscription renewal {}", order.number());
    let saved = SavedCharge {
        order_id: &order.id,
        amount: order.total(),
        description: &description,
        customer_ref,
        payment_method_ref,
        key: &key,
    };
    let result = match gateway::by_id(state, &subscription.gateway) {
        Ok(gateway) => gateway.charge_saved(&saved).await,
        Err(e) => Err(e),
    };
    result.unwrap_or_else(|e| {
        tracing::warn!(error = %e, order = %order.id, "off-session charge failed");
        Charged { reference: None, settlement: Settlement::Failed { reason: e.to_string() } }
    })
}

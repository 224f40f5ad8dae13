//! What billing tells other modules, through the outbox in the same
//! transaction as the change.

use lyceum_platform::events::Event;
use serde::{Deserialize, Serialize};

/// An order became paid: its courses are to be opened to its learner
/// (`service::fulfil` does it, once, whatever announced the payment first).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OrderPaid {
    pub order_id: String,
    pub user_id: String,
    pub course_ids: Vec<String>,
    pub gateway: String,
    pub total_minor: i64,
    pub currency: String,
    /// The order pays a subscription's period: its receipt is sent once the
    /// period is known ([`SubscriptionPeriodPaid`]), not on this event.
    #[serde(default)]
    pub subscription: bool,
}

impl Event for OrderPaid {
    const NAME: &'static str = "billing.order_paid";
}

/// A subscription's renewal is still unpaid after a payment attempt (a
/// declined card, or a renewal order waiting for a bank transfer). Published
/// once per attempt (at the period's end, then on days 1 and 3); the learner
/// is told each time (`notifications.renewal_failed`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RenewalFailed {
    pub subscription_id: String,
    pub user_id: String,
    /// The renewal order to pay.
    pub order_id: String,
    /// Unpaid attempts so far (1, 2, 3).
    pub failed_attempts: i32,
    /// When the next attempt is made (epoch ms).
    pub next_retry_at: i64,
}

impl Event for RenewalFailed {
    const NAME: &'static str = "billing.renewal_failed";
}

/// A subscription stopped opening the included courses: it `lapsed` (its
/// renewal was never paid) or was `cancelled`. Its enrollments are suspended
/// (`billing.suspend_access`); a lapse is announced to the learner.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SubscriptionEnded {
    pub subscription_id: String,
    pub user_id: String,
    /// `lapsed` or `cancelled`.
    pub reason: String,
    /// The unpaid renewal order, whose payment restores access (lapses only).
    pub order_id: Option<String>,
}

impl Event for SubscriptionEnded {
    const NAME: &'static str = "billing.subscription_ended";
}

/// A subscription order's payment was applied: it pays `[period_start,
/// period_end)` of the plan. Published in the transaction that moves the
/// period; the buyer's receipt names that period (`notifications.subscription_receipt`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SubscriptionPeriodPaid {
    pub subscription_id: String,
    pub order_id: String,
    pub user_id: String,
    /// The plan's name when it was paid.
    pub plan_name: String,
    /// `month` or `year`.
    pub interval: String,
    pub period_start: i64,
    pub period_end: i64,
}

impl Event for SubscriptionPeriodPaid {
    const NAME: &'static str = "billing.subscription_period_paid";
}

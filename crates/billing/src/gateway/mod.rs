//! Payment gateways behind one interface (the seed's Strategy): the order
//! services never name Stripe or PayPal, they ask the order's [`Gateway`].
//!
//! A gateway only moves money and reports where a payment stands; what that
//! means for the order (paid → enrolled, refunded…) is decided in
//! `service::settle`, whichever way the news arrives: the browser's return,
//! a webhook, or the reconciliation job asking [`Gateway::settlement`].

pub mod manual;
pub mod paypal;
pub mod stripe;

use std::sync::Arc;

use async_trait::async_trait;
use axum::http::HeaderMap;
use lyceum_platform::{AppState, http::security::ExtraSources, money::Money};

use crate::settings::BillingSettings;

/// The gateways this code base knows, by the id stored on an order.
pub const KNOWN: &[&str] = &["manual", "stripe", "paypal"];

/// A payment to start: the order, its amount, and where the learner comes back.
#[derive(Debug, Clone)]
pub struct Charge<'a> {
    pub order_id: &'a str,
    pub amount: Money,
    /// Shown on the gateway's page and statement ("Lyceum — Rust for beginners").
    pub description: &'a str,
    pub email: &'a str,
    /// Absolute URL of the order's return page (`…/orders/{id}/return`).
    pub return_url: String,
    /// Absolute URL of the order's page, for "cancel and go back".
    pub cancel_url: String,
}

/// A started payment: the gateway's handle on it, and what the learner does next.
#[derive(Debug, Clone)]
pub struct Started {
    /// Stored as the order's `gateway_ref` (none for the manual gateway).
    pub reference: Option<String>,
    pub next: NextStep,
}

/// What the learner does next to pay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NextStep {
    /// Nothing online: the order waits for an administrator.
    Wait,
    /// Go to the gateway's own page (PayPal's approval link).
    Redirect { url: String },
    /// Enter a card on our order page with the gateway's script (Stripe Elements).
    CardForm {
        script_url: String,
        publishable_key: String,
        client_secret: String,
        /// What the page's Content-Security-Policy adds for the form: the
        /// script's origin, the frames it opens (3-D Secure), the API it calls.
        csp: ExtraSources,
    },
}

/// Where a payment stands, as the gateway sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Settlement {
    /// Not settled yet (waiting for the learner, 3-D Secure, an administrator).
    Pending,
    /// Money taken; `payment_ref` is what a refund names.
    Paid { payment_ref: String },
    /// Refused (declined card, denied capture); the learner may try again.
    Failed { reason: String },
    /// Abandoned or voided in the gateway.
    Cancelled,
}

/// A refund the gateway made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refunded {
    pub reference: String,
}

/// A verified webhook delivery, in the gateway's own words turned into ours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// The gateway's event id: the inbox key that makes a redelivery harmless.
    pub event_id: String,
    /// The event's type as the gateway names it (kept in the inbox).
    pub kind: String,
    /// The order's `gateway_ref` the event is about (`None`: not ours to act on).
    pub gateway_ref: Option<String>,
    pub news: News,
}

/// What a webhook tells us.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum News {
    Settled(Settlement),
    /// The gateway's total refunded on the payment (a dashboard refund shows up this way).
    RefundedTotal(Money),
    /// An event we do not act on (acknowledged, recorded).
    Ignored,
}

/// Why a gateway call failed.
#[derive(Debug, thiserror::Error)]
pub enum GatewayError {
    /// The gateway is not configured on this site (or not offered).
    #[error("the payment method {0} is not available")]
    Unavailable(String),
    /// The gateway refused the request (bad amount, unknown payment…): not worth retrying.
    #[error("the payment provider refused: {0}")]
    Refused(String),
    /// The gateway could not be reached or failed: worth retrying later.
    #[error("the payment provider could not be reached: {0}")]
    Unreachable(String),
    /// A webhook whose signature, timestamp or shape is wrong.
    #[error("webhook rejected: {0}")]
    BadWebhook(String),
}

/// One payment gateway.
#[async_trait]
pub trait Gateway: Send + Sync {
    /// The id stored on orders: one of [`KNOWN`].
    fn id(&self) -> &'static str;

    /// Starts paying `charge`.
    async fn start(&self, charge: &Charge<'_>) -> Result<Started, GatewayError>;

    /// What the learner does next for a payment started earlier (the order's
    /// page shown again); `None` when there is nothing left to do there.
    async fn resume(&self, gateway_ref: &str) -> Result<Option<NextStep>, GatewayError>;

    /// Asks the gateway where the payment `gateway_ref` stands, completing it
    /// when that is ours to do (a PayPal order the learner approved is
    /// captured here). Safe to call any number of times.
    async fn settlement(&self, gateway_ref: &str) -> Result<Settlement, GatewayError>;

    /// Gives back `amount` of the payment `payment_ref`. `key` makes a retry
    /// of the same refund harmless where the gateway supports it.
    async fn refund(&self, payment_ref: &str, amount: Money, key: &str) -> Result<Refunded, GatewayError>;

    /// Verifies a webhook delivery (signature over the raw body, timestamp)
    /// and reads it.
    async fn webhook(&self, headers: &HeaderMap, body: &[u8]) -> Result<Notice, GatewayError>;

    // Subscriptions (`service::subscriptions`). Lyceum owns the billing
    // periods; a gateway that can keep a payment method charges renewals
    // without the learner. Each has a default, so a gateway that cannot
    // (PayPal without vaulting) needs nothing and is not offered for
    // subscriptions; the manual gateway's renewal orders wait for an
    // administrator like any of its orders.

    /// Whether this gateway keeps a payment method and charges renewals
    /// off-session ([`Gateway::start_saving`], [`Gateway::saved_method`],
    /// [`Gateway::charge_saved`]): subscriptions are offered through such
    /// gateways and the manual one only. By default, no.
    fn renews_off_session(&self) -> bool {
        false
    }

    /// Starts paying the first period of a subscription, asking the gateway
    /// to keep the payment method for later renewals (Stripe: a customer and
    /// `setup_future_usage = off_session`). By default, an ordinary [`Gateway::start`].
    async fn start_saving(&self, charge: &Charge<'_>) -> Result<Started, GatewayError> {
        self.start(charge).await
    }

    /// The payment method kept by the payment `gateway_ref` (asked once its
    /// order is paid), for [`Gateway::charge_saved`]; `None` when the gateway keeps none.
    async fn saved_method(&self, _gateway_ref: &str) -> Result<Option<SavedMethod>, GatewayError> {
        Ok(None)
    }

    /// Charges a renewal to a kept payment method, off-session (no learner
    /// present). `charge.key` makes a repeat of the same attempt charge once.
    /// The default: this gateway keeps no payment method.
    async fn charge_saved(&self, _charge: &SavedCharge<'_>) -> Result<Charged, GatewayError> {
        Err(GatewayError::Unavailable(format!("{} (saved payment methods)", self.id())))
    }
}

/// A payment method a gateway keeps for off-session charges (Stripe: a
/// customer `cus_…` and a payment method `pm_…`), stored on the subscription.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedMethod {
    pub customer_ref: String,
    pub payment_method_ref: String,
}

/// A renewal to charge to a kept payment method.
#[derive(Debug, Clone)]
pub struct SavedCharge<'a> {
    pub order_id: &'a str,
    pub amount: Money,
    pub description: &'a str,
    pub customer_ref: &'a str,
    pub payment_method_ref: &'a str,
    /// The same for a repeat of one attempt (`renewal:<order id>:<attempt>`):
    /// the gateway's idempotency key where it has one.
    pub key: &'a str,
}

/// What an off-session charge did: the payment's handle (stored as the
/// order's `gateway_ref`, so reconciliation and webhooks find it, and the
/// learner can finish a payment that needs them) and where it stands
/// (`Failed` for a declined card or one that needs the learner, e.g. 3-D Secure).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Charged {
    pub reference: Option<String>,
    pub settlement: Settlement,
}

/// The gateways offered on this site, in the configured order.
pub fn offered(state: &AppState) -> Vec<Arc<dyn Gateway>> {
    let settings = state.settings.section::<BillingSettings>();
    settings.gateways.iter().filter_map(|id| build(state, &settings, id)).collect()
}

/// The gateway `id` if this site offers it.
pub fn by_id(state: &AppState, id: &str) -> Result<Arc<dyn Gateway>, GatewayError> {
    let settings = state.settings.section::<BillingSettings>();
    settings
        .gateways
        .iter()
        .any(|g| g == id)
        .then(|| build(state, &settings, id))
        .flatten()
        .ok_or_else(|| GatewayError::Unavailable(id.to_string()))
}

fn build(state: &AppState, settings: &BillingSettings, id: &str) -> Option<Arc<dyn Gateway>> {
    match id {
        "manual" => Some(Arc::new(manual::Manual)),
        "stripe" if !settings.stripe.secret_key.is_empty() => match stripe::Stripe::new(&settings.stripe) {
            Ok(gateway) => Some(Arc::new(gateway)),
            Err(e) => {
                tracing::error!(error = %e, "the Stripe gateway could not be set up");
                None
            }
        },
        "paypal" => Some(Arc::new(paypal::Paypal::from_settings(&settings.paypal, state.cache.clone())?)),
        _ => None,
    }
}

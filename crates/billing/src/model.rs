//! Orders as stored, their states, and the quote a checkout shows; plans and
//! subscriptions in [`subscriptions`].

pub mod subscriptions;

use lyceum_platform::money::{Currency, Money};
use serde::{Deserialize, Serialize};

/// Where an order stands. Every change is recorded in `billing_order_history`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// Placed, waiting for the payment.
    Pending,
    /// Paid: the learner is (or is being) enrolled.
    Paid,
    /// The payment was refused; the learner may try again.
    Failed,
    Refunded,
    PartiallyRefunded,
    /// Abandoned by the learner, or voided.
    Cancelled,
}

impl OrderStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Paid => "paid",
            Self::Failed => "failed",
            Self::Refunded => "refunded",
            Self::PartiallyRefunded => "partially_refunded",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Pending, Self::Paid, Self::Failed, Self::Refunded, Self::PartiallyRefunded, Self::Cancelled]
            .into_iter()
            .find(|status| status.as_str() == s)
    }

    /// Whether money was taken (and not all given back).
    pub fn is_paid(self) -> bool {
        matches!(self, Self::Paid | Self::PartiallyRefunded)
    }

    /// Whether the payment may still arrive (and the learner still pay).
    pub fn is_open(self) -> bool {
        matches!(self, Self::Pending | Self::Failed)
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Order {
    pub id: String,
    pub user_id: String,
    pub status: String,
    pub currency: String,
    pub subtotal_minor: i64,
    pub discount_minor: i64,
    pub tax_minor: i64,
    pub total_minor: i64,
    pub refunded_minor: i64,
    pub tax_rate_bp: i32,
    pub country: Option<String>,
    pub vat_number: Option<String>,
    pub coupon_id: Option<String>,
    pub gateway: String,
    pub gateway_ref: Option<String>,
    pub payment_ref: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub paid_at: Option<i64>,
}

impl Order {
    pub fn status(&self) -> OrderStatus {
        OrderStatus::parse(&self.status).unwrap_or(OrderStatus::Cancelled)
    }

    pub fn currency(&self) -> Currency {
        Currency::parse(&self.currency).unwrap_or(Currency::USD)
    }

    /// `minor` units of the order's currency (templates pass `&i64`).
    pub fn money(&self, minor: impl std::borrow::Borrow<i64>) -> Money {
        Money { minor: *minor.borrow(), currency: self.currency() }
    }

    pub fn total(&self) -> Money {
        self.money(self.total_minor)
    }

    /// What may still be refunded.
    pub fn refundable(&self) -> Money {
        self.money(self.total_minor - self.refunded_minor)
    }

    /// The short number a person quotes (bank transfer reference, support).
    pub fn number(&self) -> String {
        order_number(&self.id)
    }
}

/// An order's short, human-quotable number: the last 8 characters of its id, upper case.
pub fn order_number(id: &str) -> String {
    let tail = &id[id.len().saturating_sub(8)..];
    format!("L-{}", tail.to_ascii_uppercase())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OrderLine {
    pub id: String,
    pub order_id: String,
    pub kind: String,
    pub course_id: Option<String>,
    pub description: String,
    pub amount_minor: i64,
}

impl OrderLine {
    /// Whether the line buys a period of a subscription (not a course).
    pub fn is_subscription(&self) -> bool {
        matches!(self.kind.as_str(), "subscription")
    }
}

/// One recorded change of an order's state.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HistoryEntry {
    pub from_status: Option<String>,
    pub to_status: String,
    pub source: String,
    pub actor_id: Option<String>,
    pub detail: String,
    pub at: i64,
}

/// What caused a change of an order's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The learner (placing, cancelling, coming back from the gateway).
    Learner,
    /// An administrator (marking a manual order paid, refunding).
    Admin,
    /// A course's staff (refunding an order of their course).
    Staff,
    Webhook,
    /// The reconciliation job.
    Reconcile,
    /// Lyceum itself (a 100 % coupon completes the order).
    System,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Learner => "learner",
            Self::Admin => "admin",
            Self::Staff => "staff",
            Self::Webhook => "webhook",
            Self::Reconcile => "reconcile",
            Self::System => "system",
        }
    }
}

/// The price of a checkout, computed by Lyceum (never taken from the form).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    pub currency: Currency,
    pub subtotal_minor: i64,
    pub discount_minor: i64,
    pub tax_rate_bp: i32,
    pub tax_minor: i64,
    pub total_minor: i64,
}

impl Quote {
    /// A quote for `price` before discounts and tax.
    pub fn of(price: Money) -> Self {
        Quote {
            currency: price.currency,
            subtotal_minor: price.minor,
            discount_minor: 0,
            tax_rate_bp: 0,
            tax_minor: 0,
            total_minor: price.minor,
        }
    }

    /// `minor` units of the quote's currency (templates pass `&i64`).
    pub fn money(&self, minor: impl std::borrow::Borrow<i64>) -> Money {
        Money { minor: *minor.borrow(), currency: self.currency }
    }
}

/// What a coupon takes off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Discount {
    /// A whole percentage (1–100) of the subtotal.
    Percent(i32),
    /// A fixed amount, in its own currency only.
    Fixed(Money),
}

/// A coupon as stored (`billing_coupons`; its course list is read apart).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Coupon {
    pub id: String,
    /// Upper case.
    pub code: String,
    pub kind: String,
    pub percent: Option<i32>,
    pub amount_minor: Option<i64>,
    pub currency: Option<String>,
    /// 1: every course; 0: only those listed in `billing_coupon_courses`.
    pub all_courses: i32,
    pub valid_from: Option<i64>,
    pub valid_until: Option<i64>,
    pub max_redemptions: Option<i32>,
    pub redeemed_count: i32,
    pub max_per_learner: Option<i32>,
    pub active: i32,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Coupon {
    /// What the coupon takes off; `None` for a row the CHECK constraints would not let in.
    pub fn discount(&self) -> Option<Discount> {
        match (self.kind.as_str(), self.percent, self.amount_minor, self.currency.as_deref()) {
            ("percent", Some(p), _, _) => Some(Discount::Percent(p)),
            ("fixed", _, Some(minor), Some(c)) => {
                Currency::parse(c).ok().map(|currency| Discount::Fixed(Money { minor, currency }))
            }
            _ => None,
        }
    }

    pub fn is_active(&self) -> bool {
        self.active != 0
    }

    pub fn for_all_courses(&self) -> bool {
        self.all_courses != 0
    }
}

/// The tax charged to buyers in one country (`billing_tax_rates`).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TaxRate {
    /// ISO 3166-1 alpha-2, upper case.
    pub country: String,
    /// Basis points: 2000 is 20 %.
    pub rate_bp: i32,
    /// What the invoice calls it ("VAT", "GST"…); may be empty.
    pub label: String,
    pub updated_at: i64,
}

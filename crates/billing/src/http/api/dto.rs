//! What the API shows of orders and takes to place one.

use lyceum_platform::db::rfc3339;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    gateway::NextStep,
    model::{HistoryEntry, Order, OrderLine, OrderStatus, Quote},
    service::{checkout::Priced, query::OrderView},
};

#[derive(Serialize, Deserialize, ToSchema)]
pub struct PlaceOrderBody {
    pub course_id: String,
    /// One of the site's gateways (`GET /api/v1/payments/gateways`); not
    /// needed (and ignored) when nothing is left to pay.
    #[serde(default)]
    pub gateway: String,
    /// The buyer's country, two letters (ISO 3166-1), for tax.
    #[serde(default)]
    pub country: Option<String>,
    /// A business buyer's VAT number, printed on the invoice (recorded only:
    /// the tax is the buyer's country's rate either way).
    #[serde(default)]
    pub vat_number: Option<String>,
    /// A coupon code (any case); the discount is computed by the server.
    #[serde(default)]
    pub coupon: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema, Default)]
pub struct MarkPaidBody {
    /// What was received (shown in the order's history), e.g. "transfer of 3 December".
    #[serde(default)]
    pub note: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct RefundBody {
    /// In minor units of the order's currency; omitted: everything still refundable.
    #[serde(default)]
    pub amount_minor: Option<i64>,
    #[serde(default)]
    pub reason: String,
    /// Also end the learner's enrollment in the order's courses.
    #[serde(default)]
    pub remove_enrollment: bool,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QuoteParams {
    pub course_id: String,
    /// A coupon code (any case): 422 on `coupon` when it does not apply, saying why.
    pub coupon: Option<String>,
    /// The buyer's country, two letters (ISO 3166-1): its tax rate is added.
    pub country: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AdminOrderParams {
    /// Only orders in this state.
    pub status: Option<OrderStatus>,
    /// Page size, 1–100 (default 25); outside that range is a 422.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct GatewayDto {
    pub id: String,
}

#[derive(Serialize, ToSchema)]
pub struct GatewayList {
    pub items: Vec<GatewayDto>,
}

/// The price of a course for you, computed by the server: total =
/// subtotal − discount + tax, the tax on (subtotal − discount) at your
/// country's rate (prices are tax-exclusive).
#[derive(Serialize, ToSchema)]
pub struct QuoteDto {
    pub course_id: String,
    pub currency: String,
    pub subtotal_minor: i64,
    pub discount_minor: i64,
    /// Basis points: 2000 is 20 %.
    pub tax_rate_bp: i32,
    pub tax_minor: i64,
    pub total_minor: i64,
    /// The coupon applied (upper case), if any.
    pub coupon: Option<String>,
    /// The country whose rate applies, if it has one.
    pub tax_country: Option<String>,
    /// What the tax is called ("VAT"…), if any.
    pub tax_label: Option<String>,
}

impl QuoteDto {
    pub fn new(course_id: &str, q: &Quote) -> Self {
        Self {
            course_id: course_id.to_string(),
            currency: q.currency.as_str().to_string(),
            subtotal_minor: q.subtotal_minor,
            discount_minor: q.discount_minor,
            tax_rate_bp: q.tax_rate_bp,
            tax_minor: q.tax_minor,
            total_minor: q.total_minor,
            coupon: None,
            tax_country: None,
            tax_label: None,
        }
    }

    /// The quote of a priced checkout, naming its coupon and tax.
    pub fn of(p: &Priced) -> Self {
        Self {
            coupon: p.coupon.as_ref().map(|c| c.code.clone()),
            tax_country: p.tax.as_ref().map(|t| t.country.clone()),
            tax_label: p.tax.as_ref().map(|t| t.label.clone()),
            ..Self::new(&p.offer.id, &p.quote)
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct OrderDto {
    pub id: String,
    /// The short number to quote (bank transfer reference, support).
    pub number: String,
    pub user_id: String,
    pub status: OrderStatus,
    pub currency: String,
    pub subtotal_minor: i64,
    pub discount_minor: i64,
    pub tax_rate_bp: i32,
    pub tax_minor: i64,
    pub total_minor: i64,
    pub refunded_minor: i64,
    pub country: Option<String>,
    pub vat_number: Option<String>,
    /// The coupon used (`GET /api/v1/coupons/{id}` for administrators).
    pub coupon_id: Option<String>,
    /// `none` when nothing was left to pay (a 100 % coupon).
    pub gateway: String,
    pub created_at: String,
    pub updated_at: String,
    pub paid_at: Option<String>,
}

impl From<&Order> for OrderDto {
    fn from(o: &Order) -> Self {
        Self {
            id: o.id.clone(),
            number: o.number(),
            user_id: o.user_id.clone(),
            status: o.status(),
            currency: o.currency.clone(),
            subtotal_minor: o.subtotal_minor,
            discount_minor: o.discount_minor,
            tax_rate_bp: o.tax_rate_bp,
            tax_minor: o.tax_minor,
            total_minor: o.total_minor,
            refunded_minor: o.refunded_minor,
            country: o.country.clone(),
            vat_number: o.vat_number.clone(),
            coupon_id: o.coupon_id.clone(),
            gateway: o.gateway.clone(),
            created_at: rfc3339(o.created_at),
            updated_at: rfc3339(o.updated_at),
            paid_at: o.paid_at.map(rfc3339),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct OrderLineDto {
    pub kind: String,
    pub course_id: Option<String>,
    pub description: String,
    pub amount_minor: i64,
}

impl From<&OrderLine> for OrderLineDto {
    fn from(l: &OrderLine) -> Self {
        Self {
            kind: l.kind.clone(),
            course_id: l.course_id.clone(),
            description: l.description.clone(),
            amount_minor: l.amount_minor,
        }
    }
}

/// One change of the order's state.
#[derive(Serialize, ToSchema)]
pub struct HistoryDto {
    pub from_status: Option<String>,
    pub to_status: String,
    /// `learner`, `admin`, `webhook`, `reconcile` or `system`.
    pub source: String,
    pub detail: String,
    pub at: String,
}

impl From<&HistoryEntry> for HistoryDto {
    fn from(h: &HistoryEntry) -> Self {
        Self {
            from_status: h.from_status.clone(),
            to_status: h.to_status.clone(),
            source: h.source.clone(),
            detail: h.detail.clone(),
            at: rfc3339(h.at),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct OrderDetailDto {
    #[serde(flatten)]
    pub order: OrderDto,
    pub lines: Vec<OrderLineDto>,
    pub history: Vec<HistoryDto>,
}

impl From<&OrderView> for OrderDetailDto {
    fn from(v: &OrderView) -> Self {
        Self {
            order: (&v.order).into(),
            lines: v.lines.iter().map(Into::into).collect(),
            history: v.history.iter().map(Into::into).collect(),
        }
    }
}

/// What to do next to pay.
#[derive(Serialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NextStepDto {
    /// Nothing online: an administrator confirms the payment (the manual gateway).
    Wait { instructions: String },
    /// Open this URL (PayPal's approval page).
    Redirect { url: String },
    /// Confirm the card payment with Stripe.js using this client secret.
    CardForm { script_url: String, publishable_key: String, client_secret: String },
}

impl NextStepDto {
    pub fn new(next: &NextStep, instructions: &str) -> Self {
        match next {
            NextStep::Wait => Self::Wait { instructions: instructions.to_string() },
            NextStep::Redirect { url } => Self::Redirect { url: url.clone() },
            NextStep::CardForm { script_url, publishable_key, client_secret, .. } => Self::CardForm {
                script_url: script_url.clone(),
                publishable_key: publishable_key.clone(),
                client_secret: client_secret.clone(),
            },
        }
    }
}

/// An order just placed: where it stands, and what to do next (none when
/// nothing is left to pay, e.g. a 100 % coupon).
#[derive(Serialize, ToSchema)]
pub struct PlacedDto {
    pub order: OrderDto,
    pub next: Option<NextStepDto>,
    /// Where a browser shows the order and its progress.
    pub order_url: String,
}

#[derive(Serialize, ToSchema)]
pub struct OrderList {
    pub items: Vec<OrderDto>,
    pub next_cursor: Option<String>,
}

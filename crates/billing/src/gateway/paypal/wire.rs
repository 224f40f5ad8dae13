//! PayPal's objects as far as the gateway reads them (Orders v2, captures,
//! refunds; `checkout_orders_v2` and `payments_payment_v2` in PayPal's
//! published OpenAPI documents), and amounts in PayPal's decimal strings.

use lyceum_platform::money::{Currency, Money};
use serde::{Deserialize, Serialize};

/// An order (`GET /v2/checkout/orders/{id}`, and the answer of create and capture).
#[derive(Debug, Clone, Deserialize)]
pub(super) struct Order {
    pub id: String,
    pub status: String,
    #[serde(default)]
    pub links: Vec<Link>,
    #[serde(default)]
    pub purchase_units: Vec<PurchaseUnit>,
}

impl Order {
    /// Where the payer approves: `payer-action` (orders created with
    /// `payment_source.paypal.experience_context`) or the older `approve`.
    pub fn approval_link(&self) -> Option<&str> {
        self.links.iter().find(|l| l.rel == "payer-action" || l.rel == "approve").map(|l| l.href.as_str())
    }

    /// The order's capture (the last one: an order captures once with intent CAPTURE).
    pub fn capture(&self) -> Option<&Capture> {
        self.purchase_units.iter().filter_map(|u| u.payments.as_ref()).flat_map(|p| &p.captures).last()
    }
}

#[derive(Debug, Clone, Deserialize)]
pub(super) struct PurchaseUnit {
    #[serde(default)]
    pub payments: Option<Payments>,
}

#[derive(Debug, Clone, Deserialize)]
pub(super) struct Payments {
    #[serde(default)]
    pub captures: Vec<Capture>,
}

/// A captured payment (`payments_payment_v2` `capture-2`).
#[derive(Debug, Clone, Deserialize)]
pub(super) struct Capture {
    pub id: String,
    pub status: String,
    #[serde(default)]
    pub amount: Option<Amount>,
    #[serde(default)]
    pub supplementary_data: Option<Supplementary>,
    #[serde(default)]
    pub status_details: Option<StatusDetails>,
}

impl Capture {
    /// The PayPal order this capture belongs to.
    pub fn order_id(&self) -> Option<&str> {
        self.supplementary_data.as_ref()?.related_ids.as_ref()?.order_id.as_deref()
    }

    /// Why it is pending or declined, as PayPal says (`status_details.reason`).
    pub fn reason(&self) -> Option<&str> {
        self.status_details.as_ref()?.reason.as_deref()
    }
}

#[derive(Debug, Clone, Deserialize)]
pub(super) struct Supplementary {
    #[serde(default)]
    pub related_ids: Option<RelatedIds>,
}

#[derive(Debug, Clone, Deserialize)]
pub(super) struct RelatedIds {
    #[serde(default)]
    pub order_id: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub(super) struct StatusDetails {
    #[serde(default)]
    pub reason: Option<String>,
}

/// A refund (`payments_payment_v2` `refund`).
#[derive(Debug, Clone, Deserialize)]
pub(super) struct Refund {
    pub id: String,
    pub status: String,
    #[serde(default)]
    pub seller_payable_breakdown: Option<RefundBreakdown>,
    #[serde(default)]
    pub links: Vec<Link>,
}

impl Refund {
    /// The capture refunded: the id at the end of the `up` link.
    pub fn capture_id(&self) -> Option<&str> {
        let up = self.links.iter().find(|l| l.rel == "up")?;
        up.href.trim_end_matches('/').rsplit('/').next().filter(|id| !id.is_empty())
    }

    /// What has been refunded of the capture so far, this refund included.
    pub fn total_refunded(&self) -> Option<&Amount> {
        self.seller_payable_breakdown.as_ref()?.total_refunded_amount.as_ref()
    }
}

#[derive(Debug, Clone, Deserialize)]
pub(super) struct RefundBreakdown {
    #[serde(default)]
    pub total_refunded_amount: Option<Amount>,
}

#[derive(Debug, Clone, Deserialize)]
pub(super) struct Link {
    pub href: String,
    pub rel: String,
}

/// PayPal's money: a currency code and a decimal string in major units.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Amount {
    pub currency_code: String,
    pub value: String,
}

/// Currencies PayPal takes in whole units although ISO 4217 gives them cents.
const WHOLE_UNITS_ONLY: &[Currency] = &[Currency::HUF, Currency::TWD];

impl Amount {
    /// `money` as PayPal writes it (integer arithmetic only: `1999` USD →
    /// `"19.99"`, `1500` JPY → `"1500"`); `None` for a HUF or TWD amount with
    /// cents, which PayPal refuses.
    pub fn of(money: Money) -> Option<Self> {
        let value = if WHOLE_UNITS_ONLY.contains(&money.currency) {
            let scale = 10_i64.pow(money.currency.exponent());
            if money.minor % scale != 0 {
                return None;
            }
            (money.minor / scale).to_string()
        } else {
            money.decimal()
        };
        Some(Amount { currency_code: money.currency.as_str().to_string(), value })
    }

    /// Back to minor units; `None` for a currency or value we cannot read.
    pub fn money(&self) -> Option<Money> {
        let currency = Currency::parse(&self.currency_code).ok()?;
        Money::parse_major(&self.value, currency).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn money(minor: i64, currency: Currency) -> Money {
        Money { minor, currency }
    }

    #[test]
    fn amounts_are_paypal_decimal_strings_both_ways() {
        let cases = [
            (money(1999, Currency::USD), "19.99"),
            (money(5, Currency::EUR), "0.05"),
            (money(1500, Currency::JPY), "1500"),
            (money(250_000, Currency::HUF), "2500"),
        ];
        for (m, value) in cases {
            let amount = Amount::of(m).unwrap();
            assert_eq!(amount.value, value, "{m:?}");
            assert_eq!(amount.money(), Some(m), "{value}");
        }
        assert_eq!(Amount::of(money(250_050, Currency::HUF)), None, "PayPal takes whole forints");
        let odd = Amount { currency_code: "XXX".into(), value: "1.00".into() };
        assert_eq!(odd.money(), None);
    }

    #[test]
    fn a_refund_names_its_capture_in_its_up_link() {
        let refund: Refund = serde_json::from_value(serde_json::json!({
            "id": "R1", "status": "COMPLETED",
            "links": [{"href": "https://api-m.paypal.com/v2/payments/refunds/R1", "rel": "self"},
                      {"href": "https://api-m.paypal.com/v2/payments/captures/C9", "rel": "up"}],
            "seller_payable_breakdown": {"total_refunded_amount": {"currency_code": "EUR", "value": "4.00"}},
        }))
        .unwrap();
        assert_eq!(refund.capture_id(), Some("C9"));
        assert_eq!(refund.total_refunded().and_then(Amount::money), Some(money(400, Currency::EUR)));
    }
}

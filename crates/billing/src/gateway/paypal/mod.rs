//! PayPal through its Orders v2 API: an order with intent CAPTURE is created
//! at checkout, the learner approves it on PayPal's page, and Lyceum
//! captures it — whichever of the learner's return, the approval webhook or
//! the reconciliation job comes first, with `PayPal-Request-Id
//! capture-{order}` so that only one capture can ever happen. What settles
//! our order is the *capture's* status, not the order's: an order is
//! COMPLETED even when its capture was declined or is pending review.

mod client;
mod webhook;
mod wire;

use async_trait::async_trait;
use axum::http::HeaderMap;
use lyceum_platform::{cache::Cache, money::Money};
use serde_json::json;

use self::{
    client::{Api, ApiError},
    wire::{Amount, Capture, Order, Refund},
};
use super::{Charge, Gateway, GatewayError, NextStep, Notice, Refunded, Settlement, Started};
use crate::settings::PaypalSettings;

/// PayPal's limit on a purchase unit's description, in characters.
const DESCRIPTION_MAX: usize = 127;
/// PayPal's limit on `PayPal-Request-Id`.
const REQUEST_ID_MAX: usize = 108;

pub struct Paypal {
    api: Api,
    webhook_id: String,
}

impl Paypal {
    /// The gateway for `settings`; `None` while no client id is configured.
    pub fn from_settings(settings: &PaypalSettings, cache: Cache) -> Option<Self> {
        if settings.client_id.trim().is_empty() {
            return None;
        }
        Some(Self {
            api: Api::new(&settings.api_base, &settings.client_id, &settings.client_secret, cache),
            webhook_id: settings.webhook_id.clone(),
        })
    }

    async fn order(&self, id: &str) -> Result<Order, ApiError> {
        self.api.get(&format!("/v2/checkout/orders/{}", path_segment(id)?)).await
    }

    /// The order, or `None` once PayPal has forgotten it: an order nobody
    /// approved expires (after about three hours) and is then not found.
    /// Without this, every abandoned checkout would be asked about forever.
    async fn order_if_known(&self, id: &str) -> Result<Option<Order>, ApiError> {
        match self.order(id).await {
            Ok(order) => Ok(Some(order)),
            Err(e) if matches!(e.issue(), Some("RESOURCE_NOT_FOUND" | "INVALID_RESOURCE_ID")) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Captures an approved order. A capture that already happened (another
    /// replica, or an earlier call whose answer was lost) is read back instead.
    async fn capture(&self, id: &str) -> Result<Settlement, GatewayError> {
        let path = format!("/v2/checkout/orders/{}/capture", path_segment(id)?);
        let request_id = format!("capture-{id}");
        match self.api.post::<Order>(&path, &json!({}), Some(&request_id)).await {
            Ok(captured) => Ok(of_capture(captured.capture())),
            Err(e) if e.issue() == Some("ORDER_ALREADY_CAPTURED") => Ok(of_capture(self.order(id).await?.capture())),
            // The payer's funding source was refused: they may try again with another.
            Err(e) if e.issue() == Some("INSTRUMENT_DECLINED") => {
                Ok(Settlement::Failed { reason: "PayPal declined the payment method (INSTRUMENT_DECLINED)".into() })
            }
            Err(e) => Err(e.into()),
        }
    }
}

/// What the capture's status means for our order.
fn of_capture(capture: Option<&Capture>) -> Settlement {
    let Some(capture) = capture else {
        // A COMPLETED order always carries its capture; without one, ask again later.
        return Settlement::Pending;
    };
    match capture.status.as_str() {
        // Refunds later on do not undo the payment; they reach the order as refunds.
        "COMPLETED" | "PARTIALLY_REFUNDED" | "REFUNDED" => Settlement::Paid { payment_ref: capture.id.clone() },
        "DECLINED" | "FAILED" => {
            let why = capture.reason().unwrap_or("no reason given");
            Settlement::Failed { reason: format!("PayPal did not take the payment: {} ({why})", capture.status) }
        }
        _ => Settlement::Pending,
    }
}

/// An id from PayPal or a webhook, checked before it goes into a URL path.
fn path_segment(id: &str) -> Result<&str, ApiError> {
    if !id.is_empty() && id.len() <= 64 && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        Ok(id)
    } else {
        Err(ApiError::Refused { issue: None, message: format!("{id:?} is not a PayPal id") })
    }
}

/// PayPal keeps request ids up to 108 characters: a longer key is shortened
/// to a digest of itself, so the same key still makes the same id.
fn request_id(prefix: &str, key: &str) -> String {
    let id = format!("{prefix}{key}");
    if id.len() <= REQUEST_ID_MAX {
        return id;
    }
    use sha2::Digest;
    format!("{prefix}{}", hex::encode(sha2::Sha256::digest(key.as_bytes())))
}

#[async_trait]
impl Gateway for Paypal {
    fn id(&self) -> &'static str {
        "paypal"
    }

    async fn start(&self, charge: &Charge<'_>) -> Result<Started, GatewayError> {
        let amount = Amount::of(charge.amount).ok_or_else(|| {
            GatewayError::Refused(format!(
                "PayPal takes whole amounts of {}; this price has cents",
                charge.amount.currency
            ))
        })?;
        let description: String = charge.description.chars().take(DESCRIPTION_MAX).collect();
        let body = json!({
            "intent": "CAPTURE",
            "purchase_units": [{"custom_id": charge.order_id, "description": description, "amount": amount}],
            "payment_source": {"paypal": {
                "email_address": charge.email,
                "experience_context": {
                    "user_action": "PAY_NOW",
                    "shipping_preference": "NO_SHIPPING",
                    "return_url": charge.return_url,
                    "cancel_url": charge.cancel_url,
                },
            }},
        });
        let request_id = request_id("create-", charge.order_id);
        let order: Order = self.api.post("/v2/checkout/orders", &body, Some(&request_id)).await?;
        let url = order
            .approval_link()
            .ok_or_else(|| GatewayError::Unreachable("PayPal created the order without an approval link".into()))?;
        Ok(Started { reference: Some(order.id.clone()), next: NextStep::Redirect { url: url.to_string() } })
    }

    /// The approval page again while the learner has not approved yet.
    async fn resume(&self, gateway_ref: &str) -> Result<Option<NextStep>, GatewayError> {
        let Some(order) = self.order_if_known(gateway_ref).await? else { return Ok(None) };
        Ok(match order.status.as_str() {
            "CREATED" | "PAYER_ACTION_REQUIRED" => {
                order.approval_link().map(|url| NextStep::Redirect { url: url.to_string() })
            }
            _ => None,
        })
    }

    async fn settlement(&self, gateway_ref: &str) -> Result<Settlement, GatewayError> {
        let Some(order) = self.order_if_known(gateway_ref).await? else { return Ok(Settlement::Cancelled) };
        Ok(match order.status.as_str() {
            "APPROVED" => self.capture(gateway_ref).await?,
            "COMPLETED" => of_capture(order.capture()),
            "VOIDED" => Settlement::Cancelled,
            // CREATED, SAVED, PAYER_ACTION_REQUIRED: the learner has not approved yet.
            _ => Settlement::Pending,
        })
    }

    async fn refund(&self, payment_ref: &str, amount: Money, key: &str) -> Result<Refunded, GatewayError> {
        let value = Amount::of(amount)
            .ok_or_else(|| GatewayError::Refused(format!("PayPal refunds whole amounts of {}", amount.currency)))?;
        let path = format!("/v2/payments/captures/{}/refund", path_segment(payment_ref)?);
        let refund: Refund = self.api.post(&path, &json!({"amount": value}), Some(&request_id("refund-", key))).await?;
        match refund.status.as_str() {
            "COMPLETED" | "PENDING" => Ok(Refunded { reference: refund.id }),
            other => Err(GatewayError::Refused(format!("PayPal did not refund ({other})"))),
        }
    }

    async fn webhook(&self, headers: &HeaderMap, body: &[u8]) -> Result<Notice, GatewayError> {
        webhook::receive(self, headers, body).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn capture(status: &str) -> Capture {
        serde_json::from_value(json!({"id": "CAP1", "status": status, "status_details": {"reason": "PENDING_REVIEW"}}))
            .unwrap()
    }

    #[test]
    fn the_capture_decides_not_the_order() {
        assert_eq!(of_capture(Some(&capture("COMPLETED"))), Settlement::Paid { payment_ref: "CAP1".into() });
        assert_eq!(of_capture(Some(&capture("PARTIALLY_REFUNDED"))), Settlement::Paid { payment_ref: "CAP1".into() });
        assert_eq!(of_capture(Some(&capture("PENDING"))), Settlement::Pending);
        assert!(matches!(of_capture(Some(&capture("DECLINED"))), Settlement::Failed { .. }));
        assert!(matches!(of_capture(Some(&capture("FAILED"))), Settlement::Failed { .. }));
        assert_eq!(of_capture(None), Settlement::Pending);
    }

    #[test]
    fn request_ids_fit_paypal_and_stay_the_same_for_the_same_key() {
        assert_eq!(request_id("refund-", "u1:k1"), "refund-u1:k1");
        let long = "k".repeat(200);
        let id = request_id("refund-", &long);
        assert!(id.len() <= REQUEST_ID_MAX, "{id}");
        assert_eq!(id, request_id("refund-", &long));
        assert_ne!(id, request_id("refund-", &"j".repeat(200)));
    }

    #[test]
    fn ids_from_outside_cannot_change_the_path() {
        assert!(path_segment("5O190127TN364715T").is_ok());
        assert!(path_segment("../v1/oauth2/token").is_err());
        assert!(path_segment("").is_err());
    }
}

//! Stripe: a PaymentIntent per order, paid on our own order page with a
//! Stripe.js card Element (`confirmCardPayment`, which also runs 3-D Secure
//! when the card asks for it), so no card number reaches Lyceum; refunds;
//! signed webhooks. Whether an order is paid is always read from the
//! PaymentIntent (the return page, the reconciliation job) or a verified
//! webhook — never taken from the browser.
//!
//! Nothing here depends on what localstripe (the test server) lacks: no
//! Checkout Sessions, no Prices, no `charge.refunded` needed (reconciliation
//! and Lyceum's own refund cap cover them). localstripe refuses a
//! PaymentIntent's `description`, so the course's title travels in its
//! metadata (`metadata[description]`), which Stripe's dashboard shows too.
//!
//! Subscriptions: the first period is paid on the same card form, by an
//! intent made for a new customer with `setup_future_usage = off_session`,
//! so Stripe keeps the card on that customer; once paid, the intent's
//! customer and payment method are stored on the subscription, and each
//! renewal is an intent created and confirmed off-session on them. A
//! declined renewal (Stripe answers 402) is a failed charge: the renewal
//! job's dunning takes it from there.

mod amounts;
mod client;
mod webhook;

use async_trait::async_trait;
use axum::http::HeaderMap;
use lyceum_platform::{db, http::security::ExtraSources, money::Money};

use self::client::{Client, OffSession, PaymentIntent};
use super::{
    Charge, Charged, Gateway, GatewayError, NextStep, Notice, Refunded, SavedCharge, SavedMethod, Settlement, Started,
};
use crate::settings::StripeSettings;

pub struct Stripe {
    client: Client,
    settings: StripeSettings,
}

impl Stripe {
    /// The gateway for `settings` (whose secret key is set).
    pub fn new(settings: &StripeSettings) -> Result<Self, GatewayError> {
        Ok(Self { client: Client::new(&settings.api_base, settings.secret_key.expose())?, settings: settings.clone() })
    }

    /// A PaymentIntent for `charge`, confirmed on the card form; for
    /// `customer`, keeping the card for off-session charges.
    async fn start_intent(&self, charge: &Charge<'_>, customer: Option<&str>) -> Result<Started, GatewayError> {
        let mut params = intent_params(charge.order_id, charge.amount, charge.description);
        if let Some(customer) = customer {
            params.push(("customer", customer.to_string()));
            params.push(("setup_future_usage", "off_session".to_string()));
        }
        // One intent per order, even if this call is repeated.
        let key = format!("lyceum-order-{}", charge.order_id);
        let intent = self.client.create_intent(&params, &key).await?;
        let next = self.card_form(&intent)?;
        Ok(Started { reference: Some(intent.id), next })
    }

    /// The card form that confirms `intent` in the browser.
    fn card_form(&self, intent: &PaymentIntent) -> Result<NextStep, GatewayError> {
        let client_secret = intent
            .client_secret
            .clone()
            .ok_or_else(|| GatewayError::Unreachable(format!("Stripe gave no client secret for {}", intent.id)))?;
        let s = &self.settings;
        let mut csp = ExtraSources::default().script(&s.js_url).frame(&s.js_url).connect(&s.api_base);
        if !s.hooks_url.is_empty() {
            csp = csp.frame(&s.hooks_url);
        }
        Ok(NextStep::CardForm {
            script_url: s.js_url.clone(),
            publishable_key: s.publishable_key.clone(),
            client_secret,
            csp,
        })
    }
}

/// What every intent of an order says: the amount, card only, the order.
fn intent_params(order_id: &str, amount: Money, description: &str) -> Vec<(&'static str, String)> {
    vec![
        ("amount", amounts::to_stripe(amount).to_string()),
        ("currency", amount.currency.as_str().to_ascii_lowercase()),
        ("capture_method", "automatic".to_string()),
        ("payment_method_types[]", "card".to_string()),
        ("metadata[order_id]", order_id.to_string()),
        ("metadata[description]", description.to_string()),
    ]
}

/// The card `intent` kept for off-session charges: its customer and payment
/// method, once it is paid.
fn kept_by(intent: &PaymentIntent) -> Option<SavedMethod> {
    match (intent.status.as_str(), &intent.customer, &intent.payment_method) {
        ("succeeded", Some(customer), Some(method)) => {
            Some(SavedMethod { customer_ref: customer.clone(), payment_method_ref: method.clone() })
        }
        _ => None,
    }
}

/// The states in which the learner still has something to do on the card form:
/// enter a card (again, after a decline), or pass 3-D Secure.
fn awaits_learner(status: &str) -> bool {
    matches!(status, "requires_payment_method" | "requires_confirmation" | "requires_action")
}

/// Where `intent` stands, in Lyceum's words.
fn settlement_of(intent: &PaymentIntent) -> Settlement {
    match intent.status.as_str() {
        "succeeded" => Settlement::Paid { payment_ref: intent.id.clone() },
        "canceled" => Settlement::Cancelled,
        // A fresh intent also requires a payment method: only one whose last
        // attempt failed (declined, 3-D Secure failed) has failed.
        "requires_payment_method" => match &intent.last_payment_error {
            Some(error) => Settlement::Failed { reason: error.describe("the card payment failed") },
            None => Settlement::Pending,
        },
        _ => Settlement::Pending,
    }
}

#[async_trait]
impl Gateway for Stripe {
    fn id(&self) -> &'static str {
        "stripe"
    }

    async fn start(&self, charge: &Charge<'_>) -> Result<Started, GatewayError> {
        self.start_intent(charge, None).await
    }

    async fn resume(&self, gateway_ref: &str) -> Result<Option<NextStep>, GatewayError> {
        let intent = self.client.intent(gateway_ref).await?;
        if awaits_learner(&intent.status) { Ok(Some(self.card_form(&intent)?)) } else { Ok(None) }
    }

    async fn settlement(&self, gateway_ref: &str) -> Result<Settlement, GatewayError> {
        Ok(settlement_of(&self.client.intent(gateway_ref).await?))
    }

    /// Stripe honours `key` (a retry refunds once); localstripe ignores it,
    /// which is why Lyceum reserves the amount on the order before asking.
    async fn refund(&self, payment_ref: &str, amount: Money, key: &str) -> Result<Refunded, GatewayError> {
        let refund = self.client.refund(payment_ref, amounts::to_stripe(amount), key).await?;
        Ok(Refunded { reference: refund.id })
    }

    async fn webhook(&self, headers: &HeaderMap, body: &[u8]) -> Result<Notice, GatewayError> {
        let signature = headers.get("stripe-signature").and_then(|v| v.to_str().ok());
        let secret = self.settings.webhook_secret.expose();
        let now = db::now_ms() / 1000;
        webhook::verify(signature, body, secret, self.settings.webhook_tolerance_secs, now)?;
        webhook::read(body)
    }

    fn renews_off_session(&self) -> bool {
        true
    }

    /// A customer for the subscriber, and the first period's intent made for
    /// it with `setup_future_usage = off_session`: Stripe attaches the card
    /// to the customer once it is paid.
    async fn start_saving(&self, charge: &Charge<'_>) -> Result<Started, GatewayError> {
        let params = [
            ("email", charge.email.to_string()),
            ("metadata[order_id]", charge.order_id.to_string()),
            ("metadata[description]", charge.description.to_string()),
        ];
        let key = format!("lyceum-customer-{}", charge.order_id);
        let customer = self.client.create_customer(&params, &key).await?;
        self.start_intent(charge, Some(&customer.id)).await
    }

    async fn saved_method(&self, gateway_ref: &str) -> Result<Option<SavedMethod>, GatewayError> {
        Ok(kept_by(&self.client.intent(gateway_ref).await?))
    }

    /// An intent on the kept card, created and confirmed off-session. A
    /// decline (or a card that now asks for 3-D Secure, which nobody can
    /// pass off-session) is a failed charge, named by its intent so the
    /// learner can still pay it on the order's page.
    async fn charge_saved(&self, charge: &SavedCharge<'_>) -> Result<Charged, GatewayError> {
        let mut params = intent_params(charge.order_id, charge.amount, charge.description);
        params.extend([
            ("customer", charge.customer_ref.to_string()),
            ("payment_method", charge.payment_method_ref.to_string()),
            ("off_session", "true".to_string()),
            ("confirm", "true".to_string()),
        ]);
        let key = format!("lyceum-{}", charge.key);
        Ok(match self.client.charge_off_session(&params, &key).await? {
            OffSession::Intent(intent) => {
                let settlement = match settlement_of(&intent) {
                    // Nobody is there to pass 3-D Secure: the learner pays it on the order's page.
                    Settlement::Pending if intent.status == "requires_action" => {
                        Settlement::Failed { reason: "the bank asks the cardholder to confirm this payment".into() }
                    }
                    settlement => settlement,
                };
                Charged { reference: Some(intent.id), settlement }
            }
            OffSession::Declined { intent_id, reason } => {
                Charged { reference: intent_id, settlement: Settlement::Failed { reason } }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::{client::StripeError, *};

    fn intent(status: &str, error: Option<&str>) -> PaymentIntent {
        PaymentIntent {
            id: "pi_1".into(),
            status: status.into(),
            client_secret: Some("pi_1_secret_x".into()),
            last_payment_error: error.map(|m| StripeError { message: Some(m.into()), ..Default::default() }),
            customer: Some("cus_1".into()),
            payment_method: Some("pm_1".into()),
        }
    }

    #[test]
    fn only_a_paid_intent_keeps_its_card() {
        let kept = SavedMethod { customer_ref: "cus_1".into(), payment_method_ref: "pm_1".into() };
        assert_eq!(kept_by(&intent("succeeded", None)), Some(kept));
        assert_eq!(kept_by(&intent("requires_payment_method", None)), None);
        let without_customer = PaymentIntent { customer: None, ..intent("succeeded", None) };
        assert_eq!(kept_by(&without_customer), None, "an ordinary course payment keeps nothing");
    }

    #[test]
    fn an_intent_settles_as_its_status_says() {
        assert_eq!(settlement_of(&intent("succeeded", None)), Settlement::Paid { payment_ref: "pi_1".into() });
        assert_eq!(settlement_of(&intent("canceled", None)), Settlement::Cancelled);
        assert_eq!(
            settlement_of(&intent("requires_payment_method", Some("Your card was declined."))),
            Settlement::Failed { reason: "Your card was declined.".into() }
        );
        for waiting in ["requires_payment_method", "requires_confirmation", "requires_action", "processing"] {
            assert_eq!(settlement_of(&intent(waiting, None)), Settlement::Pending, "{waiting}");
        }
    }

    #[test]
    fn the_card_form_comes_back_while_the_learner_has_something_to_do() {
        for status in ["requires_payment_method", "requires_confirmation", "requires_action"] {
            assert!(awaits_learner(status), "{status}");
        }
        for status in ["processing", "succeeded", "canceled", "requires_capture"] {
            assert!(!awaits_learner(status), "{status}");
        }
    }
}

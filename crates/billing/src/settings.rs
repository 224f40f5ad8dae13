//! The `[billing]` settings table, read with `state.settings.section::<BillingSettings>()`.
//!
//! With nothing configured only the manual gateway is offered: the learner is
//! told how to pay (bank transfer, cash at the school…) and an administrator
//! marks the order paid. Stripe and PayPal are offered when listed in
//! `gateways` and their keys are set.

use lyceum_platform::config::{Secret, Section};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct BillingSettings {
    /// The gateways a learner may choose from, in the order shown:
    /// any of `manual`, `stripe`, `paypal`.
    pub gateways: Vec<String>,
    /// What the manual gateway tells the learner to do (markdown-free text).
    pub manual_instructions: String,
    /// Orders pending longer than this are asked about by the reconciliation job.
    pub reconcile_after_secs: u64,
    /// Who sells: printed on every invoice (copied at issue).
    pub seller: Seller,
    pub stripe: StripeSettings,
    pub paypal: PaypalSettings,
}

impl Default for BillingSettings {
    fn default() -> Self {
        Self {
            gateways: vec!["manual".into()],
            manual_instructions: "Pay by bank transfer or at the school's office, quoting your order number. \
                                  An administrator confirms the payment and you are enrolled at once."
                .into(),
            reconcile_after_secs: 300,
            seller: Seller::default(),
            stripe: StripeSettings::default(),
            paypal: PaypalSettings::default(),
        }
    }
}

impl Section for BillingSettings {
    const NAME: &'static str = "billing";
}

/// The seller's details on invoices.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct Seller {
    pub name: String,
    /// Postal address; lines separated by newlines.
    pub address: String,
    pub vat_number: String,
    pub email: String,
}

impl Default for Seller {
    fn default() -> Self {
        Self { name: "Lyceum".into(), address: String::new(), vat_number: String::new(), email: String::new() }
    }
}

/// Stripe's keys and addresses (`api_base` and `js_url` point at localstripe in tests).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct StripeSettings {
    pub api_base: String,
    /// `sk_…`: the gateway is offered only when it is set.
    pub secret_key: Secret,
    pub publishable_key: String,
    /// The `whsec_…` secret of the webhook endpoint `/api/v1/payments/webhooks/stripe`.
    pub webhook_secret: Secret,
    /// Stripe.js: the one script (and frame) origin the order page's CSP
    /// allows, beside `api_base`'s origin for its calls.
    pub js_url: String,
    /// Where Stripe.js opens 3-D Secure challenge frames: also allowed in the
    /// order page's `frame-src` (empty: nothing more).
    pub hooks_url: String,
    /// How old a webhook's signed timestamp may be.
    pub webhook_tolerance_secs: u64,
}

impl Default for StripeSettings {
    fn default() -> Self {
        Self {
            api_base: "https://api.stripe.com".into(),
            secret_key: Secret::default(),
            publishable_key: String::new(),
            webhook_secret: Secret::default(),
            js_url: "https://js.stripe.com/v3/".into(),
            hooks_url: "https://hooks.stripe.com".into(),
            webhook_tolerance_secs: 300,
        }
    }
}

/// PayPal's REST credentials (`api_base` points at the test server in tests).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct PaypalSettings {
    pub api_base: String,
    pub client_id: String,
    pub client_secret: String,
    /// The id PayPal gave the webhook `/api/v1/payments/webhooks/paypal`.
    pub webhook_id: String,
}

impl Default for PaypalSettings {
    fn default() -> Self {
        Self {
            api_base: "https://api-m.paypal.com".into(),
            client_id: String::new(),
            client_secret: String::new(),
            webhook_id: String::new(),
        }
    }
}

//! A small stateful PayPal REST test server, for Lyceum's tests only (no
//! PayPal sandbox is reachable from CI and no simulator exists on any
//! registry). It implements just what Lyceum's PayPal gateway uses, shaped
//! after PayPal's published OpenAPI documents (`paypal/paypal-rest-api-specifications`:
//! `checkout_orders_v2`, `payments_payment_v2`, `notifications_webhooks_v1`):
//!
//! - `POST /v1/oauth2/token` (client credentials; every other call needs its bearer token),
//! - Orders v2: create (intent CAPTURE), show, capture — `PayPal-Request-Id` honoured,
//! - the payer's approval page (`/checkoutnow?token=…`) a browser can click,
//! - captures: show, refund (never more than was captured),
//! - webhooks: CHECKOUT.ORDER.APPROVED, PAYMENT.CAPTURE.COMPLETED / DENIED /
//!   PENDING / REFUNDED sent to a registered listener with PayPal's
//!   transmission headers, retried while the listener fails, and
//!   `POST /v1/notifications/verify-webhook-signature`, which vouches only for
//!   transmissions this server sent.
//!
//! State is in memory; the server binds `127.0.0.1:0`:
//!
//! ```no_run
//! # async fn demo() {
//! let sim = lyceum_paypal_sim::PaypalSim::start().await;
//! println!("PayPal at {} as {}", sim.base_url(), sim.client_id());
//! # }
//! ```
//!
//! What it does not do: authorisations, vaulting, subscriptions, disputes,
//! real signatures (the checks are exact matches against what it sent),
//! token expiry (tokens live until [`PaypalSim::revoke_tokens`]).

mod api;
mod approve;
mod control;
mod json;
mod state;
mod webhooks;

pub use control::DeliveryView;
pub use state::{Attempt, CaptureOutcome, Options};

use serde_json::Value;
use state::{Shared, Sim};
use tokio::task::JoinHandle;

/// A running test server; it stops when dropped.
pub struct PaypalSim {
    base: String,
    shared: Shared,
    server: JoinHandle<()>,
}

impl PaypalSim {
    /// Starts a server with the default [`Options`].
    pub async fn start() -> Self {
        Self::start_with(Options::default()).await
    }

    pub async fn start_with(options: Options) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind the PayPal test server");
        let base = format!("http://{}", listener.local_addr().expect("its address"));
        let mut sim = Sim::new(options);
        sim.base = base.clone();
        let shared = Shared::new(sim);
        let app = api::routes().merge(approve::routes()).merge(control::routes()).with_state(shared.clone());
        let server = tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, app).await {
                eprintln!("the PayPal test server stopped: {e}");
            }
        });
        Self { base, shared, server }
    }

    /// `http://127.0.0.1:PORT`: the `api_base` to configure.
    pub fn base_url(&self) -> &str {
        &self.base
    }

    pub fn client_id(&self) -> String {
        self.shared.lock().client_id.clone()
    }

    pub fn client_secret(&self) -> String {
        self.shared.lock().client_secret.clone()
    }

    /// The id of the one webhook this server delivers to (the merchant's `webhook_id`).
    pub fn webhook_id(&self) -> String {
        self.shared.lock().webhook_id.clone()
    }

    /// How many times `POST /v1/oauth2/token` was called.
    pub fn token_requests(&self) -> u64 {
        self.shared.lock().token_requests
    }

    /// Makes every issued token invalid (the next call with one is answered 401).
    pub fn revoke_tokens(&self) {
        self.shared.lock().tokens.clear();
    }

    /// Delivers webhook events to `url` from now on.
    pub fn listen_at(&self, url: &str) {
        self.shared.lock().listener = Some(url.to_string());
    }

    /// While `on`, new events are recorded but never delivered (lost webhooks).
    pub fn drop_deliveries(&self, on: bool) {
        self.shared.lock().dropping = on;
    }

    /// What the next capture of PayPal order `order_id` does.
    pub fn set_capture_outcome(&self, order_id: &str, outcome: CaptureOutcome) {
        self.shared.lock().outcomes.insert(order_id.to_string(), outcome);
    }

    /// Voids PayPal order `order_id` (not captured yet).
    pub fn void_order(&self, order_id: &str) -> Result<(), String> {
        control::void_order(&self.shared, order_id)
    }

    /// Forgets PayPal order `order_id` (not captured yet), as PayPal does when
    /// nobody approves it in time: `GET` answers 404 from then on.
    pub fn expire_order(&self, order_id: &str) -> Result<(), String> {
        control::expire_order(&self.shared, order_id)
    }

    /// Completes a PENDING capture (PAYMENT.CAPTURE.COMPLETED follows).
    pub fn complete_capture(&self, capture_id: &str) -> Result<(), String> {
        control::complete_capture(&self.shared, capture_id)
    }

    /// A refund made in the merchant's dashboard, outside the API's caller
    /// (PAYMENT.CAPTURE.REFUNDED follows): `value` in the capture's
    /// currency ("3.00"), or all that is left. The refund's JSON.
    pub fn refund_in_dashboard(&self, capture_id: &str, value: Option<&str>) -> Result<Value, String> {
        control::refund_in_dashboard(&self.shared, capture_id, value)
    }

    /// The PayPal order `id` as `GET /v2/checkout/orders/{id}` shows it.
    pub fn order(&self, id: &str) -> Option<Value> {
        let sim = self.shared.lock();
        sim.orders.get(id).map(|o| json::order(&sim, o))
    }

    /// The capture of the order whose `custom_id` is `custom_id` (the merchant's own order id).
    pub fn capture_for(&self, custom_id: &str) -> Option<Value> {
        let sim = self.shared.lock();
        sim.capture_of_custom_id(custom_id).map(|c| json::capture(&sim, c))
    }

    /// The refunds of the capture of the order whose `custom_id` is `custom_id`, oldest first.
    pub fn refunds_for(&self, custom_id: &str) -> Vec<Value> {
        let sim = self.shared.lock();
        let Some(capture) = sim.capture_of_custom_id(custom_id) else { return Vec::new() };
        capture.refunds.iter().map(|r| json::refund(&sim, capture, r)).collect()
    }

    /// Every event so far and what became of its deliveries, oldest first.
    pub fn deliveries(&self) -> Vec<DeliveryView> {
        control::deliveries(&self.shared)
    }

    /// Sends event `event_id` again, now; the listener's answer (`None`: no such event).
    pub async fn resend(&self, event_id: &str) -> Option<Attempt> {
        control::resend(&self.shared, event_id).await
    }
}

impl Drop for PaypalSim {
    fn drop(&mut self) {
        self.server.abort();
    }
}

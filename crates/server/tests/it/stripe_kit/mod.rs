//! Helpers for the Stripe tests: an app whose Stripe gateway points at
//! localstripe (`LYCEUM_TEST_STRIPE_URL`, started by `.ci/run`), and what
//! the learner's browser (Stripe.js) and Stripe's own side do there.
//!
//! localstripe sends every event to every webhook registered with it, signed
//! with that webhook's secret. Each test's app therefore has a secret of its
//! own: deliveries about other tests' payments reach it too, and are
//! "unknown" to it (or refused, if its port once belonged to another app).
#![allow(dead_code)]

use std::time::Duration;

use hmac::{Hmac, Mac};
use lyceum_billing::settings::BillingSettings;
use lyceum_platform::{auth::Role, config::Secret};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::{
    billing_kit,
    common::{Backend, Reply, TestApp, TestClient, spawn_with},
};

/// localstripe's address, or `None` after reporting `test` skipped.
pub fn localstripe_url(test: &str) -> Option<String> {
    let url = std::env::var("LYCEUM_TEST_STRIPE_URL").ok().filter(|u| !u.is_empty());
    if url.is_none() {
        lyceum_platform::testing::skip(&format!("{test}: LYCEUM_TEST_STRIPE_URL (localstripe) is not set"));
    }
    url.map(|u| u.trim_end_matches('/').to_string())
}

/// An app offering the manual gateway and Stripe (at localstripe), with a
/// webhook secret of its own.
pub struct StripeApp {
    pub app: TestApp,
    pub stripe: Localstripe,
    pub webhook_secret: String,
}

pub async fn spawn(backend: Backend, localstripe: &str) -> StripeApp {
    spawn_tweaked(backend, localstripe, |_| {}).await
}

/// [`spawn`] with more billing settings changed.
pub async fn spawn_tweaked(backend: Backend, localstripe: &str, tweak: impl FnOnce(&mut BillingSettings)) -> StripeApp {
    let webhook_secret = format!("whsec_{}", uuid::Uuid::new_v4().simple());
    let secret = webhook_secret.clone();
    let base = localstripe.to_string();
    let app = spawn_with(backend, move |s| {
        let billing = s.section_mut::<BillingSettings>();
        billing.gateways = vec!["manual".into(), "stripe".into()];
        billing.stripe.api_base = base.clone();
        billing.stripe.secret_key = Secret::new("sk_test_lyceum");
        billing.stripe.publishable_key = "pk_test_lyceum".into();
        billing.stripe.webhook_secret = Secret::new(secret);
        billing.stripe.js_url = format!("{base}/js.stripe.com/v3/");
        // localstripe runs 3-D Secure in the page: no challenge frames.
        billing.stripe.hooks_url = String::new();
        tweak(billing);
    })
    .await;
    StripeApp { app, stripe: Localstripe::new(localstripe), webhook_secret }
}

/// A course on sale and the people around it.
pub struct Shop {
    pub course_id: String,
    pub slug: String,
    pub teacher: TestClient,
    pub learner: TestClient,
    pub learner_id: String,
}

/// A teacher's paid course (19.99 EUR) and a signed-in learner.
pub async fn shop(app: &TestApp) -> Shop {
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (course_id, slug) = billing_kit::paid_course(&teacher, "Rust by card", 1999, "EUR").await;
    let (learner, learner_id) = app.signed_in("learner@example.org", Role::Learner).await;
    Shop { course_id, slug, teacher, learner, learner_id }
}

/// A placed Stripe order: its id, its PaymentIntent and the client secret
/// the card form was given.
pub struct CardOrder {
    pub id: String,
    pub intent: String,
    pub client_secret: String,
}

/// Places an order for `course_id` through Stripe and reads the card form's data.
pub async fn place_card_order(learner: &TestClient, course_id: &str) -> CardOrder {
    let reply = billing_kit::place(learner, course_id, "stripe", json!({})).await;
    assert_eq!(reply.status, 201, "place a Stripe order: {}", reply.text);
    let body = reply.json();
    assert_eq!(body["next"]["kind"], "card_form", "{body}");
    let client_secret = body["next"]["client_secret"].as_str().expect("a client secret").to_string();
    let intent = client_secret.split("_secret_").next().unwrap().to_string();
    CardOrder { id: body["order"]["id"].as_str().unwrap().to_string(), intent, client_secret }
}

/// The order's status, read through the API as `client`.
pub async fn status(client: &TestClient, order_id: &str) -> String {
    billing_kit::order(client, order_id).await["status"].as_str().unwrap().to_string()
}

/// How many times the order's history records it becoming `to`.
pub async fn times_became(app: &TestApp, order_id: &str, to: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM billing_order_history WHERE order_id = $1 AND to_status = $2")
        .bind(order_id)
        .bind(to)
        .fetch_one(app.state().db.pool())
        .await
        .unwrap()
}

/// How many fulfilments (`billing.order_paid` → enroll) were ever queued in the app.
pub async fn fulfilments(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE kind = 'billing.fulfil'")
        .fetch_one(app.state().db.pool())
        .await
        .unwrap()
}

/// Whether the app's webhook inbox holds `event_id`.
pub async fn in_inbox(app: &TestApp, event_id: &str) -> bool {
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM billing_webhook_inbox WHERE gateway = 'stripe' AND event_id = $1")
            .bind(event_id)
            .fetch_one(app.state().db.pool())
            .await
            .unwrap();
    n > 0
}

/// `Stripe-Signature` for `body` at `timestamp`, signed with `secret` as Stripe does.
pub fn signature(secret: &str, timestamp: i64, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{timestamp}.{body}").as_bytes());
    format!("t={timestamp},v1={}", hex::encode(mac.finalize().into_bytes()))
}

/// POSTs `body` to the app's Stripe webhook with `signature`.
pub async fn deliver(app: &TestApp, body: &str, signature: &str) -> Reply {
    let client = app.client();
    let req = client
        .http
        .post(client.url("/api/v1/payments/webhooks/stripe"))
        .header("content-type", "application/json")
        .header("stripe-signature", signature)
        .body(body.to_string());
    client.raw(req).await
}

pub fn now_secs() -> i64 {
    jiff::Timestamp::now().as_second()
}

/// localstripe, spoken to as Stripe.js in the learner's browser and as
/// Stripe's own back office would.
pub struct Localstripe {
    pub url: String,
    http: reqwest::Client,
}

/// A card that asks for 3-D Secure (localstripe's list, as Stripe's test cards).
pub const CARD_3DS: &str = "4000002500003155";

impl Localstripe {
    pub fn new(url: &str) -> Self {
        let http = reqwest::Client::builder().timeout(Duration::from_secs(20)).build().unwrap();
        Self { url: url.to_string(), http }
    }

    async fn post(&self, path: &str, form: &[(&str, &str)]) -> (u16, Value) {
        let res = self
            .http
            .post(format!("{}{path}", self.url))
            .bearer_auth("sk_test_lyceum")
            .form(form)
            .send()
            .await
            .unwrap_or_else(|e| panic!("localstripe POST {path}: {e}"));
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    async fn get(&self, path: &str) -> Value {
        let res = self
            .http
            .get(format!("{}{path}", self.url))
            .bearer_auth("sk_test_lyceum")
            .send()
            .await
            .unwrap_or_else(|e| panic!("localstripe GET {path}: {e}"));
        assert!(res.status().is_success(), "localstripe GET {path}: {}", res.status());
        res.json().await.unwrap()
    }

    /// The PaymentIntent `id` as Stripe has it.
    pub async fn intent(&self, id: &str) -> Value {
        self.get(&format!("/v1/payment_intents/{id}")).await
    }

    /// A card payment method for `number`: its id.
    pub async fn card(&self, number: &str) -> String {
        let form = [
            ("type", "card"),
            ("card[number]", number),
            ("card[exp_month]", "12"),
            ("card[exp_year]", "2030"),
            ("card[cvc]", "123"),
        ];
        let (status, pm) = self.post("/v1/payment_methods", &form).await;
        assert_eq!(status, 200, "create a card: {pm}");
        pm["id"].as_str().unwrap().to_string()
    }

    /// What Stripe.js does when the learner submits the card form with
    /// `payment_method`: attaches it to the intent and confirms. Returns the
    /// intent's status afterwards (a declined card answers 402 and leaves it
    /// requiring a payment method).
    pub async fn pay(&self, intent: &str, payment_method: &str) -> String {
        let (status, pi) =
            self.post(&format!("/v1/payment_intents/{intent}"), &[("payment_method", payment_method)]).await;
        assert_eq!(status, 200, "attach {payment_method}: {pi}");
        let (status, answer) = self.post(&format!("/v1/payment_intents/{intent}/confirm"), &[]).await;
        assert!(status == 200 || status == 402, "confirm {intent}: {status} {answer}");
        self.intent(intent).await["status"].as_str().unwrap().to_string()
    }

    /// Attaches the payment method `pm` to `customer`, as the customer's
    /// bank-card update in Stripe's dashboard would.
    pub async fn attach(&self, pm: &str, customer: &str) {
        let (status, body) = self.post(&format!("/v1/payment_methods/{pm}/attach"), &[("customer", customer)]).await;
        assert_eq!(status, 200, "attach {pm} to {customer}: {body}");
    }

    /// The card payment methods Stripe keeps for `customer`: their ids.
    pub async fn cards_of(&self, customer: &str) -> Vec<String> {
        let page = self.get(&format!("/v1/payment_methods?customer={customer}&type=card")).await;
        page["data"].as_array().into_iter().flatten().filter_map(|pm| pm["id"].as_str().map(str::to_string)).collect()
    }

    /// The learner passes (or fails) 3-D Secure, as Stripe.js's challenge does.
    pub async fn authenticate(&self, intent: &str, client_secret: &str, success: bool) -> String {
        let path = format!("/v1/payment_intents/{intent}/_authenticate?success={success}");
        let (status, pi) = self.post(&path, &[("client_secret", client_secret)]).await;
        assert_eq!(status, 200, "3-D Secure on {intent}: {pi}");
        pi["status"].as_str().unwrap().to_string()
    }

    /// The refunds Stripe made on the PaymentIntent `intent`.
    pub async fn refunds(&self, intent: &str) -> Vec<Value> {
        self.get(&format!("/v1/refunds?payment_intent={intent}&limit=100")).await["data"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// The event of `kind` about the object `object_id` (localstripe keeps every event, oldest first).
    pub async fn event(&self, kind: &str, object_id: &str) -> Value {
        let mut after: Option<String> = None;
        loop {
            let mut path = format!("/v1/events?type={kind}&limit=100");
            if let Some(a) = &after {
                path.push_str(&format!("&starting_after={a}"));
            }
            let page = self.get(&path).await;
            let events = page["data"].as_array().cloned().unwrap_or_default();
            if let Some(e) = events.iter().find(|e| e["data"]["object"]["id"] == object_id) {
                return e.clone();
            }
            match (page["has_more"].as_bool(), events.last()) {
                (Some(true), Some(last)) => after = last["id"].as_str().map(str::to_string),
                _ => panic!("localstripe has no {kind} event about {object_id}"),
            }
        }
    }

    /// Registers `url` as a webhook endpoint signed with `secret`, under a unique id (returned).
    pub async fn register_webhook(&self, url: &str, secret: &str) -> String {
        let id = format!("lyceum-{}", uuid::Uuid::new_v4().simple());
        let (status, body) = self.post(&format!("/_config/webhooks/{id}"), &[("url", url), ("secret", secret)]).await;
        assert_eq!(status, 200, "register a webhook: {body}");
        id
    }

    /// localstripe cannot delete a webhook: points it at a closed address
    /// instead, so later tests' events are not sent to a port another app may have.
    pub async fn retire_webhook(&self, id: &str) {
        let (status, body) = self
            .post(&format!("/_config/webhooks/{id}"), &[("url", "http://127.0.0.1:9/"), ("secret", "retired")])
            .await;
        assert_eq!(status, 200, "retire the webhook {id}: {body}");
    }
}

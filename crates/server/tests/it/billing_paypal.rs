//! Paying for a course through PayPal, end to end against the PayPal test
//! server (`lyceum-paypal-sim`, one per test): the learner's return settles
//! the order and enrolls once however often it is repeated; a closed
//! browser is paid by the webhooks; a lost webhook by the reconciliation
//! job; an order never approved ends cancelled; a denied capture fails the
//! order and the learner pays again; a capture held for review pays when
//! PayPal completes it; refunds made in Lyceum and in PayPal's dashboard
//! both land on the order; a forged delivery is refused and a redelivered
//! one acted on once; the OAuth2 token is fetched once and again only after
//! a 401. Both backends.

use lyceum_billing::{service::reconcile, settings::BillingSettings};
use lyceum_paypal_sim::{CaptureOutcome, PaypalSim};
use lyceum_platform::{auth::Role, db};
use serde_json::{Value, json};

use crate::{
    billing_kit,
    common::{Backend, TestApp, TestClient, poll_until, spawn_with},
};

on_both_backends!(
    the_return_from_paypal_pays_and_enrolls_once,
    a_closed_browser_is_paid_by_the_webhooks,
    a_lost_webhook_and_no_return_are_settled_by_reconciliation,
    an_order_never_approved_is_cancelled_once_paypal_forgets_it,
    a_denied_capture_fails_the_order_and_the_learner_pays_again,
    a_capture_held_for_review_is_paid_when_paypal_completes_it,
    refunds_in_lyceum_and_in_paypal_land_on_the_order,
    webhooks_are_verified_acted_on_once_and_share_one_token,
);

const WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// A site selling one course (19.99 EUR) through the manual gateway and
/// PayPal (the test server); also the browser test's (`browser_paypal`).
pub(crate) struct Shop {
    pub app: TestApp,
    pub sim: PaypalSim,
    pub teacher: TestClient,
    pub learner: TestClient,
    pub learner_id: String,
    pub course: String,
    pub slug: String,
}

pub(crate) async fn shop(backend: Backend) -> Shop {
    let sim = PaypalSim::start().await;
    let app = spawn_with(backend, |s| {
        let billing = s.section_mut::<BillingSettings>();
        billing.gateways = vec!["manual".into(), "paypal".into()];
        billing.paypal.api_base = sim.base_url().to_string();
        billing.paypal.client_id = sim.client_id();
        billing.paypal.client_secret = sim.client_secret();
        billing.paypal.webhook_id = sim.webhook_id();
    })
    .await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (learner, learner_id) = app.signed_in("learner@example.org", Role::Learner).await;
    let (course, slug) = billing_kit::paid_course(&teacher, "Rust for beginners", 1999, "EUR").await;
    Shop { app, sim, teacher, learner, learner_id, course, slug }
}

impl Shop {
    /// PayPal's webhook deliveries go to the site from now on.
    fn webhooks_on(&self) {
        self.sim.listen_at(&format!("{}/api/v1/payments/webhooks/paypal", self.app.url));
    }

    /// Places a PayPal order: (order id, the approval URL the learner is sent to).
    async fn place(&self) -> (String, String) {
        let reply = billing_kit::place(&self.learner, &self.course, "paypal", json!({})).await;
        assert_eq!(reply.status, 201, "{}", reply.text);
        let body = reply.json();
        assert_eq!(body["next"]["kind"], "redirect", "{body}");
        let url = body["next"]["url"].as_str().unwrap().to_string();
        assert!(url.starts_with(&format!("{}/checkoutnow?token=", self.sim.base_url())), "{url}");
        (body["order"]["id"].as_str().unwrap().to_string(), url)
    }

    pub async fn status(&self, order: &str) -> String {
        billing_kit::order(&self.learner, order).await["status"].as_str().unwrap().to_string()
    }

    /// How many enrollment rows the learner has in the course (paid once → one).
    pub async fn enrollments(&self) -> i64 {
        self.app.drain_jobs().await;
        sqlx::query_scalar("SELECT COUNT(*) FROM enrollments WHERE course_id = $1 AND user_id = $2")
            .bind(&self.course)
            .bind(&self.learner_id)
            .fetch_one(self.app.state().db.pool())
            .await
            .unwrap()
    }
}

/// The PayPal order id in an approval URL (`…/checkoutnow?token=ID`).
fn paypal_order(approval_url: &str) -> String {
    let url = url::Url::parse(approval_url).unwrap();
    url.query_pairs().find(|(k, _)| k == "token").map(|(_, v)| v.into_owned()).expect("a token")
}

/// What the learner's browser does on PayPal's page: opens it and clicks
/// "Pay now". The URL PayPal sends the browser back to.
async fn approve(approval_url: &str) -> String {
    let browser = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let page = browser.get(approval_url).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("Pay now"));
    let base = approval_url.split("/checkoutnow").next().unwrap();
    let token = paypal_order(approval_url);
    let clicked = browser.post(format!("{base}/checkoutnow/approve")).form(&[("token", &token)]).send().await.unwrap();
    assert_eq!(clicked.status(), 303);
    clicked.headers()["location"].to_str().unwrap().to_string()
}

/// The history's sources, oldest first.
fn sources(order: &Value) -> Vec<String> {
    order["history"].as_array().unwrap().iter().map(|h| h["source"].as_str().unwrap().to_string()).collect()
}

async fn the_return_from_paypal_pays_and_enrolls_once(backend: Backend) {
    let shop = shop(backend).await;
    let (id, approval) = shop.place().await;
    // The order's page sends the learner to PayPal again until they approve.
    let page = shop.learner.get(&format!("/orders/{id}")).await;
    assert!(page.text.contains(&format!("href=\"{approval}\"")), "{}", page.text);

    let back = approve(&approval).await;
    let return_path = format!("/orders/{id}/return");
    assert!(back.starts_with(&format!("{}{return_path}?token=", shop.app.url)), "{back}");
    let path = back.strip_prefix(&shop.app.url).unwrap();
    let returned = shop.learner.get(path).await;
    assert_eq!(returned.status, 303, "{}", returned.text);
    assert_eq!(returned.header("location"), format!("/orders/{id}"));
    assert_eq!(shop.status(&id).await, "paid");
    assert_eq!(shop.enrollments().await, 1);
    let capture = shop.sim.capture_for(&id).expect("a capture in PayPal");
    assert_eq!((capture["status"].as_str(), capture["amount"]["value"].as_str()), (Some("COMPLETED"), Some("19.99")));

    // A repeated (bookmarked) return asks PayPal again and changes nothing.
    let before = billing_kit::order(&shop.learner, &id).await;
    assert_eq!(shop.learner.get(path).await.status, 303);
    assert_eq!(billing_kit::order(&shop.learner, &id).await, before);
    assert_eq!(shop.enrollments().await, 1);
    assert_eq!(sources(&before), ["learner", "learner"], "placed, then paid on the return");
    assert_eq!(shop.sim.token_requests(), 1, "one token for every call");
    shop.app.stop().await;
}

async fn a_closed_browser_is_paid_by_the_webhooks(backend: Backend) {
    let shop = shop(backend).await;
    shop.webhooks_on();
    let (id, approval) = shop.place().await;
    approve(&approval).await; // … and the browser is closed: no return.
    poll_until(WAIT, "the webhooks pay the order", async || shop.status(&id).await == "paid").await;
    assert_eq!(shop.enrollments().await, 1);
    let order = billing_kit::order(&shop.learner, &id).await;
    assert_eq!(sources(&order).last().map(String::as_str), Some("webhook"));
    // The approval captured; the capture's own event then finds the order paid.
    poll_until(WAIT, "both events are delivered", async || {
        let delivered = shop.sim.deliveries().iter().filter(|d| d.fate == "Delivered").count();
        delivered == 2
    })
    .await;
    let kinds: Vec<String> = shop.sim.deliveries().iter().map(|d| d.event_type.clone()).collect();
    assert_eq!(kinds, ["CHECKOUT.ORDER.APPROVED", "PAYMENT.CAPTURE.COMPLETED"]);
    assert_eq!(shop.enrollments().await, 1);
    shop.app.stop().await;
}

async fn a_lost_webhook_and_no_return_are_settled_by_reconciliation(backend: Backend) {
    let shop = shop(backend).await;
    shop.webhooks_on();
    shop.sim.drop_deliveries(true);
    let (id, approval) = shop.place().await;
    approve(&approval).await;
    assert_eq!(shop.sim.deliveries()[0].fate, "Dropped");
    assert_eq!(shop.status(&id).await, "pending");

    let state = shop.app.state();
    assert_eq!(reconcile::run_once(state, db::now_ms()).await.unwrap(), 0, "not stale yet");
    let later = db::now_ms() + 10 * 60 * 1000;
    assert_eq!(reconcile::run_once(state, later).await.unwrap(), 1);
    assert_eq!(shop.status(&id).await, "paid");
    assert_eq!(shop.enrollments().await, 1);
    let order = billing_kit::order(&shop.learner, &id).await;
    assert_eq!(sources(&order).last().map(String::as_str), Some("reconcile"));
    assert_eq!(reconcile::run_once(state, later).await.unwrap(), 0, "nothing left to settle");
    shop.app.stop().await;
}

async fn an_order_never_approved_is_cancelled_once_paypal_forgets_it(backend: Backend) {
    let shop = shop(backend).await;
    let (id, approval) = shop.place().await;
    let state = shop.app.state();
    let later = db::now_ms() + 10 * 60 * 1000;
    assert_eq!(reconcile::run_once(state, later).await.unwrap(), 0, "still waiting for the learner");
    assert_eq!(shop.status(&id).await, "pending");
    shop.sim.expire_order(&paypal_order(&approval)).unwrap();
    assert_eq!(reconcile::run_once(state, later).await.unwrap(), 0, "asked once per delay");
    let next_check = later + 10 * 60 * 1000;
    assert_eq!(reconcile::run_once(state, next_check).await.unwrap(), 1);
    assert_eq!(shop.status(&id).await, "cancelled");
    let page = shop.learner.get(&format!("/orders/{id}")).await;
    assert_eq!(page.status, 200);
    assert!(!page.text.contains("pay-redirect"), "nothing left to approve");
    shop.app.stop().await;
}

async fn a_denied_capture_fails_the_order_and_the_learner_pays_again(backend: Backend) {
    let shop = shop(backend).await;
    shop.webhooks_on();
    let (id, approval) = shop.place().await;
    shop.sim.set_capture_outcome(&paypal_order(&approval), CaptureOutcome::Declined);
    let back = approve(&approval).await;
    poll_until(WAIT, "the approval's capture fails the order", async || shop.status(&id).await == "failed").await;
    poll_until(WAIT, "PAYMENT.CAPTURE.DENIED is delivered", async || {
        let denied = shop.sim.deliveries().into_iter().find(|d| d.event_type == "PAYMENT.CAPTURE.DENIED");
        denied.is_some_and(|d| d.fate == "Delivered")
    })
    .await;
    // The learner's return (after the webhook) finds it failed too.
    let returned = shop.learner.get(back.strip_prefix(&shop.app.url).unwrap()).await;
    assert_eq!(returned.status, 303);
    assert_eq!(shop.status(&id).await, "failed");
    assert_eq!(shop.enrollments().await, 0);
    let order = billing_kit::order(&shop.learner, &id).await;
    let last = order["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["source"], "webhook");
    assert!(last["detail"].as_str().unwrap().contains("DECLINED"), "{last}");

    // The learner tries again: a new order, a new PayPal order, paid.
    let (again, approval) = shop.place().await;
    assert_ne!(again, id);
    assert_eq!(shop.status(&id).await, "cancelled", "the failed order is replaced");
    let back = approve(&approval).await;
    assert_eq!(shop.learner.get(back.strip_prefix(&shop.app.url).unwrap()).await.status, 303);
    assert_eq!(shop.status(&again).await, "paid");
    assert_eq!(shop.enrollments().await, 1);
    shop.app.stop().await;
}

async fn a_capture_held_for_review_is_paid_when_paypal_completes_it(backend: Backend) {
    let shop = shop(backend).await;
    let (id, approval) = shop.place().await;
    shop.sim.set_capture_outcome(&paypal_order(&approval), CaptureOutcome::Pending);
    let back = approve(&approval).await;
    assert_eq!(shop.learner.get(back.strip_prefix(&shop.app.url).unwrap()).await.status, 303);
    assert_eq!(shop.status(&id).await, "pending", "captured, but held for review");
    assert_eq!(shop.enrollments().await, 0);

    // PayPal releases it; PAYMENT.CAPTURE.COMPLETED pays the order.
    shop.webhooks_on();
    let capture = shop.sim.capture_for(&id).unwrap()["id"].as_str().unwrap().to_string();
    shop.sim.complete_capture(&capture).unwrap();
    poll_until(WAIT, "the completed capture pays the order", async || shop.status(&id).await == "paid").await;
    assert_eq!(shop.enrollments().await, 1);
    let order = billing_kit::order(&shop.learner, &id).await;
    assert_eq!(sources(&order).last().map(String::as_str), Some("webhook"));
    shop.app.stop().await;
}

async fn refunds_in_lyceum_and_in_paypal_land_on_the_order(backend: Backend) {
    let shop = shop(backend).await;
    shop.webhooks_on();
    let (id, approval) = shop.place().await;
    let back = approve(&approval).await;
    shop.learner.get(back.strip_prefix(&shop.app.url).unwrap()).await;
    assert_eq!(shop.status(&id).await, "paid");

    let refund = json!({"amount_minor": 500, "reason": "one chapter is missing"});
    let reply = shop.teacher.post(&format!("/api/v1/orders/{id}/refunds"), refund).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(
        (reply.json()["status"].as_str(), reply.json()["refunded_minor"].as_i64()),
        (Some("partially_refunded"), Some(500))
    );
    let refunds = shop.sim.refunds_for(&id);
    assert_eq!(refunds.len(), 1);
    assert_eq!(refunds[0]["amount"], json!({"currency_code": "EUR", "value": "5.00"}));
    let too_much = shop.teacher.post(&format!("/api/v1/orders/{id}/refunds"), json!({"amount_minor": 1500})).await;
    assert_eq!(too_much.status, 422, "{}", too_much.text);

    // A refund made in PayPal's dashboard arrives by webhook and is recorded.
    let capture = shop.sim.capture_for(&id).unwrap()["id"].as_str().unwrap().to_string();
    shop.sim.refund_in_dashboard(&capture, Some("3.00")).unwrap();
    poll_until(WAIT, "the dashboard refund is recorded", async || {
        billing_kit::order(&shop.learner, &id).await["refunded_minor"] == 800
    })
    .await;
    // Every event delivered (our own refund's included), nothing counted twice.
    poll_until(WAIT, "every event is delivered", async || shop.sim.deliveries().iter().all(|d| d.fate == "Delivered"))
        .await;
    let order = billing_kit::order(&shop.learner, &id).await;
    assert_eq!((order["status"].as_str(), order["refunded_minor"].as_i64()), (Some("partially_refunded"), Some(800)));
    assert_eq!(sources(&order).last().map(String::as_str), Some("webhook"));
    assert_eq!(shop.sim.refunds_for(&id).len(), 2);
    shop.app.stop().await;
}

async fn webhooks_are_verified_acted_on_once_and_share_one_token(backend: Backend) {
    let shop = shop(backend).await;
    shop.webhooks_on();
    let (id, approval) = shop.place().await;
    approve(&approval).await;
    poll_until(WAIT, "the webhooks pay the order", async || shop.status(&id).await == "paid").await;
    poll_until(WAIT, "both events are delivered", async || {
        shop.sim.deliveries().iter().filter(|d| d.fate == "Delivered").count() == 2
    })
    .await;

    // A delivery PayPal did not send is refused (verify-webhook-signature says FAILURE).
    let forged = json!({"id": "WH-FORGED", "event_type": "PAYMENT.CAPTURE.COMPLETED", "resource": {
        "id": "CAPTUREFORGED", "status": "COMPLETED", "supplementary_data": {"related_ids": {"order_id": paypal_order(&approval)}}}});
    let client = shop.app.client();
    let post = |headers: &[(&str, &str)]| {
        let mut req = client.http.post(client.url("/api/v1/payments/webhooks/paypal")).json(&forged);
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        client.raw(req)
    };
    let headers = [
        ("paypal-transmission-id", "0b1c6a30-0000-0000-0000-000000000000"),
        ("paypal-transmission-time", "2026-12-14T10:00:00Z"),
        ("paypal-transmission-sig", "Zm9yZ2Vk"),
        ("paypal-cert-url", "https://api.paypal.com/v1/notifications/certs/CERT-forged"),
        ("paypal-auth-algo", "SHA256withRSA"),
    ];
    post(&headers).await.assert_problem(400, "bad-request");
    post(&headers[..4]).await.assert_problem(400, "bad-request");

    // PayPal delivers an event again: acknowledged, not acted on twice.
    let first = shop.sim.deliveries()[0].event_id.clone();
    let again = shop.sim.resend(&first).await.unwrap();
    assert_eq!(again.status, Some(200), "{}", again.body);
    assert_eq!(serde_json::from_str::<Value>(&again.body).unwrap()["outcome"], "duplicate");
    assert_eq!(shop.enrollments().await, 1);
    assert_eq!(shop.sim.token_requests(), 1, "one token for the create, capture and every verification");

    // A token PayPal no longer takes is replaced once, and the call goes through.
    shop.sim.revoke_tokens();
    let second = shop.sim.deliveries()[1].event_id.clone();
    let again = shop.sim.resend(&second).await.unwrap();
    assert_eq!(serde_json::from_str::<Value>(&again.body).unwrap()["outcome"], "duplicate", "{}", again.body);
    assert_eq!(shop.sim.token_requests(), 2);
    shop.app.stop().await;
}

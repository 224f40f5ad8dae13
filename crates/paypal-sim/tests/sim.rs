//! The test server's own logic: tokens, `PayPal-Request-Id` replays, the
//! order → approval → capture → refund life cycle with PayPal's refusals,
//! and webhook deliveries (retries with backoff, bounded; the signature check).

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{Router, body::Bytes, http::HeaderMap, http::StatusCode, routing::post};
use lyceum_paypal_sim::{CaptureOutcome, Options, PaypalSim};
use serde_json::{Value, json};

/// Polls `probe` every 10 ms for up to 10 s; fails naming `what`.
async fn wait_until(what: &str, mut probe: impl FnMut() -> bool) {
    for _ in 0..1000 {
        if probe() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("timed out waiting until {what}");
}

struct Caller {
    http: reqwest::Client,
    base: String,
    token: String,
}

impl Caller {
    async fn new(sim: &PaypalSim) -> Self {
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let reply = http
            .post(format!("{}/v1/oauth2/token", sim.base_url()))
            .basic_auth(sim.client_id(), Some(sim.client_secret()))
            .header("content-type", "application/x-www-form-urlencoded")
            .body("grant_type=client_credentials")
            .send()
            .await
            .unwrap();
        assert_eq!(reply.status(), 200);
        let token = reply.json::<Value>().await.unwrap()["access_token"].as_str().unwrap().to_string();
        Self { http, base: sim.base_url().to_string(), token }
    }

    async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
        request_id: Option<&str>,
    ) -> (u16, Value) {
        let mut req = self.http.request(method, format!("{}{path}", self.base)).bearer_auth(&self.token);
        if let Some(id) = request_id {
            req = req.header("PayPal-Request-Id", id);
        }
        if let Some(body) = body {
            req = req.json(&body);
        }
        let reply = req.send().await.unwrap();
        let status = reply.status().as_u16();
        (status, reply.json().await.unwrap_or(Value::Null))
    }

    async fn post(&self, path: &str, body: Value, request_id: Option<&str>) -> (u16, Value) {
        self.send(reqwest::Method::POST, path, Some(body), request_id).await
    }

    async fn create(&self, value: &str, request_id: Option<&str>) -> Value {
        let body = json!({
            "intent": "CAPTURE",
            "purchase_units": [{"custom_id": "ours-1", "amount": {"currency_code": "EUR", "value": value}}],
            "payment_source": {"paypal": {"experience_context": {
                "return_url": "http://merchant.invalid/back", "cancel_url": "http://merchant.invalid/cancel"}}},
        });
        let (status, order) = self.post("/v2/checkout/orders", body, request_id).await;
        assert_eq!(status, 201, "{order}");
        order
    }

    /// Clicks "Pay now" on the approval page; the Location it answers.
    async fn approve(&self, order_id: &str) -> String {
        let page = self.http.get(format!("{}/checkoutnow?token={order_id}", self.base)).send().await.unwrap();
        assert!(page.text().await.unwrap().contains("Pay now"));
        let reply = self
            .http
            .post(format!("{}/checkoutnow/approve", self.base))
            .form(&[("token", order_id)])
            .send()
            .await
            .unwrap();
        assert_eq!(reply.status(), 303);
        reply.headers()["location"].to_str().unwrap().to_string()
    }
}

#[tokio::test]
async fn calls_need_a_token_from_the_right_credentials_and_tokens_are_counted() {
    let sim = PaypalSim::start().await;
    let http = reqwest::Client::new();
    let anonymous = http.get(format!("{}/v2/checkout/orders/X", sim.base_url())).send().await.unwrap();
    assert_eq!(anonymous.status(), 401);
    let wrong = http
        .post(format!("{}/v1/oauth2/token", sim.base_url()))
        .basic_auth(sim.client_id(), Some("not the secret"))
        .body("grant_type=client_credentials")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    let caller = Caller::new(&sim).await;
    assert_eq!(sim.token_requests(), 2);
    let (status, _) = caller.send(reqwest::Method::GET, "/v2/checkout/orders/UNKNOWN", None, None).await;
    assert_eq!(status, 404);
    sim.revoke_tokens();
    let (status, body) = caller.send(reqwest::Method::GET, "/v2/checkout/orders/UNKNOWN", None, None).await;
    assert_eq!((status, body["error"].as_str()), (401, Some("invalid_token")));
}

#[tokio::test]
async fn a_repeated_request_id_replays_the_same_order_and_capture() {
    let sim = PaypalSim::start().await;
    let caller = Caller::new(&sim).await;
    let first = caller.create("19.99", Some("create-1")).await;
    let again = caller.create("19.99", Some("create-1")).await;
    let other = caller.create("19.99", Some("create-2")).await;
    assert_eq!(first["id"], again["id"]);
    assert_ne!(first["id"], other["id"]);
    assert_eq!(first["status"], "PAYER_ACTION_REQUIRED");
    let id = first["id"].as_str().unwrap();
    let link = first["links"].as_array().unwrap().iter().find(|l| l["rel"] == "payer-action").unwrap();
    assert_eq!(link["href"], format!("{}/checkoutnow?token={id}", sim.base_url()));

    let capture_path = format!("/v2/checkout/orders/{id}/capture");
    let (status, early) = caller.post(&capture_path, json!({}), Some("capture-early")).await;
    assert_eq!((status, &early["details"][0]["issue"]), (422, &json!("ORDER_NOT_APPROVED")));
    let back = caller.approve(id).await;
    assert!(back.starts_with(&format!("http://merchant.invalid/back?token={id}&PayerID=")), "{back}");

    let (status, captured) = caller.post(&capture_path, json!({}), Some("capture-1")).await;
    assert_eq!(status, 201, "{captured}");
    assert_eq!(captured["status"], "COMPLETED");
    let capture = &captured["purchase_units"][0]["payments"]["captures"][0];
    assert_eq!((capture["status"].as_str(), capture["amount"]["value"].as_str()), (Some("COMPLETED"), Some("19.99")));
    assert_eq!(capture["supplementary_data"]["related_ids"]["order_id"], id);
    let (status, replayed) = caller.post(&capture_path, json!({}), Some("capture-1")).await;
    assert_eq!((status, &replayed), (201, &captured));
    let (status, twice) = caller.post(&capture_path, json!({}), Some("capture-2")).await;
    assert_eq!((status, &twice["details"][0]["issue"]), (422, &json!("ORDER_ALREADY_CAPTURED")));
}

#[tokio::test]
async fn refunds_never_exceed_the_capture_and_a_declined_capture_is_not_refundable() {
    let sim = PaypalSim::start().await;
    let caller = Caller::new(&sim).await;
    let order = caller.create("10.00", None).await;
    let id = order["id"].as_str().unwrap();
    caller.approve(id).await;
    let (_, captured) = caller.post(&format!("/v2/checkout/orders/{id}/capture"), json!({}), None).await;
    let capture_id = captured["purchase_units"][0]["payments"]["captures"][0]["id"].as_str().unwrap().to_string();
    let refund_path = format!("/v2/payments/captures/{capture_id}/refund");
    let part = json!({"amount": {"currency_code": "EUR", "value": "4.00"}});
    let (status, refund) = caller.post(&refund_path, part.clone(), Some("r-1")).await;
    assert_eq!((status, refund["status"].as_str()), (201, Some("COMPLETED")), "{refund}");
    assert_eq!(refund["seller_payable_breakdown"]["total_refunded_amount"]["value"], "4.00");
    let (_, same) = caller.post(&refund_path, part, Some("r-1")).await;
    assert_eq!(same["id"], refund["id"], "a repeated request id refunds once");
    let too_much = json!({"amount": {"currency_code": "EUR", "value": "6.01"}});
    let (status, refused) = caller.post(&refund_path, too_much, None).await;
    assert_eq!((status, &refused["details"][0]["issue"]), (422, &json!("REFUND_AMOUNT_EXCEEDED")));
    let rest = sim.refund_in_dashboard(&capture_id, None).unwrap();
    assert_eq!(rest["amount"]["value"], "6.00");
    let (_, shown) =
        caller.send(reqwest::Method::GET, &format!("/v2/payments/captures/{capture_id}"), None, None).await;
    assert_eq!(shown["status"], "REFUNDED");
    let (status, after) = caller.post(&refund_path, json!({}), None).await;
    assert_eq!((status, &after["details"][0]["issue"]), (422, &json!("CAPTURE_FULLY_REFUNDED")));

    let declined = caller.create("5.00", None).await;
    let declined_id = declined["id"].as_str().unwrap();
    sim.set_capture_outcome(declined_id, CaptureOutcome::Declined);
    caller.approve(declined_id).await;
    let (_, captured) = caller.post(&format!("/v2/checkout/orders/{declined_id}/capture"), json!({}), None).await;
    let capture = &captured["purchase_units"][0]["payments"]["captures"][0];
    assert_eq!(capture["status"], "DECLINED");
    let (status, _) = caller
        .post(&format!("/v2/payments/captures/{}/refund", capture["id"].as_str().unwrap()), json!({}), None)
        .await;
    assert_eq!(status, 422);
}

/// A webhook listener that answers 500 to its first `failures` deliveries.
#[derive(Clone, Default)]
struct Listener {
    received: Arc<Mutex<Vec<(HeaderMap, Bytes)>>>,
}

impl Listener {
    async fn start(failures: usize) -> (Self, String) {
        let me = Self::default();
        let seen = me.received.clone();
        let app = Router::new().route(
            "/hook",
            post(move |headers: HeaderMap, body: Bytes| async move {
                let mut seen = seen.lock().unwrap();
                seen.push((headers, body));
                if seen.len() <= failures { StatusCode::INTERNAL_SERVER_ERROR } else { StatusCode::OK }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        (me, url)
    }

    fn count(&self) -> usize {
        self.received.lock().unwrap().len()
    }
}

fn quick() -> Options {
    Options { retry_base: Duration::from_millis(5), max_attempts: 4, ..Options::default() }
}

#[tokio::test]
async fn failed_deliveries_are_retried_and_only_sent_transmissions_verify() {
    let sim = PaypalSim::start_with(quick()).await;
    let (listener, url) = Listener::start(2).await;
    sim.listen_at(&url);
    let caller = Caller::new(&sim).await;
    let order = caller.create("3.00", None).await;
    caller.approve(order["id"].as_str().unwrap()).await;
    wait_until("the approval is delivered", || sim.deliveries().first().is_some_and(|d| d.fate == "Delivered")).await;
    let delivery = &sim.deliveries()[0];
    assert_eq!((delivery.event_type.as_str(), &delivery.statuses), ("CHECKOUT.ORDER.APPROVED", &vec![500, 500, 200]));
    assert_eq!(listener.count(), 3);

    let (headers, body) = listener.received.lock().unwrap()[2].clone();
    let header = |name: &str| headers[name].to_str().unwrap().to_string();
    let event: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(event["event_type"], "CHECKOUT.ORDER.APPROVED");
    assert_eq!(event["resource"]["status"], "APPROVED");
    let mut check = json!({
        "auth_algo": header("paypal-auth-algo"), "cert_url": header("paypal-cert-url"),
        "transmission_id": header("paypal-transmission-id"), "transmission_sig": header("paypal-transmission-sig"),
        "transmission_time": header("paypal-transmission-time"), "webhook_id": sim.webhook_id(), "webhook_event": event,
    });
    let verify =
        async |body: &Value| caller.post("/v1/notifications/verify-webhook-signature", body.clone(), None).await.1;
    assert_eq!(verify(&check).await["verification_status"], "SUCCESS");
    check["webhook_event"]["resource"]["status"] = json!("COMPLETED");
    assert_eq!(verify(&check).await["verification_status"], "FAILURE", "a changed event");
    check["webhook_event"] = event.clone();
    check["webhook_id"] = json!("WHSOMEONEELSE");
    assert_eq!(verify(&check).await["verification_status"], "FAILURE", "another webhook");
    check["webhook_id"] = json!(sim.webhook_id());
    check["transmission_sig"] = json!("forged");
    assert_eq!(verify(&check).await["verification_status"], "FAILURE", "a forged signature");
}

#[tokio::test]
async fn retries_are_bounded_and_dropped_events_are_never_sent_until_resent() {
    let sim = PaypalSim::start_with(quick()).await;
    let (listener, url) = Listener::start(usize::MAX).await;
    sim.listen_at(&url);
    let caller = Caller::new(&sim).await;
    let order = caller.create("3.00", None).await;
    caller.approve(order["id"].as_str().unwrap()).await;
    wait_until("the delivery is given up", || sim.deliveries().first().is_some_and(|d| d.fate == "GaveUp")).await;
    assert_eq!(sim.deliveries()[0].statuses, vec![500; 4]);
    assert_eq!(listener.count(), 4);

    sim.drop_deliveries(true);
    let lost = caller.create("4.00", None).await;
    caller.approve(lost["id"].as_str().unwrap()).await;
    let dropped = sim.deliveries()[1].clone();
    assert_eq!(dropped.fate, "Dropped");
    assert_eq!(listener.count(), 4, "a dropped event is not sent");
    let again = sim.resend(&dropped.event_id).await.unwrap();
    assert_eq!(again.status, Some(500));
    assert_eq!(listener.count(), 5);
}

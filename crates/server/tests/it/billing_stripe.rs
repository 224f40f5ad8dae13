//! Paying by card through Stripe, against localstripe: the learner ends up
//! enrolled exactly once whatever reports the payment — the return page, the
//! verify call, the webhook, or reconciliation when the other two are lost —
//! with 3-D Secure, after a decline, and through refunds. The learner's
//! browser (Stripe.js) is played by calls to localstripe here; the browser
//! test (`browser_stripe`) drives the real page.

use std::time::Duration;

use lyceum_billing::{service::reconcile, settings::BillingSettings};
use lyceum_platform::auth::Role;
use serde_json::json;

use crate::{
    billing_kit::{enrolled, enrolled_after_jobs},
    common::{Backend, poll_until},
    stripe_kit::{self, CARD_3DS, status, times_became},
};

on_both_backends!(
    a_card_payment_enrolls_once_whatever_reports_it,
    a_webhook_alone_settles_the_order,
    reconciliation_settles_a_payment_whose_webhook_and_return_were_lost,
    an_order_nobody_pays_is_abandoned_after_a_day,
    three_d_secure_is_asked_then_passed,
    a_declined_card_fails_the_order_and_the_learner_pays_again,
    only_the_card_form_page_allows_stripe_in_its_csp,
    refunds_in_parts_never_more_than_was_paid,
    a_stripe_that_cannot_be_reached_is_a_502_and_the_learner_may_pay_otherwise,
);

async fn a_card_payment_enrolls_once_whatever_reports_it(backend: Backend) {
    let Some(url) = stripe_kit::localstripe_url("billing_stripe") else { return };
    let t = stripe_kit::spawn(backend, &url).await;
    let (app, stripe) = (&t.app, &t.stripe);
    let hook =
        stripe.register_webhook(&format!("{}/api/v1/payments/webhooks/stripe", app.url), &t.webhook_secret).await;
    let shop = stripe_kit::shop(app).await;
    let order = stripe_kit::place_card_order(&shop.learner, &shop.course_id).await;
    let intent = stripe.intent(&order.intent).await;
    assert_eq!((intent["amount"].as_i64(), intent["currency"].as_str()), (Some(1999), Some("eur")));
    assert_eq!(intent["metadata"]["order_id"], order.id.as_str(), "the intent names its order");
    assert_eq!(status(&shop.learner, &order.id).await, "pending");

    assert_eq!(stripe.pay(&order.intent, "pm_card_visa").await, "succeeded");
    // The browser comes back (Stripe.js's redirect), the page's script asks
    // again, and the webhook arrives: three reports of one payment.
    let back = shop.learner.get(&format!("/orders/{}/return", order.id)).await;
    assert!(back.status.is_redirection(), "{}", back.text);
    assert_eq!(back.header("location"), format!("/orders/{}", order.id));
    assert!(back.set_cookie("lyceum_flash").is_some_and(|c| c.contains("billing.flash.paid")), "told it is paid");
    let verified = shop.learner.post(&format!("/api/v1/orders/{}/verify", order.id), json!({})).await;
    assert_eq!(verified.status, 200, "{}", verified.text);
    assert_eq!(verified.json()["status"], "paid");
    let event = stripe.event("payment_intent.succeeded", &order.intent).await;
    let event_id = event["id"].as_str().unwrap().to_string();
    poll_until(Duration::from_secs(20), "the webhook is received", async || stripe_kit::in_inbox(app, &event_id).await)
        .await;

    assert_eq!(times_became(app, &order.id, "paid").await, 1, "paid once");
    assert!(enrolled_after_jobs(app, &shop.course_id, &shop.learner_id).await, "enrolled");
    assert_eq!(stripe_kit::fulfilments(app).await, 1, "one fulfilment queued");
    let order_json = crate::billing_kit::order(&shop.learner, &order.id).await;
    assert!(order_json["paid_at"].is_string(), "{order_json}");
    let again = shop.learner.post(&format!("/api/v1/orders/{}/verify", order.id), json!({})).await;
    assert_eq!(again.json()["status"], "paid");
    app.drain_jobs().await;
    assert_eq!(times_became(app, &order.id, "paid").await, 1, "a repeated verify changes nothing");
    assert_eq!(stripe_kit::fulfilments(app).await, 1);
    stripe.retire_webhook(&hook).await;
    t.app.stop().await;
}

async fn a_webhook_alone_settles_the_order(backend: Backend) {
    let Some(url) = stripe_kit::localstripe_url("billing_stripe") else { return };
    let t = stripe_kit::spawn(backend, &url).await;
    let (app, stripe) = (&t.app, &t.stripe);
    let hook =
        stripe.register_webhook(&format!("{}/api/v1/payments/webhooks/stripe", app.url), &t.webhook_secret).await;
    let shop = stripe_kit::shop(app).await;
    let order = stripe_kit::place_card_order(&shop.learner, &shop.course_id).await;

    assert_eq!(stripe.pay(&order.intent, "pm_card_visa").await, "succeeded");
    // No return, no verify: the browser was closed.
    poll_until(Duration::from_secs(20), "the webhook makes the order paid", async || {
        status(&shop.learner, &order.id).await == "paid"
    })
    .await;
    let history = crate::billing_kit::order(&shop.learner, &order.id).await["history"].clone();
    let paid = history.as_array().unwrap().iter().find(|h| h["to_status"] == "paid").cloned().unwrap();
    assert_eq!(paid["source"], "webhook", "{history}");
    assert!(enrolled_after_jobs(app, &shop.course_id, &shop.learner_id).await, "enrolled");
    stripe.retire_webhook(&hook).await;
    t.app.stop().await;
}

async fn reconciliation_settles_a_payment_whose_webhook_and_return_were_lost(backend: Backend) {
    let Some(url) = stripe_kit::localstripe_url("billing_stripe") else { return };
    let t = stripe_kit::spawn(backend, &url).await;
    let (app, stripe) = (&t.app, &t.stripe);
    let shop = stripe_kit::shop(app).await;
    let order = stripe_kit::place_card_order(&shop.learner, &shop.course_id).await;

    // Paid at Stripe; no webhook endpoint is registered and the browser never comes back.
    assert_eq!(stripe.pay(&order.intent, "pm_card_visa").await, "succeeded");
    let now = lyceum_platform::db::now_ms();
    assert_eq!(reconcile::run_once(app.state(), now).await.unwrap(), 0, "too recent to be asked about");
    assert_eq!(status(&shop.learner, &order.id).await, "pending");
    assert!(!enrolled(app, &shop.course_id, &shop.learner_id).await);

    let after = app.state().settings.section::<BillingSettings>().reconcile_after_secs as i64;
    let later = now + (after + 1) * 1000;
    assert_eq!(reconcile::run_once(app.state(), later).await.unwrap(), 1, "one order settled");
    assert_eq!(status(&shop.learner, &order.id).await, "paid");
    assert!(enrolled_after_jobs(app, &shop.course_id, &shop.learner_id).await, "enrolled");
    assert_eq!(reconcile::run_once(app.state(), later).await.unwrap(), 0, "nothing left to settle");
    t.app.stop().await;
}

/// A checkout nobody pays is asked about once per delay, and cancelled a day
/// after it was placed (a payment arriving later would still make it paid).
async fn an_order_nobody_pays_is_abandoned_after_a_day(backend: Backend) {
    let Some(url) = stripe_kit::localstripe_url("billing_stripe") else { return };
    let t = stripe_kit::spawn(backend, &url).await;
    let app = &t.app;
    let shop = stripe_kit::shop(app).await;
    let order = stripe_kit::place_card_order(&shop.learner, &shop.course_id).await;
    let after = app.state().settings.section::<BillingSettings>().reconcile_after_secs as i64;
    let now = lyceum_platform::db::now_ms();

    let later = now + (after + 1) * 1000;
    assert_eq!(reconcile::run_once(app.state(), later).await.unwrap(), 0, "asked: still pending");
    assert_eq!(status(&shop.learner, &order.id).await, "pending");
    let next_day = now + 24 * 3600 * 1000 + 1000;
    assert_eq!(reconcile::run_once(app.state(), next_day).await.unwrap(), 1, "abandoned");
    assert_eq!(status(&shop.learner, &order.id).await, "cancelled");
    let history = crate::billing_kit::order(&shop.learner, &order.id).await["history"].clone();
    let last = history.as_array().unwrap().last().cloned().unwrap();
    assert_eq!(
        (last["source"].as_str(), last["detail"].as_str()),
        (Some("reconcile"), Some("abandoned: not paid within a day"))
    );
    assert!(!enrolled(app, &shop.course_id, &shop.learner_id).await);
    t.app.stop().await;
}

async fn three_d_secure_is_asked_then_passed(backend: Backend) {
    let Some(url) = stripe_kit::localstripe_url("billing_stripe") else { return };
    let t = stripe_kit::spawn(backend, &url).await;
    let (app, stripe) = (&t.app, &t.stripe);
    let shop = stripe_kit::shop(app).await;
    let order = stripe_kit::place_card_order(&shop.learner, &shop.course_id).await;

    let card = stripe.card(CARD_3DS).await;
    assert_eq!(stripe.pay(&order.intent, &card).await, "requires_action");
    let verified = shop.learner.post(&format!("/api/v1/orders/{}/verify", order.id), json!({})).await;
    assert_eq!(verified.json()["status"], "pending", "waiting for 3-D Secure");
    let page = shop.learner.get(&format!("/orders/{}", order.id)).await;
    assert!(page.text.contains(r#"id="card-form""#), "the card form is shown again to finish 3-D Secure");
    assert!(page.text.contains(&order.client_secret));

    assert_eq!(stripe.authenticate(&order.intent, &order.client_secret, true).await, "succeeded");
    let back = shop.learner.get(&format!("/orders/{}/return", order.id)).await;
    assert!(back.status.is_redirection(), "{}", back.text);
    assert_eq!(status(&shop.learner, &order.id).await, "paid");
    assert!(enrolled_after_jobs(app, &shop.course_id, &shop.learner_id).await, "enrolled");
    let page = shop.learner.get(&format!("/orders/{}", order.id)).await;
    assert!(!page.text.contains(r#"id="card-form""#), "nothing left to pay");
    t.app.stop().await;
}

async fn a_declined_card_fails_the_order_and_the_learner_pays_again(backend: Backend) {
    let Some(url) = stripe_kit::localstripe_url("billing_stripe") else { return };
    let t = stripe_kit::spawn(backend, &url).await;
    let (app, stripe) = (&t.app, &t.stripe);
    let shop = stripe_kit::shop(app).await;
    let first = stripe_kit::place_card_order(&shop.learner, &shop.course_id).await;

    assert_eq!(stripe.pay(&first.intent, "pm_card_chargeCustomerFail").await, "requires_payment_method");
    let back = shop.learner.get(&format!("/orders/{}/return", first.id)).await;
    assert!(back.set_cookie("lyceum_flash").is_some_and(|c| c.contains("billing.flash.failed")), "told it failed");
    let order = crate::billing_kit::order(&shop.learner, &first.id).await;
    assert_eq!(order["status"], "failed");
    let failed = order["history"].as_array().unwrap().iter().find(|h| h["to_status"] == "failed").cloned().unwrap();
    assert_eq!(failed["detail"], "Your card was declined.", "Stripe's reason is kept");
    assert!(!enrolled_after_jobs(app, &shop.course_id, &shop.learner_id).await);

    let second = stripe_kit::place_card_order(&shop.learner, &shop.course_id).await;
    assert_ne!(second.intent, first.intent, "a new payment");
    assert_eq!(status(&shop.learner, &first.id).await, "cancelled", "the failed order is replaced");
    assert_eq!(stripe.pay(&second.intent, "pm_card_visa").await, "succeeded");
    let verified = shop.learner.post(&format!("/api/v1/orders/{}/verify", second.id), json!({})).await;
    assert_eq!(verified.json()["status"], "paid");
    assert!(enrolled_after_jobs(app, &shop.course_id, &shop.learner_id).await, "enrolled");
    t.app.stop().await;
}

/// The `name` directive of the answer's CSP (empty when absent).
fn directive(reply: &crate::common::Reply, name: &str) -> String {
    let csp = reply.header("content-security-policy");
    csp.split(';').map(str::trim).find(|d| d.starts_with(&format!("{name} "))).unwrap_or("").to_string()
}

async fn only_the_card_form_page_allows_stripe_in_its_csp(backend: Backend) {
    let Some(url) = stripe_kit::localstripe_url("billing_stripe") else { return };
    let t = stripe_kit::spawn(backend, &url).await;
    let (app, stripe) = (&t.app, &t.stripe);
    let shop = stripe_kit::shop(app).await;
    let standard = shop.learner.get("/orders").await;
    let checkout = shop.learner.get(&format!("/checkout/{}", shop.slug)).await;
    assert_eq!(checkout.status, 200, "{}", checkout.text);
    for (page, reply) in [("/orders", &standard), ("the checkout", &checkout)] {
        assert!(!reply.header("content-security-policy").contains(&url), "{page} does not allow localstripe");
        assert_eq!(directive(reply, "connect-src"), "", "{page}");
    }
    let order = stripe_kit::place_card_order(&shop.learner, &shop.course_id).await;
    let page = shop.learner.get(&format!("/orders/{}", order.id)).await;
    assert!(
        page.text.contains(r#"id="card-form""#) && page.text.contains("stripe-card."),
        "the card form and its script"
    );
    assert!(page.text.contains(&format!(r#"data-script="{url}/js.stripe.com/v3/""#)));
    assert_eq!(directive(&page, "script-src"), format!("script-src 'self' {url}"));
    assert_eq!(directive(&page, "frame-src"), format!("{} {url}", directive(&standard, "frame-src")));
    assert_eq!(directive(&page, "connect-src"), format!("connect-src 'self' {url}"));
    for same in ["default-src", "img-src", "style-src", "object-src", "form-action", "frame-ancestors"] {
        assert_eq!(directive(&page, same), directive(&standard, same), "{same}");
    }

    // Paid: no card form any more, and the standard policy again.
    stripe.pay(&order.intent, "pm_card_visa").await;
    shop.learner.post(&format!("/api/v1/orders/{}/verify", order.id), json!({})).await;
    let paid = shop.learner.get(&format!("/orders/{}", order.id)).await;
    assert_eq!(paid.header("content-security-policy"), standard.header("content-security-policy"));
    t.app.stop().await;
}

async fn refunds_in_parts_never_more_than_was_paid(backend: Backend) {
    let Some(url) = stripe_kit::localstripe_url("billing_stripe") else { return };
    let t = stripe_kit::spawn(backend, &url).await;
    let (app, stripe) = (&t.app, &t.stripe);
    let shop = stripe_kit::shop(app).await;
    let order = stripe_kit::place_card_order(&shop.learner, &shop.course_id).await;
    stripe.pay(&order.intent, "pm_card_visa").await;
    shop.learner.post(&format!("/api/v1/orders/{}/verify", order.id), json!({})).await;
    assert!(enrolled_after_jobs(app, &shop.course_id, &shop.learner_id).await);
    let (admin, _) = app.signed_in("admin@example.org", Role::Admin).await;
    let refunds = format!("/api/v1/orders/{}/refunds", order.id);

    let part = admin.post(&refunds, json!({"amount_minor": 500, "reason": "late start"})).await;
    assert_eq!(part.status, 200, "{}", part.text);
    assert_eq!(
        (part.json()["status"].as_str(), part.json()["refunded_minor"].as_i64()),
        (Some("partially_refunded"), Some(500))
    );
    let at_stripe = stripe.refunds(&order.intent).await;
    assert_eq!(at_stripe.len(), 1, "{at_stripe:?}");
    assert_eq!(at_stripe[0]["amount"], 500);

    // 14.99 is left: Lyceum refuses more (localstripe itself would not).
    let too_much = admin.post(&refunds, json!({"amount_minor": 1500})).await;
    too_much.assert_problem(422, "validation");
    assert_eq!(too_much.error_fields(), ["amount_minor"]);
    assert_eq!(stripe.refunds(&order.intent).await.len(), 1, "nothing more asked of Stripe");

    let rest = admin.post(&refunds, json!({"reason": "cancelled"})).await;
    assert_eq!(rest.status, 200, "{}", rest.text);
    assert_eq!(
        (rest.json()["status"].as_str(), rest.json()["refunded_minor"].as_i64()),
        (Some("refunded"), Some(1999))
    );
    let amounts: Vec<i64> = stripe.refunds(&order.intent).await.iter().filter_map(|r| r["amount"].as_i64()).collect();
    assert_eq!(amounts.iter().sum::<i64>(), 1999, "{amounts:?}");
    let nothing_left = admin.post(&refunds, json!({"amount_minor": 1})).await;
    assert_eq!(nothing_left.status, 409, "{}", nothing_left.text);
    t.app.stop().await;
}

async fn a_stripe_that_cannot_be_reached_is_a_502_and_the_learner_may_pay_otherwise(backend: Backend) {
    // Nothing listens there: connecting is refused at once. No localstripe needed.
    let closed = crate::smtp_server::ClosedPort::new();
    let t = stripe_kit::spawn(backend, &format!("http://127.0.0.1:{}", closed.port)).await;
    let shop = stripe_kit::shop(&t.app).await;

    let reply = crate::billing_kit::place(&shop.learner, &shop.course_id, "stripe", json!({})).await;
    reply.assert_problem(502, "gateway-error");
    let mine = shop.learner.get("/api/v1/orders").await.json();
    let failed = mine["items"][0].clone();
    assert_eq!((failed["status"].as_str(), failed["gateway"].as_str()), (Some("failed"), Some("stripe")), "{mine}");
    let page = shop.learner.get(&format!("/orders/{}", failed["id"].as_str().unwrap())).await;
    assert_eq!(page.status, 200, "the order's page still shows: {}", page.text);

    let manual = crate::billing_kit::place(&shop.learner, &shop.course_id, "manual", json!({})).await;
    assert_eq!(manual.status, 201, "another way to pay: {}", manual.text);
    t.app.stop().await;
}

//! Subscriptions paid by card through Stripe, against localstripe: the first
//! period is paid on the card form by an intent made for a new customer with
//! `setup_future_usage = off_session`, so the card is kept; at the period's
//! end the renewal job charges it off-session (no learner present) and the
//! period is extended. A card that declines off-session fails the renewal:
//! dunning retries on days 1, 3 and 7, each with a notice, then the
//! subscription lapses. Time moves by passing `now` to the renewal job.

use lyceum_billing::service::subscriptions::renew::Renewed;
use lyceum_platform::auth::Role;
use serde_json::{Value, json};

use crate::{
    billing_kit::{enrolled, order, paid_course},
    billing_subscriptions::{DAY, enroll_in, include, mine, notices, period_end, plan, renew_at},
    common::{Backend, TestApp, TestClient},
    stripe_kit::{self, Localstripe},
};

on_both_backends!(
    a_stripe_subscription_renews_off_session_on_the_kept_card,
    a_renewal_the_card_declines_starts_dunning_then_lapses,
);

/// A Visa card that pays (localstripe's list, as Stripe's test cards).
const VISA: &str = "4242424242424242";
/// A card that can be attached to a customer but declines every charge
/// (Stripe's `pm_card_chargeCustomerFail`).
const DECLINES_CHARGES: &str = "4000000000000341";

struct Subscribed {
    id: String,
    order_id: String,
    intent: String,
}

/// The learner subscribes to `plan_id` through Stripe and pays the first
/// period with the card `pm` on the card form (Stripe.js played by calls to
/// localstripe), then the browser comes back.
async fn subscribe_by_card(
    app: &TestApp,
    stripe: &Localstripe,
    learner: &TestClient,
    plan_id: &str,
    pm: &str,
) -> Subscribed {
    let reply = learner.post("/api/v1/subscriptions", json!({"plan_id": plan_id, "gateway": "stripe"})).await;
    assert_eq!(reply.status, 201, "subscribe through Stripe: {}", reply.text);
    let body = reply.json();
    assert_eq!(body["next"]["kind"], "card_form", "{body}");
    let secret = body["next"]["client_secret"].as_str().expect("a client secret");
    let intent = secret.split("_secret_").next().unwrap().to_string();
    let order_id = body["order"]["id"].as_str().unwrap().to_string();
    assert_eq!(stripe.pay(&intent, pm).await, "succeeded");
    let back = learner.get(&format!("/orders/{order_id}/return")).await;
    assert!(back.status.is_redirection(), "{}", back.text);
    app.drain_jobs().await;
    Subscribed { id: body["subscription"]["id"].as_str().unwrap().to_string(), order_id, intent }
}

/// The customer and payment method kept on the subscription.
async fn kept(app: &TestApp, subscription_id: &str) -> (Option<String>, Option<String>) {
    sqlx::query_as("SELECT customer_ref, payment_method_ref FROM billing_subscriptions WHERE id = $1")
        .bind(subscription_id)
        .fetch_one(app.state().db.pool())
        .await
        .unwrap()
}

/// The payment's handle Stripe gave the order (its PaymentIntent).
async fn intent_of(app: &TestApp, order_id: &str) -> Option<String> {
    sqlx::query_scalar("SELECT gateway_ref FROM billing_orders WHERE id = $1")
        .bind(order_id)
        .fetch_one(app.state().db.pool())
        .await
        .unwrap()
}

/// The renewal order: the subscription's newest.
async fn renewal_of(learner: &TestClient) -> (String, Value) {
    let sub = mine(learner).await;
    let orders = sub["orders"].as_array().unwrap();
    assert_eq!(orders.len(), 2, "the first order and one renewal: {sub}");
    (orders[0]["id"].as_str().unwrap().to_string(), sub)
}

async fn a_stripe_subscription_renews_off_session_on_the_kept_card(backend: Backend) {
    let Some(url) = stripe_kit::localstripe_url("billing_stripe_subscriptions") else { return };
    let t = stripe_kit::spawn(backend, &url).await;
    let (app, stripe) = (&t.app, &t.stripe);
    let (admin, _) = app.signed_in("admin@example.org", Role::Admin).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (learner, learner_id) = app.signed_in("learner@example.org", Role::Learner).await;
    let (course, _) = paid_course(&teacher, "Included", 4900, "EUR").await;
    let plan_id = plan(&admin, "All access", 1500).await;
    include(&admin, &course).await;
    let offered = learner.get("/subscribe").await.text;
    assert!(offered.contains(r#"value="stripe""#), "Stripe takes subscriptions: {offered}");

    let card = stripe.card(VISA).await;
    let sub = subscribe_by_card(app, stripe, &learner, &plan_id, &card).await;
    let first = stripe.intent(&sub.intent).await;
    let customer = first["customer"].as_str().expect("the intent is made for a customer").to_string();
    assert!(customer.starts_with("cus_"), "{first}");
    assert_eq!(first["setup_future_usage"], "off_session", "Stripe is asked to keep the card: {first}");
    assert_eq!(first["metadata"]["order_id"], sub.order_id.as_str());
    assert_eq!(mine(&learner).await["status"], "active");
    assert_eq!(kept(app, &sub.id).await, (Some(customer.clone()), Some(card.clone())), "the card is kept");
    assert!(stripe.cards_of(&customer).await.contains(&card), "Stripe keeps it on the customer");
    assert_eq!(enroll_in(&learner, &course).await.status, 201);
    let end = period_end(app, &sub.id).await;

    let done = renew_at(app, end + 60_000).await;
    assert_eq!(done, Renewed { renewals: 1, paid: 1, ..Renewed::default() }, "charged off-session at once");
    assert_eq!(renew_at(app, end + 60_000).await, Renewed::default(), "the same `now` again: nothing more");
    let (renewal, after) = renewal_of(&learner).await;
    assert_eq!((after["status"].as_str(), after["failed_attempts"].as_i64()), (Some("active"), Some(0)), "{after}");
    let paid = order(&learner, &renewal).await;
    assert_eq!((paid["status"].as_str(), paid["gateway"].as_str()), (Some("paid"), Some("stripe")), "{paid}");
    let new_end = period_end(app, &sub.id).await;
    assert!(new_end > end && (28..=31).contains(&((new_end - end) / DAY)), "one more month: {end} → {new_end}");

    let charged = intent_of(app, &renewal).await.expect("the renewal's intent is kept on the order");
    assert_ne!(charged, sub.intent, "a new payment");
    let intent = stripe.intent(&charged).await;
    assert_eq!(intent["status"], "succeeded", "{intent}");
    assert_eq!(
        (intent["customer"].as_str(), intent["payment_method"].as_str()),
        (Some(customer.as_str()), Some(card.as_str()))
    );
    assert_eq!((intent["amount"].as_i64(), intent["currency"].as_str()), (Some(1500), Some("eur")));
    assert_eq!(intent["metadata"]["order_id"], renewal.as_str(), "the intent names its order");
    assert!(enrolled(app, &course, &learner_id).await, "access continues");
    assert_eq!(notices(app, &learner_id, "billing.renewal_failed").await, 0);
    assert_eq!(notices(app, &learner_id, "billing.receipt").await, 2, "a receipt for each period");
    t.app.stop().await;
}

async fn a_renewal_the_card_declines_starts_dunning_then_lapses(backend: Backend) {
    let Some(url) = stripe_kit::localstripe_url("billing_stripe_subscriptions") else { return };
    let t = stripe_kit::spawn(backend, &url).await;
    let (app, stripe) = (&t.app, &t.stripe);
    let (admin, _) = app.signed_in("admin@example.org", Role::Admin).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (learner, learner_id) = app.signed_in("learner@example.org", Role::Learner).await;
    let (course, _) = paid_course(&teacher, "Included", 4900, "EUR").await;
    let plan_id = plan(&admin, "All access", 1500).await;
    include(&admin, &course).await;
    let sub = subscribe_by_card(app, stripe, &learner, &plan_id, &stripe.card(VISA).await).await;
    assert_eq!(enroll_in(&learner, &course).await.status, 201);
    let (Some(customer), Some(_)) = kept(app, &sub.id).await else { panic!("no card kept") };

    // Since the first payment the kept card has started to decline: the
    // customer's card is now one Stripe attaches but refuses to charge.
    let failing = stripe.card(DECLINES_CHARGES).await;
    stripe.attach(&failing, &customer).await;
    sqlx::query("UPDATE billing_subscriptions SET payment_method_ref = $1 WHERE id = $2")
        .bind(&failing)
        .bind(&sub.id)
        .execute(app.state().db.pool())
        .await
        .unwrap();
    let end = period_end(app, &sub.id).await;

    let first = renew_at(app, end + 60_000).await;
    assert_eq!(first, Renewed { renewals: 1, unpaid: 1, ..Renewed::default() }, "declined off-session");
    let (renewal, after) = renewal_of(&learner).await;
    assert_eq!((after["status"].as_str(), after["failed_attempts"].as_i64()), (Some("past_due"), Some(1)), "{after}");
    let failed = order(&learner, &renewal).await;
    assert_eq!(failed["status"], "failed", "{failed}");
    let why = failed["history"].as_array().unwrap().iter().find(|h| h["to_status"] == "failed").cloned().unwrap();
    assert_eq!(why["detail"], "Your card was declined.", "Stripe's reason is kept");
    let declined = intent_of(app, &renewal).await.expect("the declined intent is kept on the order");
    assert_eq!(stripe.intent(&declined).await["status"], "requires_payment_method");
    let page = learner.get(&format!("/orders/{renewal}")).await.text;
    assert!(page.contains(r#"id="card-form""#), "the learner may pay it with another card: {page}");
    assert_eq!(notices(app, &learner_id, "billing.renewal_failed").await, 1);
    assert!(enrolled(app, &course, &learner_id).await, "access continues in the grace period");

    for (day, expected) in [(1, 2), (3, 3)] {
        let retry = renew_at(app, end + day * DAY + 60_000).await;
        assert_eq!(retry.unpaid, 1, "day {day}: {retry:?}");
        assert_eq!(notices(app, &learner_id, "billing.renewal_failed").await, expected, "day {day}");
        let again = intent_of(app, &renewal).await.unwrap();
        assert_ne!(again, declined, "day {day}: charged again, as a new payment");
        assert!(enrolled(app, &course, &learner_id).await, "day {day}: still in the grace period");
    }
    let last = renew_at(app, end + 7 * DAY + 60_000).await;
    assert_eq!(last.lapsed, 1, "{last:?}");
    assert_eq!(mine(&learner).await["status"], "lapsed");
    assert!(!enrolled(app, &course, &learner_id).await, "access suspended");
    assert_eq!(notices(app, &learner_id, "billing.subscription_lapsed").await, 1);
    t.app.stop().await;
}

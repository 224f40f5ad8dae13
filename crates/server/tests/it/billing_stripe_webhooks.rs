//! Stripe's webhook endpoint refuses what it cannot trust — a signature made
//! with another secret, an old signed timestamp, a missing header — and acts
//! on each event once: a replayed delivery is acknowledged as a duplicate and
//! changes nothing. The events are real ones from localstripe, signed here
//! as Stripe signs them.

use crate::{
    billing_kit::enrolled_after_jobs,
    common::Backend,
    stripe_kit::{self, deliver, now_secs, signature, status, times_became},
};

on_both_backends!(bad_signatures_and_old_timestamps_are_refused, a_replayed_event_is_acted_on_once);

async fn bad_signatures_and_old_timestamps_are_refused(backend: Backend) {
    let Some(url) = stripe_kit::localstripe_url("billing_stripe_webhooks") else { return };
    let t = stripe_kit::spawn(backend, &url).await;
    let (app, stripe) = (&t.app, &t.stripe);
    let shop = stripe_kit::shop(app).await;
    let order = stripe_kit::place_card_order(&shop.learner, &shop.course_id).await;
    stripe.pay(&order.intent, "pm_card_visa").await;
    let event = stripe.event("payment_intent.succeeded", &order.intent).await.to_string();

    let forged = deliver(app, &event, &signature("whsec_someone_else", now_secs(), &event)).await;
    forged.assert_problem(400, "bad-request");
    assert!(forged.json()["detail"].as_str().unwrap().contains("signature"), "{}", forged.text);

    let tolerance = 300; // the default webhook_tolerance_secs
    let old = deliver(app, &event, &signature(&t.webhook_secret, now_secs() - tolerance - 60, &event)).await;
    old.assert_problem(400, "bad-request");
    assert!(old.json()["detail"].as_str().unwrap().contains("too old"), "{}", old.text);

    let tampered = event.replace("succeeded", "canceled");
    let signed_other_body = signature(&t.webhook_secret, now_secs(), &event);
    deliver(app, &tampered, &signed_other_body).await.assert_problem(400, "bad-request");
    deliver(app, &event, "").await.assert_problem(400, "bad-request");
    deliver(app, &event, "t=garbage,v1=zz").await.assert_problem(400, "bad-request");

    assert_eq!(status(&shop.learner, &order.id).await, "pending", "nothing refused was acted on");
    let inbox: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM billing_webhook_inbox")
        .fetch_one(app.state().db.pool())
        .await
        .unwrap();
    assert_eq!(inbox, 0, "nothing refused was recorded");
    t.app.stop().await;
}

async fn a_replayed_event_is_acted_on_once(backend: Backend) {
    let Some(url) = stripe_kit::localstripe_url("billing_stripe_webhooks") else { return };
    let t = stripe_kit::spawn(backend, &url).await;
    let (app, stripe) = (&t.app, &t.stripe);
    let shop = stripe_kit::shop(app).await;
    let order = stripe_kit::place_card_order(&shop.learner, &shop.course_id).await;
    stripe.pay(&order.intent, "pm_card_visa").await;
    let event = stripe.event("payment_intent.succeeded", &order.intent).await.to_string();

    let first = deliver(app, &event, &signature(&t.webhook_secret, now_secs(), &event)).await;
    assert_eq!(first.status, 200, "{}", first.text);
    assert_eq!(first.json()["outcome"], "processed");
    assert_eq!(status(&shop.learner, &order.id).await, "paid");
    assert!(enrolled_after_jobs(app, &shop.course_id, &shop.learner_id).await, "enrolled");

    // The same event again, freshly signed (a replay within the tolerance, or Stripe retrying).
    let replay = deliver(app, &event, &signature(&t.webhook_secret, now_secs(), &event)).await;
    assert_eq!(replay.status, 200, "{}", replay.text);
    assert_eq!(replay.json()["outcome"], "duplicate");
    app.drain_jobs().await;
    assert_eq!(stripe_kit::fulfilments(app).await, 1, "no second fulfilment queued");
    assert_eq!(times_became(app, &order.id, "paid").await, 1, "paid once");

    // An event about a payment of no order here is acknowledged and left alone.
    let foreign = event.replace(&order.intent, "pi_NotOurs42").replace("\"evt_", "\"evt_x");
    let unknown = deliver(app, &foreign, &signature(&t.webhook_secret, now_secs(), &foreign)).await;
    assert_eq!(unknown.json()["outcome"], "unknown", "{}", unknown.text);
    t.app.stop().await;
}

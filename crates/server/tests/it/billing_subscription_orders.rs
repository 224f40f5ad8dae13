//! What a subscription's order says: the plan and the period it pays, on
//! the order's page, the invoice and the receipt (a renewal too); and a
//! payment recorded with a pool of one connection. Both backends.

use crate::{billing_kit, common};

use billing_kit::{enrolled_after_jobs, paid_course};
use common::{Backend, TestApp, spawn, spawn_with};
use lyceum_billing::model::{
    order_number,
    subscriptions::{Interval, next_boundary},
};
use lyceum_platform::auth::Role;
use serde_json::json;

use crate::billing_subscriptions::{mark_paid, mine, period_end, plan, renew_at, subscribe};

on_both_backends!(
    the_order_page_invoice_and_receipt_name_the_period,
    a_payment_is_recorded_with_a_pool_of_one_connection
);

/// A day as the pages write it in English, in UTC (the test users' time zone).
fn day(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms).unwrap().strftime("%-d %B %Y").to_string()
}

fn iso_day(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms).unwrap().strftime("%Y-%m-%d").to_string()
}

async fn period_start(app: &TestApp, subscription_id: &str) -> i64 {
    sqlx::query_scalar("SELECT current_period_start FROM billing_subscriptions WHERE id = $1")
        .bind(subscription_id)
        .fetch_one(app.state().db.pool())
        .await
        .unwrap()
}

/// A subscription's order names the plan and the period it pays, on the
/// order's page, the invoice and the receipt — not a course.
async fn the_order_page_invoice_and_receipt_name_the_period(backend: Backend) {
    let app = spawn(backend).await;
    let (admin, _) = app.signed_in("admin@example.org", Role::Admin).await;
    let (learner, _) = app.signed_in("learner@example.org", Role::Learner).await;
    let plan_id = plan(&admin, "All access", 1500).await;
    let reply = subscribe(&learner, &plan_id).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let order_id = reply.json()["order"]["id"].as_str().unwrap().to_string();
    let sub = reply.json()["subscription"]["id"].as_str().unwrap().to_string();

    let pending = learner.get(&format!("/orders/{order_id}")).await.text;
    assert!(pending.contains("All access — monthly — "), "the period starts with the payment: {pending}");
    mark_paid(&app, &admin, &order_id).await;
    let (start, end) = (period_start(&app, &sub).await, period_end(&app, &sub).await);
    let line = format!("All access — monthly, {} – {}", day(start), day(end));
    let page = learner.get(&format!("/orders/{order_id}")).await.text;
    assert!(page.contains(&line), "{line} on {page}");
    assert!(page.contains("Your subscription is active for this period"), "{page}");
    assert!(page.contains(r#"href="/subscription""#) && !page.contains("Go to my courses"), "{page}");
    let invoice = learner.get(&format!("/orders/{order_id}/invoice")).await;
    assert_eq!(invoice.status, 200);
    assert!(invoice.text.contains(&line), "the invoice names the period: {}", invoice.text);
    let pdf = learner.get(&format!("/orders/{order_id}/invoice.pdf")).await;
    assert_eq!(pdf.status, 200, "the PDF is made with the same words");

    let receipt = format!(
        "Payment received for order {} — All access, {} – {}",
        order_number(&order_id),
        iso_day(start),
        iso_day(end)
    );
    let mails = app.mails_to("learner@example.org").await;
    let subjects: Vec<&str> = mails.iter().map(|m| m.subject.as_str()).collect();
    assert_eq!(subjects.iter().filter(|s| s.starts_with("Payment received")).count(), 1, "one receipt: {subjects:?}");
    let body =
        mails.iter().find(|m| m.subject.starts_with(&receipt)).unwrap_or_else(|| panic!("{receipt} in {subjects:?}"));
    assert!(!body.text.contains("you are enrolled"), "{}", body.text);

    // A renewal not paid yet names the period it pays for.
    renew_at(&app, end + 60_000).await;
    let renewal = mine(&learner).await["orders"][0]["id"].as_str().unwrap().to_string();
    let next = next_boundary(start, Interval::Month, end);
    let ahead = learner.get(&format!("/orders/{renewal}")).await.text;
    let line = format!("All access — monthly, {} – {}", day(end), day(next));
    assert!(ahead.contains(&line), "{line} on {ahead}");
    app.stop().await;
}

/// Making an order paid issues its invoice inside the paying transaction,
/// reading the buyer on that transaction's own connection: with a pool of
/// one connection the payment still goes through, with the buyer named.
async fn a_payment_is_recorded_with_a_pool_of_one_connection(backend: Backend) {
    let app = spawn_with(backend, |s| s.database.max_connections = 1).await;
    let (admin, _) = app.signed_in("admin@example.org", Role::Admin).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (learner, learner_id) = app.signed_in("learner@example.org", Role::Learner).await;
    let (course, _) = paid_course(&teacher, "Paid course", 4900, "EUR").await;
    let order_id = billing_kit::placed(&learner, &course, "manual").await;
    let paid = admin.post(&format!("/api/v1/orders/{order_id}/mark-paid"), json!({})).await;
    assert_eq!(paid.status, 200, "{}", paid.text);
    assert!(enrolled_after_jobs(&app, &course, &learner_id).await);
    let invoice = learner.get(&format!("/orders/{order_id}/invoice")).await;
    assert!(invoice.text.contains("learner@example.org"), "the buyer is on the invoice: {}", invoice.text);
    app.stop().await;
}

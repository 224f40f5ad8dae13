//! Billing with nothing configured (the manual gateway): a learner buys a paid
//! course, an administrator confirms the payment, the learner is enrolled
//! once; the price is the server's; refunds never exceed what was paid;
//! nobody reaches another learner's order; the pages walk the same path.

use crate::{billing_kit, common, enrollment_kit};

use billing_kit::{enrolled, enrolled_after_jobs, order, paid_course, place, placed};
use common::{Backend, Reply, TestClient, spawn};
use lyceum_platform::auth::Role;
use serde_json::json;

on_both_backends!(
    manual_order_enrolls_once_an_admin_marks_it_paid,
    the_price_is_the_servers,
    what_cannot_be_bought_is_refused,
    nobody_reaches_another_learners_order,
    refunds_never_exceed_what_was_paid,
    a_new_checkout_replaces_the_open_order,
    the_pages_walk_the_manual_purchase,
);

async fn manual_order_enrolls_once_an_admin_marks_it_paid(backend: Backend) {
    let app = spawn(backend).await;
    let (admin, _) = app.signed_in("admin@example.org", Role::Admin).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (learner, learner_id) = app.signed_in("learner@example.org", Role::Learner).await;
    let (course, _) = paid_course(&teacher, "Paid course", 4900, "EUR").await;

    let direct = enrollment_kit::enroll(&learner, &course).await;
    direct.assert_problem(402, "payment-required");
    assert!(direct.json()["detail"].as_str().unwrap().contains("/api/v1/orders"), "{}", direct.text);

    let gateways = learner.get("/api/v1/payments/gateways").await.json();
    assert_eq!(gateways["items"], json!([{"id": "manual"}]), "the embedded default");
    let reply = place(&learner, &course, "manual", json!({"country": "fr"})).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let body = reply.json();
    assert_eq!(body["order"]["status"], "pending");
    assert_eq!(body["order"]["total_minor"], 4900);
    assert_eq!(body["order"]["currency"], "EUR");
    assert_eq!(body["order"]["country"], "FR");
    assert_eq!(body["next"]["kind"], "wait");
    let id = body["order"]["id"].as_str().unwrap().to_string();
    assert!(!enrolled_after_jobs(&app, &course, &learner_id).await, "not before the payment");

    let path = format!("/api/v1/orders/{id}/mark-paid");
    learner.post(&path, json!({})).await.assert_problem(403, "forbidden");
    let paid = admin.post(&path, json!({"note": "transfer of 3 December"})).await;
    assert_eq!(paid.status, 200, "{}", paid.text);
    assert_eq!(paid.json()["status"], "paid");
    assert!(enrolled_after_jobs(&app, &course, &learner_id).await, "enrolled through the outbox");

    let again = admin.post(&path, json!({})).await;
    assert_eq!(again.status, 200, "a repeat changes nothing: {}", again.text);
    let verify = learner.post(&format!("/api/v1/orders/{id}/verify"), json!({})).await;
    assert_eq!(verify.json()["status"], "paid");
    app.drain_jobs().await;
    assert_eq!(enrollment_kit::rows(&app, &course, "active").await, 1);
    assert_eq!(enrollment_kit::counter(&app, &course).await, 1, "one seat");
    let history = order(&learner, &id).await["history"].clone();
    let steps: Vec<_> = history.as_array().unwrap().iter().map(|h| h["to_status"].as_str().unwrap()).collect();
    assert_eq!(steps, ["pending", "paid"], "every change recorded once: {history}");
    assert_eq!(history[1]["source"], "admin");
    let audit: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM billing_audit WHERE subject_id = $1")
        .bind(&id)
        .fetch_one(app.state().db.pool())
        .await
        .unwrap();
    assert_eq!(audit, 1, "marking paid is audited once");
    let mine = learner.get("/api/v1/orders").await.json();
    assert_eq!(mine["items"][0]["id"], id.as_str());
    app.stop().await;
}

async fn the_price_is_the_servers(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (learner, _) = app.signed_in("learner@example.org", Role::Learner).await;
    let (course, _) = paid_course(&teacher, "Priced course", 12000, "USD").await;

    let quote = learner.get(&format!("/api/v1/payments/quote?course_id={course}")).await;
    assert_eq!(quote.status, 200, "{}", quote.text);
    assert_eq!(quote.json()["total_minor"], 12000);
    let tampered = json!({"total_minor": 1, "amount_minor": 1, "price_minor": 1, "currency": "JPY"});
    let reply = place(&learner, &course, "manual", tampered).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert_eq!(reply.json()["order"]["total_minor"], 12000, "amounts in the body are ignored");
    assert_eq!(reply.json()["order"]["currency"], "USD");
    app.stop().await;
}

async fn what_cannot_be_bought_is_refused(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (learner, _) = app.signed_in("learner@example.org", Role::Learner).await;
    let (free, _) = enrollment_kit::published(&teacher, "Free course", json!({})).await;
    let (draft, _) = enrollment_kit::draft(&teacher, "Draft", json!({"price_minor": 500, "currency": "EUR"})).await;
    let (full, _) =
        enrollment_kit::published(&teacher, "Full", json!({"price_minor": 500, "currency": "EUR", "seat_limit": 1}))
            .await;
    app.create_user("first@example.org", Role::Learner).await;
    enrollment_kit::add_to_roster(&teacher, &full, "first@example.org").await;

    place(&learner, &free, "manual", json!({})).await.assert_problem(409, "course-free");
    place(&learner, &draft, "manual", json!({})).await.assert_problem(404, "not-found");
    place(&learner, &full, "manual", json!({})).await.assert_problem(409, "course-full");
    place(&learner, "no-such-course", "manual", json!({})).await.assert_problem(404, "not-found");
    let (paid, _) = paid_course(&teacher, "Paid", 900, "EUR").await;
    let unknown = place(&learner, &paid, "bitcoin", json!({})).await;
    unknown.assert_problem(422, "validation");
    assert_eq!(unknown.error_fields(), ["gateway"]);
    let country = place(&learner, &paid, "manual", json!({"country": "France"})).await;
    assert_eq!(country.error_fields(), ["country"], "{}", country.text);
    learner.post("/api/v1/orders", json!({"gateway": "manual"})).await.assert_problem(422, "validation");
    app.client()
        .post("/api/v1/orders", json!({"course_id": paid, "gateway": "manual"}))
        .await
        .assert_problem(401, "unauthorized");

    enrollment_kit::add_to_roster(&teacher, &paid, "learner@example.org").await;
    place(&learner, &paid, "manual", json!({})).await.assert_problem(409, "already-enrolled");
    app.stop().await;
}

async fn nobody_reaches_another_learners_order(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (owner, _) = app.signed_in("owner@example.org", Role::Learner).await;
    let (other, _) = app.signed_in("other@example.org", Role::Learner).await;
    let (course, _) = paid_course(&teacher, "Paid course", 4900, "EUR").await;
    let id = placed(&owner, &course, "manual").await;

    for path in [format!("/api/v1/orders/{id}"), format!("/orders/{id}")] {
        assert_eq!(other.get(&path).await.status, 404, "{path}");
        assert_eq!(teacher.get(&path).await.status, 404, "{path}: the course's staff do not see learners' orders");
    }
    for path in [format!("/api/v1/orders/{id}/verify"), format!("/api/v1/orders/{id}/cancel")] {
        other.post(&path, json!({})).await.assert_problem(404, "not-found");
    }
    other.post(&format!("/api/v1/orders/{id}/refunds"), json!({})).await.assert_problem(404, "not-found");
    other.post(&format!("/api/v1/orders/{id}/mark-paid"), json!({})).await.assert_problem(403, "forbidden");
    assert_eq!(other.get("/api/v1/admin/orders").await.status, 403);
    assert_eq!(other.get(&format!("/admin/orders/{id}")).await.status, 403);
    assert!(other.get("/api/v1/orders").await.json()["items"].as_array().unwrap().is_empty());
    assert_eq!(order(&owner, &id).await["status"], "pending", "untouched");
    app.stop().await;
}

async fn refunds_never_exceed_what_was_paid(backend: Backend) {
    let app = spawn(backend).await;
    let (admin, _) = app.signed_in("admin@example.org", Role::Admin).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (stranger, _) = app.signed_in("stranger@example.org", Role::Instructor).await;
    let (learner, learner_id) = app.signed_in("learner@example.org", Role::Learner).await;
    let (course, _) = paid_course(&teacher, "Paid course", 5000, "EUR").await;
    let id = placed(&learner, &course, "manual").await;
    let refunds = format!("/api/v1/orders/{id}/refunds");

    teacher.post(&refunds, json!({})).await.assert_problem(409, "order-state");
    admin.post(&format!("/api/v1/orders/{id}/mark-paid"), json!({})).await;
    assert!(enrolled_after_jobs(&app, &course, &learner_id).await);

    learner.post(&refunds, json!({"amount_minor": 100})).await.assert_problem(404, "not-found");
    stranger.post(&refunds, json!({"amount_minor": 100})).await.assert_problem(404, "not-found");
    let part = teacher.post(&refunds, json!({"amount_minor": 2000, "reason": "missed half"})).await;
    assert_eq!(part.status, 200, "the course's staff refund: {}", part.text);
    assert_eq!(part.json()["status"], "partially_refunded");
    assert_eq!(part.json()["refunded_minor"], 2000);
    let over = teacher.post(&refunds, json!({"amount_minor": 3001})).await;
    over.assert_problem(422, "validation");
    assert!(over.text.contains("30.00"), "names what is left: {}", over.text);
    teacher.post(&refunds, json!({"amount_minor": 0})).await.assert_problem(422, "validation");
    let rest = admin.post(&refunds, json!({"remove_enrollment": true})).await;
    assert_eq!(rest.status, 200, "{}", rest.text);
    assert_eq!(rest.json()["status"], "refunded");
    assert_eq!(rest.json()["refunded_minor"], 5000);
    assert!(!enrolled(&app, &course, &learner_id).await, "the enrollment went with the refund");
    admin.post(&refunds, json!({"amount_minor": 1})).await.assert_problem(409, "order-state");
    let history = order(&learner, &id).await["history"].clone();
    let steps: Vec<_> = history.as_array().unwrap().iter().map(|h| h["to_status"].as_str().unwrap()).collect();
    assert_eq!(steps, ["pending", "paid", "partially_refunded", "refunded"]);
    let verify = learner.post(&format!("/api/v1/orders/{id}/verify"), json!({})).await;
    assert_eq!(verify.json()["status"], "refunded", "a bookmarked return re-enrolls nobody");
    assert!(!enrolled_after_jobs(&app, &course, &learner_id).await);
    app.stop().await;
}

async fn a_new_checkout_replaces_the_open_order(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (learner, _) = app.signed_in("learner@example.org", Role::Learner).await;
    let (course, _) = paid_course(&teacher, "Paid course", 4900, "EUR").await;
    let first = placed(&learner, &course, "manual").await;
    let second = placed(&learner, &course, "manual").await;
    assert_eq!(order(&learner, &first).await["status"], "cancelled", "one open order per course");
    assert_eq!(order(&learner, &second).await["status"], "pending");

    let cancelled = learner.post(&format!("/api/v1/orders/{second}/cancel"), json!({})).await;
    assert_eq!(cancelled.json()["status"], "cancelled");
    let again = learner.post(&format!("/api/v1/orders/{second}/cancel"), json!({})).await;
    assert_eq!(again.status, 200, "a repeat changes nothing: {}", again.text);
    app.stop().await;
}

/// Fetches `page` for its CSRF token and posts `fields` to `action`.
async fn submit(client: &TestClient, page: &str, action: &str, fields: &[(&str, &str)]) -> Reply {
    let csrf = client.page_csrf(page).await;
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    client.form(action, &all).await
}

async fn the_pages_walk_the_manual_purchase(backend: Backend) {
    let app = spawn(backend).await;
    let (admin, _) = app.signed_in("admin@example.org", Role::Admin).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (learner, learner_id) = app.signed_in("learner@example.org", Role::Learner).await;
    let (course, slug) = paid_course(&teacher, "Paid course", 4900, "EUR").await;

    let enroll = submit(&learner, &format!("/courses/{slug}"), &format!("/courses/{slug}/enroll"), &[]).await;
    assert_eq!(enroll.status, 303);
    assert_eq!(enroll.header("location"), format!("/checkout/{slug}"), "a paid course leads to the checkout");
    let checkout = format!("/checkout/{slug}");
    let page = learner.get(&checkout).await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("49.00") && page.text.contains("value=\"manual\""), "{}", page.text);
    let bad = submit(&learner, &checkout, &checkout, &[("gateway", "manual"), ("country", "Narnia")]).await;
    assert_eq!(bad.status, 422, "the form comes back with the reason");
    assert!(bad.text.contains("two-letter code"), "{}", bad.text);
    let placed = submit(&learner, &checkout, &checkout, &[("gateway", "manual"), ("country", "de")]).await;
    assert_eq!(placed.status, 303, "{}", placed.text);
    let order_page = placed.header("location").to_string();
    let shown = learner.get(&order_page).await;
    assert!(shown.text.contains("Pending") && shown.text.contains("bank transfer"), "{}", shown.text);
    assert!(shown.text.contains("order-status."), "the page follows the payment");
    let id = order_page.trim_start_matches("/orders/");

    let listed = admin.get("/admin/orders?status=pending").await;
    assert!(listed.text.contains(&format!("/admin/orders/{id}")), "{}", listed.text);
    let admin_page = format!("/admin/orders/{id}");
    let paid = submit(&admin, &admin_page, &format!("{admin_page}/mark-paid"), &[("note", "cash")]).await;
    assert_eq!(paid.status, 303);
    assert!(enrolled_after_jobs(&app, &course, &learner_id).await);
    assert!(learner.get(&order_page).await.text.contains("Paid"));
    let too_much = submit(&admin, &admin_page, &format!("{admin_page}/refund"), &[("amount", "60")]).await;
    assert_eq!(too_much.status, 303);
    assert!(admin.get(&admin_page).await.text.contains("flash-error"));
    let refunded = submit(&admin, &admin_page, &format!("{admin_page}/refund"), &[("amount", "9,50")]).await;
    assert_eq!(refunded.status, 303);
    assert_eq!(order(&learner, id).await["refunded_minor"], 950);
    let orders = learner.get("/orders").await;
    assert!(
        orders.text.contains(&format!("/orders/{id}")) && orders.text.contains("Partly refunded"),
        "{}",
        orders.text
    );
    let checkout_again = learner.get(&checkout).await;
    assert_eq!(checkout_again.status, 303, "enrolled: no second purchase");
    app.stop().await;
}

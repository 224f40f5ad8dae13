//! Subscriptions on the manual gateway: subscribing opens the included
//! courses (and only those) once an administrator confirms the payment;
//! cancelling at the period's end keeps access until then; an unpaid renewal
//! is retried on days 1, 3 and 7 with a notice each time, then lapses
//! (enrollments suspended, rows and progress kept) and a payment restores it;
//! the renewal job acts once per `now`; nobody reaches another learner's
//! subscription or the plans' administration. Time moves by passing `now`
//! to the renewal job.

use crate::{billing_kit, common, enrollment_kit, learning_kit};

use billing_kit::{enrolled, enrolled_after_jobs, order, paid_course};
use common::{Backend, Reply, TestApp, TestClient, spawn, spawn_with};
use lyceum_billing::{
    service::subscriptions::renew::{self, Renewed},
    settings::BillingSettings,
};
use lyceum_platform::auth::Role;
use serde_json::{Value, json};

on_both_backends!(
    subscribing_opens_the_included_courses_only,
    plans_are_kept_by_administrators,
    cancelling_keeps_access_until_the_period_ends,
    an_unpaid_renewal_is_retried_then_lapses_and_paying_restores_access,
    nobody_reaches_another_learners_subscription,
    the_pages_walk_a_subscription,
    paypal_is_not_offered_for_subscriptions,
    refunding_the_paid_period_in_full_ends_the_subscription,
);

pub(crate) const DAY: i64 = 86_400_000;

/// A monthly plan at `price_minor` EUR, created by `admin`: its id.
pub(crate) async fn plan(admin: &TestClient, name: &str, price_minor: i64) -> String {
    let body = json!({"name": name, "interval": "month", "price_minor": price_minor, "currency": "EUR"});
    let reply = admin.post("/api/v1/subscription-plans", body).await;
    assert_eq!(reply.status, 201, "create plan: {}", reply.text);
    reply.json()["id"].as_str().unwrap().to_string()
}

pub(crate) async fn include(admin: &TestClient, course_id: &str) {
    let path = format!("/api/v1/subscription-plans/included-courses/{course_id}");
    let reply = admin.send(reqwest::Method::PUT, &path, None).await;
    assert_eq!(reply.status, 200, "include: {}", reply.text);
}

pub(crate) async fn subscribe(client: &TestClient, plan_id: &str) -> Reply {
    client.post("/api/v1/subscriptions", json!({"plan_id": plan_id, "gateway": "manual"})).await
}

/// The learner subscribes and an administrator confirms the payment: the subscription's id.
async fn subscribed(app: &TestApp, admin: &TestClient, learner: &TestClient, plan_id: &str) -> String {
    let reply = subscribe(learner, plan_id).await;
    assert_eq!(reply.status, 201, "subscribe: {}", reply.text);
    let order_id = reply.json()["order"]["id"].as_str().unwrap().to_string();
    mark_paid(app, admin, &order_id).await;
    reply.json()["subscription"]["id"].as_str().unwrap().to_string()
}

pub(crate) async fn mark_paid(app: &TestApp, admin: &TestClient, order_id: &str) {
    let paid = admin.post(&format!("/api/v1/orders/{order_id}/mark-paid"), json!({})).await;
    assert_eq!(paid.status, 200, "mark paid: {}", paid.text);
    app.drain_jobs().await;
}

pub(crate) async fn mine(client: &TestClient) -> Value {
    let reply = client.get("/api/v1/subscriptions/mine").await;
    assert_eq!(reply.status, 200, "my subscription: {}", reply.text);
    reply.json()["subscription"].clone()
}

pub(crate) async fn period_end(app: &TestApp, subscription_id: &str) -> i64 {
    sqlx::query_scalar("SELECT current_period_end FROM billing_subscriptions WHERE id = $1")
        .bind(subscription_id)
        .fetch_one(app.state().db.pool())
        .await
        .unwrap()
}

/// Runs the renewal job at `now`, then the jobs it queued.
pub(crate) async fn renew_at(app: &TestApp, now: i64) -> Renewed {
    let done = renew::run_once(app.state(), now).await.expect("renewal job");
    app.drain_jobs().await;
    done
}

pub(crate) async fn count(app: &TestApp, sql: &'static str, a: &str, b: &str) -> i64 {
    sqlx::query_scalar(sql).bind(a).bind(b).fetch_one(app.state().db.pool()).await.unwrap()
}

pub(crate) async fn notices(app: &TestApp, user_id: &str, kind: &str) -> i64 {
    count(app, "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND kind = $2", user_id, kind).await
}

async fn send_with_key(client: &TestClient, path: &str, key: &str, body: Value) -> Reply {
    let mut req = client.http.post(client.url(path)).header("idempotency-key", key).json(&body);
    if let Some(csrf) = &client.csrf {
        req = req.header("x-csrf-token", csrf);
    }
    client.raw(req).await
}

pub(crate) async fn enroll_in(client: &TestClient, course_id: &str) -> Reply {
    client.post("/api/v1/subscriptions/enrollments", json!({"course_id": course_id})).await
}

async fn subscribing_opens_the_included_courses_only(backend: Backend) {
    let app = spawn(backend).await;
    let (admin, _) = app.signed_in("admin@example.org", Role::Admin).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (learner, learner_id) = app.signed_in("learner@example.org", Role::Learner).await;
    let (included, _) = paid_course(&teacher, "Included", 4900, "EUR").await;
    let (other, _) = paid_course(&teacher, "Not included", 4900, "EUR").await;
    let plan_id = plan(&admin, "All access", 1500).await;
    include(&admin, &included).await;
    let listed = app.client().get("/api/v1/subscription-plans/included-courses").await.json();
    assert_eq!(listed["items"][0]["course_id"], included.as_str());

    enroll_in(&learner, &included).await.assert_problem(402, "subscription-required");
    let keyed = json!({"plan_id": plan_id, "gateway": "manual"});
    let first = send_with_key(&learner, "/api/v1/subscriptions", "sub-1", keyed.clone()).await;
    assert_eq!(first.status, 201, "{}", first.text);
    let body = first.json();
    assert_eq!(body["subscription"]["status"], "pending");
    assert_eq!(body["order"]["total_minor"], 1500, "the plan's price");
    assert_eq!(body["next"]["kind"], "wait");
    let replay = send_with_key(&learner, "/api/v1/subscriptions", "sub-1", keyed).await;
    assert_eq!(replay.json()["order"]["id"], body["order"]["id"], "a repeat with the key replays the order");
    enroll_in(&learner, &included).await.assert_problem(402, "subscription-required");

    mark_paid(&app, &admin, body["order"]["id"].as_str().unwrap()).await;
    let sub = mine(&learner).await;
    assert_eq!(sub["status"], "active", "{sub}");
    assert!(sub["renews_at"].is_string() && !sub["cancel_at_period_end"].as_bool().unwrap());
    assert_eq!(sub["orders"].as_array().unwrap().len(), 1, "the payment history");
    let end = period_end(&app, sub["id"].as_str().unwrap()).await;
    let days = (end - lyceum_platform::db::now_ms()) / DAY;
    assert!((27..=31).contains(&days), "one month: {days} days");

    let enrolled_reply = enroll_in(&learner, &included).await;
    assert_eq!(enrolled_reply.status, 201, "{}", enrolled_reply.text);
    assert!(enrolled(&app, &included, &learner_id).await);
    assert_eq!(enroll_in(&learner, &included).await.status, 200, "again: the same enrollment");
    enroll_in(&learner, &other).await.assert_problem(409, "not-included");
    enrollment_kit::enroll(&learner, &other).await.assert_problem(402, "payment-required");
    enroll_in(&learner, "no-such-course").await.assert_problem(404, "not-found");
    subscribe(&learner, &plan_id).await.assert_problem(409, "subscription-state");
    app.stop().await;
}

async fn plans_are_kept_by_administrators(backend: Backend) {
    let app = spawn(backend).await;
    let (admin, _) = app.signed_in("admin@example.org", Role::Admin).await;
    let (learner, _) = app.signed_in("learner@example.org", Role::Learner).await;
    let bad = |name: &str, price: i64, currency: &str| json!({"name": name, "interval": "year", "price_minor": price, "currency": currency});
    for (body, field) in
        [(bad("", 100, "EUR"), "name"), (bad("Y", 0, "EUR"), "price_minor"), (bad("Y", 100, "EURO"), "currency")]
    {
        let reply = admin.post("/api/v1/subscription-plans", body).await;
        reply.assert_problem(422, "validation");
        assert_eq!(reply.error_fields(), [field], "{}", reply.text);
    }
    let plan_id = plan(&admin, "Monthly", 1500).await;
    let path = format!("/api/v1/subscription-plans/{plan_id}");
    let renamed = admin.patch(&path, json!({"name": "Monthly pass", "price_minor": 1900})).await;
    assert_eq!(renamed.status, 200, "{}", renamed.text);
    assert_eq!(
        (renamed.json()["name"].as_str(), renamed.json()["price_minor"].as_i64()),
        (Some("Monthly pass"), Some(1900))
    );
    let off = admin.patch(&path, json!({"active": false})).await;
    assert_eq!(off.json()["active"], false);
    assert!(learner.get("/api/v1/subscription-plans").await.json()["items"].as_array().unwrap().is_empty());
    assert_eq!(admin.get("/api/v1/subscription-plans?all=true").await.json()["items"][0]["id"], plan_id.as_str());
    let refused = subscribe(&learner, &plan_id).await;
    refused.assert_problem(422, "validation");
    assert_eq!(refused.error_fields(), ["plan_id"]);
    subscribe(&learner, "no-such-plan").await.assert_problem(404, "not-found");
    let audit =
        count(&app, "SELECT COUNT(*) FROM billing_audit WHERE subject_id = $1 AND subject_kind = $2", &plan_id, "plan")
            .await;
    assert_eq!(audit, 3, "created, renamed, deactivated: audited");
    app.stop().await;
}

async fn cancelling_keeps_access_until_the_period_ends(backend: Backend) {
    let app = spawn(backend).await;
    let (admin, _) = app.signed_in("admin@example.org", Role::Admin).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (learner, learner_id) = app.signed_in("learner@example.org", Role::Learner).await;
    let (course, _) = paid_course(&teacher, "Included", 4900, "EUR").await;
    let plan_id = plan(&admin, "Monthly", 1500).await;
    include(&admin, &course).await;
    let sub = subscribed(&app, &admin, &learner, &plan_id).await;
    assert_eq!(enroll_in(&learner, &course).await.status, 201);
    let end = period_end(&app, &sub).await;

    let cancel = learner.post(&format!("/api/v1/subscriptions/{sub}/cancel"), json!({})).await;
    assert_eq!(cancel.status, 200, "{}", cancel.text);
    assert_eq!(
        (cancel.json()["status"].as_str(), cancel.json()["cancel_at_period_end"].as_bool()),
        (Some("active"), Some(true))
    );
    assert!(cancel.json()["renews_at"].is_null());
    assert_eq!(renew_at(&app, end - DAY).await, Renewed::default(), "nothing before the end");
    assert!(enrolled(&app, &course, &learner_id).await, "access until the period ends");
    let resumed = learner.post(&format!("/api/v1/subscriptions/{sub}/resume"), json!({})).await;
    assert_eq!(resumed.json()["cancel_at_period_end"], false, "resumed before the end: {}", resumed.text);
    learner.post(&format!("/api/v1/subscriptions/{sub}/cancel"), json!({})).await;

    let done = renew_at(&app, end + 60_000).await;
    assert_eq!((done.ended, done.renewals), (1, 0), "{done:?}");
    assert_eq!(mine(&learner).await["status"], "cancelled");
    assert!(!enrolled(&app, &course, &learner_id).await, "access ends with the period");
    assert_eq!(enrollment_kit::rows(&app, &course, "cancelled").await, 1, "the row is kept");
    learner
        .post(&format!("/api/v1/subscriptions/{sub}/resume"), json!({}))
        .await
        .assert_problem(409, "subscription-state");
    assert_eq!(renew_at(&app, end + 2 * DAY).await, Renewed::default());
    assert_eq!(mine(&learner).await["orders"].as_array().unwrap().len(), 1, "no renewal order");
    enroll_in(&learner, &course).await.assert_problem(402, "subscription-required");
    app.stop().await;
}

async fn an_unpaid_renewal_is_retried_then_lapses_and_paying_restores_access(backend: Backend) {
    let app = spawn(backend).await;
    let (admin, _) = app.signed_in("admin@example.org", Role::Admin).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (learner, learner_id) = app.signed_in("learner@example.org", Role::Learner).await;
    let course = learning_kit::course_with(&teacher, "Included", &[("One", vec![learning_kit::text("Intro")])]).await;
    let priced =
        teacher.patch(&format!("/api/v1/courses/{}", course.id), json!({"price_minor": 4900, "currency": "EUR"})).await;
    assert_eq!(priced.status, 200, "{}", priced.text);
    learning_kit::publish(&teacher, &course.id).await;
    let plan_id = plan(&admin, "Monthly", 1500).await;
    include(&admin, &course.id).await;
    let sub = subscribed(&app, &admin, &learner, &plan_id).await;
    assert_eq!(enroll_in(&learner, &course.id).await.status, 201);
    learning_kit::complete(&learner, &course.lessons[0]).await;
    let end = period_end(&app, &sub).await;

    let first = renew_at(&app, end + 60_000).await;
    assert_eq!((first.renewals, first.unpaid), (1, 1), "{first:?}");
    assert_eq!(renew_at(&app, end + 60_000).await, Renewed::default(), "the same `now` again: nothing more");
    let after = mine(&learner).await;
    assert_eq!((after["status"].as_str(), after["failed_attempts"].as_i64()), (Some("past_due"), Some(1)));
    let renewal = after["orders"][0]["id"].as_str().unwrap().to_string();
    assert_eq!(after["orders"].as_array().unwrap().len(), 2, "one renewal order");
    assert_eq!(order(&learner, &renewal).await["status"], "pending", "waits for the transfer");
    assert!(enrolled(&app, &course.id, &learner_id).await, "access continues in the grace period");
    assert_eq!(notices(&app, &learner_id, "billing.renewal_failed").await, 1);

    for (day, expected) in [(1, 2), (2, 2), (3, 3)] {
        renew_at(&app, end + day * DAY + 60_000).await;
        assert_eq!(notices(&app, &learner_id, "billing.renewal_failed").await, expected, "day {day}");
        assert!(enrolled(&app, &course.id, &learner_id).await, "day {day}: still in the grace period");
    }
    let last = renew_at(&app, end + 7 * DAY + 60_000).await;
    assert_eq!(last.lapsed, 1, "{last:?}");
    assert_eq!(mine(&learner).await["status"], "lapsed");
    assert!(!enrolled(&app, &course.id, &learner_id).await, "access suspended");
    assert_eq!(enrollment_kit::rows(&app, &course.id, "cancelled").await, 1, "the enrollment row is kept");
    let progress =
        "SELECT COUNT(*) FROM lesson_progress WHERE user_id = $1 AND course_id = $2 AND completed_at IS NOT NULL";
    assert_eq!(count(&app, progress, &learner_id, &course.id).await, 1, "progress kept");
    assert_eq!(notices(&app, &learner_id, "billing.subscription_lapsed").await, 1);
    let mails = app.mails_to("learner@example.org").await;
    assert_eq!(mails.iter().filter(|m| m.subject.contains("renewal is not paid")).count(), 3, "a mail each attempt");
    assert_eq!(mails.iter().filter(|m| m.subject.contains("has lapsed")).count(), 1);
    enroll_in(&learner, &course.id).await.assert_problem(402, "subscription-required");

    mark_paid(&app, &admin, &renewal).await;
    assert_eq!(mine(&learner).await["status"], "active", "the payment restores it");
    assert!(enrolled_after_jobs(&app, &course.id, &learner_id).await, "access restored");
    assert_eq!(count(&app, progress, &learner_id, &course.id).await, 1, "with the progress");
    assert_eq!(enrollment_kit::counter(&app, &course.id).await, 1, "one seat");
    app.stop().await;
}

async fn nobody_reaches_another_learners_subscription(backend: Backend) {
    let app = spawn(backend).await;
    let (admin, _) = app.signed_in("admin@example.org", Role::Admin).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (owner, _) = app.signed_in("owner@example.org", Role::Learner).await;
    let (other, _) = app.signed_in("other@example.org", Role::Learner).await;
    let (course, _) = paid_course(&teacher, "Included", 4900, "EUR").await;
    let plan_id = plan(&admin, "Monthly", 1500).await;
    let sub = subscribed(&app, &admin, &owner, &plan_id).await;

    assert_eq!(other.get(&format!("/api/v1/subscriptions/{sub}")).await.status, 404);
    for action in ["cancel", "resume"] {
        other.post(&format!("/api/v1/subscriptions/{sub}/{action}"), json!({})).await.assert_problem(404, "not-found");
    }
    assert!(mine(&other).await.is_null(), "never subscribed");
    assert_eq!(admin.get(&format!("/api/v1/subscriptions/{sub}")).await.status, 200, "administrators see it");
    assert_eq!(mine(&owner).await["status"], "active", "untouched");

    let new_plan = json!({"name": "X", "interval": "month", "price_minor": 100, "currency": "EUR"});
    other.post("/api/v1/subscription-plans", new_plan).await.assert_problem(403, "forbidden");
    teacher
        .patch(&format!("/api/v1/subscription-plans/{plan_id}"), json!({"active": false}))
        .await
        .assert_problem(403, "forbidden");
    let include_path = format!("/api/v1/subscription-plans/included-courses/{course}");
    teacher.send(reqwest::Method::PUT, &include_path, None).await.assert_problem(403, "forbidden");
    other.get("/api/v1/subscription-plans?all=true").await.assert_problem(403, "forbidden");
    app.client().get("/api/v1/subscription-plans?all=true").await.assert_problem(401, "unauthorized");
    other.get("/api/v1/admin/subscriptions").await.assert_problem(403, "forbidden");
    for page in ["/admin/subscriptions", "/admin/subscription-plans"] {
        assert_eq!(other.get(page).await.status, 403, "{page}");
    }
    let listed = admin.get("/api/v1/admin/subscriptions?status=active").await.json();
    assert_eq!(listed["items"][0]["id"], sub.as_str());
    app.stop().await;
}

/// Fetches `page` for its CSRF token and posts `fields` to `action`.
async fn submit(client: &TestClient, page: &str, action: &str, fields: &[(&str, &str)]) -> Reply {
    let csrf = client.page_csrf(page).await;
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    client.form(action, &all).await
}

async fn the_pages_walk_a_subscription(backend: Backend) {
    let app = spawn(backend).await;
    let (admin, _) = app.signed_in("admin@example.org", Role::Admin).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (learner, learner_id) = app.signed_in("learner@example.org", Role::Learner).await;
    let (course, slug) = paid_course(&teacher, "Included course", 4900, "EUR").await;

    let plans = "/admin/subscription-plans";
    let fields = [("name", "All access"), ("price", "15"), ("currency", "EUR"), ("interval", "month")];
    assert_eq!(submit(&admin, plans, plans, &fields).await.status, 303);
    let included = submit(&admin, plans, &format!("{plans}/included"), &[("slug", &format!("/courses/{slug}"))]).await;
    assert_eq!(included.status, 303);
    let shown = admin.get(plans).await.text;
    assert!(shown.contains("All access") && shown.contains("Included course"), "{shown}");

    let page = learner.get("/subscribe").await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("15.00") && page.text.contains("Included course"), "{}", page.text);
    let placed = submit(&learner, "/subscribe", "/subscribe", &[("plan", "nope"), ("gateway", "manual")]).await;
    assert_eq!(placed.status, 422, "an unknown plan comes back with the form");
    let plan_id = admin.get("/api/v1/subscription-plans").await.json()["items"][0]["id"].as_str().unwrap().to_string();
    let placed = submit(&learner, "/subscribe", "/subscribe", &[("plan", &plan_id), ("gateway", "manual")]).await;
    assert_eq!(placed.status, 303, "{}", placed.text);
    let order_page = placed.header("location").to_string();
    assert!(learner.get(&order_page).await.text.contains("bank transfer"));
    assert!(learner.get("/subscription").await.text.contains("Awaiting payment"));
    mark_paid(&app, &admin, order_page.trim_start_matches("/orders/")).await;

    let mine_page = learner.get("/subscription").await.text;
    assert!(
        mine_page.contains("Renews on") && mine_page.contains(&format!("/subscriptions/enroll/{slug}")),
        "{mine_page}"
    );
    let checkout = learner.get(&format!("/checkout/{slug}")).await;
    assert!(checkout.text.contains("id=\"enroll-with-subscription\""), "the checkout offers the subscription");
    let enrolled_reply =
        submit(&learner, &format!("/checkout/{slug}"), &format!("/subscriptions/enroll/{slug}"), &[]).await;
    assert_eq!(enrolled_reply.status, 303, "{}", enrolled_reply.text);
    assert_eq!(enrolled_reply.header("location"), format!("/learn/{slug}"));
    assert!(enrolled(&app, &course, &learner_id).await);
    assert_eq!(submit(&learner, "/subscription", "/subscription/cancel", &[]).await.status, 303);
    assert!(learner.get("/subscription").await.text.contains("Ends on"));
    assert_eq!(submit(&learner, "/subscription", "/subscription/resume", &[]).await.status, 303);
    assert!(learner.get("/subscription").await.text.contains("Renews on"));
    assert!(admin.get("/admin/subscriptions").await.text.contains("learner@example.org"));
    app.stop().await;
}

/// PayPal takes course payments but not subscriptions: renewing through it
/// would need PayPal's vaulting. Refused before PayPal is ever called.
async fn paypal_is_not_offered_for_subscriptions(backend: Backend) {
    let app = spawn_with(backend, |s| {
        let billing = s.section_mut::<BillingSettings>();
        billing.gateways = vec!["manual".into(), "paypal".into()];
        billing.paypal.api_base = "http://127.0.0.1:9".into();
        billing.paypal.client_id = "unused".into();
    })
    .await;
    let (admin, _) = app.signed_in("admin@example.org", Role::Admin).await;
    let (learner, _) = app.signed_in("learner@example.org", Role::Learner).await;
    let plan_id = plan(&admin, "Monthly", 1500).await;
    let offered = learner.get("/api/v1/payments/gateways").await.json();
    assert_eq!(offered["items"][1]["id"], "paypal", "{offered}");
    let refused = learner.post("/api/v1/subscriptions", json!({"plan_id": plan_id, "gateway": "paypal"})).await;
    refused.assert_problem(422, "validation");
    assert_eq!(refused.error_fields(), ["gateway"]);
    let page = learner.get("/subscribe").await.text;
    assert!(page.contains("value=\"manual\"") && !page.contains("value=\"paypal\""), "{page}");
    app.stop().await;
}

/// A full refund of the order that paid the current period ends the
/// subscription at once (access suspended, enrollments kept); a partial
/// refund does not. Only administrators refund a subscription's order.
async fn refunding_the_paid_period_in_full_ends_the_subscription(backend: Backend) {
    let app = spawn(backend).await;
    let (admin, _) = app.signed_in("admin@example.org", Role::Admin).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (learner, learner_id) = app.signed_in("learner@example.org", Role::Learner).await;
    let (course, _) = paid_course(&teacher, "Included", 4900, "EUR").await;
    let plan_id = plan(&admin, "Monthly", 1500).await;
    include(&admin, &course).await;
    let sub = subscribed(&app, &admin, &learner, &plan_id).await;
    assert_eq!(enroll_in(&learner, &course).await.status, 201);
    let order_id = mine(&learner).await["orders"][0]["id"].as_str().unwrap().to_string();
    let end = period_end(&app, &sub).await;
    let refunds = format!("/api/v1/orders/{order_id}/refunds");

    for (who, client) in [("the course's teacher", &teacher), ("the learner", &learner)] {
        let refused = client.post(&refunds, json!({"amount_minor": 100})).await;
        refused.assert_problem(404, "not-found");
        assert_eq!(refused.status, 404, "{who}");
    }
    let part = admin.post(&refunds, json!({"amount_minor": 500, "reason": "a week offline"})).await;
    assert_eq!(part.status, 200, "{}", part.text);
    assert_eq!(part.json()["status"], "partially_refunded");
    app.drain_jobs().await;
    assert_eq!(mine(&learner).await["status"], "active", "a partial refund keeps the subscription");
    assert!(enrolled(&app, &course, &learner_id).await);

    let rest = admin.post(&refunds, json!({"reason": "changed their mind"})).await;
    assert_eq!(rest.status, 200, "{}", rest.text);
    assert_eq!(rest.json()["status"], "refunded");
    app.drain_jobs().await;
    let after = mine(&learner).await;
    assert_eq!(after["status"], "cancelled", "ended at once: {after}");
    assert!(!enrolled(&app, &course, &learner_id).await, "access suspended");
    assert_eq!(enrollment_kit::rows(&app, &course, "cancelled").await, 1, "the enrollment row is kept");
    enroll_in(&learner, &course).await.assert_problem(402, "subscription-required");
    let audited = count(
        &app,
        "SELECT COUNT(*) FROM billing_audit WHERE subject_id = $1 AND action = $2",
        &sub,
        "subscription.end_refunded",
    )
    .await;
    assert_eq!(audited, 1, "the end is audited");
    assert_eq!(renew_at(&app, end + 60_000).await, Renewed::default(), "nothing left to renew");
    assert_eq!(mine(&learner).await["orders"].as_array().unwrap().len(), 1, "no renewal order");
    app.stop().await;
}

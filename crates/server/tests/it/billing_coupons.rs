//! Coupons through the API, with the manual gateway (the default):
//! discounts and their rounding, course scoping, dates, per-learner and
//! overall limits (raced like the seat limit), a cancelled order giving its
//! redemption back, a 100 % coupon completing the order without a gateway,
//! and who may manage coupons and tax — on SQLite and PostgreSQL. Tax and
//! tampered bodies: `billing_tax`; the pages: `billing_coupons_pages`.

use futures::future::join_all;
use lyceum_platform::auth::Role;
use reqwest::Method;
use serde_json::{Value, json};

use crate::{
    billing_kit::{enrolled_after_jobs, order, paid_course, place},
    common::{Backend, Reply, TestApp, TestClient, spawn, spawn_with},
};

on_both_backends!(
    percent_and_fixed_discounts_round_half_up,
    coupons_apply_to_their_courses_and_currency_only,
    coupons_apply_within_their_dates_and_while_active,
    a_learner_uses_a_coupon_as_often_as_it_allows,
    twenty_learners_race_for_five_redemptions,
    a_cancelled_order_gives_its_redemption_back,
    a_free_coupon_completes_the_order_without_a_gateway,
    only_administrators_manage_coupons_and_tax,
    coupon_admin_validates_audits_and_replays,
);

/// The administrator's new coupon: its JSON.
pub(crate) async fn coupon(admin: &TestClient, body: Value) -> Value {
    let reply = admin.post("/api/v1/coupons", body).await;
    assert_eq!(reply.status, 201, "create coupon: {}", reply.text);
    reply.json()
}

/// GET /api/v1/payments/quote for `course` with `query` (`&coupon=…&country=…`).
pub(crate) async fn quote(client: &TestClient, course: &str, query: &str) -> Reply {
    client.get(&format!("/api/v1/payments/quote?course_id={course}{query}")).await
}

/// A quote that must succeed: (subtotal, discount, tax, total).
pub(crate) async fn priced(client: &TestClient, course: &str, query: &str) -> (i64, i64, i64, i64) {
    let reply = quote(client, course, query).await;
    assert_eq!(reply.status, 200, "quote: {}", reply.text);
    let q = reply.json();
    let n = |k: &str| q[k].as_i64().unwrap();
    (n("subtotal_minor"), n("discount_minor"), n("tax_minor"), n("total_minor"))
}

/// The 422 on `coupon`, its message.
#[track_caller]
fn coupon_refusal(reply: &Reply) -> String {
    reply.assert_problem(422, "validation");
    assert_eq!(reply.error_fields(), vec!["coupon"], "{}", reply.text);
    reply.json()["errors"][0]["message"].as_str().unwrap().to_string()
}

/// (redeemed_count as the admin API shows it, redemption rows in the table).
async fn redemptions(app: &TestApp, admin: &TestClient, coupon_id: &str) -> (i64, i64) {
    let shown = admin.get(&format!("/api/v1/coupons/{coupon_id}")).await.json()["redeemed_count"].as_i64().unwrap();
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM billing_coupon_redemptions WHERE coupon_id = $1")
        .bind(coupon_id)
        .fetch_one(app.state().db.pool())
        .await
        .unwrap();
    (shown, rows)
}

pub(crate) async fn people(app: &TestApp) -> (TestClient, TestClient, TestClient) {
    let (admin, _) = app.signed_in("admin@example.org", Role::Admin).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (learner, _) = app.signed_in("learner@example.org", Role::Learner).await;
    (admin, teacher, learner)
}

fn at(ms: i64) -> String {
    lyceum_platform::db::rfc3339(ms)
}

async fn percent_and_fixed_discounts_round_half_up(backend: Backend) {
    let app = spawn(backend).await;
    let (admin, teacher, learner) = people(&app).await;
    let (course, _) = paid_course(&teacher, "Rust", 1995, "EUR").await;
    coupon(&admin, json!({"code": "ten", "kind": "percent", "percent": 10})).await;
    coupon(&admin, json!({"code": "FIVE", "kind": "fixed", "amount_minor": 500, "currency": "EUR"})).await;
    coupon(&admin, json!({"code": "HUGE", "kind": "fixed", "amount_minor": 5000, "currency": "EUR"})).await;

    assert_eq!(priced(&learner, &course, "&coupon=TEN").await, (1995, 200, 0, 1795), "199.5 cents → 200");
    assert_eq!(priced(&learner, &course, "&coupon=%20ten%20").await.1, 200, "any case, spaces trimmed");
    assert_eq!(priced(&learner, &course, "&coupon=five").await, (1995, 500, 0, 1495));
    assert_eq!(priced(&learner, &course, "&coupon=HUGE").await, (1995, 1995, 0, 0), "capped at the subtotal");
    assert_eq!(priced(&learner, &course, "").await, (1995, 0, 0, 1995));
    let q = quote(&learner, &course, "&coupon=ten").await.json();
    assert_eq!(q["coupon"], "TEN");

    let placed = place(&learner, &course, "manual", json!({"coupon": "Ten"})).await;
    assert_eq!(placed.status, 201, "{}", placed.text);
    let o = &placed.json()["order"];
    assert_eq!((o["subtotal_minor"].as_i64(), o["discount_minor"].as_i64()), (Some(1995), Some(200)));
    assert_eq!((o["total_minor"].as_i64(), o["status"].as_str()), (Some(1795), Some("pending")));
    let ten = o["coupon_id"].as_str().unwrap().to_string();
    assert_eq!(redemptions(&app, &admin, &ten).await, (1, 1));
    app.stop().await;
}

async fn coupons_apply_to_their_courses_and_currency_only(backend: Backend) {
    let app = spawn(backend).await;
    let (admin, teacher, learner) = people(&app).await;
    let (rust, _) = paid_course(&teacher, "Rust", 4900, "EUR").await;
    let (go, _) = paid_course(&teacher, "Go basics", 3900, "EUR").await;
    let (yen, _) = paid_course(&teacher, "Yen course", 1500, "JPY").await;
    let (dollars, _) = paid_course(&teacher, "Dollars", 2000, "USD").await;
    coupon(&admin, json!({"code": "RUSTONLY", "kind": "percent", "percent": 50, "course_ids": [rust]})).await;
    coupon(&admin, json!({"code": "TWO", "kind": "percent", "percent": 15, "course_ids": [rust, yen]})).await;
    coupon(&admin, json!({"code": "USD5", "kind": "fixed", "amount_minor": 500, "currency": "usd"})).await;

    assert_eq!(priced(&learner, &rust, "&coupon=RUSTONLY").await.1, 2450);
    let message = coupon_refusal(&quote(&learner, &go, "&coupon=RUSTONLY").await);
    assert_eq!(message, "The coupon “RUSTONLY” does not apply to this course.");
    assert_eq!(priced(&learner, &yen, "&coupon=two").await, (1500, 225, 0, 1275), "225 yen, no minor unit");
    coupon_refusal(&quote(&learner, &go, "&coupon=TWO").await);
    assert_eq!(priced(&learner, &dollars, "&coupon=usd5").await.1, 500);
    let message = coupon_refusal(&quote(&learner, &rust, "&coupon=USD5").await);
    assert!(message.contains("in USD; this course is priced in EUR"), "{message}");
    // Placing refuses the same way and leaves nothing behind.
    let refused = place(&learner, &go, "manual", json!({"coupon": "RUSTONLY"})).await;
    assert_eq!(coupon_refusal(&refused), "The coupon “RUSTONLY” does not apply to this course.");
    assert_eq!(learner.get("/api/v1/orders").await.json()["items"].as_array().unwrap().len(), 0);

    let empty =
        admin.post("/api/v1/coupons", json!({"code": "NONE", "kind": "percent", "percent": 5, "course_ids": []}));
    assert_eq!(empty.await.error_fields(), vec!["course_ids"]);
    let ghost = json!({"code": "GHOST", "kind": "percent", "percent": 5, "course_ids": ["no-such-id"]});
    assert_eq!(admin.post("/api/v1/coupons", ghost).await.error_fields(), vec!["course_ids"]);
    app.stop().await;
}

async fn coupons_apply_within_their_dates_and_while_active(backend: Backend) {
    let app = spawn(backend).await;
    let (admin, teacher, learner) = people(&app).await;
    let (course, _) = paid_course(&teacher, "Rust", 4900, "EUR").await;
    let now = lyceum_platform::db::now_ms();
    let day = 86_400_000;
    coupon(&admin, json!({"code": "LATER", "kind": "percent", "percent": 5, "valid_from": "2999-01-01T09:00:00Z"}))
        .await;
    coupon(&admin, json!({"code": "PAST", "kind": "percent", "percent": 5, "valid_until": at(now - day)})).await;
    let now_on = coupon(
        &admin,
        json!({"code": "NOW", "kind": "percent", "percent": 5, "valid_from": at(now - day),
            "valid_until": at(now + day)}),
    )
    .await;

    assert_eq!(
        coupon_refusal(&quote(&learner, &course, "&coupon=later").await),
        "The coupon “LATER” can be used from 2999-01-01 09:00 UTC."
    );
    assert_eq!(coupon_refusal(&quote(&learner, &course, "&coupon=past").await), "The coupon “PAST” has expired.");
    assert_eq!(priced(&learner, &course, "&coupon=now").await.1, 245);
    assert_eq!(
        coupon_refusal(&quote(&learner, &course, "&coupon=nope").await),
        "There is no coupon “NOPE”. Check how it is spelled."
    );

    let id = now_on["id"].as_str().unwrap();
    let off = admin.patch(&format!("/api/v1/coupons/{id}"), json!({"active": false})).await;
    assert_eq!((off.status.as_u16(), off.json()["active"].as_bool()), (200, Some(false)), "{}", off.text);
    assert_eq!(
        coupon_refusal(&quote(&learner, &course, "&coupon=now").await),
        "The coupon “NOW” is no longer offered."
    );
    coupon_refusal(&place(&learner, &course, "manual", json!({"coupon": "now"})).await);
    admin.patch(&format!("/api/v1/coupons/{id}"), json!({"active": true, "valid_until": null})).await;
    assert_eq!(priced(&learner, &course, "&coupon=now").await.1, 245, "reactivated, no end");
    let bad = admin.patch(&format!("/api/v1/coupons/{id}"), json!({"valid_until": at(now - 2 * day)})).await;
    assert_eq!(bad.error_fields(), vec!["valid_until"], "before its start: {}", bad.text);
    app.stop().await;
}

async fn a_learner_uses_a_coupon_as_often_as_it_allows(backend: Backend) {
    let app = spawn(backend).await;
    let (admin, teacher, learner) = people(&app).await;
    let (other, _) = app.signed_in("other@example.org", Role::Learner).await;
    let (rust, _) = paid_course(&teacher, "Rust", 4900, "EUR").await;
    let (go, _) = paid_course(&teacher, "Go basics", 3900, "EUR").await;
    let once = coupon(&admin, json!({"code": "ONCE", "kind": "percent", "percent": 20, "max_per_learner": 1})).await;
    let once = once["id"].as_str().unwrap();

    assert_eq!(place(&learner, &rust, "manual", json!({"coupon": "once"})).await.status, 201);
    // Checking the same course out again replaces that order and its redemption.
    assert_eq!(priced(&learner, &rust, "&coupon=once").await.1, 980, "their open order's use comes back");
    assert_eq!(place(&learner, &rust, "manual", json!({"coupon": "once"})).await.status, 201);
    assert_eq!(redemptions(&app, &admin, once).await, (1, 1));
    let message = coupon_refusal(&quote(&learner, &go, "&coupon=once").await);
    assert_eq!(message, "You have already used the coupon “ONCE” as many times as it allows per person.");
    coupon_refusal(&place(&learner, &go, "manual", json!({"coupon": "ONCE"})).await);
    assert_eq!(place(&other, &go, "manual", json!({"coupon": "ONCE"})).await.status, 201, "another learner may");
    assert_eq!(redemptions(&app, &admin, once).await, (2, 2));
    app.stop().await;
}

/// Like the seat limit: every request overlaps, each learner on its own
/// connection; the maximum holds, the counter equals the rows, no 5xx.
async fn twenty_learners_race_for_five_redemptions(backend: Backend) {
    let app = spawn_with(backend, |s| s.rate_limit.login_per_minute = 100).await;
    let (admin, teacher, _) = people(&app).await;
    let (course, _) = paid_course(&teacher, "Popular", 4900, "EUR").await;
    let five = coupon(&admin, json!({"code": "FIVE", "kind": "percent", "percent": 30, "max_redemptions": 5})).await;
    let mut clients = Vec::new();
    for i in 0..20 {
        clients.push(app.signed_in(&format!("racer{i}@example.org"), Role::Learner).await.0);
    }

    let replies = join_all(clients.iter().map(|c| place(c, &course, "manual", json!({"coupon": "five"})))).await;
    let placed: Vec<&Reply> = replies.iter().filter(|r| r.status == 201).collect();
    let used_up =
        replies.iter().filter(|r| r.status == 422 && coupon_refusal(r).contains("as many times as it allows"));
    let others: Vec<_> = replies.iter().filter(|r| r.status != 201 && r.status != 422).map(|r| &r.text).collect();
    assert!(others.is_empty(), "unexpected answers: {others:?}");
    assert_eq!(placed.len(), 5, "exactly the redemptions");
    assert_eq!(used_up.count(), 15);
    assert!(placed.iter().all(|r| r.json()["order"]["discount_minor"] == 1470), "each placed order is discounted");
    assert_eq!(redemptions(&app, &admin, five["id"].as_str().unwrap()).await, (5, 5), "counter == rows");
    app.stop().await;
}

async fn a_cancelled_order_gives_its_redemption_back(backend: Backend) {
    let app = spawn(backend).await;
    let (admin, teacher, learner) = people(&app).await;
    let (other, _) = app.signed_in("other@example.org", Role::Learner).await;
    let (course, _) = paid_course(&teacher, "Rust", 4900, "EUR").await;
    let last = coupon(
        &admin,
        json!({"code": "LAST", "kind": "fixed", "amount_minor": 900, "currency": "EUR",
        "max_redemptions": 1}),
    )
    .await;
    let last = last["id"].as_str().unwrap();

    let placed = place(&learner, &course, "manual", json!({"coupon": "last"})).await;
    let order_id = placed.json()["order"]["id"].as_str().unwrap().to_string();
    assert_eq!(redemptions(&app, &admin, last).await, (1, 1));
    assert!(coupon_refusal(&quote(&other, &course, "&coupon=last").await).contains("used as many times"));
    let lowered = admin.patch(&format!("/api/v1/coupons/{last}"), json!({"max_redemptions": null})).await;
    assert_eq!(lowered.status, 200);
    let below = json!({"max_redemptions": 1});
    assert_eq!(admin.patch(&format!("/api/v1/coupons/{last}"), below).await.status, 200, "equal to what is used");

    let cancelled = learner.post(&format!("/api/v1/orders/{order_id}/cancel"), json!({})).await;
    assert_eq!(cancelled.json()["status"], "cancelled", "{}", cancelled.text);
    assert_eq!(redemptions(&app, &admin, last).await, (0, 0), "given back");
    assert_eq!(order(&learner, &order_id).await["discount_minor"], 900, "the order keeps what it was quoted");
    let again = learner.post(&format!("/api/v1/orders/{order_id}/cancel"), json!({})).await;
    assert_eq!(again.status, 200, "cancelling twice gives back once: {}", again.text);
    assert_eq!(redemptions(&app, &admin, last).await, (0, 0));
    assert_eq!(place(&other, &course, "manual", json!({"coupon": "LAST"})).await.status, 201);
    assert_eq!(redemptions(&app, &admin, last).await, (1, 1));
    app.stop().await;
}

async fn a_free_coupon_completes_the_order_without_a_gateway(backend: Backend) {
    let app = spawn(backend).await;
    let (admin, teacher, _) = people(&app).await;
    let (learner, learner_id) = app.signed_in("free@example.org", Role::Learner).await;
    let (course, _) = paid_course(&teacher, "Rust", 4900, "EUR").await;
    coupon(&admin, json!({"code": "FREE", "kind": "percent", "percent": 100})).await;

    // No gateway at all in the body.
    let body = json!({"course_id": course, "coupon": "free"});
    let placed = learner.post("/api/v1/orders", body).await;
    assert_eq!(placed.status, 201, "{}", placed.text);
    let placed = placed.json();
    assert_eq!(placed["next"], Value::Null, "nothing to do next");
    let o = &placed["order"];
    assert_eq!((o["status"].as_str(), o["total_minor"].as_i64()), (Some("paid"), Some(0)));
    assert_eq!(o["gateway"], "none");
    assert!(enrolled_after_jobs(&app, &course, &learner_id).await, "enrolled through the outbox");

    // A gateway this site does not offer does not matter when nothing is left to pay.
    let (second, second_id) = app.signed_in("third@example.org", Role::Learner).await;
    let placed = place(&second, &course, "no-such-gateway", json!({"coupon": "FREE"})).await;
    assert_eq!(placed.json()["order"]["status"], "paid", "{}", placed.text);
    assert!(enrolled_after_jobs(&app, &course, &second_id).await);
    app.stop().await;
}

async fn only_administrators_manage_coupons_and_tax(backend: Backend) {
    let app = spawn(backend).await;
    let (admin, teacher, learner) = people(&app).await;
    let made = coupon(&admin, json!({"code": "SECRET", "kind": "percent", "percent": 50})).await;
    let one = format!("/api/v1/coupons/{}", made["id"].as_str().unwrap());
    let body = json!({"code": "MINE", "kind": "percent", "percent": 100});
    for client in [&learner, &teacher] {
        client.get("/api/v1/coupons").await.assert_problem(403, "forbidden");
        client.post("/api/v1/coupons", body.clone()).await.assert_problem(403, "forbidden");
        let reply = client.get(&one).await;
        reply.assert_problem(403, "forbidden");
        assert!(!reply.text.contains("SECRET"), "nothing of the coupon shows");
        client.patch(&one, json!({"active": false})).await.assert_problem(403, "forbidden");
        client.get("/api/v1/payments/tax-rates").await.assert_problem(403, "forbidden");
        let rate = json!({"rate_bp": 0});
        client.send(Method::PUT, "/api/v1/payments/tax-rates/FR", Some(&rate)).await.assert_problem(403, "forbidden");
        client.delete("/api/v1/payments/tax-rates/FR").await.assert_problem(403, "forbidden");
        assert_eq!(client.get("/admin/coupons").await.status, 403);
        assert_eq!(client.get("/admin/tax-rates").await.status, 403);
    }
    app.client().get("/api/v1/coupons").await.assert_problem(401, "unauthorized");
    assert_eq!(admin.get(&one).await.json()["active"], true, "untouched");
    assert_eq!(admin.get("/api/v1/coupons/no-such-id").await.status, 404);
    app.stop().await;
}

async fn coupon_admin_validates_audits_and_replays(backend: Backend) {
    let app = spawn(backend).await;
    let (admin, _, _) = people(&app).await;
    let bad = admin.post(
        "/api/v1/coupons",
        json!({"code": "a b", "kind": "percent", "percent": 0,
        "max_redemptions": 0, "valid_from": "tomorrow"}),
    );
    let mut fields = bad.await.error_fields();
    fields.sort();
    assert_eq!(fields, ["valid_from"], "an unreadable time is refused before the rest is checked");
    let bad =
        admin.post("/api/v1/coupons", json!({"code": "a b", "kind": "percent", "percent": 0, "max_redemptions": 0}));
    let mut fields = bad.await.error_fields();
    fields.sort();
    assert_eq!(fields, ["code", "max_redemptions", "percent"]);
    let mixed = json!({"code": "MIXED", "kind": "fixed", "percent": 10});
    let mut fields = admin.post("/api/v1/coupons", mixed).await.error_fields();
    fields.sort();
    assert_eq!(fields, ["amount_minor", "currency", "percent"]);

    let body = json!({"code": "spring-26", "kind": "percent", "percent": 25, "max_redemptions": 100});
    let send = |key: &'static str, body: Value| {
        let admin = &admin;
        async move {
            let mut req = admin.http.post(admin.url("/api/v1/coupons")).header("idempotency-key", key).json(&body);
            if let Some(csrf) = &admin.csrf {
                req = req.header("x-csrf-token", csrf);
            }
            admin.raw(req).await
        }
    };
    let first = send("k-1", body.clone()).await;
    assert_eq!((first.status.as_u16(), first.json()["code"].as_str()), (201, Some("SPRING-26")), "{}", first.text);
    let replay = send("k-1", body.clone()).await;
    assert_eq!(
        (replay.header("idempotent-replayed"), replay.json()["id"].clone()),
        ("true", first.json()["id"].clone())
    );
    let taken = admin.post("/api/v1/coupons", body).await;
    assert_eq!(taken.error_fields(), vec!["code"], "{}", taken.text);
    let id = first.json()["id"].as_str().unwrap().to_string();
    let fixed = admin.patch(&format!("/api/v1/coupons/{id}"), json!({"percent": 90})).await;
    assert_eq!(fixed.status, 422, "the value does not change: {}", fixed.text);
    admin.patch(&format!("/api/v1/coupons/{id}"), json!({"max_per_learner": 2})).await;
    let list = admin.get("/api/v1/coupons").await.json();
    assert_eq!(list["items"][0]["max_per_learner"], 2);

    let audited: Vec<(String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT action, before_json, after_json FROM billing_audit WHERE subject_id = $1 ORDER BY at, id",
    )
    .bind(&id)
    .fetch_all(app.state().db.pool())
    .await
    .unwrap();
    let actions: Vec<&str> = audited.iter().map(|a| a.0.as_str()).collect();
    assert_eq!(actions, ["coupon.create", "coupon.update"]);
    let (_, before, after) = &audited[1];
    let before: Value = serde_json::from_str(before.as_deref().unwrap()).unwrap();
    let after: Value = serde_json::from_str(after.as_deref().unwrap()).unwrap();
    assert_eq!((before["max_per_learner"].clone(), after["max_per_learner"].clone()), (Value::Null, json!(2)));
    app.stop().await;
}

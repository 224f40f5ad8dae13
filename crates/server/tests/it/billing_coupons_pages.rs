//! Coupons and tax on the pages: the checkout's "Apply" (the total
//! recomputed, a refused coupon shown beside its field), placing with them,
//! a 100 % coupon through the checkout, a tampered form, and the
//! administrators' coupon and tax-rate pages — on SQLite and PostgreSQL.

use lyceum_platform::auth::Role;
use serde_json::json;

use crate::{
    billing_coupons::coupon,
    billing_kit::{enrolled_after_jobs, order, paid_course},
    common::{Backend, Reply, TestClient, spawn},
};

on_both_backends!(
    apply_shows_the_total_with_the_discount_and_the_tax,
    a_free_coupon_at_the_checkout_enrolls_at_once,
    a_tampered_form_cannot_lower_the_price,
    administrators_keep_coupons_on_their_pages,
    administrators_keep_tax_rates_on_their_page,
);

/// Posts the checkout form of `slug` with `fields` (the CSRF token added).
async fn checkout(client: &TestClient, slug: &str, fields: &[(&str, &str)]) -> Reply {
    let path = format!("/checkout/{slug}");
    let csrf = client.page_csrf(&path).await;
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    client.form(&path, &all).await
}

/// The order id a placed checkout was sent to.
#[track_caller]
fn placed_order(reply: &Reply) -> String {
    assert_eq!(reply.status, 303, "{}", reply.text);
    reply.header("location").strip_prefix("/orders/").expect("sent to the order's page").to_string()
}

async fn apply_shows_the_total_with_the_discount_and_the_tax(backend: Backend) {
    let app = spawn(backend).await;
    let (admin, _) = app.signed_in("admin@example.org", Role::Admin).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (learner, _) = app.signed_in("learner@example.org", Role::Learner).await;
    let (_, slug) = paid_course(&teacher, "Rust", 4900, "USD").await;
    coupon(&admin, json!({"code": "TEN", "kind": "percent", "percent": 10})).await;
    let rate = json!({"rate_bp": 2000, "label": "VAT"});
    admin.send(reqwest::Method::PUT, "/api/v1/payments/tax-rates/FR", Some(&rate)).await;

    let first = learner.get(&format!("/checkout/{slug}")).await;
    assert_eq!(first.status, 200);
    assert!(first.text.contains("$49.00") && !first.text.contains("id=\"checkout-discount\""), "{}", first.text);

    let applied = checkout(
        &learner,
        &slug,
        &[("intent", "apply"), ("coupon", " ten "), ("country", "fr"), ("gateway", "manual")],
    )
    .await;
    assert_eq!(applied.status, 303);
    let url = applied.header("location").to_string();
    assert_eq!(url, format!("/checkout/{slug}?coupon=ten&country=fr&gateway=manual"));
    let page = learner.get(&url).await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(page.text.contains("id=\"checkout-discount\">−$4.90"), "{}", page.text);
    assert!(page.text.contains("VAT FR (20 %)") && page.text.contains("id=\"checkout-tax\">$8.82"), "{}", page.text);
    assert!(page.text.contains("id=\"checkout-total\">$52.92"), "44.10 + 8.82: {}", page.text);
    assert!(page.text.contains("value=\"ten\""), "the coupon stays in its field");

    let refused = learner.get(&format!("/checkout/{slug}?coupon=nope&country=FR")).await;
    assert_eq!(refused.status, 422);
    assert!(
        refused.text.contains("<p class=\"field-error\" id=\"coupon-error\">There is no coupon “NOPE”."),
        "{}",
        refused.text
    );
    assert!(refused.text.contains("aria-describedby=\"coupon-hint coupon-error\""));
    assert!(refused.text.contains("id=\"checkout-total\">$58.80"), "the country's tax still shows: {}", refused.text);

    let refused =
        checkout(&learner, &slug, &[("intent", "place"), ("coupon", "nope"), ("country", "FR"), ("gateway", "manual")])
            .await;
    assert_eq!(refused.status, 422, "placing refuses beside the field too");
    assert!(refused.text.contains("id=\"coupon-error\""));
    let no_country = checkout(&learner, &slug, &[("coupon", "ten"), ("gateway", "manual")]).await;
    assert_eq!(no_country.status, 422);
    assert!(no_country.text.contains("id=\"country-error\">Give your country"), "{}", no_country.text);

    let placed =
        checkout(&learner, &slug, &[("intent", "place"), ("coupon", "ten"), ("country", "fr"), ("gateway", "manual")])
            .await;
    let o = order(&learner, &placed_order(&placed)).await;
    assert_eq!(
        (o["discount_minor"].as_i64(), o["tax_minor"].as_i64(), o["total_minor"].as_i64()),
        (Some(490), Some(882), Some(5292))
    );
    app.stop().await;
}

async fn a_free_coupon_at_the_checkout_enrolls_at_once(backend: Backend) {
    let app = spawn(backend).await;
    let (admin, _) = app.signed_in("admin@example.org", Role::Admin).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (learner, learner_id) = app.signed_in("learner@example.org", Role::Learner).await;
    let (course, slug) = paid_course(&teacher, "Rust", 4900, "EUR").await;
    coupon(&admin, json!({"code": "GIFT", "kind": "percent", "percent": 100, "course_ids": [course]})).await;

    let page = learner.get(&format!("/checkout/{slug}?coupon=gift")).await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("id=\"nothing-to-pay\""), "{}", page.text);
    assert!(!page.text.contains("name=\"gateway\""), "no payment method to choose");

    let placed = checkout(&learner, &slug, &[("intent", "place"), ("coupon", "gift")]).await;
    let id = placed_order(&placed);
    let o = order(&learner, &id).await;
    assert_eq!((o["status"].as_str(), o["total_minor"].as_i64()), (Some("paid"), Some(0)));
    assert!(enrolled_after_jobs(&app, &course, &learner_id).await, "paid and enrolled");
    let shown = learner.get(&format!("/orders/{id}")).await;
    assert!(shown.text.contains("Nothing to pay"), "{}", shown.text);
    app.stop().await;
}

async fn a_tampered_form_cannot_lower_the_price(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (learner, _) = app.signed_in("learner@example.org", Role::Learner).await;
    let (_, slug) = paid_course(&teacher, "Rust", 4900, "EUR").await;
    let tampered = [
        ("gateway", "manual"),
        ("total", "0"),
        ("total_minor", "0"),
        ("discount_minor", "4900"),
        ("price_minor", "1"),
        ("amount", "0.01"),
        ("currency", "JPY"),
    ];
    let placed = checkout(&learner, &slug, &tampered).await;
    let o = order(&learner, &placed_order(&placed)).await;
    assert_eq!((o["total_minor"].as_i64(), o["currency"].as_str()), (Some(4900), Some("EUR")));
    app.stop().await;
}

async fn administrators_keep_coupons_on_their_pages(backend: Backend) {
    let app = spawn(backend).await;
    let (admin, _) = app.signed_in("admin@example.org", Role::Admin).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (_, slug) = paid_course(&teacher, "Rust", 4900, "EUR").await;
    let tabs = admin.get("/admin/orders").await;
    assert!(tabs.text.contains("href=\"/admin/coupons\"") && tabs.text.contains("href=\"/admin/tax-rates\""));
    assert!(admin.get("/admin/coupons").await.text.contains("No coupons yet."));
    let csrf = admin.page_csrf("/admin/coupons/new").await;

    let bad = admin
        .form(
            "/admin/coupons",
            &[("csrf", &csrf), ("code", "x"), ("kind", "percent"), ("percent", "0"), ("courses", "no-such-course")],
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.text);
    assert!(bad.text.contains("id=\"courses-error\""), "{}", bad.text);
    let bad =
        admin.form("/admin/coupons", &[("csrf", &csrf), ("code", "x"), ("kind", "percent"), ("percent", "0")]).await;
    assert_eq!(bad.status, 422);
    assert!(bad.text.contains("id=\"code-error\"") && bad.text.contains("id=\"percent-error\""), "{}", bad.text);
    assert!(bad.text.contains("aria-describedby=\"percent-hint percent-error\""));
    let bad_amount =
        [("csrf", csrf.as_str()), ("code", "FLAT"), ("kind", "fixed"), ("amount", "12.505"), ("currency", "EUR")];
    assert!(admin.form("/admin/coupons", &bad_amount).await.text.contains("id=\"amount-error\""));

    let made = admin
        .form(
            "/admin/coupons",
            &[
                ("csrf", &csrf),
                ("code", "spring"),
                ("kind", "percent"),
                ("percent", "20"),
                ("courses", &slug),
                ("max_redemptions", "5"),
            ],
        )
        .await;
    assert_eq!((made.status.as_u16(), made.header("location")), (303, "/admin/coupons"), "{}", made.text);
    let flat = [("csrf", csrf.as_str()), ("code", "FLAT"), ("kind", "fixed"), ("amount", "12.50"), ("currency", "EUR")];
    assert_eq!(admin.form("/admin/coupons", &flat).await.status, 303);
    let list = admin.get("/admin/coupons").await;
    assert!(list.text.contains("<code>SPRING</code>") && list.text.contains("0 / 5"), "{}", list.text);
    assert!(list.text.contains("€12.50"), "{}", list.text);

    let coupons = admin.get("/api/v1/coupons").await.json();
    let spring = coupons["items"].as_array().unwrap().iter().find(|c| c["code"] == "SPRING").unwrap().clone();
    let id = spring["id"].as_str().unwrap();
    let edit = admin.get(&format!("/admin/coupons/{id}")).await;
    assert!(edit.text.contains(&format!("value=\"{slug}\"")), "the course by its address: {}", edit.text);
    let unreadable = admin
        .form(
            &format!("/admin/coupons/{id}"),
            &[("csrf", &csrf), ("courses", &slug), ("valid_until", "soon"), ("max_redemptions", "5")],
        )
        .await;
    assert_eq!(unreadable.status, 422);
    assert!(unreadable.text.contains("id=\"valid_until-error\""), "{}", unreadable.text);
    let saved = admin
        .form(
            &format!("/admin/coupons/{id}"),
            &[
                ("csrf", &csrf),
                ("courses", ""),
                ("valid_until", "2999-01-01T10:00"),
                ("max_redemptions", "7"),
                ("max_per_learner", "1"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.text);
    let shown = admin.get(&format!("/api/v1/coupons/{id}")).await.json();
    assert_eq!((shown["max_redemptions"].as_i64(), shown["max_per_learner"].as_i64()), (Some(7), Some(1)));
    assert_eq!((shown["all_courses"].as_bool(), shown["percent"].as_i64()), (Some(true), Some(20)), "the value stays");
    assert!(shown["valid_until"].as_str().unwrap().starts_with("2999-01-01"));

    let off = admin.form(&format!("/admin/coupons/{id}/active"), &[("csrf", &csrf), ("active", "0")]).await;
    assert_eq!(off.status, 303);
    assert_eq!(admin.get(&format!("/api/v1/coupons/{id}")).await.json()["active"], false);
    assert!(admin.get(&format!("/admin/coupons/{id}")).await.text.contains("id=\"activate-coupon\""));
    app.stop().await;
}

async fn administrators_keep_tax_rates_on_their_page(backend: Backend) {
    let app = spawn(backend).await;
    let (admin, _) = app.signed_in("admin@example.org", Role::Admin).await;
    let page = admin.get("/admin/tax-rates").await;
    assert!(page.text.contains("No tax rates"), "{}", page.text);
    let csrf = admin.page_csrf("/admin/tax-rates").await;

    let bad = admin.form("/admin/tax-rates", &[("csrf", &csrf), ("country", "France"), ("rate", "abc")]).await;
    assert_eq!(bad.status, 422);
    assert!(bad.text.contains("id=\"rate-error\""), "{}", bad.text);
    let bad = admin.form("/admin/tax-rates", &[("csrf", &csrf), ("country", "France"), ("rate", "20")]).await;
    assert!(bad.text.contains("id=\"country-error\""), "{}", bad.text);
    assert!(bad.text.contains("value=\"France\""), "what was typed stays");

    let set =
        admin.form("/admin/tax-rates", &[("csrf", &csrf), ("country", "fr"), ("rate", "5,5"), ("label", "TVA")]).await;
    assert_eq!((set.status.as_u16(), set.header("location")), (303, "/admin/tax-rates"));
    let page = admin.get("/admin/tax-rates").await;
    assert!(page.text.contains("id=\"rate-FR\"") && page.text.contains("5.5 %"), "{}", page.text);
    let rates = admin.get("/api/v1/payments/tax-rates").await.json();
    assert_eq!((rates["items"][0]["rate_bp"].as_i64(), rates["items"][0]["label"].as_str()), (Some(550), Some("TVA")));

    let removed = admin.form("/admin/tax-rates/FR/remove", &[("csrf", &csrf)]).await;
    assert_eq!(removed.status, 303);
    assert_eq!(admin.get("/api/v1/payments/tax-rates").await.json()["items"], json!([]));
    app.stop().await;
}

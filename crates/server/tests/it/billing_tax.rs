//! The server's price through the API: tax by the buyer's country (added on
//! top of the discounted price, required once rates exist, audited) and a
//! tampered body that cannot lower the price — on SQLite and PostgreSQL.

use reqwest::Method;
use serde_json::{Value, json};

use crate::{
    billing_coupons::{coupon, people, priced, quote},
    billing_kit::{paid_course, place},
    common::{Backend, Reply, TestClient, spawn},
};

on_both_backends!(tax_follows_the_buyers_country, a_tampered_body_cannot_lower_the_price);

/// PUT /api/v1/payments/tax-rates/{country}.
async fn put_rate(admin: &TestClient, country: &str, body: Value) -> Reply {
    admin.send(Method::PUT, &format!("/api/v1/payments/tax-rates/{country}"), Some(&body)).await
}

async fn tax_follows_the_buyers_country(backend: Backend) {
    let app = spawn(backend).await;
    let (admin, teacher, learner) = people(&app).await;
    let (course, _) = paid_course(&teacher, "Rust", 1999, "EUR").await;
    coupon(&admin, json!({"code": "TEN", "kind": "percent", "percent": 10})).await;
    let fr = put_rate(&admin, "fr", json!({"rate_bp": 2000, "label": "TVA"})).await;
    assert_eq!((fr.status.as_u16(), fr.json()["country"].as_str()), (200, Some("FR")), "{}", fr.text);
    assert_eq!(put_rate(&admin, "DE", json!({"rate_bp": 1900})).await.status, 200);
    assert_eq!(
        put_rate(&admin, "DE", json!({"rate_bp": 1900, "label": "MwSt"})).await.json()["label"],
        "MwSt",
        "replaced"
    );
    assert_eq!(put_rate(&admin, "France", json!({"rate_bp": 2000})).await.error_fields(), vec!["country"]);
    assert_eq!(put_rate(&admin, "ES", json!({"rate_bp": 10001})).await.error_fields(), vec!["rate_bp"]);

    assert_eq!(priced(&learner, &course, "&country=fr").await, (1999, 0, 400, 2399), "399.8 → 400");
    assert_eq!(priced(&learner, &course, "&country=FR&coupon=ten").await, (1999, 200, 360, 2159), "on 17.99");
    assert_eq!(priced(&learner, &course, "&country=US").await, (1999, 0, 0, 1999), "no rate, no tax");
    assert_eq!(quote(&learner, &course, "&country=FRA").await.error_fields(), vec!["country"]);
    let q = quote(&learner, &course, "&country=de").await.json();
    assert_eq!((q["tax_rate_bp"].as_i64(), q["tax_label"].as_str()), (Some(1900), Some("MwSt")));

    let refused = place(&learner, &course, "manual", json!({})).await;
    assert_eq!(refused.error_fields(), vec!["country"], "a country is needed once rates exist: {}", refused.text);
    let placed = place(&learner, &course, "manual", json!({"country": "fr", "vat_number": "FR123", "coupon": "ten"}));
    let o = placed.await.json()["order"].clone();
    assert_eq!(
        (o["tax_rate_bp"].as_i64(), o["tax_minor"].as_i64(), o["total_minor"].as_i64()),
        (Some(2000), Some(360), Some(2159))
    );
    assert_eq!((o["country"].as_str(), o["vat_number"].as_str()), (Some("FR"), Some("FR123")));

    let rates = admin.get("/api/v1/payments/tax-rates").await.json();
    let countries: Vec<&str> =
        rates["items"].as_array().unwrap().iter().map(|r| r["country"].as_str().unwrap()).collect();
    assert_eq!(countries, ["DE", "FR"]);
    assert_eq!(admin.delete("/api/v1/payments/tax-rates/fr").await.status, 204);
    assert_eq!(admin.delete("/api/v1/payments/tax-rates/FR").await.status, 404);
    assert_eq!(priced(&learner, &course, "&country=FR").await.2, 0);
    let audited: Vec<String> =
        sqlx::query_scalar("SELECT action FROM billing_audit WHERE subject_kind = 'tax_rate' ORDER BY at, id")
            .fetch_all(app.state().db.pool())
            .await
            .unwrap();
    assert_eq!(audited, ["tax_rate.set", "tax_rate.set", "tax_rate.set", "tax_rate.remove"]);
    app.stop().await;
}

async fn a_tampered_body_cannot_lower_the_price(backend: Backend) {
    let app = spawn(backend).await;
    let (admin, teacher, learner) = people(&app).await;
    let (course, _) = paid_course(&teacher, "Rust", 4900, "EUR").await;
    coupon(&admin, json!({"code": "TEN", "kind": "percent", "percent": 10})).await;
    let tampered = json!({"total_minor": 1, "subtotal_minor": 1, "discount_minor": 4899, "tax_minor": 0,
        "amount_minor": 1, "price_minor": 1, "currency": "JPY", "percent": 100});
    let placed = place(&learner, &course, "manual", tampered.clone()).await;
    assert_eq!(placed.status, 201, "{}", placed.text);
    let o = &placed.json()["order"];
    assert_eq!((o["total_minor"].as_i64(), o["discount_minor"].as_i64()), (Some(4900), Some(0)));
    assert_eq!(o["currency"], "EUR");
    let mut with_coupon = tampered;
    with_coupon["coupon"] = json!("ten");
    let o = place(&learner, &course, "manual", with_coupon).await.json()["order"].clone();
    assert_eq!((o["total_minor"].as_i64(), o["discount_minor"].as_i64()), (Some(4410), Some(490)));
    app.stop().await;
}

//! The coupon and tax pages in a real headless Chromium (see `browser_kit`):
//! the administrators' coupon list, new-coupon form (refused, with its field
//! errors), a coupon's page and the tax rates; the learner's checkout with a
//! coupon applied and with one refused — each passes axe-core and has no
//! horizontal scroll at 390 px; a 100 % coupon completes the purchase with
//! nothing to pay and no gateway, and the course opens; on both backends.

use fantoccini::{Client, Locator};
use lyceum_platform::auth::Role;
use serde_json::json;

use crate::{
    billing_coupons::coupon,
    billing_kit::{enrolled, paid_course},
    browser_kit::{check_accessibility, fits_a_phone, main_text, poll, press, submit_form_of, type_into, with_browser},
    common::{Backend, PASSWORD, TestApp, spawn},
};

on_both_backends!(coupon_and_tax_pages_are_accessible);

async fn coupon_and_tax_pages_are_accessible(backend: Backend) {
    let app = spawn(backend).await;
    let (admin, _) = app.signed_in("root@example.org", Role::Admin).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let learner_id = app.create_user("learner@example.org", Role::Learner).await;
    let (course_id, slug) = paid_course(&teacher, "Rust for everyone", 4900, "EUR").await;
    let made = coupon(&admin, json!({"code": "SPRING", "kind": "percent", "percent": 20, "max_redemptions": 50})).await;
    coupon(&admin, json!({"code": "GIFT", "kind": "percent", "percent": 100})).await;
    let rate = json!({"rate_bp": 2000, "label": "TVA"});
    admin.send(reqwest::Method::PUT, "/api/v1/payments/tax-rates/FR", Some(&rate)).await;

    let scenario = async |c: &Client, axe: Option<&str>| {
        let page = async |label: &str| {
            if let Some(axe) = axe {
                check_accessibility(c, axe, label).await;
            }
            fits_a_phone(c, label).await;
        };
        sign_in(&app, c, "root@example.org").await;
        for path in ["/admin/coupons", "/admin/coupons/new", "/admin/tax-rates"] {
            c.goto(&format!("{}{path}", app.url)).await.expect("open an admin page");
            page(path).await;
        }
        c.goto(&format!("{}/admin/coupons/new", app.url)).await.expect("open the new-coupon form");
        type_into(c, "code", "x").await;
        type_into(c, "percent", "0").await;
        submit_form_of(c, "code").await;
        let error = c.find(Locator::Css("#code-error")).await.expect("the code's error beside it");
        assert!(error.text().await.unwrap().contains("letters, digits"));
        page("/admin/coupons (refused)").await;
        c.goto(&format!("{}/admin/coupons/{}", app.url, made["id"].as_str().unwrap())).await.expect("a coupon");
        page("/admin/coupons/{id}").await;

        c.delete_all_cookies().await.expect("sign out");
        sign_in(&app, c, "learner@example.org").await;
        c.goto(&format!("{}/checkout/{slug}?coupon=spring&country=FR", app.url)).await.expect("the checkout");
        assert!(main_text(c).await.contains("SPRING"), "the discount line names the coupon");
        page("/checkout/{slug}?coupon").await;
        c.goto(&format!("{}/checkout/{slug}?coupon=nope", app.url)).await.expect("the checkout, refused");
        c.find(Locator::Css("#coupon-error")).await.expect("the coupon's error beside it");
        page("/checkout/{slug} (refused coupon)").await;

        // A 100 % coupon: nothing to pay, the order completes without a gateway.
        c.goto(&format!("{}/checkout/{slug}?coupon=gift&country=FR", app.url)).await.expect("the checkout, free");
        c.find(Locator::Id("nothing-to-pay")).await.expect("the checkout says there is nothing to pay");
        press(c, "place-order").await;
        let order = main_text(c).await;
        assert!(order.contains("Paid") && order.contains("Discount"), "paid, the discount shown: {order}");
        page("/orders/{id} (paid by a coupon)").await;
        // The enrollment follows the payment through the fulfilment job:
        // run the queued jobs until it has arrived, then open the course.
        poll(c, "the enrollment made by the fulfilment job", || async {
            app.drain_jobs().await;
            enrolled(&app, &course_id, &learner_id).await.then_some(())
        })
        .await;
        c.goto(&format!("{}/learn/{slug}", app.url)).await.expect("the course");
        assert!(main_text(c).await.contains("Rust for everyone"), "enrolled: the course opens");
    };
    with_browser(scenario).await;
    app.stop().await;
}

async fn sign_in(app: &TestApp, c: &Client, email: &str) {
    c.goto(&format!("{}/login", app.url)).await.expect("open /login");
    type_into(c, "email", email).await;
    type_into(c, "password", PASSWORD).await;
    submit_form_of(c, "email").await;
}

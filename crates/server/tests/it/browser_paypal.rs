//! Paying for a course with PayPal in a real headless Chromium (see
//! `browser_kit`): the checkout page, PayPal chosen, the order's page and
//! its "Continue to PayPal" link, "Pay now" on the PayPal test server's
//! approval page, and back on the order's page, paid and enrolled. Our pages
//! pass axe-core and fit a phone; both backends.

use fantoccini::{Client, Locator};

use crate::{
    billing_paypal::shop,
    browser_kit::{check_accessibility, fits_a_phone, main_text, poll, type_into, with_browser},
    common::{Backend, PASSWORD},
};

on_both_backends!(a_learner_pays_with_paypal_and_lands_enrolled);

async fn a_learner_pays_with_paypal_and_lands_enrolled(backend: Backend) {
    let shop = shop(backend).await;
    let app = &shop.app;
    let sim = shop.sim.base_url().to_string();
    let ran = with_browser(async |c: &Client, axe: Option<&str>| {
        let check = async |page: &str| {
            if let Some(axe) = axe {
                check_accessibility(c, axe, page).await;
            }
            fits_a_phone(c, page).await;
        };
        c.goto(&format!("{}/login", app.url)).await.expect("open /login");
        type_into(c, "email", "learner@example.org").await;
        type_into(c, "password", PASSWORD).await;
        crate::browser_kit::submit_form_of(c, "email").await;

        c.goto(&format!("{}/checkout/{}", app.url, shop.slug)).await.expect("open the checkout");
        check("/checkout/{slug}").await;
        let paypal = c.find(Locator::Css("main input[name='gateway'][value='paypal']")).await.expect("PayPal offered");
        paypal.click().await.expect("choose PayPal");
        crate::browser_kit::press(c, "place-order").await;
        let order_page = c.current_url().await.expect("the order's page").to_string();
        assert!(order_page.contains("/orders/"), "{order_page}");
        assert!(main_text(c).await.contains("Pending"), "{}", main_text(c).await);
        check("/orders/{id} (pending, PayPal)").await;

        let go = c.find(Locator::Id("pay-redirect")).await.expect("the Continue to PayPal link");
        assert_eq!(go.text().await.unwrap(), "Continue to PayPal");
        go.click().await.expect("go to PayPal");
        poll(c, "PayPal's approval page", || async {
            let at = c.current_url().await.ok()?.to_string();
            at.starts_with(&format!("{sim}/checkoutnow")).then_some(())
        })
        .await;
        assert!(main_text(c).await.contains("19.99 EUR"), "{}", main_text(c).await);
        c.find(Locator::Id("pay-now")).await.expect("the Pay now button").click().await.expect("pay");

        poll(c, "the order's page, paid", || async {
            let at = c.current_url().await.ok()?.to_string();
            (at == order_page && main_text(c).await.contains("Payment received")).then_some(())
        })
        .await;
        let page = main_text(c).await;
        assert!(page.contains("Paid") && page.contains("Go to my courses"), "{page}");
        check("/orders/{id} (paid through PayPal)").await;
    })
    .await;
    if ran {
        assert_eq!(shop.enrollments().await, 1, "enrolled once");
        assert_eq!(shop.sim.token_requests(), 1);
    }
    shop.app.stop().await;
}

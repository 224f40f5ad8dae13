//! Buying a course by card in a real headless Chromium (see `browser_kit`):
//! the learner chooses the card at the checkout, the order page loads
//! Stripe.js — localstripe's fake one, served at `{localstripe}/js.stripe.com/v3/`
//! — under the page's own CSP, the learner types the card and pays, passes
//! 3-D Secure in Stripe.js's challenge, comes back through the return page
//! and is enrolled. The checkout and order pages pass axe-core.
//!
//! localstripe's fake `confirmCardPayment` ignores the card typed into its
//! Element and only completes 3-D Secure on an intent already confirmed with
//! a card; so before the learner clicks "Pay", the test confirms the intent
//! with the 3-D Secure test card at localstripe, as Stripe.js would have with
//! what was typed. The rest — loading the script, mounting the Element, the
//! challenge, the redirect, settling — is the page's own.

use fantoccini::{Client, Locator};
use lyceum_platform::auth::Role;

use crate::{
    billing_kit,
    browser_kit::{self, check_accessibility, fits_a_phone, main_text, poll, type_into, with_browser},
    common::{Backend, PASSWORD},
    stripe_kit::{self, CARD_3DS},
};

on_both_backends!(a_learner_pays_by_card_with_3d_secure_and_is_enrolled);

async fn a_learner_pays_by_card_with_3d_secure_and_is_enrolled(backend: Backend) {
    let Some(url) = stripe_kit::localstripe_url("browser_stripe") else { return };
    let t = stripe_kit::spawn(backend, &url).await;
    let (app, stripe) = (&t.app, &t.stripe);
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (course_id, slug) = billing_kit::paid_course(&teacher, "Ownership in depth", 2500, "EUR").await;
    let learner_id = app.create_user("learner@example.org", Role::Learner).await;

    with_browser(async |c: &Client, axe: Option<&str>| {
        c.goto(&format!("{}/login", app.url)).await.expect("open /login");
        type_into(c, "email", "learner@example.org").await;
        type_into(c, "password", PASSWORD).await;
        browser_kit::submit_form_of(c, "email").await;

        c.goto(&format!("{}/checkout/{slug}", app.url)).await.expect("open the checkout");
        assert!(main_text(c).await.contains("Ownership in depth"), "{}", main_text(c).await);
        if let Some(axe) = axe {
            check_accessibility(c, axe, "/checkout/{slug}").await;
        }
        fits_a_phone(c, "/checkout/{slug}").await;
        let card = c.find(Locator::Css("main input[name='gateway'][value='stripe']")).await.expect("the card choice");
        card.click().await.expect("choose the card");
        browser_kit::press(c, "place-order").await;

        // The order page: Stripe.js loads (the CSP allows it) and mounts its card Element.
        let pay = poll(c, "the card form to be ready", || async {
            let button = c.find(Locator::Id("card-pay")).await.ok()?;
            let mounted = c.find(Locator::Css("#card-element input")).await.is_ok();
            (mounted && button.is_enabled().await.ok()?).then_some(button)
        })
        .await;
        for (field, value) in [("number", CARD_3DS), ("exp_month", "12"), ("exp_year", "30"), ("cvc", "123")] {
            let input = c.find(Locator::Css(&format!("#card-element input[placeholder='{field}']"))).await.unwrap();
            input.send_keys(value).await.unwrap_or_else(|e| panic!("type the card's {field}: {e}"));
        }
        if let Some(axe) = axe {
            check_accessibility(c, axe, "/orders/{id} (the card form)").await;
        }
        let form = c.find(Locator::Id("card-form")).await.expect("the card form");
        let secret = form.attr("data-secret").await.unwrap().expect("the client secret");
        let intent = secret.split("_secret_").next().unwrap().to_string();
        let method = stripe.card(CARD_3DS).await;
        assert_eq!(stripe.pay(&intent, &method).await, "requires_action", "the card asks for 3-D Secure");

        pay.click().await.expect("pay");
        let pass = "//button[normalize-space(.)='Complete authentication']";
        let challenge = poll(c, "the 3-D Secure challenge", || async { c.find(Locator::XPath(pass)).await.ok() }).await;
        challenge.click().await.expect("pass 3-D Secure");
        poll(c, "the paid order", || async {
            let text = main_text(c).await;
            (text.contains("Payment received") && text.contains("Paid")).then_some(())
        })
        .await;
        if let Some(axe) = axe {
            check_accessibility(c, axe, "/orders/{id} (paid)").await;
        }
        fits_a_phone(c, "/orders/{id} (paid)").await;

        assert!(billing_kit::enrolled_after_jobs(app, &course_id, &learner_id).await, "enrolled");
        c.goto(&format!("{}/learn/{slug}", app.url)).await.expect("open the course");
        poll(c, "the course's lessons", || async { main_text(c).await.contains("Welcome").then_some(()) }).await;
    })
    .await;
    t.app.stop().await;
}

//! The subscription pages in a real headless Chromium (see `browser_kit`):
//! a learner subscribes on `/subscribe` and lands on the order's page; a
//! subscriber enrolls in an included course from "My subscription"; the
//! administrators' subscriptions and plans pages. Each passes axe-core and
//! fits a phone; on both backends.

use crate::{billing_kit, browser_kit, common};

use browser_kit::{
    check_accessibility, fits_a_phone, main_text, poll, submit, submit_form_of, type_into, with_browser,
};
use common::{Backend, PASSWORD, TestApp, spawn};
use fantoccini::Client;
use lyceum_platform::auth::Role;
use serde_json::json;

on_both_backends!(subscription_pages_work_in_a_browser);

async fn subscription_pages_work_in_a_browser(backend: Backend) {
    let app = spawn(backend).await;
    let (admin, _) = app.signed_in("root@example.org", Role::Admin).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (subscriber, subscriber_id) = app.signed_in("subscriber@example.org", Role::Learner).await;
    app.create_user("newcomer@example.org", Role::Learner).await;
    let (course, slug) = billing_kit::paid_course(&teacher, "Included course", 4900, "EUR").await;
    let plan = json!({"name": "All access", "interval": "month", "price_minor": 1500, "currency": "EUR"});
    let plan_id = admin.post("/api/v1/subscription-plans", plan).await.json()["id"].as_str().unwrap().to_string();
    let include = format!("/api/v1/subscription-plans/included-courses/{course}");
    assert_eq!(admin.send(reqwest::Method::PUT, &include, None).await.status, 200);
    let placed = subscriber.post("/api/v1/subscriptions", json!({"plan_id": plan_id, "gateway": "manual"})).await;
    let order = placed.json()["order"]["id"].as_str().unwrap().to_string();
    admin.post(&format!("/api/v1/orders/{order}/mark-paid"), json!({})).await;
    app.drain_jobs().await;

    with_browser(async |c: &Client, axe: Option<&str>| {
        let page = async |label: &str| {
            if let Some(axe) = axe {
                check_accessibility(c, axe, label).await;
            }
            fits_a_phone(c, label).await;
        };
        sign_in(&app, c, "newcomer@example.org").await;
        c.goto(&format!("{}/subscribe", app.url)).await.expect("open /subscribe");
        page("/subscribe").await;
        submit(c, "//form[@action='/subscribe']").await;
        poll(c, "the order's page after subscribing", move || async move {
            main_text(c).await.contains("bank transfer").then_some(())
        })
        .await;
        page("/orders/{id} (a subscription's first order)").await;
        c.goto(&format!("{}/subscription", app.url)).await.expect("open /subscription");
        assert!(main_text(c).await.contains("Awaiting payment"), "{}", main_text(c).await);
        page("/subscription (pending)").await;

        sign_out(&app, c).await;
        sign_in(&app, c, "subscriber@example.org").await;
        c.goto(&format!("{}/subscription", app.url)).await.expect("open /subscription");
        assert!(main_text(c).await.contains("Renews on"), "{}", main_text(c).await);
        page("/subscription (active)").await;
        submit(c, &format!("//form[@action='/subscriptions/enroll/{slug}']")).await;
        poll(c, "the course after enrolling", move || async move {
            c.current_url().await.ok()?.path().starts_with("/learn/").then_some(())
        })
        .await;

        sign_out(&app, c).await;
        sign_in(&app, c, "root@example.org").await;
        for path in ["/admin/subscriptions", "/admin/subscription-plans"] {
            c.goto(&format!("{}{path}", app.url)).await.expect("open an admin page");
            assert!(main_text(c).await.contains("All access"), "{path}: {}", main_text(c).await);
            page(path).await;
        }
    })
    .await;
    assert!(billing_kit::enrolled(&app, &course, &subscriber_id).await, "enrolled from the page");
    app.stop().await;
}

async fn sign_in(app: &TestApp, c: &Client, email: &str) {
    c.goto(&format!("{}/login", app.url)).await.expect("open /login");
    type_into(c, "email", email).await;
    type_into(c, "password", PASSWORD).await;
    submit_form_of(c, "email").await;
    poll(
        c,
        "the sign-in",
        move || async move { (!c.current_url().await.ok()?.path().starts_with("/login")).then_some(()) },
    )
    .await;
}

async fn sign_out(app: &TestApp, c: &Client) {
    c.delete_all_cookies().await.expect("forget the session");
    c.goto(&format!("{}/", app.url)).await.expect("open the home page");
}

//! Billing: selling courses. A learner checks out a paid course (its price
//! computed here, never taken from the form), pays through one of the site's
//! gateways ([`gateway`]: manual, Stripe, PayPal — the seed's Strategy), and
//! the order becoming paid enrolls them through the outbox
//! ([`service::fulfil`]), exactly once whatever reports the payment first: the
//! browser's return, a webhook (each event once, [`service::webhooks`]) or the
//! reconciliation job ([`service::reconcile`]). Staff refund all or part of an
//! order; every money action is audited. Learners may also subscribe to an
//! all-access plan that opens the courses marked "included"
//! ([`service::subscriptions`]: Lyceum owns the billing periods and renews them).
//!
//! The tables (`billing_*`) are this module's. It depends on enrollment (to
//! enroll a learner who paid, [`lyceum_enrollment::service::enroll::admit_paid`])
//! and courses (who is staff); enrollment does not depend on it: a paid course
//! answers 402 there, naming the checkout.

mod error;
pub mod events;
pub mod gateway;
pub mod http;
pub mod model;
pub(crate) mod repo;
pub mod service;
pub mod settings;

pub use error::{BillingError, CouponRefusal};
pub use http::{api_routes, page_routes};

use lyceum_platform::{
    jobs::{JobRegistry, schedule::Every},
    module::Module,
    web::nav::{Audience, Link, Menu},
};

/// What billing contributes to the application (see `lyceum_platform::module`).
pub fn module() -> Module {
    Module::new("billing")
        .pages(page_routes)
        .api(api_routes)
        .settings::<settings::BillingSettings>()
        .jobs(register_jobs)
        // Gateways sign their deliveries; there is no session to forge.
        .csrf_exempt("/api/v1/payments/webhooks/")
        .nav(Link::new(Menu::Settings, 60, "/orders", "billing.nav.orders"))
        .nav(Link::new(Menu::Admin, 40, "/admin/orders", "billing.nav.admin_orders").audience(Audience::Admin))
        .nav(Link::new(Menu::Admin, 41, "/admin/coupons", "billing.nav.admin_coupons").audience(Audience::Admin))
        .nav(Link::new(Menu::Admin, 42, "/admin/tax-rates", "billing.nav.admin_tax_rates").audience(Audience::Admin))
        .nav(Link::new(Menu::Admin, 43, "/admin/revenue", "billing.nav.revenue").audience(Audience::Admin))
        .nav(Link::new(Menu::Admin, 44, "/admin/money-audit", "billing.nav.audit").audience(Audience::Admin))
        .nav(Link::new(Menu::Settings, 61, "/subscription", "billing.nav.subscription"))
        .nav(
            Link::new(Menu::Admin, 45, "/admin/subscriptions", "billing.nav.admin_subscriptions")
                .current("/admin/subscription")
                .audience(Audience::Admin),
        )
        .locale("en", include_str!("../locales/en.toml"))
        .locale("fr", include_str!("../locales/fr.toml"))
}

fn register_jobs(registry: &mut JobRegistry) {
    use service::subscriptions::{access::SuspendAccess, paid::ApplyPayment, renew::Renew};
    registry
        .subscribe::<events::OrderPaid, service::fulfil::Fulfil>()
        .subscribe::<events::OrderPaid, ApplyPayment>()
        .subscribe::<events::SubscriptionEnded, SuspendAccess>()
        .schedule::<service::reconcile::Reconcile>(Every::Interval(std::time::Duration::from_secs(60)))
        .schedule::<Renew>(Every::Interval(std::time::Duration::from_secs(15 * 60)));
}

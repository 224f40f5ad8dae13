//! Billing pages: the checkout, "my orders" with each order's page (which
//! follows a pending payment until it settles), the administrators' orders,
//! and subscriptions (the learner's and the administrators').

pub mod admin;
pub mod admin_coupons;
pub mod admin_subscriptions;
pub mod admin_tax;
pub mod checkout;
pub mod invoice;
pub mod orders;
pub mod reports;
pub mod subscriptions;

/// An order's page.
pub(crate) fn order_url(id: &str) -> String {
    format!("/orders/{id}")
}

//! Billing pages: the checkout, "my orders" with each order's page (which
//! follows a pending payment until it settles), and the administrators' orders.

pub mod admin;
pub mod admin_coupons;
pub mod admin_tax;
pub mod checkout;
pub mod invoice;
pub mod orders;
pub mod reports;

/// An order's page.
pub(crate) fn order_url(id: &str) -> String {
    format!("/orders/{id}")
}

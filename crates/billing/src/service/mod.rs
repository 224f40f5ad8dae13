//! Billing's rules, shared by the pages and the API. Every function that acts
//! for a person takes the viewer and checks access itself.

pub mod checkout;
pub mod coupons;
pub mod fulfil;
pub mod invoice_pdf;
pub mod invoices;
pub mod pricing;
pub mod query;
pub mod reconcile;
pub mod redemption;
pub mod refunds;
pub mod revenue;
pub mod settle;
pub mod subscriptions;
pub mod tax;
pub mod webhooks;

use lyceum_platform::{AppError, auth::Viewer};

use crate::model::Order;

/// The learner's own order, or any order for an administrator; others get 404
/// (an order's existence is not revealed to someone else).
pub(crate) fn check_owner(viewer: &Viewer, order: &Order) -> Result<(), AppError> {
    if order.user_id == viewer.user_id || viewer.is_admin() { Ok(()) } else { Err(AppError::not_found()) }
}

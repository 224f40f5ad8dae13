//! The billing tables. Only this module's services call these.

pub mod audit;
pub mod coupons;
pub mod inbox;
pub mod invoices;
pub mod orders;
pub mod plans;
pub mod refunds;
pub mod revenue;
pub mod subscription_enrollments;
pub mod subscription_orders;
pub mod subscriptions;
pub mod tax_rates;

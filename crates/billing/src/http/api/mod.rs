//! JSON handlers (tags `payments` and `subscriptions`): thin — extract, call a service, map to a DTO.

pub mod coupon_dto;
pub mod coupons;
pub mod dto;
pub mod orders;
pub mod plans;
pub mod reports;
pub mod subscription_dto;
pub mod subscriptions;
pub mod tax_rates;
pub mod webhooks;

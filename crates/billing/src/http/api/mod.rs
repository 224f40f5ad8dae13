//! JSON handlers (tag `payments`): thin — extract, call a service, map to a DTO.

pub mod coupon_dto;
pub mod coupons;
pub mod dto;
pub mod orders;
pub mod reports;
pub mod tax_rates;
pub mod webhooks;

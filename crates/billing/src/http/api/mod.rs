//! JSON handlers (tag `payments`): thin — extract, call a service, map to a DTO.

pub mod dto;
pub mod orders;
pub mod reports;
pub mod webhooks;

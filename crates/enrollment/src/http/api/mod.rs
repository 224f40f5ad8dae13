//! JSON handlers (tag `enrollments`): thin — extract, call a service, map to a DTO.

pub mod dto;
pub mod enrollments;
pub mod roster;

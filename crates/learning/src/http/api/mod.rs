//! JSON handlers (tags `progress`, `certificates`): thin — extract, call a service, map to a DTO.

pub mod certificates;
pub mod dto;
pub mod progress;

//! Learning rules, shared by the pages and the API. Every function takes the
//! viewer and checks access itself (through `lyceum_courses::service::access`),
//! so no handler can forget to.

pub mod certificates;
pub mod lesson;
pub mod media;
pub mod mine;
pub mod progress;
pub mod staff;

pub const DEFAULT_PAGE: i64 = 25;
pub const MAX_PAGE: i64 = 100;

/// A requested page size, bounded to 1..=100 (25 when absent).
pub fn page_size(limit: Option<i64>) -> i64 {
    limit.unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE)
}

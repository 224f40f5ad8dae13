//! JSON handlers (tags `progress`, `certificates`): thin — extract, call a service, map to a DTO.

pub mod certificates;
pub mod dto;
pub mod progress;

use serde::Deserialize;

/// `?cursor=&limit=` of a list.
#[derive(Deserialize, utoipa::IntoParams)]
pub struct PageQuery {
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// 1–100, default 25.
    pub limit: Option<i64>,
}

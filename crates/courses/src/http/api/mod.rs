//! JSON handlers (tag `courses`): thin — extract, call a service, map to a DTO.

pub mod courses;
pub mod dto;
pub mod outline;

use serde::{Deserialize, Deserializer};

/// `Some(None)` for an explicit `null`, `None` when the field is absent (with `#[serde(default)]`).
pub fn nullable<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ForceQuery {
    /// Delete even though learners are enrolled (their progress is removed).
    #[serde(default)]
    pub force: bool,
}

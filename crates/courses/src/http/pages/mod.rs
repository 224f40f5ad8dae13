//! The `/teach` pages: my courses, the course editor, the lesson editor and
//! delete confirmations. Plain forms; every action works without JavaScript.

pub mod course;
pub mod lesson;

use lyceum_platform::{AppResult, FieldError, web::Refused};

/// A refused upload's general message shown beside its file input, in `locale`.
pub(crate) fn refused_upload(e: lyceum_platform::AppError, field: &str, locale: &str) -> AppResult<Refused> {
    let mut refused = Refused::from_error(e, locale)?;
    if let Some(general) = refused.errors.general.take() {
        refused.errors.fields.push(FieldError::new(field, general));
    }
    Ok(refused)
}

/// The `force` field of a delete confirmation.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct DeleteForm {
    pub force: String,
}

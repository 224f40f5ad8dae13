//! The module's pages: the learner's assignment page, the staff's settings,
//! submissions queue and grading pages, submission files, and the files
//! attached to an assignment's instructions.

pub mod attachments;
pub mod definitions;
pub mod feedback;
pub mod files;
pub mod grading;
pub mod learner;
pub mod manage;
pub(crate) mod tries;
pub mod worksheet;

use lyceum_platform::{
    AppResult,
    web::{FlashKind, redirect_with_flash},
};

use crate::AssignmentError;

/// Back to `to` with a flash: success, or the refusal's sentence; a refusal
/// without one (not found, a fault) is the error page.
pub(crate) fn back(to: &str, done: Result<(), AssignmentError>, success: &str) -> AppResult<axum::response::Response> {
    match done {
        Ok(()) => Ok(redirect_with_flash(to, FlashKind::Success, success)),
        Err(e) => match e.flash_key() {
            Some(key) => Ok(redirect_with_flash(to, FlashKind::Error, key)),
            None => Err(e.into()),
        },
    }
}

//! Notification rules, called by the API, the pages and the jobs.

pub mod admin;
mod deliver;
pub mod digest;
pub mod inbox;
pub mod jobs;
mod mail;
pub mod preferences;
pub mod purge;
pub mod unsubscribe;

use lyceum_platform::AppError;
use lyceum_platform::ids::UserId;

/// Why a notification was not sent to the user asked for: the module's own
/// refusal, matched by the pages, turned into HTTP at the edge
/// (`From<SendError> for AppError`).
#[derive(Debug)]
pub enum SendError {
    /// No account has this id (404 "No user has this id.").
    UnknownUser,
    /// Anything else on the way: invalid input, a database fault.
    Other(AppError),
}

impl From<AppError> for SendError {
    fn from(e: AppError) -> Self {
        Self::Other(e)
    }
}

impl From<sqlx::Error> for SendError {
    fn from(e: sqlx::Error) -> Self {
        Self::Other(e.into())
    }
}

impl From<SendError> for AppError {
    fn from(e: SendError) -> Self {
        match e {
            SendError::UnknownUser => {
                let mut e = AppError::not_found();
                e.detail = "No user has this id.".into();
                e
            }
            SendError::Other(e) => e,
        }
    }
}

/// The account to notify, or `None` when it was deleted (nothing to do).
pub(crate) async fn recipient(
    state: &lyceum_platform::AppState,
    user_id: &str,
) -> Result<Option<lyceum_accounts::model::User>, AppError> {
    lyceum_accounts::service::identity::find(state, &UserId::from(user_id)).await
}

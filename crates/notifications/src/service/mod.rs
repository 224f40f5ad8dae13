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

pub(crate) const UNKNOWN_USER: &str = "No user has this id.";

/// A user id that no account has: a 404 that says what was not found.
pub(crate) fn unknown_user() -> lyceum_platform::AppError {
    let mut e = lyceum_platform::AppError::not_found();
    e.detail = UNKNOWN_USER.into();
    e
}

/// The account to notify, or `None` when it was deleted (nothing to do).
pub(crate) async fn recipient(
    state: &lyceum_platform::AppState,
    user_id: &str,
) -> Result<Option<lyceum_accounts::model::User>, lyceum_platform::AppError> {
    match lyceum_accounts::service::identity::get(state, user_id).await {
        Ok(user) => Ok(Some(user)),
        Err(e) if e.status == http::StatusCode::NOT_FOUND => Ok(None),
        Err(e) => Err(e),
    }
}

//! The refusals of account services that callers tell apart — pages, the
//! `lyceum admin` command, other modules — as the module's own type, turned
//! into HTTP only at the edge (`From<AccountError> for AppError`).

use lyceum_platform::AppError;

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// No account has this id (404 `not-found`).
    #[error("no such account")]
    NoSuchUser,
    /// The e-mailed link has expired or was already used (410 `link-expired`).
    #[error("This link has expired or was already used. Request a new one.")]
    LinkExpired,
    /// An administrator may not do this to their own account (409 `conflict`):
    /// no accidental lock-out. The text says what was refused.
    #[error("{0}")]
    OwnAccount(&'static str),
    /// Anything else on the way: invalid input, a database fault.
    #[error(transparent)]
    Other(#[from] AppError),
}

impl From<sqlx::Error> for AccountError {
    fn from(e: sqlx::Error) -> Self {
        Self::Other(e.into())
    }
}

impl From<AccountError> for AppError {
    fn from(e: AccountError) -> Self {
        match e {
            AccountError::NoSuchUser => AppError::not_found(),
            AccountError::LinkExpired => AppError::gone(e.to_string()),
            AccountError::OwnAccount(detail) => AppError::conflict(detail),
            AccountError::Other(e) => e,
        }
    }
}

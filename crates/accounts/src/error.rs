//! The refusals of account services that callers tell apart — pages, the
//! `lyceum admin` command, other modules — as the module's own type, turned
//! into HTTP only at the edge (`From<AccountError> for AppError`).

use lyceum_platform::{AppError, Text, ratelimit::Limited};

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// No account has this id (404 `not-found`).
    #[error("no such account")]
    NoSuchUser,
    /// The e-mailed link has expired or was already used (410 `link-expired`).
    #[error("{}", Text::new("accounts.errors.link_expired"))]
    LinkExpired,
    /// An administrator may not do this to their own account (409 `conflict`):
    /// no accidental lock-out. The key of the text that says what was refused.
    #[error("{}", Text::new(.0))]
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
            AccountError::LinkExpired => AppError::gone(Text::new("accounts.errors.link_expired")),
            AccountError::OwnAccount(key) => AppError::conflict(Text::new(key)),
            AccountError::Other(e) => e,
        }
    }
}

/// Why a sign-in was refused. Pages word each case (and offer a new
/// confirmation link for `Unverified`); the API answers with its problem.
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    /// Unknown address or wrong password — the same answer for both (401).
    #[error("Wrong e-mail address or password.")]
    InvalidCredentials,
    /// The account was disabled by an administrator (403 `account-disabled`).
    #[error("This account has been disabled. Contact an administrator if you think this is a mistake.")]
    Disabled,
    /// The site requires a confirmed address and this one is not (403 `email-unverified`).
    #[error("Confirm your e-mail address first: open the link we sent you, or ask for a new one.")]
    Unverified,
    /// Too many attempts for this address or client (429 with `Retry-After`).
    #[error("Too many attempts. Try again in {} seconds.", .0.retry_after_secs)]
    RateLimited(Limited),
    /// Missing fields, or a fault on the way.
    #[error(transparent)]
    Other(#[from] AppError),
}

impl From<Limited> for LoginError {
    fn from(l: Limited) -> Self {
        Self::RateLimited(l)
    }
}

impl From<sqlx::Error> for LoginError {
    fn from(e: sqlx::Error) -> Self {
        Self::Other(e.into())
    }
}

impl From<LoginError> for AppError {
    fn from(e: LoginError) -> Self {
        let detail = e.to_string();
        match e {
            LoginError::InvalidCredentials => AppError::unauthorized(detail).with_kind("invalid-credentials"),
            LoginError::Disabled => AppError::forbidden_kind("account-disabled", "Account disabled", detail),
            LoginError::Unverified => {
                AppError::forbidden_kind("email-unverified", "E-mail address not confirmed", detail)
            }
            LoginError::RateLimited(l) => l.into(),
            LoginError::Other(e) => e,
        }
    }
}

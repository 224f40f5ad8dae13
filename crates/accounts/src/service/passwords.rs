//! The one way a password is set — self-service, the `lyceum admin` command and
//! reset links all come here — so each of them ends the other sessions, revokes
//! the API tokens and tells the owner by e-mail, in the same transaction.

use lyceum_platform::{AppError, AppState};
use sqlx::AnyConnection;

use super::mail_jobs::{self, PasswordChangedMail};
use crate::{
    model::Password,
    password,
    repo::{sessions, tokens, users},
};

/// An Argon2id hash of a new password that passed the policy. Hashing is slow,
/// so it is made before the transaction that stores it.
pub struct NewPassword(String);

impl NewPassword {
    pub async fn hash(new: &Password) -> Result<Self, AppError> {
        Ok(Self(password::hash(new.expose()).await?))
    }
}

/// The refusal of a new password equal to the current one.
pub(crate) const REUSED: &str = "accounts.errors.password_reused";

/// Refuses a new password that is the account's current one, on `field`: a
/// change that keeps the password (a forced change answered with the one-time
/// password, a reset to the same secret) would protect nothing.
pub async fn refuse_reuse(state: &AppState, user_id: &str, field: &str, new: &str) -> Result<(), AppError> {
    let stored = users::password_hash(state.db.pool(), user_id).await?;
    if password::verify(new, Some(stored)).await? {
        return Err(AppError::field(field, lyceum_platform::Text::new(REUSED)));
    }
    Ok(())
}

/// What else a password change ends.
pub struct Effects<'a> {
    /// The session to keep signed in (the one making a self-service change);
    /// every other session of the account ends.
    pub keep_session: Option<&'a str>,
    /// Revoke every API token of the account (the default everywhere; only a
    /// self-service change may opt out).
    pub revoke_tokens: bool,
}

impl Effects<'_> {
    /// Everything ends: admin and CLI changes, reset links.
    pub const END_ALL: Effects<'static> = Effects { keep_session: None, revoke_tokens: true };
}

/// Stores `new` as `user_id`'s password on `tx`, the caller's transaction, with
/// its `effects`, and queues the "your password was changed" e-mail there, so
/// the mail goes out exactly when the change commits. The caller calls
/// `session::forget_sessions` after its commit, so the sessions that end here
/// are refused from the next request on (token lookups are not cached).
pub(crate) async fn set(
    tx: &mut AnyConnection,
    user_id: &str,
    new: &NewPassword,
    effects: Effects<'_>,
) -> Result<(), AppError> {
    users::set_password(tx, user_id, &new.0).await?;
    sessions::delete_for_user(tx, user_id, effects.keep_session).await?;
    if effects.revoke_tokens {
        tokens::revoke_all(tx, user_id).await?;
    }
    mail_jobs::request_on::<PasswordChangedMail>(tx, user_id).await?;
    tracing::info!(%user_id, revoke_tokens = effects.revoke_tokens, "password changed");
    Ok(())
}

/// [`set`] in a transaction of its own, for callers that change nothing else.
pub(crate) async fn set_alone(
    state: &AppState,
    user_id: &str,
    new: &NewPassword,
    effects: Effects<'_>,
) -> Result<(), AppError> {
    let mut tx = state.db.begin().await?;
    set(&mut tx, user_id, new, effects).await?;
    tx.commit().await?;
    super::session::forget_sessions(state).await;
    Ok(())
}

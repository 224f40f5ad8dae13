//! A user's own account settings: name, language, time zone, password.

use lyceum_platform::ids::UserId;
use lyceum_platform::{
    AppError, AppState, FieldError,
    auth::{Credential, Viewer},
};

use super::passwords;
use crate::{
    model::{DisplayName, Password, User, parse_locale, parse_time_zone},
    password,
    repo::users,
};

/// The account with this id, or `None` when no account has it.
pub async fn find(state: &AppState, user_id: &UserId) -> Result<Option<User>, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    Ok(users::by_id(&mut conn, user_id.as_str()).await?)
}

/// [`find`], with no such account a 404, for callers that pass it on.
pub async fn get(state: &AppState, user_id: &UserId) -> Result<User, AppError> {
    find(state, user_id).await?.ok_or_else(AppError::not_found)
}

/// Fields left `None` keep their current value.
#[derive(Debug, Default)]
pub struct IdentityChange {
    pub display_name: Option<String>,
    pub locale: Option<String>,
    pub time_zone: Option<String>,
}

/// A checked identity change, ready to [`apply`].
pub struct ValidIdentity {
    display_name: String,
    locale: String,
    time_zone: String,
}

/// Checks a change against the current values; reports every invalid field.
pub async fn validate(state: &AppState, user_id: &UserId, change: &IdentityChange) -> Result<ValidIdentity, AppError> {
    let current = get(state, user_id).await?;
    let mut errors: Vec<FieldError> = Vec::new();
    let mut pick = |given: Option<Result<String, FieldError>>, current: String| match given {
        None => current,
        Some(Ok(v)) => v,
        Some(Err(e)) => {
            errors.push(e);
            current
        }
    };
    let display_name = pick(
        change.display_name.as_deref().map(|n| DisplayName::parse(n).map(|d| d.as_str().to_string())),
        current.display_name,
    );
    let locale = pick(change.locale.as_deref().map(parse_locale), current.locale);
    let time_zone = pick(change.time_zone.as_deref().map(parse_time_zone), current.time_zone);
    if errors.is_empty() {
        Ok(ValidIdentity { display_name, locale, time_zone })
    } else {
        Err(AppError::validation(errors))
    }
}

pub async fn apply(state: &AppState, user_id: &UserId, valid: ValidIdentity) -> Result<User, AppError> {
    let identity =
        users::Identity { display_name: &valid.display_name, locale: &valid.locale, time_zone: &valid.time_zone };
    users::set_identity(&mut *state.db.autocommit().await?, user_id.as_str(), identity).await?;
    super::session::forget_sessions(state).await;
    state.cache.bump(super::directory::NAMES_CACHE).await;
    get(state, user_id).await
}

pub async fn update(state: &AppState, user_id: &UserId, change: IdentityChange) -> Result<User, AppError> {
    let valid = validate(state, user_id, &change).await?;
    apply(state, user_id, valid).await
}

/// A self-service password change, checked against the current password.
pub struct PasswordChange<'a> {
    pub current: &'a str,
    pub new: &'a str,
    /// Revoke the account's API tokens too (the default; see docs/api.md).
    pub revoke_tokens: bool,
}

/// Changes the password after checking the current one. The session making the
/// request stays signed in; every other session ends (all of them when the
/// caller uses a token), and the owner is told by e-mail.
pub async fn change_password(state: &AppState, viewer: &Viewer, change: PasswordChange<'_>) -> Result<(), AppError> {
    let new = Password::parse("new_password", change.new).map_err(|e| AppError::validation(vec![e]))?;
    let stored = users::password_hash(state.db.pool(), &viewer.user_id).await?;
    if !password::verify(change.current, Some(stored)).await? {
        return Err(AppError::field(
            "current_password",
            lyceum_platform::Text::new("accounts.errors.current_password_wrong"),
        ));
    }
    if change.new == change.current {
        return Err(AppError::field("new_password", lyceum_platform::Text::new(passwords::REUSED)));
    }
    let new = passwords::NewPassword::hash(&new).await?;
    let keep_session = match &viewer.credential {
        Credential::Session { session_hash } => Some(session_hash.as_str()),
        Credential::Token { .. } => None,
    };
    let effects = passwords::Effects { keep_session, revoke_tokens: change.revoke_tokens };
    passwords::set_alone(state, &viewer.user_id, &new, effects).await
}

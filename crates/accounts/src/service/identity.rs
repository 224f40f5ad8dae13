//! A user's own account settings: name, language, time zone, password.

use lyceum_platform::{AppError, AppState, FieldError, auth::Viewer};

use crate::{
    model::{DisplayName, Password, User, parse_locale, parse_time_zone},
    password,
    repo::{sessions, users},
};

pub async fn get(state: &AppState, user_id: &str) -> Result<User, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    users::by_id(&mut conn, user_id).await?.ok_or_else(AppError::not_found)
}

/// Fields left `None` keep their current value.
#[derive(Debug, Default)]
pub struct IdentityChange {
    pub display_name: Option<String>,
    pub locale: Option<String>,
    pub time_zone: Option<String>,
}

pub async fn update(state: &AppState, user_id: &str, change: IdentityChange) -> Result<User, AppError> {
    let current = get(state, user_id).await?;
    let mut errors: Vec<FieldError> = Vec::new();
    let mut check = |r: Result<String, FieldError>, fallback: &str| match r {
        Ok(v) => v,
        Err(e) => {
            errors.push(e);
            fallback.to_string()
        }
    };
    let name = change.display_name.map(|n| DisplayName::parse(&n).map(|d| d.as_str().to_string()));
    let name = name.map(|r| check(r, "")).unwrap_or(current.display_name.clone());
    let locale = change.locale.map(|l| check(parse_locale(&l), "")).unwrap_or(current.locale.clone());
    let time_zone = change.time_zone.map(|t| check(parse_time_zone(&t), "")).unwrap_or(current.time_zone.clone());
    if !errors.is_empty() {
        return Err(AppError::validation(errors));
    }
    let identity = users::Identity { display_name: &name, locale: &locale, time_zone: &time_zone };
    users::set_identity(state.db.pool(), user_id, identity).await?;
    get(state, user_id).await
}

/// Changes the password after checking the current one; signs out every other session.
pub async fn change_password(state: &AppState, viewer: &Viewer, current: &str, new: &str) -> Result<(), AppError> {
    let new = Password::parse("new_password", new).map_err(|e| AppError::validation(vec![e]))?;
    let stored = users::password_hash(state.db.pool(), &viewer.user_id).await?;
    if !password::verify(current, Some(stored)).await? {
        return Err(AppError::field("current_password", "The current password is not correct."));
    }
    let hash = password::hash(new.expose()).await?;
    let keep = match &viewer.credential {
        lyceum_platform::auth::Credential::Session { session_hash } => Some(session_hash.as_str()),
        _ => None,
    };
    let mut tx = state.db.begin().await?;
    users::set_password(&mut tx, &viewer.user_id, &hash).await?;
    sessions::delete_for_user(&mut tx, &viewer.user_id, keep).await?;
    tx.commit().await?;
    Ok(())
}

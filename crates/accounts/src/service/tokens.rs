//! Personal API tokens: `lyc_<random>`, shown once, stored as a hash.

use lyceum_platform::ids::{TokenId, UserId};
use lyceum_platform::{AppError, AppState, FieldError, Text, db, secrets};

use crate::{model::ApiToken, repo::tokens};

pub const MAX_PER_USER: usize = 50;

pub struct Created {
    pub token: ApiToken,
    /// The secret itself; it cannot be shown again.
    pub secret: String,
}

pub async fn create(
    state: &AppState,
    user_id: &UserId,
    name: &str,
    expires_in_days: Option<i64>,
) -> Result<Created, AppError> {
    let user_id = user_id.as_str();
    let name = name.trim();
    let mut fields = Vec::new();
    if name.is_empty() || name.chars().count() > 100 {
        fields.push(FieldError::new("name", Text::new("accounts.errors.token_name")));
    }
    if let Some(days) = expires_in_days.filter(|d| !(1..=3650).contains(d)) {
        fields.push(FieldError::new("expires_in_days", Text::new("accounts.errors.token_expiry").arg("days", days)));
    }
    if !fields.is_empty() {
        return Err(AppError::validation(fields));
    }
    if tokens::list(state.db.pool(), user_id).await?.len() >= MAX_PER_USER {
        return Err(AppError::conflict(Text::new("accounts.errors.token_limit").arg("max", MAX_PER_USER)));
    }
    let secret = format!("lyc_{}", secrets::random_token());
    let prefix: String = secret.chars().take(10).collect();
    let expires_at = expires_in_days.map(|d| db::now_ms() + d * 86_400_000);
    let token = tokens::insert(
        &mut *state.db.autocommit().await?,
        user_id,
        name,
        &secrets::token_hash(&secret),
        &prefix,
        expires_at,
    )
    .await?;
    Ok(Created { token, secret })
}

pub async fn list(state: &AppState, user_id: &UserId) -> Result<Vec<ApiToken>, AppError> {
    let user_id = user_id.as_str();
    Ok(tokens::list(state.db.pool(), user_id).await?)
}

/// Revokes one of the user's own tokens; someone else's token is "not found".
pub async fn revoke(state: &AppState, user_id: &UserId, token_id: &TokenId) -> Result<(), AppError> {
    let user_id = user_id.as_str();
    let token_id = token_id.as_str();
    if !tokens::revoke(&mut *state.db.autocommit().await?, user_id, token_id).await? {
        return Err(AppError::not_found());
    }
    // A cached token would still authenticate until its entry expired.
    super::session::forget_sessions(state).await;
    Ok(())
}

//! Signing in and out; turning a session cookie or bearer token into a user.

use lyceum_platform::{AppError, AppState, auth::Credential, db, secrets};

use super::Client;
use crate::{
    error::LoginError,
    model::{Email, Password, User},
    password,
    repo::{sessions, tokens, users},
};

/// A new browser session: the secret goes into the cookie, only its hash is stored.
pub struct NewSession {
    pub user: User,
    pub secret: String,
    pub max_age_secs: i64,
}

/// Checks credentials and opens a session. Unknown address and wrong password
/// get the same answer and take the same time.
pub async fn login(
    state: &AppState,
    raw_email: &str,
    raw_password: &str,
    client: &Client,
) -> Result<NewSession, LoginError> {
    if raw_email.trim().is_empty() || raw_password.is_empty() {
        let mut fields = Vec::new();
        if raw_email.trim().is_empty() {
            fields.push(lyceum_platform::FieldError::new(
                "email",
                lyceum_platform::Text::new("accounts.errors.email_empty"),
            ));
        }
        if raw_password.is_empty() {
            fields.push(lyceum_platform::FieldError::new(
                "password",
                lyceum_platform::Text::new("accounts.errors.password_empty"),
            ));
        }
        return Err(AppError::validation(fields).into());
    }
    let ip_key = format!("ip:{}", client.ip);
    let email = match Email::parse(raw_email) {
        Ok(email) if raw_password.chars().count() <= Password::MAX => email,
        _ => {
            // No account can have this address or password. Count the attempt
            // against the client only — a limiter is never keyed on arbitrary
            // input — and answer as for any wrong credentials.
            state.limits.login.admit(&[ip_key])?;
            return Err(LoginError::InvalidCredentials);
        }
    };
    state.limits.login.admit(&[format!("email:{}", email.as_str()), ip_key])?;

    let found = users::credentials(state.db.pool(), email.as_str()).await?;
    let (user, hash) = match found {
        Some((user, hash)) => (Some(user), Some(hash)),
        None => (None, None),
    };
    let ok = password::verify(raw_password, hash).await?;
    let user = match user {
        Some(user) if ok => user,
        _ => return Err(LoginError::InvalidCredentials),
    };
    if user.is_disabled() {
        return Err(LoginError::Disabled);
    }
    if state.settings.auth.require_verified_email && !user.is_verified() {
        return Err(LoginError::Unverified);
    }
    Ok(open_session(state, user, client).await?)
}

pub async fn open_session(state: &AppState, user: User, client: &Client) -> Result<NewSession, AppError> {
    let secret = secrets::random_token();
    let max_age_secs = state.settings.auth.session_ttl_hours * 3600;
    let expires = db::now_ms() + max_age_secs * 1000;
    let agent: String = client.user_agent.chars().take(300).collect();
    sessions::insert(
        &mut *state.db.autocommit().await?,
        &secrets::token_hash(&secret),
        &user.id,
        expires,
        &agent,
        &client.ip,
    )
    .await?;
    tracing::info!(user_id = %user.id, "signed in");
    Ok(NewSession { user, secret, max_age_secs })
}

/// Ends the session behind `credential` (bearer tokens are revoked separately).
pub async fn logout(state: &AppState, credential: &Credential) -> Result<(), AppError> {
    if let Credential::Session { session_hash } = credential {
        sessions::delete(&mut *state.db.autocommit().await?, session_hash).await?;
        state.cache.delete(SESSIONS_CACHE, session_hash).await;
    }
    Ok(())
}

///
/// A resolved session is cached for `auth.session_cache_secs` under its hash,
/// so a signed-in page costs no query for it. Whatever changes what a cached
/// session stands for forgets it after its commit: signing out deletes its
/// entry; a change to a user or to their sessions (password, role, disabled,
/// identity, sign-out elsewhere) calls [`forget_sessions`], which drops every
/// cached session — in every process when the cache is Redis. Without Redis,
/// a change made by another process (the `lyceum admin` command) shows within
/// the TTL.
pub async fn user_for_session(state: &AppState, secret: &str) -> Result<Option<(User, String)>, AppError> {
    let hash = secrets::token_hash(secret);
    let ttl = std::time::Duration::from_secs(state.settings.auth.session_cache_secs);
    if ttl.is_zero() {
        return Ok(sessions::user_for(state.db.pool(), &hash).await?.map(|u| (u, hash)));
    }
    // Pinned: a user read just before a change committed is not kept after it.
    let cached = state.cache.pin(SESSIONS_CACHE).await;
    if let Some(user) = cached.get_json::<User>(&hash).await {
        return Ok(Some((user, hash)));
    }
    let user = sessions::user_for(state.db.pool(), &hash).await?;
    if let Some(user) = &user {
        cached.set_json(&hash, user, ttl).await;
    }
    Ok(user.map(|u| (u, hash)))
}

/// The cache namespace of resolved sessions.
const SESSIONS_CACHE: &str = "sessions";

/// Drops every cached session, so each is read from the database again on
/// its next request. Called after (never before) a change commits: a reader
/// between the two would cache the old state again.
pub async fn forget_sessions(state: &AppState) {
    state.cache.bump(SESSIONS_CACHE).await;
}

/// The user behind a bearer token; records its use at most once a minute.
///
/// Cached like a session (same namespace and TTL, so [`forget_sessions`]
/// forgets tokens too; revoking one calls it), never past the token's expiry.
pub async fn user_for_token(state: &AppState, secret: &str) -> Result<Option<(User, String)>, AppError> {
    let hash = secrets::token_hash(secret);
    let key = format!("token:{hash}");
    let now = db::now_ms();
    let ttl = std::time::Duration::from_secs(state.settings.auth.session_cache_secs);
    // Pinned: an owner read just before a change committed is not kept after it.
    let pinned = state.cache.pin(SESSIONS_CACHE).await;
    let cached = match ttl.is_zero() {
        true => None,
        false => pinned.get_json::<CachedToken>(&key).await.filter(|t| t.live_at(now)),
    };
    let mut changed = cached.is_none();
    let mut owner = match cached {
        Some(owner) => owner,
        None => match tokens::owner(state.db.pool(), &hash).await? {
            Some(owner) => CachedToken::from(owner),
            None => return Ok(None),
        },
    };
    if owner.last_used_at.is_none_or(|t| now - t > 60_000) {
        tokens::touch(&mut *state.db.autocommit().await?, &owner.token_id).await?;
        owner.last_used_at = Some(now);
        changed = true;
    }
    if changed && !ttl.is_zero() {
        let left = owner.expires_at.map(|e| std::time::Duration::from_millis(u64::try_from(e - now).unwrap_or(0)));
        pinned.set_json(&key, &owner, left.map_or(ttl, |left| left.min(ttl))).await;
    }
    Ok(Some((owner.user, owner.token_id)))
}

/// What [`user_for_token`] keeps of a live token.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
struct CachedToken {
    user: User,
    token_id: String,
    last_used_at: Option<i64>,
    expires_at: Option<i64>,
}

impl CachedToken {
    fn live_at(&self, now: i64) -> bool {
        self.expires_at.is_none_or(|e| e > now)
    }
}

impl From<tokens::TokenOwner> for CachedToken {
    fn from(owner: tokens::TokenOwner) -> Self {
        let tokens::TokenOwner { token_id, last_used_at, expires_at, user } = owner;
        Self { user, token_id, last_used_at, expires_at }
    }
}

#[cfg(test)]
mod tests {
    use super::CachedToken;

    fn token(expires_at: Option<i64>) -> CachedToken {
        let user = serde_json::json!({
            "id": "u1", "email": "ada@example.org", "display_name": "Ada", "role": "learner",
            "locale": "en", "time_zone": "UTC", "email_verified_at": null, "disabled_at": null,
            "password_change_due_at": null, "created_at": 0
        });
        CachedToken {
            user: serde_json::from_value(user).expect("a user"),
            token_id: "t1".into(),
            last_used_at: None,
            expires_at,
        }
    }

    /// A cached token authenticates until its expiry, not a moment after,
    /// whatever is left of its cache entry.
    #[test]
    fn a_cached_token_is_live_until_its_expiry() {
        assert!(token(None).live_at(i64::MAX));
        assert!(token(Some(1_000)).live_at(999));
        assert!(!token(Some(1_000)).live_at(1_000));
    }
}

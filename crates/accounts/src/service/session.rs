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
    sessions::insert(state.db.pool(), &secrets::token_hash(&secret), &user.id, expires, &agent, &client.ip).await?;
    tracing::info!(user_id = %user.id, "signed in");
    Ok(NewSession { user, secret, max_age_secs })
}

/// Ends the session behind `credential` (bearer tokens are revoked separately).
pub async fn logout(state: &AppState, credential: &Credential) -> Result<(), AppError> {
    if let Credential::Session { session_hash } = credential {
        sessions::delete(state.db.pool(), session_hash).await?;
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
    if let Some(user) = state.cache.get_json::<User>(SESSIONS_CACHE, &hash).await {
        return Ok(Some((user, hash)));
    }
    let user = sessions::user_for(state.db.pool(), &hash).await?;
    if let Some(user) = &user {
        state.cache.set_json(SESSIONS_CACHE, &hash, user, ttl).await;
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
pub async fn user_for_token(state: &AppState, secret: &str) -> Result<Option<(User, String)>, AppError> {
    let Some(owner) = tokens::owner(state.db.pool(), &secrets::token_hash(secret)).await? else {
        return Ok(None);
    };
    let now = db::now_ms();
    if owner.last_used_at.is_none_or(|t| now - t > 60_000) {
        tokens::touch(state.db.pool(), &owner.token_id).await?;
    }
    Ok(Some((owner.user, owner.token_id)))
}

//! A user's own browser sessions: see where you are signed in, sign one out,
//! or sign out everywhere else.

use lyceum_platform::{
    AppError, AppState,
    auth::{Credential, Viewer},
};

use crate::repo::sessions::{self, SessionRow};

/// A session as listed to its owner.
#[derive(Debug, Clone)]
pub struct SessionInfo {
    pub id: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub user_agent: String,
    pub ip: String,
    /// The session making this request.
    pub current: bool,
}

impl SessionInfo {
    /// The browser the session was signed in from, when known ("Firefox").
    pub fn browser(&self) -> Option<&'static str> {
        super::device::describe(&self.user_agent).0
    }

    /// The system the session was signed in from, when known ("Windows").
    pub fn system(&self) -> Option<&'static str> {
        super::device::describe(&self.user_agent).1
    }
}

fn current_hash(viewer: &Viewer) -> Option<&str> {
    match &viewer.credential {
        Credential::Session { session_hash } => Some(session_hash),
        Credential::Token { .. } => None,
    }
}

pub async fn list(state: &AppState, viewer: &Viewer) -> Result<Vec<SessionInfo>, AppError> {
    let current = current_hash(viewer);
    let rows = sessions::list_for_user(state.db.pool(), &viewer.user_id).await?;
    Ok(rows
        .into_iter()
        .map(|r: SessionRow| SessionInfo {
            current: current == Some(r.id_hash.as_str()),
            id: r.public_id,
            created_at: r.created_at,
            expires_at: r.expires_at,
            user_agent: r.user_agent,
            ip: r.ip,
        })
        .collect())
}

/// Signs out one of your sessions (another user's is "not found").
pub async fn revoke(state: &AppState, viewer: &Viewer, id: &str) -> Result<(), AppError> {
    if sessions::delete_public(&mut *state.db.autocommit().await?, &viewer.user_id, id).await? {
        super::session::forget_sessions(state).await;
        Ok(())
    } else {
        Err(AppError::not_found())
    }
}

/// Signs out every session but the one making the request (all of them when
/// the caller uses an API token).
pub async fn revoke_others(state: &AppState, viewer: &Viewer) -> Result<(), AppError> {
    sessions::delete_for_user(&mut *state.db.autocommit().await?, &viewer.user_id, current_hash(viewer)).await?;
    super::session::forget_sessions(state).await;
    Ok(())
}

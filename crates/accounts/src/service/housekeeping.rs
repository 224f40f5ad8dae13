//! The hourly purge of spent credentials: expired sessions, used or expired
//! e-mail links, revoked or expired API tokens.

use lyceum_platform::{
    AppState, db,
    jobs::{Job, JobError},
};

use crate::repo::{email_tokens, sessions, tokens};

/// Scheduled hourly (see `register_jobs`). Idempotent: it deletes only rows
/// that are already unusable, so a repeat deletes nothing more.
pub struct PurgeExpired;
impl Job for PurgeExpired {
    const KIND: &'static str = "accounts.purge_expired";
    type Payload = ();
    async fn run(state: &AppState, (): ()) -> Result<(), JobError> {
        let now = db::now_ms();
        let sessions = sessions::purge_expired(&mut *state.db.autocommit().await?).await?;
        let links = email_tokens::purge_spent(&mut *state.db.autocommit().await?, now).await?;
        let api_tokens = tokens::purge_spent(&mut *state.db.autocommit().await?, now).await?;
        tracing::info!(sessions, links, api_tokens, "spent credentials purged");
        Ok(())
    }
}

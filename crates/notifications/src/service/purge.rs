//! Daily removal of old notifications and spent unsubscribe links.

use lyceum_platform::{
    AppState, db,
    jobs::{Job, JobError},
};

const DAY_MS: i64 = 86_400_000;
/// Read notices stay in the list this long.
pub const KEEP_READ_MS: i64 = 180 * DAY_MS;
/// An unsubscribe link in an old e-mail keeps working this long (mail clients
/// show the one-click button on old messages too).
pub const KEEP_UNSUBSCRIBE_MS: i64 = 365 * DAY_MS;

/// Scheduled daily. Idempotent: it only deletes rows past their age.
pub struct PurgeOld;
impl Job for PurgeOld {
    const KIND: &'static str = "notifications.purge_old";
    type Payload = ();
    async fn run(state: &AppState, (): ()) -> Result<(), JobError> {
        let (notices, tokens) = purge(state, db::now_ms()).await?;
        tracing::info!(notices, tokens, "old notifications purged");
        Ok(())
    }
}

/// Deletes read notices and unsubscribe tokens past their age at `now`
/// (unread notices stay until read: they are still news to their reader).
pub async fn purge(state: &AppState, now: i64) -> Result<(u64, u64), sqlx::Error> {
    let notices = sqlx::query("DELETE FROM notifications WHERE read_at IS NOT NULL AND read_at < $1")
        .bind(now - KEEP_READ_MS)
        .execute(&mut *state.db.autocommit().await?)
        .await?
        .rows_affected();
    let tokens = sqlx::query("DELETE FROM notification_unsubscribe_tokens WHERE created_at < $1")
        .bind(now - KEEP_UNSUBSCRIBE_MS)
        .execute(&mut *state.db.autocommit().await?)
        .await?
        .rows_affected();
    Ok((notices, tokens))
}

//! A user's own notifications: list, unread count, mark read.

use std::time::Duration;

use lyceum_platform::ids::{NotificationId, UserId};
use lyceum_platform::keyset::{PageRequest, Paged};
use lyceum_platform::{AppError, AppState};

use crate::{model::Notification, repo::notifications};

pub struct ListQuery {
    pub unread_only: bool,
    pub page: PageRequest,
}

/// Newest first; the cursor is the last row's `created_at:id`.
pub async fn list(state: &AppState, user_id: &UserId, q: ListQuery) -> Result<Paged<Notification>, AppError> {
    let user_id = user_id.as_str();
    let before = q.page.before()?;
    let filter = notifications::Filter {
        user_id,
        unread_only: q.unread_only,
        before: before.as_ref().map(|(at, id)| (*at, id.as_str())),
        limit: q.page.fetch(),
    };
    let rows = notifications::list(state.db.pool(), filter).await?;
    Ok(Paged::from_rows(rows, &q.page, |r| (r.created_at, r.id.as_str())))
}

/// The header shows the count on every signed-in page, so it is cached (the
/// query cost a signed-in page 13–23 % of its throughput; docs/benchmarks.md).
/// The process that records or reads a notice forgets the count at once; other
/// processes see the change through a shared (Redis) cache at once, or with
/// the in-process cache within `UNREAD_TTL`.
const UNREAD: &str = "notifications.unread";
const UNREAD_TTL: Duration = Duration::from_secs(30);

pub async fn unread_count(state: &AppState, user_id: &UserId) -> Result<i64, AppError> {
    let user_id = user_id.as_str();
    let load = async { Ok::<_, AppError>(notifications::unread_count(state.db.pool(), user_id).await?) };
    state.cache.get_or_load_json(UNREAD, user_id, UNREAD_TTL, load).await
}

/// Drops the cached count after a change to the user's unread notices.
pub(crate) async fn forget_unread(state: &AppState, user_id: &str) {
    state.cache.delete(UNREAD, user_id).await;
}

/// Marks one of the user's notifications read; another user's id is 404 (not 403: no probing).
pub async fn mark_read(state: &AppState, user_id: &UserId, id: &NotificationId) -> Result<Notification, AppError> {
    let user_id = user_id.as_str();
    let id = id.as_str();
    if notifications::mark_read(&mut *state.db.autocommit().await?, user_id, id).await? == 0 {
        return Err(AppError::not_found());
    }
    forget_unread(state, user_id).await;
    notifications::get(state.db.pool(), user_id, id).await?.ok_or_else(AppError::not_found)
}

/// Returns how many were unread.
pub async fn mark_all_read(state: &AppState, user_id: &UserId) -> Result<u64, AppError> {
    let user_id = user_id.as_str();
    let marked = notifications::mark_all_read(&mut *state.db.autocommit().await?, user_id).await?;
    forget_unread(state, user_id).await;
    Ok(marked)
}

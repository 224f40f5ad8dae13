//! The posting rules against floods and spam, checked before a thread or a
//! reply is written (staff are exempt):
//! - at most `posts_per_minute` posts per member in any minute, counted in
//!   the database (so the limit holds across every replica): 429 with
//!   `Retry-After`;
//! - no links from an account younger than `link_min_account_age_hours`
//!   whose e-mail address is not verified: 422 on `body`.

use lyceum_platform::{AppState, auth::Viewer, db};

use super::{Role, text};
use crate::{ForumError, repo, settings::ForumSettings};

const MINUTE_MS: i64 = 60_000;

pub(crate) async fn check(state: &AppState, viewer: &Viewer, role: Role, body: &str) -> Result<(), ForumError> {
    if role.is_staff() {
        return Ok(());
    }
    let settings = state.settings.section::<ForumSettings>();
    let now = db::now_ms();
    let limit = settings.posts_per_minute.max(1);
    let recent = {
        let mut conn = state.db.pool().acquire().await?;
        repo::posts::recent_by(&mut conn, &viewer.user_id, now - MINUTE_MS, i64::from(limit)).await?
    };
    if recent.len() as u32 >= limit {
        let oldest = recent.first().copied().unwrap_or(now);
        let wait_ms = (oldest + MINUTE_MS - now).max(1000);
        return Err(ForumError::RateLimited { retry_after_secs: ((wait_ms + 999) / 1000) as u32 });
    }
    let hours = settings.link_min_account_age_hours;
    if hours > 0 && text::has_link(body) {
        let user = lyceum_accounts::service::identity::get(state, &viewer.id()).await?;
        let young = now - user.created_at < hours * 3_600_000;
        if young && user.email_verified_at.is_none() {
            return Err(ForumError::LinksNotYet { hours });
        }
    }
    Ok(())
}

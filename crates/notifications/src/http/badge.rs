//! The unread count in the page header: a navigation badge (see
//! `lyceum_platform::web::badge`, which decides on which requests it is
//! counted), read from a cache (see `inbox::unread_count`).

use lyceum_platform::ids::UserId;
use lyceum_platform::{AppResult, AppState, module::BoxFuture};

use crate::service::inbox;

/// The badge's name, as `base.html` asks for it (`page.badge("notifications")`).
pub const NAME: &str = "notifications";

/// The signed-in user's unread notifications.
pub fn unread<'a>(state: &'a AppState, user_id: &'a str) -> BoxFuture<'a, AppResult<i64>> {
    Box::pin(async move { inbox::unread_count(state, &UserId::from(user_id)).await })
}

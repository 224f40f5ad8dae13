//! An administrator's test notification: proves the queue, the preferences
//! and the e-mail path end to end for one user.

use lyceum_platform::ids::UserId;
use lyceum_platform::{AppError, AppState, FieldError, Text, db};

use super::{
    SendError,
    jobs::{AdminTestNotice, TestRequest},
    recipient,
};
use crate::model::MESSAGE_MAX;

/// Queues a test notification for `user_id` (422 for bad input, 404 for an unknown user).
pub async fn send_test(state: &AppState, user_id: &UserId, message: Option<&str>) -> Result<(), SendError> {
    let user_id = user_id.as_str();
    let user_id = user_id.trim();
    let message = message.map(str::trim).unwrap_or_default();
    let mut errors = Vec::new();
    if user_id.is_empty() {
        errors.push(FieldError::new("user_id", Text::new("notifications.errors.user_id_required")));
    }
    if message.chars().count() > MESSAGE_MAX {
        errors.push(FieldError::new(
            "message",
            Text::new("notifications.errors.message_too_long").arg("max", MESSAGE_MAX),
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::validation(errors).into());
    }
    if recipient(state, user_id).await?.is_none() {
        return Err(SendError::UnknownUser);
    }
    let payload = TestRequest { user_id: user_id.to_string(), request_id: db::new_id(), message: message.to_string() };
    let mut conn = state.db.pool().acquire().await?;
    lyceum_platform::jobs::enqueue::<AdminTestNotice>(&mut conn, &payload).await?;
    tracing::info!(user_id, "test notification queued");
    Ok(())
}

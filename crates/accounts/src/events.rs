//! The domain events accounts publishes; other modules subscribe to them
//! through the server's job registry (`JobRegistry::subscribe`).

use lyceum_platform::events::Event;
use serde::{Deserialize, Serialize};

/// A new account was created through sign-up (verified or not). Published in
/// the registration's transaction. Carries no secret: it is stored in job rows.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UserRegistered {
    pub user_id: String,
}

impl Event for UserRegistered {
    const NAME: &'static str = "user.registered";
}

/// Someone asked for a password-reset link for this (enabled) account.
/// Published in the transaction that enqueues the reset e-mail; observers can
/// warn the owner, who may not be the one who asked.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PasswordResetRequested {
    pub user_id: String,
}

impl Event for PasswordResetRequested {
    const NAME: &'static str = "user.password_reset_requested";
}

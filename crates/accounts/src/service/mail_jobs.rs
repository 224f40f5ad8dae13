//! The account e-mails, sent by jobs rather than inside the request.
//!
//! Payloads hold only a user id and an id for this request or event: the job
//! payload is visible to admins, so each handler issues its own link token
//! (which voids the user's earlier ones) right before sending.
//!
//! Idempotency, common to every handler here: the handler's delivery key is
//! `<kind>:<event or request id>`, fixed when the job was enqueued, so a second
//! delivery of the same job has the same key. The handler returns at once when
//! `mail_deliveries` already holds the key (without issuing a token, so the
//! link already mailed keeps working) and records the key right after a
//! successful send. Only a crash between the send and the record sends twice.

use lyceum_platform::{
    AppError, AppState, db,
    events::Delivery,
    jobs::{self, Job, JobError, JobRegistry, schedule::Every},
    mail::deliveries,
};
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;

use super::{links, mail};
use crate::{events::UserRegistered, model::User, repo::users};

/// Every accounts job and subscription; the server calls this when it builds its registry.
pub fn register_jobs(registry: &mut JobRegistry) {
    registry
        .subscribe::<UserRegistered, VerificationMail>()
        .register::<ResendVerificationMail>()
        .register::<ResetMail>()
        .register::<AlreadyRegisteredMail>()
        .register::<PasswordChangedMail>()
        .register::<EmailChangeLinkMail>()
        .register::<EmailChangedMail>()
        .schedule::<super::housekeeping::PurgeExpired>(Every::hours(1));
}

/// The payload of a mail requested directly (not through an event).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MailRequest {
    pub user_id: String,
    /// Fresh for each request; part of the delivery key.
    pub request_id: String,
}

impl MailRequest {
    /// The delivery key for job kind `kind` (same on a repeated delivery), like [`Delivery::key`].
    pub fn key(&self, kind: &str) -> String {
        format!("{kind}:{}", self.request_id)
    }
}

/// Enqueues mail job `J` for `user_id` (committed at once: the request changed nothing else).
pub(crate) async fn request<J: Job<Payload = MailRequest>>(state: &AppState, user_id: &str) -> Result<(), AppError> {
    let mut conn = state.db.pool().acquire().await?;
    request_on::<J>(&mut conn, user_id).await
}

/// Enqueues mail job `J` for `user_id` on `conn`, the caller's transaction.
pub(crate) async fn request_on<J: Job<Payload = MailRequest>>(
    conn: &mut AnyConnection,
    user_id: &str,
) -> Result<(), AppError> {
    let payload = MailRequest { user_id: user_id.to_string(), request_id: db::new_id() };
    jobs::enqueue::<J>(conn, &payload).await?;
    Ok(())
}

/// `user.registered` → the verification link, when the account still needs one.
/// Idempotent through the key `accounts.verification_mail:<event id>` (see the module doc).
pub struct VerificationMail;
impl Job for VerificationMail {
    const KIND: &'static str = "accounts.verification_mail";
    type Payload = Delivery<UserRegistered>;
    async fn run(state: &AppState, delivery: Self::Payload) -> Result<(), JobError> {
        verification(state, &delivery.event.user_id, &delivery.key(Self::KIND)).await
    }
}

/// "Send the link again" → a fresh verification link.
/// Idempotent through the key `accounts.resend_verification_mail:<request id>` (see the module doc).
pub struct ResendVerificationMail;
impl Job for ResendVerificationMail {
    const KIND: &'static str = "accounts.resend_verification_mail";
    type Payload = MailRequest;
    async fn run(state: &AppState, req: MailRequest) -> Result<(), JobError> {
        verification(state, &req.user_id, &req.key(Self::KIND)).await
    }
}

/// "Forgot password" → a password-reset link, unless the account was disabled since.
/// Idempotent through the key `accounts.reset_mail:<request id>` (see the module doc).
pub struct ResetMail;
impl Job for ResetMail {
    const KIND: &'static str = "accounts.reset_mail";
    type Payload = MailRequest;
    async fn run(state: &AppState, req: MailRequest) -> Result<(), JobError> {
        let key = req.key(Self::KIND);
        let Some(user) = pending_user(state, &req.user_id, &key).await? else { return Ok(()) };
        if user.is_disabled() {
            return Ok(());
        }
        links::send_reset(state, &user).await?;
        Ok(deliveries::record_sent(&mut *state.db.autocommit().await?, &key).await?)
    }
}

/// Sign-up with a registered address → a note to the owner (instead of an error).
/// Idempotent through the key `accounts.already_registered_mail:<request id>` (see the module doc).
pub struct AlreadyRegisteredMail;
impl Job for AlreadyRegisteredMail {
    const KIND: &'static str = "accounts.already_registered_mail";
    type Payload = MailRequest;
    async fn run(state: &AppState, req: MailRequest) -> Result<(), JobError> {
        let key = req.key(Self::KIND);
        let Some(user) = pending_user(state, &req.user_id, &key).await? else { return Ok(()) };
        mail::send_already_registered(state, &user).await?;
        Ok(deliveries::record_sent(&mut *state.db.autocommit().await?, &key).await?)
    }
}

/// A password change (self-service, CLI or reset link) → a notice to the owner,
/// so a change they did not make does not go unnoticed.
/// Idempotent through the key `accounts.password_changed_mail:<request id>` (see the module doc).
pub struct PasswordChangedMail;
impl Job for PasswordChangedMail {
    const KIND: &'static str = "accounts.password_changed_mail";
    type Payload = MailRequest;
    async fn run(state: &AppState, req: MailRequest) -> Result<(), JobError> {
        let key = req.key(Self::KIND);
        let Some(user) = pending_user(state, &req.user_id, &key).await? else { return Ok(()) };
        mail::send_password_changed(state, &user).await?;
        Ok(deliveries::record_sent(&mut *state.db.autocommit().await?, &key).await?)
    }
}

/// The payload of a mail about an address change: the account, the other
/// address the mail goes to (the new one for the link, the old one for the
/// notice; the account's own admins can see addresses anyway), and a request id.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AddressMail {
    pub user_id: String,
    pub address: String,
    pub request_id: String,
}

/// Enqueues the confirmation link to `new_email` (committed at once).
pub(crate) async fn request_email_change(state: &AppState, user_id: &str, new_email: &str) -> Result<(), AppError> {
    let mut conn = state.db.pool().acquire().await?;
    let payload = AddressMail { user_id: user_id.into(), address: new_email.into(), request_id: db::new_id() };
    jobs::enqueue::<EmailChangeLinkMail>(&mut conn, &payload).await?;
    Ok(())
}

/// Enqueues the notice to the `old_email` on `conn`, the change's transaction.
pub(crate) async fn request_email_changed_on(
    conn: &mut AnyConnection,
    user_id: &str,
    old_email: &str,
) -> Result<(), AppError> {
    let payload = AddressMail { user_id: user_id.into(), address: old_email.into(), request_id: db::new_id() };
    jobs::enqueue::<EmailChangedMail>(conn, &payload).await?;
    Ok(())
}

/// "Change my address" → a confirmation link to the new address, unless the
/// account was disabled since. Idempotent through the key
/// `accounts.email_change_mail:<request id>` (see the module doc).
pub struct EmailChangeLinkMail;
impl Job for EmailChangeLinkMail {
    const KIND: &'static str = "accounts.email_change_mail";
    type Payload = AddressMail;
    async fn run(state: &AppState, req: AddressMail) -> Result<(), JobError> {
        let key = format!("{}:{}", Self::KIND, req.request_id);
        let Some(user) = pending_user(state, &req.user_id, &key).await? else { return Ok(()) };
        if user.is_disabled() {
            return Ok(());
        }
        super::email_change::send_link(state, &user, &req.address).await?;
        Ok(deliveries::record_sent(&mut *state.db.autocommit().await?, &key).await?)
    }
}

/// An address change → a notice to the address the account left, so a change
/// its owner did not make does not go unnoticed.
/// Idempotent through the key `accounts.email_changed_mail:<request id>` (see the module doc).
pub struct EmailChangedMail;
impl Job for EmailChangedMail {
    const KIND: &'static str = "accounts.email_changed_mail";
    type Payload = AddressMail;
    async fn run(state: &AppState, req: AddressMail) -> Result<(), JobError> {
        let key = format!("{}:{}", Self::KIND, req.request_id);
        let Some(user) = pending_user(state, &req.user_id, &key).await? else { return Ok(()) };
        mail::send_email_changed(state, &user, &req.address).await?;
        Ok(deliveries::record_sent(&mut *state.db.autocommit().await?, &key).await?)
    }
}

/// Sends a verification link to an account that is still unverified and enabled.
async fn verification(state: &AppState, user_id: &str, key: &str) -> Result<(), JobError> {
    let Some(user) = pending_user(state, user_id, key).await? else { return Ok(()) };
    if user.is_verified() || user.is_disabled() {
        return Ok(());
    }
    links::send_verification(state, &user).await?;
    Ok(deliveries::record_sent(&mut *state.db.autocommit().await?, key).await?)
}

/// The user to mail, or `None` when the mail with `key` was sent already or the
/// account is gone (nothing to do either way).
async fn pending_user(state: &AppState, user_id: &str, key: &str) -> Result<Option<User>, JobError> {
    if deliveries::is_sent(state.db.pool(), key).await? {
        tracing::info!(%key, "e-mail already sent; duplicate delivery skipped");
        return Ok(None);
    }
    let mut conn = state.db.pool().acquire().await?;
    Ok(users::by_id(&mut conn, user_id).await?)
}

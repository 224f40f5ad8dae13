use lyceum_platform::db;
use sqlx::AnyConnection;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    VerifyEmail,
    ResetPassword,
    /// Confirms a new address; the row keeps it (`new_email`).
    ChangeEmail,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::VerifyEmail => "verify_email",
            Purpose::ResetPassword => "reset_password",
            Purpose::ChangeEmail => "change_email",
        }
    }
}

/// Stores a new link token and voids the user's earlier unused ones for the same
/// purpose, so only the latest e-mail works.
pub async fn issue(
    conn: &mut AnyConnection,
    user_id: &str,
    purpose: Purpose,
    token_hash: &str,
    expires_at: i64,
    new_email: Option<&str>,
) -> Result<(), sqlx::Error> {
    let now = db::now_ms();
    sqlx::query("UPDATE email_tokens SET used_at = $1 WHERE user_id = $2 AND purpose = $3 AND used_at IS NULL")
        .bind(now)
        .bind(user_id)
        .bind(purpose.as_str())
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO email_tokens (token_hash, user_id, purpose, created_at, expires_at, new_email) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(purpose.as_str())
    .bind(now)
    .bind(expires_at)
    .bind(new_email)
    .execute(conn)
    .await
    .map(|_| ())
}

/// Uses a token exactly once: the conditional UPDATE succeeds for one caller
/// only, even when two requests race. Returns the user id.
pub async fn consume(
    conn: &mut AnyConnection,
    purpose: Purpose,
    token_hash: &str,
) -> Result<Option<String>, sqlx::Error> {
    let now = db::now_ms();
    let used = sqlx::query(
        "UPDATE email_tokens SET used_at = $1 \
         WHERE token_hash = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $1",
    )
    .bind(now)
    .bind(token_hash)
    .bind(purpose.as_str())
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if used == 0 {
        return Ok(None);
    }
    sqlx::query_scalar("SELECT user_id FROM email_tokens WHERE token_hash = $1")
        .bind(token_hash)
        .fetch_optional(conn)
        .await
}

/// The address a consumed `change_email` token confirms.
pub async fn new_email_of(conn: &mut AnyConnection, token_hash: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT new_email FROM email_tokens WHERE token_hash = $1 AND purpose = 'change_email'")
        .bind(token_hash)
        .fetch_optional(conn)
        .await
        .map(Option::flatten)
}

/// The account a token belongs to while it is still usable, without using it
/// (to show the reset form, and to compare a new password with the old one).
pub async fn live_owner(
    conn: &mut AnyConnection,
    purpose: Purpose,
    token_hash: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT user_id FROM email_tokens WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3",
    )
    .bind(token_hash)
    .bind(purpose.as_str())
    .bind(db::now_ms())
    .fetch_optional(conn)
    .await
}

/// Deletes links that can no longer be used (used or expired); returns how many.
pub async fn purge_spent(conn: &mut AnyConnection, now: i64) -> Result<u64, sqlx::Error> {
    sqlx::query("DELETE FROM email_tokens WHERE used_at IS NOT NULL OR expires_at <= $1")
        .bind(now)
        .execute(&mut *conn)
        .await
        .map(|r| r.rows_affected())
}

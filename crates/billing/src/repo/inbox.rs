//! `billing_webhook_inbox`: each gateway event is processed once.

use lyceum_platform::db;
use sqlx::AnyConnection;

/// Records the event; false when it was recorded before (a redelivery).
/// Called in the transaction that acts on the event, so a failure leaves it
/// unrecorded and the next delivery tries again.
pub async fn claim(conn: &mut AnyConnection, gateway: &str, event_id: &str, kind: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO billing_webhook_inbox (gateway, event_id, kind, received_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (gateway, event_id) DO NOTHING",
    )
    .bind(gateway)
    .bind(event_id)
    .bind(kind)
    .bind(db::now_ms())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

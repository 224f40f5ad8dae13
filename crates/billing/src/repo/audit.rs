//! `billing_audit`: who did what to which money object, with before and after.

use lyceum_platform::db;
use serde_json::Value;
use sqlx::AnyConnection;

/// One money action to record; `before` and `after` are the object's state as JSON.
pub struct Entry<'a> {
    pub actor_id: Option<&'a str>,
    pub action: &'a str,
    pub subject_kind: &'a str,
    pub subject_id: &'a str,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

pub async fn record(conn: &mut AnyConnection, e: Entry<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO billing_audit (id, actor_id, action, subject_kind, subject_id, before_json, after_json, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(db::new_id())
    .bind(e.actor_id)
    .bind(e.action)
    .bind(e.subject_kind)
    .bind(e.subject_id)
    .bind(e.before.map(|v| v.to_string()))
    .bind(e.after.map(|v| v.to_string()))
    .bind(db::now_ms())
    .execute(conn)
    .await?;
    Ok(())
}

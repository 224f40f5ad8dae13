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

/// One recorded money action.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuditRow {
    pub id: String,
    pub actor_id: Option<String>,
    pub action: String,
    pub subject_kind: String,
    pub subject_id: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub at: i64,
}

/// Money actions newest first, before `(at, id)`.
pub async fn page(
    conn: &mut AnyConnection,
    before: Option<(i64, &str)>,
    limit: i64,
) -> Result<Vec<AuditRow>, sqlx::Error> {
    let (before_at, before_id) = before.map(|(at, id)| (Some(at), Some(id))).unwrap_or((None, None));
    sqlx::query_as(
        "SELECT id, actor_id, action, subject_kind, subject_id, before_json, after_json, at FROM billing_audit \
         WHERE ($1 IS NULL OR at < $1 OR (at = $1 AND id < $2)) ORDER BY at DESC, id DESC LIMIT $3",
    )
    .bind(before_at)
    .bind(before_id)
    .bind(limit)
    .fetch_all(conn)
    .await
}

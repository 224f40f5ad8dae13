//! `Idempotency-Key` for POSTs that create something (enrollments now,
//! payments later): a client that is unsure whether its request arrived sends
//! it again with the same key and gets the first answer back instead of a
//! second enrollment or charge.
//!
//! Keys are scoped per user. The first request with a key claims it (a row
//! with no status yet) before it runs; when it succeeds, its status and JSON
//! body are stored for [`TTL_MS`] and a repeat with the same key and the same
//! request (method, path and body, compared by [`fingerprint`]) replays them,
//! marked `Idempotent-Replayed: true`. The same key with another request is
//! 422 `idempotency-key-reused`; a repeat while the first still runs is 409
//! `idempotency-key-in-use` (so concurrent duplicates never both execute).
//!
//! Only successes are stored: a request that failed changed nothing (its
//! transaction rolled back), so its key is released and a retry runs again —
//! a "course full" answer is not replayed after a seat frees up. A request
//! that dies between its commit and storing the answer leaves its key locked
//! for [`LOCK_MS`]; a retry after that runs again, which the routes using
//! this must tolerate (enrolling twice answers the existing enrollment).

use std::future::Future;

use axum::{
    extract::FromRequestParts,
    http::{HeaderValue, StatusCode, header, request::Parts},
    response::{IntoResponse, Response},
};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::{
    AppError, AppResult, AppState, db,
    jobs::{Job, JobError, JobRegistry, schedule::Every},
};

pub const HEADER: &str = "idempotency-key";
/// Set on a replayed answer.
pub const REPLAYED_HEADER: &str = "idempotent-replayed";
/// How long a stored answer is replayed.
pub const TTL_MS: i64 = 24 * 3_600_000;
/// How long a claimed key stays locked when its request never finishes.
pub const LOCK_MS: i64 = 60_000;
pub const KEY_MAX: usize = 255;

/// The `Idempotency-Key` header when sent: 1–255 visible ASCII characters
/// (a UUID is the usual choice); anything else is 400.
#[derive(Debug, Clone, Default)]
pub struct IdempotencyKey(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for IdempotencyKey {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        let Some(raw) = parts.headers.get(HEADER) else { return Ok(Self(None)) };
        parse_key(raw.as_bytes()).map(|k| Self(Some(k)))
    }
}

fn parse_key(raw: &[u8]) -> Result<String, AppError> {
    let valid = !raw.is_empty() && raw.len() <= KEY_MAX && raw.iter().all(|b| b.is_ascii_graphic());
    if !valid {
        return Err(AppError::bad_request(format!(
            "The Idempotency-Key header must be 1 to {KEY_MAX} visible ASCII characters, e.g. a UUID."
        )));
    }
    Ok(String::from_utf8_lossy(raw).into_owned())
}

/// What identifies a request for its key: `scope` (method and concrete path,
/// e.g. `POST /api/v1/enrollments`) and the parsed body, re-serialised so
/// whitespace and key order do not matter.
pub fn fingerprint(scope: &str, body: &impl Serialize) -> String {
    let body = serde_json::to_string(body).unwrap_or_default();
    hex::encode(Sha256::digest(format!("{scope}\n{body}").as_bytes()))
}

/// Runs `run` at most once per (user, key) and answers with its JSON, or
/// replays the stored answer. Without a key, `run` simply runs.
pub async fn once<T, F>(
    state: &AppState,
    user_id: &str,
    key: Option<String>,
    fingerprint: String,
    run: F,
) -> AppResult<Response>
where
    T: Serialize,
    F: Future<Output = AppResult<(StatusCode, T)>>,
{
    let Some(key) = key else {
        let (status, body) = run.await?;
        return Ok(json(status, serde_json::to_string(&body).map_err(AppError::internal)?, false));
    };
    match claim(state, user_id, &key, &fingerprint).await? {
        Claim::Owned => {}
        Claim::Replay { status, body } => {
            let status = StatusCode::from_u16(u16::try_from(status).unwrap_or(500)).map_err(AppError::internal)?;
            return Ok(json(status, body, true));
        }
        Claim::InUse => {
            return Err(AppError::conflict(
                "A request with this Idempotency-Key is still being processed. Retry in a moment to get its answer.",
            )
            .with_kind("idempotency-key-in-use"));
        }
        Claim::Mismatch => {
            let mut e = AppError::field(
                "Idempotency-Key",
                "This key was already used for a different request. Use a new key for a new request.",
            );
            e = e.with_kind("idempotency-key-reused");
            e.detail = "This Idempotency-Key was already used with a different request (method, path or body).".into();
            return Err(e);
        }
    }
    let outcome = match run.await {
        Ok((status, body)) => serde_json::to_string(&body).map(|b| (status, b)).map_err(AppError::internal),
        Err(e) => Err(e),
    };
    match outcome {
        Ok((status, body)) if status.is_success() => {
            store(state, user_id, &key, status, &body).await?;
            Ok(json(status, body, false))
        }
        other => {
            release(state, user_id, &key).await?;
            let (status, body) = other?;
            Ok(json(status, body, false))
        }
    }
}

fn json(status: StatusCode, body: String, replayed: bool) -> Response {
    let mut response = (status, [(header::CONTENT_TYPE, "application/json")], body).into_response();
    if replayed {
        response.headers_mut().insert(REPLAYED_HEADER, HeaderValue::from_static("true"));
    }
    response
}

enum Claim {
    Owned,
    Replay { status: i64, body: String },
    InUse,
    Mismatch,
}

/// Claims the key: a new row, or an expired one (or one whose request died)
/// taken over in the same statement, so two concurrent claims cannot both win.
async fn claim(state: &AppState, user_id: &str, key: &str, fingerprint: &str) -> Result<Claim, sqlx::Error> {
    let now = db::now_ms();
    let claimed = sqlx::query(
        "INSERT INTO idempotency_keys (user_id, idem_key, fingerprint, status, body, locked_until, created_at, expires_at) \
         VALUES ($1, $2, $3, NULL, NULL, $4, $5, $6) \
         ON CONFLICT (user_id, idem_key) DO UPDATE SET fingerprint = excluded.fingerprint, status = NULL, body = NULL, \
           locked_until = excluded.locked_until, created_at = excluded.created_at, expires_at = excluded.expires_at \
         WHERE idempotency_keys.expires_at <= $5 \
            OR (idempotency_keys.status IS NULL AND idempotency_keys.locked_until <= $5)",
    )
    .bind(user_id)
    .bind(key)
    .bind(fingerprint)
    .bind(now + LOCK_MS)
    .bind(now)
    .bind(now + TTL_MS)
    .execute(&mut *state.db.autocommit().await?)
    .await?
    .rows_affected();
    if claimed > 0 {
        return Ok(Claim::Owned);
    }
    let row: Option<(String, Option<i64>, Option<String>)> =
        sqlx::query_as("SELECT fingerprint, status, body FROM idempotency_keys WHERE user_id = $1 AND idem_key = $2")
            .bind(user_id)
            .bind(key)
            .fetch_optional(state.db.pool())
            .await?;
    Ok(match row {
        Some((stored, _, _)) if stored != fingerprint => Claim::Mismatch,
        Some((_, Some(status), Some(body))) => Claim::Replay { status, body },
        // Still running, or released between the two statements: ask for a retry.
        _ => Claim::InUse,
    })
}

async fn store(state: &AppState, user_id: &str, key: &str, status: StatusCode, body: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE idempotency_keys SET status = $3, body = $4 WHERE user_id = $1 AND idem_key = $2")
        .bind(user_id)
        .bind(key)
        .bind(i64::from(status.as_u16()))
        .bind(body)
        .execute(&mut *state.db.autocommit().await?)
        .await
        .map(|_| ())
}

async fn release(state: &AppState, user_id: &str, key: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM idempotency_keys WHERE user_id = $1 AND idem_key = $2 AND status IS NULL")
        .bind(user_id)
        .bind(key)
        .execute(&mut *state.db.autocommit().await?)
        .await
        .map(|_| ())
}

/// The idempotency jobs; the server calls this when it builds its registry.
pub fn register_jobs(registry: &mut JobRegistry) {
    registry.schedule::<PurgeExpired>(Every::hours(1));
}

/// Deletes keys past their 24 hours. Idempotent: it only deletes expired rows.
pub struct PurgeExpired;
impl Job for PurgeExpired {
    const KIND: &'static str = "idempotency.purge_expired";
    type Payload = ();
    async fn run(state: &AppState, (): ()) -> Result<(), JobError> {
        let removed = purge(state, db::now_ms()).await?;
        tracing::info!(idempotency_keys = removed, "expired idempotency keys purged");
        Ok(())
    }
}

/// Deletes the keys expired at `now`; returns how many.
pub async fn purge(state: &AppState, now: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM idempotency_keys WHERE expires_at <= $1")
        .bind(now)
        .execute(&mut *state.db.autocommit().await?)
        .await?;
    Ok(done.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_visible_ascii_and_bounded() {
        assert_eq!(parse_key(b"0b9c6d1e-7f").unwrap(), "0b9c6d1e-7f");
        assert!(parse_key(b"").is_err());
        assert!(parse_key(b"with space").is_err());
        assert!(parse_key(&[b'a'; KEY_MAX + 1]).is_err());
    }

    #[test]
    fn fingerprints_ignore_formatting_but_not_content() {
        let a = fingerprint("POST /x", &serde_json::json!({"a": 1, "b": 2}));
        let b = fingerprint("POST /x", &serde_json::from_str::<serde_json::Value>(r#"{ "b":2,"a":1 }"#).unwrap());
        assert_eq!(a, b);
        assert_ne!(a, fingerprint("POST /y", &serde_json::json!({"a": 1, "b": 2})));
        assert_ne!(a, fingerprint("POST /x", &serde_json::json!({"a": 2, "b": 2})));
    }
}

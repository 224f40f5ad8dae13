use lyceum_platform::{auth::Role, db};
use sqlx::{AnyConnection, AnyPool};

use crate::model::User;

const COLUMNS: &str = "id, email, display_name, role, locale, time_zone, email_verified_at, disabled_at, password_change_due_at, created_at";

/// The columns of [`User`] for a query that joins `users` as `alias`.
pub fn columns_of(alias: &str) -> String {
    COLUMNS.split(", ").map(|c| format!("{alias}.{c}")).collect::<Vec<_>>().join(", ")
}

pub struct NewUser<'a> {
    pub email: &'a str,
    pub password_hash: &'a str,
    pub display_name: &'a str,
    pub role: Role,
    pub verified: bool,
    /// The interface language to start with (a supported code).
    pub locale: &'a str,
}

pub async fn insert(conn: &mut AnyConnection, new: NewUser<'_>) -> Result<User, sqlx::Error> {
    let (id, now) = (db::new_id(), db::now_ms());
    sqlx::query(
        "INSERT INTO users (id, email, password_hash, display_name, display_name_folded, role, email_verified_at, \
                            created_at, updated_at, locale) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9)",
    )
    .bind(&id)
    .bind(new.email)
    .bind(new.password_hash)
    .bind(new.display_name)
    .bind(new.display_name.to_lowercase())
    .bind(new.role.as_str())
    .bind(new.verified.then_some(now))
    .bind(now)
    .bind(new.locale)
    .execute(&mut *conn)
    .await?;
    by_id(conn, &id).await?.ok_or(sqlx::Error::RowNotFound)
}

pub async fn by_id(conn: &mut AnyConnection, id: &str) -> Result<Option<User>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM users WHERE id = $1")))
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// The user and their password hash, for sign-in.
/// Several users by id, in no particular order; unknown ids are left out.
pub async fn by_ids(conn: &mut AnyConnection, ids: &[String]) -> Result<Vec<User>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut args = db::Args::default();
    let sql = format!("SELECT {COLUMNS} FROM users WHERE id IN ({})", args.list(ids));
    args.query_as(sql).fetch_all(conn).await
}

pub async fn credentials(pool: &AnyPool, email: &str) -> Result<Option<(User, String)>, sqlx::Error> {
    let user: Option<User> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM users WHERE email = $1")))
            .bind(email)
            .fetch_optional(pool)
            .await?;
    let Some(user) = user else { return Ok(None) };
    let hash: String =
        sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1").bind(&user.id).fetch_one(pool).await?;
    Ok(Some((user, hash)))
}

pub async fn by_email(pool: &AnyPool, email: &str) -> Result<Option<User>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM users WHERE email = $1")))
        .bind(email)
        .fetch_optional(pool)
        .await
}

pub async fn password_hash(pool: &AnyPool, id: &str) -> Result<String, sqlx::Error> {
    sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1").bind(id).fetch_one(pool).await
}

/// Sets a password the user chose, which also settles a due change.
pub async fn set_password(conn: &mut AnyConnection, id: &str, hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET password_hash = $1, password_change_due_at = NULL, updated_at = $2 WHERE id = $3")
        .bind(hash)
        .bind(db::now_ms())
        .bind(id)
        .execute(conn)
        .await
        .map(|_| ())
}

/// The user must choose a new password before doing anything else.
pub async fn require_password_change(conn: &mut AnyConnection, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET password_change_due_at = $1, updated_at = $1 WHERE id = $2")
        .bind(db::now_ms())
        .bind(id)
        .execute(conn)
        .await
        .map(|_| ())
}

/// Replaces the address (already normalised) and marks it verified: it was
/// confirmed by a link sent to it.
pub async fn set_email(conn: &mut AnyConnection, id: &str, email: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE users SET email = $1, email_verified_at = COALESCE(email_verified_at, $2), updated_at = $2 WHERE id = $3",
    )
    .bind(email)
    .bind(db::now_ms())
    .bind(id)
    .execute(conn)
    .await
    .map(|_| ())
}

/// Marks the address verified; keeps the first verification time.
pub async fn mark_verified(conn: &mut AnyConnection, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET email_verified_at = COALESCE(email_verified_at, $1), updated_at = $1 WHERE id = $2")
        .bind(db::now_ms())
        .bind(id)
        .execute(conn)
        .await
        .map(|_| ())
}

pub async fn set_role(conn: &mut AnyConnection, id: &str, role: Role) -> Result<u64, sqlx::Error> {
    sqlx::query("UPDATE users SET role = $1, updated_at = $2 WHERE id = $3")
        .bind(role.as_str())
        .bind(db::now_ms())
        .bind(id)
        .execute(conn)
        .await
        .map(|r| r.rows_affected())
}

pub async fn set_disabled(conn: &mut AnyConnection, id: &str, disabled: bool) -> Result<u64, sqlx::Error> {
    let now = db::now_ms();
    sqlx::query("UPDATE users SET disabled_at = $1, updated_at = $2 WHERE id = $3")
        .bind(disabled.then_some(now))
        .bind(now)
        .bind(id)
        .execute(conn)
        .await
        .map(|r| r.rows_affected())
}

pub struct Identity<'a> {
    pub display_name: &'a str,
    pub locale: &'a str,
    pub time_zone: &'a str,
}

pub async fn set_identity(conn: &mut AnyConnection, id: &str, identity: Identity<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE users SET display_name = $1, display_name_folded = $2, locale = $3, time_zone = $4, updated_at = $5 \
         WHERE id = $6",
    )
    .bind(identity.display_name)
    .bind(identity.display_name.to_lowercase())
    .bind(identity.locale)
    .bind(identity.time_zone)
    .bind(db::now_ms())
    .bind(id)
    .execute(&mut *conn)
    .await
    .map(|_| ())
}

pub async fn count(pool: &AnyPool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(pool).await
}

pub struct Filter<'a> {
    /// Matches e-mail or display name, case-insensitively.
    pub query: Option<&'a str>,
    pub role: Option<Role>,
    pub disabled: Option<bool>,
    /// Keyset cursor: users created before this (created_at, id).
    pub before: Option<(i64, &'a str)>,
    pub limit: i64,
}

/// Newest first, keyset-paginated. Each optional filter is a `($n IS NULL OR …)`
/// clause so the statement text is one constant for both backends.
pub async fn list(pool: &AnyPool, f: Filter<'_>) -> Result<Vec<User>, sqlx::Error> {
    let pattern = f.query.map(db::like_pattern);
    let (before_at, before_id) = f.before.map(|(at, id)| (Some(at), Some(id))).unwrap_or((None, None));
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM users \
         WHERE ($1 IS NULL OR email LIKE $1 ESCAPE '\\' OR display_name_folded LIKE $1 ESCAPE '\\') \
           AND ($2 IS NULL OR role = $2) \
           AND ($3 IS NULL OR ($3 = 1 AND disabled_at IS NOT NULL) OR ($3 = 0 AND disabled_at IS NULL)) \
           AND ($4 IS NULL OR created_at < $4 OR (created_at = $4 AND id < $5)) \
         ORDER BY created_at DESC, id DESC LIMIT $6"
    )))
    .bind(pattern)
    .bind(f.role.map(Role::as_str))
    .bind(f.disabled.map(i64::from))
    .bind(before_at)
    .bind(before_id)
    .bind(f.limit)
    .fetch_all(pool)
    .await
}

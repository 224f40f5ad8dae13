//! `forum_flags` (members' reports of posts, open until staff resolve them)
//! and `forum_moderation_log` (every moderation action: who, what, when).

use lyceum_platform::db::{self, Args};
use sqlx::AnyConnection;

/// A flag with what the queue shows of its post and thread.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct QueuedFlag {
    pub id: String,
    pub post_id: String,
    pub course_id: String,
    pub user_id: String,
    pub reason: String,
    pub created_at: i64,
    pub resolved_at: Option<i64>,
    pub resolved_by: Option<String>,
    pub resolution: Option<String>,
    pub thread_id: String,
    pub thread_title: String,
    pub seq: i64,
    pub post_author_id: String,
    pub post_body: String,
    pub post_hidden_at: Option<i64>,
    pub post_deleted_at: Option<i64>,
}

const QUEUED: &str = "SELECT f.id, f.post_id, f.course_id, f.user_id, f.reason, f.created_at, f.resolved_at, \
     f.resolved_by, f.resolution, p.thread_id, t.title AS thread_title, p.seq, p.author_id AS post_author_id, \
     p.body_md AS post_body, p.hidden_at AS post_hidden_at, p.deleted_at AS post_deleted_at \
     FROM forum_flags f JOIN forum_posts p ON p.id = f.post_id JOIN forum_threads t ON t.id = p.thread_id";

/// Records `user_id`'s flag of the post; `false` when they had flagged it already.
pub async fn insert(
    conn: &mut AnyConnection,
    id: &str,
    post_id: &str,
    course_id: &str,
    user_id: &str,
    reason: &str,
    at: i64,
) -> Result<bool, sqlx::Error> {
    let inserted = sqlx::query(
        "INSERT INTO forum_flags (id, post_id, course_id, user_id, reason, created_at) \
         SELECT $1, $2, $3, $4, $5, $6 WHERE NOT EXISTS (SELECT 1 FROM forum_flags WHERE post_id = $2 AND user_id = $4)",
    )
    .bind(id)
    .bind(post_id)
    .bind(course_id)
    .bind(user_id)
    .bind(reason)
    .bind(at)
    .execute(conn)
    .await;
    match inserted {
        Ok(done) => Ok(done.rows_affected() == 1),
        Err(e) if db::is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e),
    }
}

pub async fn by_id(conn: &mut AnyConnection, id: &str) -> Result<Option<QueuedFlag>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{QUEUED} WHERE f.id = $1"))).bind(id).fetch_optional(conn).await
}

/// Open flags, newest first, before `(created_at, id)`: of one course, or of every course.
pub async fn open(
    conn: &mut AnyConnection,
    course_id: Option<&str>,
    before: Option<(i64, &str)>,
    limit: i64,
) -> Result<Vec<QueuedFlag>, sqlx::Error> {
    let mut args = Args::default();
    let mut sql = format!("{QUEUED} WHERE f.resolved_at IS NULL");
    if let Some(course_id) = course_id {
        let course = args.text(course_id);
        sql.push_str(&format!(" AND f.course_id = {course}"));
    }
    if let Some((at, id)) = before {
        let at = args.int(at);
        let id = args.text(id);
        sql.push_str(&format!(" AND (f.created_at < {at} OR (f.created_at = {at} AND f.id < {id}))"));
    }
    let limit = args.int(limit);
    sql.push_str(&format!(" ORDER BY f.created_at DESC, f.id DESC LIMIT {limit}"));
    args.query_as(sql).fetch_all(conn).await
}

/// Resolves every open flag of the post as `hidden`; how many.
pub async fn resolve_post(conn: &mut AnyConnection, post_id: &str, by: &str, at: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE forum_flags SET resolved_at = $2, resolved_by = $3, resolution = 'hidden' \
         WHERE post_id = $1 AND resolved_at IS NULL",
    )
    .bind(post_id)
    .bind(at)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// Dismisses one open flag; `false` when it was resolved already.
pub async fn dismiss(conn: &mut AnyConnection, id: &str, by: &str, at: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE forum_flags SET resolved_at = $2, resolved_by = $3, resolution = 'dismissed' \
         WHERE id = $1 AND resolved_at IS NULL",
    )
    .bind(id)
    .bind(at)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Open flags per post, for `post_ids`.
pub async fn open_counts(conn: &mut AnyConnection, post_ids: &[String]) -> Result<Vec<(String, i64)>, sqlx::Error> {
    let mut args = Args::default();
    let list = args.list(post_ids);
    args.query_as(format!(
        "SELECT post_id, COUNT(*) FROM forum_flags WHERE resolved_at IS NULL AND post_id IN ({list}) GROUP BY post_id"
    ))
    .fetch_all(conn)
    .await
}

/// One moderation action, for the log.
pub struct Action<'a> {
    pub course_id: &'a str,
    pub actor_id: &'a str,
    pub action: &'a str,
    pub thread_id: Option<&'a str>,
    pub post_id: Option<&'a str>,
    pub detail: &'a str,
    pub at: i64,
}

pub async fn log(conn: &mut AnyConnection, a: &Action<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO forum_moderation_log (id, course_id, actor_id, action, thread_id, post_id, detail, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(db::new_id())
    .bind(a.course_id)
    .bind(a.actor_id)
    .bind(a.action)
    .bind(a.thread_id)
    .bind(a.post_id)
    .bind(a.detail)
    .bind(a.at)
    .execute(conn)
    .await?;
    Ok(())
}

/// A logged action.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct LoggedAction {
    pub id: String,
    pub course_id: String,
    pub actor_id: String,
    pub action: String,
    pub thread_id: Option<String>,
    pub post_id: Option<String>,
    pub detail: String,
    pub at: i64,
}

/// The course's latest moderation actions, newest first.
pub async fn recent_log(
    conn: &mut AnyConnection,
    course_id: &str,
    limit: i64,
) -> Result<Vec<LoggedAction>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, course_id, actor_id, action, thread_id, post_id, detail, at FROM forum_moderation_log \
         WHERE course_id = $1 ORDER BY at DESC, id DESC LIMIT $2",
    )
    .bind(course_id)
    .bind(limit)
    .fetch_all(conn)
    .await
}

//! A member's standing on a thread or a forum — how far they read, what they
//! follow or muted, when they last came — read as a few columns, alone or
//! beside a page's rows (each statement is a round trip; on SQLite, two
//! thread switches). The tables are `reads`' and `subscriptions`'; the
//! writes stay there.
//!
//! Beside a page's rows, the columns are uncorrelated subqueries: both
//! engines evaluate them once per statement, not once per row.

use sqlx::AnyConnection;

use super::exists;

/// Where `user_id` stands on a thread.
#[derive(Debug, Clone, Copy, Default)]
pub struct ThreadStanding {
    /// The last post they saw (0: none).
    pub read_seq: i64,
    pub muted: bool,
    pub follows_thread: bool,
    pub follows_forum: bool,
}

/// The thread standing's columns as read.
#[derive(Debug, Clone, Copy, sqlx::FromRow)]
pub struct ThreadStandingRow {
    standing_read_seq: i64,
    standing_muted: i64,
    standing_follows_thread: i64,
    standing_follows_forum: i64,
}

impl From<ThreadStandingRow> for ThreadStanding {
    fn from(r: ThreadStandingRow) -> Self {
        Self {
            read_seq: r.standing_read_seq,
            muted: r.standing_muted != 0,
            follows_thread: r.standing_follows_thread != 0,
            follows_forum: r.standing_follows_forum != 0,
        }
    }
}

/// The columns of [`ThreadStandingRow`], for a statement binding the user,
/// the thread and its forum at the placeholders given (e.g. `"$4"`).
pub(crate) fn thread_columns(user: &str, thread: &str, forum: &str) -> String {
    format!(
        "COALESCE((SELECT last_seq FROM forum_reads WHERE user_id = {user} AND thread_id = {thread}), 0) \
         AS standing_read_seq, {} AS standing_muted, {} AS standing_follows_thread, {} AS standing_follows_forum",
        exists(&format!("SELECT 1 FROM forum_thread_mutes WHERE user_id = {user} AND thread_id = {thread}")),
        exists(&format!(
            "SELECT 1 FROM forum_subscriptions WHERE user_id = {user} AND subject_kind = 'thread' \
             AND subject_id = {thread}"
        )),
        exists(&format!(
            "SELECT 1 FROM forum_subscriptions WHERE user_id = {user} AND subject_kind = 'forum' \
             AND subject_id = {forum}"
        )),
    )
}

/// `user_id`'s standing on thread `thread_id` of forum `forum_id`.
pub async fn thread(
    conn: &mut AnyConnection,
    user_id: &str,
    thread_id: &str,
    forum_id: &str,
) -> Result<ThreadStanding, sqlx::Error> {
    let row: ThreadStandingRow =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {}", thread_columns("$1", "$2", "$3"))))
            .bind(user_id)
            .bind(thread_id)
            .bind(forum_id)
            .fetch_one(conn)
            .await?;
    Ok(row.into())
}

/// Where `user_id` stands on a forum.
#[derive(Debug, Clone, Copy, Default)]
pub struct ForumStanding {
    pub follows: bool,
    /// Their visit: `(previous_at, last_at)`, none before the first.
    pub visit: Option<(i64, i64)>,
}

/// The forum standing's columns as read.
#[derive(Debug, Clone, Copy, sqlx::FromRow)]
pub struct ForumStandingRow {
    standing_follows: i64,
    standing_previous_at: Option<i64>,
    standing_last_at: Option<i64>,
}

impl From<ForumStandingRow> for ForumStanding {
    fn from(r: ForumStandingRow) -> Self {
        Self { follows: r.standing_follows != 0, visit: r.standing_previous_at.zip(r.standing_last_at) }
    }
}

/// The columns of [`ForumStandingRow`], for a statement binding the user
/// and the forum at the placeholders given.
pub(crate) fn forum_columns(user: &str, forum: &str) -> String {
    format!(
        "{} AS standing_follows, \
         (SELECT previous_at FROM forum_visits WHERE user_id = {user} AND forum_id = {forum}) AS standing_previous_at, \
         (SELECT last_at FROM forum_visits WHERE user_id = {user} AND forum_id = {forum}) AS standing_last_at",
        exists(&format!(
            "SELECT 1 FROM forum_subscriptions WHERE user_id = {user} AND subject_kind = 'forum' \
             AND subject_id = {forum}"
        )),
    )
}

/// `user_id`'s standing on forum `forum_id`.
pub async fn forum(conn: &mut AnyConnection, user_id: &str, forum_id: &str) -> Result<ForumStanding, sqlx::Error> {
    let row: ForumStandingRow = sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {}", forum_columns("$1", "$2"))))
        .bind(user_id)
        .bind(forum_id)
        .fetch_one(conn)
        .await?;
    Ok(row.into())
}

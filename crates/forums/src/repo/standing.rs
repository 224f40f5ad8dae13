//! A member's standing on a thread or a forum — how far they read, what they
//! follow or muted, when they last came — read in one statement for the
//! pages (each statement is a round trip; on SQLite, two thread switches).
//! The tables are `reads`' and `subscriptions`'; the writes stay there.

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

/// `user_id`'s standing on thread `thread_id` of forum `forum_id`.
pub async fn thread(
    conn: &mut AnyConnection,
    user_id: &str,
    thread_id: &str,
    forum_id: &str,
) -> Result<ThreadStanding, sqlx::Error> {
    let sql = format!(
        "SELECT COALESCE((SELECT last_seq FROM forum_reads WHERE user_id = $1 AND thread_id = $2), 0), {}, {}, {}",
        exists("SELECT 1 FROM forum_thread_mutes WHERE user_id = $1 AND thread_id = $2"),
        exists("SELECT 1 FROM forum_subscriptions WHERE user_id = $1 AND subject_kind = 'thread' AND subject_id = $2"),
        exists("SELECT 1 FROM forum_subscriptions WHERE user_id = $1 AND subject_kind = 'forum' AND subject_id = $3"),
    );
    let (read_seq, muted, follows_thread, follows_forum): (i64, i64, i64, i64) =
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(user_id).bind(thread_id).bind(forum_id).fetch_one(conn).await?;
    Ok(ThreadStanding {
        read_seq,
        muted: muted != 0,
        follows_thread: follows_thread != 0,
        follows_forum: follows_forum != 0,
    })
}

/// Where `user_id` stands on a forum.
#[derive(Debug, Clone, Copy, Default)]
pub struct ForumStanding {
    pub follows: bool,
    /// Their visit: `(previous_at, last_at)`, none before the first.
    pub visit: Option<(i64, i64)>,
}

/// `user_id`'s standing on forum `forum_id`.
pub async fn forum(conn: &mut AnyConnection, user_id: &str, forum_id: &str) -> Result<ForumStanding, sqlx::Error> {
    let sql = format!(
        "SELECT {}, \
         (SELECT previous_at FROM forum_visits WHERE user_id = $1 AND forum_id = $2), \
         (SELECT last_at FROM forum_visits WHERE user_id = $1 AND forum_id = $2)",
        exists("SELECT 1 FROM forum_subscriptions WHERE user_id = $1 AND subject_kind = 'forum' AND subject_id = $2"),
    );
    let (follows, previous, last): (i64, Option<i64>, Option<i64>) =
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(user_id).bind(forum_id).fetch_one(conn).await?;
    Ok(ForumStanding { follows: follows != 0, visit: previous.zip(last) })
}

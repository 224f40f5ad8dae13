//! `forum_posts` and `forum_post_edits`: a thread's posts and the text they
//! had before each edit; `forum_reactions`, the "helpful" marks.

use lyceum_platform::db::{self, Args};
use sqlx::AnyConnection;

use super::standing::{self, ThreadStanding, ThreadStandingRow};
use crate::model::{Post, PostEdit};

const COLUMNS: &str = "id, thread_id, course_id, seq, author_id, body_md, body_html, quote_of, helpful_count, \
     created_at, edited_at, edited_by, deleted_at, deleted_by, hidden_at, hidden_by, hidden_reason";

pub struct NewPost<'a> {
    pub id: &'a str,
    pub thread_id: &'a str,
    pub course_id: &'a str,
    pub seq: i64,
    pub author_id: &'a str,
    pub body_md: &'a str,
    pub body_html: &'a str,
    pub quote_of: Option<&'a str>,
    pub at: i64,
}

pub async fn insert(conn: &mut AnyConnection, p: &NewPost<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO forum_posts (id, thread_id, course_id, seq, author_id, body_md, body_html, quote_of, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(p.id)
    .bind(p.thread_id)
    .bind(p.course_id)
    .bind(p.seq)
    .bind(p.author_id)
    .bind(p.body_md)
    .bind(p.body_html)
    .bind(p.quote_of)
    .bind(p.at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn by_id(conn: &mut AnyConnection, id: &str) -> Result<Option<Post>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM forum_posts WHERE id = $1")))
        .bind(id)
        .fetch_optional(conn)
        .await
}

pub async fn by_ids(conn: &mut AnyConnection, ids: &[String]) -> Result<Vec<Post>, sqlx::Error> {
    let mut args = Args::default();
    let list = args.list(ids);
    args.query_as(format!("SELECT {COLUMNS} FROM forum_posts WHERE id IN ({list})")).fetch_all(conn).await
}

/// A post of a thread's page with what the viewer did to it, and whether it has files.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SeenPost {
    #[sqlx(flatten)]
    pub post: Post,
    pub helpful_by_me: i64,
    pub flagged_by_me: i64,
    pub has_files: i64,
}

/// A range of a thread's posts and, beside it, the viewer's standing on
/// the thread (none when the range is empty: the caller reads it alone then).
pub struct PostRange {
    pub posts: Vec<SeenPost>,
    pub standing: Option<ThreadStanding>,
}

/// A post of the range with the viewer's standing, repeated on every row.
#[derive(sqlx::FromRow)]
struct RangeRow {
    #[sqlx(flatten)]
    seen: SeenPost,
    #[sqlx(flatten)]
    standing: ThreadStandingRow,
}

/// The thread's posts numbered `from..=to`, with `user_id`'s helpful marks
/// and flags, whether each has files, and `user_id`'s standing on the
/// thread of forum `forum_id` — one statement for the page.
pub async fn range(
    conn: &mut AnyConnection,
    (thread_id, forum_id): (&str, &str),
    from: i64,
    to: i64,
    user_id: &str,
) -> Result<PostRange, sqlx::Error> {
    let columns = super::qualified(COLUMNS, "p");
    let rows: Vec<RangeRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {columns}, {} AS helpful_by_me, {} AS flagged_by_me, {} AS has_files, {} FROM forum_posts p \
         WHERE p.thread_id = $1 AND p.seq >= $2 AND p.seq <= $3 ORDER BY p.seq",
        super::exists("SELECT 1 FROM forum_reactions r WHERE r.post_id = p.id AND r.user_id = $4"),
        super::exists("SELECT 1 FROM forum_flags f WHERE f.post_id = p.id AND f.user_id = $4"),
        super::exists("SELECT 1 FROM forum_attachments a WHERE a.post_id = p.id"),
        standing::thread_columns("$4", "$1", "$5"),
    )))
    .bind(thread_id)
    .bind(from)
    .bind(to)
    .bind(user_id)
    .bind(forum_id)
    .fetch_all(conn)
    .await?;
    let standing = rows.first().map(|r| r.standing.into());
    Ok(PostRange { posts: rows.into_iter().map(|r| r.seen).collect(), standing })
}

/// When `author_id`'s posts since `since` (ms) were written, oldest first,
/// at most `limit` of them: the posting-rate rule's count.
pub async fn recent_by(
    conn: &mut AnyConnection,
    author_id: &str,
    since: i64,
    limit: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT created_at FROM forum_posts WHERE author_id = $1 AND created_at > $2 ORDER BY created_at LIMIT $3",
    )
    .bind(author_id)
    .bind(since)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// Whether `user_id` has a live reply (not the opening post) in the thread:
/// in a question, what lets a learner see the others' answers.
pub async fn has_answered(conn: &mut AnyConnection, thread_id: &str, user_id: &str) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT seq FROM forum_posts WHERE thread_id = $1 AND author_id = $2 AND seq > 1 AND deleted_at IS NULL LIMIT 1",
    )
    .bind(thread_id)
    .bind(user_id)
    .fetch_optional(conn)
    .await?;
    Ok(found.is_some())
}

/// Replaces a live post's text, keeping the previous text in its history.
pub async fn edit(
    conn: &mut AnyConnection,
    post: &Post,
    body_md: &str,
    body_html: &str,
    by: &str,
    at: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE forum_posts SET body_md = $2, body_html = $3, edited_at = $4, edited_by = $5 \
         WHERE id = $1 AND deleted_at IS NULL AND hidden_at IS NULL",
    )
    .bind(&post.id)
    .bind(body_md)
    .bind(body_html)
    .bind(at)
    .bind(by)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO forum_post_edits (id, post_id, body_md, edited_by, edited_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(db::new_id())
    .bind(&post.id)
    .bind(&post.body_md)
    .bind(by)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(true)
}

pub async fn edits(conn: &mut AnyConnection, post_id: &str) -> Result<Vec<PostEdit>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, post_id, body_md, edited_by, edited_at FROM forum_post_edits WHERE post_id = $1 \
         ORDER BY edited_at DESC, id DESC",
    )
    .bind(post_id)
    .fetch_all(conn)
    .await
}

/// Soft-deletes a live post; its number and place in the thread stay.
pub async fn soft_delete(conn: &mut AnyConnection, id: &str, by: &str, at: i64) -> Result<bool, sqlx::Error> {
    let done =
        sqlx::query("UPDATE forum_posts SET deleted_at = $2, deleted_by = $3 WHERE id = $1 AND deleted_at IS NULL")
            .bind(id)
            .bind(at)
            .bind(by)
            .execute(conn)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// Hides (with the reason its author is shown) or shows again a post.
pub async fn set_hidden(
    conn: &mut AnyConnection,
    id: &str,
    hidden: Option<(&str, &str, i64)>,
) -> Result<bool, sqlx::Error> {
    let (by, reason, at) = match hidden {
        Some((by, reason, at)) => (Some(by), Some(reason), Some(at)),
        None => (None, None, None),
    };
    let done = sqlx::query("UPDATE forum_posts SET hidden_by = $2, hidden_reason = $3, hidden_at = $4 WHERE id = $1")
        .bind(id)
        .bind(by)
        .bind(reason)
        .bind(at)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks a post helpful for `user_id` (once) or takes the mark back, and
/// keeps its count; returns the count.
pub async fn set_helpful(conn: &mut AnyConnection, post_id: &str, user_id: &str, on: bool) -> Result<i64, sqlx::Error> {
    let changed = if on {
        let inserted = sqlx::query(
            "INSERT INTO forum_reactions (post_id, user_id, created_at) SELECT $1, $2, $3 \
             WHERE NOT EXISTS (SELECT 1 FROM forum_reactions WHERE post_id = $1 AND user_id = $2)",
        )
        .bind(post_id)
        .bind(user_id)
        .bind(db::now_ms())
        .execute(&mut *conn)
        .await;
        match inserted {
            Ok(done) => done.rows_affected() == 1,
            Err(e) if db::is_unique_violation(&e) => false,
            Err(e) => return Err(e),
        }
    } else {
        let done = sqlx::query("DELETE FROM forum_reactions WHERE post_id = $1 AND user_id = $2")
            .bind(post_id)
            .bind(user_id)
            .execute(&mut *conn)
            .await?;
        done.rows_affected() == 1
    };
    if changed {
        let step = if on { 1 } else { -1 };
        sqlx::query("UPDATE forum_posts SET helpful_count = helpful_count + $2 WHERE id = $1")
            .bind(post_id)
            .bind(step)
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query_scalar("SELECT helpful_count FROM forum_posts WHERE id = $1").bind(post_id).fetch_one(conn).await
}

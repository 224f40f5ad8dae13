//! `forum_threads`: a forum's threads and their counters.

use sqlx::AnyConnection;

use super::standing::{self, ForumStanding, ForumStandingRow};
use crate::model::Thread;

pub(crate) const COLUMNS: &str = "id, forum_id, course_id, author_id, title, kind, pinned, locked, important, \
     accepted_post_id, reply_count, last_seq, last_post_at, last_author_id, created_at, deleted_at";

/// A new thread, before its opening post (seq 1, counted here).
pub struct NewThread<'a> {
    pub id: &'a str,
    pub forum_id: &'a str,
    pub course_id: &'a str,
    pub author_id: &'a str,
    pub title: &'a str,
    pub kind: &'a str,
    pub important: bool,
    pub at: i64,
}

pub async fn insert(conn: &mut AnyConnection, t: &NewThread<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO forum_threads (id, forum_id, course_id, author_id, title, kind, important, last_seq, \
         last_post_at, last_author_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $4, $8)",
    )
    .bind(t.id)
    .bind(t.forum_id)
    .bind(t.course_id)
    .bind(t.author_id)
    .bind(t.title)
    .bind(t.kind)
    .bind(i64::from(t.important))
    .bind(t.at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn by_id(conn: &mut AnyConnection, id: &str) -> Result<Option<Thread>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM forum_threads WHERE id = $1")))
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// Takes the next post number of a live, unlocked-or-allowed thread and
/// records the reply's activity; `None` when the thread is gone. One
/// conditional `UPDATE`, so concurrent replies get distinct numbers.
pub async fn next_seq(
    conn: &mut AnyConnection,
    id: &str,
    author_id: &str,
    at: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE forum_threads SET last_seq = last_seq + 1, reply_count = reply_count + 1, last_post_at = $2, \
         last_author_id = $3 WHERE id = $1 AND deleted_at IS NULL RETURNING last_seq",
    )
    .bind(id)
    .bind(at)
    .bind(author_id)
    .fetch_optional(conn)
    .await
}

/// A thread row with how far `user_id` has read it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ListedThread {
    #[sqlx(flatten)]
    pub thread: Thread,
    pub read_seq: i64,
}

fn listed_columns() -> String {
    super::qualified(COLUMNS, "t")
}

/// A forum's live threads with `user_id`'s read marks: the `SELECT` the
/// lists below complete.
fn listed(extra: &str) -> String {
    format!(
        "SELECT {}, COALESCE(r.last_seq, 0) AS read_seq FROM forum_threads t \
         LEFT JOIN forum_reads r ON r.thread_id = t.id AND r.user_id = $2 \
         WHERE t.forum_id = $1 AND t.deleted_at IS NULL {extra}",
        listed_columns()
    )
}

/// A page of a forum's threads and, beside it, the viewer's standing on
/// the forum (none when the page is empty: the caller reads it alone then).
pub struct ListedPage {
    pub rows: Vec<ListedThread>,
    pub standing: Option<ForumStanding>,
}

/// A listed thread with the viewer's standing, repeated on every row.
#[derive(sqlx::FromRow)]
struct ListedRow {
    #[sqlx(flatten)]
    listed: ListedThread,
    #[sqlx(flatten)]
    standing: ForumStandingRow,
}

impl ListedPage {
    fn of(rows: Vec<ListedRow>) -> Self {
        let standing = rows.first().map(|r| r.standing.into());
        Self { rows: rows.into_iter().map(|r| r.listed).collect(), standing }
    }
}

/// `list` (binding the forum at `$1` and the viewer at `$2`) with the
/// viewer's forum standing beside each row.
fn with_standing(list: &str) -> String {
    format!("SELECT l.*, {} FROM ({list}) AS l", standing::forum_columns("$2", "$1"))
}

/// The lists below write their page size into the statement (as the flag
/// queue and the catalog do) rather than bind it: with a bound `LIMIT`
/// PostgreSQL cannot cost a generic plan, so it planned a forum page afresh
/// on every execution (0.3–0.5 ms of its CPU, several times the query);
/// with the number in the text the prepared statement keeps a generic plan
/// after its fifth run. A page size is an integer of at most 101.
///
/// The forum's first page in one statement: every pinned live thread, then
/// the `limit` others with the latest activity (in no set order: the
/// caller sorts the pinned ones and pages the others).
pub async fn first_page(
    conn: &mut AnyConnection,
    forum_id: &str,
    user_id: &str,
    limit: i64,
) -> Result<ListedPage, sqlx::Error> {
    let list = format!(
        "SELECT * FROM ({}) AS pinned_threads UNION ALL SELECT * FROM ({}) AS latest_threads",
        listed("AND t.pinned = 1"),
        listed(&format!("AND t.pinned = 0 ORDER BY t.last_post_at DESC, t.id DESC LIMIT {limit}")),
    );
    let rows =
        sqlx::query_as(sqlx::AssertSqlSafe(with_standing(&list))).bind(forum_id).bind(user_id).fetch_all(conn).await?;
    Ok(ListedPage::of(rows))
}

/// A page of the forum's other live threads, latest activity first, before
/// `(last_post_at, id)`.
pub async fn page(
    conn: &mut AnyConnection,
    forum_id: &str,
    user_id: &str,
    before: (i64, &str),
    limit: i64,
) -> Result<ListedPage, sqlx::Error> {
    let list = listed(&format!(
        "AND t.pinned = 0 AND (t.last_post_at < $3 OR (t.last_post_at = $3 AND t.id < $4)) \
         ORDER BY t.last_post_at DESC, t.id DESC LIMIT {limit}"
    ));
    let rows = sqlx::query_as(sqlx::AssertSqlSafe(with_standing(&list)))
        .bind(forum_id)
        .bind(user_id)
        .bind(before.0)
        .bind(before.1)
        .fetch_all(conn)
        .await?;
    Ok(ListedPage::of(rows))
}

pub async fn set_title(conn: &mut AnyConnection, id: &str, title: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE forum_threads SET title = $2 WHERE id = $1").bind(id).bind(title).execute(conn).await?;
    Ok(())
}

/// Deletes a thread whose opening post is deleted and that has no replies.
pub async fn soft_delete(conn: &mut AnyConnection, id: &str, at: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE forum_threads SET deleted_at = $2 WHERE id = $1 AND deleted_at IS NULL")
        .bind(id)
        .bind(at)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_accepted(conn: &mut AnyConnection, id: &str, post_id: Option<&str>) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE forum_threads SET accepted_post_id = $2 WHERE id = $1")
        .bind(id)
        .bind(post_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Sets one of the moderation flags (`pinned`, `locked`).
pub async fn set_flag(conn: &mut AnyConnection, id: &str, column: Flag, on: bool) -> Result<(), sqlx::Error> {
    let sql = match column {
        Flag::Pinned => "UPDATE forum_threads SET pinned = $2 WHERE id = $1",
        Flag::Locked => "UPDATE forum_threads SET locked = $2 WHERE id = $1",
    };
    sqlx::query(sql).bind(id).bind(i64::from(on)).execute(conn).await?;
    Ok(())
}

/// A thread's moderation flag.
#[derive(Debug, Clone, Copy)]
pub enum Flag {
    Pinned,
    Locked,
}

/// Moves a thread (with its posts) to another forum of the same course.
pub async fn move_to(conn: &mut AnyConnection, id: &str, forum_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE forum_threads SET forum_id = $2 WHERE id = $1").bind(id).bind(forum_id).execute(conn).await?;
    Ok(())
}

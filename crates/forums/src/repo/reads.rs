//! `forum_reads` (how far a member read each thread) and `forum_visits`
//! (when they last opened each forum).

use sqlx::AnyConnection;

/// Records that `user_id` has read the thread up to post `seq`; never
/// moves the mark back (an older page opened later keeps the newer mark).
pub async fn mark(
    conn: &mut AnyConnection,
    user_id: &str,
    thread_id: &str,
    seq: i64,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO forum_reads (user_id, thread_id, last_seq, read_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (user_id, thread_id) DO UPDATE SET \
         last_seq = CASE WHEN excluded.last_seq > forum_reads.last_seq THEN excluded.last_seq ELSE forum_reads.last_seq END, \
         read_at = excluded.read_at",
    )
    .bind(user_id)
    .bind(thread_id)
    .bind(seq)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

/// How far `user_id` has read the thread (0: nothing).
pub async fn read_seq(conn: &mut AnyConnection, user_id: &str, thread_id: &str) -> Result<i64, sqlx::Error> {
    let seq: Option<i64> = sqlx::query_scalar("SELECT last_seq FROM forum_reads WHERE user_id = $1 AND thread_id = $2")
        .bind(user_id)
        .bind(thread_id)
        .fetch_optional(conn)
        .await?;
    Ok(seq.unwrap_or(0))
}

/// Records a visit at `now` whose previous one was at `previous`.
pub async fn record_visit(
    conn: &mut AnyConnection,
    user_id: &str,
    forum_id: &str,
    previous: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO forum_visits (user_id, forum_id, previous_at, last_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (user_id, forum_id) DO UPDATE SET previous_at = excluded.previous_at, last_at = excluded.last_at",
    )
    .bind(user_id)
    .bind(forum_id)
    .bind(previous)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

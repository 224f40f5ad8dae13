//! The forums benchmark's threads and long thread (`BENCH_FORUMS`).

use std::fmt::Write as _;

use lyceum_forums::service::{
    forums::{self, CourseRef},
    threads::{self, NewThread},
};
use lyceum_platform::{AppState, auth::Viewer, db, ids::CourseId};

/// `count` one-post threads by the course's learners in its general
/// forum, then a thread of 200 posts; returns the forum's and that thread's ids.
pub async fn fill(
    state: &AppState,
    viewer: &Viewer,
    course_id: &str,
    learners: &[String],
    count: usize,
) -> anyhow::Result<(String, String)> {
    let course = CourseId::from(course_id);
    let listed = forums::of_course(state, viewer, CourseRef::Id(&course)).await.map_err(err)?;
    let forum = listed.forums.first().expect("the general forum").view.forum.id.clone();
    let now = db::now_ms();
    let mut tx = state.db.begin().await?;
    let ids: Vec<String> = (0..count).map(|_| db::new_id()).collect();
    for (batch_no, batch) in ids.chunks(250).enumerate() {
        let mut threads_sql = String::from(
            "INSERT INTO forum_threads (id, forum_id, course_id, author_id, title, kind, last_seq, last_post_at, \
             last_author_id, created_at) VALUES ",
        );
        let mut posts_sql = String::from(
            "INSERT INTO forum_posts (id, thread_id, course_id, seq, author_id, body_md, body_html, created_at) VALUES ",
        );
        for (i, id) in batch.iter().enumerate() {
            let n = batch_no * 250 + i;
            let author = &learners[n % learners.len()];
            let at = now - (count - n) as i64 * 60_000;
            let sep = if i == 0 { "" } else { "," };
            write!(
                threads_sql,
                "{sep}('{id}', '{forum}', '{course_id}', '{author}', 'Question {n} about ownership', 'discussion', 1, {at}, '{author}', {at})"
            )?;
            write!(
                posts_sql,
                "{sep}('{}', '{id}', '{course_id}', 1, '{author}', 'Why does **{n}** move?', '<p>Why does <strong>{n}</strong> move?</p>', {at})",
                db::new_id()
            )?;
        }
        sqlx::query(sqlx::AssertSqlSafe(threads_sql)).execute(&mut *tx).await?;
        sqlx::query(sqlx::AssertSqlSafe(posts_sql)).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    let input = NewThread { title: "The long thread".into(), body: "Post 1".into(), ..NewThread::default() };
    let long = threads::start(state, viewer, &forum.clone().into(), &input).await.map_err(err)?;
    let mut tx = state.db.begin().await?;
    let mut sql = String::from(
        "INSERT INTO forum_posts (id, thread_id, course_id, seq, author_id, body_md, body_html, created_at) VALUES ",
    );
    for seq in 2..=200 {
        let author = &learners[seq % learners.len()];
        let sep = if seq == 2 { "" } else { "," };
        let body = format!("Reply {seq}: a borrow lasts until its **last use**, not the end of the scope.");
        let html = format!(
            "<p>Reply {seq}: a borrow lasts until its <strong>last use</strong>, not the end of the scope.</p>"
        );
        write!(
            sql,
            "{sep}('{}', '{}', '{course_id}', {seq}, '{author}', '{body}', '{html}', {})",
            db::new_id(),
            long.id,
            now + seq as i64
        )?;
    }
    sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut *tx).await?;
    sqlx::query("UPDATE forum_threads SET last_seq = 200, reply_count = 199, last_post_at = $2 WHERE id = $1")
        .bind(&long.id)
        .bind(now + 200)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok((forum, long.id))
}

fn err(e: lyceum_forums::ForumError) -> anyhow::Error {
    anyhow::anyhow!("{:?}", lyceum_platform::AppError::from(e))
}

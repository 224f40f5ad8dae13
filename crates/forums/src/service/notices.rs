//! The notification fan-out of a new post, in jobs (never in the request):
//!
//! 1. `forum.post_created` → [`HoldPostNotices`] enqueues [`PostNotices`]
//!    to run once the post's notification delay (`notify_delay_seconds`)
//!    has passed, so a post corrected right after posting is sent as it ends up.
//! 2. [`PostNotices`] reads the post then (nothing when it was deleted or
//!    hidden meanwhile), works out who to tell, and publishes
//!    `forum.post_notice` events of at most [`BATCH`] recipients each
//!    through the outbox: first those it mentions, then the thread's and
//!    forum's followers (every member for the announcements), never its
//!    author, only people still members of the course, and in a question
//!    only those who may read the answer.
//! 3. The notifications module records one notice per recipient, on the
//!    channel each chose (in-app, e-mail at once, daily digest).

use std::collections::HashSet;

use lyceum_accounts::service::directory;
use lyceum_platform::{
    AppError, AppState,
    db::Args,
    events::{self, Delivery},
    ids::{CourseId, UserId},
    jobs::{self, Job, JobError, JobRegistry},
};
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;

use super::text;
use crate::{
    events::{NoticeReason, PostCreated, PostNotice},
    model::{Forum, ForumKind, Post, Thread, ThreadKind},
    repo,
    settings::ForumSettings,
};

/// Recipients per `forum.post_notice` event (one notifications job each).
pub const BATCH: usize = 500;
/// The most of a post's text a notice carries, in characters.
pub const EXCERPT_CHARS: usize = 2000;

/// The forums' jobs; the server calls this when it builds its registry.
pub fn register_jobs(registry: &mut JobRegistry) {
    registry.subscribe::<PostCreated, HoldPostNotices>().register::<PostNotices>();
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PostNoticesPayload {
    pub post_id: String,
}

/// `forum.post_created` → [`PostNotices`] due when the post's notification
/// delay ends. Idempotent: [`PostNotices`] merges duplicates per post while
/// one waits, and what it publishes is recorded once per (post, recipient).
pub struct HoldPostNotices;
impl Job for HoldPostNotices {
    const KIND: &'static str = "forums.hold_post_notices";
    type Payload = Delivery<PostCreated>;
    async fn run(state: &AppState, delivery: Self::Payload) -> Result<(), JobError> {
        let delay_ms = state.settings.section::<ForumSettings>().notify_delay_seconds.max(0) * 1000;
        let payload = PostNoticesPayload { post_id: delivery.event.post_id.clone() };
        let mut writer = state.db.autocommit().await?;
        jobs::enqueue_at::<PostNotices>(&mut writer, &payload, delivery.event.created_at + delay_ms).await?;
        Ok(())
    }
}

/// Works out who to tell of a post and publishes the `forum.post_notice`
/// batches. Idempotent: a second run publishes the same batches again, and
/// the notifications module keys each notice by (post, recipient).
pub struct PostNotices;
impl Job for PostNotices {
    const KIND: &'static str = "forums.post_notices";
    type Payload = PostNoticesPayload;
    fn dedupe_key(payload: &Self::Payload) -> Option<String> {
        Some(payload.post_id.clone())
    }
    async fn run(state: &AppState, payload: Self::Payload) -> Result<(), JobError> {
        let notices = {
            let mut conn = state.db.pool().acquire().await?;
            plan(&mut conn, &payload.post_id).await.map_err(AppError::from)?
        };
        if notices.is_empty() {
            return Ok(());
        }
        let mut tx = state.db.begin().await?;
        for notice in &notices {
            events::publish(state, &mut tx, notice).await?;
        }
        tx.commit().await?;
        tracing::info!(post_id = %payload.post_id, batches = notices.len(), "forum post notices published");
        Ok(())
    }
}

/// The course's members: its instructors and its actively enrolled learners.
struct Members {
    staff: HashSet<String>,
    all: HashSet<String>,
}

async fn members(conn: &mut AnyConnection, course_id: &CourseId) -> Result<Members, AppError> {
    let staff: HashSet<String> =
        lyceum_courses::service::instructors::of(conn, course_id).await?.into_iter().map(|i| i.user_id).collect();
    let mut all = staff.clone();
    let mut before: Option<(i64, String)> = None;
    loop {
        let page = lyceum_enrollment::service::query::active_of_course(
            conn,
            course_id,
            before.as_ref().map(|(at, id)| (*at, id.as_str())),
            1000,
        )
        .await?;
        let Some(last) = page.last() else { break };
        before = Some((last.created_at, last.id.clone()));
        let full = page.len() == 1000;
        all.extend(page.into_iter().map(|e| e.user_id));
        if !full {
            break;
        }
    }
    Ok(Members { staff, all })
}

/// The events to publish for the post: none when it is gone.
async fn plan(conn: &mut AnyConnection, post_id: &str) -> Result<Vec<PostNotice>, crate::ForumError> {
    let Some(post) = repo::posts::by_id(conn, post_id).await? else { return Ok(Vec::new()) };
    if post.is_gone() {
        return Ok(Vec::new());
    }
    let Some(thread) = repo::threads::by_id(conn, &post.thread_id).await? else { return Ok(Vec::new()) };
    if thread.is_deleted() {
        return Ok(Vec::new());
    }
    let Some(forum) = repo::forums::by_id(conn, &thread.forum_id).await? else { return Ok(Vec::new()) };
    let course_id = CourseId::from(&thread.course_id);
    let members = members(conn, &course_id).await?;
    let author = directory::people(conn, &[UserId::from(&post.author_id)]).await?;
    let author_name = author.get(&post.author_id).map(|p| p.display_name.clone()).unwrap_or_default();
    let announcement = forum.kind() == ForumKind::Announcements;
    let important = announcement && thread.is_important();

    let mut told: HashSet<String> = HashSet::from([post.author_id.clone()]);
    let mut out = Vec::new();
    let notice = |reason, recipients| PostNotice {
        post_id: post.id.clone(),
        thread_id: thread.id.clone(),
        course_id: thread.course_id.clone(),
        forum_kind: forum.kind.clone(),
        reason,
        important,
        recipients,
        title: thread.title.clone(),
        excerpt: excerpt(&post.body_html),
        author_name: author_name.clone(),
        link: format!("/forums/threads/{}?page={}#p{}", thread.id, super::threads::page_of(post.seq), post.seq),
    };

    let mentioned = mentioned(conn, &post, &members).await?;
    let mentioned = readers(conn, &thread, &post, &members, mentioned).await?;
    let mentioned: Vec<String> = mentioned.into_iter().filter(|u| told.insert(u.clone())).collect();
    for chunk in mentioned.chunks(BATCH) {
        out.push(notice(NoticeReason::Mention, chunk.to_vec()));
    }

    let (reason, mut followers) = if announcement {
        let mut everyone: Vec<String> = members.all.iter().cloned().collect();
        everyone.sort();
        if !important {
            let muted: HashSet<String> = muted(conn, &thread.id, &everyone).await?;
            everyone.retain(|u| !muted.contains(u));
        }
        (NoticeReason::Announcement, everyone)
    } else {
        (NoticeReason::Followed, followers(conn, &forum, &thread).await?)
    };
    followers.retain(|u| members.all.contains(u) && !told.contains(u));
    let followers = readers(conn, &thread, &post, &members, followers).await?;
    for chunk in followers.chunks(BATCH) {
        out.push(notice(reason, chunk.to_vec()));
    }
    Ok(out)
}

async fn followers(conn: &mut AnyConnection, forum: &Forum, thread: &Thread) -> Result<Vec<String>, sqlx::Error> {
    let mut all = Vec::new();
    let mut after = String::new();
    loop {
        let page = repo::subscriptions::followers(conn, &forum.id, &thread.id, &after, 1000).await?;
        let Some(last) = page.last() else { break };
        after = last.clone();
        let full = page.len() == 1000;
        all.extend(page);
        if !full {
            break;
        }
    }
    Ok(all)
}

async fn muted(conn: &mut AnyConnection, thread_id: &str, users: &[String]) -> Result<HashSet<String>, sqlx::Error> {
    let mut out = HashSet::new();
    for chunk in users.chunks(BATCH) {
        out.extend(repo::subscriptions::muted_among(conn, thread_id, chunk).await?);
    }
    Ok(out)
}

/// In a question, a learner sees the others' answers only once they have
/// answered: an answer is told only to staff, the asker and those who answered.
async fn readers(
    conn: &mut AnyConnection,
    thread: &Thread,
    post: &Post,
    members: &Members,
    users: Vec<String>,
) -> Result<Vec<String>, sqlx::Error> {
    if thread.kind() != ThreadKind::Question || post.seq == 1 {
        return Ok(users);
    }
    let mut answered = HashSet::new();
    for chunk in users.chunks(BATCH) {
        let mut args = Args::default();
        let id = args.text(&thread.id);
        let list = args.list(chunk);
        let found: Vec<String> = args
            .query_scalar(format!(
                "SELECT DISTINCT author_id FROM forum_posts WHERE thread_id = {id} AND seq > 1 \
                 AND deleted_at IS NULL AND author_id IN ({list})"
            ))
            .fetch_all(&mut *conn)
            .await?;
        answered.extend(found);
    }
    Ok(users
        .into_iter()
        .filter(|u| members.staff.contains(u) || *u == thread.author_id || answered.contains(u))
        .collect())
}

/// The members the post names with `@name`: their display name without
/// spaces, or their e-mail address's local part, in any case.
async fn mentioned(conn: &mut AnyConnection, post: &Post, members: &Members) -> Result<Vec<String>, sqlx::Error> {
    let names = text::mentions(&post.body_md);
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<UserId> = members.all.iter().map(UserId::from).collect();
    let mut found = Vec::new();
    for chunk in ids.chunks(BATCH) {
        for person in directory::people(conn, chunk).await?.into_values() {
            let name: String =
                person.display_name.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_lowercase();
            let local = person.email.split('@').next().unwrap_or_default().to_lowercase();
            if names.iter().any(|n| *n == name || *n == local) {
                found.push(person.user_id);
            }
        }
    }
    found.sort();
    Ok(found)
}

/// A post's text without markup, for a notice and its e-mail: block ends
/// become line breaks, the common entities are decoded, and it is cut at
/// [`EXCERPT_CHARS`].
pub fn excerpt(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('>') else {
            rest = "";
            break;
        };
        let tag = rest[start + 1..start + end].trim_start_matches('/').to_ascii_lowercase();
        let name = tag.split(|c: char| !c.is_ascii_alphanumeric()).next().unwrap_or_default();
        if matches!(name, "p" | "br" | "li" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "pre" | "blockquote" | "tr") {
            out.push('\n');
        }
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    let decoded = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&");
    let mut lines: Vec<&str> = Vec::new();
    for line in decoded.lines().map(str::trim_end) {
        if line.is_empty() && lines.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        lines.push(line);
    }
    let text = lines.join("\n").trim().to_string();
    if text.chars().count() <= EXCERPT_CHARS {
        return text;
    }
    let cut: String = text.chars().take(EXCERPT_CHARS).collect();
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_are_plain_text() {
        let html = text::render("Hello *you* & <b>them</b>\n\n- one\n- two");
        let plain = excerpt(&html);
        assert!(plain.starts_with("Hello you &"), "{plain}");
        assert!(plain.contains("them") && !plain.contains("<b>"), "{plain}");
        assert!(plain.contains("one\n") && plain.contains("two"), "{plain}");
        assert!(excerpt(&"x".repeat(EXCERPT_CHARS + 5)).ends_with('…'));
    }
}

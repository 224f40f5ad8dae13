//! Moderation by the course's staff (its instructors and administrators):
//! pin and lock threads, move one to another forum of the course, hide a
//! post with a reason its author is shown (a hidden post leaves search, and
//! its open flags are resolved) and show it again. Learners are refused
//! (403 `staff-only`); anyone outside the course is told nothing exists
//! (404). Every action is written to `forum_moderation_log` in its own
//! transaction (who, what, when), besides the marks on the rows.

use std::collections::HashMap;

use lyceum_platform::{AppState, auth::Viewer, db, ids::CourseId};
use sqlx::AnyConnection;

use super::{ForumView, ThreadAccess, content_of, post_for, thread_for, threads::ThreadPage};
use crate::{
    ForumError,
    model::{ForumId, ForumKind, Post, PostId, Thread, ThreadId},
    repo::{self, flags::Action, threads::Flag},
};

/// Longest reason for hiding or flagging a post, in characters.
pub const REASON_MAX: usize = 500;

/// A reason as typed: trimmed, required, at most [`REASON_MAX`] characters.
pub fn reason(raw: &str) -> Result<String, ForumError> {
    let reason = raw.trim();
    if reason.is_empty() {
        return Err(ForumError::invalid("reason", "forums.moderation.errors.reason_required"));
    }
    if reason.chars().count() > REASON_MAX {
        return Err(ForumError::invalid("reason", "forums.moderation.errors.reason_too_long"));
    }
    Ok(reason.to_string())
}

/// The live thread, for its course's staff (403 for learners, 404 for others).
async fn staff_thread(state: &AppState, viewer: &Viewer, id: &ThreadId) -> Result<ThreadAccess, ForumError> {
    let mut conn = state.db.pool().acquire().await?;
    let access = thread_for(state, &mut conn, viewer, id).await?;
    if !access.role.is_staff() {
        return Err(ForumError::StaffOnly);
    }
    Ok(access)
}

async fn set(state: &AppState, viewer: &Viewer, id: &ThreadId, flag: Flag, on: bool) -> Result<Thread, ForumError> {
    let access = staff_thread(state, viewer, id).await?;
    let thread = &access.thread;
    let current = match flag {
        Flag::Pinned => thread.is_pinned(),
        Flag::Locked => thread.is_locked(),
    };
    if current == on {
        return Ok(access.thread);
    }
    let action = match (flag, on) {
        (Flag::Pinned, true) => "pin",
        (Flag::Pinned, false) => "unpin",
        (Flag::Locked, true) => "lock",
        (Flag::Locked, false) => "unlock",
    };
    let mut tx = state.db.begin().await?;
    repo::threads::set_flag(&mut tx, &thread.id, flag, on).await?;
    let logged = Action {
        course_id: &thread.course_id,
        actor_id: &viewer.user_id,
        action,
        thread_id: Some(&thread.id),
        post_id: None,
        detail: "",
        at: db::now_ms(),
    };
    repo::flags::log(&mut tx, &logged).await?;
    let thread = repo::threads::by_id(&mut tx, &thread.id).await?.ok_or(ForumError::NotFound)?;
    tx.commit().await?;
    Ok(thread)
}

/// Pins the thread at the top of its forum (or unpins it).
pub async fn set_pinned(state: &AppState, viewer: &Viewer, id: &ThreadId, on: bool) -> Result<Thread, ForumError> {
    set(state, viewer, id, Flag::Pinned, on).await
}

/// Locks the thread: only staff reply to it (or unlocks it).
pub async fn set_locked(state: &AppState, viewer: &Viewer, id: &ThreadId, on: bool) -> Result<Thread, ForumError> {
    set(state, viewer, id, Flag::Locked, on).await
}

/// Moves the thread, with its posts, to another forum of its course. The
/// announcements forum takes only threads posted there (422 on `forum_id`),
/// as does a forum of another course; the thread's own forum changes nothing.
pub async fn move_thread(state: &AppState, viewer: &Viewer, id: &ThreadId, to: &ForumId) -> Result<Thread, ForumError> {
    let access = staff_thread(state, viewer, id).await?;
    let thread = access.thread;
    let target = {
        let mut conn = state.db.pool().acquire().await?;
        repo::forums::by_id(&mut conn, to.as_str()).await?
    };
    let Some(target) = target.filter(|f| f.course_id == thread.course_id) else {
        return Err(ForumError::invalid("forum_id", "forums.moderation.errors.move_elsewhere"));
    };
    if target.id == thread.forum_id {
        return Ok(thread);
    }
    if target.kind() == ForumKind::Announcements {
        return Err(ForumError::invalid("forum_id", "forums.moderation.errors.move_to_announcements"));
    }
    let mut tx = state.db.begin().await?;
    repo::threads::move_to(&mut tx, &thread.id, &target.id).await?;
    let detail = format!("{} -> {}", thread.forum_id, target.id);
    let logged = Action {
        course_id: &thread.course_id,
        actor_id: &viewer.user_id,
        action: "move",
        thread_id: Some(&thread.id),
        post_id: None,
        detail: &detail,
        at: db::now_ms(),
    };
    repo::flags::log(&mut tx, &logged).await?;
    let thread = repo::threads::by_id(&mut tx, &thread.id).await?.ok_or(ForumError::NotFound)?;
    tx.commit().await?;
    Ok(thread)
}

/// The post, for its course's staff.
async fn staff_post(state: &AppState, viewer: &Viewer, id: &PostId) -> Result<Post, ForumError> {
    let mut conn = state.db.pool().acquire().await?;
    let (access, post) = post_for(state, &mut conn, viewer, id).await?;
    if !access.role.is_staff() {
        return Err(ForumError::StaffOnly);
    }
    Ok(post)
}

/// Hides a post in the caller's transaction: the reason for its author, out
/// of search, its open flags resolved as `hidden`, the action logged.
pub(crate) async fn hide_in(
    conn: &mut AnyConnection,
    post: &Post,
    by: &str,
    reason: &str,
    at: i64,
) -> Result<(), ForumError> {
    repo::posts::set_hidden(&mut *conn, &post.id, Some((by, reason, at))).await?;
    repo::search::refresh(&mut *conn, &post.id).await?;
    repo::flags::resolve_post(&mut *conn, &post.id, by, at).await?;
    let logged = Action {
        course_id: &post.course_id,
        actor_id: by,
        action: "hide",
        thread_id: Some(&post.thread_id),
        post_id: Some(&post.id),
        detail: reason,
        at,
    };
    repo::flags::log(conn, &logged).await?;
    Ok(())
}

/// Hides a post from everyone but its author (who sees `reason`) and staff.
/// Hiding a hidden post again replaces its reason; a deleted post is 409 `post-gone`.
pub async fn hide(state: &AppState, viewer: &Viewer, id: &PostId, reason_text: &str) -> Result<Post, ForumError> {
    let post = staff_post(state, viewer, id).await?;
    if post.is_deleted() {
        return Err(ForumError::PostGone);
    }
    let reason = reason(reason_text)?;
    let mut tx = state.db.begin().await?;
    hide_in(&mut tx, &post, &viewer.user_id, &reason, db::now_ms()).await?;
    let post = repo::posts::by_id(&mut tx, &post.id).await?.ok_or(ForumError::NotFound)?;
    tx.commit().await?;
    Ok(post)
}

/// Shows a hidden post again (and puts it back in search).
pub async fn unhide(state: &AppState, viewer: &Viewer, id: &PostId) -> Result<Post, ForumError> {
    let post = staff_post(state, viewer, id).await?;
    if !post.is_hidden() {
        return Ok(post);
    }
    let mut tx = state.db.begin().await?;
    repo::posts::set_hidden(&mut tx, &post.id, None).await?;
    repo::search::refresh(&mut tx, &post.id).await?;
    let logged = Action {
        course_id: &post.course_id,
        actor_id: &viewer.user_id,
        action: "unhide",
        thread_id: Some(&post.thread_id),
        post_id: Some(&post.id),
        detail: "",
        at: db::now_ms(),
    };
    repo::flags::log(&mut tx, &logged).await?;
    let post = repo::posts::by_id(&mut tx, &post.id).await?.ok_or(ForumError::NotFound)?;
    tx.commit().await?;
    Ok(post)
}

/// What the thread page shows of moderation, for staff: the forums the
/// thread may move to and the open flags per post.
#[derive(Debug, Clone, Default)]
pub struct ThreadModeration {
    pub move_targets: Vec<ForumView>,
    pub open_flags: HashMap<String, i64>,
}

impl ThreadModeration {
    pub fn open_flags_of(&self, post_id: &str) -> i64 {
        self.open_flags.get(post_id).copied().unwrap_or(0)
    }
}

/// [`ThreadModeration`] for a page of a thread the viewer opened (nothing
/// for a learner: what they flagged comes with the posts).
pub async fn for_thread(state: &AppState, page: &ThreadPage) -> Result<ThreadModeration, ForumError> {
    if !page.role.is_staff() {
        return Ok(ThreadModeration::default());
    }
    let mut conn = state.db.pool().acquire().await?;
    let ids: Vec<String> = page.posts.iter().map(|p| p.post.id.clone()).collect();
    let open_flags = repo::flags::open_counts(&mut conn, &ids).await?.into_iter().collect();
    let move_targets = move_targets(state, &mut conn, &page.thread).await?;
    Ok(ThreadModeration { move_targets, open_flags })
}

/// The course's forums a thread may move to: all but announcements and its own, in outline order.
async fn move_targets(
    state: &AppState,
    conn: &mut AnyConnection,
    thread: &Thread,
) -> Result<Vec<ForumView>, ForumError> {
    let content = content_of(state, conn, &CourseId::from(&thread.course_id)).await?;
    let modules = &content.modules;
    let mut forums: Vec<ForumView> = repo::forums::of_course(conn, &thread.course_id)
        .await?
        .into_iter()
        .filter(|f| f.id != thread.forum_id && f.kind() != ForumKind::Announcements)
        .map(|forum| {
            let module_title =
                forum.module_id.as_deref().and_then(|m| modules.iter().find(|x| x.id == m)).map(|m| m.title.clone());
            ForumView { forum, module_title }
        })
        .collect();
    let rank = |v: &ForumView| match v.forum.module_id.as_deref() {
        None => -1,
        Some(m) => modules.iter().position(|x| x.id == m).map(|p| p as i64).unwrap_or(i64::MAX),
    };
    forums.sort_by_key(rank);
    Ok(forums)
}

//! Posts: replying (optionally quoting a post of the thread), editing within
//! the window (staff always; every edit keeps the earlier text), deleting
//! (soft: the post stays as a "deleted" stub; a thread whose only post is
//! deleted goes), "helpful" marks, and accepting an answer to a question.

use lyceum_platform::{AppState, auth::Viewer, db, events};

use super::{Role, ThreadAccess, attachments, post_for, text, thread_for};
use crate::{
    ForumError,
    events::PostCreated,
    model::{ForumKind, Post, PostEdit, PostId, ThreadId, ThreadKind},
    repo,
    settings::ForumSettings,
};

/// How long an author may still change their post.
#[derive(Debug, Clone, Copy)]
pub struct EditWindow {
    pub minutes: i64,
    now: i64,
}

impl EditWindow {
    pub fn of(state: &AppState) -> Self {
        let minutes = state.settings.section::<ForumSettings>().edit_window_minutes;
        Self { minutes, now: db::now_ms() }
    }

    pub fn open_for(&self, post: &Post) -> bool {
        self.now - post.created_at <= self.minutes * 60_000
    }
}

/// Checks a member may publish this text now (see `guard.rs` of the moderation rules).
pub(crate) async fn guard(state: &AppState, viewer: &Viewer, role: Role, body: &str) -> Result<(), ForumError> {
    super::guard::check(state, viewer, role, body).await
}

/// What a reply says, and the post of the thread it quotes.
#[derive(Debug, Clone, Default)]
pub struct NewReply {
    pub body: String,
    pub quote_of: Option<PostId>,
    /// Files attached to the reply.
    pub files: Vec<attachments::Upload>,
}

/// Replies to a thread. Locked threads and the announcements forum take
/// replies from staff only.
pub async fn reply(
    state: &AppState,
    viewer: &Viewer,
    thread_id: &ThreadId,
    input: &NewReply,
) -> Result<Post, ForumError> {
    let access = {
        let mut conn = state.db.pool().acquire().await?;
        let access = thread_for(state, &mut conn, viewer, thread_id).await?;
        if let Some(quoted) = &input.quote_of {
            let (_, post) = post_for(state, &mut conn, viewer, quoted).await?;
            if post.thread_id != access.thread.id || post.is_gone() {
                return Err(ForumError::invalid("quote_of", "forums.errors.quote_elsewhere"));
            }
        }
        access
    };
    let ThreadAccess { forum, thread, role, .. } = &access;
    if !role.is_staff() {
        if forum.kind() == ForumKind::Announcements {
            return Err(ForumError::AnnouncementsStaffOnly);
        }
        if thread.is_locked() {
            return Err(ForumError::Locked);
        }
    }
    let body = text::body(&input.body)?;
    guard(state, viewer, *role, &body).await?;
    let html = text::render(&body);
    let at = db::now_ms();
    let post_id = db::new_id();
    let files =
        attachments::stage(state, viewer, &(&thread.course_id).into(), &(&post_id).into(), &input.files).await?;
    let written = async {
        let mut tx = state.db.begin().await?;
        let seq =
            repo::threads::next_seq(&mut tx, &thread.id, &viewer.user_id, at).await?.ok_or(ForumError::NotFound)?;
        let new = repo::posts::NewPost {
            id: &post_id,
            thread_id: &thread.id,
            course_id: &thread.course_id,
            seq,
            author_id: &viewer.user_id,
            body_md: &body,
            body_html: &html,
            quote_of: input.quote_of.as_ref().map(PostId::as_str),
            at,
        };
        repo::posts::insert(&mut tx, &new).await?;
        attachments::record(&mut tx, &files).await?;
        repo::search::refresh(&mut tx, &post_id).await?;
        repo::reads::mark(&mut tx, &viewer.user_id, &thread.id, seq, at).await?;
        super::subscriptions::follow_own(&mut tx, &viewer.user_id, thread).await?;
        let event = PostCreated {
            post_id: post_id.clone(),
            thread_id: thread.id.clone(),
            forum_id: thread.forum_id.clone(),
            course_id: thread.course_id.clone(),
            author_id: viewer.user_id.clone(),
            starts_thread: false,
            forum_kind: forum.forum.kind.clone(),
            important: false,
            created_at: at,
        };
        events::publish(state, &mut tx, &event).await?;
        let post = repo::posts::by_id(&mut tx, &post_id).await?.ok_or(ForumError::NotFound)?;
        tx.commit().await?;
        Ok(post)
    }
    .await;
    files.settle(state, written).await
}

/// Whether the viewer may change the post: staff always, its author within the window.
fn may_change(state: &AppState, viewer: &Viewer, role: Role, post: &Post) -> Result<(), ForumError> {
    if post.is_gone() {
        return Err(ForumError::PostGone);
    }
    if role.is_staff() {
        return Ok(());
    }
    if post.author_id != viewer.user_id {
        return Err(ForumError::NotYours);
    }
    let window = EditWindow::of(state);
    if !window.open_for(post) {
        return Err(ForumError::EditWindowClosed { minutes: window.minutes });
    }
    Ok(())
}

/// A change to a post: its text, and (opening posts only) its thread's title.
#[derive(Debug, Clone, Default)]
pub struct PostChange {
    pub body: String,
    pub title: Option<String>,
}

/// Edits a post; the earlier text is kept in its history (shown to staff).
pub async fn edit(state: &AppState, viewer: &Viewer, id: &PostId, change: &PostChange) -> Result<Post, ForumError> {
    let (access, post) = {
        let mut conn = state.db.pool().acquire().await?;
        post_for(state, &mut conn, viewer, id).await?
    };
    may_change(state, viewer, access.role, &post)?;
    let body = text::body(&change.body)?;
    let title = match (&change.title, post.seq) {
        (Some(title), 1) => Some(text::title(title)?),
        _ => None,
    };
    if text::has_link(&body) && !text::has_link(&post.body_md) {
        guard(state, viewer, access.role, &body).await?;
    }
    let html = text::render(&body);
    let mut tx = state.db.begin().await?;
    if !repo::posts::edit(&mut tx, &post, &body, &html, &viewer.user_id, db::now_ms()).await? {
        return Err(ForumError::PostGone);
    }
    match title {
        Some(title) => {
            repo::threads::set_title(&mut tx, &post.thread_id, &title).await?;
            repo::search::refresh_thread(&mut tx, &post.thread_id).await?;
        }
        None => repo::search::refresh(&mut tx, &post.id).await?,
    }
    let post = repo::posts::by_id(&mut tx, &post.id).await?.ok_or(ForumError::NotFound)?;
    tx.commit().await?;
    Ok(post)
}

/// Deletes a post (soft). The opening post of a thread without replies
/// takes its thread with it; otherwise a "deleted" stub keeps its place.
pub async fn delete(state: &AppState, viewer: &Viewer, id: &PostId) -> Result<(), ForumError> {
    let (access, post) = {
        let mut conn = state.db.pool().acquire().await?;
        post_for(state, &mut conn, viewer, id).await?
    };
    if post.is_deleted() {
        return Ok(());
    }
    if !post.is_hidden() {
        may_change(state, viewer, access.role, &post)?;
    } else if !access.role.is_staff() {
        return Err(ForumError::PostGone);
    }
    let at = db::now_ms();
    let mut tx = state.db.begin().await?;
    repo::posts::soft_delete(&mut tx, &post.id, &viewer.user_id, at).await?;
    if post.seq == 1 && access.thread.reply_count == 0 {
        repo::threads::soft_delete(&mut tx, &post.thread_id, at).await?;
    }
    if access.thread.accepted_post_id.as_deref() == Some(post.id.as_str()) {
        repo::threads::set_accepted(&mut tx, &post.thread_id, None).await?;
    }
    repo::search::refresh(&mut tx, &post.id).await?;
    tx.commit().await?;
    Ok(())
}

/// The post's earlier versions, newest first: for the course's staff.
pub async fn history(state: &AppState, viewer: &Viewer, id: &PostId) -> Result<(Post, Vec<PostEdit>), ForumError> {
    let mut conn = state.db.pool().acquire().await?;
    let (access, post) = post_for(state, &mut conn, viewer, id).await?;
    if !access.role.is_staff() {
        return Err(ForumError::StaffOnly);
    }
    let edits = repo::posts::edits(&mut conn, &post.id).await?;
    Ok((post, edits))
}

/// Marks the post helpful for the viewer (or takes the mark back): the post
/// and its new count.
pub async fn set_helpful(state: &AppState, viewer: &Viewer, id: &PostId, on: bool) -> Result<(Post, i64), ForumError> {
    let post = {
        let mut conn = state.db.pool().acquire().await?;
        post_for(state, &mut conn, viewer, id).await?.1
    };
    if post.is_gone() {
        return Err(ForumError::PostGone);
    }
    let mut tx = state.db.begin().await?;
    let count = repo::posts::set_helpful(&mut tx, id.as_str(), &viewer.user_id, on).await?;
    tx.commit().await?;
    Ok((post, count))
}

/// Staff accept a reply as the answer to a question (or withdraw it with
/// `accepted = false`); the post.
pub async fn accept(state: &AppState, viewer: &Viewer, id: &PostId, accepted: bool) -> Result<Post, ForumError> {
    let (access, post) = {
        let mut conn = state.db.pool().acquire().await?;
        post_for(state, &mut conn, viewer, id).await?
    };
    if !access.role.is_staff() {
        return Err(ForumError::StaffOnly);
    }
    if access.thread.kind() != ThreadKind::Question || post.seq == 1 {
        return Err(ForumError::invalid("post", "forums.errors.accept_answers_only"));
    }
    if post.is_gone() {
        return Err(ForumError::PostGone);
    }
    let value = if accepted { Some(post.id.as_str()) } else { None };
    let mut tx = state.db.begin().await?;
    if accepted || access.thread.accepted_post_id.as_deref() == Some(post.id.as_str()) {
        repo::threads::set_accepted(&mut tx, &post.thread_id, value).await?;
    }
    tx.commit().await?;
    Ok(post)
}

/// The post and (for an opening post) its thread's title, when the viewer
/// may change it now; the refusal otherwise.
pub async fn editable(state: &AppState, viewer: &Viewer, id: &PostId) -> Result<(Post, Option<String>), ForumError> {
    let (access, post) = {
        let mut conn = state.db.pool().acquire().await?;
        post_for(state, &mut conn, viewer, id).await?
    };
    if !(post.is_hidden() && access.role.is_staff()) {
        may_change(state, viewer, access.role, &post)?;
    }
    let title = (post.seq == 1).then(|| access.thread.title.clone());
    Ok((post, title))
}

//! Threads: starting one (its opening post is post 1), and reading one a
//! page at a time, which moves the viewer's read mark.

use std::{collections::HashMap, sync::Arc};

use lyceum_accounts::service::directory;
use lyceum_courses::model::Course;
use lyceum_platform::{AppState, auth::Viewer, db, events, ids::UserId};
use sqlx::AnyConnection;

use super::{ForumView, Role, ThreadAccess, attachments, forum_for, posts, text, thread_for};
use crate::{
    ForumError,
    events::PostCreated,
    model::{ForumId, ForumKind, POSTS_PER_PAGE, Post, Thread, ThreadId, ThreadKind},
    repo::{self, posts::SeenPost},
};

/// What a member fills in to start a thread.
#[derive(Debug, Clone, Default)]
pub struct NewThread {
    pub title: String,
    pub body: String,
    pub kind: ThreadKind,
    /// Announcements only: its e-mail cannot be turned off.
    pub important: bool,
    /// Files attached to the opening post.
    pub files: Vec<attachments::Upload>,
}

/// Starts a thread in the forum. Learners cannot post in the announcements
/// forum; only staff mark an announcement important.
pub async fn start(
    state: &AppState,
    viewer: &Viewer,
    forum_id: &ForumId,
    input: &NewThread,
) -> Result<Thread, ForumError> {
    let (_, forum, role) = {
        let mut conn = state.db.pool().acquire().await?;
        forum_for(state, &mut conn, viewer, forum_id).await?
    };
    let announcements = forum.kind() == ForumKind::Announcements;
    if announcements && !role.is_staff() {
        return Err(ForumError::AnnouncementsStaffOnly);
    }
    let title = text::title(&input.title)?;
    let body = text::body(&input.body)?;
    posts::guard(state, viewer, role, &body).await?;
    let html = text::render(&body);
    let kind = if announcements { ThreadKind::Discussion } else { input.kind };
    let important = announcements && input.important;
    let at = db::now_ms();
    let (thread_id, post_id) = (db::new_id(), db::new_id());
    let forum = &forum.forum;
    let files = attachments::stage(state, viewer, &(&forum.course_id).into(), &(&post_id).into(), &input.files).await?;
    let written = async {
        let mut tx = state.db.begin().await?;
        let new = repo::threads::NewThread {
            id: &thread_id,
            forum_id: &forum.id,
            course_id: &forum.course_id,
            author_id: &viewer.user_id,
            title: &title,
            kind: kind.as_str(),
            important,
            at,
        };
        repo::threads::insert(&mut tx, &new).await?;
        let post = repo::posts::NewPost {
            id: &post_id,
            thread_id: &thread_id,
            course_id: &forum.course_id,
            seq: 1,
            author_id: &viewer.user_id,
            body_md: &body,
            body_html: &html,
            quote_of: None,
            at,
        };
        repo::posts::insert(&mut tx, &post).await?;
        attachments::record(&mut tx, &files).await?;
        repo::search::refresh(&mut tx, &post_id).await?;
        repo::reads::mark(&mut tx, &viewer.user_id, &thread_id, 1, at).await?;
        super::subscriptions::follow_new_thread(&mut tx, &viewer.user_id, &thread_id).await?;
        let event = PostCreated {
            post_id: post_id.clone(),
            thread_id: thread_id.clone(),
            forum_id: forum.id.clone(),
            course_id: forum.course_id.clone(),
            author_id: viewer.user_id.clone(),
            starts_thread: true,
            forum_kind: forum.kind.clone(),
            important,
            created_at: at,
        };
        events::publish(state, &mut tx, &event).await?;
        let thread = repo::threads::by_id(&mut tx, &thread_id).await?.ok_or(ForumError::NotFound)?;
        tx.commit().await?;
        Ok(thread)
    }
    .await;
    files.settle(state, written).await
}

/// A post as the viewer sees it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PostView {
    #[serde(flatten)]
    pub post: Post,
    pub author_name: String,
    /// The HTML to show; `None` when deleted, or hidden (from everyone but staff and its author).
    pub html: Option<String>,
    /// The quoted post, when this one quotes another.
    pub quote: Option<Quote>,
    pub helpful_by_me: bool,
    /// The viewer flagged it (once per member).
    pub flagged_by_me: bool,
    pub mine: bool,
    pub may_edit: bool,
    pub accepted: bool,
    /// The post's files (none shown when its text is not).
    pub attachments: Vec<attachments::Attachment>,
}

/// A quoted post: who wrote it and its text (none when it was deleted or hidden since).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Quote {
    pub post_id: String,
    pub seq: i64,
    pub author_name: String,
    pub html: Option<String>,
}

/// A page of a thread, as the viewer sees it.
pub struct ThreadPage {
    pub course: Course,
    pub forum: ForumView,
    pub thread: Thread,
    pub role: Role,
    pub author_name: String,
    pub posts: Vec<PostView>,
    /// This page (from 1) and how many there are.
    pub page: i64,
    pub pages: i64,
    /// The first post the viewer had not read before this visit (none when all read).
    pub first_unread: Option<i64>,
    /// A question whose answers the viewer sees only after answering: how many are hidden.
    pub hidden_answers: i64,
    pub may_reply: bool,
    /// New posts of the thread reach the viewer (see `subscriptions`).
    pub subscribed: bool,
    /// What the reply form's files may be.
    pub file_limits: attachments::Limits,
}

impl ThreadPage {
    pub fn is_question(&self) -> bool {
        self.thread.kind() == ThreadKind::Question
    }
}

/// The page of the thread holding post `seq`.
pub fn page_of(seq: i64) -> i64 {
    (seq.max(1) - 1) / POSTS_PER_PAGE + 1
}

/// Where a thread opens for the viewer: the page of their first unread
/// post, and that post's number (none when everything is read).
pub async fn first_unread(state: &AppState, viewer: &Viewer, id: &ThreadId) -> Result<(i64, Option<i64>), ForumError> {
    let mut conn = state.db.pool().acquire().await?;
    let access = thread_for(state, &mut conn, viewer, id).await?;
    let read = repo::reads::read_seq(&mut conn, &viewer.user_id, id.as_str()).await?;
    if read >= access.thread.last_seq {
        return Ok((1, None));
    }
    let seq = read + 1;
    Ok((page_of(seq), Some(seq)))
}

/// A page of the thread (from 1; past the end is the last page), marking
/// its posts read.
pub async fn open(state: &AppState, viewer: &Viewer, id: &ThreadId, page: i64) -> Result<ThreadPage, ForumError> {
    let mut conn = state.db.pool().acquire().await?;
    let ThreadAccess { course, forum, thread, role } = thread_for(state, &mut conn, viewer, id).await?;
    let pages = page_of(thread.last_seq);
    let page = page.clamp(1, pages);
    let (from, to) = ((page - 1) * POSTS_PER_PAGE + 1, page * POSTS_PER_PAGE);
    let range = repo::posts::range(&mut conn, (&thread.id, &forum.forum.id), from, to, &viewer.user_id).await?;
    // Read beside the posts; alone only when the range is empty.
    let standing = match range.standing {
        Some(standing) => standing,
        None => repo::standing::thread(&mut conn, &viewer.user_id, &thread.id, &forum.forum.id).await?,
    };
    let rows = range.posts;
    let read = standing.read_seq;
    let answers_hidden = answers_hidden_from(&mut conn, &thread, role, viewer).await?;
    let (rows, hidden_answers): (Vec<SeenPost>, Vec<SeenPost>) =
        rows.into_iter().partition(|p| !answers_hidden || readable_in_any_case(&p.post, viewer));
    let window = posts::EditWindow::of(state);
    let (posts, names) = views(state, &mut conn, viewer, role, &thread, rows, window).await?;
    let subscribed = super::subscriptions::thread_followed(&standing, &forum.forum);
    drop(conn);
    // A page already read moves no mark: no write.
    if let Some(last) = posts.last().filter(|p| p.post.seq > read) {
        let mut writer = state.db.autocommit().await?;
        repo::reads::mark(&mut writer, &viewer.user_id, &thread.id, last.post.seq, db::now_ms()).await?;
    }
    let first_unread = (read < thread.last_seq).then_some(read + 1);
    let may_reply = role.is_staff() || (!thread.is_locked() && forum.kind() != ForumKind::Announcements);
    Ok(ThreadPage {
        author_name: names.get(&thread.author_id).cloned().unwrap_or_default(),
        course,
        forum,
        thread,
        role,
        posts,
        page,
        pages,
        first_unread,
        hidden_answers: hidden_answers.len() as i64,
        may_reply,
        subscribed,
        file_limits: attachments::Limits::of(state),
    })
}

/// In a question, a learner sees the others' answers only once they have
/// answered themselves (the asker and staff always see them).
pub(crate) async fn answers_hidden_from(
    conn: &mut AnyConnection,
    thread: &Thread,
    role: Role,
    viewer: &Viewer,
) -> Result<bool, ForumError> {
    if thread.kind() != ThreadKind::Question || role.is_staff() || thread.author_id == viewer.user_id {
        return Ok(false);
    }
    Ok(!repo::posts::has_answered(conn, &thread.id, &viewer.user_id).await?)
}

/// Whether the viewer may read this post of the thread (see [`answers_hidden_from`]).
pub(crate) async fn may_read_post(
    conn: &mut AnyConnection,
    access: &ThreadAccess,
    viewer: &Viewer,
    post: &Post,
) -> Result<bool, ForumError> {
    if readable_in_any_case(post, viewer) {
        return Ok(true);
    }
    Ok(!answers_hidden_from(conn, &access.thread, access.role, viewer).await?)
}

/// The question and the viewer's own posts, which [`answers_hidden_from`]
/// never hides.
pub(crate) fn readable_in_any_case(post: &Post, viewer: &Viewer) -> bool {
    post.seq == 1 || post.author_id == viewer.user_id
}

/// The posts as the viewer sees them: names, quotes, their own marks, what
/// they may do; and the names of their authors and the thread's, by id.
pub(crate) async fn views(
    state: &AppState,
    conn: &mut AnyConnection,
    viewer: &Viewer,
    role: Role,
    thread: &Thread,
    rows: Vec<SeenPost>,
    window: posts::EditWindow,
) -> Result<(Vec<PostView>, Arc<HashMap<String, String>>), ForumError> {
    let quoted_ids: Vec<String> = rows.iter().filter_map(|p| p.post.quote_of.clone()).collect();
    let quoted = match quoted_ids.is_empty() {
        true => Vec::new(),
        false => repo::posts::by_ids(conn, &quoted_ids).await?,
    };
    let with_files: Vec<String> = rows.iter().filter(|p| p.has_files != 0).map(|p| p.post.id.clone()).collect();
    let mut files = match with_files.is_empty() {
        true => HashMap::new(),
        false => attachments::of_posts(conn, &with_files).await?,
    };
    let mut people: Vec<UserId> = rows.iter().map(|p| UserId::from(p.post.author_id.as_str())).collect();
    people.extend(quoted.iter().map(|p| UserId::from(p.author_id.as_str())));
    people.push(UserId::from(thread.author_id.as_str()));
    let names = directory::display_names(state, conn, &people).await?;
    let name = |id: &str| names.get(id).cloned().unwrap_or_default();
    let quoted: HashMap<&str, &Post> = quoted.iter().map(|p| (p.id.as_str(), p)).collect();
    let views = rows
        .into_iter()
        .map(|seen| {
            let SeenPost { post, helpful_by_me, flagged_by_me, .. } = seen;
            let mine = post.author_id == viewer.user_id;
            let quote = post.quote_of.as_deref().and_then(|q| quoted.get(q)).map(|q| Quote {
                post_id: q.id.clone(),
                seq: q.seq,
                author_name: name(&q.author_id),
                html: (!q.is_gone()).then(|| q.body_html.clone()),
            });
            let html = if post.is_deleted() || (post.is_hidden() && !mine && !role.is_staff()) {
                None
            } else {
                Some(post.body_html.clone())
            };
            let attachments = match html {
                Some(_) => files.remove(&post.id).unwrap_or_default(),
                None => Vec::new(),
            };
            PostView {
                attachments,
                author_name: name(&post.author_id),
                html,
                quote,
                helpful_by_me: helpful_by_me != 0,
                flagged_by_me: flagged_by_me != 0,
                may_edit: !post.is_gone() && (role.is_staff() || (mine && window.open_for(&post))),
                accepted: thread.accepted_post_id.as_deref() == Some(post.id.as_str()),
                mine,
                post,
            }
        })
        .collect();
    Ok((views, names))
}

/// Display names of the threads' authors and last posters.
pub(crate) async fn names<'a>(
    state: &AppState,
    conn: &mut AnyConnection,
    threads: impl Iterator<Item = &'a Thread>,
) -> Result<Arc<HashMap<String, String>>, ForumError> {
    let mut ids = Vec::new();
    for t in threads {
        ids.push(UserId::from(t.author_id.as_str()));
        if let Some(last) = &t.last_author_id {
            ids.push(UserId::from(last.as_str()));
        }
    }
    Ok(directory::display_names(state, conn, &ids).await?)
}

/// Moves the viewer's read mark of the thread to post `seq` (never back;
/// past the last post is the last post).
pub async fn mark_read(state: &AppState, viewer: &Viewer, id: &ThreadId, seq: i64) -> Result<(), ForumError> {
    if seq < 0 {
        return Err(ForumError::invalid("seq", "forums.errors.seq_negative"));
    }
    let thread = {
        let mut conn = state.db.pool().acquire().await?;
        thread_for(state, &mut conn, viewer, id).await?.thread
    };
    let mut writer = state.db.autocommit().await?;
    repo::reads::mark(&mut writer, &viewer.user_id, &thread.id, seq.min(thread.last_seq), db::now_ms()).await?;
    Ok(())
}

//! The forums' rules, shared by the pages and the API. Every function takes
//! the viewer and checks access itself: a course's forums are for its staff
//! and its actively enrolled learners; everyone else is told they do not
//! exist (404), whatever the id.

pub mod attachments;
pub mod flags;
pub mod forums;
mod guard;
pub mod moderation;
pub mod notices;
pub mod posts;
pub mod search;
pub mod subscriptions;
pub mod text;
pub mod threads;

use std::{sync::Arc, time::Duration};

use lyceum_courses::{
    model::Course,
    service::{
        access::is_staff_given,
        content::{self, CourseContent},
    },
};
use lyceum_platform::{AppState, auth::Viewer, ids::CourseId};
use sqlx::AnyConnection;

use crate::{
    ForumError,
    model::{Forum, ForumId, ForumKind, Post, PostId, Thread, ThreadId},
    repo,
};

/// How the viewer takes part in a course's forums.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The course's instructors and administrators: moderate, post announcements.
    Staff,
    /// An actively enrolled learner.
    Learner,
}

impl Role {
    pub fn is_staff(self) -> bool {
        self == Role::Staff
    }
}

/// The viewer's role in the course, or 404 for anyone who is neither staff
/// nor actively enrolled. `conn` answers the caches' misses.
pub(crate) async fn role_in(
    state: &AppState,
    conn: &mut AnyConnection,
    viewer: &Viewer,
    course_id: &CourseId,
) -> Result<Role, ForumError> {
    let content = content_of(state, conn, course_id).await?;
    role_given(state, conn, viewer, &content).await
}

/// The course's content (the course, its outline, who teaches it) from the
/// courses' cache, which every course change drops; 404 when it is gone.
pub(crate) async fn content_of(
    state: &AppState,
    conn: &mut AnyConnection,
    course_id: &CourseId,
) -> Result<Arc<CourseContent>, ForumError> {
    content::course_on(state, conn, course_id).await?.ok_or(ForumError::NotFound)
}

/// [`role_in`] with the course's content at hand: who teaches it from the
/// content, the enrollment from enrollment's cache — no query when warm.
pub(crate) async fn role_given(
    state: &AppState,
    conn: &mut AnyConnection,
    viewer: &Viewer,
    content: &CourseContent,
) -> Result<Role, ForumError> {
    if is_staff_given(viewer, content.teaches(&viewer.user_id)) {
        return Ok(Role::Staff);
    }
    let course_id = CourseId::from(&content.course.id);
    if lyceum_enrollment::is_active_cached(state, conn, &course_id, &viewer.id()).await? {
        return Ok(Role::Learner);
    }
    Err(ForumError::NotFound)
}

/// A forum with its title (a module forum's is its module's; the others
/// are named by the pages, per language).
#[derive(Debug, Clone, serde::Serialize)]
pub struct ForumView {
    #[serde(flatten)]
    pub forum: Forum,
    pub module_title: Option<String>,
}

impl ForumView {
    pub fn kind(&self) -> ForumKind {
        self.forum.kind()
    }
}

/// The cache of forum rows, by id. A forum never changes; it goes only with
/// its course or its module (by cascade), and a cached row is checked
/// against the course's content, which those deletions drop at once.
const FORUMS_CACHE: &str = "forums";
/// How long a forum row stays cached.
const FORUM_TTL: Duration = Duration::from_secs(300);

/// The forum, its course and the viewer's role; 404 when not theirs to see.
/// `conn` answers the caches' misses (a forum page whose caches are warm
/// asks the database nothing here).
pub(crate) async fn forum_for(
    state: &AppState,
    conn: &mut AnyConnection,
    viewer: &Viewer,
    id: &ForumId,
) -> Result<(Course, ForumView, Role), ForumError> {
    let key = format!("forum:{}", id.as_str());
    let load = async { repo::forums::by_id(conn, id.as_str()).await?.ok_or(ForumError::NotFound) };
    let cached: Arc<Forum> = state.cache.get_or_load_shared(FORUMS_CACHE, &key, FORUM_TTL, load).await?;
    let forum = Forum::clone(&cached);
    let content = content_of(state, conn, &CourseId::from(&forum.course_id)).await?;
    let view = titled(&content, forum)?;
    let role = role_given(state, conn, viewer, &content).await?;
    Ok((content.course.clone(), view, role))
}

/// The forum with its title from the course's outline; 404 for a module
/// forum whose module is gone.
pub(crate) fn titled(content: &CourseContent, forum: Forum) -> Result<ForumView, ForumError> {
    let module_title = match &forum.module_id {
        Some(module_id) => {
            let module = content.modules.iter().find(|m| &m.id == module_id).ok_or(ForumError::NotFound)?;
            Some(module.title.clone())
        }
        None => None,
    };
    Ok(ForumView { forum, module_title })
}

/// Where a thread is and who is looking.
pub(crate) struct ThreadAccess {
    pub course: Course,
    pub forum: ForumView,
    pub thread: Thread,
    pub role: Role,
}

/// The live thread, its forum and course, and the viewer's role; 404 when
/// not theirs to see or deleted.
pub(crate) async fn thread_for(
    state: &AppState,
    conn: &mut AnyConnection,
    viewer: &Viewer,
    id: &ThreadId,
) -> Result<ThreadAccess, ForumError> {
    let thread = repo::threads::by_id(conn, id.as_str()).await?.ok_or(ForumError::NotFound)?;
    if thread.is_deleted() {
        return Err(ForumError::NotFound);
    }
    let (course, forum, role) = forum_for(state, conn, viewer, &ForumId::from(&thread.forum_id)).await?;
    Ok(ThreadAccess { course, forum, thread, role })
}

/// The post with its thread; 404 when the thread is not the viewer's to
/// see, or the post is in a question the learner may not read yet.
pub(crate) async fn post_for(
    state: &AppState,
    conn: &mut AnyConnection,
    viewer: &Viewer,
    id: &PostId,
) -> Result<(ThreadAccess, Post), ForumError> {
    let post = repo::posts::by_id(conn, id.as_str()).await?.ok_or(ForumError::NotFound)?;
    let access = thread_for(state, conn, viewer, &ThreadId::from(&post.thread_id)).await?;
    if !threads::may_read_post(conn, &access, viewer, &post).await? {
        return Err(ForumError::NotFound);
    }
    Ok((access, post))
}

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

use lyceum_courses::{
    model::Course,
    service::{access::is_staff, read},
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
/// nor actively enrolled.
pub(crate) async fn role_in(
    state: &AppState,
    conn: &mut AnyConnection,
    viewer: &Viewer,
    course_id: &CourseId,
) -> Result<Role, ForumError> {
    if is_staff(conn, viewer, course_id).await? {
        return Ok(Role::Staff);
    }
    if lyceum_enrollment::is_active_cached(state, conn, course_id, &viewer.id()).await? {
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

/// The forum, its course and the viewer's role; 404 when not theirs to see.
pub(crate) async fn forum_for(
    state: &AppState,
    conn: &mut AnyConnection,
    viewer: &Viewer,
    id: &ForumId,
) -> Result<(Course, ForumView, Role), ForumError> {
    let forum = repo::forums::by_id(conn, id.as_str()).await?.ok_or(ForumError::NotFound)?;
    let course_id = CourseId::from(&forum.course_id);
    let role = role_in(state, conn, viewer, &course_id).await?;
    let course = read::course(conn, &course_id).await?.ok_or(ForumError::NotFound)?;
    let view = titled(conn, forum).await?;
    Ok((course, view, role))
}

pub(crate) async fn titled(conn: &mut AnyConnection, forum: Forum) -> Result<ForumView, ForumError> {
    let module_title = match &forum.module_id {
        Some(module_id) => {
            let modules = read::modules(conn, &CourseId::from(&forum.course_id)).await?;
            modules.into_iter().find(|m| &m.id == module_id).map(|m| m.title)
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

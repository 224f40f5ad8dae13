//! What forums tell other modules, through the outbox in the same
//! transaction as the change.

use lyceum_platform::events::Event;
use serde::{Deserialize, Serialize};

/// A post was published (a new thread's opening post, or a reply). The
/// notification fan-out to the thread's and forum's subscribers runs in jobs
/// from this event, never in the request.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PostCreated {
    pub post_id: String,
    pub thread_id: String,
    pub forum_id: String,
    pub course_id: String,
    pub author_id: String,
    /// The opening post of a new thread.
    pub starts_thread: bool,
    /// `general`, `announcements` or `module`.
    pub forum_kind: String,
    /// An announcement whose e-mail nobody can turn off.
    pub important: bool,
    pub created_at: i64,
}

impl Event for PostCreated {
    const NAME: &'static str = "forum.post_created";
}

/// A member flagged a post for the course's moderators.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PostFlagged {
    pub flag_id: String,
    pub post_id: String,
    pub thread_id: String,
    pub course_id: String,
    pub user_id: String,
    pub reason: String,
}

impl Event for PostFlagged {
    const NAME: &'static str = "forum.post_flagged";
}

/// Why a [`PostNotice`]'s recipients are told of the post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeReason {
    /// They follow the thread or its forum.
    Followed,
    /// A post of the announcements forum: every member follows it.
    Announcement,
    /// The post names them (`@name`).
    Mention,
}

/// A batch (at most [`crate::service::notices::BATCH`]) of the people to
/// tell of a post, once its edit window passed: the post in its final form.
/// Published by the forums' fan-out job; the notifications module records
/// one notice per recipient, idempotent per (post, recipient).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PostNotice {
    pub post_id: String,
    pub thread_id: String,
    pub course_id: String,
    /// `general`, `announcements` or `module`.
    pub forum_kind: String,
    pub reason: NoticeReason,
    /// An announcement whose e-mail nobody can turn off.
    pub important: bool,
    pub recipients: Vec<String>,
    /// The thread's title.
    pub title: String,
    /// The post's text, plain (no markup), cut at [`crate::service::notices::EXCERPT_CHARS`].
    pub excerpt: String,
    pub author_name: String,
    /// The post's page and anchor (a local path); the reply form is at `#reply` of the same page.
    pub link: String,
}

impl Event for PostNotice {
    const NAME: &'static str = "forum.post_notice";
}

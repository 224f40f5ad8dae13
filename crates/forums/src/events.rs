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

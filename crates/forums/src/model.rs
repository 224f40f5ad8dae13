//! The forums' rows and the states they name.

use serde::{Deserialize, Serialize};

lyceum_platform::typed_ids! {
    /// A forum of a course.
    ForumId;
    /// A thread of a forum.
    ThreadId;
    /// A post of a thread.
    PostId;
}

/// Which of a course's forums this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ForumKind {
    /// The course-wide forum every member posts in.
    General,
    /// Staff post; every enrolled learner is subscribed.
    Announcements,
    /// A module's own forum.
    Module,
}

impl ForumKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::General => "general",
            Self::Announcements => "announcements",
            Self::Module => "module",
        }
    }

    pub fn parse(s: &str) -> Self {
        match s {
            "general" => Self::General,
            "announcements" => Self::Announcements,
            _ => Self::Module,
        }
    }
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize, Deserialize)]
pub struct Forum {
    pub id: String,
    pub course_id: String,
    pub kind: String,
    pub module_id: Option<String>,
    pub created_at: i64,
}

impl Forum {
    pub fn kind(&self) -> ForumKind {
        ForumKind::parse(&self.kind)
    }
}

/// A discussion, or a question whose answers a learner sees only after
/// answering (and one of which staff may accept).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum ThreadKind {
    #[default]
    Discussion,
    Question,
}

impl ThreadKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Discussion => "discussion",
            Self::Question => "question",
        }
    }

    pub fn parse(s: &str) -> Self {
        if s == "question" { Self::Question } else { Self::Discussion }
    }
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize, Deserialize)]
pub struct Thread {
    pub id: String,
    pub forum_id: String,
    pub course_id: String,
    pub author_id: String,
    pub title: String,
    pub kind: String,
    pub pinned: i64,
    pub locked: i64,
    pub important: i64,
    pub accepted_post_id: Option<String>,
    pub reply_count: i64,
    pub last_seq: i64,
    pub last_post_at: i64,
    pub last_author_id: Option<String>,
    pub created_at: i64,
    pub deleted_at: Option<i64>,
}

impl Thread {
    pub fn kind(&self) -> ThreadKind {
        ThreadKind::parse(&self.kind)
    }
    pub fn is_pinned(&self) -> bool {
        self.pinned != 0
    }
    pub fn is_locked(&self) -> bool {
        self.locked != 0
    }
    pub fn is_important(&self) -> bool {
        self.important != 0
    }
    pub fn is_deleted(&self) -> bool {
        self.deleted_at.is_some()
    }
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize, Deserialize)]
pub struct Post {
    pub id: String,
    pub thread_id: String,
    pub course_id: String,
    pub seq: i64,
    pub author_id: String,
    pub body_md: String,
    pub body_html: String,
    pub quote_of: Option<String>,
    pub helpful_count: i64,
    pub created_at: i64,
    pub edited_at: Option<i64>,
    pub edited_by: Option<String>,
    pub deleted_at: Option<i64>,
    pub deleted_by: Option<String>,
    pub hidden_at: Option<i64>,
    pub hidden_by: Option<String>,
    pub hidden_reason: Option<String>,
}

impl Post {
    pub fn is_deleted(&self) -> bool {
        self.deleted_at.is_some()
    }
    pub fn is_hidden(&self) -> bool {
        self.hidden_at.is_some()
    }
    /// Deleted or hidden: its text is not shown to members.
    pub fn is_gone(&self) -> bool {
        self.is_deleted() || self.is_hidden()
    }
}

/// One earlier version of a post (before an edit).
#[derive(Debug, Clone, sqlx::FromRow, Serialize, Deserialize)]
pub struct PostEdit {
    pub id: String,
    pub post_id: String,
    pub body_md: String,
    pub edited_by: String,
    pub edited_at: i64,
}

/// Longest thread title, in characters.
pub const TITLE_MAX: usize = 200;
/// Longest post, in characters of markdown.
pub const BODY_MAX: usize = 20_000;
/// Posts per page of a thread.
pub const POSTS_PER_PAGE: i64 = 20;

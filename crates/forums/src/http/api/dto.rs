//! What the forums API reads and answers.

use lyceum_platform::db::rfc3339;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    model::{ForumKind, Post, Thread, ThreadKind},
    service::{
        ForumView, Role,
        forums::{ForumSummary, ThreadSummary},
        search::SearchHit,
        threads::{PostView, Quote},
    },
};

#[derive(Debug, Serialize, ToSchema)]
pub struct ForumDto {
    pub id: String,
    pub course_id: String,
    pub kind: ForumKind,
    /// The module of a module forum.
    pub module_id: Option<String>,
    /// The module's title for a module forum; none for the general and announcements forums.
    pub module_title: Option<String>,
}

impl From<&ForumView> for ForumDto {
    fn from(v: &ForumView) -> Self {
        Self {
            id: v.forum.id.clone(),
            course_id: v.forum.course_id.clone(),
            kind: v.kind(),
            module_id: v.forum.module_id.clone(),
            module_title: v.module_title.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ForumSummaryDto {
    #[serde(flatten)]
    pub forum: ForumDto,
    pub thread_count: i64,
    /// RFC 3339; none before the first post.
    pub last_post_at: Option<String>,
    /// Threads with posts you have not read.
    pub unread_threads: i64,
}

impl From<&ForumSummary> for ForumSummaryDto {
    fn from(s: &ForumSummary) -> Self {
        Self {
            forum: (&s.view).into(),
            thread_count: s.thread_count,
            last_post_at: s.last_post_at.map(rfc3339),
            unread_threads: s.unread_threads,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CourseForumsDto {
    pub course_id: String,
    /// `staff` or `learner`.
    pub role: String,
    pub items: Vec<ForumSummaryDto>,
}

pub fn role_name(role: Role) -> String {
    if role.is_staff() { "staff".into() } else { "learner".into() }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ThreadDto {
    pub id: String,
    pub forum_id: String,
    pub course_id: String,
    pub title: String,
    pub kind: ThreadKind,
    pub author_id: String,
    pub pinned: bool,
    pub locked: bool,
    pub important: bool,
    pub accepted_post_id: Option<String>,
    pub reply_count: i64,
    /// The number of the thread's newest post.
    pub last_seq: i64,
    pub last_post_at: String,
    pub created_at: String,
}

impl From<&Thread> for ThreadDto {
    fn from(t: &Thread) -> Self {
        Self {
            id: t.id.clone(),
            forum_id: t.forum_id.clone(),
            course_id: t.course_id.clone(),
            title: t.title.clone(),
            kind: t.kind(),
            author_id: t.author_id.clone(),
            pinned: t.is_pinned(),
            locked: t.is_locked(),
            important: t.is_important(),
            accepted_post_id: t.accepted_post_id.clone(),
            reply_count: t.reply_count,
            last_seq: t.last_seq,
            last_post_at: rfc3339(t.last_post_at),
            created_at: rfc3339(t.created_at),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ThreadSummaryDto {
    #[serde(flatten)]
    pub thread: ThreadDto,
    pub author_name: String,
    /// Posts you have not read.
    pub unread: i64,
    /// Started since your previous visit to the forum.
    pub new_since_visit: bool,
}

impl From<&ThreadSummary> for ThreadSummaryDto {
    fn from(s: &ThreadSummary) -> Self {
        Self {
            thread: (&s.thread).into(),
            author_name: s.author_name.clone(),
            unread: s.unread,
            new_since_visit: s.new_since_visit,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ThreadListDto {
    pub forum: ForumDto,
    /// Pinned threads (first page only).
    pub pinned: Vec<ThreadSummaryDto>,
    pub items: Vec<ThreadSummaryDto>,
    pub next_cursor: Option<String>,
    /// You follow this forum: its new posts reach you (always the announcements).
    pub subscribed: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartThreadBody {
    /// 1–200 characters.
    pub title: String,
    /// Markdown, 1–20,000 characters.
    pub body: String,
    /// `discussion` (the default) or `question`.
    #[serde(default)]
    pub kind: Option<ThreadKind>,
    /// Announcements (staff): an announcement whose e-mail nobody can turn off.
    #[serde(default)]
    pub important: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QuoteDto {
    pub post_id: String,
    pub seq: i64,
    pub author_name: String,
    /// None when the quoted post was deleted or hidden since.
    pub html: Option<String>,
}

impl From<&Quote> for QuoteDto {
    fn from(q: &Quote) -> Self {
        Self { post_id: q.post_id.clone(), seq: q.seq, author_name: q.author_name.clone(), html: q.html.clone() }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PostDto {
    pub id: String,
    pub thread_id: String,
    /// The post's number in its thread (1: the opening post).
    pub seq: i64,
    pub author_id: String,
    pub author_name: String,
    /// Markdown; empty when deleted or hidden from you.
    pub body: String,
    /// Sanitised HTML; none when deleted or hidden from you.
    pub html: Option<String>,
    pub quote: Option<QuoteDto>,
    pub helpful_count: i64,
    pub helpful_by_me: bool,
    pub accepted: bool,
    pub deleted: bool,
    pub hidden: bool,
    /// Shown to the post's author and staff when hidden.
    pub hidden_reason: Option<String>,
    pub edited_at: Option<String>,
    pub created_at: String,
    pub may_edit: bool,
    /// The post's files (none when its text is not shown to you).
    pub attachments: Vec<super::attachments::AttachmentDto>,
}

impl From<&PostView> for PostDto {
    fn from(v: &PostView) -> Self {
        let p = &v.post;
        Self {
            id: p.id.clone(),
            thread_id: p.thread_id.clone(),
            seq: p.seq,
            author_id: p.author_id.clone(),
            author_name: v.author_name.clone(),
            body: if v.html.is_some() { p.body_md.clone() } else { String::new() },
            html: v.html.clone(),
            quote: v.quote.as_ref().map(Into::into),
            helpful_count: p.helpful_count,
            helpful_by_me: v.helpful_by_me,
            accepted: v.accepted,
            deleted: p.is_deleted(),
            hidden: p.is_hidden(),
            hidden_reason: if v.html.is_some() { p.hidden_reason.clone() } else { None },
            edited_at: p.edited_at.map(rfc3339),
            created_at: rfc3339(p.created_at),
            may_edit: v.may_edit,
            attachments: v.attachments.iter().map(Into::into).collect(),
        }
    }
}

/// A post just written (by you).
#[derive(Debug, Serialize, ToSchema)]
pub struct OwnPostDto {
    pub id: String,
    pub thread_id: String,
    pub seq: i64,
    pub body: String,
    pub html: String,
    pub quote_of: Option<String>,
    pub created_at: String,
    pub edited_at: Option<String>,
}

impl From<&Post> for OwnPostDto {
    fn from(p: &Post) -> Self {
        Self {
            id: p.id.clone(),
            thread_id: p.thread_id.clone(),
            seq: p.seq,
            body: p.body_md.clone(),
            html: p.body_html.clone(),
            quote_of: p.quote_of.clone(),
            created_at: rfc3339(p.created_at),
            edited_at: p.edited_at.map(rfc3339),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ThreadPageDto {
    pub thread: ThreadDto,
    pub forum: ForumDto,
    pub posts: Vec<PostDto>,
    /// This page (from 1) and how many there are (20 posts a page).
    pub page: i64,
    pub pages: i64,
    /// The first post you had not read before this request; none when all were read.
    pub first_unread_seq: Option<i64>,
    /// In a question you have not answered yet: how many answers on this page you will see once you have.
    pub hidden_answers: i64,
    pub may_reply: bool,
    /// New posts of this thread reach you (you follow it or its forum, and did not unsubscribe from it).
    pub subscribed: bool,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ThreadPageParams {
    /// The page, from 1 (20 posts a page); past the end is the last page.
    #[param(minimum = 1)]
    pub page: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReadMarkBody {
    /// You have read the thread up to this post number (a mark never moves back).
    pub seq: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplyBody {
    /// Markdown, 1–20,000 characters.
    pub body: String,
    /// A post of the same thread this reply quotes.
    #[serde(default)]
    pub quote_of: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EditBody {
    /// The new markdown.
    pub body: String,
    /// The thread's new title (opening posts only; ignored on replies).
    #[serde(default)]
    pub title: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PostEditDto {
    /// The text before this edit.
    pub body: String,
    pub edited_by: String,
    pub edited_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PostHistoryDto {
    pub post_id: String,
    pub body: String,
    /// Earlier versions, newest first.
    pub edits: Vec<PostEditDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HelpfulDto {
    pub post_id: String,
    pub helpful_count: i64,
    pub helpful_by_me: bool,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// The words to find (each as a prefix), at most 200 characters.
    pub q: String,
    /// The page of results, from 1 (20 a page).
    #[param(minimum = 1)]
    pub page: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SearchHitDto {
    pub post_id: String,
    pub thread_id: String,
    pub seq: i64,
    pub thread_title: String,
    /// HTML: the escaped text around the match, matching words in `<mark>`.
    pub snippet_html: String,
}

impl From<&SearchHit> for SearchHitDto {
    fn from(h: &SearchHit) -> Self {
        Self {
            post_id: h.post_id.clone(),
            thread_id: h.thread_id.clone(),
            seq: h.seq,
            thread_title: h.thread_title.clone(),
            snippet_html: h.snippet_html.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SearchResultsDto {
    pub items: Vec<SearchHitDto>,
    pub page: i64,
    /// Whether another page follows.
    pub more: bool,
}

//! The forum pages: a course's forums (`/learn/{slug}/forums`), a forum's
//! threads, a thread with its reply form, compose, edit and the staff's
//! edit history. Forms post back; a refused one is shown again with its
//! messages and what was typed.

pub mod attachments;
pub mod forums;
pub mod moderation;
pub mod posts;
pub mod subscriptions;
pub mod threads;

use lyceum_platform::web::Page;

use crate::{model::ForumKind, service::ForumView};

/// A forum's name in the page's language: the module's title for a module forum.
pub(crate) fn forum_title(page: &Page, forum: &ForumView) -> String {
    match forum.kind() {
        ForumKind::General => page.t("forums.kinds.general"),
        ForumKind::Announcements => page.t("forums.kinds.announcements"),
        ForumKind::Module => forum.module_title.clone().unwrap_or_else(|| page.t("forums.kinds.module")),
    }
}

/// The URL of post `seq` of a thread: its page and anchor.
pub(crate) fn post_url(thread_id: &str, seq: i64) -> String {
    let page = crate::service::threads::page_of(seq);
    format!("/forums/threads/{thread_id}?page={page}#p{seq}")
}

//! The moderation forms of the thread page (pin, lock, move, hide, show
//! again, flag) and the queues: `/learn/{slug}/forums/moderation` for a
//! course's staff and `/admin/forums/flags` for administrators, each flag
//! with its "hide the post" and "dismiss" forms.

use std::collections::HashMap;

use askama::Template;
use axum::{
    Router,
    extract::{Path, Query, State},
    response::Response,
    routing::{get, post},
};
use lyceum_courses::model::Course;
use lyceum_platform::{
    AppResult, AppState,
    http::extract::PageForm,
    keyset::{PageParams, Paged},
    web::{
        FlashKind, Page, Reply,
        guard::{AdminPage, SignedIn},
        redirect_with_flash,
    },
};

use super::{forum_title, post_url, threads::ThreadTemplate};
use crate::{
    model::{ForumId, PostId, Thread, ThreadId},
    service::{
        ForumView,
        flags::{self, FlagId, FlagView, LogView, Resolution},
        forums::CourseRef,
        moderation,
    },
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/forums/threads/{id}/pin", post(pin))
        .route("/forums/threads/{id}/lock", post(lock))
        .route("/forums/threads/{id}/move", post(move_thread))
        .route("/forums/posts/{id}/hide", post(hide))
        .route("/forums/posts/{id}/unhide", post(unhide))
        .route("/forums/posts/{id}/flag", post(flag))
        .route("/learn/{slug}/forums/moderation", get(course_queue))
        .route("/admin/forums/flags", get(admin_queue))
        .route("/forums/flags/{id}/resolve", post(resolve))
}

impl ThreadTemplate {
    /// A forum's name in the page's language, for the "move to" list.
    pub(super) fn forum_title_of(&self, forum: &ForumView) -> String {
        forum_title(&self.page, forum)
    }
}

fn field(form: &HashMap<String, String>, name: &str) -> String {
    form.get(name).cloned().unwrap_or_default()
}

fn thread_url(id: &str) -> String {
    format!("/forums/threads/{id}?page=1")
}

pub async fn pin(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<String>,
    PageForm(form): PageForm<HashMap<String, String>>,
) -> AppResult<Response> {
    let on = field(&form, "on") != "0";
    let thread = moderation::set_pinned(&state, &s.viewer, &ThreadId::from(id), on).await?;
    Ok(switched(&thread, if on { "pinned" } else { "unpinned" }))
}

pub async fn lock(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<String>,
    PageForm(form): PageForm<HashMap<String, String>>,
) -> AppResult<Response> {
    let on = field(&form, "on") != "0";
    let thread = moderation::set_locked(&state, &s.viewer, &ThreadId::from(id), on).await?;
    Ok(switched(&thread, if on { "locked" } else { "unlocked" }))
}

/// Back to the thread, saying what the moderator switched.
fn switched(thread: &Thread, what: &str) -> Response {
    redirect_with_flash(&thread_url(&thread.id), FlashKind::Success, &format!("forums.moderation.flash.{what}"))
}

pub async fn move_thread(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<String>,
    PageForm(form): PageForm<HashMap<String, String>>,
) -> AppResult<Response> {
    let to = ForumId::from(field(&form, "forum_id"));
    let thread = moderation::move_thread(&state, &s.viewer, &ThreadId::from(id), &to).await?;
    Ok(redirect_with_flash(&thread_url(&thread.id), FlashKind::Success, "forums.moderation.flash.moved"))
}

pub async fn hide(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<String>,
    PageForm(form): PageForm<HashMap<String, String>>,
) -> AppResult<Response> {
    let post = moderation::hide(&state, &s.viewer, &PostId::from(id), &field(&form, "reason")).await?;
    Ok(redirect_with_flash(&post_url(&post.thread_id, post.seq), FlashKind::Success, "forums.moderation.flash.hidden"))
}

pub async fn unhide(State(state): State<AppState>, s: SignedIn, Path(id): Path<String>) -> AppResult<Response> {
    let post = moderation::unhide(&state, &s.viewer, &PostId::from(id)).await?;
    Ok(redirect_with_flash(&post_url(&post.thread_id, post.seq), FlashKind::Success, "forums.moderation.flash.shown"))
}

pub async fn flag(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<String>,
    PageForm(form): PageForm<HashMap<String, String>>,
) -> AppResult<Response> {
    let flag = flags::flag(&state, &s.viewer, &PostId::from(id), &field(&form, "reason")).await?;
    Ok(redirect_with_flash(&post_url(&flag.thread_id, flag.seq), FlashKind::Success, "forums.moderation.flash.flagged"))
}

#[derive(Template)]
#[template(path = "forums/moderation.html")]
struct QueuePage {
    page: Page,
    /// The course of a course's queue; none for the administrators' queue.
    course: Option<Course>,
    flags: Paged<FlagView>,
    log: Vec<LogView>,
    /// Where the resolve forms come back to.
    back: String,
}

impl QueuePage {
    fn action_label(&self, action: &str) -> String {
        match action {
            "pin" | "unpin" | "lock" | "unlock" | "move" | "hide" | "unhide" | "dismiss" => {
                self.page.t(&format!("forums.moderation.actions.{action}"))
            }
            other => other.to_string(),
        }
    }

    /// The start of a flagged post's text.
    fn excerpt(&self, body: &str) -> String {
        const MAX: usize = 300;
        if body.chars().count() <= MAX {
            return body.to_string();
        }
        let cut: String = body.chars().take(MAX).collect();
        format!("{cut}…")
    }

    fn post_link(&self, f: &FlagView) -> String {
        post_url(&f.flag.thread_id, f.flag.seq)
    }
}

pub async fn course_queue(
    State(state): State<AppState>,
    s: SignedIn,
    Path(slug): Path<String>,
    Query(p): Query<PageParams>,
) -> AppResult<Response> {
    let queue = flags::course_queue(&state, &s.viewer, CourseRef::Slug(&slug), &p.request()?).await?;
    let back = format!("/learn/{}/forums/moderation", queue.course.slug);
    Reply::OK.render(&QueuePage { page: s.page, course: Some(queue.course), flags: queue.flags, log: queue.log, back })
}

pub async fn admin_queue(
    State(state): State<AppState>,
    a: AdminPage,
    Query(p): Query<PageParams>,
) -> AppResult<Response> {
    let flags = flags::admin_queue(&state, &a.viewer, &p.request()?).await?;
    let back = "/admin/forums/flags".to_string();
    Reply::OK.render(&QueuePage { page: a.page, course: None, flags, log: Vec::new(), back })
}

/// Where a resolve form may send the moderator back: one of the queues.
fn safe_back(back: &str) -> Option<&str> {
    let course_queue = back.strip_prefix("/learn/").and_then(|rest| rest.strip_suffix("/forums/moderation"));
    let ok = back == "/admin/forums/flags"
        || course_queue.is_some_and(|slug| !slug.is_empty() && slug.chars().all(|c| c.is_alphanumeric() || c == '-'));
    ok.then_some(back)
}

pub async fn resolve(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<String>,
    PageForm(form): PageForm<HashMap<String, String>>,
) -> AppResult<Response> {
    let (resolution, key) = match field(&form, "action").as_str() {
        "hide" => (Resolution::Hide, "forums.moderation.flash.hidden"),
        _ => (Resolution::Dismiss, "forums.moderation.flash.dismissed"),
    };
    let reason = field(&form, "reason");
    let flag = flags::resolve(&state, &s.viewer, &FlagId::from(id), resolution, Some(&reason)).await?;
    let back = field(&form, "back");
    let to = safe_back(&back).map(str::to_string).unwrap_or_else(|| post_url(&flag.thread_id, flag.seq));
    Ok(redirect_with_flash(&to, FlashKind::Success, key))
}

#[cfg(test)]
mod tests {
    use super::safe_back;

    #[test]
    fn resolve_forms_only_go_back_to_a_queue() {
        assert_eq!(safe_back("/admin/forums/flags"), Some("/admin/forums/flags"));
        assert_eq!(safe_back("/learn/rust-101/forums/moderation"), Some("/learn/rust-101/forums/moderation"));
        for bad in
            ["https://evil.example/", "//evil.example/x", "/learn//forums/moderation", "/learn/a/b/forums/moderation"]
        {
            assert_eq!(safe_back(bad), None, "{bad}");
        }
    }
}

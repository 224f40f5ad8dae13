//! `/forums/{id}/new` (compose a thread), `POST /forums/{id}/threads` and
//! `/forums/threads/{id}` (a thread: it opens at the first unread post).

use std::collections::HashMap;

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    response::{IntoResponse, Redirect, Response},
};
use lyceum_platform::{
    AppResult, AppState,
    web::{FormErrors, Page, Refused, Reply, guard::SignedIn},
};
use serde::Deserialize;

use super::{attachments::PostForm, forum_title, post_url};
use crate::{
    model::{ForumId, ForumKind, PostId, ThreadId, ThreadKind},
    service::{
        ForumView,
        attachments::Limits,
        forums::{self, ForumHead},
        moderation::{self, ThreadModeration},
        threads::{self, NewThread, ThreadPage},
    },
};

#[derive(Template)]
#[template(path = "forums/compose.html")]
struct ComposePage {
    page: Page,
    forum: ForumView,
    course_slug: String,
    course_title: String,
    may_mark_important: bool,
    title: String,
    body: String,
    question: bool,
    important: bool,
    file_limits: Limits,
    errors: FormErrors,
}

impl ComposePage {
    fn forum_name(&self) -> String {
        forum_title(&self.page, &self.forum)
    }
}

fn compose_page(
    state: &AppState,
    page: Page,
    view: ForumHead,
    form: &HashMap<String, String>,
    errors: FormErrors,
) -> ComposePage {
    let field = |k: &str| form.get(k).cloned().unwrap_or_default();
    ComposePage {
        page,
        may_mark_important: view.role.is_staff() && view.forum.kind() == ForumKind::Announcements,
        course_slug: view.course.slug.clone(),
        course_title: view.course.title.clone(),
        forum: view.forum,
        title: field("title"),
        body: field("body"),
        question: field("kind") == "question",
        important: field("important") == "on",
        file_limits: Limits::of(state),
        errors,
    }
}

pub async fn compose(State(state): State<AppState>, s: SignedIn, Path(id): Path<String>) -> AppResult<Response> {
    let view = forums::head(&state, &s.viewer, &ForumId::from(id)).await?;
    if !view.may_post() {
        return Err(crate::ForumError::AnnouncementsStaffOnly.into());
    }
    Reply::OK.render(&compose_page(&state, s.page, view, &HashMap::new(), FormErrors::none()))
}

pub async fn start(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<String>,
    PostForm { fields: form, files }: PostForm,
) -> AppResult<Response> {
    let forum_id = ForumId::from(id);
    let field = |k: &str| form.get(k).cloned().unwrap_or_default();
    let input = NewThread {
        title: field("title"),
        body: field("body"),
        kind: if field("kind") == "question" { ThreadKind::Question } else { ThreadKind::Discussion },
        important: field("important") == "on",
        files,
    };
    match threads::start(&state, &s.viewer, &forum_id, &input).await {
        Ok(thread) => Ok(Redirect::to(&format!("/forums/threads/{}", thread.id)).into_response()),
        Err(e) => {
            let refused = Refused::from_error(e.into(), s.page.locale)?;
            let view = forums::head(&state, &s.viewer, &forum_id).await?;
            refused.reply.render(&compose_page(&state, s.page, view, &form, refused.errors))
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ThreadQuery {
    page: Option<i64>,
    /// A post to quote in the reply form.
    quote: Option<String>,
}

#[derive(Template)]
#[template(path = "forums/thread.html")]
pub(crate) struct ThreadTemplate {
    pub page: Page,
    pub view: ThreadPage,
    /// The reply form: what was typed, the post it quotes, its errors.
    pub body: String,
    pub quote_of: Option<(String, i64, String)>,
    pub errors: FormErrors,
    /// Staff controls and the viewer's flags (`service::moderation`).
    pub moderation: ThreadModeration,
}

impl ThreadTemplate {
    fn forum_name(&self) -> String {
        forum_title(&self.page, &self.view.forum)
    }
    fn is_staff(&self) -> bool {
        self.view.role.is_staff()
    }
    /// A learner replying to someone else's question gives an answer.
    fn answering(&self) -> bool {
        let me = self.page.viewer.as_ref().map(|v| v.user_id.as_str());
        self.view.is_question() && !self.is_staff() && me != Some(self.view.thread.author_id.as_str())
    }
    fn pages(&self) -> Vec<i64> {
        (1..=self.view.pages).collect()
    }
}

pub async fn show(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<String>,
    Query(q): Query<ThreadQuery>,
) -> AppResult<Response> {
    let thread_id = ThreadId::from(id);
    let page = match q.page {
        Some(page) => page,
        None => {
            let (page, first_unread) = threads::first_unread(&state, &s.viewer, &thread_id).await?;
            if let Some(seq) = first_unread.filter(|seq| *seq > 1) {
                return Ok(Redirect::to(&post_url(thread_id.as_str(), seq)).into_response());
            }
            page
        }
    };
    let view = threads::open(&state, &s.viewer, &thread_id, page).await?;
    let quote_of = match q.quote {
        Some(quote) => quoted(&view, &PostId::from(quote)),
        None => None,
    };
    let moderation = moderation::for_thread(&state, &view).await?;
    let errors = FormErrors::none();
    Reply::OK.render(&ThreadTemplate { page: s.page, view, body: String::new(), quote_of, errors, moderation })
}

/// The quoted post's id, number and author, when it is on the page shown.
pub(crate) fn quoted(view: &ThreadPage, id: &PostId) -> Option<(String, i64, String)> {
    view.posts
        .iter()
        .find(|p| p.post.id == id.as_str() && p.html.is_some())
        .map(|p| (p.post.id.clone(), p.post.seq, p.author_name.clone()))
}

//! A post's forms: reply (`POST /forums/threads/{id}/reply`), edit, delete,
//! "helpful", accept an answer, and the staff's edit history.

use std::collections::HashMap;

use askama::Template;
use axum::{
    extract::{Path, State},
    response::{IntoResponse, Redirect, Response},
};
use lyceum_platform::{
    AppResult, AppState,
    http::extract::PageForm,
    web::{FormErrors, Page, Refused, Reply, guard::SignedIn},
};

use super::{attachments::PostForm, post_url, threads::ThreadTemplate};
use crate::{
    model::{Post, PostEdit, PostId, ThreadId},
    service::{
        posts::{self, NewReply, PostChange},
        threads,
    },
};

pub async fn reply(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<String>,
    PostForm { fields: form, files }: PostForm,
) -> AppResult<Response> {
    let thread_id = ThreadId::from(id);
    let body = form.get("body").cloned().unwrap_or_default();
    let quote_of = form.get("quote_of").filter(|q| !q.is_empty()).map(|q| PostId::from(q.clone()));
    let input = NewReply { body: body.clone(), quote_of: quote_of.clone(), files };
    match posts::reply(&state, &s.viewer, &thread_id, &input).await {
        Ok(post) => Ok(Redirect::to(&post_url(&post.thread_id, post.seq)).into_response()),
        Err(e) => {
            let refused = Refused::from_error(e.into(), s.page.locale)?;
            let view = threads::open(&state, &s.viewer, &thread_id, i64::MAX).await?;
            let quote_of = quote_of.and_then(|q| super::threads::quoted(&view, &q));
            let moderation = crate::service::moderation::for_thread(&state, &view).await?;
            let errors = refused.errors;
            refused.reply.render(&ThreadTemplate { page: s.page, view, body, quote_of, errors, moderation })
        }
    }
}

#[derive(Template)]
#[template(path = "forums/edit.html")]
struct EditPage {
    page: Page,
    post: Post,
    title: Option<String>,
    body: String,
    errors: FormErrors,
}

pub async fn edit_form(State(state): State<AppState>, s: SignedIn, Path(id): Path<String>) -> AppResult<Response> {
    let (post, title) = posts::editable(&state, &s.viewer, &PostId::from(id)).await?;
    let body = post.body_md.clone();
    Reply::OK.render(&EditPage { page: s.page, post, title, body, errors: FormErrors::none() })
}

pub async fn edit(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<String>,
    PageForm(form): PageForm<HashMap<String, String>>,
) -> AppResult<Response> {
    let post_id = PostId::from(id);
    let change = PostChange { body: form.get("body").cloned().unwrap_or_default(), title: form.get("title").cloned() };
    match posts::edit(&state, &s.viewer, &post_id, &change).await {
        Ok(post) => Ok(Redirect::to(&post_url(&post.thread_id, post.seq)).into_response()),
        Err(e) => {
            let refused = Refused::from_error(e.into(), s.page.locale)?;
            let (post, _) = posts::editable(&state, &s.viewer, &post_id).await?;
            let page = EditPage { page: s.page, post, title: change.title, body: change.body, errors: refused.errors };
            refused.reply.render(&page)
        }
    }
}

pub async fn delete(State(state): State<AppState>, s: SignedIn, Path(id): Path<String>) -> AppResult<Response> {
    let post_id = PostId::from(id);
    let (post, _) = posts::editable(&state, &s.viewer, &post_id).await?;
    posts::delete(&state, &s.viewer, &post_id).await?;
    Ok(Redirect::to(&format!("/forums/threads/{}?page={}", post.thread_id, threads::page_of(post.seq))).into_response())
}

pub async fn helpful(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<String>,
    PageForm(form): PageForm<HashMap<String, String>>,
) -> AppResult<Response> {
    let post_id = PostId::from(id);
    let on = form.get("on").map(String::as_str) != Some("0");
    let (post, _) = posts::set_helpful(&state, &s.viewer, &post_id, on).await?;
    Ok(Redirect::to(&post_url(&post.thread_id, post.seq)).into_response())
}

pub async fn accept(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<String>,
    PageForm(form): PageForm<HashMap<String, String>>,
) -> AppResult<Response> {
    let post_id = PostId::from(id);
    let accepted = form.get("accepted").map(String::as_str) != Some("0");
    let post = posts::accept(&state, &s.viewer, &post_id, accepted).await?;
    Ok(Redirect::to(&post_url(&post.thread_id, post.seq)).into_response())
}

#[derive(Template)]
#[template(path = "forums/history.html")]
struct HistoryPage {
    page: Page,
    post: Post,
    edits: Vec<PostEdit>,
}

pub async fn history(State(state): State<AppState>, s: SignedIn, Path(id): Path<String>) -> AppResult<Response> {
    let (post, edits) = posts::history(&state, &s.viewer, &PostId::from(id)).await?;
    Reply::OK.render(&HistoryPage { page: s.page, post, edits })
}

//! `/learn/{slug}/forums` (the course's forums), `/learn/{slug}/forums/search`,
//! `/learn/{slug}/forums/modules/{module_id}` (a module's forum, linked from
//! the outline and the lesson page) and `/forums/{id}` (a forum's threads).

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    response::{IntoResponse, Redirect, Response},
};
use lyceum_courses::model::Course;
use lyceum_platform::{
    AppResult, AppState,
    ids::ModuleId,
    keyset::PageParams,
    web::{Page, Reply, guard::SignedIn},
};
use serde::Deserialize;

use super::forum_title;
use crate::{
    model::ForumId,
    service::{
        ForumView,
        forums::{self, CourseRef, ForumPage, ForumSummary},
        search::{self, SearchResults},
    },
};

#[derive(Template)]
#[template(path = "forums/index.html")]
struct IndexPage {
    page: Page,
    course: Course,
    forums: Vec<ForumSummary>,
    /// Staff see the link to the moderation queue.
    staff: bool,
}

impl IndexPage {
    fn title_of(&self, forum: &ForumView) -> String {
        forum_title(&self.page, forum)
    }
}

pub async fn index(State(state): State<AppState>, s: SignedIn, Path(slug): Path<String>) -> AppResult<Response> {
    let listed = forums::of_course(&state, &s.viewer, CourseRef::Slug(&slug)).await?;
    let staff = listed.role.is_staff();
    Reply::OK.render(&IndexPage { page: s.page, course: listed.course, forums: listed.forums, staff })
}

pub async fn of_module(
    State(state): State<AppState>,
    s: SignedIn,
    Path((slug, module_id)): Path<(String, String)>,
) -> AppResult<Response> {
    let listed = forums::of_course(&state, &s.viewer, CourseRef::Slug(&slug)).await?;
    let module_id = ModuleId::from(module_id);
    let found = listed.forums.iter().find(|f| f.view.forum.module_id.as_deref() == Some(module_id.as_str()));
    match found {
        Some(f) => Ok(Redirect::to(&format!("/forums/{}", f.view.forum.id)).into_response()),
        None => Err(lyceum_platform::AppError::not_found()),
    }
}

#[derive(Template)]
#[template(path = "forums/forum.html")]
struct ForumTemplate {
    page: Page,
    view: ForumPage,
}

impl ForumTemplate {
    fn title(&self) -> String {
        forum_title(&self.page, &self.view.forum)
    }
}

pub async fn forum(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<String>,
    Query(p): Query<PageParams>,
) -> AppResult<Response> {
    let view = forums::page(&state, &s.viewer, &ForumId::from(id), &p.request()?).await?;
    Reply::OK.render(&ForumTemplate { page: s.page, view })
}

#[derive(Debug, Default, Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
    page: Option<i64>,
}

#[derive(Template)]
#[template(path = "forums/search.html")]
struct SearchPage {
    page: Page,
    results: SearchResults,
}

pub async fn search(
    State(state): State<AppState>,
    s: SignedIn,
    Path(slug): Path<String>,
    Query(q): Query<SearchQuery>,
) -> AppResult<Response> {
    let results = search::search(&state, &s.viewer, CourseRef::Slug(&slug), &q.q, q.page.unwrap_or(1)).await?;
    Reply::OK.render(&SearchPage { page: s.page, results })
}

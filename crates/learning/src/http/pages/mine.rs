//! `/my/courses`: my enrolled courses with progress, continue and certificate links.

use askama::Template;
use axum::{
    extract::{Query, State},
    response::Response,
};
use lyceum_platform::{
    AppResult, AppState,
    keyset::PageRequest,
    web::{Page, Reply, encode_query, guard::SignedIn},
};

use super::CursorQuery;
use crate::service::mine::{self, MyCourse};

#[derive(Template)]
#[template(path = "learning/my_courses.html")]
struct MyCoursesPage {
    page: Page,
    items: Vec<MyCourse>,
    next_url: Option<String>,
}

pub async fn page(State(state): State<AppState>, s: SignedIn, Query(q): Query<CursorQuery>) -> AppResult<Response> {
    let found = mine::list(&state, &s.viewer, &PageRequest::sized(25, Some(&q.cursor))).await?;
    let next_url = found.next_cursor.map(|c| format!("/my/courses?cursor={}", encode_query(&c)));
    Reply::OK.render(&MyCoursesPage { page: s.page, items: found.items, next_url })
}

//! `/teach/courses/{id}/progress`: the course's learners and their progress (staff).

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    response::Response,
};
use lyceum_platform::ids::CourseId;
use lyceum_platform::{
    AppResult, AppState,
    keyset::PageRequest,
    web::{Page, Reply, encode_query, guard::SignedIn},
};

use super::CursorQuery;
use crate::service::staff::{self, ProgressTable};

#[derive(Template)]
#[template(path = "learning/staff_progress.html")]
struct StaffPage {
    page: Page,
    table: ProgressTable,
    next_url: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<CourseId>,
    Query(q): Query<CursorQuery>,
) -> AppResult<Response> {
    let table = staff::table(&state, &s.viewer, &id, &PageRequest::sized(50, Some(&q.cursor))).await?;
    let next_url =
        table.next_cursor.as_ref().map(|c| format!("/teach/courses/{id}/progress?cursor={}", encode_query(c)));
    Reply::OK.render(&StaffPage { page: s.page, table, next_url })
}

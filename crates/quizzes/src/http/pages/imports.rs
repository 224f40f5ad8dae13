//! `/teach/question-imports/{id}`: a background import's progress (the page
//! reloads itself every few seconds while it runs — no script), then its
//! report, for the course's staff.

use askama::Template;
use axum::{
    extract::{Path, State},
    response::Response,
};
use lyceum_assessment::format::Problem;
use lyceum_courses::model::Course;
use lyceum_platform::{
    AppResult, AppState, db,
    ids::CourseId,
    web::{Page, Reply, guard::SignedIn},
};

use crate::{
    repo::imports::ImportRow,
    service::{self, imports},
};

pub(crate) fn import_url(id: &str) -> String {
    format!("/teach/question-imports/{id}")
}

#[derive(Template)]
#[template(path = "quizzes/import.html")]
struct ImportPage {
    page: Page,
    course: Course,
    row: ImportRow,
    state: &'static str,
    problems: Vec<Problem>,
}

pub async fn show(State(state): State<AppState>, s: SignedIn, Path(id): Path<String>) -> AppResult<Response> {
    let row = imports::get(&state, &s.viewer, &id).await?;
    let course = {
        let mut conn = state.db.pool().acquire().await?;
        service::bank_course(&mut conn, &s.viewer, &CourseId::from(&row.course_id)).await?
    };
    let page = ImportPage { page: s.page, course, state: row.state(db::now_ms()), problems: row.problems(), row };
    Reply::OK.render(&page)
}

//! A course's rubrics on the pages (staff): the list with a form for a new
//! one (`/teach/courses/{id}/rubrics`), and one rubric's editor
//! (`/teach/rubrics/{id}`). A rubric is written one criterion per line.

use askama::Template;
use axum::{
    extract::{Path, State},
    response::Response,
};
use lyceum_courses::model::Course;
use lyceum_platform::{
    AppResult, AppState,
    http::extract::PageForm,
    ids::CourseId,
    web::{FlashKind, FormErrors, Page, Refused, Reply, guard::SignedIn, redirect_with_flash},
};
use serde::Deserialize;

use super::back;
use crate::service::rubrics::{self, Rubric};

fn rubric_url(id: &str) -> String {
    format!("/teach/rubrics/{id}")
}

/// What a rubric form sends, kept to show it again when refused.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct RubricForm {
    title: String,
    text: String,
}

#[derive(Template)]
#[template(path = "assignments/rubrics.html")]
struct ListPage {
    page: Page,
    course: Course,
    rubrics: Vec<Rubric>,
    form: RubricForm,
    errors: FormErrors,
}

async fn render_list(
    state: &AppState,
    s: SignedIn,
    id: &CourseId,
    form: RubricForm,
    errors: FormErrors,
    reply: Reply,
) -> AppResult<Response> {
    let (course, rubrics) = rubrics::list(state, &s.viewer, id).await?;
    reply.render(&ListPage { page: s.page, course, rubrics, form, errors })
}

pub async fn list(State(state): State<AppState>, s: SignedIn, Path(id): Path<CourseId>) -> AppResult<Response> {
    let form = RubricForm { title: String::new(), text: "Criterion | Missing = 0 | Partial = 1 | Complete = 2".into() };
    render_list(&state, s, &id, form, FormErrors::none(), Reply::OK).await
}

pub async fn create(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<CourseId>,
    PageForm(form): PageForm<RubricForm>,
) -> AppResult<Response> {
    match rubrics::create(&state, &s.viewer, &id, &form.title, &form.text).await {
        Ok(r) => Ok(redirect_with_flash(&rubric_url(&r.id), FlashKind::Success, "assignments.flash.rubric_saved")),
        Err(e) => {
            let Refused { errors, reply, .. } = Refused::from_error(e.into(), s.page.locale)?;
            render_list(&state, s, &id, form, errors, reply).await
        }
    }
}

#[derive(Template)]
#[template(path = "assignments/rubric.html")]
struct EditPage {
    page: Page,
    rubric: Rubric,
    form: RubricForm,
    errors: FormErrors,
}

async fn render_edit(
    state: &AppState,
    s: SignedIn,
    id: &str,
    form: Option<RubricForm>,
    errors: FormErrors,
    reply: Reply,
) -> AppResult<Response> {
    let rubric = rubrics::get(state, &s.viewer, id).await?;
    let form = form.unwrap_or_else(|| RubricForm { title: rubric.title.clone(), text: rubric.text() });
    reply.render(&EditPage { page: s.page, rubric, form, errors })
}

pub async fn show(State(state): State<AppState>, s: SignedIn, Path(id): Path<String>) -> AppResult<Response> {
    render_edit(&state, s, &id, None, FormErrors::none(), Reply::OK).await
}

pub async fn save(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<String>,
    PageForm(form): PageForm<RubricForm>,
) -> AppResult<Response> {
    match rubrics::update(&state, &s.viewer, &id, &form.title, &form.text).await {
        Ok(_) => Ok(redirect_with_flash(&rubric_url(&id), FlashKind::Success, "assignments.flash.rubric_saved")),
        Err(e) => {
            let Refused { errors, reply, .. } = Refused::from_error(e.into(), s.page.locale)?;
            render_edit(&state, s, &id, Some(form), errors, reply).await
        }
    }
}

pub async fn delete(State(state): State<AppState>, s: SignedIn, Path(id): Path<String>) -> AppResult<Response> {
    let rubric = rubrics::get(&state, &s.viewer, &id).await?;
    let done = rubrics::delete(&state, &s.viewer, &id).await;
    let to = if done.is_ok() { format!("/teach/courses/{}/rubrics", rubric.course_id) } else { rubric_url(&id) };
    back(&to, done, "assignments.flash.rubric_deleted")
}

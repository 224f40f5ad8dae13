//! A course's rubrics, marking guides and scales on the pages (staff): the
//! list with a form for a new one (`/teach/courses/{id}/{kind}`), and one's
//! editor (`/teach/{kind}/{id}`). Each is written as text; one page shape
//! serves the three kinds ([`Shown`] says what differs).

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
use crate::service::{
    definitions::{self as d, Definition},
    guides::Guide,
    rubrics::Rubric,
    scales::Scale,
};

/// What the pages of one kind of definition show differently.
pub trait Shown: Definition {
    /// Its pages: `/teach/courses/{id}/{PATH}` and `/teach/{PATH}/{id}`.
    const PATH: &'static str;
    /// The group of its strings (`heading`, `hint`, …).
    const KEYS: &'static str;
    /// The field its text's refusals name.
    const FIELD: &'static str;
    /// The text a new one starts from.
    const EXAMPLE: &'static str;
    const SAVED: &'static str;
    const DELETED: &'static str;
    /// Criteria (or levels) it has.
    fn count(&self) -> usize;
    /// The most points it gives, where it counts in points.
    fn points(&self) -> Option<f64>;
    /// Its table: a row per criterion (or level), two cells.
    fn rows(&self) -> Vec<(String, String)>;
}

impl Shown for Rubric {
    const PATH: &'static str = "rubrics";
    const KEYS: &'static str = "assignments.rubrics";
    const FIELD: &'static str = "criteria";
    const EXAMPLE: &'static str = "Criterion | Missing = 0 | Partial = 1 | Complete = 2";
    const SAVED: &'static str = "assignments.flash.rubric_saved";
    const DELETED: &'static str = "assignments.flash.rubric_deleted";
    fn count(&self) -> usize {
        self.criteria.len()
    }
    fn points(&self) -> Option<f64> {
        Some(self.max_points())
    }
    fn rows(&self) -> Vec<(String, String)> {
        let levels = |c: &crate::rubric::Criterion| {
            c.levels.iter().map(|l| format!("{} ({})", l.label, l.points)).collect::<Vec<_>>().join(" · ")
        };
        self.criteria.iter().map(|c| (c.name.clone(), levels(c))).collect()
    }
}

impl Shown for Guide {
    const PATH: &'static str = "marking-guides";
    const KEYS: &'static str = "assignments.guides";
    const FIELD: &'static str = "criteria";
    const EXAMPLE: &'static str = "Criterion | 10 | What the grader looks for";
    const SAVED: &'static str = "assignments.flash.guide_saved";
    const DELETED: &'static str = "assignments.flash.guide_deleted";
    fn count(&self) -> usize {
        self.criteria.len()
    }
    fn points(&self) -> Option<f64> {
        Some(self.max_points())
    }
    fn rows(&self) -> Vec<(String, String)> {
        let detail = |c: &crate::guide::Criterion| match c.description.is_empty() {
            true => c.max_points.to_string(),
            false => format!("{} · {}", c.max_points, c.description),
        };
        self.criteria.iter().map(|c| (c.name.clone(), detail(c))).collect()
    }
}

impl Shown for Scale {
    const PATH: &'static str = "scales";
    const KEYS: &'static str = "assignments.scales";
    const FIELD: &'static str = "levels";
    const EXAMPLE: &'static str = "Not yet, Competent, Excellent";
    const SAVED: &'static str = "assignments.flash.scale_saved";
    const DELETED: &'static str = "assignments.flash.scale_deleted";
    fn count(&self) -> usize {
        self.levels.len()
    }
    fn points(&self) -> Option<f64> {
        None
    }
    /// Each level with the share of the maximum it is worth.
    fn rows(&self) -> Vec<(String, String)> {
        let share = |i: usize| self.points(i, 100.0).map(|p| format!("{}\u{202f}%", p.round())).unwrap_or_default();
        self.levels.iter().enumerate().map(|(i, l)| (l.clone(), share(i))).collect()
    }
}

fn edit_url<D: Shown>(id: &str) -> String {
    format!("/teach/{}/{id}", D::PATH)
}

/// What a definition's form sends, kept to show it again when refused.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct DefinitionForm {
    title: String,
    text: String,
}

#[derive(Template)]
#[template(path = "assignments/definitions.html")]
struct ListPage<D: Shown> {
    page: Page,
    course: Course,
    items: Vec<D>,
    form: DefinitionForm,
    errors: FormErrors,
}

impl<D: Shown> ListPage<D> {
    fn t(&self, key: &str) -> String {
        self.page.t_in(D::KEYS, key)
    }
    fn path(&self) -> &'static str {
        D::PATH
    }
    fn field(&self) -> &'static str {
        D::FIELD
    }
}

async fn render_list<D: Shown>(
    state: &AppState,
    s: SignedIn,
    id: &CourseId,
    form: DefinitionForm,
    errors: FormErrors,
    reply: Reply,
) -> AppResult<Response> {
    let (course, items) = d::list::<D>(state, &s.viewer, id).await?;
    reply.render(&ListPage::<D> { page: s.page, course, items, form, errors })
}

pub async fn list<D: Shown>(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<CourseId>,
) -> AppResult<Response> {
    let form = DefinitionForm { title: String::new(), text: D::EXAMPLE.into() };
    render_list::<D>(&state, s, &id, form, FormErrors::none(), Reply::OK).await
}

pub async fn create<D: Shown>(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<CourseId>,
    PageForm(form): PageForm<DefinitionForm>,
) -> AppResult<Response> {
    match d::create::<D>(&state, &s.viewer, &id, &form.title, &form.text).await {
        Ok(made) => Ok(redirect_with_flash(&edit_url::<D>(made.id()), FlashKind::Success, D::SAVED)),
        Err(e) => {
            let Refused { errors, reply, .. } = Refused::from_error(e.into(), s.page.locale)?;
            render_list::<D>(&state, s, &id, form, errors, reply).await
        }
    }
}

#[derive(Template)]
#[template(path = "assignments/definition.html")]
struct EditPage<D: Shown> {
    page: Page,
    item: D,
    form: DefinitionForm,
    errors: FormErrors,
}

impl<D: Shown> EditPage<D> {
    fn t(&self, key: &str) -> String {
        self.page.t_in(D::KEYS, key)
    }
    fn path(&self) -> &'static str {
        D::PATH
    }
    fn field(&self) -> &'static str {
        D::FIELD
    }
}

async fn render_edit<D: Shown>(
    state: &AppState,
    s: SignedIn,
    id: &str,
    form: Option<DefinitionForm>,
    errors: FormErrors,
    reply: Reply,
) -> AppResult<Response> {
    let item = d::get::<D>(state, &s.viewer, id).await?;
    let form = form.unwrap_or_else(|| DefinitionForm { title: item.title().to_string(), text: item.text() });
    reply.render(&EditPage { page: s.page, item, form, errors })
}

pub async fn show<D: Shown>(State(state): State<AppState>, s: SignedIn, Path(id): Path<String>) -> AppResult<Response> {
    render_edit::<D>(&state, s, &id, None, FormErrors::none(), Reply::OK).await
}

pub async fn save<D: Shown>(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<String>,
    PageForm(form): PageForm<DefinitionForm>,
) -> AppResult<Response> {
    match d::update::<D>(&state, &s.viewer, &id, &form.title, &form.text).await {
        Ok(_) => Ok(redirect_with_flash(&edit_url::<D>(&id), FlashKind::Success, D::SAVED)),
        Err(e) => {
            let Refused { errors, reply, .. } = Refused::from_error(e.into(), s.page.locale)?;
            render_edit::<D>(&state, s, &id, Some(form), errors, reply).await
        }
    }
}

pub async fn delete<D: Shown>(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let item = d::get::<D>(&state, &s.viewer, &id).await?;
    let done = d::delete::<D>(&state, &s.viewer, &id).await;
    let to = match done {
        Ok(()) => format!("/teach/courses/{}/{}", item.course_id(), D::PATH),
        Err(_) => edit_url::<D>(&id),
    };
    back(&to, done, D::DELETED)
}

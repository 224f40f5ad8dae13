//! `/teach` (my courses, create) and `/teach/courses/{id}` (the editor).

use askama::Template;
use axum::{
    extract::{Multipart, Path, Query, State, multipart::MultipartRejection},
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};
use lyceum_platform::ids::{CourseId, UserId};
use lyceum_platform::{
    AppError, AppResult, AppState, FieldError, Text,
    auth::MaybeUser,
    http::extract::PageForm,
    keyset::PageRequest,
    money::{Currency, Money},
    web::{FlashKind, FormErrors, Page, Refused, Reply, guard::SignedIn, redirect_with_flash},
};
use serde::Deserialize;

use super::{DeleteForm, refused_upload};
use crate::{
    model::{Category, Course, CourseState, Level},
    service::{
        courses::{self, CourseInput, CourseView},
        instructors::{self, Who},
        media,
    },
};

#[derive(Template)]
#[template(path = "courses/teach.html")]
struct Teach {
    page: Page,
    courses: Vec<Course>,
    next_url: Option<String>,
    form: NewCourseForm,
    errors: FormErrors,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct NewCourseForm {
    title: String,
    slug: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CursorQuery {
    cursor: String,
}

pub async fn index(State(state): State<AppState>, s: SignedIn, Query(q): Query<CursorQuery>) -> AppResult<Response> {
    teach_page(&state, s, Some(&q.cursor), NewCourseForm::default(), FormErrors::none(), Reply::OK).await
}

async fn teach_page(
    state: &AppState,
    s: SignedIn,
    cursor: Option<&str>,
    form: NewCourseForm,
    errors: FormErrors,
    reply: Reply,
) -> AppResult<Response> {
    let found = courses::list(state, &s.viewer, &PageRequest::sized(50, cursor)).await?;
    let next_url = found.next_cursor.map(|c| format!("/teach?cursor={}", lyceum_platform::web::encode_query(&c)));
    reply.render(&Teach { page: s.page, courses: found.items, next_url, form, errors })
}

pub async fn create(
    State(state): State<AppState>,
    s: SignedIn,
    PageForm(form): PageForm<NewCourseForm>,
) -> AppResult<Response> {
    let input = CourseInput { title: Some(form.title.clone()), slug: Some(form.slug.clone()), ..Default::default() };
    match courses::create(&state, &s.viewer, input).await {
        Ok(view) => Ok(redirect_with_flash(&editor_url(&view.course.id), FlashKind::Success, "courses.flash.created")),
        Err(e) => {
            let Refused { errors, reply, .. } = Refused::from_error(e, s.page.locale)?;
            teach_page(&state, s, None, form, errors, reply).await
        }
    }
}

/// The editor's sections, each with its own error messages.
#[derive(Default)]
struct Sections {
    details: FormErrors,
    cover: FormErrors,
    state: FormErrors,
    instructors: FormErrors,
    outline: FormErrors,
}

#[derive(Template)]
#[template(path = "courses/editor.html")]
struct Editor<'a> {
    page: Page,
    view: &'a CourseView,
    form: CourseForm,
    errors: Sections,
    categories: Vec<Category>,
    levels: &'static [Level],
    currencies: &'static [Currency],
    cover_max_bytes: usize,
}

impl Editor<'_> {
    fn is_draft(&self) -> bool {
        self.view.course.state() == CourseState::Draft
    }
    fn is_published(&self) -> bool {
        self.view.course.state() == CourseState::Published
    }
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct CourseForm {
    title: String,
    slug: String,
    summary: String,
    description: String,
    category: String,
    level: String,
    language: String,
    tags: String,
    /// In major units of `currency`, as a person writes it (`19.99`, `19,99`).
    price: String,
    currency: String,
    seat_limit: String,
}

impl CourseForm {
    fn from_view(v: &CourseView) -> Self {
        let c = &v.course;
        Self {
            title: c.title.clone(),
            slug: c.slug.clone(),
            summary: c.summary.clone(),
            description: c.description_md.clone(),
            category: v.category.as_ref().map(|c| c.slug.clone()).unwrap_or_default(),
            level: c.level.clone(),
            language: c.language.clone(),
            tags: v.tags.join(", "),
            price: stored_price(c).map(|m| m.decimal()).unwrap_or_else(|| c.price_minor.to_string()),
            currency: c.currency.clone().unwrap_or_default(),
            seat_limit: c.seat_limit.map(|n| n.to_string()).unwrap_or_default(),
        }
    }

    /// Numbers that do not parse are reported on their field, with the rest.
    fn input(&self) -> Result<CourseInput, lyceum_platform::AppError> {
        let price_minor = self.price_minor();
        let seats = self.seat_limit.trim();
        let seat_limit = if seats.is_empty() { Ok(None) } else { seats.parse::<i64>().map(Some) };
        let mut bad = Vec::new();
        if let Err(e) = &price_minor {
            bad.push(e.clone());
        }
        if seat_limit.is_err() {
            bad.push(FieldError::new("seat_limit", Text::new("courses.errors.seat_limit_number")));
        }
        if !bad.is_empty() {
            return Err(AppError::validation(bad));
        }
        let some = |s: &str| Some(s.to_string());
        Ok(CourseInput {
            title: some(&self.title),
            slug: some(&self.slug),
            summary: some(&self.summary),
            description: some(&self.description),
            category: Some(some(&self.category).filter(|c| !c.is_empty())),
            level: some(&self.level),
            language: some(&self.language),
            tags: Some(self.tags.split(',').map(str::to_string).collect()),
            price_minor: price_minor.ok(),
            currency: Some(some(&self.currency).filter(|c| !c.trim().is_empty())),
            seat_limit: seat_limit.ok(),
        })
    }

    /// The typed price in minor units. How many decimals it may have depends
    /// on the currency, so without one only a free course (empty or `0`) is
    /// understood; anything else asks for the currency, as the service would.
    fn price_minor(&self) -> Result<i64, FieldError> {
        let raw = self.price.trim();
        if raw.is_empty() || raw == "0" {
            return Ok(0);
        }
        let currency = match self.currency.trim() {
            "" => return Err(FieldError::new("currency", Text::new("courses.errors.price_currency"))),
            code => Currency::parse(code).map_err(|e| FieldError::new("currency", e))?,
        };
        Money::parse_major(raw, currency).map(|m| m.minor).map_err(|e| FieldError::new("price", e))
    }
}

/// A stored paid price, for the editor's field.
fn stored_price(c: &Course) -> Option<Money> {
    let currency = Currency::parse(c.currency.as_deref()?).ok()?;
    Some(Money { minor: c.price_minor, currency })
}

pub(crate) fn editor_url(id: &str) -> String {
    format!("/teach/courses/{id}")
}

async fn editor_page(
    state: &AppState,
    s: SignedIn,
    id: &CourseId,
    form: Option<CourseForm>,
    errors: Sections,
    reply: Reply,
) -> AppResult<Response> {
    let view = courses::get(state, &s.viewer, id).await?;
    let form = form.unwrap_or_else(|| CourseForm::from_view(&view));
    let tpl = Editor {
        page: s.page,
        view: &view,
        form,
        errors,
        categories: courses::categories(state).await?,
        levels: Level::ALL,
        currencies: Currency::ALL,
        cover_max_bytes: state.settings.section::<crate::settings::CourseUploads>().cover_max_bytes,
    };
    reply.render(&tpl)
}

pub(crate) async fn editor_outline_error(
    state: &AppState,
    s: SignedIn,
    id: &CourseId,
    e: AppError,
) -> AppResult<Response> {
    let Refused { errors, reply, .. } = Refused::from_error(e, s.page.locale)?;
    editor_page(state, s, id, None, Sections { outline: errors, ..Default::default() }, reply).await
}

pub async fn editor(State(state): State<AppState>, s: SignedIn, Path(id): Path<CourseId>) -> AppResult<Response> {
    editor_page(&state, s, &id, None, Sections::default(), Reply::OK).await
}

pub async fn save(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<CourseId>,
    PageForm(form): PageForm<CourseForm>,
) -> AppResult<Response> {
    let result = match form.input() {
        Ok(input) => courses::update(&state, &s.viewer, &id, input).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(redirect_with_flash(&editor_url(id.as_str()), FlashKind::Success, "courses.flash.saved")),
        Err(e) => {
            let Refused { errors, reply, .. } = Refused::from_error(e, s.page.locale)?;
            editor_page(&state, s, &id, Some(form), Sections { details: errors, ..Default::default() }, reply).await
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StateForm {
    to: String,
}

pub async fn change_state(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<CourseId>,
    PageForm(form): PageForm<StateForm>,
) -> AppResult<Response> {
    let to = CourseState::parse(&form.to).ok_or_else(|| AppError::bad_request("Unknown course state."))?;
    match courses::transition(&state, &s.viewer, &id, to).await {
        Ok(_) => {
            // Say what happened, and what it means for learners.
            let said = match to {
                CourseState::Published => "courses.flash.published",
                CourseState::Archived => "courses.flash.archived",
                CourseState::Draft => "courses.flash.unpublished",
            };
            Ok(redirect_with_flash(&editor_url(id.as_str()), FlashKind::Success, said))
        }
        Err(e) => {
            let Refused { errors, reply, .. } = Refused::from_error(e, s.page.locale)?;
            editor_page(&state, s, &id, None, Sections { state: errors, ..Default::default() }, reply).await
        }
    }
}

/// Multipart form; its CSRF token is its first field (see `web::csrf`).
pub async fn upload_cover(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<CourseId>,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    let result = match crate::http::upload::read(multipart, "cover").await {
        Ok((data, _)) => media::set_cover(&state, &s.viewer, &id, data).await.map(|_| ()),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(redirect_with_flash(&editor_url(id.as_str()), FlashKind::Success, "courses.flash.cover_saved")),
        Err(e) => {
            let Refused { errors, reply, .. } = refused_upload(e, "cover", s.page.locale)?;
            editor_page(&state, s, &id, None, Sections { cover: errors, ..Default::default() }, reply).await
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct InstructorForm {
    email: String,
}

pub async fn add_instructor(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<CourseId>,
    PageForm(form): PageForm<InstructorForm>,
) -> AppResult<Response> {
    match instructors::add(&state, &s.viewer, &id, Who::Email(form.email)).await {
        Ok(_) => {
            Ok(redirect_with_flash(&editor_url(id.as_str()), FlashKind::Success, "courses.flash.instructor_added"))
        }
        Err(e) => {
            let Refused { errors, reply, .. } = Refused::from_error(e, s.page.locale)?;
            editor_page(&state, s, &id, None, Sections { instructors: errors, ..Default::default() }, reply).await
        }
    }
}

pub async fn remove_instructor(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, user_id)): Path<(CourseId, UserId)>,
) -> AppResult<Response> {
    match instructors::remove(&state, &s.viewer, &id, &user_id).await {
        Ok(()) => {
            Ok(redirect_with_flash(&editor_url(id.as_str()), FlashKind::Success, "courses.flash.instructor_removed"))
        }
        Err(e) => {
            let Refused { errors, reply, .. } = Refused::from_error(e, s.page.locale)?;
            editor_page(&state, s, &id, None, Sections { instructors: errors, ..Default::default() }, reply).await
        }
    }
}

#[derive(Template)]
#[template(path = "courses/confirm_delete.html")]
pub(crate) struct ConfirmDelete {
    pub page: Page,
    /// `courses.delete.course` / `.module` / `.lesson`.
    pub what_key: &'static str,
    pub name: String,
    pub enrolled: i64,
    pub action: String,
    pub back: String,
}

pub async fn confirm_delete(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<CourseId>,
) -> AppResult<Response> {
    let (course, enrolled) = courses::enrolled(&state, &s.viewer, &id).await?;
    Reply::OK.render(&ConfirmDelete {
        page: s.page,
        what_key: "courses.delete.course",
        name: course.title,
        enrolled,
        action: format!("/teach/courses/{id}/delete"),
        back: editor_url(id.as_str()),
    })
}

pub async fn delete(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<CourseId>,
    PageForm(form): PageForm<DeleteForm>,
) -> AppResult<Response> {
    courses::delete(&state, &s.viewer, &id, form.force == "true").await?;
    Ok(redirect_with_flash("/teach", FlashKind::Success, "courses.flash.deleted"))
}

/// Cover images: published courses' for anyone, drafts' for their editors.
/// URLs carry a version (`?v=`) that changes with the image.
pub async fn serve_cover(
    State(state): State<AppState>,
    MaybeUser(viewer): MaybeUser,
    Path(id): Path<CourseId>,
) -> AppResult<Response> {
    let bytes = media::cover(&state, viewer.as_ref(), &id).await?;
    let cache = if viewer.is_some() { "private, max-age=300" } else { "public, max-age=86400" };
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("image/jpeg")),
            (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
        ],
        bytes,
    )
        .into_response())
}

//! `/teach/courses/{id}/questions`: a course's bank for its staff — the
//! list with its category, kind and name filters, a question written in
//! GIFT, file import (with its report) and export links.

use askama::Template;
use axum::{
    extract::{Multipart, Path, Query, State, multipart::MultipartRejection},
    response::{IntoResponse, Redirect, Response},
};
use lyceum_courses::model::Course;
use lyceum_platform::{
    AppResult, AppState,
    http::extract::PageForm,
    ids::CourseId,
    keyset::PageRequest,
    web::{FlashKind, FormErrors, Page, Refused, Reply, encode_query, guard::SignedIn, redirect_with_flash},
};
use serde::Deserialize;

use crate::{
    http::{api::transfer::download, upload},
    model::{CategoryCount, CategoryId, Filter, Format, KINDS, QuestionRow},
    service::{self, categories, question_files, questions, questions::Draft, transfer, transfer::Started},
};

const PAGE_SIZE: i64 = 50;

/// An import's result as the page lists it.
pub struct ImportShown {
    pub imported: usize,
    pub problems: Vec<(usize, String)>,
}

#[derive(Template)]
#[template(path = "quizzes/bank.html")]
struct Bank {
    page: Page,
    course: Course,
    categories: Vec<CategoryCount>,
    items: Vec<(QuestionRow, i64)>,
    next_url: Option<String>,
    query: BankQuery,
    kinds: &'static [&'static str],
    gift: String,
    errors: FormErrors,
    import: Option<ImportShown>,
    import_errors: FormErrors,
    category_errors: FormErrors,
    /// The bank's images for question texts: (name, address, markdown).
    files: Vec<(String, String, String)>,
    file_max_kb: usize,
}

impl Bank {
    fn is_kind(&self, kind: &str) -> bool {
        self.query.kind.as_str().eq(kind)
    }

    fn category_name(&self, id: &str) -> &str {
        self.categories.iter().find(|c| c.id == id).map_or("", |c| c.name.as_str())
    }

    fn depth(&self, category: &CategoryCount) -> usize {
        category_depth(&self.categories, category)
    }
}

/// Indentation of a category in a list of the course's categories, by its depth.
pub(super) fn category_depth(categories: &[CategoryCount], category: &CategoryCount) -> usize {
    let mut depth = 0;
    let mut parent = category.parent_id.as_deref();
    while let Some(p) = parent.filter(|_| depth < categories.len()) {
        depth += 1;
        parent = categories.iter().find(|c| c.id == p).and_then(|c| c.parent_id.as_deref());
    }
    depth
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct BankQuery {
    pub category: String,
    pub kind: String,
    pub q: String,
    pub cursor: String,
}

impl BankQuery {
    fn filter(&self) -> Filter {
        let some = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        Filter {
            category_id: some(&self.category).map(|c| CategoryId::from(&c)),
            kind: some(&self.kind).filter(|k| KINDS.contains(&k.as_str())),
            search: some(&self.q),
        }
    }

    /// This list's address from `cursor` on.
    fn url(&self, course_id: &str, cursor: &str) -> String {
        format!(
            "{}?category={}&kind={}&q={}&cursor={}",
            bank_url(course_id),
            encode_query(&self.category),
            encode_query(&self.kind),
            encode_query(&self.q),
            encode_query(cursor)
        )
    }
}

pub(crate) fn bank_url(course_id: &str) -> String {
    format!("/teach/courses/{course_id}/questions")
}

pub async fn bank(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<CourseId>,
    Query(query): Query<BankQuery>,
) -> AppResult<Response> {
    render(&state, s, &id, query, Extra::default(), Reply::OK).await
}

/// What a form's answer adds to the list page.
#[derive(Default)]
struct Extra {
    gift: String,
    errors: FormErrors,
    import: Option<ImportShown>,
    import_errors: FormErrors,
    category_errors: FormErrors,
}

async fn render(
    state: &AppState,
    s: SignedIn,
    id: &CourseId,
    query: BankQuery,
    extra: Extra,
    reply: Reply,
) -> AppResult<Response> {
    let course = {
        let mut conn = state.db.pool().acquire().await?;
        service::bank_course(&mut conn, &s.viewer, id).await?
    };
    let categories = categories::list(state, &s.viewer, id).await?;
    let page = PageRequest::sized(PAGE_SIZE, Some(&query.cursor));
    let bank = questions::list(state, &s.viewer, id, &query.filter(), &page).await?;
    let next_url = bank.items.next_cursor.as_deref().map(|c| query.url(id.as_str(), c));
    let versions = &bank.versions;
    let items = bank.items.items.into_iter().map(|r| {
        let count = versions.get(&r.id).copied().unwrap_or(1);
        (r, count)
    });
    let files = question_files::list(state, &s.viewer, id).await?;
    let files = files.into_iter().map(|f| (question_files::url(&f.id), question_files::markdown(&f.id, ""), f.name));
    let files = files.map(|(url, markdown, name)| (name, url, markdown)).collect();
    let file_max_kb = state.settings.section::<crate::settings::QuizUploads>().question_file_max_bytes / 1024;
    let Extra { gift, errors, import, import_errors, category_errors } = extra;
    reply.render(&Bank {
        page: s.page,
        course,
        categories,
        items: items.collect(),
        next_url,
        query,
        kinds: &KINDS,
        gift,
        errors,
        import,
        import_errors,
        category_errors,
        files,
        file_max_kb,
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewForm {
    gift: String,
    category: String,
}

/// A question written in GIFT (the quick editor for teachers who know Moodle).
pub async fn create(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<CourseId>,
    PageForm(form): PageForm<NewForm>,
) -> AppResult<Response> {
    let category = Some(form.category.trim()).filter(|c| !c.is_empty()).map(CategoryId::from);
    match questions::create(&state, &s.viewer, &id, category.as_ref(), Draft::Gift(form.gift.clone())).await {
        Ok(q) => Ok(redirect_with_flash(&super::question_url(&q.row.id), FlashKind::Success, "quizzes.flash.created")),
        Err(e) => {
            let Refused { errors, reply, .. } = Refused::from_error(e.into(), s.page.locale)?;
            render(&state, s, &id, BankQuery::default(), Extra { gift: form.gift, errors, ..Extra::default() }, reply)
                .await
        }
    }
}

/// Imports an uploaded file and shows the report above the list.
pub async fn import(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<CourseId>,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    let outcome = match upload::read_import(multipart).await {
        Ok(file) => transfer::import(&state, &s.viewer, &id, file.format, &file.text).await,
        Err(e) => Err(e),
    };
    let extra = match outcome {
        Ok(Started::InTheBackground(row)) => {
            return Ok(Redirect::to(&super::imports::import_url(&row.id)).into_response());
        }
        Ok(Started::Done(o)) => Extra {
            import: Some(ImportShown {
                imported: o.imported,
                problems: o.problems.into_iter().map(|p| (p.line, p.message)).collect(),
            }),
            ..Extra::default()
        },
        Err(e) => {
            let Refused { errors, .. } = Refused::from_error(e, s.page.locale)?;
            Extra { import_errors: errors, ..Extra::default() }
        }
    };
    let reply =
        if extra.import_errors.any() { Reply::status(http::StatusCode::UNPROCESSABLE_ENTITY) } else { Reply::OK };
    render(&state, s, &id, BankQuery::default(), extra, reply).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ExportQuery {
    format: String,
    category: String,
}

/// The bank (or one category) as a file to download.
pub async fn export(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<CourseId>,
    Query(q): Query<ExportQuery>,
) -> AppResult<Response> {
    let format = Format::parse(&q.format).unwrap_or_default();
    let category = Some(q.category.trim()).filter(|c| !c.is_empty()).map(CategoryId::from);
    let export = transfer::export(&state, &s.viewer, &id, format, category.as_ref()).await?;
    Ok(download(format, export))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CategoryForm {
    name: String,
}

/// A new top-level category, from the sidebar's form.
pub async fn add_category(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<CourseId>,
    PageForm(form): PageForm<CategoryForm>,
) -> AppResult<Response> {
    match categories::create(&state, &s.viewer, &id, &form.name, None).await {
        Ok(_) => Ok(redirect_with_flash(&bank_url(id.as_str()), FlashKind::Success, "quizzes.flash.category_added")),
        Err(e) => {
            let Refused { errors, reply, .. } = Refused::from_error(e, s.page.locale)?;
            render(&state, s, &id, BankQuery::default(), Extra { category_errors: errors, ..Extra::default() }, reply)
                .await
        }
    }
}

/// Deletes an empty category; one that still holds something says what, above the list.
pub async fn delete_category(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, category_id)): Path<(CourseId, String)>,
) -> AppResult<Response> {
    match categories::delete(&state, &s.viewer, &id, &CategoryId::from(&category_id)).await {
        Ok(()) => Ok(redirect_with_flash(&bank_url(id.as_str()), FlashKind::Success, "quizzes.flash.category_deleted")),
        Err(e) => {
            let Refused { errors, reply, .. } = Refused::from_error(e.into(), s.page.locale)?;
            render(&state, s, &id, BankQuery::default(), Extra { category_errors: errors, ..Extra::default() }, reply)
                .await
        }
    }
}

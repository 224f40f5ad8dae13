//! `/courses` (catalog: search box, filters, sort, results), `/categories/{slug}`
//! (the same, within one category) and `/courses/{slug}` (the course page).
//! Plain GET forms: everything works without JavaScript.

use askama::Template;
use axum::{
    extract::{Path, State},
    response::Response,
};
use lyceum_courses::model::Level;
use lyceum_platform::{
    AppResult, AppState,
    http::extract::ApiQuery,
    money::Currency,
    web::{FormErrors, Page, Refused, Reply, encode_query, page_cache::PageRequest},
};

use crate::{
    model::{CatalogParams, CategoryCount, CourseCard, CourseDetail, Sort},
    service::{
        self, CATALOG_CACHE,
        course::{self, CoursePage},
        search,
    },
};

/// The submitted filter values, echoed back into the form.
#[derive(Default)]
struct Echo {
    q: String,
    category: String,
    level: String,
    language: String,
    price: String,
    min_price: String,
    max_price: String,
    currency: String,
    tag: String,
    sort: String,
}

impl Echo {
    fn of(p: &CatalogParams) -> Self {
        let v = |o: &Option<String>| o.as_deref().unwrap_or_default().trim().to_string();
        Self {
            q: v(&p.q),
            category: v(&p.category),
            level: v(&p.level),
            language: v(&p.language),
            price: v(&p.price),
            min_price: v(&p.min_price),
            max_price: v(&p.max_price),
            currency: v(&p.currency),
            tag: v(&p.tag),
            sort: v(&p.sort),
        }
    }

    /// The query string of these filters (non-empty ones), for the next-page link.
    fn query(&self, category_fixed: bool) -> url::form_urlencoded::Serializer<'static, String> {
        let mut out = url::form_urlencoded::Serializer::new(String::new());
        let pairs = [
            ("q", &self.q),
            ("category", if category_fixed { &String::new() } else { &self.category }),
            ("level", &self.level),
            ("language", &self.language),
            ("price", &self.price),
            ("min_price", &self.min_price),
            ("max_price", &self.max_price),
            ("currency", &self.currency),
            ("tag", &self.tag),
            ("sort", &self.sort),
        ];
        for (name, value) in pairs {
            if !value.is_empty() {
                out.append_pair(name, value);
            }
        }
        out
    }
}

#[derive(Template)]
#[template(path = "catalog/catalog.html")]
struct CatalogView {
    page: Page,
    /// The category of a category page.
    category: Option<CategoryCount>,
    form: Echo,
    errors: FormErrors,
    categories: Vec<CategoryCount>,
    levels: &'static [Level],
    currencies: &'static [Currency],
    sorts: [Sort; 5],
    results: Vec<CourseCard>,
    next_url: Option<String>,
}

impl CatalogView {
    fn action(&self) -> String {
        match &self.category {
            Some(c) => format!("/categories/{}", c.slug),
            None => "/courses".into(),
        }
    }
}

pub async fn catalog(
    State(state): State<AppState>,
    page: Page,
    cached: PageRequest,
    ApiQuery(params): ApiQuery<CatalogParams>,
) -> AppResult<Response> {
    cached.serve(&state, CATALOG_CACHE, || catalog_page(&state, page, params, None)).await
}

pub async fn category(
    State(state): State<AppState>,
    page: Page,
    cached: PageRequest,
    Path(slug): Path<String>,
    ApiQuery(mut params): ApiQuery<CatalogParams>,
) -> AppResult<Response> {
    cached
        .serve(&state, CATALOG_CACHE, || async {
            let category = service::category(&state, &slug).await?;
            params.category = Some(category.slug.clone());
            catalog_page(&state, page, params, Some(category)).await
        })
        .await
}

async fn catalog_page(
    state: &AppState,
    page: Page,
    params: CatalogParams,
    category: Option<CategoryCount>,
) -> AppResult<Response> {
    let categories = service::categories(state).await?;
    let (found, errors, reply) = match search::search_in(state, &params, &categories).await {
        Ok(found) => (found, FormErrors::none(), Reply::OK),
        Err(e) => {
            let refused = Refused::from_error(e)?;
            (Default::default(), refused.errors, refused.reply)
        }
    };
    let form = Echo::of(&params);
    let mut view = CatalogView {
        page,
        category,
        form,
        errors,
        categories,
        levels: Level::ALL,
        currencies: Currency::ALL,
        sorts: Sort::ALL,
        results: found.items,
        next_url: None,
    };
    view.next_url = found.next_cursor.map(|cursor| {
        let mut query = view.form.query(view.category.is_some());
        format!("{}?{}", view.action(), query.append_pair("cursor", &cursor).finish())
    });
    reply.render(&view)
}

#[derive(Template)]
#[template(path = "catalog/course.html")]
struct CourseView {
    page: Page,
    course: CourseDetail,
    enrolled: bool,
    staff: bool,
    login_url: String,
}

pub async fn course(
    State(state): State<AppState>,
    page: Page,
    cached: PageRequest,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    cached
        .serve(&state, CATALOG_CACHE, || async {
            let CoursePage { detail, enrolled, staff } = course::page(&state, page.viewer.as_ref(), &slug).await?;
            let login_url = format!("/login?next={}", encode_query(&format!("/courses/{}", detail.slug)));
            Reply::OK.render(&CourseView { page, course: detail, enrolled, staff, login_url })
        })
        .await
}

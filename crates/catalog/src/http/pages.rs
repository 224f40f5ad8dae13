//! `/courses` (catalog: search box, filters, sort, results), `/categories/{slug}`
//! (the same, within one category) and `/courses/{slug}` (the course page).
//! Plain GET forms: everything works without JavaScript.

use askama::Template;
use axum::{
    extract::{Path, State},
    response::Response,
};
use lyceum_courses::model::{Level, language_name};
use lyceum_platform::{
    AppError, AppResult, AppState, FieldError,
    http::extract::ApiQuery,
    money::{Currency, Money},
    web::{FormErrors, Page, Refused, Reply, encode_query, page_cache::PageRequest},
};
use serde::Deserialize;

use crate::{
    model::{CatalogParams, CategoryCount, CourseCard, CourseDetail, Facets, Sort, given},
    service::{
        self, CATALOG_CACHE,
        course::{self, CoursePage},
        search,
    },
    settings::CatalogSettings,
};

/// The page's query: the API's parameters, except that a price range is
/// typed in the currency's units (`min=19.99`), not in cents.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PageParams {
    #[serde(flatten)]
    api: CatalogParams,
    /// Lowest price, in major units of the chosen (or the site's) currency.
    min: Option<String>,
    /// Highest price, likewise.
    max: Option<String>,
}

/// The submitted filter values, echoed back into the form and the page links.
#[derive(Default, Clone)]
struct Echo {
    q: String,
    category: String,
    level: String,
    language: String,
    price: String,
    min: String,
    max: String,
    currency: String,
    tag: String,
    instructor: String,
    sort: String,
    limit: String,
}

impl Echo {
    fn of(p: &PageParams) -> Self {
        let v = |o: &Option<String>| o.as_deref().unwrap_or_default().trim().to_string();
        let api = &p.api;
        Self {
            q: v(&api.q),
            category: v(&api.category),
            level: v(&api.level),
            language: v(&api.language),
            price: v(&api.price),
            min: v(&p.min),
            max: v(&p.max),
            currency: v(&api.currency),
            tag: v(&api.tag),
            instructor: v(&api.instructor),
            sort: v(&api.sort),
            limit: v(&api.limit),
        }
    }

    /// The query string of these filters (non-empty ones), for the page links.
    fn query(&self, category_fixed: bool) -> url::form_urlencoded::Serializer<'static, String> {
        let mut out = url::form_urlencoded::Serializer::new(String::new());
        let pairs = [
            ("q", &self.q),
            ("category", if category_fixed { &String::new() } else { &self.category }),
            ("level", &self.level),
            ("language", &self.language),
            ("price", &self.price),
            ("min", &self.min),
            ("max", &self.max),
            ("currency", &self.currency),
            ("tag", &self.tag),
            ("instructor", &self.instructor),
            ("sort", &self.sort),
            ("limit", &self.limit),
        ];
        for (name, value) in pairs {
            if !value.is_empty() {
                out.append_pair(name, value);
            }
        }
        out
    }

    /// How many filters (beyond the search words) are set: the summary of the folded filter box says so.
    fn active_filters(&self, category_fixed: bool) -> usize {
        let category = if category_fixed { "" } else { self.category.as_str() };
        [category, &self.level, &self.language, &self.price, &self.min, &self.max, &self.tag]
            .iter()
            .filter(|v| !v.is_empty())
            .count()
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
    facets: Facets,
    /// The currency of a price range when none is chosen.
    site_currency: Currency,
    sorts: [Sort; 5],
    results: Vec<CourseCard>,
    total: i64,
    /// The name of the person the list is limited to (`?instructor=`).
    instructor_name: Option<String>,
    /// Set on every page after the first.
    first_url: Option<String>,
    next_url: Option<String>,
}

impl CatalogView {
    fn action(&self) -> String {
        match &self.category {
            Some(c) => format!("/categories/{}", c.slug),
            None => "/courses".into(),
        }
    }

    /// This list's address with its filters, at `cursor` (the first page without).
    fn url(&self, cursor: Option<&str>) -> String {
        self.url_of(&self.form, cursor)
    }

    /// The list's address with `form`'s filters, at `cursor`.
    fn url_of(&self, form: &Echo, cursor: Option<&str>) -> String {
        let mut query = form.query(self.category.is_some());
        if let Some(cursor) = cursor {
            query.append_pair("cursor", cursor);
        }
        let query = query.finish();
        if query.is_empty() { self.action() } else { format!("{}?{query}", self.action()) }
    }

    fn language(&self, tag: &str) -> String {
        language_name(tag)
    }

    /// This list without its instructor limit (first page).
    fn without_instructor(&self) -> String {
        self.url_of(&Echo { instructor: String::new(), ..self.form.clone() }, None)
    }

    fn filters_open(&self) -> bool {
        self.form.active_filters(self.category.is_some()) > 0 || !self.errors.fields.is_empty()
    }

    fn active_filters(&self) -> usize {
        self.form.active_filters(self.category.is_some())
    }

    /// The currency a typed price range is in: the chosen one, else the site's.
    fn range_currency(&self) -> String {
        Currency::parse(&self.form.currency).unwrap_or(self.site_currency).to_string()
    }
}

pub async fn catalog(
    State(state): State<AppState>,
    page: Page,
    cached: PageRequest,
    ApiQuery(params): ApiQuery<PageParams>,
) -> AppResult<Response> {
    cached.serve(&state, CATALOG_CACHE, || catalog_page(&state, page, params, None)).await
}

pub async fn category(
    State(state): State<AppState>,
    page: Page,
    cached: PageRequest,
    Path(slug): Path<String>,
    ApiQuery(mut params): ApiQuery<PageParams>,
) -> AppResult<Response> {
    cached
        .serve(&state, CATALOG_CACHE, || async {
            let category = service::category(&state, &slug).await?;
            params.api.category = Some(category.slug.clone());
            catalog_page(&state, page, params, Some(category)).await
        })
        .await
}

/// The API's parameters for the page's: the typed price range in minor units
/// of its currency, and "relevance" dropped when there is nothing to rank (the
/// menu offers it always; without words it means the default order).
fn api_params(params: &PageParams, site_currency: Currency) -> Result<CatalogParams, Vec<FieldError>> {
    let mut api = params.api.clone();
    if given(&api.q).is_none() && given(&api.sort) == Some("relevance") {
        api.sort = None;
    }
    let (min, max) = (given(&params.min).map(str::to_string), given(&params.max).map(str::to_string));
    if min.is_none() && max.is_none() {
        return Ok(api);
    }
    let currency = match given(&api.currency) {
        None => site_currency,
        Some(code) => Currency::parse(code).map_err(|e| vec![FieldError::new("currency", e)])?,
    };
    api.currency = Some(currency.as_str().to_string());
    let mut errors = Vec::new();
    let mut minor = |field: &str, raw: Option<String>| {
        raw.and_then(|raw| match Money::parse_major(&raw, currency) {
            Ok(m) => Some(m.minor.to_string()),
            Err(e) => {
                errors.push(FieldError::new(field, e));
                None
            }
        })
    };
    api.min_price = minor("min", min);
    api.max_price = minor("max", max);
    if errors.is_empty() { Ok(api) } else { Err(errors) }
}

async fn catalog_page(
    state: &AppState,
    page: Page,
    params: PageParams,
    category: Option<CategoryCount>,
) -> AppResult<Response> {
    let categories = service::categories(state).await?;
    let facets = service::facets(state).await?;
    let site_currency = state.settings.section::<CatalogSettings>().currency;
    let found = match api_params(&params, site_currency) {
        Ok(api) => search::search_in(state, &api, &categories).await,
        Err(fields) => Err(AppError::validation(fields)),
    };
    // A name is public once its person teaches a published course (the course
    // page shows it); for anyone else the list is empty and no name is shown.
    let teaches = found.as_ref().is_ok_and(|f| f.total > 0);
    let instructor_name = match teaches.then(|| given(&params.api.instructor)).flatten() {
        Some(id) => service::instructor_name(state, id).await?,
        None => None,
    };
    let (found, errors, reply) = match found {
        Ok(found) => (found, FormErrors::none(), Reply::OK),
        Err(e) => {
            let mut refused = Refused::from_error(e, page.locale)?;
            // The range's own check ("highest not below lowest") names the API's field.
            for f in &mut refused.errors.fields {
                f.field = match f.field.as_str() {
                    "min_price" => "min".into(),
                    "max_price" => "max".into(),
                    other => other.to_string(),
                };
            }
            (Default::default(), refused.errors, refused.reply)
        }
    };
    let mut view = CatalogView {
        page,
        category,
        form: Echo::of(&params),
        errors,
        categories,
        levels: Level::ALL,
        facets,
        site_currency,
        sorts: Sort::ALL,
        results: found.items,
        total: found.total,
        instructor_name,
        first_url: None,
        next_url: None,
    };
    view.next_url = found.next_cursor.as_deref().map(|cursor| view.url(Some(cursor)));
    view.first_url = params.api.cursor.as_deref().filter(|c| !c.trim().is_empty()).map(|_| view.url(None));
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

impl CourseView {
    fn language(&self, tag: &str) -> String {
        language_name(tag)
    }
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

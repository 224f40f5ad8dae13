//! `/api/v1/catalog/courses`, `/api/v1/catalog/courses/{slug}`, `/api/v1/catalog/categories`.
//! Public: anonymous callers are served; an invalid bearer token is still 401.

use axum::{
    Json,
    extract::{Path, State},
    response::{IntoResponse, Response},
};
use lyceum_platform::{
    AppResult, AppState,
    auth::MaybeUser,
    http::{errors::Problem, extract::ApiQuery},
    web::page_cache::PageRequest,
};

use crate::{
    model::{CatalogPage, CatalogParams, CategoryList, CourseDetail},
    service::{self, CATALOG_CACHE, course, search},
};

/// Search and browse published courses: filters, full-text search, sorts, cursor pages.
#[utoipa::path(get, operation_id = "search_catalog_courses", path = "/api/v1/catalog/courses", tag = "catalog", params(CatalogParams),
    responses((status = 200, body = CatalogPage), (status = 422, body = Problem)))]
pub async fn list_courses(
    State(state): State<AppState>,
    MaybeUser(_viewer): MaybeUser,
    cached: PageRequest,
    ApiQuery(params): ApiQuery<CatalogParams>,
) -> AppResult<Response> {
    let found = || async { Ok(Json::<CatalogPage>(search::search(&state, &params).await?).into_response()) };
    cached.serve(&state, CATALOG_CACHE, found).await
}

/// A published course with its syllabus, instructors, price and enrollment count
/// (its staff also get it while it is a draft or archived).
#[utoipa::path(get, operation_id = "get_catalog_course", path = "/api/v1/catalog/courses/{slug}", tag = "catalog", params(("slug" = String, Path)),
    responses((status = 200, body = CourseDetail), (status = 404, body = Problem)))]
pub async fn get_course(
    State(state): State<AppState>,
    MaybeUser(viewer): MaybeUser,
    cached: PageRequest,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let detail =
        || async { Ok(Json::<CourseDetail>(course::detail(&state, viewer.as_ref(), &slug).await?).into_response()) };
    cached.serve(&state, CATALOG_CACHE, detail).await
}

/// Categories with their number of published courses.
#[utoipa::path(get, operation_id = "list_catalog_categories", path = "/api/v1/catalog/categories", tag = "catalog",
    responses((status = 200, body = CategoryList)))]
pub async fn list_categories(
    State(state): State<AppState>,
    MaybeUser(_viewer): MaybeUser,
) -> AppResult<Json<CategoryList>> {
    Ok(Json(CategoryList { items: service::categories(&state).await? }))
}

//! `/api/v1/courses/{id}/gradebook…`, `/api/v1/courses/{id}/grades/me`,
//! `/api/v1/courses/{id}/grade-items`, `/api/v1/grade-items/{id}…`.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use lyceum_platform::{
    AppResult, AppState,
    auth::CurrentUser,
    http::{
        errors::Problem,
        extract::{ApiJson, ApiQuery},
    },
    ids::{CourseId, UserId},
    keyset::PageParams,
};

use super::dto::*;
use crate::service::{self, CategoryInput, GridSort, ItemChange};

/// `?limit=&cursor=&sort=&dir=` of the grid.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GridParams {
    /// Page size, 1–100 (default 25); outside that range is a 422.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page (of the same sort).
    pub cursor: Option<String>,
    /// `name`, `total` or `item:<item id>`; none: newest enrollment first.
    pub sort: Option<String>,
    /// `asc` (default) or `desc`; learners without a grade come last either way.
    pub dir: Option<String>,
}

/// A page of the grid (staff): the course's active learners × its grade
/// items, newest enrollment first or sorted by name, total or one item.
#[utoipa::path(get, path = "/api/v1/courses/{id}/gradebook", security(("bearer" = []), ("session" = [])),
    tag = "gradebook", params(("id" = String, Path), GridParams),
    responses((status = 200, body = GridDto), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)))]
pub async fn get_gradebook(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<CourseId>,
    ApiQuery(p): ApiQuery<GridParams>,
) -> AppResult<Json<GridDto>> {
    let page = PageParams { limit: p.limit, cursor: p.cursor.clone() }.request()?;
    let sort = GridSort::parse(p.sort.as_deref().unwrap_or(""), p.dir.as_deref().unwrap_or(""))?;
    let grid = match sort {
        None => service::grid(&state, &v, &id, &page).await?,
        Some(sort) => service::sorted_grid(&state, &v, &id, &sort, (page.limit(), page.cursor())).await?,
    };
    Ok(Json(GridDto::from(&grid)))
}

/// The whole gradebook as CSV (staff): UTF-8 with a byte-order mark.
#[utoipa::path(get, path = "/api/v1/courses/{id}/gradebook.csv", security(("bearer" = []), ("session" = [])),
    tag = "gradebook", params(("id" = String, Path)),
    responses((status = 200, content_type = "text/csv", body = String), (status = 401, body = Problem),
        (status = 404, body = Problem)))]
pub async fn gradebook_csv(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<CourseId>,
) -> AppResult<Response> {
    super::csv_response(&state, &v, &id).await
}

/// The caller's own grades in a course they are enrolled in (visible items).
#[utoipa::path(get, path = "/api/v1/courses/{id}/grades/me", security(("bearer" = []), ("session" = [])),
    tag = "gradebook", params(("id" = String, Path)),
    responses((status = 200, body = MyGradesDto), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn my_grades(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<CourseId>,
) -> AppResult<Json<MyGradesDto>> {
    Ok(Json(MyGradesDto::from(&service::mine(&state, &v, &id).await?)))
}

/// Adds a manual item ("participation") (staff).
#[utoipa::path(post, path = "/api/v1/courses/{id}/grade-items", security(("bearer" = []), ("session" = [])),
    tag = "gradebook", params(("id" = String, Path)), request_body = NewItemBody,
    responses((status = 201, body = ItemDto), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)))]
pub async fn add_grade_item(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<CourseId>,
    ApiJson(body): ApiJson<NewItemBody>,
) -> AppResult<(StatusCode, Json<ItemDto>)> {
    let item = service::add_item(&state, &v, &id, &body.title, body.max_points).await?;
    Ok((StatusCode::CREATED, Json(ItemDto::from(&item))))
}

/// Changes an item: a manual item's title and maximum, any item's visibility
/// (`409 activity-item` for a quiz's or assignment's title or maximum).
#[utoipa::path(patch, path = "/api/v1/grade-items/{id}", security(("bearer" = []), ("session" = [])),
    tag = "gradebook", params(("id" = String, Path)), request_body = ItemPatch,
    responses((status = 200, body = ItemDto), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update_grade_item(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ItemPatch>,
) -> AppResult<Json<ItemDto>> {
    let change = ItemChange {
        title: body.title,
        max_points: body.max_points,
        hidden: body.hidden,
        category_id: body.category_id.map(|c| Some(c).filter(|c| !c.is_empty())),
        extra_credit: body.extra_credit,
    };
    Ok(Json(ItemDto::from(&service::update_item(&state, &v, &id, change).await?)))
}

/// Deletes a manual item and its grades (`409 activity-item` for a quiz's or assignment's).
#[utoipa::path(delete, path = "/api/v1/grade-items/{id}", security(("bearer" = []), ("session" = [])),
    tag = "gradebook", params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn delete_grade_item(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<String>,
) -> AppResult<StatusCode> {
    service::delete_item(&state, &v, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Sets an enrolled learner's grade in a manual item, or overrides their
/// grade in a quiz's or assignment's with a note; `null` clears it.
#[utoipa::path(put, path = "/api/v1/grade-items/{id}/grades/{user_id}", security(("bearer" = []), ("session" = [])),
    tag = "gradebook", params(("id" = String, Path), ("user_id" = String, Path)), request_body = GradeBody,
    responses((status = 200, body = GradeDto), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)))]
pub async fn set_grade(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path((id, user_id)): Path<(String, String)>,
    ApiJson(body): ApiJson<GradeBody>,
) -> AppResult<Response> {
    let entry = service::set_grade(&state, &v, &id, &UserId::from(user_id.as_str()), body.points, &body.note).await?;
    let item = service::item_for_staff(&state, &v, &id).await?;
    Ok(Json(GradeDto::staff(&item, Some(&entry))).into_response())
}

/// A course's grade categories (staff).
#[utoipa::path(get, path = "/api/v1/courses/{id}/grade-categories", security(("bearer" = []), ("session" = [])),
    tag = "gradebook", params(("id" = String, Path)),
    responses((status = 200, body = CategoryList), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn list_grade_categories(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<CourseId>,
) -> AppResult<Json<CategoryList>> {
    let items = service::categories(&state, &v, &id).await?;
    Ok(Json(CategoryList { items: items.iter().map(CategoryDto::from).collect() }))
}

fn input(body: CategoryBody) -> CategoryInput {
    CategoryInput { name: body.name, weight: body.weight, drop_lowest: body.drop_lowest }
}

/// Adds a category worth `weight` percent of the course total (staff).
#[utoipa::path(post, path = "/api/v1/courses/{id}/grade-categories", security(("bearer" = []), ("session" = [])),
    tag = "gradebook", params(("id" = String, Path)), request_body = CategoryBody,
    responses((status = 201, body = CategoryDto), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)))]
pub async fn add_grade_category(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<CourseId>,
    ApiJson(body): ApiJson<CategoryBody>,
) -> AppResult<(StatusCode, Json<CategoryDto>)> {
    let category = service::add_category(&state, &v, &id, &input(body)).await?;
    Ok((StatusCode::CREATED, Json(CategoryDto::from(&category))))
}

#[utoipa::path(put, path = "/api/v1/grade-categories/{id}", security(("bearer" = []), ("session" = [])),
    tag = "gradebook", params(("id" = String, Path)), request_body = CategoryBody,
    responses((status = 200, body = CategoryDto), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)))]
pub async fn update_grade_category(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<CategoryBody>,
) -> AppResult<Json<CategoryDto>> {
    Ok(Json(CategoryDto::from(&service::update_category(&state, &v, &id, &input(body)).await?)))
}

/// Deletes a category; its items go back outside every category.
#[utoipa::path(delete, path = "/api/v1/grade-categories/{id}", security(("bearer" = []), ("session" = [])),
    tag = "gradebook", params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn delete_grade_category(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<String>,
) -> AppResult<StatusCode> {
    service::delete_category(&state, &v, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A course's gradebook settings (staff): letter scale, pass mark, aggregation, certificate rule.
#[utoipa::path(get, path = "/api/v1/courses/{id}/gradebook/settings", security(("bearer" = []), ("session" = [])),
    tag = "gradebook", params(("id" = String, Path)),
    responses((status = 200, body = SettingsDto), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn get_settings(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<CourseId>,
) -> AppResult<Json<SettingsDto>> {
    let (_, settings) = service::settings(&state, &v, &id).await?;
    Ok(Json(SettingsDto::from(&settings)))
}

/// Replaces a course's gradebook settings (staff); a bad letter scale is 422
/// on the row (`letters[i]`), a pass mark outside 0 – 100 on `pass_percent`.
#[utoipa::path(put, path = "/api/v1/courses/{id}/gradebook/settings", security(("bearer" = []), ("session" = [])),
    tag = "gradebook", params(("id" = String, Path)), request_body = SettingsDto,
    responses((status = 200, body = SettingsDto), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)))]
pub async fn put_settings(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<CourseId>,
    ApiJson(body): ApiJson<SettingsDto>,
) -> AppResult<Json<SettingsDto>> {
    let saved = service::save_settings(&state, &v, &id, body.into()).await?;
    Ok(Json(SettingsDto::from(&saved)))
}

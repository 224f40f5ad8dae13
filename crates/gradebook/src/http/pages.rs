//! The gradebook's pages: the staff's grid (`/teach/courses/{id}/gradebook`),
//! one item with a grade or override form per learner
//! (`/teach/grade-items/{id}`), and a learner's own grades
//! (`/learn/{slug}/grades`).

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    response::Response,
};
use lyceum_platform::{
    AppError, AppResult, AppState,
    http::extract::PageForm,
    ids::{CourseId, UserId},
    keyset::PageRequest,
    web::{FlashKind, Page, Reply, guard::SignedIn, redirect_with_flash},
};
use serde::Deserialize;

use crate::{
    GradebookError,
    model::{Category, Entry, Item},
    service::{self, CategoryInput, Grid, GridSort, ItemChange, MyGrades, Row},
};

/// Learners per page of the grid.
const PAGE: i64 = 50;

fn grid_url(course_id: &str) -> String {
    format!("/teach/courses/{course_id}/gradebook")
}

fn item_url(id: &str) -> String {
    format!("/teach/grade-items/{id}")
}

fn points(value: Option<f64>) -> String {
    value.map(|v| format!("{v}")).unwrap_or_else(|| "–".to_string())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Cursor {
    cursor: String,
}

/// The grid's `?cursor=&sort=&dir=`.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct GridQuery {
    cursor: String,
    sort: String,
    dir: String,
}

#[derive(Template)]
#[template(path = "gradebook/grid.html")]
struct GridPage {
    page: Page,
    grid: Grid,
    sort: Option<GridSort>,
}

impl GridPage {
    fn is_sorted_by(&self, key: &str) -> Option<bool> {
        self.sort.as_ref().filter(|s| s.param() == key).map(|s| s.descending)
    }
    /// The header's link: this key ascending, or descending when it is sorted ascending now.
    fn sort_link(&self, key: &str) -> String {
        let dir = if self.is_sorted_by(key) == Some(false) { "desc" } else { "asc" };
        format!("?sort={key}&dir={dir}")
    }
    fn aria_sort(&self, key: &str) -> &'static str {
        match self.is_sorted_by(key) {
            Some(true) => "descending",
            Some(false) => "ascending",
            None => "none",
        }
    }
    fn arrow(&self, key: &str) -> &'static str {
        match self.is_sorted_by(key) {
            Some(true) => "▼",
            Some(false) => "▲",
            None => "↕",
        }
    }
    fn item_key(&self, item: &Item) -> String {
        format!("item:{}", item.id)
    }
    fn next_link(&self, cursor: &str) -> String {
        match &self.sort {
            Some(s) => format!("?cursor={cursor}&sort={}&dir={}", s.param(), s.dir()),
            None => format!("?cursor={cursor}"),
        }
    }
    fn item_href(&self, column: &usize) -> String {
        self.grid.items.get(*column).map(|i| item_url(&i.id)).unwrap_or_default()
    }
    fn category_of(&self, item: &Item) -> String {
        let id = item.category_id.as_deref();
        self.grid.categories.iter().find(|c| Some(c.id.as_str()) == id).map(|c| c.name.clone()).unwrap_or_default()
    }
    fn cell(&self, entry: &Option<Entry>) -> String {
        points(entry.as_ref().and_then(Entry::effective))
    }
    fn total(&self, row: &Row) -> String {
        row.total.map(|t| format!("{t} %")).unwrap_or_else(|| "–".to_string())
    }
}

pub async fn grid(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<CourseId>,
    Query(q): Query<GridQuery>,
) -> AppResult<Response> {
    let sort = GridSort::parse(&q.sort, &q.dir)?;
    let grid = match &sort {
        None => service::grid(&state, &s.viewer, &id, &PageRequest::sized(PAGE, Some(&q.cursor))).await?,
        Some(sort) => service::sorted_grid(&state, &s.viewer, &id, sort, (PAGE, Some(&q.cursor))).await?,
    };
    Reply::OK.render(&GridPage { page: s.page, grid, sort })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewItemForm {
    title: String,
    max_points: String,
}

fn decimal(raw: &str) -> Option<f64> {
    raw.trim().replace(',', ".").parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Back to `to` with the refusal's sentence, or the error page.
fn refused(to: &str, e: GradebookError) -> AppResult<Response> {
    let key = match e {
        GradebookError::Title => "gradebook.errors.title",
        GradebookError::MaxPoints => "gradebook.errors.max_points",
        GradebookError::Points { .. } => "gradebook.errors.points_flash",
        GradebookError::NotALearner => "gradebook.errors.not_a_learner",
        GradebookError::ActivityItem => "gradebook.errors.activity_item",
        GradebookError::Weight => "gradebook.errors.weight",
        GradebookError::DropLowest => "gradebook.errors.drop_lowest",
        GradebookError::UnknownCategory => "gradebook.errors.unknown_category",
        GradebookError::PassMark => "gradebook.errors.pass_mark",
        GradebookError::StalePreview => "gradebook.errors.stale_preview",
        GradebookError::Sort => "gradebook.errors.sort",
        other @ (GradebookError::LetterScale { .. } | GradebookError::ImportFile(_)) => return Err(other.into()),
        GradebookError::Other(e) => return Err(e),
    };
    Ok(redirect_with_flash(to, FlashKind::Error, key))
}

pub async fn add_item(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<CourseId>,
    PageForm(form): PageForm<NewItemForm>,
) -> AppResult<Response> {
    let to = grid_url(id.as_str());
    let max = decimal(&form.max_points).unwrap_or(f64::NAN);
    match service::add_item(&state, &s.viewer, &id, &form.title, max).await {
        Ok(item) => Ok(redirect_with_flash(&item_url(&item.id), FlashKind::Success, "gradebook.flash.item_added")),
        Err(e) => refused(&to, e),
    }
}

#[derive(Template)]
#[template(path = "gradebook/item.html")]
struct ItemPage {
    page: Page,
    item: Item,
    categories: Vec<Category>,
    /// The item's column of a page of the grid: (learner, their entry).
    rows: Vec<(Row, Option<Entry>)>,
    next_cursor: Option<String>,
}

impl ItemPage {
    fn value(&self, entry: &Option<Entry>) -> String {
        let shown = if self.item.is_manual() {
            entry.as_ref().and_then(|e| e.points)
        } else {
            entry.as_ref().and_then(|e| e.override_points)
        };
        shown.map(|v| format!("{v}")).unwrap_or_default()
    }
    fn original(&self, entry: &Option<Entry>) -> String {
        points(entry.as_ref().and_then(|e| e.points))
    }
    fn in_category(&self, id: &str) -> bool {
        self.item.category_id.as_deref() == Some(id)
    }
    fn note(&self, entry: &Option<Entry>) -> String {
        entry.as_ref().map(|e| e.override_note.clone()).unwrap_or_default()
    }
}

pub async fn item(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<String>,
    Query(q): Query<Cursor>,
) -> AppResult<Response> {
    let item = service::item_for_staff(&state, &s.viewer, &id).await?;
    let course = CourseId::from(&item.course_id);
    let grid = service::grid(&state, &s.viewer, &course, &PageRequest::sized(PAGE, Some(&q.cursor))).await?;
    let column = grid.items.iter().position(|i| i.id == item.id).ok_or_else(AppError::not_found)?;
    let rows = grid
        .rows
        .into_iter()
        .map(|row| {
            let entry = row.cells.get(column).cloned().flatten();
            (row, entry)
        })
        .collect();
    Reply::OK.render(&ItemPage { page: s.page, item, categories: grid.categories, rows, next_cursor: grid.next_cursor })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ItemForm {
    title: String,
    max_points: String,
    hidden: Option<String>,
    category_id: String,
    extra_credit: Option<String>,
}

pub async fn save_item(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<String>,
    PageForm(form): PageForm<ItemForm>,
) -> AppResult<Response> {
    let item = service::item_for_staff(&state, &s.viewer, &id).await?;
    let common = ItemChange {
        hidden: Some(form.hidden.is_some()),
        category_id: Some(Some(form.category_id.clone()).filter(|c| !c.is_empty())),
        extra_credit: Some(form.extra_credit.is_some()),
        ..ItemChange::default()
    };
    let change = if item.is_manual() {
        ItemChange {
            title: Some(form.title),
            max_points: Some(decimal(&form.max_points).unwrap_or(f64::NAN)),
            ..common
        }
    } else {
        common
    };
    match service::update_item(&state, &s.viewer, &id, change).await {
        Ok(_) => Ok(redirect_with_flash(&item_url(&id), FlashKind::Success, "gradebook.flash.item_saved")),
        Err(e) => refused(&item_url(&id), e),
    }
}

pub async fn delete_item(State(state): State<AppState>, s: SignedIn, Path(id): Path<String>) -> AppResult<Response> {
    let item = service::item_for_staff(&state, &s.viewer, &id).await?;
    match service::delete_item(&state, &s.viewer, &id).await {
        Ok(()) => {
            Ok(redirect_with_flash(&grid_url(&item.course_id), FlashKind::Success, "gradebook.flash.item_deleted"))
        }
        Err(e) => refused(&item_url(&id), e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct GradeForm {
    points: String,
    note: String,
}

/// One learner's grade (a manual item) or override (an activity's); blank clears it.
pub async fn save_grade(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, user_id)): Path<(String, String)>,
    PageForm(form): PageForm<GradeForm>,
) -> AppResult<Response> {
    let to = format!("{}#learner-{user_id}", item_url(&id));
    let points = match form.points.trim() {
        "" => None,
        raw => match decimal(raw) {
            Some(p) => Some(p),
            None => return Ok(redirect_with_flash(&to, FlashKind::Error, "gradebook.errors.points_flash")),
        },
    };
    match service::set_grade(&state, &s.viewer, &id, &UserId::from(user_id.as_str()), points, &form.note).await {
        Ok(_) => Ok(redirect_with_flash(&to, FlashKind::Success, "gradebook.flash.grade_saved")),
        Err(e) => refused(&to, e),
    }
}

#[derive(Template)]
#[template(path = "gradebook/mine.html")]
struct MinePage {
    page: Page,
    mine: MyGrades,
}

impl MinePage {
    fn cell(&self, entry: &Option<Entry>) -> String {
        points(entry.as_ref().and_then(Entry::effective))
    }
    fn total(&self) -> String {
        self.mine.total.map(|t| format!("{t} %")).unwrap_or_else(|| "–".to_string())
    }
}

pub async fn mine(State(state): State<AppState>, s: SignedIn, Path(slug): Path<String>) -> AppResult<Response> {
    let mine = service::mine_by_slug(&state, &s.viewer, &slug).await?;
    Reply::OK.render(&MinePage { page: s.page, mine })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CategoryForm {
    name: String,
    weight: String,
    drop_lowest: String,
}

impl CategoryForm {
    fn input(&self) -> CategoryInput {
        CategoryInput {
            name: self.name.clone(),
            weight: decimal(&self.weight).unwrap_or(f64::NAN),
            drop_lowest: self.drop_lowest.trim().parse().unwrap_or(if self.drop_lowest.trim().is_empty() {
                0
            } else {
                -1
            }),
        }
    }
}

pub async fn add_category(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<CourseId>,
    PageForm(form): PageForm<CategoryForm>,
) -> AppResult<Response> {
    let to = format!("{}#categories", grid_url(id.as_str()));
    match service::add_category(&state, &s.viewer, &id, &form.input()).await {
        Ok(_) => Ok(redirect_with_flash(&to, FlashKind::Success, "gradebook.flash.category_saved")),
        Err(e) => refused(&to, e),
    }
}

pub async fn save_category(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<String>,
    PageForm(form): PageForm<CategoryForm>,
) -> AppResult<Response> {
    match service::update_category(&state, &s.viewer, &id, &form.input()).await {
        Ok(c) => {
            let to = format!("{}#categories", grid_url(&c.course_id));
            Ok(redirect_with_flash(&to, FlashKind::Success, "gradebook.flash.category_saved"))
        }
        Err(GradebookError::Other(e)) => Err(e),
        Err(e) => {
            let course = service::category_course(&state, &s.viewer, &id).await?;
            refused(&format!("{}#categories", grid_url(&course)), e)
        }
    }
}

pub async fn delete_category(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let course = service::delete_category(&state, &s.viewer, &id).await?;
    let to = format!("{}#categories", grid_url(&course));
    Ok(redirect_with_flash(&to, FlashKind::Success, "gradebook.flash.category_deleted"))
}

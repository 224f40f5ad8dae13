//! The gradebook's rules, shared by the pages and the API: the staff's grid
//! (learners × items, a page of learners at a time, in a constant number of
//! queries), a learner's own grades (visible items only), manual items,
//! grades and overrides, and the CSV. The course's staff see and change
//! everything; an enrolled learner sees their own grades; anyone else 404.

use std::collections::HashMap;

use lyceum_courses::{
    model::Course,
    service::{access::is_staff, read},
};
use lyceum_enrollment::{model::Status, service::roster};
use lyceum_platform::{
    AppError, AppState,
    auth::Viewer,
    ids::{CourseId, UserId},
    keyset::{MAX_LIMIT, PageRequest},
};
use sqlx::AnyConnection;

use crate::{
    GradebookError,
    model::{Category, Entry, Item, total_percent},
    repo,
    settings::Settings,
};

pub mod import;
mod settings;
mod sorting;
pub mod standing;

pub use settings::{save_settings, settings};
pub use sorting::{GridSort, SortKey, sorted_grid};

/// The longest item title.
pub const TITLE_MAX: usize = 120;
/// The largest maximum of an item.
pub const POINTS_MAX: f64 = 10_000.0;

/// One learner's row of the grid.
#[derive(Debug, Clone)]
pub struct Row {
    pub user_id: String,
    pub name: String,
    pub email: String,
    /// One cell per item, in the items' order.
    pub cells: Vec<Option<Entry>>,
    /// The course total, percent; none before any grade.
    pub total: Option<f64>,
    /// The total's letter on the course's scale; empty before any grade.
    pub letter: String,
}

/// A page of the staff's grid.
#[derive(Debug, Clone)]
pub struct Grid {
    pub course: Course,
    pub categories: Vec<Category>,
    pub items: Vec<Item>,
    pub rows: Vec<Row>,
    pub next_cursor: Option<String>,
    pub settings: Settings,
}

/// The course for its staff, or 404.
pub(crate) async fn staff_course(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    course_id: &CourseId,
) -> Result<Course, AppError> {
    let course = read::course(conn, course_id).await?.ok_or_else(AppError::not_found)?;
    if is_staff(conn, viewer, course_id).await? { Ok(course) } else { Err(AppError::not_found()) }
}

/// Rows for learners, from the course's items and these learners' entries.
fn rows_of(
    items: &[Item],
    (categories, settings): (&[Category], &Settings),
    entries: &[Entry],
    learners: Vec<(String, String, String)>,
) -> Vec<Row> {
    // Looked up by (item, learner): a page is learners × items cells, and a
    // scan per cell made the 2,000-learner CSV quadratic (0.93 s CPU).
    let by_cell: HashMap<(&str, &str), &Entry> =
        entries.iter().map(|e| ((e.item_id.as_str(), e.user_id.as_str()), e)).collect();
    learners
        .into_iter()
        .map(|(user_id, name, email)| {
            let cells: Vec<Option<Entry>> = items
                .iter()
                .map(|item| by_cell.get(&(item.id.as_str(), user_id.as_str())).map(|e| (*e).clone()))
                .collect();
            let counted = items.iter().zip(&cells).filter(|(i, _)| !i.is_hidden());
            let values = counted.map(|(i, c)| (i, c.as_ref().and_then(Entry::effective)));
            let total = total_percent(values, categories, settings.aggregation);
            let letter = total.map(|t| settings.letter(t).to_string()).unwrap_or_default();
            Row { user_id, name, email, cells, total, letter }
        })
        .collect()
}

/// A page of the grid: the course's active learners (newest enrollment
/// first) × every item, hidden ones included (marked).
pub async fn grid(
    state: &AppState,
    viewer: &Viewer,
    course_id: &CourseId,
    page: &PageRequest,
) -> Result<Grid, AppError> {
    let course = {
        let mut conn = state.db.pool().acquire().await?;
        staff_course(&mut conn, viewer, course_id).await?
    };
    let roster = roster::list(state, viewer, course_id, Some(Status::Active), page).await?;
    let learners: Vec<(String, String, String)> =
        roster.entries.items.into_iter().map(|e| (e.user_id, e.display_name, e.email)).collect();
    let ids: Vec<String> = learners.iter().map(|l| l.0.clone()).collect();
    let mut conn = state.db.pool().acquire().await?;
    let items = repo::items(&mut conn, course_id.as_str()).await?;
    let categories = repo::categories(&mut conn, course_id.as_str()).await?;
    let entries = repo::entries_of(&mut conn, course_id.as_str(), &ids).await?;
    let settings = repo::settings::of_course(&mut conn, course_id.as_str()).await?;
    let rows = rows_of(&items, (&categories, &settings), &entries, learners);
    Ok(Grid { rows, course, categories, items, next_cursor: roster.entries.next_cursor, settings })
}

/// Every active learner's row (the CSV), a roster page at a time.
pub async fn all_rows(
    state: &AppState,
    viewer: &Viewer,
    course_id: &CourseId,
) -> Result<(Course, Vec<Item>, Vec<Row>), AppError> {
    let mut page = PageRequest::sized(MAX_LIMIT, None);
    let mut rows = Vec::new();
    loop {
        let grid = grid(state, viewer, course_id, &page).await?;
        rows.extend(grid.rows);
        match grid.next_cursor {
            Some(next) => page = PageRequest::sized(MAX_LIMIT, Some(&next)),
            None => return Ok((grid.course, grid.items, rows)),
        }
    }
}

/// A learner's own grades: the visible items, their grade in each, the total
/// (for the course's staff: the visible items, as a learner sees them).
#[derive(Debug, Clone)]
pub struct MyGrades {
    pub course: Course,
    pub lines: Vec<(Item, Option<Entry>)>,
    pub total: Option<f64>,
    /// The total's letter on the course's scale; empty before any grade.
    pub letter: String,
}

/// [`mine`] for the course at `slug` (the learner's page).
pub async fn mine_by_slug(state: &AppState, viewer: &Viewer, slug: &str) -> Result<MyGrades, AppError> {
    let course = {
        let mut conn = state.db.pool().acquire().await?;
        read::course_by_slug(&mut conn, slug).await?.ok_or_else(AppError::not_found)?
    };
    mine(state, viewer, &CourseId::from(&course.id)).await
}

pub async fn mine(state: &AppState, viewer: &Viewer, course_id: &CourseId) -> Result<MyGrades, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    let course = read::course(&mut conn, course_id).await?.ok_or_else(AppError::not_found)?;
    // Staff see the page as their learners do (the visible items), with no grades of their own.
    let allowed = lyceum_enrollment::is_active_cached(state, &mut conn, course_id, &viewer.id()).await?
        || is_staff(&mut conn, viewer, course_id).await?;
    if !allowed {
        return Err(AppError::not_found());
    }
    let items: Vec<Item> =
        repo::items(&mut conn, course_id.as_str()).await?.into_iter().filter(|i| !i.is_hidden()).collect();
    let entries = repo::entries_of(&mut conn, course_id.as_str(), std::slice::from_ref(&viewer.user_id)).await?;
    let categories = repo::categories(&mut conn, course_id.as_str()).await?;
    let lines: Vec<(Item, Option<Entry>)> = items
        .into_iter()
        .map(|item| {
            let entry = entries.iter().find(|e| e.item_id == item.id).cloned();
            (item, entry)
        })
        .collect();
    let settings = repo::settings::of_course(&mut conn, course_id.as_str()).await?;
    let values = lines.iter().map(|(i, e)| (i, e.as_ref().and_then(Entry::effective)));
    let total = total_percent(values, &categories, settings.aggregation);
    let letter = total.map(|t| settings.letter(t).to_string()).unwrap_or_default();
    Ok(MyGrades { course, lines, total, letter })
}

fn check_item(title: &str, max: f64) -> Result<(), GradebookError> {
    let title = title.trim();
    if title.is_empty() || title.chars().count() > TITLE_MAX {
        return Err(GradebookError::Title);
    }
    if !(max.is_finite() && (0.01..=POINTS_MAX).contains(&max)) {
        return Err(GradebookError::MaxPoints);
    }
    Ok(())
}

/// Adds a manual item ("participation").
pub async fn add_item(
    state: &AppState,
    viewer: &Viewer,
    course_id: &CourseId,
    title: &str,
    max: f64,
) -> Result<Item, GradebookError> {
    check_item(title, max)?;
    let mut tx = state.db.begin().await?;
    staff_course(&mut tx, viewer, course_id).await?;
    let id = repo::insert_manual(&mut tx, course_id.as_str(), title.trim(), max).await?;
    let item = repo::item(&mut tx, &id).await?.ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    Ok(item)
}

/// The item and its course for the course's staff, or 404.
pub async fn item_for_staff(state: &AppState, viewer: &Viewer, item_id: &str) -> Result<Item, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    staff_item(&mut conn, viewer, item_id).await
}

async fn staff_item(conn: &mut AnyConnection, viewer: &Viewer, item_id: &str) -> Result<Item, AppError> {
    let item = repo::item(conn, item_id).await?.ok_or_else(AppError::not_found)?;
    staff_course(conn, viewer, &CourseId::from(&item.course_id)).await?;
    Ok(item)
}

/// What the staff change of an item: a manual item's title and maximum, any
/// item's visibility, category (`Some(None)`: outside every category) and
/// extra credit.
#[derive(Debug, Clone, Default)]
pub struct ItemChange {
    pub title: Option<String>,
    pub max_points: Option<f64>,
    pub hidden: Option<bool>,
    pub category_id: Option<Option<String>>,
    pub extra_credit: Option<bool>,
}

pub async fn update_item(
    state: &AppState,
    viewer: &Viewer,
    item_id: &str,
    change: ItemChange,
) -> Result<Item, GradebookError> {
    let mut tx = state.db.begin().await?;
    let item = staff_item(&mut tx, viewer, item_id).await?;
    if !item.is_manual() && (change.title.is_some() || change.max_points.is_some()) {
        return Err(GradebookError::ActivityItem);
    }
    let title = change.title.unwrap_or_else(|| item.title.clone());
    let max = change.max_points.unwrap_or(item.max_points);
    check_item(&title, max)?;
    let category = change.category_id.unwrap_or_else(|| item.category_id.clone()).filter(|c| !c.is_empty());
    if let Some(c) = &category
        && repo::category(&mut tx, c).await?.is_none_or(|c| c.course_id != item.course_id)
    {
        return Err(GradebookError::UnknownCategory);
    }
    let fields = repo::ItemFields {
        title: title.trim(),
        max,
        hidden: change.hidden.unwrap_or(item.is_hidden()),
        category_id: category.as_deref(),
        extra_credit: change.extra_credit.unwrap_or(item.is_extra_credit()),
    };
    let before = standing::before_all(&mut tx, &item.course_id).await?;
    repo::update_item(&mut tx, item_id, &fields).await?;
    standing::publish_changes(state, &mut tx, &item.course_id, &before).await?;
    let item = repo::item(&mut tx, item_id).await?.ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    Ok(item)
}

/// Deletes a manual item with its grades.
pub async fn delete_item(state: &AppState, viewer: &Viewer, item_id: &str) -> Result<(), GradebookError> {
    let mut tx = state.db.begin().await?;
    let item = staff_item(&mut tx, viewer, item_id).await?;
    if !item.is_manual() {
        return Err(GradebookError::ActivityItem);
    }
    let before = standing::before_all(&mut tx, &item.course_id).await?;
    repo::delete_item(&mut tx, item_id).await?;
    standing::publish_changes(state, &mut tx, &item.course_id, &before).await?;
    tx.commit().await?;
    Ok(())
}

/// Sets a learner's grade in an item: a manual item's grade, or an
/// override of a quiz's or assignment's (with a note saying why). `None`
/// clears it (the activity's own grade counts again).
pub async fn set_grade(
    state: &AppState,
    viewer: &Viewer,
    item_id: &str,
    user_id: &UserId,
    points: Option<f64>,
    note: &str,
) -> Result<Entry, GradebookError> {
    let mut tx = state.db.begin().await?;
    let item = staff_item(&mut tx, viewer, item_id).await?;
    if let Some(p) = points
        && !(p.is_finite() && (0.0..=item.max_points).contains(&p))
    {
        return Err(GradebookError::Points { max: item.max_points });
    }
    if !lyceum_enrollment::is_active(&mut tx, &CourseId::from(&item.course_id), user_id).await? {
        return Err(GradebookError::NotALearner);
    }
    let note: String = note.trim().chars().take(500).collect();
    let points = points.map(crate::model::round2);
    let before = standing::before(&mut tx, &item.course_id, &[user_id.as_str().to_string()]).await?;
    if item.is_manual() {
        repo::set_override(&mut tx, item_id, user_id.as_str(), None, "").await?;
        match points {
            Some(p) => repo::set_points(&mut tx, item_id, user_id.as_str(), p).await?,
            None => repo::clear_points(&mut tx, item_id, user_id.as_str()).await?,
        }
    } else {
        repo::set_override(&mut tx, item_id, user_id.as_str(), points, if points.is_some() { &note } else { "" })
            .await?;
    }
    let entry = repo::entry(&mut tx, item_id, user_id.as_str()).await?.ok_or_else(AppError::not_found)?;
    standing::publish_changes(state, &mut tx, &item.course_id, &before).await?;
    tx.commit().await?;
    Ok(entry)
}

fn check_category(name: &str, weight: f64, drop_lowest: i64) -> Result<(), GradebookError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > TITLE_MAX {
        return Err(GradebookError::Title);
    }
    if !(weight.is_finite() && (0.0..=100.0).contains(&weight)) {
        return Err(GradebookError::Weight);
    }
    if !(0..=20).contains(&drop_lowest) {
        return Err(GradebookError::DropLowest);
    }
    Ok(())
}

/// A category's settings.
#[derive(Debug, Clone)]
pub struct CategoryInput {
    pub name: String,
    /// Percent of the course total.
    pub weight: f64,
    pub drop_lowest: i64,
}

pub async fn add_category(
    state: &AppState,
    viewer: &Viewer,
    course_id: &CourseId,
    input: &CategoryInput,
) -> Result<Category, GradebookError> {
    check_category(&input.name, input.weight, input.drop_lowest)?;
    let mut tx = state.db.begin().await?;
    staff_course(&mut tx, viewer, course_id).await?;
    let id =
        repo::insert_category(&mut tx, course_id.as_str(), input.name.trim(), input.weight, input.drop_lowest).await?;
    let category = repo::category(&mut tx, &id).await?.ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    Ok(category)
}

/// The category for its course's staff, or 404.
async fn staff_category(conn: &mut AnyConnection, viewer: &Viewer, id: &str) -> Result<Category, AppError> {
    let category = repo::category(conn, id).await?.ok_or_else(AppError::not_found)?;
    staff_course(conn, viewer, &CourseId::from(&category.course_id)).await?;
    Ok(category)
}

pub async fn update_category(
    state: &AppState,
    viewer: &Viewer,
    id: &str,
    input: &CategoryInput,
) -> Result<Category, GradebookError> {
    check_category(&input.name, input.weight, input.drop_lowest)?;
    let mut tx = state.db.begin().await?;
    let course_id = staff_category(&mut tx, viewer, id).await?.course_id;
    let before = standing::before_all(&mut tx, &course_id).await?;
    repo::update_category(&mut tx, id, input.name.trim(), input.weight, input.drop_lowest).await?;
    standing::publish_changes(state, &mut tx, &course_id, &before).await?;
    let category = repo::category(&mut tx, id).await?.ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    Ok(category)
}

/// Deletes a category; its items go back outside every category.
pub async fn delete_category(state: &AppState, viewer: &Viewer, id: &str) -> Result<String, AppError> {
    let mut tx = state.db.begin().await?;
    let category = staff_category(&mut tx, viewer, id).await?;
    let before = standing::before_all(&mut tx, &category.course_id).await?;
    repo::delete_category(&mut tx, id).await?;
    standing::publish_changes(state, &mut tx, &category.course_id, &before).await?;
    tx.commit().await?;
    Ok(category.course_id)
}

/// A course's categories, for its staff.
pub async fn categories(state: &AppState, viewer: &Viewer, course_id: &CourseId) -> Result<Vec<Category>, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    staff_course(&mut conn, viewer, course_id).await?;
    Ok(repo::categories(&mut conn, course_id.as_str()).await?)
}

/// The course of a category, for its staff (where a refused form goes back to).
pub async fn category_course(state: &AppState, viewer: &Viewer, id: &str) -> Result<String, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    Ok(staff_category(&mut conn, viewer, id).await?.course_id)
}

//! The staff's grid sorted by name, by course total or by one item's grade,
//! a page at a time, in a constant number of queries: the course's active
//! learners' ids from enrollment's service (one query), every entry of the
//! course (one), the items, categories and settings, the names from
//! accounts' directory (all of them to sort by name; the page's otherwise).
//! The page is an offset into that order: a sorted order moves as grades
//! change, so a keyset over it would not be steadier.

use std::cmp::Ordering;

use lyceum_accounts::service::directory;
use lyceum_enrollment::service::query::active_of_course;
use lyceum_platform::{AppError, AppState, Text, auth::Viewer, ids::CourseId, ids::UserId};

use super::{Grid, Row, rows_of, staff_course};
use crate::{GradebookError, repo};

/// What the grid is sorted by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SortKey {
    Name,
    Total,
    /// One item's grade (the item's id).
    Item(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GridSort {
    pub key: SortKey,
    pub descending: bool,
}

impl GridSort {
    /// From `?sort=name|total|item:<id>&dir=asc|desc`; none when `sort` is
    /// empty (the roster's order). The item is checked against the course later.
    pub fn parse(sort: &str, dir: &str) -> Result<Option<Self>, GradebookError> {
        let key = match sort.trim() {
            "" => return Ok(None),
            "name" => SortKey::Name,
            "total" => SortKey::Total,
            other => match other.strip_prefix("item:") {
                Some(id) if !id.is_empty() => SortKey::Item(id.to_string()),
                _ => return Err(GradebookError::Sort),
            },
        };
        let descending = match dir.trim() {
            "" | "asc" => false,
            "desc" => true,
            _ => return Err(GradebookError::Sort),
        };
        Ok(Some(Self { key, descending }))
    }

    /// The `sort` parameter's value.
    pub fn param(&self) -> String {
        match &self.key {
            SortKey::Name => "name".into(),
            SortKey::Total => "total".into(),
            SortKey::Item(id) => format!("item:{id}"),
        }
    }

    pub fn dir(&self) -> &'static str {
        if self.descending { "desc" } else { "asc" }
    }
}

/// Graded before ungraded in both directions; the value by the direction.
fn by_value(a: Option<f64>, b: Option<f64>, descending: bool) -> Ordering {
    match (a, b) {
        (Some(x), Some(y)) if descending => y.total_cmp(&x),
        (Some(x), Some(y)) => x.total_cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

fn by_name(a: &Row, b: &Row) -> Ordering {
    a.name.to_lowercase().cmp(&b.name.to_lowercase()).then_with(|| a.user_id.cmp(&b.user_id))
}

/// A page of the grid in `sort` order, from `offset` (the cursor).
pub async fn sorted_grid(
    state: &AppState,
    viewer: &Viewer,
    course_id: &CourseId,
    sort: &GridSort,
    (limit, cursor): (i64, Option<&str>),
) -> Result<Grid, GradebookError> {
    let offset: usize = match cursor.filter(|c| !c.is_empty()) {
        None => 0,
        Some(c) => c.parse().map_err(|_| AppError::field("cursor", Text::new("errors.cursor")))?,
    };
    let mut conn = state.db.pool().acquire().await?;
    let course = staff_course(&mut conn, viewer, course_id).await?;
    let items = repo::items(&mut conn, course_id.as_str()).await?;
    let column = match &sort.key {
        SortKey::Item(id) => Some(items.iter().position(|i| &i.id == id).ok_or(GradebookError::Sort)?),
        _ => None,
    };
    let learners: Vec<UserId> = active_of_course(&mut conn, course_id, None, i64::MAX)
        .await?
        .into_iter()
        .map(|e| UserId::from(e.user_id))
        .collect();
    let categories = repo::categories(&mut conn, course_id.as_str()).await?;
    let settings = repo::settings::of_course(&mut conn, course_id.as_str()).await?;
    let entries = repo::entries_of_course(&mut conn, course_id.as_str()).await?;
    let mut people =
        if sort.key == SortKey::Name { directory::people(&mut conn, &learners).await? } else { Default::default() };
    let named = learners.iter().map(|id| {
        let person = people.get(id.as_str());
        let (name, email) = person.map(|p| (p.display_name.clone(), p.email.clone())).unwrap_or_default();
        (id.as_str().to_string(), name, email)
    });
    let mut rows = rows_of(&items, (&categories, &settings), &entries, named.collect());
    let value = |r: &Row| match column {
        Some(at) => r.cells[at].as_ref().and_then(crate::model::Entry::effective),
        None => r.total,
    };
    match sort.key {
        SortKey::Name if sort.descending => rows.sort_by(|a, b| by_name(b, a)),
        SortKey::Name => rows.sort_by(by_name),
        _ => rows.sort_by(|a, b| by_value(value(a), value(b), sort.descending).then_with(|| by_name(a, b))),
    }
    let total = rows.len();
    let size = usize::try_from(limit).unwrap_or(1);
    let mut page: Vec<Row> = rows.into_iter().skip(offset).take(size).collect();
    if sort.key != SortKey::Name {
        let ids: Vec<UserId> = page.iter().map(|r| UserId::from(r.user_id.as_str())).collect();
        people = directory::people(&mut conn, &ids).await?;
        for row in &mut page {
            if let Some(p) = people.get(&row.user_id) {
                (row.name, row.email) = (p.display_name.clone(), p.email.clone());
            }
        }
    }
    let next_cursor = (offset + size < total).then(|| (offset + size).to_string());
    Ok(Grid { course, categories, items, rows: page, next_cursor, settings })
}

//! A bank's categories: a tree per course, names unique among siblings,
//! "Default" made on first use, deleted only when empty.

use lyceum_platform::{AppError, AppState, Text, auth::Viewer, ids::CourseId};
use sqlx::AnyConnection;

use super::bank_course;
use crate::{
    BankError,
    model::{Category, CategoryCount, CategoryId, DEFAULT_CATEGORY},
    repo::categories as repo,
};

/// The longest category name.
pub const NAME_MAX: usize = 255;

/// A course's categories, parents before their children, with live question counts.
pub async fn list(state: &AppState, viewer: &Viewer, course_id: &CourseId) -> Result<Vec<CategoryCount>, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    bank_course(&mut conn, viewer, course_id).await?;
    Ok(tree_order(repo::of_course(&mut conn, course_id.as_str()).await?))
}

/// Parents first, each followed by its children (depth-first), keeping the
/// stored order among siblings.
fn tree_order(all: Vec<CategoryCount>) -> Vec<CategoryCount> {
    fn visit(parent: Option<&str>, all: &[CategoryCount], out: &mut Vec<CategoryCount>) {
        for c in all.iter().filter(|c| c.parent_id.as_deref() == parent) {
            out.push(c.clone());
            visit(Some(&c.id), all, out);
        }
    }
    let mut out = Vec::with_capacity(all.len());
    visit(None, &all, &mut out);
    out
}

/// Checks a name typed by a teacher; `/` separates levels in the files' paths.
pub(crate) fn checked_name(name: &str) -> Result<String, AppError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > NAME_MAX {
        return Err(AppError::field("name", Text::new("quizzes.errors.category_name").arg("max", NAME_MAX)));
    }
    if name.contains('/') {
        return Err(AppError::field("name", Text::new("quizzes.errors.category_slash")));
    }
    Ok(name.to_string())
}

/// The course's category `id`, or 404 (`field`: 422 on that field instead, for a form or body naming it).
pub(crate) async fn of_course(
    conn: &mut AnyConnection,
    course_id: &CourseId,
    id: &CategoryId,
    field: Option<&str>,
) -> Result<Category, AppError> {
    match repo::by_id(conn, id.as_str()).await? {
        Some(c) if c.course_id == course_id.as_str() => Ok(c),
        _ => Err(match field {
            Some(field) => AppError::field(field, Text::new("quizzes.errors.no_category")),
            None => AppError::not_found(),
        }),
    }
}

/// The course's "Default" category, made if missing.
pub(crate) async fn default_of(conn: &mut AnyConnection, course_id: &CourseId) -> Result<Category, AppError> {
    Ok(repo::ensure(conn, course_id.as_str(), None, DEFAULT_CATEGORY).await?)
}

pub async fn create(
    state: &AppState,
    viewer: &Viewer,
    course_id: &CourseId,
    name: &str,
    parent: Option<&CategoryId>,
) -> Result<Category, AppError> {
    let name = checked_name(name)?;
    let mut tx = state.db.begin().await?;
    bank_course(&mut tx, viewer, course_id).await?;
    if let Some(parent) = parent {
        of_course(&mut tx, course_id, parent, Some("parent_id")).await?;
    }
    let parent = parent.map(CategoryId::as_str);
    if repo::named(&mut tx, course_id.as_str(), parent, &name).await?.is_some() {
        return Err(taken());
    }
    let id = repo::insert(&mut tx, course_id.as_str(), parent, &name).await?;
    let category = repo::by_id(&mut tx, &id).await?.ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    Ok(category)
}

fn taken() -> AppError {
    AppError::field("name", Text::new("quizzes.errors.category_taken"))
}

/// What an edit of a category changes; absent fields stay.
#[derive(Debug, Default)]
pub struct CategoryEdit {
    pub name: Option<String>,
    /// `Some(None)`: move to the top level.
    pub parent: Option<Option<CategoryId>>,
    pub position: Option<i64>,
}

pub async fn edit(
    state: &AppState,
    viewer: &Viewer,
    course_id: &CourseId,
    id: &CategoryId,
    edit: CategoryEdit,
) -> Result<Category, AppError> {
    let mut tx = state.db.begin().await?;
    bank_course(&mut tx, viewer, course_id).await?;
    let current = of_course(&mut tx, course_id, id, None).await?;
    let name = match &edit.name {
        Some(name) => checked_name(name)?,
        None => current.name.clone(),
    };
    let parent = match edit.parent {
        Some(Some(parent)) => {
            if is_within(&mut tx, course_id, &parent, id).await? {
                return Err(AppError::field("parent_id", Text::new("quizzes.errors.category_cycle")));
            }
            Some(parent.as_str().to_string())
        }
        Some(None) => None,
        None => current.parent_id.clone(),
    };
    let existing = repo::named(&mut tx, course_id.as_str(), parent.as_deref(), &name).await?;
    if existing.is_some_and(|c| c.id != current.id) {
        return Err(taken());
    }
    repo::update(&mut tx, id.as_str(), parent.as_deref(), &name, edit.position.unwrap_or(current.position)).await?;
    let category = repo::by_id(&mut tx, id.as_str()).await?.ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    Ok(category)
}

/// Whether `candidate` is `category` or one of its descendants (a parent that would make a cycle).
async fn is_within(
    conn: &mut AnyConnection,
    course_id: &CourseId,
    candidate: &CategoryId,
    category: &CategoryId,
) -> Result<bool, AppError> {
    let mut at = Some(of_course(conn, course_id, candidate, Some("parent_id")).await?);
    while let Some(c) = at {
        if c.id == category.as_str() {
            return Ok(true);
        }
        at = match c.parent_id {
            Some(p) => repo::by_id(conn, &p).await?,
            None => None,
        };
    }
    Ok(false)
}

/// Deletes an empty category (no live question, no child); else 409 saying what is in it.
pub async fn delete(state: &AppState, viewer: &Viewer, course_id: &CourseId, id: &CategoryId) -> Result<(), BankError> {
    let mut tx = state.db.begin().await?;
    bank_course(&mut tx, viewer, course_id).await?;
    of_course(&mut tx, course_id, id, None).await?;
    let (questions, children) = repo::contents(&mut tx, id.as_str()).await?;
    if questions > 0 || children > 0 {
        return Err(BankError::CategoryNotEmpty { questions, children });
    }
    repo::delete(&mut tx, id.as_str()).await?;
    tx.commit().await?;
    Ok(())
}

/// Makes the categories of `path` (top-level first) under the course, each
/// under the one before; returns the last. An empty path is "Default".
pub(crate) async fn ensure_path(
    conn: &mut AnyConnection,
    course_id: &CourseId,
    path: &[String],
) -> Result<Category, AppError> {
    if path.is_empty() {
        return default_of(conn, course_id).await;
    }
    let mut parent: Option<Category> = None;
    for name in path {
        let category = repo::ensure(conn, course_id.as_str(), parent.as_ref().map(|p| p.id.as_str()), name).await?;
        parent = Some(category);
    }
    parent.ok_or_else(AppError::not_found)
}

/// Every category of the course (one query), for walking the tree in memory.
pub(crate) async fn tree(conn: &mut AnyConnection, course_id: &CourseId) -> Result<Vec<CategoryCount>, AppError> {
    Ok(repo::of_course(conn, course_id.as_str()).await?)
}

/// `id` and the ids of every category below it.
pub(crate) fn subtree(all: &[CategoryCount], id: &str) -> Vec<String> {
    let mut out = vec![id.to_string()];
    let mut at = 0;
    while at < out.len() {
        let parent = out[at].clone();
        out.extend(all.iter().filter(|c| c.parent_id.as_deref() == Some(parent.as_str())).map(|c| c.id.clone()));
        at += 1;
    }
    out
}

/// The names from the top level down to category `id`, for a file's category path.
pub(crate) fn path_in(all: &[CategoryCount], id: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut at = all.iter().find(|c| c.id == id);
    // Bounded by the number of categories, so a corrupt cycle cannot loop forever.
    while let Some(c) = at.filter(|_| names.len() <= all.len()) {
        names.push(c.name.clone());
        at = c.parent_id.as_deref().and_then(|p| all.iter().find(|c| c.id == p));
    }
    names.reverse();
    names
}

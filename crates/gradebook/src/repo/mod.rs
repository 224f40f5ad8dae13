//! The module's tables: `grade_items`, `grade_entries`, `grade_categories`
//! (here) and `gradebook_settings` ([`settings`]).

pub mod settings;

use lyceum_platform::db::{self, Args};
use sqlx::AnyConnection;

use crate::model::{Category, Entry, Item};

const ITEM: &str =
    "id, course_id, source, source_id, title, max_points, hidden, created_at, updated_at, category_id, extra_credit";
const ENTRY: &str = "item_id, user_id, points, override_points, override_note, updated_at";

/// The item of a quiz or an assignment: made on its first grade, its title
/// and maximum kept current by later ones. Returns its id.
pub async fn activity_item(
    conn: &mut AnyConnection,
    course_id: &str,
    source: &str,
    source_id: &str,
    title: &str,
    max_points: f64,
) -> Result<String, sqlx::Error> {
    let now = db::now_ms();
    sqlx::query(
        "INSERT INTO grade_items (id, course_id, source, source_id, title, max_points, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) \
         ON CONFLICT (source, source_id) DO UPDATE SET title = $5, max_points = $6, updated_at = $7",
    )
    .bind(db::new_id())
    .bind(course_id)
    .bind(source)
    .bind(source_id)
    .bind(title)
    .bind(max_points)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    sqlx::query_scalar("SELECT id FROM grade_items WHERE source = $1 AND source_id = $2")
        .bind(source)
        .bind(source_id)
        .fetch_one(conn)
        .await
}

pub async fn insert_manual(
    conn: &mut AnyConnection,
    course_id: &str,
    title: &str,
    max: f64,
) -> Result<String, sqlx::Error> {
    let id = db::new_id();
    let now = db::now_ms();
    sqlx::query(
        "INSERT INTO grade_items (id, course_id, source, source_id, title, max_points, created_at, updated_at) \
         VALUES ($1, $2, 'manual', $1, $3, $4, $5, $5)",
    )
    .bind(&id)
    .bind(course_id)
    .bind(title)
    .bind(max)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(id)
}

pub async fn item(conn: &mut AnyConnection, id: &str) -> Result<Option<Item>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {ITEM} FROM grade_items WHERE id = $1")))
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// A course's items, oldest first (the order they appeared in).
pub async fn items(conn: &mut AnyConnection, course_id: &str) -> Result<Vec<Item>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ITEM} FROM grade_items WHERE course_id = $1 ORDER BY created_at, id"
    )))
    .bind(course_id)
    .fetch_all(conn)
    .await
}

/// What the staff set on an item.
pub struct ItemFields<'a> {
    pub title: &'a str,
    pub max: f64,
    pub hidden: bool,
    pub category_id: Option<&'a str>,
    pub extra_credit: bool,
}

pub async fn update_item(conn: &mut AnyConnection, id: &str, f: &ItemFields<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE grade_items SET title = $2, max_points = $3, hidden = $4, category_id = $5, extra_credit = $6, \
         updated_at = $7 WHERE id = $1",
    )
    .bind(id)
    .bind(f.title)
    .bind(f.max)
    .bind(i64::from(f.hidden))
    .bind(f.category_id)
    .bind(i64::from(f.extra_credit))
    .bind(db::now_ms())
    .execute(conn)
    .await
    .map(|_| ())
}

const CATEGORY: &str = "id, course_id, name, weight, drop_lowest, created_at";

pub async fn categories(conn: &mut AnyConnection, course_id: &str) -> Result<Vec<Category>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {CATEGORY} FROM grade_categories WHERE course_id = $1 ORDER BY created_at, id"
    )))
    .bind(course_id)
    .fetch_all(conn)
    .await
}

pub async fn category(conn: &mut AnyConnection, id: &str) -> Result<Option<Category>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {CATEGORY} FROM grade_categories WHERE id = $1")))
        .bind(id)
        .fetch_optional(conn)
        .await
}

pub async fn insert_category(
    conn: &mut AnyConnection,
    course_id: &str,
    name: &str,
    weight: f64,
    drop_lowest: i64,
) -> Result<String, sqlx::Error> {
    let id = db::new_id();
    sqlx::query(
        "INSERT INTO grade_categories (id, course_id, name, weight, drop_lowest, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&id)
    .bind(course_id)
    .bind(name)
    .bind(weight)
    .bind(drop_lowest)
    .bind(db::now_ms())
    .execute(conn)
    .await?;
    Ok(id)
}

pub async fn update_category(
    conn: &mut AnyConnection,
    id: &str,
    name: &str,
    weight: f64,
    drop_lowest: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE grade_categories SET name = $2, weight = $3, drop_lowest = $4 WHERE id = $1")
        .bind(id)
        .bind(name)
        .bind(weight)
        .bind(drop_lowest)
        .execute(conn)
        .await
        .map(|_| ())
}

/// Deletes a category; its items go back outside every category.
pub async fn delete_category(conn: &mut AnyConnection, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE grade_items SET category_id = NULL WHERE category_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM grade_categories WHERE id = $1").bind(id).execute(conn).await.map(|_| ())
}

pub async fn delete_item(conn: &mut AnyConnection, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM grade_items WHERE id = $1").bind(id).execute(conn).await.map(|_| ())
}

/// The activity's grade for a learner (an override stays as it is).
pub async fn set_points(
    conn: &mut AnyConnection,
    item_id: &str,
    user_id: &str,
    points: f64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO grade_entries (item_id, user_id, points, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (item_id, user_id) DO UPDATE SET points = $3, updated_at = $4",
    )
    .bind(item_id)
    .bind(user_id)
    .bind(points)
    .bind(db::now_ms())
    .execute(conn)
    .await
    .map(|_| ())
}

/// Clears a manual item's grade.
pub async fn clear_points(conn: &mut AnyConnection, item_id: &str, user_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE grade_entries SET points = NULL, updated_at = $3 WHERE item_id = $1 AND user_id = $2")
        .bind(item_id)
        .bind(user_id)
        .bind(db::now_ms())
        .execute(conn)
        .await
        .map(|_| ())
}

/// The staff's override (None: removes it) with its note.
pub async fn set_override(
    conn: &mut AnyConnection,
    item_id: &str,
    user_id: &str,
    points: Option<f64>,
    note: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO grade_entries (item_id, user_id, override_points, override_note, updated_at) \
         VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (item_id, user_id) DO UPDATE SET override_points = $3, override_note = $4, updated_at = $5",
    )
    .bind(item_id)
    .bind(user_id)
    .bind(points)
    .bind(note)
    .bind(db::now_ms())
    .execute(conn)
    .await
    .map(|_| ())
}

/// The entries of a course's items for these learners, in one query.
pub async fn entries_of(
    conn: &mut AnyConnection,
    course_id: &str,
    user_ids: &[String],
) -> Result<Vec<Entry>, sqlx::Error> {
    let mut args = Args::default();
    let course = args.text(course_id);
    let users = args.list(user_ids);
    let sql = format!(
        "SELECT e.item_id, e.user_id, e.points, e.override_points, e.override_note, e.updated_at \
         FROM grade_entries e JOIN grade_items i ON i.id = e.item_id \
         WHERE i.course_id = {course} AND e.user_id IN ({users})"
    );
    args.query_as(sql).fetch_all(conn).await
}

pub async fn entry(conn: &mut AnyConnection, item_id: &str, user_id: &str) -> Result<Option<Entry>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ENTRY} FROM grade_entries WHERE item_id = $1 AND user_id = $2"
    )))
    .bind(item_id)
    .bind(user_id)
    .fetch_optional(conn)
    .await
}

/// Every entry of a course's items (the sorted grid ranks every learner).
pub async fn entries_of_course(conn: &mut AnyConnection, course_id: &str) -> Result<Vec<Entry>, sqlx::Error> {
    sqlx::query_as(
        "SELECT e.item_id, e.user_id, e.points, e.override_points, e.override_note, e.updated_at \
         FROM grade_entries e JOIN grade_items i ON i.id = e.item_id WHERE i.course_id = $1",
    )
    .bind(course_id)
    .fetch_all(conn)
    .await
}

/// The learners with a grade in any of a course's items.
pub async fn graded_users(conn: &mut AnyConnection, course_id: &str) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT DISTINCT e.user_id FROM grade_entries e JOIN grade_items i ON i.id = e.item_id \
         WHERE i.course_id = $1 ORDER BY e.user_id",
    )
    .bind(course_id)
    .fetch_all(conn)
    .await
}

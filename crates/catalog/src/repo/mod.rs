//! The catalog's SQL. It reads the course tables the courses crate writes (one
//! bounded context: catalog and authoring), never writing them.

pub mod list;

use sqlx::AnyConnection;

use crate::model::CategoryCount;

/// Every category with its number of published courses, in display order.
pub async fn categories(conn: &mut AnyConnection) -> Result<Vec<CategoryCount>, sqlx::Error> {
    sqlx::query_as(
        "SELECT cat.slug, cat.name, COUNT(c.id) AS course_count FROM categories cat \
         LEFT JOIN courses c ON c.category_id = cat.id AND c.state = 'published' \
         GROUP BY cat.id, cat.slug, cat.name, cat.position ORDER BY cat.position, cat.name",
    )
    .fetch_all(conn)
    .await
}

//! The catalog's SQL. It reads the course tables the courses crate writes (one
//! bounded context: catalog and authoring), never writing them.

pub mod list;

use sqlx::AnyConnection;

use lyceum_platform::money::Currency;

use crate::model::{CategoryCount, Facets};

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

/// The languages and currencies of published courses.
pub async fn facets(conn: &mut AnyConnection) -> Result<Facets, sqlx::Error> {
    let languages =
        sqlx::query_scalar("SELECT DISTINCT language FROM courses WHERE state = 'published' ORDER BY language")
            .fetch_all(&mut *conn)
            .await?;
    let codes: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT currency FROM courses \
         WHERE state = 'published' AND price_minor > 0 AND currency IS NOT NULL ORDER BY currency",
    )
    .fetch_all(conn)
    .await?;
    // Codes were checked when the course was saved; the list only grows.
    let currencies = codes.iter().filter_map(|c| Currency::parse(c).ok()).collect();
    Ok(Facets { languages, currencies })
}

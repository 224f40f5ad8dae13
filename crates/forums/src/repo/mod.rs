//! The forums' SQL: each file one table (or two that always change together).

pub mod attachments;
pub mod flags;
pub mod forums;
pub mod posts;
pub mod reads;
pub mod search;
pub mod standing;
pub mod subscriptions;
pub mod threads;

/// `EXISTS (sql)` as a 0/1 `BIGINT` on both engines (PostgreSQL answers a
/// boolean, SQLite an integer), to read a yes/no with other columns.
pub(crate) fn exists(sql: &str) -> String {
    format!("CAST(CASE WHEN EXISTS ({sql}) THEN 1 ELSE 0 END AS BIGINT)")
}

/// A table's column list with each column qualified by `alias`, for joins.
pub(crate) fn qualified(columns: &str, alias: &str) -> String {
    columns.split(", ").map(|c| format!("{alias}.{}", c.trim())).collect::<Vec<_>>().join(", ")
}

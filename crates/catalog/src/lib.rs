//! The catalog: search and browse published courses (filters, full-text
//! search on SQLite FTS5 or PostgreSQL, sorts, cursor pages), category pages
//! and the course page, all read through the cache. Courses are written by
//! `lyceum-courses`, which keeps the search index and invalidates the cache.

pub mod http;
pub mod model;
pub(crate) mod repo;
pub mod service;

pub use http::{api_routes, page_routes};

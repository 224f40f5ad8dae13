//! Courses: categories, course authoring (details, cover, instructors, state),
//! the outline (ordered modules and lessons) and lesson media. Catalog,
//! enrollment and learning build on these tables.

pub mod http;
pub mod model;
pub(crate) mod repo;
pub mod service;

pub use http::{api_routes, page_routes, wide_routes};

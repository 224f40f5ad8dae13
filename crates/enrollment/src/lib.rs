//! Enrollment: who is enrolled in which course. Learners enroll in free
//! courses at once (paid ones go through [`billing::checkout`], the seam the
//! billing module will fill), seat limits hold under concurrency, learners
//! unenroll, and a course's staff see and edit its roster.
//!
//! The rows live in `enrollments` (courses migration) and the number of active
//! ones in `courses.enrolled_count`, which only this module changes — in the
//! same transaction as the row. Other modules ask [`service::is_active`].

pub mod billing;
pub mod events;
pub mod http;
pub mod model;
pub mod repo;
pub mod service;

pub use http::{api_routes, page_routes};
pub use service::is_active;

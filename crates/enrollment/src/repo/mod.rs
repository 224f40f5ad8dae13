//! SQL for the `enrollments` table; knows no HTTP. Functions take a
//! connection so the service runs several in one transaction.

pub mod enrollments;

//! SQL for enrollments and the course seat counter; knows no HTTP. Functions
//! take a connection so the service runs several in one transaction.

pub mod enrollments;
pub mod seats;

//! SQL for courses and their outline; knows no HTTP. Functions take a
//! connection so services can run several in one transaction.

pub mod courses;
pub mod instructors;
pub mod outline;
pub mod search;

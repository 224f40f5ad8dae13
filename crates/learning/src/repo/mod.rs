//! SQL for progress and certificates; knows no HTTP. Functions take a
//! connection so a service can run several in one transaction.

pub mod certificates;
pub mod progress;

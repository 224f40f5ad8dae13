//! SQL for progress and certificates; knows no HTTP. Functions take a
//! connection so a service can run several in one transaction.

pub mod certificates;
pub mod enrollments;
pub mod progress;

/// `$from, $from+1, …` for an `IN (…)` list of `n` values.
pub(crate) fn placeholders(from: usize, n: usize) -> String {
    (from..from + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

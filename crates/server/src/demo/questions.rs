//! The demo question bank: a few Rust questions in the bank of "Rust from
//! Scratch", imported from GIFT through the quizzes service as the demo
//! instructor. Repeatable like the rest of the demo: a bank that already has
//! questions is left alone (the import is one transaction, so a bank is
//! either empty or complete).

use lyceum_courses::service::read;
use lyceum_platform::{AppResult, AppState, auth::Viewer, ids::CourseId, keyset::PageRequest};
use lyceum_quizzes::{
    model::{Filter, Format},
    service::{questions, transfer},
};

use super::DemoError;

const COURSE: &str = "rust-from-scratch";

const BANK: &str = "$CATEGORY: $course$/top/Ownership

::Moves::After `let b = a;` with `a: String`, what happens when you use `a`?{
=A compile error: the value moved to `b`.#Right: a String is moved, not copied.
~It prints the same text as `b`.#That would need a clone or a Copy type.
~It prints an empty string.#Rust never leaves a moved-from value readable.}

::Borrowing::You may have any number of shared references **or** one mutable reference to a value at a time.{T}

$CATEGORY: $course$/top/Basics

::Cargo new::Which command creates a new binary project named `hello`?{=cargo new hello =cargo new hello --bin}

::Integer sizes::How many bits does a `u8` hold?{#8}

::Match the types::Match each value with its type.{
=42 -> i32
=3.5 -> f64
=true -> bool
=\"hi\" -> &str}
";

/// Imports the demo bank unless the course's bank has questions already.
pub async fn seed(state: &AppState, instructor: &Viewer) -> Result<usize, DemoError> {
    load(state, instructor).await.map_err(|source| DemoError::Course { slug: COURSE.to_string(), source })
}

async fn load(state: &AppState, instructor: &Viewer) -> AppResult<usize> {
    let course = {
        let mut conn = state.db.pool().acquire().await?;
        read::course_by_slug(&mut conn, COURSE).await?
    };
    let Some(course) = course else { return Ok(0) };
    let id = CourseId::from(&course.id);
    let page = PageRequest::sized(1, None);
    if !questions::list(state, instructor, &id, &Filter::default(), &page).await?.items.items.is_empty() {
        return Ok(0);
    }
    Ok(transfer::import(state, instructor, &id, Format::Gift, BANK).await?.imported)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_demo_bank_imports_without_problems() {
        let report = lyceum_assessment::format::gift::parse(super::BANK);
        assert!(report.problems.is_empty(), "{:?}", report.problems);
        assert_eq!(report.questions.len(), 5);
    }
}

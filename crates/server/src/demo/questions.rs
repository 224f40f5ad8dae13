//! The demo question bank and quizzes: Rust questions in the bank of "Rust
//! from Scratch", imported from GIFT through the quizzes service as the demo
//! instructor (and an ordering question, which GIFT cannot hold, from the
//! model), and two quizzes built from them at the end of the course's last
//! module — a timed check that draws at random, and a warm-up with
//! immediate feedback, the ordering question and an essay a teacher grades. Repeatable like the rest
//! of the demo: a bank that already has questions is left alone (the import
//! is one transaction, so a bank is either empty or complete), and so is a
//! course that has quizzes.

use lyceum_assessment::{Question, QuestionKind, Text};
use lyceum_courses::service::read;
use lyceum_platform::{
    AppResult, AppState,
    auth::Viewer,
    ids::{CourseId, ModuleId},
    keyset::PageRequest,
};
use lyceum_quizzes::{
    model::{Filter, Format},
    quiz::settings::{FeedbackMode, Settings, Slot, Source},
    service::{
        categories,
        questions::{self, Draft},
        quizzes::{self, QuizInput},
        transfer,
    },
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

::Integer sizes::[markdown]A `u8` holds the numbers $0$ to $2^n - 1$. What is $n$?{#8}

::Match the types::Match each value with its type.{
=42 -> i32
=3.5 -> f64
=true -> bool
=\"hi\" -> &str}

::In your words::Why does Rust need no garbage collector? Two or three sentences.{}
";

/// The demo's ordering question (its items in the right order; each
/// attempt shows them shuffled).
const ORDERING: &str = "Build and run";

fn ordering_question() -> Question {
    let steps = ["`cargo new hello`", "Write `fn main` in `src/main.rs`", "`cargo build`", "`./target/debug/hello`"];
    Question {
        name: ORDERING.to_string(),
        text: Text::markdown("Put the steps of a new program in order, the first at the top."),
        general_feedback: Text::plain(""),
        default_mark: 1.0,
        kind: QuestionKind::Ordering { items: steps.into_iter().map(Text::markdown).collect() },
    }
}

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
    let imported = if questions::list(state, instructor, &id, &Filter::default(), &page).await?.items.items.is_empty() {
        match transfer::import(state, instructor, &id, Format::Gift, BANK).await? {
            transfer::Started::Done(outcome) => outcome.imported,
            // The demo's bank is far below the background import's threshold.
            transfer::Started::InTheBackground(_) => 0,
        }
    } else {
        0
    };
    let ordering = Filter { search: Some(ORDERING.to_string()), ..Filter::default() };
    let imported = if questions::list(state, instructor, &id, &ordering, &page).await?.items.items.is_empty() {
        questions::create(state, instructor, &id, None, Draft::Model(Box::new(ordering_question())))
            .await
            .map_err(lyceum_platform::AppError::from)?;
        imported + 1
    } else {
        imported
    };
    if quizzes::of_course(state, instructor, &id).await?.is_empty() {
        seed_quizzes(state, instructor, &id).await?;
    }
    Ok(imported)
}

/// The two demo quizzes, at the end of the course's last module.
async fn seed_quizzes(state: &AppState, instructor: &Viewer, course_id: &CourseId) -> AppResult<()> {
    let modules = {
        let mut conn = state.db.pool().acquire().await?;
        read::modules(&mut conn, course_id).await?
    };
    let Some(module) = modules.last() else { return Ok(()) };
    let module = ModuleId::from(&module.id);
    let cats = categories::list(state, instructor, course_id).await?;
    let category = |name: &str| cats.iter().find(|c| c.name == name).map(|c| c.id.clone()).unwrap_or_default();
    let random = |name: &str| Slot { source: Source::Random { category_id: category(name) }, mark: 1.0 };
    let page = PageRequest::sized(50, None);
    let bank = questions::list(state, instructor, course_id, &Filter::default(), &page).await?.items.items;
    let fixed = |name: &str, mark: f64| {
        let id = bank.iter().find(|q| q.name == name).map(|q| q.id.clone()).unwrap_or_default();
        Slot { source: Source::Question { question_id: id }, mark }
    };
    let timed = QuizInput {
        settings: Settings {
            time_limit_minutes: Some(10),
            attempts_allowed: Some(3),
            passing_grade: Some(60.0),
            ..Settings::default()
        },
        slots: vec![random("Ownership"), random("Ownership"), fixed("Integer sizes", 1.0), fixed("Cargo new", 1.0)],
    };
    let intro = "Ten minutes, four questions: two drawn at random about ownership. The clock is the server's: it keeps running if you close the page.";
    quizzes::create(state, instructor, course_id, &module, "Ownership check", intro, timed)
        .await
        .map_err(lyceum_platform::AppError::from)?;
    let warm_up = QuizInput {
        settings: Settings { feedback: FeedbackMode::Immediate, questions_per_page: 1, ..Settings::default() },
        slots: vec![
            fixed("Match the types", 1.0),
            fixed("Borrowing", 1.0),
            fixed(ORDERING, 1.0),
            fixed("In your words", 2.0),
        ],
    };
    let intro = "Check each answer as you go. The last question is read and graded by your teacher.";
    quizzes::create(state, instructor, course_id, &module, "Warm-up", intro, warm_up)
        .await
        .map_err(lyceum_platform::AppError::from)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_demo_bank_imports_without_problems() {
        let report = lyceum_assessment::format::gift::parse(super::BANK);
        assert!(report.problems.is_empty(), "{:?}", report.problems);
        assert_eq!(report.questions.len(), 6);
    }
}

//! The demo assignment: "Write your own `wc`" in the last module of the demo
//! Rust course, with three demo classmates of Ada's enrolled, two of whom
//! submitted and were graded with the course's rubric, so the grading queue,
//! a rubric and a learner's grade are there to click through. Every step looks for what it would create first,
//! so a rerun completes an interrupted load and never duplicates.

use lyceum_accounts::service::admin;
use lyceum_assignments::{
    model::{AssignmentId, Settings, SubmissionId},
    service::{
        assignments,
        grading::{self, GradeInput},
        rubrics, submissions,
    },
};
use lyceum_courses::service::read;
use lyceum_platform::{
    AppError, AppResult, AppState,
    auth::{Role, Viewer},
    db,
    ids::{CourseId, ModuleId, UserId},
};

use super::{DemoError, acting_as};

const COURSE: &str = "rust-from-scratch";
const TITLE: &str = "Write your own wc";
const DAY_MS: i64 = 24 * 60 * 60 * 1000;

const INSTRUCTIONS: &str = "Write a small program that counts the lines, words and bytes of a file, \
like `wc`.\n\n- Read the file named on the command line.\n- Print the three counts on one line.\n\
- Explain in a few sentences how you handled a file that is not valid UTF-8.\n\n\
Paste your code in the text box, or attach your `main.rs`.";

/// A demo classmate: who, what they hand in, the grade and feedback they got.
struct Classmate {
    name: &'static str,
    email: &'static str,
    work: &'static str,
    /// The rubric level chosen per criterion, and the feedback.
    grade: Option<(&'static [usize], &'static str)>,
}

const RUBRIC_TITLE: &str = "Small tools";
const RUBRIC: &str = "Correctness | Wrong counts = 0 | Mostly right = 5 | Exact = 10\n\
Invalid input | Crashes = 0 | Handled = 5 | Handled and explained = 10\n\
Readability | Hard to follow = 0 | Clear = 5";

const CLASSMATES: [Classmate; 3] = [
    Classmate {
        name: "Alan Turing",
        email: "alan@demo.lyceum.localhost",
        work: "```rust\nfn main() {\n    let path = std::env::args().nth(1).expect(\"a file\");\n    let bytes = std::fs::read(&path).unwrap();\n    let text = String::from_utf8_lossy(&bytes);\n    println!(\"{} {} {}\", text.lines().count(), text.split_whitespace().count(), bytes.len());\n}\n```\n\nInvalid UTF-8 is replaced with U+FFFD, so the byte count stays exact.",
        grade: Some((
            &[2, 2, 0],
            "Clear and correct. The byte count from the raw bytes is exactly right; try `BufRead` for large files.",
        )),
    },
    Classmate {
        name: "Katherine Johnson",
        email: "katherine@demo.lyceum.localhost",
        work: "I counted with `split_whitespace` and `lines`, and refused files that are not UTF-8 with a clear message.",
        grade: Some((
            &[1, 1, 1],
            "Refusing invalid files is a fair choice, but say so in the usage text. Your code is missing: attach it next time.",
        )),
    },
    Classmate {
        name: "Edsger Dijkstra",
        email: "edsger@demo.lyceum.localhost",
        work: "Counting is easy; counting correctly is the exercise. My notes are attached in the next version.",
        grade: None,
    },
];

pub async fn seed(state: &AppState, instructor: &Viewer) -> Result<(), DemoError> {
    load(state, instructor).await.map_err(|source| DemoError::Course { slug: COURSE.to_string(), source })
}

async fn load(state: &AppState, instructor: &Viewer) -> AppResult<()> {
    let course = {
        let mut conn = state.db.pool().acquire().await?;
        read::course_by_slug(&mut conn, COURSE).await?
    };
    let Some(course) = course else { return Ok(()) };
    let course_id = CourseId::from(&course.id);
    let id = match assignments::of_course(state, instructor, &course_id).await?.0.into_iter().find(|a| a.title == TITLE)
    {
        Some(a) => AssignmentId::from(&a.id),
        None => create(state, instructor, &course_id).await?,
    };
    for mate in CLASSMATES {
        let learner = classmate(state, instructor, &course_id, mate.name, mate.email).await?;
        let Some(submission) = hand_in(state, &learner, &id, mate.work).await? else { continue };
        if let Some((levels, feedback)) = mate.grade {
            let view = grading::submission(state, instructor, &submission).await?;
            if !view.line.row.graded() {
                let input = GradeInput {
                    rubric: Some(levels.to_vec()),
                    feedback_md: feedback.to_string(),
                    ..GradeInput::default()
                };
                grading::grade(state, instructor, &submission, &input).await.map_err(AppError::from)?;
            }
        }
    }
    Ok(())
}

async fn create(state: &AppState, instructor: &Viewer, course_id: &CourseId) -> AppResult<AssignmentId> {
    let modules = {
        let mut conn = state.db.pool().acquire().await?;
        read::modules(&mut conn, course_id).await?
    };
    let module = modules.last().ok_or_else(AppError::not_found)?;
    let (_, existing) = rubrics::list(state, instructor, course_id).await?;
    let rubric = match existing.into_iter().find(|r| r.title == RUBRIC_TITLE) {
        Some(r) => r,
        None => rubrics::create(state, instructor, course_id, RUBRIC_TITLE, RUBRIC).await.map_err(AppError::from)?,
    };
    let settings = Settings {
        rubric_id: Some(rubric.id),
        due_at: Some(db::now_ms() + 14 * DAY_MS),
        max_files: 2,
        pass_points: Some(50.0),
        late_penalty_percent: 5.0,
        late_penalty_cap: 25.0,
        require_statement: true,
        ..Settings::default()
    };
    let module = ModuleId::from(&module.id);
    let a =
        assignments::create(state, instructor, &module, TITLE, INSTRUCTIONS, settings).await.map_err(AppError::from)?;
    Ok(AssignmentId::from(&a.id))
}

/// The classmate's account, enrolled by the instructor.
async fn classmate(
    state: &AppState,
    instructor: &Viewer,
    course_id: &CourseId,
    name: &str,
    email: &str,
) -> AppResult<Viewer> {
    let user = match admin::by_email(state, email).await? {
        Some(user) => user,
        None => admin::create_user(state, email, name, Role::Learner, super::ACCOUNTS[1].password).await?,
    };
    let enrolled = {
        let mut conn = state.db.pool().acquire().await?;
        lyceum_enrollment::is_active(&mut conn, course_id, &UserId::from(&user.id)).await?
    };
    if !enrolled {
        lyceum_enrollment::service::roster::add(state, instructor, course_id, email).await.map_err(AppError::from)?;
    }
    Ok(acting_as(&user))
}

/// The classmate's work, submitted; its id.
async fn hand_in(state: &AppState, learner: &Viewer, id: &AssignmentId, text: &str) -> AppResult<Option<SubmissionId>> {
    let mine = submissions::mine(state, learner, id).await?;
    if mine.submission.as_ref().is_none_or(|s| !s.submitted()) {
        submissions::save_text(state, learner, id, text, true).await.map_err(AppError::from)?;
        submissions::submit(state, learner, id, true).await.map_err(AppError::from)?;
    }
    let mine = submissions::mine(state, learner, id).await?;
    Ok(mine.submission.map(|s| SubmissionId::from(&s.id)))
}

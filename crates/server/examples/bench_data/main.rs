//! The load benchmark's dataset (`bench/learning.sh`), written into the
//! database the server is configured with (`LYCEUM_DATABASE_URL`,
//! `LYCEUM_DATA_DIR`, as for `lyceum serve`):
//!
//! - courses through the authoring service, as an instructor would make them
//!   (so search documents, events and counters are what real use leaves);
//! - learners and enrollments by bulk SQL — hashing 10,000 passwords would
//!   take minutes and measure nothing the benchmark is about. Every learner
//!   has the password of the first, `bench password 1`.
//!
//! `cargo run --release --example bench_data -- COURSES LEARNERS ENROLLMENTS OUT_DIR`
//! writes `OUT_DIR/courses.txt` (id, slug and price in cents per line) and `OUT_DIR/lessons.txt`
//! (lesson ids of the first course, in which learners 0–63 are enrolled) and
//! `OUT_DIR/active.txt` (the first ten courses, a line each: slug, then lesson
//! ids). With `BENCH_ACTIVE=N`, learners 0..N (at least 64) are enrolled in the
//! first course and learner n also in course 1 + n % 9: the signed-in learners
//! of the mixed load (`bench/mix.sh`).
//!
//! With `BENCH_GRADEBOOK=N` (`bench/gradebook.sh`): the first course gets N
//! manual grade items (through the gradebook service) and every learner
//! enrolled in it a grade in each (bulk SQL); its id in `OUT_DIR/gradebook.txt`.
//!
//! With `BENCH_FORUMS=N` (`bench/forums.sh`): the first course's general
//! forum gets N threads of one post each (bulk SQL, as posting would leave
//! them) and one more thread of 200 posts; the forum's and that thread's ids
//! in `OUT_DIR/forums.txt`.
//!
//! With `BENCH_QUIZ=1` (the exam burst, `bench/burst.sh`): the first course
//! gets a 20-question quiz of automatically graded kinds (imported from GIFT
//! through the quizzes service, 30 minutes), its id in `OUT_DIR/quiz.txt`,
//! and the active learners a signed-in browser session each (bulk SQL, as
//! sign-in stores them: signing 10,000 in would measure argon2), the
//! session cookie's value one per line in `OUT_DIR/sessions.txt`.

mod burst;
mod forums;
mod gradebook;

use std::{fmt::Write as _, path::PathBuf};

use lyceum_accounts::service::admin;
use lyceum_courses::{
    model::CourseState,
    service::{
        courses::{self, CourseInput},
        outline::{self, LessonInput},
    },
};
use lyceum_platform::ids::{CourseId, ModuleId};
use lyceum_platform::{
    auth::{Credential, Role, Viewer},
    config::Settings,
    db,
};

const PASSWORD: &str = "bench password 1";
/// Learners the benchmark signs in to write with (one per connection).
const WRITERS: usize = 64;
/// Courses whose outlines `active.txt` lists: the active learners' courses.
const ACTIVE_COURSES: usize = 10;
const CATEGORIES: [&str; 6] = ["programming", "data-science", "design", "business", "languages", "mathematics"];
const SUBJECTS: [&str; 24] = [
    "Rust",
    "Python",
    "SQL",
    "Statistics",
    "Typography",
    "Marketing",
    "Spanish",
    "Calculus",
    "Kubernetes",
    "Finance",
    "Photography",
    "Accessibility",
    "Machine Learning",
    "Negotiation",
    "French",
    "Linear Algebra",
    "JavaScript",
    "Leadership",
    "Data Visualisation",
    "Cryptography",
    "Accounting",
    "UX Research",
    "Go",
    "Probability",
];
const FORMS: [&str; 6] =
    ["Introduction to {}", "{} in Practice", "Advanced {}", "{} for Beginners", "Mastering {}", "{} Essentials"];
const WORDS: [&str; 16] = [
    "practical",
    "projects",
    "fundamentals",
    "exercises",
    "patterns",
    "real-world",
    "examples",
    "theory",
    "tools",
    "workflow",
    "testing",
    "design",
    "analysis",
    "performance",
    "teams",
    "careers",
];

fn arg(i: usize, default: &str) -> String {
    std::env::args().nth(i).unwrap_or_else(|| default.to_string())
}

/// A small deterministic generator, so every run builds the same dataset.
struct Rng(u64);
impl Rng {
    fn next(&mut self, max: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % max as u64) as usize
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let courses: usize = arg(1, "1000").parse()?;
    let learners: usize = arg(2, "10000").parse()?;
    let enrollments: usize = arg(3, "50000").parse()?;
    let out = PathBuf::from(arg(4, "."));
    let mut settings = Settings::load(None, &lyceum::modules().settings_sections())?;
    settings.log_level = "warn".into();
    let state = lyceum::build_state(settings).await?;
    let started = std::time::Instant::now();

    let instructor =
        admin::create_user(&state, "teacher@bench.example", "Bench Teacher", Role::Instructor, PASSWORD).await?;
    let viewer = Viewer {
        user_id: instructor.id.clone(),
        email: instructor.email.clone(),
        display_name: instructor.display_name.clone(),
        role: Role::Instructor,
        locale: "en".into(),
        time_zone: "UTC".into(),
        credential: Credential::Token { token_id: "bench".into() },
        must_change_password: false,
    };
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut listing = String::new();
    let mut active_outlines = String::new();
    let mut course_ids = Vec::new();
    for n in 0..courses {
        let (course, lessons) = make_course(&state, &viewer, &mut rng, n).await?;
        let (id, slug, price) = (course.id, course.slug, course.price_minor);
        writeln!(listing, "{id} {slug} {price}")?;
        if n < ACTIVE_COURSES {
            writeln!(active_outlines, "{slug} {}", lessons.join(" "))?;
        }
        course_ids.push(id);
    }
    eprintln!("{courses} courses in {:.1} s", started.elapsed().as_secs_f64());

    let first = admin::create_user(&state, "learner0@bench.example", "Learner 0", Role::Learner, PASSWORD).await?;
    let hash: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
        .bind(&first.id)
        .fetch_one(state.db.pool())
        .await?;
    let mut learner_ids = vec![first.id];
    learner_ids.extend(insert_learners(&state, &hash, learners.saturating_sub(1)).await?);
    insert_enrollments(&state, &mut rng, &learner_ids, &course_ids, enrollments).await?;
    eprintln!("{learners} learners, {enrollments} enrollments in {:.1} s", started.elapsed().as_secs_f64());

    std::fs::write(out.join("courses.txt"), listing)?;
    let first_lessons = active_outlines.lines().next().unwrap_or_default().split(' ').skip(1);
    std::fs::write(out.join("lessons.txt"), first_lessons.collect::<Vec<_>>().join("\n") + "\n")?;
    std::fs::write(out.join("active.txt"), active_outlines)?;
    if let Some(items) = std::env::var("BENCH_GRADEBOOK").ok().and_then(|v| v.parse::<usize>().ok()) {
        gradebook::fill(&state, &viewer, &course_ids[0], items).await?;
        std::fs::write(out.join("gradebook.txt"), format!("{}\n", course_ids[0]))?;
        eprintln!("{items} grade items in {:.1} s", started.elapsed().as_secs_f64());
    }
    if let Some(threads) = std::env::var("BENCH_FORUMS").ok().and_then(|v| v.parse::<usize>().ok()) {
        let (forum, thread) = forums::fill(&state, &viewer, &course_ids[0], &learner_ids, threads).await?;
        std::fs::write(out.join("forums.txt"), format!("{forum}\n{thread}\n"))?;
        eprintln!("{threads} forum threads in {:.1} s", started.elapsed().as_secs_f64());
    }
    if std::env::var("BENCH_QUIZ").is_ok_and(|v| v == "1") {
        let active: usize = std::env::var("BENCH_ACTIVE").ok().and_then(|v| v.parse().ok()).unwrap_or(WRITERS);
        let quiz = burst::quiz(&state, &viewer, &course_ids[0]).await?;
        std::fs::write(out.join("quiz.txt"), format!("{quiz}\n"))?;
        let sessions = burst::sessions(&state, &learner_ids[..active.min(learner_ids.len())]).await?;
        std::fs::write(out.join("sessions.txt"), sessions.join("\n") + "\n")?;
        eprintln!("quiz {quiz} and {} sessions in {:.1} s", sessions.len(), started.elapsed().as_secs_f64());
    }
    state.db.close().await;
    Ok(())
}

/// One published course of 3 modules × 3 lessons; returns it and its lesson ids.
async fn make_course(
    state: &lyceum_platform::AppState,
    viewer: &Viewer,
    rng: &mut Rng,
    n: usize,
) -> anyhow::Result<(lyceum_courses::model::Course, Vec<String>)> {
    let subject = SUBJECTS[rng.next(SUBJECTS.len())];
    let title = format!("{} {n}", FORMS[rng.next(FORMS.len())].replace("{}", subject));
    let words: Vec<&str> = (0..12).map(|_| WORDS[rng.next(WORDS.len())]).collect();
    let paid = rng.next(10) < 4;
    let input = CourseInput {
        title: Some(title),
        summary: Some(format!("Learn {subject}: {}.", words[..5].join(", "))),
        description: Some(format!("A course about **{subject}** with {}.", words.join(" "))),
        category: Some(Some(CATEGORIES[rng.next(CATEGORIES.len())].to_string())),
        level: Some(["beginner", "intermediate", "advanced"][rng.next(3)].to_string()),
        tags: Some(vec![subject.to_lowercase().replace(' ', "-"), words[0].to_string()]),
        price_minor: Some(if paid { 900 + 100 * rng.next(90) as i64 } else { 0 }),
        currency: Some(paid.then(|| "EUR".to_string())),
        ..CourseInput::default()
    };
    let course = courses::create(state, viewer, input).await?.course;
    let mut lessons = Vec::new();
    for m in 1..=3 {
        let module = outline::create_module(state, viewer, &CourseId::from(&course.id), &format!("Module {m}")).await?;
        for l in 1..=3 {
            let input = LessonInput {
                title: Some(format!("Lesson {m}.{l}")),
                body: Some(format!("## {subject}, part {m}.{l}\n\n{}", words.join(" "))),
                duration_minutes: Some(5 + rng.next(20) as i64),
                is_preview: Some(m == 1 && l == 1),
                ..LessonInput::default()
            };
            lessons.push(outline::create_lesson(state, viewer, &ModuleId::from(&module.id), input).await?.id);
        }
    }
    courses::transition(state, viewer, &CourseId::from(&course.id), CourseState::Published).await?;
    Ok((course, lessons))
}

async fn insert_learners(state: &lyceum_platform::AppState, hash: &str, count: usize) -> anyhow::Result<Vec<String>> {
    let now = db::now_ms();
    let ids: Vec<String> = (0..count).map(|_| db::new_id()).collect();
    let mut tx = state.db.begin().await?;
    for (batch_no, batch) in ids.chunks(500).enumerate() {
        let mut sql = String::from(
            "INSERT INTO users (id, email, password_hash, display_name, display_name_folded, role, \
             email_verified_at, created_at, updated_at) VALUES ",
        );
        for (i, id) in batch.iter().enumerate() {
            let n = batch_no * 500 + i + 1;
            let sep = if i == 0 { "" } else { "," };
            write!(
                sql,
                "{sep}('{id}', 'learner{n}@bench.example', '{hash}', 'Learner {n}', 'learner {n}', 'learner', {now}, {now}, {now})"
            )?;
        }
        sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(ids)
}

/// `count` distinct (learner, course) pairs; the first [`WRITERS`] learners (or
/// `BENCH_ACTIVE`) are enrolled in the first course (the benchmark's lesson
/// views and completions), and active learner n in course 1 + n % 9 too.
async fn insert_enrollments(
    state: &lyceum_platform::AppState,
    rng: &mut Rng,
    learners: &[String],
    courses: &[String],
    count: usize,
) -> anyhow::Result<()> {
    let mut pairs = std::collections::HashSet::new();
    let active: usize = std::env::var("BENCH_ACTIVE").ok().and_then(|v| v.parse().ok()).unwrap_or(WRITERS);
    let active = active.max(WRITERS).min(learners.len());
    pairs.extend((0..active).map(|l| (l, 0)));
    if courses.len() >= ACTIVE_COURSES {
        pairs.extend((0..active).map(|l| (l, 1 + l % (ACTIVE_COURSES - 1))));
    }
    while pairs.len() < count.min(learners.len() * courses.len()) {
        pairs.insert((rng.next(learners.len()), rng.next(courses.len())));
    }
    let pairs: Vec<_> = pairs.into_iter().collect();
    let now = db::now_ms();
    let mut tx = state.db.begin().await?;
    for batch in pairs.chunks(500) {
        let mut sql =
            String::from("INSERT INTO enrollments (id, course_id, user_id, status, created_at, updated_at) VALUES ");
        for (i, (l, c)) in batch.iter().enumerate() {
            let sep = if i == 0 { "" } else { "," };
            write!(sql, "{sep}('{}', '{}', '{}', 'active', {now}, {now})", db::new_id(), courses[*c], learners[*l])?;
        }
        sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut *tx).await?;
    }
    sqlx::query(
        "UPDATE courses SET enrolled_count = \
         (SELECT COUNT(*) FROM enrollments e WHERE e.course_id = courses.id AND e.status = 'active')",
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

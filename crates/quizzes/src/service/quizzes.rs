//! Quizzes: created in a module of the course outline (as a lesson whose
//! activity is the quiz), their settings and slots, and per-learner
//! overrides. Staff write them; an enrolled learner reads a quiz's settings
//! but never its slots (they name the questions).

use lyceum_courses::{
    model::{Course, Lesson},
    service as courses,
    service::access::is_staff,
    service::read,
};
use lyceum_platform::{
    AppError, AppState, Text,
    auth::Viewer,
    db, events,
    ids::{CourseId, LessonId, ModuleId, UserId},
};
use sqlx::AnyConnection;

use super::{bank_course, deadlines};
use crate::{
    QuizError,
    events::QuizCreated,
    model::QuizId,
    quiz::{
        attempt::{Limits, Override},
        settings::{Settings, Slot, Source, validate_slots},
    },
    repo::{self, quizzes::QuizRow},
};

/// A quiz with its settings read back and its lesson's title and intro.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Quiz {
    pub id: String,
    pub course_id: String,
    pub lesson_id: String,
    pub title: String,
    pub intro_md: String,
    pub settings: Settings,
    pub slots: Vec<Slot>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Quiz {
    pub fn max_marks(&self) -> f64 {
        self.slots.iter().map(|s| s.mark).sum()
    }
}

/// What a teacher sends to create or change a quiz.
#[derive(Debug, Clone, Default)]
pub struct QuizInput {
    pub settings: Settings,
    pub slots: Vec<Slot>,
}

/// Who is looking at a quiz.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Staff,
    Learner,
}

fn decode<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, AppError> {
    serde_json::from_str(json).map_err(AppError::internal)
}

fn encode<T: serde::Serialize>(value: &T) -> Result<String, AppError> {
    serde_json::to_string(value).map_err(AppError::internal)
}

/// The stored row with its lesson's title and intro.
pub(crate) async fn load(conn: &mut AnyConnection, row: QuizRow) -> Result<Quiz, AppError> {
    let lesson = read::lesson(conn, &LessonId::from(&row.lesson_id)).await?.ok_or_else(AppError::not_found)?;
    of_row(row, lesson)
}

/// A quiz from its row and its lesson (the title and introduction).
fn of_row(row: QuizRow, lesson: Lesson) -> Result<Quiz, AppError> {
    Ok(Quiz {
        settings: decode(&row.settings)?,
        slots: decode(&row.slots)?,
        id: row.id,
        course_id: row.course_id,
        lesson_id: row.lesson_id,
        title: lesson.title,
        intro_md: lesson.body_md,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

/// Quizzes as read by every attempt request, kept for a short while: an
/// exam's thousands of saves read the same quiz. Dropped by [`update`]; a
/// change of the lesson's title or intro shows within the TTL.
const QUIZ_CACHE: &str = "quizzes.quiz";
const QUIZ_TTL: std::time::Duration = std::time::Duration::from_secs(30);

/// The quiz, from the cache or the database (404 when there is none).
pub(crate) async fn cached(state: &AppState, conn: &mut AnyConnection, id: &QuizId) -> Result<Quiz, AppError> {
    state
        .cache
        .get_or_load_json(QUIZ_CACHE, id.as_str(), QUIZ_TTL, async {
            let row = repo::quizzes::by_id(conn, id.as_str()).await?.ok_or_else(AppError::not_found)?;
            load(conn, row).await
        })
        .await
}

/// The quiz and how the viewer relates to it: its course's staff, or an
/// actively enrolled learner. Anyone else gets 404: nobody learns which
/// quizzes exist in a course they are not in.
pub(crate) async fn visible(
    state: &AppState,
    conn: &mut AnyConnection,
    viewer: &Viewer,
    id: &QuizId,
) -> Result<(Quiz, Role), AppError> {
    let quiz = cached(state, conn, id).await?;
    let course_id = CourseId::from(&quiz.course_id);
    let role = if is_staff(conn, viewer, &course_id).await? {
        Role::Staff
    } else if lyceum_enrollment::is_active_cached(state, conn, &course_id, &viewer.id()).await? {
        Role::Learner
    } else {
        return Err(AppError::not_found());
    };
    Ok((quiz, role))
}

/// The quiz and its course for its staff, or 404.
pub(crate) async fn staff_quiz(
    state: &AppState,
    conn: &mut AnyConnection,
    viewer: &Viewer,
    id: &QuizId,
) -> Result<(Course, Quiz), AppError> {
    let quiz = cached(state, conn, id).await?;
    let course_id = CourseId::from(&quiz.course_id);
    if !is_staff(conn, viewer, &course_id).await? {
        return Err(AppError::not_found());
    }
    let course = read::course(conn, &course_id).await?.ok_or_else(AppError::not_found)?;
    Ok((course, quiz))
}

/// Every rule of the input; a slot must name a live question or a category of this course's bank.
async fn check(conn: &mut AnyConnection, course_id: &CourseId, input: &QuizInput) -> Result<(), QuizError> {
    let mut errors = input.settings.validate();
    errors.extend(validate_slots(&input.slots));
    if !errors.is_empty() {
        return Err(QuizError::Invalid(errors));
    }
    for (i, slot) in input.slots.iter().enumerate() {
        let known = match &slot.source {
            Source::Question { question_id } => {
                repo::questions::by_id(conn, question_id).await?.is_some_and(|q| q.course_id == course_id.as_str())
            }
            Source::Random { category_id } => {
                repo::categories::by_id(conn, category_id).await?.is_some_and(|c| c.course_id == course_id.as_str())
            }
        };
        if !known {
            return Err(QuizError::UnknownSource(i));
        }
    }
    Ok(())
}

/// Creates a quiz at the end of `module_id`: its lesson (titled `title`,
/// `intro` as its text) and the quiz, in one transaction.
pub async fn create(
    state: &AppState,
    viewer: &Viewer,
    course_id: &CourseId,
    module_id: &ModuleId,
    title: &str,
    intro: &str,
    input: QuizInput,
) -> Result<Quiz, QuizError> {
    let mut tx = state.db.begin().await?;
    bank_course(&mut tx, viewer, course_id).await?;
    check(&mut tx, course_id, &input).await?;
    let lesson = courses::outline::create_activity_lesson(&mut tx, viewer, module_id, title, intro, "quiz").await?;
    if lesson.course_id != course_id.as_str() {
        return Err(AppError::field("module_id", Text::new("quizzes.errors.module_id")).into());
    }
    let now = db::now_ms();
    let row = QuizRow {
        id: db::new_id(),
        course_id: course_id.as_str().to_string(),
        lesson_id: lesson.id,
        settings: encode(&input.settings)?,
        slots: encode(&input.slots)?,
        created_at: now,
        updated_at: now,
    };
    repo::quizzes::insert(&mut tx, &row).await?;
    let quiz = load(&mut tx, row).await?;
    let created =
        QuizCreated { quiz_id: quiz.id.clone(), course_id: quiz.course_id.clone(), title: quiz.title.clone() };
    events::publish(state, &mut tx, &created).await?;
    tx.commit().await?;
    courses::content_changed(state).await;
    Ok(quiz)
}

/// Replaces a quiz's settings and slots. Attempts under way keep their
/// questions; their deadlines follow a changed time limit or close date.
pub async fn update(state: &AppState, viewer: &Viewer, id: &QuizId, input: QuizInput) -> Result<Quiz, QuizError> {
    let mut tx = state.db.begin().await?;
    let (_, quiz) = staff_quiz(state, &mut tx, viewer, id).await?;
    check(&mut tx, &CourseId::from(&quiz.course_id), &input).await?;
    repo::quizzes::update(&mut tx, id.as_str(), &encode(&input.settings)?, &encode(&input.slots)?).await?;
    for attempt in repo::attempts::open_of_quiz(&mut tx, id.as_str()).await? {
        let over = repo::quizzes::override_of(&mut tx, id.as_str(), &attempt.user_id).await?;
        let deadline = Limits::of(&input.settings, over.as_ref()).deadline(attempt.started_at);
        deadlines::moved(&mut tx, &attempt, deadline).await?;
    }
    let row = repo::quizzes::by_id(&mut tx, id.as_str()).await?.ok_or_else(AppError::not_found)?;
    let quiz = load(&mut tx, row).await?;
    tx.commit().await?;
    state.cache.delete(QUIZ_CACHE, id.as_str()).await;
    Ok(quiz)
}

/// A quiz for its staff or an enrolled learner, and which of the two the viewer is.
pub async fn get(state: &AppState, viewer: &Viewer, id: &QuizId) -> Result<(Quiz, Role), AppError> {
    let mut conn = state.db.pool().acquire().await?;
    visible(state, &mut conn, viewer, id).await
}

/// The quiz of an activity lesson (what the lesson page links to), if the viewer may see it.
pub async fn of_lesson(state: &AppState, viewer: &Viewer, lesson_id: &LessonId) -> Result<QuizId, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    let row = repo::quizzes::by_lesson(&mut conn, lesson_id.as_str()).await?.ok_or_else(AppError::not_found)?;
    let id = QuizId::from(&row.id);
    visible(state, &mut conn, viewer, &id).await?;
    Ok(id)
}

/// A course's quizzes, for its staff.
pub async fn of_course(state: &AppState, viewer: &Viewer, course_id: &CourseId) -> Result<Vec<Quiz>, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    bank_course(&mut conn, viewer, course_id).await?;
    let rows = repo::quizzes::of_course(&mut conn, course_id.as_str()).await?;
    let ids: Vec<LessonId> = rows.iter().map(|r| LessonId::from(&r.lesson_id)).collect();
    let mut lessons = read::lessons(&mut conn, &ids).await?;
    rows.into_iter()
        .map(|row| {
            let lesson = lessons.remove(&row.lesson_id).ok_or_else(AppError::not_found)?;
            of_row(row, lesson)
        })
        .collect()
}

/// Sets one learner's accommodation (the learner must be enrolled); their
/// open attempt's deadline follows it.
pub async fn set_override(
    state: &AppState,
    viewer: &Viewer,
    id: &QuizId,
    user_id: &UserId,
    over: &Override,
) -> Result<(), QuizError> {
    let mut tx = state.db.begin().await?;
    let (_, quiz) = staff_quiz(state, &mut tx, viewer, id).await?;
    let probe = Settings {
        close_at: over.close_at,
        time_limit_minutes: over.time_limit_minutes,
        attempts_allowed: over.attempts_allowed,
        open_at: quiz.settings.open_at,
        ..Settings::default()
    };
    let errors = probe.validate();
    if !errors.is_empty() {
        return Err(QuizError::Invalid(errors));
    }
    if !lyceum_enrollment::is_active(&mut tx, &CourseId::from(&quiz.course_id), user_id).await? {
        return Err(AppError::field("user_id", Text::new("quizzes.errors.not_a_learner")).into());
    }
    repo::quizzes::set_override(&mut tx, id.as_str(), user_id.as_str(), over).await?;
    if let Some(attempt) = repo::attempts::open_of(&mut tx, id.as_str(), user_id.as_str()).await? {
        let deadline = Limits::of(&quiz.settings, Some(over)).deadline(attempt.started_at);
        deadlines::moved(&mut tx, &attempt, deadline).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Removes a learner's accommodation; their open attempt's deadline goes back to the quiz's.
pub async fn delete_override(state: &AppState, viewer: &Viewer, id: &QuizId, user_id: &UserId) -> Result<(), AppError> {
    let mut tx = state.db.begin().await?;
    let (_, quiz) = staff_quiz(state, &mut tx, viewer, id).await?;
    // Idempotent: removing an override that is not there leaves nothing to remove.
    repo::quizzes::delete_override(&mut tx, id.as_str(), user_id.as_str()).await?;
    if let Some(attempt) = repo::attempts::open_of(&mut tx, id.as_str(), user_id.as_str()).await? {
        let deadline = Limits::of(&quiz.settings, None).deadline(attempt.started_at);
        deadlines::moved(&mut tx, &attempt, deadline).await?;
    }
    tx.commit().await?;
    Ok(())
}

pub async fn overrides(
    state: &AppState,
    viewer: &Viewer,
    id: &QuizId,
) -> Result<Vec<repo::quizzes::OverrideRow>, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    staff_quiz(state, &mut conn, viewer, id).await?;
    Ok(repo::quizzes::overrides(&mut conn, id.as_str()).await?)
}

/// What the staff's quiz page shows beside the quiz: the bank to pick
/// questions and categories from.
pub struct StaffView {
    pub course: Course,
    pub quiz: Quiz,
    /// The course's live questions, oldest first.
    pub questions: Vec<crate::model::QuestionRow>,
    pub categories: Vec<crate::model::CategoryCount>,
}

pub async fn for_staff(state: &AppState, viewer: &Viewer, id: &QuizId) -> Result<StaffView, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    let (course, quiz) = staff_quiz(state, &mut conn, viewer, id).await?;
    let questions = repo::questions::in_categories(&mut conn, &quiz.course_id, None).await?;
    let categories = repo::categories::of_course(&mut conn, &quiz.course_id).await?;
    Ok(StaffView { course, quiz, questions, categories })
}

/// The quiz of an activity lesson, for its staff (the outline editor links to it).
pub async fn of_lesson_for_staff(state: &AppState, viewer: &Viewer, lesson_id: &LessonId) -> Result<QuizId, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    let row = repo::quizzes::by_lesson(&mut conn, lesson_id.as_str()).await?.ok_or_else(AppError::not_found)?;
    let id = QuizId::from(&row.id);
    staff_quiz(state, &mut conn, viewer, &id).await?;
    Ok(id)
}

/// Creates a quiz with default settings and no questions at the end of a
/// module (the outline editor's "add a quiz").
pub async fn create_in_module(
    state: &AppState,
    viewer: &Viewer,
    module_id: &ModuleId,
    title: &str,
) -> Result<Quiz, QuizError> {
    let (module, _) = courses::outline::get_module(state, viewer, module_id).await?;
    let course_id = CourseId::from(&module.course_id);
    create(state, viewer, &course_id, module_id, title, "", QuizInput::default()).await
}

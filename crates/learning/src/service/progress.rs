//! Recording progress, a learner's progress in one course, and completing a
//! course (certificate + `course.completed`, in the same transaction — or,
//! when the course's certificate also needs a passing grade and the learner
//! has none yet, no certificate and the reason: [`super::grade_condition`]).

use std::{
    collections::{HashMap, HashSet},
    sync::Arc,
    time::Duration,
};

use lyceum_courses::{
    model::{Course, LessonKind, LessonRef},
    service::read,
};
use lyceum_platform::ids::{CourseId, LessonId, UserId};
use lyceum_platform::{
    AppError, AppState, FieldError, Text,
    auth::Viewer,
    db::{self, ConnSource, LazyConn},
};
use sqlx::AnyConnection;

use super::{
    access::{self, Seen},
    certificates::{self, Learner},
    grade_condition::{self, GradeShortfall},
};
use crate::{
    model::{self, Certificate, CourseProgress, LessonProgress, POSITION_MAX_SECONDS, Summary},
    repo,
};

/// What a learner reports about one lesson; at least one field.
#[derive(Debug, Default, Clone)]
pub struct ProgressInput {
    pub completed: Option<bool>,
    pub position_seconds: Option<i64>,
}

fn check(input: &ProgressInput, kind: LessonKind) -> Result<(), AppError> {
    let mut errors = Vec::new();
    if input.completed.is_none() && input.position_seconds.is_none() {
        errors.push(FieldError::new("completed", Text::new("learning.errors.progress_empty")));
    }
    if let Some(p) = input.position_seconds {
        if kind != LessonKind::Video {
            errors.push(FieldError::new("position_seconds", Text::new("learning.errors.position_not_video")));
        } else if !(0..=POSITION_MAX_SECONDS).contains(&p) {
            let range = Text::new("learning.errors.position_range").arg("max", POSITION_MAX_SECONDS);
            errors.push(FieldError::new("position_seconds", range));
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(AppError::validation(errors)) }
}

fn learners_only() -> AppError {
    AppError::forbidden_kind("enrollment-required", "Enrollment required", Text::new("learning.errors.learners_only"))
}

/// The result of a progress write.
pub struct Recorded {
    pub lesson: LessonProgress,
    pub course: CourseDetail,
    /// Set when this write completed the course (the certificate was just issued).
    pub just_completed: bool,
    pub course_slug: String,
}

impl Recorded {
    /// The lesson after this one in outline order, if any.
    pub fn next_lesson_id(&self) -> Option<&str> {
        let ids = &self.course.outline_ids;
        let at = ids.iter().position(|id| *id == self.lesson.lesson_id)?;
        ids.get(at + 1).map(String::as_str)
    }
}

/// Records completion and/or the resume position of a lesson for an enrolled
/// learner. When it completes the last lesson, the course is completed and the
/// certificate issued in the same transaction. A lesson completed by an
/// activity (a quiz, an assignment) is refused: its activity completes it.
pub async fn record(
    state: &AppState,
    viewer: &Viewer,
    lesson_id: &LessonId,
    input: ProgressInput,
) -> Result<Recorded, AppError> {
    let found = access::cached_lesson(state, lesson_id).await?;
    let access = found.access(state, &mut LazyConn::new(&state.db), Some(viewer)).await?;
    let access = access.map_err(access::Denied::into_error)?;
    if !access.enrolled || access.seen == Seen::Preview {
        return Err(learners_only());
    }
    let (lesson, course) = (&found.rendered.lesson, &found.content.course);
    check(&input, lesson.kind())?;
    if input.completed.is_some() && lesson.activity.is_some() {
        let text = Text::new("learning.errors.completed_by_activity");
        return Err(AppError::conflict(text).with_kind("completed-by-activity"));
    }
    let learner = Learner { user_id: &viewer.user_id, name: &viewer.display_name };
    let outline = Outline { course, lessons: &found.content.lessons };
    write(state, &learner, lesson_id, outline, &input).await?.ok_or_else(learners_only)
}

/// Completes an activity's lesson (a quiz's, an assignment's) for `user_id`
/// because the activity's rule held — what a learner's "mark complete" does
/// for other lessons, course completion and certificate included. Idempotent: completing
/// again changes nothing. Returns false, changing nothing, when the lesson is
/// gone or is no activity's, or the learner is gone or no longer enrolled.
pub async fn complete_activity(state: &AppState, user_id: &UserId, lesson_id: &LessonId) -> Result<bool, AppError> {
    let (course, lessons, name) = {
        let mut conn = state.db.pool().acquire().await?;
        let Some(lesson) = read::lesson(&mut conn, lesson_id).await?.filter(|l| l.activity.is_some()) else {
            return Ok(false);
        };
        let course_id = CourseId::from(&lesson.course_id);
        let Some(course) = read::course(&mut conn, &course_id).await? else {
            return Ok(false);
        };
        let lessons = read::lesson_refs(&mut conn, &[course_id]).await?;
        drop(conn);
        let Some(user) = lyceum_accounts::service::identity::find(state, user_id).await? else {
            return Ok(false);
        };
        (course, lessons, user.display_name)
    };
    let learner = Learner { user_id: user_id.as_str(), name: &name };
    let input = ProgressInput { completed: Some(true), position_seconds: None };
    let outline = Outline { course: &course, lessons: &lessons };
    Ok(write(state, &learner, lesson_id, outline, &input).await?.is_some())
}

/// A course and its lessons in outline order, as the writer read them
/// before its transaction (from the cached content, or the database).
#[derive(Clone, Copy)]
struct Outline<'a> {
    course: &'a Course,
    lessons: &'a [LessonRef],
}

/// The write of [`record`] and [`complete_activity`]; None (nothing written)
/// when the learner is not actively enrolled. The transaction writes and
/// reads only the learner's own rows (SQLite's one writer holds its turn for
/// as few statements as it can); completion is judged against the outline
/// the caller read — the one the learner was shown.
async fn write(
    state: &AppState,
    learner: &Learner<'_>,
    lesson_id: &LessonId,
    outline: Outline<'_>,
    input: &ProgressInput,
) -> Result<Option<Recorded>, AppError> {
    let (course, user_id) = (outline.course, UserId::from(learner.user_id));
    let now = db::now_ms();
    let mut tx = state.db.begin().await?;
    // A write first: it takes the course_progress row lock on PostgreSQL (see
    // the progress migration); SQLite's write lock is held since `begin`.
    repo::progress::touch_course(&mut tx, learner.user_id, &course.id, lesson_id.as_str(), now).await?;
    if !lyceum_enrollment::is_active(&mut tx, &CourseId::from(&course.id), &user_id).await? {
        return Ok(None);
    }
    repo::progress::upsert_lesson(
        &mut tx,
        learner.user_id,
        lesson_id.as_str(),
        &course.id,
        input.completed,
        input.position_seconds,
        now,
    )
    .await?;
    let mut rows = Rows::read(&mut tx, learner.user_id, &course.id).await?;
    let lesson =
        rows.lessons.iter().find(|r| r.lesson_id == lesson_id.as_str()).cloned().ok_or_else(AppError::not_found)?;
    let summary = detail_from(course, outline.lessons, &rows).summary;
    let mut just_completed = false;
    let mut waits = None;
    if summary.total > 0 && summary.completed == summary.total {
        repo::progress::set_course_completed(&mut tx, learner.user_id, &course.id, now).await?;
        // The rows as now written (the course row exists: `touch_course` above).
        if let Some(row) = rows.course.as_mut() {
            row.completed_at = row.completed_at.or(Some(now));
        }
        // A certificate once issued stays; a new one may wait for a passing grade.
        if rows.certificate.is_none() {
            waits = grade_condition::shortfall(&mut tx, &CourseId::from(&course.id), &user_id).await?;
        }
        if waits.is_none() {
            let (certificate, issued) = certificates::issue(state, &mut tx, learner, course, now).await?;
            just_completed = issued;
            rows.certificate = Some(certificate);
        }
    }
    let mut detail = detail_from(course, outline.lessons, &rows);
    detail.certificate_waits = waits;
    tx.commit().await?;
    rows.keep(state, learner.user_id, &course.id).await;
    Ok(Some(Recorded { lesson, course: detail, just_completed, course_slug: course.slug.clone() }))
}

/// The progress rows' cache namespace: one entry per learner and course.
const ROWS_CACHE: &str = "learning.progress";
/// How long rows are kept without a write (a write replaces them at once).
const ROWS_TTL: Duration = Duration::from_secs(60);

/// One learner's rows in one course: the course row, the lesson rows and the
/// certificate. The lesson view reads them from the cache ([`Rows::cached`])
/// instead of the tables; [`write`], the only writer of these tables, keeps
/// what it committed (write-through), so the learner's next view shows it.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
struct Rows {
    course: Option<CourseProgress>,
    lessons: Vec<LessonProgress>,
    certificate: Option<Certificate>,
}

impl Rows {
    /// From the tables (2 queries once the course is completed, else 1).
    async fn read(conn: &mut AnyConnection, user_id: &str, course_id: &str) -> Result<Self, AppError> {
        let (course, lessons) = repo::progress::of_course(conn, user_id, course_id).await?;
        // A certificate is issued with the course's completion, in its transaction:
        // no completion, no certificate to look for (one query fewer per view).
        let certificate = match course.as_ref().and_then(|c| c.completed_at) {
            Some(_) => repo::certificates::of_user_course(conn, user_id, course_id).await?,
            None => None,
        };
        Ok(Self { course, lessons, certificate })
    }

    async fn cached(
        state: &AppState,
        conn: &mut impl ConnSource,
        user_id: &str,
        course_id: &str,
    ) -> Result<Arc<Self>, AppError> {
        let key = rows_key(user_id, course_id);
        let load = async { Self::read(conn.conn().await?, user_id, course_id).await };
        state.cache.get_or_load_shared(ROWS_CACHE, &key, ROWS_TTL, load).await
    }

    /// Called after (never before) the commit that wrote them.
    async fn keep(&self, state: &AppState, user_id: &str, course_id: &str) {
        state.cache.set_json(ROWS_CACHE, &rows_key(user_id, course_id), self, ROWS_TTL).await;
    }
}

fn rows_key(user_id: &str, course_id: &str) -> String {
    format!("{user_id}:{course_id}")
}

/// Drops a learner's cached rows after a write outside [`write`] (a
/// certificate issued when a grade passed): the next view reads the tables.
pub(crate) async fn forget_rows(state: &AppState, user_id: &str, course_id: &str) {
    state.cache.delete(ROWS_CACHE, &rows_key(user_id, course_id)).await;
}

/// One learner's progress in one course.
pub struct CourseDetail {
    pub course_id: String,
    pub summary: Summary,
    pub completed_lesson_ids: Vec<String>,
    /// Saved video positions, by lesson id.
    pub positions: HashMap<String, i64>,
    pub last_activity_at: Option<i64>,
    pub completed_at: Option<i64>,
    pub certificate: Option<Certificate>,
    /// A completed course whose certificate waits for a passing grade: what it needs.
    pub certificate_waits: Option<GradeShortfall>,
    /// Every lesson id in outline order.
    pub outline_ids: Vec<String>,
}

impl CourseDetail {
    pub fn is_completed(&self, lesson_id: &str) -> bool {
        self.completed_lesson_ids.iter().any(|id| id == lesson_id)
    }
}

/// Computes a learner's progress in `course` (2 queries; 3 once completed).
pub async fn detail(conn: &mut AnyConnection, user_id: &UserId, course: &Course) -> Result<CourseDetail, AppError> {
    let ids = [CourseId::from(&course.id)];
    let refs = read::lesson_refs(conn, &ids).await?;
    detail_in(conn, user_id, course, &refs).await
}

/// [`detail`] for a course whose lessons (`refs`, in outline order) the
/// caller already has (1 query; 2 once the course is completed).
pub async fn detail_in(
    conn: &mut AnyConnection,
    user_id: &UserId,
    course: &Course,
    refs: &[LessonRef],
) -> Result<CourseDetail, AppError> {
    let rows = Rows::read(conn, user_id.as_str(), &course.id).await?;
    let mut detail = detail_from(course, refs, &rows);
    grade_condition::explain(conn, user_id, &mut detail).await?;
    Ok(detail)
}

/// [`detail_in`] from the learner's rows as the cache keeps them (no query
/// when kept): the lesson view's progress. `conn` answers a miss.
pub async fn detail_cached(
    state: &AppState,
    conn: &mut impl ConnSource,
    user_id: &UserId,
    course: &Course,
    refs: &[LessonRef],
) -> Result<CourseDetail, AppError> {
    let rows = Rows::cached(state, conn, user_id.as_str(), &course.id).await?;
    let mut detail = detail_from(course, refs, &rows);
    grade_condition::explain(conn, user_id, &mut detail).await?;
    Ok(detail)
}

/// A learner's progress from their rows in a course.
fn detail_from(course: &Course, refs: &[LessonRef], rows: &Rows) -> CourseDetail {
    let completed: HashSet<String> =
        rows.lessons.iter().filter(|r| r.completed_at.is_some()).map(|r| r.lesson_id.clone()).collect();
    let outline: Vec<_> = refs.iter().collect();
    let course_row = rows.course.as_ref();
    let last = course_row.and_then(|c| c.last_lesson_id.as_deref());
    let summary = model::summarize(&outline, &completed, last);
    // In outline order, and only lessons that still exist.
    let completed_lesson_ids = refs.iter().filter(|l| completed.contains(&l.id)).map(|l| l.id.clone()).collect();
    let positions = rows.lessons.iter().filter(|r| r.position_seconds > 0);
    CourseDetail {
        course_id: course.id.clone(),
        summary,
        completed_lesson_ids,
        positions: positions.map(|r| (r.lesson_id.clone(), r.position_seconds)).collect(),
        last_activity_at: course_row.map(|c| c.last_activity_at),
        completed_at: course_row.and_then(|c| c.completed_at),
        certificate: rows.certificate.clone(),
        certificate_waits: None,
        outline_ids: refs.iter().map(|l| l.id.clone()).collect(),
    }
}

/// The viewer's progress in a course they may open (enrolled learners; staff see their own, usually empty).
pub async fn course_progress(
    state: &AppState,
    viewer: &Viewer,
    course_id: &CourseId,
) -> Result<CourseDetail, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    let viewable = access::viewable_course_by_id(&mut conn, Some(viewer), course_id).await?;
    detail(&mut conn, &viewer.id(), &viewable.course).await
}

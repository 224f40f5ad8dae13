//! A learner's attempts: start (idempotent) and answers saved as they go;
//! submitting and the automatic grading it runs are in `submit`. Only the
//! attempt's learner works on it; its course's staff may look. Everyone else
//! gets 404.

use std::time::Duration;

use lyceum_assessment::{Layout, Outcome, Question, QuestionKind, QuestionView, Response, grade};
use lyceum_platform::{AppError, AppState, auth::Viewer, db};
use rand::{Rng, SeedableRng, rngs::StdRng, seq::SliceRandom};
use sqlx::AnyConnection;

use super::{
    deadlines, decode,
    quizzes::{self, Quiz, Role},
};
use crate::{
    QuizError,
    model::QuestionRow,
    model::{AttemptId, QuizId},
    quiz::{
        attempt::{self, GRACE_MS, Limits, Pinned},
        settings::{FeedbackMode, Source},
    },
    repo::{
        self,
        attempts::{AnswerRow, AttemptRow, NewAttempt},
        files::FileRow,
    },
};

/// Question versions never change once written, so a pinned one is cached
/// for as long as memory allows: an exam burst reads each once.
const VERSIONS_CACHE: &str = "quizzes.versions";
const VERSIONS_TTL: Duration = Duration::from_secs(3600);

/// A question as an attempt pinned it.
pub(crate) async fn pinned_question(
    state: &AppState,
    conn: &mut AnyConnection,
    question_id: &str,
    version: i64,
) -> Result<Question, AppError> {
    let key = format!("{question_id}:{version}");
    state
        .cache
        .get_or_load_json(VERSIONS_CACHE, &key, VERSIONS_TTL, async {
            let row = repo::questions::version(conn, question_id, version).await?.ok_or_else(AppError::not_found)?;
            decode(&row.data)
        })
        .await
}

pub(crate) fn pinned_of(row: &AttemptRow) -> Result<Vec<Pinned>, AppError> {
    serde_json::from_str(&row.questions).map_err(AppError::internal)
}

/// How the viewer stands to an attempt: its learner (still enrolled), or its
/// course's staff. Everyone else gets 404. The learner is asked first: an
/// attempt's own learner is who calls it thousands of times in an exam, and
/// both answers come from caches then.
pub(crate) async fn visible_attempt(
    state: &AppState,
    conn: &mut AnyConnection,
    viewer: &Viewer,
    id: &AttemptId,
) -> Result<(AttemptRow, Quiz, Role), AppError> {
    let row = repo::attempts::by_id(conn, id.as_str()).await?.ok_or_else(AppError::not_found)?;
    let quiz = quizzes::cached(state, conn, &QuizId::from(&row.quiz_id)).await?;
    let course_id = lyceum_platform::ids::CourseId::from(&quiz.course_id);
    if row.user_id == viewer.user_id
        && lyceum_enrollment::is_active_cached(state, conn, &course_id, &viewer.id()).await?
    {
        return Ok((row, quiz, Role::Learner));
    }
    if lyceum_courses::service::access::is_staff(conn, viewer, &course_id).await? {
        return Ok((row, quiz, Role::Staff));
    }
    Err(AppError::not_found())
}

/// The limits that apply to `user_id` at `quiz`.
pub(crate) async fn limits_for(conn: &mut AnyConnection, quiz: &Quiz, user_id: &str) -> Result<Limits, AppError> {
    let over = repo::quizzes::override_of(conn, &quiz.id, user_id).await?;
    Ok(Limits::of(&quiz.settings, over.as_ref()))
}

/// Starts an attempt, or returns the learner's open one (a double click
/// starts one attempt). Returns it and whether it is new.
pub async fn start(state: &AppState, viewer: &Viewer, id: &QuizId) -> Result<(AttemptRow, bool), QuizError> {
    let begun = begin(state, viewer, id).await?;
    Ok((begun.row, begun.fresh.is_some()))
}

/// [`start`] with the attempt as its learner sees it (the API's answer). A
/// new attempt's view is built from what the start drew, without reading it
/// back: an exam's starts come all at once.
pub async fn start_view(state: &AppState, viewer: &Viewer, id: &QuizId) -> Result<(AttemptView, bool), QuizError> {
    let begun = begin(state, viewer, id).await?;
    let Some((quiz, pinned, questions)) = begun.fresh else {
        return Ok((view(state, viewer, &AttemptId::from(&begun.row.id)).await?, false));
    };
    let mut slots = Vec::with_capacity(pinned.len());
    for (pinned, question) in pinned.into_iter().zip(questions) {
        let view = QuestionView::new(&question, &pinned.layout).map_err(AppError::internal)?;
        slots.push(SlotView { pinned, question, view, response: None, checked: None, files: Vec::new() });
    }
    let now = begun.row.started_at;
    Ok((AttemptView { quiz, row: begun.row, role: Role::Learner, slots, now }, true))
}

/// A started attempt; `fresh` holds what a new one drew.
struct Begun {
    row: AttemptRow,
    fresh: Option<(Quiz, Vec<Pinned>, Vec<Question>)>,
}

async fn begin(state: &AppState, viewer: &Viewer, id: &QuizId) -> Result<Begun, QuizError> {
    let mut conn = state.db.pool().acquire().await?;
    let (quiz, role) = quizzes::visible(state, &mut conn, viewer, id).await?;
    if role != Role::Learner {
        // Staff try questions in the bank's preview; attempts are the learners'.
        return Err(AppError::forbidden_kind(
            "learners-only",
            "Learners only",
            lyceum_platform::Text::new("quizzes.errors.learners_only"),
        )
        .into());
    }
    // One read for both: the open attempt, if any, and how many were used.
    let mut mine = repo::attempts::of_user(&mut conn, id.as_str(), &viewer.user_id).await?;
    let used = mine.len() as i64;
    if let Some(at) = mine.iter().position(|a| a.state == "in_progress") {
        return Ok(Begun { row: mine.swap_remove(at), fresh: None });
    }
    let now = db::now_ms();
    let limits = limits_for(&mut conn, &quiz, &viewer.user_id).await?;
    if let Some(why) = limits.refuse_start(now, used) {
        return Err(QuizError::CannotStart(why));
    }
    let (pinned, questions) = draw(state, &mut conn, &quiz).await?;
    drop(conn);
    let row = AttemptRow {
        id: db::new_id(),
        quiz_id: id.as_str().to_string(),
        user_id: viewer.user_id.clone(),
        number: used + 1,
        state: "in_progress".to_string(),
        questions: serde_json::to_string(&pinned).map_err(AppError::internal)?,
        started_at: now,
        deadline_at: limits.deadline(now),
        submitted_at: None,
        timed_out: 0,
        marks: None,
        max_marks: pinned.iter().map(|p| p.mark).sum(),
        ungraded: 0,
        updated_at: now,
    };
    let new = NewAttempt {
        id: &row.id,
        quiz_id: &row.quiz_id,
        user_id: &row.user_id,
        number: row.number,
        questions: &row.questions,
        started_at: now,
        deadline_at: row.deadline_at,
        max_marks: row.max_marks,
    };
    let mut tx = state.db.begin().await?;
    let created = repo::attempts::insert(&mut tx, &new).await?;
    if created && let Some(deadline) = row.deadline_at {
        deadlines::schedule(&mut tx, &row.id, deadline).await?;
    }
    tx.commit().await?;
    if created {
        return Ok(Begun { row, fresh: Some((quiz, pinned, questions)) });
    }
    // A concurrent start won: that attempt is this one.
    let mut conn = state.db.pool().acquire().await?;
    let open = repo::attempts::open_of(&mut conn, id.as_str(), &viewer.user_id).await?;
    Ok(Begun { row: open.ok_or(QuizError::AttemptClosed)?, fresh: None })
}

/// Draws the attempt's questions: each slot's question (its current
/// version) or one at random from its category, never one twice; a layout
/// per question; the slots shuffled when the quiz says so.
async fn draw(
    state: &AppState,
    conn: &mut AnyConnection,
    quiz: &Quiz,
) -> Result<(Vec<Pinned>, Vec<Question>), QuizError> {
    // Seeded from the thread's generator: that one may not be held across an await.
    let mut rng = StdRng::from_rng(&mut rand::rng());
    let mut taken: Vec<String> = Vec::new();
    let mut pinned = Vec::new();
    // One query for the fixed questions, one per category drawn from.
    let fixed_ids: Vec<String> = quiz
        .slots
        .iter()
        .filter_map(|s| match &s.source {
            Source::Question { question_id } => Some(question_id.clone()),
            Source::Random { .. } => None,
        })
        .collect();
    let fixed = repo::questions::by_ids(conn, &fixed_ids).await?;
    let mut pools: Vec<(String, Vec<QuestionRow>)> = Vec::new();
    for (slot, s) in quiz.slots.iter().enumerate() {
        let row = match &s.source {
            Source::Question { question_id } => fixed.iter().find(|q| q.id == *question_id).cloned(),
            Source::Random { category_id } => {
                if !pools.iter().any(|(c, _)| c == category_id) {
                    let ids = [category_id.clone()];
                    let pool = repo::questions::in_categories(conn, &quiz.course_id, Some(&ids)).await?;
                    pools.push((category_id.clone(), pool));
                }
                let pool = &mut pools.iter_mut().find(|(c, _)| c == category_id).expect("pool just made").1;
                pool.retain(|q| !taken.contains(&q.id));
                if pool.is_empty() {
                    // The category has fewer questions than the quiz draws from it.
                    return Err(QuizError::NoQuestions);
                }
                Some(pool.swap_remove(rng.random_range(0..pool.len())))
            }
        };
        // A question deleted from the bank since is skipped, as Moodle does.
        let Some(row) = row.filter(|q| !taken.contains(&q.id)) else { continue };
        let question = pinned_question(state, conn, &row.id, row.current_version).await?;
        // A description asks nothing: it is worth nothing.
        let mark = match &question.kind {
            QuestionKind::Description => 0.0,
            _ => s.mark,
        };
        let layout = Layout::new(&question, quiz.settings.shuffle_answers, &mut rng);
        taken.push(row.id.clone());
        pinned.push((Pinned { slot, question_id: row.id, version: row.current_version, layout, mark }, question));
    }
    if pinned.is_empty() {
        return Err(QuizError::NoQuestions);
    }
    if quiz.settings.shuffle_questions {
        pinned.shuffle(&mut rng);
    }
    Ok(pinned.into_iter().unzip())
}

/// One question of an attempt as its learner works on it.
pub struct SlotView {
    pub pinned: Pinned,
    pub question: Question,
    pub view: QuestionView,
    pub response: Option<Response>,
    /// Immediate feedback: the outcome of a checked answer (final).
    pub checked: Option<Outcome>,
    /// The files attached to the answer (essays that take them).
    pub files: Vec<FileRow>,
}

pub struct AttemptView {
    pub quiz: Quiz,
    pub row: AttemptRow,
    pub role: Role,
    pub slots: Vec<SlotView>,
    /// The server's time when this was read: the page counts down from it.
    pub now: i64,
}

impl AttemptView {
    pub fn is_open(&self) -> bool {
        self.row.state == "in_progress"
    }
    pub fn remaining_ms(&self) -> Option<i64> {
        self.row.deadline_at.map(|d| (d - self.now).max(0))
    }
    pub fn answered(&self) -> usize {
        self.slots.iter().filter(|s| s.response.as_ref().is_some_and(|r| !r.is_empty())).count()
    }
}

/// The attempt with its questions and saved answers. An open attempt whose
/// time ran out is submitted first (the deadline job may not have run yet).
pub async fn view(state: &AppState, viewer: &Viewer, id: &AttemptId) -> Result<AttemptView, QuizError> {
    let mut conn = state.db.pool().acquire().await?;
    let (mut row, quiz, role) = visible_attempt(state, &mut conn, viewer, id).await?;
    let now = db::now_ms();
    if row.state == "in_progress" && !attempt::in_time(row.deadline_at, now) {
        drop(conn);
        super::submit::finish(state, &row, true).await?;
        conn = state.db.pool().acquire().await?;
        row = repo::attempts::by_id(&mut conn, id.as_str()).await?.ok_or_else(AppError::not_found)?;
    }
    let answers = repo::attempts::answers(&mut conn, id.as_str()).await?;
    let mut slots = Vec::new();
    for (i, pinned) in pinned_of(&row)?.into_iter().enumerate() {
        let question = pinned_question(state, &mut conn, &pinned.question_id, pinned.version).await?;
        let view = QuestionView::new(&question, &pinned.layout).map_err(AppError::internal)?;
        let answer = repo::attempts::answer_of(&answers, i);
        let response = answer.and_then(AnswerRow::response);
        let checked = answer.filter(|a| a.checked != 0).and_then(AnswerRow::outcome);
        slots.push(SlotView { pinned, question, view, response, checked, files: Vec::new() });
    }
    // Only an answer that counts files has any to read.
    if slots.iter().any(|s| matches!(s.response, Some(Response::Essay { attachments, .. }) if attachments > 0)) {
        for file in repo::files::answer_files_of(&mut conn, id.as_str()).await? {
            if let Some(slot) = usize::try_from(file.slot).ok().and_then(|s| slots.get_mut(s)) {
                slot.files.push(file);
            }
        }
    }
    Ok(AttemptView { quiz, row, role, slots, now })
}

/// Saves the learner's answers (slot numbers from 0, in the attempt's
/// order). With `check` under immediate feedback, each is graded at once
/// and becomes final. Returns the outcomes of checked answers, by slot.
pub async fn save(
    state: &AppState,
    viewer: &Viewer,
    id: &AttemptId,
    answers: Vec<(usize, Response)>,
    check: bool,
) -> Result<Vec<(usize, Outcome)>, QuizError> {
    let mut conn = state.db.pool().acquire().await?;
    let (row, quiz, role) = visible_attempt(state, &mut conn, viewer, id).await?;
    if role != Role::Learner || row.state != "in_progress" {
        return Err(QuizError::AttemptClosed);
    }
    let check = check && quiz.settings.feedback == FeedbackMode::Immediate;
    let pinned = pinned_of(&row)?;
    let mut writes = Vec::new();
    let mut checked = Vec::new();
    // Essays that take files: their count is the files', never the client's.
    let mut with_files = false;
    for (slot, response) in answers {
        let p = pinned.get(slot).ok_or(QuizError::NoSuchSlot(slot))?;
        let question = pinned_question(state, &mut conn, &p.question_id, p.version).await?;
        let outcome = grade(&question, &p.layout, &response).map_err(|e| QuizError::BadResponse(slot, e))?;
        let takes_files = question.kind.attachments_allowed() > 0;
        with_files |= takes_files;
        let outcome_json = if check {
            checked.push((slot, outcome.clone()));
            Some(serde_json::to_string(&outcome).map_err(AppError::internal)?)
        } else {
            None
        };
        writes.push((slot, response, outcome_json, takes_files));
    }
    drop(conn);
    let now = db::now_ms();
    let mut tx = state.db.begin().await?;
    if !repo::attempts::hold_open(&mut tx, id.as_str(), now, GRACE_MS).await? {
        return Err(QuizError::AttemptClosed);
    }
    // Read after the hold, so a file added or removed concurrently is counted.
    let counts = match with_files {
        true => repo::files::answer_file_counts(&mut tx, id.as_str()).await?,
        false => Vec::new(),
    };
    let mut encoded = Vec::with_capacity(writes.len());
    for (slot, mut response, outcome, takes_files) in writes {
        let count = counts.iter().find(|(s, _)| *s == slot as i64).map_or(0, |c| c.1);
        let count = u8::try_from(count).unwrap_or(u8::MAX);
        match &mut response {
            Response::Essay { attachments, .. } => *attachments = count,
            // No text typed, but files attached: the answer is the files (a
            // form sent without text must not hide them).
            Response::Unanswered if takes_files && count > 0 => {
                response = Response::Essay { text: String::new(), attachments: count };
            }
            _ => {}
        }
        encoded.push((slot, serde_json::to_string(&response).map_err(AppError::internal)?, outcome));
    }
    for (slot, json, outcome) in &encoded {
        if !repo::attempts::save_answer(&mut tx, id.as_str(), *slot as i64, json, outcome.as_deref(), now).await? {
            return Err(QuizError::AnswerChecked(*slot));
        }
    }
    tx.commit().await?;
    Ok(checked)
}

/// The learner's attempts at a quiz, with the limits that apply to them.
pub struct Mine {
    pub quiz: Quiz,
    pub role: Role,
    pub attempts: Vec<AttemptRow>,
    pub limits: Limits,
    pub now: i64,
}

impl Mine {
    /// The quiz grade (percent) of the graded attempts, by the quiz's grading method.
    pub fn grade(&self) -> Option<f64> {
        let percents: Vec<f64> = self
            .attempts
            .iter()
            .filter(|a| a.state == "graded")
            .map(|a| attempt::percent(a.marks.unwrap_or(0.0), a.max_marks))
            .collect();
        crate::quiz::settings::quiz_grade(self.quiz.settings.grading_method, &percents)
    }

    pub fn open(&self) -> Option<&AttemptRow> {
        self.attempts.iter().find(|a| a.state == "in_progress")
    }

    /// Why a new attempt could not start now, if it could not.
    pub fn refusal(&self) -> Option<attempt::StartRefusal> {
        self.limits.refuse_start(self.now, self.attempts.len() as i64)
    }
}

pub async fn mine(state: &AppState, viewer: &Viewer, id: &QuizId) -> Result<Mine, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    let (quiz, role) = quizzes::visible(state, &mut conn, viewer, id).await?;
    let attempts = repo::attempts::of_user(&mut conn, id.as_str(), &viewer.user_id).await?;
    let limits = limits_for(&mut conn, &quiz, &viewer.user_id).await?;
    Ok(Mine { quiz, role, attempts, limits, now: db::now_ms() })
}

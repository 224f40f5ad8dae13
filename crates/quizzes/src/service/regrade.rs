//! Regrading after a question is fixed: every submitted attempt of a quiz (or
//! one attempt) is graded again, by a background job in batches, never in a
//! request. A slot moves to its question's latest version when that version
//! still fits the layout the learner was shown (same kind, same number of
//! choices); otherwise it keeps the version it was shown. A person's grade
//! is kept. The regrade's row is its progress (done of total).

use lyceum_assessment::{Outcome, Response, grade};
use lyceum_platform::{
    AppError, AppState,
    auth::Viewer,
    db, events,
    jobs::{self, Job, JobError},
};
use serde::{Deserialize, Serialize};

use super::{
    attempts::{pinned_of, pinned_question, visible_attempt},
    quizzes::{self, Role},
    submit::graded_event,
};
use crate::{
    QuizError,
    model::{AttemptId, QuizId},
    quiz::attempt,
    repo::{self, attempts::AttemptRow, regrades::RegradeRow},
};

/// Attempts per batch: one batch is one short job.
const BATCH: i64 = 50;

/// Asks for a regrade of the quiz's submitted attempts (or of `attempt`);
/// the job does the work. Returns the regrade's row (its progress).
pub async fn request(
    state: &AppState,
    viewer: &Viewer,
    id: &QuizId,
    attempt: Option<&AttemptId>,
) -> Result<RegradeRow, QuizError> {
    let mut tx = state.db.begin().await?;
    quizzes::staff_quiz(state, &mut tx, viewer, id).await?;
    let total = match attempt {
        Some(attempt_id) => {
            let (row, _, role) = visible_attempt(state, &mut tx, viewer, attempt_id).await?;
            if row.quiz_id != id.as_str() || role != Role::Staff {
                return Err(AppError::not_found().into());
            }
            if row.state == "in_progress" {
                return Err(QuizError::NotGradable);
            }
            1
        }
        None => repo::attempts::count_finished(&mut tx, id.as_str()).await?,
    };
    let regrade_id =
        repo::regrades::insert(&mut tx, id.as_str(), attempt.map(|a| a.as_str()), &viewer.user_id, total).await?;
    jobs::enqueue::<RegradeBatch>(&mut tx, &Batch { regrade_id: regrade_id.clone() }).await?;
    let row = repo::regrades::by_id(&mut tx, &regrade_id).await?.ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    Ok(row)
}

/// A quiz's regrades, newest first (staff).
pub async fn list(state: &AppState, viewer: &Viewer, id: &QuizId) -> Result<Vec<RegradeRow>, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    quizzes::staff_quiz(state, &mut conn, viewer, id).await?;
    Ok(repo::regrades::of_quiz(&mut conn, id.as_str(), 20).await?)
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Batch {
    pub regrade_id: String,
}

/// One batch of a regrade; enqueues the next in the transaction that records
/// its progress. Idempotent: regrading an attempt twice gives the same
/// grade, and the progress is fenced on the cursor the batch started from.
pub struct RegradeBatch;
impl Job for RegradeBatch {
    const KIND: &'static str = "quizzes.regrade_batch";
    const QUEUE: &'static str = "quizzes";
    type Payload = Batch;
    async fn run(state: &AppState, payload: Batch) -> Result<(), JobError> {
        let regrade = {
            let mut conn = state.db.pool().acquire().await.map_err(JobError::from)?;
            repo::regrades::by_id(&mut conn, &payload.regrade_id).await?
        };
        let Some(regrade) = regrade.filter(|r| r.finished_at.is_none()) else { return Ok(()) };
        let batch = {
            let mut conn = state.db.pool().acquire().await.map_err(JobError::from)?;
            match &regrade.attempt_id {
                Some(id) => repo::attempts::by_id(&mut conn, id).await?.into_iter().collect(),
                None => {
                    repo::attempts::finished_after(&mut conn, &regrade.quiz_id, regrade.cursor_id.as_deref(), BATCH)
                        .await?
                }
            }
        };
        let mut changed = 0;
        for row in &batch {
            changed += i64::from(regrade_attempt(state, row).await?);
        }
        let finished = regrade.attempt_id.is_some() || (batch.len() as i64) < BATCH;
        let to = batch.last().map(|a| a.id.as_str()).or(regrade.cursor_id.as_deref());
        let mut tx = state.db.begin().await.map_err(JobError::from)?;
        let n = batch.len() as i64;
        if repo::regrades::advance(&mut tx, &regrade.id, regrade.cursor_id.as_deref(), to, n, changed, finished).await?
            && !finished
        {
            jobs::enqueue::<RegradeBatch>(&mut tx, &payload).await?;
        }
        tx.commit().await.map_err(JobError::from)?;
        Ok(())
    }
}

/// Grades one submitted attempt again; true when its marks changed.
async fn regrade_attempt(state: &AppState, row: &AttemptRow) -> Result<bool, AppError> {
    let mut pinned = pinned_of(row)?;
    let now = db::now_ms();
    let mut tx = state.db.begin().await?;
    if !repo::attempts::hold_submitted(&mut tx, &row.id, now).await? {
        return Ok(false);
    }
    let answers = repo::attempts::answers(&mut tx, &row.id).await?;
    let mut outcomes: Vec<Option<Outcome>> = Vec::with_capacity(pinned.len());
    for (i, p) in pinned.iter_mut().enumerate() {
        if let Some(live) = repo::questions::by_id(&mut tx, &p.question_id).await?
            && live.current_version != p.version
        {
            let latest = pinned_question(state, &mut tx, &live.id, live.current_version).await?;
            if p.layout.fits(&latest) {
                p.version = live.current_version;
            }
        }
        let Some(answer) = repo::attempts::answer_of(&answers, i) else {
            outcomes.push(None);
            continue;
        };
        let kept = answer.outcome();
        if answer.graded_by.is_some() {
            outcomes.push(kept);
            continue;
        }
        let question = pinned_question(state, &mut tx, &p.question_id, p.version).await?;
        let response = answer.response().unwrap_or(Response::Unanswered);
        let outcome = grade(&question, &p.layout, &response).map_err(AppError::internal)?;
        let json = serde_json::to_string(&outcome).map_err(AppError::internal)?;
        repo::attempts::set_outcome(&mut tx, &row.id, i as i64, &answer.response, &json, None, now).await?;
        outcomes.push(Some(outcome));
    }
    let (marks, waiting) = attempt::total(&pinned, &outcomes);
    let questions = serde_json::to_string(&pinned).map_err(AppError::internal)?;
    repo::attempts::set_questions(&mut tx, &row.id, &questions).await?;
    repo::attempts::set_result(&mut tx, &row.id, marks, waiting).await?;
    let changed = row.marks.is_none_or(|before| (before - marks).abs() > 1e-9);
    if changed && waiting == 0 {
        let quiz_row = repo::quizzes::by_id(&mut tx, &row.quiz_id).await?.ok_or_else(AppError::not_found)?;
        let quiz = quizzes::load(&mut tx, quiz_row).await?;
        let graded = graded_event(&mut tx, &quiz, row, marks, false).await?;
        events::publish(state, &mut tx, &graded).await?;
    }
    tx.commit().await?;
    Ok(changed)
}

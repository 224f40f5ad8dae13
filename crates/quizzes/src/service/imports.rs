//! Importing a large file in the background: the request reads the file,
//! records what it could not read and leaves the rest to a job that imports
//! `BATCH` questions per transaction, recording its progress in the same
//! transaction. So a page and the API show "done of total" as it goes, and
//! an import cut short (a fault the job's retries did not get past) says how
//! far it got — never a silent half import. The row is the report at the end.

use lyceum_assessment::format::Problem;
use lyceum_platform::{
    AppError, AppState,
    auth::Viewer,
    ids::CourseId,
    jobs::{self, Job, JobError},
};
use serde::{Deserialize, Serialize};

use super::{bank_course, question_files, transfer};
use crate::{
    model::Format,
    repo::{self, imports::ImportRow},
};

/// Questions per batch: one batch is one short transaction.
const BATCH: usize = 100;

/// An import that has not moved for this long is shown as stopped.
pub const STALLED_AFTER_MS: i64 = 10 * 60 * 1000;

/// Records the import (its file and the problems the parser already found)
/// and queues its first batch.
pub(crate) async fn start(
    state: &AppState,
    viewer: &Viewer,
    course_id: &CourseId,
    format: Format,
    text: &str,
    report: &lyceum_assessment::format::ImportReport,
) -> Result<ImportRow, AppError> {
    let problems = serde_json::to_string(&report.problems).map_err(AppError::internal)?;
    let mut tx = state.db.begin().await?;
    bank_course(&mut tx, viewer, course_id).await?;
    let new = repo::imports::NewImport {
        course_id: course_id.as_str(),
        requested_by: &viewer.user_id,
        format: format.name(),
        body: text,
        total: report.questions.len() as i64,
        problems: &problems,
    };
    let id = repo::imports::insert(&mut tx, &new).await?;
    jobs::enqueue::<ImportBatch>(&mut tx, &Batch { import_id: id.clone(), from: Some(0) }).await?;
    let row = repo::imports::by_id(&mut tx, &id).await?.ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    Ok(row)
}

/// An import as its course's staff see it; anyone else gets 404.
pub async fn get(state: &AppState, viewer: &Viewer, id: &str) -> Result<ImportRow, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    let row = repo::imports::by_id(&mut conn, id).await?.ok_or_else(AppError::not_found)?;
    bank_course(&mut conn, viewer, &CourseId::from(&row.course_id)).await?;
    Ok(row)
}

impl ImportRow {
    /// What could not be imported, by line.
    pub fn problems(&self) -> Vec<Problem> {
        let mut problems: Vec<Problem> = serde_json::from_str(&self.problems).unwrap_or_default();
        problems.sort_by_key(|p| p.line);
        problems
    }

    /// `running`, `finished`, or `stopped` (no progress for `STALLED_AFTER_MS`).
    pub fn state(&self, now_ms: i64) -> &'static str {
        match self.finished_at {
            Some(_) => "finished",
            None if now_ms - self.updated_at > STALLED_AFTER_MS => "stopped",
            None => "running",
        }
    }

    /// Progress in whole percent.
    pub fn percent(&self) -> i64 {
        if self.total == 0 { 100 } else { self.done * 100 / self.total }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Batch {
    pub import_id: String,
    /// The count this batch starts from. A delivery whose count the import
    /// has passed is a repeat and does nothing — without it, a repeat that
    /// arrives after the first run committed would do the next batch's work
    /// beside the next batch's own job. `None` in messages queued before the
    /// field existed: those continue from wherever the import is.
    #[serde(default)]
    pub from: Option<i64>,
}

/// One batch of an import; enqueues the next in the transaction that writes
/// its questions and records its progress, fenced on the count it started
/// from, so a batch run twice imports once.
pub struct ImportBatch;
impl Job for ImportBatch {
    const KIND: &'static str = "quizzes.import_batch";
    const QUEUE: &'static str = "quizzes";
    type Payload = Batch;
    async fn run(state: &AppState, payload: Batch) -> Result<(), JobError> {
        let (row, body) = {
            let mut conn = state.db.pool().acquire().await.map_err(JobError::from)?;
            let row = repo::imports::by_id(&mut conn, &payload.import_id).await?;
            (row, repo::imports::body(&mut conn, &payload.import_id).await?)
        };
        let (Some(row), Some(body)) = (row.filter(|r| r.finished_at.is_none()), body) else { return Ok(()) };
        if payload.from.is_some_and(|from| from != row.done) {
            return Ok(());
        }
        let format = Format::parse(&row.format).ok_or_else(|| AppError::internal("an import of an unknown format"))?;
        let from = usize::try_from(row.done).unwrap_or(usize::MAX);
        let questions: Vec<_> = transfer::parse(format, &body).questions.into_iter().skip(from).take(BATCH).collect();
        let worked = questions.len();
        let course_id = CourseId::from(&row.course_id);
        let mut problems = row.problems();
        let (kept, files) = transfer::store_files(state, &course_id, questions, &mut problems).await?;
        let advance = repo::imports::Advance {
            from: row.done,
            done: worked as i64,
            imported: kept.len() as i64,
            problems: &serde_json::to_string(&problems).map_err(AppError::internal)?,
            finished: from + worked >= usize::try_from(row.total).unwrap_or(0) || worked == 0,
        };
        // The person who started it is gone (their account deleted): nothing more is written in their name.
        let Some(by) = row.requested_by.as_deref() else { return Ok(()) };
        let written = write_batch(state, &row, &course_id, by, &advance, &kept, &files, &payload).await;
        if !matches!(written, Ok(true)) {
            question_files::forget(&state.storage, &files).await;
        }
        written?;
        Ok(())
    }
}

/// The batch's questions and progress in one transaction; false when
/// another run of the batch got there first (nothing is written).
#[allow(clippy::too_many_arguments)]
async fn write_batch(
    state: &AppState,
    row: &ImportRow,
    course_id: &CourseId,
    by: &str,
    advance: &repo::imports::Advance<'_>,
    kept: &[lyceum_assessment::format::Imported],
    files: &[repo::files::FileRow],
    payload: &Batch,
) -> Result<bool, AppError> {
    let mut tx = state.db.begin().await?;
    if !repo::imports::advance(&mut tx, &row.id, advance).await? {
        return Ok(false);
    }
    transfer::write_questions(&mut tx, course_id, by, kept, files).await?;
    if !advance.finished {
        let next = Batch { import_id: payload.import_id.clone(), from: Some(row.done + advance.done) };
        jobs::enqueue::<ImportBatch>(&mut tx, &next).await?;
    }
    tx.commit().await?;
    tracing::debug!(import = %row.id, done = row.done + advance.done, total = row.total, "import batch");
    Ok(true)
}

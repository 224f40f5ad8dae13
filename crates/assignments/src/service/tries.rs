//! Tries after each grade (`Resubmit::AfterGrade`, Moodle's "additional
//! attempts … based on the previous submission"). Once the learner's latest
//! try is graded and its grade is shown to them, and tries remain, they may
//! start a new one: the graded try is kept as history (its row as graded,
//! its files by storage key) and their submission becomes a draft holding a
//! copy of its text and files. The new try's grade replaces the old one in
//! the gradebook (`assignment.graded` again); completion stays as it was.

use lyceum_platform::{AppError, AppState, auth::Viewer, db};
use sqlx::AnyConnection;

use super::{
    Role, decode, encode,
    submissions::{self, visible_submission},
};
use crate::{
    AssignmentError, NewTryRefusal,
    model::{AssignmentId, SubmissionId},
    repo::{self, files::FileRow, submissions::SubmissionRow, tries::TryRow},
};

/// A past try: the submission as it was graded, its files and the
/// grader's feedback files.
#[derive(Debug, Clone)]
pub struct PastTry {
    pub number: i64,
    pub row: SubmissionRow,
    pub files: Vec<FileRow>,
    pub feedback_files: Vec<FileRow>,
}

/// Where a past try's file is downloaded.
pub fn file_url(number: i64, file: &FileRow) -> String {
    format!("/assignment-submissions/{}/tries/{number}/files/{}", file.submission_id, file.id)
}

/// Where a past try's feedback file is downloaded.
pub fn feedback_file_url(number: i64, file: &FileRow) -> String {
    format!("/assignment-submissions/{}/tries/{number}/feedback/{}", file.submission_id, file.id)
}

/// A submission's past tries, first first.
pub(crate) async fn past(conn: &mut AnyConnection, submission_id: &str) -> Result<Vec<PastTry>, AppError> {
    let rows = repo::tries::of_submission(conn, submission_id).await?;
    let mut files = repo::tries::files_of(conn, &rows).await?;
    let feedback = repo::feedback_files::of_past_tries(conn, submission_id).await?;
    rows.into_iter()
        .map(|t| {
            let (mine, rest): (Vec<_>, Vec<_>) =
                std::mem::take(&mut files).into_iter().partition(|(id, _)| *id == t.id);
            files = rest;
            Ok(PastTry {
                number: t.try_number,
                row: decode(&t.snapshot)?,
                files: mine.into_iter().map(|(_, f)| f).collect(),
                feedback_files: feedback.iter().filter(|(n, _)| *n == t.try_number).map(|(_, f)| f.clone()).collect(),
            })
        })
        .collect()
}

/// Starts the learner's new try: refused (409, saying why) unless the
/// assignment gives tries after a grade, the latest try is graded with its
/// grade shown, tries remain, and the assignment is open.
pub async fn start(state: &AppState, viewer: &Viewer, id: &AssignmentId) -> Result<SubmissionRow, AssignmentError> {
    let view = submissions::mine(state, viewer, id).await?;
    if view.role != Role::Learner {
        return Err(AssignmentError::StaffDoNotSubmit);
    }
    if let Some(why) = view.new_try_refusal() {
        return Err(AssignmentError::NewTry(why));
    }
    submissions::accepting(&view.assignment, &view.dates, view.now)?;
    let submission_id = view.submission.as_ref().map(|s| s.id.clone()).ok_or(AssignmentError::NotSubmitted)?;
    let now = db::now_ms();
    let mut tx = state.db.begin().await?;
    // The row's lock: a grader's change or a second click waits, then finds a draft.
    if !repo::submissions::hold_graded(&mut tx, &submission_id, now).await? {
        return Err(AssignmentError::NewTry(NewTryRefusal::NotGraded));
    }
    let graded = repo::submissions::by_id(&mut tx, &submission_id).await?.ok_or_else(AppError::not_found)?;
    let kept = TryRow {
        id: db::new_id(),
        submission_id: submission_id.clone(),
        try_number: repo::tries::count(&mut tx, &submission_id).await? + 1,
        submitted_at: graded.submitted_at,
        late_ms: graded.late_ms,
        text_md: graded.text_md.clone(),
        grade: graded.grade,
        graded_at: graded.graded_at,
        snapshot: encode(&graded)?,
        created_at: now,
    };
    repo::tries::insert(&mut tx, &kept).await?;
    let files = repo::files::of_submission(&mut tx, &submission_id).await?;
    repo::tries::insert_files(&mut tx, &kept.id, &files).await?;
    repo::feedback_files::keep_with_try(&mut tx, &submission_id, kept.try_number).await?;
    if !repo::submissions::start_try(&mut tx, &submission_id, now).await? {
        return Err(AssignmentError::NewTry(NewTryRefusal::NotGraded));
    }
    let row = repo::submissions::by_id(&mut tx, &submission_id).await?.ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    Ok(row)
}

/// A submission's past tries for its learner (grades as they were shown)
/// or the course's staff; 404 to anyone else.
pub async fn history(state: &AppState, viewer: &Viewer, id: &SubmissionId) -> Result<Vec<PastTry>, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    let (row, ..) = visible_submission(state, &mut conn, viewer, id).await?;
    past(&mut conn, &row.id).await
}

/// One file of a past try, for the learner and the course's staff.
pub async fn open_file(
    state: &AppState,
    viewer: Option<&Viewer>,
    id: &SubmissionId,
    number: i64,
    file_id: &str,
) -> Result<FileRow, AppError> {
    let viewer = viewer.ok_or_else(AppError::not_found)?;
    let mut conn = state.db.pool().acquire().await?;
    visible_submission(state, &mut conn, viewer, id).await?;
    repo::tries::file(&mut conn, id.as_str(), number, file_id).await?.ok_or_else(AppError::not_found)
}

/// One feedback file of a past try, for the learner (a past try's grade was
/// shown to them before they could start the next) and the course's staff.
pub async fn open_feedback_file(
    state: &AppState,
    viewer: Option<&Viewer>,
    id: &SubmissionId,
    number: i64,
    file_id: &str,
) -> Result<FileRow, AppError> {
    let viewer = viewer.ok_or_else(AppError::not_found)?;
    let mut conn = state.db.pool().acquire().await?;
    visible_submission(state, &mut conn, viewer, id).await?;
    repo::feedback_files::past_file(&mut conn, id.as_str(), number, file_id).await?.ok_or_else(AppError::not_found)
}

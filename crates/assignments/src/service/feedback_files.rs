//! Files a grader attaches to a submission's feedback (up to
//! [`FEEDBACK_FILES_MAX`]; the same content-typed rules and size limit as a
//! submission's files). The course's staff see and change them at any time;
//! the learner sees and downloads them only once their grade is visible to
//! them; anyone else gets 404.

use axum::body::Bytes;
use futures::Stream;
use lyceum_platform::{AppError, AppState, auth::Viewer, db};
use sqlx::AnyConnection;

use super::{
    Assignment, Role,
    files::{self, Incoming, Interrupted, Stored},
    submissions::visible_submission,
};
use crate::{
    AssignmentError, model::SubmissionId, repo, repo::files::FileRow, repo::submissions::SubmissionRow,
    settings::AssignmentUploads,
};

/// Most files one feedback holds.
pub const FEEDBACK_FILES_MAX: u8 = 10;

/// Where a feedback file is downloaded.
pub fn file_url(file: &FileRow) -> String {
    format!("/assignment-submissions/{}/feedback/files/{}", file.submission_id, file.id)
}

/// The viewer may see the submission's feedback files: its staff, or its
/// learner once the grade is visible to them.
fn may_see(row: &SubmissionRow, assignment: &Assignment, role: Role) -> bool {
    role == Role::Staff || (row.graded() && assignment.grades_visible())
}

/// The submission for its course's staff; 404 otherwise.
async fn staff_submission(
    state: &AppState,
    conn: &mut AnyConnection,
    viewer: &Viewer,
    id: &SubmissionId,
) -> Result<(SubmissionRow, Assignment), AppError> {
    let (row, assignment, role) = visible_submission(state, conn, viewer, id).await?;
    if role == Role::Staff { Ok((row, assignment)) } else { Err(AppError::not_found()) }
}

/// The feedback files the viewer may see (none to the learner before the release).
pub async fn list(state: &AppState, viewer: &Viewer, id: &SubmissionId) -> Result<Vec<FileRow>, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    let (row, assignment, role) = visible_submission(state, &mut conn, viewer, id).await?;
    if !may_see(&row, &assignment, role) {
        return Ok(Vec::new());
    }
    Ok(repo::feedback_files::of_submission(&mut conn, &row.id).await?)
}

/// One feedback file, for the course's staff or its learner once released; 404 otherwise.
pub async fn open(
    state: &AppState,
    viewer: Option<&Viewer>,
    id: &SubmissionId,
    file_id: &str,
) -> Result<FileRow, AppError> {
    let viewer = viewer.ok_or_else(AppError::not_found)?;
    let mut conn = state.db.pool().acquire().await?;
    let (row, assignment, role) = visible_submission(state, &mut conn, viewer, id).await?;
    if !may_see(&row, &assignment, role) {
        return Err(AppError::not_found());
    }
    repo::feedback_files::get(&mut conn, &row.id, file_id).await?.ok_or_else(AppError::not_found)
}

/// Adds a file to a submitted submission's feedback (staff), streamed as it
/// arrives (`upload`) to `assignments/<assignment>/<submission>/feedback/`.
pub async fn attach<S>(
    state: &AppState,
    viewer: &Viewer,
    id: &SubmissionId,
    name: &str,
    upload: S,
) -> Result<FileRow, AssignmentError>
where
    S: Stream<Item = Result<Bytes, Interrupted>> + Unpin + Send,
{
    let (row, assignment) = {
        let mut conn = state.db.pool().acquire().await?;
        staff_submission(state, &mut conn, viewer, id).await?
    };
    if !row.submitted() {
        return Err(AssignmentError::NotSubmitted);
    }
    let limit = state.settings.section::<AssignmentUploads>().submission_file_max_bytes;
    let incoming = Incoming::open(upload, limit).await?;
    let detected = files::check(incoming.head(), limit)?;
    let prefix = format!("assignments/{}/{}/feedback", assignment.id, row.id);
    let file = Stored::new(&detected, &prefix, name);
    let record = async |stored: &Stored| {
        let file = FileRow::of(stored, &row.id);
        write(state, &file, &viewer.user_id).await.map(|()| file)
    };
    incoming.keep(state, file, record).await
}

/// The file's row, fenced on the count a feedback holds: the submission's
/// row is written first so two uploads racing for the last place queue on
/// its lock and the second counts the first.
async fn write(state: &AppState, file: &FileRow, uploaded_by: &str) -> Result<(), AssignmentError> {
    let mut tx = state.db.begin().await?;
    repo::feedback_files::lock_submission(&mut tx, &file.submission_id, db::now_ms()).await?;
    if repo::feedback_files::count(&mut tx, &file.submission_id).await? >= i64::from(FEEDBACK_FILES_MAX) {
        return Err(AssignmentError::TooManyFeedbackFiles { max: FEEDBACK_FILES_MAX });
    }
    repo::feedback_files::insert(&mut tx, file, uploaded_by).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes a file from a submission's feedback (staff).
pub async fn detach(
    state: &AppState,
    viewer: &Viewer,
    id: &SubmissionId,
    file_id: &str,
) -> Result<(), AssignmentError> {
    let mut tx = state.db.begin().await?;
    staff_submission(state, &mut tx, viewer, id).await?;
    let key = repo::feedback_files::delete(&mut tx, id.as_str(), file_id).await?.ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    state.storage.forget(&[key]).await;
    Ok(())
}

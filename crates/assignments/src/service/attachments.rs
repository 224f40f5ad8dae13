//! Files the staff attach to an assignment's instructions (Moodle's
//! "additional files": a brief as PDF, starter files, a dataset), up to
//! [`ATTACHMENTS_MAX`], under the same content-typed rules and size limit
//! as a submission's files. The course's staff change them; the staff and
//! the actively enrolled learners see and download them — before the
//! opening date too, like the instructions; anyone else gets 404.

use axum::body::Bytes;
use futures::Stream;
use lyceum_platform::{AppError, AppState, auth::Viewer, db};

use super::{
    files::{self, Incoming, Interrupted, Stored},
    staff_assignment, visible,
};
use crate::{
    AssignmentError, model::AssignmentId, repo, repo::attachments::AttachmentRow, settings::AssignmentUploads,
};

/// Most files one assignment's instructions hold.
pub const ATTACHMENTS_MAX: u8 = 10;

/// Where an attachment is downloaded.
pub fn file_url(file: &AttachmentRow) -> String {
    format!("/assignments/{}/attachments/{}", file.assignment_id, file.id)
}

/// There is room for one more.
pub fn has_room(attachments: &[AttachmentRow]) -> bool {
    attachments.len() < usize::from(ATTACHMENTS_MAX)
}

/// The assignment's attachments, for its staff and enrolled learners; 404 otherwise.
pub async fn list(state: &AppState, viewer: &Viewer, id: &AssignmentId) -> Result<Vec<AttachmentRow>, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    let (assignment, _) = visible(state, &mut conn, viewer, id).await?;
    Ok(repo::attachments::of_assignment(&mut conn, &assignment.id).await?)
}

/// One attachment, for the assignment's staff and enrolled learners; 404 otherwise.
pub async fn open(
    state: &AppState,
    viewer: Option<&Viewer>,
    id: &AssignmentId,
    attachment_id: &str,
) -> Result<AttachmentRow, AppError> {
    let viewer = viewer.ok_or_else(AppError::not_found)?;
    let mut conn = state.db.pool().acquire().await?;
    let (assignment, _) = visible(state, &mut conn, viewer, id).await?;
    repo::attachments::get(&mut conn, &assignment.id, attachment_id).await?.ok_or_else(AppError::not_found)
}

/// Adds a file to the assignment's instructions (staff), stored under
/// `assignments/<assignment>/attachments/`.
pub async fn attach<S>(
    state: &AppState,
    viewer: &Viewer,
    id: &AssignmentId,
    name: &str,
    upload: S,
) -> Result<AttachmentRow, AssignmentError>
where
    S: Stream<Item = Result<Bytes, Interrupted>> + Unpin + Send,
{
    let (_, assignment) = {
        let mut conn = state.db.pool().acquire().await?;
        staff_assignment(&mut conn, viewer, id).await?
    };
    let limit = state.settings.section::<AssignmentUploads>().submission_file_max_bytes;
    let incoming = Incoming::open(upload, limit).await?;
    let detected = files::check(incoming.head(), limit)?;
    let file = Stored::new(&detected, &format!("assignments/{}/attachments", assignment.id), name);
    let record = async |stored: &Stored| {
        let row = AttachmentRow::of(stored, &assignment.id);
        write(state, &row).await.map(|()| row)
    };
    incoming.keep(state, file, record).await
}

/// The file's row, fenced on the count an assignment holds: the
/// assignment's row is written first so two uploads racing for the last
/// place queue on its lock and the second counts the first.
async fn write(state: &AppState, file: &AttachmentRow) -> Result<(), AssignmentError> {
    let mut tx = state.db.begin().await?;
    repo::attachments::lock_assignment(&mut tx, &file.assignment_id, db::now_ms()).await?;
    if repo::attachments::count(&mut tx, &file.assignment_id).await? >= i64::from(ATTACHMENTS_MAX) {
        return Err(AssignmentError::TooManyAttachments { max: ATTACHMENTS_MAX });
    }
    repo::attachments::insert(&mut tx, file).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes a file from the assignment's instructions (staff), and its stored object.
pub async fn detach(
    state: &AppState,
    viewer: &Viewer,
    id: &AssignmentId,
    attachment_id: &str,
) -> Result<(), AssignmentError> {
    let mut tx = state.db.begin().await?;
    let (_, assignment) = staff_assignment(&mut tx, viewer, id).await?;
    let key =
        repo::attachments::delete(&mut tx, &assignment.id, attachment_id).await?.ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    state.storage.forget(&[key]).await;
    Ok(())
}

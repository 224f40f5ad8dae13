//! Files a learner attaches to an essay answer (up to the essay's
//! `attachments_allowed`), stored through the storage port under
//! `quizzes/attempts/<attempt>/<slot>/`. They follow the answer's rules
//! exactly: added or removed only by the attempt's learner while it is open
//! and in time (the same fenced hold on the attempt's row as a save, so a
//! file racing a submit lands before it or is refused), never once
//! submitted; read by the learner and the course's staff, 404 to everyone else.
//!
//! The answer's response keeps the count (`Response::Essay { attachments }`),
//! written in the file's transaction, so grading sees an essay answered with
//! files only as answered (Moodle: text optional when files are given).

use axum::body::Bytes;
use lyceum_assessment::Response;
use lyceum_platform::{AppError, AppState, auth::Viewer, db, upload::Family};
use sqlx::AnyConnection;

use super::{
    attempts::{pinned_of, pinned_question, visible_attempt},
    files,
    quizzes::Role,
};
use crate::{
    QuizError,
    model::AttemptId,
    quiz::attempt::GRACE_MS,
    repo::{self, attempts::AnswerRow, files::FileRow},
    settings::QuizUploads,
};

/// What an essay's files may be: images, PDF, office documents, plain text.
const ACCEPTED: [Family; 4] = [Family::Image, Family::Pdf, Family::Document, Family::Text];

/// Where an answer's file is downloaded (its owner is the attempt).
pub fn url(file: &crate::repo::files::FileRow) -> String {
    format!("/quiz-attempts/{}/files/{}", file.owner_id, file.id)
}

/// How many files the question in `slot` of an attempt takes (0: none).
async fn allowed_in(
    state: &AppState,
    conn: &mut AnyConnection,
    row: &repo::attempts::AttemptRow,
    slot: usize,
) -> Result<u8, QuizError> {
    let pinned = pinned_of(row)?;
    let p = pinned.get(slot).ok_or(QuizError::NoSuchSlot(slot))?;
    let question = pinned_question(state, conn, &p.question_id, p.version).await?;
    match question.kind.attachments_allowed() {
        0 => Err(QuizError::NoFilesHere(slot)),
        allowed => Ok(allowed),
    }
}

/// Attaches a file to the learner's essay answer in `slot`.
pub async fn attach(
    state: &AppState,
    viewer: &Viewer,
    id: &AttemptId,
    slot: usize,
    name: &str,
    data: Bytes,
) -> Result<FileRow, QuizError> {
    let mut conn = state.db.pool().acquire().await?;
    let (row, _, role) = visible_attempt(state, &mut conn, viewer, id).await?;
    if role != Role::Learner || row.state != "in_progress" {
        return Err(QuizError::AttemptClosed);
    }
    let allowed = allowed_in(state, &mut conn, &row, slot).await?;
    let count_of = |counts: &[(i64, i64)]| counts.iter().find(|(s, _)| *s == slot as i64).map_or(0, |c| c.1);
    if count_of(&repo::files::answer_file_counts(&mut conn, id.as_str()).await?) >= i64::from(allowed) {
        return Err(QuizError::TooManyFiles { slot, max: allowed });
    }
    drop(conn);
    let max = state.settings.section::<QuizUploads>().essay_file_max_bytes;
    let detected = files::check(&data, max, &ACCEPTED)?;
    let file_id = db::new_id();
    let file = FileRow {
        storage_key: format!("quizzes/attempts/{}/{slot}/{file_id}.{}", id.as_str(), detected.extension),
        id: file_id,
        owner_id: id.as_str().to_string(),
        slot: slot as i64,
        name: lyceum_platform::upload::display_name(name, detected.extension),
        content_type: detected.mime.to_string(),
        size: data.len() as i64,
        created_at: db::now_ms(),
    };
    state.storage.put_typed(&file.storage_key, data, &file.content_type).await.map_err(AppError::from)?;
    let written = write(state, id, slot, Change::Add(&file, allowed)).await;
    if written.is_err() {
        state.storage.forget(std::slice::from_ref(&file.storage_key)).await;
    }
    written.map(|_| file)
}

/// Removes a file from the learner's essay answer in `slot`.
pub async fn detach(
    state: &AppState,
    viewer: &Viewer,
    id: &AttemptId,
    slot: usize,
    file_id: &str,
) -> Result<(), QuizError> {
    {
        let mut conn = state.db.pool().acquire().await?;
        let (row, _, role) = visible_attempt(state, &mut conn, viewer, id).await?;
        if role != Role::Learner || row.state != "in_progress" {
            return Err(QuizError::AttemptClosed);
        }
        allowed_in(state, &mut conn, &row, slot).await?;
    }
    let key = write(state, id, slot, Change::Remove(file_id)).await?;
    state.storage.forget(&key.into_iter().collect::<Vec<_>>()).await;
    Ok(())
}

enum Change<'a> {
    /// A file, and how many the essay allows.
    Add(&'a FileRow, u8),
    Remove(&'a str),
}

/// Writes a file's row and the answer's count in one transaction fenced on
/// the attempt being open and in time. Returns a removed file's storage key.
async fn write(state: &AppState, id: &AttemptId, slot: usize, change: Change<'_>) -> Result<Option<String>, QuizError> {
    let now = db::now_ms();
    let mut tx = state.db.begin().await?;
    if !repo::attempts::hold_open(&mut tx, id.as_str(), now, GRACE_MS).await? {
        return Err(QuizError::AttemptClosed);
    }
    let before = repo::files::answer_file_counts(&mut tx, id.as_str()).await?;
    let before = before.iter().find(|(s, _)| *s == slot as i64).map_or(0, |c| c.1);
    let (count, removed) = match change {
        Change::Add(file, allowed) => {
            if before >= i64::from(allowed) {
                return Err(QuizError::TooManyFiles { slot, max: allowed });
            }
            repo::files::insert_answer_file(&mut tx, file).await?;
            (before + 1, None)
        }
        Change::Remove(file_id) => {
            let key = repo::files::delete_answer_file(&mut tx, id.as_str(), slot as i64, file_id).await?;
            (before - 1, Some(key.ok_or_else(AppError::not_found)?))
        }
    };
    let answers = repo::attempts::answers(&mut tx, id.as_str()).await?;
    let text = match repo::attempts::answer_of(&answers, slot).and_then(AnswerRow::response) {
        Some(Response::Essay { text, .. }) => text,
        _ => String::new(),
    };
    let response = Response::Essay { text, attachments: u8::try_from(count.max(0)).unwrap_or(u8::MAX) };
    let json = serde_json::to_string(&response).map_err(AppError::internal)?;
    if !repo::attempts::save_answer(&mut tx, id.as_str(), slot as i64, &json, None, now).await? {
        return Err(QuizError::AnswerChecked(slot));
    }
    tx.commit().await?;
    Ok(removed)
}

/// The files of an attempt's answers, for its learner or the course's staff.
pub async fn of_attempt(state: &AppState, viewer: &Viewer, id: &AttemptId) -> Result<Vec<FileRow>, QuizError> {
    let mut conn = state.db.pool().acquire().await?;
    visible_attempt(state, &mut conn, viewer, id).await?;
    Ok(repo::files::answer_files_of(&mut conn, id.as_str()).await?)
}

/// One file of an attempt, for its learner or the course's staff (anyone
/// else, another learner or another course's instructor: 404).
pub async fn open(
    state: &AppState,
    viewer: Option<&Viewer>,
    id: &AttemptId,
    file_id: &str,
) -> Result<FileRow, AppError> {
    let viewer = viewer.ok_or_else(AppError::not_found)?;
    let mut conn = state.db.pool().acquire().await?;
    visible_attempt(state, &mut conn, viewer, id).await?;
    repo::files::answer_file(&mut conn, id.as_str(), file_id).await?.ok_or_else(AppError::not_found)
}

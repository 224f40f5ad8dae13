//! Feedback files brought back from offline marking: the submissions zip's
//! folders, with the grader's files added (an annotated copy, a recording),
//! uploaded as one zip. Each file in a learner's folder becomes a feedback
//! file of that submission through `feedback_files::attach` (its type, size
//! and count rules), except what the download itself put there — `text.md`
//! and the learner's own files unchanged. Every file is reported: attached,
//! or left out and why.

use std::{
    collections::HashMap,
    io::{Cursor, Read as _},
};

use axum::body::Bytes;
use lyceum_platform::{AppError, AppState, Text, auth::Viewer};

use super::{
    export::{folder, own_file_name},
    feedback_files,
    grading::{self, Line},
};
use crate::{
    AssignmentError,
    model::{AssignmentId, SubmissionId},
    repo::{self, files::FileRow, submissions::Filter},
    settings::AssignmentUploads,
};

/// The largest zip uploaded (bytes), held in memory while it is read.
pub const FEEDBACK_ZIP_MAX_BYTES: usize = 100 * 1024 * 1024;
/// The most entries read from one zip.
const ENTRIES_MAX: usize = 2_000;

/// One file of the zip and what became of it.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Its path in the zip.
    pub path: String,
    /// The submission it went to, when its folder names one.
    pub submission_id: Option<String>,
    pub learner: Option<String>,
    /// None: attached; else why it was left out.
    pub refusal: Option<Text>,
}

/// Attaches the zip's files to their submissions (staff); one outcome per
/// file, in the zip's order. A zip that cannot be read is a 422 on `file`.
pub async fn upload(
    state: &AppState,
    viewer: &Viewer,
    id: &AssignmentId,
    zip: Bytes,
) -> Result<Vec<Outcome>, AssignmentError> {
    let (_, lines) = grading::queue(state, viewer, id, Filter::All).await?;
    let limit = state.settings.section::<AssignmentUploads>().submission_file_max_bytes;
    let entries = tokio::task::spawn_blocking(move || read_entries(&zip, limit))
        .await
        .map_err(AppError::internal)?
        .ok_or_else(|| AppError::field("file", Text::new("assignments.feedback_zip.unreadable")))?;
    let folders: HashMap<String, &Line> = lines.iter().filter(|l| l.row.submitted()).map(|l| (folder(l), l)).collect();
    let own = {
        let ids: Vec<String> = folders.values().map(|l| l.row.id.clone()).collect();
        let mut conn = state.db.pool().acquire().await?;
        repo::files::of_submissions(&mut conn, &ids).await?
    };
    let mut outcomes = Vec::new();
    for entry in entries {
        outcomes.push(place(state, viewer, &folders, &own, entry).await?);
    }
    Ok(outcomes)
}

/// One file: attached to its folder's submission, or why not.
async fn place(
    state: &AppState,
    viewer: &Viewer,
    folders: &HashMap<String, &Line>,
    own: &[FileRow],
    entry: Entry,
) -> Result<Outcome, AssignmentError> {
    let mut outcome = Outcome { path: entry.path.clone(), submission_id: None, learner: None, refusal: None };
    let refuse = |mut o: Outcome, key| {
        o.refusal = Some(Text::new(key));
        Ok(o)
    };
    let Some((folder_name, name)) = entry.path.split_once('/').filter(|(_, name)| !name.contains('/')) else {
        return refuse(outcome, "assignments.feedback_zip.outside_folder");
    };
    let Some(line) = folders.get(folder_name) else {
        return refuse(outcome, "assignments.feedback_zip.unknown_folder");
    };
    outcome.submission_id = Some(line.row.id.clone());
    outcome.learner = Some(line.learner_name.clone());
    let Some(data) = entry.data else { return refuse(outcome, "assignments.feedback_zip.too_large") };
    if name == "text.md" || is_own_unchanged(state, own, &line.row.id, name, &data).await? {
        return refuse(outcome, "assignments.feedback_zip.learners_own");
    }
    let submission = SubmissionId::from(line.row.id.as_str());
    // Already in memory (read out of the zip): stored as a stream of one chunk.
    let whole = futures::stream::iter([Ok(data)]);
    match feedback_files::attach(state, viewer, &submission, name, whole).await {
        Ok(_) => Ok(outcome),
        Err(e) => match e.flash_key() {
            Some(key) => refuse(outcome, key),
            None => Err(e),
        },
    }
}

/// Whether `name` in the learner's folder is one of their own files as the
/// download wrote it, unchanged (a changed copy — an annotated PDF — is feedback).
async fn is_own_unchanged(
    state: &AppState,
    own: &[FileRow],
    submission_id: &str,
    name: &str,
    data: &Bytes,
) -> Result<bool, AppError> {
    let theirs = own.iter().filter(|f| f.submission_id == submission_id);
    for (n, file) in theirs.enumerate() {
        if own_file_name(n, &file.name) == name && file.size == data.len() as i64 {
            return Ok(state.storage.get(&file.storage_key).await? == *data);
        }
    }
    Ok(false)
}

/// A file of the zip: its path, and its bytes unless over the size limit.
struct Entry {
    path: String,
    data: Option<Bytes>,
}

/// The zip's files (folders and the system's hidden files left out), each
/// read up to `limit` bytes whatever its header claims; none when the zip
/// cannot be read.
fn read_entries(zip: &[u8], limit: usize) -> Option<Vec<Entry>> {
    let mut archive = zip::ZipArchive::new(Cursor::new(zip)).ok()?;
    let mut entries = Vec::new();
    for i in 0..archive.len().min(ENTRIES_MAX) {
        let mut file = archive.by_index(i).ok()?;
        let path = file.name().ok()?.trim_start_matches("./").to_string();
        let hidden = path.split('/').any(|part| part.starts_with('.') || part == "__MACOSX");
        if file.is_dir() || hidden {
            continue;
        }
        let mut data = Vec::new();
        (&mut file).take(limit as u64 + 1).read_to_end(&mut data).ok()?;
        let data = (data.len() <= limit).then(|| Bytes::from(data));
        entries.push(Entry { path, data });
    }
    Some(entries)
}

#[cfg(test)]
mod tests {
    use std::io::Write as _;

    use super::*;

    fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (path, data) in files {
            zip.start_file(*path, zip::write::SimpleFileOptions::default()).unwrap();
            zip.write_all(data).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn entries_are_read_up_to_the_limit_and_hidden_files_left_out() {
        let zip =
            zip_of(&[("Ada - 1a2b3c/notes.pdf", b"%PDF"), ("__MACOSX/x", b"x"), ("Ada - 1a2b3c/big.txt", &[b'a'; 10])]);
        let entries = read_entries(&zip, 8).unwrap();
        let seen: Vec<(&str, Option<usize>)> =
            entries.iter().map(|e| (e.path.as_str(), e.data.as_ref().map(Bytes::len))).collect();
        assert_eq!(seen, [("Ada - 1a2b3c/notes.pdf", Some(4)), ("Ada - 1a2b3c/big.txt", None)]);
        assert!(read_entries(b"not a zip", 8).is_none());
    }
}

//! All of an assignment's submitted work as one zip, for marking offline:
//! a folder per learner ("Participant …" under blind marking) holding their
//! text (`text.md`) and files, and `grades.csv` listing every submission with
//! its status and grade. Built in memory, so it is bounded.

use std::io::Write as _;

use lyceum_platform::{
    AppError, AppState,
    auth::Viewer,
    csv::{BOM, cell},
};

use super::{
    Assignment,
    grading::{self, Line},
};
use crate::{AssignmentError, model::AssignmentId, repo, repo::submissions::Filter};

/// The largest zip built (the files' sizes added up).
pub const ZIP_MAX_BYTES: i64 = 512 * 1024 * 1024;

/// A file or folder name that every system opens: no separators or control
/// characters, bounded.
fn safe(name: &str) -> String {
    let cleaned: String =
        name.chars().map(|c| if c.is_control() || "/\\:*?\"<>|".contains(c) { '_' } else { c }).take(80).collect();
    let trimmed = cleaned.trim().trim_matches('.');
    if trimmed.is_empty() { "_".to_string() } else { trimmed.to_string() }
}

/// A learner's folder in the zip: their name ("Participant …" under blind
/// marking) and the end of the submission's id, told apart even when two
/// learners share a name.
pub(crate) fn folder(line: &Line) -> String {
    let code: String = line.row.id.chars().rev().take(6).collect::<String>().chars().rev().collect();
    format!("{} - {code}", safe(&line.learner_name))
}

/// The name of the learner's `n`th file (from 0) in their folder.
pub(crate) fn own_file_name(n: usize, name: &str) -> String {
    format!("{}-{}", n + 1, safe(name))
}

/// The worksheet: one line per submission, for the grader's own records.
fn worksheet(assignment: &Assignment, lines: &[Line]) -> String {
    let mut out = String::from(BOM);
    out.push_str("Submission,Name,E-mail,Status,Late (hours),Points,Grade,Max,Feedback\r\n");
    for l in lines {
        let status = if l.row.graded() { "graded" } else { "submitted" };
        let number = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
        let cells = [
            l.row.id.clone(),
            cell(&l.learner_name),
            cell(&l.learner_email),
            status.to_string(),
            format!("{:.1}", l.row.late_ms as f64 / 3_600_000.0),
            number(l.row.points),
            number(l.row.grade),
            assignment.settings.max_points.to_string(),
            cell(&l.row.feedback_md),
        ];
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

/// One entry of the archive: its path, its bytes, whether to compress it.
struct Entry {
    path: String,
    data: Vec<u8>,
    deflate: bool,
}

/// The zip of the assignment's submitted work (staff), and its file name.
pub async fn submissions_zip(
    state: &AppState,
    viewer: &Viewer,
    id: &AssignmentId,
) -> Result<(String, Vec<u8>), AssignmentError> {
    let (assignment, lines) = grading::queue(state, viewer, id, Filter::All).await?;
    let lines: Vec<Line> = lines.into_iter().filter(|l| l.row.submitted()).collect();
    let mut entries =
        vec![Entry { path: "grades.csv".into(), data: worksheet(&assignment, &lines).into_bytes(), deflate: true }];
    let all_files = {
        let ids: Vec<String> = lines.iter().map(|l| l.row.id.clone()).collect();
        let mut conn = state.db.pool().acquire().await.map_err(AppError::from)?;
        repo::files::of_submissions(&mut conn, &ids).await?
    };
    let mut total = 0_i64;
    for line in &lines {
        let folder = folder(line);
        if !line.row.text_md.trim().is_empty() {
            entries.push(Entry {
                path: format!("{folder}/text.md"),
                data: line.row.text_md.clone().into_bytes(),
                deflate: true,
            });
        }
        let files = all_files.iter().filter(|f| f.submission_id == line.row.id);
        for (n, file) in files.enumerate() {
            total += file.size;
            if total > ZIP_MAX_BYTES {
                return Err(AssignmentError::ZipTooLarge);
            }
            let data = state.storage.get(&file.storage_key).await.map_err(AppError::from)?;
            let path = format!("{folder}/{}", own_file_name(n, &file.name));
            entries.push(Entry { path, data: data.to_vec(), deflate: false });
        }
    }
    let bytes = tokio::task::spawn_blocking(move || write_zip(entries))
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)?;
    let name = format!("{}-submissions.zip", safe(&assignment.title).replace(' ', "-"));
    Ok((name, bytes))
}

fn write_zip(entries: Vec<Entry>) -> zip::result::ZipResult<Vec<u8>> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for entry in entries {
        let method = if entry.deflate { zip::CompressionMethod::Deflated } else { zip::CompressionMethod::Stored };
        let options = zip::write::SimpleFileOptions::default().compression_method(method);
        zip.start_file(entry.path, options)?;
        zip.write_all(&entry.data)?;
    }
    Ok(zip.finish()?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_safe_in_every_archive_tool() {
        assert_eq!(safe("../../etc/passwd"), "_.._etc_passwd");
        assert_eq!(safe("Zoë: draft?.pdf"), "Zoë_ draft_.pdf");
        assert_eq!(safe(".."), "_");
    }
}

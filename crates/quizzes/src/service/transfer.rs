//! Importing a GIFT or Moodle XML file into a course's bank, and exporting
//! the bank (or one category and its subcategories) to one. Moodle XML's
//! embedded files become question files of the course, and go back into
//! the file on export (`question_files`).

use lyceum_assessment::format::{ExportReport, ImportReport, Imported, Problem, gift, moodle_xml};
use lyceum_platform::{AppError, AppState, auth::Viewer, ids::CourseId};
use sqlx::AnyConnection;

use super::{bank_course, categories, decode, encode, imports, question_files};
use crate::{
    model::{CategoryId, Format},
    repo::{self, files::FileRow, imports::ImportRow},
};

/// What an import did.
pub struct ImportOutcome {
    pub imported: usize,
    /// Questions that could not be imported, each with its line in the file.
    pub problems: Vec<Problem>,
}

/// Files holding more questions than this are imported in the background
/// (`imports`), in batches whose progress a page and the API show.
pub const IN_THE_BACKGROUND_OVER: usize = 200;

/// An import done in the request, or one left to the background.
pub enum Started {
    Done(ImportOutcome),
    InTheBackground(ImportRow),
}

/// Imports `text`: a file of up to `IN_THE_BACKGROUND_OVER` questions in
/// one transaction (every valid question or, on a fault, none), a larger
/// one in the background. Invalid questions are reported with their line and
/// skipped. The file's categories are made under the course
/// (`$course$/top/A/B` → A › B).
pub async fn import(
    state: &AppState,
    viewer: &Viewer,
    course_id: &CourseId,
    format: Format,
    text: &str,
) -> Result<Started, AppError> {
    let mut report = parse(format, text);
    {
        let mut conn = state.db.pool().acquire().await?;
        bank_course(&mut conn, viewer, course_id).await?;
    }
    if report.questions.len() > IN_THE_BACKGROUND_OVER {
        let row = imports::start(state, viewer, course_id, format, text, &report).await?;
        return Ok(Started::InTheBackground(row));
    }
    let questions = std::mem::take(&mut report.questions);
    let (kept, files) = store_files(state, course_id, questions, &mut report.problems).await?;
    report.problems.sort_by_key(|p| p.line);
    let written = async {
        let mut tx = state.db.begin().await?;
        bank_course(&mut tx, viewer, course_id).await?;
        write_questions(&mut tx, course_id, &viewer.user_id, &kept, &files).await?;
        tx.commit().await?;
        Ok::<_, AppError>(())
    }
    .await;
    if written.is_err() {
        question_files::forget(&state.storage, &files).await;
    }
    written?;
    Ok(Started::Done(ImportOutcome { imported: kept.len(), problems: report.problems }))
}

pub(crate) fn parse(format: Format, text: &str) -> ImportReport {
    match format {
        Format::Gift => gift::parse(text),
        Format::MoodleXml => moodle_xml::parse(text),
    }
}

/// Stores the embedded files of `questions` first (objects no row names are
/// harmless; on a fault they are removed). A question whose files cannot be
/// kept becomes a problem. Returns the questions kept and their files' rows,
/// to be written with them.
pub(crate) async fn store_files(
    state: &AppState,
    course_id: &CourseId,
    questions: Vec<Imported>,
    problems: &mut Vec<Problem>,
) -> Result<(Vec<Imported>, Vec<FileRow>), AppError> {
    let mut files = Vec::new();
    let mut kept = Vec::with_capacity(questions.len());
    for mut imported in questions {
        match question_files::import(state, course_id, &mut imported.question, &imported.attachments).await {
            Ok(Ok(rows)) => {
                files.extend(rows);
                kept.push(imported);
            }
            Ok(Err(problem)) => problems.push(Problem { line: imported.line, message: problem }),
            Err(e) => {
                question_files::forget(&state.storage, &files).await;
                return Err(e);
            }
        }
    }
    Ok((kept, files))
}

/// Writes imported questions (in their categories, made as needed) and their
/// files' rows in the caller's transaction.
pub(crate) async fn write_questions(
    tx: &mut AnyConnection,
    course_id: &CourseId,
    by: &str,
    questions: &[Imported],
    files: &[FileRow],
) -> Result<(), AppError> {
    for file in files {
        repo::files::insert_question_file(tx, file, Some(by)).await?;
    }
    for imported in questions {
        let path = category_path(imported.category.as_deref().unwrap_or(""));
        let category = categories::ensure_path(tx, course_id, &path).await?;
        let question = &imported.question;
        let data = encode(question)?;
        let new = repo::questions::NewQuestion {
            course_id: course_id.as_str(),
            category_id: &category.id,
            name: &question.name,
            kind: question.kind_name(),
            data: &data,
            created_by: by,
        };
        repo::questions::insert(tx, &new).await?;
    }
    Ok(())
}

/// A file's category as the names of its levels: Moodle's context prefix
/// (`$course$`, `$system$`…) and its `top` level are not categories of ours.
fn category_path(raw: &str) -> Vec<String> {
    let mut names: Vec<String> =
        raw.split('/').map(str::trim).filter(|s| !s.is_empty() && !s.starts_with('$')).map(str::to_string).collect();
    if names.first().is_some_and(|n| n == "top") {
        names.remove(0);
    }
    names.into_iter().map(|n| n.chars().take(categories::NAME_MAX).collect()).collect()
}

/// An export: the file's text, its name, and what could not be written.
pub struct Export {
    pub filename: String,
    pub report: ExportReport,
}

/// Writes the course's live questions (in `category` and below when given),
/// each under its category path, oldest first.
pub async fn export(
    state: &AppState,
    viewer: &Viewer,
    course_id: &CourseId,
    format: Format,
    category: Option<&CategoryId>,
) -> Result<Export, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    let course = bank_course(&mut conn, viewer, course_id).await?;
    let all = categories::tree(&mut conn, course_id).await?;
    let scope: Option<Vec<String>> = match category {
        Some(id) => {
            categories::of_course(&mut conn, course_id, id, Some("category")).await?;
            Some(categories::subtree(&all, id.as_str()))
        }
        None => None,
    };
    let rows = repo::questions::in_categories(&mut conn, course_id.as_str(), scope.as_deref()).await?;
    let mut questions = Vec::with_capacity(rows.len());
    for row in rows {
        let version = repo::questions::version(&mut conn, &row.id, row.current_version).await?;
        let version = version.ok_or_else(AppError::not_found)?;
        let path = categories::path_in(&all, &row.category_id);
        questions.push((Some(format!("$course$/top/{}", path.join("/"))), decode(&version.data)?));
    }
    let report = match format {
        Format::Gift => gift::to_gift(&questions),
        Format::MoodleXml => {
            let files = question_files::export(state, &mut conn, course_id, &mut questions).await?;
            let with_files: Vec<_> =
                questions.into_iter().zip(files).map(|((category, q), files)| (category, q, files)).collect();
            moodle_xml::to_moodle_xml_with_files(&with_files)
        }
    };
    let filename = format!("{}-questions.{}", course.slug, format.extension());
    Ok(Export { filename, report })
}

#[cfg(test)]
mod tests {
    use super::category_path;

    #[test]
    fn moodle_context_and_top_are_not_categories() {
        assert_eq!(category_path("$course$/top/Week 1/Maps"), ["Week 1", "Maps"]);
        assert_eq!(category_path("top"), Vec::<String>::new());
        assert_eq!(category_path("Sums"), ["Sums"]);
        assert_eq!(category_path(""), Vec::<String>::new());
    }
}

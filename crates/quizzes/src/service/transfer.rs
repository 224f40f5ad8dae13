//! Importing a GIFT or Moodle XML file into a course's bank, and exporting
//! the bank (or one category and its subcategories) to one. Moodle XML's
//! embedded files become question files of the course, and go back into
//! the file on export (`question_files`).

use lyceum_assessment::format::{ExportReport, ImportReport, Problem, gift, moodle_xml};
use lyceum_platform::{AppError, AppState, auth::Viewer, ids::CourseId};

use super::{bank_course, categories, decode, encode, question_files};
use crate::{
    model::{CategoryId, Format},
    repo::{self, files::FileRow},
};

/// What an import did.
pub struct ImportOutcome {
    pub imported: usize,
    /// Questions that could not be imported, each with its line in the file.
    pub problems: Vec<Problem>,
}

/// Imports every valid question of `text` in one transaction (all of them or,
/// on a fault, none); invalid ones are reported and skipped. The file's
/// categories are made under the course (`$course$/top/A/B` → A › B).
pub async fn import(
    state: &AppState,
    viewer: &Viewer,
    course_id: &CourseId,
    format: Format,
    text: &str,
) -> Result<ImportOutcome, AppError> {
    let mut report = match format {
        Format::Gift => gift::parse(text),
        Format::MoodleXml => moodle_xml::parse(text),
    };
    {
        let mut conn = state.db.pool().acquire().await?;
        bank_course(&mut conn, viewer, course_id).await?;
    }
    // Embedded files are stored first (objects no row names are harmless);
    // their rows are written with the questions, or removed on a fault.
    let mut files = Vec::new();
    let mut kept = Vec::with_capacity(report.questions.len());
    for mut imported in std::mem::take(&mut report.questions) {
        match question_files::import(state, course_id, &mut imported.question, &imported.attachments).await {
            Ok(Ok(rows)) => {
                files.extend(rows);
                kept.push(imported);
            }
            Ok(Err(problem)) => report.problems.push(Problem { line: imported.line, message: problem }),
            Err(e) => {
                question_files::forget(&state.storage, &files).await;
                return Err(e);
            }
        }
    }
    report.problems.sort_by_key(|p| p.line);
    report.questions = kept;
    let written = write_import(state, viewer, course_id, &report, &files).await;
    if written.is_err() {
        question_files::forget(&state.storage, &files).await;
    }
    written?;
    Ok(ImportOutcome { imported: report.questions.len(), problems: report.problems })
}

/// The import's questions and their files' rows, in one transaction.
async fn write_import(
    state: &AppState,
    viewer: &Viewer,
    course_id: &CourseId,
    report: &ImportReport,
    files: &[FileRow],
) -> Result<(), AppError> {
    let mut tx = state.db.begin().await?;
    bank_course(&mut tx, viewer, course_id).await?;
    for file in files {
        repo::files::insert_question_file(&mut tx, file, Some(&viewer.user_id)).await?;
    }
    for imported in &report.questions {
        let path = category_path(imported.category.as_deref().unwrap_or(""));
        let category = categories::ensure_path(&mut tx, course_id, &path).await?;
        let question = &imported.question;
        let data = encode(question)?;
        let new = repo::questions::NewQuestion {
            course_id: course_id.as_str(),
            category_id: &category.id,
            name: &question.name,
            kind: question.kind_name(),
            data: &data,
            created_by: &viewer.user_id,
        };
        repo::questions::insert(&mut tx, &new).await?;
    }
    tx.commit().await?;
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

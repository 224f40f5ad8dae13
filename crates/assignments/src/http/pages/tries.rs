//! Past tries on the pages: the learner's page and the grading page list
//! them (the shared `_tries.html`), with their grades, feedback and files.

use lyceum_platform::markdown;

use crate::service::tries::{PastTry, feedback_file_url, file_url};

/// A past try as the pages show it.
pub(crate) struct TryView {
    pub number: i64,
    pub submitted_at: Option<i64>,
    pub late: bool,
    /// "72.5 / 100", or empty when not graded.
    pub grade: String,
    pub text_html: String,
    pub feedback_html: String,
    /// (name, size, url)
    pub files: Vec<(String, i64, String)>,
    /// The grader's files, as `files`.
    pub feedback_files: Vec<(String, i64, String)>,
}

pub(crate) fn views(past: &[PastTry], max_points: f64) -> Vec<TryView> {
    past.iter()
        .rev()
        .map(|t| TryView {
            number: t.number,
            submitted_at: t.row.submitted_at,
            late: t.row.late_ms > 0,
            grade: t.row.grade.map(|g| format!("{g} / {max_points}")).unwrap_or_default(),
            text_html: markdown::render(&t.row.text_md),
            feedback_html: markdown::render(&t.row.feedback_md),
            files: t.files.iter().map(|f| (f.name.clone(), f.size, file_url(t.number, f))).collect(),
            feedback_files: t
                .feedback_files
                .iter()
                .map(|f| (f.name.clone(), f.size, feedback_file_url(t.number, f)))
                .collect(),
        })
        .collect()
}

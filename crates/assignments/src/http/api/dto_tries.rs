//! What the API shows of a submission's past tries (tries after each grade).

use lyceum_platform::db::rfc3339;
use serde::Serialize;
use utoipa::ToSchema;

use super::dto::FileDto;
use crate::service::tries::{PastTry, feedback_file_url, file_url as try_file_url};

/// A past try, as it was graded.
#[derive(Serialize, ToSchema)]
pub struct TryDto {
    /// 1 for the first try.
    pub number: i64,
    pub text: String,
    #[schema(format = DateTime)]
    pub submitted_at: Option<String>,
    pub late_ms: i64,
    /// The grader's points, before the late penalty.
    pub points: Option<f64>,
    /// The grade after the late penalty.
    pub grade: Option<f64>,
    pub feedback: String,
    /// The rubric level chosen per criterion, when graded with a rubric.
    pub rubric: Option<Vec<usize>>,
    #[schema(format = DateTime)]
    pub graded_at: Option<String>,
    pub files: Vec<FileDto>,
    /// The grader's feedback files of this try.
    pub feedback_files: Vec<FileDto>,
}

impl From<&PastTry> for TryDto {
    fn from(t: &PastTry) -> Self {
        let row = &t.row;
        Self {
            number: t.number,
            text: row.text_md.clone(),
            submitted_at: row.submitted_at.map(rfc3339),
            late_ms: row.late_ms,
            points: row.points,
            grade: row.grade,
            feedback: row.feedback_md.clone(),
            rubric: row.rubric_choices(),
            graded_at: row.graded_at.map(rfc3339),
            files: t.files.iter().map(|f| FileDto { url: try_file_url(t.number, f), ..FileDto::from(f) }).collect(),
            feedback_files: t
                .feedback_files
                .iter()
                .map(|f| FileDto { url: feedback_file_url(t.number, f), ..FileDto::from(f) })
                .collect(),
        }
    }
}

pub fn tries(past: &[PastTry]) -> Vec<TryDto> {
    past.iter().map(TryDto::from).collect()
}

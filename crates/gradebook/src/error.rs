//! Why the gradebook refuses a change: the module's own error, turned into
//! HTTP only at the edge.

use lyceum_platform::{AppError, Text};

use crate::settings::ScaleProblem;

#[derive(Debug)]
pub enum GradebookError {
    /// A title that is empty or too long (422 on `title`).
    Title,
    /// A maximum outside 0.01 – 10,000 (422 on `max_points`).
    MaxPoints,
    /// Points outside 0 – the item's maximum (422 on `points`).
    Points {
        max: f64,
    },
    /// The grade is for someone who is not an enrolled learner (422 on `user_id`).
    NotALearner,
    /// A category's weight outside 0 – 100 % (422 on `weight`).
    Weight,
    /// Dropping outside 0 – 20 grades (422 on `drop_lowest`).
    DropLowest,
    /// The item's category is not one of its course's (422 on `category_id`).
    UnknownCategory,
    /// A quiz's or an assignment's item takes its title and maximum from it,
    /// and goes with it (409 `activity-item`).
    ActivityItem,
    /// A letter scale's row (from 1; 0: the whole scale) is wrong (422 on `letters[i]`).
    LetterScale {
        row: usize,
        problem: ScaleProblem,
    },
    /// A pass mark outside 0 – 100 % (422 on `pass_percent`).
    PassMark,
    /// An import's file cannot be read (422 on `file`): not UTF-8, no e-mail column.
    ImportFile(ImportFileProblem),
    /// The grades changed since the import's preview (409 `stale-preview`).
    StalePreview,
    /// A grid sort that is not `name`, `total` or `item:<id>` of the course, or a `dir` not `asc`/`desc` (422 on `sort`).
    Sort,
    Other(AppError),
}

/// Why an import's file was refused as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportFileProblem {
    NotUtf8,
    Empty,
    NoEmailColumn,
}

impl GradebookError {
    /// The message of a refused letter scale.
    pub fn scale_text(row: usize, problem: ScaleProblem) -> Text {
        let key = match problem {
            ScaleProblem::Size => "gradebook.errors.scale_size",
            ScaleProblem::Letter => "gradebook.errors.scale_letter",
            ScaleProblem::Duplicate => "gradebook.errors.scale_duplicate",
            ScaleProblem::Minimum => "gradebook.errors.scale_minimum",
            ScaleProblem::NotDescending => "gradebook.errors.scale_descending",
            ScaleProblem::NoBottom => "gradebook.errors.scale_bottom",
        };
        Text::new(key).arg("row", row)
    }

    pub fn import_text(problem: ImportFileProblem) -> Text {
        Text::new(match problem {
            ImportFileProblem::NotUtf8 => "gradebook.errors.import_not_utf8",
            ImportFileProblem::Empty => "gradebook.errors.import_empty",
            ImportFileProblem::NoEmailColumn => "gradebook.errors.import_no_email",
        })
    }
}

impl From<AppError> for GradebookError {
    fn from(e: AppError) -> Self {
        Self::Other(e)
    }
}

impl From<sqlx::Error> for GradebookError {
    fn from(e: sqlx::Error) -> Self {
        Self::Other(e.into())
    }
}

impl From<GradebookError> for AppError {
    fn from(e: GradebookError) -> Self {
        let t = Text::new;
        match e {
            GradebookError::Title => AppError::field("title", t("gradebook.errors.title")),
            GradebookError::MaxPoints => AppError::field("max_points", t("gradebook.errors.max_points")),
            GradebookError::Points { max } => AppError::field("points", t("gradebook.errors.points").arg("max", max)),
            GradebookError::NotALearner => AppError::field("user_id", t("gradebook.errors.not_a_learner")),
            GradebookError::Weight => AppError::field("weight", t("gradebook.errors.weight")),
            GradebookError::DropLowest => AppError::field("drop_lowest", t("gradebook.errors.drop_lowest")),
            GradebookError::UnknownCategory => AppError::field("category_id", t("gradebook.errors.unknown_category")),
            GradebookError::ActivityItem => {
                AppError::conflict(t("gradebook.errors.activity_item")).with_kind("activity-item")
            }
            GradebookError::LetterScale { row, problem } => {
                let field = if row == 0 { "letters".to_string() } else { format!("letters[{}]", row - 1) };
                AppError::field(&field, GradebookError::scale_text(row, problem))
            }
            GradebookError::PassMark => AppError::field("pass_percent", t("gradebook.errors.pass_mark")),
            GradebookError::ImportFile(p) => AppError::field("file", GradebookError::import_text(p)),
            GradebookError::Sort => AppError::field("sort", t("gradebook.errors.sort")),
            GradebookError::StalePreview => {
                AppError::conflict(t("gradebook.errors.stale_preview")).with_kind("stale-preview")
            }
            GradebookError::Other(e) => e,
        }
    }
}

//! Why the gradebook refuses a change: the module's own error, turned into
//! HTTP only at the edge.

use lyceum_platform::{AppError, Text};

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
    Other(AppError),
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
            GradebookError::Other(e) => e,
        }
    }
}

//! What a learner sees beside a released grade that the grading method
//! adds — a scale's level by name, a marking guide's points and comment per
//! criterion — and the feedback files. Nothing before the grade is visible to them.

use lyceum_platform::{AppError, AppState};

use super::{
    grading::{Marks, definitions_of},
    submissions::Mine,
};

/// One criterion of a marking guide as the learner sees it.
#[derive(Debug, Clone)]
pub struct GuideLine {
    pub name: String,
    pub points: f64,
    pub max_points: f64,
    pub comment: String,
}

/// The marks shown with a released grade.
#[derive(Debug, Clone, Default)]
pub struct Released {
    /// The scale level given, shown instead of points.
    pub scale_level: Option<String>,
    /// The marking guide's title and its criteria as marked.
    pub guide_title: String,
    pub guide: Vec<GuideLine>,
    /// The grader's feedback files.
    pub files: Vec<FeedbackFile>,
}

/// A feedback file as the learner's page links it.
#[derive(Debug, Clone)]
pub struct FeedbackFile {
    pub name: String,
    pub size: i64,
    pub url: String,
}

/// The released marks of the viewer's own submission (none until the grade
/// is visible to them).
pub async fn released(state: &AppState, mine: &Mine) -> Result<Option<Released>, AppError> {
    let Some(row) = mine.visible_grade() else { return Ok(None) };
    let settings = &mine.assignment.settings;
    let mut conn = state.db.pool().acquire().await?;
    let (_, guide, scale) = definitions_of(&mut conn, settings).await?;
    let files = crate::repo::feedback_files::of_submission(&mut conn, &row.id).await?;
    let files = files
        .iter()
        .map(|f| FeedbackFile { name: f.name.clone(), size: f.size, url: super::feedback_files::file_url(f) })
        .collect();
    let mut released = Released { files, ..Released::default() };
    match (Marks::of(settings, row), guide, scale) {
        (Marks::Scale(level), _, Some(scale)) => released.scale_level = scale.levels.get(level).cloned(),
        (Marks::Guide(marks), Some(guide), _) => {
            released.guide_title = guide.title;
            released.guide = guide
                .criteria
                .into_iter()
                .zip(marks)
                .map(|(c, m)| GuideLine {
                    name: c.name,
                    points: m.points,
                    max_points: c.max_points,
                    comment: m.comment,
                })
                .collect();
        }
        _ => {}
    }
    Ok(Some(released))
}

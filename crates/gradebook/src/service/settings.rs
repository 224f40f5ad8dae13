//! A course's gradebook settings, for its staff: the letter scale, the pass
//! mark, the aggregation and the certificate rule.

use lyceum_courses::model::Course;
use lyceum_platform::{AppState, auth::Viewer, ids::CourseId};

use super::{staff_course, standing};
use crate::{
    GradebookError, repo,
    settings::{LetterStep, Settings, check_scale},
};

/// The course and its settings (the defaults until changed), for its staff.
pub async fn settings(
    state: &AppState,
    viewer: &Viewer,
    course_id: &CourseId,
) -> Result<(Course, Settings), lyceum_platform::AppError> {
    let mut conn = state.db.pool().acquire().await?;
    let course = staff_course(&mut conn, viewer, course_id).await?;
    let settings = repo::settings::of_course(&mut conn, course_id.as_str()).await?;
    Ok((course, settings))
}

/// Checks and keeps the course's settings (letters trimmed).
pub async fn save_settings(
    state: &AppState,
    viewer: &Viewer,
    course_id: &CourseId,
    settings: Settings,
) -> Result<Settings, GradebookError> {
    let letters: Vec<LetterStep> = settings
        .letters
        .into_iter()
        .map(|s| LetterStep { letter: s.letter.trim().to_string(), min_percent: s.min_percent })
        .collect();
    check_scale(&letters).map_err(|(row, problem)| GradebookError::LetterScale { row, problem })?;
    if !(settings.pass_percent.is_finite() && (0.0..=100.0).contains(&settings.pass_percent)) {
        return Err(GradebookError::PassMark);
    }
    let settings = Settings { letters, ..settings };
    let mut tx = state.db.begin().await?;
    staff_course(&mut tx, viewer, course_id).await?;
    let before = standing::before_all(&mut tx, course_id.as_str()).await?;
    repo::settings::save(&mut tx, course_id.as_str(), &settings).await?;
    standing::publish_changes(state, &mut tx, course_id.as_str(), &before).await?;
    tx.commit().await?;
    Ok(settings)
}

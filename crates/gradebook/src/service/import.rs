//! Importing manual items' grades from a CSV, for the course's staff: a
//! preview (what would change, what is refused, what is left alone) and the
//! apply, which plans the file again in its transaction and refuses (409)
//! when the plan differs from the previewed one — grades changed since.

use lyceum_enrollment::service::roster;
use lyceum_platform::{
    AppError, AppState,
    auth::Viewer,
    ids::{CourseId, UserId},
    keyset::{MAX_LIMIT, PageRequest},
};
use sqlx::AnyConnection;

use super::{staff_course, standing};
use crate::{
    GradebookError,
    import::{Learner, Plan, plan, read_csv},
    repo,
};

/// Every learner of the course's roster (active or not), from enrollment's service.
async fn learners(state: &AppState, viewer: &Viewer, course_id: &CourseId) -> Result<Vec<Learner>, AppError> {
    let (mut out, mut page) = (Vec::new(), PageRequest::sized(MAX_LIMIT, None));
    loop {
        let found = roster::list(state, viewer, course_id, None, &page).await?;
        out.extend(found.entries.items.iter().map(|e| Learner {
            user_id: e.user_id.clone(),
            name: e.display_name.clone(),
            email: e.email.clone(),
            active: e.is_active(),
        }));
        match found.entries.next_cursor {
            Some(next) => page = PageRequest::sized(MAX_LIMIT, Some(&next)),
            None => return Ok(out),
        }
    }
}

/// The plan of `text` against the course's items and entries as `conn` sees them.
async fn plan_in(
    conn: &mut AnyConnection,
    course_id: &CourseId,
    learners: &[Learner],
    text: &str,
) -> Result<Plan, GradebookError> {
    let rows = read_csv(text).map_err(GradebookError::ImportFile)?;
    let items = repo::items(conn, course_id.as_str()).await?;
    let ids: Vec<String> = learners.iter().filter(|l| l.active).map(|l| l.user_id.clone()).collect();
    let entries = repo::entries_of(conn, course_id.as_str(), &ids).await?;
    plan(&rows, &items, learners, &entries).map_err(GradebookError::ImportFile)
}

/// What the file would change (nothing is written).
pub async fn preview(
    state: &AppState,
    viewer: &Viewer,
    course_id: &CourseId,
    text: &str,
) -> Result<Plan, GradebookError> {
    {
        let mut conn = state.db.pool().acquire().await?;
        staff_course(&mut conn, viewer, course_id).await?;
    }
    let learners = learners(state, viewer, course_id).await?;
    let mut conn = state.db.pool().acquire().await?;
    plan_in(&mut conn, course_id, &learners, text).await
}

/// Writes the previewed changes in one transaction; `digest` is the
/// preview's. Returns how many grades were written.
pub async fn apply(
    state: &AppState,
    viewer: &Viewer,
    course_id: &CourseId,
    text: &str,
    digest: &str,
) -> Result<usize, GradebookError> {
    {
        let mut conn = state.db.pool().acquire().await?;
        staff_course(&mut conn, viewer, course_id).await?;
    }
    let learners = learners(state, viewer, course_id).await?;
    let mut tx = state.db.begin().await?;
    let plan = plan_in(&mut tx, course_id, &learners, text).await?;
    if plan.digest() != digest {
        return Err(GradebookError::StalePreview);
    }
    let mut users: Vec<String> = plan.changes.iter().map(|c| c.user_id.clone()).collect();
    users.sort();
    users.dedup();
    let before = standing::before(&mut tx, course_id.as_str(), &users).await?;
    // Enrollment is read again in the transaction: the roster above was read before it.
    for user in &users {
        if !lyceum_enrollment::is_active(&mut tx, course_id, &UserId::from(user.as_str())).await? {
            return Err(GradebookError::StalePreview);
        }
    }
    for change in &plan.changes {
        repo::set_points(&mut tx, &change.item_id, &change.user_id, change.new).await?;
    }
    standing::publish_changes(state, &mut tx, course_id.as_str(), &before).await?;
    tx.commit().await?;
    Ok(plan.changes.len())
}

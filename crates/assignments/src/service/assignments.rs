//! Assignments: created in a module of the course outline (as a lesson
//! whose activity is the assignment), their settings, per-learner
//! extensions, and the release of grades held back for release.

use lyceum_courses::service::{self as courses, access::is_staff, read};
use lyceum_platform::{
    AppError, AppState,
    auth::Viewer,
    db, events,
    ids::{CourseId, LessonId, ModuleId, UserId},
};

use super::{Assignment, Role, encode, grading::graded_event, load, staff_assignment, visible};
use crate::events::AssignmentSaved;
use crate::{
    AssignmentError,
    model::{AssignmentId, Release, Settings},
    repo::{self, assignments::AssignmentRow},
};

/// The lesson activity an assignment is (`lessons.activity`).
pub const ACTIVITY: &str = "assignment";

fn check(settings: &Settings) -> Result<(), AssignmentError> {
    let errors = settings.validate();
    if errors.is_empty() { Ok(()) } else { Err(AssignmentError::Invalid(errors)) }
}

/// Creates an assignment at the end of `module_id`: its lesson (titled
/// `title`, `instructions` as its text) and the assignment, in one transaction.
pub async fn create(
    state: &AppState,
    viewer: &Viewer,
    module_id: &ModuleId,
    title: &str,
    instructions: &str,
    settings: Settings,
) -> Result<Assignment, AssignmentError> {
    check(&settings)?;
    let mut tx = state.db.begin().await?;
    let lesson =
        courses::outline::create_activity_lesson(&mut tx, viewer, module_id, title, instructions, ACTIVITY).await?;
    super::definitions::check_choice(&mut tx, &lesson.course_id, &settings).await?;
    let now = db::now_ms();
    let row = AssignmentRow {
        id: db::new_id(),
        course_id: lesson.course_id.clone(),
        lesson_id: lesson.id.clone(),
        settings: encode(&settings.canonical())?,
        released_at: None,
        created_at: now,
        updated_at: now,
    };
    repo::assignments::insert(&mut tx, &row).await?;
    let assignment = load(&mut tx, &AssignmentId::from(&row.id)).await?;
    events::publish(state, &mut tx, &saved_event(&assignment)).await?;
    tx.commit().await?;
    courses::content_changed(state).await;
    Ok(assignment)
}

/// `assignment.saved`: the gradebook's item follows the assignment.
fn saved_event(a: &Assignment) -> AssignmentSaved {
    AssignmentSaved {
        assignment_id: a.id.clone(),
        course_id: a.course_id.clone(),
        title: a.title.clone(),
        max_points: a.settings.max_points,
    }
}

/// Replaces an assignment's settings. Switching "release all at once" back
/// to "as graded" releases what is graded (the learners are told).
pub async fn update(
    state: &AppState,
    viewer: &Viewer,
    id: &AssignmentId,
    settings: Settings,
) -> Result<Assignment, AssignmentError> {
    check(&settings)?;
    let mut tx = state.db.begin().await?;
    let (_, before) = staff_assignment(&mut tx, viewer, id).await?;
    super::definitions::check_choice(&mut tx, &before.course_id, &settings).await?;
    repo::assignments::update_settings(&mut tx, id.as_str(), &encode(&settings.clone().canonical())?).await?;
    let releases = before.settings.release == Release::Manual
        && settings.release == Release::Immediate
        && before.released_at.is_none();
    let after = load(&mut tx, id).await?;
    events::publish(state, &mut tx, &saved_event(&after)).await?;
    if releases {
        publish_grades(state, &mut tx, &after).await?;
    }
    tx.commit().await?;
    Ok(after)
}

/// An assignment for its staff or an enrolled learner, and which of the two the viewer is.
pub async fn get(state: &AppState, viewer: &Viewer, id: &AssignmentId) -> Result<(Assignment, Role), AppError> {
    let mut conn = state.db.pool().acquire().await?;
    visible(state, &mut conn, viewer, id).await
}

/// The assignment of an activity lesson (what the lesson page links to), if the viewer may see it.
pub async fn of_lesson(state: &AppState, viewer: &Viewer, lesson_id: &LessonId) -> Result<AssignmentId, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    let row = repo::assignments::by_lesson(&mut conn, lesson_id.as_str()).await?.ok_or_else(AppError::not_found)?;
    let id = AssignmentId::from(&row.id);
    visible(state, &mut conn, viewer, &id).await?;
    Ok(id)
}

/// A course's assignments, for its staff and its enrolled learners, with the viewer's role.
pub async fn of_course(
    state: &AppState,
    viewer: &Viewer,
    course_id: &CourseId,
) -> Result<(Vec<Assignment>, Role), AppError> {
    let mut conn = state.db.pool().acquire().await?;
    read::course(&mut conn, course_id).await?.ok_or_else(AppError::not_found)?;
    let role = if is_staff(&mut conn, viewer, course_id).await? {
        Role::Staff
    } else if lyceum_enrollment::is_active_cached(state, &mut conn, course_id, &viewer.id()).await? {
        Role::Learner
    } else {
        return Err(AppError::not_found());
    };
    let rows = repo::assignments::of_course(&mut conn, course_id.as_str()).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        out.push(load(&mut conn, &AssignmentId::from(&row.id)).await?);
    }
    Ok((out, role))
}

/// Releases the grades of an assignment whose grades wait for release:
/// every graded learner is told, in the release's transaction. Releasing
/// again changes nothing.
pub async fn release(state: &AppState, viewer: &Viewer, id: &AssignmentId) -> Result<Assignment, AppError> {
    let mut tx = state.db.begin().await?;
    staff_assignment(&mut tx, viewer, id).await?;
    if repo::assignments::release(&mut tx, id.as_str(), db::now_ms()).await? {
        let assignment = load(&mut tx, id).await?;
        publish_grades(state, &mut tx, &assignment).await?;
    }
    let assignment = load(&mut tx, id).await?;
    tx.commit().await?;
    Ok(assignment)
}

/// `assignment.graded` for every graded submission (their grades just became visible).
async fn publish_grades(state: &AppState, tx: &mut db::Tx, assignment: &Assignment) -> Result<(), AppError> {
    for row in repo::submissions::graded(tx, &assignment.id).await? {
        events::publish(state, tx, &graded_event(assignment, &row)).await?;
    }
    Ok(())
}

/// Gives one enrolled learner their own due date (the cut-off follows it).
pub async fn set_extension(
    state: &AppState,
    viewer: &Viewer,
    id: &AssignmentId,
    user_id: &UserId,
    due_at: i64,
) -> Result<(), AssignmentError> {
    let mut tx = state.db.begin().await?;
    let (_, assignment) = staff_assignment(&mut tx, viewer, id).await?;
    if !lyceum_enrollment::is_active(&mut tx, &CourseId::from(&assignment.course_id), user_id).await? {
        return Err(AssignmentError::NotALearner);
    }
    repo::assignments::set_extension(&mut tx, id.as_str(), user_id.as_str(), due_at, &viewer.user_id).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes a learner's extension; idempotent.
pub async fn delete_extension(
    state: &AppState,
    viewer: &Viewer,
    id: &AssignmentId,
    user_id: &UserId,
) -> Result<(), AppError> {
    let mut tx = state.db.begin().await?;
    staff_assignment(&mut tx, viewer, id).await?;
    repo::assignments::delete_extension(&mut tx, id.as_str(), user_id.as_str()).await?;
    tx.commit().await?;
    Ok(())
}

/// One extension with its learner.
#[derive(Debug, Clone)]
pub struct Extension {
    pub user_id: String,
    pub name: String,
    pub email: String,
    pub due_at: i64,
}

pub async fn extensions(state: &AppState, viewer: &Viewer, id: &AssignmentId) -> Result<Vec<Extension>, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    staff_assignment(&mut conn, viewer, id).await?;
    let rows = repo::assignments::extensions(&mut conn, id.as_str()).await?;
    let ids: Vec<UserId> = rows.iter().map(|(u, _)| UserId::from(u.as_str())).collect();
    let people = lyceum_accounts::service::directory::people(&mut conn, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|(user_id, due_at)| {
            let person = people.get(&user_id);
            Extension {
                name: person.map(|p| p.display_name.clone()).unwrap_or_default(),
                email: person.map(|p| p.email.clone()).unwrap_or_default(),
                user_id,
                due_at,
            }
        })
        .collect())
}

/// The assignment of an activity lesson, for its staff (the outline editor links to it).
pub async fn of_lesson_for_staff(
    state: &AppState,
    viewer: &Viewer,
    lesson_id: &LessonId,
) -> Result<AssignmentId, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    let row = repo::assignments::by_lesson(&mut conn, lesson_id.as_str()).await?.ok_or_else(AppError::not_found)?;
    let id = AssignmentId::from(&row.id);
    staff_assignment(&mut conn, viewer, &id).await?;
    Ok(id)
}

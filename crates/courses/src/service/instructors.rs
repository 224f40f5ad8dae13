//! Co-instructors: any editor of a course adds or removes them; the owner stays.

use lyceum_accounts::service::{admin, directory, identity};
use lyceum_platform::ids::{CourseId, UserId};
use lyceum_platform::{
    AppError, AppState, Text,
    auth::{Role, Viewer},
};
use sqlx::AnyConnection;

use super::{access, changed, commit};
use crate::{model::Instructor, repo};

/// Who to add: an account's e-mail address or its id.
pub enum Who {
    Email(String),
    UserId(String),
}

pub async fn list(state: &AppState, viewer: &Viewer, course_id: &CourseId) -> Result<Vec<Instructor>, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    access::editable(&mut conn, viewer, course_id).await?;
    of(&mut conn, course_id).await
}

/// A course's instructors with their names (owner first): two queries, the
/// list and one batched read of the accounts behind it.
pub async fn of(conn: &mut AnyConnection, course_id: &CourseId) -> Result<Vec<Instructor>, AppError> {
    let course_id = course_id.as_str();
    let rows = repo::instructors::list(conn, course_id).await?;
    let ids: Vec<UserId> = rows.iter().map(|(id, _)| UserId::from(id)).collect();
    let mut people = directory::people(conn, &ids).await?;
    Ok(rows
        .into_iter()
        .filter_map(|(user_id, role)| {
            let person = people.remove(&user_id)?;
            Some(Instructor { user_id, role, display_name: person.display_name, email: person.email })
        })
        .collect())
}

pub async fn add(
    state: &AppState,
    viewer: &Viewer,
    course_id: &CourseId,
    who: Who,
) -> Result<Vec<Instructor>, AppError> {
    // Access first, so nobody learns which accounts exist through someone else's course.
    {
        let mut conn = state.db.pool().acquire().await?;
        access::editable(&mut conn, viewer, course_id).await?;
    }
    // A lookup that answers "none" is the only "no such account"; a database fault stays one.
    let (field, found) = match &who {
        Who::Email(email) => ("email", admin::by_email(state, email).await?),
        Who::UserId(id) => ("user_id", identity::find(state, &UserId::from(id)).await?),
    };
    let user = found.ok_or_else(|| AppError::field(field, Text::new("courses.errors.no_account")))?;
    if user.is_disabled() || user.role() == Role::Learner {
        return Err(AppError::field(field, Text::new("courses.errors.not_a_teacher")));
    }
    let mut tx = state.db.begin().await?;
    let course = access::editable(&mut tx, viewer, course_id).await?.course;
    repo::instructors::add(&mut tx, course_id.as_str(), &user.id, "co").await?;
    changed(&mut tx, &course, false).await?;
    let all = of(&mut tx, course_id).await?;
    commit(state, tx).await?;
    Ok(all)
}

pub async fn remove(state: &AppState, viewer: &Viewer, course_id: &CourseId, user_id: &UserId) -> Result<(), AppError> {
    let user_id = user_id.as_str();
    let mut tx = state.db.begin().await?;
    let course = access::editable(&mut tx, viewer, course_id).await?.course;
    match repo::instructors::role_of(&mut tx, course_id.as_str(), user_id).await?.as_deref() {
        None => return Err(AppError::not_found()),
        Some("owner") => {
            return Err(AppError::conflict(Text::new("courses.errors.owner_required")).with_kind("owner-required"));
        }
        Some(_) => {}
    }
    repo::instructors::remove_co(&mut tx, course_id.as_str(), user_id).await?;
    changed(&mut tx, &course, false).await?;
    commit(state, tx).await?;
    Ok(())
}

//! A course's roster, for its staff (instructors and admins): list, add a
//! learner by e-mail (no payment, but within the seat limit), remove one.

use lyceum_accounts::service::{admin, directory};
use lyceum_courses::{model::CourseState, service::access};
use lyceum_platform::ids::{CourseId, UserId};
use lyceum_platform::{
    AppError, AppState, Text,
    auth::Viewer,
    keyset::{PageRequest, Paged},
};
use sqlx::AnyConnection;

use super::{
    cancel::cancel,
    enroll::{Enrolled, Via, admit},
    seats,
};
use crate::{
    EnrollError,
    model::{Enrollment, Offer, RosterEntry, Status},
    repo::enrollments,
};

pub struct RosterPage {
    pub offer: Offer,
    pub entries: Paged<RosterEntry>,
}

/// Staff's course, or 404 / 403 by the authoring rule.
async fn staff_offer(state: &AppState, viewer: &Viewer, course_id: &CourseId) -> Result<Offer, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    access::editable(&mut conn, viewer, course_id).await?;
    seats::offer(&mut conn, course_id).await?.ok_or_else(AppError::not_found)
}

/// Enrollments newest first; `status` keeps only active or cancelled ones.
pub async fn list(
    state: &AppState,
    viewer: &Viewer,
    course_id: &CourseId,
    status: Option<Status>,
    page: &PageRequest,
) -> Result<RosterPage, AppError> {
    let offer = staff_offer(state, viewer, course_id).await?;
    let before = page.before()?;
    let before = before.as_ref().map(|(at, id)| (*at, id.as_str()));
    let mut conn = state.db.pool().acquire().await?;
    let status = status.map(Status::as_str);
    let rows = enrollments::of_course(&mut conn, course_id.as_str(), status, before, page.fetch()).await?;
    let Paged { items, next_cursor } = Paged::from_rows(rows, page, |r| (r.created_at, r.id.as_str()));
    let items = with_people(&mut conn, items).await?;
    Ok(RosterPage { offer, entries: Paged { items, next_cursor } })
}

/// Roster lines for `rows`, with the learners' names and addresses read from
/// accounts in one batch.
async fn with_people(conn: &mut AnyConnection, rows: Vec<Enrollment>) -> Result<Vec<RosterEntry>, AppError> {
    let ids: Vec<UserId> = rows.iter().map(|e| UserId::from(&e.user_id)).collect();
    let people = directory::people(conn, &ids).await?;
    Ok(rows
        .into_iter()
        .filter_map(|e| {
            let person = people.get(&e.user_id)?;
            Some(RosterEntry {
                enrollment_id: e.id,
                user_id: e.user_id,
                display_name: person.display_name.clone(),
                email: person.email.clone(),
                status: e.status,
                created_at: e.created_at,
            })
        })
        .collect())
}

/// Staff enroll the account with `email`: no payment, still within the seat
/// limit; draft courses too (a cohort can be ready before publishing), not
/// archived ones.
pub async fn add(
    state: &AppState,
    viewer: &Viewer,
    course_id: &CourseId,
    email: &str,
) -> Result<Enrolled, EnrollError> {
    // Access first, so nobody learns which accounts exist through someone else's course.
    let offer = staff_offer(state, viewer, course_id).await?;
    // A lookup that answers "none" is the only "no such account"; a database fault stays one.
    let user = admin::by_email(state, email)
        .await?
        .ok_or_else(|| AppError::field("email", Text::new("enrollment.errors.no_account")))?;
    if user.is_disabled() {
        return Err(AppError::field("email", Text::new("enrollment.errors.account_disabled")).into());
    }
    if offer.state() == CourseState::Archived {
        return Err(EnrollError::NotOpen("enrollment.errors.archived_roster"));
    }
    admit(state, &offer, &user.id, Via::Staff).await
}

/// Staff remove a learner; 404 when they are not actively enrolled.
pub async fn remove(state: &AppState, viewer: &Viewer, course_id: &CourseId, user_id: &UserId) -> Result<(), AppError> {
    let user_id = user_id.as_str();
    let offer = staff_offer(state, viewer, course_id).await?;
    let enrollment = {
        let mut conn = state.db.pool().acquire().await?;
        enrollments::of(&mut conn, course_id.as_str(), user_id)
            .await?
            .filter(Enrollment::is_active)
            .ok_or_else(AppError::not_found)?
    };
    cancel(state, &offer, &enrollment, enrollment.user_id != viewer.user_id).await.map(|_| ())
}

/// One learner on the roster (for the removal confirmation); 404 when not actively enrolled.
pub async fn entry(
    state: &AppState,
    viewer: &Viewer,
    course_id: &CourseId,
    user_id: &UserId,
) -> Result<(Offer, RosterEntry), AppError> {
    let user_id = user_id.as_str();
    let offer = staff_offer(state, viewer, course_id).await?;
    let mut conn = state.db.pool().acquire().await?;
    let enrollment = enrollments::of(&mut conn, course_id.as_str(), user_id).await?;
    let enrollment = enrollment.filter(Enrollment::is_active).ok_or_else(AppError::not_found)?;
    let entry = with_people(&mut conn, vec![enrollment]).await?.pop().ok_or_else(AppError::not_found)?;
    Ok((offer, entry))
}

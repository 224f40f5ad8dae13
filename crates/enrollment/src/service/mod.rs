//! Enrollment rules, shared by the pages and the API. Every function takes the
//! viewer and checks access itself, so no handler can forget to.

pub mod cancel;
pub mod enroll;
pub mod query;
pub mod roster;
pub(crate) mod seats;

use lyceum_courses::service::access::is_staff;
use lyceum_platform::ids::{CourseId, UserId};
use lyceum_platform::{AppError, AppState, auth::Viewer, db::ConnSource};
use sqlx::AnyConnection;

use crate::{
    model::{Enrollment, Offer},
    repo,
};

/// Whether `user_id` is actively enrolled in `course_id`: the one query for
/// it, asked by the lesson access rule (learning), the course page (catalog)
/// and enrollment itself.
pub async fn is_active(conn: &mut AnyConnection, course_id: &CourseId, user_id: &UserId) -> Result<bool, AppError> {
    let course_id = course_id.as_str();
    let user_id = user_id.as_str();
    Ok(repo::enrollments::is_active(conn, course_id, user_id).await?)
}

/// The cache namespace of "yes, enrolled" answers ([`is_active_cached`]).
const ACTIVE_CACHE: &str = "enrollment.active";
/// How long a yes is kept. Cancelling drops the yeses at once (through Redis,
/// in every process); without Redis, another process's cancel shows within this.
const ACTIVE_TTL: std::time::Duration = std::time::Duration::from_secs(60);

fn active_key(course_id: &str, user_id: &str) -> String {
    format!("{course_id}:{user_id}")
}

/// [`is_active`] for the read paths a learner crosses on every click (the
/// lesson view). Only a yes is cached: enrolling needs no invalidation (a
/// no is always read again, so a learner who just enrolled is let in at
/// once), and cancelling drops the yeses after its commit ([`forget_active`]).
/// The yes is stored in the generation the lookup saw, so a yes read just
/// before a cancel committed is not kept after it.
/// Writes that depend on the answer ask [`is_active`] in their transaction.
pub async fn is_active_cached(
    state: &AppState,
    conn: &mut impl ConnSource,
    course_id: &CourseId,
    user_id: &UserId,
) -> Result<bool, AppError> {
    let key = active_key(course_id.as_str(), user_id.as_str());
    let cached = state.cache.pin(ACTIVE_CACHE).await;
    if cached.get(&key).await.is_some() {
        return Ok(true);
    }
    let active = is_active(conn.conn().await?, course_id, user_id).await?;
    if active {
        cached.set(&key, bytes::Bytes::from_static(b"1"), ACTIVE_TTL).await;
    }
    Ok(active)
}

/// Drops the cached yeses; called after (never before) a cancel commits.
/// All of them, not the one key: deleting a key cannot stop a yes read just
/// before the commit from being stored after the delete, while a bump makes
/// it land in a generation nobody reads ([`lyceum_platform::cache::Pinned`]).
/// Cancels are rare; each costs every learner one enrollment read.
pub(crate) async fn forget_active(state: &AppState) {
    state.cache.bump(ACTIVE_CACHE).await;
}

/// The course, unless the viewer may not know it exists (a draft of someone else's).
pub(crate) async fn visible_offer(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    course_id: &CourseId,
) -> Result<Offer, AppError> {
    let offer = seats::offer(conn, course_id).await?.ok_or_else(AppError::not_found)?;
    check_visible(conn, viewer, &offer).await?;
    Ok(offer)
}

pub(crate) async fn check_visible(conn: &mut AnyConnection, viewer: &Viewer, offer: &Offer) -> Result<(), AppError> {
    use lyceum_courses::model::CourseState;
    if offer.state() != CourseState::Draft || is_staff(conn, viewer, &CourseId::from(&offer.id)).await? {
        return Ok(());
    }
    // A learner still enrolled in a course taken back to draft keeps seeing their enrollment.
    if is_active(conn, &CourseId::from(&offer.id), &viewer.id()).await? {
        return Ok(());
    }
    Err(AppError::not_found())
}

/// An enrollment the viewer may see and cancel: their own, or any of a course
/// they are staff of (admins: all). Anyone else's is 404, never 403, so ids
/// reveal nothing.
pub(crate) async fn visible_enrollment(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    id: &str,
) -> Result<Enrollment, AppError> {
    let enrollment = repo::enrollments::by_id(conn, id).await?.ok_or_else(AppError::not_found)?;
    if enrollment.user_id == viewer.user_id
        || viewer.is_admin()
        || is_staff(conn, viewer, &CourseId::from(&enrollment.course_id)).await?
    {
        return Ok(enrollment);
    }
    Err(AppError::not_found())
}

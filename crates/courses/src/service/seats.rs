//! Seats: a course's `enrolled_count` against its `seat_limit`. The counter
//! is a column of `courses`, so only this module writes it; the enrollment
//! module calls these inside its own transaction, beside the enrollment row
//! it writes, so the two commit together.

use lyceum_platform::AppError;
use lyceum_platform::ids::CourseId;
use sqlx::AnyConnection;

use crate::repo;

/// Takes a seat if one is free; false when the course is full. Concurrent
/// takers can never pass the limit (one conditional UPDATE).
pub async fn take(conn: &mut AnyConnection, course_id: &CourseId) -> Result<bool, AppError> {
    let course_id = course_id.as_str();
    Ok(repo::courses::take_seat(conn, course_id).await?)
}

/// Takes a seat even when the course is full: for a learner who has paid
/// (billing refuses to sell a full course, so this passes the limit only when
/// the last seats went while the learner was paying).
pub async fn take_past_limit(conn: &mut AnyConnection, course_id: &CourseId) -> Result<(), AppError> {
    Ok(repo::courses::take_seat_past_limit(conn, course_id.as_str()).await?)
}

/// Gives a seat back (never below 0).
pub async fn give_back(conn: &mut AnyConnection, course_id: &CourseId) -> Result<(), AppError> {
    let course_id = course_id.as_str();
    Ok(repo::courses::give_back_seat(conn, course_id).await?)
}

//! The course side of enrollment — its offer (state, price, seats) and its
//! seat counter — asked of the courses module, which owns both, on the
//! caller's connection so it joins the caller's transaction.

use lyceum_courses::{model::Course, service::read};
use lyceum_platform::AppError;
use lyceum_platform::ids::CourseId;
use sqlx::AnyConnection;

pub use lyceum_courses::service::seats::{give_back, take, take_past_limit};

use crate::model::Offer;

pub async fn offer(conn: &mut AnyConnection, course_id: &CourseId) -> Result<Option<Offer>, AppError> {
    Ok(read::course(conn, course_id).await?.map(offer_of))
}

pub async fn offer_by_slug(conn: &mut AnyConnection, slug: &str) -> Result<Option<Offer>, AppError> {
    Ok(read::course_by_slug(conn, slug).await?.map(offer_of))
}

fn offer_of(c: Course) -> Offer {
    Offer {
        id: c.id,
        slug: c.slug,
        title: c.title,
        state: c.state,
        price_minor: c.price_minor,
        currency: c.currency,
        seat_limit: c.seat_limit,
        enrolled_count: c.enrolled_count,
    }
}

//! Enrollments as stored, and the view of a course enrollment needs.

use lyceum_courses::model::CourseState;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Active,
    Cancelled,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Cancelled => "cancelled",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "active" => Some(Status::Active),
            "cancelled" => Some(Status::Cancelled),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Enrollment {
    pub id: String,
    pub course_id: String,
    pub user_id: String,
    pub status: String,
    /// When the current enrollment began (reset when a cancelled one is reactivated).
    pub created_at: i64,
    pub updated_at: i64,
}

impl Enrollment {
    pub fn status(&self) -> Status {
        Status::parse(&self.status).unwrap_or(Status::Cancelled)
    }
    pub fn is_active(&self) -> bool {
        self.status() == Status::Active
    }
}

/// An enrollment with the course it is for (the learner's own list).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MyEnrollment {
    pub id: String,
    pub course_id: String,
    pub user_id: String,
    pub status: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub course_slug: String,
    pub course_title: String,
}

impl MyEnrollment {
    pub fn enrollment(&self) -> Enrollment {
        Enrollment {
            id: self.id.clone(),
            course_id: self.course_id.clone(),
            user_id: self.user_id.clone(),
            status: self.status.clone(),
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}

/// One learner on a course's roster.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RosterEntry {
    pub enrollment_id: String,
    pub user_id: String,
    pub display_name: String,
    pub email: String,
    pub status: String,
    pub created_at: i64,
}

impl RosterEntry {
    pub fn is_active(&self) -> bool {
        self.status == "active"
    }
}

/// What enrollment reads of a course: whether it is open, its price and its seats.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Offer {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub state: String,
    pub price_minor: i64,
    pub currency: Option<String>,
    pub seat_limit: Option<i64>,
    pub enrolled_count: i64,
}

impl Offer {
    pub fn state(&self) -> CourseState {
        CourseState::parse(&self.state).unwrap_or(CourseState::Draft)
    }
    pub fn is_free(&self) -> bool {
        self.price_minor == 0
    }
    /// Seats still free; `None` when the course has no limit.
    pub fn seats_left(&self) -> Option<i64> {
        self.seat_limit.map(|limit| (limit - self.enrolled_count).max(0))
    }
    /// The price for people, e.g. `49.00 EUR` (`0` decimals for JPY and the like).
    pub fn price_label(&self) -> String {
        price_label(self.price_minor, self.currency.as_deref().unwrap_or(""))
    }
}

/// Currencies without minor units (ISO 4217 exponent 0) among those courses accept.
const ZERO_DECIMAL: &[&str] = &["CLP", "ISK", "JPY", "KRW", "VND"];

pub fn price_label(minor: i64, currency: &str) -> String {
    if ZERO_DECIMAL.contains(&currency) {
        return format!("{minor} {currency}");
    }
    format!("{}.{:02} {currency}", minor / 100, minor % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_read_as_amounts() {
        assert_eq!(price_label(4900, "EUR"), "49.00 EUR");
        assert_eq!(price_label(1999, "USD"), "19.99 USD");
        assert_eq!(price_label(1500, "JPY"), "1500 JPY");
    }
}

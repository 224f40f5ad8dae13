//! Enrollments as stored, and the view of a course enrollment needs.

use lyceum_courses::model::CourseState;
use lyceum_platform::money::Money;
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
#[derive(Debug, Clone)]
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
#[derive(Debug, Clone)]
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
#[derive(Debug, Clone)]
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
    /// The price, for the one formatter; `None` when the course is free.
    pub fn price(&self) -> Option<Money> {
        Money::stored_price(self.price_minor, self.currency.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lyceum_platform::money::Currency;

    fn offer(price_minor: i64, currency: Option<&str>) -> Offer {
        Offer {
            id: "c".into(),
            slug: "c".into(),
            title: "C".into(),
            state: "published".into(),
            price_minor,
            currency: currency.map(str::to_string),
            seat_limit: None,
            enrolled_count: 0,
        }
    }

    #[test]
    fn an_offer_has_a_price_only_when_it_costs_money() {
        assert_eq!(offer(4900, Some("EUR")).price(), Some(Money { minor: 4900, currency: Currency::EUR }));
        assert_eq!(offer(1500, Some("JPY")).price().map(|p| p.format("en")).as_deref(), Some("¥1,500"));
        assert_eq!(offer(0, None).price(), None);
    }
}

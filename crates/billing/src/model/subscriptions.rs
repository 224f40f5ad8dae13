//! Plans and subscriptions as stored, their states, and the calendar of
//! billing periods (Lyceum owns the periods; see `docs/billing.md`).

use jiff::{Span, Timestamp, tz::TimeZone};
use lyceum_platform::money::{Currency, Money};
use serde::{Deserialize, Serialize};

pub const DAY_MS: i64 = 86_400_000;

/// Dunning: an unpaid renewal is tried again this many days after the
/// period's end; after the last one the subscription lapses. Access
/// continues until then (the grace period).
pub const RETRY_DAYS: [i64; 3] = [1, 3, 7];

/// How long a plan's period lasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Interval {
    Month,
    Year,
}

impl Interval {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Month => "month",
            Self::Year => "year",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Month, Self::Year].into_iter().find(|i| i.as_str() == s.trim())
    }

    fn span(self, n: i64) -> Span {
        match self {
            Self::Month => Span::new().months(n),
            Self::Year => Span::new().years(n),
        }
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Plan {
    pub id: String,
    pub name: String,
    pub billing_interval: String,
    pub price_minor: i64,
    pub currency: String,
    pub deactivated_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Plan {
    pub fn interval(&self) -> Interval {
        Interval::parse(&self.billing_interval).unwrap_or(Interval::Month)
    }

    pub fn price(&self) -> Money {
        Money { minor: self.price_minor, currency: Currency::parse(&self.currency).unwrap_or(Currency::USD) }
    }

    /// Whether new learners may subscribe to it.
    pub fn is_active(&self) -> bool {
        self.deactivated_at.is_none()
    }
}

/// Where a subscription stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SubscriptionStatus {
    /// Subscribed; the first payment is awaited.
    Pending,
    /// Paid for the current period.
    Active,
    /// The period ended and its renewal is not paid yet: retried on days 1,
    /// 3 and 7 after the end; access continues meanwhile.
    PastDue,
    /// Ended at the learner's request (at the period's end).
    Cancelled,
    /// The renewal was never paid: access is suspended until a payment arrives.
    Lapsed,
}

impl SubscriptionStatus {
    pub const ALL: [Self; 5] = [Self::Pending, Self::Active, Self::PastDue, Self::Cancelled, Self::Lapsed];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Active => "active",
            Self::PastDue => "past_due",
            Self::Cancelled => "cancelled",
            Self::Lapsed => "lapsed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_str() == s)
    }

    /// Whether the included courses are open to the learner (the grace period included).
    pub fn gives_access(self) -> bool {
        matches!(self, Self::Active | Self::PastDue)
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Subscription {
    pub id: String,
    pub user_id: String,
    pub plan_id: String,
    pub status: String,
    pub gateway: String,
    pub customer_ref: Option<String>,
    pub payment_method_ref: Option<String>,
    pub current_period_start: Option<i64>,
    pub current_period_end: Option<i64>,
    pub anchor_at: Option<i64>,
    pub cancel_requested_at: Option<i64>,
    pub failed_attempts: i32,
    pub next_retry_at: Option<i64>,
    pub grace_ends_at: Option<i64>,
    pub ended_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Subscription {
    pub fn status(&self) -> SubscriptionStatus {
        SubscriptionStatus::parse(&self.status).unwrap_or(SubscriptionStatus::Lapsed)
    }

    /// The learner asked to stop at the end of the current period.
    pub fn cancels_at_period_end(&self) -> bool {
        self.cancel_requested_at.is_some()
    }

    /// A saved payment method the renewal can charge without the learner (Stripe).
    pub fn saved_method(&self) -> Option<(&str, &str)> {
        Some((self.customer_ref.as_deref()?, self.payment_method_ref.as_deref()?))
    }
}

/// What a subscription's order pays for: a period of its plan (the order's
/// line names the plan as it was sold). The days are known once the
/// payment is applied, or ahead of it for a renewal; a first order not paid
/// yet starts its period when it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaidPeriod {
    pub interval: Interval,
    /// `[start, end)`, epoch ms.
    pub days: Option<(i64, i64)>,
}

/// `anchor` plus `n` intervals, in UTC calendar terms (1 month after 31
/// January is the last day of February; 2 months after it, 31 March).
pub fn add_intervals(anchor: i64, interval: Interval, n: i64) -> i64 {
    Timestamp::from_millisecond(anchor)
        .ok()
        .and_then(|t| t.to_zoned(TimeZone::UTC).checked_add(interval.span(n)).ok())
        .map(|z| z.timestamp().as_millisecond())
        .unwrap_or(i64::MAX)
}

/// The first period boundary (`anchor` plus a whole number of intervals)
/// later than `after`: the end of the period that starts at `after` when
/// `after` is itself a boundary. Counted from the anchor, never from the
/// previous end, so periods do not drift after a short month.
pub fn next_boundary(anchor: i64, interval: Interval, after: i64) -> i64 {
    // A period is at least 28 days: start near the answer, then step.
    let mut n = ((after - anchor) / (366 * DAY_MS)).max(0) * if interval == Interval::Month { 12 } else { 1 };
    n = n.max(1);
    while n > 1 && add_intervals(anchor, interval, n - 1) > after {
        n -= 1;
    }
    let mut end = add_intervals(anchor, interval, n);
    while end <= after {
        n += 1;
        end = add_intervals(anchor, interval, n);
    }
    end
}

/// When the retry after `failed` unpaid attempts is due (`None`: none left, the subscription lapses).
pub fn retry_at(period_end: i64, failed: i32) -> Option<i64> {
    let index = usize::try_from(failed).ok()?.checked_sub(1)?;
    RETRY_DAYS.get(index).map(|days| period_end + days * DAY_MS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> i64 {
        s.parse::<Timestamp>().unwrap().as_millisecond()
    }

    #[test]
    fn periods_count_from_the_anchor_and_do_not_drift() {
        let anchor = at("2027-01-31T10:00:00Z");
        let first = next_boundary(anchor, Interval::Month, anchor);
        assert_eq!(first, at("2027-02-28T10:00:00Z"));
        let second = next_boundary(anchor, Interval::Month, first);
        assert_eq!(second, at("2027-03-31T10:00:00Z"), "back to the 31st");
        assert_eq!(next_boundary(anchor, Interval::Month, at("2029-06-01T00:00:00Z")), at("2029-06-30T10:00:00Z"));
        assert_eq!(next_boundary(anchor, Interval::Year, anchor), at("2028-01-31T10:00:00Z"));
        assert_eq!(next_boundary(anchor, Interval::Year, at("2030-02-01T00:00:00Z")), at("2031-01-31T10:00:00Z"));
    }

    #[test]
    fn retries_fall_on_days_one_three_and_seven() {
        let end = at("2027-01-01T00:00:00Z");
        assert_eq!(retry_at(end, 0), None);
        assert_eq!(retry_at(end, 1), Some(end + DAY_MS));
        assert_eq!(retry_at(end, 2), Some(end + 3 * DAY_MS));
        assert_eq!(retry_at(end, 3), Some(end + 7 * DAY_MS));
        assert_eq!(retry_at(end, 4), None, "after the last retry the subscription lapses");
    }

    #[test]
    fn statuses_read_back_and_say_who_has_access() {
        for s in SubscriptionStatus::ALL {
            assert_eq!(SubscriptionStatus::parse(s.as_str()), Some(s));
        }
        assert!(SubscriptionStatus::PastDue.gives_access());
        assert!(!SubscriptionStatus::Lapsed.gives_access());
        assert_eq!(Interval::parse(" year"), Some(Interval::Year));
        assert_eq!(Interval::parse("week"), None);
    }
}

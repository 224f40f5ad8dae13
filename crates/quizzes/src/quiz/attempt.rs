//! The rules of one attempt that need no database: the questions it pins,
//! its deadline, its grade, and what the review options let its learner see.

use lyceum_assessment::{Layout, Outcome, State};
use serde::{Deserialize, Serialize};

use super::settings::{Review, Settings};

/// How long after its deadline an attempt still takes an answer: the last
/// autosave may be in flight when the time runs out. The deadline job runs
/// at the end of it.
pub const GRACE_MS: i64 = 10_000;

/// What one slot of an attempt shows, fixed when the attempt starts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pinned {
    /// The quiz slot it was drawn for (attempts may show slots shuffled).
    pub slot: usize,
    pub question_id: String,
    pub version: i64,
    pub layout: Layout,
    pub mark: f64,
}

/// A learner's accommodation; each field replaces the quiz's when set.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Override {
    pub close_at: Option<i64>,
    pub time_limit_minutes: Option<i64>,
    pub attempts_allowed: Option<i64>,
}

/// The limits that apply to one learner: the quiz's, with their override.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    pub open_at: Option<i64>,
    pub close_at: Option<i64>,
    pub time_limit_minutes: Option<i64>,
    pub attempts_allowed: Option<i64>,
}

impl Limits {
    pub fn of(settings: &Settings, over: Option<&Override>) -> Self {
        let over = over.cloned().unwrap_or_default();
        Self {
            open_at: settings.open_at,
            close_at: over.close_at.or(settings.close_at),
            time_limit_minutes: over.time_limit_minutes.or(settings.time_limit_minutes),
            attempts_allowed: over.attempts_allowed.or(settings.attempts_allowed),
        }
    }

    /// When an attempt started at `started_at` must be submitted: its time
    /// limit, cut short by the close date (as Moodle does).
    pub fn deadline(&self, started_at: i64) -> Option<i64> {
        let by_limit = self.time_limit_minutes.map(|m| started_at + m * 60_000);
        match (by_limit, self.close_at) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Why a new attempt cannot start at `now` after `used` attempts, if it cannot.
    pub fn refuse_start(&self, now: i64, used: i64) -> Option<StartRefusal> {
        if self.open_at.is_some_and(|open| now < open) {
            Some(StartRefusal::NotOpen)
        } else if self.close_at.is_some_and(|close| now >= close) {
            Some(StartRefusal::Closed)
        } else if self.attempts_allowed.is_some_and(|n| used >= n) {
            Some(StartRefusal::NoAttemptsLeft)
        } else {
            None
        }
    }

    pub fn is_closed(&self, now: i64) -> bool {
        self.close_at.is_some_and(|close| now >= close)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartRefusal {
    NotOpen,
    Closed,
    NoAttemptsLeft,
}

/// Whether an answer saved at `now` is in time for `deadline`.
pub fn in_time(deadline: Option<i64>, now: i64) -> bool {
    deadline.is_none_or(|d| now <= d + GRACE_MS)
}

/// The review options in force for a submitted attempt at `now`.
pub fn review_at(settings: &Settings, limits: &Limits, now: i64) -> Review {
    if limits.is_closed(now) { settings.review.after_close } else { settings.review.after_submit }
}

/// An attempt's marks from its slots' outcomes (None: unanswered, 0), and
/// how many still wait for a person.
pub fn total(pinned: &[Pinned], outcomes: &[Option<Outcome>]) -> (f64, i64) {
    let mut marks = 0.0;
    let mut waiting = 0;
    for (p, outcome) in pinned.iter().zip(outcomes) {
        match outcome {
            Some(o) if o.state == State::NotGraded => waiting += 1,
            Some(o) => marks += o.fraction * p.mark,
            None => {}
        }
    }
    (marks, waiting)
}

/// Marks as a percent of the maximum (100 when the quiz is worth nothing).
pub fn percent(marks: f64, max: f64) -> f64 {
    if max > 0.0 { (marks / max * 100.0).clamp(0.0, 100.0) } else { 100.0 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lyceum_assessment::Text;

    fn limits(close: Option<i64>, minutes: Option<i64>) -> Limits {
        Limits { open_at: None, close_at: close, time_limit_minutes: minutes, attempts_allowed: Some(2) }
    }

    #[test]
    fn the_close_date_cuts_the_time_limit_short() {
        assert_eq!(limits(None, Some(10)).deadline(0), Some(600_000));
        assert_eq!(limits(Some(300_000), Some(10)).deadline(0), Some(300_000));
        assert_eq!(limits(Some(900_000), None).deadline(0), Some(900_000));
        assert_eq!(limits(None, None).deadline(0), None);
    }

    #[test]
    fn an_override_replaces_only_what_it_sets() {
        let settings = Settings { close_at: Some(100), time_limit_minutes: Some(10), ..Settings::default() };
        let over = Override { time_limit_minutes: Some(15), ..Override::default() };
        let l = Limits::of(&settings, Some(&over));
        assert_eq!((l.close_at, l.time_limit_minutes), (Some(100), Some(15)));
    }

    #[test]
    fn starts_are_refused_outside_the_window_and_past_the_allowance() {
        let l = Limits { open_at: Some(10), ..limits(Some(20), None) };
        assert_eq!(l.refuse_start(5, 0), Some(StartRefusal::NotOpen));
        assert_eq!(l.refuse_start(20, 0), Some(StartRefusal::Closed));
        assert_eq!(l.refuse_start(15, 2), Some(StartRefusal::NoAttemptsLeft));
        assert_eq!(l.refuse_start(15, 1), None);
    }

    #[test]
    fn answers_are_taken_until_the_grace_runs_out() {
        assert!(in_time(Some(1000), 1000 + GRACE_MS));
        assert!(!in_time(Some(1000), 1001 + GRACE_MS));
        assert!(in_time(None, i64::MAX));
    }

    #[test]
    fn totals_weigh_outcomes_by_mark_and_count_the_waiting() {
        let pin = |mark| Pinned { slot: 0, question_id: "q".into(), version: 1, layout: Layout::Fixed, mark };
        let graded = |f| Some(Outcome::graded(f, vec![Text::plain("")]));
        let mut essay = Outcome::graded(0.0, vec![]);
        essay.state = State::NotGraded;
        let (marks, waiting) =
            total(&[pin(2.0), pin(1.0), pin(5.0), pin(1.0)], &[graded(0.5), graded(1.0), Some(essay), None]);
        assert_eq!((marks, waiting), (2.0, 1));
        assert_eq!(percent(2.0, 8.0), 25.0);
        assert_eq!(percent(0.0, 0.0), 100.0);
    }
}

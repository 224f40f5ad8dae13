//! A quiz's settings and slots as stored (JSON in `quizzes.settings` and
//! `quizzes.slots`), with the rules that keep them sensible. Pure: the
//! service validates with [`Settings::validate`] before every write.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// How the attempts of one learner make their quiz grade (Moodle's "grading method").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GradingMethod {
    #[default]
    Highest,
    Average,
    First,
    Last,
}

/// Whether a learner may move freely between pages or only forward.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Navigation {
    #[default]
    Free,
    Sequential,
}

/// When feedback is given: after the attempt is submitted (deferred), or
/// question by question as the learner checks each (immediate; a checked
/// answer is final).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FeedbackMode {
    #[default]
    Deferred,
    Immediate,
}

/// What completes the quiz's lesson in the course's progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Completion {
    /// Any submitted attempt.
    #[default]
    Submitted,
    /// A graded attempt at or above the passing grade.
    Passed,
}

/// What a learner sees of a submitted attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Review {
    /// Their own answers.
    pub responses: bool,
    /// Marks per question and the attempt's grade.
    pub marks: bool,
    /// The right answers.
    pub correct_answers: bool,
    /// Per-answer and general feedback.
    pub feedback: bool,
}

impl Review {
    pub const ALL: Review = Review { responses: true, marks: true, correct_answers: true, feedback: true };
    pub const NOTHING: Review = Review { responses: false, marks: false, correct_answers: false, feedback: false };
}

/// Review options before and after the quiz closes (Moodle's "immediately
/// after the attempt" / "after the quiz is closed", merged: the first applies
/// until the close date, the second after it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ReviewOptions {
    pub after_submit: Review,
    pub after_close: Review,
}

impl Default for ReviewOptions {
    fn default() -> Self {
        let before = Review { correct_answers: false, ..Review::ALL };
        Self { after_submit: before, after_close: Review::ALL }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Settings {
    /// When attempts may start (epoch ms); none: at once.
    #[serde(default)]
    pub open_at: Option<i64>,
    /// When the quiz closes (epoch ms): attempts under way are submitted then.
    #[serde(default)]
    pub close_at: Option<i64>,
    /// Minutes per attempt, enforced by the server; none: no limit.
    #[serde(default)]
    pub time_limit_minutes: Option<i64>,
    /// Attempts per learner; none: unlimited.
    #[serde(default)]
    pub attempts_allowed: Option<i64>,
    #[serde(default)]
    pub grading_method: GradingMethod,
    /// Shuffle the choices of the questions that allow it.
    #[serde(default = "yes")]
    pub shuffle_answers: bool,
    /// Present the slots in a new order for each attempt.
    #[serde(default)]
    pub shuffle_questions: bool,
    /// Questions per page; 0 puts them all on one page.
    #[serde(default)]
    pub questions_per_page: i64,
    #[serde(default)]
    pub navigation: Navigation,
    /// The grade (percent, 0–100) that passes; none: no pass mark.
    #[serde(default)]
    pub passing_grade: Option<f64>,
    #[serde(default)]
    pub completion: Completion,
    #[serde(default)]
    pub feedback: FeedbackMode,
    #[serde(default)]
    pub review: ReviewOptions,
}

fn yes() -> bool {
    true
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            open_at: None,
            close_at: None,
            time_limit_minutes: None,
            attempts_allowed: None,
            grading_method: GradingMethod::default(),
            shuffle_answers: true,
            shuffle_questions: false,
            questions_per_page: 0,
            navigation: Navigation::default(),
            passing_grade: None,
            completion: Completion::default(),
            feedback: FeedbackMode::default(),
            review: ReviewOptions::default(),
        }
    }
}

/// A broken rule of the settings, by field.
#[derive(Debug, Clone, PartialEq)]
pub enum SettingsError {
    CloseBeforeOpen,
    TimeLimit,
    AttemptsAllowed,
    QuestionsPerPage,
    PassingGrade,
    /// "Complete when passed" needs a passing grade.
    CompletionNeedsPass,
    TooManySlots,
    /// A slot's mark is not in 0–100 (index of the slot).
    SlotMark(usize),
}

/// Longest time limit: a day.
pub const TIME_LIMIT_MAX_MINUTES: i64 = 24 * 60;
/// Most slots in one quiz.
pub const SLOTS_MAX: usize = 200;

impl SettingsError {
    pub fn field(&self) -> String {
        match self {
            Self::CloseBeforeOpen => "settings.close_at".into(),
            Self::TimeLimit => "settings.time_limit_minutes".into(),
            Self::AttemptsAllowed => "settings.attempts_allowed".into(),
            Self::QuestionsPerPage => "settings.questions_per_page".into(),
            Self::PassingGrade | Self::CompletionNeedsPass => "settings.passing_grade".into(),
            Self::TooManySlots => "slots".into(),
            Self::SlotMark(i) => format!("slots[{i}].mark"),
        }
    }

    /// The translation key of the rule (under `quizzes.settings_rules`).
    pub fn key(&self) -> &'static str {
        match self {
            Self::CloseBeforeOpen => "quizzes.settings_rules.close_before_open",
            Self::TimeLimit => "quizzes.settings_rules.time_limit",
            Self::AttemptsAllowed => "quizzes.settings_rules.attempts_allowed",
            Self::QuestionsPerPage => "quizzes.settings_rules.questions_per_page",
            Self::PassingGrade => "quizzes.settings_rules.passing_grade",
            Self::CompletionNeedsPass => "quizzes.settings_rules.completion_needs_pass",
            Self::TooManySlots => "quizzes.settings_rules.too_many_slots",
            Self::SlotMark(_) => "quizzes.settings_rules.slot_mark",
        }
    }
}

impl Settings {
    /// Every broken rule, so a form marks all of them at once.
    pub fn validate(&self) -> Vec<SettingsError> {
        let mut errors = Vec::new();
        if let (Some(open), Some(close)) = (self.open_at, self.close_at)
            && close <= open
        {
            errors.push(SettingsError::CloseBeforeOpen);
        }
        if self.time_limit_minutes.is_some_and(|m| !(1..=TIME_LIMIT_MAX_MINUTES).contains(&m)) {
            errors.push(SettingsError::TimeLimit);
        }
        if self.attempts_allowed.is_some_and(|n| !(1..=100).contains(&n)) {
            errors.push(SettingsError::AttemptsAllowed);
        }
        if !(0..=100).contains(&self.questions_per_page) {
            errors.push(SettingsError::QuestionsPerPage);
        }
        if self.passing_grade.is_some_and(|g| !(g.is_finite() && (0.0..=100.0).contains(&g))) {
            errors.push(SettingsError::PassingGrade);
        }
        if self.completion == Completion::Passed && self.passing_grade.is_none() {
            errors.push(SettingsError::CompletionNeedsPass);
        }
        errors
    }
}

/// Where a slot's question comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Source {
    /// This question of the bank (its current version when an attempt starts).
    Question { question_id: String },
    /// A question drawn at random from this category for each attempt (each
    /// learner their own draw; never the same question twice in one attempt).
    Random { category_id: String },
}

/// One place in the quiz: a question and what it is worth.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Slot {
    pub source: Source,
    /// Marks for this slot (Moodle's "maximum mark"); 0 makes it ungraded.
    #[serde(default = "one")]
    pub mark: f64,
}

fn one() -> f64 {
    1.0
}

/// The rules of a quiz's list of slots.
pub fn validate_slots(slots: &[Slot]) -> Vec<SettingsError> {
    let mut errors = Vec::new();
    if slots.len() > SLOTS_MAX {
        errors.push(SettingsError::TooManySlots);
    }
    for (i, slot) in slots.iter().enumerate() {
        if !(slot.mark.is_finite() && (0.0..=100.0).contains(&slot.mark)) {
            errors.push(SettingsError::SlotMark(i));
        }
    }
    errors
}

/// The quiz grade of a learner's graded attempts (percents, oldest first) by `method`.
pub fn quiz_grade(method: GradingMethod, percents: &[f64]) -> Option<f64> {
    match method {
        GradingMethod::Highest => percents.iter().copied().reduce(f64::max),
        GradingMethod::Average => (!percents.is_empty()).then(|| percents.iter().sum::<f64>() / percents.len() as f64),
        GradingMethod::First => percents.first().copied(),
        GradingMethod::Last => percents.last().copied(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_broken_rule_is_reported() {
        let s = Settings {
            open_at: Some(10),
            close_at: Some(5),
            time_limit_minutes: Some(0),
            attempts_allowed: Some(0),
            questions_per_page: -1,
            passing_grade: Some(101.0),
            ..Settings::default()
        };
        let errors = s.validate();
        assert_eq!(errors.len(), 5, "{errors:?}");
        let passed = Settings { completion: Completion::Passed, ..Settings::default() };
        assert_eq!(passed.validate(), [SettingsError::CompletionNeedsPass]);
        assert!(Settings::default().validate().is_empty());
    }

    #[test]
    fn slot_marks_are_bounded() {
        let slot = |mark| Slot { source: Source::Random { category_id: "c".into() }, mark };
        assert_eq!(validate_slots(&[slot(1.0), slot(-1.0), slot(f64::NAN)]).len(), 2);
        assert_eq!(SettingsError::SlotMark(1).field(), "slots[1].mark");
    }

    #[test]
    fn the_grading_method_picks_the_quiz_grade() {
        let p = [40.0, 90.0, 60.0];
        assert_eq!(quiz_grade(GradingMethod::Highest, &p), Some(90.0));
        assert_eq!(quiz_grade(GradingMethod::Average, &p), Some(190.0 / 3.0));
        assert_eq!(quiz_grade(GradingMethod::First, &p), Some(40.0));
        assert_eq!(quiz_grade(GradingMethod::Last, &p), Some(60.0));
        assert_eq!(quiz_grade(GradingMethod::Highest, &[]), None);
    }

    #[test]
    fn stored_settings_missing_new_fields_read_with_defaults() {
        let s: Settings = serde_json::from_str("{}").unwrap();
        assert_eq!(s, Settings::default());
        assert!(s.shuffle_answers);
    }
}

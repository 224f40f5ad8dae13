//! What the API shows of quizzes and their settings, and the bodies it takes
//! for them (attempts: `attempt_dto`).

use lyceum_platform::{AppError, FieldError, Text as Words, db::rfc3339};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    quiz::settings::{Completion, FeedbackMode, GradingMethod, Navigation, ReviewOptions, Settings, Slot},
    service::quizzes::{Quiz, Role},
};

/// An API time: RFC 3339 (`2027-03-01T09:00:00Z`, `…+01:00`) in epoch
/// milliseconds, as stored; anything else is a `422` on `field`.
pub(super) fn epoch_ms(field: &str, raw: Option<&str>, errors: &mut Vec<FieldError>) -> Option<i64> {
    let raw = raw?.trim();
    match raw.parse::<jiff::Timestamp>() {
        Ok(t) => Some(t.as_millisecond()),
        Err(_) => {
            errors.push(FieldError::new(field, Words::new("quizzes.errors.bad_rfc3339")));
            None
        }
    }
}

/// A quiz's settings as the API shows and takes them: the stored
/// [`Settings`] with its times as RFC 3339 strings. A field left out takes
/// its default.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct QuizSettings {
    /// When attempts may start (RFC 3339); none: at once.
    #[schema(format = DateTime)]
    pub open_at: Option<String>,
    /// When the quiz closes (RFC 3339): attempts under way are submitted then.
    #[schema(format = DateTime)]
    pub close_at: Option<String>,
    /// Minutes per attempt (1 – 1440), enforced by the server; none: no limit.
    pub time_limit_minutes: Option<i64>,
    /// Attempts per learner (1 – 100); none: unlimited.
    pub attempts_allowed: Option<i64>,
    pub grading_method: GradingMethod,
    /// Shuffle the choices of the questions that allow it.
    pub shuffle_answers: bool,
    /// Present the slots in a new order for each attempt.
    pub shuffle_questions: bool,
    /// Questions per page; 0 puts them all on one page.
    pub questions_per_page: i64,
    pub navigation: Navigation,
    /// The grade (percent, 0–100) that passes; none: no pass mark.
    pub passing_grade: Option<f64>,
    pub completion: Completion,
    pub feedback: FeedbackMode,
    pub review: ReviewOptions,
}

impl Default for QuizSettings {
    fn default() -> Self {
        Self::from(&Settings::default())
    }
}

impl From<&Settings> for QuizSettings {
    fn from(s: &Settings) -> Self {
        Self {
            open_at: s.open_at.map(rfc3339),
            close_at: s.close_at.map(rfc3339),
            time_limit_minutes: s.time_limit_minutes,
            attempts_allowed: s.attempts_allowed,
            grading_method: s.grading_method,
            shuffle_answers: s.shuffle_answers,
            shuffle_questions: s.shuffle_questions,
            questions_per_page: s.questions_per_page,
            navigation: s.navigation,
            passing_grade: s.passing_grade,
            completion: s.completion,
            feedback: s.feedback,
            review: s.review,
        }
    }
}

impl QuizSettings {
    /// The settings to store (times in epoch ms), or a `422` naming each time
    /// that is not RFC 3339 (`settings.open_at`, `settings.close_at`).
    pub fn into_settings(self) -> Result<Settings, AppError> {
        let mut errors = Vec::new();
        let open_at = epoch_ms("settings.open_at", self.open_at.as_deref(), &mut errors);
        let close_at = epoch_ms("settings.close_at", self.close_at.as_deref(), &mut errors);
        if !errors.is_empty() {
            return Err(AppError::validation(errors));
        }
        Ok(Settings {
            open_at,
            close_at,
            time_limit_minutes: self.time_limit_minutes,
            attempts_allowed: self.attempts_allowed,
            grading_method: self.grading_method,
            shuffle_answers: self.shuffle_answers,
            shuffle_questions: self.shuffle_questions,
            questions_per_page: self.questions_per_page,
            navigation: self.navigation,
            passing_grade: self.passing_grade,
            completion: self.completion,
            feedback: self.feedback,
            review: self.review,
        })
    }
}

/// A new quiz: a lesson at the end of `module_id` whose activity it is.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct QuizBody {
    pub module_id: String,
    pub title: String,
    /// Markdown shown above the quiz (the lesson's text).
    #[serde(default)]
    pub intro: String,
    #[serde(default)]
    pub settings: QuizSettings,
    #[serde(default)]
    pub slots: Vec<Slot>,
}

/// A quiz's new settings and slots (both replaced).
#[derive(Serialize, Deserialize, ToSchema)]
pub struct QuizUpdate {
    pub settings: QuizSettings,
    pub slots: Vec<Slot>,
}

#[derive(Serialize, ToSchema)]
pub struct QuizDto {
    pub id: String,
    pub course_id: String,
    /// The lesson in the outline whose activity this quiz is (title and intro are its).
    pub lesson_id: String,
    pub title: String,
    pub intro_md: String,
    pub settings: QuizSettings,
    /// The slots (staff only: they name the questions).
    pub slots: Option<Vec<Slot>>,
    pub question_count: usize,
    pub max_marks: f64,
    pub created_at: String,
    pub updated_at: String,
}

impl QuizDto {
    pub fn new(quiz: &Quiz, role: Role) -> Self {
        Self {
            id: quiz.id.clone(),
            course_id: quiz.course_id.clone(),
            lesson_id: quiz.lesson_id.clone(),
            title: quiz.title.clone(),
            intro_md: quiz.intro_md.clone(),
            settings: QuizSettings::from(&quiz.settings),
            slots: (role == Role::Staff).then(|| quiz.slots.clone()),
            question_count: quiz.slots.len(),
            max_marks: quiz.max_marks(),
            created_at: rfc3339(quiz.created_at),
            updated_at: rfc3339(quiz.updated_at),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct QuizList {
    pub items: Vec<QuizDto>,
}

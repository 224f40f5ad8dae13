//! What the API shows of attempts — under way, reviewed, graded, overridden,
//! regraded, analysed — and the bodies it takes for them. A learner's
//! responses never carry what the answers are worth: a view
//! (`lyceum_assessment::QuestionView`) names choices by position only, and a
//! review carries only what the quiz's review options show.

use lyceum_assessment::{Outcome, Question, QuestionView, Response, Text};
use lyceum_platform::{AppError, db::rfc3339};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::quiz_dto::epoch_ms;
use crate::{
    quiz::{
        attempt::{self, Override},
        settings::Review,
    },
    repo::{attempts::AttemptRow, quizzes::OverrideRow},
    service::{
        attempts::AttemptView,
        grading::{AttemptLine, Review as ReviewData},
    },
};

#[derive(Serialize, ToSchema)]
pub struct AttemptSummaryDto {
    pub id: String,
    pub quiz_id: String,
    pub user_id: String,
    pub number: i64,
    /// in_progress, submitted (a question waits for a person) or graded.
    pub state: String,
    pub started_at: String,
    /// When the server submits it (none: no time limit or close date).
    pub deadline_at: Option<String>,
    pub submitted_at: Option<String>,
    /// The deadline job submitted it.
    pub timed_out: bool,
    /// The grade in percent, when graded and marks are shown.
    pub percent: Option<f64>,
    /// Staff only.
    pub learner_name: Option<String>,
    pub learner_email: Option<String>,
}

impl AttemptSummaryDto {
    pub fn new(row: &AttemptRow, marks_shown: bool) -> Self {
        let percent =
            row.marks.filter(|_| marks_shown && row.state == "graded").map(|m| attempt::percent(m, row.max_marks));
        Self {
            id: row.id.clone(),
            quiz_id: row.quiz_id.clone(),
            user_id: row.user_id.clone(),
            number: row.number,
            state: row.state.clone(),
            started_at: rfc3339(row.started_at),
            deadline_at: row.deadline_at.map(rfc3339),
            submitted_at: row.submitted_at.map(rfc3339),
            timed_out: row.timed_out != 0,
            percent,
            learner_name: None,
            learner_email: None,
        }
    }

    pub fn line(line: &AttemptLine) -> Self {
        Self {
            learner_name: Some(line.learner_name.clone()),
            learner_email: Some(line.learner_email.clone()),
            ..Self::new(&line.row, true)
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct AttemptList {
    pub items: Vec<AttemptSummaryDto>,
    /// The learner's quiz grade by the grading method (learners, when marks are shown).
    pub grade: Option<f64>,
    /// Whether the viewer may start an attempt now, and if not why (a problem kind).
    pub can_start: bool,
    pub cannot_start_reason: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AttemptParams {
    /// Staff: all, in_progress, needs_grading, graded.
    pub state: Option<String>,
}

/// One question of an attempt under way.
#[derive(Serialize, ToSchema)]
pub struct AttemptSlotDto {
    /// Its number in the attempt, from 0 (answers name it).
    pub slot: usize,
    /// What it is worth.
    pub mark: f64,
    #[schema(value_type = Object)]
    pub view: QuestionView,
    /// The saved answer.
    #[schema(value_type = Option<Object>)]
    pub response: Option<Response>,
    /// Immediate feedback: the outcome of a checked (final) answer.
    #[schema(value_type = Option<Object>)]
    pub checked: Option<Outcome>,
}

#[derive(Serialize, ToSchema)]
pub struct AttemptDto {
    pub attempt: AttemptSummaryDto,
    /// The server's clock when this was read.
    pub now: String,
    /// Seconds left before the server submits it (none: no limit).
    pub remaining_seconds: Option<i64>,
    pub slots: Vec<AttemptSlotDto>,
}

impl From<&AttemptView> for AttemptDto {
    fn from(v: &AttemptView) -> Self {
        Self {
            attempt: AttemptSummaryDto::new(&v.row, false),
            now: rfc3339(v.now),
            remaining_seconds: v.remaining_ms().map(|ms| ms / 1000),
            slots: v
                .slots
                .iter()
                .enumerate()
                .map(|(i, s)| AttemptSlotDto {
                    slot: i,
                    mark: s.pinned.mark,
                    view: s.view.clone(),
                    response: s.response.clone(),
                    checked: s.checked.clone(),
                })
                .collect(),
        }
    }
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct AnswerBody {
    pub slot: usize,
    /// Positions in the view: `{"type": "choices", "value": [0]}`, `{"type": "text", "value": "Paris"}`…
    #[schema(value_type = Object)]
    pub response: Response,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct SaveBody {
    pub answers: Vec<AnswerBody>,
    /// Immediate feedback: grade these answers now (they become final).
    #[serde(default)]
    pub check: bool,
}

#[derive(Serialize, ToSchema)]
pub struct CheckedDto {
    pub slot: usize,
    #[schema(value_type = Object)]
    pub outcome: Outcome,
}

#[derive(Serialize, ToSchema)]
pub struct SavedDto {
    pub saved: usize,
    pub checked: Vec<CheckedDto>,
}

#[derive(Serialize, ToSchema)]
pub struct ReviewSlotDto {
    pub slot: usize,
    pub mark: f64,
    #[schema(value_type = Object)]
    pub view: QuestionView,
    /// The learner's answer (when responses are shown).
    #[schema(value_type = Option<Object>)]
    pub response: Option<Response>,
    /// correct, partially_correct, incorrect, unanswered (when marks are shown).
    pub state: Option<String>,
    /// Marks earned (when marks are shown).
    pub marks: Option<f64>,
    /// Waiting for a person's grade.
    pub waiting: bool,
    #[schema(value_type = Vec<Object>)]
    pub feedback: Vec<Text>,
    pub right_answer: Vec<String>,
    /// Staff only: the question as pinned, answers included.
    #[schema(value_type = Option<Object>)]
    pub question: Option<Question>,
}

#[derive(Serialize, ToSchema)]
pub struct ReviewDto {
    pub attempt: AttemptSummaryDto,
    /// What the review options show the viewer now.
    pub shown: Review,
    pub slots: Vec<ReviewSlotDto>,
}

fn state_name(state: lyceum_assessment::State) -> String {
    serde_json::to_value(state).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

impl From<&ReviewData> for ReviewDto {
    fn from(r: &ReviewData) -> Self {
        Self {
            attempt: AttemptSummaryDto::new(&r.row, r.shown.marks),
            shown: r.shown,
            slots: r
                .slots
                .iter()
                .enumerate()
                .map(|(i, s)| ReviewSlotDto {
                    slot: i,
                    mark: s.pinned.mark,
                    view: s.view.clone(),
                    response: s.response.clone(),
                    state: s.marks.map(|(st, _)| state_name(st)),
                    marks: s.marks.map(|(_, m)| m),
                    waiting: s.waiting,
                    feedback: s.feedback.clone(),
                    right_answer: s.right_answer.clone(),
                    question: s.question.clone(),
                })
                .collect(),
        }
    }
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct GradeBody {
    /// The share of the question's mark, from 0 to 1.
    pub fraction: f64,
    /// A note to the learner.
    #[serde(default)]
    pub note: String,
}

/// One learner's accommodation; each field set replaces the quiz's.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct OverrideBody {
    /// RFC 3339; replaces the quiz's close date for this learner.
    #[serde(default)]
    #[schema(format = DateTime)]
    pub close_at: Option<String>,
    #[serde(default)]
    pub time_limit_minutes: Option<i64>,
    #[serde(default)]
    pub attempts_allowed: Option<i64>,
}

impl OverrideBody {
    /// The override to store (its close date in epoch ms), or a `422` on
    /// `close_at` when it is not RFC 3339.
    pub fn into_override(self) -> Result<Override, AppError> {
        let mut errors = Vec::new();
        let close_at = epoch_ms("close_at", self.close_at.as_deref(), &mut errors);
        if !errors.is_empty() {
            return Err(AppError::validation(errors));
        }
        Ok(Override { close_at, time_limit_minutes: self.time_limit_minutes, attempts_allowed: self.attempts_allowed })
    }
}

#[derive(Serialize, ToSchema)]
pub struct OverrideDto {
    pub user_id: String,
    /// RFC 3339.
    #[schema(format = DateTime)]
    pub close_at: Option<String>,
    pub time_limit_minutes: Option<i64>,
    pub attempts_allowed: Option<i64>,
    pub updated_at: String,
}

impl From<&OverrideRow> for OverrideDto {
    fn from(o: &OverrideRow) -> Self {
        Self {
            user_id: o.user_id.clone(),
            close_at: o.close_at.map(rfc3339),
            time_limit_minutes: o.time_limit_minutes,
            attempts_allowed: o.attempts_allowed,
            updated_at: rfc3339(o.updated_at),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct OverrideList {
    pub items: Vec<OverrideDto>,
}

#[derive(Serialize, Deserialize, ToSchema, Default)]
pub struct RegradeBody {
    /// One attempt; none: every submitted attempt of the quiz.
    #[serde(default)]
    pub attempt_id: Option<String>,
}

/// A regrade's progress.
#[derive(Serialize, ToSchema)]
pub struct RegradeDto {
    pub id: String,
    pub attempt_id: Option<String>,
    pub total: i64,
    pub done: i64,
    /// Attempts whose marks changed.
    pub changed: i64,
    pub requested_at: String,
    pub finished_at: Option<String>,
}

impl From<&crate::repo::regrades::RegradeRow> for RegradeDto {
    fn from(r: &crate::repo::regrades::RegradeRow) -> Self {
        Self {
            id: r.id.clone(),
            attempt_id: r.attempt_id.clone(),
            total: r.total,
            done: r.done,
            changed: r.changed,
            requested_at: rfc3339(r.requested_at),
            finished_at: r.finished_at.map(rfc3339),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct RegradeList {
    pub items: Vec<RegradeDto>,
}

#[derive(Serialize, ToSchema)]
pub struct AnswerCountDto {
    /// The answer in words (none: unanswered).
    pub answer: Option<String>,
    pub count: usize,
}

#[derive(Serialize, ToSchema)]
pub struct ItemDto {
    pub question_id: String,
    pub name: String,
    /// Graded attempts that showed it.
    pub attempts: usize,
    /// Mean share of its mark earned, percent.
    pub facility: f64,
    /// Correlation with the rest of the attempt, percent (none under two attempts or without spread).
    pub discrimination: Option<f64>,
    pub answers: Vec<AnswerCountDto>,
}

#[derive(Serialize, ToSchema)]
pub struct AnalysisDto {
    pub items: Vec<ItemDto>,
}

impl From<&[crate::service::grading::ItemLine]> for AnalysisDto {
    fn from(lines: &[crate::service::grading::ItemLine]) -> Self {
        Self {
            items: lines
                .iter()
                .map(|l| ItemDto {
                    question_id: l.item.question_id.clone(),
                    name: l.name.clone(),
                    attempts: l.item.attempts,
                    facility: l.item.facility,
                    discrimination: l.item.discrimination,
                    answers: l
                        .item
                        .answers
                        .iter()
                        .map(|(a, n)| AnswerCountDto { answer: a.clone(), count: *n })
                        .collect(),
                })
                .collect(),
        }
    }
}

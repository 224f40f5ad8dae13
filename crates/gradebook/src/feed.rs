//! The gradebook's jobs: a quiz's or assignment's item is made when the
//! activity is (`quiz.created`, `assignment.saved`, which also carry a new
//! title or maximum), and their grades arrive through their events and are
//! kept as the learner's points in that item (made then if it is missing:
//! activities from before these events). Idempotent: a delivery run twice
//! writes the same; a later grade replaces an earlier one.

use lyceum_assignments::events::{AssignmentSaved, SubmissionGraded};
use lyceum_platform::{
    AppState,
    events::Delivery,
    jobs::{Job, JobError, JobRegistry},
};
use lyceum_quizzes::events::{AttemptGraded, QuizCreated};

use crate::{repo, service::standing};

pub fn register_jobs(registry: &mut JobRegistry) {
    registry
        .subscribe::<AttemptGraded, QuizGradeFeed>()
        .subscribe::<SubmissionGraded, AssignmentGradeFeed>()
        .subscribe::<QuizCreated, QuizItemFeed>()
        .subscribe::<AssignmentSaved, AssignmentItemFeed>();
}

/// Makes (or renames, re-scales) an activity's item, before any grade.
async fn item(
    state: &AppState,
    (course_id, source, source_id): (&str, &str, &str),
    (title, max): (&str, f64),
) -> Result<(), JobError> {
    let mut tx = state.db.begin().await.map_err(JobError::from)?;
    repo::activity_item(&mut tx, course_id, source, source_id, title, max).await.map_err(JobError::from)?;
    tx.commit().await.map_err(JobError::from)?;
    Ok(())
}

/// `quiz.created` → the quiz's item (out of 100, as its grades are).
pub struct QuizItemFeed;
impl Job for QuizItemFeed {
    const KIND: &'static str = "gradebook.quiz_item";
    type Payload = Delivery<QuizCreated>;
    async fn run(state: &AppState, delivery: Self::Payload) -> Result<(), JobError> {
        let e = &delivery.event;
        item(state, (&e.course_id, "quiz", &e.quiz_id), (&e.title, 100.0)).await
    }
}

/// `assignment.saved` → the assignment's item, with its title and maximum.
pub struct AssignmentItemFeed;
impl Job for AssignmentItemFeed {
    const KIND: &'static str = "gradebook.assignment_item";
    type Payload = Delivery<AssignmentSaved>;
    async fn run(state: &AppState, delivery: Self::Payload) -> Result<(), JobError> {
        let e = &delivery.event;
        item(state, (&e.course_id, "assignment", &e.assignment_id), (&e.title, e.max_points)).await
    }
}

/// Writes a learner's points in an activity's item, in one transaction.
async fn keep(
    state: &AppState,
    (course_id, source, source_id): (&str, &str, &str),
    (title, max): (&str, f64),
    user_id: &str,
    points: f64,
) -> Result<(), JobError> {
    let mut tx = state.db.begin().await.map_err(JobError::from)?;
    let before = standing::before(&mut tx, course_id, &[user_id.to_string()]).await.map_err(JobError::from)?;
    let item = repo::activity_item(&mut tx, course_id, source, source_id, title, max).await.map_err(JobError::from)?;
    repo::set_points(&mut tx, &item, user_id, points).await.map_err(JobError::from)?;
    standing::publish_changes(state, &mut tx, course_id, &before).await?;
    tx.commit().await.map_err(JobError::from)?;
    Ok(())
}

/// `quiz.attempt_graded` → the learner's quiz grade (percent of 100) in the quiz's item.
pub struct QuizGradeFeed;
impl Job for QuizGradeFeed {
    const KIND: &'static str = "gradebook.quiz_grade";
    type Payload = Delivery<AttemptGraded>;
    async fn run(state: &AppState, delivery: Self::Payload) -> Result<(), JobError> {
        let e = &delivery.event;
        let points = crate::model::round2(e.quiz_grade.unwrap_or(e.percent));
        keep(state, (&e.course_id, "quiz", &e.quiz_id), (&e.quiz_title, 100.0), &e.user_id, points).await
    }
}

/// `assignment.graded` → the learner's grade (after any late penalty) in the assignment's item.
pub struct AssignmentGradeFeed;
impl Job for AssignmentGradeFeed {
    const KIND: &'static str = "gradebook.assignment_grade";
    type Payload = Delivery<SubmissionGraded>;
    async fn run(state: &AppState, delivery: Self::Payload) -> Result<(), JobError> {
        let e = &delivery.event;
        let source = (e.course_id.as_str(), "assignment", e.assignment_id.as_str());
        keep(state, source, (&e.assignment_title, e.max_points), &e.user_id, e.grade).await
    }
}

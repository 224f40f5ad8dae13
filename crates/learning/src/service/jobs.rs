//! Learning's jobs: activities completing their lessons. A quiz reports
//! through its events whether its completion rule holds; learning records
//! the lesson complete (and the course, with its certificate, when that was
//! the last lesson).

use lyceum_platform::{
    AppState,
    events::Delivery,
    ids::{LessonId, UserId},
    jobs::{Job, JobError, JobRegistry},
};
use lyceum_quizzes::events::{AttemptGraded, AttemptSubmitted};

use super::progress::complete_activity;

pub fn register_jobs(registry: &mut JobRegistry) {
    registry
        .subscribe_when::<AttemptSubmitted, QuizSubmittedCompletion>(|e| e.completes_lesson)
        .subscribe_when::<AttemptGraded, QuizGradedCompletion>(|e| e.completes_lesson);
}

/// `quiz.attempt_submitted` → the quiz's lesson complete, when submitting is
/// the quiz's rule. Idempotent: completing a completed lesson changes nothing.
pub struct QuizSubmittedCompletion;
impl Job for QuizSubmittedCompletion {
    const KIND: &'static str = "learning.quiz_submitted_completion";
    type Payload = Delivery<AttemptSubmitted>;
    async fn run(state: &AppState, delivery: Self::Payload) -> Result<(), JobError> {
        let e = &delivery.event;
        if e.completes_lesson {
            complete_activity(state, &UserId::from(e.user_id.as_str()), &LessonId::from(&e.lesson_id)).await?;
        }
        Ok(())
    }
}

/// `quiz.attempt_graded` → the quiz's lesson complete, when passing is the
/// quiz's rule and this attempt passed. Idempotent as above.
pub struct QuizGradedCompletion;
impl Job for QuizGradedCompletion {
    const KIND: &'static str = "learning.quiz_graded_completion";
    type Payload = Delivery<AttemptGraded>;
    async fn run(state: &AppState, delivery: Self::Payload) -> Result<(), JobError> {
        let e = &delivery.event;
        if e.completes_lesson {
            complete_activity(state, &UserId::from(e.user_id.as_str()), &LessonId::from(&e.lesson_id)).await?;
        }
        Ok(())
    }
}

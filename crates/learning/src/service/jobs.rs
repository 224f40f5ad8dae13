//! Learning's jobs: activities completing their lessons. A quiz or an
//! assignment reports through its events whether its completion rule holds;
//! learning records the lesson complete (and the course, with its
//! certificate, when that was the last lesson). The gradebook reports a
//! passing course total, and a certificate that waited for it is issued.

use lyceum_assignments::events::{SubmissionGraded, SubmissionSubmitted};
use lyceum_gradebook::events::CourseGradeChanged;
use lyceum_platform::{
    AppState,
    events::Delivery,
    ids::{CourseId, LessonId, UserId},
    jobs::{Job, JobError, JobRegistry},
};
use lyceum_quizzes::events::{AttemptGraded, AttemptSubmitted};

use super::{grade_condition::issue_on_pass, progress::complete_activity};

pub fn register_jobs(registry: &mut JobRegistry) {
    registry
        .subscribe_when::<AttemptSubmitted, QuizSubmittedCompletion>(|e| e.completes_lesson)
        .subscribe_when::<AttemptGraded, QuizGradedCompletion>(|e| e.completes_lesson)
        .subscribe_when::<SubmissionSubmitted, AssignmentSubmittedCompletion>(|e| e.completes_lesson)
        .subscribe_when::<SubmissionGraded, AssignmentGradedCompletion>(|e| e.completes_lesson)
        .subscribe_when::<CourseGradeChanged, CertificateOnPass>(|e| e.passes || !e.certificate_needs_pass);
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

/// `assignment.submitted` → the assignment's lesson complete, when submitting
/// is its rule. Idempotent as above.
pub struct AssignmentSubmittedCompletion;
impl Job for AssignmentSubmittedCompletion {
    const KIND: &'static str = "learning.assignment_submitted_completion";
    type Payload = Delivery<SubmissionSubmitted>;
    async fn run(state: &AppState, delivery: Self::Payload) -> Result<(), JobError> {
        let e = &delivery.event;
        if e.completes_lesson {
            complete_activity(state, &UserId::from(e.user_id.as_str()), &LessonId::from(&e.lesson_id)).await?;
        }
        Ok(())
    }
}

/// `assignment.graded` → the assignment's lesson complete, when passing is
/// its rule and this grade passed. Idempotent as above.
pub struct AssignmentGradedCompletion;
impl Job for AssignmentGradedCompletion {
    const KIND: &'static str = "learning.assignment_graded_completion";
    type Payload = Delivery<SubmissionGraded>;
    async fn run(state: &AppState, delivery: Self::Payload) -> Result<(), JobError> {
        let e = &delivery.event;
        if e.completes_lesson {
            complete_activity(state, &UserId::from(e.user_id.as_str()), &LessonId::from(&e.lesson_id)).await?;
        }
        Ok(())
    }
}

/// `gradebook.course_grade_changed` → the certificate of a learner who
/// completed the course and may now have it: they pass, or the course's
/// certificate no longer needs a pass. Idempotent: inserted once.
pub struct CertificateOnPass;
impl Job for CertificateOnPass {
    const KIND: &'static str = "learning.certificate_on_pass";
    type Payload = Delivery<CourseGradeChanged>;
    async fn run(state: &AppState, delivery: Self::Payload) -> Result<(), JobError> {
        let e = &delivery.event;
        if e.passes || !e.certificate_needs_pass {
            issue_on_pass(state, &UserId::from(e.user_id.as_str()), &CourseId::from(&e.course_id)).await?;
        }
        Ok(())
    }
}

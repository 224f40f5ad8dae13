//! Submitting an attempt (graded once, however many submits race: the
//! learner's, the deadline job's) and the automatic grading that closes it.

use lyceum_assessment::{Response, grade};
use lyceum_platform::{AppError, AppState, auth::Viewer, db, events};

use super::{
    attempts::{limits_for, pinned_of, pinned_question, visible_attempt},
    quizzes::{self, Quiz, Role},
};
use crate::{
    QuizError,
    events::{AttemptGraded, AttemptSubmitted},
    model::AttemptId,
    quiz::{attempt, settings::Completion},
    repo::{self, attempts::AttemptRow},
};

/// A submitted attempt, and whether its learner may see its marks now.
pub struct Submitted {
    pub row: AttemptRow,
    pub marks_shown: bool,
}

/// Submits the learner's open attempt and grades it. Submitting an attempt
/// already submitted (a double click, the deadline job first) returns it as it is.
pub async fn submit(state: &AppState, viewer: &Viewer, id: &AttemptId) -> Result<Submitted, QuizError> {
    let mut conn = state.db.pool().acquire().await?;
    let (row, quiz, role) = visible_attempt(state, &mut conn, viewer, id).await?;
    if role != Role::Learner {
        return Err(QuizError::AttemptClosed);
    }
    let limits = limits_for(&mut conn, &quiz, &row.user_id).await?;
    drop(conn);
    let now = db::now_ms();
    if row.state == "in_progress" {
        finish_quiz(state, &row, &quiz, !attempt::in_time(row.deadline_at, now)).await?;
    }
    let mut conn = state.db.pool().acquire().await?;
    let row = repo::attempts::by_id(&mut conn, id.as_str()).await?.ok_or_else(AppError::not_found)?;
    Ok(Submitted { row, marks_shown: attempt::review_at(&quiz.settings, &limits, now).marks })
}

/// Closes and grades an open attempt (see [`finish_quiz`]), reading its quiz first.
pub(crate) async fn finish(state: &AppState, row: &AttemptRow, timed_out: bool) -> Result<bool, AppError> {
    let quiz = {
        let mut conn = state.db.pool().acquire().await?;
        let quiz_row = repo::quizzes::by_id(&mut conn, &row.quiz_id).await?.ok_or_else(AppError::not_found)?;
        quizzes::load(&mut conn, quiz_row).await?
    };
    finish_quiz(state, row, &quiz, timed_out).await
}

/// Closes and grades an open attempt, publishing `quiz.attempt_submitted`
/// (and `quiz.attempt_graded` when nothing waits for a person) in the same
/// transaction. False when another submit got there first: it graded it.
/// The questions are read (cached) before the transaction, so the write
/// lock is held for the statements only.
async fn finish_quiz(state: &AppState, row: &AttemptRow, quiz: &Quiz, timed_out: bool) -> Result<bool, AppError> {
    let pinned = pinned_of(row)?;
    let mut questions = Vec::with_capacity(pinned.len());
    {
        let mut conn = state.db.pool().acquire().await?;
        for p in &pinned {
            questions.push(pinned_question(state, &mut conn, &p.question_id, p.version).await?);
        }
    }
    let now = db::now_ms();
    let mut tx = state.db.begin().await?;
    if !repo::attempts::close(&mut tx, &row.id, now, timed_out).await? {
        return Ok(false);
    }
    let answers = repo::attempts::answers(&mut tx, &row.id).await?;
    let mut outcomes = Vec::with_capacity(pinned.len());
    let mut writes = Vec::with_capacity(answers.len());
    for (i, (p, question)) in pinned.iter().zip(&questions).enumerate() {
        let Some(answer) = repo::attempts::answer_of(&answers, i) else {
            outcomes.push(None);
            continue;
        };
        let response = answer.response().unwrap_or(Response::Unanswered);
        let outcome = grade(question, &p.layout, &response).map_err(AppError::internal)?;
        writes.push((i as i64, answer.response.as_str(), serde_json::to_string(&outcome).map_err(AppError::internal)?));
        outcomes.push(Some(outcome));
    }
    repo::attempts::set_outcomes(&mut tx, &row.id, &writes, now).await?;
    let (marks, waiting) = attempt::total(&pinned, &outcomes);
    repo::attempts::set_result(&mut tx, &row.id, marks, waiting).await?;
    let submitted = AttemptSubmitted {
        attempt_id: row.id.clone(),
        quiz_id: quiz.id.clone(),
        course_id: quiz.course_id.clone(),
        lesson_id: quiz.lesson_id.clone(),
        user_id: row.user_id.clone(),
        timed_out,
        completes_lesson: quiz.settings.completion == Completion::Submitted,
    };
    events::publish(state, &mut tx, &submitted).await?;
    if waiting == 0 {
        let graded = graded_event(&mut tx, quiz, row, marks, false).await?;
        events::publish(state, &mut tx, &graded).await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// `quiz.attempt_graded` for an attempt whose grade is final at `marks`,
/// read in the transaction that made it final (after its result is
/// written), so the learner's quiz grade counts it.
pub(crate) async fn graded_event(
    conn: &mut sqlx::AnyConnection,
    quiz: &Quiz,
    row: &AttemptRow,
    marks: f64,
    manual: bool,
) -> Result<AttemptGraded, AppError> {
    let percent = attempt::percent(marks, row.max_marks);
    let percents: Vec<f64> = repo::attempts::of_user(conn, &quiz.id, &row.user_id)
        .await?
        .iter()
        .filter(|a| a.state == "graded")
        .map(|a| attempt::percent(a.marks.unwrap_or(0.0), a.max_marks))
        .collect();
    let quiz_grade = crate::quiz::settings::quiz_grade(quiz.settings.grading_method, &percents);
    let passed = quiz.settings.passing_grade.map(|pass| percent + 1e-9 >= pass);
    Ok(AttemptGraded {
        attempt_id: row.id.clone(),
        quiz_id: quiz.id.clone(),
        course_id: quiz.course_id.clone(),
        lesson_id: quiz.lesson_id.clone(),
        user_id: row.user_id.clone(),
        quiz_title: quiz.title.clone(),
        percent,
        quiz_grade,
        passed,
        manual,
        completes_lesson: quiz.settings.completion == Completion::Passed && passed == Some(true),
    })
}

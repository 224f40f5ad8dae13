//! After submit: what a learner may see of their attempt (the review
//! options decide), a person's grade for an essay (or over an automatic
//! grade), and the staff's table of attempts.

use lyceum_accounts::service::directory;
use lyceum_assessment::{Outcome, Question, QuestionView, Response, State, Text, manual_grade};
use lyceum_platform::{AppError, AppState, auth::Viewer, db, events, ids::UserId};

use super::{
    attempts::{limits_for, pinned_of, pinned_question, visible_attempt},
    quizzes::{self, Quiz, Role},
    submit::graded_event,
};
use crate::{
    QuizError,
    model::{AttemptId, QuizId},
    quiz::{
        answer::right_answer,
        attempt::{self, Pinned, review_at},
        settings::Review as Shown,
    },
    repo::{
        self,
        attempts::{AnswerRow, AttemptRow},
        files::FileRow,
    },
};

/// One question of a reviewed attempt, with only what the review options show.
pub struct ReviewSlot {
    pub pinned: Pinned,
    pub view: QuestionView,
    pub response: Option<Response>,
    /// The state and the marks earned, when marks are shown.
    pub marks: Option<(State, f64)>,
    /// Waiting for a person's grade (shown whatever the options: it is why there is no grade yet).
    pub waiting: bool,
    /// Feedback of the answers given, the grader's note and the general feedback.
    pub feedback: Vec<Text>,
    pub right_answer: Vec<String>,
    /// Staff only: the question with its answers, and grader information.
    pub question: Option<Question>,
    /// The files attached to the answer (shown with the answer).
    pub files: Vec<FileRow>,
}

pub struct Review {
    pub quiz: Quiz,
    pub row: AttemptRow,
    pub role: Role,
    pub shown: Shown,
    pub slots: Vec<ReviewSlot>,
}

impl Review {
    /// The attempt's grade in percent, when marks are shown and it is final.
    pub fn percent(&self) -> Option<f64> {
        match (self.shown.marks, self.row.state.as_str(), self.row.marks) {
            (true, "graded", Some(marks)) => Some(attempt::percent(marks, self.row.max_marks)),
            _ => None,
        }
    }
}

/// A submitted attempt for its learner (what the review options allow now)
/// or its course's staff (everything). An open attempt has no review yet.
pub async fn review(state: &AppState, viewer: &Viewer, id: &AttemptId) -> Result<Review, QuizError> {
    let mut conn = state.db.pool().acquire().await?;
    let (row, quiz, role) = visible_attempt(state, &mut conn, viewer, id).await?;
    if row.state == "in_progress" {
        return Err(QuizError::AttemptOpen);
    }
    let shown = match role {
        Role::Staff => Shown::ALL,
        Role::Learner => {
            let limits = limits_for(&mut conn, &quiz, &row.user_id).await?;
            review_at(&quiz.settings, &limits, db::now_ms())
        }
    };
    let answers = repo::attempts::answers(&mut conn, id.as_str()).await?;
    let with_files =
        answers.iter().any(|a| matches!(a.response(), Some(Response::Essay { attachments, .. }) if attachments > 0));
    let mut files = match with_files && shown.responses {
        true => repo::files::answer_files_of(&mut conn, id.as_str()).await?,
        false => Vec::new(),
    };
    let mut slots = Vec::new();
    for (i, pinned) in pinned_of(&row)?.into_iter().enumerate() {
        let question = pinned_question(state, &mut conn, &pinned.question_id, pinned.version).await?;
        let view = QuestionView::new(&question, &pinned.layout).map_err(AppError::internal)?;
        let answer = repo::attempts::answer_of(&answers, i);
        let response = answer.and_then(AnswerRow::response);
        let outcome = answer.and_then(AnswerRow::outcome);
        let waiting = outcome.as_ref().is_some_and(|o| o.state == State::NotGraded);
        let marks = match &outcome {
            Some(o) if !waiting => Some((o.state, o.fraction * pinned.mark)),
            Some(_) => None,
            None => Some((State::Unanswered, 0.0)),
        };
        let mut feedback: Vec<Text> = outcome.map(|o| o.feedback).unwrap_or_default();
        if !question.general_feedback.is_blank() {
            feedback.push(question.general_feedback.clone());
        }
        slots.push(ReviewSlot {
            view,
            response: response.filter(|_| shown.responses),
            marks: marks.filter(|_| shown.marks),
            waiting,
            feedback: if shown.feedback { feedback } else { Vec::new() },
            right_answer: if shown.correct_answers { right_answer(&question) } else { Vec::new() },
            question: (role == Role::Staff).then_some(question),
            files: files.extract_if(.., |f| f.slot == i as i64).collect(),
            pinned,
        });
    }
    Ok(Review { quiz, row, role, shown, slots })
}

/// A person's grade for one question of a submitted attempt: `fraction` of
/// its mark (0–1) and a note for the learner. The attempt's marks are
/// recomputed; when nothing waits any more, `quiz.attempt_graded` tells the
/// learner (and completes the lesson if passing does).
pub async fn grade_slot(
    state: &AppState,
    viewer: &Viewer,
    id: &AttemptId,
    slot: usize,
    fraction: f64,
    note: &str,
) -> Result<AttemptRow, QuizError> {
    let outcome = manual_grade(fraction, Text::plain(note.trim())).map_err(|_| QuizError::BadFraction)?;
    let outcome_json = serde_json::to_string(&outcome).map_err(AppError::internal)?;
    let now = db::now_ms();
    let mut tx = state.db.begin().await?;
    let (row, quiz, role) = visible_attempt(state, &mut tx, viewer, id).await?;
    if role != Role::Staff {
        return Err(AppError::not_found().into());
    }
    // Takes the attempt's row, so two graders' totals never cross.
    if !repo::attempts::hold_submitted(&mut tx, id.as_str(), now).await? {
        return Err(QuizError::NotGradable);
    }
    let pinned = pinned_of(&row)?;
    if slot >= pinned.len() || pinned[slot].mark == 0.0 {
        return Err(QuizError::NoSuchSlot(slot));
    }
    let answers = repo::attempts::answers(&mut tx, id.as_str()).await?;
    let response = repo::attempts::answer_of(&answers, slot).map(|a| a.response.clone());
    let response = response.unwrap_or_else(|| serde_json::to_string(&Response::Unanswered).unwrap_or_default());
    repo::attempts::set_outcome(
        &mut tx,
        id.as_str(),
        slot as i64,
        &response,
        &outcome_json,
        Some(&viewer.user_id),
        now,
    )
    .await?;
    // The other slots as read; this one as just graded.
    let outcomes: Vec<Option<Outcome>> = (0..pinned.len())
        .map(|i| match i == slot {
            true => Some(outcome.clone()),
            false => repo::attempts::answer_of(&answers, i).and_then(AnswerRow::outcome),
        })
        .collect();
    let (marks, waiting) = attempt::total(&pinned, &outcomes);
    repo::attempts::set_result(&mut tx, id.as_str(), marks, waiting).await?;
    if waiting == 0 {
        let graded = graded_event(&mut tx, &quiz, &row, marks, true).await?;
        events::publish(state, &mut tx, &graded).await?;
    }
    let row = repo::attempts::by_id(&mut tx, id.as_str()).await?.ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    Ok(row)
}

/// An attempt in the staff's table, with its learner.
pub struct AttemptLine {
    pub row: AttemptRow,
    pub learner_name: String,
    pub learner_email: String,
}

impl AttemptLine {
    pub fn percent(&self) -> Option<f64> {
        self.row.marks.filter(|_| self.row.state == "graded").map(|m| attempt::percent(m, self.row.max_marks))
    }
}

/// Which attempts the staff's table shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Filter {
    #[default]
    All,
    InProgress,
    /// Submitted, waiting for a person's grade: the grading queue.
    NeedsGrading,
    Graded,
}

impl Filter {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "all" => Some(Self::All),
            "in_progress" => Some(Self::InProgress),
            "needs_grading" => Some(Self::NeedsGrading),
            "graded" => Some(Self::Graded),
            _ => None,
        }
    }

    fn state(self) -> Option<&'static str> {
        match self {
            Self::All => None,
            Self::InProgress => Some("in_progress"),
            Self::NeedsGrading => Some("submitted"),
            Self::Graded => Some("graded"),
        }
    }
}

/// The most attempts one table lists.
pub const RESULTS_MAX: i64 = 5000;

/// A quiz's attempts for its staff, newest first, with their learners.
pub async fn results(
    state: &AppState,
    viewer: &Viewer,
    id: &QuizId,
    filter: Filter,
) -> Result<(Quiz, Vec<AttemptLine>), AppError> {
    let mut conn = state.db.pool().acquire().await?;
    let (_, quiz) = quizzes::staff_quiz(state, &mut conn, viewer, id).await?;
    let rows = repo::attempts::of_quiz(&mut conn, id.as_str(), filter.state(), RESULTS_MAX).await?;
    let ids: Vec<UserId> = rows.iter().map(|r| UserId::from(r.user_id.as_str())).collect();
    let people = directory::people(&mut conn, &ids).await?;
    let lines = rows
        .into_iter()
        .map(|row| {
            let person = people.get(&row.user_id);
            AttemptLine {
                learner_name: person.map(|p| p.display_name.clone()).unwrap_or_default(),
                learner_email: person.map(|p| p.email.clone()).unwrap_or_default(),
                row,
            }
        })
        .collect();
    Ok((quiz, lines))
}

/// One question's item analysis with its name.
pub struct ItemLine {
    pub name: String,
    pub item: crate::quiz::analysis::Item,
}

/// Item analysis over the quiz's graded attempts (staff): facility,
/// discrimination and how often each answer was given, per question.
pub async fn analysis(state: &AppState, viewer: &Viewer, id: &QuizId) -> Result<(Quiz, Vec<ItemLine>), AppError> {
    use crate::quiz::analysis::{Scored, SlotScore, items};
    let mut conn = state.db.pool().acquire().await?;
    let (_, quiz) = quizzes::staff_quiz(state, &mut conn, viewer, id).await?;
    let rows = repo::attempts::of_quiz(&mut conn, id.as_str(), Some("graded"), RESULTS_MAX).await?;
    // Every graded attempt's answers in one query, by attempt.
    let mut all_answers: std::collections::HashMap<String, Vec<AnswerRow>> = std::collections::HashMap::new();
    for (attempt_id, answer) in repo::attempts::answers_of_graded(&mut conn, id.as_str()).await? {
        all_answers.entry(attempt_id).or_default().push(answer);
    }
    let mut scored = Vec::with_capacity(rows.len());
    let mut names: Vec<(String, String)> = Vec::new();
    for row in &rows {
        let answers = all_answers.remove(&row.id).unwrap_or_default();
        let mut slots = Vec::new();
        for (i, p) in pinned_of(row)?.into_iter().enumerate() {
            if p.mark == 0.0 {
                continue;
            }
            let question = pinned_question(state, &mut conn, &p.question_id, p.version).await?;
            if !names.iter().any(|(q, _)| *q == p.question_id) {
                names.push((p.question_id.clone(), question.name.clone()));
            }
            let answer = repo::attempts::answer_of(&answers, i);
            let outcome = answer.and_then(AnswerRow::outcome);
            let response = answer.and_then(AnswerRow::response);
            let words = response.filter(|r| !r.is_empty()).map(|r| answer_words(&question, &p.layout, &r));
            slots.push(SlotScore {
                question_id: p.question_id,
                fraction: outcome.map_or(0.0, |o| o.fraction),
                mark: p.mark,
                answer: words,
            });
        }
        scored.push(Scored { slots });
    }
    let lines = items(&scored)
        .into_iter()
        .map(|item| {
            let name = names.iter().find(|(q, _)| *q == item.question_id).map(|(_, n)| n.clone()).unwrap_or_default();
            ItemLine { name, item }
        })
        .collect();
    Ok((quiz, lines))
}

/// A response in words for the answer frequencies: the chosen choices' texts
/// (by the author's order, through the attempt's layout), true or false, or
/// what was typed (an essay only as "answered": its text is not a category).
fn answer_words(question: &Question, layout: &lyceum_assessment::Layout, response: &Response) -> String {
    use lyceum_assessment::{Layout, QuestionKind};
    match (&question.kind, layout, response) {
        (QuestionKind::MultipleChoice { choices, .. }, Layout::Choices { order }, Response::Choices(chosen)) => {
            let mut texts: Vec<String> = chosen
                .iter()
                .filter_map(|p| order.get(*p).and_then(|i| choices.get(*i)))
                .map(|c| c.text.body.clone())
                .collect();
            texts.sort();
            texts.join(" + ")
        }
        (_, _, Response::TrueFalse(b)) => if *b { "True" } else { "False" }.to_string(),
        (_, _, Response::Text(t) | Response::Number(t)) => t.trim().to_string(),
        _ => "answered".to_string(),
    }
}

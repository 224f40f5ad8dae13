//! A staff preview: the question as a learner would see it (its
//! `QuestionView`, for a fresh layout or the one the preview was shown
//! with), and the grade an answer would get.

use lyceum_assessment::{Layout, Outcome, QuestionView, Response, grade};
use lyceum_platform::{AppError, AppState, Text, auth::Viewer};

use super::visible_question;
use crate::{
    BankError,
    model::{BankQuestion, QuestionId},
};

pub struct Preview {
    pub question: BankQuestion,
    /// The presentation the view and the response use; send it back with an answer.
    pub layout: Layout,
    pub view: QuestionView,
    /// Present when a response was graded.
    pub outcome: Option<Outcome>,
}

/// Shows the question with `layout` (a fresh, shuffled one when None) and
/// grades `response` when given. A layout that does not fit the question (it
/// changed since) is a 422 on `layout`.
pub async fn preview(
    state: &AppState,
    viewer: &Viewer,
    id: &QuestionId,
    layout: Option<Layout>,
    response: Option<Response>,
) -> Result<Preview, BankError> {
    let mut conn = state.db.pool().acquire().await?;
    let (_, question) = visible_question(&mut conn, viewer, id).await?;
    let layout = layout.unwrap_or_else(|| Layout::new(&question.question, true, &mut rand::rng()));
    let view = QuestionView::new(&question.question, &layout)
        .map_err(|_| AppError::field("layout", Text::new("quizzes.errors.layout_mismatch")))?;
    let outcome = match response {
        Some(response) => Some(grade(&question.question, &layout, &response).map_err(BankError::BadResponse)?),
        None => None,
    };
    Ok(Preview { question, layout, view, outcome })
}

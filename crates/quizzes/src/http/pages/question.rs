//! `/teach/questions/{id}`: one question as a learner would see it, a "try
//! it" form that grades an answer for the teacher, its versions, editing in
//! GIFT (a new version) and deleting.

use askama::Template;
use axum::{
    extract::{Path, State},
    response::Response,
};
use lyceum_assessment::{Layout, format::gift};
use lyceum_courses::model::Course;
use lyceum_platform::{
    AppResult, AppState,
    http::extract::PageForm,
    web::{FlashKind, FormErrors, Page, Refused, Reply, guard::SignedIn, redirect_with_flash},
};
use serde::Deserialize;

use super::{
    bank::bank_url,
    question_url,
    shown::{Bit, Field, Graded, QuestionForm, Shown, response},
};
use crate::{
    model::{QuestionId, Version},
    service::{preview, questions, questions::Draft},
};

#[derive(Template)]
#[template(path = "quizzes/question.html")]
struct QuestionPage {
    page: Page,
    course: Course,
    id: String,
    name: String,
    kind: String,
    /// The question as a learner meets it, with the answer just checked.
    q: QuestionForm,
    layout_json: String,
    graded: Option<Graded>,
    versions: Vec<Version>,
    gift: String,
    /// Why the question cannot be written in GIFT (ordering, cloze), if so.
    gift_unavailable: bool,
    errors: FormErrors,
}

#[derive(Template)]
#[template(path = "quizzes/confirm_delete.html")]
struct ConfirmDelete {
    page: Page,
    course: Course,
    id: String,
    name: String,
}

pub async fn show(State(state): State<AppState>, s: SignedIn, Path(id): Path<QuestionId>) -> AppResult<Response> {
    render(&state, s, &id, None, Vec::new(), None, FormErrors::none(), Reply::OK).await
}

#[allow(clippy::too_many_arguments)]
async fn render(
    state: &AppState,
    s: SignedIn,
    id: &QuestionId,
    layout: Option<Layout>,
    form: Vec<(String, String)>,
    gift_typed: Option<String>,
    errors: FormErrors,
    reply: Reply,
) -> AppResult<Response> {
    let (course, _) = questions::with_course(state, &s.viewer, id).await?;
    // Grade only when a form was sent; a layout that no longer fits shows a fresh one.
    let mut p = preview::preview(state, &s.viewer, id, layout.clone(), None).await;
    if p.is_err() && layout.is_some() {
        p = preview::preview(state, &s.viewer, id, None, None).await;
    }
    let p = p.map_err(lyceum_platform::AppError::from)?;
    let graded = if form.is_empty() {
        None
    } else {
        let answer = response(&p.view, &form);
        lyceum_assessment::grade(&p.question.question, &p.layout, &answer).ok().map(|o| Graded::from(&o))
    };
    let versions = questions::versions(state, &s.viewer, id).await?;
    let exported = gift::to_gift(&[(None, p.question.question.clone())]);
    let gift_unavailable = !exported.skipped.is_empty();
    let gift = gift_typed.unwrap_or_else(|| exported.text.trim().to_string());
    let layout_json = serde_json::to_string(&p.layout).map_err(lyceum_platform::AppError::internal)?;
    reply.render(&QuestionPage {
        page: s.page,
        course,
        id: p.question.row.id.clone(),
        name: p.question.row.name.clone(),
        kind: p.question.row.kind.clone(),
        q: QuestionForm {
            number: 1,
            slot: 0,
            mark: p.question.question.default_mark,
            shown: Shown::from(&p.view),
            // The names the "try it" form reads back (`response`): no prefix.
            prefix: String::new(),
            values: form,
            checked: None,
            files_allowed: 0,
            files: Vec::new(),
        },
        layout_json,
        graded,
        versions,
        gift,
        gift_unavailable,
        errors,
    })
}

/// The "try it" form: grades the answer against the layout it was shown with.
pub async fn try_it(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<QuestionId>,
    PageForm(form): PageForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let layout = form.iter().find(|(k, _)| k == "layout").and_then(|(_, v)| serde_json::from_str(v).ok());
    let answers: Vec<(String, String)> = form.into_iter().filter(|(k, _)| k != "csrf" && k != "layout").collect();
    // An empty answer still grades (as unanswered): keep one marker so the outcome shows.
    let answers = if answers.is_empty() { vec![("submitted".to_string(), String::new())] } else { answers };
    render(&state, s, &id, layout, answers, None, FormErrors::none(), Reply::OK).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EditForm {
    gift: String,
}

/// Saves the GIFT text as the question's next version.
pub async fn edit(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<QuestionId>,
    PageForm(form): PageForm<EditForm>,
) -> AppResult<Response> {
    match questions::edit(&state, &s.viewer, &id, None, Draft::Gift(form.gift.clone())).await {
        Ok(q) => Ok(redirect_with_flash(&question_url(&q.row.id), FlashKind::Success, "quizzes.flash.saved")),
        Err(e) => {
            let Refused { errors, reply, .. } = Refused::from_error(e.into(), s.page.locale)?;
            render(&state, s, &id, None, Vec::new(), Some(form.gift), errors, reply).await
        }
    }
}

pub async fn confirm_delete(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<QuestionId>,
) -> AppResult<Response> {
    let (course, q) = questions::with_course(&state, &s.viewer, &id).await?;
    Reply::OK.render(&ConfirmDelete { page: s.page, course, id: q.row.id, name: q.row.name })
}

pub async fn delete(State(state): State<AppState>, s: SignedIn, Path(id): Path<QuestionId>) -> AppResult<Response> {
    let (course, _) = questions::with_course(&state, &s.viewer, &id).await?;
    questions::delete(&state, &s.viewer, &id).await?;
    Ok(redirect_with_flash(&bank_url(&course.id), FlashKind::Success, "quizzes.flash.deleted"))
}

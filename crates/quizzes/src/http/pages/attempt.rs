//! The learner's quiz pages: `/quizzes/{id}` (the quiz, its attempts and
//! the start button), `/quiz-attempts/{id}` (questions, saved as the learner
//! goes: every page change and the autosave script post the form),
//! `/quiz-attempts/{id}/summary` (answered and unanswered, then submit), and
//! `/quiz-attempts/{id}/review`. They work without JavaScript; the script
//! only autosaves and counts the server's remaining time down.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    response::{IntoResponse, Redirect, Response},
};
use lyceum_assessment::QuestionKind;
use lyceum_platform::{
    AppError, AppResult, AppState,
    http::extract::PageForm,
    ids::LessonId,
    web::{FlashKind, Page, Reply, guard::SignedIn, redirect_with_flash},
};
use serde::Deserialize;

use super::shown::{Bit, Field, FileShown, Graded, QuestionForm, Shown, form_values, response_in};
use crate::{
    QuizError,
    model::{AttemptId, QuizId},
    quiz::{
        attempt::{StartRefusal, review_at},
        settings::{FeedbackMode, Navigation},
    },
    service::{
        attempts::{self, AttemptView, Mine},
        grading::{self, Review},
        quizzes::{self, Role},
        submit,
    },
    text::to_html,
};

fn redirect(to: &str) -> Response {
    Redirect::to(to).into_response()
}

/// The flash key of a refusal a page turns into a message (the rest are error pages).
fn flash_key(e: &QuizError) -> Option<&'static str> {
    Some(match e {
        QuizError::CannotStart(StartRefusal::NotOpen) => "quizzes.errors.not_open",
        QuizError::CannotStart(StartRefusal::Closed) => "quizzes.errors.closed",
        QuizError::CannotStart(StartRefusal::NoAttemptsLeft) => "quizzes.errors.no_attempts_left",
        QuizError::NoQuestions => "quizzes.errors.no_questions",
        QuizError::AttemptClosed => "quizzes.errors.attempt_closed",
        QuizError::BadFraction => "quizzes.errors.bad_fraction",
        QuizError::NotGradable => "quizzes.errors.not_gradable",
        _ => return None,
    })
}

fn attempt_url(id: &str) -> String {
    format!("/quiz-attempts/{id}")
}

/// `/lessons/{id}/quiz`: the lesson page's link to its quiz.
pub async fn of_lesson(State(state): State<AppState>, s: SignedIn, Path(id): Path<LessonId>) -> AppResult<Response> {
    let quiz = quizzes::of_lesson(&state, &s.viewer, &id).await?;
    Ok(redirect(&format!("/quizzes/{quiz}")))
}

#[derive(Template)]
#[template(path = "quizzes/quiz.html")]
struct QuizPage {
    page: Page,
    mine: Mine,
    intro_html: String,
    marks_shown: bool,
}

impl QuizPage {
    fn percent(&self, marks: &Option<f64>, max: &f64, state: &str) -> String {
        match marks {
            Some(m) if self.marks_shown && state == "graded" => {
                format!("{:.0} %", crate::quiz::attempt::percent(*m, *max))
            }
            _ => String::new(),
        }
    }
    fn grade(&self) -> String {
        self.mine.grade().filter(|_| self.marks_shown).map(|g| format!("{g:.0} %")).unwrap_or_default()
    }
    fn refusal(&self) -> &'static str {
        self.mine.refusal().map(crate::http::api::quizzes::refusal_kind).unwrap_or_default()
    }
    fn is_staff(&self) -> bool {
        self.mine.role == Role::Staff
    }
}

pub async fn quiz(State(state): State<AppState>, s: SignedIn, Path(id): Path<QuizId>) -> AppResult<Response> {
    let mine = attempts::mine(&state, &s.viewer, &id).await?;
    let marks_shown = review_at(&mine.quiz.settings, &mine.limits, mine.now).marks;
    let intro_html = lyceum_platform::markdown::render(&mine.quiz.intro_md);
    Reply::OK.render(&QuizPage { page: s.page, mine, intro_html, marks_shown })
}

pub async fn start(State(state): State<AppState>, s: SignedIn, Path(id): Path<QuizId>) -> AppResult<Response> {
    match attempts::start(&state, &s.viewer, &id).await {
        Ok((row, _)) => Ok(redirect(&attempt_url(&row.id))),
        Err(e) => match flash_key(&e) {
            Some(key) => Ok(redirect_with_flash(&format!("/quizzes/{id}"), FlashKind::Error, key)),
            None => Err(e.into()),
        },
    }
}

#[derive(Template)]
#[template(path = "quizzes/attempt.html")]
struct AttemptPage {
    page: Page,
    view: AttemptView,
    questions: Vec<QuestionForm>,
    page_no: usize,
    pages: usize,
    sequential: bool,
}

impl AttemptPage {
    fn remaining(&self) -> i64 {
        self.view.remaining_ms().map_or(-1, |ms| ms / 1000)
    }
    fn clock(&self) -> String {
        let s = self.remaining().max(0);
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PageQuery {
    page: usize,
}

/// The questions of one page of the attempt (all of them when the quiz
/// puts every question on one page).
fn paged(view: &AttemptView, page_no: usize) -> (Vec<QuestionForm>, usize) {
    let per = usize::try_from(view.quiz.settings.questions_per_page).unwrap_or(0);
    let per = if per == 0 { view.slots.len().max(1) } else { per };
    let pages = view.slots.len().div_ceil(per).max(1);
    let page_no = page_no.min(pages - 1);
    let forms = view
        .slots
        .iter()
        .enumerate()
        .skip(page_no * per)
        .take(per)
        .map(|(i, s)| QuestionForm {
            number: i + 1,
            slot: i,
            mark: s.pinned.mark,
            shown: Shown::from(&s.view),
            prefix: format!("q{i}_"),
            values: s.response.as_ref().map(form_values).unwrap_or_default(),
            checked: s.checked.as_ref().map(Graded::from),
            files_allowed: match s.question.kind {
                QuestionKind::Essay { attachments_allowed, .. } => attachments_allowed,
                _ => 0,
            },
            files: FileShown::of(&s.files),
        })
        .collect();
    (forms, pages)
}

pub async fn show(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<AttemptId>,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let view = attempts::view(&state, &s.viewer, &id).await.map_err(AppError::from)?;
    if !view.is_open() || view.role != Role::Learner {
        return Ok(redirect(&format!("{}/review", attempt_url(&view.row.id))));
    }
    let (questions, pages) = paged(&view, q.page);
    let sequential = view.quiz.settings.navigation == Navigation::Sequential;
    let page_no = q.page.min(pages - 1);
    Reply::OK.render(&AttemptPage { page: s.page, view, questions, page_no, pages, sequential })
}

/// Saves the answers on the page, then goes where the button said: another
/// page, the summary, or (the autosave script's `go=stay`) nowhere.
pub async fn save(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<AttemptId>,
    PageForm(form): PageForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let view = attempts::view(&state, &s.viewer, &id).await.map_err(AppError::from)?;
    let field = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let page_no: usize = field("page").and_then(|p| p.parse().ok()).unwrap_or(0);
    let (on_page, pages) = paged(&view, page_no);
    let answers = on_page
        .iter()
        .filter(|f| f.checked.is_none())
        .map(|f| (f.slot, response_in(&view.slots[f.slot].view, &form, &f.prefix)))
        .collect();
    let check = field("go") == Some("check");
    if let Err(e) = attempts::save(&state, &s.viewer, &id, answers, check).await {
        let to = format!("{}/review", attempt_url(id.as_str()));
        return match flash_key(&e) {
            Some(key) => Ok(redirect_with_flash(&to, FlashKind::Error, key)),
            None => Err(e.into()),
        };
    }
    let to = match field("go") {
        Some("stay") => return Ok(axum::http::StatusCode::NO_CONTENT.into_response()),
        Some("next") => format!("{}?page={}", attempt_url(id.as_str()), (page_no + 1).min(pages - 1)),
        Some("prev") => format!("{}?page={}", attempt_url(id.as_str()), page_no.saturating_sub(1)),
        Some("check") => format!("{}?page={page_no}", attempt_url(id.as_str())),
        _ => format!("{}/summary", attempt_url(id.as_str())),
    };
    Ok(redirect(&to))
}

#[derive(Template)]
#[template(path = "quizzes/summary.html")]
struct SummaryPage {
    page: Page,
    view: AttemptView,
}

impl SummaryPage {
    fn answered(&self, slot: &usize) -> bool {
        self.view.slots[*slot].response.as_ref().is_some_and(|r| !r.is_empty())
    }
    fn files(&self, slot: &usize) -> Vec<FileShown> {
        FileShown::of(&self.view.slots[*slot].files)
    }
    fn slots(&self) -> Vec<usize> {
        (0..self.view.slots.len()).collect()
    }
    fn page_of(&self, slot: &usize) -> usize {
        let per = usize::try_from(self.view.quiz.settings.questions_per_page).unwrap_or(0);
        slot.checked_div(per).unwrap_or(0)
    }
}

pub async fn summary(State(state): State<AppState>, s: SignedIn, Path(id): Path<AttemptId>) -> AppResult<Response> {
    let view = attempts::view(&state, &s.viewer, &id).await.map_err(AppError::from)?;
    if !view.is_open() || view.role != Role::Learner {
        return Ok(redirect(&format!("{}/review", attempt_url(&view.row.id))));
    }
    Reply::OK.render(&SummaryPage { page: s.page, view })
}

pub async fn submit(State(state): State<AppState>, s: SignedIn, Path(id): Path<AttemptId>) -> AppResult<Response> {
    submit::submit(&state, &s.viewer, &id).await.map_err(AppError::from)?;
    Ok(redirect_with_flash(
        &format!("{}/review", attempt_url(id.as_str())),
        FlashKind::Success,
        "quizzes.flash.submitted",
    ))
}

#[derive(Template)]
#[template(path = "quizzes/review.html")]
struct ReviewPage {
    page: Page,
    review: Review,
    items: Vec<ReviewItem>,
}

struct ReviewItem {
    number: usize,
    slot: usize,
    mark: f64,
    shown: Shown,
    answer: Vec<String>,
    state: String,
    marks: String,
    waiting: bool,
    feedback: Vec<String>,
    right_answer: Vec<String>,
    files: Vec<FileShown>,
}

impl ReviewPage {
    fn percent(&self) -> String {
        self.review.percent().map(|p| format!("{p:.0} %")).unwrap_or_default()
    }
    fn is_staff(&self) -> bool {
        self.review.role == Role::Staff
    }
}

/// The learner's answer in words, for the review.
fn answer_words(shown: &Shown, values: &[(String, String)]) -> Vec<String> {
    let pick = |list: &[String], v: &str| v.parse::<usize>().ok().and_then(|i| list.get(i)).cloned();
    let plain = |html: &str| ammonia::Builder::empty().clean(html).to_string();
    values
        .iter()
        .filter_map(|(k, v)| match &shown.field {
            Field::Choices { choices, .. } => pick(choices, v).map(|h| plain(&h)),
            Field::Matching { stems, options } => {
                let stem = k.strip_prefix("match_").and_then(|i| i.parse::<usize>().ok()).and_then(|i| stems.get(i));
                Some(format!("{} → {}", plain(stem.map_or("", |s| s.as_str())), pick(options, v).unwrap_or_default()))
            }
            Field::Ordering { items } => {
                let item = k.strip_prefix("rank_").and_then(|i| i.parse::<usize>().ok()).and_then(|i| items.get(i));
                Some(format!("{v}. {}", plain(item.map_or("", |s| s.as_str()))))
            }
            _ => Some(v.clone()),
        })
        .collect()
}

pub async fn review(State(state): State<AppState>, s: SignedIn, Path(id): Path<AttemptId>) -> AppResult<Response> {
    let review = match grading::review(&state, &s.viewer, &id).await {
        Ok(r) => r,
        Err(QuizError::AttemptOpen) => return Ok(redirect(&attempt_url(id.as_str()))),
        Err(e) => return Err(e.into()),
    };
    let items = review
        .slots
        .iter()
        .enumerate()
        .map(|(i, slot)| {
            let shown = Shown::from(&slot.view);
            let mut values = slot.response.as_ref().map(form_values).unwrap_or_default();
            if let Field::Ordering { .. } = shown.field {
                values.sort_by(|a, b| a.1.cmp(&b.1));
            }
            ReviewItem {
                number: i + 1,
                slot: i,
                mark: slot.pinned.mark,
                answer: answer_words(&shown, &values),
                state: slot.marks.map(|(st, _)| super::shown::state_name(st).to_string()).unwrap_or_default(),
                marks: slot.marks.map(|(_, m)| format!("{m:.2}")).unwrap_or_default(),
                waiting: slot.waiting,
                feedback: slot.feedback.iter().map(to_html).collect(),
                right_answer: slot.right_answer.clone(),
                files: FileShown::of(&slot.files),
                shown,
            }
        })
        .collect();
    Reply::OK.render(&ReviewPage { page: s.page, review, items })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct GradeForm {
    slot: usize,
    percent: String,
    note: String,
}

/// A person's grade from the review page (staff).
pub async fn grade(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<AttemptId>,
    PageForm(form): PageForm<GradeForm>,
) -> AppResult<Response> {
    let to = format!("{}/review", attempt_url(id.as_str()));
    let fraction = form.percent.trim().replace(',', ".").parse::<f64>().map(|p| p / 100.0).unwrap_or(f64::NAN);
    match grading::grade_slot(&state, &s.viewer, &id, form.slot, fraction, &form.note).await {
        Ok(_) => Ok(redirect_with_flash(&to, FlashKind::Success, "quizzes.flash.graded")),
        Err(e) => match flash_key(&e) {
            Some(key) => Ok(redirect_with_flash(&to, FlashKind::Error, key)),
            None => Err(e.into()),
        },
    }
}

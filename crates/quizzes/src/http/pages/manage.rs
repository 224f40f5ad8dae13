//! The staff's quiz pages: `/teach/quizzes/{id}` (settings and questions),
//! `/teach/quizzes/{id}/results` (the attempts table, the grading queue, the
//! CSV), and the outline editor's "add a quiz" (`/teach/modules/{id}/quizzes`).

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    response::{IntoResponse, Redirect, Response},
};
use lyceum_courses::model::Course;
use lyceum_platform::{
    AppError, AppResult, AppState, FieldError, Text,
    http::extract::PageForm,
    ids::{LessonId, ModuleId},
    web::{FlashKind, FormErrors, Page, Refused, Reply, guard::SignedIn, redirect_with_flash},
};
use serde::Deserialize;

use crate::{
    model::{CategoryCount, QuestionRow, QuizId},
    quiz::settings::{Completion, FeedbackMode, GradingMethod, Navigation, Review, Settings, Slot, Source},
    repo::regrades::RegradeRow,
    service::{
        grading::{self, AttemptLine, Filter},
        quizzes::{self, QuizInput, StaffView},
        regrade,
    },
};
use lyceum_platform::web::typed::{Typed, enum_name, local_input, parse_enum};

fn manage_url(id: &str) -> String {
    format!("/teach/quizzes/{id}")
}

/// `/teach/lessons/{id}/quiz`: the outline editor's link to a quiz lesson's settings.
pub async fn of_lesson(State(state): State<AppState>, s: SignedIn, Path(id): Path<LessonId>) -> AppResult<Response> {
    let quiz = quizzes::of_lesson_for_staff(&state, &s.viewer, &id).await?;
    Ok(Redirect::to(&manage_url(quiz.as_str())).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewQuizForm {
    title: String,
}

/// Adds a quiz (default settings, no questions yet) at the end of a module.
pub async fn create(
    State(state): State<AppState>,
    s: SignedIn,
    Path(module_id): Path<ModuleId>,
    PageForm(form): PageForm<NewQuizForm>,
) -> AppResult<Response> {
    let quiz =
        quizzes::create_in_module(&state, &s.viewer, &module_id, form.title.trim()).await.map_err(AppError::from)?;
    Ok(redirect_with_flash(&manage_url(&quiz.id), FlashKind::Success, "quizzes.flash.quiz_created"))
}

#[derive(Template)]
#[template(path = "quizzes/manage.html")]
struct ManagePage {
    page: Page,
    view: StaffView,
    form: SettingsForm,
    errors: FormErrors,
}

impl ManagePage {
    fn source(&self, slot: &Slot) -> String {
        match &slot.source {
            Source::Question { question_id } => self
                .view
                .questions
                .iter()
                .find(|q| q.id == *question_id)
                .map_or_else(|| self.page.t("quizzes.manage.deleted_question"), |q| q.name.clone()),
            Source::Random { category_id } => {
                let name = self.view.categories.iter().find(|c| c.id == *category_id).map_or("", |c| c.name.as_str());
                format!("{} {name}", self.page.t("quizzes.manage.random_from"))
            }
        }
    }
    fn course(&self) -> &Course {
        &self.view.course
    }
    fn questions(&self) -> &[QuestionRow] {
        &self.view.questions
    }
    fn categories(&self) -> &[CategoryCount] {
        &self.view.categories
    }
    fn is(&self, field: &str, value: &str) -> bool {
        self.form.value(field) == value
    }
}

/// The settings form's fields as typed (strings), so a refused form shows them again.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct SettingsForm {
    open_at: String,
    close_at: String,
    time_limit_minutes: String,
    attempts_allowed: String,
    grading_method: String,
    questions_per_page: String,
    navigation: String,
    shuffle_answers: Option<String>,
    shuffle_questions: Option<String>,
    passing_grade: String,
    completion: String,
    feedback: String,
    review: Vec<String>,
}

/// The review options as checkbox values: `after_submit.marks`, `after_close.feedback`…
const REVIEW_FIELDS: [&str; 4] = ["responses", "marks", "correct_answers", "feedback"];

fn review_values(prefix: &str, r: &Review) -> Vec<String> {
    let on = [r.responses, r.marks, r.correct_answers, r.feedback];
    REVIEW_FIELDS.iter().zip(on).filter(|(_, on)| *on).map(|(f, _)| format!("{prefix}.{f}")).collect()
}

fn review_of(prefix: &str, values: &[String]) -> Review {
    let has = |f: &str| values.iter().any(|v| *v == format!("{prefix}.{f}"));
    Review {
        responses: has("responses"),
        marks: has("marks"),
        correct_answers: has("correct_answers"),
        feedback: has("feedback"),
    }
}

impl SettingsForm {
    fn of(settings: &Settings, page: &Page) -> Self {
        let local = |ms: Option<i64>| local_input(page, ms);
        let number = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
        let mut review = review_values("after_submit", &settings.review.after_submit);
        review.extend(review_values("after_close", &settings.review.after_close));
        Self {
            open_at: local(settings.open_at),
            close_at: local(settings.close_at),
            time_limit_minutes: number(settings.time_limit_minutes),
            attempts_allowed: number(settings.attempts_allowed),
            grading_method: enum_name(&settings.grading_method),
            questions_per_page: settings.questions_per_page.to_string(),
            navigation: enum_name(&settings.navigation),
            shuffle_answers: settings.shuffle_answers.then(|| "on".into()),
            shuffle_questions: settings.shuffle_questions.then(|| "on".into()),
            passing_grade: settings.passing_grade.map(|g| g.to_string()).unwrap_or_default(),
            completion: enum_name(&settings.completion),
            feedback: enum_name(&settings.feedback),
            review,
        }
    }

    fn value(&self, field: &str) -> &str {
        match field {
            "grading_method" => &self.grading_method,
            "navigation" => &self.navigation,
            "completion" => &self.completion,
            "feedback" => &self.feedback,
            _ => "",
        }
    }

    fn reviews(&self, value: &str) -> bool {
        self.review.iter().any(|v| v == value)
    }

    /// The settings, or the fields that cannot be read (a date, a number).
    fn settings(&self, page: &Page) -> Result<Settings, Vec<FieldError>> {
        let mut typed = Typed::new(page);
        let open_at = typed.local_time("settings.open_at", &self.open_at);
        let close_at = typed.local_time("settings.close_at", &self.close_at);
        let time_limit_minutes = typed.whole("settings.time_limit_minutes", &self.time_limit_minutes);
        let attempts_allowed = typed.whole("settings.attempts_allowed", &self.attempts_allowed);
        let questions_per_page = typed.whole("settings.questions_per_page", &self.questions_per_page).unwrap_or(0);
        let mut errors = typed.errors;
        let passing_grade = match self.passing_grade.trim().replace(',', ".") {
            raw if raw.is_empty() => None,
            raw => match raw.parse::<f64>() {
                Ok(g) => Some(g),
                Err(_) => {
                    errors.push(FieldError::new("settings.passing_grade", Text::new("quizzes.errors.bad_number")));
                    None
                }
            },
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Settings {
            open_at,
            close_at,
            time_limit_minutes,
            attempts_allowed,
            grading_method: parse_enum::<GradingMethod>(&self.grading_method),
            shuffle_answers: self.shuffle_answers.is_some(),
            shuffle_questions: self.shuffle_questions.is_some(),
            questions_per_page,
            navigation: parse_enum::<Navigation>(&self.navigation),
            passing_grade,
            completion: parse_enum::<Completion>(&self.completion),
            feedback: parse_enum::<FeedbackMode>(&self.feedback),
            review: crate::quiz::settings::ReviewOptions {
                after_submit: review_of("after_submit", &self.review),
                after_close: review_of("after_close", &self.review),
            },
        })
    }
}

async fn render(
    state: &AppState,
    s: SignedIn,
    id: &QuizId,
    form: Option<SettingsForm>,
    errors: FormErrors,
    reply: Reply,
) -> AppResult<Response> {
    let view = quizzes::for_staff(state, &s.viewer, id).await?;
    let form = form.unwrap_or_else(|| SettingsForm::of(&view.quiz.settings, &s.page));
    reply.render(&ManagePage { page: s.page, view, form, errors })
}

pub async fn show(State(state): State<AppState>, s: SignedIn, Path(id): Path<QuizId>) -> AppResult<Response> {
    render(&state, s, &id, None, FormErrors::none(), Reply::OK).await
}

/// The settings form; `review` repeats (one value per ticked review option).
pub async fn save_settings(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<QuizId>,
    PageForm(fields): PageForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let form = settings_form(&fields);
    let settings = match form.settings(&s.page) {
        Ok(settings) => settings,
        Err(fields) => {
            let errors = FormErrors {
                general: None,
                fields: fields.into_iter().map(|f| FieldError { message: f.in_lang(s.page.locale), ..f }).collect(),
            };
            return render(&state, s, &id, Some(form), errors, Reply::status(http::StatusCode::UNPROCESSABLE_ENTITY))
                .await;
        }
    };
    let current = quizzes::for_staff(&state, &s.viewer, &id).await?.quiz;
    match quizzes::update(&state, &s.viewer, &id, QuizInput { settings, slots: current.slots }).await {
        Ok(_) => Ok(redirect_with_flash(&manage_url(id.as_str()), FlashKind::Success, "quizzes.flash.quiz_saved")),
        Err(e) => {
            let Refused { errors, reply, .. } = Refused::from_error(e.into(), s.page.locale)?;
            render(&state, s, &id, Some(form), errors, reply).await
        }
    }
}

/// Reads the repeated-field form (serde_urlencoded keeps only one `review`).
fn settings_form(fields: &[(String, String)]) -> SettingsForm {
    let one = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    let some = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    SettingsForm {
        open_at: one("open_at"),
        close_at: one("close_at"),
        time_limit_minutes: one("time_limit_minutes"),
        attempts_allowed: one("attempts_allowed"),
        grading_method: one("grading_method"),
        questions_per_page: one("questions_per_page"),
        navigation: one("navigation"),
        shuffle_answers: some("shuffle_answers"),
        shuffle_questions: some("shuffle_questions"),
        passing_grade: one("passing_grade"),
        completion: one("completion"),
        feedback: one("feedback"),
        review: fields.iter().filter(|(k, _)| k == "review").map(|(_, v)| v.clone()).collect(),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SlotForm {
    action: String,
    question_id: String,
    category_id: String,
    count: String,
    mark: String,
    index: usize,
}

/// Adds a question, adds random draws from a category, changes a mark, or removes a slot.
pub async fn save_slots(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<QuizId>,
    PageForm(form): PageForm<SlotForm>,
) -> AppResult<Response> {
    let current = quizzes::for_staff(&state, &s.viewer, &id).await?.quiz;
    let mut slots = current.slots.clone();
    let mark = form.mark.trim().replace(',', ".").parse::<f64>().unwrap_or(1.0);
    match form.action.as_str() {
        "add_question" => slots.push(Slot { source: Source::Question { question_id: form.question_id }, mark }),
        "add_random" => {
            let count = form.count.trim().parse::<usize>().unwrap_or(1).clamp(1, 50);
            for _ in 0..count {
                slots.push(Slot { source: Source::Random { category_id: form.category_id.clone() }, mark });
            }
        }
        "mark" if form.index < slots.len() => slots[form.index].mark = mark,
        "remove" if form.index < slots.len() => {
            slots.remove(form.index);
        }
        _ => return Err(AppError::field("action", Text::new("quizzes.errors.slot_action"))),
    }
    match quizzes::update(&state, &s.viewer, &id, QuizInput { settings: current.settings, slots }).await {
        Ok(_) => Ok(redirect_with_flash(&manage_url(id.as_str()), FlashKind::Success, "quizzes.flash.quiz_saved")),
        Err(e) => {
            let Refused { errors, reply, .. } = Refused::from_error(e.into(), s.page.locale)?;
            render(&state, s, &id, None, errors, reply).await
        }
    }
}

#[derive(Template)]
#[template(path = "quizzes/results.html")]
struct ResultsPage {
    page: Page,
    quiz: quizzes::Quiz,
    lines: Vec<AttemptLine>,
    filter: String,
    regrades: Vec<RegradeRow>,
    /// The server's clock, for the time left of the attempts under way.
    now: i64,
}

impl ResultsPage {
    fn percent(&self, line: &AttemptLine) -> String {
        line.percent().map(|p| format!("{p:.0} %")).unwrap_or_default()
    }

    /// An attempt under way: the time left by its stored deadline (the
    /// server's, with the learner's override), as "1 h 05 min" or "4 min".
    fn time_left(&self, line: &AttemptLine) -> String {
        if line.row.state != "in_progress" {
            return String::new();
        }
        let Some(deadline) = line.row.deadline_at else {
            return self.page.t("quizzes.manage.no_deadline");
        };
        let left = deadline - self.now;
        if left <= 0 {
            return self.page.t("quizzes.manage.time_up");
        }
        // Whole minutes, rounded up: "0 min" would read as time up.
        let minutes = (left + 59_999) / 60_000;
        match (minutes / 60, minutes % 60) {
            (0, m) => format!("{m} min"),
            (h, m) => format!("{h} h {m:02} min"),
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ResultsQuery {
    state: String,
}

pub async fn results(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<QuizId>,
    Query(q): Query<ResultsQuery>,
) -> AppResult<Response> {
    let filter = Filter::parse(&q.state).unwrap_or_default();
    let (quiz, lines) = grading::results(&state, &s.viewer, &id, filter).await?;
    let filter = if q.state.is_empty() { "all".to_string() } else { q.state };
    let regrades = regrade::list(&state, &s.viewer, &id).await?;
    let now = lyceum_platform::db::now_ms();
    Reply::OK.render(&ResultsPage { page: s.page, quiz, lines, filter, regrades, now })
}

/// "Regrade all": the job does it; the results page shows its progress.
pub async fn regrade(State(state): State<AppState>, s: SignedIn, Path(id): Path<QuizId>) -> AppResult<Response> {
    regrade::request(&state, &s.viewer, &id, None).await.map_err(AppError::from)?;
    let to = format!("{}/results", manage_url(id.as_str()));
    Ok(redirect_with_flash(&to, FlashKind::Success, "quizzes.flash.regrade_started"))
}

#[derive(Template)]
#[template(path = "quizzes/analysis.html")]
struct AnalysisPage {
    page: Page,
    quiz: quizzes::Quiz,
    lines: Vec<grading::ItemLine>,
    chart: String,
}

impl AnalysisPage {
    fn percent(&self, value: &f64) -> String {
        format!("{value:.0} %")
    }
    fn discrimination(&self, value: &Option<f64>) -> String {
        value.map(|d| format!("{d:.0} %")).unwrap_or_else(|| "–".to_string())
    }
}

/// Item analysis with its chart, drawn on the server (no script).
pub async fn analysis(State(state): State<AppState>, s: SignedIn, Path(id): Path<QuizId>) -> AppResult<Response> {
    let (quiz, lines) = grading::analysis(&state, &s.viewer, &id).await?;
    let rows: Vec<(String, f64)> = lines.iter().map(|l| (l.name.clone(), l.item.facility)).collect();
    let chart = crate::quiz::analysis::facility_chart(&s.page.t("quizzes.analysis.chart"), &rows);
    Reply::OK.render(&AnalysisPage { page: s.page, quiz, lines, chart })
}

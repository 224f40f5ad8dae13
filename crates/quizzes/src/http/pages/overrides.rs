//! The staff's per-learner overrides of a quiz (Moodle's "User overrides"):
//! `/teach/quizzes/{id}/overrides` lists them against the quiz's own
//! settings, with a form to add or change one (a learner of the course and
//! another close date, time limit or number of attempts), and deleting one
//! asks first (`…/overrides/{user_id}/delete`). The rules (staff only, an
//! enrolled learner, the settings' ranges, the open attempt's deadline
//! following) are `service::quizzes`'.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    response::Response,
};
use lyceum_accounts::service::directory::{self, Person};
use lyceum_courses::model::Course;
use lyceum_platform::{
    AppError, AppResult, AppState, FieldError, Text,
    auth::Viewer,
    http::extract::PageForm,
    ids::{CourseId, UserId},
    web::{FlashKind, FormErrors, Page, Refused, Reply, guard::SignedIn, redirect_with_flash},
};
use serde::Deserialize;

use crate::{
    model::QuizId,
    quiz::attempt::Override,
    service::quizzes::{self, Quiz},
};
use lyceum_platform::web::typed::{Typed, local_input};

fn overrides_url(id: &str) -> String {
    format!("/teach/quizzes/{id}/overrides")
}

/// The most learners the form's list offers (a course's roster, by name).
const LEARNERS_MAX: i64 = 5000;

/// One learner's override, with who they are.
pub struct Line {
    pub user_id: String,
    pub name: String,
    pub email: String,
    pub over: Override,
}

/// What the page shows: the quiz, its overrides and the learners to choose from.
struct View {
    course: Course,
    quiz: Quiz,
    lines: Vec<Line>,
    learners: Vec<Person>,
}

/// The quiz's overrides and its course's enrolled learners, for its staff
/// (404 for anyone else). Names come from accounts and the roster from
/// enrollment, each in one batched read.
async fn view(state: &AppState, viewer: &Viewer, id: &QuizId) -> AppResult<View> {
    let rows = quizzes::overrides(state, viewer, id).await?;
    let mut conn = state.db.pool().acquire().await?;
    let (course, quiz) = quizzes::staff_quiz(state, &mut conn, viewer, id).await?;
    let course_id = CourseId::from(&quiz.course_id);
    let enrolled =
        lyceum_enrollment::service::query::active_of_course(&mut conn, &course_id, None, LEARNERS_MAX).await?;
    let ids: Vec<UserId> = enrolled
        .iter()
        .map(|e| UserId::from(&e.user_id))
        .chain(rows.iter().map(|r| UserId::from(&r.user_id)))
        .collect();
    let people = directory::people(&mut conn, &ids).await?;
    let mut learners: Vec<Person> = enrolled.iter().filter_map(|e| people.get(&e.user_id).cloned()).collect();
    learners.sort_by(|a, b| (a.display_name.to_lowercase(), &a.email).cmp(&(b.display_name.to_lowercase(), &b.email)));
    let lines = rows
        .into_iter()
        .map(|r| {
            let person = people.get(&r.user_id);
            Line {
                name: person.map(|p| p.display_name.clone()).unwrap_or_default(),
                email: person.map(|p| p.email.clone()).unwrap_or_default(),
                over: Override {
                    close_at: r.close_at,
                    time_limit_minutes: r.time_limit_minutes,
                    attempts_allowed: r.attempts_allowed,
                },
                user_id: r.user_id,
            }
        })
        .collect();
    Ok(View { course, quiz, lines, learners })
}

/// The form's fields as typed, so a refused form shows them again.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct OverrideForm {
    user_id: String,
    close_at: String,
    time_limit_minutes: String,
    attempts_allowed: String,
}

impl OverrideForm {
    /// An override as the form shows it: the close date in the viewer's time zone.
    fn of(line: &Line, page: &Page) -> Self {
        let number = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
        Self {
            user_id: line.user_id.clone(),
            close_at: local_input(page, line.over.close_at),
            time_limit_minutes: number(line.over.time_limit_minutes),
            attempts_allowed: number(line.over.attempts_allowed),
        }
    }

    /// The override, or the fields that cannot be read. The ranges are the
    /// service's rules (the quiz settings'); the field names are its own.
    fn parse(&self, page: &Page) -> Result<Override, Vec<FieldError>> {
        let mut typed = Typed::new(page);
        if self.user_id.trim().is_empty() {
            typed.errors.push(FieldError::new("user_id", Text::new("quizzes.errors.override_learner")));
        }
        let close_at = typed.local_time("settings.close_at", &self.close_at);
        let time_limit_minutes = typed.whole("settings.time_limit_minutes", &self.time_limit_minutes);
        let attempts_allowed = typed.whole("settings.attempts_allowed", &self.attempts_allowed);
        let mut errors = typed.errors;
        let blank =
            [&self.close_at, &self.time_limit_minutes, &self.attempts_allowed].iter().all(|f| f.trim().is_empty());
        if blank {
            errors.push(FieldError::new("override", Text::new("quizzes.errors.override_empty")));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Override { close_at, time_limit_minutes, attempts_allowed })
    }
}

#[derive(Template)]
#[template(path = "quizzes/overrides.html")]
struct OverridesPage {
    page: Page,
    course: Course,
    quiz: Quiz,
    lines: Vec<Line>,
    learners: Vec<Person>,
    form: OverrideForm,
    /// The form edits this learner's override (the learner is fixed).
    editing: bool,
    errors: FormErrors,
}

impl OverridesPage {
    fn close_text(&self, close_at: &Option<i64>) -> String {
        close_at.map_or_else(|| self.page.t("quizzes.overrides.no_close"), |ms| self.page.datetime(&ms))
    }
    fn limit_text(&self, minutes: &Option<i64>) -> String {
        minutes.map_or_else(|| self.page.t("quizzes.overrides.no_limit"), |m| format!("{m} min"))
    }
    fn attempts_text(&self, attempts: &Option<i64>) -> String {
        attempts.map_or_else(|| self.page.t("quizzes.overrides.unlimited"), |n| n.to_string())
    }
    fn chosen(&self, user_id: &str) -> bool {
        self.form.user_id == user_id
    }
}

async fn render(
    state: &AppState,
    s: SignedIn,
    id: &QuizId,
    form: Option<OverrideForm>,
    errors: FormErrors,
    reply: Reply,
) -> AppResult<Response> {
    let View { course, quiz, lines, learners } = view(state, &s.viewer, id).await?;
    let form = form.unwrap_or_default();
    let editing = !form.user_id.is_empty() && lines.iter().any(|l| l.user_id == form.user_id);
    reply.render(&OverridesPage { page: s.page, course, quiz, lines, learners, form, editing, errors })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ShowQuery {
    /// Edit this learner's override.
    user: String,
}

pub async fn show(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<QuizId>,
    Query(q): Query<ShowQuery>,
) -> AppResult<Response> {
    let View { course, quiz, lines, learners } = view(&state, &s.viewer, &id).await?;
    let editing = lines.iter().find(|l| l.user_id == q.user);
    let form = editing.map(|l| OverrideForm::of(l, &s.page)).unwrap_or_default();
    let editing = editing.is_some();
    Reply::OK.render(&OverridesPage {
        page: s.page,
        course,
        quiz,
        lines,
        learners,
        form,
        editing,
        errors: FormErrors::none(),
    })
}

/// Adds or replaces one learner's override.
pub async fn save(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<QuizId>,
    PageForm(form): PageForm<OverrideForm>,
) -> AppResult<Response> {
    // Staff only, before the form is even read: anyone else gets 404, not a 422.
    view(&state, &s.viewer, &id).await?;
    let over = match form.parse(&s.page) {
        Ok(over) => over,
        Err(fields) => {
            let fields = fields.into_iter().map(|f| FieldError { message: f.in_lang(s.page.locale), ..f }).collect();
            let errors = FormErrors { general: None, fields };
            let reply = Reply::status(StatusCode::UNPROCESSABLE_ENTITY);
            return render(&state, s, &id, Some(form), errors, reply).await;
        }
    };
    let user_id = UserId::from(form.user_id.trim());
    match quizzes::set_override(&state, &s.viewer, &id, &user_id, &over).await {
        Ok(()) => {
            Ok(redirect_with_flash(&overrides_url(id.as_str()), FlashKind::Success, "quizzes.flash.override_saved"))
        }
        Err(e) => {
            let Refused { errors, reply, .. } = Refused::from_error(e.into(), s.page.locale)?;
            render(&state, s, &id, Some(form), errors, reply).await
        }
    }
}

#[derive(Template)]
#[template(path = "quizzes/override_delete.html")]
struct ConfirmDelete {
    page: Page,
    quiz: Quiz,
    line: Line,
}

/// Asks before deleting a learner's override.
pub async fn confirm_delete(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, user_id)): Path<(QuizId, String)>,
) -> AppResult<Response> {
    let View { quiz, lines, .. } = view(&state, &s.viewer, &id).await?;
    let line = lines.into_iter().find(|l| l.user_id == user_id).ok_or_else(AppError::not_found)?;
    Reply::OK.render(&ConfirmDelete { page: s.page, quiz, line })
}

/// Deletes a learner's override: the quiz's own settings apply to them again.
pub async fn delete(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, user_id)): Path<(QuizId, String)>,
) -> AppResult<Response> {
    quizzes::delete_override(&state, &s.viewer, &id, &UserId::from(user_id.as_str())).await?;
    Ok(redirect_with_flash(&overrides_url(id.as_str()), FlashKind::Success, "quizzes.flash.override_deleted"))
}

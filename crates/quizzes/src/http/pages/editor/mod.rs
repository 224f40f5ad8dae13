//! The question editor: a form for each kind
//! (`/teach/courses/{id}/questions/new/{kind}`, and
//! `/teach/questions/{id}/edit` for a new version of a stored question),
//! with a preview of the draft as a learner would see it and "blanks for 3
//! more". The question's rules are the bank's (`Question::validate`); this
//! page only reads the typed numbers and says which one it could not read.

mod draft;
mod form_input;

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    response::Response,
};
use lyceum_assessment::{Layout, Question, QuestionView};
use lyceum_courses::model::Course;
use lyceum_platform::{
    AppError, AppResult, AppState,
    auth::Viewer,
    http::extract::PageForm,
    ids::CourseId,
    web::{FlashKind, FormErrors, Page, Refused, Reply, guard::SignedIn, redirect_with_flash},
};
use serde::Deserialize;

use self::draft::Draft;
use super::{
    bank::{bank_url, category_depth},
    question_url,
    shown::{Bit, Field, QuestionForm, Shown},
};
use crate::{
    BankError,
    model::{CategoryCount, CategoryId, KINDS, QuestionId},
    service::{self, categories, questions},
};

#[derive(Template)]
#[template(path = "quizzes/editor.html")]
struct EditorPage {
    page: Page,
    course: Course,
    /// The question being edited; None for a new one.
    question_id: Option<String>,
    question_name: String,
    action: String,
    back_url: String,
    draft: Draft,
    categories: Vec<CategoryCount>,
    category: String,
    preview: Option<QuestionForm>,
    errors: FormErrors,
}

impl EditorPage {
    fn heading(&self) -> String {
        match self.question_id {
            Some(_) => format!("{}: {}", self.page.t("quizzes.editor.edit_title"), self.question_name),
            None => self.page.t("quizzes.editor.new_title"),
        }
    }

    fn depth(&self, category: &CategoryCount) -> usize {
        category_depth(&self.categories, category)
    }

    /// A row's input name, e.g. `choice_2_percent`.
    fn row(&self, list: &str, i: &usize, part: &str) -> String {
        format!("{list}_{i}_{part}")
    }

    fn item_label(&self, number: &usize) -> String {
        format!("{} {number}", self.page.t("quizzes.editor.item"))
    }

    /// Short answers are words; numerical ones numbers (a phone shows its number pad).
    fn answer_mode(&self) -> &'static str {
        if self.draft.kind_name == "numerical" { "decimal" } else { "text" }
    }

    fn has_rows(&self) -> bool {
        matches!(self.draft.kind_name, "multichoice" | "shortanswer" | "numerical" | "matching" | "ordering")
    }
}

/// Where the editor was opened: a new question in a course, or a stored one.
enum Target {
    New { course_id: CourseId },
    Stored { id: QuestionId, name: String },
}

/// What a form asked for besides saving.
#[derive(PartialEq)]
enum Action {
    Save,
    Preview,
    MoreRows,
}

fn action_of(form: &[(String, String)]) -> Action {
    match form.iter().find(|(k, _)| k == "action").map(|(_, v)| v.as_str()) {
        Some("preview") => Action::Preview,
        Some("more") => Action::MoreRows,
        _ => Action::Save,
    }
}

fn value<'a>(form: &'a [(String, String)], name: &str) -> &'a str {
    form.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.trim())
}

fn kind_of(kind: &str) -> AppResult<&'static str> {
    KINDS.iter().copied().find(|k| *k == kind).ok_or_else(AppError::not_found)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewQuery {
    category: String,
}

/// An empty form for a question of `kind`.
pub async fn new(
    State(state): State<AppState>,
    s: SignedIn,
    Path((course_id, kind)): Path<(CourseId, String)>,
    Query(q): Query<NewQuery>,
) -> AppResult<Response> {
    let draft = Draft::blank(kind_of(&kind)?);
    let target = Target::New { course_id };
    render(&state, s, &target, draft, q.category, None, FormErrors::none(), Reply::OK).await
}

/// Saves the form as a new question, or previews it / adds blank rows.
pub async fn create(
    State(state): State<AppState>,
    s: SignedIn,
    Path((course_id, kind)): Path<(CourseId, String)>,
    PageForm(form): PageForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let draft = Draft::from_form(kind_of(&kind)?, &form);
    submit(&state, s, Target::New { course_id }, draft, &form).await
}

/// The stored question's current version in the form.
pub async fn edit(State(state): State<AppState>, s: SignedIn, Path(id): Path<QuestionId>) -> AppResult<Response> {
    let (_, q) = questions::with_course(&state, &s.viewer, &id).await?;
    let target = Target::Stored { id, name: q.row.name.clone() };
    let draft = Draft::of(&q.question);
    render(&state, s, &target, draft, q.row.category_id, None, FormErrors::none(), Reply::OK).await
}

/// Saves the form as the question's next version (its kind stays).
pub async fn save(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<QuestionId>,
    PageForm(form): PageForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (_, q) = questions::with_course(&state, &s.viewer, &id).await?;
    let draft = Draft::from_form(q.question.kind.name(), &form);
    submit(&state, s, Target::Stored { id, name: q.row.name }, draft, &form).await
}

async fn submit(
    state: &AppState,
    s: SignedIn,
    target: Target,
    mut draft: Draft,
    form: &[(String, String)],
) -> AppResult<Response> {
    let category = value(form, "category").to_string();
    let action = action_of(form);
    if action == Action::MoreRows {
        draft.more_rows();
        return render(state, s, &target, draft, category, None, FormErrors::none(), Reply::OK).await;
    }
    let checked = draft.to_question().map_err(AppError::validation).and_then(|q| match q.validate() {
        Ok(()) => Ok(q),
        Err(e) => Err(BankError::Invalid(e).into()),
    });
    let outcome = match (checked, action) {
        (Ok(q), Action::Preview) => {
            let preview = preview_of(&q);
            draft.pad(2);
            return render(state, s, &target, draft, category, Some(preview), FormErrors::none(), Reply::OK).await;
        }
        (Ok(q), _) => store(state, &s.viewer, &target, &category, q).await,
        (Err(e), _) => Err(e),
    };
    match outcome {
        Ok(id) => Ok(redirect_with_flash(&question_url(id.as_str()), FlashKind::Success, "quizzes.flash.saved")),
        Err(e) => {
            let Refused { errors, reply, .. } = Refused::from_error(e, s.page.locale)?;
            draft.pad(2);
            render(state, s, &target, draft, category, None, on_inputs(errors), reply).await
        }
    }
}

/// Writes the question through the bank: a new one, or the next version.
async fn store(
    state: &AppState,
    viewer: &Viewer,
    target: &Target,
    category: &str,
    question: Question,
) -> Result<QuestionId, AppError> {
    let category = Some(category).filter(|c| !c.is_empty()).map(CategoryId::from);
    let submitted = questions::Draft::Model(Box::new(question));
    let saved = match target {
        Target::New { course_id } => questions::create(state, viewer, course_id, category.as_ref(), submitted).await,
        Target::Stored { id, .. } => questions::edit(state, viewer, id, category.as_ref(), submitted).await,
    };
    Ok(QuestionId::from(&saved?.row.id))
}

/// The draft as a learner would meet it: a fresh layout, nothing answered.
fn preview_of(question: &Question) -> QuestionForm {
    let layout = Layout::new(question, true, &mut rand::rng());
    let shown = QuestionView::new(question, &layout).map(|v| Shown::from(&v));
    QuestionForm {
        number: 1,
        slot: 0,
        mark: question.default_mark,
        shown: shown.unwrap_or_else(|_| Shown { text_html: String::new(), field: Field::Description }),
        prefix: "preview_".into(),
        values: Vec::new(),
        checked: None,
        // A draft has no attempt to attach files to.
        files_allowed: 0,
        files: Vec::new(),
    }
}

/// The bank names a question's fields `question.name`…; the form's inputs are `name`….
fn on_inputs(mut errors: FormErrors) -> FormErrors {
    for f in &mut errors.fields {
        if let Some(input) = f.field.strip_prefix("question.") {
            f.field = input.to_string();
        }
    }
    errors
}

#[allow(clippy::too_many_arguments)]
async fn render(
    state: &AppState,
    s: SignedIn,
    target: &Target,
    draft: Draft,
    category: String,
    preview: Option<QuestionForm>,
    errors: FormErrors,
    reply: Reply,
) -> AppResult<Response> {
    let (course, question_id, question_name, action, back_url) = match target {
        Target::New { course_id } => {
            let mut conn = state.db.pool().acquire().await?;
            let course = service::bank_course(&mut conn, &s.viewer, course_id).await?;
            let action = format!("{}/new/{}", bank_url(course_id.as_str()), draft.kind_name);
            (course, None, String::new(), action, bank_url(course_id.as_str()))
        }
        Target::Stored { id, name } => {
            let (course, _) = questions::with_course(state, &s.viewer, id).await?;
            let url = question_url(id.as_str());
            (course, Some(id.as_str().to_string()), name.clone(), format!("{url}/edit"), url)
        }
    };
    let categories = categories::list(state, &s.viewer, &CourseId::from(&course.id)).await?;
    reply.render(&EditorPage {
        page: s.page,
        course,
        question_id,
        question_name,
        action,
        back_url,
        draft,
        categories,
        category,
        preview,
        errors,
    })
}

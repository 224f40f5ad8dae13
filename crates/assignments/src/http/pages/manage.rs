//! The staff's assignment page (`/teach/assignments/{id}`): its settings,
//! the files attached to its instructions, the learners' extensions and
//! the release of grades; and the outline
//! editor's "add an assignment" (`/teach/modules/{id}/assignments`).

use askama::Template;
use axum::{
    extract::{Path, State},
    response::{IntoResponse, Redirect, Response},
};
use lyceum_courses::model::Course;
use lyceum_platform::{
    AppError, AppResult, AppState, FieldError, Text,
    http::extract::PageForm,
    ids::{LessonId, ModuleId, UserId},
    web::{
        FlashKind, FormErrors, Page, Refused, Reply,
        guard::SignedIn,
        redirect_with_flash,
        typed::{Typed, enum_name, local_input, parse_enum},
    },
};
use serde::Deserialize;

use super::back;
use crate::{
    model::{AssignmentId, Completion, FileKind, GradingMethod, PenaltyUnit, Release, Resubmit, Settings},
    service::{
        Assignment,
        assignments::{self, Extension},
        definitions, grading,
        guides::Guide,
        rubrics::Rubric,
        scales::Scale,
    },
};

pub(crate) fn manage_url(id: &str) -> String {
    format!("/teach/assignments/{id}")
}

/// `/teach/lessons/{id}/assignment`: the outline editor's link to an assignment lesson's settings.
pub async fn of_lesson(State(state): State<AppState>, s: SignedIn, Path(id): Path<LessonId>) -> AppResult<Response> {
    let id = assignments::of_lesson_for_staff(&state, &s.viewer, &id).await?;
    Ok(Redirect::to(&manage_url(id.as_str())).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewForm {
    title: String,
}

/// Adds an assignment (default settings) at the end of a module.
pub async fn create(
    State(state): State<AppState>,
    s: SignedIn,
    Path(module_id): Path<ModuleId>,
    PageForm(form): PageForm<NewForm>,
) -> AppResult<Response> {
    let a = assignments::create(&state, &s.viewer, &module_id, form.title.trim(), "", Settings::default())
        .await
        .map_err(AppError::from)?;
    Ok(redirect_with_flash(&manage_url(&a.id), FlashKind::Success, "assignments.flash.created"))
}

#[derive(Template)]
#[template(path = "assignments/manage.html")]
struct ManagePage {
    page: Page,
    course: Course,
    assignment: Assignment,
    form: SettingsForm,
    errors: FormErrors,
    extensions: Vec<Extension>,
    rubrics: Vec<Rubric>,
    guides: Vec<Guide>,
    scales: Vec<Scale>,
    submitted: i64,
    graded: i64,
    /// The files of the instructions.
    attachments: Vec<crate::repo::attachments::AttachmentRow>,
}

impl ManagePage {
    fn is(&self, field: &str, value: &str) -> bool {
        let current = match field {
            "resubmit" => &self.form.resubmit,
            "release" => &self.form.release,
            "completion" => &self.form.completion,
            "late_penalty_unit" => &self.form.late_penalty_unit,
            "grading" => &self.form.grading,
            "submitting" => &self.form.submitting,
            _ => "",
        };
        current == value
    }
    /// The grading select names this rubric, guide or scale.
    fn grading_is(&self, kind: &str, id: &str) -> bool {
        self.form.grading.split_once(':') == Some((kind, id))
    }

    /// The settings form's kind checkboxes: (field name, checked, extensions).
    fn kinds(&self) -> Vec<(&'static str, bool, String)> {
        FileKind::ALL
            .into_iter()
            .map(|k| (k.name(), self.form.kind_field(k).is_some(), k.extensions().join(", ")))
            .collect()
    }
    fn awaiting_release(&self) -> bool {
        self.assignment.settings.release == Release::Manual && self.assignment.released_at.is_none()
    }
}

/// The settings form's fields as typed, so a refused form shows them again.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct SettingsForm {
    due_at: String,
    cut_off_at: String,
    online_text: Option<String>,
    max_files: String,
    max_points: String,
    pass_points: String,
    late_penalty_percent: String,
    late_penalty_unit: String,
    late_penalty_cap: String,
    require_statement: Option<String>,
    blind_marking: Option<String>,
    resubmit: String,
    release: String,
    completion: String,
    /// `points`, or `rubric:{id}`, `guide:{id}`, `scale:{id}`: one select for method and definition.
    grading: String,
    opens_at: String,
    kind_document: Option<String>,
    kind_pdf: Option<String>,
    kind_image: Option<String>,
    kind_text: Option<String>,
    /// The room all files of a submission share, in MB; blank or 0: no such limit.
    max_total_mb: String,
    /// `drafts` (learners submit a draft) or `direct` (saving is submitting).
    submitting: String,
    max_tries: String,
}

/// The grading select's value for the settings.
fn grading_choice(s: &Settings) -> String {
    match s.grading() {
        (method, Some(id)) => format!("{}:{id}", method.kind().unwrap_or_default()),
        (_, None) => "points".to_string(),
    }
}

/// The method and definition the grading select names (points when it names nothing known).
fn grading_of(choice: &str) -> (GradingMethod, Option<String>) {
    let (kind, id) = choice.split_once(':').unwrap_or_default();
    let method = match kind {
        "rubric" => GradingMethod::Rubric,
        "guide" => GradingMethod::Guide,
        "scale" => GradingMethod::Scale,
        _ => return (GradingMethod::Points, None),
    };
    (method, Some(id.trim().to_string()).filter(|id| !id.is_empty()))
}

const MB: f64 = 1024.0 * 1024.0;

impl SettingsForm {
    fn kind_field(&self, kind: FileKind) -> &Option<String> {
        match kind {
            FileKind::Document => &self.kind_document,
            FileKind::Pdf => &self.kind_pdf,
            FileKind::Image => &self.kind_image,
            FileKind::Text => &self.kind_text,
        }
    }

    fn accepted_kinds(&self) -> Vec<FileKind> {
        FileKind::ALL.into_iter().filter(|k| self.kind_field(*k).is_some()).collect()
    }
}

/// A decimal as typed ("7,5" too); blank is None.
fn decimal(field: &str, raw: &str, errors: &mut Vec<FieldError>) -> Option<f64> {
    let raw = raw.trim().replace(',', ".");
    if raw.is_empty() {
        return None;
    }
    let n = raw.parse::<f64>().ok().filter(|n| n.is_finite());
    if n.is_none() {
        errors.push(FieldError::new(field, Text::new("errors.bad_number")));
    }
    n
}

impl SettingsForm {
    fn of(s: &Settings, page: &Page) -> Self {
        Self {
            due_at: local_input(page, s.due_at),
            cut_off_at: local_input(page, s.cut_off_at),
            online_text: s.online_text.then(|| "on".into()),
            max_files: s.max_files.to_string(),
            max_points: s.max_points.to_string(),
            pass_points: s.pass_points.map(|p| p.to_string()).unwrap_or_default(),
            late_penalty_percent: s.late_penalty_percent.to_string(),
            late_penalty_unit: enum_name(&s.late_penalty_unit),
            late_penalty_cap: s.late_penalty_cap.to_string(),
            require_statement: s.require_statement.then(|| "on".into()),
            blind_marking: s.blind_marking.then(|| "on".into()),
            resubmit: enum_name(&s.resubmit),
            release: enum_name(&s.release),
            completion: enum_name(&s.completion),
            grading: grading_choice(s),
            opens_at: local_input(page, s.opens_at),
            kind_document: s.accepts(FileKind::Document).then(|| "on".into()),
            kind_pdf: s.accepts(FileKind::Pdf).then(|| "on".into()),
            kind_image: s.accepts(FileKind::Image).then(|| "on".into()),
            kind_text: s.accepts(FileKind::Text).then(|| "on".into()),
            max_total_mb: match s.max_total_bytes {
                0 => String::new(),
                bytes => format!("{}", (bytes as f64 / MB * 100.0).round() / 100.0),
            },
            submitting: if s.drafts { "drafts" } else { "direct" }.into(),
            max_tries: s.max_tries.to_string(),
        }
    }

    /// The settings, or the fields that cannot be read (a date, a number).
    fn settings(&self, page: &Page) -> Result<Settings, Vec<FieldError>> {
        let mut typed = Typed::new(page);
        let due_at = typed.local_time("settings.due_at", &self.due_at);
        let cut_off_at = typed.local_time("settings.cut_off_at", &self.cut_off_at);
        let opens_at = typed.local_time("settings.opens_at", &self.opens_at);
        let max_files = typed.whole("settings.max_files", &self.max_files).unwrap_or(0);
        let max_tries = match self.max_tries.trim() {
            "" => Some(1),
            raw => typed.whole("settings.max_tries", raw),
        };
        let mut errors = typed.errors;
        let max_points = decimal("settings.max_points", &self.max_points, &mut errors).unwrap_or(0.0);
        let pass_points = decimal("settings.pass_points", &self.pass_points, &mut errors);
        let percent = decimal("settings.late_penalty_percent", &self.late_penalty_percent, &mut errors);
        let cap = decimal("settings.late_penalty_cap", &self.late_penalty_cap, &mut errors);
        let total_mb = decimal("settings.max_total_bytes", &self.max_total_mb, &mut errors).unwrap_or(0.0);
        if total_mb < 0.0 {
            errors.push(FieldError::new("settings.max_total_bytes", Text::new("errors.bad_number")));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let (grading_method, grading_id) = grading_of(&self.grading);
        Ok(Settings {
            due_at,
            cut_off_at,
            online_text: self.online_text.is_some(),
            max_files: u8::try_from(max_files.clamp(0, 255)).unwrap_or(u8::MAX),
            max_points,
            pass_points,
            late_penalty_percent: percent.unwrap_or(0.0),
            late_penalty_unit: parse_enum::<PenaltyUnit>(&self.late_penalty_unit),
            late_penalty_cap: cap.unwrap_or(100.0),
            require_statement: self.require_statement.is_some(),
            blind_marking: self.blind_marking.is_some(),
            resubmit: parse_enum::<Resubmit>(&self.resubmit),
            release: parse_enum::<Release>(&self.release),
            completion: parse_enum::<Completion>(&self.completion),
            rubric_id: None,
            grading_method: Some(grading_method),
            grading_id,
            opens_at,
            accepted_kinds: self.accepted_kinds(),
            max_total_bytes: (total_mb.max(0.0) * MB).round() as u64,
            drafts: self.submitting != "direct",
            max_tries: u8::try_from(max_tries.unwrap_or(1).clamp(0, 255)).unwrap_or(u8::MAX),
        })
    }
}

async fn render(
    state: &AppState,
    s: SignedIn,
    id: &AssignmentId,
    form: Option<SettingsForm>,
    errors: FormErrors,
    reply: Reply,
) -> AppResult<Response> {
    let (course, assignment, (submitted, graded)) = grading::overview(state, &s.viewer, id).await?;
    let extensions = assignments::extensions(state, &s.viewer, id).await?;
    let course_id = lyceum_platform::ids::CourseId::from(&course.id);
    let (_, rubrics) = definitions::list::<Rubric>(state, &s.viewer, &course_id).await?;
    let (_, guides) = definitions::list::<Guide>(state, &s.viewer, &course_id).await?;
    let (_, scales) = definitions::list::<Scale>(state, &s.viewer, &course_id).await?;
    let attachments = crate::service::attachments::list(state, &s.viewer, id).await?;
    let form = form.unwrap_or_else(|| SettingsForm::of(&assignment.settings, &s.page));
    let page = ManagePage {
        page: s.page,
        course,
        assignment,
        form,
        errors,
        extensions,
        rubrics,
        guides,
        scales,
        submitted,
        graded,
        attachments,
    };
    reply.render(&page)
}

pub async fn show(State(state): State<AppState>, s: SignedIn, Path(id): Path<AssignmentId>) -> AppResult<Response> {
    render(&state, s, &id, None, FormErrors::none(), Reply::OK).await
}

pub async fn save_settings(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<AssignmentId>,
    PageForm(form): PageForm<SettingsForm>,
) -> AppResult<Response> {
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
    match assignments::update(&state, &s.viewer, &id, settings).await {
        Ok(_) => {
            Ok(redirect_with_flash(&manage_url(id.as_str()), FlashKind::Success, "assignments.flash.saved_settings"))
        }
        Err(e) => {
            let Refused { errors, reply, .. } = Refused::from_error(e.into(), s.page.locale)?;
            render(&state, s, &id, Some(form), errors, reply).await
        }
    }
}

/// "Release grades".
pub async fn release(State(state): State<AppState>, s: SignedIn, Path(id): Path<AssignmentId>) -> AppResult<Response> {
    assignments::release(&state, &s.viewer, &id).await?;
    Ok(redirect_with_flash(&manage_url(id.as_str()), FlashKind::Success, "assignments.flash.released"))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ExtensionForm {
    /// The learner's e-mail, as the staff know them.
    email: String,
    due_at: String,
}

/// Grants an extension to the learner with this e-mail.
pub async fn extend(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<AssignmentId>,
    PageForm(form): PageForm<ExtensionForm>,
) -> AppResult<Response> {
    let to = format!("{}#extensions", manage_url(id.as_str()));
    let mut typed = Typed::new(&s.page);
    let Some(due) = typed.local_time("due_at", &form.due_at) else {
        return Ok(redirect_with_flash(&to, FlashKind::Error, "assignments.errors.extension_date"));
    };
    let Some(user_id) = grading::learner_by_email(&state, &s.viewer, &id, &form.email).await? else {
        return Ok(redirect_with_flash(&to, FlashKind::Error, "assignments.errors.not_a_learner"));
    };
    back(&to, assignments::set_extension(&state, &s.viewer, &id, &user_id, due).await, "assignments.flash.extended")
}

/// Removes a learner's extension.
pub async fn unextend(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, user_id)): Path<(AssignmentId, String)>,
) -> AppResult<Response> {
    assignments::delete_extension(&state, &s.viewer, &id, &UserId::from(user_id.as_str())).await?;
    let to = format!("{}#extensions", manage_url(id.as_str()));
    Ok(redirect_with_flash(&to, FlashKind::Success, "assignments.flash.unextended"))
}

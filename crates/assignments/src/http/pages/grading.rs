//! The staff's grading pages: the submissions queue
//! (`/teach/assignments/{id}/submissions`, filtered by state) and one
//! submission beside its marking form (`/teach/assignment-submissions/{id}`),
//! with "save and next".

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    response::Response,
};
use lyceum_platform::{
    AppError, AppResult, AppState, FieldError, Text,
    http::extract::PageForm,
    markdown,
    web::{FlashKind, FormErrors, Page, Refused, Reply, guard::SignedIn, redirect_with_flash},
};
use serde::Deserialize;

use crate::{
    guide,
    model::{AssignmentId, SubmissionId},
    repo::{files::FileRow, submissions::Filter},
    service::{
        Assignment, Role,
        grading::{self, GradeInput, Line, Marks, SubmissionView},
        submissions::file_url,
    },
};

fn grade_url(id: &str) -> String {
    format!("/teach/assignment-submissions/{id}")
}

#[derive(Template)]
#[template(path = "assignments/submissions.html")]
struct QueuePage {
    page: Page,
    assignment: Assignment,
    lines: Vec<Line>,
    filter: &'static str,
}

impl QueuePage {
    fn filters(&self) -> [&'static str; 5] {
        ["all", "ungraded", "late", "graded", "draft"]
    }
    fn current(&self, f: &str) -> bool {
        f == self.filter
    }
    fn status(&self, line: &Line) -> &'static str {
        match (&line.row, line.row.submitted()) {
            (_, false) => "draft",
            (row, true) if row.graded() => "graded",
            _ => "submitted",
        }
    }
    fn grade(&self, line: &Line) -> String {
        line.row.grade.map(|g| format!("{g} / {}", self.assignment.settings.max_points)).unwrap_or_default()
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct QueueQuery {
    state: String,
}

pub async fn queue(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<AssignmentId>,
    Query(q): Query<QueueQuery>,
) -> AppResult<Response> {
    let filter = Filter::parse(&q.state).unwrap_or_default();
    let (assignment, lines) = grading::queue(&state, &s.viewer, &id, filter).await?;
    Reply::OK.render(&QueuePage { page: s.page, assignment, lines, filter: filter.name() })
}

#[derive(Template)]
#[template(path = "assignments/grade.html")]
struct GradePage {
    page: Page,
    view: SubmissionView,
    text_html: String,
    form: GradeForm,
    errors: FormErrors,
    /// Past tries (tries after each grade), latest first.
    tries: Vec<super::tries::TryView>,
}

impl GradePage {
    fn url(&self, file: &FileRow) -> String {
        file_url(file)
    }
    fn feedback_max(&self) -> usize {
        usize::from(crate::service::feedback_files::FEEDBACK_FILES_MAX)
    }
    fn feedback_url(&self, file: &FileRow) -> String {
        crate::service::feedback_files::file_url(file)
    }
    fn late(&self) -> String {
        let hours = self.view.line.row.late_ms / 3_600_000;
        match (hours / 24, hours % 24) {
            (0, h) => format!("{h} h"),
            (d, h) => format!("{d} d {h} h"),
        }
    }
    fn penalty(&self) -> f64 {
        self.view.assignment.settings.penalty_percent(self.view.line.row.late_ms)
    }
    fn chosen(&self, criterion: &usize, level: &usize) -> bool {
        self.form.level(*criterion) == Some(*level)
    }
    /// The marking guide's points and comment for criterion `i`, as typed.
    fn guide_points(&self, i: &usize) -> &str {
        self.form.guide.get(*i).map_or("", |(points, _)| points.as_str())
    }
    fn guide_comment(&self, i: &usize) -> &str {
        self.form.guide.get(*i).map_or("", |(_, comment)| comment.as_str())
    }
    /// The refusal of criterion `i`'s `part` (`points` or `comment`).
    fn guide_error(&self, i: &usize, part: &str) -> Option<&str> {
        self.errors.for_field(&format!("guide.{i}.{part}"))
    }
    fn scale_chosen(&self, level: &usize) -> bool {
        self.form.scale == Some(*level)
    }
}

/// The marking form as typed: points, or with a rubric a level per
/// criterion (`level.0`, `level.1`… holding the level's index), with a
/// marking guide points and a comment per criterion (`guide.0.points`,
/// `guide.0.comment`…), with a scale the level (`scale`).
#[derive(Default, Clone)]
pub struct GradeForm {
    points: String,
    feedback: String,
    /// "next": go on to the next submission waiting.
    then: String,
    levels: Vec<Option<usize>>,
    guide: Vec<(String, String)>,
    scale: Option<usize>,
}

/// The index in a field named `{prefix}{i}{rest}` (below 100), and the rest.
fn indexed<'a>(key: &'a str, prefix: &str) -> Option<(usize, &'a str)> {
    let rest = key.strip_prefix(prefix)?;
    let (i, rest) = rest.split_once('.').unwrap_or((rest, ""));
    i.parse::<usize>().ok().filter(|i| *i < 100).map(|i| (i, rest))
}

impl GradeForm {
    fn read(fields: &[(String, String)]) -> Self {
        let one = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
        let mut levels = Vec::new();
        let mut guide: Vec<(String, String)> = Vec::new();
        for (key, value) in fields {
            if let Some((i, "")) = indexed(key, "level.") {
                if levels.len() <= i {
                    levels.resize(i + 1, None);
                }
                levels[i] = value.parse::<usize>().ok();
            } else if let Some((i, part @ ("points" | "comment"))) = indexed(key, "guide.") {
                if guide.len() <= i {
                    guide.resize(i + 1, Default::default());
                }
                let slot = if part == "points" { &mut guide[i].0 } else { &mut guide[i].1 };
                *slot = value.clone();
            }
        }
        let scale = one("scale").parse::<usize>().ok();
        Self { points: one("points"), feedback: one("feedback"), then: one("then"), levels, guide, scale }
    }

    /// The guide's marks as typed; points that are not a number are refused by the service.
    fn guide_marks(&self) -> Option<Vec<guide::Mark>> {
        let read = |raw: &str| raw.trim().replace(',', ".").parse::<f64>().unwrap_or(f64::NAN);
        let marks = self.guide.iter().map(|(p, c)| guide::Mark { points: read(p), comment: c.trim().to_string() });
        (!self.guide.is_empty()).then(|| marks.collect())
    }

    /// The level chosen for criterion `i`.
    fn level(&self, i: usize) -> Option<usize> {
        self.levels.get(i).copied().flatten()
    }
}

async fn render_grade(
    state: &AppState,
    s: SignedIn,
    id: &SubmissionId,
    form: Option<GradeForm>,
    errors: FormErrors,
    reply: Reply,
) -> AppResult<Response> {
    let view = grading::submission(state, &s.viewer, id).await?;
    if view.role != Role::Staff {
        return Err(AppError::not_found());
    }
    let row = &view.line.row;
    let form = form.unwrap_or_else(|| GradeForm {
        points: row.points.map(|p| p.to_string()).unwrap_or_default(),
        feedback: row.feedback_md.clone(),
        then: String::new(),
        levels: row.rubric_choices().unwrap_or_default().into_iter().map(Some).collect(),
        guide: match Marks::of(&view.assignment.settings, row) {
            Marks::Guide(marks) => marks.into_iter().map(|m| (m.points.to_string(), m.comment)).collect(),
            _ => Vec::new(),
        },
        scale: match Marks::of(&view.assignment.settings, row) {
            Marks::Scale(level) => Some(level),
            _ => None,
        },
    });
    let text_html = markdown::render(&row.text_md);
    let past = crate::service::tries::history(state, &s.viewer, id).await?;
    let tries = super::tries::views(&past, view.assignment.settings.max_points);
    reply.render(&GradePage { page: s.page, view, text_html, form, errors, tries })
}

pub async fn show(State(state): State<AppState>, s: SignedIn, Path(id): Path<SubmissionId>) -> AppResult<Response> {
    render_grade(&state, s, &id, None, FormErrors::none(), Reply::OK).await
}

pub async fn save(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<SubmissionId>,
    PageForm(fields): PageForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let form = GradeForm::read(&fields);
    let rubric = if form.levels.is_empty() {
        None
    } else {
        Some(form.levels.iter().map(|l| l.unwrap_or(usize::MAX)).collect::<Vec<_>>())
    };
    let guide = form.guide_marks();
    let typed = form.points.trim().replace(',', ".").parse::<f64>().ok().filter(|p| p.is_finite());
    let marked = rubric.is_some() || guide.is_some() || form.scale.is_some();
    let Some(points) = typed.or(marked.then_some(0.0)) else {
        let message = Text::new("errors.bad_number");
        let errors =
            FormErrors { general: None, fields: vec![FieldError::new("points", message.in_lang(s.page.locale))] };
        return render_grade(&state, s, &id, Some(form), errors, Reply::status(http::StatusCode::UNPROCESSABLE_ENTITY))
            .await;
    };
    let input = GradeInput { points, rubric, guide, scale: form.scale, feedback_md: form.feedback.clone() };
    match grading::grade(&state, &s.viewer, &id, &input).await {
        Ok(row) => {
            let view = grading::submission(&state, &s.viewer, &id).await?;
            let to = match (form.then.as_str(), &view.next) {
                ("next", Some(next)) => grade_url(next),
                ("next", None) => format!("/teach/assignments/{}/submissions", row.assignment_id),
                _ => grade_url(id.as_str()),
            };
            Ok(redirect_with_flash(&to, FlashKind::Success, "assignments.flash.graded"))
        }
        Err(e) => {
            let Refused { errors, reply, .. } = Refused::from_error(e.into(), s.page.locale)?;
            render_grade(&state, s, &id, Some(form), errors, reply).await
        }
    }
}

/// "Download all (zip)": a page's download, for people (the API documents
/// no binary answers; its clients read the submissions one by one).
pub async fn zip(State(state): State<AppState>, s: SignedIn, Path(id): Path<AssignmentId>) -> AppResult<Response> {
    crate::http::zip_response(&state, &s.viewer, &id).await
}

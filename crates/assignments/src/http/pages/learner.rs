//! The learner's assignment page (`/assignments/{id}`): the instructions,
//! the files attached to them, their dates and the time left, their draft (text and files), the submit
//! with its statement, and their grade and feedback once released. Staff
//! opening it see the instructions and a link to manage it.

use askama::Template;
use axum::{
    extract::{Path, State},
    response::{IntoResponse, Redirect, Response},
};
use lyceum_platform::{
    AppResult, AppState,
    http::extract::PageForm,
    ids::LessonId,
    markdown,
    web::{Page, Reply, guard::SignedIn},
};
use serde::Deserialize;

use super::back;
use crate::{
    model::AssignmentId,
    repo::files::FileRow,
    service::{
        Role, assignments, feedback,
        submissions::{self, Mine, file_url},
    },
};

pub(crate) fn page_url(id: &str) -> String {
    format!("/assignments/{id}")
}

/// `/lessons/{id}/assignment`: the lesson page's link to its assignment.
pub async fn of_lesson(State(state): State<AppState>, s: SignedIn, Path(id): Path<LessonId>) -> AppResult<Response> {
    let assignment = assignments::of_lesson(&state, &s.viewer, &id).await?;
    Ok(Redirect::to(&page_url(assignment.as_str())).into_response())
}

#[derive(Template)]
#[template(path = "assignments/assignment.html")]
struct AssignmentPage {
    page: Page,
    mine: Mine,
    instructions_html: String,
    text_html: String,
    feedback_html: String,
    /// What the grading method adds to a released grade (guide, scale).
    released: Option<feedback::Released>,
    tries: Vec<super::tries::TryView>,
    /// The files of the instructions.
    attachments: Vec<crate::repo::attachments::AttachmentRow>,
}

impl AssignmentPage {
    fn is_staff(&self) -> bool {
        self.mine.role == Role::Staff
    }
    fn text(&self) -> &str {
        self.mine.submission.as_ref().map_or("", |s| s.text_md.as_str())
    }
    fn submitted(&self) -> bool {
        self.mine.submission.as_ref().is_some_and(|s| s.submitted())
    }
    fn room_for_files(&self) -> bool {
        self.mine.files.len() < usize::from(self.mine.assignment.settings.max_files)
    }
    /// The upload's `accept` hint to the browser: the accepted extensions.
    fn accept_attr(&self) -> String {
        let kinds = &self.mine.assignment.settings.accepted_kinds;
        kinds.iter().flat_map(|k| k.extensions()).map(|e| format!(".{e}")).collect::<Vec<_>>().join(",")
    }
    fn accepted_list(&self) -> String {
        crate::error::extensions(&self.mine.assignment.settings.accepted_kinds)
    }
    /// Bytes left for more files, when the assignment limits their total.
    fn room_left(&self) -> Option<i64> {
        let used: i64 = self.mine.files.iter().map(|f| f.size).sum();
        let left = self.mine.assignment.settings.room_left(u64::try_from(used).unwrap_or(0))?;
        Some(i64::try_from(left).unwrap_or(i64::MAX))
    }
    fn files(&self) -> &[FileRow] {
        &self.mine.files
    }
    fn url(&self, file: &FileRow) -> String {
        file_url(file)
    }
    /// "3 days 4 h left", "2 h 05 min left", or "overdue by …".
    fn time_left(&self) -> String {
        let Some(left) = self.mine.time_left() else { return String::new() };
        let minutes = (left.abs() + 59_999) / 60_000;
        let span = match (minutes / (24 * 60), minutes / 60 % 24, minutes % 60) {
            (0, 0, m) => format!("{m} min"),
            (0, h, m) => format!("{h} h {m:02} min"),
            (d, h, _) => format!("{d} {} {h} h", self.page.t("assignments.page.days")),
        };
        let key = if left >= 0 { "assignments.page.left" } else { "assignments.page.overdue" };
        self.page.t(key).replace("{span}", &span)
    }
    fn grade_line(&self) -> String {
        let Some(s) = self.mine.visible_grade() else { return String::new() };
        if let Some(level) = self.released.as_ref().and_then(|r| r.scale_level.clone()) {
            return level;
        }
        format!("{} / {}", s.grade.unwrap_or_default(), self.mine.assignment.settings.max_points)
    }
    /// The level the grader chose for criterion `i` of the rubric, as "Clear (5)".
    fn level_of(&self, i: &usize) -> String {
        let i = *i;
        let (Some(rubric), Some(s)) = (&self.mine.rubric, self.mine.visible_grade()) else { return String::new() };
        let chosen = s.rubric_choices().and_then(|c| c.get(i).copied());
        let level = chosen.and_then(|l| rubric.criteria.get(i)?.levels.get(l));
        level.map(|l| format!("{} ({})", l.label, l.points)).unwrap_or_else(|| "–".to_string())
    }
    fn penalty(&self) -> String {
        let Some(s) = self.mine.visible_grade() else { return String::new() };
        match (s.points, s.grade) {
            (Some(points), Some(grade)) if points > grade => format!("{points} − {:.2}", points - grade),
            _ => String::new(),
        }
    }
}

pub async fn show(State(state): State<AppState>, s: SignedIn, Path(id): Path<AssignmentId>) -> AppResult<Response> {
    let mine = submissions::mine(&state, &s.viewer, &id).await?;
    let instructions_html = markdown::render(&mine.assignment.instructions_md);
    let text_html = markdown::render(mine.submission.as_ref().map_or("", |s| s.text_md.as_str()));
    let feedback_html = markdown::render(mine.visible_grade().map_or("", |s| s.feedback_md.as_str()));
    let released = feedback::released(&state, &mine).await?;
    let tries = super::tries::views(&mine.tries, mine.assignment.settings.max_points);
    let attachments = crate::service::attachments::list(&state, &s.viewer, &id).await?;
    let page = AssignmentPage {
        page: s.page,
        mine,
        instructions_html,
        text_html,
        feedback_html,
        released,
        tries,
        attachments,
    };
    Reply::OK.render(&page)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DraftForm {
    text: String,
    statement: Option<String>,
}

/// "Save draft" — with direct submission, "Save", which hands the work in.
pub async fn save(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<AssignmentId>,
    PageForm(form): PageForm<DraftForm>,
) -> AppResult<Response> {
    let saved = submissions::save_text(&state, &s.viewer, &id, &form.text, form.statement.is_some()).await;
    let success = match &saved {
        Ok(row) if row.submitted() => "assignments.flash.saved_submitted",
        _ => "assignments.flash.saved",
    };
    back(&page_url(id.as_str()), saved.map(|_| ()), success)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SubmitForm {
    /// The text as typed, when the assignment takes text: saved first.
    text: Option<String>,
    statement: Option<String>,
}

/// "Submit" (the draft form's second button): saves the text as typed, then
/// submits, with the statement checkbox when asked for.
pub async fn submit(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<AssignmentId>,
    PageForm(form): PageForm<SubmitForm>,
) -> AppResult<Response> {
    let saved = match &form.text {
        Some(text) => submissions::save_text(&state, &s.viewer, &id, text, form.statement.is_some()).await.map(|_| ()),
        None => Ok(()),
    };
    let done = match saved {
        Ok(()) => submissions::submit(&state, &s.viewer, &id, form.statement.is_some()).await.map(|_| ()),
        Err(e) => Err(e),
    };
    back(&page_url(id.as_str()), done, "assignments.flash.submitted")
}

/// "Start a new try" (tries after each grade).
pub async fn new_try(State(state): State<AppState>, s: SignedIn, Path(id): Path<AssignmentId>) -> AppResult<Response> {
    let done = crate::service::tries::start(&state, &s.viewer, &id).await.map(|_| ());
    back(&page_url(id.as_str()), done, "assignments.flash.new_try")
}

/// "Edit my submission" (back to a draft, when allowed).
pub async fn reopen(State(state): State<AppState>, s: SignedIn, Path(id): Path<AssignmentId>) -> AppResult<Response> {
    let done = submissions::reopen(&state, &s.viewer, &id).await.map(|_| ());
    back(&page_url(id.as_str()), done, "assignments.flash.reopened")
}

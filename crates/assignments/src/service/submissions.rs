//! The learner's side: their submission to an assignment — a draft of text
//! and files, saved as often as they like, then submitted (with the "own
//! work" statement when asked for) — with their own dates, and their grade
//! and feedback once visible. Every change to a draft is fenced on it still
//! being a draft, so a change racing the submit lands before it or is refused.

use axum::body::Bytes;
use futures::Stream;
use lyceum_platform::{AppError, AppState, auth::Viewer, db, events};
use sqlx::AnyConnection;

use super::{
    Assignment, Role,
    direct::{self, Statement},
    files::{self, Incoming, Interrupted, Stored},
    visible,
};
use crate::{
    AssignmentError, NewTryRefusal,
    events::SubmissionSubmitted,
    model::{AssignmentId, Completion, Dates, Resubmit, Settings, SubmissionId},
    repo::{
        self,
        files::FileRow,
        submissions::{Fence, SubmissionRow},
    },
    settings::AssignmentUploads,
};

/// Where a submission's file is downloaded.
pub fn file_url(file: &FileRow) -> String {
    format!("/assignment-submissions/{}/files/{}", file.submission_id, file.id)
}

/// The longest text a submission takes (characters).
pub const TEXT_MAX: usize = 100_000;

/// What the learner's page and `GET …/submission` show.
#[derive(Debug, Clone)]
pub struct Mine {
    pub assignment: Assignment,
    pub role: Role,
    pub submission: Option<SubmissionRow>,
    pub files: Vec<FileRow>,
    /// The learner's dates (an extension moves them).
    pub dates: Dates,
    /// The server's clock when read.
    pub now: i64,
    /// The rubric the assignment grades with, shown beside a released grade.
    pub rubric: Option<super::rubrics::Rubric>,
    /// The learner's past tries (tries after each grade), first first.
    pub tries: Vec<super::tries::PastTry>,
}

impl Mine {
    /// `not_started`, `draft`, `submitted` or `graded` (graded only once the learner may see it).
    pub fn status(&self) -> &'static str {
        match &self.submission {
            None => "not_started",
            Some(s) if !s.submitted() => "draft",
            Some(s) if s.graded() && self.assignment.grades_visible() => "graded",
            Some(_) => "submitted",
        }
    }

    /// Work is accepted: the opening date (if any) has come.
    pub fn opened(&self) -> bool {
        self.assignment.settings.opened(self.now)
    }

    /// Saving is submitting (the assignment keeps no drafts).
    pub fn direct(&self) -> bool {
        !self.assignment.settings.drafts
    }

    /// The "own work" statement is asked for on the next save or submit:
    /// at every submit, or (direct submission) once per try.
    pub fn statement_asked(&self) -> bool {
        self.assignment.settings.require_statement
            && (!self.direct() || self.submission.as_ref().is_none_or(|s| s.statement_at.is_none()))
    }

    /// The learner may still change their work: a draft (or nothing yet) —
    /// with direct submission, work not graded yet — between the opening
    /// date and the cut-off.
    pub fn editable(&self) -> bool {
        self.role == Role::Learner
            && self.submission.as_ref().is_none_or(|s| !locked(&self.assignment.settings, s))
            && self.opened()
            && !self.dates.closed(self.now)
    }

    /// The learner may take a submitted, ungraded submission back to a draft.
    pub fn reopenable(&self) -> bool {
        self.role == Role::Learner
            && self.assignment.settings.resubmit == Resubmit::UntilGraded
            && !self.direct()
            && self.submission.as_ref().is_some_and(|s| s.submitted() && !s.graded())
            && self.opened()
            && !self.dates.closed(self.now)
    }

    /// The number of the learner's current try (1 without tries after a grade).
    pub fn try_number(&self) -> usize {
        self.tries.len() + 1
    }

    /// Why the learner may not start a new try now; none: they may.
    pub fn new_try_refusal(&self) -> Option<NewTryRefusal> {
        let settings = &self.assignment.settings;
        if settings.resubmit != Resubmit::AfterGrade {
            return Some(NewTryRefusal::NotAllowed);
        }
        if self.visible_grade().is_none_or(|s| !s.submitted()) {
            return Some(NewTryRefusal::NotGraded);
        }
        if self.try_number() >= usize::from(settings.max_tries) {
            return Some(NewTryRefusal::NoneLeft { max: settings.max_tries });
        }
        None
    }

    /// The page's "Start a new try" button.
    pub fn can_start_new_try(&self) -> bool {
        self.role == Role::Learner && self.new_try_refusal().is_none() && self.opened() && !self.dates.closed(self.now)
    }

    /// The grade and feedback, when the learner may see them.
    pub fn visible_grade(&self) -> Option<&SubmissionRow> {
        self.submission.as_ref().filter(|s| s.graded() && self.assignment.grades_visible())
    }

    /// Milliseconds to the learner's due date (negative: overdue); none without one.
    pub fn time_left(&self) -> Option<i64> {
        self.dates.due_at.map(|due| due - self.now)
    }
}

async fn dates_of(conn: &mut AnyConnection, a: &Assignment, user_id: &str) -> Result<Dates, AppError> {
    let extension = repo::assignments::extension(conn, &a.id, user_id).await?;
    Ok(a.settings.dates_for(extension))
}

/// The learner's work can no longer change: submitted — with direct
/// submission, graded.
fn locked(settings: &Settings, row: &SubmissionRow) -> bool {
    if settings.drafts { row.submitted() } else { row.graded() }
}

/// Which rows a learner's change may touch (the same rule as [`locked`], in SQL).
fn fence(settings: &Settings) -> Fence {
    if settings.drafts { Fence::Draft } else { Fence::Ungraded }
}

/// Refuses every change before the opening date and after the learner's cut-off.
pub(crate) fn accepting(a: &Assignment, dates: &Dates, now: i64) -> Result<(), AssignmentError> {
    if let Some(opens_at) = a.settings.opens_at.filter(|_| !a.settings.opened(now)) {
        return Err(AssignmentError::NotOpen { opens_at });
    }
    if dates.closed(now) {
        return Err(AssignmentError::Closed);
    }
    Ok(())
}

/// The viewer's view of an assignment: staff see it without a submission.
pub async fn mine(state: &AppState, viewer: &Viewer, id: &AssignmentId) -> Result<Mine, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    let (assignment, role) = visible(state, &mut conn, viewer, id).await?;
    let dates = dates_of(&mut conn, &assignment, &viewer.user_id).await?;
    let submission = match role {
        Role::Learner => repo::submissions::of_learner(&mut conn, id.as_str(), &viewer.user_id).await?,
        Role::Staff => None,
    };
    let files = match &submission {
        Some(s) => repo::files::of_submission(&mut conn, &s.id).await?,
        None => Vec::new(),
    };
    let rubric = match &assignment.settings.rubric_id {
        Some(id) => super::rubrics::load(&mut conn, id).await?,
        None => None,
    };
    let tries = match &submission {
        Some(s) => super::tries::past(&mut conn, &s.id).await?,
        None => Vec::new(),
    };
    Ok(Mine { assignment, role, submission, files, dates, now: db::now_ms(), rubric, tries })
}

/// The learner's work open to a change, with what the change needs to know.
pub(crate) struct Draft {
    pub assignment: Assignment,
    pub row: SubmissionRow,
    pub dates: Dates,
    pub now: i64,
}

/// The learner's open draft (made on first use), after the checks every change makes.
async fn draft_for(state: &AppState, viewer: &Viewer, id: &AssignmentId) -> Result<Draft, AssignmentError> {
    let mut conn = state.db.pool().acquire().await?;
    let (assignment, role) = visible(state, &mut conn, viewer, id).await?;
    if role != Role::Learner {
        return Err(AssignmentError::StaffDoNotSubmit);
    }
    let now = db::now_ms();
    let dates = dates_of(&mut conn, &assignment, &viewer.user_id).await?;
    accepting(&assignment, &dates, now)?;
    let row = repo::submissions::ensure(&mut conn, &db::new_id(), id.as_str(), &viewer.user_id, now).await?;
    if locked(&assignment.settings, &row) {
        return Err(AssignmentError::Final);
    }
    Ok(Draft { assignment, row, dates, now })
}

/// Saves the draft's text; with direct submission this submits it
/// (`statement`: the learner confirmed it is their own work).
pub async fn save_text(
    state: &AppState,
    viewer: &Viewer,
    id: &AssignmentId,
    text: &str,
    statement: bool,
) -> Result<SubmissionRow, AssignmentError> {
    let draft = draft_for(state, viewer, id).await?;
    let (assignment, row) = (&draft.assignment, &draft.row);
    if !assignment.settings.online_text && !text.trim().is_empty() {
        return Err(AssignmentError::NoText);
    }
    if text.chars().count() > TEXT_MAX {
        return Err(AppError::field("text", lyceum_platform::Text::new("assignments.errors.text_too_long")).into());
    }
    let mut tx = state.db.begin().await?;
    if !repo::submissions::save_text(&mut tx, &row.id, text, fence(&assignment.settings), db::now_ms()).await? {
        return Err(AssignmentError::Final);
    }
    direct::settle(state, &mut tx, &draft, Statement::Given(statement)).await?;
    let row = repo::submissions::by_id(&mut tx, &row.id).await?.ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    Ok(row)
}

/// Adds a file to the draft (up to the assignment's `max_files`), streamed
/// as it arrives (`upload`) to `assignments/<assignment>/<submission>/`.
/// Its size is known only once stored: the room left is checked then, under
/// the draft's fence, and the object deleted when refused.
pub async fn attach<S>(
    state: &AppState,
    viewer: &Viewer,
    id: &AssignmentId,
    name: &str,
    upload: S,
    statement: bool,
) -> Result<FileRow, AssignmentError>
where
    S: Stream<Item = Result<Bytes, Interrupted>> + Unpin + Send,
{
    let draft = draft_for(state, viewer, id).await?;
    let (assignment, row, settings) = (&draft.assignment, &draft.row, &draft.assignment.settings);
    if settings.max_files == 0 {
        return Err(AssignmentError::NoFiles);
    }
    direct::check_statement(&draft, Statement::Given(statement))?;
    let limit = state.settings.section::<AssignmentUploads>().submission_file_max_bytes;
    let incoming = Incoming::open(upload, limit).await?;
    let detected = files::check_for(settings, name, incoming.head(), limit)?;
    let file = Stored::new(&detected, &format!("assignments/{}/{}", assignment.id, row.id), name);
    {
        // Refused early, before the bytes go to storage, on what is known
        // before it streams (its first bytes); checked again under the fence.
        let early = FileRow { size: incoming.head().len() as i64, ..FileRow::of(&file, &row.id) };
        let mut conn = state.db.pool().acquire().await?;
        fits(&mut conn, settings, &early).await?;
    }
    let record = async |stored: &Stored| {
        let file = FileRow::of(stored, &row.id);
        write_file(state, &draft, &file, statement).await.map(|()| file)
    };
    incoming.keep(state, file, record).await
}

/// The file fits the submission: one more file allowed, and room for its bytes.
async fn fits(conn: &mut AnyConnection, settings: &Settings, file: &FileRow) -> Result<(), AssignmentError> {
    let max = settings.max_files;
    let (count, used) = repo::files::count_and_size(conn, &file.submission_id).await?;
    if count >= i64::from(max) {
        return Err(AssignmentError::TooManyFiles { max });
    }
    files::check_room(settings, &file.name, used, file.size)
}

/// The file's row, fenced on the draft (its row's write lock: two uploads
/// racing are counted one after the other) and on the count and room it allows.
async fn write_file(state: &AppState, draft: &Draft, file: &FileRow, statement: bool) -> Result<(), AssignmentError> {
    let settings = &draft.assignment.settings;
    let mut tx = state.db.begin().await?;
    if !repo::submissions::hold(&mut tx, &file.submission_id, fence(settings), db::now_ms()).await? {
        return Err(AssignmentError::Final);
    }
    fits(&mut tx, settings, file).await?;
    repo::files::insert(&mut tx, file).await?;
    direct::settle(state, &mut tx, draft, Statement::Given(statement)).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes a file from the draft.
pub async fn detach(
    state: &AppState,
    viewer: &Viewer,
    id: &AssignmentId,
    file_id: &str,
) -> Result<(), AssignmentError> {
    let draft = draft_for(state, viewer, id).await?;
    let row = &draft.row;
    let mut tx = state.db.begin().await?;
    if !repo::submissions::hold(&mut tx, &row.id, fence(&draft.assignment.settings), db::now_ms()).await? {
        return Err(AssignmentError::Final);
    }
    let key = repo::files::delete(&mut tx, &row.id, file_id).await?.ok_or_else(AppError::not_found)?;
    direct::settle(state, &mut tx, &draft, Statement::NotAsked).await?;
    // A past try may name the same object (the new try's copy shares it): kept then.
    let in_use = repo::tries::key_in_use(&mut tx, &key).await?;
    tx.commit().await?;
    if !in_use {
        state.storage.forget(&[key]).await;
    }
    Ok(())
}

/// Submits the draft: refused after the cut-off, without the statement when
/// one is asked for, or with nothing in it. Late work is recorded with how
/// late it is; `assignment.submitted` goes out in the same transaction.
/// Submitting what was already submitted (a double click) returns it as it is.
pub async fn submit(
    state: &AppState,
    viewer: &Viewer,
    id: &AssignmentId,
    statement: bool,
) -> Result<SubmissionRow, AssignmentError> {
    let mut conn = state.db.pool().acquire().await?;
    let (assignment, role) = visible(state, &mut conn, viewer, id).await?;
    if role != Role::Learner {
        return Err(AssignmentError::StaffDoNotSubmit);
    }
    let existing = repo::submissions::of_learner(&mut conn, id.as_str(), &viewer.user_id).await?;
    if let Some(row) = existing.as_ref().filter(|s| s.submitted()) {
        return Ok(row.clone());
    }
    let now = db::now_ms();
    let dates = dates_of(&mut conn, &assignment, &viewer.user_id).await?;
    accepting(&assignment, &dates, now)?;
    if assignment.settings.require_statement && !statement {
        return Err(AssignmentError::StatementRequired);
    }
    let Some(row) = existing else { return Err(AssignmentError::Empty) };
    let files = repo::files::count(&mut conn, &row.id).await?;
    drop(conn);
    if row.text_md.trim().is_empty() && files == 0 {
        return Err(AssignmentError::Empty);
    }
    let late_ms = dates.late_ms(now);
    let mut tx = state.db.begin().await?;
    if repo::submissions::submit(&mut tx, &row.id, now, late_ms, statement).await? {
        events::publish(state, &mut tx, &submitted_event(&assignment, &row, late_ms)).await?;
    }
    let row = repo::submissions::by_id(&mut tx, &row.id).await?.ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    Ok(row)
}

/// `assignment.submitted` for a submission just handed in.
pub(crate) fn submitted_event(assignment: &Assignment, row: &SubmissionRow, late_ms: i64) -> SubmissionSubmitted {
    SubmissionSubmitted {
        submission_id: row.id.clone(),
        assignment_id: assignment.id.clone(),
        course_id: assignment.course_id.clone(),
        lesson_id: assignment.lesson_id.clone(),
        user_id: row.user_id.clone(),
        assignment_title: assignment.title.clone(),
        late_ms,
        completes_lesson: assignment.settings.completion == Completion::Submitted,
    }
}

/// Takes a submitted, ungraded submission back to a draft, when the
/// assignment allows changes until grading and the cut-off has not passed.
pub async fn reopen(state: &AppState, viewer: &Viewer, id: &AssignmentId) -> Result<SubmissionRow, AssignmentError> {
    let view = mine(state, viewer, id).await?;
    if view.role != Role::Learner {
        return Err(AssignmentError::StaffDoNotSubmit);
    }
    let row = view.submission.clone().ok_or(AssignmentError::NotSubmitted)?;
    if !row.submitted() {
        return Ok(row);
    }
    if !view.reopenable() {
        accepting(&view.assignment, &view.dates, view.now)?;
        return Err(AssignmentError::Final);
    }
    let mut tx = state.db.begin().await?;
    if !repo::submissions::reopen(&mut tx, &row.id, db::now_ms()).await? {
        return Err(AssignmentError::Final);
    }
    let row = repo::submissions::by_id(&mut tx, &row.id).await?.ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    Ok(row)
}

/// A submission for its learner or the course's staff, with its assignment
/// and the viewer's role; 404 to everyone else (another learner, another
/// course's instructor).
pub(crate) async fn visible_submission(
    state: &AppState,
    conn: &mut AnyConnection,
    viewer: &Viewer,
    id: &SubmissionId,
) -> Result<(SubmissionRow, Assignment, Role), AppError> {
    let row = repo::submissions::by_id(conn, id.as_str()).await?.ok_or_else(AppError::not_found)?;
    let (assignment, role) = visible(state, conn, viewer, &AssignmentId::from(&row.assignment_id)).await?;
    if role == Role::Learner && row.user_id != viewer.user_id {
        return Err(AppError::not_found());
    }
    Ok((row, assignment, role))
}

/// One file of a submission, for its learner or the course's staff.
pub async fn open_file(
    state: &AppState,
    viewer: Option<&Viewer>,
    id: &SubmissionId,
    file_id: &str,
) -> Result<FileRow, AppError> {
    let viewer = viewer.ok_or_else(AppError::not_found)?;
    let mut conn = state.db.pool().acquire().await?;
    visible_submission(state, &mut conn, viewer, id).await?;
    repo::files::get(&mut conn, id.as_str(), file_id).await?.ok_or_else(AppError::not_found)
}

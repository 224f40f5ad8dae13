//! What the API shows of assignments and submissions, and the bodies it takes.

use lyceum_platform::{AppError, FieldError, Text, db::rfc3339};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub use super::dto_tries::{TryDto, tries};
use crate::{
    NewTryRefusal, guide,
    model::{Completion, FileKind, GradingMethod, PenaltyUnit, Release, Resubmit, Settings},
    repo::{files::FileRow, submissions::SubmissionRow},
    service::{
        Assignment, Role,
        grading::{Line, Marks},
        submissions::Mine,
    },
};

/// An API time: RFC 3339 in epoch milliseconds; anything else is a `422` on `field`.
fn epoch_ms(field: &str, raw: Option<&str>, errors: &mut Vec<FieldError>) -> Option<i64> {
    let raw = raw?.trim();
    match raw.parse::<jiff::Timestamp>() {
        Ok(t) => Some(t.as_millisecond()),
        Err(_) => {
            errors.push(FieldError::new(field, Text::new("assignments.errors.bad_rfc3339")));
            None
        }
    }
}

/// An assignment's settings as the API shows and takes them; times are
/// RFC 3339. A field left out takes its default.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct AssignmentSettings {
    /// The due date (RFC 3339); none: nothing is ever late.
    #[schema(format = DateTime)]
    pub due_at: Option<String>,
    /// After this nothing is accepted (RFC 3339); none: late work is accepted at any time.
    #[schema(format = DateTime)]
    pub cut_off_at: Option<String>,
    /// The learner writes text in the page.
    pub online_text: bool,
    /// Files a submission may carry (0 – 20; 0: none).
    pub max_files: u8,
    /// The most points a grader gives (more than 0, up to 10,000).
    pub max_points: f64,
    /// Points that pass; none: no pass mark.
    pub pass_points: Option<f64>,
    /// Percent of the maximum taken per late day (or hour) started, 0 – 100.
    pub late_penalty_percent: f64,
    pub late_penalty_unit: PenaltyUnit,
    /// The most percent a late penalty takes in all, 0 – 100.
    pub late_penalty_cap: f64,
    /// Submitting asks the learner to confirm the work is their own.
    pub require_statement: bool,
    /// Graders see "Participant …" instead of names until the grades are released (needs `release: manual`).
    pub blind_marking: bool,
    pub resubmit: Resubmit,
    pub release: Release,
    pub completion: Completion,
    /// A rubric of the course to grade with (the points follow from the
    /// levels chosen). Kept for clients that name no `grading_method`: the
    /// rubric when set, points otherwise.
    pub rubric_id: Option<String>,
    // Grading methods.
    /// `points`, `rubric`, `guide` (a marking guide) or `scale`; left out:
    /// `rubric` when `rubric_id` is set, `points` otherwise.
    pub grading_method: Option<GradingMethod>,
    /// The course's rubric, marking guide or scale the method grades with.
    pub grading_id: Option<String>,
    /// Work is accepted from this time on (RFC 3339; before it learners read
    /// the instructions only); none: at once. Not after the due date or the cut-off.
    #[schema(format = DateTime)]
    pub opens_at: Option<String>,
    /// The kinds of file accepted, recognised by their content (every kind by default).
    pub accepted_kinds: Vec<FileKind>,
    /// The most bytes all files of one submission take together; 0: only
    /// the per-file limit applies.
    pub max_total_bytes: u64,
    /// Learners keep a draft and submit it (default); `false`: saving is
    /// submitting — each change hands the work in (its lateness counted from
    /// that change) until it is graded or the cut-off passes.
    pub drafts: bool,
    /// Tries in all, the first included (1 – 20), with `resubmit: after_grade`.
    pub max_tries: u8,
}

impl Default for AssignmentSettings {
    /// A body's missing fields; a missing method is read from `rubric_id`.
    fn default() -> Self {
        Self { grading_method: None, ..Self::from(&Settings::default()) }
    }
}

impl From<&Settings> for AssignmentSettings {
    fn from(s: &Settings) -> Self {
        Self {
            due_at: s.due_at.map(rfc3339),
            cut_off_at: s.cut_off_at.map(rfc3339),
            online_text: s.online_text,
            max_files: s.max_files,
            max_points: s.max_points,
            pass_points: s.pass_points,
            late_penalty_percent: s.late_penalty_percent,
            late_penalty_unit: s.late_penalty_unit,
            late_penalty_cap: s.late_penalty_cap,
            require_statement: s.require_statement,
            blind_marking: s.blind_marking,
            resubmit: s.resubmit,
            release: s.release,
            completion: s.completion,
            rubric_id: s.rubric_id.clone(),
            grading_method: Some(s.grading().0),
            grading_id: s.grading().1.map(str::to_string),
            opens_at: s.opens_at.map(rfc3339),
            accepted_kinds: s.accepted_kinds.clone(),
            max_total_bytes: s.max_total_bytes,
            drafts: s.drafts,
            max_tries: s.max_tries,
        }
    }
}

impl AssignmentSettings {
    /// The settings to store, or a `422` naming each time that is not RFC 3339.
    pub fn into_settings(self) -> Result<Settings, AppError> {
        let mut errors = Vec::new();
        let due_at = epoch_ms("settings.due_at", self.due_at.as_deref(), &mut errors);
        let cut_off_at = epoch_ms("settings.cut_off_at", self.cut_off_at.as_deref(), &mut errors);
        let opens_at = epoch_ms("settings.opens_at", self.opens_at.as_deref(), &mut errors);
        if !errors.is_empty() {
            return Err(AppError::validation(errors));
        }
        Ok(Settings {
            due_at,
            cut_off_at,
            online_text: self.online_text,
            max_files: self.max_files,
            max_points: self.max_points,
            pass_points: self.pass_points,
            late_penalty_percent: self.late_penalty_percent,
            late_penalty_unit: self.late_penalty_unit,
            late_penalty_cap: self.late_penalty_cap,
            require_statement: self.require_statement,
            blind_marking: self.blind_marking,
            resubmit: self.resubmit,
            release: self.release,
            completion: self.completion,
            rubric_id: self.rubric_id.filter(|id| !id.is_empty()),
            grading_method: self.grading_method,
            grading_id: self.grading_id.filter(|id| !id.is_empty()),
            opens_at,
            accepted_kinds: FileKind::ALL.into_iter().filter(|k| self.accepted_kinds.contains(k)).collect(),
            max_total_bytes: self.max_total_bytes,
            drafts: self.drafts,
            max_tries: self.max_tries,
        })
    }
}

/// A new assignment: a lesson at the end of `module_id` whose activity it is.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct AssignmentBody {
    pub module_id: String,
    pub title: String,
    /// Markdown instructions (the lesson's text).
    #[serde(default)]
    pub instructions: String,
    #[serde(default)]
    pub settings: AssignmentSettings,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct AssignmentUpdate {
    pub settings: AssignmentSettings,
}

#[derive(Serialize, ToSchema)]
pub struct AssignmentDto {
    pub id: String,
    pub course_id: String,
    pub lesson_id: String,
    pub title: String,
    pub instructions: String,
    pub settings: AssignmentSettings,
    /// When the grades were released (release `manual`); none: not yet.
    #[schema(format = DateTime)]
    pub released_at: Option<String>,
    /// `staff` or `learner`: how the caller relates to it.
    pub role: String,
}

impl AssignmentDto {
    pub fn new(a: &Assignment, role: Role) -> Self {
        Self {
            id: a.id.clone(),
            course_id: a.course_id.clone(),
            lesson_id: a.lesson_id.clone(),
            title: a.title.clone(),
            instructions: a.instructions_md.clone(),
            settings: AssignmentSettings::from(&a.settings),
            released_at: a.released_at.map(rfc3339),
            role: match role {
                Role::Staff => "staff",
                Role::Learner => "learner",
            }
            .to_string(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct AssignmentList {
    pub items: Vec<AssignmentDto>,
}

#[derive(Serialize, ToSchema)]
pub struct FileDto {
    pub id: String,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    /// Where it is downloaded (the learner and the course's staff only).
    pub url: String,
}

impl From<&FileRow> for FileDto {
    fn from(f: &FileRow) -> Self {
        Self {
            id: f.id.clone(),
            name: f.name.clone(),
            content_type: f.content_type.clone(),
            size: f.size,
            url: crate::service::submissions::file_url(f),
        }
    }
}

/// A submission. `points`, `grade`, `feedback` and `graded_at` are shown to
/// the learner only once the grade is released.
#[derive(Serialize, ToSchema)]
pub struct SubmissionDto {
    pub id: String,
    pub assignment_id: String,
    /// The learner's account; none to graders under blind marking before the release.
    pub user_id: Option<String>,
    /// `draft` or `submitted`.
    pub state: String,
    pub text: String,
    #[schema(format = DateTime)]
    pub submitted_at: Option<String>,
    /// Milliseconds after the learner's due date it was submitted (0: in time).
    pub late_ms: i64,
    pub statement: bool,
    pub graded: bool,
    /// The grader's points, before the late penalty.
    pub points: Option<f64>,
    /// The grade after the late penalty.
    pub grade: Option<f64>,
    pub max_points: f64,
    pub feedback: Option<String>,
    /// The rubric level chosen per criterion, when graded with a rubric.
    pub rubric: Option<Vec<usize>>,
    /// Points and a comment per criterion, when graded with a marking guide.
    pub guide: Option<Vec<guide::Mark>>,
    /// The level given (from 0, lowest first), when graded with a scale.
    pub scale_level: Option<usize>,
    #[schema(format = DateTime)]
    pub graded_at: Option<String>,
    pub files: Vec<FileDto>,
    /// Staff only: the learner's name and e-mail ("Participant …" and none
    /// under blind marking before the release).
    pub learner_name: Option<String>,
    pub learner_email: Option<String>,
    /// The past tries (tries after each grade), first first; in the view
    /// of one submission only (none in lists).
    pub tries: Option<Vec<TryDto>>,
}

impl SubmissionDto {
    pub fn new(row: &SubmissionRow, files: &[FileRow], settings: &Settings, grade_shown: bool) -> Self {
        let shown = grade_shown && row.graded();
        let marks = if shown { Marks::of(settings, row) } else { Marks::None };
        Self {
            id: row.id.clone(),
            assignment_id: row.assignment_id.clone(),
            user_id: Some(row.user_id.clone()),
            state: row.state.clone(),
            text: row.text_md.clone(),
            submitted_at: row.submitted_at.map(rfc3339),
            late_ms: row.late_ms,
            statement: row.statement_at.is_some(),
            graded: shown,
            points: row.points.filter(|_| shown),
            grade: row.grade.filter(|_| shown),
            max_points: settings.max_points,
            feedback: shown.then(|| row.feedback_md.clone()),
            rubric: if let Marks::Rubric(levels) = &marks { Some(levels.clone()) } else { None },
            guide: if let Marks::Guide(marks) = &marks { Some(marks.clone()) } else { None },
            scale_level: if let Marks::Scale(level) = marks { Some(level) } else { None },
            graded_at: row.graded_at.filter(|_| shown).map(rfc3339),
            files: files.iter().map(FileDto::from).collect(),
            learner_name: None,
            learner_email: None,
            tries: None,
        }
    }

    pub fn line(line: &Line, settings: &Settings) -> Self {
        Self::staff(line, &[], settings)
    }

    /// A submission as its graders see it.
    pub fn staff(line: &Line, files: &[FileRow], settings: &Settings) -> Self {
        let base = Self::new(&line.row, files, settings, true);
        Self {
            user_id: base.user_id.clone().filter(|_| !line.anonymous),
            learner_name: Some(line.learner_name.clone()),
            learner_email: Some(line.learner_email.clone()).filter(|_| !line.anonymous),
            ..base
        }
    }
}

/// The learner's own view: their status, dates and submission.
#[derive(Serialize, ToSchema)]
pub struct MySubmissionDto {
    /// `not_started`, `draft`, `submitted` or `graded`.
    pub status: String,
    /// When work is accepted from (none: at once), and whether that time has come.
    #[schema(format = DateTime)]
    pub opens_at: Option<String>,
    pub open: bool,
    /// The learner's due date and cut-off (an extension moves them).
    #[schema(format = DateTime)]
    pub due_at: Option<String>,
    #[schema(format = DateTime)]
    pub cut_off_at: Option<String>,
    pub extended: bool,
    /// Whether the learner may still change their work now.
    pub editable: bool,
    /// Whether the learner may take the submission back to a draft.
    pub reopenable: bool,
    /// Saving is submitting (the assignment keeps no drafts).
    pub direct: bool,
    /// The next save (direct submission) or submit needs `statement: true`.
    pub statement_asked: bool,
    /// The learner's current try (1 without tries after a grade), of `max_tries`.
    pub try_number: usize,
    pub max_tries: u8,
    /// Whether `POST …/submission/new-try` would start a new try now…
    pub can_start_new_try: bool,
    /// …and why not: `not_allowed` (no tries after a grade), `not_graded`
    /// (the latest try is not graded, or its grade not shown yet), `none_left`.
    pub new_try_refusal: Option<String>,
    /// The past tries with their grades and feedback, first first.
    pub tries: Vec<TryDto>,
    pub submission: Option<SubmissionDto>,
}

impl From<&Mine> for MySubmissionDto {
    fn from(m: &Mine) -> Self {
        let settings = &m.assignment.settings;
        Self {
            status: m.status().to_string(),
            opens_at: m.assignment.settings.opens_at.map(rfc3339),
            open: m.opened(),
            due_at: m.dates.due_at.map(rfc3339),
            cut_off_at: m.dates.cut_off_at.map(rfc3339),
            extended: m.dates.extended,
            editable: m.editable(),
            reopenable: m.reopenable(),
            direct: m.direct(),
            statement_asked: m.statement_asked(),
            try_number: m.try_number(),
            max_tries: m.assignment.settings.max_tries,
            can_start_new_try: m.can_start_new_try(),
            new_try_refusal: m.new_try_refusal().map(|why| {
                match why {
                    NewTryRefusal::NotAllowed => "not_allowed",
                    NewTryRefusal::NotGraded => "not_graded",
                    NewTryRefusal::NoneLeft { .. } => "none_left",
                }
                .to_string()
            }),
            tries: tries(&m.tries),
            submission: m
                .submission
                .as_ref()
                .map(|s| SubmissionDto::new(s, &m.files, settings, m.assignment.grades_visible())),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct SubmissionList {
    pub items: Vec<SubmissionDto>,
}

/// The draft's text. With direct submission (`drafts: false`) saving
/// hands the work in: `statement` confirms it is the learner's own, asked
/// for once per try when the assignment requires it.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct DraftBody {
    pub text: String,
    #[serde(default)]
    pub statement: bool,
}

/// Submitting: `statement` confirms the work is the learner's own (asked
/// for when the assignment requires it).
#[derive(Serialize, Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct SubmitBody {
    pub statement: bool,
}

/// A grade: points out of the maximum, before any late penalty; or, for an
/// assignment graded with a rubric, the level chosen per criterion (from 0,
/// in the rubric's order); with a marking guide, points (0 to the
/// criterion's maximum, two decimals at most) and a comment per criterion;
/// with a scale, the level (from 0, lowest first). They give the points.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct GradeBody {
    pub points: Option<f64>,
    pub rubric: Option<Vec<usize>>,
    pub guide: Option<Vec<guide::Mark>>,
    pub scale_level: Option<usize>,
    #[serde(default)]
    pub feedback: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct ExtensionBody {
    /// The learner's own due date (RFC 3339).
    #[schema(format = DateTime)]
    pub due_at: String,
}

impl ExtensionBody {
    pub fn due_ms(&self) -> Result<i64, AppError> {
        let mut errors = Vec::new();
        epoch_ms("due_at", Some(&self.due_at), &mut errors).ok_or_else(|| AppError::validation(errors))
    }
}

#[derive(Serialize, ToSchema)]
pub struct ExtensionDto {
    pub user_id: String,
    pub name: String,
    pub email: String,
    #[schema(format = DateTime)]
    pub due_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct ExtensionList {
    pub items: Vec<ExtensionDto>,
}

/// Which submissions a list shows: `all` (default), `ungraded`, `graded`, `late`, `draft`.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueParams {
    pub state: Option<String>,
}

//! An assignment's settings as stored (JSON in `assignments.settings`) with
//! the rules that keep them sensible, the learner's own dates, and the late
//! penalty. Pure: the service validates with [`Settings::validate`] before
//! every write and computes dates and grades with these functions.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

lyceum_platform::typed_ids! {
    /// An assignment (`assignments.id`).
    AssignmentId;
    /// A learner's submission to an assignment (`assignment_submissions.id`).
    SubmissionId;
}

const DAY_MS: i64 = 24 * 60 * 60 * 1000;
const HOUR_MS: i64 = 60 * 60 * 1000;

/// Whether a learner may change what they submitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Resubmit {
    /// A submission is final.
    #[default]
    Never,
    /// The learner may take it back to a draft until it is graded.
    UntilGraded,
    /// After each grade they can see, the learner may start a new try (up
    /// to `max_tries` in all), from a copy of the graded one.
    AfterGrade,
}

/// When learners see their grade and feedback.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Release {
    /// As soon as a grader saves it.
    #[default]
    Immediate,
    /// All at once, when the staff release the grades (fair marking: no
    /// learner hears before the others).
    Manual,
}

/// What completes the assignment's lesson in the course's progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Completion {
    /// Submitting.
    #[default]
    Submitted,
    /// A released grade at or above the pass mark.
    Passed,
}

/// A kind of file a submission may carry; the module tells them apart by
/// their content, never by their name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    /// Word, Excel, PowerPoint, OpenDocument, EPUB.
    Document,
    Pdf,
    /// PNG, JPEG, WebP, GIF.
    Image,
    /// Plain text.
    Text,
}

impl FileKind {
    /// Every kind the module recognises, in the order forms list them.
    pub const ALL: [FileKind; 4] = [FileKind::Document, FileKind::Pdf, FileKind::Image, FileKind::Text];

    /// The kind's name in the API and in forms (`pdf`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Document => "document",
            Self::Pdf => "pdf",
            Self::Image => "image",
            Self::Text => "text",
        }
    }

    /// The file extensions of the kind: how a person recognises it, in any language.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            Self::Document => &["docx", "xlsx", "pptx", "odt", "ods", "odp", "epub"],
            Self::Pdf => &["pdf"],
            Self::Image => &["png", "jpg", "webp", "gif"],
            Self::Text => &["txt"],
        }
    }
}

/// The unit a late penalty is counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PenaltyUnit {
    #[default]
    Day,
    Hour,
}

/// How a grader marks an assignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GradingMethod {
    /// Points out of the maximum, given directly.
    #[default]
    Points,
    /// A level per criterion of one of the course's rubrics.
    Rubric,
    /// Points and a comment per criterion of one of the course's marking guides.
    Guide,
    /// A level of one of the course's scales (the learner sees its name).
    Scale,
}

impl GradingMethod {
    /// The kind of definition it grades with (`assignment_rubrics.kind`); none for points.
    pub fn kind(self) -> Option<&'static str> {
        match self {
            Self::Points => None,
            Self::Rubric => Some("rubric"),
            Self::Guide => Some("guide"),
            Self::Scale => Some("scale"),
        }
    }
}

/// An assignment's settings. Times are epoch milliseconds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// The due date; none: no due date (nothing is ever late).
    pub due_at: Option<i64>,
    /// After this nothing is accepted (an extension past it moves it for
    /// that learner); none: late work is accepted at any time.
    pub cut_off_at: Option<i64>,
    /// The learner writes text in the page.
    pub online_text: bool,
    /// Files a submission may carry (0: no files).
    pub max_files: u8,
    /// The most points a grader gives.
    pub max_points: f64,
    /// Points that pass; none: no pass mark.
    pub pass_points: Option<f64>,
    /// Percent of the maximum taken per late unit started…
    pub late_penalty_percent: f64,
    pub late_penalty_unit: PenaltyUnit,
    /// …up to this many percent in all.
    pub late_penalty_cap: f64,
    /// The learner confirms "this is my own work" to submit.
    pub require_statement: bool,
    pub resubmit: Resubmit,
    pub release: Release,
    pub completion: Completion,
    /// Graded with this rubric of the course (the points follow from the
    /// levels chosen); none: points are given directly.
    pub rubric_id: Option<String>,
    /// Graders see "Participant …" instead of names until the grades are
    /// released (which needs release all at once).
    pub blind_marking: bool,
    // Grading methods (marking guides, scales).
    /// How graders mark; none: settings written before the method was named,
    /// graded with `rubric_id` when it is set, by points otherwise (see [`Settings::grading`]).
    pub grading_method: Option<GradingMethod>,
    /// The rubric, marking guide or scale of the course graded with.
    pub grading_id: Option<String>,
    // — Submission rules: when work opens, which files, direct submission, tries. —
    /// Before this the learner reads the instructions but hands nothing in;
    /// none: open as soon as the lesson is there.
    pub opens_at: Option<i64>,
    /// The kinds of file accepted (every kind the module knows by default).
    pub accepted_kinds: Vec<FileKind>,
    /// The most bytes all files of one submission take together; 0: only
    /// the per-file limit (`uploads.submission_file_max_bytes`) applies.
    pub max_total_bytes: u64,
    /// Learners keep a draft and submit it (Moodle's "require students to
    /// click the submit button"); off: saving is submitting, and the work
    /// may change until it is graded.
    pub drafts: bool,
    /// Tries in all, the first included (1 – 20), with `Resubmit::AfterGrade`.
    pub max_tries: u8,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            due_at: None,
            cut_off_at: None,
            online_text: true,
            max_files: 1,
            max_points: 100.0,
            pass_points: None,
            late_penalty_percent: 0.0,
            late_penalty_unit: PenaltyUnit::Day,
            late_penalty_cap: 100.0,
            require_statement: false,
            resubmit: Resubmit::Never,
            release: Release::Immediate,
            completion: Completion::Submitted,
            rubric_id: None,
            blind_marking: false,
            grading_method: None,
            grading_id: None,
            opens_at: None,
            accepted_kinds: FileKind::ALL.to_vec(),
            max_total_bytes: 0,
            drafts: true,
            max_tries: 1,
        }
    }
}

/// Most files one submission carries.
pub const FILES_MAX: u8 = 20;
/// Most tries a learner may have (`Resubmit::AfterGrade`).
pub const TRIES_MAX: u8 = 20;
/// Largest maximum of points.
pub const POINTS_MAX: f64 = 10_000.0;

/// A broken settings rule; each names the field it concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingsError {
    CutOffBeforeDue,
    NothingToSubmit,
    MaxFiles,
    MaxPoints,
    PassPoints,
    CompletionNeedsPass,
    Penalty,
    PenaltyCap,
    /// Blind marking hides names until the release: it needs release all at once.
    BlindNeedsRelease,
    /// A rubric, guide or scale method without the one it grades with.
    GradingNeedsDefinition,
    /// The opening date comes after the due date or the cut-off.
    OpensAfterDue,
    /// Files are allowed but no kind of file is accepted.
    NoFileKinds,
    /// Tries outside 1 – 20.
    MaxTries,
}

impl SettingsError {
    pub fn field(&self) -> &'static str {
        match self {
            Self::CutOffBeforeDue => "settings.cut_off_at",
            Self::NothingToSubmit => "settings.online_text",
            Self::MaxFiles => "settings.max_files",
            Self::MaxPoints => "settings.max_points",
            Self::PassPoints | Self::CompletionNeedsPass => "settings.pass_points",
            Self::Penalty => "settings.late_penalty_percent",
            Self::PenaltyCap => "settings.late_penalty_cap",
            Self::BlindNeedsRelease => "settings.blind_marking",
            Self::GradingNeedsDefinition => "settings.grading_id",
            Self::OpensAfterDue => "settings.opens_at",
            Self::NoFileKinds => "settings.accepted_kinds",
            Self::MaxTries => "settings.max_tries",
        }
    }

    /// The translation key of the rule.
    pub fn key(&self) -> &'static str {
        match self {
            Self::CutOffBeforeDue => "assignments.rules.cut_off_before_due",
            Self::NothingToSubmit => "assignments.rules.nothing_to_submit",
            Self::MaxFiles => "assignments.rules.max_files",
            Self::MaxPoints => "assignments.rules.max_points",
            Self::PassPoints => "assignments.rules.pass_points",
            Self::CompletionNeedsPass => "assignments.rules.completion_needs_pass",
            Self::Penalty => "assignments.rules.penalty",
            Self::PenaltyCap => "assignments.rules.penalty_cap",
            Self::BlindNeedsRelease => "assignments.rules.blind_needs_release",
            Self::GradingNeedsDefinition => "assignments.rules.grading_needs_definition",
            Self::OpensAfterDue => "assignments.rules.opens_after_due",
            Self::NoFileKinds => "assignments.rules.no_file_kinds",
            Self::MaxTries => "assignments.rules.max_tries",
        }
    }
}

impl Settings {
    /// Every broken rule, so a form marks all of them at once.
    pub fn validate(&self) -> Vec<SettingsError> {
        let mut errors = Vec::new();
        if let (Some(due), Some(cut_off)) = (self.due_at, self.cut_off_at)
            && cut_off < due
        {
            errors.push(SettingsError::CutOffBeforeDue);
        }
        if !self.online_text && self.max_files == 0 {
            errors.push(SettingsError::NothingToSubmit);
        }
        if self.max_files > FILES_MAX {
            errors.push(SettingsError::MaxFiles);
        }
        let points_ok = self.max_points.is_finite() && self.max_points > 0.0 && self.max_points <= POINTS_MAX;
        if !points_ok {
            errors.push(SettingsError::MaxPoints);
        }
        if self.pass_points.is_some_and(|p| !(p.is_finite() && p >= 0.0 && (!points_ok || p <= self.max_points))) {
            errors.push(SettingsError::PassPoints);
        }
        if self.completion == Completion::Passed && self.pass_points.is_none() {
            errors.push(SettingsError::CompletionNeedsPass);
        }
        if !(self.late_penalty_percent.is_finite() && (0.0..=100.0).contains(&self.late_penalty_percent)) {
            errors.push(SettingsError::Penalty);
        }
        if !(self.late_penalty_cap.is_finite() && (0.0..=100.0).contains(&self.late_penalty_cap)) {
            errors.push(SettingsError::PenaltyCap);
        }
        if self.blind_marking && self.release != Release::Manual {
            errors.push(SettingsError::BlindNeedsRelease);
        }
        if let (method, None) = self.grading()
            && method != GradingMethod::Points
        {
            errors.push(SettingsError::GradingNeedsDefinition);
        }
        errors.extend(self.submission_rule_errors());
        errors
    }

    /// How graders mark, and the definition they mark with. Settings that
    /// name no method (stored, or sent by a client, before it was named)
    /// grade with `rubric_id` when it is set; an explicit method reads its
    /// definition from `grading_id` (a rubric also from `rubric_id`).
    pub fn grading(&self) -> (GradingMethod, Option<&str>) {
        let rubric = self.rubric_id.as_deref().filter(|id| !id.is_empty());
        let chosen = self.grading_id.as_deref().filter(|id| !id.is_empty());
        let method =
            self.grading_method.unwrap_or(if rubric.is_some() { GradingMethod::Rubric } else { GradingMethod::Points });
        let id = match method {
            GradingMethod::Points => None,
            GradingMethod::Rubric => chosen.or(rubric),
            GradingMethod::Guide | GradingMethod::Scale => chosen,
        };
        (method, id)
    }

    /// The settings as stored: the method named, its definition in
    /// `grading_id`, and `rubric_id` kept for a rubric (what readers of the
    /// settings before the method was named look at).
    pub fn canonical(self) -> Self {
        let (method, id) = self.grading();
        let id = id.map(str::to_string);
        Settings {
            grading_method: Some(method),
            rubric_id: id.clone().filter(|_| method == GradingMethod::Rubric),
            grading_id: id,
            ..self
        }
    }

    /// The rules of the submission settings (opening date, files, tries).
    fn submission_rule_errors(&self) -> Vec<SettingsError> {
        let mut errors = Vec::new();
        if let Some(opens) = self.opens_at
            && [self.due_at, self.cut_off_at].into_iter().flatten().any(|later| later < opens)
        {
            errors.push(SettingsError::OpensAfterDue);
        }
        if self.max_files > 0 && self.accepted_kinds.is_empty() {
            errors.push(SettingsError::NoFileKinds);
        }
        if !(1..=TRIES_MAX).contains(&self.max_tries) {
            errors.push(SettingsError::MaxTries);
        }
        errors
    }

    /// Whether a file of this kind is accepted.
    pub fn accepts(&self, kind: FileKind) -> bool {
        self.accepted_kinds.contains(&kind)
    }

    /// The bytes left for one more file of a submission whose files take
    /// `used`; none when only the per-file limit applies.
    pub fn room_left(&self, used: u64) -> Option<u64> {
        (self.max_total_bytes > 0).then(|| self.max_total_bytes.saturating_sub(used))
    }

    /// Work is accepted from the opening date on (no date: at once).
    pub fn opened(&self, now: i64) -> bool {
        self.opens_at.is_none_or(|opens| now >= opens)
    }

    /// One learner's dates: an extension replaces the due date, and moves
    /// the cut-off with it when it falls after it.
    pub fn dates_for(&self, extension: Option<i64>) -> Dates {
        match extension {
            None => Dates { due_at: self.due_at, cut_off_at: self.cut_off_at, extended: false },
            Some(due) => Dates { due_at: Some(due), cut_off_at: self.cut_off_at.map(|c| c.max(due)), extended: true },
        }
    }

    /// The percent of the maximum taken off for a submit `late_ms` after the
    /// due date: per unit started, capped.
    pub fn penalty_percent(&self, late_ms: i64) -> f64 {
        // Scales are graded by a level's name, not points: no penalty (Moodle does the same).
        let scale = self.grading().0 == GradingMethod::Scale;
        if late_ms <= 0 || self.late_penalty_percent <= 0.0 || scale {
            return 0.0;
        }
        let unit = match self.late_penalty_unit {
            PenaltyUnit::Day => DAY_MS,
            PenaltyUnit::Hour => HOUR_MS,
        };
        let started = (late_ms + unit - 1) / unit;
        (started as f64 * self.late_penalty_percent).min(self.late_penalty_cap)
    }

    /// The grade from a grader's points and the lateness: the penalty is a
    /// share of the maximum, never below zero.
    pub fn grade(&self, points: f64, late_ms: i64) -> f64 {
        let penalty = self.max_points * self.penalty_percent(late_ms) / 100.0;
        round2((points - penalty).max(0.0))
    }

    pub fn passed(&self, grade: f64) -> Option<bool> {
        self.pass_points.map(|pass| grade + 1e-9 >= pass)
    }
}

/// Two decimals: what a grade is shown and stored with.
pub fn round2(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

/// One learner's dates for an assignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dates {
    pub due_at: Option<i64>,
    pub cut_off_at: Option<i64>,
    /// An extension set them.
    pub extended: bool,
}

impl Dates {
    /// How late a submit at `now` is (0: in time).
    pub fn late_ms(&self, now: i64) -> i64 {
        self.due_at.map_or(0, |due| (now - due).max(0))
    }

    /// Past the cut-off: nothing more is accepted.
    pub fn closed(&self, now: i64) -> bool {
        self.cut_off_at.is_some_and(|cut_off| now > cut_off)
    }
}

#[cfg(test)]
#[path = "model_tests.rs"]
mod tests;

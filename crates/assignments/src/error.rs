//! Why an assignment refuses a request: the module's own error, turned into
//! HTTP only at the edge (`From<AssignmentError> for AppError`).

use lyceum_platform::{AppError, FieldError, Text};

use crate::{
    guide::{GuideError, MarkError},
    model::{FileKind, GradingMethod, SettingsError},
    rubric::RubricError,
    scale::ScaleError,
    service::worksheet::SheetError,
};

#[derive(Debug)]
pub enum AssignmentError {
    /// Settings break their rules (422, every field at once).
    Invalid(Vec<SettingsError>),
    /// The cut-off has passed: nothing more is accepted (409 `assignment-closed`).
    Closed,
    /// The assignment opens later: nothing is accepted yet (409 `assignment-not-open`).
    NotOpen {
        opens_at: i64,
    },
    /// The submission was submitted and may not change now (409 `submission-final`).
    Final,
    /// Submitting asks for the "own work" statement (422 on `statement`).
    StatementRequired,
    /// Nothing to submit: no text and no file (422 on `text`).
    Empty,
    /// The assignment takes no text (422 on `text`).
    NoText,
    /// The assignment takes no files (422 on `file`).
    NoFiles,
    /// The assignment takes no files, or the submission has as many as it allows (422 on `file`).
    TooManyFiles {
        max: u8,
    },
    /// An uploaded file is refused for its content or size, or broke off (400 / 413 / 415).
    File(FileRefusal),
    /// A recognised file of a kind the assignment does not accept (422 on `file`, naming it).
    KindNotAccepted {
        name: String,
        accepted: Vec<FileKind>,
    },
    /// A file that does not fit in the room the submission's files share (422 on `file`, naming it).
    NoRoom {
        name: String,
        size: u64,
        left: u64,
        max: u64,
    },
    /// Points outside 0..=max (422 on `points`).
    BadPoints {
        max: f64,
    },
    /// A new try cannot start now, and why (409 `new-try-not-allowed`).
    NewTry(NewTryRefusal),
    /// Only submitted work is graded (409 `not-submitted`).
    NotSubmitted,
    /// An extension for someone who is not an enrolled learner (422 on `user_id`).
    NotALearner,
    /// The course's staff grade work; they do not submit it (403 `staff-do-not-submit`).
    StaffDoNotSubmit,
    /// A rubric's text breaks its rules (422 on `criteria`, naming the line).
    Rubric(RubricError),
    /// A marking guide's text breaks its rules (422 on `criteria`, naming the line).
    Guide(GuideError),
    /// A scale's text breaks its rules (422 on `levels`).
    Scale(ScaleError),
    /// A rubric, guide or scale without a title, or with one over 120 characters (422 on `title`).
    DefinitionTitle,
    /// The settings name a rubric, guide or scale that is not one of the
    /// course's of that kind (422 on the field that named it).
    UnknownDefinition {
        field: &'static str,
    },
    /// Grading with a rubric needs one level per criterion (422 on `rubric`).
    RubricChoice,
    /// Grading with a marking guide: a mark per criterion, each within its
    /// maximum with a comment not too long (422 on `guide` or `guide.{i}.…`).
    GuideMark {
        error: MarkError,
        max: f64,
    },
    /// Grading with a scale needs one of its levels (422 on `scale`).
    ScaleChoice,
    /// An assignment grades with this rubric, guide or scale (409 `{kind}-in-use`).
    InUse(GradingMethod),
    /// A feedback holds at most this many files (422 on `file`).
    TooManyFeedbackFiles {
        max: u8,
    },
    /// An assignment's instructions hold at most this many files (422 on `file`).
    TooManyAttachments {
        max: u8,
    },
    /// The submissions' files add up to more than one zip holds (413).
    ZipTooLarge,
    /// An uploaded grading worksheet is refused as a whole (413, or 422 on `sheet`).
    Sheet(SheetError),
    /// The submissions changed since the worksheet's preview (409 `stale-preview`).
    StalePreview,
    Other(AppError),
}

/// Why a learner may not start a new try.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewTryRefusal {
    /// The assignment gives no tries after a grade.
    NotAllowed,
    /// The latest try is not graded, or its grade is not shown yet.
    NotGraded,
    /// Every try is used.
    NoneLeft { max: u8 },
}

impl NewTryRefusal {
    pub fn key(self) -> &'static str {
        match self {
            Self::NotAllowed => "assignments.errors.try_not_allowed",
            Self::NotGraded => "assignments.errors.try_not_graded",
            Self::NoneLeft { .. } => "assignments.errors.try_none_left",
        }
    }
}

/// Why an uploaded file is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileRefusal {
    Empty,
    /// Past the per-file limit (met while the file streams: its whole size is never read).
    TooLarge {
        limit_kb: u64,
    },
    NotAccepted,
    /// The upload stopped before the file's end (the client broke off).
    BrokeOff,
}

impl FileRefusal {
    /// The flash message of a page's upload (the API's problem has the numbers).
    pub fn flash_key(self) -> &'static str {
        match self {
            Self::Empty => "assignments.files.refused_empty",
            Self::TooLarge { .. } => "assignments.files.refused_size",
            Self::NotAccepted => "assignments.files.refused_type",
            Self::BrokeOff => "assignments.upload.failed",
        }
    }
}

impl From<AppError> for AssignmentError {
    fn from(e: AppError) -> Self {
        Self::Other(e)
    }
}

impl From<sqlx::Error> for AssignmentError {
    fn from(e: sqlx::Error) -> Self {
        Self::Other(e.into())
    }
}

impl AssignmentError {
    /// The flash of a page's refused action, where a sentence says it all.
    pub fn flash_key(&self) -> Option<&'static str> {
        Some(match self {
            Self::Closed => "assignments.errors.closed",
            Self::NotOpen { .. } => "assignments.errors.not_yet_open",
            Self::Final => "assignments.errors.final",
            Self::StatementRequired => "assignments.errors.statement_required",
            Self::Empty => "assignments.errors.empty",
            Self::NoText => "assignments.errors.no_text",
            Self::NoFiles => "assignments.errors.no_files",
            Self::TooManyFiles { .. } => "assignments.files.refused_count",
            Self::File(why) => why.flash_key(),
            Self::KindNotAccepted { .. } => "assignments.files.refused_kind",
            Self::NoRoom { .. } => "assignments.files.refused_room",
            Self::NotSubmitted => "assignments.errors.not_submitted",
            Self::NewTry(why) => why.key(),
            Self::InUse(GradingMethod::Guide) => "assignments.errors.guide_in_use",
            Self::InUse(GradingMethod::Scale) => "assignments.errors.scale_in_use",
            Self::InUse(_) => "assignments.errors.rubric_in_use",
            Self::TooManyFeedbackFiles { .. } => "assignments.files.refused_feedback_count",
            Self::TooManyAttachments { .. } => "assignments.attachments.refused_count",
            Self::ZipTooLarge => "assignments.errors.zip_too_large",
            Self::StalePreview => "assignments.worksheet.stale",
            _ => return None,
        })
    }
}

impl From<AssignmentError> for AppError {
    fn from(e: AssignmentError) -> Self {
        let t = Text::new;
        match e {
            AssignmentError::Invalid(errors) => {
                AppError::validation(errors.iter().map(|e| FieldError::new(e.field(), t(e.key()))).collect())
            }
            AssignmentError::Closed => {
                AppError::conflict(t("assignments.errors.closed")).with_kind("assignment-closed")
            }
            AssignmentError::NotOpen { opens_at } => {
                AppError::conflict(t("assignments.errors.not_open").arg("date", lyceum_platform::db::rfc3339(opens_at)))
                    .with_kind("assignment-not-open")
            }
            AssignmentError::Final => AppError::conflict(t("assignments.errors.final")).with_kind("submission-final"),
            AssignmentError::StatementRequired => {
                AppError::field("statement", t("assignments.errors.statement_required"))
            }
            AssignmentError::Empty => AppError::field("text", t("assignments.errors.empty")),
            AssignmentError::NoText => AppError::field("text", t("assignments.errors.no_text")),
            AssignmentError::NoFiles => AppError::field("file", t("assignments.errors.no_files")),
            AssignmentError::TooManyFiles { max } => {
                AppError::field("file", t("assignments.errors.too_many_files").arg("max", max))
            }
            AssignmentError::File(why) => match why {
                FileRefusal::Empty => AppError::bad_request(t("assignments.errors.file_empty")),
                FileRefusal::TooLarge { limit_kb } => {
                    AppError::payload_too_large(t("assignments.errors.file_over_limit").arg("max", limit_kb))
                }
                FileRefusal::NotAccepted => AppError::unsupported_media_type(t("assignments.errors.file_type")),
                FileRefusal::BrokeOff => AppError::bad_request(t("assignments.upload.failed")),
            },
            AssignmentError::KindNotAccepted { name, accepted } => AppError::field(
                "file",
                t("assignments.errors.kind_not_accepted").arg("name", name).arg("kinds", extensions(&accepted)),
            ),
            AssignmentError::NoRoom { name, size, left, max } => AppError::field(
                "file",
                t("assignments.errors.no_room")
                    .arg("name", name)
                    .arg("size", size.div_ceil(1024))
                    .arg("left", left / 1024)
                    .arg("max", max / 1024),
            ),
            AssignmentError::BadPoints { max } => {
                AppError::field("points", t("assignments.errors.bad_points").arg("max", max))
            }
            AssignmentError::NewTry(why) => AppError::conflict(t(why.key())).with_kind("new-try-not-allowed"),
            AssignmentError::NotSubmitted => {
                AppError::conflict(t("assignments.errors.not_submitted")).with_kind("not-submitted")
            }
            AssignmentError::NotALearner => AppError::field("user_id", t("assignments.errors.not_a_learner")),
            AssignmentError::Rubric(e) => {
                let (key, line) = e.key();
                AppError::field("criteria", t(key).arg("line", line))
            }
            AssignmentError::Guide(e) => {
                let (key, line) = e.key();
                AppError::field("criteria", t(key).arg("line", line))
            }
            AssignmentError::Scale(e) => {
                let (key, level) = e.key();
                AppError::field("levels", t(key).arg("level", level))
            }
            AssignmentError::DefinitionTitle => AppError::field("title", t("assignments.rubric_rules.title")),
            AssignmentError::UnknownDefinition { field } => {
                AppError::field(field, t("assignments.rules.unknown_definition"))
            }
            AssignmentError::RubricChoice => AppError::field("rubric", t("assignments.errors.rubric_choice")),
            AssignmentError::GuideMark { error, max } => match error {
                MarkError::Count => AppError::field("guide", t("assignments.errors.guide_count")),
                MarkError::Points(i) => {
                    AppError::field(&format!("guide.{i}.points"), t("assignments.errors.guide_points").arg("max", max))
                }
                MarkError::Comment(i) => {
                    AppError::field(&format!("guide.{i}.comment"), t("assignments.errors.guide_comment"))
                }
            },
            AssignmentError::ScaleChoice => AppError::field("scale", t("assignments.errors.scale_choice")),
            AssignmentError::TooManyFeedbackFiles { max } => {
                AppError::field("file", t("assignments.errors.too_many_feedback_files").arg("max", max))
            }
            AssignmentError::TooManyAttachments { max } => {
                AppError::field("file", t("assignments.attachments.too_many").arg("max", max))
            }
            AssignmentError::ZipTooLarge => AppError::payload_too_large(t("assignments.errors.zip_too_large")),
            AssignmentError::InUse(method) => {
                let (key, kind) = match method {
                    GradingMethod::Guide => ("assignments.errors.guide_in_use", "guide-in-use"),
                    GradingMethod::Scale => ("assignments.errors.scale_in_use", "scale-in-use"),
                    _ => ("assignments.errors.rubric_in_use", "rubric-in-use"),
                };
                AppError::conflict(t(key)).with_kind(kind)
            }
            AssignmentError::StaffDoNotSubmit => {
                AppError::forbidden(t("assignments.errors.staff_do_not_submit")).with_kind("staff-do-not-submit")
            }
            AssignmentError::Sheet(SheetError::TooLarge) => {
                AppError::payload_too_large(t("assignments.worksheet.too_large"))
            }
            AssignmentError::Sheet(SheetError::MissingColumn(column)) => {
                AppError::field("sheet", t("assignments.worksheet.missing_column").arg("column", column))
            }
            AssignmentError::StalePreview => {
                AppError::conflict(t("assignments.worksheet.stale")).with_kind("stale-preview")
            }
            AssignmentError::Other(e) => e,
        }
    }
}

/// The accepted kinds as their extensions ("pdf, png, jpg"): understood in any language.
pub(crate) fn extensions(kinds: &[FileKind]) -> String {
    kinds.iter().flat_map(|k| k.extensions()).copied().collect::<Vec<_>>().join(", ")
}

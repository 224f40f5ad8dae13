//! What the API shows of progress and certificates.

use std::collections::BTreeMap;

use lyceum_platform::db::rfc3339;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    model::{Certificate, LessonProgress, ModuleSummary},
    service::{
        certificates::Verified,
        mine::MyCourse,
        progress::{CourseDetail, Recorded},
        staff::LearnerRow,
    },
};

/// `PUT /api/v1/progress/lessons/{lesson_id}`: at least one field.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgressBody {
    /// Mark the lesson complete (`true`) or not complete again (`false`).
    pub completed: Option<bool>,
    /// Video lessons only: where playback resumes, 0–86400 seconds.
    pub position_seconds: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct ModuleProgressDto {
    pub module_id: String,
    pub total_lessons: usize,
    pub completed_lessons: usize,
    pub percent: u8,
}

impl From<&ModuleSummary> for ModuleProgressDto {
    fn from(m: &ModuleSummary) -> Self {
        Self {
            module_id: m.module_id.clone(),
            total_lessons: m.total,
            completed_lessons: m.completed,
            percent: m.percent,
        }
    }
}

/// A learner's progress in one course.
#[derive(Serialize, ToSchema)]
pub struct CourseProgressDto {
    pub course_id: String,
    pub total_lessons: usize,
    pub completed_lessons: usize,
    /// Whole percent, rounded down (100 only when every lesson is complete).
    pub percent: u8,
    pub modules: Vec<ModuleProgressDto>,
    /// Completed lessons, in outline order.
    pub completed_lesson_ids: Vec<String>,
    /// Saved video positions (seconds) by lesson id.
    pub positions: BTreeMap<String, i64>,
    /// The lesson to continue with: the one last worked on if unfinished, else the next incomplete.
    pub continue_lesson_id: Option<String>,
    pub last_activity_at: Option<String>,
    /// When every lesson was first complete.
    pub completed_at: Option<String>,
    /// `/certificates/<code>` once the course is completed.
    pub certificate_url: Option<String>,
    /// A completed course whose certificate waits for a passing course grade.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificate_waits: Option<CertificateWaitsDto>,
}

/// Why a completed course has no certificate yet: the course grade it needs.
#[derive(Serialize, ToSchema)]
pub struct CertificateWaitsDto {
    /// The pass mark, percent of the course total.
    pub pass_percent: f64,
    /// The learner's course total, percent (none before any grade counts).
    pub percent: Option<f64>,
    /// The reason in a sentence ("A certificate needs a course grade of at least 60 %; yours is 52 %.").
    pub message: String,
}

impl From<&CourseDetail> for CourseProgressDto {
    fn from(d: &CourseDetail) -> Self {
        Self {
            course_id: d.course_id.clone(),
            total_lessons: d.summary.total,
            completed_lessons: d.summary.completed,
            percent: d.summary.percent,
            modules: d.summary.modules.iter().map(ModuleProgressDto::from).collect(),
            completed_lesson_ids: d.completed_lesson_ids.clone(),
            positions: d.positions.iter().map(|(k, v)| (k.clone(), *v)).collect(),
            continue_lesson_id: d.summary.continue_lesson_id.clone(),
            last_activity_at: d.last_activity_at.map(rfc3339),
            completed_at: d.completed_at.map(rfc3339),
            certificate_url: d.certificate.as_ref().map(Certificate::url),
            certificate_waits: d.certificate_waits.as_ref().map(|w| CertificateWaitsDto {
                pass_percent: w.pass_percent,
                percent: w.percent,
                message: w.text().english(),
            }),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct LessonProgressDto {
    pub lesson_id: String,
    pub completed: bool,
    pub completed_at: Option<String>,
    pub position_seconds: i64,
    pub updated_at: String,
    /// The course after this write.
    pub course: CourseProgressDto,
    /// True when this write completed the course and issued its certificate.
    pub course_just_completed: bool,
}

impl LessonProgressDto {
    pub fn new(lesson: &LessonProgress, r: &Recorded) -> Self {
        Self {
            lesson_id: lesson.lesson_id.clone(),
            completed: lesson.completed_at.is_some(),
            completed_at: lesson.completed_at.map(rfc3339),
            position_seconds: lesson.position_seconds,
            updated_at: rfc3339(lesson.updated_at),
            course: CourseProgressDto::from(&r.course),
            course_just_completed: r.just_completed,
        }
    }
}

/// One of my enrolled courses with its progress.
#[derive(Serialize, ToSchema)]
pub struct MyCourseDto {
    pub course_id: String,
    pub slug: String,
    pub title: String,
    pub total_lessons: usize,
    pub completed_lessons: usize,
    pub percent: u8,
    pub continue_lesson_id: Option<String>,
    /// `/learn/<slug>/lessons/<continue lesson>`.
    pub continue_url: Option<String>,
    pub enrolled_at: String,
    pub last_activity_at: Option<String>,
    pub completed_at: Option<String>,
    pub certificate_url: Option<String>,
}

impl From<&MyCourse> for MyCourseDto {
    fn from(c: &MyCourse) -> Self {
        let e = &c.enrollment;
        Self {
            course_id: e.course_id.clone(),
            slug: e.slug.clone(),
            title: e.title.clone(),
            total_lessons: c.summary.total,
            completed_lessons: c.summary.completed,
            percent: c.summary.percent,
            continue_url: c.summary.continue_lesson_id.as_ref().map(|l| format!("/learn/{}/lessons/{l}", e.slug)),
            continue_lesson_id: c.summary.continue_lesson_id.clone(),
            enrolled_at: rfc3339(e.created_at),
            last_activity_at: c.last_activity_at.map(rfc3339),
            completed_at: c.completed_at.map(rfc3339),
            certificate_url: c.certificate.as_ref().map(Certificate::url),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct MyCourseList {
    pub items: Vec<MyCourseDto>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// One learner's row in a course's progress table (staff).
#[derive(Serialize, ToSchema)]
pub struct LearnerProgressDto {
    pub user_id: String,
    pub display_name: String,
    pub enrolled_at: String,
    pub completed_lessons: i64,
    pub total_lessons: i64,
    pub percent: u8,
    pub last_activity_at: Option<String>,
    pub completed_at: Option<String>,
}

impl From<&LearnerRow> for LearnerProgressDto {
    fn from(r: &LearnerRow) -> Self {
        Self {
            user_id: r.user_id.clone(),
            display_name: r.display_name.clone(),
            enrolled_at: rfc3339(r.enrolled_at),
            completed_lessons: r.completed,
            total_lessons: r.total,
            percent: r.percent,
            last_activity_at: r.last_activity_at.map(rfc3339),
            completed_at: r.completed_at.map(rfc3339),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct LearnerProgressList {
    pub items: Vec<LearnerProgressDto>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// A certificate of completion.
#[derive(Serialize, ToSchema)]
pub struct CertificateDto {
    pub code: String,
    /// The public verification page.
    pub url: String,
    pub learner_name: String,
    pub course_title: String,
    /// Absent when the course has since been deleted.
    pub course_id: Option<String>,
    pub issued_at: String,
}

impl From<&Certificate> for CertificateDto {
    fn from(c: &Certificate) -> Self {
        Self {
            code: c.code.clone(),
            url: c.url(),
            learner_name: c.learner_name.clone(),
            course_title: c.course_title.clone(),
            course_id: c.course_id.clone(),
            issued_at: rfc3339(c.issued_at),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CertificateList {
    pub items: Vec<CertificateDto>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// The public verification of a certificate.
#[derive(Serialize, ToSchema)]
pub struct VerificationDto {
    /// Always true: an unknown code is 404.
    pub valid: bool,
    #[serde(flatten)]
    pub certificate: CertificateDto,
    /// The course's instructors, owner first.
    pub instructors: Vec<String>,
}

impl From<&Verified> for VerificationDto {
    fn from(v: &Verified) -> Self {
        Self { valid: true, certificate: (&v.certificate).into(), instructors: v.instructors.clone() }
    }
}

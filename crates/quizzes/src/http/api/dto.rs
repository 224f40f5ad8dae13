//! What the API shows of a bank, and the bodies it takes. A question's
//! content is `lyceum_assessment::Question` as JSON (documented as an
//! object: its shape is the assessment crate's serde form, `kind.type`
//! naming the kind).

use lyceum_assessment::{Layout, Question, Response};
use lyceum_platform::db::rfc3339;
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    model::{BankQuestion, CategoryCount, Format, QuestionRow, Version},
    repo::imports::ImportRow,
};

/// A new question or a new version: `question` (the JSON model) or `gift`
/// (one question in GIFT), exactly one of them.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct QuestionBody {
    /// The category to put it in (default: the course's "Default"; on an edit: where it is).
    pub category_id: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub question: Option<Question>,
    /// One question in GIFT, e.g. `::Capital::Paris is the capital of {=France ~Spain}`.
    pub gift: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct QuestionSummaryDto {
    pub id: String,
    pub course_id: String,
    pub category_id: String,
    pub name: String,
    /// Moodle's kind name: multichoice, truefalse, shortanswer, numerical, matching, ordering, cloze, essay, description.
    pub kind: String,
    /// The current version's number (1 for a new question).
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

impl From<&QuestionRow> for QuestionSummaryDto {
    fn from(r: &QuestionRow) -> Self {
        Self {
            id: r.id.clone(),
            course_id: r.course_id.clone(),
            category_id: r.category_id.clone(),
            name: r.name.clone(),
            kind: r.kind.clone(),
            version: r.current_version,
            created_at: rfc3339(r.created_at),
            updated_at: rfc3339(r.updated_at),
        }
    }
}

/// A question with its current content, answers included (staff only).
#[derive(Serialize, ToSchema)]
pub struct QuestionDto {
    #[serde(flatten)]
    pub summary: QuestionSummaryDto,
    #[schema(value_type = Object)]
    pub question: Question,
}

impl From<&BankQuestion> for QuestionDto {
    fn from(q: &BankQuestion) -> Self {
        Self { summary: (&q.row).into(), question: q.question.clone() }
    }
}

#[derive(Serialize, ToSchema)]
pub struct QuestionList {
    pub items: Vec<QuestionSummaryDto>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QuestionParams {
    /// Page size, 1–100 (default 25); outside that range is a 422.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Only questions in this category (not its subcategories).
    pub category: Option<String>,
    /// Only questions of this kind (e.g. `multichoice`).
    pub kind: Option<String>,
    /// Words in the question's name (case-insensitive).
    pub q: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct VersionDto {
    pub version: i64,
    pub created_by: Option<String>,
    pub created_at: String,
    #[schema(value_type = Object)]
    pub question: Question,
}

impl From<&Version> for VersionDto {
    fn from(v: &Version) -> Self {
        Self {
            version: v.version,
            created_by: v.created_by.clone(),
            created_at: rfc3339(v.created_at),
            question: v.question.clone(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct VersionList {
    /// Newest first.
    pub items: Vec<VersionDto>,
}

#[derive(Serialize, ToSchema)]
pub struct CategoryDto {
    pub id: String,
    pub parent_id: Option<String>,
    pub name: String,
    pub position: i64,
    /// Live questions in this category (not its subcategories).
    pub question_count: i64,
}

impl From<&CategoryCount> for CategoryDto {
    fn from(c: &CategoryCount) -> Self {
        Self {
            id: c.id.clone(),
            parent_id: c.parent_id.clone(),
            name: c.name.clone(),
            position: c.position,
            question_count: c.questions,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CategoryList {
    /// Parents before their children.
    pub items: Vec<CategoryDto>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct NewCategoryBody {
    pub name: String,
    pub parent_id: Option<String>,
}

/// Absent fields stay; `"parent_id": null` moves the category to the top level.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct CategoryPatch {
    pub name: Option<String>,
    #[serde(deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub parent_id: Option<Option<String>>,
    pub position: Option<i64>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct MoveBody {
    pub question_ids: Vec<String>,
    pub category_id: String,
}

#[derive(Serialize, ToSchema)]
pub struct MovedDto {
    pub moved: u64,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct ImportBody {
    pub format: Format,
    /// The file's text.
    pub text: String,
}

#[derive(Serialize, ToSchema)]
pub struct ProblemLineDto {
    /// Where the question starts in the file, from 1.
    pub line: usize,
    pub message: String,
}

#[derive(Serialize, ToSchema)]
pub struct ImportReportDto {
    pub imported: usize,
    pub problems: Vec<ProblemLineDto>,
}

/// An import of a large file, worked through in the background: its
/// progress, then its report.
#[derive(Serialize, ToSchema)]
pub struct QuestionImportDto {
    pub id: String,
    pub course_id: String,
    pub format: String,
    /// `running`, `finished`, or `stopped` (no progress for ten minutes:
    /// a fault stopped it; `done` says how far it got).
    pub state: String,
    /// The questions the file holds, those worked through so far, and those imported.
    pub total: i64,
    pub done: i64,
    pub imported: i64,
    /// What could not be imported so far, by line.
    pub problems: Vec<ProblemLineDto>,
    pub requested_at: String,
    pub finished_at: Option<String>,
    /// Where to follow it.
    pub url: String,
}

impl From<&ImportRow> for QuestionImportDto {
    fn from(r: &ImportRow) -> Self {
        Self {
            id: r.id.clone(),
            course_id: r.course_id.clone(),
            format: r.format.clone(),
            state: r.state(lyceum_platform::db::now_ms()).into(),
            total: r.total,
            done: r.done,
            imported: r.imported,
            problems: r.problems().into_iter().map(|p| ProblemLineDto { line: p.line, message: p.message }).collect(),
            requested_at: rfc3339(r.requested_at),
            finished_at: r.finished_at.map(rfc3339),
            url: format!("/api/v1/question-imports/{}", r.id),
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportParams {
    /// `gift` (default) or `moodle_xml`.
    pub format: Option<Format>,
    /// Only this category and its subcategories.
    pub category: Option<String>,
    /// `json`: answer with the text and what was skipped or lost as JSON instead of a file.
    pub report: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ExportNoteDto {
    pub name: String,
    pub reason: String,
}

#[derive(Serialize, ToSchema)]
pub struct ExportDto {
    pub format: Format,
    pub filename: String,
    pub text: String,
    /// Questions the format cannot hold.
    pub skipped: Vec<ExportNoteDto>,
    /// Questions written without some of their settings.
    pub lossy: Vec<ExportNoteDto>,
}

#[derive(Serialize, Deserialize, ToSchema, Default)]
pub struct PreviewBody {
    /// The `layout` of an earlier preview, to answer what it showed (default: a fresh one).
    #[schema(value_type = Option<Object>)]
    pub layout: Option<Layout>,
    /// An answer to grade, e.g. `{"type": "choices", "value": [0]}`.
    #[schema(value_type = Option<Object>)]
    pub response: Option<Response>,
}

#[derive(Serialize, ToSchema)]
pub struct PreviewDto {
    #[schema(value_type = Object)]
    pub layout: Layout,
    /// What a learner sees: no answers, no feedback.
    #[schema(value_type = Object)]
    pub view: lyceum_assessment::QuestionView,
    /// The grade of `response`, when one was sent.
    #[schema(value_type = Option<Object>)]
    pub outcome: Option<lyceum_assessment::Outcome>,
}

/// `Some(None)` for an explicit `null`, `None` when the field is absent (with `#[serde(default)]`).
fn nullable<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

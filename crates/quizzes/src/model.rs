//! The question bank as stored: categories, questions and their versions,
//! plus the typed ids the service takes.

use lyceum_assessment::Question;
use serde::{Deserialize, Serialize};

lyceum_platform::typed_ids! {
    /// A bank question's id (`questions.id`).
    QuestionId;
    /// A question category's id (`question_categories.id`).
    CategoryId;
    /// A quiz's id (`quizzes.id`).
    QuizId;
    /// An attempt's id (`quiz_attempts.id`).
    AttemptId;
}

/// The category every course's bank starts with, made on first use.
pub const DEFAULT_CATEGORY: &str = "Default";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Category {
    pub id: String,
    pub course_id: String,
    pub parent_id: Option<String>,
    pub name: String,
    pub position: i64,
    pub created_at: i64,
}

/// A category with the number of live questions in it (not in its children).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CategoryCount {
    pub id: String,
    pub parent_id: Option<String>,
    pub name: String,
    pub position: i64,
    pub questions: i64,
}

/// A question's row: what lists show, without its answers.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct QuestionRow {
    pub id: String,
    pub course_id: String,
    pub category_id: String,
    pub name: String,
    pub kind: String,
    pub current_version: i64,
    pub created_by: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// One stored version of a question.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct VersionRow {
    pub question_id: String,
    pub version: i64,
    pub data: String,
    pub created_by: Option<String>,
    pub created_at: i64,
}

/// A question with its current content.
#[derive(Debug, Clone)]
pub struct BankQuestion {
    pub row: QuestionRow,
    pub question: Question,
}

/// A version with its content read back.
#[derive(Debug, Clone)]
pub struct Version {
    pub version: i64,
    pub created_by: Option<String>,
    pub created_at: i64,
    pub question: Question,
}

/// What a bank list is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub category_id: Option<CategoryId>,
    pub kind: Option<String>,
    /// Words in the question's name (case-insensitive, anywhere).
    pub search: Option<String>,
}

/// The two file formats of a bank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    #[default]
    Gift,
    MoodleXml,
}

impl Format {
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Gift => "text/plain; charset=utf-8",
            Format::MoodleXml => "application/xml; charset=utf-8",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Gift => "gift.txt",
            Format::MoodleXml => "xml",
        }
    }

    /// The format's name in the API and the forms.
    pub fn name(self) -> &'static str {
        match self {
            Format::Gift => "gift",
            Format::MoodleXml => "moodle_xml",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "gift" => Some(Format::Gift),
            "moodle_xml" => Some(Format::MoodleXml),
            _ => None,
        }
    }
}

/// The kinds a question can be, as stored in `questions.kind` (Moodle's names).
pub const KINDS: [&str; 9] =
    ["multichoice", "truefalse", "shortanswer", "numerical", "matching", "ordering", "cloze", "essay", "description"];

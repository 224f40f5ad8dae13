//! What the API shows of courses, modules and lessons.

use lyceum_platform::db::rfc3339;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    model::{Category, Course, CourseState, Instructor, Lesson, LessonKind, Level, Module, ModuleOutline},
    service::courses::CourseView,
};

#[derive(Serialize, ToSchema)]
pub struct CategoryDto {
    pub id: String,
    pub slug: String,
    pub name: String,
}

impl From<Category> for CategoryDto {
    fn from(c: Category) -> Self {
        Self { id: c.id, slug: c.slug, name: c.name }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CategoryList {
    pub items: Vec<CategoryDto>,
}

/// A course in a list.
#[derive(Serialize, ToSchema)]
pub struct CourseSummaryDto {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub state: CourseState,
    pub cover_url: Option<String>,
    pub published_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl From<&Course> for CourseSummaryDto {
    fn from(c: &Course) -> Self {
        Self {
            id: c.id.clone(),
            slug: c.slug.clone(),
            title: c.title.clone(),
            summary: c.summary.clone(),
            state: c.state(),
            cover_url: c.cover_url(),
            published_at: c.published_at.map(rfc3339),
            created_at: rfc3339(c.created_at),
            updated_at: rfc3339(c.updated_at),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CourseList {
    pub items: Vec<CourseSummaryDto>,
    /// Pass as `cursor` for the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct InstructorDto {
    pub user_id: String,
    pub display_name: String,
    pub email: String,
    /// `owner` or `co`.
    pub role: String,
}

impl From<Instructor> for InstructorDto {
    fn from(i: Instructor) -> Self {
        Self { user_id: i.user_id, display_name: i.display_name, email: i.email, role: i.role }
    }
}

#[derive(Serialize, ToSchema)]
pub struct InstructorList {
    pub items: Vec<InstructorDto>,
}

#[derive(Serialize, ToSchema)]
pub struct LessonDto {
    pub id: String,
    pub module_id: String,
    pub course_id: String,
    pub title: String,
    pub kind: LessonKind,
    /// Markdown source (text lessons; notes on others).
    pub body: String,
    /// Sanitised HTML rendering of `body`.
    pub body_html: String,
    pub video_url: Option<String>,
    /// The uploaded file, if any (served to those who may see the lesson at `/lessons/{id}/media`).
    pub media: Option<MediaDto>,
    pub duration_minutes: i64,
    pub is_preview: bool,
    pub position: i64,
    pub updated_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct MediaDto {
    pub content_type: String,
    pub size: i64,
    pub file_name: String,
}

impl From<Lesson> for LessonDto {
    fn from(l: Lesson) -> Self {
        let media = match (&l.media_key, &l.media_type) {
            (Some(_), Some(t)) => Some(MediaDto {
                content_type: t.clone(),
                size: l.media_size.unwrap_or_default(),
                file_name: l.file_name.clone().unwrap_or_default(),
            }),
            _ => None,
        };
        Self {
            body_html: l.body_html(),
            kind: l.kind(),
            is_preview: l.preview(),
            id: l.id,
            module_id: l.module_id,
            course_id: l.course_id,
            title: l.title,
            body: l.body_md,
            video_url: l.video_url,
            media,
            duration_minutes: l.duration_minutes,
            position: l.position,
            updated_at: rfc3339(l.updated_at),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct LessonList {
    pub items: Vec<LessonDto>,
}

#[derive(Serialize, ToSchema)]
pub struct ModuleDto {
    pub id: String,
    pub course_id: String,
    pub title: String,
    pub position: i64,
    pub lessons: Vec<LessonDto>,
}

impl From<ModuleOutline> for ModuleDto {
    fn from(m: ModuleOutline) -> Self {
        let mut dto = ModuleDto::from(m.module);
        dto.lessons = m.lessons.into_iter().map(LessonDto::from).collect();
        dto
    }
}

impl From<Module> for ModuleDto {
    fn from(m: Module) -> Self {
        Self { id: m.id, course_id: m.course_id, title: m.title, position: m.position, lessons: Vec::new() }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ModuleList {
    pub items: Vec<ModuleDto>,
}

/// Price: `price_minor` is an integer amount in the currency's minor unit (cents); 0 is free.
#[derive(Serialize, ToSchema)]
pub struct CourseDto {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub summary: String,
    /// Markdown source.
    pub description: String,
    /// Sanitised HTML rendering of `description`.
    pub description_html: String,
    pub cover_url: Option<String>,
    pub category: Option<CategoryDto>,
    pub level: Level,
    pub language: String,
    pub tags: Vec<String>,
    pub price_minor: i64,
    /// ISO 4217; absent (null) exactly when the course is free.
    pub currency: Option<String>,
    pub seat_limit: Option<i64>,
    pub state: CourseState,
    pub published_at: Option<String>,
    pub instructors: Vec<InstructorDto>,
    pub modules: Vec<ModuleDto>,
    /// Learners with an active enrollment.
    pub enrolled_count: i64,
    pub created_at: String,
    pub updated_at: String,
}

impl From<CourseView> for CourseDto {
    fn from(v: CourseView) -> Self {
        let c = v.course;
        Self {
            description_html: c.description_html(),
            cover_url: c.cover_url(),
            state: c.state(),
            level: Level::parse(&c.level).unwrap_or(Level::Beginner),
            published_at: c.published_at.map(rfc3339),
            created_at: rfc3339(c.created_at),
            updated_at: rfc3339(c.updated_at),
            id: c.id,
            slug: c.slug,
            title: c.title,
            summary: c.summary,
            description: c.description_md,
            category: v.category.map(CategoryDto::from),
            language: c.language,
            tags: v.tags,
            price_minor: c.price_minor,
            currency: c.currency,
            seat_limit: c.seat_limit,
            instructors: v.instructors.into_iter().map(InstructorDto::from).collect(),
            modules: v.outline.into_iter().map(ModuleDto::from).collect(),
            enrolled_count: v.enrolled,
        }
    }
}

/// Course fields; on PATCH omitted fields stay as they are, `null` clears a nullable one.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default, deny_unknown_fields)]
pub struct CourseBody {
    /// 3–120 characters.
    pub title: Option<String>,
    /// `[a-z0-9-]{3,80}`, unique; made from the title when omitted on create.
    pub slug: Option<String>,
    /// Plain text, up to 300 characters.
    pub summary: Option<String>,
    /// Markdown, up to 50,000 characters.
    pub description: Option<String>,
    /// A category slug from `GET /api/v1/categories`.
    #[serde(deserialize_with = "super::nullable")]
    #[schema(value_type = Option<String>)]
    pub category: Option<Option<String>>,
    pub level: Option<Level>,
    /// BCP 47 tag, e.g. `en`, `pt-BR`.
    pub language: Option<String>,
    /// Up to 20 tags of up to 30 characters (stored lower-case).
    pub tags: Option<Vec<String>>,
    /// Integer minor units (cents), 0 (free) to 1,000,000,000.
    pub price_minor: Option<i64>,
    /// ISO 4217 code; required when `price_minor` > 0, absent when free.
    #[serde(deserialize_with = "super::nullable")]
    #[schema(value_type = Option<String>)]
    pub currency: Option<Option<String>>,
    /// At least 1; `null` for no limit.
    #[serde(deserialize_with = "super::nullable")]
    #[schema(value_type = Option<i64>)]
    pub seat_limit: Option<Option<i64>>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ModuleBody {
    /// 1–120 characters.
    pub title: String,
}

/// Lesson fields; on PATCH omitted fields stay as they are.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default, deny_unknown_fields)]
pub struct LessonBody {
    /// 1–120 characters.
    pub title: Option<String>,
    /// `text` (default), `video` or `file`.
    pub kind: Option<LessonKind>,
    /// Markdown, up to 50,000 characters.
    pub body: Option<String>,
    /// An external http(s) video address; video lessons only. `null` clears it.
    #[serde(deserialize_with = "super::nullable")]
    #[schema(value_type = Option<String>)]
    pub video_url: Option<Option<String>>,
    /// Estimated minutes, 0–1440.
    pub duration_minutes: Option<i64>,
    /// Anyone may open a preview lesson.
    pub is_preview: Option<bool>,
    /// On edit: move the lesson to the end of this module (of the same course).
    pub module_id: Option<String>,
}

/// The complete new order: every id exactly once.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderBody {
    pub ids: Vec<String>,
}

/// Either `email` or `user_id` of an instructor or admin account.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default, deny_unknown_fields)]
pub struct InstructorBody {
    pub email: Option<String>,
    pub user_id: Option<String>,
}

/// The multipart body of a cover upload, for the document (the handler
/// reads the multipart stream itself, so nothing reads these fields).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct CoverUpload {
    /// PNG, JPEG, GIF or WebP.
    #[schema(value_type = String, format = Binary)]
    pub cover: Vec<u8>,
}

/// The multipart body of a lesson's media upload, for the document.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct MediaUpload {
    /// The kind the lesson becomes with this file (sent before `media`); the
    /// lesson's own kind when absent. A text lesson needs it.
    #[schema(value_type = Option<String>, pattern = "^(video|file)$")]
    pub kind: Option<String>,
    /// Video lessons: MP4 or WebM; file lessons: PDF, ZIP, PNG, JPEG or text.
    #[schema(value_type = String, format = Binary)]
    pub media: Vec<u8>,
}

/// The body of `POST /api/v1/courses`, for the document: a [`CourseBody`]
/// whose `title` is required (PATCH takes the same fields, all optional).
pub struct NewCourseBody;

impl utoipa::PartialSchema for NewCourseBody {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::{RefOr, schema::Schema};
        let mut schema = <CourseBody as utoipa::PartialSchema>::schema();
        if let RefOr::T(Schema::Object(object)) = &mut schema {
            object.required.push("title".to_string());
        }
        schema
    }
}

impl ToSchema for NewCourseBody {
    fn schemas(schemas: &mut Vec<(String, utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>)>) {
        <CourseBody as ToSchema>::schemas(schemas);
    }
}

/// An image uploaded into a lesson: put `markdown` into the lesson's body to show it.
#[derive(Debug, Serialize, ToSchema)]
pub struct LessonImageDto {
    /// The image's file name in the lesson (`<id>.png` or `.jpg`).
    pub name: String,
    /// Where it is served, to whoever may open the lesson.
    pub url: String,
    /// `![](url)`, ready to paste; add a description between the brackets.
    pub markdown: String,
}

impl From<crate::service::images::LessonImage> for LessonImageDto {
    fn from(i: crate::service::images::LessonImage) -> Self {
        Self { markdown: i.markdown(""), name: i.name, url: i.url }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LessonImageList {
    pub items: Vec<LessonImageDto>,
}

/// The multipart body of a lesson image upload, for the document.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ImageUpload {
    /// A PNG, JPEG, GIF or WebP image; stored re-encoded (PNG or JPEG, at most 2400 px a side, no metadata).
    #[schema(value_type = String, format = Binary)]
    pub image: Vec<u8>,
}

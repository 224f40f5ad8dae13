//! Modules and lessons from the editor: add, rename, move, edit, upload, delete.

use askama::Template;
use axum::{
    extract::{
        Multipart, Path, State,
        multipart::{Field, MultipartRejection},
    },
    response::Response,
};
use lyceum_platform::ids::{CourseId, LessonId, ModuleId};
use lyceum_platform::{
    AppError, AppResult, AppState, Text,
    http::extract::PageForm,
    web::{FlashKind, FormErrors, Page, Refused, Reply, guard::SignedIn, redirect_with_flash},
};
use serde::Deserialize;

use super::{
    DeleteForm,
    course::{ConfirmDelete, editor_outline_error, editor_url},
    refused_upload,
};
use crate::{
    http::upload::{self, TextFields},
    model::{Lesson, LessonKind, Module},
    service::{
        images::{self, LessonImage},
        media,
        outline::{self, LessonInput},
    },
};

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TitleForm {
    title: String,
}

/// A refused outline form (module or lesson title) is shown above the editor's outline.
async fn outline_error(state: &AppState, s: SignedIn, module_id: &ModuleId, e: AppError) -> AppResult<Response> {
    let (module, _) = outline::get_module(state, &s.viewer, module_id).await?;
    editor_outline_error(state, s, &CourseId::from(&module.course_id), e).await
}

pub async fn add_module(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<CourseId>,
    PageForm(form): PageForm<TitleForm>,
) -> AppResult<Response> {
    match outline::create_module(&state, &s.viewer, &id, &form.title).await {
        Ok(_) => Ok(redirect_with_flash(&editor_url(id.as_str()), FlashKind::Success, "courses.flash.module_added")),
        Err(e) => editor_outline_error(&state, s, &id, e).await,
    }
}

pub async fn rename_module(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<ModuleId>,
    PageForm(form): PageForm<TitleForm>,
) -> AppResult<Response> {
    match outline::rename_module(&state, &s.viewer, &id, &form.title).await {
        Ok(module) => {
            Ok(redirect_with_flash(&editor_url(&module.course_id), FlashKind::Success, "courses.flash.saved"))
        }
        Err(e) => outline_error(&state, s, &id, e).await,
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MoveForm {
    /// `up` or `down`.
    direction: String,
}

impl MoveForm {
    fn step(&self) -> i64 {
        if self.direction == "up" { -1 } else { 1 }
    }
}

pub async fn move_module(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<ModuleId>,
    PageForm(form): PageForm<MoveForm>,
) -> AppResult<Response> {
    let course_id = outline::move_module(&state, &s.viewer, &id, form.step()).await?;
    Ok(redirect_with_flash(&format!("{}#outline", editor_url(&course_id)), FlashKind::Success, "courses.flash.moved"))
}

pub async fn move_lesson(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<LessonId>,
    PageForm(form): PageForm<MoveForm>,
) -> AppResult<Response> {
    let course_id = outline::move_lesson(&state, &s.viewer, &id, form.step()).await?;
    Ok(redirect_with_flash(&format!("{}#outline", editor_url(&course_id)), FlashKind::Success, "courses.flash.moved"))
}

pub async fn confirm_delete_module(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<ModuleId>,
) -> AppResult<Response> {
    let (module, enrolled) = outline::get_module(&state, &s.viewer, &id).await?;
    Reply::OK.render(&ConfirmDelete {
        page: s.page,
        what_key: "courses.delete.module",
        name: module.title,
        enrolled,
        action: format!("/teach/modules/{id}/delete"),
        back: editor_url(&module.course_id),
    })
}

pub async fn delete_module(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<ModuleId>,
    PageForm(form): PageForm<DeleteForm>,
) -> AppResult<Response> {
    let (module, _) = outline::get_module(&state, &s.viewer, &id).await?;
    outline::delete_module(&state, &s.viewer, &id, form.force == "true").await?;
    Ok(redirect_with_flash(&editor_url(&module.course_id), FlashKind::Success, "courses.flash.deleted"))
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct LessonForm {
    title: String,
    kind: String,
    body: String,
    video_url: String,
    duration_minutes: String,
    is_preview: String,
    module_id: String,
}

impl LessonForm {
    fn from_lesson(l: &Lesson) -> Self {
        Self {
            title: l.title.clone(),
            kind: l.kind.clone(),
            body: l.body_md.clone(),
            video_url: l.video_url.clone().unwrap_or_default(),
            duration_minutes: l.duration_minutes.to_string(),
            is_preview: if l.preview() { "on".into() } else { String::new() },
            module_id: l.module_id.clone(),
        }
    }

    fn input(&self) -> Result<LessonInput, AppError> {
        let minutes = self.duration_minutes.trim();
        let duration = if minutes.is_empty() { Ok(0) } else { minutes.parse::<i64>() };
        let duration =
            duration.map_err(|_| AppError::field("duration_minutes", Text::new("courses.errors.duration_number")))?;
        Ok(LessonInput {
            title: Some(self.title.clone()),
            kind: Some(self.kind.clone()),
            body: Some(self.body.clone()),
            video_url: Some(Some(self.video_url.clone()).filter(|u| !u.trim().is_empty())),
            duration_minutes: Some(duration),
            is_preview: Some(!self.is_preview.is_empty()),
            module_id: Some(ModuleId::from(self.module_id.trim())).filter(|m| !m.as_str().is_empty()),
        })
    }
}

pub async fn add_lesson(
    State(state): State<AppState>,
    s: SignedIn,
    Path(module_id): Path<ModuleId>,
    PageForm(form): PageForm<TitleForm>,
) -> AppResult<Response> {
    let input = LessonInput { title: Some(form.title), ..Default::default() };
    match outline::create_lesson(&state, &s.viewer, &module_id, input).await {
        Ok(lesson) => {
            let to = format!("/teach/lessons/{}", lesson.id);
            Ok(redirect_with_flash(&to, FlashKind::Success, "courses.flash.lesson_added"))
        }
        Err(e) => outline_error(&state, s, &module_id, e).await,
    }
}

#[derive(Template)]
#[template(path = "courses/lesson.html")]
struct LessonEditor {
    page: Page,
    lesson: Lesson,
    form: LessonForm,
    errors: FormErrors,
    /// The refusal of a file upload: the lesson's media (field `media`) or an image (`image`).
    upload_errors: FormErrors,
    kinds: &'static [LessonKind],
    media_max_bytes: usize,
    images: Vec<LessonImage>,
    image_max_bytes: usize,
    /// The course's modules, to move the lesson to another.
    modules: Vec<Module>,
}

impl LessonEditor {
    fn image_markdown(&self, image: &LessonImage) -> String {
        image.markdown("")
    }
}

async fn lesson_page(
    state: &AppState,
    s: SignedIn,
    id: &LessonId,
    form: Option<LessonForm>,
    errors: FormErrors,
    upload_errors: FormErrors,
    reply: Reply,
) -> AppResult<Response> {
    let (lesson, _) = outline::get_lesson(state, &s.viewer, id).await?;
    let images = images::list(state, &s.viewer, id).await?;
    let modules = outline::modules(state, &s.viewer, &CourseId::from(&lesson.course_id)).await?;
    let form = form.unwrap_or_else(|| LessonForm::from_lesson(&lesson));
    let uploads = state.settings.section::<crate::settings::CourseUploads>();
    let tpl = LessonEditor {
        page: s.page,
        lesson,
        form,
        errors,
        upload_errors,
        kinds: LessonKind::ALL,
        media_max_bytes: uploads.lesson_media_max_bytes,
        images,
        image_max_bytes: uploads.lesson_image_max_bytes,
        modules,
    };
    reply.render(&tpl)
}

pub async fn edit_lesson(State(state): State<AppState>, s: SignedIn, Path(id): Path<LessonId>) -> AppResult<Response> {
    lesson_page(&state, s, &id, None, FormErrors::none(), FormErrors::none(), Reply::OK).await
}

pub async fn save_lesson(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<LessonId>,
    PageForm(form): PageForm<LessonForm>,
) -> AppResult<Response> {
    let result = match form.input() {
        Ok(input) => outline::update_lesson(&state, &s.viewer, &id, input).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(redirect_with_flash(&format!("/teach/lessons/{id}"), FlashKind::Success, "courses.flash.saved")),
        Err(e) => {
            let Refused { errors, reply, .. } = Refused::from_error(e, s.page.locale)?;
            lesson_page(&state, s, &id, Some(form), errors, FormErrors::none(), reply).await
        }
    }
}

/// Multipart form; its CSRF token is its first field (see `web::csrf`).
pub async fn upload_image(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<LessonId>,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    let result = match upload::read(multipart, "image").await {
        Ok((data, _)) => images::add(&state, &s.viewer, &id, data).await.map(|_| ()),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(redirect_with_flash(
            &format!("/teach/lessons/{id}#images"),
            FlashKind::Success,
            "courses.flash.image_added",
        )),
        Err(e) => {
            let Refused { errors, reply, .. } = refused_upload(e, "image", s.page.locale)?;
            lesson_page(&state, s, &id, None, FormErrors::none(), errors, reply).await
        }
    }
}

/// Multipart form; its CSRF token is its first field (see `web::csrf`).
pub async fn upload_media(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<LessonId>,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    let store = async |field: Field<'_>, name: String, fields: TextFields| {
        let becomes = upload::lesson_kind(fields.get("kind"))?;
        media::set_lesson_media(&state, &s.viewer, &id, field, &name, becomes).await
    };
    let result = upload::stream(multipart, "media", store).await.map(|_| ());
    match result {
        Ok(()) => {
            Ok(redirect_with_flash(&format!("/teach/lessons/{id}"), FlashKind::Success, "courses.flash.media_saved"))
        }
        Err(e) => {
            let Refused { errors, reply, .. } = refused_upload(e, "media", s.page.locale)?;
            lesson_page(&state, s, &id, None, FormErrors::none(), errors, reply).await
        }
    }
}

pub async fn confirm_delete_lesson(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<LessonId>,
) -> AppResult<Response> {
    let (lesson, enrolled) = outline::get_lesson(&state, &s.viewer, &id).await?;
    Reply::OK.render(&ConfirmDelete {
        page: s.page,
        what_key: "courses.delete.lesson",
        name: lesson.title,
        enrolled,
        action: format!("/teach/lessons/{id}/delete"),
        back: format!("/teach/lessons/{id}"),
    })
}

pub async fn delete_lesson(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<LessonId>,
    PageForm(form): PageForm<DeleteForm>,
) -> AppResult<Response> {
    let course_id = outline::delete_lesson(&state, &s.viewer, &id, form.force == "true").await?;
    Ok(redirect_with_flash(&editor_url(&course_id), FlashKind::Success, "courses.flash.deleted"))
}

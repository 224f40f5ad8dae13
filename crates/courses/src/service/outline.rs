//! Modules and lessons: create, edit, reorder, delete.

use std::collections::HashSet;

use lyceum_platform::ids::{self, CourseId, LessonId, ModuleId};
use lyceum_platform::{AppError, AppState, FieldError, Text, auth::Viewer, db};
use sqlx::AnyConnection;

use super::{access, changed, commit, guard_enrolled, remove_files};
use crate::{
    model::{self, Lesson, LessonKind, Module, ModuleOutline},
    repo::{
        self,
        outline::{LessonFields, Table},
    },
};

/// A course's modules with their lessons, in order, in two queries.
pub async fn load(conn: &mut AnyConnection, course_id: &CourseId) -> Result<Vec<ModuleOutline>, sqlx::Error> {
    let course_id = course_id.as_str();
    let modules = repo::outline::modules(conn, course_id).await?;
    let mut lessons = repo::outline::lessons_of_course(conn, course_id).await?;
    Ok(modules
        .into_iter()
        .map(|module| {
            let (mine, rest) = lessons.drain(..).partition(|l: &Lesson| l.module_id == module.id);
            lessons = rest;
            ModuleOutline { module, lessons: mine }
        })
        .collect())
}

fn module_title(raw: &str) -> Result<String, AppError> {
    model::parse_title("title", raw, 1).map_err(|e| AppError::validation(vec![e]))
}

pub async fn create_module(
    state: &AppState,
    viewer: &Viewer,
    course_id: &CourseId,
    title: &str,
) -> Result<Module, AppError> {
    let title = module_title(title)?;
    let mut tx = state.db.begin().await?;
    let course = access::editable(&mut tx, viewer, course_id).await?.course;
    let id = db::new_id();
    repo::outline::insert_module(&mut tx, &id, course_id.as_str(), &title).await?;
    changed(&mut tx, &course, false).await?;
    let module = repo::outline::module(&mut tx, &id).await?.ok_or_else(AppError::not_found)?;
    commit(state, tx).await?;
    Ok(module)
}

pub async fn rename_module(state: &AppState, viewer: &Viewer, id: &ModuleId, title: &str) -> Result<Module, AppError> {
    let title = module_title(title)?;
    let mut tx = state.db.begin().await?;
    let (editable, _) = access::editable_module(&mut tx, viewer, id).await?;
    repo::outline::rename_module(&mut tx, id.as_str(), &title).await?;
    changed(&mut tx, &editable.course, false).await?;
    let module = repo::outline::module(&mut tx, id.as_str()).await?.ok_or_else(AppError::not_found)?;
    commit(state, tx).await?;
    Ok(module)
}

/// The modules of a course the viewer edits, in order (the lesson editor's module menu).
pub async fn modules(state: &AppState, viewer: &Viewer, course_id: &CourseId) -> Result<Vec<Module>, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    access::editable(&mut conn, viewer, course_id).await?;
    Ok(repo::outline::modules(&mut conn, course_id.as_str()).await?)
}

pub async fn get_module(state: &AppState, viewer: &Viewer, id: &ModuleId) -> Result<(Module, i64), AppError> {
    let mut conn = state.db.pool().acquire().await?;
    let (editable, module) = access::editable_module(&mut conn, viewer, id).await?;
    let enrolled = editable.course.enrolled_count;
    Ok((module, enrolled))
}

/// Deletes a module and its lessons (409 while learners are enrolled, unless `force`).
pub async fn delete_module(state: &AppState, viewer: &Viewer, id: &ModuleId, force: bool) -> Result<(), AppError> {
    let mut tx = state.db.begin().await?;
    let (editable, _) = access::editable_module(&mut tx, viewer, id).await?;
    guard_enrolled(editable.course.enrolled_count, force, "module")?;
    let files = repo::outline::media_keys_of_module(&mut tx, id.as_str()).await?;
    let lessons = repo::outline::lesson_ids_of_module(&mut tx, id.as_str()).await?;
    repo::outline::delete_module(&mut tx, id.as_str()).await?;
    changed(&mut tx, &editable.course, false).await?;
    commit(state, tx).await?;
    remove_files(state, &files).await;
    let lessons: Vec<LessonId> = lessons.iter().map(LessonId::from).collect();
    super::images::remove_folders(state, &CourseId::from(&editable.course.id), &lessons).await;
    Ok(())
}

/// `wanted` must be exactly the current ids, each once, in the new order.
fn check_order(current: &[String], wanted: &[String], what: &str) -> Result<(), AppError> {
    let unique: HashSet<&String> = wanted.iter().collect();
    let same =
        unique.len() == wanted.len() && wanted.len() == current.len() && current.iter().all(|id| unique.contains(id));
    if same {
        return Ok(());
    }
    let message = if what == "module" { "courses.errors.order_modules" } else { "courses.errors.order_lessons" };
    Err(AppError::field("ids", Text::new(message)))
}

pub async fn reorder_modules(
    state: &AppState,
    viewer: &Viewer,
    course_id: &CourseId,
    ids: &[ModuleId],
) -> Result<Vec<ModuleOutline>, AppError> {
    let mut tx = state.db.begin().await?;
    let course = access::editable(&mut tx, viewer, course_id).await?.course;
    let current: Vec<String> =
        repo::outline::modules(&mut tx, course_id.as_str()).await?.into_iter().map(|m| m.id).collect();
    let ids = ids::strings(ids);
    check_order(&current, &ids, "module")?;
    repo::outline::set_positions(&mut tx, Table::Modules, &ids).await?;
    changed(&mut tx, &course, false).await?;
    let outline = load(&mut tx, course_id).await?;
    commit(state, tx).await?;
    Ok(outline)
}

pub async fn reorder_lessons(
    state: &AppState,
    viewer: &Viewer,
    module_id: &ModuleId,
    ids: &[LessonId],
) -> Result<Vec<Lesson>, AppError> {
    let mut tx = state.db.begin().await?;
    let (editable, _) = access::editable_module(&mut tx, viewer, module_id).await?;
    let current = repo::outline::lesson_ids_of_module(&mut tx, module_id.as_str()).await?;
    let ids = ids::strings(ids);
    check_order(&current, &ids, "lesson")?;
    repo::outline::set_positions(&mut tx, Table::Lessons, &ids).await?;
    changed(&mut tx, &editable.course, false).await?;
    let outline = load(&mut tx, &CourseId::from(&editable.course.id)).await?;
    commit(state, tx).await?;
    Ok(outline.into_iter().find(|m| m.module.id == module_id.as_str()).map(|m| m.lessons).unwrap_or_default())
}

/// Moves one item up (-1) or down (+1) among its siblings: the pages' move buttons.
pub async fn move_module(state: &AppState, viewer: &Viewer, id: &ModuleId, step: i64) -> Result<String, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    let (_, module) = access::editable_module(&mut conn, viewer, id).await?;
    let mut ids: Vec<ModuleId> =
        repo::outline::modules(&mut conn, &module.course_id).await?.into_iter().map(|m| ModuleId::from(m.id)).collect();
    drop(conn);
    if swap(&mut ids, id, step) {
        reorder_modules(state, viewer, &CourseId::from(&module.course_id), &ids).await?;
    }
    Ok(module.course_id)
}

pub async fn move_lesson(state: &AppState, viewer: &Viewer, id: &LessonId, step: i64) -> Result<String, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    let (_, lesson) = access::editable_lesson(&mut conn, viewer, id).await?;
    let mut ids: Vec<LessonId> = repo::outline::lesson_ids_of_module(&mut conn, &lesson.module_id)
        .await?
        .into_iter()
        .map(LessonId::from)
        .collect();
    drop(conn);
    if swap(&mut ids, id, step) {
        reorder_lessons(state, viewer, &ModuleId::from(&lesson.module_id), &ids).await?;
    }
    Ok(lesson.course_id)
}

fn swap<T: PartialEq>(ids: &mut [T], id: &T, step: i64) -> bool {
    let Some(at) = ids.iter().position(|x| x == id) else { return false };
    let to = at as i64 + step;
    if to < 0 || to >= ids.len() as i64 {
        return false;
    }
    ids.swap(at, to as usize);
    true
}

/// Lesson fields; `None` keeps the current value (create: the default).
#[derive(Debug, Default, Clone)]
pub struct LessonInput {
    pub title: Option<String>,
    pub kind: Option<String>,
    pub body: Option<String>,
    pub video_url: Option<Option<String>>,
    pub duration_minutes: Option<i64>,
    pub is_preview: Option<bool>,
    /// Edits only: move the lesson to the end of this module of the same course.
    pub module_id: Option<ModuleId>,
}

struct ValidLesson {
    title: String,
    kind: LessonKind,
    body: String,
    video_url: Option<String>,
    duration_minutes: i64,
    is_preview: bool,
}

impl ValidLesson {
    fn fields(&self) -> LessonFields<'_> {
        LessonFields {
            title: &self.title,
            kind: self.kind.as_str(),
            body_md: &self.body,
            video_url: self.video_url.as_deref(),
            duration_minutes: self.duration_minutes,
            is_preview: self.is_preview,
        }
    }
}

fn validate_lesson(input: LessonInput, old: Option<&Lesson>) -> Result<ValidLesson, AppError> {
    let mut errors: Vec<FieldError> = Vec::new();
    let title = input.title.or_else(|| old.map(|l| l.title.clone())).unwrap_or_default();
    let title = model::parse_title("title", &title, 1).map_err(|e| errors.push(e)).ok();
    let kind = input.kind.unwrap_or_else(|| old.map(|l| l.kind.clone()).unwrap_or_else(|| "text".into()));
    let kind = LessonKind::parse(kind.trim())
        .ok_or_else(|| errors.push(FieldError::new("kind", Text::new("courses.errors.lesson_kind"))))
        .ok();
    let body = input.body.or_else(|| old.map(|l| l.body_md.clone())).unwrap_or_default();
    let body = model::parse_text("body", &body, model::DESCRIPTION_MAX).map_err(|e| errors.push(e)).ok();
    // A lesson that stops being a video drops its stored address unless one is sent.
    let video_url = match input.video_url {
        Some(v) => v,
        None if kind == Some(LessonKind::Video) => old.and_then(|l| l.video_url.clone()),
        None => None,
    };
    let video_url = kind.and_then(|k| model::check_video_url(k, video_url.as_deref()).map_err(|e| errors.push(e)).ok());
    let duration = input.duration_minutes.or_else(|| old.map(|l| l.duration_minutes)).unwrap_or(0);
    let duration = model::check_duration(duration).map_err(|e| errors.push(e)).ok();
    let is_preview = input.is_preview.unwrap_or_else(|| old.is_some_and(Lesson::preview));
    match (title, kind, body, video_url, duration) {
        (Some(title), Some(kind), Some(body), Some(video_url), Some(duration_minutes)) if errors.is_empty() => {
            Ok(ValidLesson { title, kind, body, video_url, duration_minutes, is_preview })
        }
        _ => Err(AppError::validation(errors)),
    }
}

pub async fn create_lesson(
    state: &AppState,
    viewer: &Viewer,
    module_id: &ModuleId,
    input: LessonInput,
) -> Result<Lesson, AppError> {
    let mut tx = state.db.begin().await?;
    let (editable, module) = access::editable_module(&mut tx, viewer, module_id).await?;
    let valid = validate_lesson(input, None)?;
    let id = db::new_id();
    repo::outline::insert_lesson(&mut tx, &id, &module, &valid.fields()).await?;
    changed(&mut tx, &editable.course, false).await?;
    let lesson = repo::outline::lesson(&mut tx, &id).await?.ok_or_else(AppError::not_found)?;
    commit(state, tx).await?;
    Ok(lesson)
}

pub async fn update_lesson(
    state: &AppState,
    viewer: &Viewer,
    id: &LessonId,
    input: LessonInput,
) -> Result<Lesson, AppError> {
    let mut tx = state.db.begin().await?;
    let (editable, old) = access::editable_lesson(&mut tx, viewer, id).await?;
    let target = input.module_id.clone().filter(|m| m.as_str() != old.module_id);
    let valid = validate_lesson(input, Some(&old))?;
    repo::outline::update_lesson(&mut tx, id.as_str(), &valid.fields()).await?;
    if let Some(module_id) = target {
        let module = repo::outline::module(&mut tx, module_id.as_str()).await?;
        if module.is_none_or(|m| m.course_id != old.course_id) {
            return Err(AppError::field("module_id", Text::new("courses.errors.module_id")));
        }
        repo::outline::move_lesson_to(&mut tx, id.as_str(), module_id.as_str()).await?;
    }
    // A file the new kind does not take (a video on a text lesson) goes with the change.
    let dropped = match (&old.media_key, &old.media_type) {
        (Some(key), Some(mime)) if !super::media::kind_keeps(valid.kind, mime) => Some(key.clone()),
        _ => None,
    };
    if dropped.is_some() {
        repo::outline::set_media(&mut tx, id.as_str(), None).await?;
    }
    changed(&mut tx, &editable.course, false).await?;
    let lesson = repo::outline::lesson(&mut tx, id.as_str()).await?.ok_or_else(AppError::not_found)?;
    commit(state, tx).await?;
    remove_files(state, &dropped.into_iter().collect::<Vec<_>>()).await;
    Ok(lesson)
}

/// Adds a lesson that another module's activity completes (`activity` is
/// `"quiz"` or `"assignment"`) at the end of `module_id`, in the caller's
/// transaction: that module creates the lesson and its activity in one
/// commit, then calls [`super::content_changed`]. The viewer must be able to
/// edit the course.
pub async fn create_activity_lesson(
    tx: &mut db::Tx,
    viewer: &Viewer,
    module_id: &ModuleId,
    title: &str,
    body: &str,
    activity: &str,
) -> Result<Lesson, AppError> {
    let (editable, module) = access::editable_module(tx, viewer, module_id).await?;
    let input = LessonInput { title: Some(title.into()), body: Some(body.into()), ..LessonInput::default() };
    let valid = validate_lesson(input, None)?;
    let id = db::new_id();
    repo::outline::insert_lesson(tx, &id, &module, &valid.fields()).await?;
    repo::outline::set_activity(tx, &id, activity).await?;
    changed(tx, &editable.course, false).await?;
    repo::outline::lesson(tx, &id).await?.ok_or_else(AppError::not_found)
}

/// A lesson for its editors, with the number of enrolled learners (for the delete warning).
pub async fn get_lesson(state: &AppState, viewer: &Viewer, id: &LessonId) -> Result<(Lesson, i64), AppError> {
    let mut conn = state.db.pool().acquire().await?;
    let (editable, lesson) = access::editable_lesson(&mut conn, viewer, id).await?;
    let enrolled = editable.course.enrolled_count;
    Ok((lesson, enrolled))
}

pub async fn delete_lesson(state: &AppState, viewer: &Viewer, id: &LessonId, force: bool) -> Result<String, AppError> {
    let mut tx = state.db.begin().await?;
    let (editable, lesson) = access::editable_lesson(&mut tx, viewer, id).await?;
    guard_enrolled(editable.course.enrolled_count, force, "lesson")?;
    repo::outline::delete_lesson(&mut tx, id.as_str()).await?;
    changed(&mut tx, &editable.course, false).await?;
    commit(state, tx).await?;
    remove_files(state, &lesson.media_key.into_iter().collect::<Vec<_>>()).await;
    super::images::remove_folders(state, &CourseId::from(&lesson.course_id), std::slice::from_ref(id)).await;
    Ok(lesson.course_id)
}

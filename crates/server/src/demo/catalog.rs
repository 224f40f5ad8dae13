//! The demo catalog: `demo/catalog.toml` loaded through the authoring
//! service, as the demo instructor, so demo courses obey every rule a real
//! instructor's do (validation, publishing needs a lesson, events, search).

use std::collections::HashMap;

use bytes::Bytes;
use lyceum_courses::{
    model::{Course, CourseState},
    service::{
        courses::{self, CourseInput},
        media,
        outline::{self, LessonInput},
    },
};
use lyceum_platform::ids::{CourseId, LessonId, ModuleId};
use lyceum_platform::{
    AppError, AppResult, AppState,
    auth::Viewer,
    keyset::{self, PageRequest},
};
use serde::Deserialize;

use super::{DemoError, Loaded};

const CATALOG: &str = include_str!("../../demo/catalog.toml");

#[derive(Deserialize)]
struct Catalog {
    course: Vec<DemoCourse>,
}

#[derive(Deserialize)]
struct DemoCourse {
    slug: String,
    title: String,
    category: String,
    level: String,
    #[serde(default = "english")]
    language: String,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    price_minor: i64,
    currency: Option<String>,
    seat_limit: Option<i64>,
    summary: String,
    description: String,
    #[serde(default = "published")]
    state: String,
    module: Vec<DemoModule>,
}

#[derive(Deserialize)]
struct DemoModule {
    title: String,
    lesson: Vec<DemoLesson>,
}

#[derive(Deserialize)]
struct DemoLesson {
    title: String,
    minutes: i64,
    #[serde(default)]
    preview: bool,
    #[serde(default = "text")]
    kind: String,
    body: String,
    /// A demo file (video or download) shipped with the binary.
    video: Option<String>,
    file: Option<String>,
}

impl DemoLesson {
    fn has_file(&self) -> bool {
        self.video.is_some() || self.file.is_some()
    }
}

fn english() -> String {
    "en".into()
}
fn published() -> String {
    "published".into()
}
fn text() -> String {
    "text".into()
}

/// The files lessons may name, embedded so the demo needs nothing on disk.
fn demo_file(name: &str) -> Option<&'static [u8]> {
    Some(match name {
        "demo-clock.webm" => include_bytes!("../../demo/files/demo-clock.webm"),
        "ownership-cheat-sheet.txt" => include_bytes!("../../demo/files/ownership-cheat-sheet.txt"),
        "sql-cheat-sheet.txt" => include_bytes!("../../demo/files/sql-cheat-sheet.txt"),
        "spanish-a1-vocabulary.csv" => include_bytes!("../../demo/files/spanish-a1-vocabulary.csv"),
        _ => return None,
    })
}

/// Brings every demo course to its finished state as `instructor`: creates the
/// missing, replaces the unfinished (see the module above), keeps the rest.
pub async fn seed(state: &AppState, instructor: &Viewer) -> Result<Loaded, DemoError> {
    let catalog: Catalog = toml::from_str(CATALOG).expect("demo/catalog.toml is valid (tested)");
    let mut existing = own_courses(state, instructor).await.map_err(failed("(looking for the demo courses)"))?;
    let mut loaded = Loaded::default();
    for (index, course) in catalog.course.into_iter().enumerate() {
        let slug = course.slug.clone();
        match existing.remove(&slug) {
            Some(found) if is_finished(state, instructor, &found, &course).await.map_err(failed(&slug))? => {
                loaded.kept += 1;
                continue;
            }
            Some(unfinished) => {
                tracing::warn!(slug, "replacing a demo course an earlier load left unfinished");
                courses::delete(state, instructor, &CourseId::from(&unfinished.id), false)
                    .await
                    .map_err(failed(&slug))?;
                loaded.repaired += 1;
            }
            None => loaded.created += 1,
        }
        create_course(state, instructor, course, index).await.map_err(failed(&slug))?;
    }
    Ok(loaded)
}

/// Names the demo course a failure concerns.
fn failed(slug: &str) -> impl FnOnce(AppError) -> DemoError + '_ {
    move |source| DemoError::Course { slug: slug.to_string(), source }
}

/// The courses `instructor` teaches, by slug.
async fn own_courses(state: &AppState, instructor: &Viewer) -> AppResult<HashMap<String, Course>> {
    let mut found = HashMap::new();
    let mut cursor: Option<String> = None;
    loop {
        let request = PageRequest::sized(keyset::MAX_LIMIT, cursor.as_deref());
        let page = courses::list(state, instructor, &request).await?;
        found.extend(page.items.into_iter().map(|c| (c.slug.clone(), c)));
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return Ok(found),
        }
    }
}

/// A course leaves draft only as the last step of its creation, so one that
/// has is finished. A draft is finished only if the demo wants a draft and its
/// outline — modules, lessons, lesson files — is all there.
async fn is_finished(state: &AppState, instructor: &Viewer, found: &Course, wanted: &DemoCourse) -> AppResult<bool> {
    if found.state() != CourseState::Draft {
        return Ok(true);
    }
    if wanted.state != "draft" {
        return Ok(false);
    }
    let outline = courses::get(state, instructor, &CourseId::from(&found.id)).await?.outline;
    let same_shape = outline.len() == wanted.module.len()
        && outline.iter().zip(&wanted.module).all(|(have, want)| {
            have.lessons.len() == want.lesson.len()
                && have.lessons.iter().zip(&want.lesson).all(|(l, w)| l.media_key.is_some() == w.has_file())
        });
    Ok(same_shape && found.cover_key.is_some())
}

async fn create_course(state: &AppState, viewer: &Viewer, c: DemoCourse, index: usize) -> AppResult<CourseState> {
    let input = CourseInput {
        title: Some(c.title),
        slug: Some(c.slug),
        summary: Some(c.summary),
        description: Some(c.description),
        category: Some(Some(c.category)),
        level: Some(c.level),
        language: Some(c.language),
        tags: Some(c.tags),
        price_minor: Some(c.price_minor),
        currency: Some(c.currency),
        seat_limit: Some(c.seat_limit),
    };
    let id = CourseId::from(courses::create(state, viewer, input).await?.course.id);
    media::set_cover(state, viewer, &id, Bytes::from(super::cover::render(index))).await?;
    for module in c.module {
        let module_id = ModuleId::from(outline::create_module(state, viewer, &id, &module.title).await?.id);
        for lesson in module.lesson {
            create_lesson(state, viewer, &module_id, lesson).await?;
        }
    }
    let to = CourseState::parse(&c.state).expect("demo course states are valid (tested)");
    if to != CourseState::Draft {
        courses::transition(state, viewer, &id, to).await?;
    }
    Ok(to)
}

async fn create_lesson(state: &AppState, viewer: &Viewer, module_id: &ModuleId, l: DemoLesson) -> AppResult<()> {
    let input = LessonInput {
        title: Some(l.title),
        kind: Some(l.kind),
        body: Some(l.body),
        video_url: None,
        duration_minutes: Some(l.minutes),
        is_preview: Some(l.preview),
        module_id: None,
    };
    let lesson = outline::create_lesson(state, viewer, module_id, input).await?;
    if let Some(name) = l.video.or(l.file) {
        let data = demo_file(&name).unwrap_or_else(|| panic!("demo file {name} is not embedded"));
        let upload = futures::stream::iter([Ok::<_, std::convert::Infallible>(Bytes::from_static(data))]);
        media::set_lesson_media(state, viewer, &LessonId::from(&lesson.id), upload, &name, None).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shipped catalog parses, names only embedded files and valid states,
    /// and is the "about a dozen courses" a newcomer should find.
    #[test]
    fn catalog_is_complete() {
        let catalog: Catalog = toml::from_str(CATALOG).unwrap();
        let published = catalog.course.iter().filter(|c| c.state == "published").count();
        assert!((10..=15).contains(&published), "{published} published demo courses");
        for c in &catalog.course {
            assert!(CourseState::parse(&c.state).is_some(), "{}: state {}", c.slug, c.state);
            for l in c.module.iter().flat_map(|m| &m.lesson) {
                for name in l.video.iter().chain(&l.file) {
                    assert!(demo_file(name).is_some(), "{}: {name} not embedded", c.slug);
                }
            }
        }
    }
}

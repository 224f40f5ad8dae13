//! `/learn/{slug}` (continue), `/learn/{slug}/lessons/{id}` (the lesson) and
//! `POST /learn/lessons/{id}/complete`.

use askama::Template;
use axum::http::StatusCode;
use axum::{
    extract::{Path, State},
    response::{IntoResponse, Redirect, Response},
};
use lyceum_courses::model::{Course, LessonKind, LessonRef, embed_url};
use lyceum_platform::ids::LessonId;
use lyceum_platform::{
    AppResult, AppState,
    web::{FlashKind, Page, Reply, encode_query, guard::SignedIn, redirect_with_flash},
};

use crate::service::{
    access::Seen,
    lesson::{self, LessonRefused, LessonView},
    progress::{self, ProgressInput},
};

fn lesson_url(slug: &str, id: &str) -> String {
    format!("/learn/{slug}/lessons/{id}")
}

pub async fn resume(State(state): State<AppState>, s: SignedIn, Path(slug): Path<String>) -> AppResult<Response> {
    let id = lesson::continue_lesson(&state, &s.viewer, &slug).await?;
    Ok(Redirect::to(&lesson_url(&slug, &id)).into_response())
}

#[derive(Template)]
#[template(path = "learning/lesson.html")]
struct LessonPage {
    page: Page,
    view: LessonView,
}

impl LessonPage {
    fn url(&self, l: &LessonRef) -> String {
        lesson_url(&self.view.course().slug, &l.id)
    }
    /// The module's forum (served by the forums module, linked by URL only).
    fn module_forum_url(&self, module_id: &str) -> String {
        format!("/learn/{}/forums/modules/{module_id}", self.view.course().slug)
    }
    fn is_current(&self, l: &LessonRef) -> bool {
        l.id == self.view.lesson().id
    }
    fn done(&self, id: &str) -> bool {
        self.view.progress.as_ref().is_some_and(|p| p.is_completed(id))
    }
    fn this_done(&self) -> bool {
        self.done(&self.view.lesson().id)
    }
    /// Progress is shown and recorded for enrolled learners only.
    fn tracks(&self) -> bool {
        self.view.enrolled && self.view.seen != Seen::Preview
    }
    fn is_preview(&self) -> bool {
        self.view.seen == Seen::Preview
    }
    fn percent(&self) -> u8 {
        self.view.progress.as_ref().map(|p| p.summary.percent).unwrap_or(0)
    }
    fn module_percent(&self, module_id: &str) -> u8 {
        let summary = self.view.progress.as_ref().map(|p| &p.summary);
        summary.and_then(|s| s.modules.iter().find(|m| m.module_id == module_id)).map(|m| m.percent).unwrap_or(0)
    }
    /// Why the completed course has no certificate yet, in the viewer's language.
    fn certificate_waits(&self) -> Option<String> {
        let waits = self.view.progress.as_ref().and_then(|p| p.certificate_waits.as_ref());
        waits.map(|w| w.text().in_lang(self.page.locale))
    }
    fn certificate_url(&self) -> Option<String> {
        self.view.progress.as_ref().and_then(|p| p.certificate.as_ref()).map(|c| c.url())
    }
    fn kind(&self) -> &'static str {
        self.view.lesson().kind().as_str()
    }
    fn has_file(&self) -> bool {
        self.view.lesson().media_key.is_some()
    }
    fn media_url(&self) -> String {
        format!("/lessons/{}/media", self.view.lesson().id)
    }
    /// An external video address, only if https (anything else is not linked).
    fn external_video(&self) -> Option<&str> {
        let url = self.view.lesson().video_url.as_deref()?;
        (self.view.lesson().kind() == LessonKind::Video && url.starts_with("https://")).then_some(url)
    }
    /// The privacy-enhanced player of a YouTube or Vimeo address, embedded in the page.
    fn embedded_video(&self) -> Option<String> {
        self.external_video().and_then(embed_url)
    }
    fn file_name(&self) -> &str {
        self.view.lesson().file_name.as_deref().unwrap_or("download")
    }
    fn file_size(&self) -> String {
        self.page.size(self.view.lesson().media_size.unwrap_or(0))
    }
    fn body_html(&self) -> &str {
        self.view.body_html()
    }
}

/// A lesson of a course the visitor has not joined: the course's way in
/// (sign in, enroll, buy) instead of a bare refusal.
#[derive(Template)]
#[template(path = "learning/enroll_first.html")]
struct EnrollFirstPage {
    page: Page,
    course: Course,
    /// Back to this lesson after signing in.
    login_url: String,
}

pub async fn lesson(
    State(state): State<AppState>,
    page: Page,
    Path((slug, id)): Path<(String, LessonId)>,
) -> AppResult<Response> {
    match lesson::view(&state, page.viewer.as_ref(), &slug, &id).await {
        Ok(view) => Reply::OK.render(&LessonPage { page, view }),
        Err(LessonRefused::EnrollFirst(course)) => {
            let login_url = format!("/login?next={}", encode_query(&lesson_url(&slug, id.as_str())));
            Reply::status(StatusCode::FORBIDDEN).render(&EnrollFirstPage { page, course: *course, login_url })
        }
        Err(LessonRefused::Other(e)) => Err(e),
    }
}

/// Marks the lesson complete and goes on to the next one (or, at the end, back to it).
pub async fn complete(State(state): State<AppState>, s: SignedIn, Path(id): Path<LessonId>) -> AppResult<Response> {
    let input = ProgressInput { completed: Some(true), position_seconds: None };
    let recorded = progress::record(&state, &s.viewer, &id, input).await?;
    let slug = &recorded.course_slug;
    if recorded.just_completed {
        return Ok(redirect_with_flash(
            &lesson_url(slug, id.as_str()),
            FlashKind::Success,
            "learning.flash.course_completed",
        ));
    }
    let to = recorded.next_lesson_id().unwrap_or(id.as_str());
    Ok(redirect_with_flash(&lesson_url(slug, to), FlashKind::Success, "learning.flash.lesson_completed"))
}

/// Marks the lesson not complete again (a learner who wants to redo it) and stays on it.
pub async fn reopen(State(state): State<AppState>, s: SignedIn, Path(id): Path<LessonId>) -> AppResult<Response> {
    let input = ProgressInput { completed: Some(false), position_seconds: None };
    let recorded = progress::record(&state, &s.viewer, &id, input).await?;
    let to = lesson_url(&recorded.course_slug, id.as_str());
    Ok(redirect_with_flash(&to, FlashKind::Success, "learning.flash.lesson_reopened"))
}

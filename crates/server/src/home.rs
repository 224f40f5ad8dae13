//! The home page: for visitors, what Lyceum is and the catalog's search; for
//! a signed-in learner, their home — the courses to continue, with progress,
//! and what is new for them; instructors and admins also see their courses.
//! It is the composition root's page, so it asks each module's public services.

use askama::Template;
use axum::{extract::State, response::Html};
use lyceum_courses::model::Course;
use lyceum_learning::service::mine::{self, MyCourse};
use lyceum_notifications::{model::Notification, service::inbox};
use lyceum_platform::{
    AppResult, AppState,
    auth::{Role, Viewer},
    keyset::PageRequest,
    web::{Page, render},
};

/// Courses shown under "continue learning" and "your courses".
const SHOWN: i64 = 6;
/// Unread notices shown.
const NOTICES: i64 = 3;

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    page: Page,
    learning: Vec<MyCourse>,
    notices: Vec<Notification>,
    /// The courses an instructor teaches (every course for admins); empty for learners.
    teaching: Vec<Course>,
}

impl Home {
    fn teaches(&self) -> bool {
        self.page.viewer.as_ref().is_some_and(|v| v.role != Role::Learner)
    }
}

pub async fn page(State(state): State<AppState>, page: Page) -> AppResult<Html<String>> {
    let (learning, notices, teaching) = match &page.viewer {
        Some(viewer) => signed_in(&state, viewer).await?,
        None => Default::default(),
    };
    render(&Home { page, learning, notices, teaching })
}

async fn signed_in(state: &AppState, viewer: &Viewer) -> AppResult<(Vec<MyCourse>, Vec<Notification>, Vec<Course>)> {
    let mut learning = mine::list(state, viewer, &PageRequest::sized(SHOWN, None)).await?.items;
    // Unfinished courses first, the most recently studied first among them.
    learning.sort_by_key(|c| (c.completed_at.is_some(), std::cmp::Reverse(c.last_activity_at)));
    let unread = inbox::ListQuery { unread_only: true, page: PageRequest::sized(NOTICES, None) };
    let notices = inbox::list(state, &viewer.id(), unread).await?.items;
    let teaching = if viewer.role == Role::Learner {
        Vec::new()
    } else {
        lyceum_courses::service::courses::list(state, viewer, &PageRequest::sized(SHOWN, None)).await?.items
    };
    Ok((learning, notices, teaching))
}

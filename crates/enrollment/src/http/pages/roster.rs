//! `/teach/courses/{id}/roster`: the learners of a course, for its staff.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    response::Response,
};
use lyceum_platform::ids::{CourseId, UserId};
use lyceum_platform::{
    AppResult, AppState,
    http::extract::PageForm,
    keyset::{PageRequest, Paged},
    web::{FlashKind, FormErrors, Page, Refused, Reply, encode_query, guard::SignedIn, redirect_with_flash},
};
use serde::Deserialize;

use crate::{
    model::{Offer, RosterEntry},
    service::roster::{self, RosterPage},
};

const PAGE_SIZE: i64 = 50;

#[derive(Template)]
#[template(path = "enrollment/roster.html")]
struct Roster {
    page: Page,
    offer: Offer,
    items: Vec<RosterEntry>,
    next_url: Option<String>,
    email: String,
    errors: FormErrors,
}

#[derive(Template)]
#[template(path = "enrollment/confirm_remove.html")]
struct ConfirmRemove {
    page: Page,
    offer: Offer,
    entry: RosterEntry,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CursorQuery {
    cursor: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AddForm {
    email: String,
}

fn roster_url(id: &str) -> String {
    format!("/teach/courses/{id}/roster")
}

pub async fn roster(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<CourseId>,
    Query(q): Query<CursorQuery>,
) -> AppResult<Response> {
    roster_page(&state, s, &id, Some(&q.cursor), String::new(), FormErrors::none(), Reply::OK).await
}

async fn roster_page(
    state: &AppState,
    s: SignedIn,
    id: &CourseId,
    cursor: Option<&str>,
    email: String,
    errors: FormErrors,
    reply: Reply,
) -> AppResult<Response> {
    let RosterPage { offer, entries } =
        roster::list(state, &s.viewer, id, None, &PageRequest::sized(PAGE_SIZE, cursor)).await?;
    let Paged { items, next_cursor } = entries;
    let next_url = next_cursor.map(|c| format!("{}?cursor={}", roster_url(id.as_str()), encode_query(&c)));
    reply.render(&Roster { page: s.page, offer, items, next_url, email, errors })
}

/// Staff enroll a learner by e-mail.
pub async fn add(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<CourseId>,
    PageForm(form): PageForm<AddForm>,
) -> AppResult<Response> {
    match roster::add(&state, &s.viewer, &id, &form.email).await {
        Ok(e) if e.is_new() => {
            Ok(redirect_with_flash(&roster_url(id.as_str()), FlashKind::Success, "enrollment.flash.learner_added"))
        }
        Ok(_) => Ok(redirect_with_flash(&roster_url(id.as_str()), FlashKind::Info, "enrollment.flash.learner_already")),
        Err(e) => {
            let Refused { errors, reply, .. } = Refused::from_error(e.into(), s.page.locale)?;
            roster_page(&state, s, &id, None, form.email, errors, reply).await
        }
    }
}

/// Asks before removing a learner.
pub async fn confirm_remove(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, user_id)): Path<(CourseId, UserId)>,
) -> AppResult<Response> {
    let (offer, entry) = roster::entry(&state, &s.viewer, &id, &user_id).await?;
    Reply::OK.render(&ConfirmRemove { page: s.page, offer, entry })
}

pub async fn remove(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, user_id)): Path<(CourseId, UserId)>,
) -> AppResult<Response> {
    roster::remove(&state, &s.viewer, &id, &user_id).await?;
    Ok(redirect_with_flash(&roster_url(id.as_str()), FlashKind::Success, "enrollment.flash.learner_removed"))
}

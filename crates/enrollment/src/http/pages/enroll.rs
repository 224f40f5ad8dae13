//! `POST /courses/{slug}/enroll` and `/courses/{slug}/unenroll` (with a confirmation page).

use askama::Template;
use axum::{
    extract::{Path, State},
    response::{IntoResponse, Redirect, Response},
};
use lyceum_platform::{
    AppResult, AppState,
    web::{FlashKind, Page, Reply, guard::SignedIn, redirect_with_flash},
};

use super::{course_url, learn_url};
use crate::{
    EnrollError,
    model::Offer,
    service::{cancel, enroll as enrolling, query},
};

#[derive(Template)]
#[template(path = "enrollment/confirm_unenroll.html")]
struct ConfirmUnenroll {
    page: Page,
    offer: Offer,
}

/// Enrolls the viewer: to the course on success; to the checkout (the billing
/// module's page) when the course is paid; back to the course page with a
/// message when it is full or not open.
pub async fn enroll(State(state): State<AppState>, s: SignedIn, Path(slug): Path<String>) -> AppResult<Response> {
    match enrolling::enroll_by_slug(&state, &s.viewer, &slug).await {
        Ok((_, enrolled)) if enrolled.is_new() => {
            Ok(redirect_with_flash(&learn_url(&slug), FlashKind::Success, "enrollment.flash.enrolled"))
        }
        Ok(_) => Ok(redirect_with_flash(&learn_url(&slug), FlashKind::Info, "enrollment.flash.already_enrolled")),
        Err(EnrollError::PaymentRequired(offer)) => {
            Ok(Redirect::to(&format!("/checkout/{}", offer.slug)).into_response())
        }
        Err(EnrollError::CourseFull(_)) => {
            Ok(redirect_with_flash(&course_url(&slug), FlashKind::Error, "enrollment.flash.full"))
        }
        Err(EnrollError::NotOpen(_)) => {
            Ok(redirect_with_flash(&course_url(&slug), FlashKind::Error, "enrollment.flash.not_open"))
        }
        Err(EnrollError::Other(e)) => Err(e),
    }
}

/// Asks before unenrolling; 404 when the viewer is not enrolled.
pub async fn confirm_unenroll(
    State(state): State<AppState>,
    s: SignedIn,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let status = query::status_by_slug(&state, &s.viewer, &slug).await?;
    if !status.enrolled() {
        return Err(lyceum_platform::AppError::not_found());
    }
    Reply::OK.render(&ConfirmUnenroll { page: s.page, offer: status.offer })
}

pub async fn unenroll(State(state): State<AppState>, s: SignedIn, Path(slug): Path<String>) -> AppResult<Response> {
    cancel::unenroll_by_slug(&state, &s.viewer, &slug).await?;
    Ok(redirect_with_flash(&course_url(&slug), FlashKind::Success, "enrollment.flash.unenrolled"))
}

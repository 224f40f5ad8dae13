//! Who may open a page: [`SignedIn`] sends signed-out visitors to the sign-in
//! page (and back afterwards); [`AdminPage`] also refuses other roles with 403.

use crate::{AppError, auth::Viewer, web::Page};
use axum::{
    extract::FromRequestParts,
    http::request::Parts,
    response::{IntoResponse, Response},
};

/// A page for signed-in users: the page context and the viewer.
pub struct SignedIn {
    pub page: Page,
    pub viewer: Viewer,
}

impl<S: Send + Sync> FromRequestParts<S> for SignedIn {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Response> {
        let page = Page::from_parts(parts);
        match page.viewer.clone() {
            Some(viewer) => Ok(SignedIn { page, viewer }),
            // The error renderer turns a page's 401 into a redirect to `/login?next=…`.
            None => Err(AppError::unauthorized("Sign in to continue.").into_response()),
        }
    }
}

/// A page for administrators.
pub struct AdminPage {
    pub page: Page,
    pub viewer: Viewer,
}

impl<S: Send + Sync> FromRequestParts<S> for AdminPage {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        let SignedIn { page, viewer } = SignedIn::from_request_parts(parts, state).await?;
        if viewer.is_admin() {
            Ok(AdminPage { page, viewer })
        } else {
            Err(AppError::forbidden(crate::Text::new("errors.admin_page")).into_response())
        }
    }
}

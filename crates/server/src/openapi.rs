//! The OpenAPI 3.1 document, generated from the handlers' annotations, served
//! at `/api/openapi.json` with a docs page at `/api/docs`.

use std::{collections::HashSet, sync::Arc};

use axum::{
    Router,
    extract::{MatchedPath, Request},
    http::{Method, StatusCode},
    middleware::{self, Next},
    response::{IntoResponse, Response},
};
use lyceum_platform::{AppError, AppState, http::errors::Problem};
use utoipa::{
    Modify, OpenApi,
    openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme},
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_swagger_ui::SwaggerUi;

mod problems;

#[derive(OpenApi)]
#[openapi(
    info(title = "Lyceum API", description = "REST API of the Lyceum learning platform. \
        Programs authenticate with a personal API token (`Authorization: Bearer lyc_…`); \
        browsers use the session cookie plus `X-CSRF-Token` on state-changing calls. \
        Errors are RFC 9457 problem details (`application/problem+json`)."),
    components(schemas(Problem)),
    modifiers(&Security),
    tags(
        (name = "auth", description = "Registration, sign-in, verification, password reset"),
        (name = "users", description = "Your own account"),
        (name = "profiles", description = "Profiles and avatars"),
        (name = "tokens", description = "Personal API tokens"),
        (name = "admin", description = "User administration (admins only)"),
        (name = "notifications", description = "In-app notifications, notification preferences, admins' test notification"),
        (name = "courses", description = "Course authoring: courses, modules, lessons, covers, media, instructors"),
        (name = "enrollments", description = "Enrolling, unenrolling, enrollment status, course rosters for staff"),
        (name = "progress", description = "Lesson progress, course completion, my courses, learners' progress (staff)"),
        (name = "certificates", description = "Certificates of completion: yours, and public verification by code"),
        (name = "catalog", description = "Public catalog: search and browse published courses, course pages, categories"),
        (name = "questions", description = "Question banks: a course's questions and categories, versions, GIFT / Moodle XML import and export, previews (course staff only)"),
        (name = "quizzes", description = "Quizzes in a course's outline: settings, slots and overrides (staff), attempts — start, autosave, submit, review — and grading"),
        (name = "jobs", description = "Background jobs: inspect, retry or discard dead ones (admins only)"),
    )
)]
struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("lyc_…").build()),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(lyceum_platform::auth::SESSION_COOKIE))),
        );
    }
}

/// Every module's API routes. Routes are added with `routes!`, which documents
/// them as it registers them.
pub fn api_router() -> OpenApiRouter<AppState> {
    let mut router = OpenApiRouter::with_openapi(ApiDoc::openapi()).merge(crate::modules().api_routes());
    problems::document_problems(router.get_openapi_mut());
    let documented = Arc::new(operations(router.get_openapi()));
    router.layer(middleware::from_fn(move |req: Request, next: Next| {
        let documented = documented.clone();
        async move { require_documented(&documented, req, next).await }
    }))
}

/// (METHOD, path template) of every documented operation.
pub fn operations(doc: &utoipa::openapi::OpenApi) -> HashSet<(String, String)> {
    let mut out = HashSet::new();
    for (path, item) in doc.paths.paths.iter() {
        let value = serde_json::to_value(item).unwrap_or_default();
        if let Some(map) = value.as_object() {
            for method in ["get", "put", "post", "delete", "patch"] {
                if map.contains_key(method) {
                    out.insert((method.to_uppercase(), path.clone()));
                }
            }
        }
    }
    out
}

/// In debug builds (tests), an API route missing from the document answers
/// 500, so every integration test that calls it fails until it is documented.
/// HEAD is documented by its GET; a wrong method (405) is the router's answer.
async fn require_documented(documented: &HashSet<(String, String)>, req: Request, next: Next) -> Response {
    let undocumented = cfg!(debug_assertions).then(|| {
        let route = req.extensions().get::<MatchedPath>().map(|p| p.as_str().to_string())?;
        let method = if req.method() == Method::HEAD { "GET" } else { req.method().as_str() };
        let key = (method.to_string(), route);
        (!documented.contains(&key)).then_some(key)
    });
    let response = next.run(req).await;
    match undocumented.flatten() {
        Some((method, route)) if response.status() != StatusCode::METHOD_NOT_ALLOWED => {
            AppError::internal(format!("{method} {route} is not in the OpenAPI document")).into_response()
        }
        _ => response,
    }
}

pub fn docs_routes(openapi: utoipa::openapi::OpenApi) -> Router<AppState> {
    Router::from(SwaggerUi::new("/api/docs").url("/api/openapi.json", openapi))
}

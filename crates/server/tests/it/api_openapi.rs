//! The OpenAPI document matches the routes: every accounts operation is
//! documented, and every documented operation is really served.

use crate::{common, openapi_kit};

use std::collections::BTreeSet;

use common::{Backend, TestClient, spawn};
use lyceum_platform::auth::Role;
use openapi_kit::{Walker, course_fixture, fill_path};
use reqwest::Method;
use serde_json::{Value, json};

const ACCOUNTS_TAGS: [&str; 4] = ["auth", "users", "tokens", "admin"];

const ACCOUNTS_OPERATIONS: [(&str, &str); 21] = [
    ("POST", "/api/v1/auth/register"),
    ("POST", "/api/v1/auth/login"),
    ("POST", "/api/v1/auth/logout"),
    ("POST", "/api/v1/auth/verify"),
    ("POST", "/api/v1/auth/verify/resend"),
    ("POST", "/api/v1/auth/password-reset"),
    ("POST", "/api/v1/auth/password-reset/confirm"),
    ("GET", "/api/v1/users/me"),
    ("PATCH", "/api/v1/users/me"),
    ("POST", "/api/v1/users/me/password"),
    ("POST", "/api/v1/users/me/email"),
    ("POST", "/api/v1/auth/confirm-email"),
    ("GET", "/api/v1/users/me/sessions"),
    ("DELETE", "/api/v1/users/me/sessions"),
    ("DELETE", "/api/v1/users/me/sessions/{id}"),
    ("GET", "/api/v1/tokens"),
    ("POST", "/api/v1/tokens"),
    ("DELETE", "/api/v1/tokens/{id}"),
    ("GET", "/api/v1/admin/users"),
    ("GET", "/api/v1/admin/users/{id}"),
    ("PATCH", "/api/v1/admin/users/{id}"),
];

const NOTIFICATIONS_OPERATIONS: [(&str, &str); 7] = [
    ("GET", "/api/v1/notifications"),
    ("GET", "/api/v1/notifications/unread-count"),
    ("POST", "/api/v1/notifications/{id}/read"),
    ("POST", "/api/v1/notifications/read-all"),
    ("GET", "/api/v1/users/me/notification-preferences"),
    ("PUT", "/api/v1/users/me/notification-preferences"),
    ("POST", "/api/v1/admin/notifications/test"),
];

const COURSES_OPERATIONS: [(&str, &str); 25] = [
    ("GET", "/api/v1/courses"),
    ("POST", "/api/v1/courses"),
    ("GET", "/api/v1/courses/{id}"),
    ("PATCH", "/api/v1/courses/{id}"),
    ("DELETE", "/api/v1/courses/{id}"),
    ("POST", "/api/v1/courses/{id}/publish"),
    ("POST", "/api/v1/courses/{id}/archive"),
    ("POST", "/api/v1/courses/{id}/unpublish"),
    ("PUT", "/api/v1/courses/{id}/cover"),
    ("GET", "/api/v1/courses/{id}/instructors"),
    ("POST", "/api/v1/courses/{id}/instructors"),
    ("DELETE", "/api/v1/courses/{id}/instructors/{user_id}"),
    ("POST", "/api/v1/courses/{id}/modules"),
    ("PUT", "/api/v1/courses/{id}/modules/order"),
    ("PATCH", "/api/v1/modules/{id}"),
    ("DELETE", "/api/v1/modules/{id}"),
    ("POST", "/api/v1/modules/{id}/lessons"),
    ("PUT", "/api/v1/modules/{id}/lessons/order"),
    ("GET", "/api/v1/lessons/{id}"),
    ("PATCH", "/api/v1/lessons/{id}"),
    ("DELETE", "/api/v1/lessons/{id}"),
    ("PUT", "/api/v1/lessons/{id}/media"),
    ("GET", "/api/v1/lessons/{id}/images"),
    ("POST", "/api/v1/lessons/{id}/images"),
    ("GET", "/api/v1/categories"),
];

const ENROLLMENTS_OPERATIONS: [(&str, &str); 8] = [
    ("POST", "/api/v1/enrollments"),
    ("GET", "/api/v1/enrollments"),
    ("GET", "/api/v1/enrollments/status"),
    ("GET", "/api/v1/enrollments/{id}"),
    ("DELETE", "/api/v1/enrollments/{id}"),
    ("GET", "/api/v1/courses/{id}/roster"),
    ("POST", "/api/v1/courses/{id}/roster"),
    ("DELETE", "/api/v1/courses/{id}/roster/{user_id}"),
];

const LEARNING_OPERATIONS: [(&str, &str); 6] = [
    ("PUT", "/api/v1/progress/lessons/{lesson_id}"),
    ("GET", "/api/v1/progress/courses"),
    ("GET", "/api/v1/progress/courses/{course_id}"),
    ("GET", "/api/v1/courses/{id}/progress"),
    ("GET", "/api/v1/certificates"),
    ("GET", "/api/v1/certificates/{code}"),
];

const CATALOG_OPERATIONS: [(&str, &str); 3] = [
    ("GET", "/api/v1/catalog/courses"),
    ("GET", "/api/v1/catalog/courses/{slug}"),
    ("GET", "/api/v1/catalog/categories"),
];

/// Every (METHOD, path, operation) in the document.
fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in ["get", "put", "post", "delete", "patch"] {
            if let Some(op) = item.get(method) {
                out.push((method.to_uppercase(), path.clone(), op.clone()));
            }
        }
    }
    out
}

async fn document(client: &TestClient) -> Value {
    let reply = client.get("/api/openapi.json").await;
    assert_eq!(reply.status, 200);
    assert!(reply.header("content-type").starts_with("application/json"));
    reply.json()
}

async fn the_document_is_openapi_3_1_and_lists_every_accounts_operation(backend: Backend) {
    let app = spawn(backend).await;
    let doc = document(&app.client()).await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"), "{}", doc["openapi"]);
    assert_eq!(doc["info"]["title"], "Lyceum API");
    let documented: BTreeSet<(String, String)> = operations(&doc)
        .into_iter()
        .filter(|(_, _, op)| {
            op["tags"].as_array().is_some_and(|t| t.iter().any(|t| ACCOUNTS_TAGS.contains(&t.as_str().unwrap())))
        })
        .map(|(m, p, _)| (m, p))
        .collect();
    let expected: BTreeSet<(String, String)> =
        ACCOUNTS_OPERATIONS.iter().map(|(m, p)| (m.to_string(), p.to_string())).collect();
    assert_eq!(documented, expected);
    let notifications: BTreeSet<(String, String)> = operations(&doc)
        .into_iter()
        .filter(|(_, _, op)| op["tags"].as_array().is_some_and(|t| t.iter().any(|t| t == "notifications")))
        .map(|(m, p, _)| (m, p))
        .collect();
    let expected: BTreeSet<(String, String)> =
        NOTIFICATIONS_OPERATIONS.iter().map(|(m, p)| (m.to_string(), p.to_string())).collect();
    assert_eq!(notifications, expected);
    for name in ["Problem", "UserDto", "LoginResponse", "CreatedTokenDto", "UserList", "NotificationList"] {
        assert!(doc["components"]["schemas"].get(name).is_some(), "schema {name} is documented");
    }
    for scheme in ["bearer", "session"] {
        assert!(doc["components"]["securitySchemes"].get(scheme).is_some(), "security scheme {scheme}");
    }
    app.stop().await;
}

/// Calls every documented operation with real ids (a live token of the
/// caller, an existing user), so a 404 can only mean the route is missing, a
/// 405 that the method is, and a 5xx that the handler is broken.
async fn every_documented_operation_is_served(backend: Backend) {
    let app = spawn(backend).await;
    let (admin, admin_id) = app.signed_in("root@example.org", Role::Admin).await;
    let (secret, _) = admin.create_token("openapi walker").await;
    let bearer = app.bearer_client(&secret);
    let doc = document(&bearer).await;

    let mut ops = operations(&doc);
    // Sign-out and revocation last, so the walk keeps its credentials.
    ops.sort_by_key(|(m, p, _)| (m == "DELETE" || p.ends_with("/logout"), p.clone(), m.clone()));
    assert!(ops.len() >= ACCOUNTS_OPERATIONS.len());
    let mut walker = Walker { app: &app, admin: &admin, bearer: &bearer, admin_id: &admin_id, submission: None };
    for (method, path, _) in ops {
        let concrete = walker.concrete(&path).await;
        let body = (method != "GET" && method != "DELETE").then(|| json!({}));
        let reply = bearer.send(Method::from_bytes(method.as_bytes()).unwrap(), &concrete, body.as_ref()).await;
        assert_ne!(reply.status, 404, "{method} {path} → {}", reply.text);
        assert_ne!(reply.status, 405, "{method} {path} → {}", reply.text);
        assert!(reply.status.as_u16() < 500, "{method} {path} → {}", reply.text);
    }
    app.stop().await;
}

/// The document says which operations need credentials exactly when an
/// anonymous call is refused with 401 (so Swagger's "Authorize" is right).
async fn security_requirements_match_behaviour(backend: Backend) {
    let app = spawn(backend).await;
    let (_, user_id) = app.signed_in("someone@example.org", Role::Instructor).await;
    let anonymous = app.client();
    let doc = document(&anonymous).await;
    for (method, path, op) in operations(&doc) {
        let declared = op["security"].as_array().is_some_and(|s| !s.is_empty());
        let concrete = fill_path(&path, &user_id);
        let body = (method != "GET" && method != "DELETE").then(|| json!({}));
        let reply = anonymous.send(Method::from_bytes(method.as_bytes()).unwrap(), &concrete, body.as_ref()).await;
        assert_eq!(
            declared,
            reply.status == 401,
            "{method} {path}: security declared {declared}, anonymous got {}",
            reply.status
        );
    }
    app.stop().await;
}

async fn the_document_lists_every_courses_operation(backend: Backend) {
    let app = spawn(backend).await;
    let doc = document(&app.client()).await;
    let documented: BTreeSet<(String, String)> = operations(&doc)
        .into_iter()
        .filter(|(_, _, op)| op["tags"].as_array().is_some_and(|t| t.iter().any(|t| t == "courses")))
        .map(|(m, p, _)| (m, p))
        .collect();
    let expected: BTreeSet<(String, String)> =
        COURSES_OPERATIONS.iter().map(|(m, p)| (m.to_string(), p.to_string())).collect();
    assert_eq!(documented, expected);
    for name in ["CourseDto", "CourseBody", "LessonDto", "ModuleDto", "OrderBody", "CategoryList"] {
        assert!(doc["components"]["schemas"].get(name).is_some(), "schema {name} is documented");
    }
    app.stop().await;
}

async fn the_document_lists_every_enrollments_operation(backend: Backend) {
    let app = spawn(backend).await;
    let doc = document(&app.client()).await;
    let documented: BTreeSet<(String, String)> = operations(&doc)
        .into_iter()
        .filter(|(_, _, op)| op["tags"].as_array().is_some_and(|t| t.iter().any(|t| t == "enrollments")))
        .map(|(m, p, _)| (m, p))
        .collect();
    let expected: BTreeSet<(String, String)> =
        ENROLLMENTS_OPERATIONS.iter().map(|(m, p)| (m.to_string(), p.to_string())).collect();
    assert_eq!(documented, expected);
    for name in ["EnrollmentDto", "EnrollBody", "EnrollmentList", "EnrollmentStatusDto", "RosterList", "RosterBody"] {
        assert!(doc["components"]["schemas"].get(name).is_some(), "schema {name} is documented");
    }
    app.stop().await;
}

async fn the_document_lists_every_learning_operation(backend: Backend) {
    let app = spawn(backend).await;
    let doc = document(&app.client()).await;
    let documented: BTreeSet<(String, String)> = operations(&doc)
        .into_iter()
        .filter(|(_, _, op)| {
            op["tags"].as_array().is_some_and(|t| t.iter().any(|t| t == "progress" || t == "certificates"))
        })
        .map(|(m, p, _)| (m, p))
        .collect();
    let expected: BTreeSet<(String, String)> =
        LEARNING_OPERATIONS.iter().map(|(m, p)| (m.to_string(), p.to_string())).collect();
    assert_eq!(documented, expected);
    for name in ["LessonProgressDto", "CourseProgressDto", "MyCourseList", "LearnerProgressList", "VerificationDto"] {
        assert!(doc["components"]["schemas"].get(name).is_some(), "schema {name} is documented");
    }
    app.stop().await;
}

async fn the_document_lists_every_catalog_operation(backend: Backend) {
    let app = spawn(backend).await;
    let doc = document(&app.client()).await;
    let documented: BTreeSet<(String, String)> = operations(&doc)
        .into_iter()
        .filter(|(_, _, op)| op["tags"].as_array().is_some_and(|t| t.iter().any(|t| t == "catalog")))
        .map(|(m, p, _)| (m, p))
        .collect();
    let expected: BTreeSet<(String, String)> =
        CATALOG_OPERATIONS.iter().map(|(m, p)| (m.to_string(), p.to_string())).collect();
    assert_eq!(documented, expected);
    for name in ["CatalogPage", "CourseCard", "CourseDetail", "CatalogCategoryList", "Price"] {
        assert!(doc["components"]["schemas"].get(name).is_some(), "schema {name} is documented");
    }
    app.stop().await;
}

async fn the_docs_page_is_html(backend: Backend) {
    let app = spawn(backend).await;
    let client = app.client();
    let mut reply = client.get("/api/docs").await;
    if reply.status.is_redirection() {
        let location = reply.header("location").to_string();
        assert!(location.starts_with("/api/docs"), "{location}");
        reply = client.get(&location).await;
    }
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert!(reply.header("content-type").starts_with("text/html"), "{}", reply.header("content-type"));
    assert!(reply.text.to_lowercase().contains("swagger"), "{}", reply.text);
    app.stop().await;
}

/// Every list of the document takes `limit` as a query parameter documented
/// 1–100, and answers a value outside that range with a 422 on `limit` (one
/// rule everywhere: refused, never silently clamped).
async fn every_list_refuses_a_limit_outside_its_range(backend: Backend) {
    let app = spawn(backend).await;
    let (admin, admin_id) = app.signed_in("root@example.org", Role::Admin).await;
    let (course, _, _) = course_fixture(&admin).await;
    let doc = document(&admin).await;
    let mut lists = 0;
    for (method, path, op) in operations(&doc) {
        let Some(limit) = op["parameters"].as_array().and_then(|ps| ps.iter().find(|p| p["name"] == "limit")) else {
            continue;
        };
        lists += 1;
        assert_eq!(limit["in"], "query", "{method} {path}");
        assert_eq!((&limit["schema"]["minimum"], &limit["schema"]["maximum"]), (&json!(1), &json!(100)), "{path}");
        let mut path = path.replace("/courses/{id}", &format!("/courses/{course}")).replace("{course_id}", &course);
        if path.contains("{forum_id}") {
            path = path.replace("{forum_id}", &openapi_kit::forum_fixture(&app, &admin).await.forum);
        }
        let concrete = fill_path(&path, &admin_id);
        for outside in ["0", "101"] {
            let reply = admin.get(&format!("{concrete}?limit={outside}")).await;
            assert_eq!(reply.status, 422, "{path}?limit={outside} → {}", reply.text);
            assert_eq!(reply.error_fields(), ["limit"], "{path}");
        }
        assert_eq!(admin.get(&format!("{concrete}?limit=100")).await.status, 200, "{path}?limit=100");
    }
    assert!(lists >= 9, "only {lists} lists take a limit");
    app.stop().await;
}

/// Real answers match their documented schemas where the document was found
/// wrong: the catalog's categories (once described by the authoring list's
/// schema, which requires `id`) and a job whose payload is `null`.
async fn answers_match_their_documented_schemas(backend: Backend) {
    let app = spawn(backend).await;
    let (admin, _) = app.signed_in("root@example.org", Role::Admin).await;
    sqlx::query(
        "INSERT INTO jobs (id, queue, kind, payload, state, attempts, max_attempts, run_at, created_at, updated_at) \
         VALUES ($1, 'default', 'openapi.unit', 'null', 'queued', 0, 1, 4102444800, 0, 0)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .execute(app.state().db.pool())
    .await
    .unwrap();
    let doc = document(&admin).await;
    for path in ["/api/v1/catalog/categories", "/api/v1/categories", "/api/v1/admin/jobs"] {
        let reply = admin.get(path).await;
        assert_eq!(reply.status, 200, "{path}: {}", reply.text);
        let schema = &doc["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
        let mut errors = Vec::new();
        conforms(&doc, schema, &reply.json(), path, &mut errors);
        assert!(errors.is_empty(), "{path} does not match its schema: {errors:#?}");
    }
    app.stop().await;
}

/// Where the server refuses an empty body `{}` with a 422, the document says
/// the body has required fields (a generated client must not offer `{}`);
/// checked on every JSON-body operation without path parameters.
async fn an_empty_body_is_refused_only_where_fields_are_required(backend: Backend) {
    let app = spawn(backend).await;
    let (admin, _) = app.signed_in("root@example.org", Role::Admin).await;
    let (secret, _) = admin.create_token("walker").await;
    let bearer = app.bearer_client(&secret);
    let doc = document(&bearer).await;
    let mut loose = Vec::new();
    for (method, path, op) in operations(&doc) {
        let schema = &op["requestBody"]["content"]["application/json"]["schema"];
        if schema.is_null() || path.contains('{') || path.ends_with("/logout") {
            continue;
        }
        let reply = bearer.send(Method::from_bytes(method.as_bytes()).unwrap(), &path, Some(&json!({}))).await;
        let name = schema["$ref"].as_str().unwrap_or_default().rsplit('/').next().unwrap_or_default();
        let required = doc["components"]["schemas"][name]["required"].as_array().is_some_and(|r| !r.is_empty());
        if reply.status == 422 && !required {
            loose.push(format!("{method} {path}: {{}} → 422 {:?}, but {name} requires nothing", reply.error_fields()));
        }
    }
    assert!(loose.is_empty(), "schemas looser than the server:\n{}", loose.join("\n"));
    app.stop().await;
}

/// A small JSON Schema check (`$ref`, `type`, `required`, `properties`,
/// `items`, `oneOf`/`anyOf`): enough to compare answers with the document.
fn conforms(doc: &Value, schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.rsplit('/').next().unwrap();
        return conforms(doc, &doc["components"]["schemas"][name], value, at, errors);
    }
    if let Some(choices) = schema["oneOf"].as_array().or(schema["anyOf"].as_array()) {
        let fits = choices.iter().any(|c| {
            let mut e = Vec::new();
            conforms(doc, c, value, at, &mut e);
            e.is_empty()
        });
        if !fits {
            errors.push(format!("{at}: {value} matches none of {choices:?}"));
        }
        return;
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let kind = match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    let fits = types.is_empty() || types.contains(&kind) || (kind == "integer" && types.contains(&"number"));
    if !fits {
        errors.push(format!("{at}: {kind} where the schema says {types:?}"));
        return;
    }
    for field in schema["required"].as_array().into_iter().flatten().filter_map(Value::as_str) {
        if value.get(field).is_none() {
            errors.push(format!("{at}: `{field}` is required but absent"));
        }
    }
    if let (Some(props), Some(object)) = (schema["properties"].as_object(), value.as_object()) {
        for (name, sub) in props {
            if let Some(v) = object.get(name) {
                conforms(doc, sub, v, &format!("{at}.{name}"), errors);
            }
        }
    }
    if let (Some(items), Some(array)) = (schema.get("items"), value.as_array()) {
        for (i, v) in array.iter().enumerate() {
            conforms(doc, items, v, &format!("{at}[{i}]"), errors);
        }
    }
}

on_both_backends!(
    every_list_refuses_a_limit_outside_its_range,
    answers_match_their_documented_schemas,
    an_empty_body_is_refused_only_where_fields_are_required,
    the_document_is_openapi_3_1_and_lists_every_accounts_operation,
    every_documented_operation_is_served,
    the_docs_page_is_html,
    security_requirements_match_behaviour,
    the_document_lists_every_courses_operation,
    the_document_lists_every_enrollments_operation,
    the_document_lists_every_learning_operation,
    the_document_lists_every_catalog_operation,
);

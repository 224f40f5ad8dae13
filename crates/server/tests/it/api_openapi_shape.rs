//! The OpenAPI document is shaped so a generated client can use it: parameters
//! are where the server reads them, operationIds and schema names are unique,
//! and error answers are documented as the problem+json the server sends.
//! These are properties of the document alone, so they read it straight from
//! the router (no server, no database).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

fn document() -> Value {
    let doc = serde_json::to_value(lyceum::openapi::api_router().get_openapi()).expect("document as JSON");
    if let Ok(out) = std::env::var("LYCEUM_OPENAPI_OUT") {
        // For a look at the document without a server: LYCEUM_OPENAPI_OUT=/tmp/openapi.json
        std::fs::write(out, serde_json::to_string_pretty(&doc).unwrap()).expect("write the document");
    }
    doc
}

/// Every (METHOD path, operation) in the document.
fn operations(doc: &Value) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in ["get", "put", "post", "delete", "patch"] {
            if let Some(op) = item.get(method) {
                out.push((format!("{} {path}", method.to_uppercase()), op.clone()));
            }
        }
    }
    out
}

/// The `{name}`s of a path template.
fn template_names(path: &str) -> BTreeSet<String> {
    path.split('{').skip(1).filter_map(|rest| rest.split_once('}')).map(|(name, _)| name.to_string()).collect()
}

#[test]
fn path_parameters_are_exactly_the_path_templates_names() {
    let doc = document();
    let mut wrong = Vec::new();
    for (op_name, op) in operations(&doc) {
        let path = op_name.split_once(' ').unwrap().1;
        let params = op["parameters"].as_array().cloned().unwrap_or_default();
        let in_path: BTreeSet<String> = params
            .iter()
            .filter(|p| p["in"] == "path")
            .map(|p| p["name"].as_str().unwrap_or_default().to_string())
            .collect();
        if in_path != template_names(path) {
            wrong.push(format!("{op_name}: path parameters {in_path:?}"));
        }
    }
    assert!(wrong.is_empty(), "parameters documented in the wrong place:\n{}", wrong.join("\n"));
}

#[test]
fn operation_ids_are_unique_and_snake_case() {
    let doc = document();
    let mut seen: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (op_name, op) in operations(&doc) {
        let id = op["operationId"].as_str().unwrap_or_default().to_string();
        seen.entry(id).or_default().push(op_name);
    }
    let duplicated: Vec<_> = seen.iter().filter(|(_, ops)| ops.len() > 1).collect();
    assert!(duplicated.is_empty(), "operationIds used more than once: {duplicated:#?}");
    for id in seen.keys() {
        let snake = !id.is_empty() && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        assert!(snake, "operationId {id:?} is not snake_case");
    }
}

/// utoipa keeps the last of two schemas with one name, so each module's own
/// document is compared with the merged one: a name two modules define
/// differently would leave one of them described by the other's schema.
#[test]
fn no_schema_is_shadowed_by_another_of_the_same_name() {
    let merged = document();
    let modules = [
        ("accounts", lyceum_accounts::api_routes()),
        ("profiles", lyceum_profiles::api_routes()),
        ("notifications", lyceum_notifications::api_routes()),
        ("courses", lyceum_courses::api_routes()),
        ("enrollment", lyceum_enrollment::api_routes()),
        ("learning", lyceum_learning::api_routes()),
        ("catalog", lyceum_catalog::api_routes()),
        ("jobs", lyceum_platform::jobs::api::routes()),
    ];
    let mut shadowed = Vec::new();
    for (module, router) in modules {
        let own = serde_json::to_value(router.get_openapi()).expect("module document");
        for (name, schema) in own["components"]["schemas"].as_object().cloned().unwrap_or_default() {
            if merged["components"]["schemas"][&name] != schema {
                shadowed.push(format!("{module}'s {name}"));
            }
        }
    }
    assert!(shadowed.is_empty(), "schemas replaced by another module's schema of the same name: {shadowed:?}");
}

#[test]
fn every_error_answer_is_documented_as_problem_json() {
    let doc = document();
    let mut wrong = Vec::new();
    for (op_name, op) in operations(&doc) {
        for (status, response) in op["responses"].as_object().cloned().unwrap_or_default() {
            if !(status.starts_with('4') || status.starts_with('5')) {
                continue;
            }
            let types: Vec<String> =
                response["content"].as_object().map(|c| c.keys().cloned().collect()).unwrap_or_default();
            if types != ["application/problem+json"] {
                wrong.push(format!("{op_name} {status}: {types:?}"));
            }
        }
    }
    assert!(wrong.is_empty(), "error answers not documented as application/problem+json:\n{}", wrong.join("\n"));
}

/// OpenAPI 3.1 requires a description on every answer; generators refuse a
/// document without.
#[test]
fn every_answer_has_a_description() {
    let doc = document();
    let mut bare = Vec::new();
    for (op_name, op) in operations(&doc) {
        for (status, response) in op["responses"].as_object().cloned().unwrap_or_default() {
            if response["description"].as_str().is_none_or(|d| d.trim().is_empty()) {
                bare.push(format!("{op_name} {status}"));
            }
        }
    }
    assert!(bare.is_empty(), "answers without a description:\n{}", bare.join("\n"));
}

/// Every operation that needs credentials documents the 401 it gives
/// without them; every operation with a JSON body documents 400 (malformed),
/// 415 (not JSON) and 422 (invalid).
#[test]
fn the_errors_every_operation_can_give_are_documented() {
    let doc = document();
    let mut missing = Vec::new();
    for (op_name, op) in operations(&doc) {
        let responses = &op["responses"];
        let secured = op["security"].as_array().is_some_and(|s| !s.is_empty());
        if secured && responses.get("401").is_none() {
            missing.push(format!("{op_name}: 401"));
        }
        let json_body = op["requestBody"]["content"].get("application/json").is_some();
        for status in ["400", "415", "422"] {
            if json_body && responses.get(status).is_none() {
                missing.push(format!("{op_name}: {status}"));
            }
        }
    }
    assert!(missing.is_empty(), "undocumented error answers:\n{}", missing.join("\n"));
}

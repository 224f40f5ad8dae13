//! The error answers of every operation, documented once here instead of in
//! each handler's annotation: every 4xx/5xx is `application/problem+json`
//! with the `Problem` schema, and the answers the shared plumbing gives
//! (credentials, CSRF, body and query extractors, body limit, database
//! faults) are added to each operation that can meet them. Handlers still
//! list the answers only they give (402, 404 by rule, 409, 410, 429…).
//! Every answer also gets a description when its annotation gave none:
//! OpenAPI 3.1 requires one, and client generators refuse the document
//! without it.

use utoipa::openapi::{
    ContentBuilder, OpenApi, Ref, RefOr, ResponseBuilder,
    path::{Operation, ParameterIn},
};

/// The media type of every error body (RFC 9457).
pub const PROBLEM_JSON: &str = "application/problem+json";

/// Applies the rules to every operation of `doc`.
pub fn document_problems(doc: &mut OpenApi) {
    for item in doc.paths.paths.values_mut() {
        let ops = [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch];
        for (op, is_get) in ops.into_iter().zip([true, false, false, false, false]) {
            if let Some(op) = op.as_mut() {
                add_shared_answers(op, is_get);
                errors_as_problem_json(op);
                describe_undescribed(op);
            }
        }
    }
}

/// The answers an operation can give because of what it takes.
fn add_shared_answers(op: &mut Operation, is_get: bool) {
    let params: Vec<(ParameterIn, String)> = op
        .parameters
        .iter()
        .flatten()
        .filter_map(|p| match p {
            RefOr::T(p) => Some((p.parameter_in.clone(), p.name.clone())),
            RefOr::Ref(_) => None,
        })
        .collect();
    let in_query = |name: &str| params.iter().any(|(at, n)| *at == ParameterIn::Query && n == name);
    let has_query = params.iter().any(|(at, _)| *at == ParameterIn::Query);
    let has_path = params.iter().any(|(at, _)| *at == ParameterIn::Path);
    let body = op.request_body.as_ref().is_some_and(|b| matches!(b, RefOr::T(b) if !b.content.is_empty()));
    let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());

    let mut add = |status: &str, description: &str| {
        op.responses.responses.entry(status.to_string()).or_insert_with(|| problem(description));
    };
    // An invalid, expired or revoked bearer token is a 401 on every operation.
    add("401", "Credentials missing (where needed), invalid, expired or revoked.");
    if secured && !is_get {
        add("403", "Not allowed, or a session-cookie call without its `X-CSRF-Token`.");
    }
    if has_path {
        add("404", "Nothing at this address, or not visible to you.");
    }
    if has_path && !has_query {
        add("400", "The address holds a NUL character (`%00`), which no value can contain.");
    }
    if has_query {
        add("400", "The query string could not be read (e.g. a number that is not one, or a NUL character).");
    }
    if in_query("limit") || in_query("cursor") {
        add("422", "A query parameter is out of range or invalid (`errors` names it).");
    }
    if body {
        add("400", "The body is not valid JSON or multipart.");
        add("408", "The body did not arrive within the request time limit; the connection is closed.");
        add("413", "The body is larger than this operation accepts.");
        add("415", "The body has the wrong `Content-Type`.");
        add("422", "Some fields are missing or invalid (`errors` lists them all).");
    }
    add("500", "An internal fault; the `request_id` finds it in the log.");
    add(
        "503",
        "Temporarily unavailable (database unreachable or busy, the server at its limit of requests in flight, \
         or the request took too long); `Retry-After` says when to try again.",
    );
}

/// Every 4xx/5xx answer: the `Problem` schema as `application/problem+json`.
fn errors_as_problem_json(op: &mut Operation) {
    for (status, response) in op.responses.responses.iter_mut() {
        if !(status.starts_with('4') || status.starts_with('5')) {
            continue;
        }
        if let RefOr::T(response) = response {
            response.content.clear();
            response.content.insert(PROBLEM_JSON.to_string(), RefOr::T(problem_content()));
        }
    }
}

/// A description for every answer that has none, from its status.
fn describe_undescribed(op: &mut Operation) {
    for (status, response) in op.responses.responses.iter_mut() {
        if let RefOr::T(response) = response
            && response.description.trim().is_empty()
        {
            response.description = standard_description(status).to_string();
        }
    }
}

fn standard_description(status: &str) -> &'static str {
    match status {
        "200" => "OK.",
        "201" => "Created.",
        "202" => "Accepted; the work continues in the background.",
        "204" => "Done; no body.",
        "400" => "The request could not be read.",
        "401" => "Credentials missing, invalid, expired or revoked.",
        "402" => "Payment required.",
        "403" => "Not allowed.",
        "404" => "Not found, or not visible to you.",
        "409" => "Conflicts with the current state.",
        "410" => "The link has expired.",
        "413" => "The body is too large.",
        "415" => "The body has the wrong `Content-Type`.",
        "422" => "Some fields are missing or invalid (`errors` lists them all).",
        "429" => "Too many attempts; `Retry-After` says when to try again.",
        "503" => "Temporarily unavailable.",
        _ => "See the operation's description.",
    }
}

fn problem(description: &str) -> RefOr<utoipa::openapi::Response> {
    RefOr::T(ResponseBuilder::new().description(description).content(PROBLEM_JSON, problem_content()).build())
}

fn problem_content() -> utoipa::openapi::Content {
    ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build()
}

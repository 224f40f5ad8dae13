//! User administration over the API: who may use it, listing and searching,
//! cursor pagination, role changes, disabling and enabling accounts.

use crate::common;

use common::{Backend, PASSWORD, TestApp, TestClient, spawn};
use lyceum_accounts::service::admin;
use lyceum_platform::auth::Role;
use lyceum_platform::ids::UserId;
use serde_json::{Value, json};

async fn user(app: &TestApp, email: &str, name: &str, role: Role) -> String {
    admin::create_user(app.state(), email, name, role, PASSWORD).await.expect("create user").id
}

/// The e-mail addresses of one page of `/api/v1/admin/users?{query}`.
async fn emails(client: &TestClient, query: &str) -> Vec<String> {
    let reply = client.get(&format!("/api/v1/admin/users?{query}")).await;
    assert_eq!(reply.status, 200, "{query}: {}", reply.text);
    let mut out: Vec<String> =
        reply.json()["items"].as_array().unwrap().iter().map(|u| u["email"].as_str().unwrap().to_string()).collect();
    out.sort();
    out
}

async fn login_status(app: &TestApp, email: &str) -> Value {
    let reply = app.client().post("/api/v1/auth/login", json!({"email": email, "password": PASSWORD})).await;
    json!([reply.status.as_u16(), reply.json()["type"]])
}

async fn only_admins_may_use_the_admin_routes(backend: Backend) {
    let app = spawn(backend).await;
    let target = app.create_user("target@example.org", Role::Learner).await;
    let anonymous = app.client();
    let (learner, _) = app.signed_in("learner@example.org", Role::Learner).await;
    let (instructor, _) = app.signed_in("instructor@example.org", Role::Instructor).await;
    let (secret, _) = learner.create_token("learner script").await;
    let learner_bearer = app.bearer_client(&secret);
    let one = format!("/api/v1/admin/users/{target}");

    anonymous.get("/api/v1/admin/users").await.assert_problem(401, "unauthorized");
    anonymous.get(&one).await.assert_problem(401, "unauthorized");
    anonymous.patch(&one, json!({"role": "admin"})).await.assert_problem(401, "unauthorized");
    for client in [&learner, &instructor, &learner_bearer] {
        client.get("/api/v1/admin/users").await.assert_problem(403, "forbidden");
        client.get(&one).await.assert_problem(403, "forbidden");
        client.patch(&one, json!({"role": "admin"})).await.assert_problem(403, "forbidden");
    }
    assert_eq!(admin::get(app.state(), &UserId::from(&target)).await.unwrap().role(), Role::Learner, "nothing changed");
    app.stop().await;
}

async fn admins_search_by_email_and_name_case_insensitively(backend: Backend) {
    let app = spawn(backend).await;
    let (root, _) = app.signed_in("root@example.org", Role::Admin).await;
    user(&app, "ada.lovelace@example.org", "Ada Lovelace", Role::Learner).await;
    user(&app, "alan@example.org", "Alan ADAMS", Role::Instructor).await;
    user(&app, "grace@example.org", "Grace Hopper", Role::Learner).await;
    user(&app, "percent@example.org", "100% Sure", Role::Learner).await;

    assert_eq!(emails(&root, "q=ADA").await, ["ada.lovelace@example.org", "alan@example.org"]);
    assert_eq!(emails(&root, "q=hopper").await, ["grace@example.org"]);
    assert_eq!(emails(&root, "q=GRACE%40EXAMPLE").await, ["grace@example.org"]);
    assert_eq!(emails(&root, "q=%25").await, ["percent@example.org"], "% is matched literally");
    assert_eq!(emails(&root, "q=_").await, Vec::<String>::new(), "_ is matched literally");
    assert_eq!(emails(&root, "q=nobody").await, Vec::<String>::new());
    app.stop().await;
}

async fn search_folds_case_beyond_ascii(backend: Backend) {
    let app = spawn(backend).await;
    let (root, _) = app.signed_in("root@example.org", Role::Admin).await;
    user(&app, "emilie@example.org", "Émilie Ørsted", Role::Learner).await;
    for q in ["%C3%A9milie", "%C3%89MILIE", "%C3%B8rsted"] {
        assert_eq!(emails(&root, &format!("q={q}")).await, ["emilie@example.org"], "q={q}");
    }
    app.stop().await;
}

async fn admins_filter_by_role_and_status(backend: Backend) {
    let app = spawn(backend).await;
    let (root, _) = app.signed_in("root@example.org", Role::Admin).await;
    user(&app, "teach@example.org", "Teacher", Role::Instructor).await;
    user(&app, "learn@example.org", "Learner", Role::Learner).await;
    let gone = user(&app, "gone@example.org", "Gone", Role::Learner).await;
    admin::set_disabled(app.state(), None, &UserId::from(&gone), true).await.unwrap();

    assert_eq!(emails(&root, "role=instructor").await, ["teach@example.org"]);
    assert_eq!(emails(&root, "role=learner").await, ["gone@example.org", "learn@example.org"]);
    assert_eq!(emails(&root, "disabled=true").await, ["gone@example.org"]);
    assert_eq!(emails(&root, "role=learner&disabled=false").await, ["learn@example.org"]);
    assert_eq!(emails(&root, "q=e&role=learner&disabled=true").await, ["gone@example.org"]);
    root.get("/api/v1/admin/users?role=wizard").await.assert_problem(400, "bad-request");
    app.stop().await;
}

async fn cursor_pagination_visits_every_user_once(backend: Backend) {
    let app = spawn(backend).await;
    let (root, _) = app.signed_in("root@example.org", Role::Admin).await;
    for n in 0..9 {
        user(&app, &format!("u{n}@example.org"), &format!("User {n}"), Role::Learner).await;
    }
    let all = root.get("/api/v1/admin/users?limit=100").await.json();
    let expected: Vec<Value> = all["items"].as_array().unwrap().iter().map(|u| u["id"].clone()).collect();
    assert_eq!(expected.len(), 11, "9 users, the test admin and the first-start admin");
    assert!(all["next_cursor"].is_null());

    let (mut seen, mut cursor, mut pages) = (Vec::new(), String::new(), 0);
    loop {
        let page = root.get(&format!("/api/v1/admin/users?limit=3&cursor={cursor}")).await.json();
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= 3);
        seen.extend(items.iter().map(|u| u["id"].clone()));
        pages += 1;
        match page["next_cursor"].as_str() {
            Some(next) => cursor = url_encode(next),
            None => break,
        }
        assert!(pages < 10, "pagination does not end");
    }
    assert_eq!(pages, 4);
    assert_eq!(seen, expected, "same users, same order, no duplicates or gaps");
    app.stop().await;
}

fn url_encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

async fn page_size_is_bounded_and_bad_cursors_are_refused(backend: Backend) {
    let app = spawn(backend).await;
    let (root, _) = app.signed_in("root@example.org", Role::Admin).await;
    for outside in ["0", "101"] {
        let reply = root.get(&format!("/api/v1/admin/users?limit={outside}")).await;
        reply.assert_problem(422, "validation");
        assert_eq!(reply.error_fields(), ["limit"]);
    }
    let one = root.get("/api/v1/admin/users?limit=1").await.json();
    assert_eq!(one["items"].as_array().unwrap().len(), 1);
    assert!(one["next_cursor"].is_string());
    for bad in ["garbage", "abc%3Adef", "%3A"] {
        let reply = root.get(&format!("/api/v1/admin/users?cursor={bad}")).await;
        reply.assert_problem(422, "validation");
        assert_eq!(reply.error_fields(), ["cursor"]);
    }
    root.get("/api/v1/admin/users?limit=many").await.assert_problem(400, "bad-request");
    app.stop().await;
}

async fn admins_read_one_user_and_unknown_ids_are_not_found(backend: Backend) {
    let app = spawn(backend).await;
    let (root, _) = app.signed_in("root@example.org", Role::Admin).await;
    let id = user(&app, "one@example.org", "Only One", Role::Instructor).await;
    let reply = root.get(&format!("/api/v1/admin/users/{id}")).await;
    assert_eq!(reply.status, 200);
    let body = reply.json();
    assert_eq!((body["email"].as_str(), body["role"].as_str()), (Some("one@example.org"), Some("instructor")));
    assert!(body.get("password_hash").is_none());
    root.get("/api/v1/admin/users/no-such-id").await.assert_problem(404, "not-found");
    root.patch("/api/v1/admin/users/no-such-id", json!({"role": "learner"})).await.assert_problem(404, "not-found");
    root.patch("/api/v1/admin/users/no-such-id", json!({"disabled": true})).await.assert_problem(404, "not-found");
    app.stop().await;
}

async fn changing_a_role_takes_effect_on_the_next_request(backend: Backend) {
    let app = spawn(backend).await;
    let (root, _) = app.signed_in("root@example.org", Role::Admin).await;
    let (learner, id) = app.signed_in("promote@example.org", Role::Learner).await;
    learner.get("/api/v1/admin/users").await.assert_problem(403, "forbidden");

    let reply = root.patch(&format!("/api/v1/admin/users/{id}"), json!({"role": "admin"})).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.json()["role"], "admin");
    assert_eq!(learner.get("/api/v1/users/me").await.json()["role"], "admin");
    assert_eq!(learner.get("/api/v1/admin/users").await.status, 200);

    let bad = root.patch(&format!("/api/v1/admin/users/{id}"), json!({"role": "wizard"})).await;
    bad.assert_problem(422, "validation");
    assert_eq!(bad.error_fields(), ["role"]);
    app.stop().await;
}

async fn disabling_an_account_cuts_off_its_session_and_tokens_at_once(backend: Backend) {
    let app = spawn(backend).await;
    let (root, _) = app.signed_in("root@example.org", Role::Admin).await;
    let (victim, id) = app.signed_in("disable@example.org", Role::Learner).await;
    let (secret, _) = victim.create_token("script").await;
    let bearer = app.bearer_client(&secret);
    assert_eq!(bearer.get("/api/v1/users/me").await.status, 200);

    let reply = root.patch(&format!("/api/v1/admin/users/{id}"), json!({"disabled": true})).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.json()["disabled"], true);
    victim.get("/api/v1/users/me").await.assert_problem(401, "unauthorized");
    bearer.get("/api/v1/users/me").await.assert_problem(401, "unauthorized");
    assert_eq!(login_status(&app, "disable@example.org").await, json!([403, "urn:lyceum:problem:account-disabled"]));

    let reply = root.patch(&format!("/api/v1/admin/users/{id}"), json!({"disabled": false})).await;
    assert_eq!(reply.json()["disabled"], false);
    assert_eq!(login_status(&app, "disable@example.org").await[0], 200);
    bearer.get("/api/v1/users/me").await.assert_problem(401, "unauthorized");
    app.stop().await;
}

async fn admins_cannot_demote_or_disable_themselves(backend: Backend) {
    let app = spawn(backend).await;
    let (root, me) = app.signed_in("root@example.org", Role::Admin).await;
    let path = format!("/api/v1/admin/users/{me}");
    root.patch(&path, json!({"role": "learner"})).await.assert_problem(409, "conflict");
    root.patch(&path, json!({"disabled": true})).await.assert_problem(409, "conflict");
    root.patch(&path, json!({"role": "learner", "disabled": true})).await.assert_problem(409, "conflict");
    let unchanged = root.patch(&path, json!({"role": "admin", "disabled": false})).await;
    assert_eq!(unchanged.status, 200, "{}", unchanged.text);
    assert_eq!(
        (unchanged.json()["role"].as_str(), unchanged.json()["disabled"].as_bool()),
        (Some("admin"), Some(false))
    );
    assert_eq!(root.get("/api/v1/admin/users").await.status, 200);
    app.stop().await;
}

on_both_backends!(
    only_admins_may_use_the_admin_routes,
    admins_search_by_email_and_name_case_insensitively,
    admins_filter_by_role_and_status,
    cursor_pagination_visits_every_user_once,
    page_size_is_bounded_and_bad_cursors_are_refused,
    admins_read_one_user_and_unknown_ids_are_not_found,
    changing_a_role_takes_effect_on_the_next_request,
    disabling_an_account_cuts_off_its_session_and_tokens_at_once,
    admins_cannot_demote_or_disable_themselves,
    search_folds_case_beyond_ascii,
);

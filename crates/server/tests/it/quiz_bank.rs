//! The question bank API: questions with versions, categories, import and
//! export, previews, and who may see a bank (its course's staff only).

use crate::{common, courses_kit, enrollment_kit, quiz_kit};

use common::{Backend, TestClient, spawn};
use lyceum_platform::auth::Role;
use quiz_kit::{GIFT_FILE, MOODLE_FILE, choice_question, import, question};
use reqwest::Method;
use serde_json::{Value, json};

fn names(list: &Value) -> Vec<String> {
    let mut names: Vec<String> =
        list["items"].as_array().unwrap().iter().map(|q| q["name"].as_str().unwrap().to_string()).collect();
    names.sort();
    names
}

async fn put(client: &TestClient, path: &str, body: Value) -> common::Reply {
    client.send(Method::PUT, path, Some(&body)).await
}

async fn questions_are_versioned_deleted_and_listed_with_filters(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let course = courses_kit::course(&teacher, "Geography").await;
    let id = question(&teacher, &course, "Capital of France").await;
    let got = teacher.get(&format!("/api/v1/questions/{id}")).await.json();
    assert_eq!((got["version"].as_i64(), got["kind"].as_str()), (Some(1), Some("multichoice")));
    assert_eq!(got["question"]["kind"]["choices"][0]["text"]["body"], "Paris", "staff see the answers");

    let edited = put(
        &teacher,
        &format!("/api/v1/questions/{id}"),
        json!({"gift": "::Seine::The Seine flows through Paris. {T}"}),
    )
    .await;
    assert_eq!(edited.status, 200, "{}", edited.text);
    assert_eq!((edited.json()["version"].as_i64(), edited.json()["kind"].as_str()), (Some(2), Some("truefalse")));
    let versions = teacher.get(&format!("/api/v1/questions/{id}/versions")).await.json();
    let numbers: Vec<i64> =
        versions["items"].as_array().unwrap().iter().map(|v| v["version"].as_i64().unwrap()).collect();
    assert_eq!(numbers, [2, 1]);
    assert_eq!(versions["items"][1]["question"]["name"], "Capital of France", "the first version is kept");

    question(&teacher, &course, "Capital of Italy").await;
    let all = teacher.get(&format!("/api/v1/courses/{course}/questions")).await.json();
    assert_eq!(names(&all), ["Capital of Italy", "Seine"]);
    assert!(all["items"][0].get("question").is_none(), "a list carries no answers");
    let by_kind = teacher.get(&format!("/api/v1/courses/{course}/questions?kind=truefalse")).await.json();
    assert_eq!(names(&by_kind), ["Seine"]);
    let by_name = teacher.get(&format!("/api/v1/courses/{course}/questions?q=ITALY")).await.json();
    assert_eq!(names(&by_name), ["Capital of Italy"]);
    let literal = teacher.get(&format!("/api/v1/courses/{course}/questions?q=%25")).await.json();
    assert_eq!(names(&literal), Vec::<String>::new(), "% is a character, not a wildcard");
    let page = teacher.get(&format!("/api/v1/courses/{course}/questions?limit=1")).await.json();
    let cursor = page["next_cursor"].as_str().expect("a next page").to_string();
    let next = teacher.get(&format!("/api/v1/courses/{course}/questions?limit=1&cursor={cursor}")).await.json();
    assert_eq!(next["items"].as_array().unwrap().len(), 1);
    assert_ne!(next["items"][0]["id"], page["items"][0]["id"]);
    teacher.get(&format!("/api/v1/courses/{course}/questions?kind=riddle")).await.assert_problem(422, "validation");

    assert_eq!(teacher.delete(&format!("/api/v1/questions/{id}")).await.status, 204);
    teacher.get(&format!("/api/v1/questions/{id}")).await.assert_problem(404, "not-found");
    let after = teacher.get(&format!("/api/v1/courses/{course}/questions")).await.json();
    assert_eq!(names(&after), ["Capital of Italy"]);
    app.stop().await;
}

async fn invalid_questions_are_422_naming_the_field(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let course = courses_kit::course(&teacher, "Geography").await;
    let path = format!("/api/v1/courses/{course}/questions");
    let mut unnamed = choice_question("", "Text");
    unnamed["name"] = json!("  ");
    let reply = teacher.post(&path, json!({"question": unnamed})).await;
    reply.assert_problem(422, "validation");
    assert_eq!(reply.error_fields(), ["question.name"]);
    let mut one_choice = choice_question("Lonely", "Only one?");
    one_choice["kind"]["choices"].as_array_mut().unwrap().pop();
    let reply = teacher.post(&path, json!({"question": one_choice})).await;
    assert_eq!(reply.error_fields(), ["question.kind"]);
    assert!(reply.text.contains("at least two choices"), "{}", reply.text);
    let reply = teacher.post(&path, json!({"gift": "::Broken::Which? {~A ~B}"})).await;
    assert_eq!(reply.error_fields(), ["gift"]);
    assert!(reply.text.contains("Line 1"), "{}", reply.text);
    let reply = teacher.post(&path, json!({})).await;
    assert_eq!(reply.error_fields(), ["question"]);
    let reply = teacher.post(&path, json!({"question": {"name": "x"}})).await;
    assert_eq!(reply.status, 422, "a question missing its parts: {}", reply.text);
    let count = teacher.get(&path).await.json();
    assert_eq!(count["items"].as_array().unwrap().len(), 0, "nothing was saved");
    app.stop().await;
}

async fn categories_are_made_used_and_deleted_only_when_empty(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let course = courses_kit::course(&teacher, "Geography").await;
    let cats = format!("/api/v1/courses/{course}/question-categories");
    let maps = teacher.post(&cats, json!({"name": "Maps"})).await;
    assert_eq!(maps.status, 201, "{}", maps.text);
    let maps = maps.json()["id"].as_str().unwrap().to_string();
    let rivers = teacher.post(&cats, json!({"name": "Rivers", "parent_id": maps})).await.json();
    let rivers = rivers["id"].as_str().unwrap().to_string();
    let taken = teacher.post(&cats, json!({"name": "Maps"})).await;
    assert_eq!(taken.error_fields(), ["name"]);
    teacher.post(&cats, json!({"name": "A/B"})).await.assert_problem(422, "validation");
    let cycle = teacher.patch(&format!("{cats}/{maps}"), json!({"parent_id": rivers})).await;
    assert_eq!(cycle.error_fields(), ["parent_id"]);

    let q = question(&teacher, &course, "Capital").await;
    let moved = teacher
        .post(&format!("/api/v1/courses/{course}/questions/move"), json!({"question_ids": [q], "category_id": rivers}))
        .await;
    assert_eq!(moved.json()["moved"], 1, "{}", moved.text);
    let listed = teacher.get(&format!("/api/v1/courses/{course}/questions?category={rivers}")).await.json();
    assert_eq!(names(&listed), ["Capital"]);
    let full = teacher.delete(&format!("{cats}/{rivers}")).await;
    full.assert_problem(409, "category-not-empty");
    assert!(full.json()["detail"].as_str().unwrap().contains("1 question"), "{}", full.text);
    teacher.delete(&format!("{cats}/{maps}")).await.assert_problem(409, "category-not-empty");

    teacher.delete(&format!("/api/v1/questions/{q}")).await;
    assert_eq!(teacher.delete(&format!("{cats}/{rivers}")).await.status, 204);
    let renamed = teacher.patch(&format!("{cats}/{maps}"), json!({"name": "Atlases"})).await;
    assert_eq!(renamed.json()["name"], "Atlases", "{}", renamed.text);
    let tree = teacher.get(&cats).await.json();
    let names: Vec<&str> = tree["items"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Atlases", "Default"], "Default was made by the first question");
    app.stop().await;
}

async fn gift_import_reports_bad_lines_and_exports_round_trip(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let course = courses_kit::course(&teacher, "Geography").await;
    let report = import(&teacher, &course, "gift", GIFT_FILE).await;
    assert_eq!(report["imported"], 5, "{report}");
    assert_eq!(report["problems"].as_array().unwrap().len(), 1, "{report}");
    assert_eq!(report["problems"][0]["line"], 15, "{report}");
    let tree = teacher.get(&format!("/api/v1/courses/{course}/question-categories")).await.json();
    let names: Vec<&str> = tree["items"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Geography", "Asia", "Europe"]);

    let file = teacher.get(&format!("/api/v1/courses/{course}/questions/export?format=gift")).await;
    assert_eq!(file.status, 200, "{}", file.text);
    assert!(file.header("content-type").starts_with("text/plain"), "{}", file.header("content-type"));
    assert!(file.header("content-disposition").contains("geography-questions.gift.txt"), "{:?}", file.headers);
    assert_eq!(file.header("x-export-skipped"), "0");
    assert!(file.text.contains("$CATEGORY: $course$/top/Geography/Asia"), "{}", file.text);

    let copy = courses_kit::course(&teacher, "Geography again").await;
    let again = import(&teacher, &copy, "gift", &file.text).await;
    assert_eq!((again["imported"].as_i64(), again["problems"].as_array().unwrap().len()), (Some(5), 0), "{again}");
    let before = teacher.get(&format!("/api/v1/courses/{course}/questions")).await.json();
    let after = teacher.get(&format!("/api/v1/courses/{copy}/questions")).await.json();
    assert_eq!(names_of(&before), names_of(&after));

    let asia = tree["items"].as_array().unwrap().iter().find(|c| c["name"] == "Asia").unwrap()["id"].clone();
    let asia = asia.as_str().unwrap();
    let xml =
        teacher.get(&format!("/api/v1/courses/{course}/questions/export?format=moodle_xml&category={asia}")).await;
    assert!(xml.header("content-type").starts_with("application/xml"), "{}", xml.header("content-type"));
    assert!(xml.text.contains("Capital of Japan") && !xml.text.contains("Capital of France"), "{}", xml.text);
    let json_report =
        teacher.get(&format!("/api/v1/courses/{course}/questions/export?format=moodle_xml&report=json")).await.json();
    assert_eq!(json_report["skipped"].as_array().unwrap().len(), 0, "{json_report}");
    assert!(json_report["text"].as_str().unwrap().contains("<quiz>"), "{json_report}");
    app.stop().await;
}

fn names_of(list: &Value) -> Vec<String> {
    names(list)
}

async fn moodle_xml_import_keeps_the_good_questions(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let course = courses_kit::course(&teacher, "Science").await;
    let report = import(&teacher, &course, "moodle_xml", MOODLE_FILE).await;
    assert_eq!(report["imported"], 2, "{report}");
    assert_eq!(report["problems"][0]["line"], 17, "{report}");
    assert!(report["problems"][0]["message"].as_str().unwrap().contains("Lonely"), "{report}");
    let list = teacher.get(&format!("/api/v1/courses/{course}/questions")).await.json();
    assert_eq!(names(&list), ["Sky", "Symbol"]);

    let part = reqwest::multipart::Part::bytes(MOODLE_FILE.as_bytes().to_vec()).file_name("bank.xml");
    let form = reqwest::multipart::Form::new().text("format", "moodle_xml").part("file", part);
    let req = teacher.http.post(teacher.url(&format!("/api/v1/courses/{course}/questions/import"))).multipart(form);
    let uploaded = teacher.raw(req.header("x-csrf-token", teacher.csrf.clone().unwrap())).await;
    assert_eq!(uploaded.status, 200, "{}", uploaded.text);
    assert_eq!(uploaded.json()["imported"], 2);
    let bad = import_reply(&teacher, &course, json!({"format": "qti", "text": "x"})).await;
    assert_eq!(bad.error_fields(), ["format"]);
    app.stop().await;
}

async fn import_reply(client: &TestClient, course: &str, body: Value) -> common::Reply {
    client.post(&format!("/api/v1/courses/{course}/questions/import"), body).await
}

async fn a_preview_shows_no_answers_and_grades_a_response(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let course = courses_kit::course(&teacher, "Geography").await;
    let id = question(&teacher, &course, "Capital").await;
    let path = format!("/api/v1/questions/{id}/preview");
    let shown = teacher.post(&path, json!({})).await;
    assert_eq!(shown.status, 200, "{}", shown.text);
    let shown = shown.json();
    assert_eq!(shown["view"]["body"]["type"], "multiple_choice");
    assert!(!shown["view"].to_string().contains("fraction") && !shown["view"].to_string().contains("Yes"), "{shown}");
    let choices = shown["view"]["body"]["choices"].as_array().unwrap();
    let paris = choices.iter().position(|c| c["body"] == "Paris").unwrap();
    let body = json!({"layout": shown["layout"], "response": {"type": "choices", "value": [paris]}});
    let graded = teacher.post(&path, body).await.json();
    assert_eq!(
        (graded["outcome"]["state"].as_str(), graded["outcome"]["fraction"].as_f64()),
        (Some("correct"), Some(1.0))
    );
    let wrong_kind = teacher
        .post(&path, json!({"layout": shown["layout"], "response": {"type": "true_false", "value": true}}))
        .await;
    assert_eq!(wrong_kind.error_fields(), ["response"]);
    app.stop().await;
}

/// Every bank route, tried by someone who is not the course's staff.
async fn every_route(client: &TestClient, course: &str, question: &str, category: &str) -> Vec<(String, u16)> {
    let q = json!({"question": choice_question("Stolen", "x")});
    let calls: Vec<(Method, String, Option<Value>)> = vec![
        (Method::GET, format!("/api/v1/courses/{course}/questions"), None),
        (Method::POST, format!("/api/v1/courses/{course}/questions"), Some(q.clone())),
        (
            Method::POST,
            format!("/api/v1/courses/{course}/questions/move"),
            Some(json!({"question_ids": [question], "category_id": category})),
        ),
        (
            Method::POST,
            format!("/api/v1/courses/{course}/questions/import"),
            Some(json!({"format": "gift", "text": GIFT_FILE})),
        ),
        (Method::GET, format!("/api/v1/courses/{course}/questions/export"), None),
        (Method::GET, format!("/api/v1/courses/{course}/question-categories"), None),
        (Method::POST, format!("/api/v1/courses/{course}/question-categories"), Some(json!({"name": "Mine"}))),
        (
            Method::PATCH,
            format!("/api/v1/courses/{course}/question-categories/{category}"),
            Some(json!({"name": "Mine"})),
        ),
        (Method::DELETE, format!("/api/v1/courses/{course}/question-categories/{category}"), None),
        (Method::GET, format!("/api/v1/questions/{question}"), None),
        (Method::PUT, format!("/api/v1/questions/{question}"), Some(q)),
        (Method::GET, format!("/api/v1/questions/{question}/versions"), None),
        (Method::POST, format!("/api/v1/questions/{question}/preview"), Some(json!({}))),
        (Method::DELETE, format!("/api/v1/questions/{question}"), None),
    ];
    let mut out = Vec::new();
    for (method, path, body) in calls {
        let reply = client.send(method.clone(), &path, body.as_ref()).await;
        out.push((format!("{method} {path}"), reply.status.as_u16()));
    }
    out
}

async fn only_the_courses_staff_reach_its_bank(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (other, _) = app.signed_in("other@example.org", Role::Instructor).await;
    let (learner, _) = app.signed_in("learner@example.org", Role::Learner).await;
    let (course, _) = enrollment_kit::published(&teacher, "Geography", json!({})).await;
    enrollment_kit::add_to_roster(&teacher, &course, "learner@example.org").await;
    let id = question(&teacher, &course, "Capital").await;
    let cat = teacher.post(&format!("/api/v1/courses/{course}/question-categories"), json!({"name": "Maps"})).await;
    let cat = cat.json()["id"].as_str().unwrap().to_string();

    for (who, client, status) in
        [("another instructor", &other, 404), ("an enrolled learner", &learner, 404), ("anonymous", &app.client(), 401)]
    {
        for (call, got) in every_route(client, &course, &id, &cat).await {
            assert_eq!(got, status, "{who}: {call}");
        }
    }
    // Nothing changed.
    let got = teacher.get(&format!("/api/v1/questions/{id}")).await.json();
    assert_eq!((got["name"].as_str(), got["version"].as_i64()), (Some("Capital"), Some(1)));
    let cats = teacher.get(&format!("/api/v1/courses/{course}/question-categories")).await.json();
    assert_eq!(cats["items"].as_array().unwrap().len(), 2, "{cats}");
    // A co-instructor is staff.
    let added =
        teacher.post(&format!("/api/v1/courses/{course}/instructors"), json!({"email": "other@example.org"})).await;
    assert!(added.status.is_success(), "{}", added.text);
    assert_eq!(other.get(&format!("/api/v1/questions/{id}")).await.status, 200);
    app.stop().await;
}

on_both_backends!(
    questions_are_versioned_deleted_and_listed_with_filters,
    invalid_questions_are_422_naming_the_field,
    categories_are_made_used_and_deleted_only_when_empty,
    gift_import_reports_bad_lines_and_exports_round_trip,
    moodle_xml_import_keeps_the_good_questions,
    a_preview_shows_no_answers_and_grades_a_response,
    only_the_courses_staff_reach_its_bank,
);

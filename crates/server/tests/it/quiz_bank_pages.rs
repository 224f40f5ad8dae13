//! The question bank's staff pages: the list with import and export, a
//! question written in GIFT, the learner's view with "try it", editing,
//! deleting; escaping of what teachers write; who may open them.

use crate::{common, courses_kit, enrollment_kit, quiz_kit};

use common::{Backend, TestClient, spawn};
use lyceum_platform::auth::Role;
use quiz_kit::{GIFT_FILE, choice_question, question};
use serde_json::json;

/// The value of the hidden input `name` on a page, unescaped.
fn hidden(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page.find(&marker).unwrap_or_else(|| panic!("no {name} field")) + marker.len();
    let raw = page[start..].split('"').next().unwrap();
    raw.replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

async fn import_file(client: &TestClient, course: &str, csrf: &str, format: &str, text: &str) -> common::Reply {
    let part = reqwest::multipart::Part::bytes(text.as_bytes().to_vec()).file_name("bank.txt");
    let form = reqwest::multipart::Form::new()
        .text("csrf", csrf.to_string())
        .text("format", format.to_string())
        .part("file", part);
    let path = format!("/teach/courses/{course}/questions/import");
    TestClient::reply(client.http.post(client.url(&path)).multipart(form).send().await.unwrap()).await
}

async fn a_teacher_imports_writes_tries_edits_and_deletes(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let course = courses_kit::course(&teacher, "Geography").await;
    let editor = teacher.get(&format!("/teach/courses/{course}")).await;
    assert!(
        editor.text.contains(&format!("href=\"/teach/courses/{course}/questions\"")),
        "no bank link on the staff page"
    );

    let bank = format!("/teach/courses/{course}/questions");
    let csrf = teacher.page_csrf(&bank).await;
    let report = import_file(&teacher, &course, &csrf, "gift", GIFT_FILE).await;
    assert_eq!(report.status, 200, "{}", report.text);
    assert!(report.text.contains("5 question(s) imported"), "{}", report.text);
    assert!(report.text.contains("Line 15:"), "{}", report.text);
    let empty = import_file(&teacher, &course, &csrf, "gift", "").await;
    assert_eq!(empty.status, 422);
    assert!(empty.text.contains("Choose a file to import"), "{}", empty.text);

    let added = teacher
        .form(&format!("/teach/courses/{course}/question-categories"), &[("csrf", &csrf), ("name", "Empty")])
        .await;
    assert_eq!(added.status, 303, "{}", added.text);
    let tree = teacher.get(&format!("/api/v1/courses/{course}/question-categories")).await.json();
    let id_of = |name: &str| {
        tree["items"].as_array().unwrap().iter().find(|c| c["name"] == name).unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let delete_category = |id: String| format!("/teach/courses/{course}/question-categories/{id}/delete");
    let full = teacher.form(&delete_category(id_of("Geography")), &[("csrf", &csrf)]).await;
    assert_eq!(full.status, 409);
    assert!(full.text.contains("still holds 0 question(s) and 2 category(ies)"), "{}", full.text);
    let emptied = teacher.form(&delete_category(id_of("Empty")), &[("csrf", &csrf)]).await;
    assert_eq!(emptied.status, 303, "{}", emptied.text);
    assert!(!teacher.get(&bank).await.text.contains(">Empty<"), "the category is gone");

    let list = teacher.get(&format!("{bank}?kind=truefalse")).await;
    assert!(list.text.contains("Seine") && !list.text.contains("Capital of Japan"), "{}", list.text);
    let file = teacher.get(&format!("{bank}/export?format=moodle_xml")).await;
    assert!(file.header("content-disposition").contains(".xml"), "{:?}", file.headers);

    let bad = teacher.form(&format!("{bank}/new"), &[("csrf", &csrf), ("gift", "::Q::Which? {~A ~B}")]).await;
    assert_eq!(bad.status, 422);
    assert!(bad.text.contains("Line 1:") && bad.text.contains("::Q::Which? {~A ~B}"), "the form keeps what was typed");
    let gift = "::Capital::What is the capital of **France**? {=Paris ~Lyon}";
    let made = teacher.form(&format!("{bank}/new"), &[("csrf", &csrf), ("gift", gift)]).await;
    assert_eq!(made.status, 303, "{}", made.text);
    let page_path = made.header("location").to_string();
    assert!(page_path.starts_with("/teach/questions/"), "{page_path}");

    let page = teacher.get(&page_path).await;
    assert!(page.text.contains("As a learner sees it"), "{}", page.text);
    let layout = hidden(&page.text, "layout");
    let order: serde_json::Value = serde_json::from_str(&layout).unwrap();
    let paris = order["order"].as_array().unwrap().iter().position(|i| i == 0).unwrap().to_string();
    let tried =
        teacher.form(&format!("{page_path}/try"), &[("csrf", &csrf), ("layout", &layout), ("choice", &paris)]).await;
    assert_eq!(tried.status, 200);
    assert!(tried.text.contains("Correct") && tried.text.contains("100 %"), "{}", tried.text);

    let edited =
        teacher.form(&page_path, &[("csrf", &csrf), ("gift", "::Capital::Capital of France? {=Paris ~Nice}")]).await;
    assert_eq!(edited.status, 303, "{}", edited.text);
    let page = teacher.get(&page_path).await;
    assert!(page.text.contains("Version 2") && page.text.contains("Version 1"), "{}", page.text);

    let confirm = teacher.get(&format!("{page_path}/delete")).await;
    assert!(confirm.text.contains("Delete this question?"), "{}", confirm.text);
    let deleted = teacher.form(&format!("{page_path}/delete"), &[("csrf", &csrf)]).await;
    assert_eq!((deleted.status.as_u16(), deleted.header("location")), (303, bank.as_str()));
    assert_eq!(teacher.get(&page_path).await.status, 404);
    app.stop().await;
}

async fn what_teachers_write_is_escaped_or_sanitised(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let course = courses_kit::course(&teacher, "Geography").await;
    let body = json!({"question": choice_question("<script>alert(1)</script>", "Look: <img src=x onerror=alert(1)> **bold**")});
    let made = teacher.post(&format!("/api/v1/courses/{course}/questions"), body).await;
    let id = made.json()["id"].as_str().unwrap().to_string();
    for path in [format!("/teach/courses/{course}/questions"), format!("/teach/questions/{id}")] {
        let page = teacher.get(&path).await;
        assert_eq!(page.status, 200, "{path}");
        assert!(!page.text.contains("<script>alert(1)"), "{path} runs the name");
        assert!(page.text.contains("&#60;script&#62;alert(1)&#60;/script&#62;"), "{path} shows the name");
        // The GIFT edit box shows the teacher's text escaped; no tag may keep the handler.
        assert!(
            !page.text.contains("onerror=alert(1)>") && !page.text.contains("onerror=\""),
            "{path} keeps the handler"
        );
    }
    let page = teacher.get(&format!("/teach/questions/{id}")).await;
    assert!(page.text.contains("<strong>bold</strong>"), "markdown is rendered: {}", page.text);
    app.stop().await;
}

async fn only_the_courses_staff_open_the_bank_pages(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (other, _) = app.signed_in("other@example.org", Role::Instructor).await;
    let (learner, _) = app.signed_in("learner@example.org", Role::Learner).await;
    let (course, _) = enrollment_kit::published(&teacher, "Geography", json!({})).await;
    enrollment_kit::add_to_roster(&teacher, &course, "learner@example.org").await;
    let id = question(&teacher, &course, "Capital").await;
    let gets = [
        format!("/teach/courses/{course}/questions"),
        format!("/teach/courses/{course}/questions/export"),
        format!("/teach/questions/{id}"),
        format!("/teach/questions/{id}/delete"),
        format!("/teach/questions/{id}/edit"),
        format!("/teach/courses/{course}/questions/new/truefalse"),
    ];
    for (who, client) in [("another instructor", &other), ("an enrolled learner", &learner)] {
        let csrf = client.page_csrf("/settings/profile").await;
        for path in &gets {
            assert_eq!(client.get(path).await.status, 404, "{who}: GET {path}");
        }
        let posts = [
            (format!("/teach/courses/{course}/questions/new"), "gift"),
            (format!("/teach/courses/{course}/question-categories"), "name"),
            (format!("/teach/questions/{id}"), "gift"),
            (format!("/teach/questions/{id}/try"), "choice"),
            (format!("/teach/questions/{id}/delete"), "x"),
            (format!("/teach/questions/{id}/edit"), "name"),
            (format!("/teach/courses/{course}/questions/new/truefalse"), "name"),
        ];
        for (path, field) in &posts {
            let reply = client.form(path, &[("csrf", &csrf), (field, "::Q::Stolen? {T}")]).await;
            assert_eq!(reply.status, 404, "{who}: POST {path}");
        }
    }
    let anonymous = app.client();
    for path in &gets {
        let reply = anonymous.get(path).await;
        assert_eq!(reply.status, 303, "anonymous: GET {path}");
        assert!(reply.header("location").starts_with("/login"), "anonymous: GET {path}");
    }
    let still = teacher.get(&format!("/api/v1/questions/{id}")).await.json();
    assert_eq!((still["name"].as_str(), still["version"].as_i64()), (Some("Capital"), Some(1)));
    app.stop().await;
}

on_both_backends!(
    a_teacher_imports_writes_tries_edits_and_deletes,
    what_teachers_write_is_escaped_or_sanitised,
    only_the_courses_staff_open_the_bank_pages,
);

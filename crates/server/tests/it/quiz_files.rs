//! Files in quizzes: images for question texts (uploaded to a course's bank
//! or embedded in a Moodle XML import, served to the course's staff and
//! enrolled learners only, exported back), and files a learner attaches to
//! an essay answer (under the attempt's closing rules, downloadable by the
//! learner and the course's staff only) — both backends.

use crate::{browser_kit, common, courses_kit, enrollment_kit, quiz_kit};

use common::{Backend, Reply, TestApp, TestClient, spawn_with};
use lyceum_platform::auth::Role;
use serde_json::{Value, json};

const KIB: usize = 1024;

/// A 1×1 PNG, as a Moodle export embeds it.
const PNG_BASE64: &str =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

const SVG: &[u8] = br#"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="4"/></svg>"#;

/// POSTs `bytes` as the multipart field `file` (the API's uploads).
async fn upload(client: &TestClient, path: &str, name: &str, bytes: Vec<u8>) -> Reply {
    let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_string());
    let form = reqwest::multipart::Form::new().text("alt", "A map").part("file", part);
    let mut req = client.http.post(client.url(path)).multipart(form);
    if let Some(csrf) = &client.csrf {
        req = req.header("x-csrf-token", csrf);
    }
    TestClient::reply(req.send().await.unwrap()).await
}

/// GETs `path` and returns its status, headers and body bytes.
async fn fetch(client: &TestClient, path: &str) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let res = client.http.get(client.url(path)).send().await.unwrap();
    let (status, headers) = (res.status().as_u16(), res.headers().clone());
    (status, headers, res.bytes().await.unwrap().to_vec())
}

/// A published course with a module, `learner@` and `other@` enrolled, a
/// stranger, and an instructor of another course.
struct Class {
    app: TestApp,
    teacher: TestClient,
    learner: TestClient,
    other_learner: TestClient,
    stranger: TestClient,
    other_teacher: TestClient,
    course: String,
    module: String,
}

async fn class(backend: Backend) -> Class {
    let app = spawn_with(backend, |s| {
        let uploads = s.section_mut::<lyceum_quizzes::settings::QuizUploads>();
        uploads.question_file_max_bytes = 64 * KIB;
        uploads.essay_file_max_bytes = 64 * KIB;
    })
    .await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (learner, _) = app.signed_in("learner@example.org", Role::Learner).await;
    let (other_learner, _) = app.signed_in("other@example.org", Role::Learner).await;
    let (stranger, _) = app.signed_in("stranger@example.org", Role::Learner).await;
    let (other_teacher, _) = app.signed_in("alan@example.org", Role::Instructor).await;
    let (course, _) = enrollment_kit::published(&teacher, "Geography", json!({})).await;
    enrollment_kit::published(&other_teacher, "History", json!({})).await;
    let module = courses_kit::module(&teacher, &course, "Quizzes").await;
    enrollment_kit::add_to_roster(&teacher, &course, "learner@example.org").await;
    enrollment_kit::add_to_roster(&teacher, &course, "other@example.org").await;
    Class { app, teacher, learner, other_learner, stranger, other_teacher, course, module }
}

async fn question_images_are_for_the_course_only(backend: Backend) {
    let c = class(backend).await;
    let files = format!("/api/v1/courses/{}/question-files", c.course);
    let png = courses_kit::png(40, 30);
    let added = upload(&c.teacher, &files, "map.png", png.clone()).await;
    assert_eq!(added.status, 201, "{}", added.text);
    let url = added.json()["url"].as_str().unwrap().to_string();
    assert!(url.starts_with("/question-files/"), "{url}");
    assert_eq!(added.json()["markdown"], json!(format!("![A map]({url})")));
    assert_eq!(added.json()["content_type"], "image/png");

    // What is not a PNG, JPEG, GIF or WebP image is refused, and so is a file over the limit.
    let svg = upload(&c.teacher, &files, "evil.svg", SVG.to_vec()).await;
    svg.assert_problem(415, "unsupported-media-type");
    assert!(svg.json()["detail"].as_str().unwrap().contains("SVG"), "{}", svg.text);
    upload(&c.teacher, &files, "notes.txt", b"just words".to_vec()).await.assert_problem(415, "unsupported-media-type");
    let mut big = courses_kit::png(4, 4);
    big.resize(80 * KIB, 0);
    let over = upload(&c.teacher, &files, "big.png", big).await;
    over.assert_problem(413, "payload-too-large");
    assert!(over.json()["detail"].as_str().unwrap().contains("the limit is 64 KB"), "{}", over.text);
    for outsider in [&c.learner, &c.other_teacher] {
        upload(outsider, &files, "x.png", courses_kit::png(4, 4)).await.assert_problem(404, "not-found");
    }
    upload(&c.app.client(), &files, "x.png", courses_kit::png(4, 4)).await.assert_problem(401, "unauthorized");

    // The course's staff and its enrolled learners see it; nobody else learns it exists.
    for (who, client) in [("teacher", &c.teacher), ("learner", &c.learner)] {
        let (status, headers, body) = fetch(client, &url).await;
        assert_eq!(status, 200, "{who}");
        assert_eq!(headers["content-type"], "image/png", "{who}");
        assert!(headers["cache-control"].to_str().unwrap().starts_with("private"), "{who}: {headers:?}");
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert_eq!(body, png, "{who}: stored byte for byte");
    }
    for (who, client) in
        [("stranger", &c.stranger), ("other teacher", &c.other_teacher), ("anonymous", &c.app.client())]
    {
        assert_eq!(fetch(client, &url).await.0, 404, "{who}");
    }
    assert_eq!(fetch(&c.teacher, "/question-files/nothing-here").await.0, 404);
    let listed = c.teacher.get(&files).await.json();
    assert_eq!(listed["items"].as_array().unwrap().len(), 1, "{listed}");
    assert_eq!(c.learner.get(&files).await.status, 404);

    // The bank page's own form (token first), and the list with each image's markdown.
    let bank = format!("/teach/courses/{}/questions", c.course);
    let csrf = c.teacher.page_csrf(&bank).await;
    let part = reqwest::multipart::Part::bytes(courses_kit::png(8, 8)).file_name("second.png");
    let form = reqwest::multipart::Form::new().text("csrf", csrf.clone()).part("file", part);
    let posted = c
        .teacher
        .raw(c.teacher.http.post(c.teacher.url(&format!("/teach/courses/{}/question-files", c.course))).multipart(form))
        .await;
    assert_eq!((posted.status.as_u16(), posted.header("location")), (303, format!("{bank}#question-files").as_str()));
    let page = c.teacher.get(&bank).await.text;
    assert!(page.contains(&format!("value=\"![]({url})\"")), "{page}");
    let part = reqwest::multipart::Part::bytes(SVG.to_vec()).file_name("evil.svg");
    let form = reqwest::multipart::Form::new().text("csrf", csrf).part("file", part);
    let refused = c
        .teacher
        .raw(c.teacher.http.post(c.teacher.url(&format!("/teach/courses/{}/question-files", c.course))).multipart(form))
        .await;
    assert_eq!(refused.status.as_u16(), 303, "a refusal is a message on the bank page");
    assert_eq!(c.teacher.get(&files).await.json()["items"].as_array().unwrap().len(), 2);
    c.app.stop().await;
}

/// A Moodle XML export with a PNG embedded in a question's text, and a
/// question whose embedded file is an SVG (refused, with its line).
fn moodle_with_files() -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category">
    <category><text>$course$/top/Maps</text></category>
  </question>
  <question type="truefalse">
    <name><text>Where</text></name>
    <questiontext format="html">
      <text><![CDATA[<p>This is France: <img src="@@PLUGINFILE@@/my%20map.png" alt="map"></p>]]></text>
      <file name="my map.png" path="/" encoding="base64">{PNG_BASE64}</file>
    </questiontext>
    <answer fraction="100"><text>true</text><feedback><text>Yes.</text></feedback></answer>
    <answer fraction="0"><text>false</text><feedback><text>No.</text></feedback></answer>
  </question>
  <question type="truefalse">
    <name><text>Drawn</text></name>
    <questiontext format="html">
      <text><![CDATA[<img src="@@PLUGINFILE@@/x.svg">]]></text>
      <file name="x.svg" path="/" encoding="base64">{}</file>
    </questiontext>
    <answer fraction="100"><text>true</text></answer>
    <answer fraction="0"><text>false</text></answer>
  </question>
</quiz>
"#,
        base64_of(SVG)
    )
}

fn base64_of(bytes: &[u8]) -> String {
    const ABC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

async fn moodle_xml_embedded_images_are_stored_and_exported(backend: Backend) {
    let c = class(backend).await;
    let report = quiz_kit::import(&c.teacher, &c.course, "moodle_xml", &moodle_with_files()).await;
    assert_eq!(report["imported"], 1, "{report}");
    let problem = &report["problems"][0];
    assert_eq!(problem["line"], 15, "{report}");
    assert!(problem["message"].as_str().unwrap().contains("\"x.svg\""), "{report}");

    let listed = c.teacher.get(&format!("/api/v1/courses/{}/questions", c.course)).await.json();
    let id = listed["items"][0]["id"].as_str().unwrap().to_string();
    let question = c.teacher.get(&format!("/api/v1/questions/{id}")).await.json();
    let text = question["question"]["text"]["body"].as_str().unwrap().to_string();
    assert!(!text.contains("@@PLUGINFILE@@"), "{text}");
    let at = text.find("/question-files/").expect("the image's address");
    let url: String = text[at..].chars().take_while(|c| *c != '"').collect();
    let (status, headers, body) = fetch(&c.learner, &url).await;
    assert_eq!((status, headers["content-type"].to_str().unwrap()), (200, "image/png"));
    assert!(body.starts_with(b"\x89PNG"), "the embedded file, decoded");
    assert_eq!(base64_of(&body), PNG_BASE64, "byte for byte");
    // The question's page shows it (HTML sanitised, the address kept).
    let page = c.teacher.get(&format!("/teach/questions/{id}")).await.text;
    assert!(page.contains(&format!("src=\"{url}\"")), "{page}");

    // Exported back as Moodle writes it, and imported again into another course.
    let export = c.teacher.get(&format!("/api/v1/courses/{}/questions/export?format=moodle_xml", c.course)).await;
    assert_eq!(export.status, 200, "{}", export.text);
    assert!(export.text.contains("@@PLUGINFILE@@/my%20map.png"), "{}", export.text);
    assert!(!export.text.contains("/question-files/"), "{}", export.text);
    assert!(
        export.text.contains(&format!("<file name=\"my map.png\" path=\"/\" encoding=\"base64\">{PNG_BASE64}</file>")),
        "{}",
        export.text
    );
    let (again, _) = enrollment_kit::published(&c.teacher, "Geography again", json!({})).await;
    let report = quiz_kit::import(&c.teacher, &again, "moodle_xml", &export.text).await;
    assert_eq!((report["imported"].as_u64(), report["problems"].as_array().map(Vec::len)), (Some(1), Some(0)));
    let files = c.teacher.get(&format!("/api/v1/courses/{again}/question-files")).await.json();
    assert_eq!(files["items"][0]["name"], "my map.png", "{files}");
    c.app.stop().await;
}

/// An essay taking two files, text optional (Moodle: the files may be the answer).
fn essay_with_files() -> Value {
    json!({"question": {
        "name": "Drawing",
        "text": {"body": "Draw the map and attach it.", "format": "markdown"},
        "general_feedback": {"body": "", "format": "plain"},
        "default_mark": 1.0,
        "kind": {"type": "essay", "response_required": false, "attachments_allowed": 2,
                 "grader_info": {"body": "", "format": "plain"}}
    }})
}

async fn essay_files_follow_the_attempt(backend: Backend) {
    let c = class(backend).await;
    let created = c.teacher.post(&format!("/api/v1/courses/{}/questions", c.course), essay_with_files()).await;
    assert_eq!(created.status, 201, "{}", created.text);
    let essay = created.json()["id"].as_str().unwrap().to_string();
    let choice = quiz_kit::question(&c.teacher, &c.course, "Capital of France").await;
    let quiz = quiz_kit::quiz(&c.teacher, &c.course, &c.module, json!({}), &[&essay, &choice]).await;
    let quiz_id = quiz["id"].as_str().unwrap();
    let started = c.learner.post(&format!("/api/v1/quizzes/{quiz_id}/attempts"), json!({})).await.json();
    let attempt = started["attempt"]["id"].as_str().or(started["id"].as_str()).unwrap().to_string();
    let files = |slot: usize| format!("/api/v1/quizzes/attempts/{attempt}/answers/{slot}/files");

    let pdf = upload(&c.learner, &files(0), "map.pdf", courses_kit::PDF.to_vec()).await;
    assert_eq!(pdf.status, 201, "{}", pdf.text);
    let pdf_url = pdf.json()["url"].as_str().unwrap().to_string();
    assert_eq!(pdf.json()["content_type"], "application/pdf");
    upload(&c.learner, &files(0), "x.exe", b"MZ\x90\x00\x03\x00".to_vec())
        .await
        .assert_problem(415, "unsupported-media-type");
    let png = upload(&c.learner, &files(0), "map.png", courses_kit::png(4, 4)).await;
    assert_eq!(png.status, 201, "{}", png.text);
    let third = upload(&c.learner, &files(0), "more.png", courses_kit::png(4, 4)).await;
    third.assert_problem(422, "validation");
    assert_eq!(third.error_fields(), ["file"]);
    upload(&c.learner, &files(1), "x.png", courses_kit::png(4, 4)).await.assert_problem(422, "validation");
    upload(&c.learner, &files(7), "x.png", courses_kit::png(4, 4)).await.assert_problem(422, "validation");
    let view = c.learner.get(&format!("/api/v1/quizzes/attempts/{attempt}")).await.json();
    assert_eq!(view["slots"][0]["response"]["value"]["attachments"], 2, "the answer counts its files: {view}");
    // A save without text (the page's autosave of an empty essay) keeps the files as the answer.
    let body = json!({"answers": [{"slot": 0, "response": {"type": "unanswered"}}]});
    let path = format!("/api/v1/quizzes/attempts/{attempt}/answers");
    let saved = c.learner.send(reqwest::Method::PUT, &path, Some(&body)).await;
    assert_eq!(saved.status, 200, "{}", saved.text);
    let view = c.learner.get(&format!("/api/v1/quizzes/attempts/{attempt}")).await.json();
    assert_eq!(view["slots"][0]["response"]["value"]["attachments"], 2, "the files stay the answer: {view}");

    // Only the learner and the course's staff get a file; it is always a download.
    for (who, client) in [("learner", &c.learner), ("teacher", &c.teacher)] {
        let (status, headers, body) = fetch(client, &pdf_url).await;
        assert_eq!(status, 200, "{who}");
        assert_eq!(body, courses_kit::PDF, "{who}");
        assert!(headers["content-disposition"].to_str().unwrap().starts_with("attachment; filename=\"map.pdf\""));
        assert!(headers["cache-control"].to_str().unwrap().starts_with("private"), "{headers:?}");
    }
    for (who, client) in [
        ("another learner", &c.other_learner),
        ("another course's instructor", &c.other_teacher),
        ("stranger", &c.stranger),
        ("anonymous", &c.app.client()),
    ] {
        assert_eq!(fetch(client, &pdf_url).await.0, 404, "{who}");
        if who != "anonymous" {
            assert_eq!(client.get(&files(0)).await.status, 404, "{who} lists nothing");
            upload(client, &files(0), "x.png", courses_kit::png(4, 4)).await.assert_problem(404, "not-found");
        }
    }
    let staff_list = c.teacher.get(&files(0)).await.json();
    assert_eq!(staff_list["items"].as_array().unwrap().len(), 2, "{staff_list}");

    // Removing one makes room for another; the attempt page's own form attaches too.
    let png_id = png.json()["id"].as_str().unwrap().to_string();
    assert_eq!(c.learner.delete(&format!("{}/{png_id}", files(0))).await.status, 204);
    assert_eq!(c.learner.delete(&format!("{}/{png_id}", files(0))).await.status, 404, "gone");
    let page = c.learner.get(&format!("/quiz-attempts/{attempt}")).await;
    assert!(page.text.contains("enctype=\"multipart/form-data\""), "{}", page.text);
    assert!(page.text.contains(&pdf_url), "the attached file is listed: {}", page.text);
    let csrf = c.learner.page_csrf(&format!("/quiz-attempts/{attempt}")).await;
    let part = reqwest::multipart::Part::bytes(b"My notes.\n".to_vec()).file_name("notes.txt");
    let form = reqwest::multipart::Form::new().part("file", part);
    let posted = c
        .learner
        .raw(
            c.learner
                .http
                .post(c.learner.url(&format!("/quiz-attempts/{attempt}/answers/0/files?page=0&csrf={csrf}")))
                .multipart(form),
        )
        .await;
    assert_eq!(
        (posted.status.as_u16(), posted.header("location")),
        (303, format!("/quiz-attempts/{attempt}?page=0#question-1").as_str())
    );
    assert_eq!(c.learner.get(&files(0)).await.json()["items"].as_array().unwrap().len(), 2);

    // Files only, no text: answered, and it waits for a person.
    let summary = c.learner.get(&format!("/quiz-attempts/{attempt}/summary")).await.text;
    assert!(summary.contains(&pdf_url) && summary.contains("notes.txt"), "{summary}");
    let submitted = c.learner.post(&format!("/api/v1/quizzes/attempts/{attempt}/submit"), json!({})).await;
    assert_eq!(submitted.json()["state"], "submitted", "{}", submitted.text);

    // Submitted: the files are as they are.
    upload(&c.learner, &files(0), "late.png", courses_kit::png(4, 4)).await.assert_problem(409, "attempt-closed");
    let pdf_id = pdf.json()["id"].as_str().unwrap().to_string();
    c.learner.delete(&format!("{}/{pdf_id}", files(0))).await.assert_problem(409, "attempt-closed");
    assert_eq!(fetch(&c.learner, &pdf_url).await.0, 200);
    for (who, client) in [("learner", &c.learner), ("teacher", &c.teacher)] {
        let review = client.get(&format!("/quiz-attempts/{attempt}/review")).await.text;
        assert!(review.contains(&format!("href=\"{pdf_url}\"")) && review.contains("notes.txt"), "{who}: {review}");
    }
    c.app.stop().await;
}

/// The attempt page's essay with files in a real Chromium: a file chosen
/// and attached through the essay's own form, one removed, the summary
/// listing what is attached; each page passes axe and fits a phone.
async fn essay_files_in_the_browser(backend: Backend) {
    use browser_kit::{check_accessibility, fits_a_phone, main_text, poll, type_into, with_browser};
    use fantoccini::{Client, Locator};

    let c = class(backend).await;
    let created = c.teacher.post(&format!("/api/v1/courses/{}/questions", c.course), essay_with_files()).await;
    let essay = created.json()["id"].as_str().unwrap().to_string();
    let quiz = quiz_kit::quiz(&c.teacher, &c.course, &c.module, json!({}), &[&essay]).await;
    let quiz_id = quiz["id"].as_str().unwrap();
    let started = c.learner.post(&format!("/api/v1/quizzes/{quiz_id}/attempts"), json!({})).await.json();
    let attempt = started["attempt"]["id"].as_str().unwrap().to_string();
    let files = format!("/api/v1/quizzes/attempts/{attempt}/answers/0/files");
    assert_eq!(upload(&c.learner, &files, "map.pdf", courses_kit::PDF.to_vec()).await.status, 201);
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "My notes.\n").unwrap();
    let app_url = c.app.url.clone();
    with_browser(async |b: &Client, axe: Option<&str>| {
        let check = async |label: &str| {
            if let Some(axe) = axe {
                check_accessibility(b, axe, label).await;
            }
            fits_a_phone(b, label).await;
        };
        let click_and_wait = async |css: &str, text: &str| {
            b.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("no {css}: {e}")).click().await.unwrap();
            poll(b, text, || async { main_text(b).await.contains(text).then_some(()) }).await;
        };
        b.goto(&format!("{app_url}/login")).await.unwrap();
        type_into(b, "email", "learner@example.org").await;
        type_into(b, "password", common::PASSWORD).await;
        browser_kit::submit_form_of(b, "email").await;
        b.goto(&format!("{app_url}/quiz-attempts/{attempt}")).await.unwrap();
        assert!(main_text(b).await.contains("map.pdf"), "{}", main_text(b).await);
        check("/quiz-attempts/{id} with an attached file").await;
        let input = b.find(Locator::Css("input[type='file']")).await.expect("the essay's file input");
        input.send_keys(notes.to_str().unwrap()).await.expect("choose a file");
        click_and_wait("button[form='q0_files']", "File attached.").await;
        assert!(main_text(b).await.contains("notes.txt"), "{}", main_text(b).await);
        click_and_wait("button[form='q0_drop-0']", "File removed.").await;
        let text = main_text(b).await;
        assert!(text.contains("notes.txt") && !text.contains("map.pdf"), "{text}");
        b.goto(&format!("{app_url}/quiz-attempts/{attempt}/summary")).await.unwrap();
        assert!(main_text(b).await.contains("notes.txt"), "{}", main_text(b).await);
        check("/quiz-attempts/{id}/summary with a file").await;
    })
    .await;
    c.app.stop().await;
}

on_both_backends!(
    question_images_are_for_the_course_only,
    moodle_xml_embedded_images_are_stored_and_exported,
    essay_files_follow_the_attempt,
    essay_files_in_the_browser
);

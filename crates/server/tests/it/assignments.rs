//! Assignments: created in a module, a learner's draft (text and files)
//! and submit under the dates (cut-off, late penalty, extensions), grading
//! by the course's staff, grades held until released, the learner's
//! notice and lesson completion; every id route tried with another
//! learner, another course's instructor and a stranger — both backends.

use crate::{common, courses_kit, enrollment_kit};

use common::{Backend, Reply, TestApp, TestClient};
use lyceum_platform::auth::Role;
use reqwest::Method;
use serde_json::{Value, json};

pub(crate) const DAY_MS: i64 = 24 * 60 * 60 * 1000;
pub(crate) const HOUR_MS: i64 = 60 * 60 * 1000;

pub(crate) fn rfc3339(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms).unwrap().to_string()
}

pub(crate) fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

pub(crate) async fn put(client: &TestClient, path: &str, body: Value) -> Reply {
    client.send(Method::PUT, path, Some(&body)).await
}

/// POSTs `bytes` as the multipart field `file`.
pub(crate) async fn upload(client: &TestClient, path: &str, name: &str, bytes: &[u8]) -> Reply {
    let part = reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(name.to_string());
    let form = reqwest::multipart::Form::new().part("file", part);
    let mut req = client.http.post(client.url(path)).multipart(form);
    if let Some(csrf) = &client.csrf {
        req = req.header("x-csrf-token", csrf);
    }
    TestClient::reply(req.send().await.unwrap()).await
}

/// A published course with a module; `learner@` and `other@` enrolled, a
/// stranger, and the instructor of another course.
pub(crate) struct Class {
    pub(crate) app: TestApp,
    pub(crate) teacher: TestClient,
    pub(crate) learner: TestClient,
    pub(crate) learner_id: String,
    pub(crate) other_learner: TestClient,
    pub(crate) stranger: TestClient,
    pub(crate) other_teacher: TestClient,
    pub(crate) course: String,
    pub(crate) module: String,
}

pub(crate) async fn class(backend: Backend) -> Class {
    class_with(backend, |_| {}).await
}

/// [`class`] on an app whose settings `tweak` adjusts.
pub(crate) async fn class_with(backend: Backend, tweak: impl FnOnce(&mut lyceum_platform::config::Settings)) -> Class {
    let app = common::spawn_with(backend, tweak).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (learner, learner_id) = app.signed_in("learner@example.org", Role::Learner).await;
    let (other_learner, _) = app.signed_in("other@example.org", Role::Learner).await;
    let (stranger, _) = app.signed_in("stranger@example.org", Role::Learner).await;
    let (other_teacher, _) = app.signed_in("alan@example.org", Role::Instructor).await;
    let (course, _) = enrollment_kit::published(&teacher, "Essays", json!({})).await;
    enrollment_kit::published(&other_teacher, "History", json!({})).await;
    let module = courses_kit::module(&teacher, &course, "Week 1").await;
    enrollment_kit::add_to_roster(&teacher, &course, "learner@example.org").await;
    enrollment_kit::add_to_roster(&teacher, &course, "other@example.org").await;
    Class { app, teacher, learner, learner_id, other_learner, stranger, other_teacher, course, module }
}

pub(crate) async fn create(c: &Class, title: &str, settings: Value) -> Value {
    let body =
        json!({"module_id": c.module, "title": title, "instructions": "Write **500 words**.", "settings": settings});
    let created = c.teacher.post("/api/v1/assignments", body).await;
    assert_eq!(created.status, 201, "{}", created.text);
    created.json()
}

async fn late_work_is_penalised_and_an_extension_reopens_a_closed_assignment(backend: Backend) {
    let c = class(backend).await;
    let now = now_ms();
    // Due 47 hours ago, no cut-off: late work is accepted, two days started.
    let late = create(
        &c,
        "Reflection",
        json!({"due_at": rfc3339(now - 2 * DAY_MS + HOUR_MS), "late_penalty_percent": 10, "late_penalty_cap": 30,
               "max_points": 50}),
    )
    .await;
    let id = late["id"].as_str().unwrap();
    let mine = format!("/api/v1/assignments/{id}/submission");
    assert_eq!(c.learner.get(&mine).await.json()["status"], "not_started");
    c.learner.post(&format!("{mine}/submit"), json!({})).await.assert_problem(422, "validation");
    assert_eq!(put(&c.learner, &mine, json!({"text": "My reflection."})).await.status, 200);
    let submitted = c.learner.post(&format!("{mine}/submit"), json!({})).await;
    assert_eq!(submitted.status, 200, "{}", submitted.text);
    let s = &submitted.json()["submission"];
    assert_eq!((s["state"].as_str(), submitted.json()["status"].as_str()), (Some("submitted"), Some("submitted")));
    assert!(s["late_ms"].as_i64().unwrap() > DAY_MS, "{s}");
    let sid = s["id"].as_str().unwrap();
    put(&c.learner, &mine, json!({"text": "Changed."})).await.assert_problem(409, "submission-final");
    c.app.drain_jobs().await;
    let notices = c.learner.get("/api/v1/notifications").await.json();
    let receipt = notices["items"].as_array().unwrap().iter().find(|n| n["kind"] == "assignment.submitted");
    let receipt = receipt.unwrap_or_else(|| panic!("a receipt in the app: {notices}"));
    assert_eq!(
        (receipt["title"].as_str(), receipt["link"].as_str()),
        (Some("Your work for “Reflection” was submitted"), Some(format!("/assignments/{id}").as_str()))
    );
    let graded = put(&c.teacher, &format!("/api/v1/assignment-submissions/{sid}/grade"), json!({"points": 40})).await;
    assert_eq!(graded.status, 200, "{}", graded.text);
    assert_eq!(
        (graded.json()["points"].as_f64(), graded.json()["grade"].as_f64()),
        (Some(40.0), Some(30.0)),
        "20 % of 50 off"
    );
    put(&c.teacher, &format!("/api/v1/assignment-submissions/{sid}/grade"), json!({"points": 51}))
        .await
        .assert_problem(422, "validation");

    // Cut off a day ago: refused, until the learner has an extension.
    let closed = create(
        &c,
        "Essay",
        json!({"due_at": rfc3339(now - 2 * DAY_MS), "cut_off_at": rfc3339(now - DAY_MS), "max_files": 2}),
    )
    .await;
    let id = closed["id"].as_str().unwrap();
    let mine = format!("/api/v1/assignments/{id}/submission");
    put(&c.learner, &mine, json!({"text": "Too late?"})).await.assert_problem(409, "assignment-closed");
    let extension = format!("/api/v1/assignments/{id}/extensions/{}", c.learner_id);
    put(&c.learner, &extension, json!({"due_at": rfc3339(now + DAY_MS)})).await.assert_problem(404, "not-found");
    let stranger_id = c.app.create_user("nobody@example.org", Role::Learner).await;
    let not_enrolled = format!("/api/v1/assignments/{id}/extensions/{stranger_id}");
    put(&c.teacher, &not_enrolled, json!({"due_at": rfc3339(now + DAY_MS)})).await.assert_problem(422, "validation");
    put(&c.teacher, &extension, json!({"due_at": "tomorrow"})).await.assert_problem(422, "validation");
    assert_eq!(put(&c.teacher, &extension, json!({"due_at": rfc3339(now + DAY_MS)})).await.status, 204);
    let view = c.learner.get(&mine).await.json();
    assert_eq!((view["extended"].as_bool(), view["editable"].as_bool()), (Some(true), Some(true)), "{view}");
    let pdf = b"%PDF-1.7\n1 0 obj <<>> endobj\n";
    let file = upload(&c.learner, &format!("{mine}/files"), "essay.pdf", pdf).await;
    assert_eq!(file.status, 201, "{}", file.text);
    upload(&c.learner, &format!("{mine}/files"), "run.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00")
        .await
        .assert_problem(415, "unsupported-media-type");
    let submitted = c.learner.post(&format!("{mine}/submit"), json!({})).await;
    assert_eq!(submitted.status, 200, "{}", submitted.text);
    assert_eq!(submitted.json()["submission"]["late_ms"], 0, "in time by the learner's own date");
    // The other learner has no extension.
    put(&c.other_learner, &mine, json!({"text": "Me too"})).await.assert_problem(409, "assignment-closed");
    c.app.stop().await;
}

async fn grades_wait_for_release_and_each_submission_is_its_learners_and_the_staffs(backend: Backend) {
    let c = class(backend).await;
    let a = create(
        &c,
        "Lab report",
        json!({"release": "manual", "require_statement": true, "pass_points": 50, "completion": "passed"}),
    )
    .await;
    let id = a["id"].as_str().unwrap();
    let lesson = a["lesson_id"].as_str().unwrap();
    let assignment = format!("/api/v1/assignments/{id}");
    let mine = format!("{assignment}/submission");
    assert_eq!(put(&c.learner, &mine, json!({"text": "<script>alert(1)</script> **Results**"})).await.status, 200);
    let file = upload(&c.learner, &format!("{mine}/files"), "data.txt", b"1,2,3\n").await;
    assert_eq!(file.status, 201, "{}", file.text);
    let file_url = file.json()["url"].as_str().unwrap().to_string();
    c.learner.post(&format!("{mine}/submit"), json!({})).await.assert_problem(422, "validation");
    let done = c.learner.post(&format!("{mine}/submit"), json!({"statement": true})).await;
    assert_eq!(done.status, 200, "{}", done.text);
    let sid = done.json()["submission"]["id"].as_str().unwrap().to_string();
    let submission = format!("/api/v1/assignment-submissions/{sid}");

    // Nobody else reaches it: not another learner, not another course's instructor, not a stranger.
    for client in [&c.other_learner, &c.stranger, &c.other_teacher] {
        assert_eq!(client.get(&submission).await.status, 404);
        assert_eq!(client.get(&file_url).await.status, 404);
        assert_eq!(put(client, &format!("{submission}/grade"), json!({"points": 100})).await.status, 404);
        assert_eq!(client.get(&format!("{assignment}/submissions")).await.status, 404);
        assert_eq!(client.post(&format!("{assignment}/release"), json!({})).await.status, 404);
        assert_eq!(client.get(&format!("/teach/assignments/{id}/submissions.zip")).await.status, 404);
    }
    for client in [&c.stranger, &c.other_teacher] {
        assert_eq!(client.get(&assignment).await.status, 404);
        assert_eq!(client.get(&mine).await.status, 404);
        assert_eq!(put(client, &assignment, json!({"settings": {}})).await.status, 404);
    }
    assert_eq!(c.app.client().get(&submission).await.status, 401);
    assert_eq!(put(&c.learner, &format!("{submission}/grade"), json!({"points": 100})).await.status, 404);
    assert_eq!(put(&c.learner, &assignment, json!({"settings": {}})).await.status, 404);
    c.teacher.post(&format!("{mine}/submit"), json!({})).await.assert_problem(403, "staff-do-not-submit");
    assert_eq!(c.learner.get(&file_url).await.status, 200);
    assert_eq!(c.teacher.get(&file_url).await.status, 200);
    // Everything submitted, as one zip for marking offline.
    let zip = c.teacher.get(&format!("/teach/assignments/{id}/submissions.zip")).await;
    assert_eq!((zip.status.as_u16(), zip.header("content-type")), (200, "application/zip"));
    assert!(zip.header("content-disposition").starts_with("attachment"), "a download");
    assert!(zip.text.starts_with("PK"), "a zip archive");
    for name in ["grades.csv", "Test User - ", "/text.md", "-data.txt"] {
        assert!(zip.text.contains(name), "{name} in the archive");
    }

    let queue = c.teacher.get(&format!("{assignment}/submissions?state=ungraded")).await.json();
    assert_eq!(queue["items"].as_array().unwrap().len(), 1, "{queue}");
    assert_eq!(queue["items"][0]["learner_email"], "learner@example.org");
    c.teacher.get(&format!("{assignment}/submissions?state=bogus")).await.assert_problem(422, "validation");
    let graded =
        put(&c.teacher, &format!("{submission}/grade"), json!({"points": 72.5, "feedback": "Good *work*"})).await;
    assert_eq!(graded.status, 200, "{}", graded.text);

    // Held back: the learner sees no grade, gets no notice, the lesson is not complete.
    let held = c.learner.get(&submission).await.json();
    assert_eq!(
        (held["graded"].as_bool(), held["grade"].as_f64(), held["feedback"].as_str()),
        (Some(false), None, None)
    );
    c.app.drain_jobs().await;
    assert!(c.app.mails_to("learner@example.org").await.iter().all(|m| !m.subject.contains("Lab report")));
    let completed = "SELECT COUNT(*) FROM lesson_progress WHERE lesson_id = $1 AND completed_at IS NOT NULL";
    assert_eq!(courses_kit::count(&c.app, completed, lesson).await, 0);

    let released = c.teacher.post(&format!("{assignment}/release"), json!({})).await;
    assert_eq!(released.status, 200, "{}", released.text);
    assert!(released.json()["released_at"].is_string());
    let seen = c.learner.get(&submission).await.json();
    assert_eq!((seen["grade"].as_f64(), seen["feedback"].as_str()), (Some(72.5), Some("Good *work*")), "{seen}");
    let mails = c.app.mails_to("learner@example.org").await;
    assert!(mails.iter().any(|m| m.subject.contains("Lab report") && m.text.contains(&format!("/assignments/{id}"))));
    assert_eq!(courses_kit::count(&c.app, completed, lesson).await, 1, "a passing grade completes the lesson");
    assert_eq!(c.teacher.post(&format!("{assignment}/release"), json!({})).await.status, 200, "again: nothing changes");
    c.app.drain_jobs().await;
    let again = c.app.mails_to("learner@example.org").await;
    assert_eq!(again.iter().filter(|m| m.subject.contains("Lab report")).count(), 1, "told once");
    c.app.stop().await;
}

async fn the_pages_take_a_learner_from_the_lesson_to_their_grade(backend: Backend) {
    let c = class(backend).await;
    let editor = format!("/teach/courses/{}", c.course);
    let csrf = c.teacher.page_csrf(&editor).await;
    let made = c
        .teacher
        .form(&format!("/teach/modules/{}/assignments", c.module), &[("csrf", &csrf), ("title", "Poem")])
        .await;
    assert_eq!(made.status, 303, "{}", made.text);
    let manage = made.header("location").to_string();
    assert!(manage.starts_with("/teach/assignments/"), "{manage}");
    let id = manage.trim_start_matches("/teach/assignments/").to_string();
    assert!(c.teacher.get(&editor).await.text.contains("Assignment settings"));
    let bad = c
        .teacher
        .form(
            &format!("{manage}/settings"),
            &[("csrf", &csrf), ("max_points", "lots"), ("max_files", "1"), ("online_text", "on")],
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.text);
    assert!(bad.text.contains("Give a number."), "{}", bad.text);
    for client in [&c.other_teacher, &c.learner] {
        assert_eq!(client.get(&manage).await.status, 404);
        assert_eq!(client.get(&format!("{manage}/submissions")).await.status, 404);
    }

    let lesson =
        c.teacher.get(&format!("/api/v1/assignments/{id}")).await.json()["lesson_id"].as_str().unwrap().to_string();
    let opened = c.learner.get(&format!("/lessons/{lesson}/assignment")).await;
    assert_eq!((opened.status.as_u16(), opened.header("location")), (303, format!("/assignments/{id}").as_str()));
    assert_eq!(c.stranger.get(&format!("/lessons/{lesson}/assignment")).await.status, 404);
    let page = format!("/assignments/{id}");
    let csrf = c.learner.page_csrf(&page).await;
    let xss = "<img src=x onerror=alert(1)> My *poem*";
    let saved = c.learner.form(&format!("{page}/draft"), &[("csrf", &csrf), ("text", xss)]).await;
    assert_eq!(saved.status, 303);
    let draft = c.learner.get(&page).await.text;
    assert!(
        draft.contains("&#60;img src=x onerror=alert(1)&#62; My *poem*"),
        "the draft is shown as typed, escaped: {draft}"
    );
    let sent = c.learner.form(&format!("{page}/submit"), &[("csrf", &csrf), ("text", xss)]).await;
    assert_eq!(sent.status, 303);
    let after = c.learner.get(&page).await.text;
    assert!(after.contains("Your work was submitted.") && after.contains("<em>poem</em>"), "{after}");
    assert!(!after.contains("onerror"), "rendered markdown is sanitised");

    let queue = c.teacher.get(&format!("{manage}/submissions")).await.text;
    assert!(queue.contains("learner@example.org"), "{queue}");
    let sid = queue.split("/teach/assignment-submissions/").nth(1).unwrap().split('"').next().unwrap().to_string();
    let grading = format!("/teach/assignment-submissions/{sid}");
    assert_eq!(c.other_teacher.get(&grading).await.status, 404);
    assert_eq!(c.learner.get(&grading).await.status, 404);
    let csrf = c.teacher.page_csrf(&grading).await;
    let feedback = "<script>alert(2)</script>\n\nLovely **rhythm**";
    let marked =
        c.teacher.form(&grading, &[("csrf", &csrf), ("points", "88"), ("feedback", feedback), ("then", "next")]).await;
    assert_eq!((marked.status.as_u16(), marked.header("location")), (303, format!("{manage}/submissions").as_str()));
    let graded = c.learner.get(&page).await.text;
    assert!(graded.contains("88 / 100") && graded.contains("<strong>rhythm</strong>"), "{graded}");
    assert!(!graded.contains("<script>alert(2)"), "feedback is sanitised");
    c.app.stop().await;
}

async fn a_rubric_gives_the_points_from_the_levels_chosen(backend: Backend) {
    let c = class(backend).await;
    let rubrics = format!("/api/v1/courses/{}/rubrics", c.course);
    let text = "Clarity | Unclear = 0 | Clear = 5 | Vivid = 10\nSources | None = 0 | Cited = 5";
    let bad = c.teacher.post(&rubrics, json!({"title": "Essay", "text": "Clarity | Clear = 5\nSources | x"})).await;
    bad.assert_problem(422, "validation");
    assert!(bad.text.contains("Line 1"), "the line is named: {}", bad.text);
    for client in [&c.learner, &c.other_teacher] {
        assert_eq!(client.post(&rubrics, json!({"title": "Mine", "text": text})).await.status, 404);
    }
    let made = c.teacher.post(&rubrics, json!({"title": "Essay <rubric>", "text": text})).await;
    assert_eq!(made.status, 201, "{}", made.text);
    assert_eq!(made.json()["max_points"], 15.0);
    let rubric = made.json()["id"].as_str().unwrap().to_string();
    for client in [&c.learner, &c.other_teacher] {
        assert_eq!(client.get(&format!("/api/v1/rubrics/{rubric}")).await.status, 404);
        assert_eq!(
            put(client, &format!("/api/v1/rubrics/{rubric}"), json!({"title": "x", "text": text})).await.status,
            404
        );
        assert_eq!(client.delete(&format!("/api/v1/rubrics/{rubric}")).await.status, 404);
    }
    let (other_course, _) = enrollment_kit::published(&c.other_teacher, "Elsewhere", json!({})).await;
    let theirs = c
        .other_teacher
        .post(&format!("/api/v1/courses/{other_course}/rubrics"), json!({"title": "T", "text": text}))
        .await;
    let theirs = theirs.json()["id"].as_str().unwrap().to_string();
    let refused = c
        .teacher
        .post("/api/v1/assignments", json!({"module_id": c.module, "title": "X", "settings": {"rubric_id": theirs}}))
        .await;
    refused.assert_problem(422, "validation");
    assert_eq!(refused.error_fields(), ["settings.rubric_id"]);

    let a = create(&c, "Essay", json!({"rubric_id": rubric, "max_points": 30})).await;
    let id = a["id"].as_str().unwrap();
    let mine = format!("/api/v1/assignments/{id}/submission");
    put(&c.learner, &mine, json!({"text": "An essay."})).await;
    let sid = c.learner.post(&format!("{mine}/submit"), json!({})).await.json()["submission"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let grade = format!("/api/v1/assignment-submissions/{sid}/grade");
    put(&c.teacher, &grade, json!({"points": 30})).await.assert_problem(422, "validation");
    put(&c.teacher, &grade, json!({"rubric": [1]})).await.assert_problem(422, "validation");
    put(&c.teacher, &grade, json!({"rubric": [1, 9]})).await.assert_problem(422, "validation");
    let graded = put(&c.teacher, &grade, json!({"rubric": [1, 1], "feedback": "Solid."})).await;
    assert_eq!(graded.status, 200, "{}", graded.text);
    assert_eq!(graded.json()["points"].as_f64(), Some(20.0), "10 of 15, scaled to 30");
    assert_eq!(c.learner.get(&format!("/api/v1/assignment-submissions/{sid}")).await.json()["rubric"], json!([1, 1]));
    c.teacher.delete(&format!("/api/v1/rubrics/{rubric}")).await.assert_problem(409, "rubric-in-use");

    // The pages: the grading page's levels, the learner's grade with them; the rubric's title escaped.
    let grading = format!("/teach/assignment-submissions/{sid}");
    let page = c.teacher.get(&grading).await.text;
    assert!(page.contains("name=\"level.0\"") && page.contains("Vivid"), "{page}");
    let csrf = c.teacher.page_csrf(&grading).await;
    let saved =
        c.teacher.form(&grading, &[("csrf", &csrf), ("level.0", "2"), ("level.1", "1"), ("feedback", "Better.")]).await;
    assert_eq!(saved.status, 303, "{}", saved.text);
    let learner_page = c.learner.get(&format!("/assignments/{id}")).await.text;
    assert!(learner_page.contains("Vivid (10)") && learner_page.contains("30 / 30"), "{learner_page}");
    assert!(learner_page.contains("Essay &#60;rubric&#62;"), "{learner_page}");
    let list = c.teacher.get(&format!("/teach/courses/{}/rubrics", c.course)).await;
    assert!(list.text.contains("Essay &#60;rubric&#62;"), "{}", list.text);
    c.app.stop().await;
}

async fn blind_marking_hides_names_until_the_release(backend: Backend) {
    let c = class(backend).await;
    let refused = c
        .teacher
        .post("/api/v1/assignments", json!({"module_id": c.module, "title": "X", "settings": {"blind_marking": true}}))
        .await;
    refused.assert_problem(422, "validation");
    assert_eq!(refused.error_fields(), ["settings.blind_marking"]);
    let a = create(&c, "Blind essay", json!({"blind_marking": true, "release": "manual"})).await;
    let id = a["id"].as_str().unwrap();
    let mine = format!("/api/v1/assignments/{id}/submission");
    put(&c.learner, &mine, json!({"text": "Mine."})).await;
    let sid = c.learner.post(&format!("{mine}/submit"), json!({})).await.json()["submission"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let queue = c.teacher.get(&format!("/api/v1/assignments/{id}/submissions")).await;
    let line = &queue.json()["items"][0];
    assert!(line["learner_name"].as_str().unwrap().starts_with("Participant "), "{line}");
    assert_eq!((line["learner_email"].clone(), line["user_id"].clone()), (Value::Null, Value::Null), "{line}");
    assert!(!queue.text.contains("learner@example.org") && !queue.text.contains(&c.learner_id));
    let one = c.teacher.get(&format!("/api/v1/assignment-submissions/{sid}")).await;
    assert!(!one.text.contains("learner@example.org") && !one.text.contains(&c.learner_id), "{}", one.text);
    let pages = [format!("/teach/assignments/{id}/submissions"), format!("/teach/assignment-submissions/{sid}")];
    for page in &pages {
        let text = c.teacher.get(page).await.text;
        assert!(text.contains("Participant ") && !text.contains("learner@example.org"), "{page}: {text}");
    }
    let grade = format!("/api/v1/assignment-submissions/{sid}/grade");
    assert_eq!(put(&c.teacher, &grade, json!({"points": 80})).await.status, 200);
    assert_eq!(c.teacher.post(&format!("/api/v1/assignments/{id}/release"), json!({})).await.status, 200);
    let revealed = c.teacher.get(&format!("/api/v1/assignments/{id}/submissions")).await.json();
    assert_eq!(revealed["items"][0]["learner_email"], "learner@example.org", "names after the release");
    c.app.stop().await;
}

on_both_backends!(
    late_work_is_penalised_and_an_extension_reopens_a_closed_assignment,
    grades_wait_for_release_and_each_submission_is_its_learners_and_the_staffs,
    the_pages_take_a_learner_from_the_lesson_to_their_grade,
    a_rubric_gives_the_points_from_the_levels_chosen,
    blind_marking_hides_names_until_the_release
);

/// Submission files on S3 (the moto server CI starts): streamed to the
/// bucket (one past the limit aborted, leaving nothing), served to the
/// learner and the course's staff, and in the zip.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn submission_files_live_on_s3() {
    let Some(bucket) = crate::s3::bucket("assignments").await else { return };
    let app = common::spawn_with(Backend::Sqlite, |s| {
        s.storage.backend = lyceum_platform::config::StorageBackend::S3;
        s.storage.s3 = bucket.settings.clone();
        s.section_mut::<lyceum_assignments::settings::AssignmentUploads>().submission_file_max_bytes = 64 * 1024;
    })
    .await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (learner, _) = app.signed_in("learner@example.org", Role::Learner).await;
    let (stranger, _) = app.signed_in("stranger@example.org", Role::Learner).await;
    let (course, _) = enrollment_kit::published(&teacher, "Stored", json!({})).await;
    let module = courses_kit::module(&teacher, &course, "Week 1").await;
    enrollment_kit::add_to_roster(&teacher, &course, "learner@example.org").await;
    let made = teacher.post("/api/v1/assignments", json!({"module_id": module, "title": "Report"})).await;
    let id = made.json()["id"].as_str().unwrap().to_string();
    let mine = format!("/api/v1/assignments/{id}/submission");
    let pdf = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n";
    let over = upload(&learner, &format!("{mine}/files"), "long.txt", &[b'a'; 64 * 1024 + 1]).await;
    over.assert_problem(413, "payload-too-large");
    let file = upload(&learner, &format!("{mine}/files"), "report.pdf", pdf).await;
    assert_eq!(file.status, 201, "{}", file.text);
    let key: String =
        sqlx::query_scalar("SELECT storage_key FROM assignment_files").fetch_one(app.state().db.pool()).await.unwrap();
    assert_eq!(bucket.storage.head(&key).await.unwrap().size, pdf.len() as u64, "the file is in the bucket");
    assert_eq!(bucket.storage.list("assignments").await.unwrap(), [key.as_str()], "nothing kept of the refused file");
    assert_eq!(learner.post(&format!("{mine}/submit"), json!({})).await.status, 200);
    let url = file.json()["url"].as_str().unwrap().to_string();
    let fetched = teacher.http.get(teacher.url(&url)).send().await.unwrap();
    assert_eq!(fetched.status(), 200);
    assert_eq!(fetched.bytes().await.unwrap().as_ref(), pdf);
    assert_eq!(stranger.get(&url).await.status, 404);
    let zip = teacher.get(&format!("/teach/assignments/{id}/submissions.zip")).await;
    assert!(zip.status == 200 && zip.text.contains("report.pdf"), "{}", zip.status);
    app.stop().await;
}

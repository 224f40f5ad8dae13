//! Assignments' submission rules: the opening date, the files an assignment
//! accepts and the room they take, direct submission (saving is
//! submitting), and tries after each grade with their history — the API and
//! the pages, every id route tried with another learner, another course's
//! instructor and a stranger — both backends.

use crate::assignments::{DAY_MS, HOUR_MS, class, create, now_ms, put, rfc3339, upload};

use crate::common::Backend;
use serde_json::{Value, json};

async fn nothing_is_handed_in_before_the_opening_date(backend: Backend) {
    let c = class(backend).await;
    let now = now_ms();
    for (due, cut_off) in [(Some(now), None), (None, Some(now))] {
        let settings =
            json!({"opens_at": rfc3339(now + DAY_MS), "due_at": due.map(rfc3339), "cut_off_at": cut_off.map(rfc3339)});
        let refused = c
            .teacher
            .post("/api/v1/assignments", json!({"module_id": c.module, "title": "X", "settings": settings}))
            .await;
        refused.assert_problem(422, "validation");
        assert_eq!(refused.error_fields(), ["settings.opens_at"]);
    }
    let a = create(&c, "Later", json!({"opens_at": rfc3339(now + DAY_MS), "due_at": rfc3339(now + 2 * DAY_MS)})).await;
    let id = a["id"].as_str().unwrap().to_string();
    let mine = format!("/api/v1/assignments/{id}/submission");
    let view = c.learner.get(&mine).await.json();
    assert_eq!((view["open"].as_bool(), view["editable"].as_bool()), (Some(false), Some(false)), "{view}");
    assert_eq!(view["opens_at"].as_str(), a["settings"]["opens_at"].as_str());
    let early = put(&c.learner, &mine, json!({"text": "Early bird"})).await;
    early.assert_problem(409, "assignment-not-open");
    assert!(early.text.contains("opens on"), "the problem says when: {}", early.text);
    c.learner.post(&format!("{mine}/submit"), json!({})).await.assert_problem(409, "assignment-not-open");
    upload(&c.learner, &format!("{mine}/files"), "notes.txt", b"notes\n")
        .await
        .assert_problem(409, "assignment-not-open");

    // The page: the instructions and the date it opens, no form; a form posted anyway is refused.
    let page = format!("/assignments/{id}");
    let html = c.learner.get(&page).await.text;
    assert!(html.contains("<strong>500 words</strong>") && html.contains("Opens on"), "{html}");
    assert!(!html.contains("name=\"text\""), "no draft form before the opening: {html}");
    let csrf = c.learner.page_csrf(&page).await;
    let posted = c.learner.form(&format!("{page}/draft"), &[("csrf", &csrf), ("text", "Early")]).await;
    assert_eq!(posted.status, 303);
    assert!(c.learner.get(&page).await.text.contains("not open yet"));
    for client in [&c.stranger, &c.other_teacher] {
        assert_eq!(put(client, &mine, json!({"text": "x"})).await.status, 404);
    }

    // The staff's settings page takes the date; opened now, the learner saves.
    let manage = format!("/teach/assignments/{id}");
    let csrf = c.teacher.page_csrf(&manage).await;
    assert!(c.teacher.get(&manage).await.text.contains("name=\"opens_at\""));
    let bad = c
        .teacher
        .form(
            &format!("{manage}/settings"),
            &[
                ("csrf", &csrf),
                ("opens_at", "2030-01-02T09:00"),
                ("due_at", "2030-01-01T09:00"),
                ("max_points", "100"),
                ("max_files", "1"),
                ("online_text", "on"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.text);
    assert!(bad.text.contains("opening date cannot come after"), "{}", bad.text);
    let opened =
        put(&c.teacher, &format!("/api/v1/assignments/{id}"), json!({"settings": {"opens_at": rfc3339(now - DAY_MS)}}))
            .await;
    assert_eq!(opened.status, 200, "{}", opened.text);
    assert_eq!(put(&c.learner, &mine, json!({"text": "On time"})).await.status, 200);
    assert!(c.learner.get(&page).await.text.contains("name=\"text\""));
    c.app.stop().await;
}

/// A PDF of exactly `size` bytes.
fn pdf(size: usize) -> Vec<u8> {
    let mut bytes = b"%PDF-1.7\n".to_vec();
    bytes.resize(size, b' ');
    bytes
}

async fn an_assignment_takes_its_kinds_of_file_within_the_room_they_share(backend: Backend) {
    let c = class(backend).await;
    let body = json!({"module_id": c.module, "title": "X", "settings": {"accepted_kinds": [], "max_files": 1}});
    let refused = c.teacher.post("/api/v1/assignments", body).await;
    refused.assert_problem(422, "validation");
    assert_eq!(refused.error_fields(), ["settings.accepted_kinds"]);
    let a = create(&c, "Scans", json!({"accepted_kinds": ["pdf"], "max_total_bytes": 100, "max_files": 5})).await;
    assert_eq!(
        (a["settings"]["accepted_kinds"].clone(), a["settings"]["max_total_bytes"].clone()),
        (json!(["pdf"]), json!(100))
    );
    let id = a["id"].as_str().unwrap().to_string();
    let files = format!("/api/v1/assignments/{id}/submission/files");
    let text = upload(&c.learner, &files, "notes.txt", b"notes\n").await;
    text.assert_problem(422, "validation");
    assert_eq!(text.error_fields(), ["file"]);
    assert!(text.text.contains("notes.txt") && text.text.contains("accepts pdf"), "{}", text.text);
    assert_eq!(upload(&c.learner, &files, "first.pdf", &pdf(40)).await.status, 201);
    // 60 bytes left: of two 40-byte files sent at once, exactly one fits.
    let forty = pdf(40);
    let (one, two) =
        tokio::join!(upload(&c.learner, &files, "second.pdf", &forty), upload(&c.learner, &files, "third.pdf", &forty));
    let mut statuses = [one.status.as_u16(), two.status.as_u16()];
    statuses.sort();
    assert_eq!(statuses, [201, 422], "{} / {}", one.text, two.text);
    let refused = if one.status == 422 { &one } else { &two };
    assert!(refused.text.contains("KB are left"), "{}", refused.text);
    let mine = c.learner.get(&format!("/api/v1/assignments/{id}/submission")).await.json();
    assert_eq!(mine["submission"]["files"].as_array().unwrap().len(), 2, "{mine}");
    for client in [&c.stranger, &c.other_teacher] {
        assert_eq!(upload(client, &files, "mine.pdf", &pdf(10)).await.status, 404);
    }
    let page = c.learner.get(&format!("/assignments/{id}")).await.text;
    assert!(page.contains("accept=\".pdf\"") && page.contains("Room left for files:"), "{page}");

    // The settings page: the kinds as checkboxes, the room in MB.
    let manage = format!("/teach/assignments/{id}");
    let csrf = c.teacher.page_csrf(&manage).await;
    let fields = [
        ("csrf", csrf.as_str()),
        ("max_points", "100"),
        ("max_files", "2"),
        ("kind_image", "on"),
        ("kind_text", "on"),
        ("max_total_mb", "0.5"),
    ];
    let saved = c.teacher.form(&format!("{manage}/settings"), &fields).await;
    assert_eq!(saved.status, 303, "{}", saved.text);
    let settings = c.teacher.get(&format!("/api/v1/assignments/{id}")).await.json()["settings"].clone();
    assert_eq!(
        (settings["accepted_kinds"].clone(), settings["max_total_bytes"].clone()),
        (json!(["image", "text"]), json!(524288))
    );
    c.app.stop().await;
}

async fn with_direct_submission_saving_is_submitting_until_graded(backend: Backend) {
    let c = class(backend).await;
    let due = now_ms() - HOUR_MS;
    let a = create(
        &c,
        "Direct",
        json!({"drafts": false, "require_statement": true, "due_at": rfc3339(due), "max_files": 2}),
    )
    .await;
    assert_eq!(a["settings"]["drafts"], false);
    let id = a["id"].as_str().unwrap().to_string();
    let mine = format!("/api/v1/assignments/{id}/submission");
    let view = c.learner.get(&mine).await.json();
    assert_eq!((view["direct"].as_bool(), view["statement_asked"].as_bool()), (Some(true), Some(true)), "{view}");
    let refused = put(&c.learner, &mine, json!({"text": "First"})).await;
    refused.assert_problem(422, "validation");
    assert_eq!(refused.error_fields(), ["statement"]);
    assert_eq!(c.learner.get(&mine).await.json()["submission"]["text"], "", "nothing saved without the statement");
    let first = put(&c.learner, &mine, json!({"text": "First", "statement": true})).await.json();
    assert_eq!(
        (first["status"].as_str(), first["statement_asked"].as_bool()),
        (Some("submitted"), Some(false)),
        "{first}"
    );
    let first_late = first["submission"]["late_ms"].as_i64().unwrap();
    assert!(first_late >= HOUR_MS, "late from the due date: {first}");
    // Each change hands the work in again, late from that change; the statement is kept for the try.
    let second = put(&c.learner, &mine, json!({"text": "Second"})).await.json();
    assert_eq!((second["status"].as_str(), second["submission"]["text"].as_str()), (Some("submitted"), Some("Second")));
    assert!(second["submission"]["late_ms"].as_i64().unwrap() >= first_late);
    // As instants: RFC 3339 strings with a different number of fraction digits do not sort.
    let at = |v: &Value| v["submission"]["submitted_at"].as_str().unwrap().parse::<jiff::Timestamp>().unwrap();
    assert!(at(&second) >= at(&first), "{first} then {second}");
    let file = upload(&c.learner, &format!("{mine}/files"), "notes.txt", b"notes\n").await;
    assert_eq!(file.status, 201, "{}", file.text);
    // Emptied, the work is no longer handed in; saved again, it is.
    assert_eq!(
        put(&c.learner, &mine, json!({"text": ""})).await.json()["status"],
        "submitted",
        "the file is still there"
    );
    let file_id = file.json()["id"].as_str().unwrap().to_string();
    assert_eq!(c.learner.delete(&format!("{mine}/files/{file_id}")).await.status, 204);
    assert_eq!(c.learner.get(&mine).await.json()["status"], "draft");
    assert_eq!(put(&c.learner, &mine, json!({"text": "Third"})).await.json()["status"], "submitted");
    assert_eq!(put(&c.stranger, &mine, json!({"text": "x"})).await.status, 404);
    c.app.drain_jobs().await;
    let notices = c.learner.get("/api/v1/notifications").await.json();
    let receipts = notices["items"].as_array().unwrap().iter().filter(|n| n["kind"] == "assignment.submitted").count();
    assert_eq!(receipts, 2, "a receipt when handed in (twice: it was taken back once), none per save: {notices}");

    let sid = c.learner.get(&mine).await.json()["submission"]["id"].as_str().unwrap().to_string();
    let graded = put(&c.teacher, &format!("/api/v1/assignment-submissions/{sid}/grade"), json!({"points": 70})).await;
    assert_eq!(graded.status, 200, "{}", graded.text);
    put(&c.learner, &mine, json!({"text": "After"})).await.assert_problem(409, "submission-final");
    upload(&c.learner, &format!("{mine}/files"), "late.txt", b"late\n").await.assert_problem(409, "submission-final");

    // The page: one "Save" that hands the work in.
    let b = create(&c, "Direct page", json!({"drafts": false})).await;
    let page = format!("/assignments/{}", b["id"].as_str().unwrap());
    let html = c.learner.get(&page).await.text;
    assert!(html.contains("Saving hands your work in") && !html.contains("/submit\""), "{html}");
    let csrf = c.learner.page_csrf(&page).await;
    assert_eq!(c.learner.form(&format!("{page}/draft"), &[("csrf", &csrf), ("text", "Mine")]).await.status, 303);
    let after = c.learner.get(&page).await.text;
    assert!(after.contains("your work is handed in") && after.contains("Submitted"), "{after}");
    c.app.stop().await;
}

async fn after_each_shown_grade_a_new_try_starts_from_a_copy_and_the_graded_one_is_kept(backend: Backend) {
    let c = class(backend).await;
    for tries in [0, 21] {
        let settings = json!({"resubmit": "after_grade", "max_tries": tries});
        let refused = c
            .teacher
            .post("/api/v1/assignments", json!({"module_id": c.module, "title": "X", "settings": settings}))
            .await;
        refused.assert_problem(422, "validation");
        assert_eq!(refused.error_fields(), ["settings.max_tries"]);
    }
    let a =
        create(&c, "Drafts", json!({"resubmit": "after_grade", "max_tries": 2, "release": "manual", "max_files": 2}))
            .await;
    let id = a["id"].as_str().unwrap().to_string();
    let lesson = a["lesson_id"].as_str().unwrap().to_string();
    let mine = format!("/api/v1/assignments/{id}/submission");
    let new_try = format!("{mine}/new-try");
    put(&c.learner, &mine, json!({"text": "First try"})).await;
    let file = upload(&c.learner, &format!("{mine}/files"), "notes.txt", b"first notes\n").await;
    assert_eq!(file.status, 201, "{}", file.text);
    let sid = c.learner.post(&format!("{mine}/submit"), json!({})).await.json()["submission"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    c.learner.post(&new_try, json!({})).await.assert_problem(409, "new-try-not-allowed");
    let grade = format!("/api/v1/assignment-submissions/{sid}/grade");
    assert_eq!(put(&c.teacher, &grade, json!({"points": 40, "feedback": "Try *again*"})).await.status, 200);
    let feedback_files = format!("/api/v1/assignment-submissions/{sid}/feedback/files");
    let marked = upload(&c.teacher, &feedback_files, "marked.txt", b"see line 3\n").await;
    assert_eq!(marked.status, 201, "{}", marked.text);
    let held = c.learner.post(&new_try, json!({})).await;
    held.assert_problem(409, "new-try-not-allowed");
    assert!(held.text.contains("grade is shown"), "not until the grade is shown: {}", held.text);
    assert_eq!(c.learner.get(&mine).await.json()["new_try_refusal"], "not_graded");
    assert_eq!(c.teacher.post(&format!("/api/v1/assignments/{id}/release"), json!({})).await.status, 200);
    assert_eq!(c.learner.get(&mine).await.json()["can_start_new_try"], true);
    let page = format!("/assignments/{id}");
    assert!(c.learner.get(&page).await.text.contains("Start a new try"));
    for client in [&c.stranger, &c.other_teacher] {
        assert_eq!(client.post(&new_try, json!({})).await.status, 404);
    }
    c.teacher.post(&new_try, json!({})).await.assert_problem(403, "staff-do-not-submit");

    let started = c.learner.post(&new_try, json!({})).await;
    assert_eq!(started.status, 200, "{}", started.text);
    let view = started.json();
    assert_eq!((view["status"].as_str(), view["try_number"].as_u64()), (Some("draft"), Some(2)), "{view}");
    let draft = &view["submission"];
    assert_eq!((draft["text"].as_str(), draft["files"].as_array().unwrap().len()), (Some("First try"), 1), "a copy");
    let past = &view["tries"][0];
    assert_eq!(
        (past["number"].as_i64(), past["grade"].as_f64(), past["feedback"].as_str()),
        (Some(1), Some(40.0), Some("Try *again*"))
    );
    let past_file = past["files"][0]["url"].as_str().unwrap().to_string();
    assert!(past_file.contains("/tries/1/files/"), "{past_file}");
    // The grader's files stay with the try they were given on.
    let past_feedback = past["feedback_files"][0]["url"].as_str().unwrap_or_else(|| panic!("{past}")).to_string();
    assert!(past_feedback.contains("/tries/1/feedback/"), "{past_feedback}");
    assert_eq!(c.teacher.get(&feedback_files).await.json()["items"], json!([]), "the new try has none yet");
    let fetched = c.learner.http.get(c.learner.url(&past_feedback)).send().await.unwrap();
    assert_eq!(fetched.bytes().await.unwrap().as_ref(), b"see line 3\n");
    for client in [&c.other_learner, &c.stranger, &c.other_teacher] {
        assert_eq!(client.get(&past_feedback).await.status, 404);
    }
    c.learner.post(&new_try, json!({})).await.assert_problem(409, "new-try-not-allowed");

    // The draft's copy of the file goes; the past try's object stays.
    let copy = draft["files"][0]["id"].as_str().unwrap();
    assert_eq!(c.learner.delete(&format!("{mine}/files/{copy}")).await.status, 204);
    let kept = c.learner.http.get(c.learner.url(&past_file)).send().await.unwrap();
    assert_eq!(kept.status(), 200);
    assert_eq!(kept.bytes().await.unwrap().as_ref(), b"first notes\n");
    for client in [&c.other_learner, &c.stranger, &c.other_teacher] {
        assert_eq!(client.get(&past_file).await.status, 404);
    }
    assert_eq!(c.teacher.get(&past_file).await.status, 200);

    put(&c.learner, &mine, json!({"text": "Second try"})).await;
    assert_eq!(c.learner.post(&format!("{mine}/submit"), json!({})).await.status, 200);
    assert_eq!(put(&c.teacher, &grade, json!({"points": 90, "feedback": "Much better"})).await.status, 200);
    let done = c.learner.get(&mine).await.json();
    assert_eq!(
        (done["status"].as_str(), done["new_try_refusal"].as_str()),
        (Some("graded"), Some("none_left")),
        "{done}"
    );
    c.learner.post(&new_try, json!({})).await.assert_problem(409, "new-try-not-allowed");
    for client in [&c.teacher, &c.learner] {
        let one = client.get(&format!("/api/v1/assignment-submissions/{sid}")).await.json();
        assert_eq!((one["tries"].as_array().map(Vec::len), one["grade"].as_f64()), (Some(1), Some(90.0)), "{one}");
        assert_eq!(one["tries"][0]["grade"].as_f64(), Some(40.0));
    }
    assert_eq!(c.other_learner.get(&format!("/api/v1/assignment-submissions/{sid}")).await.status, 404);

    // The pages list the earlier try; the gradebook keeps the latest grade; the lesson stays complete.
    let html = c.learner.get(&page).await.text;
    assert!(html.contains("Earlier tries") && html.contains("Try <em>again</em>"), "{html}");
    let grading = c.teacher.get(&format!("/teach/assignment-submissions/{sid}")).await.text;
    assert!(grading.contains("Earlier tries") && grading.contains("40 / 100"), "{grading}");
    c.app.drain_jobs().await;
    let book = c.teacher.get(&format!("/api/v1/courses/{}/gradebook", c.course)).await.json();
    let row = book["rows"].as_array().unwrap().iter().find(|r| r["grades"][0]["points"].is_number()).cloned();
    assert_eq!(row.unwrap_or_default()["grades"][0]["points"].as_f64(), Some(90.0), "{book}");
    let completed = "SELECT COUNT(*) FROM lesson_progress WHERE lesson_id = $1 AND completed_at IS NOT NULL";
    assert_eq!(crate::courses_kit::count(&c.app, completed, &lesson).await, 1);
    c.app.stop().await;
}

/// The page's upload as `assignment-upload.js` sends it (marked, CSRF in a header).
async fn scripted_upload(
    client: &crate::common::TestClient,
    path: &str,
    name: &str,
    bytes: &[u8],
) -> crate::common::Reply {
    let part = reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(name.to_string());
    let form = reqwest::multipart::Form::new().part("file", part);
    let mut req = client.http.post(client.url(path)).multipart(form).header("x-lyceum-upload", "1");
    if let Some(csrf) = &client.csrf {
        req = req.header("x-csrf-token", csrf);
    }
    crate::common::TestClient::reply(req.send().await.unwrap()).await
}

async fn the_page_upload_shows_its_progress_and_its_refusal_without_a_redirect(backend: Backend) {
    let c = class(backend).await;
    let a = create(&c, "Progress", json!({"accepted_kinds": ["pdf"], "max_files": 2})).await;
    let page = format!("/assignments/{}", a["id"].as_str().unwrap());
    let html = c.learner.get(&page).await.text;
    assert!(html.contains("data-upload-progress") && html.contains("assignment-upload."), "{html}");
    assert!(
        html.contains("<label for=\"upload-progress\">") && html.contains("role=\"alert\" data-upload-alert"),
        "{html}"
    );
    let refused = scripted_upload(&c.learner, &format!("{page}/files"), "notes.txt", b"notes\n").await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert!(refused.text.contains("notes.txt") && refused.text.contains("accepts pdf"), "{}", refused.text);
    let added = scripted_upload(&c.learner, &format!("{page}/files"), "scan.pdf", &pdf(64)).await;
    assert_eq!(added.status, 204, "{}", added.text);
    let after = c.learner.get(&page).await.text;
    assert!(after.contains("File added.") && after.contains("scan.pdf"), "{after}");
    let plain = upload(&c.learner, &format!("{page}/files"), "more.pdf", &pdf(64)).await;
    assert_eq!(plain.status, 303, "without the script: the redirect as before");
    assert_eq!(scripted_upload(&c.stranger, &format!("{page}/files"), "x.pdf", &pdf(64)).await.status, 404);
    c.app.stop().await;
}

on_both_backends!(
    the_page_upload_shows_its_progress_and_its_refusal_without_a_redirect,
    after_each_shown_grade_a_new_try_starts_from_a_copy_and_the_graded_one_is_kept,
    with_direct_submission_saving_is_submitting_until_graded,
    nothing_is_handed_in_before_the_opening_date,
    an_assignment_takes_its_kinds_of_file_within_the_room_they_share
);

//! Marks brought back from offline marking: the zip's `grades.csv`, edited
//! as a spreadsheet would save it, previewed row by row and applied through
//! the grading service; a stale preview refused; the pages' upload, preview
//! and save; every route tried by a learner, a stranger and another
//! course's instructor — both backends.

use std::io::Read as _;

use crate::{common, courses_kit, enrollment_kit};

use common::{Backend, Reply, TestClient, spawn};
use lyceum_platform::auth::Role;
use reqwest::Method;
use serde_json::{Value, json};

async fn put(client: &TestClient, path: &str, body: Value) -> Reply {
    client.send(Method::PUT, path, Some(&body)).await
}

/// The `grades.csv` of the assignment's submissions zip.
async fn worksheet_of_zip(teacher: &TestClient, id: &str) -> String {
    let url = teacher.url(&format!("/teach/assignments/{id}/submissions.zip"));
    let bytes = teacher.http.get(url).send().await.unwrap().bytes().await.unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("a zip");
    let mut sheet = String::new();
    archive.by_name("grades.csv").expect("grades.csv").read_to_string(&mut sheet).unwrap();
    sheet
}

/// The sheet as a spreadsheet in a decimal-comma locale saves it: cells
/// separated by semicolons, points with a comma; `points` and `feedback`
/// fill the row of `submission`.
fn edited(sheet: &str, submission: &str, points: &str, feedback: &str) -> String {
    let mut lines = sheet.trim_start_matches('\u{feff}').lines();
    let header = lines.next().unwrap().replace(',', ";");
    let mut out = format!("\u{feff}{header}\r\n");
    for line in lines.filter(|l| l.starts_with(submission)) {
        let cells: Vec<&str> = line.split(',').collect();
        let mut row: Vec<String> = cells[..5].iter().map(|c| c.to_string()).collect();
        row.extend([points.to_string(), String::new(), cells[7].to_string(), format!("\"{feedback}\"")]);
        out.push_str(&row.join(";"));
        out.push_str("\r\n");
    }
    out
}

fn ms_ago(days: i64) -> String {
    let at = jiff::Timestamp::now().as_millisecond() - days * 24 * 3_600_000;
    jiff::Timestamp::from_millisecond(at).unwrap().to_string()
}

async fn marks_come_back_from_the_spreadsheet_with_a_preview(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (learner, _) = app.signed_in("learner@example.org", Role::Learner).await;
    let (drafter, _) = app.signed_in("other@example.org", Role::Learner).await;
    let (stranger, _) = app.signed_in("stranger@example.org", Role::Learner).await;
    let (other_teacher, _) = app.signed_in("alan@example.org", Role::Instructor).await;
    let (course, _) = enrollment_kit::published(&teacher, "Essays", json!({})).await;
    let module = courses_kit::module(&teacher, &course, "Week 1").await;
    enrollment_kit::add_to_roster(&teacher, &course, "learner@example.org").await;
    enrollment_kit::add_to_roster(&teacher, &course, "other@example.org").await;
    let mut others = Vec::new();
    for email in ["third@example.org", "fourth@example.org"] {
        others.push(app.signed_in(email, Role::Learner).await.0);
        enrollment_kit::add_to_roster(&teacher, &course, email).await;
    }
    // Due a day and a bit ago, 10 % off per day started: the late penalty applies to imported points too.
    let settings = json!({"max_points": 20, "due_at": ms_ago(1), "late_penalty_percent": 10});
    let made =
        teacher.post("/api/v1/assignments", json!({"module_id": module, "title": "Essay", "settings": settings})).await;
    assert_eq!(made.status, 201, "{}", made.text);
    let id = made.json()["id"].as_str().unwrap().to_string();
    let mine = format!("/api/v1/assignments/{id}/submission");
    assert_eq!(put(&learner, &mine, json!({"text": "My essay."})).await.status, 200);
    let submitted = learner.post(&format!("{mine}/submit"), json!({})).await;
    let sid = submitted.json()["submission"]["id"].as_str().unwrap().to_string();
    assert_eq!(put(&drafter, &mine, json!({"text": "Not finished"})).await.status, 200);
    let mut other_ids = Vec::new();
    for other in &others {
        assert_eq!(put(other, &mine, json!({"text": "Mine."})).await.status, 200);
        let done = other.post(&format!("{mine}/submit"), json!({})).await;
        other_ids.push(done.json()["submission"]["id"].as_str().unwrap().to_string());
    }
    let list = teacher.get(&format!("/api/v1/assignments/{id}/submissions")).await.json();
    let draft_id = list["items"].as_array().unwrap().iter().find(|s| s["state"] == "draft").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();

    // The zip's worksheet, edited: a grade with a decimal comma and feedback
    // a spreadsheet would take for a formula; rows a person gets wrong.
    let sheet = worksheet_of_zip(&teacher, &id).await;
    assert!(sheet.contains(&sid) && !sheet.contains(&draft_id), "submitted work only: {sheet}");
    let mut csv = edited(&sheet, &sid, "15,5", "=Well argued; see «notes»");
    for bad in [
        format!("{draft_id};x;;;;12;;20;"),
        "nope;x;;;;12;;20;".to_string(),
        format!("{sid};again;;;;3;;20;"),
        ";x;;;;3;;20;".to_string(),
        format!("{};x;;;;twelve;;20;", other_ids[0]),
        format!("{};x;;;;20,5;;20;", other_ids[1]),
        format!("{};x;;;;;;20;", other_ids[1]),
    ] {
        csv.push_str(&bad);
        csv.push_str("\r\n");
    }
    let preview_url = format!("/api/v1/assignments/{id}/worksheet/preview");
    let preview = teacher.post(&preview_url, json!({"csv": csv})).await;
    assert_eq!(preview.status, 200, "{}", preview.text);
    let p = preview.json();
    assert_eq!(p["changes"].as_array().unwrap().len(), 1, "{p}");
    let change = &p["changes"][0];
    assert_eq!(
        (change["submission_id"].as_str(), change["new_points"].as_f64(), change["old_points"].as_f64()),
        (Some(sid.as_str()), Some(15.5), None)
    );
    assert_eq!((change["line"].as_u64(), change["feedback_changed"].as_bool()), (Some(2), Some(true)));
    let codes: Vec<(u64, &str)> = p["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| (x["line"].as_u64().unwrap(), x["code"].as_str().unwrap()))
        .collect();
    let expected = [
        (3, "not_submitted"),
        (4, "unknown_submission"),
        (5, "repeated"),
        (6, "no_submission"),
        (7, "not_a_number"),
        (8, "out_of_range"),
        (9, "repeated"),
    ];
    assert_eq!(codes, expected);
    assert!(p["problems"][0]["message"].as_str().unwrap().contains("draft"), "a sentence: {p}");

    // Nobody but the course's staff previews or applies.
    let apply_url = format!("/api/v1/assignments/{id}/worksheet/apply");
    let digest = p["digest"].as_str().unwrap().to_string();
    for client in [&learner, &stranger, &other_teacher] {
        assert_eq!(client.post(&preview_url, json!({"csv": csv})).await.status, 404);
        assert_eq!(client.post(&apply_url, json!({"csv": csv, "digest": digest})).await.status, 404);
        assert_eq!(client.get(&format!("/teach/assignments/{id}/worksheet")).await.status, 404);
    }
    assert_eq!(app.client().post(&preview_url, json!({"csv": csv})).await.status, 401);
    teacher.post(&preview_url, json!({"csv": "Name,Grade\nA,1\n"})).await.assert_problem(422, "validation");
    teacher.post(&apply_url, json!({"csv": csv, "digest": "0"})).await.assert_problem(409, "stale-preview");

    let applied = teacher.post(&apply_url, json!({"csv": csv, "digest": digest})).await;
    assert_eq!((applied.status.as_u16(), &applied.json()["applied"]), (200, &json!(1)), "{}", applied.text);
    let graded = learner.get(&mine).await.json();
    let s = &graded["submission"];
    assert_eq!((s["points"].as_f64(), s["grade"].as_f64()), (Some(15.5), Some(11.5)), "two days started: 20 % off");
    assert_eq!(s["feedback"], "=Well argued; see «notes»", "as written: {graded}");
    app.drain_jobs().await;
    let notices = learner.get("/api/v1/notifications").await.json();
    assert!(notices.to_string().contains("assignment.graded"), "the learner hears: {notices}");
    // Exported again (the feedback defused with an apostrophe) and uploaded as is: nothing changes.
    let exported = worksheet_of_zip(&teacher, &id).await;
    assert!(exported.contains("'=Well argued"), "{exported}");
    let again = teacher.post(&preview_url, json!({"csv": exported})).await.json();
    let unchanged = (again["changes"].as_array().unwrap().len(), again["unchanged"].as_u64());
    assert_eq!(unchanged, (0, Some(3)), "every row of the export, none graded but one: {again}");

    // A grade given on the grading page after the preview makes it stale.
    let csv = edited(&sheet, &sid, "18", "Better");
    let digest = teacher.post(&preview_url, json!({"csv": csv})).await.json()["digest"].as_str().unwrap().to_string();
    let regraded = put(&teacher, &format!("/api/v1/assignment-submissions/{sid}/grade"), json!({"points": 10})).await;
    assert_eq!(regraded.status, 200);
    teacher.post(&apply_url, json!({"csv": csv, "digest": digest})).await.assert_problem(409, "stale-preview");
    assert_eq!(learner.get(&mine).await.json()["submission"]["points"].as_f64(), Some(10.0), "nothing applied");

    // The pages: upload, preview, save.
    let page = format!("/teach/assignments/{id}/worksheet");
    let csrf = teacher.page_csrf(&page).await;
    let sent = post_multipart(&teacher, &page, &[("csrf", &csrf)], Some(("sheet", csv.as_bytes()))).await;
    assert_eq!(sent.status, 200, "{}", sent.text);
    assert!(sent.text.contains("Save 1 grade(s)") && sent.text.contains("Test User"), "{}", sent.text);
    let marker = "name=\"digest\" value=\"";
    let start = sent.text.find(marker).unwrap() + marker.len();
    let digest = sent.text[start..].split('"').next().unwrap().to_string();
    let fields = [("csrf", csrf.as_str()), ("digest", digest.as_str()), ("sheet", csv.as_str())];
    let saved = post_multipart(&teacher, &format!("{page}/apply"), &fields, None).await;
    assert_eq!(saved.status, 303, "{}", saved.text);
    assert_eq!(saved.header("location"), format!("/teach/assignments/{id}/submissions"));
    assert_eq!(learner.get(&mine).await.json()["submission"]["points"].as_f64(), Some(18.0));
    let latin1 = b"Submission,Points,Feedback\nabc,3,tr\xe8s bien\n";
    let refused = post_multipart(&teacher, &page, &[("csrf", &csrf)], Some(("sheet", latin1))).await;
    assert_eq!(refused.status, 422);
    assert!(refused.text.contains("CSV UTF-8"), "{}", refused.text);
    app.stop().await;
}

/// POSTs a multipart form: text fields, and a file part when given.
async fn post_multipart(
    client: &TestClient,
    path: &str,
    fields: &[(&str, &str)],
    file: Option<(&str, &[u8])>,
) -> Reply {
    let mut form = reqwest::multipart::Form::new();
    for (name, value) in fields {
        form = form.text(name.to_string(), value.to_string());
    }
    if let Some((name, bytes)) = file {
        form = form.part(name.to_string(), reqwest::multipart::Part::bytes(bytes.to_vec()).file_name("grades.csv"));
    }
    TestClient::reply(client.http.post(client.url(path)).multipart(form).send().await.unwrap()).await
}

/// POSTs `bytes` as the multipart field `file` (the API's uploads).
async fn upload(client: &TestClient, path: &str, name: &str, bytes: &[u8]) -> Reply {
    let part = reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(name.to_string());
    let form = reqwest::multipart::Form::new().part("file", part);
    let mut req = client.http.post(client.url(path)).multipart(form);
    if let Some(csrf) = &client.csrf {
        req = req.header("x-csrf-token", csrf);
    }
    TestClient::reply(req.send().await.unwrap()).await
}

/// The submissions zip with its entries replaced or added: `(path, bytes)`.
async fn zip_with(teacher: &TestClient, id: &str, changes: &[(String, Vec<u8>)]) -> Vec<u8> {
    use std::io::Write as _;
    let url = teacher.url(&format!("/teach/assignments/{id}/submissions.zip"));
    let bytes = teacher.http.get(url).send().await.unwrap().bytes().await.unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).unwrap();
        let data = changes.iter().find(|(p, _)| *p == name).map_or(data, |(_, d)| d.clone());
        out.start_file(name, options).unwrap();
        out.write_all(&data).unwrap();
    }
    let names: Vec<String> =
        (0..archive.len()).map(|i| archive.by_index(i).unwrap().name().unwrap().to_string()).collect();
    for (path, data) in changes.iter().filter(|(p, _)| !names.contains(p)) {
        out.start_file(path.as_str(), options).unwrap();
        out.write_all(data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

async fn feedback_files_come_back_in_the_zips_folders(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (learner, _) = app.signed_in("learner@example.org", Role::Learner).await;
    let (stranger, _) = app.signed_in("stranger@example.org", Role::Learner).await;
    let (other_teacher, _) = app.signed_in("alan@example.org", Role::Instructor).await;
    let (course, _) = enrollment_kit::published(&teacher, "Essays", json!({})).await;
    let module = courses_kit::module(&teacher, &course, "Week 1").await;
    enrollment_kit::add_to_roster(&teacher, &course, "learner@example.org").await;
    let settings = json!({"max_files": 2, "online_text": true});
    let made =
        teacher.post("/api/v1/assignments", json!({"module_id": module, "title": "Essay", "settings": settings})).await;
    let id = made.json()["id"].as_str().unwrap().to_string();
    let mine = format!("/api/v1/assignments/{id}/submission");
    assert_eq!(put(&learner, &mine, json!({"text": "See the files."})).await.status, 200);
    let essay = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n".to_vec();
    assert_eq!(upload(&learner, &format!("{mine}/files"), "essay.pdf", &essay).await.status, 201);
    assert_eq!(upload(&learner, &format!("{mine}/files"), "data.txt", b"1,2,3\n").await.status, 201);
    let sid = learner.post(&format!("{mine}/submit"), json!({})).await.json()["submission"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let folder = format!("Test User - {}", &sid[sid.len() - 6..]);
    let annotated = b"%PDF-1.7\n% annotated by the teacher\n%%EOF\n".to_vec();
    let zip = zip_with(
        &teacher,
        &id,
        &[
            (format!("{folder}/1-essay.pdf"), annotated.clone()),
            (format!("{folder}/recording.txt"), b"Well done.".to_vec()),
            (format!("{folder}/tool.exe"), b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00".to_vec()),
            ("Someone - 000000/notes.txt".to_string(), b"?".to_vec()),
        ],
    )
    .await;
    let url = format!("/api/v1/assignments/{id}/feedback-zip");
    for client in [&learner, &stranger, &other_teacher] {
        assert_eq!(upload(client, &url, "marked.zip", &zip).await.status, 404);
    }
    upload(&teacher, &url, "marked.zip", b"not a zip").await.assert_problem(422, "validation");
    let report = upload(&teacher, &url, "marked.zip", &zip).await;
    assert_eq!(report.status, 200, "{}", report.text);
    let files = report.json()["files"].as_array().unwrap().clone();
    let outcome = |path: &str| {
        let file = files.iter().find(|f| f["path"] == path).unwrap_or_else(|| panic!("{path} reported: {files:?}"));
        (file["attached"].as_bool().unwrap(), file["reason"].as_str().unwrap_or("").to_string())
    };
    assert!(outcome(&format!("{folder}/1-essay.pdf")).0, "an annotated copy is feedback");
    assert!(outcome(&format!("{folder}/recording.txt")).0);
    assert!(outcome(&format!("{folder}/2-data.txt")).1.contains("unchanged"), "the learner's own file is skipped");
    assert!(outcome(&format!("{folder}/text.md")).1.contains("unchanged"));
    assert!(!outcome(&format!("{folder}/tool.exe")).0);
    assert!(outcome("Someone - 000000/notes.txt").1.contains("matches no submitted work"));
    assert!(outcome("grades.csv").1.contains("Not in a learner's folder"));
    let listed = teacher.get(&format!("/api/v1/assignment-submissions/{sid}/feedback/files")).await;
    assert_eq!(listed.json()["items"].as_array().map(Vec::len), Some(2), "{}", listed.text);

    // The page: the report lists every file.
    let page = format!("/teach/assignments/{id}/worksheet");
    let csrf = teacher.page_csrf(&page).await;
    let zip = zip_with(&teacher, &id, &[(format!("{folder}/more.txt"), b"And more.".to_vec())]).await;
    let sent = post_multipart_file(&teacher, &format!("/teach/assignments/{id}/feedback-zip"), &csrf, &zip).await;
    assert_eq!(sent.status, 200, "{}", sent.text);
    assert!(sent.text.contains("Attached as feedback") && sent.text.contains("more.txt"), "{}", sent.text);
    let refused = post_multipart_file(&teacher, &format!("/teach/assignments/{id}/feedback-zip"), &csrf, b"nope").await;
    assert_eq!(refused.status, 422);
    assert!(refused.text.contains("not a zip file"), "{}", refused.text);
    app.stop().await;
}

async fn post_multipart_file(client: &TestClient, path: &str, csrf: &str, bytes: &[u8]) -> Reply {
    let part = reqwest::multipart::Part::bytes(bytes.to_vec()).file_name("marked.zip");
    let form = reqwest::multipart::Form::new().text("csrf", csrf.to_string()).part("file", part);
    TestClient::reply(client.http.post(client.url(path)).multipart(form).send().await.unwrap()).await
}

on_both_backends!(marks_come_back_from_the_spreadsheet_with_a_preview, feedback_files_come_back_in_the_zips_folders);

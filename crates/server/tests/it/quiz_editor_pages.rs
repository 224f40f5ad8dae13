//! The question editor's pages: a form per kind with a preview, the typed
//! values kept when something is wrong, a stored question edited into a new
//! version with its formats kept; what teachers write is escaped.

use crate::{common, courses_kit, quiz_kit};

use common::{Backend, TestClient, spawn};
use lyceum_platform::auth::Role;
use serde_json::Value;

/// Posts the editor's form with `fields` (and the CSRF token).
async fn post(client: &TestClient, path: &str, csrf: &str, fields: &[(&str, &str)]) -> common::Reply {
    let mut all = vec![("csrf", csrf)];
    all.extend_from_slice(fields);
    client.form(path, &all).await
}

/// The stored question behind an editor redirect, from the API.
async fn saved(client: &TestClient, reply: &common::Reply) -> Value {
    assert_eq!(reply.status, 303, "{}", reply.text);
    let id = reply.header("location").trim_start_matches("/teach/questions/").to_string();
    client.get(&format!("/api/v1/questions/{id}")).await.json()
}

async fn a_teacher_writes_every_kind_in_the_form(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let course = courses_kit::course(&teacher, "Physics").await;
    let bank = format!("/teach/courses/{course}/questions");
    let listed = teacher.get(&bank).await;
    assert!(listed.text.contains(&format!("href=\"{bank}/new/numerical?category=\"")), "the bank links each kind");
    assert_eq!(teacher.get(&format!("{bank}/new/poll")).await.status, 404);
    let csrf = teacher.page_csrf(&format!("{bank}/new/multichoice")).await;
    let new = |kind: &str| format!("{bank}/new/{kind}");

    let choice = [
        ("name", "Capital"),
        ("text", "Capital of **France**?"),
        ("default_mark", "2"),
        ("single", "1"),
        ("choice_0_text", "Paris"),
        ("choice_0_percent", "100"),
        ("choice_0_feedback", "Yes"),
        ("choice_1_text", ""),
        ("choice_2_text", "Lyon"),
        ("choice_2_percent", "0"),
    ];
    let preview = post(&teacher, &new("multichoice"), &csrf, &[&choice[..], &[("action", "preview")]].concat()).await;
    assert_eq!(preview.status, 200, "{}", preview.text);
    assert!(preview.text.contains("id=\"preview-heading\"") && preview.text.contains("<strong>France</strong>"));
    assert!(preview.text.contains("name=\"preview_choice\""), "the draft as a learner answers it");
    let listed = teacher.get(&format!("/api/v1/courses/{course}/questions")).await.json();
    assert_eq!(listed["items"].as_array().unwrap().len(), 0, "a preview saves nothing");

    let more = post(&teacher, &new("multichoice"), &csrf, &[&choice[..], &[("action", "more")]].concat()).await;
    assert!(more.text.contains("name=\"choice_7_text\""), "three more blanks after the two spare ones");

    let typo = [&choice[..], &[("choice_2_percent", "ten")]].concat();
    let typo: Vec<(&str, &str)> = typo.into_iter().filter(|(k, v)| !(*k == "choice_2_percent" && *v == "0")).collect();
    let refused = post(&teacher, &new("multichoice"), &csrf, &typo).await;
    assert_eq!(refused.status, 422);
    assert!(refused.text.contains("id=\"choice_2_percent-error\""), "{}", refused.text);
    assert!(refused.text.contains("Write a number") && refused.text.contains("value=\"ten\""), "kept as typed");
    let none_right: Vec<(&str, &str)> =
        choice.iter().map(|&(k, v)| if k == "choice_0_percent" { (k, "50") } else { (k, v) }).collect();
    let refused = post(&teacher, &new("multichoice"), &csrf, &none_right).await;
    assert_eq!(refused.status, 422);
    assert!(refused.text.contains("id=\"kind-error\""), "the kind's rule is shown on its part: {}", refused.text);

    let q = saved(&teacher, &post(&teacher, &new("multichoice"), &csrf, &choice).await).await;
    let kind = &q["question"]["kind"];
    assert_eq!((q["question"]["default_mark"].as_f64(), kind["type"].as_str()), (Some(2.0), Some("multiple_choice")));
    let texts: Vec<&str> =
        kind["choices"].as_array().unwrap().iter().map(|c| c["text"]["body"].as_str().unwrap()).collect();
    assert_eq!(texts, ["Paris", "Lyon"], "blank rows are dropped");
    assert_eq!(q["question"]["text"]["format"], "markdown");

    let numerical = [
        ("name", "Length"),
        ("text", "How long is it?"),
        ("default_mark", "1"),
        ("answer_0_answer", "2,5"),
        ("answer_0_tolerance", "0.1"),
        ("answer_0_percent", "100"),
        ("answer_1_answer", "*"),
        ("answer_1_feedback", "Measure again"),
        ("unit_0_unit", "m"),
        ("unit_0_multiplier", "1"),
        ("unit_1_unit", "cm"),
        ("unit_1_multiplier", "100"),
    ];
    let q = saved(&teacher, &post(&teacher, &new("numerical"), &csrf, &numerical).await).await;
    let kind = &q["question"]["kind"];
    assert_eq!(kind["answers"][0]["value"].as_f64(), Some(2.5));
    assert_eq!((kind["answers"].as_array().unwrap().len(), kind["units"][1]["unit"].as_str()), (2, Some("cm")));

    let matching = [
        ("name", "Capitals"),
        ("text", "Match them."),
        ("shuffle", "1"),
        ("pair_0_question", "France"),
        ("pair_0_answer", "Paris"),
        ("pair_1_question", "Italy"),
        ("pair_1_answer", "Rome"),
        ("distractor_0_text", "Berlin"),
    ];
    let q = saved(&teacher, &post(&teacher, &new("matching"), &csrf, &matching).await).await;
    assert_eq!(q["question"]["kind"]["distractors"][0], "Berlin");
    let ordering = [("name", "Steps"), ("text", "Order them."), ("item_0_text", "Wake"), ("item_1_text", "Eat")];
    let q = saved(&teacher, &post(&teacher, &new("ordering"), &csrf, &ordering).await).await;
    assert_eq!(q["question"]["kind"]["items"][1]["body"], "Eat");
    let cloze = [("name", "Where"), ("text", "Paris is in {1:MULTICHOICE:=France~Spain}."), ("default_mark", "1")];
    let q = saved(&teacher, &post(&teacher, &new("cloze"), &csrf, &cloze).await).await;
    assert_eq!(q["question"]["kind"]["type"], "cloze");
    let essay = [("name", "Why"), ("text", "Explain."), ("attachments_allowed", "2"), ("grader_info", "Rubric")];
    let q = saved(&teacher, &post(&teacher, &new("essay"), &csrf, &essay).await).await;
    let kind = &q["question"]["kind"];
    assert_eq!((kind["attachments_allowed"].as_u64(), kind["response_required"].as_bool()), (Some(2), Some(false)));
    let tf = [("name", "Sky"), ("text", "The sky is green."), ("correct", "false"), ("feedback_true", "It is blue.")];
    let q = saved(&teacher, &post(&teacher, &new("truefalse"), &csrf, &tf).await).await;
    assert_eq!(q["question"]["kind"]["correct"], false);
    app.stop().await;
}

async fn editing_in_the_form_makes_a_version_and_keeps_formats(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let course = courses_kit::course(&teacher, "Science").await;
    let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="multichoice">
    <name><text>Gold</text></name>
    <questiontext format="html"><text><![CDATA[<p>Symbol of <b>gold</b>?</p>]]></text></questiontext>
    <single>true</single>
    <answer fraction="100" format="html"><text>Au</text></answer>
    <answer fraction="0" format="html"><text>Ag</text></answer>
  </question>
</quiz>"#;
    quiz_kit::import(&teacher, &course, "moodle_xml", xml).await;
    let listed = teacher.get(&format!("/api/v1/courses/{course}/questions")).await.json();
    let id = listed["items"][0]["id"].as_str().unwrap().to_string();
    let question_page = teacher.get(&format!("/teach/questions/{id}")).await;
    assert!(question_page.text.contains(&format!("href=\"/teach/questions/{id}/edit\"")), "the page links the form");

    let path = format!("/teach/questions/{id}/edit");
    let form = teacher.get(&path).await;
    assert_eq!(form.status, 200);
    assert!(form.text.contains("name=\"text_format\" value=\"html\""), "the imported text stays HTML");
    assert!(form.text.contains("&#60;p&#62;Symbol of &#60;b&#62;gold"), "the HTML source is in the box, escaped");
    let csrf = teacher.page_csrf(&path).await;
    let edited = post(
        &teacher,
        &path,
        &csrf,
        &[
            ("name", "Gold symbol"),
            ("text", "<p>Chemical symbol of <b>gold</b>?</p>"),
            ("text_format", "html"),
            ("default_mark", "1"),
            ("single", "1"),
            ("choice_0_text", "Au"),
            ("choice_0_text_format", "html"),
            ("choice_0_percent", "100"),
            ("choice_1_text", "Ag"),
            ("choice_1_percent", "0"),
        ],
    )
    .await;
    let q = saved(&teacher, &edited).await;
    assert_eq!((q["name"].as_str(), q["version"].as_i64()), (Some("Gold symbol"), Some(2)));
    assert_eq!(q["question"]["text"]["format"], "html");
    assert_eq!(q["question"]["kind"]["type"], "multiple_choice", "the kind is the stored question's");
    app.stop().await;
}

async fn what_is_typed_in_the_editor_is_escaped(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let course = courses_kit::course(&teacher, "Security").await;
    let path = format!("/teach/courses/{course}/questions/new/shortanswer");
    let csrf = teacher.page_csrf(&path).await;
    let evil = "<img src=x onerror=alert(1)>";
    let fields = [
        ("name", "<script>alert(1)</script>"),
        ("text", evil),
        ("answer_0_answer", "\"><script>alert(2)</script>"),
        ("answer_0_percent", "100"),
        ("answer_0_feedback", evil),
        ("action", "preview"),
    ];
    let preview = post(&teacher, &path, &csrf, &fields).await;
    assert_eq!(preview.status, 200, "{}", preview.text);
    assert!(!preview.text.contains("<script>alert"), "a script runs: {}", preview.text);
    assert!(!preview.text.contains("onerror=alert(1)>") && !preview.text.contains("onerror=\""), "a handler is kept");
    app.stop().await;
}

on_both_backends!(
    a_teacher_writes_every_kind_in_the_form,
    editing_in_the_form_makes_a_version_and_keeps_formats,
    what_is_typed_in_the_editor_is_escaped,
);

//! Helpers and sample files shared by the question bank tests.
#![allow(dead_code)]

use serde_json::{Value, json};

use crate::common::TestClient;

/// A realistic GIFT file: two categories, several kinds, one broken question
/// (a multiple choice with no correct answer) on line 15.
pub const GIFT_FILE: &str = "// Geography, week 1\n\
$CATEGORY: $course$/top/Geography/Europe\n\
\n\
::Capital of France::What is the capital of France? {=Paris ~Lyon ~Marseille}\n\
\n\
::Seine::The Seine flows through Paris. {T}\n\
\n\
::Population::Roughly how many million people live in France? {#68:3}\n\
\n\
$CATEGORY: $course$/top/Geography/Asia\n\
\n\
::Capital of Japan::What is the capital of Japan? {=Tokyo}\n\
\n\
// no answer is right: reported, not imported\n\
::Broken::Which river is longest? {~Rhine ~Danube}\n\
\n\
::Pairs::Match each country with its capital. {=France -> Paris =Italy -> Rome =Spain -> Madrid}\n";

/// A Moodle XML export: a category, two good questions and a multiple choice
/// with one choice (invalid) whose `<question>` starts on line 17.
pub const MOODLE_FILE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category">
    <category><text>$course$/top/Science</text></category>
  </question>
  <question type="truefalse">
    <name><text>Sky</text></name>
    <questiontext format="moodle_auto_format"><text>The sky is green.</text></questiontext>
    <answer fraction="0"><text>true</text><feedback><text>It is blue.</text></feedback></answer>
    <answer fraction="100"><text>false</text><feedback><text>Right.</text></feedback></answer>
  </question>
  <question type="shortanswer">
    <name><text>Symbol</text></name>
    <questiontext format="plain_text"><text>Chemical symbol of gold?</text></questiontext>
    <answer fraction="100"><text>Au</text></answer>
  </question>
  <question type="multichoice">
    <name><text>Lonely</text></name>
    <questiontext format="html"><text>Only one choice?</text></questiontext>
    <single>true</single>
    <answer fraction="100"><text>Yes</text></answer>
  </question>
</quiz>
"#;

/// A valid single-answer multiple-choice question as JSON (the assessment model).
pub fn choice_question(name: &str, text: &str) -> Value {
    json!({
        "name": name,
        "text": {"body": text, "format": "markdown"},
        "general_feedback": {"body": "", "format": "plain"},
        "default_mark": 1.0,
        "kind": {"type": "multiple_choice", "single": true, "shuffle": false, "choices": [
            {"text": {"body": "Paris", "format": "plain"}, "fraction": 1.0, "feedback": {"body": "Yes", "format": "plain"}},
            {"text": {"body": "Lyon", "format": "plain"}, "fraction": 0.0, "feedback": {"body": "No", "format": "plain"}}
        ]}
    })
}

/// Creates a question in the course's bank through the API; returns its id.
pub async fn question(staff: &TestClient, course_id: &str, name: &str) -> String {
    let body = json!({"question": choice_question(name, "Capital of **France**?")});
    let reply = staff.post(&format!("/api/v1/courses/{course_id}/questions"), body).await;
    assert_eq!(reply.status, 201, "create question: {}", reply.text);
    reply.json()["id"].as_str().unwrap().to_string()
}

/// Imports `text` in `format` through the API; returns the report.
pub async fn import(staff: &TestClient, course_id: &str, format: &str, text: &str) -> Value {
    let reply = staff
        .post(&format!("/api/v1/courses/{course_id}/questions/import"), json!({"format": format, "text": text}))
        .await;
    assert_eq!(reply.status, 200, "import: {}", reply.text);
    reply.json()
}

/// A GIFT question through the API; returns its id.
pub async fn gift_question(staff: &TestClient, course_id: &str, gift: &str) -> String {
    let reply = staff.post(&format!("/api/v1/courses/{course_id}/questions"), json!({"gift": gift})).await;
    assert_eq!(reply.status, 201, "create question: {}", reply.text);
    reply.json()["id"].as_str().unwrap().to_string()
}

/// Creates a quiz at the end of `module_id` with `settings` and fixed slots
/// for `questions`; returns the quiz as the API shows it.
pub async fn quiz(staff: &TestClient, course_id: &str, module_id: &str, settings: Value, questions: &[&str]) -> Value {
    let slots: Vec<Value> =
        questions.iter().map(|q| json!({"source": {"type": "question", "question_id": q}, "mark": 1.0})).collect();
    let body = json!({"module_id": module_id, "title": "Check-up", "intro": "Ten minutes.", "settings": settings, "slots": slots});
    let reply = staff.post(&format!("/api/v1/courses/{course_id}/quizzes"), body).await;
    assert_eq!(reply.status, 201, "create quiz: {}", reply.text);
    reply.json()
}

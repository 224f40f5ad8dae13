use super::*;
use crate::fixtures;
use crate::format::assert_same;
use crate::question::QuestionKind;
use crate::text::{Text, TextFormat};

const BANK: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<quiz>
<!-- question: 0  -->
  <question type="category">
    <category><text>$course$/top/Geography</text></category>
  </question>
  <question type="multichoice">
    <name><text>Capital</text></name>
    <questiontext format="html">
      <text><![CDATA[<p>Which is the capital of France? <img src="@@PLUGINFILE@@/map.png"></p>]]></text>
      <file name="map.png" path="/" encoding="base64">iVBORw0K
GgoAAAA=</file>
    </questiontext>
    <generalfeedback format="html"><text>Paris &amp; nowhere else.</text></generalfeedback>
    <defaultgrade>2.0000000</defaultgrade>
    <single>true</single>
    <shuffleanswers>1</shuffleanswers>
    <answer fraction="100" format="html"><text>Paris</text><feedback format="html"><text>Yes.</text></feedback></answer>
    <answer fraction="0" format="html"><text>Lyon</text><feedback format="html"><text>No.</text></feedback></answer>
    <answer fraction="-33.33333" format="html"><text>Nice</text></answer>
    <tags><tag><text>capitals</text></tag><tag><text>europe</text></tag></tags>
  </question>
  <question type="truefalse">
    <name><text>Sky</text></name>
    <questiontext format="moodle_auto_format"><text>The sky is green.</text></questiontext>
    <answer fraction="0"><text>true</text><feedback><text>It is blue.</text></feedback></answer>
    <answer fraction="100"><text>false</text><feedback><text>Right.</text></feedback></answer>
  </question>
  <question type="category">
    <category><text>$course$/top/Science</text></category>
  </question>
  <question type="shortanswer">
    <name><text>Symbol</text></name>
    <questiontext format="plain_text"><text>Chemical symbol of gold?</text></questiontext>
    <usecase>1</usecase>
    <answer fraction="100"><text>Au</text></answer>
  </question>
  <question type="numerical">
    <name><text>Length</text></name>
    <questiontext format="markdown"><text>How long is the rod?</text></questiontext>
    <answer fraction="100"><text>2</text><tolerance>0.05</tolerance><feedback><text>Yes.</text></feedback></answer>
    <answer fraction="0"><text>*</text><tolerance>0</tolerance><feedback><text>Measure again.</text></feedback></answer>
    <units>
      <unit><multiplier>1</multiplier><unit_name>m</unit_name></unit>
      <unit><multiplier>100</multiplier><unit_name>cm</unit_name></unit>
    </units>
  </question>
  <question type="matching">
    <name><text>Pairs</text></name>
    <questiontext format="html"><text>Match them.</text></questiontext>
    <shuffleanswers>false</shuffleanswers>
    <subquestion format="html"><text>Dog</text><answer><text>Bark</text></answer></subquestion>
    <subquestion format="html"><text>Cat</text><answer><text>Meow</text></answer></subquestion>
    <subquestion format="html"><text></text><answer><text>Moo</text></answer></subquestion>
  </question>
  <question type="ordering">
    <name><text>Steps</text></name>
    <questiontext format="html"><text>Put in order.</text></questiontext>
    <answer fraction="2" format="plain_text"><text>Second</text></answer>
    <answer fraction="1" format="plain_text"><text>First</text></answer>
    <answer fraction="3" format="plain_text"><text>Third</text></answer>
  </question>
  <question type="cloze">
    <name><text>Fill</text></name>
    <questiontext format="html"><text>A {1:SA:=cat} and a {2:MC:=dog~cow}.</text></questiontext>
  </question>
  <question type="essay">
    <name><text>Essay</text></name>
    <questiontext format="html"><text>Discuss.</text></questiontext>
    <responserequired>0</responserequired>
    <attachments>-1</attachments>
    <graderinfo format="html"><text>Look for causes.</text></graderinfo>
  </question>
  <question type="description">
    <name><text>Intro</text></name>
    <questiontext format="html"><text>Read this first.</text></questiontext>
  </question>
</quiz>
"#;

#[test]
fn imports_a_realistic_moodle_export() {
    let report = parse(BANK);
    assert_eq!(report.problems, vec![]);
    let kinds: Vec<_> = report.questions.iter().map(|q| q.question.kind_name()).collect();
    assert_eq!(
        kinds,
        [
            "multichoice",
            "truefalse",
            "shortanswer",
            "numerical",
            "matching",
            "ordering",
            "cloze",
            "essay",
            "description"
        ]
    );
    let first = &report.questions[0];
    assert_eq!(first.line, 7);
    assert_eq!(first.category.as_deref(), Some("Geography"));
    assert_eq!(first.tags, ["capitals", "europe"]);
    assert_eq!(first.question.default_mark, 2.0);
    assert_eq!(first.question.text.format, TextFormat::Html);
    assert!(first.question.text.body.starts_with("<p>Which is"));
    assert_eq!(first.question.general_feedback.body, "Paris & nowhere else.");
    assert_eq!(report.questions[2].category.as_deref(), Some("Science"));
}

#[test]
fn collects_embedded_files() {
    let report = parse(BANK);
    let files = &report.questions[0].attachments;
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].name, "map.png");
    assert_eq!(files[0].bytes[..4], [0x89, b'P', b'N', b'G']);
    assert!(report.questions[1].attachments.is_empty());
}

#[test]
fn embedded_files_survive_an_export_and_import() {
    let imported = &parse(BANK).questions[0];
    let mut question = imported.question.clone();
    question.general_feedback = Text::html(r#"<img src="@@PLUGINFILE@@/my%20map.png"> again"#);
    let files = vec![
        imported.attachments[0].clone(),
        crate::format::Attachment { name: "my map.png".into(), bytes: vec![1, 2, 3] },
        crate::format::Attachment { name: "unused.png".into(), bytes: vec![4] },
    ];
    let xml = to_moodle_xml_with_files(&[(None, question.clone(), files.clone())]).text;
    assert!(!xml.contains("unused.png"), "a file no text shows is not written: {xml}");
    let again = &parse(&xml).questions[0];
    assert_same(&again.question, &question);
    assert_eq!(again.attachments, files[..2], "{xml}");
}

#[test]
fn every_text_of_a_question_can_be_rewritten() {
    let mut question = fixtures::single_choice();
    for text in question.texts_mut() {
        text.body = "x".into();
    }
    let QuestionKind::MultipleChoice { choices, .. } = &question.kind else { panic!() };
    assert!(choices.iter().all(|c| c.text.body == "x" && c.feedback.body == "x"));
    assert_eq!((question.text.body.as_str(), question.general_feedback.body.as_str()), ("x", "x"));
}

#[test]
fn reads_each_kind_settings() {
    let report = parse(BANK);
    let kind = |i: usize| &report.questions[i].question.kind;
    let QuestionKind::MultipleChoice { single, choices, .. } = kind(0) else { panic!("multichoice") };
    assert!(*single);
    assert!((choices[2].fraction + 0.3333333).abs() < 1e-9);
    assert_eq!(
        kind(1),
        &QuestionKind::TrueFalse {
            correct: false,
            feedback_true: Text::plain("It is blue."),
            feedback_false: Text::plain("Right."),
        }
    );
    let QuestionKind::ShortAnswer { case_sensitive, .. } = kind(2) else { panic!("shortanswer") };
    assert!(*case_sensitive);
    let QuestionKind::Numerical { answers, units } = kind(3) else { panic!("numerical") };
    assert_eq!((answers[0].value, answers[0].tolerance), (2.0, 0.05));
    assert!(answers[1].is_any());
    assert_eq!(units[1].unit, "cm");
    assert_eq!(units[1].multiplier, 100.0);
    let QuestionKind::Matching { shuffle, pairs, distractors } = kind(4) else { panic!("matching") };
    assert!(!*shuffle);
    assert_eq!(pairs.len(), 2);
    assert_eq!(distractors, &["Moo"]);
    let QuestionKind::Ordering { items } = kind(5) else { panic!("ordering") };
    let items: Vec<_> = items.iter().map(|t| t.body.as_str()).collect();
    assert_eq!(items, ["First", "Second", "Third"]);
    let QuestionKind::Cloze { text } = kind(6) else { panic!("cloze") };
    assert_eq!(text.body, "A {1:SA:=cat} and a {2:MC:=dog~cow}.");
    let QuestionKind::Essay { response_required, attachments_allowed, grader_info } = kind(7) else { panic!("essay") };
    assert_eq!((*response_required, *attachments_allowed), (false, 10));
    assert_eq!(grader_info.body, "Look for causes.");
}

#[test]
fn an_unsupported_or_invalid_question_is_a_problem_at_its_line() {
    let xml = "<quiz>\n<question type=\"ddwtos\">\n<name><text>Drag</text></name>\n</question>\n<question type=\"multichoice\">\n<name><text>Bad</text></name>\n<questiontext><text>Q?</text></questiontext>\n<answer fraction=\"abc\"><text>x</text></answer>\n</question>\n<question type=\"matching\">\n<name><text>One pair</text></name>\n<questiontext><text>Q?</text></questiontext>\n<subquestion><text>a</text><answer><text>b</text></answer></subquestion>\n</question>\n<question type=\"truefalse\">\n<name><text>Fine</text></name>\n<questiontext><text>Ok?</text></questiontext>\n<answer fraction=\"100\"><text>true</text></answer><answer fraction=\"0\"><text>false</text></answer>\n</question>\n</quiz>";
    let report = parse(xml);
    assert_eq!(report.questions.len(), 1);
    assert_eq!(report.questions[0].question.name, "Fine");
    let found: Vec<_> = report.problems.iter().map(|p| (p.line, p.message.as_str())).collect();
    assert_eq!(
        found,
        [
            (2, "the question type \"ddwtos\" is not supported"),
            (8, "the answer's fraction \"abc\" is not a number"),
            (10, "\"One pair\": matching needs at least two pairs"),
        ]
    );
}

#[test]
fn broken_xml_keeps_the_questions_before_the_break() {
    let xml = "<quiz>\n<question type=\"description\">\n<name><text>Intro</text></name>\n<questiontext><text>Hi</text></questiontext>\n</question>\n<question type=\"essay\">\n<name><text>Cut</text></name>\n</quiz>";
    let report = parse(xml);
    assert_eq!(report.questions.len(), 1);
    assert_eq!(report.questions[0].question.name, "Intro");
    assert_eq!(report.problems.len(), 1);
    assert_eq!(report.problems[0].line, 8);
    assert!(report.problems[0].message.starts_with("the XML is broken"));
    let not_moodle = parse("<html></html>");
    assert_eq!(not_moodle.problems[0].message, "this is not a Moodle XML file: it has no <quiz>");
}

#[test]
fn every_kind_survives_an_export_and_import() {
    let mut questions = fixtures::all();
    questions[0].default_mark = 2.5;
    questions[0].text = Text::html("<p>Capital of <b>France</b> &amp; \"more\"?</p>");
    let input: Vec<_> = questions
        .iter()
        .enumerate()
        .map(|(i, q)| (Some(if i < 5 { "One" } else { "Two/Sub" }.to_owned()), q.clone()))
        .collect();
    let exported = to_moodle_xml(&input);
    assert_eq!((exported.skipped.len(), exported.lossy.len()), (0, 0));
    let report = parse(&exported.text);
    assert_eq!(report.problems, vec![], "{}", exported.text);
    assert_eq!(report.questions.len(), questions.len());
    for ((category, original), imported) in input.iter().zip(&report.questions) {
        assert_same(original, &imported.question);
        assert_eq!(&imported.category, category);
    }
    assert_eq!(exported.text.matches("type=\"category\"").count(), 2);
}

#[test]
fn no_truncation_of_an_export_makes_the_parser_panic() {
    for (end, _) in BANK.char_indices().step_by(3) {
        let report = parse(&BANK[..end]);
        assert!(report.questions.len() <= 9);
        assert!(end == 0 || !report.problems.is_empty() || report.questions.len() == 9);
    }
}

use lyceum_assessment::{
    Question, QuestionKind, Text, TextFormat,
    question::{Choice, MatchPair, NumericAnswer, PatternAnswer, Unit},
};

use super::*;

/// The fields the editor's form posts for `d` (the names the template uses).
fn fields(d: &Draft) -> Vec<(String, String)> {
    let mut f: Vec<(String, String)> = Vec::new();
    let mut put = |k: String, v: &str| f.push((k, v.to_string()));
    let text = |put: &mut dyn FnMut(String, &str), k: String, t: &TextField| {
        put(format!("{k}_format"), t.format_name());
        put(k, &t.body);
    };
    put("name".into(), &d.name);
    put("default_mark".into(), &d.default_mark);
    text(&mut put, "text".into(), &d.text);
    text(&mut put, "general_feedback".into(), &d.general_feedback);
    put("single".into(), if d.single { "1" } else { "0" });
    put("correct".into(), if d.correct { "true" } else { "false" });
    for (flag, on) in
        [("shuffle", d.shuffle), ("case_sensitive", d.case_sensitive), ("response_required", d.response_required)]
    {
        if on {
            put(flag.into(), "1");
        }
    }
    text(&mut put, "feedback_true".into(), &d.feedback_true);
    text(&mut put, "feedback_false".into(), &d.feedback_false);
    put("attachments_allowed".into(), &d.attachments_allowed);
    text(&mut put, "grader_info".into(), &d.grader_info);
    for (i, c) in d.choices.iter().enumerate() {
        text(&mut put, format!("choice_{i}_text"), &c.text);
        put(format!("choice_{i}_percent"), &c.percent);
        text(&mut put, format!("choice_{i}_feedback"), &c.feedback);
    }
    for (i, a) in d.answers.iter().enumerate() {
        put(format!("answer_{i}_answer"), &a.answer);
        put(format!("answer_{i}_tolerance"), &a.tolerance);
        put(format!("answer_{i}_percent"), &a.percent);
        text(&mut put, format!("answer_{i}_feedback"), &a.feedback);
    }
    for (i, u) in d.units.iter().enumerate() {
        put(format!("unit_{i}_unit"), &u.unit);
        put(format!("unit_{i}_multiplier"), &u.multiplier);
    }
    for (i, p) in d.pairs.iter().enumerate() {
        text(&mut put, format!("pair_{i}_question"), &p.question);
        put(format!("pair_{i}_answer"), &p.answer);
    }
    for (i, t) in d.distractors.iter().enumerate() {
        put(format!("distractor_{i}_text"), t);
    }
    for (i, t) in d.items.iter().enumerate() {
        text(&mut put, format!("item_{i}_text"), t);
    }
    f
}

fn md(s: &str) -> Text {
    Text::markdown(s)
}

fn questions() -> Vec<Question> {
    let q = |name: &str, kind| Question {
        general_feedback: Text::html("<p>See <b>chapter 2</b></p>"),
        default_mark: 2.5,
        ..Question::new(name, md("What is *it*?"), kind)
    };
    vec![
        q(
            "Choice",
            QuestionKind::MultipleChoice {
                single: false,
                shuffle: false,
                choices: vec![
                    Choice { text: md("A"), fraction: 0.5, feedback: md("half") },
                    Choice { text: Text::plain("B"), fraction: 0.5, feedback: md("") },
                    Choice { text: md("C"), fraction: -0.25, feedback: md("no") },
                ],
            },
        ),
        q("TF", QuestionKind::TrueFalse { correct: false, feedback_true: md("no"), feedback_false: md("yes") }),
        q(
            "Short",
            QuestionKind::ShortAnswer {
                case_sensitive: true,
                answers: vec![
                    PatternAnswer { pattern: "Paris".into(), fraction: 1.0, feedback: md("") },
                    PatternAnswer { pattern: "*".into(), fraction: 0.0, feedback: md("Think again") },
                ],
            },
        ),
        q(
            "Number",
            QuestionKind::Numerical {
                answers: vec![
                    NumericAnswer { value: 2.72, tolerance: 0.01, fraction: 1.0, feedback: md("e") },
                    NumericAnswer { value: 0.0, tolerance: NumericAnswer::ANY, fraction: 0.0, feedback: md("no") },
                ],
                units: vec![Unit { unit: "m".into(), multiplier: 1.0 }, Unit { unit: "cm".into(), multiplier: 100.0 }],
            },
        ),
        q(
            "Match",
            QuestionKind::Matching {
                shuffle: true,
                pairs: vec![
                    MatchPair { question: md("France"), answer: "Paris".into() },
                    MatchPair { question: md("Italy"), answer: "Rome".into() },
                ],
                distractors: vec!["Berlin".into()],
            },
        ),
        q("Order", QuestionKind::Ordering { items: vec![md("one"), md("two"), md("three")] }),
        Question {
            text: md("Paris is in {1:MULTICHOICE:=France~Spain}."),
            ..q("Cloze", QuestionKind::Cloze { text: md("Paris is in {1:MULTICHOICE:=France~Spain}.") })
        },
        q("Essay", QuestionKind::Essay { response_required: false, attachments_allowed: 2, grader_info: md("rubric") }),
        q("Words", QuestionKind::Description),
    ]
}

#[test]
fn every_kind_survives_the_form_unchanged() {
    for question in questions() {
        let draft = Draft::of(&question);
        let back = Draft::from_form(draft.kind_name, &fields(&draft)).to_question();
        assert_eq!(back.as_ref().ok(), Some(&question), "{}", question.name);
    }
}

#[test]
fn blank_rows_are_dropped_but_keep_their_places_for_messages() {
    let mut draft = Draft::blank("multichoice");
    draft.name = "Capital".into();
    draft.text = TextField::markdown("Capital of France?");
    draft.choices[1] = ChoiceRow { text: TextField::markdown("Paris"), percent: "100".into(), ..ChoiceRow::blank() };
    draft.choices[3] = ChoiceRow { text: TextField::markdown("Lyon"), percent: "ten".into(), ..ChoiceRow::blank() };
    let refused = Draft::from_form("multichoice", &fields(&draft)).to_question().unwrap_err();
    let named: Vec<&str> = refused.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(named, ["choice_3_percent"]);

    draft.choices[3].percent = "0".into();
    let question = Draft::from_form("multichoice", &fields(&draft)).to_question().unwrap();
    let QuestionKind::MultipleChoice { choices, .. } = &question.kind else { panic!("kind") };
    assert_eq!(choices.iter().map(|c| c.text.body.as_str()).collect::<Vec<_>>(), ["Paris", "Lyon"]);
    assert_eq!(question.text.format, TextFormat::Markdown);
}

#[test]
fn numbers_read_as_people_type_them() {
    let mut draft = Draft::blank("numerical");
    draft.name = "Pi".into();
    draft.text = TextField::markdown("π?");
    draft.default_mark = "1,5".into();
    draft.answers[0] =
        AnswerRow { answer: " 2,72 ".into(), tolerance: "".into(), percent: "100".into(), ..AnswerRow::blank() };
    let q = Draft::from_form("numerical", &fields(&draft)).to_question().unwrap();
    assert_eq!(q.default_mark, 1.5);
    let QuestionKind::Numerical { answers, units } = &q.kind else { panic!("kind") };
    assert_eq!((answers[0].value, answers[0].tolerance, answers[0].fraction), (2.72, 0.0, 1.0));
    assert!(units.is_empty());

    draft.default_mark = "two".into();
    draft.answers[0].answer = "NaN".into();
    let refused = Draft::from_form("numerical", &fields(&draft)).to_question().unwrap_err();
    let named: Vec<&str> = refused.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(named, ["default_mark", "answer_0_answer"]);
}

#[test]
fn a_forged_form_cannot_ask_for_endless_rows_or_attachments() {
    let form =
        vec![("choice_99999999_text".to_string(), "x".to_string()), ("attachments_allowed".into(), "300".into())];
    let draft = Draft::from_form("essay", &form);
    assert!(draft.choices.is_empty());
    let refused = draft.to_question().unwrap_err();
    assert_eq!(refused[0].field, "attachments_allowed");
}

#[test]
fn more_rows_adds_three_blanks_and_padding_keeps_two() {
    let mut draft = Draft::of(&questions()[0]);
    assert_eq!(draft.choices.len(), 3 + SPARE_ROWS);
    draft.more_rows();
    assert_eq!(draft.choices.len(), 3 + SPARE_ROWS + 3);
    assert_eq!(number(1.0 / 3.0 * 100.0), "33.3333333");
    assert_eq!(number(-0.0), "0");
    assert_eq!(number(2.5), "2.5");
}

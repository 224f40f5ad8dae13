//! One valid question of every kind, shared by the tests of every module.

use crate::question::{Choice, MatchPair, NumericAnswer, PatternAnswer, Question, QuestionKind, Unit};
use crate::text::Text;

pub fn choice(text: &str, fraction: f64, feedback: &str) -> Choice {
    Choice { text: Text::plain(text), fraction, feedback: Text::plain(feedback) }
}

pub fn single_choice() -> Question {
    let mut q = Question::new(
        "Capital",
        Text::markdown("What is the capital of **France**?"),
        QuestionKind::MultipleChoice {
            single: true,
            shuffle: true,
            choices: vec![
                choice("Paris", 1.0, "FB-PARIS-RIGHT"),
                choice("Lyon", 0.0, "FB-LYON"),
                choice("Marseille", -0.5, "FB-MARSEILLE"),
            ],
        },
    );
    q.general_feedback = Text::plain("GENERAL-FEEDBACK-SECRET");
    q
}

pub fn multi_choice() -> Question {
    Question::new(
        "Primes",
        Text::plain("Which are prime?"),
        QuestionKind::MultipleChoice {
            single: false,
            shuffle: false,
            choices: vec![
                choice("2", 0.5, "two is prime"),
                choice("3", 0.5, "three is prime"),
                choice("4", -1.0, "four is 2×2"),
                choice("9", -0.5, "nine is 3×3"),
            ],
        },
    )
}

pub fn true_false() -> Question {
    Question::new(
        "Sky",
        Text::plain("The sky is green."),
        QuestionKind::TrueFalse {
            correct: false,
            feedback_true: Text::plain("No, it is blue."),
            feedback_false: Text::plain("Right."),
        },
    )
}

pub fn short_answer() -> Question {
    let answer = |pattern: &str, fraction, feedback: &str| PatternAnswer {
        pattern: pattern.into(),
        fraction,
        feedback: Text::plain(feedback),
    };
    Question::new(
        "Author",
        Text::plain("Who wrote Hamlet?"),
        QuestionKind::ShortAnswer {
            case_sensitive: false,
            answers: vec![
                answer("William Shakespeare", 1.0, "Exactly."),
                answer("*Shakespeare", 0.8, "Give his first name too."),
                answer("*", 0.0, "No."),
            ],
        },
    )
}

pub fn numerical() -> Question {
    let answer = |value, tolerance, fraction, feedback: &str| NumericAnswer {
        value,
        tolerance,
        fraction,
        feedback: Text::plain(feedback),
    };
    let unit = |unit: &str, multiplier| Unit { unit: unit.into(), multiplier };
    Question::new(
        "Height",
        Text::plain("How high is the table, in metres?"),
        QuestionKind::Numerical {
            answers: vec![answer(1.5, 0.1, 1.0, "Yes."), answer(1.5, 0.5, 0.5, "Close.")],
            units: vec![unit("m", 1.0), unit("cm", 100.0)],
        },
    )
}

pub fn matching() -> Question {
    let pair = |question: &str, answer: &str| MatchPair { question: Text::plain(question), answer: answer.into() };
    Question::new(
        "Capitals",
        Text::plain("Match each country with its capital."),
        QuestionKind::Matching {
            shuffle: true,
            pairs: vec![pair("France", "Paris"), pair("Italy", "Rome"), pair("Spain", "Madrid")],
            distractors: vec!["Berlin".into()],
        },
    )
}

pub fn ordering() -> Question {
    Question::new(
        "Planets",
        Text::plain("Order from the Sun outwards."),
        QuestionKind::Ordering { items: ["Mercury", "Venus", "Earth", "Mars"].map(Text::plain).to_vec() },
    )
}

pub fn cloze() -> Question {
    Question::new(
        "Cloze",
        Text::default(),
        QuestionKind::Cloze {
            text: Text::plain(
                "The {2:SHORTANSWER:=cat#Good cat~%50%kitten#Nearly} sat on {1:MC:=the mat#Yes~a hat#No}; 2+2={1:NM:=4:0}.",
            ),
        },
    )
}

pub fn essay() -> Question {
    Question::new(
        "Essay",
        Text::plain("Discuss the causes of the war."),
        QuestionKind::Essay {
            response_required: true,
            attachments_allowed: 2,
            grader_info: Text::plain("GRADER-INFO-SECRET"),
        },
    )
}

pub fn description() -> Question {
    Question::new("Intro", Text::plain("Read the passage below."), QuestionKind::Description)
}

pub fn all() -> Vec<Question> {
    vec![
        single_choice(),
        multi_choice(),
        true_false(),
        short_answer(),
        numerical(),
        matching(),
        ordering(),
        cloze(),
        essay(),
        description(),
    ]
}
